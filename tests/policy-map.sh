#!/bin/sh
# docs/policy-map.md is kept in step with the rule files: every rule,
# criterion and parameter the rulebook lists (generated from rules/) must be
# named in the policy map, and every rule id the map names must exist.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
book=$(mktemp)
trap 'rm -f "$book"' EXIT
./verdict rulebook -r rules >"$book" || { echo "policy-map: rulebook failed"; exit 1; }
pass=0 fail=0
for id in $(sed -n 's/^#### \([A-Z][A-Z0-9]*\) .*/\1/p' "$book") \
	  $(sed -n 's/^| \(C[0-9][0-9]*\) .*/\1/p' "$book" | sort -u) \
	  $(awk '/^## Parameters/ {p=1; next} /^## / {p=0} p && /^\| [a-z]/ {print $2}' "$book" | sort -u); do
	if grep -q "\b$id\b" docs/policy-map.md; then
		pass=$((pass + 1))
	else
		echo "FAIL docs/policy-map.md does not mention $id (listed by verdict rulebook)"
		fail=$((fail + 1))
	fi
done
for id in $(grep -o '\b[A-Z][0-9]\b' docs/policy-map.md | sort -u); do
	case $id in C*) grep -q "^| $id " "$book" ;; *) grep -q "^#### $id " "$book" ;; esac
	if [ $? -eq 0 ]; then pass=$((pass + 1)); else
		echo "FAIL docs/policy-map.md names $id, which the rule set does not have"; fail=$((fail + 1)); fi
done
echo "policy-map: $pass passed, $fail failed"
[ $fail -eq 0 ]
