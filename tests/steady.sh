#!/bin/sh
# The per-record path allocates nothing once the first records have sized
# its buffers (issue 7): valgrind's count of heap allocations for 2,000
# and for 8,000 generated records, csv and jsonl, one process and
# --jobs 2.  What may differ: the id set doubling (a few allocations for
# four times the ids) and, with jsonl, a rule's cached traces growing to
# the largest seen.  One allocation a record would add 6,000.  With
# --jobs, each chunk handed to a worker (a MiB of input) costs a few:
# one chunk for either file here (VERDICT_CHUNK_BYTES).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
command -v valgrind >/dev/null 2>&1 || { echo "FAIL valgrind is not installed (make deps installs it)"; exit 1; }
# make sanitize runs the suite with an AddressSanitizer build, which
# valgrind cannot run; there the allocations are the sanitizer's business.
if [ -n "${ASAN_OPTIONS:-}" ]; then
	echo "steady: not run under AddressSanitizer (make check runs it)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p tests/cli/out
cc -O2 -o tests/cli/out/gen_records tools/gen_records.c 2>/dev/null || { echo "FAIL cannot build tools/gen_records.c"; exit 1; }
tests/cli/out/gen_records application 2000 >"$tmp/small.csv"
tests/cli/out/gen_records application 8000 >"$tmp/large.csv"
pass=0 fail=0
allocs() {   # file, verdict arguments... -> the allocation count of every process, summed
	f=$1
	shift
	VERDICT_CHUNK_BYTES=64000000 valgrind --trace-children=yes ./verdict check -q -r rules --as-of 2025-06-30 "$@" -o /dev/null "$f" \
		2>"$tmp/vg.err" >/dev/null
	sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' "$tmp/vg.err" | tr -d , |
		awk '{ s += $1 } END { print s + 0 }'
}
for args in "--format csv" "--format jsonl" "--format csv --jobs 2"; do
	# shellcheck disable=SC2086
	a=$(allocs "$tmp/small.csv" $args)
	# shellcheck disable=SC2086
	b=$(allocs "$tmp/large.csv" $args)
	if [ "$a" -gt 0 ] && [ $((b - a)) -le 100 ]; then
		pass=$((pass + 1))
	else
		echo "FAIL $args: $a heap allocations for 2,000 records, $b for 8,000 (expected at most 100 more)"
		fail=$((fail + 1))
	fi
done
echo "steady: $pass passed, $fail failed"
[ $fail -eq 0 ]
