/*
 * tests/support/failalloc.h - counting allocator with failure injection.
 *
 * An ng_alloc that counts every call, tracks live blocks and bytes, and can
 * fail the N-th allocation (malloc or growing realloc). Used by every test
 * area and by the fuzz harnesses: run an operation once to count its
 * allocations, then once per N with the N-th failing, and check that each run
 * returns an error and leaves no live block behind.
 */
#ifndef NG_TEST_FAILALLOC_H
#define NG_TEST_FAILALLOC_H

#include <stddef.h>

#include "nestguard.h"

typedef struct ng_failalloc {
  ng_alloc alc;       /* pass &fa.alc to the code under test */
  size_t fail_at;     /* 1-based allocation to fail; 0 = never */
  size_t fail_after;  /* if nonzero, fail every allocation from this on */
  size_t calls;       /* allocations attempted (malloc + realloc) */
  size_t failed;      /* allocations refused */
  size_t live_blocks; /* blocks allocated and not yet freed */
  size_t live_bytes;  /* bytes in those blocks, by requested size */
  size_t peak_bytes;  /* high-water mark of live_bytes */
  int size_mismatch;  /* set when free/realloc named a wrong size */
  struct blk *blocks; /* live blocks, newest first (private) */
} ng_failalloc;

/* Resets counters and arms failure at the fail_at-th allocation (0: none). */
void ng_failalloc_init(ng_failalloc *fa, size_t fail_at);

/* Frees every block still live (after a leak was detected and reported). */
void ng_failalloc_release_all(ng_failalloc *fa);

/*
 * Runs op(arg, alc) with the N-th allocation failing, for N = 1, 2, ... until
 * a run makes no more than N-1 allocations (the op then succeeded with every
 * allocation granted). For each failing run it checks that op returned
 * nonzero and that no block is live afterwards. Returns the number of runs
 * with a failure injected, or -1 (after printing why) on the first violation.
 * op must be deterministic and return 0 on success, nonzero on error.
 */
long ng_failalloc_sweep(int (*op)(void *arg, const ng_alloc *alc), void *arg,
                        size_t max_runs);

#endif /* NG_TEST_FAILALLOC_H */
