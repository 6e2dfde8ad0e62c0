#!/usr/bin/env bash
# tools/install-test.sh - install into a temporary DESTDIR, then compile and
# run a small program with the installed pkg-config flags, against both the
# shared and the static library. Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
pass=0
fail=0
check() { if "$@"; then pass=$((pass + 1)); else echo "install-test: FAILED: $*"; fail=$((fail + 1)); fi; }

make -s install DESTDIR="$dest" PREFIX=/usr >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
pc="$dest/usr/lib/pkgconfig"
check test -f "$dest/usr/include/nestguard.h"
check test -f "$dest/usr/lib/libnestguard.a"
check test -L "$dest/usr/lib/libnestguard.so"
check test -x "$dest/usr/bin/nestguard"
check sh -c "objdump -p '$dest/usr/lib/libnestguard.so' | grep -q 'SONAME.*libnestguard.so.0'"

cat > "$dest/hello.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <nestguard.h>
int main(void) {
  ng_arena a;
  char *p;
  ng_arena_init(&a, NULL, 0);
  p = ng_arena_alloc(&a, 6, 1);
  if (p == NULL) return 1;
  memcpy(p, "hello", 6);
  printf("%s from nestguard %s (%s)\n", p, ng_version_string(),
         ng_err_name(NG_EDEPTH));
  ng_arena_free(&a);
  return ng_version() == NG_VERSION_HEX ? 0 : 1;
}
C
# pkg-config rewrites paths under a sysroot: point it at the DESTDIR copy.
flags=$(PKG_CONFIG_PATH="$pc" PKG_CONFIG_SYSROOT_DIR="$dest" pkg-config --cflags --libs nestguard)
check cc -std=c11 -Wall -Werror "$dest/hello.c" -o "$dest/hello-shared" $flags
check env LD_LIBRARY_PATH="$dest/usr/lib" "$dest/hello-shared"
sflags=$(PKG_CONFIG_PATH="$pc" PKG_CONFIG_SYSROOT_DIR="$dest" pkg-config --static --cflags --libs nestguard)
check cc -std=c11 -Wall -Werror "$dest/hello.c" -o "$dest/hello-static" -Wl,-Bstatic -lnestguard -Wl,-Bdynamic $sflags
check "$dest/hello-static"
check sh -c "'$dest/usr/bin/nestguard' --version | grep -q nestguard"

# The README's minimal program must compile and run as printed.
awk '/^```c$/ { on = 1; next } /^```$/ { if (on) exit } on' README.md > "$dest/readme.c"
check cc -std=c11 -Wall -Wextra -Werror "$dest/readme.c" -o "$dest/readme" $flags
check env LD_LIBRARY_PATH="$dest/usr/lib" "$dest/readme"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
