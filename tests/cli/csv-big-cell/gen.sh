#!/bin/sh
# A CSV for the toy rule set whose record A1 has a cell of 10 MB (10485760
# bytes) in the extra column notes; A2 is ordinary.  Generated here rather
# than committed; cmd pipes it into verdict.
printf 'id,form,date,members,linked,kind,notes\nA1,ent,2024-03-15,3,yes,a,'
head -c 10485760 /dev/zero | tr '\0' x
printf '\nA2,ent,2024-03-15,3,yes,b,short\n'
