/*
 * native_plan — the native evaluator's data, shared by its three files
 * (private to them; the public interface is native.h):
 *
 *   native_build.c  reads the plan made by src/lua/plan.lua into these structs;
 *   native_eval.c   evaluates a record: values, three-valued conditions,
 *                   rules, the verdict list, which columns are to blame;
 *   native_text.c   writes what it found: messages, the reason, the trace.
 *
 * Every struct mirrors a piece of the Lua evaluator (compile.lua,
 * eval.lua), whose results the native one reproduces byte for byte.
 */
#ifndef VERDICT_NATIVE_PLAN_H
#define VERDICT_NATIVE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include "date.h"
#include "native.h"
#include "numtext.h"
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

/* 16 bytes, so that it is passed and returned in registers. */
struct nval {
	unsigned char t;      /* enum nv_type */
	bool b;
	uint32_t len;         /* NV_STR: bytes (a cell is at most 1 GiB) */
	union {
		long long i;
		double n;
		const char *s;        /* NV_STR (an enum cell is its token) */
		const struct nlist *list;
	};
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

enum seg_type { S_LIT, S_VAL, S_REASONS, S_FAILED, S_MISSING, S_MISSING_DECIDING, S_NAMES };

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

/* What a condition needs on most records comes first, in its first cache
 * line: a record walks a hundred conditions or so, and the input and
 * output stream through the cache between records. */
struct cnode {
	uint32_t slot;        /* its result's place in the per-record cache */
	enum cond_kind op;
	enum cmp_op cmp;
	int acol;             /* a is this column's cell (not via its node), or -1 */
	struct nval blit;     /* b's value when bconst (not via its node) */
	bool bconst, neg, exact, want;
	int labels;           /* one_of: the column whose labels also count, or -1 */
	bool by_enum;         /* is / one_of on an enum column (a constant list):
				 the result by the cell's token number, in emask */
	uint64_t emask;       /* bit e: token e is the value (or in the list) */
	unsigned char intcmp; /* compare: a cell with an integer literal, as a
				 mask: bit 0 true when a < b, 1 a == b, 2 a > b;
				 0 when not of that kind */
	char tok8[8];         /* is: the token when it has at most 8 bytes */
	const char *token;
	size_t toklen;
	struct onode *a, *b, *lo, *hi;
	const char *folded;
	size_t foldlen;
	struct cnode **parts;
	size_t n;
	int k, want_res;
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
	struct lstr head[3];  /* by result (TF, TT, TU): {"id":"<id>","result":"<r>","message":" */
};

/* A value the trace shows by name (a rule's inputs, the derived values). */
struct ninput {
	const char *name;
	struct onode *p;
	bool date;
	struct lstr key;      /* "<name>": */
	struct lstr whole;    /* "<name>":<value> when the value is a constant
				 (a parameter), written once at load; else empty */
};

/* A value in a rule's trace kept as a shape (native_shape.c): where it
 * stands in the text and how it is written, so that a later record of the
 * same shape writes only its own values into the same text. */
enum { HOLE_TEXT, HOLE_JSON };
enum { HQ_NONE, HQ_COUNT, HQ_DATE_TEXT, HQ_DATE_JSON };
struct nhole {
	uint32_t at, end;          /* its bytes in the text */
	const struct onode *op;    /* the value */
	int tcol;
	uint32_t same;             /* 1 + an earlier hole written the same way, or 0 */
	unsigned char how;         /* HOLE_TEXT: as a message shows it; HOLE_JSON: as an input */
	bool json;                 /* HOLE_TEXT: escaped for a JSON string */
	bool date;                 /* HOLE_JSON: a day number shown as a date */
	unsigned char quick;       /* HQ_*: how replay writes it without the general writer */
	unsigned char kind;        /* enum kind */
};

struct nrule {
	/* what every record reads, first */
	bool any;
	size_t nparts;
	struct cnode *applies, *decides;
	struct cnode **pc;    /* parts[j].c, side by side */
	const char *id, *clause;
	size_t ninputs;
	struct ninput *inputs;
	struct segs tpl[2];
	struct npart *parts;
	/* native_cache.c: the columns its trace depends on, and whether it
	 * reads the reference date; false cacheable: never cached */
	int *dep_cols;
	size_t ndeps;
	bool dep_asof, cacheable;
	/* native_cache.c: when every column it depends on is a yes/no or an
	 * enumeration (and not the reference date), the number of their
	 * combinations in both languages: its traces are then kept in a table
	 * of that size, found by the values' numbers, no key compared; else 0 */
	size_t direct;
	/* native_shape.c: the conditions the text of its trace can depend on
	 * (under applies and decides first, then under its parts) */
	const struct cnode **sconds;
	size_t nsconds, nsconds_head;
	struct lstr head[4][3]; /* by result and decides: {"id":..,"clause":..,"result":..,"decides":..,"inputs":{ */
};

struct nverdict {
	const char *token;
	struct cnode *c;
	struct segs tpl[2];
};

/* The engine's words (T.words), by index. */
enum { W_SEP, W_LIST_SEP, W_MISSING, W_YES, W_NO, W_ANY_SEP, W_NOT_PREFIX, W_A_VALUE,
       W_MISSING_PREFIX, W_UNKNOWN_VALUE, W_NOT_APPLICABLE, NWORDS };

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
	struct segs incomplete[2];  /* the reason of an INCOMPLETE by an unknown entry, if given */
	struct nwords words[2];
	size_t nshown;
	struct ninput *shown;  /* the decision's derived values, for the trace */
	size_t ncolumns;
	struct ninput *columns;  /* a decision with no rules: its columns, for the trace */
	const char *clause_json; /* ... and its clause: ,"clause":"..." (NULL: none) */
	bool valid_text;       /* every text of the plan is valid UTF-8 */
	struct lstr *colname[2]; /* the columns' names, en / zh */
	struct lstr *colname_j[2]; /* the same escaped for a JSON string */
	bool json;             /* messages are being written into a JSON string */
	/* Dates as text, by day number modulo DATE_SLOTS (five years and
	 * more: the dates of a file fall in a few years, each written out
	 * once and then copied). */
#define DATE_SLOTS 2048
	date_t date_day[DATE_SLOTS];
	char date_text[DATE_SLOTS][DATE_TEXT_MAX];
	date_t day_lo, day_hi; /* the dates that can be written */
	/* per record */
	const struct value *vals;
	date_t as_of;
	int lang;             /* 0 en, 1 zh */
	bool defer;
	unsigned gen;
	unsigned *stamp;
	struct nval *cache;
	struct nval *colv;     /* the record's cells as values, made once per record */
	uint32_t **toklen;     /* per enum column: its tokens' lengths */
	size_t *part_off, *part_end;   /* the trace: a rule's part messages in msg */
	int *part_res;
	unsigned *cstamp;      /* conditions' results, valid for the record of gen */
	unsigned char *cres;
	int *res, *decides;
	unsigned char *set, *tmpset, *dset;
	const struct nverdict *entry;   /* the record's verdict entry, while its reason is written */
	bool none_deciding;             /* ... and its {missing_deciding} named no column */
	bool in_incomplete;             /* ... which is the decision's incomplete sentence */
	struct strbuf failed, missing, reason, num, msg, trace;
	struct rule_cache *rcache;   /* native_cache.c: per rule, made when first used */
	/* native_shape.c: per rule, made when first used; and, while a rule's
	 * trace is written to be kept as a shape, where its values went */
	struct rule_shapes *shapes;
	size_t shape_bytes;   /* their slots' memory, all rules */
	bool rec, rec_bad;
	const struct strbuf *rec_t;
	struct nhole *hole_t, *hole_m;   /* in rec_t; in msg */
	size_t nhole_t, nhole_m, caphole_t, caphole_m;
};

/* ---- Appending text (the trace writes kilobytes per record) ---- */

/* A string literal, its length known when compiled (strbuf_add is inline). */
#define PUT_LIT(sb, lit) strbuf_add((sb), (lit), sizeof(lit) - 1)

/* ---- Keys of the trace caches (native_cache.c, native_shape.c) ---- */

/* A key's hash: eight bytes at a time (the keys are a few dozen bytes). */
static inline uint64_t nat_key_hash(const void *key, size_t len)
{
	const unsigned char *k = key;
	uint64_t h = len, w;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, k + i, 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, k + i, len - i);
	h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
	h ^= h >> 32;
	return h;
}

/* The tag an entry is found by first: the hash's high half, never 0 (0
 * marks an empty entry). */
static inline uint32_t nat_key_tag(uint64_t hash)
{
	return (uint32_t)(hash >> 32) | 1;
}

/* Bytes a key takes before what follows it (8-byte aligned). */
static inline size_t nat_key_room(size_t keylen)
{
	return (keylen + 7) & ~(size_t)7;
}

/* A rule's kept traces (values or shapes) are worth keeping only if they
 * repeat: counting this lookup, true once NAT_TRIAL lookups have found
 * fewer than a quarter kept; the caller then writes the rule's traces
 * directly and lets its entries go. */
#define NAT_TRIAL 512

static inline bool nat_trial_failed(size_t *lookups, size_t hits)
{
	return ++*lookups == NAT_TRIAL && hits * 4 < NAT_TRIAL;
}

/* ---- Across the three files ---- */

/* native_build.c: p, to be freed with the plan. */
void *nat_keep_block(struct native *n, void *p);

/* native_cache.c */
void native_cache_plan(struct native *n);
void native_cache_free(struct native *n);
/* Rule k's trace into t: copied from the rule's cache when a record with
 * the same values wrote it before, else written by write and kept. */
void nat_trace_rule_cached(struct native *n, struct strbuf *t, size_t k,
			   void (*write)(struct native *, struct strbuf *, size_t));

/* native_shape.c */
void native_shape_plan(struct native *n);
void native_shape_free(struct native *n);
/* Rule k's trace into t: from the text kept for a record of the same
 * shape (the same results and missing values), with this record's values
 * written into it, else written by write and kept. */
void nat_trace_rule_shaped(struct native *n, struct strbuf *t, size_t k,
			   void (*write)(struct native *, struct strbuf *, size_t));
/* While recording: a value h (its how, op, json, date, kind, tcol) was
 * just written into out from at; msg was emptied; msg[off, end) was copied
 * into t from at. */
void nat_shape_hole(struct native *n, const struct strbuf *out, size_t at, const struct nhole *h);
void nat_shape_msg_copied(struct native *n, const struct strbuf *t, size_t at, size_t off, size_t end);

/* native_eval.c */
struct nval nat_value_of(struct native *n, const struct onode *o);
int nat_cond_now(struct native *n, const struct cnode *c);
/* At load: the quick ways of nat_cond_now: c->emask for an is / one_of
 * on an enum column, worked out for each token as ceval_now would for
 * its text; c->intcmp for a cell compared with an integer. */
void nat_plan_quick(struct native *n, struct cnode *c);

/* An operand's value: a cell or a literal at once, the rest worked out
 * (inline: these two are most operands, and a call costs more than they
 * do). */
static inline struct nval nat_value(struct native *n, const struct onode *o)
{
	if (o->op == O_COL)
		return n->colv[o->col];
	if (o->op == O_LIT)
		return o->lit;
	return nat_value_of(n, o);
}

/* The text of day d (in the range that can be written), from a cache of
 * DATE_SLOTS: date_format works the calendar out every time. */
static inline const char *nat_date_text(struct native *n, date_t d)
{
	unsigned slot = (unsigned)d & (DATE_SLOTS - 1);
	if (n->date_day[slot] != d || !n->date_text[slot][0]) {
		date_format(d, n->date_text[slot]);
		n->date_day[slot] = d;
	}
	return n->date_text[slot];
}

/* An NV_INT or NV_NUM value as T.number writes it, into p (NUMTEXT_MAX
 * bytes; at most 24 are written: an integer's 20, a number's 24, as
 * "-1.2345678901234567e-308"); returns
 * the bytes. */
static inline size_t nat_number_chars(char *p, const struct nval *v)
{
	if (v->t == NV_INT) {
		if ((unsigned long long)v->i < 10) {   /* most counts in a record */
			p[0] = (char)('0' + v->i);
			return 1;
		}
		return numtext_int(p, v->i);
	}
	if (v->n == floor(v->n) && v->n > -1e15 && v->n < 1e15)
		return numtext_int(p, (long long)v->n);
	return numtext_g10(p, v->n);
}

/* A condition's operand a or b: a cell or a literal straight from the
 * condition, without touching the operand's node. */
static inline struct nval nat_a(struct native *n, const struct cnode *c)
{
	if (c->acol >= 0)
		return n->colv[c->acol];
	return nat_value(n, c->a);
}

static inline struct nval nat_b(struct native *n, const struct cnode *c)
{
	if (c->bconst)
		return c->blit;
	return nat_value(n, c->b);
}

/* A condition's result for this record, worked out once: messages and the
 * trace ask again and again. */
static inline int nat_cond(struct native *n, const struct cnode *c)
{
	if (n->cstamp[c->slot] == n->gen)
		return n->cres[c->slot];
	return nat_cond_now(n, c);
}
void nat_blame(struct native *n, const struct cnode *c, unsigned char *set);
void nat_blame_rule(struct native *n, const struct nrule *r, unsigned char *set);
void nat_missing_deciding(struct native *n, const struct nverdict *entry, unsigned char *set);
const char *nat_label_of(struct native *n, int col, const char *s, size_t len);

/* native_text.c */
/* Hole h's value for this record, written as when it was recorded. */
void nat_put_hole(struct native *n, struct strbuf *out, const struct nhole *h);
/* An input whose value is a constant, as the trace shows it ("name":value),
 * into out at load; false if its value depends on the record. */
bool nat_const_input(struct native *n, const struct ninput *in, struct strbuf *out);
void nat_add_word(struct native *n, struct strbuf *out, int which);
void nat_add_lstr(struct strbuf *out, const struct lstr *l);
size_t nat_add_names(struct native *n, struct strbuf *out, const unsigned char *set);
void nat_render(struct native *n, struct strbuf *out, const struct segs *sg, const unsigned char *names);
void nat_add_reasons(struct native *n, struct strbuf *out);
void nat_trace(struct native *n, const struct nverdict *entry, bool by_unknown);

#endif
