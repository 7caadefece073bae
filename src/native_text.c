/* native_text — messages, reasons and the trace of the native evaluator;
 * see native_plan.h. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include "json.h"
#include "native_plan.h"
#include "numtext.h"

void nat_add_word(struct native *n, struct strbuf *out, int which)
{
	const struct lstr *w = n->json ? &n->words[n->lang].wj[which] : &n->words[n->lang].w[which];
	strbuf_add(out, w->s, w->len);
}

/* Text from the record (a cell, a label): escaped while writing JSON. */
static void add_text(struct native *n, struct strbuf *out, const char *s, size_t len)
{
	if (n->json)
		json_escape_valid(out, s, len);
	else
		strbuf_add(out, s, len);
}

void nat_add_lstr(struct strbuf *out, const struct lstr *l)
{
	strbuf_add(out, l->s, l->len);
}

/* ---- Text ---- */

/* A number as T.number writes it. */
static void add_number(struct native *n, struct strbuf *out, const struct nval *v)
{
	char buf[NUMTEXT_MAX];
	strbuf_add(out, buf, nat_number_chars(buf, v));
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
	strbuf_addch(out, '"');
	json_escape_valid(out, s, len);
	strbuf_addch(out, '"');
}

/* A value as T.value shows it. */
static void add_value(struct native *n, struct strbuf *out, const struct nval *v, enum kind kind, int tcol)
{
	switch (v->t) {
	case NV_NIL:
		nat_add_word(n, out, W_MISSING);
		return;
	case NV_INT:
		if (kind == K_DATE) {
			if (v->i < n->day_lo || v->i > n->day_hi) {
				n->defer = true;   /* Lua reports the error */
				return;
			}
			strbuf_add(out, nat_date_text(n, (date_t)v->i), 10);
			return;
		}
		add_number(n, out, v);
		return;
	case NV_NUM:
		add_number(n, out, v);
		return;
	case NV_BOOL:
		nat_add_word(n, out, v->b ? W_YES : W_NO);
		return;
	case NV_LIST:
		if (n->json)
			nat_add_lstr(out, &v->list->jtext[n->lang]);
		else
			strbuf_addstr(out, v->list->text[n->lang]);
		return;
	case NV_STR:
		if (kind == K_ENUM && tcol >= 0 && n->lang == 1) {
			const char *label = nat_label_of(n, tcol, v->s, v->len);
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
size_t nat_add_names(struct native *n, struct strbuf *out, const unsigned char *set)
{
	size_t count = 0;
	for (size_t i = 0; i < n->d->ncols; i++) {
		if (!set[i])
			continue;
		if (count++)
			nat_add_word(n, out, W_LIST_SEP);
		nat_add_lstr(out, n->json ? &n->colname_j[n->lang][i] : &n->colname[n->lang][i]);
	}
	return count;
}

static void add_failed_ids(struct native *n, struct strbuf *out);

void nat_render(struct native *n, struct strbuf *out, const struct segs *sg, const unsigned char *names)
{
	for (size_t i = 0; i < sg->n; i++) {
		const struct seg *s = &sg->v[i];
		switch (s->t) {
		case S_LIT:
			if (n->json)
				nat_add_lstr(out, &s->js);
			else
				strbuf_add(out, s->s, s->len);
			break;
		case S_VAL: {
			struct nval v = nat_value(n, s->val);
			size_t at = out->len;
			add_value(n, out, &v, s->val->kind, s->val->tcol);
			if (n->rec) {
				struct nhole h = { .op = s->val, .how = HOLE_TEXT, .json = n->json,
						   .kind = (unsigned char)s->val->kind, .tcol = s->val->tcol };
				nat_shape_hole(n, out, at, &h);
			}
			break;
		}
		case S_REASONS:
			nat_add_reasons(n, out);
			break;
		case S_FAILED:
			add_failed_ids(n, out);
			break;
		case S_MISSING:
			nat_add_names(n, out, n->set);
			break;
		case S_MISSING_DECIDING:
			/* in the decision's incomplete sentence: what the verdict
			 * list left unknown, as {missing}; none to name: native_run
			 * gives the sentence of an unknown entry instead, as
			 * eval.lua */
			if (n->in_incomplete) {
				if (!nat_add_names(n, out, n->set))
					n->none_deciding = true;
				break;
			}
			nat_missing_deciding(n, n->entry, n->dset);
			if (!nat_add_names(n, out, n->dset))
				n->none_deciding = true;
			break;
		case S_NAMES:
			if (!names || !nat_add_names(n, out, names))
				nat_add_word(n, out, W_A_VALUE);
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
			if (nat_cond(n, c->parts[k]) != r)
				continue;
			if (count++)
				nat_add_word(n, out, W_SEP);
			cmessage(n, out, c->parts[k]);
		}
		return;
	}
	case C_NOT:
		nat_add_word(n, out, W_NOT_PREFIX);
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
		nat_render(n, out, &c->autom[n->lang], NULL);
	}
}

/* c's message: which columns are missing, or its automatic message. */
static void cmessage(struct native *n, struct strbuf *out, const struct cnode *c)
{
	int r = nat_cond(n, c);
	if (r != TU) {
		cauto(n, out, c, r);
		return;
	}
	memset(n->tmpset, 0, n->d->ncols);
	nat_blame(n, c, n->tmpset);
	nat_render(n, out, &n->words[n->lang].unknown, n->tmpset);
}

/* The message of a rule that failed (X.rule_message with FAIL). */
static void rule_message(struct native *n, struct strbuf *out, const struct nrule *r)
{
	if (r->tpl[n->lang].present) {
		nat_render(n, out, &r->tpl[n->lang], NULL);
		return;
	}
	size_t count = 0;
	for (size_t j = 0; j < r->nparts; j++) {
		const struct npart *p = &r->parts[j];
		if (nat_cond(n, p->c) != TF)
			continue;
		if (count++)
			nat_add_word(n, out, r->any ? W_ANY_SEP : W_SEP);
		if (p->tpl[n->lang].present)
			nat_render(n, out, &p->tpl[n->lang], NULL);
		else
			cauto(n, out, p->c, TF);
	}
}

/* "ID: message" of every deciding rule that failed, joined. */
void nat_add_reasons(struct native *n, struct strbuf *out)
{
	size_t count = 0;
	for (size_t k = 0; k < n->nrules; k++) {
		if (n->res[k] != R_FAIL || n->decides[k] == TF)
			continue;
		if (count++)
			nat_add_word(n, out, W_SEP);
		strbuf_addstr(out, n->rules[k].id);
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
		strbuf_addstr(out, n->rules[k].id);
	}
}

/* ---- The trace (eval.lua's trace_json) ---- */


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
			memcpy(buf + 1, nat_date_text(n, (date_t)v->i), 10);
			int len = 10;
			buf[len + 1] = '"';
			strbuf_add(out, buf, (size_t)len + 2);
			return;
		}
		add_number(n, out, v);
		return;
	case NV_NUM:
		add_number(n, out, v);
		return;
	case NV_BOOL:
		if (v->b)
			PUT_LIT(out, "true");
		else
			PUT_LIT(out, "false");
		return;
	case NV_LIST:
		strbuf_addstr(out, v->list->json);
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
		nat_render(n, out, &p->tpl[n->lang], NULL);
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
		nat_add_word(n, out, W_NOT_APPLICABLE);
		return;
	}
	if (res == R_UNK) {
		memset(n->tmpset, 0, n->d->ncols);
		nat_blame_rule(n, r, n->tmpset);
		nat_render(n, out, &w->unknown, n->tmpset);
		return;
	}
	if (res == R_FAIL) {
		rule_message(n, out, r);
		return;
	}
	size_t count = 0;
	for (size_t j = 0; j < r->nparts; j++) {
		if (nat_cond(n, r->parts[j].c) != TT)
			continue;
		if (count++)
			nat_add_word(n, out, W_SEP);
		part_message(n, out, &r->parts[j], TT);
	}
}

bool nat_const_input(struct native *n, const struct ninput *in, struct strbuf *out)
{
	if (in->p->op != O_LIT)
		return false;
	/* As add_json_value writes it; a string through json_quote, which
	 * writes valid text as add_escaped does and cannot be wrong if the
	 * plan's text turns out not to be valid. */
	bool valid = n->valid_text, defer = n->defer;
	n->valid_text = false;
	n->defer = false;
	nat_add_lstr(out, &in->key);
	add_json_value(n, out, &in->p->lit, in->date);
	bool ok = !n->defer;
	n->valid_text = valid;
	n->defer = defer;
	return ok;
}

static void add_inputs(struct native *n, struct strbuf *t, const struct ninput *in, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		if (i)
			strbuf_addch(t, ',');
		if (in[i].whole.len) {
			nat_add_lstr(t, &in[i].whole);
			continue;
		}
		nat_add_lstr(t, &in[i].key);
		struct nval v = nat_value(n, in[i].p);
		size_t at = t->len;
		add_json_value(n, t, &v, in[i].date);
		if (n->rec) {
			struct nhole h = { .op = in[i].p, .how = HOLE_JSON, .date = in[i].date };
			nat_shape_hole(n, t, at, &h);
		}
	}
}

void nat_put_hole(struct native *n, struct strbuf *out, const struct nhole *h)
{
	struct nval v = nat_value(n, h->op);
	if (h->how == HOLE_JSON) {
		add_json_value(n, out, &v, h->date);
		return;
	}
	bool json = n->json;
	n->json = h->json;
	add_value(n, out, &v, (enum kind)h->kind, h->tcol);
	n->json = json;
}

/* msg[off, end) appended to t (a part's message, into the rule's message
 * or its part), the values in it followed while recording a shape. */
static void add_msg(struct native *n, struct strbuf *t, size_t off, size_t end)
{
	size_t at = t->len;
	strbuf_add(t, n->msg.buf + off, end - off);
	if (n->rec)
		nat_shape_msg_copied(n, t, at, off, end);
}

/* The messages of rule r's parts, escaped for JSON, into n->msg: part j
 * is msg[part_off[j] .. part_end[j]).  A rule's own message is most often
 * some of them joined, so each is written once. */
static void part_messages(struct native *n, const struct nrule *r)
{
	strbuf_reset(&n->msg);
	n->nhole_m = 0;
	n->json = true;
	for (size_t j = 0; j < r->nparts; j++) {
		n->part_res[j] = nat_cond(n, r->parts[j].c);
		n->part_off[j] = n->msg.len;
		part_message(n, &n->msg, &r->parts[j], n->part_res[j]);
		n->part_end[j] = n->msg.len;
	}
	n->json = false;
}

/* The rule's message (rule_message_any), from the parts' messages where
 * it is made of them. */
static void rule_message_json(struct native *n, struct strbuf *t, const struct nrule *r, int res)
{
	if (res == R_NA || res == R_UNK || (res == R_FAIL && r->tpl[n->lang].present)) {
		n->json = true;
		rule_message_any(n, t, r, res);
		n->json = false;
		return;
	}
	int want = res == R_PASS ? TT : TF;
	int sep = res == R_FAIL && r->any ? W_ANY_SEP : W_SEP;
	size_t count = 0;
	for (size_t j = 0; j < r->nparts; j++) {
		if (n->part_res[j] != want)
			continue;
		if (count++)
			nat_add_lstr(t, &n->words[n->lang].wj[sep]);
		add_msg(n, t, n->part_off[j], n->part_end[j]);
	}
}

/* Rule k's object in the trace. */
static void rule_trace(struct native *n, struct strbuf *t, size_t k)
{
	{
		const struct nrule *r = &n->rules[k];
		int res = n->res[k], d = n->decides[k];
		nat_add_lstr(t, &r->head[res][d]);
		add_inputs(n, t, r->inputs, r->ninputs);
		PUT_LIT(t, "},\"message\":");
		if (n->valid_text) {
			/* Written straight into the JSON string, escaped piece by piece. */
			if (res != R_NA)
				part_messages(n, r);
			strbuf_addch(t, '"');
			rule_message_json(n, t, r, res);
			strbuf_addch(t, '"');
		} else {
			strbuf_reset(&n->msg);
			rule_message_any(n, &n->msg, r, res);
			json_quote(t, n->msg.buf, n->msg.len);
		}
		PUT_LIT(t, ",\"parts\":[");
		for (size_t j = 0; res != R_NA && j < r->nparts; j++) {
			const struct npart *p = &r->parts[j];
			int pr = nat_cond(n, p->c);
			if (j)
				strbuf_addch(t, ',');
			nat_add_lstr(t, &p->head[pr]);
			if (n->valid_text) {
				add_msg(n, t, n->part_off[j], n->part_end[j]);
				strbuf_addch(t, '"');
			} else {
				t->len--;   /* json_quote writes its own opening quote */
				strbuf_reset(&n->msg);
				part_message(n, &n->msg, p, pr);
				json_quote(t, n->msg.buf, n->msg.len);
			}
			strbuf_addch(t, '}');
		}
		PUT_LIT(t, "]}");
	}
}

void nat_trace(struct native *n, const struct nverdict *entry, bool by_unknown)
{
	struct strbuf *t = &n->trace;
	strbuf_reset(t);
	PUT_LIT(t, ",\"rules\":[");
	for (size_t k = 0; k < n->nrules; k++) {
		if (k)
			strbuf_addch(t, ',');
		nat_trace_rule_cached(n, t, k, rule_trace);
	}
	strbuf_addch(t, ']');
	if (n->ncolumns) {
		PUT_LIT(t, ",\"inputs\":{");
		add_inputs(n, t, n->columns, n->ncolumns);
		strbuf_addch(t, '}');
		if (n->clause_json)
			strbuf_addstr(t, n->clause_json);
	}
	if (n->nshown) {
		PUT_LIT(t, ",\"values\":{");
		add_inputs(n, t, n->shown, n->nshown);
		strbuf_addch(t, '}');
	}
	PUT_LIT(t, ",\"verdict_step\":");
	json_quote(t, entry->token, strlen(entry->token));
	strbuf_addstr(t, by_unknown ? ",\"verdict_step_unknown\":true" : ",\"verdict_step_unknown\":false");
}
