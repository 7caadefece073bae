/* native_eval — evaluating a record with a decision's plan; see native_plan.h. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include "native_plan.h"

/* ---- Evaluating ---- */

static const struct nval NIL = { .t = NV_NIL };

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
	case V_STRING: r.t = NV_STR; r.s = v->s; r.len = (uint32_t)v->len; break;
	case V_INT: r.t = NV_INT; r.i = v->u.i; break;
	case V_NUMBER: r.t = NV_NUM; r.n = v->u.n; break;
	case V_BOOL: r.t = NV_BOOL; r.b = v->u.b; break;
	case V_DATE: r.t = NV_INT; r.i = v->u.d; break;
	case V_ENUM: {
		const char *tok = n->d->cols[col].tokens[v->u.e];
		r.t = NV_STR;
		r.s = tok;
		r.len = n->toklen[col][v->u.e];
		break;
	}
	}
	return r;
}


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

struct nval nat_value_of(struct native *n, const struct onode *o)
{
	switch (o->op) {
	case O_COL:
		return n->colv[o->col];
	case O_LIT:
		return o->lit;
	case O_DPARAM: {
		struct nval day = nat_value(n, o->ref);
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
			n->cache[o->slot] = nat_value(n, o->inner);
			n->stamp[o->slot] = n->gen;
		}
		return n->cache[o->slot];
	case O_ADDM: {
		struct nval x = nat_value(n, o->a);
		if (x.t == NV_NIL)
			return NIL;
		struct nval y = nat_value(n, o->b);
		if (y.t == NV_NIL)
			return NIL;
		long long d, m;
		/* a month count of 1.5 is the Lua evaluator's ERROR naming the
		 * rule (eval.lua), as is a day of 1.5 */
		if ((y.t == NV_NUM && y.n != floor(y.n)) || !floor_int(&y, &m) ||
		    (x.t == NV_NUM && x.n != floor(x.n)) || !floor_int(&x, &d)) {
			n->defer = true;
			return NIL;
		}
		if (m < -120000 || m > 120000) {
			n->defer = true;   /* a count past the calendar: Lua names it (m * k would overflow) */
			return NIL;
		}
		m *= o->k;
		date_t out;
		if (m < -120000 || m > 120000 || d < INT32_MIN || d > INT32_MAX ||
		    !date_add_months((date_t)d, (int)m, &out)) {
			n->defer = true;   /* out of the calendar: Lua names the error */
			return NIL;
		}
		struct nval r = NIL;
		r.t = NV_INT;
		r.i = out;
		return r;
	}
	case O_DAYS: case O_PLUS: case O_MINUS: case O_TIMES: {
		struct nval x = nat_value(n, o->a);
		if (x.t == NV_NIL)
			return NIL;
		struct nval y = nat_value(n, o->b);
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
			struct nval x = nat_value(n, o->list[k]);
			if (x.t != NV_NIL)
				return x;
		}
		return NIL;
	case O_COND: {
		int t = nat_cond(n, o->c);
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

/* Whether s[0..len), lower-cased as Lua's string.lower does in the C
 * locale (ASCII only), is key[0..len). */
static bool equal_folded(const char *s, const char *key, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch >= 'A' && ch <= 'Z' ? ch + 32 : ch) != (unsigned char)key[i])
			return false;
	}
	return true;
}

static bool in_list(struct native *n, const struct nlist *l, const char *s, size_t len)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->lens[i] == len && equal_folded(s, l->keys[i], len))
			return true;
	return false;
}

/* The label of token s in column col, or NULL. */
const char *nat_label_of(struct native *n, int col, const char *s, size_t len)
{
	const struct column_def *c = &n->d->cols[col];
	for (size_t k = 0; k < c->ntokens; k++)
		if (strlen(c->tokens[k]) == len && memcmp(c->tokens[k], s, len) == 0)
			return c->labels[k];
	return NULL;
}

__attribute__((noinline)) static int ceval_now(struct native *n, const struct cnode *c);

/* is: whether the text s is the token (before neg). */
static bool is_same(const struct cnode *c, const char *s, size_t len)
{
	if (c->exact)
		return len == c->toklen && memcmp(s, len <= sizeof c->tok8 ? c->tok8 : c->token, len) == 0;
	return len == c->foldlen && equal_folded(s, c->folded, len);
}

/* one_of: whether the text s (or its label) is in the list. */
static bool one_of_hit(struct native *n, const struct cnode *c, const struct nlist *l, const char *s,
		       size_t len)
{
	if (in_list(n, l, s, len))
		return true;
	if (c->labels >= 0) {
		const char *label = nat_label_of(n, c->labels, s, len);
		if (label && in_list(n, l, label, strlen(label)))
			return true;
	}
	return false;
}

void nat_plan_quick(struct native *n, struct cnode *c)
{
	static const unsigned char masks[] = { [CMP_GE] = 6, [CMP_GT] = 4, [CMP_LE] = 3, [CMP_LT] = 1,
					       [CMP_EQ] = 2 };
	c->by_enum = false;
	c->intcmp = 0;
	if (c->op == C_CMP && c->acol >= 0 && c->bconst && c->blit.t == NV_INT)
		c->intcmp = masks[c->cmp];
	if (c->acol < 0 || (c->op != C_IS && c->op != C_ONE_OF))
		return;
	const struct column_def *col = &n->d->cols[c->acol];
	if (col->base != COL_ENUM || col->ntokens > 64)
		return;
	if (c->op == C_ONE_OF && (!c->bconst || c->blit.t != NV_LIST))
		return;
	uint64_t m = 0;
	for (size_t e = 0; e < col->ntokens; e++) {
		const char *tok = col->tokens[e];
		size_t len = strlen(tok);
		bool hit = c->op == C_IS ? is_same(c, tok, len) : one_of_hit(n, c, c->blit.list, tok, len);
		if (hit)
			m |= 1ULL << e;
	}
	c->emask = m;
	c->by_enum = true;
}

/* c's result for this record, not yet known: work it out and keep it. */
int nat_cond_now(struct native *n, const struct cnode *c)
{
	/* Most conditions (87% with the shipped rules) are of these kinds, a few
	 * instructions: done here, without the call and register saves of
	 * ceval_now, which does the rest (nat_cond_now is its only caller). */
	int r;
	if (c->by_enum && n->vals[c->acol].kind == V_ENUM) {
		bool hit = (c->emask >> n->vals[c->acol].u.e) & 1;
		r = tri(c->op == C_IS && c->neg ? !hit : hit);
	} else if (c->intcmp && n->colv[c->acol].t == NV_INT) {
		long long a = n->colv[c->acol].i, b = c->blit.i;
		r = (c->intcmp >> ((a > b) - (a < b) + 1)) & 1;   /* TT 1, TF 0 */
	} else if (c->intcmp && n->colv[c->acol].t == NV_NIL) {
		r = TU;
	} else if (c->op == C_ALWAYS) {
		r = TT;
	} else if (c->op == C_BOOL && c->acol >= 0) {
		const struct nval *x = &n->colv[c->acol];
		r = x->t == NV_NIL ? TU : tri(x->t == NV_BOOL && x->b == c->want);
	} else {
		r = ceval_now(n, c);
	}
	n->cres[c->slot] = (unsigned char)r;
	n->cstamp[c->slot] = n->gen;
	return r;
}

static int ceval_now(struct native *n, const struct cnode *c)
{
	switch (c->op) {
	case C_CMP: {
		struct nval x = nat_a(n, c);
		if (x.t == NV_NIL)
			return TU;
		struct nval y = nat_b(n, c);
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
		struct nval x = nat_a(n, c);
		if (x.t == NV_NIL)
			return TU;
		struct nval l = nat_value(n, c->lo), h = nat_value(n, c->hi);
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
	case C_IS: {   /* by token number: in nat_cond_now */
		struct nval x = nat_a(n, c);
		if (x.t == NV_NIL)
			return TU;
		if (x.t != NV_STR) {
			n->defer = true;   /* tostring of a number or yes/no: Lua's */
			return TU;
		}
		bool same = is_same(c, x.s, x.len);
		return tri(c->neg ? !same : same);
	}
	case C_ONE_OF: {   /* by token number: in nat_cond_now */
		struct nval x = nat_a(n, c);
		if (x.t == NV_NIL)
			return TU;
		struct nval l = nat_b(n, c);
		if (l.t == NV_NIL)
			return TU;
		if (l.t != NV_LIST || x.t != NV_STR) {
			n->defer = true;
			return TU;
		}
		return tri(one_of_hit(n, c, l.list, x.s, x.len));
	}
	case C_BOOL: {
		struct nval x = nat_a(n, c);
		if (x.t == NV_NIL)
			return TU;
		return tri(x.t == NV_BOOL && x.b == c->want);
	}
	case C_PRESENT: {
		struct nval x = nat_a(n, c);
		bool present = x.t != NV_NIL;
		return tri(c->want ? present : !present);
	}
	case C_ALL: case C_ANY: {
		int stop = c->op == C_ALL ? TF : TT;
		bool unknown = false;
		for (size_t k = 0; k < c->n; k++) {
			int r = nat_cond(n, c->parts[k]);
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
		int r = nat_cond(n, c->parts[0]);
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


/* The missing columns under operand o, when o itself is unknown: a value
 * known in spite of them (first_present's fallback, a condition decided
 * by its other parts) is not held up by them, and filling them would not
 * decide anything (contract 3: the columns that would decide it). */
static void oblame(struct native *n, const struct onode *o, unsigned char *set)
{
	if (o->op != O_COL && nat_value(n, o).t != NV_NIL)
		return;
	switch (o->op) {
	case O_COL:
		if (n->vals[o->col].kind == V_MISSING)
			set[o->col] = 1;
		break;
	case O_LIT: case O_ASOF:
		break;
	case O_DPARAM:
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
		nat_blame(n, o->c, set);
		break;
	}
}

void nat_blame(struct native *n, const struct cnode *c, unsigned char *set)
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
			if (nat_cond(n, c->parts[k]) == TU)
				nat_blame(n, c->parts[k], set);
		break;
	case C_NOT:
		nat_blame(n, c->parts[0], set);
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
				nat_blame(n, n->rules[k].decides, set);
		}
		break;
	}
}

/* ---- Rules ---- */

/* The rule's body alone (its parts, all or any of them).  Inlined: it is
 * on every record's path (eval_rule), and a call of its own cost 280
 * instructions a record. */
static inline __attribute__((always_inline)) int eval_body(struct native *n, const struct nrule *r)
{
	int body;
	if (!r->any) {
		body = R_PASS;
		for (size_t j = 0; j < r->nparts; j++) {
			int x = nat_cond(n, r->pc[j]);
			if (x == TF)
				return R_FAIL;
			if (x == TU)
				body = R_UNK;
		}
	} else {
		body = R_FAIL;
		for (size_t j = 0; j < r->nparts; j++) {
			int x = nat_cond(n, r->pc[j]);
			if (x == TT)
				return R_PASS;
			if (x == TU)
				body = R_UNK;
		}
	}
	return body;
}

static int eval_rule(struct native *n, const struct nrule *r)
{
	int app = nat_cond(n, r->applies);
	if (app == TF)
		return R_NA;
	int body = eval_body(n, r);
	if (app == TU)
		return R_UNK;
	return body;
}

/* The missing columns that leave the rule unknown: those of `applies`
 * when it is unknown, and those of its unknown parts only when they leave
 * the body unknown (a body already FALSE, or TRUE for any-of, stays so
 * whatever they hold: contract 3).  eval.lua's blame_rule does the same. */
void nat_blame_rule(struct native *n, const struct nrule *r, unsigned char *set)
{
	if (nat_cond(n, r->applies) == TU)
		nat_blame(n, r->applies, set);
	if (eval_body(n, r) != R_UNK)
		return;
	for (size_t j = 0; j < r->nparts; j++)
		if (nat_cond(n, r->pc[j]) == TU)
			nat_blame(n, r->pc[j], set);
}

/* {missing_deciding}: the missing columns of the rules that came out
 * UNKNOWN and decide, or may (then also the columns that would tell
 * whether they do), leaving out those the verdict's own
 * any_deciding_unknown { except = ... } passes over.  eval.lua's
 * missing_deciding does the same. */
void nat_missing_deciding(struct native *n, const struct nverdict *entry, unsigned char *set)
{
	const struct cnode *c = entry ? entry->c : NULL;
	bool except_known = c && c->op == C_ANY_DECIDING && c->want_res == R_UNK;
	memset(set, 0, n->d->ncols);
	for (size_t k = 0; k < n->nrules; k++) {
		if (n->res[k] != R_UNK || n->decides[k] == TF)
			continue;
		bool skip = false;
		for (size_t e = 0; except_known && e < c->nexcept; e++)
			if (c->except[e] == (int)k)
				skip = true;
		if (skip)
			continue;
		nat_blame_rule(n, &n->rules[k], set);
		if (n->decides[k] == TU)
			nat_blame(n, n->rules[k].decides, set);
	}
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
	for (size_t i = 0; i < n->d->ncols; i++)
		n->colv[i] = column_value(n, (int)i);
	for (size_t k = 0; k < n->nrules; k++) {
		int r = eval_rule(n, &n->rules[k]);
		n->res[k] = r;
		n->decides[k] = r == R_NA ? TF : nat_cond(n, n->rules[k].decides);
	}
	memset(n->set, 0, n->d->ncols);
	strbuf_reset(&n->failed);
	for (size_t k = 0; k < n->nrules; k++) {
		if (n->res[k] == R_FAIL) {
			if (n->failed.len)
				strbuf_addch(&n->failed, ';');
			strbuf_addstr(&n->failed, n->rules[k].id);
		} else if (n->res[k] == R_UNK) {
			nat_blame_rule(n, &n->rules[k], n->set);
		}
	}
	/* The first entry TRUE gives the verdict; an UNKNOWN one first gives
	 * INCOMPLETE, and then the entries after it, up to the first TRUE,
	 * are what the missing values would choose between: theirs are
	 * blamed too, so that one round of filling in decides the record.
	 * eval.lua does the same. */
	const struct nverdict *entry = NULL;
	bool by_unknown = false;
	for (size_t k = 0; k < n->nverdicts; k++) {
		int c = nat_cond(n, n->verdicts[k].c);
		if (c == TT) {
			if (!entry)
				entry = &n->verdicts[k];
			break;
		}
		if (c == TU) {
			if (!entry) {
				entry = &n->verdicts[k];
				by_unknown = true;
			}
			nat_blame(n, n->verdicts[k].c, n->set);
		}
	}
	if (!entry || n->defer)
		return false;      /* Lua says "no verdict applies" as it should */
	strbuf_reset(&n->missing);
	for (size_t i = 0; i < n->d->ncols; i++) {
		/* Most columns are not to blame: eight flags at a look. */
		uint64_t eight;
		if (i % 8 == 0 && i + 8 <= n->d->ncols && (memcpy(&eight, n->set + i, 8), eight == 0)) {
			i += 7;
			continue;
		}
		if (!n->set[i])
			continue;
		if (n->missing.len)
			strbuf_addch(&n->missing, ';');
		strbuf_addstr(&n->missing, n->d->cols[i].name);
	}
	strbuf_reset(&n->reason);
	if (by_unknown) {
		struct strbuf *r = &n->reason;
		const struct segs *own = &n->incomplete[n->lang];
		if (!own->present) {
			nat_add_word(n, r, W_MISSING_PREFIX);
			if (!nat_add_names(n, r, n->set)) {
				strbuf_reset(r);
				nat_add_word(n, r, W_UNKNOWN_VALUE);
			}
		} else if (!nat_add_names(n, r, n->set)) {
			nat_add_word(n, r, W_UNKNOWN_VALUE);
		} else {
			/* the decision's own sentence, as eval.lua */
			strbuf_reset(r);
			n->entry = entry;
			n->none_deciding = false;
			n->in_incomplete = true;
			nat_render(n, r, own, NULL);
			n->in_incomplete = false;
			n->entry = NULL;
			if (n->none_deciding) {
				strbuf_reset(r);
				nat_add_word(n, r, W_UNKNOWN_VALUE);
			}
		}
	} else if (entry->tpl[n->lang].present) {
		n->entry = entry;
		n->none_deciding = false;
		nat_render(n, &n->reason, &entry->tpl[n->lang], NULL);
		n->entry = NULL;
		if (n->none_deciding) {
			strbuf_reset(&n->reason);
			nat_add_word(n, &n->reason, W_UNKNOWN_VALUE);
		}
	} else {
		nat_add_reasons(n, &n->reason);
		if (!n->reason.len)
			strbuf_addstr(&n->reason, entry->token);
	}
	if (want_trace)
		nat_trace(n, entry, by_unknown);
	if (n->defer)
		return false;
	memset(out, 0, sizeof *out);
	if (want_trace) {
		out->trace = n->trace.buf;
		out->trace_len = n->trace.len;
		out->trace_buf = &n->trace;
	}
	out->verdict = by_unknown ? "INCOMPLETE" : entry->token;
	out->failed = n->failed.buf ? n->failed.buf : "";
	out->missing = n->missing.buf ? n->missing.buf : "";
	out->reason = n->reason.buf ? n->reason.buf : "";
	return true;
}
