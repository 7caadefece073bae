#!/bin/sh
# The shipped fixtures against their expected verdicts (worked out by hand
# and with tools/oracle.py from the contract, never captured from verdict):
# columns row, id, verdict, score, grade, failed, missing of `verdict check`.
# Also: the GB18030 copy with Chinese headers gives the same results, and
# rules/tests/ holds the same cases as fixtures/ (verdict test runs those).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
V=./verdict
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
project() {   # the compared columns of verdict's CSV output
	awk -F, 'NR == 1 { print "row,id,verdict,score,grade,failed,missing"; next }
		{ print $1 "," $3 "," $5 "," $6 "," $7 "," $8 "," $9 }' "$1"
}
run() {   # name, expected file, verdict arguments...
	name=$1 want=$2
	shift 2
	"$V" check -q -r rules --as-of 2025-06-30 "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ $st -gt 1 ]; then
		echo "FAIL $name: exit status $st"; sed 's/^/    /' "$tmp/err"; fail=$((fail + 1)); return
	fi
	project "$tmp/out" >"$tmp/got"
	if cmp -s "$tmp/got" "$want"; then
		pass=$((pass + 1))
	else
		echo "FAIL $name: differs from $want"; diff "$want" "$tmp/got" | head -20 | sed 's/^/    /'
		fail=$((fail + 1))
	fi
}
run applications fixtures/expected/applications.csv fixtures/applications.csv
run preparatory fixtures/expected/preparatory.csv fixtures/preparatory.csv
run evaluations fixtures/expected/evaluations.csv fixtures/evaluations.csv
run applications-gb18030 fixtures/expected/applications.csv --encoding gb18030 fixtures/applications-gb18030.csv
for pair in application:applications preparatory:preparatory evaluation:evaluations; do
	t=${pair%%:*} f=${pair#*:}
	if cmp -s "rules/tests/$t.csv" "fixtures/$f.csv" && cmp -s "rules/tests/$t.expected.csv" "fixtures/expected/$f.csv"; then
		pass=$((pass + 1))
	else
		echo "FAIL rules/tests/$t: not the same as fixtures/$f (copy them again)"; fail=$((fail + 1))
	fi
done
echo "fixtures: $pass passed, $fail failed"
[ $fail -eq 0 ]
