/* The engine's Lua prelude compiled at build time (build/prelude.luac,
 * made by tools/prelude_compile.c; see src/prelude.h). */
	.section .rodata
	.global verdict_prelude_bc
	.global verdict_prelude_bc_end
verdict_prelude_bc:
	.incbin "build/prelude.luac"
verdict_prelude_bc_end:
	.byte 0
	.section .note.GNU-stack,"",@progbits
