/* ruleset — loading a rule set directory; see ruleset.h. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <lauxlib.h>
#include "diag.h"
#include "ruleset.h"
#include "sha256.h"
#include "strbuf.h"

#ifndef VERDICT_RULEDIR
#define VERDICT_RULEDIR "/usr/local/share/verdict/rules"
#endif

static char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");
	if (!p)
		abort();
	return p;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		abort();
	return p;
}

/* ---- Digest ---- */

struct pathlist {
	char **v;
	size_t n, cap;
};

static void pathlist_add(struct pathlist *pl, const char *s)
{
	if (pl->n == pl->cap) {
		pl->cap = pl->cap ? 2 * pl->cap : 32;
		pl->v = realloc(pl->v, pl->cap * sizeof *pl->v);
		if (!pl->v)
			abort();
	}
	pl->v[pl->n++] = xstrdup(s);
}

/* Collect regular files below base/rel, relative paths, skipping dotfiles. */
static void collect(const char *base, const char *rel, struct pathlist *pl, int depth)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s%s%s", base, *rel ? "/" : "", rel);
	DIR *d = opendir(path);
	if (!d || depth > RULESET_MAX_DEPTH) {
		if (d)
			closedir(d);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char sub[PATH_MAX], full[2 * PATH_MAX];
		if ((size_t)snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name) >= sizeof sub)
			continue;
		snprintf(full, sizeof full, "%s/%s", base, sub);
		struct stat st;
		if (stat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			collect(base, sub, pl, depth + 1);
		else if (S_ISREG(st.st_mode))
			pathlist_add(pl, sub);
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int ruleset_digest(const char *dir, char hex[65], char *err, size_t errlen)
{
	struct pathlist pl = { 0 };
	struct sha256 c;
	int rc = 0;
	collect(dir, "", &pl, 0);
	if (pl.n)
		qsort(pl.v, pl.n, sizeof *pl.v, cmp_str);
	sha256_init(&c);
	for (size_t i = 0; i < pl.n; i++) {
		char full[2 * PATH_MAX], size[32];
		snprintf(full, sizeof full, "%s/%s", dir, pl.v[i]);
		FILE *f = fopen(full, "rb");
		if (!f) {
			snprintf(err, errlen, diag_zh() ? "无法打开“%s”：%s" : "cannot open '%s': %s", full,
				 diag_strerror(errno));
			rc = -1;
			continue;
		}
		fseek(f, 0, SEEK_END);
		snprintf(size, sizeof size, "%ld", ftell(f));
		rewind(f);
		sha256_update(&c, pl.v[i], strlen(pl.v[i]) + 1);
		sha256_update(&c, size, strlen(size) + 1);
		char buf[8192];
		size_t got;
		while ((got = fread(buf, 1, sizeof buf, f)) > 0)
			sha256_update(&c, buf, got);
		fclose(f);
	}
	for (size_t i = 0; i < pl.n; i++)
		free(pl.v[i]);
	free(pl.v);
	unsigned char d[32];
	sha256_final(&c, d);
	sha256_hex(d, hex);
	return rc;
}

const char *ruleset_named_dir(const char *option)
{
	if (option && *option)
		return option;
	const char *env = getenv("VERDICT_RULES");
	return env && *env ? env : NULL;
}

const char *ruleset_default_dir(const char *option)
{
	struct stat st;
	const char *named = ruleset_named_dir(option);
	if (named)
		return named;
	if (stat("rules", &st) == 0 && S_ISDIR(st.st_mode))
		return "rules";
	/* Installed: next to the binary (BINDIR/../share/verdict/rules), which
	 * holds whatever PREFIX it was installed under; else the built-in. */
	static char beside[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(beside, sizeof beside, "%.*s/../share/verdict/rules", PATH_MAX - 64, exe);
			if (stat(beside, &st) == 0 && S_ISDIR(st.st_mode))
				return beside;
		}
	}
	return VERDICT_RULEDIR;
}

/* Whether the open directory d holds a rule file. */
static bool has_rule_file(DIR *d)
{
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (sandbox_is_rule_file(e->d_name))
			return true;
	return false;
}

/* What dir is, when it is not a rule set directory (in Chinese under
 * --lang zh); NULL when it is. */
static const char *dir_problem(const char *dir)
{
	bool zh = diag_zh();
	struct stat st;
	if (stat(dir, &st) != 0)
		return diag_strerror(errno);
	if (!S_ISDIR(st.st_mode))
		return S_ISREG(st.st_mode) ? (zh ? "它是一个文件" : "it is a file")
					   : (zh ? "它不是目录" : "it is not a directory");
	DIR *d = opendir(dir);
	if (!d)
		return diag_strerror(errno);
	bool rules = has_rule_file(d);
	closedir(d);
	return rules ? NULL : zh ? "该目录顶层没有规则文件（*.lua）" : "the directory has no rule file (*.lua) at its top level";
}

int ruleset_dir_check(const char *dir, char *err, size_t errlen)
{
	const char *found = dir_problem(dir);
	if (!found)
		return 0;
	snprintf(err, errlen, diag_zh() ? "无法读取规则集“%s”：%s；应为存放规则文件（*.lua）的目录"
				       : "cannot read rule set '%s': %s; expected a directory of rule files (*.lua)",
		 dir, found);
	return -1;
}

/* ---- Reading the decisions out of Lua ---- */

static char *field_string(lua_State *L, int t, const char *key)
{
	lua_getfield(L, t, key);
	char *s = lua_isstring(L, -1) ? xstrdup(lua_tostring(L, -1)) : NULL;
	lua_pop(L, 1);
	return s;
}

static bool field_bool(lua_State *L, int t, const char *key)
{
	lua_getfield(L, t, key);
	bool b = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return b;
}

static bool field_number(lua_State *L, int t, const char *key, double *out)
{
	lua_getfield(L, t, key);
	bool ok = lua_type(L, -1) == LUA_TNUMBER;
	if (ok)
		*out = lua_tonumber(L, -1);
	lua_pop(L, 1);
	return ok;
}

static char **string_list(lua_State *L, int t, const char *key, size_t *n)
{
	lua_getfield(L, t, key);
	*n = lua_istable(L, -1) ? lua_rawlen(L, -1) : 0;
	char **v = xcalloc(*n, sizeof *v);
	for (size_t i = 0; i < *n; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i + 1);
		v[i] = xstrdup(lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return v;
}

static enum col_base base_of(const char *b)
{
	static const char *names[] = { "string", "int", "number", "bool", "date", "enum" };
	for (int i = 0; i < 6; i++)
		if (b && strcmp(b, names[i]) == 0)
			return (enum col_base)i;
	return COL_STRING;
}

static void read_column(lua_State *L, int t, struct column_def *c)
{
	c->name = field_string(L, t, "name");
	c->zh = field_string(L, t, "zh");
	if (!c->name)
		c->name = xstrdup("?");
	if (!c->zh)   /* compile.lua gives the name when there is none */
		c->zh = xstrdup(c->name);
	c->type = field_string(L, t, "type");
	c->meaning = field_string(L, t, "meaning");
	c->meaning_zh = field_string(L, t, "meaning_zh");
	char *base = field_string(L, t, "base");
	c->base = base_of(base);
	free(base);
	c->required = field_bool(L, t, "required");
	c->optional = field_bool(L, t, "optional");
	c->unique = field_bool(L, t, "unique");
	c->has_min = field_number(L, t, "min", &c->min);
	c->has_max = field_number(L, t, "max", &c->max);
	size_t nl;
	c->tokens = string_list(L, t, "tokens", &c->ntokens);
	c->labels = string_list(L, t, "labels", &nl);
}

static void read_decision(lua_State *L, int t, struct decision_def *d)
{
	d->name = field_string(L, t, "name");
	d->title_en = field_string(L, t, "title_en");
	d->title_zh = field_string(L, t, "title_zh");
	if (!d->name)
		d->name = xstrdup("?");
	if (!d->title_en)
		d->title_en = xstrdup(d->name);
	if (!d->title_zh)
		d->title_zh = xstrdup(d->title_en);
	d->scored = field_bool(L, t, "scored");
	double id;
	d->id_col = field_number(L, t, "id_col", &id) ? (size_t)id - 1 : 0;
	lua_getfield(L, t, "columns");
	d->ncols = lua_rawlen(L, -1);
	d->cols = xcalloc(d->ncols, sizeof *d->cols);
	for (size_t i = 0; i < d->ncols; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i + 1);
		read_column(L, lua_gettop(L), &d->cols[i]);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

/* Call api.<fn>(args...) leaving nresults; 0 on success. */
static int api_call(struct sandbox *sb, const char *fn, int nargs, int nresults)
{
	lua_State *L = sandbox_lua(sb);
	sandbox_push_api(sb);
	lua_getfield(L, -1, fn);
	lua_remove(L, -2);
	lua_insert(L, -1 - nargs);
	return sandbox_call(sb, nargs, nresults);
}

static void add_error(struct ruleset *rs, const char *msg)
{
	rs->errors = realloc(rs->errors, (rs->nerrors + 1) * sizeof *rs->errors);
	if (!rs->errors)
		abort();
	rs->errors[rs->nerrors++] = xstrdup(msg);
}

struct ruleset *ruleset_load(const char *dir, const struct sandbox_limits *lim, const char *lang,
			     char *err, size_t errlen)
{
	if (ruleset_dir_check(dir, err, errlen) != 0)
		return NULL;
	struct ruleset *rs = xcalloc(1, sizeof *rs);
	rs->dir = xstrdup(dir);
	ruleset_digest(dir, rs->digest, err, errlen);
	rs->sb = sandbox_open(dir, lim, err, errlen);
	if (!rs->sb) {
		ruleset_free(rs);
		return NULL;
	}
	lua_State *L = sandbox_lua(rs->sb);
	lua_pushstring(L, dir);
	lua_pushstring(L, lang);
	sandbox_arm(rs->sb, 100);
	int st2 = api_call(rs->sb, "load", 2, 2);
	sandbox_disarm(rs->sb);
	if (st2 != LUA_OK) {
		add_error(rs, lua_tostring(L, -1));
		lua_pop(L, 1);
		return rs;
	}
	if (!lua_toboolean(L, -2)) {
		size_t n = lua_rawlen(L, -1);
		for (size_t i = 1; i <= n; i++) {
			lua_rawgeti(L, -1, (lua_Integer)i);
			add_error(rs, lua_tostring(L, -1));
			lua_pop(L, 1);
		}
		lua_pop(L, 2);
		return rs;
	}
	lua_pop(L, 2);
	if (api_call(rs->sb, "info", 0, 2) == LUA_OK) {
		rs->name = xstrdup(lua_tostring(L, -2));
		rs->version = xstrdup(lua_tostring(L, -1));
		lua_pop(L, 2);
	} else {
		lua_pop(L, 1);
	}
	if (api_call(rs->sb, "decisions", 0, 1) != LUA_OK) {
		add_error(rs, lua_tostring(L, -1));
		lua_pop(L, 1);
		return rs;
	}
	rs->ndecisions = lua_rawlen(L, -1);
	rs->decisions = xcalloc(rs->ndecisions, sizeof *rs->decisions);
	for (size_t i = 0; i < rs->ndecisions; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i + 1);
		read_decision(L, lua_gettop(L), &rs->decisions[i]);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	lua_gc(L, LUA_GCCOLLECT);
	return rs;
}

int ruleset_find(const struct ruleset *rs, const char *name)
{
	for (size_t i = 0; i < rs->ndecisions; i++)
		if (strcmp(rs->decisions[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Whether name, as a clerk may write it, names decision d: its name in
 * another case, or its Chinese title (the rule set's title.zh), whole or
 * a part of it of two characters or more (non_ascii: name holds no ASCII
 * byte and at least six bytes). */
static bool names_decision(const struct decision_def *d, const char *name, bool non_ascii)
{
	const char *t = d->title_zh;
	return strcasecmp(d->name, name) == 0 || (t && strcmp(t, name) == 0) || (t && non_ascii && strstr(t, name));
}

int ruleset_decision(const struct ruleset *rs, const char *name, struct strbuf *why)
{
	int i = ruleset_find(rs, name);
	if (i >= 0)
		return i;
	/* else as a clerk may write it, when that names one decision only */
	int found = -1, n = 0;
	bool non_ascii = strlen(name) >= 6;
	for (const char *p = name; non_ascii && *p; p++)
		if ((unsigned char)*p < 0x80)
			non_ascii = false;
	for (size_t k = 0; k < rs->ndecisions; k++)
		if (names_decision(&rs->decisions[k], name, non_ascii)) {
			found = (int)k;
			n++;
		}
	if (n == 1)
		return found;
	if (n > 1) {
		/* a part of two titles: which, to choose from */
		strbuf_addf(why, diag_zh() ? "“%s”不止指一个决策：" : "'%s' names more than one decision: ", name);
		const char *sep = "";
		for (size_t k = 0; k < rs->ndecisions; k++) {
			const char *t = rs->decisions[k].title_zh;
			if (names_decision(&rs->decisions[k], name, non_ascii)) {
				strbuf_addf(why, diag_zh() ? "%s%s（%s）" : "%s%s (%s)", sep, rs->decisions[k].name, t ? t : "");
				sep = diag_zh() ? "、" : ", ";
			}
		}
		strbuf_addstr(why, diag_zh() ? "；应为其中之一的名称" : "; expected the name of one of them");
		return -1;
	}
	if (!diag_zh()) {
		strbuf_addf(why, "unknown decision '%s'; the rule set '%s' has: ", name, rs->dir);
		for (size_t k = 0; k < rs->ndecisions; k++)
			strbuf_addf(why, "%s%s", k ? ", " : "", rs->decisions[k].name);
		return -1;
	}
	/* a clerk may name it by its Chinese title: each is given with it */
	strbuf_addf(why, "未知的决策“%s”；应为规则集“%s”中的决策之一：", name, rs->dir);
	for (size_t k = 0; k < rs->ndecisions; k++)
		strbuf_addf(why, "%s%s（%s）", k ? "、" : "", rs->decisions[k].name,
			    rs->decisions[k].title_zh ? rs->decisions[k].title_zh : "");
	return -1;
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void ruleset_free(struct ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->ndecisions; i++) {
		struct decision_def *d = &rs->decisions[i];
		for (size_t j = 0; j < d->ncols; j++) {
			struct column_def *c = &d->cols[j];
			free(c->name);
			free(c->zh);
			free(c->type);
			free(c->meaning);
			free(c->meaning_zh);
			free_strings(c->tokens, c->ntokens);
			free_strings(c->labels, c->ntokens);
		}
		free(d->cols);
		free(d->name);
		free(d->title_en);
		free(d->title_zh);
	}
	free(rs->decisions);
	free_strings(rs->errors, rs->nerrors);
	sandbox_close(rs->sb);
	free(rs->dir);
	free(rs->name);
	free(rs->version);
	free(rs);
}

/* The strings of the list at the top of the stack, copied (the caller
 * frees each, then the array); the list stays. */
static char **string_array(lua_State *L, size_t *n)
{
	*n = lua_rawlen(L, -1);
	char **v = xcalloc(*n, sizeof *v);
	for (size_t i = 0; i < *n; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i + 1);
		v[i] = xstrdup(lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	return v;
}

char *ruleset_coverage(struct ruleset *rs, const struct coverage_query *q, char ***problems, size_t *nproblems)
{
	lua_State *L = sandbox_lua(rs->sb);
	*problems = NULL;
	*nproblems = 0;
	lua_pushinteger(L, (lua_Integer)q->invalid_cases);
	lua_pushstring(L, q->only);     /* NULL pushes nil */
	lua_pushstring(L, q->lang);
	lua_pushstring(L, q->skip);
	if (api_call(rs->sb, "coverage", 4, 2) != LUA_OK) {
		char *msg = xstrdup(lua_tostring(L, -1));
		lua_pop(L, 1);
		return msg;
	}
	char *text = xstrdup(lua_tostring(L, -2));
	*problems = string_array(L, nproblems);
	lua_pop(L, 2);
	return text;
}

int ruleset_code_problems(struct ruleset *rs, const char *lang, char ***problems, size_t *nproblems,
			  char *err, size_t errlen)
{
	lua_State *L = sandbox_lua(rs->sb);
	*problems = NULL;
	*nproblems = 0;
	lua_pushstring(L, lang);
	if (api_call(rs->sb, "lint", 1, 1) != LUA_OK) {
		snprintf(err, errlen, "%s", lua_tostring(L, -1));
		lua_pop(L, 1);
		return -1;
	}
	*problems = string_array(L, nproblems);
	lua_pop(L, 1);
	return 0;
}
