/*
 * native_cache — a rule's trace, written once for each set of values.
 *
 * With --format jsonl every record carries every rule's trace: its result,
 * inputs, message and parts, a few hundred bytes a rule.  That text is a
 * function of the cells the rule reads (and of the reference date when it
 * reads it): the same industry gives the same D1 trace in every record
 * that has it.  So each rule keeps its last traces, keyed by the exact
 * bytes of the values it depends on, and a record whose values match one
 * copies the text instead of writing it again.
 *
 * What a rule depends on is found once, at load, by walking everything its
 * trace is made from: its conditions, inputs, templates and the automatic
 * messages of its parts.  A rule that reads another rule's result, or
 * whose texts name record-level things (reasons, failed rules, missing
 * columns), is never cached.  A trace during which the evaluator handed
 * the record to Lua (n->defer) is not kept.
 *
 * Memory: 2 * CACHE_SETS entries a rule (two a set: a key's set holds
 * the two used last), each holding one key and one text;
 * they grow to the largest text seen and are then reused, so a long run
 * allocates nothing once they have.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "native_plan.h"

#define CACHE_SETS 64
#define CACHE_WAYS (2 * CACHE_SETS)
#define KEY_MAX    512   /* a longer key (long text cells): not cached */

/* An entry is found by its tag first: the table of a rule stays in the
 * cache, the keys and texts need not. */
struct cache_entry {
	uint32_t tag;          /* the key's hash, high half, never 0; 0: empty */
	uint32_t keylen, textlen, cap;
	uint32_t used;         /* the rule's lookup count when last found or kept */
	char *mem;             /* the key, then (from nat_key_room) the text */
};

/* A trace in a rule's direct table: its place in the rule's texts. */
struct direct_text {
	uint32_t at, len;      /* len 0: not written yet */
};

struct rule_cache {
	/* A rule whose values seldom repeat (a date, many counts) gains
	 * nothing: after NAT_TRIAL lookups with fewer than a quarter found, it is
	 * written directly and its entries are let go. */
	size_t lookups, hits;
	bool off;
	struct cache_entry e[CACHE_WAYS];
	struct direct_text *direct;   /* r->direct entries, made when first used */
	struct strbuf texts;          /* their texts, one after another */
};

#define DIRECT_MAX 4096   /* more combinations: looked up by key */

/* ---- At load: what a rule's trace depends on ---- */

struct walk {
	struct native *n;
	unsigned char *seen;   /* per column */
	int *cols;
	size_t ncols;
	bool asof, ok;
};

static void walk_cond(struct walk *w, const struct cnode *c);

static void walk_opnd(struct walk *w, const struct onode *o)
{
	if (!o)
		return;
	switch (o->op) {
	case O_COL:
		if (o->col >= 0 && (size_t)o->col < w->n->d->ncols && !w->seen[o->col]) {
			w->seen[o->col] = 1;
			w->cols[w->ncols++] = o->col;
		}
		return;
	case O_LIT:
		return;
	case O_ASOF:
		w->asof = true;
		return;
	case O_DPARAM:
		walk_opnd(w, o->ref);
		return;
	case O_VALUE:
		walk_opnd(w, o->inner);
		return;
	case O_ADDM: case O_DAYS: case O_PLUS: case O_MINUS: case O_TIMES:
		walk_opnd(w, o->a);
		walk_opnd(w, o->b);
		return;
	case O_FIRST:
		for (size_t k = 0; k < o->n; k++)
			walk_opnd(w, o->list[k]);
		return;
	case O_COND:
		walk_cond(w, o->c);
		return;
	}
	w->ok = false;   /* a kind this walk does not know: never cached */
}

static void walk_segs(struct walk *w, const struct segs *sg)
{
	for (size_t i = 0; i < sg->n; i++) {
		switch (sg->v[i].t) {
		case S_LIT: case S_NAMES:
			break;
		case S_VAL:
			walk_opnd(w, sg->v[i].val);
			break;
		default:   /* reasons, failed rules, missing columns: the record's */
			w->ok = false;
		}
	}
}

static void walk_cond(struct walk *w, const struct cnode *c)
{
	if (!c)
		return;
	if (c->op == C_RULE_IS || c->op == C_ANY_DECIDING) {
		w->ok = false;   /* other rules' results */
		return;
	}
	walk_opnd(w, c->a);
	walk_opnd(w, c->b);
	walk_opnd(w, c->lo);
	walk_opnd(w, c->hi);
	for (size_t k = 0; k < c->n; k++)
		walk_cond(w, c->parts[k]);
	walk_segs(w, &c->autom[0]);
	walk_segs(w, &c->autom[1]);
}

/* How many values a column of only a few can have, missing included:
 * 3 for a yes/no, 1 + its tokens for an enumeration; DIRECT_MAX + 1 for
 * any other. */
static size_t value_codes(const struct column_def *c)
{
	if (c->base == COL_BOOL)
		return 3;
	if (c->base == COL_ENUM && c->ntokens < DIRECT_MAX)
		return 1 + c->ntokens;
	return DIRECT_MAX + 1;
}

void native_cache_plan(struct native *n)
{
	size_t nc = n->d->ncols;
	struct walk w = { n, calloc(nc ? nc : 1, 1), NULL, 0, false, true };
	if (!w.seen)
		abort();
	for (int lang = 0; lang < 2; lang++)
		walk_segs(&w, &n->words[lang].unknown);
	bool words_ok = w.ok;
	for (size_t k = 0; k < n->nrules; k++) {
		struct nrule *r = &n->rules[k];
		memset(w.seen, 0, nc ? nc : 1);
		w.cols = calloc(nc ? nc : 1, sizeof *w.cols);
		if (!w.cols)
			abort();
		w.ncols = 0;
		w.asof = false;
		w.ok = words_ok;
		walk_cond(&w, r->applies);
		walk_cond(&w, r->decides);
		for (int lang = 0; lang < 2; lang++)
			walk_segs(&w, &r->tpl[lang]);
		for (size_t j = 0; j < r->nparts; j++) {
			walk_cond(&w, r->parts[j].c);
			for (int lang = 0; lang < 2; lang++)
				walk_segs(&w, &r->parts[j].tpl[lang]);
		}
		for (size_t i = 0; i < r->ninputs; i++)
			walk_opnd(&w, r->inputs[i].p);
		r->dep_cols = w.cols;
		r->ndeps = w.ncols;
		r->dep_asof = w.asof;
		r->cacheable = w.ok;
		r->direct = 0;
		size_t combos = 2;   /* the languages */
		for (size_t i = 0; w.ok && !w.asof && i < w.ncols && combos <= DIRECT_MAX; i++)
			combos *= value_codes(&n->d->cols[w.cols[i]]);
		if (w.ok && !w.asof && combos <= DIRECT_MAX)
			r->direct = combos;
		nat_keep_block(n, w.cols);   /* freed with the plan */
	}
	free(w.seen);
}

/* ---- Per record ---- */

static bool put(char *key, size_t *len, const void *p, size_t k)
{
	if (*len + k > KEY_MAX)
		return false;
	memcpy(key + *len, p, k);
	*len += k;
	return true;
}

/* The exact bytes of the values rule r depends on, into key; false if
 * they do not fit. */
static bool make_key(struct native *n, const struct nrule *r, char *key, size_t *len)
{
	*len = 0;
	unsigned char lang = (unsigned char)n->lang;
	if (!put(key, len, &lang, 1))
		return false;
	if (r->dep_asof && !put(key, len, &n->as_of, sizeof n->as_of))
		return false;
	for (size_t i = 0; i < r->ndeps; i++) {
		const struct nval *v = &n->colv[r->dep_cols[i]];
		if (!put(key, len, &v->t, 1))
			return false;
		switch (v->t) {
		case NV_NIL:
			break;
		case NV_BOOL:
			if (!put(key, len, &v->b, 1))
				return false;
			break;
		case NV_STR:
			if (!put(key, len, &v->len, sizeof v->len) || !put(key, len, v->s, v->len))
				return false;
			break;
		default:   /* a number or a day: its 8 bytes; a list: which one */
			if (!put(key, len, &v->i, sizeof v->i))
				return false;
		}
	}
	return true;
}

/* Rule k's trace written into t from *start, by its shape or afresh;
 * false when it may not be kept (the writer handed the record to Lua). */
static bool write_anew(struct native *n, struct strbuf *t, size_t k,
		       void (*write)(struct native *, struct strbuf *, size_t), size_t *start)
{
	*start = t->len;
	bool defer = n->defer;
	n->defer = false;
	nat_trace_rule_shaped(n, t, k, write);
	bool ok = !n->defer;
	n->defer = n->defer || defer;
	return ok;
}

/* Rule k's trace from its direct table: the record's values numbered
 * (missing 0, a yes/no 1 + its value, an enumeration 1 + its token's
 * number) and the language give its place. */
static void trace_direct(struct native *n, struct strbuf *t, size_t k, struct rule_cache *rc,
			 void (*write)(struct native *, struct strbuf *, size_t))
{
	const struct nrule *r = &n->rules[k];
	size_t at = (size_t)n->lang;
	for (size_t i = 0; i < r->ndeps; i++) {
		int col = r->dep_cols[i];
		const struct value *v = &n->vals[col];
		size_t code = v->kind == V_BOOL ? 1 + (size_t)v->u.b : v->kind == V_ENUM ? 1 + v->u.e : 0;
		at = at * value_codes(&n->d->cols[col]) + code;
	}
	if (!rc->direct) {
		rc->direct = calloc(r->direct, sizeof *rc->direct);
		if (!rc->direct)
			abort();
	}
	struct direct_text *d = &rc->direct[at];
	if (d->len) {
		strbuf_add(t, rc->texts.buf + d->at, d->len);
		return;
	}
	size_t start;
	if (write_anew(n, t, k, write, &start) && t->len > start &&
	    rc->texts.len + (t->len - start) < UINT32_MAX) {
		d->at = (uint32_t)rc->texts.len;
		d->len = (uint32_t)(t->len - start);
		strbuf_add(&rc->texts, t->buf + start, d->len);
	}
}

void nat_trace_rule_cached(struct native *n, struct strbuf *t, size_t k,
			   void (*write)(struct native *, struct strbuf *, size_t))
{
	const struct nrule *r = &n->rules[k];
	char key[KEY_MAX];
	size_t keylen;
	if (!n->rcache) {
		n->rcache = calloc(n->nrules, sizeof *n->rcache);
		if (!n->rcache)
			abort();
	}
	struct rule_cache *rc = &n->rcache[k];
	if (r->direct) {
		trace_direct(n, t, k, rc, write);
		return;
	}
	if (!r->cacheable || rc->off || !make_key(n, r, key, &keylen)) {
		nat_trace_rule_shaped(n, t, k, write);
		return;
	}
	if (nat_trial_failed(&rc->lookups, rc->hits)) {
		rc->off = true;
		for (size_t i = 0; i < CACHE_WAYS; i++) {
			free(rc->e[i].mem);
			rc->e[i].mem = NULL;
			rc->e[i].tag = 0;
		}
		nat_trace_rule_shaped(n, t, k, write);
		return;
	}
	uint64_t hash = nat_key_hash(key, keylen);
	uint32_t tag = nat_key_tag(hash);
	struct cache_entry *set = &rc->e[2 * (hash % CACHE_SETS)];
	for (int w = 0; w < 2; w++) {
		struct cache_entry *e = &set[w];
		if (e->tag == tag && e->keylen == keylen && memcmp(e->mem, key, keylen) == 0) {
			rc->hits++;
			e->used = (uint32_t)rc->lookups;
			strbuf_add(t, e->mem + nat_key_room(keylen), e->textlen);
			return;
		}
	}
	struct cache_entry *e = set[0].used <= set[1].used ? &set[0] : &set[1];
	e->used = (uint32_t)rc->lookups;
	size_t start;
	if (write_anew(n, t, k, write, &start)) {
		size_t len = t->len - start, need = nat_key_room(keylen) + len;
		if (need > e->cap) {
			char *p = realloc(e->mem, need);
			if (!p)
				abort();
			e->mem = p;
			e->cap = (uint32_t)need;
		}
		memcpy(e->mem, key, keylen);
		memcpy(e->mem + nat_key_room(keylen), t->buf + start, len);
		e->textlen = (uint32_t)len;
		e->keylen = (uint32_t)keylen;
		e->tag = tag;
	}
}

void native_cache_free(struct native *n)
{
	if (!n->rcache)
		return;
	for (size_t k = 0; k < n->nrules; k++) {
		for (size_t i = 0; i < CACHE_WAYS; i++)
			free(n->rcache[k].e[i].mem);
		free(n->rcache[k].direct);
		strbuf_release(&n->rcache[k].texts);
	}
	free(n->rcache);
	n->rcache = NULL;
}
