# nestguard - plain GNU make build.
#
#   make            library (static + shared), CLI          -> build/
#   make check      all tests (cmocka binaries + corpus replays)
#   make check-asan the same tests under ASan+UBSan          -> build/asan/
#   make check-tsan runtime and JSON tests under TSan         -> build/tsan/
#   make check-debug runtime tests built at -O0               -> build/debug/
#   make check-valgrind  the tests under valgrind memcheck
#   make bench      release build, benchmarks, tables, charts -> build/bench/
#   make fuzz-smoke short fuzz runs of every harness
#   make install    PREFIX=/usr/local DESTDIR=
#   make deps       check (and as root, install) every tool the build needs
#   make fmt / lint / clean
#
# Sources are found by wildcard: a new .c under lib/, lib/stack/, parsers/*/,
# a .S under lib/stack/arch/, a .re or .y under parsers/*/, a tests/test_*.c or
# a bench/*.c joins the build without editing this file. Generated sources
# (re2c, lemon) go to $(BUILD)/gen/, never into the source tree.

-include config.mk

BUILD    ?= build
PREFIX   ?= /usr/local
LIBDIR   ?= $(PREFIX)/lib
INCDIR   ?= $(PREFIX)/include
BINDIR   ?= $(PREFIX)/bin
PCDIR    ?= $(LIBDIR)/pkgconfig

CC       ?= cc
CXX      ?= c++
RE2C     ?= re2c
LEMON    ?= lemon
LEMPAR   ?= /usr/share/lemon/lempar.c
OPT      ?= -O2 -g
SAN      ?=

VERSION  := $(shell sed -n 's/^\#define NG_VERSION_STRING "\(.*\)"/\1/p' include/nestguard/version.h)
SOMAJOR  := 0

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wpointer-arith -Wvla -Wformat=2 \
            -Wundef -Wcast-qual
CPPFLAGS += -Iinclude -Ilib -I$(BUILD)/gen -D_POSIX_C_SOURCE=200809L
CFLAGS   += -std=c11 $(OPT) $(WARN) -fPIC -pthread $(SAN)
DEPFLAGS  = -MMD -MP
LDLIBS   += -pthread -lm

# Generated code is compiled with the project's warnings minus prototypes,
# which re2c and lemon output does not declare.
GENWARN  := -Wno-missing-prototypes -Wno-unused-parameter

# ---------------------------------------------------------------- sources
LIB_C    := $(wildcard lib/*.c lib/stack/*.c parsers/*/*.c)
LIB_S    := $(wildcard lib/stack/arch/*.S)
LIB_RE   := $(wildcard parsers/*/*.re)
LIB_Y    := $(wildcard parsers/*/*.y)
GEN_RE_C := $(patsubst %.re,$(BUILD)/gen/%.c,$(LIB_RE))
GEN_Y_C  := $(patsubst %.y,$(BUILD)/gen/%.c,$(LIB_Y))
GEN_Y_H  := $(patsubst %.y,$(BUILD)/gen/%.h,$(LIB_Y))
LIB_OBJ  := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_C)) \
            $(patsubst %.S,$(BUILD)/obj/%.o,$(LIB_S)) \
            $(patsubst %.c,%.o,$(GEN_RE_C) $(GEN_Y_C))

LIB_A    := $(BUILD)/libnestguard.a
LIB_SO   := $(BUILD)/libnestguard.so.$(VERSION)
LIB_SONAME := libnestguard.so.$(SOMAJOR)

CLI_C    := $(wildcard tools/*.c)
CLI_OBJ  := $(patsubst %.c,$(BUILD)/obj/%.o,$(CLI_C))
CLI      := $(BUILD)/nestguard

SUPPORT_C   := $(wildcard tests/support/*.c)
SUPPORT_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(SUPPORT_C))
TEST_C      := $(wildcard tests/test_*.c)
TEST_BIN    := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_C))

CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

.PHONY: all lib cli tests check check-asan check-tsan check-debug check-valgrind bench fuzz \
        fuzz-smoke fuzz-cov install uninstall fmt lint deps clean
.DEFAULT_GOAL := all
# Keep objects make would see as intermediate (tests link them directly).
.SECONDARY:

all: lib cli
lib: $(LIB_A) $(LIB_SO)
cli: $(CLI)
tests: $(TEST_BIN)

# ------------------------------------------------------------- generators
$(BUILD)/gen/%.c: %.re
	@mkdir -p $(@D)
	$(RE2C) -W -Werror --no-generation-date --no-version $< -o $@

# lemon writes both .c and .h; the .h is declared through the .c. lemon
# leaves an unchanged .h as it was, older than the .y: touched, so the
# next make does not run lemon again.
$(BUILD)/gen/%.c $(BUILD)/gen/%.h: %.y
	@mkdir -p $(@D)
	$(LEMON) -q -l -T$(LEMPAR) -d$(@D) $<
	@touch $(BUILD)/gen/$*.h

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(CPPFLAGS) -I$(dir $*) $(CFLAGS) $(GENWARN) $(DEPFLAGS) -c $< -o $@

# --------------------------------------------------------------- objects
# Every object waits for the generated headers, so a first build in
# parallel never compiles an engine before lemon has written its tokens.
$(BUILD)/obj/%.o: %.c | $(GEN_Y_H)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.S
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(SAN) $(DEPFLAGS) -c $< -o $@

$(LIB_A): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(LIB_SO): $(LIB_OBJ) lib/nestguard.map
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,$(LIB_SONAME) \
	  -Wl,--version-script,lib/nestguard.map $(CFLAGS) -o $@ $(LIB_OBJ) $(LDLIBS)
	ln -sf $(notdir $@) $(BUILD)/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(BUILD)/libnestguard.so

$(CLI): $(CLI_OBJ) $(LIB_A)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# ----------------------------------------------------------------- tests
$(BUILD)/obj/tests/%.o: CPPFLAGS += $(CMOCKA_CFLAGS) -Itests
$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(SUPPORT_OBJ) $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LDLIBS)

# The runner prints one "N passed, N failed" line summed over all binaries.
check: deps
	@$(MAKE) --no-print-directory tests cli
	@NG_BUILD=$(BUILD) sh tests/run.sh $(TEST_BIN)

check-asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  tests cli
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 NG_SANITIZED=1 \
	  NG_BUILD=build/asan sh tests/run.sh $(patsubst $(BUILD)/%,build/asan/%,$(TEST_BIN))

# The runtime's and JSON tests under ThreadSanitizer: every task switch is
# announced as a TSan fiber switch (lib/stack/tool.h). NG_TSAN keeps the
# tests within what TSan follows: call stacks of at most 65,535 frames, and
# gcc 12's runtime at most 8,128 fibers (live tasks), milliseconds each to
# create. test_stack_contracts scales down under NG_TSAN (TSan defers
# signal handlers and runs them itself, off the alternate stack), and the
# CLI tests run a TSan-built CLI. Left to ASan and valgrind: the corpus,
# core, docs and XML tests.
TSAN_TESTS := $(patsubst %,build/tsan/tests/%,test_stack test_task \
                test_stack_contracts test_cli test_cli_json \
                $(notdir $(filter $(BUILD)/tests/test_json_%,$(TEST_BIN))))
check-tsan: deps
	@$(MAKE) --no-print-directory BUILD=build/tsan OPT="-O1 -g" \
	  SAN="-fsanitize=thread -fno-omit-frame-pointer" $(TSAN_TESTS) \
	  build/tsan/nestguard
	@TSAN_OPTIONS=halt_on_error=1 NG_SANITIZED=1 NG_TSAN=1 \
	  NG_BUILD=build/tsan sh tests/run.sh $(TSAN_TESTS)

# The runtime's tests in an unoptimised build (-O0 -g, as a debug build
# of a user's program compiles the library): frames are several times
# larger than at -O2, and the slow path's reserve must still hold them, as
# the red zone must hold the recursive engine's direct out-calls.
DEBUG_TESTS := $(patsubst %,build/debug/tests/%,test_stack test_task \
                 test_stack_contracts test_json_stackuse test_json_stream \
                 test_xml_stackuse)
check-debug: deps
	@$(MAKE) --no-print-directory BUILD=build/debug OPT="-O0 -g" $(DEBUG_TESTS)
	@NG_BUILD=build/debug sh tests/run.sh $(DEBUG_TESTS)

VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full --trace-children=yes \
            --errors-for-leak-kinds=definite,indirect --track-origins=no
check-valgrind: deps
	@$(MAKE) --no-print-directory tests cli
	@NG_VALGRIND=1 NG_BUILD=$(BUILD) NG_WRAP="$(VALGRIND)" sh tests/run.sh $(TEST_BIN)

# ----------------------------------------------------------------- bench
# Release build in its own tree; peers are linked into the bench binary only.
BENCH_DIR := build/bench
bench: deps
	@$(MAKE) --no-print-directory -f bench/bench.mk BUILD=build/release \
	  BENCH_DIR=$(BENCH_DIR) bench-run

# ------------------------------------------------------------------ fuzz
fuzz fuzz-smoke fuzz-cov: deps
	@$(MAKE) --no-print-directory -f fuzz/fuzz.mk $@

# --------------------------------------------------------------- install
PUBLIC_H := include/nestguard.h $(wildcard include/nestguard/*.h)

$(BUILD)/nestguard.pc: nestguard.pc.in include/nestguard/version.h
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCDIR@|$(INCDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

install: all $(BUILD)/nestguard.pc
	install -d $(DESTDIR)$(INCDIR)/nestguard $(DESTDIR)$(LIBDIR) \
	  $(DESTDIR)$(PCDIR) $(DESTDIR)$(BINDIR)
	install -m 644 include/nestguard.h $(DESTDIR)$(INCDIR)/
	install -m 644 $(wildcard include/nestguard/*.h) $(DESTDIR)$(INCDIR)/nestguard/
	install -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(LIB_SO)) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libnestguard.so
	install -m 644 $(BUILD)/nestguard.pc $(DESTDIR)$(PCDIR)/
	install -m 755 $(CLI) $(DESTDIR)$(BINDIR)/

uninstall:
	rm -rf $(DESTDIR)$(INCDIR)/nestguard
	rm -f $(DESTDIR)$(INCDIR)/nestguard.h $(DESTDIR)$(PCDIR)/nestguard.pc \
	  $(DESTDIR)$(LIBDIR)/libnestguard.a $(DESTDIR)$(LIBDIR)/libnestguard.so* \
	  $(DESTDIR)$(BINDIR)/nestguard

# ------------------------------------------------------------ fmt / lint
FMT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
fmt:
	clang-format -i $(FMT_FILES)

lint:
	clang-format --dry-run -Werror $(FMT_FILES)
	cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
	  --enable=warning,portability --suppress=missingIncludeSystem \
	  --suppress=preprocessorErrorDirective:lib/stack/tool.h \
	  -Iinclude -Ilib lib parsers tools

# ------------------------------------------------------------------ deps
deps:
	@sh tools/deps.sh

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
