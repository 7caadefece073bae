#!/bin/sh
# A header of 10,000 columns (the toy rule set's six, then c7 .. c10000)
# and two records as wide.
awk 'BEGIN {
	h = "id,form,date,members,linked,kind"
	for (i = 7; i <= 10000; i++) h = h ",c" i
	print h
	a = "A1,ent,2024-03-15,3,yes,a"; b = "A2,ent,2024-03-15,1,no,b"
	for (i = 7; i <= 10000; i++) { a = a "," i; b = b ",x" }
	print a; print b
}'
