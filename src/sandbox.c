/* sandbox — the Lua state rules run in; see sandbox.h. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <lauxlib.h>
#include <lualib.h>
#include "date.h"
#include "json.h"
#include "prelude.h"
#include "sandbox.h"
#include "strbuf.h"

#define MAX_RULE_FILE (4u << 20)

struct sandbox {
	lua_State *L;
	size_t used, limit;
	bool capped;     /* armed: refuse growth past limit */
	bool spent;      /* the running call's instruction budget is spent */
	bool grace;      /* ... in the engine's code, which has one more */
	long budget;     /* instructions per record */
	long factor;     /* the running call's budget is factor * budget */
	int api_ref;
	char *dir;       /* the rule set directory, as given */
	char *real_dir;  /* its resolved path, to keep reads inside */
	int prelude_compiled;   /* pieces of the prelude loaded compiled */
};

/* Refuse only growth past the cap, never a free or a shrink, and only
 * while armed: rule code runs armed, inside a protected call.  The C side
 * pushes record values between calls, unprotected, where a refusal would
 * be a panic (abort); what it pushes is bounded by csvin's limits. */
static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct sandbox *sb = ud;
	if (ptr == NULL)
		osize = 0;
	if (nsize == 0) {
		free(ptr);
		sb->used -= osize;
		return NULL;
	}
	if (sb->capped && nsize > osize && sb->used + (nsize - osize) > sb->limit)
		return NULL;
	void *p = realloc(ptr, nsize);
	if (p)
		sb->used = sb->used - osize + nsize;
	return p;
}

/* "file:line: " of the innermost function of a rule file on the stack
 * (chunk names "@path"; the engine's own are "=verdict/..."), or "". */
static void push_rule_where(lua_State *L)
{
	lua_Debug ar;
	for (int level = 0; lua_getstack(L, level, &ar); level++) {
		if (lua_getinfo(L, "Sl", &ar) && ar.source[0] == '@' && ar.currentline > 0) {
			lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
			return;
		}
	}
	lua_pushliteral(L, "");
}

/* Raise "instruction limit exceeded", naming where the rule code was. */
static int limit_error(lua_State *L, struct sandbox *sb)
{
	push_rule_where(L);
	if (sb->factor == 1)
		lua_pushfstring(L, "instruction limit exceeded (more than %I per record; "
				"see --max-instructions)", (lua_Integer)sb->budget);
	else
		lua_pushfstring(L, "instruction limit exceeded (more than %I, %I times the "
				"per-record limit; see --max-instructions)",
				(lua_Integer)sb->budget * sb->factor, (lua_Integer)sb->factor);
	lua_concat(L, 2);
	return lua_error(L);
}

/* Whether the running function (ar) is rule code (a chunk "@path"), not
 * the engine's own ("=verdict/..."). */
static bool rule_code(lua_State *L, lua_Debug *ar)
{
	return lua_getinfo(L, "S", ar) && ar->source[0] == '@';
}

/* Whether rule code is anywhere on the stack (an engine helper a rule
 * called is the rule's doing). */
static bool rule_on_stack(lua_State *L)
{
	lua_Debug ar;
	for (int level = 0; lua_getstack(L, level, &ar); level++)
		if (lua_getinfo(L, "S", &ar) && ar.source[0] == '@')
			return true;
	return false;
}

/* The instruction budget is spent.  In rule code: raise an error naming
 * where it was; from then on the hook runs at every instruction and
 * raises again whenever rule code runs, until disarmed: a pcall (rules
 * have none, but the engine's Lua code does) cannot let rule code go on,
 * while the engine's own code may finish its error handling.  In the
 * engine's code (which a rule's error put into Chinese, say): a grace of
 * one budget more, so that it may finish what it does for the record (a
 * budget spent there made the record's reason the limit instead of the
 * rule's own error, and under --lang zh only), then the same; not when
 * a rule called that code, which is the rule's doing. */
static void budget_hook(lua_State *L, lua_Debug *ar)
{
	void *ud;
	lua_getallocf(L, &ud);
	struct sandbox *sb = ud;
	if (!sb->spent) {
		sb->spent = true;
		if (!rule_on_stack(L)) {
			sb->grace = true;
			long n = sb->budget * sb->factor;
			lua_sethook(L, budget_hook, LUA_MASKCOUNT, n <= 0 || n > INT_MAX ? INT_MAX : (int)n);
			return;
		}
		lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
	} else if (sb->grace) {
		sb->grace = false;
		lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
	} else if (!rule_code(L, ar)) {
		return;
	}
	limit_error(L, sb);
}

void sandbox_arm(struct sandbox *sb, long factor)
{
	long n = sb->budget * factor;
	if (n <= 0 || n > INT_MAX)
		n = INT_MAX;
	sb->factor = factor;
	sb->spent = false;
	sb->grace = false;
	sb->capped = true;
	lua_sethook(sb->L, budget_hook, LUA_MASKCOUNT, (int)n);
}

void sandbox_disarm(struct sandbox *sb)
{
	sb->capped = false;
	sb->spent = false;
	sb->grace = false;
	lua_sethook(sb->L, NULL, 0, 0);
}

size_t sandbox_memory(struct sandbox *sb)
{
	return sb->used;
}

lua_State *sandbox_lua(struct sandbox *sb)
{
	return sb->L;
}

void sandbox_push_api(struct sandbox *sb)
{
	lua_rawgeti(sb->L, LUA_REGISTRYINDEX, sb->api_ref);
}

/* Message handler: any error object becomes text. */
static int message_handler(lua_State *L)
{
	if (lua_type(L, 1) == LUA_TSTRING)
		return 1;
	if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
		return 1;
	lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	return 1;
}

int sandbox_call(struct sandbox *sb, int nargs, int nresults)
{
	lua_State *L = sb->L;
	int base = lua_gettop(L) - nargs;
	lua_pushcfunction(L, message_handler);
	lua_insert(L, base);
	int st = lua_pcall(L, nargs, nresults, base);
	bool capped = sb->capped;
	sb->capped = false;   /* unprotected from here: nothing may be refused */
	lua_remove(L, base);
	if (st == LUA_ERRMEM) {
		lua_pop(L, 1);
		lua_pushliteral(L, "memory limit exceeded (see --max-memory)");
	}
	sb->capped = capped;
	return st;
}

/* ---- The C helpers the prelude receives as its second argument. ---- */

static struct sandbox *self(lua_State *L)
{
	return lua_touserdata(L, lua_upvalueindex(1));
}

static int l_date_parse(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	date_t d;
	if (!date_parse(s, len, &d))
		return 0;
	lua_pushinteger(L, d);
	return 1;
}

static int l_date_format(lua_State *L)
{
	char buf[DATE_TEXT_MAX];
	lua_Integer d = luaL_checkinteger(L, 1);
	if (!date_in_calendar(d))
		return luaL_error(L, "date out of range (day %d)", (int)d);
	date_format((date_t)d, buf);
	lua_pushstring(L, buf);
	return 1;
}

static int l_date_add_months(lua_State *L)
{
	lua_Integer d = luaL_checkinteger(L, 1);
	lua_Integer n = luaL_checkinteger(L, 2);
	date_t out;
	if (!date_in_calendar(d))
		return luaL_error(L, "date out of range (day %d)", (int)d);
	if (n < -120000 || n > 120000 || !date_add_months((date_t)d, (int)n, &out)) {
		/* A real date whose deadline falls outside the calendar verdict
		 * holds (9999-01-01 plus a year): a limit exceeded, which makes
		 * the record ERROR naming the rule; not an unknown value, which
		 * would make it INCOMPLETE with no column to fill in. */
		char from[DATE_TEXT_MAX];
		date_format((date_t)d, from);
		/* no place before it: the engine's code called this, not the rule */
		lua_pushfstring(L, "date out of range: %s %s %I months is %s %s, the %s date verdict can hold",
				  from, n < 0 ? "minus" : "plus",
				  (LUAI_UACINT)(n < 0 ? -n : n), n < 0 ? "before" : "after",
				  n < 0 ? "0001-01-01" : "9999-12-31", n < 0 ? "first" : "last");
		return lua_error(L);
	}
	lua_pushinteger(L, out);
	return 1;
}

static int l_json(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	struct strbuf sb = STRBUF_INIT;
	json_quote(&sb, s, len);
	lua_pushlstring(L, sb.buf, sb.len);
	strbuf_release(&sb);
	return 1;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The top-level *.lua files of the rule set directory, sorted by name. */
bool sandbox_is_rule_file(const char *name)
{
	size_t len = strlen(name);
	return len >= 5 && strcmp(name + len - 4, ".lua") == 0 && name[0] != '.';
}

static int l_list_rule_files(lua_State *L)
{
	struct sandbox *sb = self(L);
	DIR *d = opendir(sb->dir);
	lua_newtable(L);
	if (!d)
		return 1;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!sandbox_is_rule_file(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			names = realloc(names, cap * sizeof *names);
			if (!names)
				abort();
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, compare_names);
	for (size_t i = 0; i < n; i++) {
		lua_pushstring(L, names[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
		free(names[i]);
	}
	free(names);
	return 1;
}

/* Whether rel is a plain relative path with no ".." component. */
static int path_is_inside(const char *rel)
{
	if (rel[0] == '/' || rel[0] == '\0')
		return 0;
	const char *p = rel;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		if (!slash)
			break;
		p = slash + 1;
	}
	return 1;
}

/* Whether the rule set's digest covers rel (ruleset_digest's walk): no
 * component but "." begins with a dot, and at most RULESET_MAX_DEPTH
 * folders. */
static int path_is_digested(const char *rel)
{
	int folders = 0;
	const char *p = rel;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (p[0] == '.' && len != 1)
			return 0;
		if (!slash)
			break;
		if (len > 0 && !(len == 1 && p[0] == '.'))
			folders++;
		p = slash + 1;
	}
	return folders <= RULESET_MAX_DEPTH;
}

/* A rule file's text must be UTF-8: its words reach the reasons, the
 * rulebook and the JSON of every record, which are UTF-8 (a file saved as
 * GBK would put bytes there no reader can decode).  When text is not,
 * pushes nil, the message and the line of the first bad byte, and returns
 * true.  A binary chunk (Lua's signature first) is left to load, which
 * refuses it in its own words. */
static bool refuse_not_utf8(lua_State *L, const char *text, size_t len)
{
	if (len > 0 && text[0] == LUA_SIGNATURE[0])
		return false;
	size_t k = utf8_valid_prefix(text, len);
	if (k == len)
		return false;
	size_t line = 1, start = 0;
	for (size_t i = 0; i < k; i++)
		if (text[i] == '\n') {
			line++;
			start = i + 1;
		}
	char msg[256];
	snprintf(msg, sizeof msg, "not valid UTF-8 (byte 0x%02X, byte %zu of the line); a rule file must be "
		 "saved as UTF-8 (one saved as GBK or GB18030: iconv -f GB18030 -t UTF-8)",
		 (unsigned char)text[k], k - start + 1);
	lua_pushnil(L);
	lua_pushstring(L, msg);
	lua_pushinteger(L, (lua_Integer)line);
	return true;
}

/* Read a file of the rule set: nil and a message for anything outside the
 * directory, not a regular file, too large, or unreadable; nil, a message
 * and the line of the first bad byte for text that is not UTF-8.  The loader
 * reads each file just before running it: when armed, the budget starts
 * afresh, so that each rule file has its own (one that loops does not
 * leave the next without any). */
static int l_read_rule_file(lua_State *L)
{
	struct sandbox *sb = self(L);
	const char *rel = luaL_checkstring(L, 1);
	if (sb->capped)
		sandbox_arm(sb, sb->factor);
	if (!path_is_inside(rel)) {
		lua_pushnil(L);
		lua_pushfstring(L, "cannot include '%s': only files inside the rule set directory can be read", rel);
		return 2;
	}
	if (!path_is_digested(rel)) {
		lua_pushnil(L);
		lua_pushfstring(L, "cannot include '%s': a hidden file or folder (a name beginning with '.'), "
				"or one more than %d folders deep, is not part of the rule set's digest; "
				"expected a file the digest covers, so that an auditor can reproduce the verdicts",
				rel, RULESET_MAX_DEPTH);
		return 2;
	}
	char path[PATH_MAX], real[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", sb->dir, rel);
	struct stat st;
	if (!realpath(path, real) || stat(real, &st) != 0) {
		lua_pushnil(L);
		lua_pushfstring(L, "cannot open '%s': %s", path, strerror(errno));
		return 2;
	}
	size_t dl = strlen(sb->real_dir);
	if (strncmp(real, sb->real_dir, dl) != 0 || real[dl] != '/') {
		lua_pushnil(L);
		lua_pushfstring(L, "cannot include '%s': it leads outside the rule set directory", rel);
		return 2;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_RULE_FILE) {
		lua_pushnil(L);
		lua_pushfstring(L, "cannot read '%s': not a regular file of at most 4 MiB", path);
		return 2;
	}
	FILE *f = fopen(real, "rb");
	if (!f) {
		lua_pushnil(L);
		lua_pushfstring(L, "cannot open '%s': %s", path, strerror(errno));
		return 2;
	}
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	char chunk[8192];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		luaL_addlstring(&b, chunk, got);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		lua_pushnil(L);
		lua_pushfstring(L, "cannot read '%s'", path);
		return 2;
	}
	luaL_pushresult(&b);
	size_t len;
	const char *text = lua_tolstring(L, -1, &len);
	if (refuse_not_utf8(L, text, len))
		return 3;
	/* A byte-order mark, as editors on Windows may write one, is not
	 * Lua: the text after it is loaded (line numbers stay the same). */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		lua_pushlstring(L, text + 3, len - 3);
	return 1;
}

static int l_load_piece(lua_State *L);

/* ---- sort_keys(list): the keys a rule's pairs or next walks, sorted in
 * place into the one order that is the same in every run: numbers by
 * value, then text byte by byte, then false, true (dsl.lua).  In C, so
 * that sorting (n log n comparisons) is not counted against the rule's
 * instructions as a comparator in Lua was; the list is the keys of one
 * table, so no two are equal.  Keys of other kinds are refused by the
 * caller before. */
struct sort_key {
	int rank;            /* 1 number, 2 text, 3 boolean */
	bool is_int;
	lua_Integer i;
	lua_Number n;
	const char *s;
	size_t len;
	int index;           /* where it was in the list */
};

static int key_cmp(const void *pa, const void *pb)
{
	const struct sort_key *a = pa, *b = pb;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->rank == 1) {
		if (a->is_int && b->is_int)
			return a->i < b->i ? -1 : a->i > b->i;
		return a->n < b->n ? -1 : a->n > b->n;
	}
	if (a->rank == 3)
		return (int)a->i - (int)b->i;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->s, b->s, n);
	return c ? c : a->len < b->len ? -1 : a->len > b->len;
}

static int l_sort_keys(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_Integer n = luaL_len(L, 1);
	if (n < 2)
		return 0;
	struct sort_key *k = lua_newuserdatauv(L, (size_t)n * sizeof *k, 0);   /* freed by the collector */
	for (lua_Integer j = 0; j < n; j++) {
		lua_rawgeti(L, 1, j + 1);
		struct sort_key *e = &k[j];
		memset(e, 0, sizeof *e);
		e->index = (int)j + 1;
		switch (lua_type(L, -1)) {
		case LUA_TNUMBER:
			e->rank = 1;
			e->is_int = lua_isinteger(L, -1);
			e->i = lua_tointeger(L, -1);
			e->n = lua_tonumber(L, -1);
			break;
		case LUA_TSTRING:
			e->rank = 2;
			e->s = lua_tolstring(L, -1, &e->len);   /* anchored in the list */
			break;
		case LUA_TBOOLEAN:
			e->rank = 3;
			e->i = lua_toboolean(L, -1);
			break;
		default:
			return luaL_error(L, "sort_keys: a key of kind %s", luaL_typename(L, -1));
		}
		lua_pop(L, 1);
	}
	qsort(k, (size_t)n, sizeof *k, key_cmp);
	/* the keys again, in their order: read from the list as it was */
	lua_createtable(L, (int)n, 0);
	for (lua_Integer j = 0; j < n; j++) {
		lua_rawgeti(L, 1, k[j].index);
		lua_rawseti(L, -2, j + 1);
	}
	for (lua_Integer j = 0; j < n; j++) {
		lua_rawgeti(L, -1, j + 1);
		lua_rawseti(L, 1, j + 1);
	}
	return 0;
}

static const luaL_Reg helpers[] = {
	{ "sort_keys", l_sort_keys },
	{ "date_parse", l_date_parse },
	{ "date_format", l_date_format },
	{ "date_add_months", l_date_add_months },
	{ "json", l_json },
	{ "list_rule_files", l_list_rule_files },
	{ "read_rule_file", l_read_rule_file },
	{ "load_piece", l_load_piece },
	{ NULL, NULL },
};

/* ---- Opening the state. ---- */

static const luaL_Reg safe_libs[] = {
	{ LUA_GNAME, luaopen_base },
	{ LUA_TABLIBNAME, luaopen_table },
	{ LUA_STRLIBNAME, luaopen_string },
	{ LUA_MATHLIBNAME, luaopen_math },
	{ LUA_UTF8LIBNAME, luaopen_utf8 },
	{ LUA_DBLIBNAME, luaopen_debug },   /* for the prelude only; removed below */
	{ NULL, NULL },
};

/* ---- Pattern matching: work the instruction hook cannot see ----
 *
 * Lua's pattern matcher runs in C, where the count hook never fires, and
 * backtracks: s:find(".-.-.-b") on a long s runs for hours.  While rule
 * code runs (armed), string.find, match, gmatch and gsub first bound the
 * work a pattern may take: with k quantifiers (* + -) that have more
 * pattern after them, the matcher tries at most about n^k ways per start
 * position, and n start positions unless anchored (^).  When that bound
 * passes the record's instruction budget, the call fails as the time-out
 * would.  Patterns with one quantifier at the end (%d+) cost n^1.  A plain
 * find (4th argument true) is never limited. */

/* The number of quantifiers followed by more pattern, and whether the
 * pattern is anchored. */
static int backtracking_quantifiers(const char *p, size_t len, int *anchored)
{
	size_t i = 0;
	int k = 0, pending = 0;   /* quantifiers seen, not yet followed by an item */
	*anchored = len > 0 && p[0] == '^';
	if (*anchored)
		i = 1;
	while (i < len) {
		char c = p[i];
		if (c == '(' || c == ')') {          /* captures are not items */
			i++;
			continue;
		}
		if (c == '$' && i + 1 == len)
			break;
		/* One item: an escape, a set, or a single character. */
		if (c == '%' && i + 1 < len) {
			char e = p[i + 1];
			i += 2;
			if (e == 'b') {
				i += 2;
				k += pending;
				pending = 0;
				continue;
			}
			if (e == 'f') {          /* frontier: a set follows */
				if (i < len && p[i] == '[') {
					i++;
					if (i < len && p[i] == '^') i++;
					if (i < len && p[i] == ']') i++;
					while (i < len && p[i] != ']') i += (p[i] == '%') ? 2 : 1;
					i++;
				}
				continue;
			}
		} else if (c == '[') {
			i++;
			if (i < len && p[i] == '^') i++;
			if (i < len && p[i] == ']') i++;
			while (i < len && p[i] != ']') i += (p[i] == '%') ? 2 : 1;
			i++;
		} else {
			i++;
		}
		k += pending;            /* an item after earlier quantifiers */
		pending = 0;
		if (i < len && (p[i] == '*' || p[i] == '+' || p[i] == '-')) {
			pending = 1;
			i++;
		} else if (i < len && p[i] == '?') {
			i++;
		}
	}
	return k;
}

/* Whether the function calling the running C function may be the rules'
 * doing: anything but the engine's own Lua code ("=verdict/..."), whose
 * patterns are its own.  A C function calling it counts as the rules'
 * (table.sort(t, string.find) passes a rule's pattern through C). */
static bool called_from_rules(lua_State *L)
{
	lua_Debug ar;
	return !lua_getstack(L, 1, &ar) || !lua_getinfo(L, "S", &ar) ||
	       strncmp(ar.source, "=verdict/", 9) != 0;
}

static int guarded_pattern_call(lua_State *L)
{
	struct sandbox *sb = lua_touserdata(L, lua_upvalueindex(2));
	int plain = lua_tointeger(L, lua_upvalueindex(3)) == 1 && lua_toboolean(L, 4);
	if (sb->capped && !plain && lua_type(L, 1) == LUA_TSTRING && lua_type(L, 2) == LUA_TSTRING &&
	    called_from_rules(L)) {
		size_t n, plen;
		lua_tolstring(L, 1, &n);
		const char *p = lua_tolstring(L, 2, &plen);
		int anchored;
		int k = backtracking_quantifiers(p, plen, &anchored) + (anchored ? 0 : 1);
		double cost = 1, base = (double)n + 1;
		for (int i = 0; i < k && cost < 1e300; i++)
			cost *= base;
		double budget = (double)sb->budget * (double)sb->factor;
		if (cost > budget)
			return limit_error(L, sb);
	}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/* ---- Reproducible text of objects ----
 * Lua writes a table, a function, a coroutine or a userdata as its
 * address in memory ("table: 0x55d1c3a4e2b0"), which changes from run to
 * run (the same input, rules and --as-of must give the same bytes:
 * contract 4).  tostring and string.format give its kind alone
 * ("table"), unless it has a __tostring of its own; string.format's %p,
 * which writes nothing but an address, is refused. */
static bool has_address_text(lua_State *L, int i)
{
	int t = lua_type(L, i);
	if (t != LUA_TTABLE && t != LUA_TFUNCTION && t != LUA_TTHREAD && t != LUA_TUSERDATA &&
	    t != LUA_TLIGHTUSERDATA)
		return false;
	if (luaL_getmetafield(L, i, "__tostring") != LUA_TNIL) {
		lua_pop(L, 1);
		return false;
	}
	return true;
}

static int reproducible_tostring(lua_State *L)
{
	luaL_checkany(L, 1);
	if (has_address_text(L, 1)) {
		lua_pushstring(L, luaL_typename(L, 1));
		return 1;
	}
	luaL_tolstring(L, 1, NULL);
	return 1;
}

static int reproducible_format(lua_State *L)
{
	size_t len;
	const char *f = luaL_checklstring(L, 1, &len);
	int n = lua_gettop(L), arg = 1;
	for (size_t i = 0; i + 1 < len; i++) {
		if (f[i] != '%')
			continue;
		size_t j = i + 1;
		while (j < len && strchr("-+ #0123456789.", f[j]))
			j++;
		if (j < len && f[j] == 'p')
			return luaL_error(L, "string.format: '%%p' writes an address in memory, which changes from "
					  "run to run; expected another format (the same input must give the same "
					  "verdicts)");
		if (j < len && f[j] != '%' && ++arg <= n && f[j] == 's' && has_address_text(L, arg)) {
			/* %s of a table or function: its kind */
			lua_pushstring(L, luaL_typename(L, arg));
			lua_replace(L, arg);
		}
		i = j;   /* past the conversion ("%%" too) */
	}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	if (lua_pcall(L, n, 1, 0) == LUA_OK)
		return 1;
	/* An error of the format itself, as Lua gives it when a rule calls
	 * it: at the rule's place, and naming 'format' ('?' from here). */
	const char *m = lua_tostring(L, -1);
	const char *q = m ? strstr(m, " to '?'") : NULL;
	if (!m || strncmp(m, "bad argument #", 14) != 0 || !q)
		return lua_error(L);
	luaL_where(L, 1);
	lua_pushlstring(L, m, (size_t)(q - m));
	lua_pushfstring(L, " to 'format'%s", q + 7);
	lua_concat(L, 3);
	return lua_error(L);
}

/* Replace string.NAME by a guarded call of the original. */
static void guard_pattern_function(lua_State *L, struct sandbox *sb, int strlib, const char *name, int is_find)
{
	lua_getfield(L, strlib, name);
	lua_pushlightuserdata(L, sb);
	lua_pushinteger(L, is_find);
	lua_pushcclosure(L, guarded_pattern_call, 3);
	lua_setfield(L, strlib, name);
}

/* Push piece i of the embedded prelude (pc, its text) as a function:
 * compiled at build time where this Lua made it, else from its text
 * (prelude.h); raises the error of a text that does not compile. */
static void push_piece(lua_State *L, struct sandbox *sb, size_t i, const struct prelude_piece *pc)
{
	const char *bc;
	size_t bclen;
	const char *text_only = getenv("VERDICT_PRELUDE_TEXT");
	if (!(text_only && *text_only) &&
	    prelude_compiled_piece(verdict_prelude_bc, (size_t)(verdict_prelude_bc_end - verdict_prelude_bc),
				   lua_ident, i, &bc, &bclen)) {
		if (luaL_loadbufferx(L, bc, bclen, pc->chunkname, "b") == LUA_OK) {
			sb->prelude_compiled++;
			return;
		}
		lua_pop(L, 1);
	}
	if (luaL_loadbufferx(L, pc->text, pc->len, pc->chunkname, "t") != LUA_OK)
		lua_error(L);
}

struct dump_state {
	luaL_Buffer b;
	bool started;
};

static int add_bytes(lua_State *L, const void *p, size_t n, void *ud)
{
	struct dump_state *d = ud;
	if (!d->started) {          /* the buffer goes on the stack: after the function is read */
		luaL_buffinit(L, &d->b);
		d->started = true;
	}
	luaL_addlstring(&d->b, p, n);
	return 0;
}

/* dump(f): the compiled code of Lua function f with its debug
 * information, as string.dump gives it (which the sandbox removes). */
static int l_dump(lua_State *L)
{
	struct dump_state d = { .started = false };
	luaL_checktype(L, 1, LUA_TFUNCTION);
	lua_settop(L, 1);
	if (lua_dump(L, add_bytes, &d, 0) != 0 || !d.started)
		return luaL_error(L, "cannot dump a function that is not Lua");
	luaL_pushresult(&d.b);
	return 1;
}

/* C.load_piece(name): a piece of the prelude loaded on demand (one after
 * PRELUDE_AT_START, prelude.h), as a function to call with (V, C, dump),
 * and dump (l_dump) for it: the pieces loaded on demand are lint's, which
 * reads the rule files' compiled code. */
static int l_load_piece(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	char chunkname[64];
	snprintf(chunkname, sizeof chunkname, "=verdict/%s", name);
	const char *at = verdict_prelude_text;
	struct prelude_piece pc;
	for (size_t i = 0; prelude_next(&at, verdict_prelude_end, &pc); i++) {
		if (strcmp(pc.chunkname, chunkname) == 0) {
			push_piece(L, self(L), i, &pc);
			lua_pushcfunction(L, l_dump);
			return 2;
		}
	}
	return luaL_error(L, "no piece '%s' in the prelude", name);
}

/* Run each "--@name.lua" piece of the embedded prelude with (V, C), up to
 * PRELUDE_AT_START, which returns the API table; the pieces after it are
 * loaded on demand (C.load_piece). */
static int load_prelude(lua_State *L)
{
	struct sandbox *sb = lua_touserdata(L, 1);
	for (const luaL_Reg *lib = safe_libs; lib->func; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1);
		lua_pop(L, 1);
	}
	lua_newtable(L);                         /* V: shared by the pieces */
	int V = lua_gettop(L);
	luaL_newlibtable(L, helpers);            /* C: helpers with sb as upvalue */
	lua_pushlightuserdata(L, sb);
	luaL_setfuncs(L, helpers, 1);
	int Ch = lua_gettop(L);
	const char *at = verdict_prelude_text;
	struct prelude_piece pc;
	for (size_t i = 0; prelude_next(&at, verdict_prelude_end, &pc); i++) {
		push_piece(L, sb, i, &pc);
		lua_pushvalue(L, V);
		lua_pushvalue(L, Ch);
		lua_call(L, 2, 1);
		if (strcmp(pc.chunkname, "=verdict/" PRELUDE_AT_START) == 0 || at >= verdict_prelude_end)
			break;
		lua_pop(L, 1);
	}
	/* The last piece returned the API table. */
	sb->api_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_pushnil(L);
	lua_setglobal(L, LUA_DBLIBNAME);
	/* Strings' methods are the string library itself (their metatable's
	 * __index): take string.dump out of it too, not only out of the copy
	 * rule files see as `string`. */
	lua_getglobal(L, LUA_STRLIBNAME);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	int strlib = lua_gettop(L);
	guard_pattern_function(L, sb, strlib, "find", 1);
	guard_pattern_function(L, sb, strlib, "match", 0);
	guard_pattern_function(L, sb, strlib, "gmatch", 0);
	guard_pattern_function(L, sb, strlib, "gsub", 0);
	lua_getfield(L, strlib, "format");
	lua_pushcclosure(L, reproducible_format, 1);
	lua_setfield(L, strlib, "format");
	lua_pop(L, 1);
	lua_pushcfunction(L, reproducible_tostring);
	lua_setglobal(L, "tostring");
	return 0;
}

struct sandbox *sandbox_open(const char *rules_dir, const struct sandbox_limits *lim,
			     char *err, size_t errlen)
{
	struct sandbox *sb = calloc(1, sizeof *sb);
	char real[PATH_MAX];
	if (!sb)
		abort();
	sb->limit = lim && lim->max_memory ? lim->max_memory : SANDBOX_DEFAULT_MEMORY;
	sb->budget = lim && lim->max_instructions ? lim->max_instructions : SANDBOX_DEFAULT_INSTRUCTIONS;
	sb->dir = strdup(rules_dir);
	sb->real_dir = strdup(realpath(rules_dir, real) ? real : rules_dir);
	sb->L = lua_newstate(capped_alloc, sb);
	if (!sb->L) {
		snprintf(err, errlen, "cannot create the Lua state: out of memory");
		sandbox_close(sb);
		return NULL;
	}
	lua_pushcfunction(sb->L, load_prelude);
	lua_pushlightuserdata(sb->L, sb);
	if (sandbox_call(sb, 1, 0) != LUA_OK) {
		snprintf(err, errlen, "internal error loading the prelude: %s", lua_tostring(sb->L, -1));
		sandbox_close(sb);
		return NULL;
	}
	return sb;
}

int sandbox_prelude_compiled(const struct sandbox *sb)
{
	return sb->prelude_compiled;
}

void sandbox_close(struct sandbox *sb)
{
	if (!sb)
		return;
	if (sb->L)
		lua_close(sb->L);
	free(sb->dir);
	free(sb->real_dir);
	free(sb);
}
