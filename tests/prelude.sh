#!/bin/sh
# The engine's Lua prelude compiled from its text at start-up
# (VERDICT_PRELUDE_TEXT=1) behaves as the prelude compiled at build time,
# which verdict loads by default (src/prelude.h): the whole command-line
# golden suite (tests/cli/) passes again with it, outputs, messages and
# statuses byte for byte.  tests/unit/test_prelude.c checks that the
# compiled prelude is the one loaded by default.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
VERDICT_PRELUDE_TEXT=1 "$top/tests/cli/run.sh" >"$out" 2>&1
st=$?
sed 's/^cli:/prelude from text, cli:/' "$out"
exit $st
