#!/bin/sh
# tests/run.sh BIN... - run cmocka test binaries and sum their results.
#
# Each binary's cmocka summary ("[  PASSED  ] N test(s)." and
# "[  FAILED  ] N test(s), listed below:") is added up. A binary that ends
# without its summary (killed by a signal, an ASan report, valgrind's error
# exit) counts as one failure more. NG_WRAP, if set, prefixes each command
# (e.g. valgrind). Output of each binary goes to $NG_BUILD/test-logs/; a
# failing binary's log is printed. The last line is "N passed, N failed".
set -u
logdir="${NG_BUILD:-build}/test-logs"
mkdir -p "$logdir"
passed=0
failed=0
for bin in "$@"; do
  name=$(basename "$bin")
  log="$logdir/$name.log"
  start=$(date +%s)
  # shellcheck disable=SC2086
  ${NG_WRAP:-} "$bin" >"$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\..*/\1/p' "$log" | tail -n 1)
  f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:.*/\1/p' "$log" | tail -n 1)
  p=${p:-0}
  f=${f:-0}
  # No cmocka summary at all, or an exit status the summary does not explain
  # (a sanitizer or valgrind report after the tests ran): one more failure.
  if ! grep -q '^\[==========\] .* test(s) run\.' "$log" || \
     { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then
    f=$((f + 1))
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$f" -ne 0 ]; then
    echo "FAIL  $name ($p passed, $f failed, exit $rc, ${secs}s) - log:"
    sed 's/^/    /' "$log" | tail -n 60
  else
    echo "ok    $name ($p passed, ${secs}s)"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
