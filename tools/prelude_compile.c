/* prelude_compile OUT — compile the embedded prelude's pieces (the text
 * linked in from src/prelude_data.S) with this machine's Lua and write
 * them, with the release's lua_ident, to OUT in the block format of
 * src/prelude.h.  Run by the Makefile; src/prelude_bc.S embeds OUT. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lauxlib.h>
#include <lua.h>
#include "prelude.h"
#include "strbuf.h"

static int add_bytes(lua_State *L, const void *p, size_t n, void *ud)
{
	(void)L;
	strbuf_add(ud, p, n);
	return 0;
}

static void put_len(struct strbuf *b, size_t n)
{
	unsigned char le[4] = { (unsigned char)n, (unsigned char)(n >> 8), (unsigned char)(n >> 16),
				(unsigned char)(n >> 24) };
	strbuf_add(b, (const char *)le, 4);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: prelude_compile OUT\n");
		return 2;
	}
	lua_State *L = luaL_newstate();
	if (!L) {
		fprintf(stderr, "prelude_compile: no memory for a Lua state\n");
		return 1;
	}
	struct strbuf pieces = STRBUF_INIT, block = STRBUF_INIT;
	const char *at = verdict_prelude_text;
	struct prelude_piece pc;
	size_t count = 0;
	while (prelude_next(&at, verdict_prelude_end, &pc)) {
		if (luaL_loadbufferx(L, pc.text, pc.len, pc.chunkname, "t") != LUA_OK) {
			fprintf(stderr, "prelude_compile: %s\n", lua_tostring(L, -1));
			return 1;
		}
		struct strbuf bc = STRBUF_INIT;
		lua_dump(L, add_bytes, &bc, 0);   /* with debug information: the same lines in messages */
		lua_pop(L, 1);
		put_len(&pieces, bc.len);
		strbuf_add(&pieces, bc.buf, bc.len);
		strbuf_release(&bc);
		count++;
	}
	strbuf_add(&block, "VPB1", 4);
	put_len(&block, strlen(lua_ident));
	strbuf_add(&block, lua_ident, strlen(lua_ident));
	put_len(&block, count);
	strbuf_add(&block, pieces.buf, pieces.len);
	FILE *f = fopen(argv[1], "wb");
	bool written = f && fwrite(block.buf, 1, block.len, f) == block.len;
	if (f && fclose(f) != 0)
		written = false;
	if (!written) {
		fprintf(stderr, "prelude_compile: cannot write '%s' (%zu bytes): %s\n", argv[1], block.len,
			strerror(errno));
		remove(argv[1]);
		return 1;
	}
	lua_close(L);
	strbuf_release(&pieces);
	strbuf_release(&block);
	return 0;
}
