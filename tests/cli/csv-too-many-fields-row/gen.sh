#!/bin/sh
# A record of 20,001 fields (more than csvin's limit of 20,000) between
# two ordinary ones.
awk 'BEGIN {
	print "id,form,date,members,linked,kind"
	print "A1,ent,2024-03-15,3,yes,a"
	r = "A2,ent,2024-03-15,3,yes,a"
	for (i = 7; i <= 20001; i++) r = r ","
	print r
	print "A3,ent,2024-03-15,3,yes,b"
}'
