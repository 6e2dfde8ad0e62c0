/*
 * tests/support/failalloc.c - see failalloc.h.
 *
 * Blocks carry a hidden header with their requested size so that frees and
 * reallocs naming a wrong old size are caught (the ng_alloc contract).
 */
#include "failalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HDR 16 /* keeps the user block 16-byte aligned */

static int should_fail(ng_failalloc *fa) {
  fa->calls++;
  if ((fa->fail_at != 0 && fa->calls == fa->fail_at) ||
      (fa->fail_after != 0 && fa->calls >= fa->fail_after)) {
    fa->failed++;
    return 1;
  }
  return 0;
}

static void account(ng_failalloc *fa, size_t add, size_t sub) {
  fa->live_bytes = fa->live_bytes + add - sub;
  if (fa->live_bytes > fa->peak_bytes)
    fa->peak_bytes = fa->live_bytes;
}

static void *fa_malloc(void *ctx, size_t size) {
  ng_failalloc *fa = ctx;
  char *p;

  if (should_fail(fa) || size > (size_t)-1 - HDR)
    return NULL;
  p = malloc(size + HDR);
  if (p == NULL)
    return NULL;
  memcpy(p, &size, sizeof size);
  fa->live_blocks++;
  account(fa, size, 0);
  return p + HDR;
}

static void *fa_realloc(void *ctx, void *ptr, size_t old_size, size_t size) {
  ng_failalloc *fa = ctx;
  char *p = (char *)ptr - HDR, *q;
  size_t recorded;

  memcpy(&recorded, p, sizeof recorded);
  if (recorded != old_size)
    fa->size_mismatch = 1;
  if (should_fail(fa) || size > (size_t)-1 - HDR)
    return NULL;
  q = realloc(p, size + HDR);
  if (q == NULL)
    return NULL;
  memcpy(q, &size, sizeof size);
  account(fa, size, recorded);
  return q + HDR;
}

static void fa_free(void *ctx, void *ptr, size_t size) {
  ng_failalloc *fa = ctx;
  char *p = (char *)ptr - HDR;
  size_t recorded;

  memcpy(&recorded, p, sizeof recorded);
  if (recorded != size)
    fa->size_mismatch = 1;
  fa->live_blocks--;
  account(fa, 0, recorded);
  free(p);
}

void ng_failalloc_init(ng_failalloc *fa, size_t fail_at) {
  memset(fa, 0, sizeof *fa);
  fa->alc.malloc = fa_malloc;
  fa->alc.realloc = fa_realloc;
  fa->alc.free = fa_free;
  fa->alc.ctx = fa;
  fa->fail_at = fail_at;
}

long ng_failalloc_sweep(int (*op)(void *arg, const ng_alloc *alc), void *arg,
                        size_t max_runs) {
  ng_failalloc fa;
  size_t n;
  int rc;

  for (n = 1; n <= max_runs; n++) {
    ng_failalloc_init(&fa, n);
    rc = op(arg, &fa.alc);
    if (fa.live_blocks != 0 || fa.size_mismatch) {
      fprintf(stderr, "failalloc: run %zu: %zu live blocks, mismatch %d\n", n,
              fa.live_blocks, fa.size_mismatch);
      return -1;
    }
    if (fa.failed == 0)
      return rc == 0 ? (long)(n - 1) : -1;
    if (rc == 0) {
      fprintf(stderr, "failalloc: run %zu: allocation failed, op succeeded\n",
              n);
      return -1;
    }
  }
  fprintf(stderr, "failalloc: still failing after %zu runs\n", max_runs);
  return -1;
}
