#!/bin/sh
# Isolation (issue 6, item 3): a record's verdict never depends on the other
# records or on their order.  For each rule set and input below, the
# verdicts of the file as it is are compared, record for record, with
#   - the same records in reverse order,
#   - the same records shuffled (a fixed seed, so a failure repeats),
#   - each record evaluated alone (the header and that record).
# Compared: every output column but row and line (id, decision, verdict,
# score, grade, failed, missing, reason).  Blank lines between records are
# dropped (they are skipped anyway).
#
#   tests/isolation.sh            uses ./verdict
#   VERDICT=path tests/isolation.sh
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
V=${VERDICT:-./verdict}
unset VERDICT_RULES
export TZ=UTC LC_ALL=C.UTF-8
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0 failed_names=""

# verdict's output without the row and line columns (always plain numbers).
project() { sed '1d; s/^[0-9]*,[0-9]*,//' "$1"; }

# evaluate NAME RULES INPUT OUT: check INPUT, projected into OUT.
evaluate() {
	"$V" check -q -r "$2" --as-of 2025-06-30 "$3" >"$tmp/raw" 2>"$tmp/err"
	st=$?
	if [ $st -gt 1 ]; then
		echo "FAIL $1: exit status $st"
		sed 's/^/    /' "$tmp/err" | head -5
		return 1
	fi
	project "$tmp/raw" >"$4"
}

# The records of a CSV body, one per line: a line break inside a quoted
# cell (an odd number of quotes so far) becomes \001 (put back by unpack).
pack() {
	awk '{ rec = (open ? rec "\001" : "") $0; open = (open + gsub(/"/, "\"")) % 2
	       if (!open) { if (rec != "") print rec; rec = "" } }
	     END { if (open) print rec }' "$1"
}
unpack() { tr '\001' '\n'; }

# compare NAME WANT GOT
compare() {
	if cmp -s "$2" "$3"; then
		pass=$((pass + 1))
	else
		echo "FAIL $1: verdicts differ from those of the file in its own order"
		diff "$2" "$3" | head -10 | sed 's/^/    /'
		fail=$((fail + 1))
		failed_names="$failed_names $1"
	fi
}

# One rule set and input: NAME RULES INPUT.
run() {
	name=$1 rules=$2 input=$3
	if [ ! -d "$rules" ] || [ ! -f "$input" ]; then
		echo "skip $name: no $rules or $input"
		return
	fi
	pack "$input" >"$tmp/records"
	head -n 1 "$tmp/records" | unpack >"$tmp/header"
	tail -n +2 "$tmp/records" >"$tmp/body"
	n=$(wc -l <"$tmp/body")
	evaluate "$name" "$rules" "$input" "$tmp/want" || { fail=$((fail + 1)); failed_names="$failed_names $name"; return; }
	if [ "$(wc -l <"$tmp/want")" -ne "$n" ]; then
		echo "skip $name: $n records but $(wc -l <"$tmp/want") output lines"
		return
	fi
	# Reversed, then shuffled: each line numbered with its place in the
	# file, so the verdicts can be put back in file order.
	awk '{ print NR "\t" $0 }' "$tmp/body" >"$tmp/numbered"
	for order in reverse shuffle; do
		if [ $order = reverse ]; then
			sort -t "$(printf '\t')" -k1,1nr "$tmp/numbered" >"$tmp/perm"
		else
			awk 'BEGIN { srand(20250630) } { print rand() "\t" $0 }' "$tmp/numbered" \
				| sort -k1,1 | cut -f2- >"$tmp/perm"
		fi
		{ cat "$tmp/header"; cut -f2- "$tmp/perm" | unpack; } >"$tmp/in.csv"
		evaluate "$name ($order)" "$rules" "$tmp/in.csv" "$tmp/got" || {
			fail=$((fail + 1)); failed_names="$failed_names $name-$order"; continue; }
		cut -f1 "$tmp/perm" | paste - "$tmp/got" | sort -t "$(printf '\t')" -k1,1n \
			| cut -f2- >"$tmp/back"
		compare "$name-$order" "$tmp/want" "$tmp/back"
	done
	# Each record alone.
	: >"$tmp/alone"
	i=0
	while [ $i -lt "$n" ]; do
		i=$((i + 1))
		{ cat "$tmp/header"; sed -n "${i}p" "$tmp/body" | unpack; } >"$tmp/one.csv"
		evaluate "$name (record $i alone)" "$rules" "$tmp/one.csv" "$tmp/got" || {
			echo "record $i could not be evaluated alone" >>"$tmp/alone"; continue; }
		cat "$tmp/got" >>"$tmp/alone"
	done
	compare "$name-alone" "$tmp/want" "$tmp/alone"
}

run toy tests/rules/toy tests/rules/toy.csv
run upvalue-counter tests/rules/isolation-upvalue tests/rules/hostile.csv
run upvalue-table tests/rules/isolation-upvalue-table tests/rules/hostile.csv
run applications rules fixtures/applications.csv
run preparatory rules fixtures/preparatory.csv
run evaluations rules fixtures/evaluations.csv

echo "isolation: $pass passed, $fail failed"
[ $fail -eq 0 ] || { echo "failed:$failed_names"; exit 1; }
