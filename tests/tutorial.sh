#!/bin/sh
# Runs the tutorial docs/writing-rules.md, so that it cannot drift from the
# program.
#
# Every ```sh block of the tutorial is run, in order, with `sh -e`, in one
# temporary directory holding a copy of rules/ and fixtures/, with the
# built ./verdict first on PATH.  A block fails when a command in it fails
# (the tutorial writes a command expected to exit non-zero as
# `verdict ... || echo "exit status $?"`).  An ```output block that follows
# a ```sh block (before the next one) is that block's exact standard
# output; a line holding only `...` in it stands for any number of lines.
#
#   tests/tutorial.sh [FILE.md]     (default docs/writing-rules.md)
#
# Prints each failing block with what went wrong, then
# "tutorial: N passed, N failed".  Exit 1 if any block failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
doc=${1:-$top/docs/writing-rules.md}
[ -f "$doc" ] || { echo "tutorial: no such file: $doc"; exit 2; }
[ -x "$top/verdict" ] || { echo "tutorial: build verdict first (make)"; exit 2; }

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/bin" "$tmp/blocks" "$tmp/work"
ln -s "$top/verdict" "$tmp/bin/verdict"
cp -R "$top/rules" "$top/fixtures" "$tmp/work/" || exit 2
PATH="$tmp/bin:$PATH"
export PATH TZ=UTC LC_ALL=C.UTF-8
unset VERDICT_RULES

# Split the tutorial: blocks/N.sh (the commands of the Nth ```sh block),
# blocks/N.line (the line of the tutorial it starts at), blocks/N.out (its
# ```output block, if any).
awk -v dir="$tmp/blocks" '
	function close_block() { if (file != "") close(file); file = "" }
	/^```sh[ \t]*$/ && file == "" && !skip {
		n++; file = sprintf("%s/%03d.sh", dir, n)
		printf "" > file
		print NR + 1 > sprintf("%s/%03d.line", dir, n); close(sprintf("%s/%03d.line", dir, n))
		next
	}
	/^```output[ \t]*$/ && file == "" && !skip && n > 0 {
		file = sprintf("%s/%03d.out", dir, n)
		printf "" > file
		next
	}
	/^```/ && file != "" { close_block(); next }
	/^```/ && file == "" { skip = !skip; next }
	file != "" { print > file }
' "$doc"

# match EXPECTED ACTUAL: exact, line by line, where a line "..." in
# EXPECTED matches any number of lines of ACTUAL.
match() {
	awk -v expfile="$1" '
		BEGIN { while ((getline l < expfile) > 0) want[++ne] = l }
		{ act[++na] = $0 }
		# Does segment want[s..e] match act at position p?
		function at(s, e, p,   k) {
			if (p + (e - s) > na) return 0
			for (k = s; k <= e; k++) if (want[k] != act[p + k - s]) return 0
			return 1
		}
		END {
			i = 1; p = 1; star = 0
			while (i <= ne) {
				if (want[i] == "...") { star = 1; i++; continue }
				e = i; while (e + 1 <= ne && want[e + 1] != "...") e++
				last = (e == ne)
				if (!star) {
					if (last && p + (e - i) != na) exit 1
					if (!at(i, e, p)) exit 1
				} else if (last) {
					q = na - (e - i)
					if (q < p || !at(i, e, q)) exit 1
					p = q
				} else {
					for (q = p; q <= na && !at(i, e, q); q++) ;
					if (q > na) exit 1
					p = q
				}
				p += e - i + 1; i = e + 1; star = 0
			}
			if (!star && p <= na) exit 1
			exit 0
		}
	' "$2"
}

pass=0 fail=0
for block in "$tmp"/blocks/*.sh; do
	[ -f "$block" ] || continue
	n=${block%.sh}
	line=$(cat "$n.line")
	out="$tmp/out" err="$tmp/err"
	(cd "$tmp/work" && sh -e "$block") >"$out" 2>"$err" </dev/null
	st=$?
	ok=1
	if [ $st -ne 0 ]; then
		echo "FAIL block at $doc:$line: exit status $st"
		ok=0
	elif [ -f "$n.out" ] && ! match "$n.out" "$out"; then
		echo "FAIL block at $doc:$line: standard output differs from the output block"
		diff -u "$n.out" "$out" | head -30 | sed 's/^/    /'
		ok=0
	fi
	if [ $ok = 0 ]; then
		sed 's/^/    $ /' "$block"
		sed 's/^/    stderr: /' "$err" | head -10
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
done
if [ $((pass + fail)) -eq 0 ]; then
	echo "tutorial: no \`\`\`sh block in $doc"
	exit 1
fi
echo "tutorial: $pass passed, $fail failed"
[ $fail -eq 0 ]
