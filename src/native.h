/*
 * native — a decision's plan run in C, without a Lua call per record.
 *
 * src/lua/plan.lua describes a decision whose rules are all declared
 * (no plain-Lua check or fn, no score) as plain tables: operands,
 * conditions with three-valued logic, verdict list, and message templates
 * cut into literal pieces and value references.  native_build reads that
 * description once; native_run then evaluates a typed record and writes
 * the same verdict, failed, missing and reason as the Lua evaluator
 * (eval.lua), which stays the reference: when a record needs something
 * the plan cannot do exactly (an arithmetic on text, a date out of range,
 * a verdict list with no match), native_run says so and the caller asks
 * Lua instead.  tests/native.sh checks both agree byte for byte.
 *
 * Knows nothing of any policy: every name, number and word comes from
 * the plan.
 */
#ifndef VERDICT_NATIVE_H
#define VERDICT_NATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <lua.h>
#include "evaluator.h"
#include "record.h"
#include "ruleset.h"

struct native;

/* Read the plan at stack index idx; NULL (message in err) if it is malformed. */
struct native *native_build(lua_State *L, int idx, const struct decision_def *d, char *err, size_t errlen);
void native_free(struct native *n);

/*
 * Evaluate one record, with the trace of eval.lua's trace_json when
 * want_trace.  Returns true with out filled (strings borrowed until the
 * next call), or false when the record must be evaluated by Lua.
 */
bool native_run(struct native *n, const struct value *vals, date_t as_of, bool zh, bool want_trace,
		struct eval_result *out);

#endif
