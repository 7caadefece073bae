/*
 * jsonscan — reading top-level members of one JSON object (a JSON Lines
 * record), enough for `verdict audit` to read back verdict's own output,
 * and checking first that a line is one such object at all.
 * Nested values are skipped, strings are unescaped (\uXXXX included).
 * No allocation beyond the strbuf the caller owns; jsonscan_check
 * allocates nothing.
 */
#ifndef VERDICT_JSONSCAN_H
#define VERDICT_JSONSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include "strbuf.h"

/* The string member `key` of the object in s[0..len): true and its value
 * in out, false when absent, null or not a string. */
bool jsonscan_string(const char *s, size_t len, const char *key, struct strbuf *out);

/* The number member `key`: true and *out, false when absent or not a number. */
bool jsonscan_number(const char *s, size_t len, const char *key, double *out);

/* What a line that is not one complete JSON object lacked, at the byte
 * where the check stopped: the caller words it. */
enum jsonscan_want {
	JSONSCAN_COMPLETE,         /* nothing: the line is one complete object */
	JSONSCAN_OBJECT,           /* '{' opening the record */
	JSONSCAN_NAME_OR_CLOSE,    /* a member name or '}' (after '{') */
	JSONSCAN_NAME,             /* a member name (after ',') */
	JSONSCAN_COLON,            /* ':' after a member name */
	JSONSCAN_VALUE,            /* a value */
	JSONSCAN_VALUE_OR_CLOSE,   /* a value or ']' (after '[') */
	JSONSCAN_COMMA_OR_BRACE,   /* ',' or '}' after a member */
	JSONSCAN_COMMA_OR_BRACKET, /* ',' or ']' after an element */
	JSONSCAN_QUOTE,            /* the string's closing quote (the line ended) */
	JSONSCAN_ESCAPE,           /* one of \" \\ \/ \b \f \n \r \t \u after '\' */
	JSONSCAN_HEX,              /* a hex digit of \uXXXX */
	JSONSCAN_LOW_SURROGATE,    /* \uDC00-\uDFFF right after \uD800-\uDBFF, and only there */
	JSONSCAN_ESCAPED,          /* a control character (below U+0020) escaped */
	JSONSCAN_UTF8,             /* valid UTF-8 */
	JSONSCAN_DIGIT,            /* a digit of a number (no leading zero) */
	JSONSCAN_LITERAL,          /* true, false or null spelt in full */
	JSONSCAN_END,              /* nothing after the object but spaces */
	JSONSCAN_SHALLOWER,        /* at most JSONSCAN_MAX_DEPTH levels of nesting */
	JSONSCAN_ONCE,             /* a member the caller reads, named only once */
};

#define JSONSCAN_MAX_DEPTH 64
#define JSONSCAN_MAX_KEY 32

struct jsonscan_problem {
	enum jsonscan_want want;
	size_t at;        /* byte offset in s where it was expected (len: the end) */
	const char *key;  /* JSONSCAN_ONCE: the member of keys named again */
};

/*
 * Whether s[0..len) is exactly one JSON object as RFC 8259 defines it,
 * to the letter: spaces (space, tab, CR, LF) around it only, strings of
 * valid UTF-8 with no raw control characters and only the standard
 * escapes (a \u surrogate only as a high-low pair), numbers as the
 * grammar spells them, at most JSONSCAN_MAX_DEPTH levels of nesting; and
 * no top-level member named in keys (NULL-terminated, at most 32 names
 * of at most JSONSCAN_MAX_KEY bytes; may be NULL) twice, since a reader could take either.  When not, *p
 * says where it stopped and what was expected there; p->want is
 * JSONSCAN_COMPLETE when it is.  Allocates nothing.
 */
bool jsonscan_check(const char *s, size_t len, const char *const *keys, struct jsonscan_problem *p);

#endif
