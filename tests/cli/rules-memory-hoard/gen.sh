#!/bin/sh
# Records with a 5000-byte extra cell (pad): the engine pushes it into the
# Lua state before each record's rules run.
awk 'BEGIN {
	pad = sprintf("%5000s", ""); gsub(/ /, "p", pad)
	print "id,n,pad"
	for (i = 1; i <= 4; i++) print "H" i "," i "," pad
}'
