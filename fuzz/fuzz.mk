# fuzz/fuzz.mk - fuzz builds, smoke runs and coverage (GNU make).
#
# The top-level Makefile delegates here from the repository root:
#   make fuzz        every build below, for every harness  -> build/fuzz/
#   make fuzz-smoke  each harness a short AFL++ run (ASan+UBSan build with
#                    the nesting mutator); fails on any crash or hang
#   make fuzz-cov    line and branch coverage of parsers/ and lib/ reached by
#                    the corpus, per engine (llvm-cov)
# and directly:  make -f fuzz/fuzz.mk fuzz-build-<variant> | fuzz-tools |
#                mutator-test | fuzz-clean
#
# The library is compiled here from the same sources as the main build
# (same wildcards, same warnings), once per instrumentation, into
# build/fuzz/<variant>/ - build/ of the main Makefile is never touched.
#
#   variant    compiler                              use
#   afl        afl-clang-fast -O2                    fastest campaign nodes
#   cmplog     AFL_LLVM_CMPLOG=1 afl-clang-fast      -M node, run with -c 0
#   asan       AFL_USE_ASAN/UBSAN afl-clang-fast     -S nodes, fuzz-smoke
#   libfuzzer  clang -fsanitize=fuzzer,address,undefined (+ nestmut)
#   replay     clang -fsanitize=address,undefined, main = fuzz/replay.c
#   cov        clang -fprofile-instr-generate -fcoverage-mapping, replay
#
# Harnesses are fuzz/json_*.c, fuzz/stack_*.c (later fuzz/xml_*.c): one
# binary each per variant, e.g. build/fuzz/afl/json_differential.

FB            ?= build/fuzz
CLANG         ?= clang
AFLCC        ?= afl-clang-fast
RE2C          ?= re2c
LEMON         ?= lemon
LEMPAR        ?= /usr/share/lemon/lempar.c
HOSTCC        ?= cc

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wpointer-arith -Wvla -Wformat=2 \
        -Wundef -Wcast-qual
GENWARN := -Wno-missing-prototypes -Wno-unused-parameter
FZ_CPPFLAGS := -Iinclude -Ilib -I$(FB)/gen -D_POSIX_C_SOURCE=200809L
FZ_CFLAGS := -std=c11 -g -pthread $(WARN)
FZ_LIBS := -pthread -lm

# ------------------------------------------------------------- sources
LIB_C    := $(wildcard lib/*.c lib/stack/*.c parsers/*/*.c)
LIB_S    := $(wildcard lib/stack/arch/*.S)
LIB_RE   := $(wildcard parsers/*/*.re)
LIB_Y    := $(wildcard parsers/*/*.y)
GEN_RE_C := $(patsubst %.re,$(FB)/gen/%.c,$(LIB_RE))
GEN_Y_C  := $(patsubst %.y,$(FB)/gen/%.c,$(LIB_Y))
GEN_Y_H  := $(patsubst %.y,$(FB)/gen/%.h,$(LIB_Y))
GEN_C    := $(GEN_RE_C) $(GEN_Y_C)

TARGETS  := $(basename $(notdir $(wildcard fuzz/json_*.c fuzz/xml_*.c \
                                            fuzz/stack_*.c)))
SUPPORT  := fuzz/fuzz.c fuzz/fuzz_json.c fuzz/fuzz_xml.c tests/support/failalloc.c
MUT_C    := fuzz/mutator/nestmut.c fuzz/mutator/xmlmut.c

VARIANTS := afl cmplog asan libfuzzer replay cov

, := ,
.PHONY: fuzz fuzz-smoke fuzz-cov fuzz-tools mutator-test fuzz-clean \
        $(addprefix fuzz-build-,$(VARIANTS))
.DEFAULT_GOAL := fuzz
.SECONDARY:

# ------------------------------------------------------------ generators
$(FB)/gen/%.c: %.re
	@mkdir -p $(@D)
	$(RE2C) -W -Werror --no-generation-date --no-version $< -o $@

$(FB)/gen/%.c $(FB)/gen/%.h: %.y
	@mkdir -p $(@D)
	$(LEMON) -q -l -T$(LEMPAR) -d$(@D) $<

# -------------------------------------------------------------- variants
# $(1) name  $(2) compiler  $(3) compile flags  $(4) link flags
# $(5) driver sources linked into every harness binary
define FUZZ_VARIANT
$(1)_LIBOBJ := $(patsubst %.c,$(FB)/$(1)/obj/%.o,$(LIB_C)) \
               $(patsubst %.S,$(FB)/$(1)/obj/%.o,$(LIB_S)) \
               $(patsubst $(FB)/gen/%.c,$(FB)/$(1)/gen/%.o,$(GEN_C))
$(1)_DRVOBJ := $(patsubst %.c,$(FB)/$(1)/obj/%.o,$(SUPPORT) $(5))
$(1)_BINS   := $(addprefix $(FB)/$(1)/,$(TARGETS))

$(FB)/$(1)/obj/%.o: %.c | $(GEN_Y_H)
	@mkdir -p $$(@D)
	$(2) $(FZ_CPPFLAGS) $(FZ_CFLAGS) $(3) -MMD -MP -c $$< -o $$@

$(FB)/$(1)/obj/%.o: %.S
	@mkdir -p $$(@D)
	$(2) $(FZ_CPPFLAGS) $(3) -MMD -MP -c $$< -o $$@

$(FB)/$(1)/gen/%.o: $(FB)/gen/%.c | $(GEN_Y_H)
	@mkdir -p $$(@D)
	$(2) $(FZ_CPPFLAGS) -I$$(dir $$*) $(FZ_CFLAGS) $(GENWARN) $(3) \
	  -MMD -MP -c $$< -o $$@

$(FB)/$(1)/libnestguard.a: $$($(1)_LIBOBJ)
	rm -f $$@
	$(AR) rcs $$@ $$^

$$($(1)_BINS): $(FB)/$(1)/%: $(FB)/$(1)/obj/fuzz/%.o $$($(1)_DRVOBJ) \
                 $(FB)/$(1)/libnestguard.a
	$(2) $(3) $(4) -o $$@ $$^ $(FZ_LIBS)

fuzz-build-$(1): $$($(1)_BINS)
endef

AFLQ := AFL_QUIET=1 AFL_LLVM_DENYLIST=$(abspath fuzz/afl.deny)
$(eval $(call FUZZ_VARIANT,afl,$(AFLQ) $(AFLCC),-O2,,\
  fuzz/afl_main.c fuzz/replay_lib.c))
$(eval $(call FUZZ_VARIANT,cmplog,$(AFLQ) AFL_LLVM_CMPLOG=1 $(AFLCC),-O2,,\
  fuzz/afl_main.c fuzz/replay_lib.c))
$(eval $(call FUZZ_VARIANT,asan,\
  $(AFLQ) AFL_USE_ASAN=1 AFL_USE_UBSAN=1 $(AFLCC),\
  -O1 -fno-omit-frame-pointer,,fuzz/afl_main.c fuzz/replay_lib.c))
$(eval $(call FUZZ_VARIANT,libfuzzer,$(CLANG),\
  -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link$(,)address$(,)undefined,\
  -fsanitize=fuzzer$(,)address$(,)undefined,\
  fuzz/mutator/libfuzzer.c $(MUT_C)))
$(eval $(call FUZZ_VARIANT,replay,$(CLANG),\
  -O1 -fno-omit-frame-pointer -fsanitize=address$(,)undefined \
  -fno-sanitize-recover=all,,fuzz/replay.c))
# Coverage replays count oracle failures instead of aborting, so that one
# bad input does not lose the profile of a whole corpus.
$(eval $(call FUZZ_VARIANT,cov,$(CLANG),\
  -O0 -fprofile-instr-generate -fcoverage-mapping -DNG_FUZZ_NO_ABORT,,\
  fuzz/replay.c))


# ----------------------------------------------------------------- tools
TOOLS := $(FB)/tools/gen_nesting $(FB)/tools/nestmut.so

$(FB)/tools/gen_nesting: fuzz/gen/gen_nesting.c fuzz/gen/gen_nesting.h
	@mkdir -p $(@D)
	$(HOSTCC) -std=c11 -O2 -D_POSIX_C_SOURCE=200809L $(WARN) -o $@ $<

$(FB)/tools/nestmut.so: $(MUT_C) fuzz/mutator/afl.c fuzz/mutator/nestmut.h \
                        fuzz/mutator/xmlmut.h
	@mkdir -p $(@D)
	$(HOSTCC) -std=c11 -O2 -fPIC -shared -D_POSIX_C_SOURCE=200809L $(WARN) \
	  -o $@ $(MUT_C) fuzz/mutator/afl.c

$(FB)/tools/mutator-selftest: $(MUT_C) fuzz/mutator/selftest.c \
                              fuzz/mutator/nestmut.h fuzz/mutator/xmlmut.h
	@mkdir -p $(@D)
	$(CLANG) -std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L $(WARN) \
	  -fsanitize=address,undefined -fno-sanitize-recover=all \
	  -o $@ $(MUT_C) fuzz/mutator/selftest.c

# The libxml2 conformance differential (fuzz/run wfdiff): the only binary
# that links libxml2; not part of fuzz-tools, so CI needs no libxml2-dev.
$(FB)/tools/wfdiff: fuzz/gen/wfdiff.c $(FB)/replay/libnestguard.a
	@mkdir -p $(@D)
	$(CLANG) -std=c11 -g -O1 $(FZ_CPPFLAGS) $(WARN) \
	  -fsanitize=address,undefined $(shell pkg-config --cflags libxml-2.0) \
	  -o $@ $< $(FB)/replay/libnestguard.a \
	  $(shell pkg-config --libs libxml-2.0) -fsanitize=address,undefined \
	  $(FZ_LIBS)

fuzz-tools: $(TOOLS)

mutator-test: $(FB)/tools/mutator-selftest
	$(FB)/tools/mutator-selftest

# --------------------------------------------------------------- targets
fuzz: $(addprefix fuzz-build-,afl cmplog asan libfuzzer replay) fuzz-tools
	@echo "fuzz: built $(words $(TARGETS)) harnesses x $(words \
	  afl cmplog asan libfuzzer replay) variants in $(FB)/"

fuzz-smoke: fuzz-build-asan fuzz-build-replay fuzz-tools
	fuzz/run smoke

fuzz-cov: fuzz-build-cov fuzz-tools
	fuzz/run cov

fuzz-clean:
	rm -rf $(FB)

-include $(shell find $(wildcard $(addprefix $(FB)/,$(VARIANTS))) \
             -name '*.d' 2>/dev/null)
