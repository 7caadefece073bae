/*
 * native_shape — a rule's trace kept as text with holes, one per shape.
 *
 * native_cache keeps a rule's trace for each set of values; a rule that
 * reads a date or several counts seldom sees the same values twice, and
 * is written afresh for every record: some sixty pieces of text and a
 * dozen values, each through the general writer.  Yet its text, but for
 * the values, is the same for every record of the same shape: the same
 * rule result and decides, the same results of the conditions it reports
 * on, the same columns missing.  So the first record of a shape is written
 * by the general writer, which notes where each value went (a hole: its
 * place, its operand and how it was written); a later record of that
 * shape copies the text between the holes and writes only its own values,
 * each by the same function as the writer used, so the bytes are the same.
 *
 * What the text can depend on besides the values, and so what makes up
 * the shape's key: the language; the rule's result and decides; the
 * reference date when the rule reads it (as native_cache); the result of
 * every condition under the rule (under its parts only when the rule
 * applies: a rule that does not apply says only that); for each column
 * the rule depends on, the value of a yes/no or an enumeration (their
 * text is then the shape's own, not a hole); and, when one of those
 * conditions is unknown, the kind of each such column's value (missing or
 * not: a message for an unknown condition names the missing columns, and
 * nothing else in the text depends on it).  Rules that
 * native_cache never caches (they read other rules' results, or the
 * record's reasons) are never shaped either, and nothing is kept from a
 * record during which the writer handed the record to Lua (n->defer), or
 * when the plan's texts are not valid UTF-8.
 *
 * tests/native.sh compares the output with shapes and without
 * (VERDICT_NO_SHAPES=1) on generated records of every decision.
 *
 * Memory: 2 * SHAPE_SETS shapes a rule, each its key, holes and text in a
 * slot the size of the rule's largest shape (rounded up to a power of two),
 * all of a rule's slots allocated at once: a long run allocates nothing
 * more once its shapes are known, and memory stays flat (a few MiB for
 * the shipped rules; SHAPE_BUDGET for all rules together).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "native_plan.h"
#include "pages.h"

#define SHAPE_SETS 128   /* two shapes a set, the one used last kept */
#define SKEY_MAX   128   /* a longer key: written afresh */
#define SHAPE_HOLES 256  /* more values in one rule's trace: written afresh */
#define HOLE_ROOM  24    /* room made for a hole: a date, a count, a word */
/* A rule's slots are the size of its largest shape so far, doubled from
 * SLOT_MIN up to SLOT_MAX (a longer trace is written afresh), and 64
 * bytes more: the slots' first lines then fall in different sets of the
 * cache. */
#define SLOT_MIN   1024
#define SLOT_MAX   16384
/* All the rules' slots together at most (a rule set of many rules with
 * long traces): a rule that would need more is written afresh. */
#define SHAPE_BUDGET ((size_t)24 << 20)

/* A kept shape: looked up by its tag first (the table of a rule is small
 * enough to stay in the cache; the slots are not). */
struct shape {
	uint32_t tag;          /* the key's hash, high half, never 0; 0: empty */
	uint16_t keylen, nholes;
	uint32_t textlen;
	uint32_t used;         /* the rule's lookup count when last found or kept */
};

struct rule_shapes {
	/* A rule whose shapes seldom repeat gains nothing: after NAT_TRIAL
	 * lookups with fewer than a quarter found, it is written directly. */
	size_t lookups, hits;
	bool off;
	struct shape e[2 * SHAPE_SETS];
	/* a slot of stride bytes a shape (its key, holes, then text), all
	 * allocated at once when the first is kept, and again when a shape
	 * needs larger slots; pages are touched as shapes come */
	char *block;
	size_t stride;
	/* the slots whose pages are mapped (map_slot), a bit each */
	uint64_t mapped[2 * SHAPE_SETS / 64];
};

/* Shape i's slot; its key, holes and text. */
static char *slot_of(const struct rule_shapes *rs, const struct shape *e)
{
	return rs->block + (size_t)(e - rs->e) * rs->stride;
}

static struct nhole *holes_of(const struct rule_shapes *rs, const struct shape *e)
{
	return (struct nhole *)(slot_of(rs, e) + nat_key_room(e->keylen));
}

static char *text_of(const struct rule_shapes *rs, const struct shape *e)
{
	return (char *)(holes_of(rs, e) + e->nholes);
}

/* ---- At load: the conditions under each rule ---- */

struct cwalk {
	const struct cnode **v;
	size_t n, cap;
};

static void walk_cond(struct cwalk *w, const struct cnode *c);

static void walk_opnd(struct cwalk *w, const struct onode *o)
{
	if (!o)
		return;
	walk_opnd(w, o->a);
	walk_opnd(w, o->b);
	walk_opnd(w, o->ref);
	walk_opnd(w, o->inner);
	for (size_t k = 0; o->list && k < o->n; k++)
		walk_opnd(w, o->list[k]);
	if (o->op == O_COND)
		walk_cond(w, o->c);
}

static void walk_cond(struct cwalk *w, const struct cnode *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < w->n; i++)
		if (w->v[i] == c)
			return;
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 16;
		w->v = realloc(w->v, w->cap * sizeof *w->v);
		if (!w->v)
			abort();
	}
	w->v[w->n++] = c;
	walk_opnd(w, c->a);
	walk_opnd(w, c->b);
	walk_opnd(w, c->lo);
	walk_opnd(w, c->hi);
	for (size_t k = 0; k < c->n; k++)
		walk_cond(w, c->parts[k]);
}

void native_shape_plan(struct native *n)
{
	for (size_t k = 0; k < n->nrules; k++) {
		struct nrule *r = &n->rules[k];
		struct cwalk w = { NULL, 0, 0 };
		walk_cond(&w, r->applies);
		walk_cond(&w, r->decides);
		r->nsconds_head = w.n;
		for (size_t j = 0; j < r->nparts; j++)
			walk_cond(&w, r->parts[j].c);
		r->sconds = w.v;
		r->nsconds = w.n;
		if (w.v) {
			nat_keep_block(n, w.v);   /* freed with the plan */
		}
	}
}

/* ---- While the first record of a shape is written ---- */

static void push(struct nhole **v, size_t *len, size_t *cap, const struct nhole *h)
{
	if (*len == *cap) {
		*cap = *cap ? 2 * *cap : 32;
		*v = realloc(*v, *cap * sizeof **v);
		if (!*v)
			abort();
	}
	(*v)[(*len)++] = *h;
}

void nat_shape_hole(struct native *n, const struct strbuf *out, size_t at, const struct nhole *h)
{
	/* A yes/no or an enumeration's cell is part of the key: its text is
	 * the shape's own. */
	if (h->op->op == O_COL && (n->vals[h->op->col].kind == V_BOOL || n->vals[h->op->col].kind == V_ENUM))
		return;
	struct nhole x = *h;
	x.at = (uint32_t)at;
	x.end = (uint32_t)out->len;
	if (out == n->rec_t)
		push(&n->hole_t, &n->nhole_t, &n->caphole_t, &x);
	else if (out == &n->msg)
		push(&n->hole_m, &n->nhole_m, &n->caphole_m, &x);
	else
		n->rec_bad = true;   /* written somewhere this file does not follow */
}

void nat_shape_msg_copied(struct native *n, const struct strbuf *t, size_t at, size_t off, size_t end)
{
	if (t != n->rec_t) {
		n->rec_bad = true;
		return;
	}
	for (size_t i = 0; i < n->nhole_m; i++) {
		struct nhole x = n->hole_m[i];
		if (x.at < off || x.end > end)
			continue;
		x.at = (uint32_t)(x.at - off + at);
		x.end = (uint32_t)(x.end - off + at);
		push(&n->hole_t, &n->nhole_t, &n->caphole_t, &x);
	}
}

/* ---- Per record ---- */

/* The shape of rule k's trace for this record, into key; false if it
 * does not fit. */
static bool make_key(struct native *n, size_t k, unsigned char *key, size_t *len)
{
	const struct nrule *r = &n->rules[k];
	size_t nc = n->res[k] == R_NA ? r->nsconds_head : r->nsconds;
	size_t need = 4 + (r->dep_asof ? sizeof n->as_of : 0) + nc + 2 * r->ndeps;
	if (need > SKEY_MAX)
		return false;
	unsigned char *p = key;
	*p++ = (unsigned char)n->lang;
	*p++ = (unsigned char)n->res[k];
	*p++ = (unsigned char)n->decides[k];
	if (r->dep_asof) {
		memcpy(p, &n->as_of, sizeof n->as_of);
		p += sizeof n->as_of;
	}
	bool unknown = n->res[k] == R_UNK;
	for (size_t i = 0; i < nc; i++) {
		int c = nat_cond(n, r->sconds[i]);
		unknown |= c == TU;
		*p++ = (unsigned char)c;
	}
	/* Which columns are missing matters only to a message that names
	 * them, which only an unknown condition has. */
	*p++ = unknown;
	for (size_t i = 0; i < r->ndeps; i++) {
		const struct value *v = &n->vals[r->dep_cols[i]];
		if (unknown)
			*p++ = (unsigned char)v->kind;
		if (v->kind == V_BOOL) {
			*p++ = (unsigned char)(1 + v->u.b);
		} else if (v->kind == V_ENUM) {
			if (v->u.e > 250)
				return false;
			*p++ = (unsigned char)(3 + v->u.e);
		} else {
			*p++ = 0;
		}
	}
	*len = (size_t)(p - key);
	return true;
}

/* Room for what is left of e from pos (hole i on), holes at their usual
 * size, and extra bytes more. */
static char *room(struct strbuf *t, const struct shape *e, size_t pos, size_t i, size_t extra)
{
	size_t need = e->textlen - pos + HOLE_ROOM * (e->nholes - i) + extra;
	if (t->cap - t->len <= need)
		strbuf_grow(t, need);
	return t->buf + t->len;
}

/* Hole h written at p without the general writer, where it is an integer
 * cell or a date that can be written; returns the bytes, or 0. */
static size_t quick(struct native *n, const struct nhole *h, char *p)
{
	if (h->quick == HQ_COUNT) {
		/* as add_number writes it: at most 24 bytes, within HOLE_ROOM */
		const struct nval *v = &n->colv[h->op->col];
		return v->t == NV_INT || v->t == NV_NUM ? nat_number_chars(p, v) : 0;
	}
	struct nval v = nat_value(n, h->op);
	if (v.t != NV_INT || v.i < n->day_lo || v.i > n->day_hi)
		return 0;
	const char *d = nat_date_text(n, (date_t)v.i);
	if (h->quick == HQ_DATE_TEXT) {
		memcpy(p, d, 10);
		return 10;
	}
	p[0] = '"';
	memcpy(p + 1, d, 10);
	p[11] = '"';
	return 12;
}

/* The shape's text, with this record's values in its holes.  Room for the
 * text and holes of usual size is made at once and written without a
 * check a piece; a hole written by the general writer makes room again. */
static void replay(struct native *n, struct strbuf *t, const struct rule_shapes *rs, const struct shape *e)
{
	const struct nhole *holes = holes_of(rs, e);
	const char *text = text_of(rs, e);
	size_t pos = 0;
	size_t at[SHAPE_HOLES], len[SHAPE_HOLES];   /* where each hole's value went */
	char *p = room(t, e, 0, 0, 0);
	for (size_t i = 0; i < e->nholes; i++) {
		const struct nhole *h = &holes[i];
		strbuf_copy_(p, text + pos, h->at - pos);
		p += h->at - pos;
		pos = h->end;
		t->len = (size_t)(p - t->buf);
		at[i] = t->len;
		size_t k;
		if (h->same) {
			/* a value written before in this trace (a part's message
			 * is also in the rule's): copied */
			k = len[h->same - 1];
			if (k > HOLE_ROOM)
				p = room(t, e, pos, i, k);
			strbuf_copy_(p, t->buf + at[h->same - 1], k);
		} else if (!h->quick || !(k = quick(n, h, p))) {
			nat_put_hole(n, t, h);
			k = t->len - at[i];
			p = room(t, e, pos, i + 1, 0) - k;
		}
		p += k;
		len[i] = k;
	}
	strbuf_copy_(p, text + pos, e->textlen - pos);
	p += e->textlen - pos;
	t->len = (size_t)(p - t->buf);
	t->buf[t->len] = '\0';
}

/* The pages of shape e's slot mapped in one call when it is first
 * written, not a fault each (the first shapes of a run took some 950
 * faults, 10 us or more each on a paravirtualized machine).  Only the
 * slots used: a rule's block is made for 256 shapes and most rules keep
 * a few, whose pages alone count in the resident memory. */
static void map_slot(struct rule_shapes *rs, const struct shape *e)
{
	size_t i = (size_t)(e - rs->e);
	uint64_t bit = (uint64_t)1 << (i % 64);
	if (rs->mapped[i / 64] & bit)
		return;
	rs->mapped[i / 64] |= bit;
	pages_populate_within(slot_of(rs, e), rs->stride, rs->block, 2 * SHAPE_SETS * rs->stride);
}

static bool same_hole(const struct nhole *a, const struct nhole *b)
{
	return a->op == b->op && a->how == b->how && a->json == b->json && a->date == b->date &&
	       a->kind == b->kind && a->tcol == b->tcol;
}

/* Slots of at least need bytes, the shapes kept so far moved into them;
 * false when need is over SLOT_MAX. */
static bool larger_slots(struct native *n, struct rule_shapes *rs, size_t need)
{
	size_t size = SLOT_MIN;
	while (size + 64 < need && size < SLOT_MAX)
		size *= 2;
	if (size + 64 < need)
		return false;
	size_t stride = size + 64;
	size_t was = 2 * SHAPE_SETS * rs->stride, now = 2 * SHAPE_SETS * stride;
	if (n->shape_bytes - was + now > SHAPE_BUDGET)
		return false;   /* the rule set's shapes have all the room they get */
	n->shape_bytes = n->shape_bytes - was + now;
	char *block = aligned_alloc(64, now);
	if (!block)
		abort();
	char *old = rs->block;
	size_t old_stride = rs->stride;
	rs->block = block;
	rs->stride = stride;
	memset(rs->mapped, 0, sizeof rs->mapped);
	for (size_t i = 0; i < 2 * SHAPE_SETS; i++) {
		const struct shape *e = &rs->e[i];
		if (e->tag) {
			map_slot(rs, e);
			memcpy(block + i * stride, old + i * old_stride,
			       nat_key_room(e->keylen) + e->nholes * sizeof(struct nhole) + e->textlen);
		}
	}
	free(old);
	return true;
}

/* The trace just written into t from start, with its holes, kept in e
 * (not kept if it does not fit a slot). */
static void keep(struct native *n, struct rule_shapes *rs, struct shape *e, const struct strbuf *t,
		 size_t start, const unsigned char *key, size_t keylen, uint32_t tag)
{
	size_t len = t->len - start;
	e->tag = 0;
	size_t need = nat_key_room(keylen) + n->nhole_t * sizeof(struct nhole) + len;
	if (need > rs->stride && !larger_slots(n, rs, need))
		return;
	map_slot(rs, e);
	e->keylen = (uint16_t)keylen;
	e->nholes = (uint16_t)n->nhole_t;
	e->textlen = (uint32_t)len;
	memcpy(slot_of(rs, e), key, keylen);
	struct nhole *holes = holes_of(rs, e);
	memcpy(text_of(rs, e), t->buf + start, len);
	for (size_t i = 0; i < n->nhole_t; i++) {
		struct nhole *h = &holes[i];
		*h = n->hole_t[i];
		h->at -= (uint32_t)start;
		h->end -= (uint32_t)start;
		h->same = 0;
		for (size_t j = 0; j < i && !h->same; j++)
			if (same_hole(h, &holes[j]))
				h->same = (uint32_t)j + 1;
		bool date = h->how == HOLE_JSON ? h->date : h->kind == K_DATE;
		h->quick = date ? (h->how == HOLE_JSON ? HQ_DATE_JSON : HQ_DATE_TEXT)
			   : h->op->op == O_COL ? HQ_COUNT : HQ_NONE;
	}
	e->tag = tag;
}

static void release(struct native *n, struct rule_shapes *rs)
{
	n->shape_bytes -= 2 * SHAPE_SETS * rs->stride;
	free(rs->block);
	rs->block = NULL;
	rs->stride = 0;
	memset(rs->mapped, 0, sizeof rs->mapped);
	for (size_t i = 0; i < 2 * SHAPE_SETS; i++)
		rs->e[i].tag = 0;
}

void nat_trace_rule_shaped(struct native *n, struct strbuf *t, size_t k,
			   void (*write)(struct native *, struct strbuf *, size_t))
{
	const struct nrule *r = &n->rules[k];
	unsigned char key[SKEY_MAX];
	size_t keylen;
	if (!n->shapes) {
		n->shapes = calloc(n->nrules, sizeof *n->shapes);
		if (!n->shapes)
			abort();
		const char *no = getenv("VERDICT_NO_SHAPES");
		if (no && *no && strcmp(no, "0") != 0)
			for (size_t i = 0; i < n->nrules; i++)
				n->shapes[i].off = true;
	}
	struct rule_shapes *rs = &n->shapes[k];
	if (!r->cacheable || !n->valid_text || rs->off || n->rec || !make_key(n, k, key, &keylen)) {
		write(n, t, k);
		return;
	}
	if (nat_trial_failed(&rs->lookups, rs->hits)) {
		rs->off = true;
		release(n, rs);
		write(n, t, k);
		return;
	}
	uint64_t hash = nat_key_hash(key, keylen);
	uint32_t tag = nat_key_tag(hash);
	struct shape *set = &rs->e[2 * (hash % SHAPE_SETS)];
	for (int w = 0; w < 2; w++) {
		struct shape *e = &set[w];
		if (e->tag == tag && e->keylen == keylen && memcmp(slot_of(rs, e), key, keylen) == 0) {
			rs->hits++;
			e->used = (uint32_t)rs->lookups;
			replay(n, t, rs, e);
			return;
		}
	}
	struct shape *e = set[0].used <= set[1].used ? &set[0] : &set[1];
	e->used = (uint32_t)rs->lookups;
	size_t start = t->len;
	bool defer = n->defer;
	n->defer = false;
	n->rec = true;
	n->rec_bad = false;
	n->rec_t = t;
	n->nhole_t = n->nhole_m = 0;
	write(n, t, k);
	n->rec = false;
	n->rec_t = NULL;
	if (!n->defer && !n->rec_bad && n->nhole_t <= SHAPE_HOLES)
		keep(n, rs, e, t, start, key, keylen, tag);
	n->defer = n->defer || defer;
}

void native_shape_free(struct native *n)
{
	free(n->hole_t);
	free(n->hole_m);
	n->hole_t = n->hole_m = NULL;
	n->caphole_t = n->caphole_m = n->nhole_t = n->nhole_m = 0;
	if (!n->shapes)
		return;
	for (size_t k = 0; k < n->nrules; k++)
		release(n, &n->shapes[k]);
	free(n->shapes);
	n->shapes = NULL;
}
