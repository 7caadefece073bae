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
           -DVERDICT_RULEDIR='"$(RULEDIR)"' -Isrc
LDLIBS  += $(shell $(PKG_CONFIG) --libs $(LUA_PC) 2>/dev/null) -lcsv -lm
TEST_LDLIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

SRCS    = $(filter-out src/main.c,$(wildcard src/*.c))
OBJS    = $(SRCS:.c=.o)
PRELUDE = $(wildcard src/lua/*.lua)
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:.c=)

PHONY_EXTRA = fixtures ruletests
.PHONY: all deps demo check unit cli $(PHONY_EXTRA) install uninstall clean bench fuzz sanitize
all: verdict

# Install the Debian packages the build needs, once, when they are missing.
deps: $(DEPS_STAMP)
$(DEPS_STAMP):
	@./tools/deps.sh
	@touch $@

src/%.o: src/%.c $(wildcard src/*.h) | $(DEPS_STAMP)
	$(CC) $(CFLAGS) -c -o $@ $<

src/prelude_data.o: src/prelude_data.S $(PRELUDE) | $(DEPS_STAMP)
	$(CC) -c -o $@ $< -Isrc

verdict: src/main.o $(OBJS) src/prelude_data.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

libverdict.a: $(OBJS) src/prelude_data.o
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

check: verdict unit cli fixtures ruletests
	@echo "make check: all tests passed"

demo: verdict
	./verdict check -r rules --format table fixtures/applications.csv; \
	st=$$?; [ $$st -le 1 ] || exit $$st

install: verdict
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(RULEDIR)
	install -m 755 verdict $(DESTDIR)$(BINDIR)/verdict
	install -m 644 docs/verdict.1 $(DESTDIR)$(MANDIR)/verdict.1
	cp -R rules/. $(DESTDIR)$(RULEDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/verdict $(DESTDIR)$(MANDIR)/verdict.1
	rm -rf $(DESTDIR)$(PREFIX)/share/verdict

clean:
	rm -f verdict libverdict.a src/*.o $(UNIT_BINS)
	rm -rf tests/cli/out

bench: verdict
	./bench/run.sh
