#!/usr/bin/env bash
# shellcheck disable=SC2317  # ge, le, lt are called only through mark
# bench/run.sh — throughput and memory of `verdict check` (issue 7).
# `make bench` runs it.  See docs/performance.md for what the figures mean.
#
# It builds ./verdict and the two tools (tools/gen_records.c,
# tools/parse_floor.c) into bench/out/, generates the synthetic inputs
# there (deterministic: same generator, same bytes), times each measurement
# (best of 3 wall-clock runs, peak RSS from /usr/bin/time -v) and prints one
# table with the issue's targets next to the figures.  It exits 0 whether
# or not the targets are met; 1 when a measurement failed (the table is
# still printed); 2 when nothing could be measured (build failure, rule
# set that does not load).
#
# Environment:
#   BENCH_4M=1          also generate 4,000,000 rows and report their peak RSS
#                       (csv and --jobs 2, one run each; with BENCH_4M_JSONL=1
#                       also --format jsonl)
#   BENCH_RUNS=N        runs per measurement, best kept (default 5), the
#                       measurements taken in turn, run by run
#   BENCH_RULES=DIR     rule set (default: rules)
#   BENCH_AS_OF=DATE    --as-of (default 2025-06-30)
#   BENCH_CALLGRIND=0   skip the callgrind instruction count and profile
#   BENCH_REPEAT_LIMIT=S  a measurement whose first run takes longer than S
#                       seconds is not repeated (default 120; 0 = always
#                       repeat): at that length the run-to-run noise is
#                       far below the differences the table is read for
set -eu
set -o pipefail
export LC_ALL=C

cd "$(dirname "$0")/.."
OUT=bench/out
RUNS=${BENCH_RUNS:-5}
REPEAT_LIMIT=${BENCH_REPEAT_LIMIT:-120}
RULES=${BENCH_RULES:-rules}
AS_OF=${BENCH_AS_OF:-2025-06-30}
CC=${CC:-cc}

say()  { printf 'bench: %s\n' "$*" >&2; }
die()  { printf 'bench: error: %s\n' "$*" >&2; exit 2; }

mkdir -p "$OUT"

# ---------------------------------------------------------------- build
say "building ./verdict (make verdict)"
make --no-print-directory verdict >&2 || die "make verdict failed"

build_tool() {  # name extra-libs...
	local name=$1; shift
	if [ ! -x "$OUT/$name" ] || [ "tools/$name.c" -nt "$OUT/$name" ]; then
		say "compiling tools/$name.c -> $OUT/$name (-O2)"
		"$CC" -O2 -std=c11 -Wall -Wextra -o "$OUT/$name" "tools/$name.c" "$@" \
			|| die "cannot compile tools/$name.c"
	fi
}
# what is measured: the commit the binary was built from (the tree may move
# on while the bench runs)
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src rules 2>/dev/null || echo ' + uncommitted changes in src/ or rules/')"

build_tool gen_records
build_tool parse_floor -lcsv

if [ ! -x /usr/bin/time ]; then
	say "/usr/bin/time is missing: installing the Debian package 'time'"
	apt-get install -y time >&2 || die "could not install 'time' (apt-get install -y time)"
fi

# ---------------------------------------------------------------- inputs
gen() {  # rows file
	local n=$1 f=$2
	if [ ! -s "$f" ] || [ "$OUT/gen_records" -nt "$f" ]; then
		say "generating $f ($n application rows)"
		"$OUT/gen_records" application "$n" > "$f.tmp" && mv "$f.tmp" "$f"
	fi
}
CG_ROWS=20000
gen "$CG_ROWS" "$OUT/app-20k.csv"
gen 200000  "$OUT/app-200k.csv"
gen 1000000 "$OUT/app-1m.csv"
SIZES="200k 1m"
if [ "${BENCH_4M:-0}" = 1 ]; then
	gen 4000000 "$OUT/app-4m.csv"
	SIZES="200k 1m 4m"
fi
# the other two decisions, for anyone who wants to time them by hand
gen_other() {
	local d=$1 f=$2
	if [ ! -s "$f" ] || [ "$OUT/gen_records" -nt "$f" ]; then
		"$OUT/gen_records" "$d" 200000 > "$f.tmp" && mv "$f.tmp" "$f"
	fi
}
gen_other preparatory "$OUT/prep-200k.csv"
gen_other evaluation  "$OUT/eval-200k.csv"

# ---------------------------------------------------------------- sanity
VERDICT=(./verdict check --as-of "$AS_OF" -q -r "$RULES")
say "checking that the rule set loads and every record comes out"
rc=0
"${VERDICT[@]}" -o "$OUT/sanity.csv" "$OUT/app-20k.csv" 2>"$OUT/sanity.err" || rc=$?
if [ "$rc" -ge 2 ]; then
	cat "$OUT/sanity.err" >&2
	die "'./verdict check -r $RULES' exits $rc on $OUT/app-20k.csv: nothing to measure"
fi
lines=$(wc -l < "$OUT/sanity.csv")
[ "$lines" -eq $((CG_ROWS + 1)) ] || say "WARNING: check wrote $lines lines for $CG_ROWS records (expected $((CG_ROWS + 1)))"

HAVE_JOBS=0
if ./verdict check --help 2>&1 | grep -q -- '--jobs'; then HAVE_JOBS=1; fi

# ---------------------------------------------------------------- timing
# run_once KEY cmd... : one timed run; the best wall time (ns) so far ->
# BEST[KEY], the CPU time (user + sys, s) of that run -> C[KEY], max peak
# RSS (KiB) -> KB[KEY], runs so far -> N[KEY]; a failed run empties T[KEY]
# and is not repeated.  finish KEY: T[KEY] (s) and R[KEY] (MiB) from them.
declare -A T R N C BEST KB DEAD
# now: the time (ns) into NOW, from bash's own clock ($EPOCHREALTIME,
# microseconds), read without a process or a subshell: `date +%s%N` is a
# process of its own, and two of them added some 15 ms to every
# measurement on this machine (starting a process is dear here), which
# flattered every ratio to the short parse-only floor.  `date` only for a
# bash older than 5.
now() {
	if [ -n "${EPOCHREALTIME:-}" ]; then
		local t=${EPOCHREALTIME/[.,]/}
		NOW=${t}000
	else
		NOW=$(date +%s%N)
	fi
}
run_once() {
	local key=$1; shift
	local t0 t1 ns kb rc=0
	[ -n "${DEAD[$key]:-}" ] && return 0
	if [ -n "${BEST[$key]:-}" ] && [ "$REPEAT_LIMIT" -gt 0 ] && \
	   [ "${BEST[$key]}" -gt $((REPEAT_LIMIT * 1000000000)) ]; then
		return 0   # its first run took over REPEAT_LIMIT s: not repeated
	fi
	now; t0=$NOW
	/usr/bin/time -v -o "$OUT/time.txt" "$@" >"$OUT/stdout.txt" 2>"$OUT/stderr.txt" || rc=$?
	now; t1=$NOW
	if [ "$rc" -ge 2 ]; then
		say "FAILED ($rc): $*"; sed 's/^/    /' "$OUT/stderr.txt" >&2
		FAILED=1 DEAD[$key]=1
		return 0
	fi
	ns=$((t1 - t0))
	N[$key]=$(( ${N[$key]:-0} + 1 ))
	if [ -z "${BEST[$key]:-}" ] || [ "$ns" -lt "${BEST[$key]}" ]; then
		BEST[$key]=$ns
		C[$key]=$(awk -F': *' '/User time \(seconds\)|System time \(seconds\)/ { c += $2 }
			END { printf "%.2f", c }' "$OUT/time.txt")
	fi
	kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$OUT/time.txt")
	if [ "${kb:-0}" -gt "${KB[$key]:-0}" ]; then KB[$key]=$kb; fi
}
finish() {
	local key=$1
	if [ -n "${DEAD[$key]:-}" ] || [ -z "${BEST[$key]:-}" ]; then
		T[$key]=""; R[$key]=""; C[$key]=""
		return 0
	fi
	if [ "${N[$key]}" -lt "$2" ]; then
		say "$key: first run took over ${REPEAT_LIMIT} s; not repeated (BENCH_REPEAT_LIMIT)"
	fi
	T[$key]=$(awk -v n="${BEST[$key]}" 'BEGIN { printf "%.6f", n / 1e9 }')
	R[$key]=$(awk -v k="${KB[$key]:-0}" 'BEGIN { printf "%.1f", k / 1024 }')
	say "$(printf '%-10s %8.3f s wall  %8s s cpu  %7s MB  (best of %s)' "$key" "${T[$key]}" "${C[$key]}" "${R[$key]}" "${N[$key]}")"
}

# Wall-clock figures mean something only on an otherwise idle machine.
LOAD0=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
if [ "$LOAD0" != "?" ] && awk -v l="$LOAD0" 'BEGIN { exit !(l >= 0.5) }'; then
	say "WARNING: load average is $LOAD0: other processes are using the CPU;"
	say "         wall-clock figures will be low and noisy (instruction counts are not affected)"
fi

# Start-up: the csv command on the header alone (loading and compiling the
# rule set, and the process's own start and end).  With --jobs it is done
# once, before the workers are forked: it bounds what two cores can give.
head -n 1 "$OUT/app-20k.csv" > "$OUT/app-0.csv"
for ((i = 1; i <= 10; i++)); do run_once start "${VERDICT[@]}" -o /dev/null "$OUT/app-0.csv"; done
finish start 10

declare -A ROWS BYTES
SKIPPED_4M_JSONL="" FAILED=""
for s in $SIZES; do
	f="$OUT/app-$s.csv"
	runs=$RUNS
	[ "$s" = 4m ] && runs=1          # 4M: peak RSS only, one run
	say "measuring $f ($runs run(s) each)"
	# the floor is short (a fraction of a second), so its minimum needs
	# more runs to be trustworthy; they cost nothing
	fruns=$runs; [ "$fruns" -lt 10 ] && fruns=10
	for ((i = 1; i <= fruns; i++)); do run_once "floor.$s" "$OUT/parse_floor" "$f"; done
	finish "floor.$s" "$fruns"
	read -r _ rows _ _ _ bytes < "$OUT/stdout.txt" || true
	ROWS[$s]=${rows:-0}; BYTES[$s]=${bytes:-$(wc -c < "$f")}
	# The measurements taken in turn, run by run, not each one's runs in a
	# row: this machine has slow spells of seconds to minutes (other
	# tenants), and a spell then weighs on every measurement alike rather
	# than on one, whose ratio to the others it would skew.
	want_jsonl=1
	if [ "$s" = 4m ] && [ "${BENCH_4M_JSONL:-0}" != 1 ]; then want_jsonl=0; SKIPPED_4M_JSONL=1; fi
	# What two cores give on this machine: two separate one-job checks of
	# the file at once (no --jobs, nothing shared).  Where the cores share
	# a physical core or its caches, that is less than 2x, and --jobs 2
	# cannot do better than it.
	want_pair=0
	if [ "$s" != 4m ] && [ "$(nproc)" -ge 2 ]; then want_pair=1; fi
	for ((i = 1; i <= runs; i++)); do
		run_once "csv.$s" "${VERDICT[@]}" -o /dev/null "$f"
		[ "$want_jsonl" = 1 ] && run_once "jsonl.$s" "${VERDICT[@]}" --format jsonl -o /dev/null "$f"
		[ "$HAVE_JOBS" = 1 ] && run_once "jobs2.$s" "${VERDICT[@]}" --jobs 2 -o /dev/null "$f"
		[ "$want_pair" = 1 ] && run_once "pair.$s" bash -c '"$@" & "$@"; wait' _ "${VERDICT[@]}" -o /dev/null "$f"
	done
	for m in csv jsonl jobs2 pair; do finish "$m.$s" "$runs"; done
done

LOAD1=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")

# ---------------------------------------------------------------- callgrind
# Instructions per record: callgrind on ./verdict itself, 20,000 rows, and
# on the header alone (start-up: loading the rule set).  Where they go:
# Debian's liblua5.4.so is stripped, so the profile is taken from a copy of
# verdict linked with the static liblua5.4.a (same objects, same Lua
# version, with symbols): bench/out/verdict-prof.
IR_TOTAL="" IR_FIXED="" IR_NOTE="" PROF="" IR_JSONL="" IR_MOVSB=""
if [ "${BENCH_CALLGRIND:-1}" = 0 ]; then
	IR_NOTE="skipped (BENCH_CALLGRIND=0)"
elif ! command -v valgrind >/dev/null 2>&1; then
	IR_NOTE="skipped (valgrind not installed)"
else
	say "callgrind: check csv on $OUT/app-20k.csv (a minute or two)"
	ir() {  # out-file input program [more options]
		local rc=0 out=$1 in=$2 prog=$3
		shift 3
		valgrind --tool=callgrind --callgrind-out-file="$out" \
			"$prog" "${VERDICT[@]:1}" "$@" -o /dev/null "$in" 2>"$OUT/callgrind.err" || rc=$?
		[ "$rc" -lt 2 ] || { cat "$OUT/callgrind.err" >&2; return 1; }
		sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$OUT/callgrind.err" | tail -n 1
	}
	IR_TOTAL=$(ir "$OUT/callgrind.check.out" "$OUT/app-20k.csv" ./verdict) || IR_TOTAL=""
	IR_FIXED=$(ir "$OUT/callgrind.empty.out" "$OUT/app-0.csv" ./verdict) || IR_FIXED=""
	[ -n "$IR_TOTAL" ] || IR_NOTE="callgrind run failed (see $OUT/callgrind.err)"
	# jsonl too: its wall-clock ratio to csv is the target, and
	# instructions are the figure this machine's noise does not move.
	say "callgrind: the same with --format jsonl"
	IR_JSONL=$(ir "$OUT/callgrind.jsonl.out" "$OUT/app-20k.csv" ./verdict --format jsonl) || IR_JSONL=""
	# callgrind counts a rep movsb (glibc's copy of a large block, here
	# fwrite's copy of each trace into stdio's buffer) a byte at a time
	IR_MOVSB=""
	if [ -n "$IR_JSONL" ] && command -v callgrind_annotate >/dev/null 2>&1; then
		IR_MOVSB=$(callgrind_annotate "$OUT/callgrind.jsonl.out" 2>/dev/null |
			awk '/mempcpy_avx_unaligned_erms/ { gsub(",", "", $1); n += $1 } END { print n + 0 }')
	fi

	PROF="$OUT/callgrind.check.out"
	lua_a=$(find /usr/lib /usr/local/lib -name 'liblua5.4.a' 2>/dev/null | head -n 1)
	if [ -n "$IR_TOTAL" ] && [ -n "$lua_a" ]; then
		objs="src/prelude_data.o src/prelude_bc.o"   # PRELUDE_OBJS of the Makefile
		for c in src/*.c; do objs="$objs ${c%.c}.o"; done
		# shellcheck disable=SC2086
		if "$CC" -o "$OUT/verdict-prof" $objs "$lua_a" -lcsv -lm -ldl 2>"$OUT/prof-link.err"; then
			say "callgrind: the same with Lua symbols ($OUT/verdict-prof, static $lua_a)"
			ir "$OUT/callgrind.prof.out" "$OUT/app-20k.csv" "$OUT/verdict-prof" >/dev/null \
				&& PROF="$OUT/callgrind.prof.out"
		else
			say "could not link $OUT/verdict-prof (see $OUT/prof-link.err); Lua functions stay unnamed"
		fi
	fi
fi

# ---------------------------------------------------------------- table
num() { awk -v x="$1" 'BEGIN { s = sprintf("%.0f", x); o = "";
	while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
	printf "%s%s", s, o }'; }
f1() { awk -v x="$1" "BEGIN { printf \"%.${2:-1}f\", x }"; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", a / b }'; }
mark() { if "$@"; then printf 'met'; else printf 'MISSED'; fi; }

# The most --jobs 2 could give on this machine, as a ratio to one job:
# start-up once, then each of two processes doing half of what the two
# checks at once did (each a whole file, start-up included, on a core
# shared as the machine shares it), with nothing else to do.
ceiling() {
	local s=$1
	[ -n "${T[pair.$s]:-}" ] && [ -n "${T[csv.$s]:-}" ] && [ -n "${T[start]:-}" ] || return 0
	awk -v c="${T[csv.$s]}" -v p="${T[pair.$s]}" -v z="${T[start]}" \
		'BEGIN { b = z + (p - z) / 2; if (b > 0) printf "%.6f", c / b }'
}

label() {
	case $1 in
	floor) echo "parse-only floor (libcsv)";;
	csv)   echo "check, csv output";;
	jsonl) echo "check --format jsonl";;
	jobs2) echo "check --jobs 2";;
	pair)  echo "2 checks at once (no jobs)";;
	esac
}

host_cpu=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo
echo "verdict bench — $(date -u '+%Y-%m-%d %H:%M UTC') — $(nproc) cores${host_cpu:+ ($host_cpu)}"
echo "commit $COMMIT (when ./verdict was built)"
echo "command: ${VERDICT[*]} [--format jsonl | --jobs 2] -o /dev/null FILE"
echo "  (2 checks at once: two of the csv command started together, the time until both end;"
echo "   --jobs 2 at most: one job's time / (start-up + half of that), start-up = the csv command on the header alone: $(awk -v t="${T[start]:-0}" 'BEGIN { printf "%.3f", t }') s)"
echo "best of $RUNS runs (wall clock; cpu s = user + sys of that run); peak RSS = max over the runs; MB = 10^6 bytes (RSS: MiB)"
echo "load average (1 min) before measuring: $LOAD0; after: $LOAD1"
echo
printf '%-5s %-26s %12s %8s %8s %8s %9s   %-46s %s\n' \
	input measurement rows/s MB/s "x floor" "cpu s" "RSS MB" "target (issue 7)" status
once=""
printf '%s\n' "---------------------------------------------------------------------------------------------------------------------------------------------"
for s in $SIZES; do
	rows=${ROWS[$s]} bytes=${BYTES[$s]}
	tf=${T[floor.$s]}
	for m in floor csv jsonl jobs2 pair; do
		t=${T[$m.$s]} r=${R[$m.$s]}
		target="" status=""
		if [ "$m" = pair ] && [ -z "$t" ]; then
			continue
		elif [ "$m" = pair ]; then
			# two files' rows in that time; compared with one job
			rps=$(num "$(div "$((2 * rows))" "$t")")
			mbs=$(awk -v b="$bytes" -v t="$t" 'BEGIN { printf "%.1f", 2 * b / t / 1e6 }')
			ratio="-" r="-"
			if [ -n "${T[csv.$s]}" ]; then
				target="the machine's own 2-core scaling (not a target)"
				status="$(f1 "$(div "$(awk -v c="${T[csv.$s]}" 'BEGIN { print 2 * c }')" "$t")" 2)x one job"
				cl=$(ceiling "$s")
				[ -n "$cl" ] && status="$status; --jobs 2 at most $(f1 "$cl" 2)x"
			fi
			cs=${C[$m.$s]:-}
			printf '%-5s %-26s %12s %8s %8s %8s %9s   %-46s %s\n' \
				"" "$(label $m)" "$rps" "$mbs" "$ratio" "$cs" "$r" "$target" "$status"
			continue
		elif [ "$m" = jobs2 ] && [ "$HAVE_JOBS" = 0 ]; then
			rps="n/a" mbs="n/a" ratio="n/a" r="n/a"
			[ "$s" = 200k ] && { target=">= 1.8x one job"; status="n/a (no --jobs in check --help)"; }
		elif [ "$m" = jsonl ] && [ "$s" = 4m ] && [ -n "$SKIPPED_4M_JSONL" ]; then
			rps="-" mbs="-" ratio="-" r="not run"
		elif [ -z "$t" ]; then
			rps="failed" mbs="" ratio="" r=""
		elif [ "$s" = 4m ]; then
			rps="-" mbs="-" ratio="-"
		else
			rps=$(num "$(div "$rows" "$t")")
			mbs=$(awk -v b="$bytes" -v t="$t" 'BEGIN { printf "%.1f", b / t / 1e6 }')
			ratio=$(f1 "$(div "$t" "$tf")" 2)
		fi
		if [ "$s" = 200k ] && [ -n "$t" ]; then
			case $m in
			csv)
				target=">= 200,000 rows/s; <= 3x floor"
				status="$(mark ge "$(div "$rows" "$t")" 200000) / $(mark le "$(div "$t" "$tf")" 3)";;
			jsonl)
				if [ -n "${T[csv.$s]}" ]; then
					q=$(div "$t" "${T[csv.$s]}")
					target="<= 2x csv"
					status="$(mark le "$q" 2) ($(f1 "$q" 2)x csv)"
				fi;;
			jobs2)
				if [ -n "${T[csv.$s]}" ]; then
					q=$(div "${T[csv.$s]}" "$t")
					target=">= 1.8x one job"
					cl=$(ceiling "$s")
					status="$(mark ge "$q" 1.8) ($(f1 "$q" 2)x${cl:+; here at most $(f1 "$cl" 2)x})"
				fi;;
			esac
		fi
		if [ "$m" != floor ] && [ -n "$r" ] && [ "$r" != n/a ] && [ "$r" != "not run" ]; then
			rtarget="RSS < 32 MB"
			rstatus=$(mark lt "$r" 32)
			target="${target:+$target; }$rtarget"
			status="${status:+$status / }$rstatus"
		fi
		first=""; [ "$m" = floor ] && first=$s
		[ -n "$t" ] && [ "${N[$m.$s]:-$RUNS}" -lt "$RUNS" ] && [ "$s" != 4m ] && { rps="$rps*"; once=1; }
		cs=${C[$m.$s]:-}; [ "$rps" = n/a ] && cs=n/a; [ "$s" = 4m ] && cs="-"
		printf '%-5s %-26s %12s %8s %8s %8s %9s   %-46s %s\n' \
			"$first" "$(label $m)" "$rps" "$mbs" "$ratio" "$cs" "$r" "$target" "$status"
	done
	printf '%-5s %s\n' "" "($(num "$rows") rows, $(f1 "$(div "$bytes" 1000000)" 1) MB)"
done
[ -n "$once" ] && echo "* one run only: the first took over ${REPEAT_LIMIT} s (BENCH_REPEAT_LIMIT)"
[ "${BENCH_4M:-0}" = 1 ] && echo "4m: one run each, peak RSS only${SKIPPED_4M_JSONL:+ (jsonl not run: BENCH_4M_JSONL=1 runs it)}"
echo "the parse-only floor: best of $((RUNS < 10 ? 10 : RUNS)) runs (it is short)"
echo
if [ -n "$IR_TOTAL" ]; then
	per=$(div "$IR_TOTAL" "$CG_ROWS")
	echo "callgrind, check csv on $(num "$CG_ROWS") rows: $(num "$IR_TOTAL") instructions = $(num "$per") per record"
	if [ -n "$IR_FIXED" ]; then
		echo "  of which start-up (rule loading, header only): $(num "$IR_FIXED");" \
		     "per record without it: $(num "$(div "$((IR_TOTAL - IR_FIXED))" "$CG_ROWS")")"
	fi
	if [ -n "$IR_JSONL" ] && [ -n "$IR_FIXED" ]; then
		jper=$(div "$((IR_JSONL - IR_FIXED))" "$CG_ROWS")
		echo "callgrind, check --format jsonl: $(num "$IR_JSONL") instructions; per record without start-up:" \
		     "$(num "$jper") = $(f1 "$(div "$((IR_JSONL - IR_FIXED))" "$((IR_TOTAL - IR_FIXED))")" 2)x csv"
		if [ -n "$IR_MOVSB" ] && [ "$IR_MOVSB" -gt 0 ]; then
			echo "  of which $(num "$(div "$IR_MOVSB" "$CG_ROWS")") a record are callgrind counting fwrite's copy" \
			     "(rep movsb) a byte at a time; without them" \
			     "$(f1 "$(div "$((IR_JSONL - IR_FIXED - IR_MOVSB))" "$((IR_TOTAL - IR_FIXED))")" 2)x csv"
		fi
	fi
	if command -v callgrind_annotate >/dev/null 2>&1; then
		echo "  top functions of check csv (self instructions, % of all; full list: callgrind_annotate $PROF):"
		callgrind_annotate --threshold=100 "$PROF" 2>/dev/null \
			| awk '/PROGRAM TOTALS/ { next }
			       /^ *[0-9,]+ \([ 0-9.]+%\) +[^ ]/ && n < 10 { n++; print "    " $0 }' \
			| sed 's/ \[[^]]*\]$//'
	fi
else
	echo "callgrind: ${IR_NOTE:-not run}"
fi
if [ -n "$FAILED" ]; then
	say "some measurements failed (see the messages above)"
	exit 1
fi
exit 0
