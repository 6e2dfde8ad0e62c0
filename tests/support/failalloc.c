/*
 * tests/support/failalloc.c - see failalloc.h.
 *
 * Blocks carry a hidden header with their requested size, so that frees and
 * reallocs naming a wrong old size are caught (the ng_alloc contract), and
 * links, so that the sweep can release what a leaky operation left behind.
 */
#include "failalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct blk {
  struct blk *prev, *next;
  size_t size;
  size_t pad; /* keeps the user block 16-byte aligned */
} blk;
#define HDR sizeof(blk)

static void link_blk(ng_failalloc *fa, blk *b) {
  b->prev = NULL;
  b->next = fa->blocks;
  if (fa->blocks)
    fa->blocks->prev = b;
  fa->blocks = b;
}

static void unlink_blk(ng_failalloc *fa, blk *b) {
  if (b->prev)
    b->prev->next = b->next;
  else
    fa->blocks = b->next;
  if (b->next)
    b->next->prev = b->prev;
}

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
  blk *b;

  if (should_fail(fa) || size > (size_t)-1 - HDR)
    return NULL;
  b = malloc(size + HDR);
  if (b == NULL)
    return NULL;
  b->size = size;
  link_blk(fa, b);
  fa->live_blocks++;
  account(fa, size, 0);
  return (char *)b + HDR;
}

static void *fa_realloc(void *ctx, void *ptr, size_t old_size, size_t size) {
  ng_failalloc *fa = ctx;
  blk *b = (blk *)(void *)((char *)ptr - HDR), *nb;
  size_t recorded = b->size;

  if (recorded != old_size)
    fa->size_mismatch = 1;
  /* A shrink is no failure point: its caller may keep the bigger block
   * (the JSON node array shrunk to fit when a parse ends), so a failed
   * shrink has nothing to report. */
  if ((size >= old_size && should_fail(fa)) || size > (size_t)-1 - HDR)
    return NULL;
  unlink_blk(fa, b);
  nb = realloc(b, size + HDR);
  if (nb == NULL) {
    link_blk(fa, b);
    return NULL;
  }
  nb->size = size;
  link_blk(fa, nb);
  account(fa, size, recorded);
  return (char *)nb + HDR;
}

static void fa_free(void *ctx, void *ptr, size_t size) {
  ng_failalloc *fa = ctx;
  blk *b = (blk *)(void *)((char *)ptr - HDR);

  if (b->size != size)
    fa->size_mismatch = 1;
  unlink_blk(fa, b);
  fa->live_blocks--;
  account(fa, 0, b->size);
  free(b);
}

void ng_failalloc_release_all(ng_failalloc *fa) {
  blk *b, *next;
  for (b = fa->blocks; b != NULL; b = next) {
    next = b->next;
    free(b);
  }
  fa->blocks = NULL;
  fa->live_blocks = 0;
  fa->live_bytes = 0;
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
      ng_failalloc_release_all(&fa);
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
