#!/bin/sh
# Command-line tests against golden files.
#
# Each directory tests/cli/<case>/ holds:
#   cmd        the arguments after `verdict` (shell words, run in the case dir);
#              a case that needs a script begins with `--version >/dev/null 2>&1`
#              (a run that does nothing here) and goes on with shell lines
#   stdin      optional: standard input (else /dev/null)
#   expected   the exact standard output
#   stderr     optional: the exact standard error
#   status     the expected exit status (default 0)
# The program is never piped: its status is checked as it is.
#
# UPDATE=1 tests/cli/run.sh [CASE...] rewrites expected/stderr/status
# from the program's output (of the named cases, or all); review the change
# with `git diff tests/cli` before committing it.  Naming cases also
# restricts an ordinary run to them.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
VERDICT="$top/verdict"
export VERDICT
unset VERDICT_RULES
export TZ=UTC LC_ALL=C.UTF-8
pass=0
fail=0
failed_names=""
cases="$*"
for dir in "$top"/tests/cli/*/; do
	name=$(basename "$dir")
	if [ -n "$cases" ]; then
		case " $cases " in *" $name "*) ;; *) continue ;; esac
	fi
	[ -f "$dir/cmd" ] || continue
	out=$(mktemp) err=$(mktemp)
	input=/dev/null
	[ -f "$dir/stdin" ] && input="$dir/stdin"
	(cd "$dir" && eval "\"\$VERDICT\" $(cat cmd)") <"$input" >"$out" 2>"$err"
	st=$?
	want_st=0
	[ -f "$dir/status" ] && want_st=$(cat "$dir/status")
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$out" "$dir/expected"
		echo "$st" >"$dir/status"
		[ -f "$dir/stderr" ] && cp "$err" "$dir/stderr"
		rm -f "$out" "$err"
		continue
	fi
	ok=1
	if [ "$st" != "$want_st" ]; then
		echo "FAIL $name: exit status $st, expected $want_st"
		sed 's/^/    stderr: /' "$err" | head -5
		ok=0
	fi
	if ! cmp -s "$out" "$dir/expected"; then
		echo "FAIL $name: standard output differs from expected"
		diff -u "$dir/expected" "$out" | head -20 | sed 's/^/    /'
		ok=0
	fi
	if [ -f "$dir/stderr" ] && ! cmp -s "$err" "$dir/stderr"; then
		echo "FAIL $name: standard error differs"
		diff -u "$dir/stderr" "$err" | head -10 | sed 's/^/    /'
		ok=0
	fi
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); failed_names="$failed_names $name"; fi
	rm -f "$out" "$err"
done
[ "${UPDATE:-}" = 1 ] && { echo "golden files rewritten; review with: git diff tests/cli"; exit 0; }
echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ] || { echo "failed:$failed_names"; exit 1; }
