#!/bin/sh
# --jobs N gives byte-identical output to one process: on every fixture
# (csv and jsonl) and on a generated 100,000-row file; the id memory's cap.
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
# From standard input: the parent parses, the workers get records in batches.
agree() {   # name: $tmp/two and two.err the same as $tmp/one and one.err
	if cmp -s "$tmp/one" "$tmp/two" && cmp -s "$tmp/one.err" "$tmp/two.err"; then
		pass=$((pass + 1))
	else
		echo "FAIL $1: --jobs 2 differs from one process"
		fail=$((fail + 1))
	fi
}
for f in applications evaluations; do
	$V check -q -r rules --as-of 2025-06-30 - <"fixtures/$f.csv" >"$tmp/one" 2>"$tmp/one.err"
	$V check -q -r rules --as-of 2025-06-30 --jobs 2 - <"fixtures/$f.csv" >"$tmp/two" 2>"$tmp/two.err"
	agree "$f from stdin"
done
# From a pipe: copied to a temporary file first, then read as a file is
# (cut into chunks for the workers): the same bytes as one process.
for f in applications evaluations; do
	$V check -q -r rules --as-of 2025-06-30 "fixtures/$f.csv" >"$tmp/one" 2>"$tmp/one.err"
	cat "fixtures/$f.csv" | $V check -q -r rules --as-of 2025-06-30 --jobs 2 - >"$tmp/two" 2>"$tmp/two.err"
	agree "$f from a pipe"
done
$V check -q -r rules --as-of 2025-06-30 --encoding gb18030 fixtures/applications-gb18030.csv >"$tmp/one" 2>"$tmp/one.err"
cat fixtures/applications-gb18030.csv |
	$V check -q -r rules --as-of 2025-06-30 --encoding gb18030 --jobs 2 - >"$tmp/two" 2>"$tmp/two.err"
agree "gb18030 from a pipe (not copied: no UTF-8 check)"
# A FIFO named as the input, with two jobs: the early check leaves it
# alone (it opened and closed it, so that its writer died of SIGPIPE and
# the run then waited for ever for another), and it is copied and read as
# a file.
mkfifo "$tmp/in.fifo"
$V check -q -r rules --as-of 2025-06-30 fixtures/applications.csv >"$tmp/one" 2>"$tmp/one.err"
cat fixtures/applications.csv >"$tmp/in.fifo" &
writer=$!
VERDICT_EARLY_CHECK_MIN=1 timeout 30 $V check -q -r rules --as-of 2025-06-30 --jobs 2 "$tmp/in.fifo" \
	>"$tmp/two" 2>"$tmp/two.err"
kill $writer 2>/dev/null   # still waiting if the FIFO was never opened
agree "a FIFO with --jobs 2"
mkdir -p tests/cli/out
cc -O2 -o tests/cli/out/gen_records tools/gen_records.c 2>/dev/null || { echo "FAIL cannot build tools/gen_records.c"; exit 1; }
tests/cli/out/gen_records application 100000 >"$tmp/gen.csv"
tests/cli/out/gen_records application 20000 >"$tmp/gen20k.csv"
same "generated 100000 rows" "$tmp/gen.csv"
# The early check's thread marks where to cut as it reads (a mark every
# quarter chunk); with chunks of 256 bytes, a mark a record: more than it
# holds for the parent (EARLY_MARKS_MAX) while the parent waits for the
# check's answer, so the parent cuts the rest by reading the file itself.
# With chunks of 8 MB, a chunk's output outgrows the 4 MiB the worker
# shares with the parent and comes through the pipe instead.
$V check -q -r rules --as-of 2025-06-30 "$tmp/gen.csv" >"$tmp/one" 2>"$tmp/one.err"
for size in 4096 256 8000000; do
	VERDICT_CHUNK_BYTES=$size $V check -q -r rules --as-of 2025-06-30 --jobs 2 "$tmp/gen.csv" \
		>"$tmp/two" 2>"$tmp/two.err"
	agree "generated rows in chunks of $size bytes"
done
# A file this large (over 8 MB) has its UTF-8 checked by a child while the
# rules load: a bad byte near the end is refused as with one process (the
# same message, nothing written), and a byte-order mark is let through.
{ cat "$tmp/gen.csv"; printf 'SQ-X,\377\376,broken\n'; } >"$tmp/bad.csv"
same "generated rows, a bad byte at the end" "$tmp/bad.csv"
if [ -s "$tmp/two" ] || ! grep -q "row 100001 (line 100002): not valid UTF-8 (byte 0xFF)" "$tmp/two.err"; then
	echo "FAIL bad byte with --jobs 2: expected no output and the row and line named"
	fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
# With --jobs the workers start before the check has answered; a "not
# valid" throws their work away.  A bad byte in the first chunk, and one
# in the header (which also makes the header fit no decision: the
# refusal comes first, as with one process); -o names no file afterwards.
{ head -n 3 "$tmp/gen.csv"; printf 'SQ-Y,\377,broken\n'; tail -n +4 "$tmp/gen.csv"; } >"$tmp/bad-early.csv"
same "generated rows, a bad byte on line 4" "$tmp/bad-early.csv"
{ printf 'applicant\377_id,'; cat "$tmp/gen.csv"; } >"$tmp/bad-header.csv"
same "generated rows, a bad byte in the header" "$tmp/bad-header.csv"
rm -f "$tmp/refused.csv"
$V check -q -r rules --as-of 2025-06-30 --jobs 2 -o "$tmp/refused.csv" "$tmp/bad-early.csv" 2>"$tmp/two.err"
s2=$?
if [ $s2 != 2 ] || [ -e "$tmp/refused.csv" ] || ! grep -q "row 3 (line 4): not valid UTF-8" "$tmp/two.err" ||
   ! grep -q "line 1 (the header): not valid UTF-8" "$tmp/one.err"; then
	echo "FAIL early bad byte with --jobs 2 -o: expected status 2, no file, row 3 (line 4) named (status $s2)"
	fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
# The same file from a pipe, with two jobs: refused the same way, nothing
# written; and the rows without the bad one, the same as from the file.
cat "$tmp/bad.csv" | $V check -q -r rules --as-of 2025-06-30 --jobs 2 - >"$tmp/two" 2>"$tmp/two.err"
s2=$?
if [ $s2 != 2 ] || [ -s "$tmp/two" ] ||
   ! grep -q "<stdin>: row 100001 (line 100002): not valid UTF-8 (byte 0xFF)" "$tmp/two.err"; then
	echo "FAIL bad byte from a pipe with --jobs 2: expected status 2, no output, the row and line named (status $s2)"
	fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
$V check -q -r rules --as-of 2025-06-30 "$tmp/gen.csv" >"$tmp/one" 2>"$tmp/one.err"
cat "$tmp/gen.csv" | $V check -q -r rules --as-of 2025-06-30 --jobs 2 - >"$tmp/two" 2>"$tmp/two.err"
agree "generated rows from a pipe"
# Broken quotes (a stray quote after a closing one, a quote never
# closed, a lone quote on a line of its own) cost the record they are in
# and no other: the parity of quotes the cuts go by is then wrong, and
# the parent reads on by itself where a worker ends inside a record.
awk -F, 'NR > 1 && NR % 97 == 0 { sub(/^[^,]*,[^,]*,/, $1 ",\"ab\"c,") }
	NR > 1 && NR % 211 == 0 { sub(/^[^,]*,[^,]*,/, $1 ",\"never closed,") }
	{ print }
	NR > 1 && NR % 503 == 0 { print "\"" }' "$tmp/gen20k.csv" >"$tmp/quotes.csv"
same "generated rows with broken quotes" "$tmp/quotes.csv"
for size in 256 4096; do
	VERDICT_CHUNK_BYTES=$size $V check -q -r rules --as-of 2025-06-30 --jobs 2 "$tmp/quotes.csv" \
		>"$tmp/two" 2>"$tmp/two.err"
	agree "generated rows with broken quotes in chunks of $size bytes"
done
# Every line of it is a record of its own (20,000 and the 39 lone
# quotes), and every id of the file without the broken quotes is there.
cut -d, -f3 "$tmp/one" | sort >"$tmp/ids.broken"
$V check -q -r rules --as-of 2025-06-30 "$tmp/gen20k.csv" | cut -d, -f3 | sort >"$tmp/ids.clean"
if [ "$(($(wc -l <"$tmp/one") - 1))" = 20039 ] && [ -z "$(comm -23 "$tmp/ids.clean" "$tmp/ids.broken")" ] &&
   [ "$(grep -c 'stray quote in cell 2' "$tmp/one")" -gt 190 ] &&
   [ "$(grep -c 'unterminated quoted field in cell 2' "$tmp/one")" -gt 80 ] &&
   [ "$(grep -c 'unterminated quoted field in cell 1' "$tmp/one")" = 39 ]; then
	pass=$((pass + 1))
else
	echo "FAIL broken quotes: expected 20039 records, none of the clean file's ids lost"
	fail=$((fail + 1))
fi
# A pipe read as it comes (--encoding) with those broken quotes: the same
# records as the file, the reader reading lines again from the bytes it
# keeps of the record (lookback.c) where it seeks back in a file.
$V check -q -r rules --as-of 2025-06-30 "$tmp/quotes.csv" >"$tmp/one" 2>"$tmp/one.err"
for j in 1 2; do
	cat "$tmp/quotes.csv" | $V check -q -r rules --as-of 2025-06-30 --encoding utf-8 --jobs $j - \
		>"$tmp/two" 2>"$tmp/two.err"
	agree "generated rows with broken quotes from a pipe read as it comes, --jobs $j"
done
# The output's reader gone (| head -1): one job and two end alike, by
# SIGPIPE (status 141 in the shell), nothing said, and at once: the last
# record repeats the first's id, whose warning would come only once the
# whole file had been read; also with a quote never closed on line 4,
# after which the parent may read on by itself (SIGPIPE, ignored while
# there are workers, is put back when they are done). A write that fails
# (a full disk) is said, and no summary follows it: exit 2.
{ head -n 3 "$tmp/gen.csv"; printf 'SQ-Q,"never closed\n'; tail -n +4 "$tmp/gen.csv"; head -n 2 "$tmp/gen.csv" | tail -n 1; } \
	>"$tmp/gone.csv"
for j in 1 2; do
	for f in gen gone; do
		{ $V check -r rules --as-of 2025-06-30 --jobs $j "$tmp/$f.csv" 2>"$tmp/gone.err"; echo $? >"$tmp/gone.st"; } |
			head -1 >/dev/null
		if [ "$(cat "$tmp/gone.st")" = 141 ] && [ ! -s "$tmp/gone.err" ]; then pass=$((pass + 1)); else
			echo "FAIL reader gone, --jobs $j, $f.csv: status $(cat "$tmp/gone.st"), said: $(head -c 200 "$tmp/gone.err")"
			fail=$((fail + 1))
		fi
	done
	for fmt in csv jsonl; do
		[ -w /dev/full ] || continue
		$V check -r rules --as-of 2025-06-30 --jobs $j --format $fmt -o /dev/full "$tmp/gen.csv" 2>"$tmp/full.err"
		st=$?
		if [ $st = 2 ] && [ "$(cat "$tmp/full.err")" = "verdict: cannot write '/dev/full': No space left on device" ]; then
			pass=$((pass + 1))
		else
			echo "FAIL full disk, --jobs $j, $fmt: status $st, said: $(head -c 300 "$tmp/full.err")"
			fail=$((fail + 1))
		fi
	done
done
# A quote never closed half way through: no record boundary after it,
# so the parent reads the rest itself, once the chunks handed out before
# it are merged (they were dropped once it read on: records lost), rather
# than give a worker the rest as one chunk (whose output, some 500 MB
# with jsonl here, was held whole to be merged).
{ head -n 50000 "$tmp/gen.csv"; printf 'SQ-H,"never closed\n'; tail -n +50001 "$tmp/gen.csv"; } >"$tmp/half.csv"
same "a quote never closed half way" "$tmp/half.csv"
same "a quote never closed half way, jsonl" --format jsonl "$tmp/half.csv"
for size in 4096 65536; do
	$V check -q -r rules --as-of 2025-06-30 "$tmp/half.csv" >"$tmp/one" 2>"$tmp/one.err"
	VERDICT_CHUNK_BYTES=$size $V check -q -r rules --as-of 2025-06-30 --jobs 2 "$tmp/half.csv" \
		>"$tmp/two" 2>"$tmp/two.err"
	agree "a quote never closed half way, chunks of $size bytes"
done
{ printf '\357\273\277'; cat "$tmp/gen.csv"; } >"$tmp/bom.csv"
same "generated rows after a byte-order mark" "$tmp/bom.csv"
$V check -q -r rules --as-of 2025-06-30 - <"$tmp/gen.csv" >"$tmp/one" 2>/dev/null
$V check -q -r rules --as-of 2025-06-30 --jobs 2 - <"$tmp/gen.csv" >"$tmp/two" 2>/dev/null
if cmp -s "$tmp/one" "$tmp/two"; then pass=$((pass + 1)); else
	echo "FAIL generated 100000 rows from stdin: --jobs 2 differs from one process"
	fail=$((fail + 1))
fi
# From standard input in jsonl: a batch of 512 records is a job larger
# than a pipe holds, and its trace (some 5 MB) outgrows the slot and comes
# through the pipe; the parent reads results while it waits to hand out a
# job (before, the two waited on each other for ever).
$V check -q -r rules --as-of 2025-06-30 --format jsonl - <"$tmp/gen.csv" >"$tmp/one" 2>"$tmp/one.err"
timeout 120 $V check -q -r rules --as-of 2025-06-30 --format jsonl --jobs 2 - <"$tmp/gen.csv" >"$tmp/two" 2>"$tmp/two.err"
agree "generated rows from stdin, jsonl"
# Jobs go to whichever worker has room, not in turn: four workers on two
# cores, chunks of 64 KB.
$V check -q -r rules --as-of 2025-06-30 "$tmp/gen.csv" >"$tmp/one" 2>"$tmp/one.err"
VERDICT_CHUNK_BYTES=65536 $V check -q -r rules --as-of 2025-06-30 --jobs 4 "$tmp/gen.csv" >"$tmp/two" 2>"$tmp/two.err"
agree "generated rows, 4 workers"
# A worker that dies (VERDICT_WORKER_EXIT_AT=k: the first worker exits
# when handed its job k) loses nothing: the parent runs the jobs it held.
for k in 0 1 5; do
	VERDICT_WORKER_EXIT_AT=$k VERDICT_CHUNK_BYTES=200000 $V check -q -r rules --as-of 2025-06-30 --jobs 2 \
		"$tmp/gen.csv" >"$tmp/two" 2>"$tmp/two.err"
	agree "generated rows, the first worker gone at its job $k"
done
$V check -q -r rules --as-of 2025-06-30 - <"$tmp/gen.csv" >"$tmp/one" 2>"$tmp/one.err"
VERDICT_WORKER_EXIT_AT=3 $V check -q -r rules --as-of 2025-06-30 --jobs 3 - <"$tmp/gen.csv" >"$tmp/two" 2>"$tmp/two.err"
agree "generated rows from stdin, the first of 3 workers gone at its job 3"
# A worker the host gives less time (VERDICT_WORKER_SLOW_US: the first
# worker sleeps 20 ms before each job, far longer than a job of 64 KB
# takes, even under the sanitizers) holds the others back only as far as
# the result slots reach: with four slots a worker, the other ran 74 of
# 96 jobs (with two, 57: it waited for the slow one's jobs to be
# merged); the output is the same.
$V check -q -r rules --as-of 2025-06-30 "$tmp/gen20k.csv" >"$tmp/one" 2>"$tmp/one.err"
VERDICT_WORKER_SLOW_US=20000 VERDICT_WORKERS_REPORT=1 VERDICT_CHUNK_BYTES=65536 \
	$V check -q -r rules --as-of 2025-06-30 --jobs 2 "$tmp/gen20k.csv" >"$tmp/two" 2>"$tmp/two.err"
shared=$(sed -n 's/^workers: jobs //p' "$tmp/two.err")
sed -i '/^workers: jobs /d' "$tmp/two.err"
agree "generated rows, the first worker slow"
set -- $shared
if [ $# = 2 ] && [ $(($1 * 10)) -lt $((($1 + $2) * 3)) ]; then pass=$((pass + 1)); else
	echo "FAIL the first worker slow: expected it to run under 30% of the jobs, got '$shared'"
	fail=$((fail + 1))
fi
# Past the id memory's cap (524,288 ids) the warning is given once, and a
# repeat of an early id is still found: with one process and with two.
mkdir -p "$tmp/ids"
cat >"$tmp/ids/app.lua" <<'EOF'
ruleset { name = "ids", version = "1" }
decision "app" {
  title = { en = "Ids", zh = "编号" },
  id_column = "id",
  columns = {
    column "id" { zh = "编号", type = "string", required = true, unique = true },
    column "linked" { zh = "关联", type = "bool" },
  },
  rules = { rule "L1" { clause = "一", when = is_true "linked" } },
  verdicts = {
    verdict "REJECTED" { when = any_deciding_failed(), en = "{reasons}", zh = "{reasons}" },
    verdict "OK" { when = always(), en = "all good", zh = "通过" },
  },
}
EOF
awk 'BEGIN { print "id,linked"; for (i = 1; i <= 524300; i++) printf "T%d,yes\n", i; print "T5,no" }' >"$tmp/many.csv"
cat >"$tmp/many.want" <<EOF
verdict: warning: $tmp/many.csv: row 524289: more than 524288 ids; repeated ids are checked against the first 524288 only (memory stays flat)
verdict: warning: $tmp/many.csv: row 524301 (line 524302): id 'T5' repeats row 5; both records are evaluated
EOF
for j in 1 2; do
	$V check -q -r "$tmp/ids" --jobs $j "$tmp/many.csv" >/dev/null 2>"$tmp/many.err"
	if cmp -s "$tmp/many.want" "$tmp/many.err"; then pass=$((pass + 1)); else
		echo "FAIL id cap, --jobs $j: warnings differ:"
		diff "$tmp/many.want" "$tmp/many.err" | head -5
		fail=$((fail + 1))
	fi
done
echo "jobs: $pass passed, $fail failed"
[ $fail -eq 0 ]
