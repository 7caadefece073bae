/* The engine's Lua prelude, embedded in the binary (see src/prelude.h). */
	.section .rodata
	.global verdict_prelude_text
	.global verdict_prelude_end
verdict_prelude_text:
	.ascii "--@text.lua\n"
	.incbin "src/lua/text.lua"
	.ascii "\n--@dsl.lua\n"
	.incbin "src/lua/dsl.lua"
	.ascii "\n--@compile.lua\n"
	.incbin "src/lua/compile.lua"
	.ascii "\n--@plan.lua\n"
	.incbin "src/lua/plan.lua"
	.ascii "\n--@eval.lua\n"
	.incbin "src/lua/eval.lua"
	.ascii "\n--@report.lua\n"
	.incbin "src/lua/report.lua"
	.ascii "\n--@coverage.lua\n"
	.incbin "src/lua/coverage.lua"
	.ascii "\n--@api.lua\n"
	.incbin "src/lua/api.lua"
	/* Loaded on demand, by lint only (prelude.h: PRELUDE_AT_START). */
	.ascii "\n--@bytecode.lua\n"
	.incbin "src/lua/bytecode.lua"
	.ascii "\n--@lint.lua\n"
	.incbin "src/lua/lint.lua"
verdict_prelude_end:
	.byte 0
	.section .note.GNU-stack,"",@progbits
