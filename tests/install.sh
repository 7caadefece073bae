#!/bin/sh
# make install honours PREFIX and DESTDIR, and the installed verdict finds
# the installed rule set when neither -r, $VERDICT_RULES nor ./rules names one.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
make -s -C "$top" install DESTDIR="$tmp/stage" PREFIX=/opt/verdict >/dev/null || fail=1
for f in bin/verdict share/man/man1/verdict.1 share/verdict/rules/application.lua share/verdict/rules/tests/application.csv; do
	[ -e "$tmp/stage/opt/verdict/$f" ] || { echo "FAIL install: $f not installed"; fail=1; }
done
mkdir -p "$tmp/elsewhere"
out=$(cd "$tmp/elsewhere" && env -u VERDICT_RULES "$tmp/stage/opt/verdict/bin/verdict" check -q --as-of 2025-06-30 "$top/fixtures/applications.csv" | sed -n 2p)
case $out in
	1,2,SQ-2024-001,application,SELECTED,*) ;;
	*) echo "FAIL install: the installed verdict did not find its rules (got: $out)"; fail=1 ;;
esac
if [ $fail -eq 0 ]; then echo "install: 1 passed, 0 failed"; else echo "install: 0 passed, 1 failed"; fi
exit $fail
