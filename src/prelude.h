/*
 * prelude — the engine's own Lua code (the files in src/lua/), embedded in
 * the binary twice: as text by src/prelude_data.S, and compiled, at build
 * time, by src/prelude_bc.S (build/prelude.luac, made by
 * tools/prelude_compile.c from that same text).
 *
 * The text is one block of several files, each starting with a line
 * "--@name.lua"; sandbox.c runs the pieces in order up to PRELUDE_AT_START
 * (api.lua, which returns the API table) at every start.  The pieces after
 * it are for one command only (lint's reading of the rule files' compiled
 * code) and are loaded when it asks (C.load_piece), so that no other
 * command's start-up pays for them.  Compiling them
 * took 22.4 million instructions at every start, 30% of a check's
 * start-up (75.5 million in all, against 56.3 now; about 3 ms of 19);
 * loading them compiled takes 3.3 million.  The compiled pieces are
 * used only by the Lua release that made them (its lua_ident, which names
 * the release, is kept with them): with any other, or with
 * VERDICT_PRELUDE_TEXT set in the environment, the text is compiled as
 * before.  They keep their debug information, so that messages and
 * tracebacks name the same lines either way.  Rule files are always
 * loaded as text (sandbox.c).
 *
 * The compiled block: "VPB1", then the lua_ident of the release that made
 * it (a 4-byte length, then the bytes), the number of pieces (4 bytes),
 * and each piece (4-byte length, then lua_dump's bytes), lengths little
 * end first.
 */
#ifndef VERDICT_PRELUDE_H
#define VERDICT_PRELUDE_H

#include <stdbool.h>
#include <stddef.h>

extern const char verdict_prelude_text[];
extern const char verdict_prelude_end[];
extern const char verdict_prelude_bc[];
extern const char verdict_prelude_bc_end[];

/* The last piece loaded at start. */
#define PRELUDE_AT_START "api.lua"

struct prelude_piece {
	const char *text;      /* "--@name.lua\n..." up to the next piece */
	size_t len;
	char chunkname[64];    /* "=verdict/name.lua" */
};

/* The piece of the text at *at (up to end): true and *piece, *at moved
 * past it; false at the end. */
bool prelude_next(const char **at, const char *end, struct prelude_piece *piece);

/* Piece i of a compiled block: true with *bc and *len if the block is
 * whole, was made by the Lua release named `ident`, and has a piece i;
 * false otherwise. */
bool prelude_compiled_piece(const char *block, size_t block_len, const char *ident, size_t i,
			    const char **bc, size_t *len);

#endif
