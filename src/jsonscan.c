/* jsonscan — top-level members of a JSON object; see jsonscan.h. */
#include <stdlib.h>
#include <string.h>
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
		if (strcmp(name.buf, key) == 0) {
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
