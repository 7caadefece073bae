/* native_build — reading a decision's plan from Lua; see native_plan.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <lauxlib.h>
#include "json.h"
#include "native_plan.h"

static const char *const WORD_NAMES[NWORDS] = {
	"sep", "list_sep", "missing", "yes", "no", "any_sep", "not_prefix", "a_value",
	"missing_prefix", "unknown_value", "not_applicable",
};

/* ---- Building from the Lua tables ---- */

void *nat_keep_block(struct native *n, void *p)
{
	if (n->nblocks == n->capblocks) {
		n->capblocks = n->capblocks ? 2 * n->capblocks : 64;
		n->blocks = realloc(n->blocks, n->capblocks * sizeof *n->blocks);
		if (!n->blocks)
			abort();
	}
	n->blocks[n->nblocks++] = p;
	return p;
}

static void *nalloc(struct native *n, size_t size)
{
	void *p = calloc(1, size ? size : 1);
	if (!p)
		abort();
	return nat_keep_block(n, p);
}

/* Zeroed memory that starts a cache line (for the conditions). */
static void *nalloc_line(struct native *n, size_t size)
{
	size = (size + 63) & ~(size_t)63;
	void *p = aligned_alloc(64, size);
	if (!p)
		abort();
	memset(p, 0, size);
	return nat_keep_block(n, p);
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
		v->len = (uint32_t)len;
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
			} else if (x && strcmp(x, "missing_deciding") == 0) {
				s->t = S_MISSING_DECIDING;
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
	struct cnode *c = nalloc_line(n, sizeof *c);
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
		else if (c->toklen <= sizeof c->tok8)
			memcpy(c->tok8, c->token, c->toklen);
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
	/* Cells and literals read straight from the condition (nat_a, nat_b). */
	c->acol = c->a && c->a->op == O_COL ? c->a->col : -1;
	if (c->b && c->b->op == O_LIT) {
		c->bconst = true;
		c->blit = c->b->lit;
	}
	nat_plan_quick(n, c);
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
	n->rules = nalloc_line(n, n->nrules * sizeof *n->rules);
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
		r->pc = nalloc(n, r->nparts * sizeof *r->pc);
		for (size_t j = 0; j < r->nparts; j++) {
			lua_rawgeti(L, -1, (lua_Integer)j + 1);
			int pt = lua_gettop(L);
			r->parts[j].c = sub_cond(&b, pt, "c");
			r->pc[j] = r->parts[j].c;
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
	build_texts(&b, idx, "incomplete", n->incomplete);
	n->shown = build_inputs(&b, idx, "values", &n->nshown);
	n->columns = build_inputs(&b, idx, "columns", &n->ncolumns);
	n->clause_json = field_str(&b, idx, "clause_json", NULL);
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
	/* The trace's fixed pieces, quoted once: everything of a rule or part
	 * up to its inputs or message, for each result it can have. */
	static const char *const results[4] = { "not_applicable", "pass", "fail", "unknown" };
	static const char *const decides[3] = { "false", "true", "null" };     /* TF, TT, TU */
	static const char *const part_results[3] = { "fail", "pass", "unknown" }; /* TF, TT, TU */
	for (size_t k = 0; k < n->nrules; k++) {
		struct nrule *r = &n->rules[k];
		struct lstr clause = quoted(n, "", r->clause, "");
		struct strbuf sb = STRBUF_INIT;
		for (int res = 0; res < 4; res++) {
			for (int dd = 0; dd < 3; dd++) {
				strbuf_reset(&sb);
				strbuf_addf(&sb, ",\"clause\":%s,\"result\":\"%s\",\"decides\":%s,\"inputs\":{",
					    clause.s, results[res], decides[dd]);
				r->head[res][dd] = quoted(n, "{\"id\":", r->id, sb.buf);
			}
		}
		for (size_t j = 0; j < r->nparts; j++) {
			for (int pr = 0; pr < 3; pr++) {
				strbuf_reset(&sb);
				strbuf_addf(&sb, ",\"result\":\"%s\",\"message\":\"", part_results[pr]);
				r->parts[j].head[pr] = quoted(n, "{\"id\":", r->parts[j].id, sb.buf);
			}
		}
		strbuf_release(&sb);
		for (size_t i = 0; i < r->ninputs; i++)
			r->inputs[i].key = quoted(n, "", r->inputs[i].name, ":");
	}
	for (size_t i = 0; i < n->nshown; i++)
		n->shown[i].key = quoted(n, "", n->shown[i].name, ":");
	for (size_t i = 0; i < n->ncolumns; i++)
		n->columns[i].key = quoted(n, "", n->columns[i].name, ":");
	/* Parameters' values, the same in every record: their trace text
	 * written once, here. */
	struct strbuf whole = STRBUF_INIT;
	for (size_t k = 0; k < n->nrules; k++) {
		struct nrule *r = &n->rules[k];
		for (size_t i = 0; i < r->ninputs; i++) {
			strbuf_reset(&whole);
			if (r->inputs[i].key.s && nat_const_input(n, &r->inputs[i], &whole)) {
				char *s = nalloc(n, whole.len);
				memcpy(s, whole.buf, whole.len);
				r->inputs[i].whole = (struct lstr){ s, whole.len };
			}
		}
	}
	strbuf_release(&whole);
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
	n->colv = nalloc(n, nc * sizeof *n->colv);
	n->toklen = nalloc(n, nc * sizeof *n->toklen);
	for (size_t i = 0; i < d->ncols; i++) {
		n->toklen[i] = nalloc(n, (d->cols[i].ntokens + 1) * sizeof **n->toklen);
		for (size_t k = 0; k < d->cols[i].ntokens; k++)
			n->toklen[i][k] = (uint32_t)strlen(d->cols[i].tokens[k]);
	}
	size_t maxparts = 1;
	for (size_t k = 0; k < n->nrules; k++)
		if (n->rules[k].nparts > maxparts)
			maxparts = n->rules[k].nparts;
	n->part_off = nalloc(n, maxparts * sizeof *n->part_off);
	n->part_end = nalloc(n, maxparts * sizeof *n->part_end);
	n->part_res = nalloc(n, maxparts * sizeof *n->part_res);
	n->cstamp = nalloc(n, (n->nconds + 1) * sizeof *n->cstamp);
	n->cres = nalloc(n, n->nconds + 1);
	n->res = nalloc(n, (n->nrules + 1) * sizeof *n->res);
	n->decides = nalloc(n, (n->nrules + 1) * sizeof *n->decides);
	n->set = nalloc(n, nc);
	n->tmpset = nalloc(n, nc);
	n->dset = nalloc(n, nc);
	native_cache_plan(n);
	native_shape_plan(n);
	strbuf_init(&n->failed);
	strbuf_init(&n->missing);
	strbuf_init(&n->reason);
	strbuf_init(&n->num);
	strbuf_init(&n->msg);
	strbuf_init(&n->trace);
	return n;
}

void native_free(struct native *n)
{
	if (!n)
		return;
	native_cache_free(n);
	native_shape_free(n);
	for (size_t i = 0; i < n->nblocks; i++)
		free(n->blocks[i]);
	free(n->blocks);
	strbuf_release(&n->failed);
	strbuf_release(&n->missing);
	strbuf_release(&n->reason);
	strbuf_release(&n->num);
	strbuf_release(&n->msg);
	strbuf_release(&n->trace);
	free(n);
}
