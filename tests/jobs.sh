#!/bin/sh
# --jobs N gives byte-identical output to one process: on every fixture
# (csv and jsonl) and on a generated 100,000-row file.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
V=./verdict
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
same() {   # name, verdict arguments...
	name=$1
	shift
	$V check -q -r rules --as-of 2025-06-30 "$@" >"$tmp/one" 2>"$tmp/one.err"
	s1=$?
	$V check -q -r rules --as-of 2025-06-30 --jobs 2 "$@" >"$tmp/two" 2>"$tmp/two.err"
	s2=$?
	$V check -q -r rules --as-of 2025-06-30 --jobs 3 "$@" >"$tmp/three" 2>/dev/null
	if [ $s1 = $s2 ] && cmp -s "$tmp/one" "$tmp/two" && cmp -s "$tmp/one" "$tmp/three" &&
	   cmp -s "$tmp/one.err" "$tmp/two.err"; then
		pass=$((pass + 1))
	else
		echo "FAIL $name: --jobs output differs from one process (status $s1 / $s2)"
		fail=$((fail + 1))
	fi
}
for f in applications preparatory evaluations; do
	same "$f csv" "fixtures/$f.csv"
	same "$f jsonl" --format jsonl "fixtures/$f.csv"
done
same "gb18030" --encoding gb18030 fixtures/applications-gb18030.csv
mkdir -p tests/cli/out
cc -O2 -o tests/cli/out/gen_records tools/gen_records.c 2>/dev/null || { echo "FAIL cannot build tools/gen_records.c"; exit 1; }
tests/cli/out/gen_records application 100000 >"$tmp/gen.csv"
same "generated 100000 rows" "$tmp/gen.csv"
echo "jobs: $pass passed, $fail failed"
[ $fail -eq 0 ]
