#!/bin/sh
# bench/check_page.sh PAGE - the report page must pass `tidy -e -q` (HTML
# Tidy, Debian package tidy) with no errors. Fails loudly when tidy finds
# an error or is not installed: an unchecked page is not a finished bench.
# Tidy's warnings are printed and allowed (exit 1 from tidy); errors
# (exit 2) fail.
set -u
page=${1:?usage: bench/check_page.sh PAGE}
if ! command -v tidy >/dev/null 2>&1; then
  echo "bench: ERROR: tidy not found, so $page was not checked;" \
       "install it (apt-get install tidy, or make deps as root)" >&2
  exit 1
fi
tidy -e -q "$page"
rc=$?
case $rc in
  0) echo "bench: $page passes tidy -e -q (no errors, no warnings)" ;;
  1) echo "bench: $page passes tidy -e -q (no errors; warnings above)" ;;
  *) echo "bench: ERROR: $page fails tidy -e -q (errors above)" >&2
     exit 1 ;;
esac
