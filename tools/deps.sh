#!/bin/sh
# tools/deps.sh - make sure every tool and library the build needs is here.
#
# Missing packages + root + apt-get: installs them (one apt-get update first).
# Missing otherwise: prints the exact install line and exits 1.
# The list is the project's whole dependency set, Debian 12 names:
#   build:  compiler, make, pkg-config, re2c, lemon
#   tests:  cmocka, valgrind
#   fuzz:   clang, lld, llvm, the clang runtimes (ASan, libFuzzer), AFL++
#   bench:  gnuplot, tidy (checks the report page); peer libraries (linked
#           into tests and bench only); Go (the stream suite's comparison,
#           skipped by make bench when absent)
set -u

PKGS="build-essential pkg-config re2c lemon libcmocka-dev valgrind \
clang lld llvm libclang-rt-14-dev afl++ afl++-clang gnuplot-nox tidy \
libcjson-dev libjansson-dev libjson-c-dev rapidjson-dev libsimdjson-dev \
libxml2-dev libexpat1-dev libpugixml-dev golang-go"

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
  for p in $PKGS; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
    case "$st" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
  done
else
  # Not Debian: check the commands and headers we can see, and say so.
  for c in cc make pkg-config re2c lemon; do
    command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
  done
  pkg-config --exists cmocka 2>/dev/null || missing="$missing cmocka"
  if [ -n "$missing" ]; then
    echo "deps: missing:$missing (install them with your package manager)" >&2
    exit 1
  fi
  exit 0
fi

[ -z "$missing" ] && exit 0

line="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "deps: installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing \
    >/dev/null || { echo "deps: install failed; run: $line" >&2; exit 1; }
  exit 0
fi
echo "deps: missing Debian packages:$missing" >&2
echo "deps: run as root:  apt-get update && $line" >&2
exit 1
