/*
 * nearname — how many edits apart two short names are, for "did you
 * mean": a character put in, left out or changed, or two neighbours
 * swapped; characters, not bytes (成员数 and 成员书 are one edit
 * apart), ASCII case aside, and '_', '-' and ' ' taken as one.
 *
 * Relies on nothing of verdict's own.
 */
#ifndef VERDICT_NEARNAME_H
#define VERDICT_NEARNAME_H

#include <stddef.h>

/* Names longer than this many characters are NEARNAME_FAR from all. */
#define NEARNAME_MAX 40
#define NEARNAME_FAR ((size_t)NEARNAME_MAX)

size_t nearname_distance(const char *a, size_t la, const char *b, size_t lb);

/* The same for two NUL-terminated names. */
size_t nearname_distance_z(const char *a, const char *b);

/* The most edits a name of len bytes may be from the one meant: one for a
 * short name (four characters or fewer) or one beyond ASCII (开业检查日期,
 * whose characters each say more), two for a longer one. */
size_t nearname_allowed(const char *name, size_t len);

#endif
