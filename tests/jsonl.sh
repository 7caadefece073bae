#!/bin/sh
# The JSON Lines output of `verdict check --format jsonl` (contract section
# 4, issue 4 item 4), validated line by line by a strict RFC 8259 parser
# written for the purpose, tools/jsoncheck.c (built here into the
# git-ignored tests/cli/out/):
#   - every fixture, in English and in Chinese, and the GB18030 fixture with
#     --encoding gb18030;
#   - hostile cells on standard input (control characters, quotes,
#     backslashes, U+2028/2029, a NUL byte, invalid UTF-8 read with an
#     explicit --encoding utf-8, invalid GB18030 with --encoding gb18030),
#     so that the escaping is exercised: invalid UTF-8 must never reach the
#     output, control characters must come out escaped;
#   - every line must be one JSON object with the fields row, line, id,
#     decision, verdict, score, grade, failed, missing, reason,
#     rules_digest, as_of, rules; one line per input record, rows in order.
# The validator is first checked on lines it must accept and lines it must
# refuse, so that a validator accepting anything cannot pass.
# Prints "jsonl: N passed, N failed" (N = JSON lines, plus one failure per
# broken run-level check) and exits 1 on any failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
V=./verdict
out=tests/cli/out
mkdir -p "$out"
JC=$out/jsoncheck
${CC:-cc} -O2 -o "$JC" tools/jsoncheck.c || { echo "jsonl: cannot build tools/jsoncheck.c"; exit 2; }
FIELDS=row,line,id,decision,verdict,score,grade,failed,missing,reason,rules_digest,as_of,rules
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

problem() {   # a run-level failure
	echo "FAIL $*"
	fail=$((fail + 1))
}

# ---- the validator itself ------------------------------------------------
printf '%s\n' '{}' '[]' '0' '-0.5e+10' '{"a":[1,2,{"b":null}],"c":true,"d":false}' \
	'"\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t"' ' [ ] ' '"中文"' >"$tmp/good"
if ! "$JC" "$tmp/good" 2>"$tmp/err"; then
	problem "jsoncheck refuses valid JSON:"; sed 's/^/    /' "$tmp/err"
fi
{
	printf '%s\n' '' '{"a":1,}' '[1,]' '01' '1.' '.5' '+1' '1e' 'tru' 'NaN' "{'a':1}" \
		'{"a" 1}' '{"a":1 "b":2}' '{"a":1}{}' '[1 2]' '{"a":1,"a":2}' '"abc' '{"a":1' \
		'"\x"' '"\u12G4"' '"\ud800"' '"\udc00"' '"\ud800\u0041"'
	printf '"tab\there"\n"\303\050"\n"\340\200\257"\n"\355\240\200"\n"\364\220\200\200"\n'
	printf '"\300\257"\n"\200"\n"\377"\n"\344\270"\n\357\273\277{}\n"nul\000x"\n\303\251\n'
} >"$tmp/bad"
nbad=$(wc -l <"$tmp/bad")
"$JC" "$tmp/bad" 2>"$tmp/err"
st=$?
nerr=$(cut -d: -f2 "$tmp/err" | sort -u | wc -l)
if [ $st -ne 1 ] || [ "$nerr" -ne "$nbad" ]; then
	problem "jsoncheck: exit $st and $nerr of $nbad invalid lines reported"
fi
printf '{"a":1}\n[1]\n' | "$JC" -f a,b 2>"$tmp/err"
[ $? -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 2 ] || problem "jsoncheck -f does not report missing members"

# ---- verdict's output ----------------------------------------------------
# validate NAME RECORDS WANT_STATUS [verdict check arguments...]
# (standard input is passed on to verdict)
validate() {
	name=$1 records=$2 want=$3
	shift 3
	"$V" check -q -r rules --as-of 2025-06-30 --format jsonl "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ $st -ne "$want" ]; then
		problem "$name: exit status $st, expected $want"
		sed 's/^/    /' "$tmp/err" | head -5
	fi
	lines=$(wc -l <"$tmp/out")
	if [ "$lines" -ne "$records" ]; then
		problem "$name: $lines lines for $records input records"
	fi
	if [ -s "$tmp/out" ] && [ "$(tail -c 1 "$tmp/out" | od -An -c | tr -d ' ')" != '\n' ]; then
		problem "$name: the last line does not end in a newline"
	fi
	# rows 1..N in input order
	rows=$(awk '{ if (match($0, /"row":[0-9]+/)) print substr($0, RSTART + 6, RLENGTH - 6); else print "?" }' "$tmp/out" | tr '\n' ' ')
	seq_rows=$(awk -v n="$lines" 'BEGIN { for (i = 1; i <= n; i++) printf "%d ", i }')
	[ "$rows" = "$seq_rows" ] || problem "$name: rows not 1..$lines in order: $rows"
	"$JC" -f "$FIELDS" "$tmp/out" 2>"$tmp/jerr"
	nbadl=$(cut -d: -f2 "$tmp/jerr" | sort -u | grep -c .)
	if [ "$nbadl" -gt 0 ]; then
		echo "FAIL $name: $nbadl of $lines lines invalid or incomplete:"
		sed "s|^$tmp/out|    $name|" "$tmp/jerr" | head -10
	fi
	fail=$((fail + nbadl))
	pass=$((pass + lines - nbadl))
}

records() {   # the number of records of a fixture, from its expected file
	echo $(($(wc -l <"fixtures/expected/$1.csv") - 1))
}

for f in applications preparatory evaluations; do
	n=$(records $f)
	validate "$f" "$n" 1 "fixtures/$f.csv"
	validate "$f --lang zh" "$n" 1 --lang zh "fixtures/$f.csv"
	validate "$f via stdin" "$n" 1 - <"fixtures/$f.csv"
done
validate "applications-gb18030" "$(records applications)" 1 --encoding gb18030 fixtures/applications-gb18030.csv
validate "applications-gb18030 --lang zh" "$(records applications)" 1 --encoding gb18030 --lang zh \
	fixtures/applications-gb18030.csv

# Hostile cells: the first fixture record with its id, name and some other
# cells replaced.  Octal escapes: \001 \002 \037 \177 control characters,
# \342\200\250 U+2028, \357\273\277 U+FEFF, \360\237\230\200 U+1F600,
# \377\376 \303\050 \355\240\200 \300\257 \344\270 invalid UTF-8, \033 ESC.
head -n 1 fixtures/applications.csv >"$tmp/header"
base=$(sed -n 2p fixtures/applications.csv | cut -d, -f3-)   # from org_form on
{
	cat "$tmp/header"
	printf 'CTRL-\001\002\037\177,tab\there,%s\r\n' "$base"
	printf '"Q""uote\\back/slash","multi\nline\r\nname",%s\r\n' "$base"
	printf 'U2028-\342\200\250-\342\200\251-\357\273\277-\360\237\230\200,name,%s\r\n' "$base"
	printf 'BADUTF8-\377\376,\303\050 bad,%s\r\n' "$base"
	printf 'SURROGATE-\355\240\200,name,%s\r\n' "$base"
	printf 'OVERLONG-\300\257,name,%s\r\n' "$base"
	printf 'TRUNCATED,name \344\270,%s\r\n' "$base"
	printf 'ESC-\033[31m,nul \000 byte,%s\r\n' "$base"
	# a control character in a count, and backspace, form feed, a quote,
	# two backslashes and \001 in the industry (echoed in the reason)
	soh=$(printf '\001') bs=$(printf '\010') ff=$(printf '\014')
	sed -n 2p fixtures/applications.csv |
		sed "s/^SQ-2024-001,/BADCOUNT,/; s/,3,4,6,/,\"x${soh}y\",4,6,/; s/\$/\r/"
	sed -n 2p fixtures/applications.csv |
		sed "s/^SQ-2024-001,/INDUSTRY,/; s/,integrated_circuits,/,\"${bs}${ff}\"\"\\\\\\\\ ${soh}\",/; s/\$/\r/"
} >"$tmp/hostile.csv"
validate "hostile cells, --encoding utf-8, stdin" 10 1 --encoding utf-8 - <"$tmp/hostile.csv"
validate "hostile cells, --encoding utf-8, --lang zh" 10 1 --encoding utf-8 --lang zh "$tmp/hostile.csv"
# Invalid UTF-8 without --encoding: refused, nothing written, exit 2.
"$V" check -q -r rules --as-of 2025-06-30 --format jsonl - <"$tmp/hostile.csv" >"$tmp/out" 2>"$tmp/err"
st=$?
if [ $st -ne 2 ] || [ -s "$tmp/out" ] || ! grep -q 'line 7' "$tmp/err" || ! grep -q -- '--encoding gb18030' "$tmp/err"; then
	problem "invalid UTF-8 without --encoding: exit $st, $(wc -c <"$tmp/out") bytes out, stderr: $(head -c 200 "$tmp/err")"
fi
# Invalid GB18030 (\200 and \377 are no GB18030 lead bytes) and control
# characters, read with --encoding gb18030.
{
	head -n 3 fixtures/applications-gb18030.csv
	sed -n 2p fixtures/applications-gb18030.csv | sed 's/^SQ-2024-001,/GB-BAD-\o200\o377,/'
	sed -n 2p fixtures/applications-gb18030.csv | sed 's/^SQ-2024-001,/GB-CTRL-\o001\o037,/'
} >"$tmp/hostile-gb.csv"
validate "hostile cells, --encoding gb18030, stdin" 4 1 --encoding gb18030 - <"$tmp/hostile-gb.csv"

echo "jsonl: $pass passed, $fail failed"
[ $fail -eq 0 ]
