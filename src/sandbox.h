/*
 * sandbox — the Lua state rules run in: a capped allocator, an instruction
 * budget per record, the engine's prelude, and the only doors to the file
 * system (listing and reading files inside the rule set directory).
 *
 * What rule files can reach is decided in src/lua/dsl.lua (the allow-list);
 * this module makes sure nothing else exists in the state to reach: the io,
 * os and package libraries are never opened, `debug` is removed once the
 * prelude has taken what it needs, and so is string.dump (which strings
 * reach through their metatable).
 *
 * Relies on Lua 5.4 and date.h, json.h.  The sandbox owns its lua_State.
 */
#ifndef VERDICT_SANDBOX_H
#define VERDICT_SANDBOX_H

/* The rule set is the regular files below its directory whose path has no
 * component beginning with '.' and at most this many folders: what
 * ruleset_digest hashes, and all that include may read. */
#define RULESET_MAX_DEPTH 16

#include <stdbool.h>
#include <stddef.h>
#include <lua.h>

struct sandbox_limits {
	size_t max_memory;       /* bytes for the whole Lua state */
	long max_instructions;   /* VM instructions per record */
};

#define SANDBOX_DEFAULT_MEMORY       (64u << 20)
#define SANDBOX_DEFAULT_INSTRUCTIONS 2000000L

struct sandbox;

/* Whether a file of that name (no directory) is a rule file: NAME.lua,
 * not hidden.  The rule files of a rule set are those at its top level. */
bool sandbox_is_rule_file(const char *name);

/* Create the state, load the prelude.  NULL with a message in err on
 * failure.  rules_dir is kept (copied) for the file doors. */
struct sandbox *sandbox_open(const char *rules_dir, const struct sandbox_limits *lim,
			     char *err, size_t errlen);
void sandbox_close(struct sandbox *sb);

lua_State *sandbox_lua(struct sandbox *sb);
/* Push the prelude's API table (src/lua/api.lua) on the stack. */
void sandbox_push_api(struct sandbox *sb);
/* How many pieces of the prelude were loaded as compiled at build time
 * (prelude.h); the others were compiled from their text. */
int sandbox_prelude_compiled(const struct sandbox *sb);

/* Give the next call `factor` times the per-record instruction budget and
 * enforce the memory cap until disarmed.  Once the budget is spent, the
 * running code gets an error, and so does every instruction of rule code
 * (chunks named "@path") after it until disarmed, so that a pcall (rules
 * have none; the engine's Lua code does) cannot let rule code go on; the
 * engine's own code may finish.  Reading a rule file through the file door
 * starts the budget afresh: each file of a rule set loads with its own.
 * While disarmed the cap is not enforced: the C side's unprotected pushes
 * (record values, bounded by csvin's limits) must not fail.  Rule code
 * must only run armed. */
void sandbox_arm(struct sandbox *sb, long factor);
void sandbox_disarm(struct sandbox *sb);

/* Bytes the state uses now. */
size_t sandbox_memory(struct sandbox *sb);

/* Call the function below nargs arguments on the stack (lua_pcall with a
 * message handler that turns any error object into text).  On error
 * returns non-zero and leaves the message on the stack. */
int sandbox_call(struct sandbox *sb, int nargs, int nresults);

#endif
