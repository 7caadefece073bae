/* jsoncheck — a strict validator for JSON Lines (RFC 8259 per line).
 *
 *   jsoncheck [-f FIELD,FIELD,...] [FILE|-]...
 *
 * Reads every FILE (standard input when none is given, or for "-") and
 * checks that each line is exactly one JSON text as RFC 8259 defines it:
 * objects, arrays, strings, numbers and the literals true, false, null,
 * with only JSON whitespace (space, tab, CR) around them.  Stricter than
 * most parsers on purpose, since it tests a program's output:
 *   - strings: no raw control characters (U+0000-U+001F), only the escapes
 *     \" \\ \/ \b \f \n \r \t \uXXXX, surrogate escapes only as a high-low
 *     pair, and the bytes must be valid UTF-8 (no overlong forms, no
 *     encoded surrogates, nothing above U+10FFFF);
 *   - numbers: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
 *   - no byte-order mark, no empty line (a final newline is fine), no
 *     duplicate member names in an object (RFC 8259 says SHOULD be unique;
 *     for a program's own output a duplicate is a bug);
 *   - nesting deeper than 512 is refused rather than overflowing the stack.
 * With -f, every line must also be an object with each of the named
 * top-level members.
 *
 * Each problem is reported on standard error as
 *   FILE:LINE: what is wrong (byte N)
 * (N counts from 1 within the line).  Exit status: 0 every line valid;
 * 1 some line invalid; 2 usage error or unreadable file.
 *
 * Build: cc -O2 -o jsoncheck tools/jsoncheck.c
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 512

struct parser {
	const unsigned char *s; /* the line */
	size_t n;               /* its length */
	size_t i;               /* the current byte */
	int depth;
	char err[256];          /* the first error, empty while none */
	size_t err_at;
};

/* A decoded string: member names are kept to find duplicates. */
struct buf {
	char *p;
	size_t len, cap;
};

static void buf_put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			fputs("jsoncheck: out of memory\n", stderr);
			exit(2);
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static int fail(struct parser *p, size_t at, const char *fmt, ...)
{
	if (!p->err[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->err, sizeof p->err, fmt, ap);
		va_end(ap);
		p->err_at = at;
	}
	return -1;
}

static const char *show(int c, char *tmp)
{
	if (c < 0)
		return "end of line";
	if (c >= 0x21 && c < 0x7f)
		snprintf(tmp, 16, "'%c'", c);
	else
		snprintf(tmp, 16, "byte 0x%02X", c);
	return tmp;
}

static int peek(struct parser *p)
{
	return p->i < p->n ? p->s[p->i] : -1;
}

static void skip_ws(struct parser *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\r'))
		p->i++;
}

static int parse_value(struct parser *p);

/* One UTF-8 sequence starting at p->i (its first byte >= 0x80); appends it
 * to out when out is not NULL. */
static int utf8_seq(struct parser *p, struct buf *out)
{
	size_t at = p->i;
	unsigned c = p->s[at];
	int len;
	unsigned cp;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else if (c == 0xC0 || c == 0xC1) {
		return fail(p, at, "invalid UTF-8: overlong lead byte 0x%02X", c);
	} else if (c >= 0x80 && c <= 0xBF) {
		return fail(p, at, "invalid UTF-8: continuation byte 0x%02X without a lead byte", c);
	} else {
		return fail(p, at, "invalid UTF-8: byte 0x%02X never occurs in UTF-8", c);
	}
	if (at + (size_t)len > p->n)
		return fail(p, at, "invalid UTF-8: sequence cut short by the end of the line");
	for (int k = 1; k < len; k++) {
		unsigned cc = p->s[at + k];
		if ((cc & 0xC0) != 0x80)
			return fail(p, at + k, "invalid UTF-8: expected a continuation byte, found 0x%02X", cc);
		cp = (cp << 6) | (cc & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
		return fail(p, at, "invalid UTF-8: overlong encoding of U+%04X", cp);
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return fail(p, at, "invalid UTF-8: encoded surrogate U+%04X", cp);
	if (cp > 0x10FFFF)
		return fail(p, at, "invalid UTF-8: U+%X is beyond U+10FFFF", cp);
	if (out)
		buf_put(out, (const char *)p->s + at, (size_t)len);
	p->i += (size_t)len;
	return 0;
}

static int hex4(struct parser *p, unsigned *v)
{
	*v = 0;
	for (int k = 0; k < 4; k++) {
		int c = peek(p);
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else {
			char t[16];
			return fail(p, p->i, "\\u escape needs four hex digits, found %s", show(c, t));
		}
		*v = *v * 16 + d;
		p->i++;
	}
	return 0;
}

static void put_cp(struct buf *out, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_put(out, u, n);
}

/* A string at p->i (which is '"'); decoded into out when out is not NULL. */
static int parse_string(struct parser *p, struct buf *out)
{
	size_t start = p->i;
	p->i++; /* the opening quote */
	for (;;) {
		int c = peek(p);
		if (c < 0)
			return fail(p, start, "string not closed before the end of the line");
		if (c == '"') {
			p->i++;
			return 0;
		}
		if (c < 0x20)
			return fail(p, p->i, "raw control character 0x%02X in a string (must be escaped)", c);
		if (c >= 0x80) {
			if (utf8_seq(p, out) < 0)
				return -1;
			continue;
		}
		if (c != '\\') {
			if (out) {
				char ch = (char)c;
				buf_put(out, &ch, 1);
			}
			p->i++;
			continue;
		}
		size_t esc = p->i;
		p->i++;
		c = peek(p);
		const char *simple = NULL;
		switch (c) {
		case '"': simple = "\""; break;
		case '\\': simple = "\\"; break;
		case '/': simple = "/"; break;
		case 'b': simple = "\b"; break;
		case 'f': simple = "\f"; break;
		case 'n': simple = "\n"; break;
		case 'r': simple = "\r"; break;
		case 't': simple = "\t"; break;
		case 'u': break;
		default: {
			char t[16];
			return fail(p, esc, "invalid escape \\%s in a string", c < 0 ? "(end of line)" : show(c, t));
		}
		}
		if (simple) {
			if (out)
				buf_put(out, simple, 1);
			p->i++;
			continue;
		}
		p->i++; /* the u */
		unsigned cp;
		if (hex4(p, &cp) < 0)
			return -1;
		if (cp >= 0xDC00 && cp <= 0xDFFF)
			return fail(p, esc, "\\u%04X is a low surrogate without a high surrogate before it", cp);
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (!(p->i + 1 < p->n && p->s[p->i] == '\\' && p->s[p->i + 1] == 'u'))
				return fail(p, esc, "\\u%04X is a high surrogate not followed by a \\u low surrogate", cp);
			p->i += 2;
			unsigned lo;
			if (hex4(p, &lo) < 0)
				return -1;
			if (lo < 0xDC00 || lo > 0xDFFF)
				return fail(p, esc, "\\u%04X is a high surrogate followed by \\u%04X, not a low surrogate", cp, lo);
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		}
		if (out)
			put_cp(out, cp);
	}
}

static int digits(struct parser *p)
{
	size_t from = p->i;
	while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
		p->i++;
	return p->i > from;
}

static int parse_number(struct parser *p)
{
	size_t start = p->i;
	char t[16];
	if (peek(p) == '-')
		p->i++;
	int c = peek(p);
	if (c == '0') {
		p->i++;
		if (peek(p) >= '0' && peek(p) <= '9')
			return fail(p, start, "number with a leading zero");
	} else if (c >= '1' && c <= '9') {
		digits(p);
	} else {
		return fail(p, p->i, "a number needs a digit here, found %s", show(c, t));
	}
	if (peek(p) == '.') {
		p->i++;
		if (!digits(p))
			return fail(p, p->i, "a number needs a digit after '.', found %s", show(peek(p), t));
	}
	if (peek(p) == 'e' || peek(p) == 'E') {
		p->i++;
		if (peek(p) == '+' || peek(p) == '-')
			p->i++;
		if (!digits(p))
			return fail(p, p->i, "a number needs a digit in its exponent, found %s", show(peek(p), t));
	}
	return 0;
}

static int parse_literal(struct parser *p, const char *word)
{
	size_t len = strlen(word);
	if (p->n - p->i < len || memcmp(p->s + p->i, word, len) != 0)
		return fail(p, p->i, "invalid literal (expected %s)", word);
	p->i += len;
	return 0;
}

static int parse_object(struct parser *p)
{
	size_t start = p->i;
	p->i++; /* { */
	struct buf *names = NULL;
	size_t nnames = 0, cap = 0;
	int rc = 0;
	char t[16];
	skip_ws(p);
	if (peek(p) == '}') {
		p->i++;
		return 0;
	}
	for (;;) {
		skip_ws(p);
		if (peek(p) != '"') {
			rc = fail(p, p->i, "expected a member name (a string) in the object opened at byte %zu, found %s",
				  start + 1, show(peek(p), t));
			break;
		}
		size_t name_at = p->i;
		if (nnames == cap) {
			cap = cap ? cap * 2 : 16;
			struct buf *nb = realloc(names, cap * sizeof *names);
			if (!nb) {
				fputs("jsoncheck: out of memory\n", stderr);
				exit(2);
			}
			names = nb;
		}
		struct buf *nm = &names[nnames];
		memset(nm, 0, sizeof *nm);
		buf_put(nm, "", 0);
		nnames++;
		if ((rc = parse_string(p, nm)) < 0)
			break;
		for (size_t k = 0; k + 1 < nnames; k++)
			if (names[k].len == nm->len && memcmp(names[k].p, nm->p, nm->len) == 0) {
				rc = fail(p, name_at, "duplicate member name \"%.60s\" in an object", nm->p);
				break;
			}
		if (rc < 0)
			break;
		skip_ws(p);
		if (peek(p) != ':') {
			rc = fail(p, p->i, "expected ':' after a member name, found %s", show(peek(p), t));
			break;
		}
		p->i++;
		skip_ws(p);
		if ((rc = parse_value(p)) < 0)
			break;
		skip_ws(p);
		if (peek(p) == ',') {
			p->i++;
			continue;
		}
		if (peek(p) == '}') {
			p->i++;
			break;
		}
		rc = fail(p, p->i, "expected ',' or '}' in the object opened at byte %zu, found %s", start + 1,
			  show(peek(p), t));
		break;
	}
	for (size_t k = 0; k < nnames; k++)
		free(names[k].p);
	free(names);
	return rc;
}

static int parse_array(struct parser *p)
{
	size_t start = p->i;
	char t[16];
	p->i++; /* [ */
	skip_ws(p);
	if (peek(p) == ']') {
		p->i++;
		return 0;
	}
	for (;;) {
		skip_ws(p);
		if (parse_value(p) < 0)
			return -1;
		skip_ws(p);
		if (peek(p) == ',') {
			p->i++;
			continue;
		}
		if (peek(p) == ']') {
			p->i++;
			return 0;
		}
		return fail(p, p->i, "expected ',' or ']' in the array opened at byte %zu, found %s", start + 1,
			    show(peek(p), t));
	}
}

static int parse_value(struct parser *p)
{
	char t[16];
	int c = peek(p);
	int rc;
	switch (c) {
	case '{':
	case '[':
		if (++p->depth > MAX_DEPTH)
			return fail(p, p->i, "nested deeper than %d", MAX_DEPTH);
		rc = c == '{' ? parse_object(p) : parse_array(p);
		p->depth--;
		return rc;
	case '"':
		return parse_string(p, NULL);
	case 't':
		return parse_literal(p, "true");
	case 'f':
		return parse_literal(p, "false");
	case 'n':
		return parse_literal(p, "null");
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return parse_number(p);
		if (c >= 0x80)
			return fail(p, p->i, "expected a value, found %s (not ASCII: outside a string)", show(c, t));
		return fail(p, p->i, "expected a value, found %s", show(c, t));
	}
}

/* Does the object that is the whole line have a top-level member NAME?
 * Called only on a line already found valid. */
static int has_member(const unsigned char *s, size_t n, const char *name)
{
	struct parser p = { .s = s, .n = n };
	skip_ws(&p);
	if (peek(&p) != '{')
		return 0;
	p.i++;
	for (;;) {
		skip_ws(&p);
		if (peek(&p) != '"')
			return 0;
		struct buf nm = { 0 };
		buf_put(&nm, "", 0);
		parse_string(&p, &nm);
		int found = strcmp(nm.p, name) == 0 && nm.len == strlen(name);
		free(nm.p);
		if (found)
			return 1;
		skip_ws(&p);
		p.i++; /* : */
		skip_ws(&p);
		parse_value(&p);
		skip_ws(&p);
		if (peek(&p) != ',')
			return 0;
		p.i++;
	}
}

static int check_stream(FILE *f, const char *name, char **fields, int nfields, unsigned long *nlines)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	int bad = 0;
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		size_t n = (size_t)len;
		if (n > 0 && line[n - 1] == '\n')
			n--;
		const unsigned char *s = (const unsigned char *)line;
		struct parser p = { .s = s, .n = n };
		if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
			fail(&p, 0, "byte-order mark (RFC 8259 8.1: must not be added)");
		} else {
			skip_ws(&p);
			if (p.i == p.n)
				fail(&p, 0, "empty line (JSON Lines: one JSON text per line)");
			else if (parse_value(&p) == 0) {
				skip_ws(&p);
				if (p.i < p.n) {
					char t[16];
					fail(&p, p.i, "%s after the end of the JSON text", show(p.s[p.i], t));
				}
			}
		}
		if (!p.err[0])
			for (int k = 0; k < nfields; k++)
				if (!has_member(s, n, fields[k])) {
					fail(&p, 0, "%s \"%s\"",
					     s[0] == '{' ? "no top-level member" : "not an object, so no member", fields[k]);
					break;
				}
		if (p.err[0]) {
			fprintf(stderr, "%s:%lu: %s (byte %zu)\n", name, lineno, p.err, p.err_at + 1);
			bad = 1;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "jsoncheck: %s: read error: %s\n", name, strerror(errno));
		free(line);
		return 2;
	}
	free(line);
	*nlines += lineno;
	return bad;
}

int main(int argc, char **argv)
{
	char **fields = NULL;
	int nfields = 0;
	int argi = 1;
	char *fieldlist = NULL;
	int verbose = 0;
	while (argi < argc && argv[argi][0] == '-' && argv[argi][1] != '\0') {
		if (strcmp(argv[argi], "--") == 0) {
			argi++;
			break;
		}
		if (strcmp(argv[argi], "-f") == 0 && argi + 1 < argc) {
			fieldlist = argv[argi + 1];
			argi += 2;
		} else if (strcmp(argv[argi], "-v") == 0) {
			verbose = 1;
			argi++;
		} else {
			fprintf(stderr, "usage: jsoncheck [-v] [-f FIELD,FIELD,...] [FILE|-]...\n");
			return 2;
		}
	}
	if (fieldlist) {
		fieldlist = strdup(fieldlist);
		for (char *tok = strtok(fieldlist, ","); tok; tok = strtok(NULL, ",")) {
			fields = realloc(fields, (size_t)(nfields + 1) * sizeof *fields);
			fields[nfields++] = tok;
		}
	}
	int status = 0;
	unsigned long nlines = 0;
	if (argi == argc) {
		status = check_stream(stdin, "(stdin)", fields, nfields, &nlines);
	}
	for (; argi < argc; argi++) {
		int rc;
		if (strcmp(argv[argi], "-") == 0) {
			rc = check_stream(stdin, "(stdin)", fields, nfields, &nlines);
		} else {
			FILE *f = fopen(argv[argi], "rb");
			if (!f) {
				fprintf(stderr, "jsoncheck: cannot open %s: %s\n", argv[argi], strerror(errno));
				status = 2;
				continue;
			}
			rc = check_stream(f, argv[argi], fields, nfields, &nlines);
			fclose(f);
		}
		if (rc > status)
			status = rc;
	}
	if (verbose)
		fprintf(stderr, "jsoncheck: %lu lines, %s\n", nlines, status ? "NOT all valid" : "all valid");
	free(fields);
	free(fieldlist);
	return status;
}
