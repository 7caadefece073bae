#!/bin/sh
# verdict as a stream filter over chunks (docs/scaling.md): a file cut into
# chunks of N records, each checked with --header-from, --row-offset and
# --no-header, gives back exactly the output of one run.  Records here do
# not span lines.  The same recipe with GNU parallel runs when it is
# installed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
V="$top/verdict"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
in=fixtures/applications.csv
opts="-q -r rules --as-of 2025-06-30"
$V check $opts "$in" >"$tmp/single"
head -n 1 "$in" >"$tmp/header.csv"
n=10
tail -n +2 "$in" | split -l $n - "$tmp/chunk."
{
	$V check $opts "$tmp/header.csv"
	k=0
	for c in "$tmp"/chunk.*; do
		$V check $opts --header-from "$tmp/header.csv" --row-offset $((k * n)) --no-header "$c"
		k=$((k + 1))
	done
} >"$tmp/chunked"
if cmp -s "$tmp/single" "$tmp/chunked"; then pass=$((pass + 1)); else
	echo "FAIL chunked run differs from a single run"; diff "$tmp/single" "$tmp/chunked" | head; fail=$((fail + 1)); fi
if command -v parallel >/dev/null 2>&1; then
	{
		$V check $opts "$tmp/header.csv"
		tail -n +2 "$in" | parallel --will-cite --pipe -N $n -k \
			"$V check $opts --header-from $tmp/header.csv --row-offset \$(( ({#} - 1) * $n )) --no-header -"
	} >"$tmp/parallel"
	if cmp -s "$tmp/single" "$tmp/parallel"; then pass=$((pass + 1)); else
		echo "FAIL GNU parallel run differs from a single run"; diff "$tmp/single" "$tmp/parallel" | head; fail=$((fail + 1)); fi
else
	echo "scaling: GNU parallel not installed; its recipe was not run (apt-get install parallel)"
fi
echo "scaling: $pass passed, $fail failed"
[ $fail -eq 0 ]
