/*
 * fuzz/afl_main.c - AFL++ persistent-mode driver for any harness.
 *
 * Linked with one fuzz/<format>_<target>.c (which defines
 * LLVMFuzzerTestOneInput) and compiled by afl-clang-fast/afl-clang-lto.
 * The test case arrives in shared memory (__AFL_FUZZ_TESTCASE_BUF) and up
 * to 100,000 cases run in one process (__AFL_LOOP) - about 8x faster than
 * a fork per case. Each case is copied into a heap block of exactly its
 * size, so the ASan build catches a read one byte past the input (the
 * shared-memory buffer would hide it). Run outside afl-fuzz, the binary
 * reads one case from stdin; with file arguments it replays those files.
 */
#include <stdint.h>
#include <stdio.h>
#ifdef __GLIBC__    /* defined by stdio.h */
#include <malloc.h> /* mallopt */
#endif
#include <stdlib.h>
#include <string.h>
#include <unistd.h> /* read(), used by __AFL_FUZZ_TESTCASE_LEN */

#include "fuzz.h"

int ng_fuzz_replay_main(int argc, char **argv);

#ifndef __AFL_FUZZ_TESTCASE_LEN
#error "compile with afl-clang-fast or afl-clang-lto (AFL++ >= 3)"
#endif

__AFL_FUZZ_INIT();

int main(int argc, char **argv) {
  unsigned char *buf;
  uint8_t *copy;
  size_t len;

#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
  /* One process runs 100,000 cases: keep freed stack segments and
   * builder stacks in the heap instead of unmapping and faulting them in
   * again for every case (deep stack_tasks cases ran 6x slower, all in
   * page faults). Only libc's choice of mmap versus heap changes; the
   * library's own code paths are the same. Replays of a queue through
   * this build (files as arguments) run the same way, so that their CPU
   * time measures what the fuzzer sees. */
  (void)mallopt(M_MMAP_THRESHOLD, 32 << 20);
  (void)mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
  if (argc > 1)
    return ng_fuzz_replay_main(argc, argv);
  /* Warm-up before the fork server starts: one-time work (engine probes,
   * lazily built tables, stack caches) happens here once instead of in
   * the first case of every child, which AFL++ would see as instability. */
  LLVMFuzzerTestOneInput((const uint8_t *)"[{\"\":[0]}]", 10);
#ifdef __AFL_HAVE_MANUAL_CONTROL
  __AFL_INIT();
#endif
  buf = __AFL_FUZZ_TESTCASE_BUF;
  while (__AFL_LOOP(100000)) {
    len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
    copy = malloc(len ? len : 1);
    if (copy == NULL)
      abort();
    memcpy(copy, buf, len);
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
  }
  return 0;
}
