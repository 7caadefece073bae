/* jsonscan — top-level members of a JSON object; see jsonscan.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "jsonscan.h"

struct scan {
	const char *p, *end;
};

static void skip_space(struct scan *sc)
{
	while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\t' || *sc->p == '\n' || *sc->p == '\r'))
		sc->p++;
}

static int hex4(const char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9') v |= c - '0';
		else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
		else return -1;
	}
	return v;
}

static void add_utf8(struct strbuf *out, unsigned cp)
{
	if (cp < 0x80) {
		strbuf_addch(out, (int)cp);
	} else if (cp < 0x800) {
		strbuf_addch(out, (int)(0xC0 | (cp >> 6)));
		strbuf_addch(out, (int)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		strbuf_addch(out, (int)(0xE0 | (cp >> 12)));
		strbuf_addch(out, (int)(0x80 | ((cp >> 6) & 0x3F)));
		strbuf_addch(out, (int)(0x80 | (cp & 0x3F)));
	} else {
		strbuf_addch(out, (int)(0xF0 | (cp >> 18)));
		strbuf_addch(out, (int)(0x80 | ((cp >> 12) & 0x3F)));
		strbuf_addch(out, (int)(0x80 | ((cp >> 6) & 0x3F)));
		strbuf_addch(out, (int)(0x80 | (cp & 0x3F)));
	}
}

/* Read a string at sc->p (on the opening quote) into out (may be NULL). */
static bool read_string(struct scan *sc, struct strbuf *out)
{
	if (sc->p >= sc->end || *sc->p != '"')
		return false;
	sc->p++;
	while (sc->p < sc->end && *sc->p != '"') {
		char c = *sc->p++;
		if (c != '\\') {
			if (out)
				strbuf_addch(out, c);
			continue;
		}
		if (sc->p >= sc->end)
			return false;
		c = *sc->p++;
		const char *simple = "\"\\/bfnrt", *value = "\"\\/\b\f\n\r\t";
		const char *k = strchr(simple, c);
		if (k && c) {
			if (out)
				strbuf_addch(out, value[k - simple]);
		} else if (c == 'u' && sc->end - sc->p >= 4) {
			int cp = hex4(sc->p);
			if (cp < 0)
				return false;
			sc->p += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && sc->end - sc->p >= 6 && sc->p[0] == '\\' && sc->p[1] == 'u') {
				int lo = hex4(sc->p + 2);
				if (lo >= 0xDC00 && lo < 0xE000) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					sc->p += 6;
				}
			}
			if (out)
				add_utf8(out, (unsigned)cp);
		} else {
			return false;
		}
	}
	if (sc->p >= sc->end)
		return false;
	sc->p++;
	return true;
}

/* Skip any value (object, array, string, literal, number). */
static bool skip_value(struct scan *sc)
{
	skip_space(sc);
	if (sc->p >= sc->end)
		return false;
	if (*sc->p == '"')
		return read_string(sc, NULL);
	if (*sc->p == '{' || *sc->p == '[') {
		int depth = 0;
		while (sc->p < sc->end) {
			char c = *sc->p;
			if (c == '"') {
				if (!read_string(sc, NULL))
					return false;
				continue;
			}
			if (c == '{' || c == '[')
				depth++;
			if (c == '}' || c == ']')
				depth--;
			sc->p++;
			if (depth == 0)
				return true;
		}
		return false;
	}
	while (sc->p < sc->end && *sc->p != ',' && *sc->p != '}' && *sc->p != ']')
		sc->p++;
	return true;
}

/* Position sc on the value of top-level member key. */
static bool find(struct scan *sc, const char *key)
{
	struct strbuf name = STRBUF_INIT;
	skip_space(sc);
	if (sc->p >= sc->end || *sc->p != '{')
		return false;
	sc->p++;
	for (;;) {
		skip_space(sc);
		strbuf_reset(&name);
		if (!read_string(sc, &name))
			break;
		skip_space(sc);
		if (sc->p >= sc->end || *sc->p != ':')
			break;
		sc->p++;
		skip_space(sc);
		/* the whole name, NUL bytes (\u0000) too: as jsonscan_check
		 * compares names, so that both read the same member */
		if (name.len == strlen(key) && memcmp(name.buf, key, name.len) == 0) {
			strbuf_release(&name);
			return true;
		}
		if (!skip_value(sc))
			break;
		skip_space(sc);
		if (sc->p >= sc->end || *sc->p != ',')
			break;
		sc->p++;
	}
	strbuf_release(&name);
	return false;
}

bool jsonscan_string(const char *s, size_t len, const char *key, struct strbuf *out)
{
	struct scan sc = { s, s + len };
	strbuf_reset(out);
	if (!find(&sc, key) || sc.p >= sc.end || *sc.p != '"')
		return false;
	return read_string(&sc, out);
}

bool jsonscan_number(const char *s, size_t len, const char *key, double *out)
{
	struct scan sc = { s, s + len };
	if (!find(&sc, key) || sc.p >= sc.end)
		return false;
	char buf[64];
	size_t n = 0;
	while (sc.p < sc.end && n < sizeof buf - 1 && strchr("+-0123456789.eE", *sc.p) && *sc.p)
		buf[n++] = *sc.p++;
	buf[n] = '\0';
	if (n == 0)
		return false;
	char *end;
	*out = strtod(buf, &end);
	return *end == '\0';
}

/* ---- jsonscan_check: one complete JSON object, strictly ---------------- */

struct check {
	const char *s, *p, *end;
	const char *const *keys;
	unsigned seen;            /* bit k: keys[k] met at the top level */
	struct jsonscan_problem *pr;
};

static bool stop(struct check *c, const char *at, enum jsonscan_want want)
{
	c->pr->want = want;
	c->pr->at = (size_t)(at - c->s);
	return false;
}

static void check_space(struct check *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

/* Whether a byte ends a run of plain ASCII inside a string: the quote,
 * a backslash, a control character, or the first byte of UTF-8 to check. */
static bool string_special(unsigned char b)
{
	return b == '"' || b == '\\' || b < 0x20 || b >= 0x80;
}

static bool is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* Four hex digits at c->p: their value, or -1 (stopped at the bad one). */
static int check_hex4(struct check *c)
{
	for (int i = 0; i < 4; i++)
		if (c->p + i >= c->end || !is_hex(c->p[i])) {
			stop(c, c->p + i, JSONSCAN_HEX);
			return -1;
		}
	int v = hex4(c->p);
	c->p += 4;
	return v;
}

/* The escape after a backslash at c->p. */
static bool check_escape(struct check *c)
{
	const char *esc = c->p++;
	if (c->p >= c->end || !strchr("\"\\/bfnrtu", *c->p) || !*c->p)
		return stop(c, c->p, JSONSCAN_ESCAPE);
	if (*c->p++ != 'u')
		return true;
	int cp = check_hex4(c);
	if (cp < 0)
		return false;
	if (cp >= 0xDC00 && cp < 0xE000)
		return stop(c, esc, JSONSCAN_LOW_SURROGATE);
	if (cp < 0xD800 || cp >= 0xDC00)
		return true;
	if (c->end - c->p < 2 || c->p[0] != '\\' || c->p[1] != 'u')
		return stop(c, c->p, JSONSCAN_LOW_SURROGATE);
	const char *lo_at = c->p;
	c->p += 2;
	int lo = check_hex4(c);
	if (lo < 0)
		return false;
	return (lo >= 0xDC00 && lo < 0xE000) || stop(c, lo_at, JSONSCAN_LOW_SURROGATE);
}

/* Past the plain ASCII at p: eight bytes a step while none of them is
 * special (the bit tricks of "Bit Twiddling Hacks": a byte below n, a
 * byte equal to n), then byte by byte. */
static const char *plain_run(const char *p, const char *end)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	while (end - p >= 8) {
		uint64_t x, q, b;
		memcpy(&x, p, 8);
		q = x ^ (ones * '"');
		b = x ^ (ones * '\\');
		if ((x | ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b)) & highs)
			break;
		p += 8;
	}
	while (p < end && !string_special((unsigned char)*p))
		p++;
	return p;
}

/* A string at c->p (its opening quote). */
static bool check_string(struct check *c)
{
	c->p++;
	for (;;) {
		c->p = plain_run(c->p, c->end);
		if (c->p >= c->end)
			return stop(c, c->p, JSONSCAN_QUOTE);
		if ((unsigned char)*c->p >= 0x80) {
			/* A run of bytes >= 0x80: whole UTF-8 sequences, or bad. */
			const char *run = c->p;
			while (c->p < c->end && (unsigned char)*c->p >= 0x80)
				c->p++;
			size_t ok = utf8_valid_prefix(run, (size_t)(c->p - run));
			if (ok < (size_t)(c->p - run))
				return stop(c, run + ok, JSONSCAN_UTF8);
			continue;
		}
		if (*c->p == '"') {
			c->p++;
			return true;
		}
		if (*c->p != '\\')
			return stop(c, c->p, JSONSCAN_ESCAPED);
		if (!check_escape(c))
			return false;
	}
}

static bool check_digits(struct check *c)
{
	if (c->p >= c->end || *c->p < '0' || *c->p > '9')
		return stop(c, c->p, JSONSCAN_DIGIT);
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
		c->p++;
	return true;
}

/* -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static bool check_number(struct check *c)
{
	if (*c->p == '-')
		c->p++;
	if (c->p < c->end && *c->p == '0') {
		c->p++;
		if (c->p < c->end && *c->p >= '0' && *c->p <= '9')
			return stop(c, c->p, JSONSCAN_DIGIT);
	} else if (!check_digits(c)) {
		return false;
	}
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (!check_digits(c))
			return false;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (!check_digits(c))
			return false;
	}
	return true;
}

static bool check_literal(struct check *c, const char *word)
{
	for (; *word; word++, c->p++)
		if (c->p >= c->end || *c->p != *word)
			return stop(c, c->p, JSONSCAN_LITERAL);
	return true;
}

/* Whether the string name..end (between its quotes, escapes as written,
 * already checked) is key, compared as decoded.  Each decoded byte takes
 * at most six written ones (\u0041), so a name that could be key decodes
 * into mem without allocating. */
static bool name_is(const char *name, const char *end, const char *key)
{
	size_t n = (size_t)(end - name), klen = strlen(key);
	if (!memchr(name, '\\', n))
		return n == klen && memcmp(name, key, klen) == 0;
	char mem[6 * JSONSCAN_MAX_KEY + 1];
	if (klen > JSONSCAN_MAX_KEY || n > 6 * klen)
		return false;
	struct strbuf dec = STRBUF_INIT;
	strbuf_borrow(&dec, mem, sizeof mem);
	struct scan sc = { name - 1, end + 1 };
	return read_string(&sc, &dec) && dec.len == klen && memcmp(dec.buf, key, klen) == 0;
}

/* A top-level member name at c->p, already checked: one of keys again? */
static bool check_once(struct check *c, const char *name, const char *end)
{
	for (unsigned k = 0; c->keys && k < 32 && c->keys[k]; k++) {
		if (!name_is(name + 1, end - 1, c->keys[k]))
			continue;
		if (c->seen & (1u << k)) {
			c->pr->key = c->keys[k];
			return stop(c, name, JSONSCAN_ONCE);
		}
		c->seen |= 1u << k;
	}
	return true;
}

static bool check_value(struct check *c, int depth, enum jsonscan_want want);

/* An object or an array at c->p. */
static bool check_nested(struct check *c, int depth)
{
	bool object = *c->p == '{';
	if (depth >= JSONSCAN_MAX_DEPTH)
		return stop(c, c->p, JSONSCAN_SHALLOWER);
	c->p++;
	check_space(c);
	if (c->p < c->end && *c->p == (object ? '}' : ']')) {
		c->p++;
		return true;
	}
	for (bool first = true;; first = false) {
		check_space(c);
		if (object) {
			const char *name = c->p;
			if (c->p >= c->end || *c->p != '"')
				return stop(c, c->p, first ? JSONSCAN_NAME_OR_CLOSE : JSONSCAN_NAME);
			if (!check_string(c) || (depth == 0 && !check_once(c, name, c->p)))
				return false;
			check_space(c);
			if (c->p >= c->end || *c->p != ':')
				return stop(c, c->p, JSONSCAN_COLON);
			c->p++;
		}
		if (!check_value(c, depth + 1, object || !first ? JSONSCAN_VALUE : JSONSCAN_VALUE_OR_CLOSE))
			return false;
		check_space(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == (object ? '}' : ']')) {
			c->p++;
			return true;
		}
		return stop(c, c->p, object ? JSONSCAN_COMMA_OR_BRACE : JSONSCAN_COMMA_OR_BRACKET);
	}
}

/* Any value at c->p (spaces before it skipped); want names it when absent. */
static bool check_value(struct check *c, int depth, enum jsonscan_want want)
{
	check_space(c);
	if (c->p >= c->end)
		return stop(c, c->p, want);
	switch (*c->p) {
	case '{':
	case '[':
		return check_nested(c, depth);
	case '"':
		return check_string(c);
	case 't':
		return check_literal(c, "true");
	case 'f':
		return check_literal(c, "false");
	case 'n':
		return check_literal(c, "null");
	default:
		if (*c->p == '-' || (*c->p >= '0' && *c->p <= '9'))
			return check_number(c);
		return stop(c, c->p, want);
	}
}

bool jsonscan_check(const char *s, size_t len, const char *const *keys, struct jsonscan_problem *p)
{
	struct check c = { s, s, s + len, keys, 0, p };
	p->want = JSONSCAN_COMPLETE;
	p->at = 0;
	p->key = NULL;
	check_space(&c);
	if (c.p >= c.end || *c.p != '{')
		return stop(&c, c.p, JSONSCAN_OBJECT);
	if (!check_nested(&c, 0))
		return false;
	check_space(&c);
	return c.p >= c.end || stop(&c, c.p, JSONSCAN_END);
}
