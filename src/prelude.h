/*
 * prelude — the engine's own Lua code (the files in src/lua/), embedded in the
 * binary by src/prelude_data.S.  The text is one block of several files,
 * each starting with a line "--@name.lua"; sandbox.c loads them in order.
 */
#ifndef VERDICT_PRELUDE_H
#define VERDICT_PRELUDE_H

extern const char verdict_prelude_text[];
extern const char verdict_prelude_end[];

#endif
