#!/bin/sh
# A header of 20,001 columns: more than csvin's limit of 20,000 fields.
awk 'BEGIN {
	h = "id,form,date,members,linked,kind"
	for (i = 7; i <= 20001; i++) h = h ",c" i
	print h
	print "A1,ent,2024-03-15,3,yes,a"
}'
