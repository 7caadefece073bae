#!/bin/sh
# The native evaluator (src/native.c) gives byte-identical output to the
# Lua evaluator (--engine lua), the reference: on every rule set's own
# test cases, the fixtures and generated files, in English and Chinese,
# as csv and as jsonl with the full trace.  A decision that should have a native plan and lost it
# fails here too (--engine native stops when there is none).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
V=./verdict
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
same() {   # name, engine (auto|native), verdict arguments...
	name=$1 engine=$2
	shift 2
	for how in "en csv" "zh csv" "en jsonl" "zh jsonl"; do
		set -- --lang ${how% *} --format ${how#* } "$@"
		$V check -q --engine lua "$@" >"$tmp/lua" 2>"$tmp/lua.err"
		s1=$?
		$V check -q --engine "$engine" "$@" >"$tmp/nat" 2>"$tmp/nat.err"
		s2=$?
		shift 4
		if [ $s1 = $s2 ] && cmp -s "$tmp/lua" "$tmp/nat" && cmp -s "$tmp/lua.err" "$tmp/nat.err"; then
			pass=$((pass + 1))
		else
			echo "FAIL $name ($how): native output differs from Lua (status $s1 / $s2)"
			diff "$tmp/lua" "$tmp/nat" | head -5
			diff "$tmp/lua.err" "$tmp/nat.err" | head -5
			fail=$((fail + 1))
		fi
	done
}
# Every test case of every rule set; decisions without a plan (scored, or
# with plain-Lua rules) go to Lua under auto, so they are the same too.
# (The deliberately broken rule sets fail the same way under both.)
for dir in rules tests/rules/*/; do
	dir=${dir%/}
	for f in "$dir"/tests/*.csv "$dir.csv"; do
		[ -f "$f" ] || continue
		case "$f" in *.expected.csv) continue ;; esac
		same "$f" auto -r "$dir" --as-of 2025-06-30 "$f"
	done
done
# The DSL's test rule set uses every construct, but its "permit" decision
# has plain-Lua pieces; with them declared instead it runs natively, and
# every operand, condition and message form is compared.
cp -R tests/rules/dsl "$tmp/dsl"
perl -0pi -e 's/fn\(function\(r, p, as_of\) return r\.members \* p\.fee_per_member end\)/times("members", param "fee_per_member")/; s/fn\(popup_end_text\)/add_months("opened_on", 6)/; s/when = check\(function.*?end\),/when = at_least("share", param "min_share"),/s' "$tmp/dsl/permit.lua"
for f in tests/rules/dsl/tests/permit*.csv; do
	case "$f" in *.expected.csv) continue ;; esac
	same "$f (declared)" native -r "$tmp/dsl" --as-of 2025-06-30 "$f"
	same "$f (declared, later)" native -r "$tmp/dsl" --as-of 2027-03-01 "$f"
done
# Random permits, so that the declared rules see many shapes of trace
# with different values (src/native_shape.c replays them): every column
# sometimes empty, enumerations as tokens and labels, dates around the
# rules' limits.
awk 'BEGIN {
	srand(20261205)
	split("red,green,blue,grey,红,GREEN,purple,", colour, ",")
	split("shanghai,上海,suzhou,SHANGHAI,hangzhou,", city, ",")
	split("passed,failed,通过,", insp, ",")
	split("yes,no,是,否,,Y", yn, ",")
	print "permit_id,holder,colour,city,filed_on,opened_on,inspected_on,inspection,members,balance,height,fee,share,insured,vetted,waived,as_of"
	for (i = 1; i <= 3000; i++) {
		d1 = sprintf("%d-%02d-%02d", 2023 + int(rand() * 4), 1 + int(rand() * 12), 1 + int(rand() * 28))
		d2 = sprintf("%d-%02d-%02d", 2023 + int(rand() * 4), 1 + int(rand() * 12), 1 + int(rand() * 28))
		d3 = sprintf("%d-%02d-%02d", 2023 + int(rand() * 4), 1 + int(rand() * 12), 1 + int(rand() * 28))
		d4 = sprintf("%d-%02d-%02d", 2024 + int(rand() * 3), 1 + int(rand() * 12), 1 + int(rand() * 28))
		row = sprintf("R%05d,Holder %d,%s,%s,%s,%s,%s,%s,%d,%d,%.1f,%.2f,%.2f,%s,%s,%s,%s", i, i % 7,
			colour[1 + int(rand() * 8)], city[1 + int(rand() * 6)], d1, d2, d3, insp[1 + int(rand() * 4)],
			int(rand() * 12), int(rand() * 240) - 120, rand() * 10, rand() * 50, rand(),
			yn[1 + int(rand() * 6)], yn[1 + int(rand() * 6)], yn[1 + int(rand() * 6)], d4)
		n = split(row, f, ",")
		for (k = 3; k <= n; k++)
			if (rand() < 0.06)
				f[k] = ""
		line = f[1]
		for (k = 2; k <= n; k++)
			line = line "," f[k]
		print line
	}
}' >"$tmp/permits.csv"
same "random permits (declared)" native -r "$tmp/dsl" --as-of 2025-06-30 "$tmp/permits.csv"
# The shipped decisions that must stay native.
same "applications" native -r rules --as-of 2025-06-30 fixtures/applications.csv
same "preparatory" native -r rules --as-of 2025-06-30 fixtures/preparatory.csv
same "preparatory, later" native -r rules --as-of 2027-01-31 fixtures/preparatory.csv
same "gb18030" native -r rules --as-of 2025-06-30 --encoding gb18030 fixtures/applications-gb18030.csv
mkdir -p tests/cli/out
cc -O2 -o tests/cli/out/gen_records tools/gen_records.c 2>/dev/null || { echo "FAIL cannot build tools/gen_records.c"; exit 1; }
tests/cli/out/gen_records application 20000 >"$tmp/gen.csv"
same "generated applications" native -r rules --as-of 2025-06-30 "$tmp/gen.csv"
tests/cli/out/gen_records preparatory 10000 >"$tmp/prep.csv"
same "generated preparatory" native -r rules --as-of 2025-06-30 "$tmp/prep.csv"
# A rule's trace replayed from a kept shape (src/native_shape.c) is the
# trace written afresh: the generated files, and the fixtures, with shapes
# and without.
for f in "$tmp/gen.csv" "$tmp/prep.csv" fixtures/applications.csv fixtures/preparatory.csv; do
	for lang in en zh; do
		$V check -q -r rules --as-of 2025-06-30 --lang $lang --format jsonl "$f" >"$tmp/shaped" 2>/dev/null
		VERDICT_NO_SHAPES=1 $V check -q -r rules --as-of 2025-06-30 --lang $lang --format jsonl "$f" \
			>"$tmp/fresh" 2>/dev/null
		if [ -s "$tmp/fresh" ] && cmp -s "$tmp/shaped" "$tmp/fresh"; then
			pass=$((pass + 1))
		else
			echo "FAIL $f ($lang): traces from shapes differ from traces written afresh"
			cmp "$tmp/shaped" "$tmp/fresh" | head -2
			fail=$((fail + 1))
		fi
	done
done
echo "native: $pass passed, $fail failed"
[ $fail -eq 0 ]
