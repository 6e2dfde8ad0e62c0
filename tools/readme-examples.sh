#!/bin/sh
# tools/readme-examples.sh [DOC.md...] - compile the C examples of the docs.
#
# Every ```c block of the DOCs (default: README.md and docs/*.md) is
# compiled exactly as written, with warnings as errors, against include/
# and $NG_BUILD/libnestguard.a (default build/), and linked:
#   - a block that defines main() is a program, compiled as it stands;
#   - any other block is a fragment: it becomes the body of a function
#     after <stdint.h>, <stdio.h>, <stdlib.h>, <string.h> and <nestguard.h>,
#     whose parameters name what fragments use without declaring: the input
#     `buf`/`len` and a callback `fn`/`arg` (int (*fn)(void *arg)).
# A #line directive points every diagnostic at DOC:LINE. The library's
# sanitizers (found by nm) are added to the link. Prints one line per block
# ("ok" or "FAIL" and the compiler's output) and a summary; exits 1 if any
# block failed, 2 on a usage error. Sources and binaries are kept in
# $NG_BUILD/doc-examples/. Run from the top of the tree (tests/test_docs.c).
set -u
CC=${CC:-cc}
build=${NG_BUILD:-build}
lib="$build/libnestguard.a"
out="$build/doc-examples"
CFLAGS_EX="-std=c11 -pedantic -Wall -Wextra -Werror -Iinclude"

if [ ! -f "$lib" ]; then
  echo "readme-examples.sh: $lib not found (build the library first)" >&2
  exit 2
fi
[ $# -gt 0 ] || set -- README.md docs/*.md

# A sanitized library needs its runtime at link time.
san=""
syms=$(nm -A "$lib" 2>/dev/null)
case $syms in *__asan_*) san="$san,address" ;; esac
case $syms in *__tsan_*) san="$san,thread" ;; esac
case $syms in *__ubsan_*) san="$san,undefined" ;; esac
[ -z "$san" ] || CFLAGS_EX="$CFLAGS_EX -fsanitize=${san#,}"

# extract DOC DIR: writes each ```c block of DOC to DIR/N.body and prints
# "N LINE" (LINE: the block's first line in DOC).
extract() {
  awk -v dir="$2" '
    inblk && /^```/ { inblk = 0; close(f); next }
    inblk { print > f; next }
    /^```c[ \t]*$/ {
      n++; f = dir "/" n ".body"; printf "" > f
      print n, NR + 1; inblk = 1
    }' "$1"
}

# c_file DOC LINE BODY: the C file for one block, on stdout.
c_file() {
  if grep -Eq '(^|[^[:alnum:]_])main[[:space:]]*\(' "$3"; then
    printf '#line %s "%s"\n' "$2" "$1"
    cat "$3"
    return
  fi
  cat <<'EOF'
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nestguard.h>

int ng_doc_fragment(const char *buf, size_t len, int (*fn)(void *arg),
                    void *arg);
int ng_doc_fragment(const char *buf, size_t len, int (*fn)(void *arg),
                    void *arg) {
  (void)buf;
  (void)len;
  (void)fn;
  (void)arg;
EOF
  printf '#line %s "%s"\n' "$2" "$1"
  cat "$3"
  printf '  return 0;\n}\n\nint main(void) { return 0; }\n'
}

total=0
failed=0
for doc in "$@"; do
  if [ ! -f "$doc" ]; then
    echo "readme-examples.sh: $doc: no such file" >&2
    exit 2
  fi
  dir="$out/$(printf '%s' "$doc" | tr '/' '_')"
  rm -rf "$dir"
  mkdir -p "$dir"
  extract "$doc" "$dir" > "$dir/blocks"
  # Compile the blocks of one document in parallel; report in order.
  while read -r n line; do
    c_file "$doc" "$line" "$dir/$n.body" > "$dir/$n.c"
    # shellcheck disable=SC2086 # CC and the flags are word lists
    { $CC $CFLAGS_EX -o "$dir/$n" "$dir/$n.c" "$lib" -pthread -lm \
        > "$dir/$n.log" 2>&1
      echo $? > "$dir/$n.rc"; } &
  done < "$dir/blocks"
  wait
  while read -r n line; do
    total=$((total + 1))
    if [ "$(cat "$dir/$n.rc")" = 0 ]; then
      echo "ok    $doc:$line"
    else
      failed=$((failed + 1))
      echo "FAIL  $doc:$line ($dir/$n.c)"
      sed 's/^/    /' "$dir/$n.log"
    fi
  done < "$dir/blocks"
done
echo "$total examples, $failed failed"
[ "$failed" -eq 0 ]
