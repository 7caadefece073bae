/* evaluator — one decision applied to typed records; see evaluator.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lauxlib.h>
#include "cell.h"
#include "evaluator.h"
#include "native.h"
#include "version.h"

struct evaluator {
	struct ruleset *rs;
	struct sandbox *sb;
	lua_State *L;
	const struct decision_def *d;
	const struct header_map *hm;
	int run_ref, ctx_ref, v_ref, x_ref, tokens_ref, xnames_ref;
	int base;              /* stack height before a run's results */
	size_t nextra;
	size_t *extra_fields;  /* header fields that are not declared columns */
	struct native *native; /* the decision's plan in C, or NULL (Lua only) */
	bool use_native;       /* evaluator_use_native was asked for */
	char native_why[256];  /* why there is no plan */
};

static int api_get(struct evaluator *ev, const char *name)
{
	sandbox_push_api(ev->sb);
	lua_getfield(ev->L, -1, name);
	lua_remove(ev->L, -2);
	return luaL_ref(ev->L, LUA_REGISTRYINDEX);
}

/* Pin every enum token and extra column name as a Lua string, once. */
static void pin_strings(struct evaluator *ev)
{
	lua_State *L = ev->L;
	lua_createtable(L, (int)ev->d->ncols, 0);
	for (size_t i = 0; i < ev->d->ncols; i++) {
		const struct column_def *c = &ev->d->cols[i];
		lua_createtable(L, (int)c->ntokens, 0);
		for (size_t k = 0; k < c->ntokens; k++) {
			lua_pushstring(L, c->tokens[k]);
			lua_rawseti(L, -2, (lua_Integer)k + 1);
		}
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	ev->tokens_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_createtable(L, (int)ev->nextra, 0);
	for (size_t k = 0; k < ev->nextra; k++) {
		lua_pushstring(L, ev->hm->field_names[ev->extra_fields[k]]);
		lua_rawseti(L, -2, (lua_Integer)k + 1);
	}
	ev->xnames_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

struct evaluator *evaluator_new(struct ruleset *rs, size_t decision, const struct header_map *hm,
				char *err, size_t errlen)
{
	struct evaluator *ev = calloc(1, sizeof *ev);
	if (!ev)
		abort();
	ev->rs = rs;
	ev->sb = rs->sb;
	ev->L = sandbox_lua(rs->sb);
	ev->d = &rs->decisions[decision];
	ev->hm = hm;
	ev->extra_fields = calloc(hm && hm->nfields ? hm->nfields : 1, sizeof *ev->extra_fields);
	if (!ev->extra_fields)
		abort();
	for (size_t f = 0; hm && f < hm->nfields; f++) {
		bool seen = false;
		if (hm->col_of_field[f] >= 0 || !hm->field_names[f][0])
			continue;
		for (size_t k = 0; k < ev->nextra; k++)
			if (strcmp(hm->field_names[ev->extra_fields[k]], hm->field_names[f]) == 0)
				seen = true;
		if (!seen)
			ev->extra_fields[ev->nextra++] = f;
	}
	lua_State *L = ev->L;
	ev->run_ref = api_get(ev, "run");
	sandbox_push_api(ev->sb);
	lua_getfield(L, -1, "context");
	lua_remove(L, -2);
	lua_pushinteger(L, (lua_Integer)decision + 1);
	if (sandbox_call(ev->sb, 1, 3) != LUA_OK) {
		snprintf(err, errlen, "cannot prepare decision '%s': %s", ev->d->name, lua_tostring(L, -1));
		lua_pop(L, 1);
		evaluator_free(ev);
		return NULL;
	}
	ev->x_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	ev->v_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	ev->ctx_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	pin_strings(ev);
	/* The native plan, when the decision has one (plan.lua). */
	sandbox_push_api(ev->sb);
	lua_getfield(L, -1, "plan");
	lua_remove(L, -2);
	lua_pushinteger(L, (lua_Integer)decision + 1);
	snprintf(ev->native_why, sizeof ev->native_why, "(unknown)");
	if (sandbox_call(ev->sb, 1, 2) == LUA_OK) {
		if (lua_type(L, -1) == LUA_TSTRING)
			snprintf(ev->native_why, sizeof ev->native_why, "%s", lua_tostring(L, -1));
		lua_pop(L, 1);
		if (lua_istable(L, -1)) {
			ev->native = native_build(L, -1, ev->d, err, errlen);
			if (!ev->native) {
				lua_pop(L, 1);
				evaluator_free(ev);
				return NULL;
			}
		}
	}
	lua_pop(L, 1);
	ev->base = lua_gettop(L);
	return ev;
}

void evaluator_free(struct evaluator *ev)
{
	if (!ev)
		return;
	lua_settop(ev->L, ev->base);
	native_free(ev->native);
	free(ev->extra_fields);
	free(ev);
}

/* v[i] = the typed value of column i (nil when missing). */
static void fill_record(struct evaluator *ev, const struct value *vals)
{
	lua_State *L = ev->L;
	lua_rawgeti(L, LUA_REGISTRYINDEX, ev->v_ref);
	lua_rawgeti(L, LUA_REGISTRYINDEX, ev->tokens_ref);
	for (size_t i = 0; i < ev->d->ncols; i++) {
		const struct value *v = &vals[i];
		switch (v->kind) {
		case V_MISSING: lua_pushnil(L); break;
		case V_STRING: lua_pushlstring(L, v->s, v->len); break;
		case V_INT: lua_pushinteger(L, (lua_Integer)v->u.i); break;
		case V_NUMBER: lua_pushnumber(L, v->u.n); break;
		case V_BOOL: lua_pushboolean(L, v->u.b); break;
		case V_DATE: lua_pushinteger(L, v->u.d); break;
		case V_ENUM:
			lua_rawgeti(L, -1, (lua_Integer)i + 1);
			lua_rawgeti(L, -1, (lua_Integer)v->u.e + 1);
			lua_remove(L, -2);
			break;
		}
		lua_rawseti(L, -3, (lua_Integer)i + 1);
	}
	lua_pop(L, 2);
}

/* x[name] = the trimmed text of each extra column (false when empty). */
static void fill_extras(struct evaluator *ev, const struct csvin_record *rec)
{
	lua_State *L = ev->L;
	if (ev->nextra == 0)
		return;
	lua_rawgeti(L, LUA_REGISTRYINDEX, ev->x_ref);
	lua_rawgeti(L, LUA_REGISTRYINDEX, ev->xnames_ref);
	for (size_t k = 0; k < ev->nextra; k++) {
		size_t f = ev->extra_fields[k];
		lua_rawgeti(L, -1, (lua_Integer)k + 1);
		if (rec && f < rec->nfields) {
			const char *s = rec->fields[f];
			size_t len = cell_trim(&s, rec->lens[f]);
			if (len)
				lua_pushlstring(L, s, len);
			else
				lua_pushboolean(L, 0);
		} else {
			lua_pushboolean(L, 0);
		}
		lua_rawset(L, -4);
	}
	lua_pop(L, 2);
}

static const char *opt_string(lua_State *L, int idx)
{
	return lua_type(L, idx) == LUA_TSTRING ? lua_tostring(L, idx) : NULL;
}

void evaluator_run(struct evaluator *ev, const struct value *vals, const struct csvin_record *rec,
		   date_t as_of, bool want_trace, const char *lang, struct eval_result *out)
{
	lua_State *L = ev->L;
	if (ev->use_native && ev->native &&
	    native_run(ev->native, vals, as_of, strcmp(lang, "zh") == 0, want_trace, out))
		return;
	lua_settop(L, ev->base);
	memset(out, 0, sizeof *out);
	fill_record(ev, vals);
	fill_extras(ev, rec);
	lua_rawgeti(L, LUA_REGISTRYINDEX, ev->run_ref);
	lua_rawgeti(L, LUA_REGISTRYINDEX, ev->ctx_ref);
	lua_pushinteger(L, as_of);
	lua_pushboolean(L, want_trace);
	lua_pushstring(L, lang);
	sandbox_arm(ev->sb, 1);
	int st = sandbox_call(ev->sb, 4, 8);
	sandbox_disarm(ev->sb);
	if (st != LUA_OK) {
		/* Only the engine's own code runs outside run's pcall. */
		out->verdict = "ERROR";
		out->reason = lua_tostring(L, -1);
		out->failed = out->missing = "";
		lua_gc(L, LUA_GCCOLLECT);
		return;
	}
	int r = ev->base + 1;
	out->verdict = lua_tostring(L, r);
	out->has_score = lua_type(L, r + 1) == LUA_TNUMBER;
	out->score = out->has_score ? lua_tonumber(L, r + 1) : 0;
	out->grade = opt_string(L, r + 2);
	out->failed = opt_string(L, r + 3);
	out->missing = opt_string(L, r + 4);
	out->reason = opt_string(L, r + 5);
	if (lua_type(L, r + 6) == LUA_TSTRING)
		out->trace = lua_tolstring(L, r + 6, &out->trace_len);
	out->error_rule = opt_string(L, r + 7);
	if (!out->failed)
		out->failed = "";
	if (!out->missing)
		out->missing = "";
	if (!out->reason)
		out->reason = "";
	if (!out->verdict)
		out->verdict = "ERROR";
	if (strcmp(out->verdict, "ERROR") == 0)
		lua_gc(L, LUA_GCCOLLECT);   /* reclaim what a runaway rule took */
}

static void set_field(lua_State *L, const char *key, const char *value, size_t len)
{
	lua_pushlstring(L, value ? value : "", value ? len : 0);
	lua_setfield(L, -2, key);
}

const char *evaluator_explain(struct evaluator *ev, const char *lang, const struct explain_meta *m,
			      size_t *len)
{
	lua_State *L = ev->L;
	lua_settop(L, ev->base);
	sandbox_push_api(ev->sb);
	lua_getfield(L, -1, "explain");
	lua_remove(L, -2);
	lua_rawgeti(L, LUA_REGISTRYINDEX, ev->ctx_ref);
	lua_pushstring(L, lang);
	lua_createtable(L, 0, 14);
	lua_pushinteger(L, (lua_Integer)m->row);
	lua_setfield(L, -2, "row");
	lua_pushinteger(L, (lua_Integer)m->line);
	lua_setfield(L, -2, "line");
	set_field(L, "id", m->id, m->id_len);
	set_field(L, "verdict", m->verdict, m->verdict ? strlen(m->verdict) : 0);
	set_field(L, "reason", m->reason, m->reason ? strlen(m->reason) : 0);
	set_field(L, "failed", m->failed, m->failed ? strlen(m->failed) : 0);
	set_field(L, "missing", m->missing, m->missing ? strlen(m->missing) : 0);
	set_field(L, "as_of", m->as_of, m->as_of ? strlen(m->as_of) : 0);
	set_field(L, "digest", ev->rs->digest, strlen(ev->rs->digest));
	set_field(L, "ruleset", ev->rs->name, ev->rs->name ? strlen(ev->rs->name) : 0);
	set_field(L, "version", ev->rs->version, ev->rs->version ? strlen(ev->rs->version) : 0);
	set_field(L, "engine", "verdict " VERDICT_VERSION, strlen("verdict " VERDICT_VERSION));
	lua_pushboolean(L, m->invalid);
	lua_setfield(L, -2, "invalid");
	sandbox_arm(ev->sb, 10);
	int st = sandbox_call(ev->sb, 3, 1);
	sandbox_disarm(ev->sb);
	if (st != LUA_OK) {
		lua_pushfstring(L, "(the explanation could not be made: %s)\n", lua_tostring(L, -1));
		return lua_tolstring(L, -1, len);
	}
	return lua_tolstring(L, -1, len);
}

void evaluator_note_coverage(struct evaluator *ev)
{
	lua_State *L = ev->L;
	lua_settop(L, ev->base);
	sandbox_push_api(ev->sb);
	lua_getfield(L, -1, "cover");
	lua_remove(L, -2);
	lua_rawgeti(L, LUA_REGISTRYINDEX, ev->ctx_ref);
	if (sandbox_call(ev->sb, 1, 0) != LUA_OK)
		lua_pop(L, 1);
}

void evaluator_use_native(struct evaluator *ev, bool on)
{
	ev->use_native = on;
}

bool evaluator_has_native(const struct evaluator *ev)
{
	return ev->native != NULL;
}

const char *evaluator_native_why(const struct evaluator *ev)
{
	return ev->native ? "" : ev->native_why;
}
