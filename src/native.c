/* native — a decision's plan run in C; see native.h and src/lua/plan.lua. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lauxlib.h>
#include "date.h"
#include "json.h"
#include "native.h"
#include "strbuf.h"

/* ---- Values, as the Lua evaluator has them ---- */

/* A text with its length. */
struct lstr {
	const char *s;
	size_t len;
};

enum nv_type { NV_NIL, NV_INT, NV_NUM, NV_BOOL, NV_STR, NV_LIST };

struct nlist {
	size_t n;
	char **keys;          /* lower-cased entries (one_of's set) */
	size_t *lens;
	char *text[2];        /* the list as text, en / zh */
	struct lstr jtext[2]; /* the same escaped for a JSON string */
	char *json;           /* the list as the trace shows it */
};

struct nval {
	enum nv_type t;
	bool b;
	long long i;
	double n;
	const char *s;        /* NV_STR (an enum cell is its token) */
	size_t len;
	const struct nlist *list;
};

enum kind { K_ANY, K_NUMBER, K_DATE, K_BOOL, K_STRING, K_ENUM, K_LIST };

enum op_kind { O_COL, O_LIT, O_DPARAM, O_VALUE, O_ADDM, O_DAYS, O_PLUS, O_MINUS, O_TIMES,
	       O_ASOF, O_FIRST, O_COND };

struct cnode;

struct onode {
	enum op_kind op;
	enum kind kind;       /* how its value reads in a message */
	int tcol;             /* column for enum labels in messages, or -1 */
	int col, slot, k;
	struct nval lit;
	struct onode *a, *b, *ref, *inner;
	struct onode **list;
	size_t n;
	date_t *from;
	struct nval *vals;
	struct cnode *c;
};

enum seg_type { S_LIT, S_VAL, S_REASONS, S_FAILED, S_MISSING, S_NAMES };

struct seg {
	enum seg_type t;
	const char *s;
	size_t len;
	struct lstr js;       /* s escaped for a JSON string */
	struct onode *val;
};

struct segs {
	bool present;
	size_t n;
	struct seg *v;
};

enum cond_kind { C_CMP, C_BETWEEN, C_IS, C_ONE_OF, C_BOOL, C_PRESENT, C_ALL, C_ANY, C_NOT,
		 C_ALWAYS, C_RULE_IS, C_ANY_DECIDING };
enum cmp_op { CMP_GE, CMP_GT, CMP_LE, CMP_LT, CMP_EQ };

struct cnode {
	enum cond_kind op;
	enum cmp_op cmp;
	struct onode *a, *b, *lo, *hi;
	const char *token, *folded;
	size_t toklen, foldlen;
	bool neg, exact, want;
	int labels;           /* one_of: the column whose labels also count, or -1 */
	struct cnode **parts;
	size_t n;
	int k, want_res;
	size_t slot;          /* its result's place in the per-record cache */
	int *except;
	size_t nexcept;
	struct segs autom[2];
};

/* Rule results, as eval.lua numbers them. */
enum { R_NA = 0, R_PASS = 1, R_FAIL = 2, R_UNK = 3 };
/* Three-valued truth. */
enum { TF = 0, TT = 1, TU = 2 };

struct npart {
	struct cnode *c;
	struct segs tpl[2];
	const char *id;
	struct lstr head;     /* {"id":"<id>","result":" */
};

/* A value the trace shows by name (a rule's inputs, the derived values). */
struct ninput {
	const char *name;
	struct onode *p;
	bool date;
	struct lstr key;      /* "<name>": */
};

struct nrule {
	const char *id, *clause;
	size_t ninputs;
	struct ninput *inputs;
	bool any;
	struct cnode *applies, *decides;
	struct segs tpl[2];
	size_t nparts;
	struct npart *parts;
	struct lstr head;     /* {"id":"<id>","clause":"<clause>","result":" */
};

struct nverdict {
	const char *token;
	struct cnode *c;
	struct segs tpl[2];
};

/* The engine's words (T.words), by index. */
enum { W_SEP, W_LIST_SEP, W_MISSING, W_YES, W_NO, W_ANY_SEP, W_NOT_PREFIX, W_A_VALUE,
       W_MISSING_PREFIX, W_UNKNOWN_VALUE, W_NOT_APPLICABLE, NWORDS };
static const char *const WORD_NAMES[NWORDS] = {
	"sep", "list_sep", "missing", "yes", "no", "any_sep", "not_prefix", "a_value",
	"missing_prefix", "unknown_value", "not_applicable",
};

struct nwords {
	struct lstr w[NWORDS];
	struct lstr wj[NWORDS];   /* escaped for a JSON string */
	struct segs unknown;
};

struct native {
	const struct decision_def *d;
	void **blocks;        /* everything built, freed together */
	size_t nblocks, capblocks;
	size_t nrules, nverdicts, nvalues, nconds;
	struct nrule *rules;
	struct nverdict *verdicts;
	struct nwords words[2];
	size_t nshown;
	struct ninput *shown;  /* the decision's derived values, for the trace */
	bool valid_text;       /* every text of the plan is valid UTF-8 */
	struct lstr *colname[2]; /* the columns' names, en / zh */
	struct lstr *colname_j[2]; /* the same escaped for a JSON string */
	bool json;             /* messages are being written into a JSON string */
	date_t day_lo, day_hi; /* the dates that can be written */
	/* per record */
	const struct value *vals;
	date_t as_of;
	int lang;             /* 0 en, 1 zh */
	bool defer;
	unsigned gen;
	unsigned *stamp;
	struct nval *cache;
	unsigned *cstamp;      /* conditions' results, valid for the record of gen */
	unsigned char *cres;
	int *res, *decides;
	unsigned char *set, *tmpset;
	struct strbuf failed, missing, reason, scratch, num, msg, trace;
};

/* ---- Appending text (the trace writes kilobytes per record) ---- */

/* strbuf_add without a call when the room is there. */
static inline void put(struct strbuf *sb, const void *p, size_t len)
{
	if (sb->cap - sb->len <= len)
		strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, p, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

static inline void put_ch(struct strbuf *sb, char c)
{
	if (sb->cap - sb->len <= 1)
		strbuf_grow(sb, 1);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

/* A string literal, its length known when compiled. */
#define PUT_LIT(sb, lit) put((sb), (lit), sizeof(lit) - 1)

static inline void put_str(struct strbuf *sb, const char *s)
{
	put(sb, s, strlen(s));
}

/* ---- Building from the Lua tables ---- */

static void *nalloc(struct native *n, size_t size)
{
	void *p = calloc(1, size ? size : 1);
	if (!p)
		abort();
	if (n->nblocks == n->capblocks) {
		n->capblocks = n->capblocks ? 2 * n->capblocks : 64;
		n->blocks = realloc(n->blocks, n->capblocks * sizeof *n->blocks);
		if (!n->blocks)
			abort();
	}
	n->blocks[n->nblocks++] = p;
	return p;
}

static char *nstrdup(struct native *n, const char *s, size_t len)
{
	char *p = nalloc(n, len + 1);
	memcpy(p, s, len);
	if (utf8_valid_prefix(s, len) != len)
		n->valid_text = false;
	return p;
}

/* s escaped for the inside of a JSON string, made once at load. */
static struct lstr escaped(struct native *n, const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	json_quote(&sb, s, len);
	char *r = nalloc(n, sb.len);
	memcpy(r, sb.buf + 1, sb.len - 2);
	struct lstr l = { r, sb.len - 2 };
	strbuf_release(&sb);
	return l;
}

/* s as a JSON string between before and after, made once at load. */
static struct lstr quoted(struct native *n, const char *before, const char *s, const char *after)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, before);
	json_quote(&sb, s, strlen(s));
	strbuf_addstr(&sb, after);
	char *r = nalloc(n, sb.len + 1);
	memcpy(r, sb.buf, sb.len);
	struct lstr l = { r, sb.len };
	strbuf_release(&sb);
	return l;
}

struct builder {
	struct native *n;
	lua_State *L;
	const char *err;      /* first problem, or NULL */
};

/* t[key] as a string copied into n, or NULL; leaves the stack as it was. */
static const char *field_str(struct builder *b, int idx, const char *key, size_t *len)
{
	const char *r = NULL;
	size_t l = 0;
	lua_getfield(b->L, idx, key);
	if (lua_type(b->L, -1) == LUA_TSTRING) {
		const char *s = lua_tolstring(b->L, -1, &l);
		r = nstrdup(b->n, s, l);
	}
	lua_pop(b->L, 1);
	if (len)
		*len = l;
	return r;
}

static long long field_int(struct builder *b, int idx, const char *key, long long dflt)
{
	long long r = dflt;
	lua_getfield(b->L, idx, key);
	if (lua_isinteger(b->L, -1))
		r = lua_tointeger(b->L, -1);
	lua_pop(b->L, 1);
	return r;
}

static bool field_bool(struct builder *b, int idx, const char *key)
{
	lua_getfield(b->L, idx, key);
	bool r = lua_toboolean(b->L, -1);
	lua_pop(b->L, 1);
	return r;
}

static enum kind kind_of(const char *s)
{
	static const struct { const char *name; enum kind k; } map[] = {
		{ "number", K_NUMBER }, { "date", K_DATE }, { "bool", K_BOOL },
		{ "string", K_STRING }, { "enum", K_ENUM }, { "list", K_LIST },
	};
	for (size_t i = 0; s && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(s, map[i].name) == 0)
			return map[i].k;
	return K_ANY;
}

static struct onode *build_operand(struct builder *b, int idx);
static struct cnode *build_cond(struct builder *b, int idx);

static void fail(struct builder *b, const char *msg)
{
	if (!b->err)
		b->err = msg;
}

/* A constant's plan: { o = "lit", kind, v } or, for a list, { set, text }. */
static void build_const(struct builder *b, int idx, struct nval *v)
{
	lua_State *L = b->L;
	memset(v, 0, sizeof *v);
	lua_getfield(L, idx, "set");
	if (lua_istable(L, -1)) {
		struct nlist *l = nalloc(b->n, sizeof *l);
		l->n = (size_t)luaL_len(L, -1);
		l->keys = nalloc(b->n, l->n * sizeof *l->keys);
		l->lens = nalloc(b->n, l->n * sizeof *l->lens);
		for (size_t i = 0; i < l->n; i++) {
			lua_rawgeti(L, -1, (lua_Integer)i + 1);
			size_t len = 0;
			const char *s = lua_tolstring(L, -1, &len);
			l->keys[i] = nstrdup(b->n, s ? s : "", s ? len : 0);
			l->lens[i] = s ? len : 0;
			lua_pop(L, 1);
		}
		lua_getfield(L, idx, "text");
		for (int lang = 0; lang < 2; lang++) {
			const char *t = lua_istable(L, -1) ? field_str(b, lua_gettop(L), lang ? "zh" : "en", NULL) : NULL;
			l->text[lang] = (char *)(t ? t : "");
			l->jtext[lang] = escaped(b->n, l->text[lang], strlen(l->text[lang]));
		}
		lua_pop(L, 1);
		const char *js = field_str(b, idx, "json", NULL);
		l->json = (char *)(js ? js : "[]");
		v->t = NV_LIST;
		v->list = l;
		lua_pop(L, 1);
		return;
	}
	lua_pop(L, 1);
	lua_getfield(L, idx, "v");
	switch (lua_type(L, -1)) {
	case LUA_TNUMBER:
		if (lua_isinteger(L, -1)) {
			v->t = NV_INT;
			v->i = lua_tointeger(L, -1);
		} else {
			v->t = NV_NUM;
			v->n = lua_tonumber(L, -1);
		}
		break;
	case LUA_TBOOLEAN:
		v->t = NV_BOOL;
		v->b = lua_toboolean(L, -1);
		break;
	case LUA_TSTRING: {
		size_t len;
		const char *s = lua_tolstring(L, -1, &len);
		v->t = NV_STR;
		v->s = nstrdup(b->n, s, len);
		v->len = len;
		break;
	}
	default:
		fail(b, "a constant of an unknown type");
	}
	lua_pop(L, 1);
}

static struct onode *sub_operand(struct builder *b, int idx, const char *key)
{
	struct onode *o = NULL;
	lua_getfield(b->L, idx, key);
	if (lua_istable(b->L, -1))
		o = build_operand(b, lua_gettop(b->L));
	else
		fail(b, "an operand is missing");
	lua_pop(b->L, 1);
	return o;
}

static struct cnode *sub_cond(struct builder *b, int idx, const char *key)
{
	struct cnode *c = NULL;
	lua_getfield(b->L, idx, key);
	if (lua_istable(b->L, -1))
		c = build_cond(b, lua_gettop(b->L));
	else
		fail(b, "a condition is missing");
	lua_pop(b->L, 1);
	return c;
}

static struct onode *build_operand(struct builder *b, int idx)
{
	static const struct { const char *name; enum op_kind op; } ops[] = {
		{ "col", O_COL }, { "lit", O_LIT }, { "dparam", O_DPARAM }, { "value", O_VALUE },
		{ "add_months", O_ADDM }, { "days_between", O_DAYS }, { "plus", O_PLUS },
		{ "minus", O_MINUS }, { "times", O_TIMES }, { "asof", O_ASOF }, { "first", O_FIRST },
		{ "cond", O_COND },
	};
	lua_State *L = b->L;
	struct native *n = b->n;
	struct onode *o = nalloc(n, sizeof *o);
	const char *name = field_str(b, idx, "o", NULL);
	size_t i;
	for (i = 0; name && i < sizeof ops / sizeof ops[0]; i++)
		if (strcmp(name, ops[i].name) == 0)
			break;
	if (!name || i == sizeof ops / sizeof ops[0]) {
		fail(b, "an unknown operand");
		return o;
	}
	o->op = ops[i].op;
	o->kind = kind_of(field_str(b, idx, "kind", NULL));
	o->tcol = (int)field_int(b, idx, "tcol", 0) - 1;
	if (o->tcol >= (int)n->d->ncols)
		o->tcol = -1;
	switch (o->op) {
	case O_COL:
		o->col = (int)field_int(b, idx, "i", 0) - 1;
		if (o->col < 0 || o->col >= (int)n->d->ncols)
			fail(b, "a column out of range");
		break;
	case O_LIT:
		build_const(b, idx, &o->lit);
		break;
	case O_DPARAM:
		o->ref = sub_operand(b, idx, "ref");
		lua_getfield(L, idx, "from");
		lua_getfield(L, idx, "vals");
		if (!lua_istable(L, -1) || !lua_istable(L, -2)) {
			fail(b, "a dated parameter without values");
		} else {
			o->n = (size_t)luaL_len(L, -2);
			o->from = nalloc(n, o->n * sizeof *o->from);
			o->vals = nalloc(n, o->n * sizeof *o->vals);
			for (size_t k = 0; k < o->n; k++) {
				lua_rawgeti(L, -2, (lua_Integer)k + 1);
				o->from[k] = (date_t)lua_tointeger(L, -1);
				lua_pop(L, 1);
				lua_rawgeti(L, -1, (lua_Integer)k + 1);
				if (lua_istable(L, -1))
					build_const(b, lua_gettop(L), &o->vals[k]);
				else
					fail(b, "a dated parameter value");
				lua_pop(L, 1);
			}
		}
		lua_pop(L, 2);
		break;
	case O_VALUE:
		o->slot = (int)field_int(b, idx, "slot", 0) - 1;
		if (o->slot < 0 || (size_t)o->slot >= n->nvalues)
			fail(b, "a value slot out of range");
		o->inner = sub_operand(b, idx, "inner");
		break;
	case O_ADDM: case O_DAYS: case O_PLUS: case O_MINUS: case O_TIMES:
		o->a = sub_operand(b, idx, "a");
		o->b = sub_operand(b, idx, "b");
		o->k = (int)field_int(b, idx, "k", 1);
		break;
	case O_ASOF:
		break;
	case O_FIRST:
		lua_getfield(L, idx, "list");
		o->n = lua_istable(L, -1) ? (size_t)luaL_len(L, -1) : 0;
		o->list = nalloc(n, o->n * sizeof *o->list);
		for (size_t k = 0; k < o->n; k++) {
			lua_rawgeti(L, -1, (lua_Integer)k + 1);
			o->list[k] = build_operand(b, lua_gettop(L));
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		break;
	case O_COND:
		o->c = sub_cond(b, idx, "c");
		break;
	}
	return o;
}

/* A list of text pieces at the top of the stack. */
static void build_seglist(struct builder *b, struct segs *sg)
{
	lua_State *L = b->L;
	int t = lua_gettop(L);
	sg->present = true;
	sg->n = (size_t)luaL_len(L, t);
	sg->v = nalloc(b->n, sg->n * sizeof *sg->v);
	for (size_t i = 0; i < sg->n; i++) {
		struct seg *s = &sg->v[i];
		lua_rawgeti(L, t, (lua_Integer)i + 1);
		if (lua_type(L, -1) == LUA_TSTRING) {
			size_t len;
			const char *str = lua_tolstring(L, -1, &len);
			s->t = S_LIT;
			s->s = nstrdup(b->n, str, len);
			s->len = len;
			s->js = escaped(b->n, str, len);
		} else if (lua_istable(L, -1)) {
			int e = lua_gettop(L);
			const char *x = field_str(b, e, "x", NULL);
			lua_getfield(L, e, "val");
			bool has_val = lua_istable(L, -1);
			lua_pop(L, 1);
			if (has_val) {
				s->t = S_VAL;
				s->val = sub_operand(b, e, "val");
			} else if (field_bool(b, e, "names")) {
				s->t = S_NAMES;
			} else if (x && strcmp(x, "reasons") == 0) {
				s->t = S_REASONS;
			} else if (x && strcmp(x, "failed") == 0) {
				s->t = S_FAILED;
			} else if (x && strcmp(x, "missing") == 0) {
				s->t = S_MISSING;
			} else {
				fail(b, "an unknown piece of text");
			}
		} else {
			fail(b, "an unknown piece of text");
		}
		lua_pop(L, 1);
	}
}

/* t[key] = { en = pieces, zh = pieces } into out[0], out[1]. */
static void build_texts(struct builder *b, int idx, const char *key, struct segs out[2])
{
	lua_State *L = b->L;
	lua_getfield(L, idx, key);
	if (lua_istable(L, -1)) {
		for (int lang = 0; lang < 2; lang++) {
			lua_getfield(L, -1, lang ? "zh" : "en");
			if (lua_istable(L, -1))
				build_seglist(b, &out[lang]);
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
}

static struct cnode *build_cond(struct builder *b, int idx)
{
	static const struct { const char *name; enum cond_kind op; } conds[] = {
		{ "cmp", C_CMP }, { "between", C_BETWEEN }, { "is", C_IS }, { "one_of", C_ONE_OF },
		{ "bool", C_BOOL }, { "present", C_PRESENT }, { "all", C_ALL }, { "any", C_ANY },
		{ "not", C_NOT }, { "always", C_ALWAYS }, { "rule_is", C_RULE_IS },
		{ "any_deciding", C_ANY_DECIDING },
	};
	static const struct { const char *name; enum cmp_op op; bool date; } cmps[] = {
		{ ">=", CMP_GE, false }, { ">", CMP_GT, false }, { "<=", CMP_LE, false },
		{ "<", CMP_LT, false }, { "==", CMP_EQ, false }, { "d>=", CMP_GE, true },
		{ "d>", CMP_GT, true }, { "d<=", CMP_LE, true }, { "d<", CMP_LT, true },
	};
	lua_State *L = b->L;
	struct native *n = b->n;
	struct cnode *c = nalloc(n, sizeof *c);
	const char *name = field_str(b, idx, "c", NULL);
	size_t i;
	for (i = 0; name && i < sizeof conds / sizeof conds[0]; i++)
		if (strcmp(name, conds[i].name) == 0)
			break;
	if (!name || i == sizeof conds / sizeof conds[0]) {
		fail(b, "an unknown condition");
		return c;
	}
	c->op = conds[i].op;
	c->labels = -1;
	c->slot = n->nconds++;
	build_texts(b, idx, "auto", c->autom);
	switch (c->op) {
	case C_CMP: {
		const char *cmp = field_str(b, idx, "cmp", NULL);
		for (i = 0; cmp && i < sizeof cmps / sizeof cmps[0]; i++)
			if (strcmp(cmp, cmps[i].name) == 0)
				break;
		if (!cmp || i == sizeof cmps / sizeof cmps[0])
			fail(b, "an unknown comparison");
		else
			c->cmp = cmps[i].op;
		c->a = sub_operand(b, idx, "a");
		c->b = sub_operand(b, idx, "b");
		break;
	}
	case C_BETWEEN:
		c->a = sub_operand(b, idx, "a");
		c->lo = sub_operand(b, idx, "lo");
		c->hi = sub_operand(b, idx, "hi");
		break;
	case C_IS:
		c->a = sub_operand(b, idx, "a");
		c->token = field_str(b, idx, "token", &c->toklen);
		c->folded = field_str(b, idx, "folded", &c->foldlen);
		c->neg = field_bool(b, idx, "neg");
		c->exact = field_bool(b, idx, "exact");
		if (!c->token || !c->folded)
			fail(b, "is without a value");
		break;
	case C_ONE_OF:
		c->a = sub_operand(b, idx, "a");
		c->b = sub_operand(b, idx, "l");
		c->labels = (int)field_int(b, idx, "labels", 0) - 1;
		if (c->labels >= (int)n->d->ncols)
			c->labels = -1;
		break;
	case C_BOOL:
		c->a = sub_operand(b, idx, "a");
		c->want = field_bool(b, idx, "want");
		break;
	case C_PRESENT:
		c->a = sub_operand(b, idx, "a");
		c->want = field_bool(b, idx, "want");
		break;
	case C_ALL: case C_ANY:
		lua_getfield(L, idx, "parts");
		c->n = lua_istable(L, -1) ? (size_t)luaL_len(L, -1) : 0;
		c->parts = nalloc(n, c->n * sizeof *c->parts);
		for (size_t k = 0; k < c->n; k++) {
			lua_rawgeti(L, -1, (lua_Integer)k + 1);
			c->parts[k] = build_cond(b, lua_gettop(L));
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		break;
	case C_NOT:
		c->parts = nalloc(n, sizeof *c->parts);
		c->n = 1;
		c->parts[0] = sub_cond(b, idx, "x");
		break;
	case C_ALWAYS:
		break;
	case C_RULE_IS:
		c->k = (int)field_int(b, idx, "k", 0) - 1;
		c->want_res = (int)field_int(b, idx, "want", -1);
		if (c->k < 0 || (size_t)c->k >= n->nrules)
			fail(b, "a rule out of range");
		break;
	case C_ANY_DECIDING:
		c->want_res = (int)field_int(b, idx, "want", -1);
		lua_getfield(L, idx, "except");
		c->nexcept = lua_istable(L, -1) ? (size_t)luaL_len(L, -1) : 0;
		c->except = nalloc(n, c->nexcept * sizeof *c->except);
		for (size_t k = 0; k < c->nexcept; k++) {
			lua_rawgeti(L, -1, (lua_Integer)k + 1);
			c->except[k] = (int)lua_tointeger(L, -1) - 1;
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		break;
	}
	return c;
}

/* t[key] = { { name, p, date }, ... } */
static struct ninput *build_inputs(struct builder *b, int idx, const char *key, size_t *count)
{
	lua_State *L = b->L;
	lua_getfield(L, idx, key);
	size_t cnt = lua_istable(L, -1) ? (size_t)luaL_len(L, -1) : 0;
	struct ninput *in = nalloc(b->n, cnt * sizeof *in);
	for (size_t i = 0; i < cnt; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i + 1);
		int t = lua_gettop(L);
		in[i].name = field_str(b, t, "name", NULL);
		in[i].p = sub_operand(b, t, "p");
		in[i].date = field_bool(b, t, "date");
		if (!in[i].name)
			fail(b, "an input without a name");
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	*count = cnt;
	return in;
}

static void build_words(struct builder *b, int idx)
{
	lua_State *L = b->L;
	for (int lang = 0; lang < 2; lang++) {
		struct nwords *w = &b->n->words[lang];
		lua_getfield(L, idx, lang ? "zh" : "en");
		int t = lua_gettop(L);
		if (!lua_istable(L, t)) {
			fail(b, "no words");
			lua_pop(L, 1);
			continue;
		}
		for (size_t k = 0; k < NWORDS; k++) {
			w->w[k].s = field_str(b, t, WORD_NAMES[k], &w->w[k].len);
			if (!w->w[k].s)
				fail(b, "a word is missing");
			else
				w->wj[k] = escaped(b->n, w->w[k].s, w->w[k].len);
		}
		lua_getfield(L, t, "unknown");
		if (lua_istable(L, -1))
			build_seglist(b, &w->unknown);
		else
			fail(b, "no message for a missing value");
		lua_pop(L, 2);
	}
}

struct native *native_build(lua_State *L, int idx, const struct decision_def *d, char *err, size_t errlen)
{
	struct native *n = calloc(1, sizeof *n);
	if (!n)
		abort();
	struct builder b = { n, L, NULL };
	idx = lua_absindex(L, idx);
	n->valid_text = true;
	date_from_ymd(DATE_MIN_YEAR, 1, 1, &n->day_lo);
	date_from_ymd(DATE_MAX_YEAR, 12, 31, &n->day_hi);
	n->d = d;
	n->nvalues = (size_t)field_int(&b, idx, "nvalues", 0);
	lua_getfield(L, idx, "rules");
	n->nrules = lua_istable(L, -1) ? (size_t)luaL_len(L, -1) : 0;
	lua_pop(L, 1);
	n->rules = nalloc(n, n->nrules * sizeof *n->rules);
	lua_getfield(L, idx, "rules");
	for (size_t k = 0; k < n->nrules; k++) {
		struct nrule *r = &n->rules[k];
		lua_rawgeti(L, -1, (lua_Integer)k + 1);
		int t = lua_gettop(L);
		r->id = field_str(&b, t, "id", NULL);
		r->clause = field_str(&b, t, "clause", NULL);
		if (!r->clause)
			r->clause = "";
		r->inputs = build_inputs(&b, t, "inputs", &r->ninputs);
		const char *mode = field_str(&b, t, "mode", NULL);
		r->any = mode && strcmp(mode, "any") == 0;
		r->applies = sub_cond(&b, t, "applies");
		r->decides = sub_cond(&b, t, "decides");
		build_texts(&b, t, "tpl", r->tpl);
		lua_getfield(L, t, "parts");
		r->nparts = lua_istable(L, -1) ? (size_t)luaL_len(L, -1) : 0;
		r->parts = nalloc(n, r->nparts * sizeof *r->parts);
		for (size_t j = 0; j < r->nparts; j++) {
			lua_rawgeti(L, -1, (lua_Integer)j + 1);
			int pt = lua_gettop(L);
			r->parts[j].c = sub_cond(&b, pt, "c");
			r->parts[j].id = field_str(&b, pt, "id", NULL);
			if (!r->parts[j].id)
				fail(&b, "a part without an id");
			build_texts(&b, pt, "tpl", r->parts[j].tpl);
			lua_pop(L, 1);
		}
		lua_pop(L, 2);
		if (!r->id)
			fail(&b, "a rule without an id");
	}
	lua_pop(L, 1);
	lua_getfield(L, idx, "verdicts");
	n->nverdicts = lua_istable(L, -1) ? (size_t)luaL_len(L, -1) : 0;
	n->verdicts = nalloc(n, n->nverdicts * sizeof *n->verdicts);
	for (size_t k = 0; k < n->nverdicts; k++) {
		struct nverdict *v = &n->verdicts[k];
		lua_rawgeti(L, -1, (lua_Integer)k + 1);
		int t = lua_gettop(L);
		v->token = field_str(&b, t, "token", NULL);
		v->c = sub_cond(&b, t, "c");
		build_texts(&b, t, "tpl", v->tpl);
		lua_pop(L, 1);
		if (!v->token)
			fail(&b, "a verdict without a token");
	}
	lua_pop(L, 1);
	n->shown = build_inputs(&b, idx, "values", &n->nshown);
	lua_getfield(L, idx, "words");
	if (lua_istable(L, -1))
		build_words(&b, lua_gettop(L));
	else
		fail(&b, "no words");
	lua_pop(L, 1);
	if (b.err) {
		snprintf(err, errlen, "the native plan of decision '%s' is malformed: %s", d->name, b.err);
		native_free(n);
		return NULL;
	}
	/* The trace's fixed pieces, quoted once. */
	for (size_t k = 0; k < n->nrules; k++) {
		struct nrule *r = &n->rules[k];
		struct lstr clause = quoted(n, "", r->clause, "");
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, ",\"clause\":%s,\"result\":\"", clause.s);
		r->head = quoted(n, "{\"id\":", r->id, sb.buf);
		strbuf_release(&sb);
		for (size_t j = 0; j < r->nparts; j++)
			r->parts[j].head = quoted(n, "{\"id\":", r->parts[j].id, ",\"result\":\"");
		for (size_t i = 0; i < r->ninputs; i++)
			r->inputs[i].key = quoted(n, "", r->inputs[i].name, ":");
	}
	for (size_t i = 0; i < n->nshown; i++)
		n->shown[i].key = quoted(n, "", n->shown[i].name, ":");
	size_t nc = d->ncols ? d->ncols : 1;
	for (int lang = 0; lang < 2; lang++) {
		n->colname[lang] = nalloc(n, nc * sizeof *n->colname[lang]);
		for (size_t i = 0; i < d->ncols; i++) {
			const char *name = lang ? d->cols[i].zh : d->cols[i].name;
			n->colname[lang][i].s = name;
			n->colname[lang][i].len = strlen(name);
		}
		n->colname_j[lang] = nalloc(n, nc * sizeof *n->colname_j[lang]);
		for (size_t i = 0; i < d->ncols; i++)
			n->colname_j[lang][i] = escaped(n, n->colname[lang][i].s, n->colname[lang][i].len);
	}
	n->stamp = nalloc(n, (n->nvalues + 1) * sizeof *n->stamp);
	n->cache = nalloc(n, (n->nvalues + 1) * sizeof *n->cache);
	n->cstamp = nalloc(n, (n->nconds + 1) * sizeof *n->cstamp);
	n->cres = nalloc(n, n->nconds + 1);
	n->res = nalloc(n, (n->nrules + 1) * sizeof *n->res);
	n->decides = nalloc(n, (n->nrules + 1) * sizeof *n->decides);
	n->set = nalloc(n, nc);
	n->tmpset = nalloc(n, nc);
	strbuf_init(&n->failed);
	strbuf_init(&n->missing);
	strbuf_init(&n->reason);
	strbuf_init(&n->scratch);
	strbuf_init(&n->num);
	strbuf_init(&n->msg);
	strbuf_init(&n->trace);
	return n;
}

void native_free(struct native *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nblocks; i++)
		free(n->blocks[i]);
	free(n->blocks);
	strbuf_release(&n->failed);
	strbuf_release(&n->missing);
	strbuf_release(&n->reason);
	strbuf_release(&n->scratch);
	strbuf_release(&n->num);
	strbuf_release(&n->msg);
	strbuf_release(&n->trace);
	free(n);
}

static void add_word(struct native *n, struct strbuf *out, int which)
{
	const struct lstr *w = n->json ? &n->words[n->lang].wj[which] : &n->words[n->lang].w[which];
	put(out, w->s, w->len);
}

/* Text that is valid UTF-8, escaped for a JSON string (as json_quote
 * does, without the quotes), eight bytes at a time where nothing needs it. */
static void add_escaped(struct strbuf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t run = 0, i = 0;
	while (i < len) {
		if (i + 8 <= len) {
			uint64_t x;
			memcpy(&x, s + i, 8);
			/* No byte below 0x20, no '"', '\\' or 0x7F in these eight? */
			uint64_t lo = (x - ones * 0x20) & ~x & highs;
			uint64_t q = x ^ (ones * '"'), bs = x ^ (ones * '\\'), del = x ^ (ones * 0x7F);
			uint64_t hit = lo | ((q - ones) & ~q & highs) | ((bs - ones) & ~bs & highs) |
				       ((del - ones) & ~del & highs);
			if (!hit) {
				i += 8;
				continue;
			}
		}
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F) {
			i++;
			continue;
		}
		put(out, s + run, i - run);
		run = ++i;
		switch (c) {
		case '"': put(out, "\\\"", 2); break;
		case '\\': put(out, "\\\\", 2); break;
		case '\b': put(out, "\\b", 2); break;
		case '\f': put(out, "\\f", 2); break;
		case '\n': put(out, "\\n", 2); break;
		case '\r': put(out, "\\r", 2); break;
		case '\t': put(out, "\\t", 2); break;
		default: {
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF] };
			put(out, e, 6);
		}
		}
	}
	put(out, s + run, len - run);
}

/* Text from the record (a cell, a label): escaped while writing JSON. */
static void add_text(struct native *n, struct strbuf *out, const char *s, size_t len)
{
	if (n->json)
		add_escaped(out, s, len);
	else
		put(out, s, len);
}

static void add_lstr(struct strbuf *out, const struct lstr *l)
{
	put(out, l->s, l->len);
}

/* ---- Evaluating ---- */

static const struct nval NIL = { NV_NIL, false, 0, 0, NULL, 0, NULL };

static bool is_num(const struct nval *v)
{
	return v->t == NV_INT || v->t == NV_NUM;
}

static double as_double(const struct nval *v)
{
	return v->t == NV_INT ? (double)v->i : v->n;
}

static struct nval column_value(struct native *n, int col)
{
	const struct value *v = &n->vals[col];
	struct nval r = NIL;
	switch (v->kind) {
	case V_MISSING: break;
	case V_STRING: r.t = NV_STR; r.s = v->s; r.len = v->len; break;
	case V_INT: r.t = NV_INT; r.i = v->u.i; break;
	case V_NUMBER: r.t = NV_NUM; r.n = v->u.n; break;
	case V_BOOL: r.t = NV_BOOL; r.b = v->u.b; break;
	case V_DATE: r.t = NV_INT; r.i = v->u.d; break;
	case V_ENUM: {
		const char *tok = n->d->cols[col].tokens[v->u.e];
		r.t = NV_STR;
		r.s = tok;
		r.len = strlen(tok);
		break;
	}
	}
	return r;
}

static int ceval(struct native *n, const struct cnode *c);

/* An integer as Lua's math.floor gives it, or false (the caller defers). */
static bool floor_int(const struct nval *v, long long *out)
{
	if (v->t == NV_INT) {
		*out = v->i;
		return true;
	}
	if (v->t == NV_NUM && v->n >= -9.2e18 && v->n <= 9.2e18) {
		*out = (long long)floor(v->n);
		return true;
	}
	return false;
}

static struct nval arith(struct native *n, enum op_kind op, const struct nval *x, const struct nval *y)
{
	struct nval r = NIL;
	if (!is_num(x) || !is_num(y)) {
		n->defer = true;   /* Lua would convert text or fail: let it */
		return r;
	}
	if (x->t == NV_INT && y->t == NV_INT) {
		unsigned long long a = (unsigned long long)x->i, b = (unsigned long long)y->i, v;
		switch (op) {
		case O_DAYS: v = b - a; break;
		case O_PLUS: v = a + b; break;
		case O_MINUS: v = a - b; break;
		default: v = a * b; break;
		}
		r.t = NV_INT;
		r.i = (long long)v;
		return r;
	}
	double a = as_double(x), b = as_double(y);
	r.t = NV_NUM;
	switch (op) {
	case O_DAYS: r.n = b - a; break;
	case O_PLUS: r.n = a + b; break;
	case O_MINUS: r.n = a - b; break;
	default: r.n = a * b; break;
	}
	return r;
}

static struct nval oeval(struct native *n, const struct onode *o)
{
	switch (o->op) {
	case O_COL:
		return column_value(n, o->col);
	case O_LIT:
		return o->lit;
	case O_DPARAM: {
		struct nval day = oeval(n, o->ref);
		if (day.t == NV_NIL)
			return NIL;
		if (day.t != NV_INT) {
			n->defer = true;
			return NIL;
		}
		struct nval v = NIL;
		for (size_t k = 0; k < o->n; k++) {
			if (o->from[k] <= day.i)
				v = o->vals[k];
			else
				break;
		}
		return v;
	}
	case O_VALUE:
		if (n->stamp[o->slot] != n->gen) {
			n->cache[o->slot] = oeval(n, o->inner);
			n->stamp[o->slot] = n->gen;
		}
		return n->cache[o->slot];
	case O_ADDM: {
		struct nval x = oeval(n, o->a);
		if (x.t == NV_NIL)
			return NIL;
		struct nval y = oeval(n, o->b);
		if (y.t == NV_NIL)
			return NIL;
		long long d, m;
		if (!floor_int(&y, &m) || (x.t == NV_NUM && x.n != floor(x.n)) || !floor_int(&x, &d)) {
			n->defer = true;
			return NIL;
		}
		m *= o->k;
		date_t out;
		if (m < -120000 || m > 120000 || d < INT32_MIN || d > INT32_MAX ||
		    !date_add_months((date_t)d, (int)m, &out))
			return NIL;
		struct nval r = NIL;
		r.t = NV_INT;
		r.i = out;
		return r;
	}
	case O_DAYS: case O_PLUS: case O_MINUS: case O_TIMES: {
		struct nval x = oeval(n, o->a);
		if (x.t == NV_NIL)
			return NIL;
		struct nval y = oeval(n, o->b);
		if (y.t == NV_NIL)
			return NIL;
		return arith(n, o->op, &x, &y);
	}
	case O_ASOF: {
		struct nval r = NIL;
		r.t = NV_INT;
		r.i = n->as_of;
		return r;
	}
	case O_FIRST:
		for (size_t k = 0; k < o->n; k++) {
			struct nval x = oeval(n, o->list[k]);
			if (x.t != NV_NIL)
				return x;
		}
		return NIL;
	case O_COND: {
		int t = ceval(n, o->c);
		struct nval r = NIL;
		if (t == TU)
			return r;
		r.t = NV_BOOL;
		r.b = t == TT;
		return r;
	}
	}
	return NIL;
}

/* Lua's x == y for the values a plan can hold. */
static bool lua_equal(struct native *n, const struct nval *x, const struct nval *y)
{
	if (is_num(x) && is_num(y)) {
		if (x->t == NV_INT && y->t == NV_INT)
			return x->i == y->i;
		return as_double(x) == as_double(y);
	}
	if (x->t != y->t)
		return false;
	switch (x->t) {
	case NV_STR: return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
	case NV_BOOL: return x->b == y->b;
	case NV_LIST: return x->list == y->list;
	default: n->defer = true; return false;
	}
}

/* x < y (less) or x <= y, on numbers only. */
static bool num_less(const struct nval *x, const struct nval *y, bool or_equal)
{
	if (x->t == NV_INT && y->t == NV_INT)
		return or_equal ? x->i <= y->i : x->i < y->i;
	double a = as_double(x), b = as_double(y);
	return or_equal ? a <= b : a < b;
}

static int tri(bool b)
{
	return b ? TT : TF;
}

/* Lower-case ASCII, as Lua's string.lower does in the C locale. */
static const char *fold(struct native *n, const char *s, size_t len)
{
	strbuf_reset(&n->scratch);
	strbuf_grow(&n->scratch, len + 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		n->scratch.buf[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
	}
	n->scratch.len = len;
	n->scratch.buf[len] = '\0';
	return n->scratch.buf;
}

static bool in_list(struct native *n, const struct nlist *l, const char *s, size_t len)
{
	const char *f = fold(n, s, len);
	for (size_t i = 0; i < l->n; i++)
		if (l->lens[i] == len && memcmp(l->keys[i], f, len) == 0)
			return true;
	return false;
}

/* The label of token s in column col, or NULL. */
static const char *label_of(struct native *n, int col, const char *s, size_t len)
{
	const struct column_def *c = &n->d->cols[col];
	for (size_t k = 0; k < c->ntokens; k++)
		if (strlen(c->tokens[k]) == len && memcmp(c->tokens[k], s, len) == 0)
			return c->labels[k];
	return NULL;
}

static int ceval_now(struct native *n, const struct cnode *c);

/* c's result for this record, worked out once: messages and the trace ask
 * again and again. */
static int ceval(struct native *n, const struct cnode *c)
{
	if (n->cstamp[c->slot] != n->gen) {
		n->cres[c->slot] = (unsigned char)ceval_now(n, c);
		n->cstamp[c->slot] = n->gen;
	}
	return n->cres[c->slot];
}

static int ceval_now(struct native *n, const struct cnode *c)
{
	switch (c->op) {
	case C_CMP: {
		struct nval x = oeval(n, c->a);
		if (x.t == NV_NIL)
			return TU;
		struct nval y = oeval(n, c->b);
		if (y.t == NV_NIL)
			return TU;
		if (c->cmp == CMP_EQ)
			return tri(lua_equal(n, &x, &y));
		if (!is_num(&x) || !is_num(&y)) {
			n->defer = true;
			return TU;
		}
		switch (c->cmp) {
		case CMP_GE: return tri(num_less(&y, &x, true));
		case CMP_GT: return tri(num_less(&y, &x, false));
		case CMP_LE: return tri(num_less(&x, &y, true));
		default: return tri(num_less(&x, &y, false));
		}
	}
	case C_BETWEEN: {
		struct nval x = oeval(n, c->a);
		if (x.t == NV_NIL)
			return TU;
		struct nval l = oeval(n, c->lo), h = oeval(n, c->hi);
		if (!is_num(&x) || (l.t != NV_NIL && !is_num(&l)) || (h.t != NV_NIL && !is_num(&h))) {
			n->defer = true;
			return TU;
		}
		if (l.t != NV_NIL && num_less(&x, &l, false))
			return TF;
		if (h.t != NV_NIL && num_less(&h, &x, false))
			return TF;
		if (l.t == NV_NIL || h.t == NV_NIL)
			return TU;
		return TT;
	}
	case C_IS: {
		struct nval x = oeval(n, c->a);
		if (x.t == NV_NIL)
			return TU;
		if (x.t != NV_STR) {
			n->defer = true;   /* tostring of a number or yes/no: Lua's */
			return TU;
		}
		bool same;
		if (c->exact)
			same = x.len == c->toklen && memcmp(x.s, c->token, x.len) == 0;
		else
			same = x.len == c->foldlen && memcmp(fold(n, x.s, x.len), c->folded, x.len) == 0;
		return tri(c->neg ? !same : same);
	}
	case C_ONE_OF: {
		struct nval x = oeval(n, c->a);
		if (x.t == NV_NIL)
			return TU;
		struct nval l = oeval(n, c->b);
		if (l.t == NV_NIL)
			return TU;
		if (l.t != NV_LIST || x.t != NV_STR) {
			n->defer = true;
			return TU;
		}
		if (in_list(n, l.list, x.s, x.len))
			return TT;
		if (c->labels >= 0) {
			const char *label = label_of(n, c->labels, x.s, x.len);
			if (label && in_list(n, l.list, label, strlen(label)))
				return TT;
		}
		return TF;
	}
	case C_BOOL: {
		struct nval x = oeval(n, c->a);
		if (x.t == NV_NIL)
			return TU;
		return tri(x.t == NV_BOOL && x.b == c->want);
	}
	case C_PRESENT: {
		struct nval x = oeval(n, c->a);
		bool present = x.t != NV_NIL;
		return tri(c->want ? present : !present);
	}
	case C_ALL: case C_ANY: {
		int stop = c->op == C_ALL ? TF : TT;
		bool unknown = false;
		for (size_t k = 0; k < c->n; k++) {
			int r = ceval(n, c->parts[k]);
			if (r == TU)
				unknown = true;
			else if (r == stop)
				return stop;
		}
		if (unknown)
			return TU;
		return stop == TF ? TT : TF;
	}
	case C_NOT: {
		int r = ceval(n, c->parts[0]);
		if (r == TU)
			return TU;
		return r == TT ? TF : TT;
	}
	case C_ALWAYS:
		return TT;
	case C_RULE_IS:
		return tri(n->res[c->k] == c->want_res);
	case C_ANY_DECIDING: {
		bool unknown = false;
		for (size_t k = 0; k < n->nrules; k++) {
			if (n->res[k] != c->want_res)
				continue;
			bool skip = false;
			for (size_t e = 0; e < c->nexcept; e++)
				if (c->except[e] == (int)k)
					skip = true;
			if (skip)
				continue;
			if (n->decides[k] == TT)
				return TT;
			if (n->decides[k] == TU)
				unknown = true;
		}
		return unknown ? TU : TF;
	}
	}
	return TU;
}

/* ---- Which missing columns are to blame ---- */

static void cblame(struct native *n, const struct cnode *c, unsigned char *set);

static void oblame(struct native *n, const struct onode *o, unsigned char *set)
{
	switch (o->op) {
	case O_COL:
		if (n->vals[o->col].kind == V_MISSING)
			set[o->col] = 1;
		break;
	case O_LIT: case O_ASOF:
		break;
	case O_DPARAM:
		if (oeval(n, o->ref).t == NV_NIL)
			oblame(n, o->ref, set);
		break;
	case O_VALUE:
		oblame(n, o->inner, set);
		break;
	case O_ADDM: case O_DAYS: case O_PLUS: case O_MINUS: case O_TIMES:
		oblame(n, o->a, set);
		oblame(n, o->b, set);
		break;
	case O_FIRST:
		for (size_t k = 0; k < o->n; k++)
			oblame(n, o->list[k], set);
		break;
	case O_COND:
		cblame(n, o->c, set);
		break;
	}
}

static void cblame(struct native *n, const struct cnode *c, unsigned char *set)
{
	switch (c->op) {
	case C_CMP:
		oblame(n, c->a, set);
		oblame(n, c->b, set);
		break;
	case C_BETWEEN:
		oblame(n, c->a, set);
		oblame(n, c->lo, set);
		oblame(n, c->hi, set);
		break;
	case C_IS: case C_BOOL:
		oblame(n, c->a, set);
		break;
	case C_ONE_OF:
		oblame(n, c->a, set);
		oblame(n, c->b, set);
		break;
	case C_ALL: case C_ANY:
		for (size_t k = 0; k < c->n; k++)
			if (ceval(n, c->parts[k]) == TU)
				cblame(n, c->parts[k], set);
		break;
	case C_NOT:
		cblame(n, c->parts[0], set);
		break;
	case C_PRESENT: case C_ALWAYS: case C_RULE_IS:
		break;
	case C_ANY_DECIDING:
		for (size_t k = 0; k < n->nrules; k++) {
			if (n->res[k] != c->want_res || n->decides[k] != TU)
				continue;
			bool skip = false;
			for (size_t e = 0; e < c->nexcept; e++)
				if (c->except[e] == (int)k)
					skip = true;
			if (!skip)
				cblame(n, n->rules[k].decides, set);
		}
		break;
	}
}

/* ---- Rules ---- */

static int eval_rule(struct native *n, const struct nrule *r)
{
	int app = ceval(n, r->applies);
	if (app == TF)
		return R_NA;
	int body;
	if (!r->any) {
		body = R_PASS;
		for (size_t j = 0; j < r->nparts; j++) {
			int x = ceval(n, r->parts[j].c);
			if (x == TF) {
				body = R_FAIL;
				break;
			}
			if (x == TU)
				body = R_UNK;
		}
	} else {
		body = R_FAIL;
		for (size_t j = 0; j < r->nparts; j++) {
			int x = ceval(n, r->parts[j].c);
			if (x == TT) {
				body = R_PASS;
				break;
			}
			if (x == TU)
				body = R_UNK;
		}
	}
	if (app == TU)
		return R_UNK;
	return body;
}

static void blame_rule(struct native *n, const struct nrule *r, unsigned char *set)
{
	if (ceval(n, r->applies) == TU)
		cblame(n, r->applies, set);
	for (size_t j = 0; j < r->nparts; j++)
		if (ceval(n, r->parts[j].c) == TU)
			cblame(n, r->parts[j].c, set);
}

/* ---- Text ---- */

static void add_integer(struct strbuf *out, long long v)
{
	char buf[24];
	size_t i = sizeof buf;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		buf[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[--i] = '-';
	put(out, buf + i, sizeof buf - i);
}

/* A number as T.number writes it. */
static void add_number(struct native *n, struct strbuf *out, const struct nval *v)
{
	if (v->t == NV_INT) {
		add_integer(out, v->i);
		return;
	}
	double x = v->n;
	if (x == floor(x) && x > -1e15 && x < 1e15)
		add_integer(out, (long long)x);
	else
		strbuf_addf(out, "%.10g", x);
	(void)n;
}

/* Text that is valid UTF-8 as a JSON string: json_quote, which also
 * replaces invalid bytes, without checking every byte again. */
static void add_json_text(struct native *n, struct strbuf *out, const char *s, size_t len)
{
	if (!n->valid_text) {
		json_quote(out, s, len);
		return;
	}
	put_ch(out, '"');
	add_escaped(out, s, len);
	put_ch(out, '"');
}

/* A value as T.value shows it. */
static void add_value(struct native *n, struct strbuf *out, const struct nval *v, enum kind kind, int tcol)
{
	switch (v->t) {
	case NV_NIL:
		add_word(n, out, W_MISSING);
		return;
	case NV_INT:
		if (kind == K_DATE) {
			char buf[DATE_TEXT_MAX];
			if (v->i < n->day_lo || v->i > n->day_hi) {
				n->defer = true;   /* Lua reports the error */
				return;
			}
			put(out, buf, (size_t)date_format((date_t)v->i, buf));
			return;
		}
		add_number(n, out, v);
		return;
	case NV_NUM:
		add_number(n, out, v);
		return;
	case NV_BOOL:
		add_word(n, out, v->b ? W_YES : W_NO);
		return;
	case NV_LIST:
		if (n->json)
			add_lstr(out, &v->list->jtext[n->lang]);
		else
			put_str(out, v->list->text[n->lang]);
		return;
	case NV_STR:
		if (kind == K_ENUM && tcol >= 0 && n->lang == 1) {
			const char *label = label_of(n, tcol, v->s, v->len);
			if (label) {
				add_text(n, out, label, strlen(label));
				return;
			}
		}
		add_text(n, out, v->s, v->len);
		return;
	}
}

/* The names (in the record's language) of the columns in set, joined. */
static size_t add_names(struct native *n, struct strbuf *out, const unsigned char *set)
{
	size_t count = 0;
	for (size_t i = 0; i < n->d->ncols; i++) {
		if (!set[i])
			continue;
		if (count++)
			add_word(n, out, W_LIST_SEP);
		add_lstr(out, n->json ? &n->colname_j[n->lang][i] : &n->colname[n->lang][i]);
	}
	return count;
}

static void add_reasons(struct native *n, struct strbuf *out);
static void add_failed_ids(struct native *n, struct strbuf *out);

static void render(struct native *n, struct strbuf *out, const struct segs *sg, const unsigned char *names)
{
	for (size_t i = 0; i < sg->n; i++) {
		const struct seg *s = &sg->v[i];
		switch (s->t) {
		case S_LIT:
			if (n->json)
				add_lstr(out, &s->js);
			else
				put(out, s->s, s->len);
			break;
		case S_VAL: {
			struct nval v = oeval(n, s->val);
			add_value(n, out, &v, s->val->kind, s->val->tcol);
			break;
		}
		case S_REASONS:
			add_reasons(n, out);
			break;
		case S_FAILED:
			add_failed_ids(n, out);
			break;
		case S_MISSING:
			add_names(n, out, n->set);
			break;
		case S_NAMES:
			if (!names || !add_names(n, out, names))
				add_word(n, out, W_A_VALUE);
			break;
		}
	}
}

static void cmessage(struct native *n, struct strbuf *out, const struct cnode *c);

/* The automatic message of c, whose result is r (TT or TF). */
static void cauto(struct native *n, struct strbuf *out, const struct cnode *c, int r)
{
	switch (c->op) {
	case C_ALL: case C_ANY: {
		size_t count = 0;
		for (size_t k = 0; k < c->n; k++) {
			if (ceval(n, c->parts[k]) != r)
				continue;
			if (count++)
				add_word(n, out, W_SEP);
			cmessage(n, out, c->parts[k]);
		}
		return;
	}
	case C_NOT:
		add_word(n, out, W_NOT_PREFIX);
		cmessage(n, out, c->parts[0]);
		return;
	case C_ALWAYS:
		return;
	case C_RULE_IS: case C_ANY_DECIDING:
		n->defer = true;
		return;
	default:
		if (!c->autom[n->lang].present) {
			n->defer = true;
			return;
		}
		render(n, out, &c->autom[n->lang], NULL);
	}
}

/* c's message: which columns are missing, or its automatic message. */
static void cmessage(struct native *n, struct strbuf *out, const struct cnode *c)
{
	int r = ceval(n, c);
	if (r != TU) {
		cauto(n, out, c, r);
		return;
	}
	memset(n->tmpset, 0, n->d->ncols);
	cblame(n, c, n->tmpset);
	render(n, out, &n->words[n->lang].unknown, n->tmpset);
}

/* The message of a rule that failed (X.rule_message with FAIL). */
static void rule_message(struct native *n, struct strbuf *out, const struct nrule *r)
{
	if (r->tpl[n->lang].present) {
		render(n, out, &r->tpl[n->lang], NULL);
		return;
	}
	size_t count = 0;
	for (size_t j = 0; j < r->nparts; j++) {
		const struct npart *p = &r->parts[j];
		if (ceval(n, p->c) != TF)
			continue;
		if (count++)
			add_word(n, out, r->any ? W_ANY_SEP : W_SEP);
		if (p->tpl[n->lang].present)
			render(n, out, &p->tpl[n->lang], NULL);
		else
			cauto(n, out, p->c, TF);
	}
}

/* "ID: message" of every deciding rule that failed, joined. */
static void add_reasons(struct native *n, struct strbuf *out)
{
	size_t count = 0;
	for (size_t k = 0; k < n->nrules; k++) {
		if (n->res[k] != R_FAIL || n->decides[k] == TF)
			continue;
		if (count++)
			add_word(n, out, W_SEP);
		put_str(out, n->rules[k].id);
		PUT_LIT(out, ": ");
		rule_message(n, out, &n->rules[k]);
	}
}

static void add_failed_ids(struct native *n, struct strbuf *out)
{
	size_t count = 0;
	for (size_t k = 0; k < n->nrules; k++) {
		if (n->res[k] != R_FAIL || n->decides[k] == TF)
			continue;
		if (count++)
			PUT_LIT(out, ", ");
		put_str(out, n->rules[k].id);
	}
}

/* ---- The trace (eval.lua's trace_json) ---- */

static const char *const RESULT_NAME[] = { "not_applicable", "pass", "fail", "unknown" };

/* A value as JSON (eval.lua's json_value); date: a day number shows as a date. */
static void add_json_value(struct native *n, struct strbuf *out, const struct nval *v, bool date)
{
	switch (v->t) {
	case NV_NIL:
		PUT_LIT(out, "null");
		return;
	case NV_INT:
		if (date) {
			char buf[DATE_TEXT_MAX + 2];
			if (v->i < n->day_lo || v->i > n->day_hi) {
				n->defer = true;   /* Lua reports a trace_error */
				return;
			}
			buf[0] = '"';
			int len = date_format((date_t)v->i, buf + 1);
			buf[len + 1] = '"';
			put(out, buf, (size_t)len + 2);
			return;
		}
		add_number(n, out, v);
		return;
	case NV_NUM:
		add_number(n, out, v);
		return;
	case NV_BOOL:
		put_str(out, v->b ? "true" : "false");
		return;
	case NV_LIST:
		put_str(out, v->list->json);
		return;
	case NV_STR:
		add_json_text(n, out, v->s, v->len);
		return;
	}
}

/* A part's message for result r (eval.lua's part_message). */
static void part_message(struct native *n, struct strbuf *out, const struct npart *p, int r)
{
	if (p->tpl[n->lang].present && r != TU)
		render(n, out, &p->tpl[n->lang], NULL);
	else if (r == TU)
		cmessage(n, out, p->c);
	else
		cauto(n, out, p->c, r);
}

/* A rule's message for its result (X.rule_message). */
static void rule_message_any(struct native *n, struct strbuf *out, const struct nrule *r, int res)
{
	const struct nwords *w = &n->words[n->lang];
	if (res == R_NA) {
		add_word(n, out, W_NOT_APPLICABLE);
		return;
	}
	if (res == R_UNK) {
		memset(n->tmpset, 0, n->d->ncols);
		blame_rule(n, r, n->tmpset);
		render(n, out, &w->unknown, n->tmpset);
		return;
	}
	if (res == R_FAIL) {
		rule_message(n, out, r);
		return;
	}
	size_t count = 0;
	for (size_t j = 0; j < r->nparts; j++) {
		if (ceval(n, r->parts[j].c) != TT)
			continue;
		if (count++)
			add_word(n, out, W_SEP);
		part_message(n, out, &r->parts[j], TT);
	}
}

static void add_inputs(struct native *n, struct strbuf *t, const struct ninput *in, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		if (i)
			put_ch(t, ',');
		add_lstr(t, &in[i].key);
		struct nval v = oeval(n, in[i].p);
		add_json_value(n, t, &v, in[i].date);
	}
}

static void make_trace(struct native *n, const struct nverdict *entry, bool by_unknown)
{
	struct strbuf *t = &n->trace;
	strbuf_reset(t);
	PUT_LIT(t, ",\"rules\":[");
	for (size_t k = 0; k < n->nrules; k++) {
		const struct nrule *r = &n->rules[k];
		int res = n->res[k], d = n->decides[k];
		if (k)
			put_ch(t, ',');
		add_lstr(t, &r->head);
		put_str(t, RESULT_NAME[res]);
		PUT_LIT(t, "\",\"decides\":");
		put_str(t, d == TT ? "true" : d == TF ? "false" : "null");
		PUT_LIT(t, ",\"inputs\":{");
		add_inputs(n, t, r->inputs, r->ninputs);
		PUT_LIT(t, "},\"message\":");
		if (n->valid_text) {
			/* Written straight into the JSON string, escaped piece by piece. */
			put_ch(t, '"');
			n->json = true;
			rule_message_any(n, t, r, res);
			n->json = false;
			put_ch(t, '"');
		} else {
			strbuf_reset(&n->msg);
			rule_message_any(n, &n->msg, r, res);
			json_quote(t, n->msg.buf, n->msg.len);
		}
		PUT_LIT(t, ",\"parts\":[");
		for (size_t j = 0; res != R_NA && j < r->nparts; j++) {
			const struct npart *p = &r->parts[j];
			int pr = ceval(n, p->c);
			if (j)
				put_ch(t, ',');
			add_lstr(t, &p->head);
			put_str(t, pr == TU ? "unknown" : pr == TT ? "pass" : "fail");
			PUT_LIT(t, "\",\"message\":");
			if (n->valid_text) {
				put_ch(t, '"');
				n->json = true;
				part_message(n, t, p, pr);
				n->json = false;
				put_ch(t, '"');
			} else {
				strbuf_reset(&n->msg);
				part_message(n, &n->msg, p, pr);
				json_quote(t, n->msg.buf, n->msg.len);
			}
			put_ch(t, '}');
		}
		PUT_LIT(t, "]}");
	}
	put_ch(t, ']');
	if (n->nshown) {
		PUT_LIT(t, ",\"values\":{");
		add_inputs(n, t, n->shown, n->nshown);
		put_ch(t, '}');
	}
	PUT_LIT(t, ",\"verdict_step\":");
	json_quote(t, entry->token, strlen(entry->token));
	put_str(t, by_unknown ? ",\"verdict_step_unknown\":true" : ",\"verdict_step_unknown\":false");
}

/* ---- One record ---- */

bool native_run(struct native *n, const struct value *vals, date_t as_of, bool zh, bool want_trace,
		struct eval_result *out)
{
	n->vals = vals;
	n->as_of = as_of;
	n->lang = zh ? 1 : 0;
	n->defer = false;
	if (++n->gen == 0) {
		memset(n->stamp, 0, (n->nvalues + 1) * sizeof *n->stamp);
		memset(n->cstamp, 0, (n->nconds + 1) * sizeof *n->cstamp);
		n->gen = 1;
	}
	for (size_t k = 0; k < n->nrules; k++) {
		int r = eval_rule(n, &n->rules[k]);
		n->res[k] = r;
		n->decides[k] = r == R_NA ? TF : ceval(n, n->rules[k].decides);
	}
	memset(n->set, 0, n->d->ncols);
	strbuf_reset(&n->failed);
	for (size_t k = 0; k < n->nrules; k++) {
		if (n->res[k] == R_FAIL) {
			if (n->failed.len)
				put_ch(&n->failed, ';');
			put_str(&n->failed, n->rules[k].id);
		} else if (n->res[k] == R_UNK) {
			blame_rule(n, &n->rules[k], n->set);
		}
	}
	const struct nverdict *entry = NULL;
	bool by_unknown = false;
	for (size_t k = 0; k < n->nverdicts; k++) {
		int c = ceval(n, n->verdicts[k].c);
		if (c == TT) {
			entry = &n->verdicts[k];
			break;
		}
		if (c == TU) {
			entry = &n->verdicts[k];
			by_unknown = true;
			cblame(n, entry->c, n->set);
			break;
		}
	}
	if (!entry || n->defer)
		return false;      /* Lua says "no verdict applies" as it should */
	strbuf_reset(&n->missing);
	for (size_t i = 0; i < n->d->ncols; i++) {
		if (!n->set[i])
			continue;
		if (n->missing.len)
			put_ch(&n->missing, ';');
		put_str(&n->missing, n->d->cols[i].name);
	}
	strbuf_reset(&n->reason);
	if (by_unknown) {
		struct strbuf *r = &n->reason;
		add_word(n, r, W_MISSING_PREFIX);
		if (!add_names(n, r, n->set)) {
			strbuf_reset(r);
			add_word(n, r, W_UNKNOWN_VALUE);
		}
	} else if (entry->tpl[n->lang].present) {
		render(n, &n->reason, &entry->tpl[n->lang], NULL);
	} else {
		add_reasons(n, &n->reason);
		if (!n->reason.len)
			put_str(&n->reason, entry->token);
	}
	if (want_trace)
		make_trace(n, entry, by_unknown);
	if (n->defer)
		return false;
	memset(out, 0, sizeof *out);
	if (want_trace) {
		out->trace = n->trace.buf;
		out->trace_len = n->trace.len;
	}
	out->verdict = by_unknown ? "INCOMPLETE" : entry->token;
	out->failed = n->failed.buf ? n->failed.buf : "";
	out->missing = n->missing.buf ? n->missing.buf : "";
	out->reason = n->reason.buf ? n->reason.buf : "";
	return true;
}
