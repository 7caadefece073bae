# verdict — build, test, install.  `make demo` and `make check` are the whole set-up.
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
MANDIR   = $(PREFIX)/share/man/man1
RULEDIR  = $(PREFIX)/share/verdict/rules

CC      ?= cc
PKG_CONFIG ?= pkg-config
DEPS_STAMP = .deps-ok
LUA_PC  = lua5.4
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wno-unused-parameter \
           $(shell $(PKG_CONFIG) --cflags $(LUA_PC) 2>/dev/null) \
           -pthread -DVERDICT_RULEDIR='"$(RULEDIR)"' -Isrc
LDLIBS  += $(shell $(PKG_CONFIG) --libs $(LUA_PC) 2>/dev/null) -lcsv -lm -pthread
TEST_LDLIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

SRCS    = $(filter-out src/main.c,$(wildcard src/*.c))
OBJS    = $(SRCS:.c=.o)
PRELUDE = $(wildcard src/lua/*.lua)
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:.c=)

PHONY_EXTRA = fixtures ruletests tutorial scaling jsonl jobs chunks native prelude steady install-test
.PHONY: all deps demo check unit cli $(PHONY_EXTRA) install uninstall clean bench fuzz sanitize
all: verdict

# Install the Debian packages the build needs, once, when they are missing.
deps: $(DEPS_STAMP)
$(DEPS_STAMP): tools/deps.sh
	@./tools/deps.sh
	@touch $@

src/%.o: src/%.c $(wildcard src/*.h) | $(DEPS_STAMP)
	$(CC) $(CFLAGS) -c -o $@ $<

src/prelude_data.o: src/prelude_data.S $(PRELUDE) | $(DEPS_STAMP)
	$(CC) -c -o $@ $< -Isrc

# The prelude compiled once here, with this machine's Lua, rather than at
# every start (src/prelude.h); every build below embeds the same block.
build/prelude_compile: tools/prelude_compile.c src/prelude.o src/strbuf.o src/prelude_data.o | $(DEPS_STAMP) build/.gitignore
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build/prelude.luac: build/prelude_compile
	./build/prelude_compile $@

src/prelude_bc.o: src/prelude_bc.S build/prelude.luac | $(DEPS_STAMP)
	$(CC) -c -o $@ $<

PRELUDE_OBJS = src/prelude_data.o src/prelude_bc.o

verdict: src/main.o $(OBJS) $(PRELUDE_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

libverdict.a: $(OBJS) $(PRELUDE_OBJS)
	$(AR) rcs $@ $^

tests/unit/test_%: tests/unit/test_%.c libverdict.a | $(DEPS_STAMP)
	$(CC) $(CFLAGS) -o $@ $< libverdict.a $(LDLIBS) $(TEST_LDLIBS)

unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do ./$$t || fail=1; done; exit $$fail

cli: verdict
	@./tests/cli/run.sh

fixtures: verdict
	@./tests/fixtures.sh
	@./tests/policy-map.sh

# The rule sets' own test cases and lint: the shipped one and the DSL's.
ruletests: verdict
	./verdict lint -r rules --as-of 2025-06-30
	./verdict test -q -r rules --as-of 2025-06-30
	./verdict lint -r tests/rules/dsl --as-of 2025-06-30
	./verdict test -q -r tests/rules/dsl --as-of 2025-06-30

tutorial: verdict
	@./tests/tutorial.sh

scaling: verdict
	@./tests/scaling.sh

jsonl: verdict
	@./tests/jsonl.sh

jobs: verdict
	@./tests/jobs.sh

native: verdict
	@./tests/native.sh

prelude: verdict
	@./tests/prelude.sh

chunks: verdict
	@./tests/chunks.sh

steady: verdict
	@./tests/steady.sh

install-test: verdict
	@./tests/install.sh

check: verdict unit cli fixtures ruletests tutorial scaling jsonl jobs chunks native prelude steady install-test
	@echo "make check: all tests passed"

# The main job on the shipped rules and all three fixtures (as of the day
# their expected verdicts were worked out for), then those verdicts
# compared with fixtures/expected/ (tests/fixtures.sh).  Exit status 1 of
# check only says some fixture rows are INVALID, as they are meant to be.
demo: verdict
	@for f in applications preparatory evaluations; do \
	  echo "== fixtures/$$f.csv"; \
	  ./verdict check -r rules --as-of 2025-06-30 --format table fixtures/$$f.csv; \
	  st=$$?; [ $$st -le 1 ] || exit $$st; \
	done
	sh tests/fixtures.sh

install: verdict
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(RULEDIR)
	install -m 755 verdict $(DESTDIR)$(BINDIR)/verdict
	install -m 644 docs/verdict.1 $(DESTDIR)$(MANDIR)/verdict.1
	cp -R rules/. $(DESTDIR)$(RULEDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/verdict $(DESTDIR)$(MANDIR)/verdict.1
	rm -rf $(DESTDIR)$(PREFIX)/share/verdict

clean:
	rm -f verdict libverdict.a src/*.o $(UNIT_BINS) build/prelude_compile build/prelude.luac
	rm -rf tests/cli/out

bench: verdict
	./bench/run.sh

# ---- hardening (issue 6) ----
# Sanitizers, valgrind, fuzzing and the isolation test.  Their builds go
# to build/ and fuzz/out/, never over the normal objects in src/.
#
#   make sanitize   everything built with -fsanitize=address,undefined in
#                   build/sanitize/, then the whole suite run against it:
#                   the unit tests, and `make check` plus `make isolation`
#                   in a copy of the tree (build/sanitize/tree) whose
#                   ./verdict is the sanitized one.  A sanitizer report
#                   exits 99.
#   make valgrind   the command-line tests with ./verdict under valgrind
#                   (memcheck, definite leaks count); a report exits 99 and
#                   its log is shown.
#   make fuzz       each libFuzzer harness (fuzz/*.c, clang) for
#                   FUZZ_SECONDS seconds (default 60), from a corpus seeded
#                   with fixtures/ and the test inputs and rule files; the
#                   corpus grows in fuzz/out/, crashes land in
#                   fuzz/out/crashes/.
#   make isolation  tests/isolation.sh: verdicts do not depend on the order
#                   or company of records.
.PHONY: valgrind isolation hardening-clean

SAN_DIR   = build/sanitize
SAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
SAN_OBJS  = $(patsubst src/%.c,$(SAN_DIR)/src/%.o,$(SRCS)) $(SAN_DIR)/src/prelude_data.o src/prelude_bc.o
SAN_UNITS = $(patsubst tests/unit/%.c,$(SAN_DIR)/unit/%,$(UNIT_SRCS))
SAN_ENV   = ASAN_OPTIONS=detect_leaks=1:exitcode=99 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99
VG_DIR    = build/valgrind
VALGRIND  = valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite

# build/ ignores itself, so that nothing built there is ever committed.
build/.gitignore:
	@mkdir -p build && echo '*' >$@

# A copy of the tree in $(1)/tree, without builds: the tests run there
# with their own ./verdict and write their scratch files there.
mirror = rm -rf $(1)/tree && mkdir -p $(1)/tree && \
	tar -cf - --exclude=./.git --exclude=./build --exclude=./fuzz/out --exclude=./bench/out \
		--exclude=./tests/cli/out \
		--exclude='*.o' --exclude=./verdict \
		--exclude=./libverdict.a . | tar -xf - -C $(1)/tree

$(SAN_DIR)/src/%.o: src/%.c $(wildcard src/*.h) | $(DEPS_STAMP) build/.gitignore
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -c -o $@ $<

$(SAN_DIR)/src/prelude_data.o: src/prelude_data.S $(PRELUDE) | $(DEPS_STAMP) build/.gitignore
	@mkdir -p $(@D)
	$(CC) -c -o $@ $< -Isrc

$(SAN_DIR)/verdict: $(SAN_DIR)/src/main.o $(SAN_OBJS)
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(SAN_DIR)/unit/test_%: tests/unit/test_%.c $(SAN_OBJS) | $(DEPS_STAMP) build/.gitignore
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LDLIBS) $(TEST_LDLIBS)

sanitize: $(SAN_DIR)/verdict $(SAN_UNITS)
	@fail=0; for t in $(SAN_UNITS); do $(SAN_ENV) ./$$t || fail=1; done; exit $$fail
	@$(call mirror,$(SAN_DIR))
	@cp $(SAN_DIR)/verdict $(SAN_DIR)/tree/verdict
	$(SAN_ENV) $(MAKE) -k --no-print-directory -C $(SAN_DIR)/tree -o verdict -o unit check isolation
	@echo "make sanitize: all tests passed with AddressSanitizer and UndefinedBehaviorSanitizer"

valgrind: verdict | build/.gitignore
	@$(call mirror,$(VG_DIR))
	@rm -rf $(VG_DIR)/logs && mkdir -p $(VG_DIR)/logs
	@cp verdict $(VG_DIR)/verdict
	@printf '#!/bin/sh\nexec %s --log-file=%s/%%p.log %s "$$@"\n' \
		'$(VALGRIND)' '$(CURDIR)/$(VG_DIR)/logs' '$(CURDIR)/$(VG_DIR)/verdict' >$(VG_DIR)/tree/verdict
	@chmod +x $(VG_DIR)/tree/verdict
	@$(MAKE) --no-print-directory -C $(VG_DIR)/tree -o verdict cli; st=$$?; \
	for l in $(VG_DIR)/logs/*.log; do [ -s "$$l" ] && { echo "valgrind: $$l"; cat "$$l"; st=1; }; done; \
	[ $$st = 0 ] && echo "make valgrind: the command-line tests are clean under valgrind"; exit $$st

isolation: verdict
	@./tests/isolation.sh

FUZZ_CC      = clang
FUZZ_SECONDS ?= 60
FUZZ_DIR     = fuzz/out
FUZZ_FLAGS   = -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
	       -fno-sanitize-recover=undefined
FUZZ_OBJS    = $(patsubst src/%.c,$(FUZZ_DIR)/obj/%.o,$(SRCS)) $(FUZZ_DIR)/obj/prelude_data.o src/prelude_bc.o
FUZZ_RUN     = -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1

$(FUZZ_DIR)/obj/%.o: src/%.c $(wildcard src/*.h) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CFLAGS) $(FUZZ_FLAGS) -c -o $@ $<

$(FUZZ_DIR)/obj/prelude_data.o: src/prelude_data.S $(PRELUDE) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) -c -o $@ $< -Isrc

$(FUZZ_DIR)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

# Seeds, copied afresh: CSV inputs behind a selector byte (fuzz_csv.c; 0:
# UTF-8, 1: GB18030), rule files as they are.
fuzz: $(FUZZ_DIR)/fuzz_csv $(FUZZ_DIR)/fuzz_rules $(FUZZ_DIR)/fuzz_jsonscan
	@rm -rf $(FUZZ_DIR)/seed-csv $(FUZZ_DIR)/seed-rules
	@mkdir -p $(FUZZ_DIR)/seed-csv $(FUZZ_DIR)/seed-rules $(FUZZ_DIR)/corpus-csv \
		$(FUZZ_DIR)/corpus-rules $(FUZZ_DIR)/crashes $(FUZZ_DIR)/seed-jsonscan $(FUZZ_DIR)/corpus-jsonscan
	@i=0; for f in fixtures/*.csv tests/rules/*.csv tests/cli/*/*.csv rules/tests/*.csv; do \
		[ -f "$$f" ] || continue; i=$$((i + 1)); \
		case $$f in *gb18030*|*gbk*) sel='\001' ;; *) sel='\000' ;; esac; \
		{ printf "$$sel"; cat "$$f"; } >$(FUZZ_DIR)/seed-csv/$$i.csv; done
	@i=0; for f in $$(find rules tests/rules -name '*.lua'); do \
		i=$$((i + 1)); cp "$$f" $(FUZZ_DIR)/seed-rules/$$i.lua; done
	@rm -rf $(FUZZ_DIR)/seed-jsonscan; mkdir -p $(FUZZ_DIR)/seed-jsonscan; \
		for f in tests/cli/check-jsonl*/expected tests/cli/audit-*/*.jsonl; do \
		[ -f "$$f" ] && head -n 3 "$$f"; done | awk '{ print > "$(FUZZ_DIR)/seed-jsonscan/" NR ".json"; \
		close("$(FUZZ_DIR)/seed-jsonscan/" NR ".json") }'
	$(FUZZ_DIR)/fuzz_csv $(FUZZ_RUN) -artifact_prefix=$(FUZZ_DIR)/crashes/csv- \
		$(FUZZ_DIR)/corpus-csv $(FUZZ_DIR)/seed-csv
	$(FUZZ_DIR)/fuzz_rules $(FUZZ_RUN) -dict=fuzz/rules.dict -artifact_prefix=$(FUZZ_DIR)/crashes/rules- \
		$(FUZZ_DIR)/corpus-rules $(FUZZ_DIR)/seed-rules
	$(FUZZ_DIR)/fuzz_jsonscan $(FUZZ_RUN) -artifact_prefix=$(FUZZ_DIR)/crashes/jsonscan- \
		$(FUZZ_DIR)/corpus-jsonscan $(FUZZ_DIR)/seed-jsonscan

hardening-clean:
	rm -rf build $(FUZZ_DIR)
