#!/bin/sh
# --jobs on a file hands the workers raw chunks cut at record boundaries
# (src/chunks.c); the output must still be byte-identical to one process,
# stderr included.  VERDICT_CHUNK_BYTES makes the chunks small, so that
# these small inputs are cut in many places: inside quoted cells with
# line breaks, at CRLF, next to stray quotes (a wrong guess the workers
# catch, then the parent reads on itself), with lone CR line ends (no cut
# at all), with and without a last line end, a BOM (UTF-8's, GB18030's),
# --header-from.
# Each case twice: cut by the parent, which reads the file, and cut where
# the early UTF-8 check's thread marked record ends (src/early_check.c;
# VERDICT_EARLY_CHECK_MIN=1 has it run on these small files too).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
V=./verdict
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
same() {   # name, file, verdict arguments...
	name=$1 file=$2
	shift 2
	$V check -q -r rules --as-of 2025-06-30 "$@" "$file" >"$tmp/one" 2>"$tmp/one.err"
	s1=$?
	for early in "" 1; do
		for size in 1 7 64 333 4096; do
			VERDICT_EARLY_CHECK_MIN=$early VERDICT_CHUNK_BYTES=$size \
				$V check -q -r rules --as-of 2025-06-30 --jobs 2 "$@" "$file" >"$tmp/two" 2>"$tmp/two.err"
			s2=$?
			if [ $s1 = $s2 ] && cmp -s "$tmp/one" "$tmp/two" && cmp -s "$tmp/one.err" "$tmp/two.err"; then
				pass=$((pass + 1))
			else
				echo "FAIL $name (chunks of $size bytes${early:+, marked by the early check}):" \
				     "--jobs 2 differs from one process (status $s1 / $s2)"
				diff "$tmp/one" "$tmp/two" | head -5
				diff "$tmp/one.err" "$tmp/two.err" | head -5
				fail=$((fail + 1))
			fi
		done
	done
}
app=fixtures/applications.csv
same "fixture" "$app"
same "fixture, jsonl" "$app" --format jsonl
same "fixture, zh" "$app" --lang zh
# Blank lines between records: fewer records than lines, so the workers'
# row numbers (one record a line) are wrong after the first and the
# parent renumbers; with --row-offset and --header-from too.
awk 'NR > 1 && NR % 4 == 0 { print "" } { print }' "$app" >"$tmp/blank.csv"
same "blank lines" "$tmp/blank.csv"
same "blank lines, jsonl" "$tmp/blank.csv" --format jsonl
same "blank lines, row offset" "$tmp/blank.csv" --row-offset 1000
tail -n +2 "$tmp/blank.csv" >"$tmp/blank-body.csv"
same "blank lines, header from" "$tmp/blank-body.csv" --header-from "$app"
# Line breaks inside quoted names, and a repeated id (warnings in order).
perl -pe 'if ($. > 1 && $. % 3 == 0) { s/^([^,]*),([^,]*),/$1,"$2\nsecond line, with ""quotes""\n",/ }' \
	"$app" >"$tmp/multiline.csv"
sed -n 5p "$app" >>"$tmp/multiline.csv"
same "quoted line breaks" "$tmp/multiline.csv"
same "quoted line breaks, jsonl" "$tmp/multiline.csv" --format jsonl
# CRLF, and no line end after the last record.
perl -pe 's/\n/\r\n/' "$tmp/multiline.csv" | perl -pe 'chomp if eof' >"$tmp/crlf.csv"
same "CRLF, no last line end" "$tmp/crlf.csv"
# Stray quotes inside unquoted cells: the parity guess goes wrong.
perl -pe 'if ($. > 1 && $. % 4 == 0) { s/^([^,]*),([^,]*),/$1,$2 5" screen,/ }' "$app" >"$tmp/stray.csv"
same "stray quotes" "$tmp/stray.csv"
# A stray quote, then a quoted cell with a line break: the quotes before
# the break are even, yet the break is inside the cell.
perl -pe 'if ($. == 3) { s/^([^,]*),([^,]*),/$1,a"b,/ } if ($. == 4) { s/^([^,]*),([^,]*),/$1,"multi\nline",/ }' \
	"$app" >"$tmp/wrong-guess.csv"
same "a wrong guess" "$tmp/wrong-guess.csv"
# Lone CR line ends: no LF, so no cut; read in one process.
perl -pe 's/\n/\r/' "$app" >"$tmp/cr.csv"
same "lone CR" "$tmp/cr.csv"
# A byte-order mark, blank lines, the GB18030 copy.
{ printf '\357\273\277'; sed '10s/$/\n\n   /' "$app"; } >"$tmp/bom.csv"
same "BOM and blank lines" "$tmp/bom.csv"
same "GB18030" fixtures/applications-gb18030.csv --encoding gb18030
# GB18030's byte-order mark (84 31 95 33): before the header, and before
# records whose header comes from another file (the first chunk starts
# after it).
gb=fixtures/applications-gb18030.csv
{ printf '\204\061\225\063'; cat "$gb"; } >"$tmp/gb-bom.csv"
same "GB18030 after its byte-order mark" "$tmp/gb-bom.csv" --encoding gb18030
{ printf '\204\061\225\063'; sed 1d "$gb"; } >"$tmp/gb-bom-body.csv"
same "GB18030 after its byte-order mark, header from another file" "$tmp/gb-bom-body.csv" \
	--encoding gb18030 --header-from "$gb"
# Chunks without a header (--header-from, --row-offset).
sed 1d "$app" >"$tmp/body.csv"
same "header from another file" "$tmp/body.csv" --header-from "$app" --row-offset 1000
# A bad byte on the last line: refused whole, the line named, nothing
# written (the early check's marks stop at the bad byte).
{ cat "$app"; printf 'SQ-Z,\377,broken\n'; } >"$tmp/bad-late.csv"
same "a bad byte at the end" "$tmp/bad-late.csv"
# Only a header.
head -1 "$app" >"$tmp/header-only.csv"
same "header only" "$tmp/header-only.csv"
echo "chunks: $pass passed, $fail failed"
[ $fail -eq 0 ]
