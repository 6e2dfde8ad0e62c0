#!/bin/bash -eu
# fuzz/oss-fuzz/build.sh - build every harness for OSS-Fuzz/ClusterFuzzLite.
#
# OSS-Fuzz runs this inside its base-builder image with CC, CXX, CFLAGS,
# CXXFLAGS, LIB_FUZZING_ENGINE, FUZZING_ENGINE, SANITIZER, SRC, WORK and
# OUT set; the source is at $SRC/nestguard (override with NG_SRC). The
# harnesses are the same files the local AFL++ builds use: each defines
# LLVMFuzzerTestOneInput, so libFuzzer, AFL++ and honggfuzz engines all
# link against them. For libFuzzer the nesting mutator is linked in too
# (LLVMFuzzerCustomMutator). Needs re2c and lemon (see Dockerfile).
#
# Local dry run (libFuzzer + ASan, no Docker):
#   CC=clang CXX=clang++ CFLAGS="-O1 -g -fsanitize=address,fuzzer-no-link" \
#   CXXFLAGS="$CFLAGS" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
#   FUZZING_ENGINE=libfuzzer SRC=/tmp WORK=/tmp/ossw OUT=/tmp/osso \
#   NG_SRC=$PWD bash fuzz/oss-fuzz/build.sh
cd "${NG_SRC:-$SRC/nestguard}"
gen=$WORK/gen
obj=$WORK/obj
mkdir -p "$gen" "$obj" "$OUT"
cppflags="-Iinclude -Ilib -I$gen -D_POSIX_C_SOURCE=200809L"
cflags="$CFLAGS -std=c11 -pthread"

# Generated sources, as the Makefile makes them.
for re in parsers/*/*.re; do
  [ -f "$re" ] || continue
  mkdir -p "$gen/$(dirname "$re")"
  re2c -W -Werror --no-generation-date --no-version "$re" -o "$gen/${re%.re}.c"
done
for y in parsers/*/*.y; do
  [ -f "$y" ] || continue
  mkdir -p "$gen/$(dirname "$y")"
  lemon -q -l -T/usr/share/lemon/lempar.c -d"$gen/$(dirname "$y")" "$y"
done

# The library.
objs=()
for c in lib/*.c lib/stack/*.c parsers/*/*.c; do
  [ -f "$c" ] || continue
  o=$obj/${c%.c}.o
  mkdir -p "$(dirname "$o")"
  $CC $cflags $cppflags -c "$c" -o "$o"
  objs+=("$o")
done
for s in lib/stack/arch/*.S; do
  [ -f "$s" ] || continue
  o=$obj/${s%.S}.o
  mkdir -p "$(dirname "$o")"
  $CC $cppflags -c "$s" -o "$o"
  objs+=("$o")
done
for c in "$gen"/parsers/*/*.c; do
  [ -f "$c" ] || continue
  rel=${c#"$gen"/}
  o=$obj/gen/${rel%.c}.o
  mkdir -p "$(dirname "$o")"
  $CC $cflags $cppflags -I"$(dirname "$rel")" -c "$c" -o "$o"
  objs+=("$o")
done
rm -f "$WORK/libnestguard.a"
ar rcs "$WORK/libnestguard.a" "${objs[@]}"

# Shared harness code; the custom mutator only where libFuzzer provides
# LLVMFuzzerMutate.
support=(fuzz/fuzz.c fuzz/fuzz_json.c fuzz/fuzz_xml.c tests/support/failalloc.c)
if [ "${FUZZING_ENGINE:-libfuzzer}" = libfuzzer ]; then
  support+=(fuzz/mutator/nestmut.c fuzz/mutator/xmlmut.c fuzz/mutator/libfuzzer.c)
fi
sobjs=()
for c in "${support[@]}"; do
  o=$obj/support/$(basename "${c%.c}").o
  mkdir -p "$(dirname "$o")"
  $CC $cflags $cppflags -c "$c" -o "$o"
  sobjs+=("$o")
done

# Seeds: hand-written corpus, fuzz corpus, fixed regressions, and the
# generated adversarial nestings.
seeds=$WORK/seeds
rm -rf "$seeds"
mkdir -p "$seeds"
cp corpus/json/* fuzz/corpus/json/* "$seeds"/ 2>/dev/null || true
for f in corpus/regressions/*; do
  case "$f" in */README*) ;; *) [ -f "$f" ] && cp "$f" "$seeds"/ ;; esac
done
$CC -std=c11 -O2 -D_POSIX_C_SOURCE=200809L fuzz/gen/gen_nesting.c \
  -o "$WORK/gen_nesting"
"$WORK/gen_nesting" --seeds "$seeds" --limit 10000 >/dev/null
(cd "$seeds" && zip -q -r "$WORK/json_seeds.zip" .)
xseeds=$WORK/xml_seeds
rm -rf "$xseeds"
mkdir -p "$xseeds"
cp corpus/xml/*.xml fuzz/corpus/xml/*.xml "$xseeds"/ 2>/dev/null || true
cp corpus/regressions/xml* "$xseeds"/ 2>/dev/null || true
"$WORK/gen_nesting" --format=xml --seeds "$xseeds" --limit 10000 >/dev/null
(cd "$xseeds" && zip -q -r "$WORK/xml_seeds.zip" .)
(cd fuzz/corpus/stack && zip -q -r "$WORK/stack_seeds.zip" .)

for h in fuzz/json_*.c fuzz/xml_*.c fuzz/stack_*.c; do
  [ -f "$h" ] || continue
  t=$(basename "$h" .c)
  fmt=${t%%_*}
  $CC $cflags $cppflags -c "$h" -o "$obj/$t.o"
  $CXX $CXXFLAGS "$obj/$t.o" "${sobjs[@]}" "$WORK/libnestguard.a" \
    $LIB_FUZZING_ENGINE -lm -pthread -o "$OUT/$t"
  [ -f "$WORK/${fmt}_seeds.zip" ] &&
    cp "$WORK/${fmt}_seeds.zip" "$OUT/${t}_seed_corpus.zip"
  if [ -f "fuzz/$fmt.dict" ]; then
    cp "fuzz/$fmt.dict" "$OUT/$t.dict"
    # Room for nesting edits (repeats up to x100,000 need ~256 KiB).
    printf '[libfuzzer]\nmax_len = 262144\ndict = %s.dict\n' "$t" \
      >"$OUT/$t.options"
  fi
done
