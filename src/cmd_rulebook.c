/* verdict rulebook — a readable rulebook generated from the rule files. */
#include <string.h>
#include <lauxlib.h>
#include "cli.h"
#include "diag.h"
#include "sandbox.h"

static const char usage[] =
"usage: verdict rulebook [-d DECISION] [--lang en|zh] [--format md|html] [options]\n"
"\n"
"A readable rulebook generated from the rule files: the rule set's\n"
"parameters with their values and dates, then per decision (every one, or\n"
"the one -d names) its columns, its rules with clause, the policy's wording\n"
"and the condition in words, its verdict order, weights and grade bands.\n"
"\n"
"  -r, --rules DIR      rule set directory\n"
"  -d, --decision NAME  only that decision (with the rule set's parameters)\n"
"      --format md|html Markdown (default) or HTML\n"
"      --lang en|zh     language\n"
"      --max-instructions N, --max-memory MIB\n"
"                       the rule engine's limits, as for check\n"
"  -o, --output FILE    write here instead of standard output\n"
"  -h, --help           this help\n"
"      --version        the engine's version and the rule set's digest\n";

int cmd_rulebook(int argc, char **argv)
{
	struct options o;
	int st = cli_options(&o, argc, argv, usage);
	if (st)
		return st == 1 ? 0 : 2;
	if (options_refuse_format(&o, 1u << FMT_MD | 1u << FMT_HTML, false, "md or html"))
		return 2;
	struct ruleset *rs = cli_load_rules(&o, NULL);
	if (!rs)
		return 2;
	lua_State *L = sandbox_lua(rs->sb);
	sandbox_push_api(rs->sb);
	lua_getfield(L, -1, "rulebook");
	lua_remove(L, -2);
	lua_pushstring(L, o.lang);
	lua_pushstring(L, o.format == FMT_HTML ? "html" : "md");
	lua_pushstring(L, rs->digest);
	if (o.decision)
		lua_pushstring(L, o.decision);
	else
		lua_pushnil(L);
	st = sandbox_call(rs->sb, 4, 1);
	if (st != LUA_OK) {
		diag_error2("rulebook: %s", "rulebook：%s", lua_tostring(L, -1));
		ruleset_free(rs);
		return 2;
	}
	FILE *f = cli_open_output(o.output);
	size_t len;
	const char *text = lua_tolstring(L, -1, &len);
	if (f)
		fwrite(text, 1, len, f);
	int bad = !f || cli_close_output(f, o.output);
	ruleset_free(rs);
	return bad ? 2 : 0;
}
