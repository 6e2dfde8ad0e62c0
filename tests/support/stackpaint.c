/*
 * tests/support/stackpaint.c - the painting allocator (stackpaint.h).
 */
#include "support/stackpaint.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack/stack_int.h"

#define PAINT 0xA5
/* Bytes of each shared base: not a power of two, so that the allocator
 * tells bases from segments. */
#define HOME_BYTES ((size_t)72 << 10)

/* Segments have sizes NG__SEG_FIRST << k; arena chunks may too. */
static int seg_sized(size_t size) {
  return size >= NG__SEG_FIRST && (size & (size - 1)) == 0;
}

/* A segment being freed still has the header the runtime wrote. */
static int is_segment(const void *p, size_t size) {
  const ng__seg *g = p;
  return seg_sized(size) && g->size == size &&
         g->limit == (uintptr_t)(g + 1) + NG__RED + NG__RESERVE;
}

static void *sp_malloc(void *ctx, size_t size) {
  void *p = malloc(size);
  (void)ctx;
  if (p != NULL && seg_sized(size))
    memset(p, PAINT, size);
  return p;
}

static void *sp_realloc(void *ctx, void *ptr, size_t old, size_t size) {
  (void)ctx;
  (void)old;
  return realloc(ptr, size);
}

/* Bytes at the low end of g still painted, counted from the start: the
 * header's fields are the runtime's, so the scan starts after them. */
static size_t untouched(const unsigned char *g, size_t size) {
  size_t i = sizeof(ng__seg);
  while (i < size && g[i] == PAINT)
    i++;
  return i;
}

static void sp_free(void *ctx, void *ptr, size_t size) {
  stackpaint *p = ctx;
  if (ptr != NULL && is_segment(ptr, size)) {
    size_t spare = untouched(ptr, size);
    p->segs++;
    if (spare < p->min_spare)
      p->min_spare = spare;
  }
  free(ptr);
}

void stackpaint_init(stackpaint *p) {
  p->alc.malloc = sp_malloc;
  p->alc.realloc = sp_realloc;
  p->alc.free = sp_free;
  p->alc.ctx = p;
  p->segs = 0;
  p->min_spare = SIZE_MAX;
}

size_t stackpaint_floor(void) { return sizeof(ng__seg) + NG__RESERVE; }

size_t stackpaint_red(void) { return NG__RED; }

size_t stackpaint_red_used(const stackpaint *p) {
  size_t top = stackpaint_floor() + NG__RED;
  return top > p->min_spare ? top - p->min_spare : 0;
}

int stackpaint_sched(stackpaint *p, ng_sched **out) {
  ng_sched_opts so;

  memset(&so, 0, sizeof so);
  so.alc = &p->alc;
  so.shared_size = HOME_BYTES;
  return ng_sched_new(out, &so);
}

int stackpaint_task(ng_sched *s, int (*fn)(void *), void *arg) {
  ng_task *t;
  int rc = ng_task_spawn(s, &t, fn, arg, NULL);

  return rc != NG_OK ? rc : ng_task_join(t, NULL);
}

int stackpaint_report(const stackpaint *p, const char *what, size_t segs) {
  printf("%s: %zu segments, deepest frames %zu bytes into the red zone of "
         "%zu\n",
         what, p->segs, stackpaint_red_used(p), stackpaint_red());
  return p->segs >= segs && p->min_spare >= stackpaint_floor();
}
