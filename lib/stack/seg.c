/*
 * lib/stack/seg.c - stack segments: allocation, the scheduler's pool,
 * and the counters that go with them.
 *
 * A segment is one allocation from an ng_alloc: a small header at the low
 * end, then stack growing down from the (16-byte aligned) top towards it.
 * There is no guard page: the runtime never lets checked code run below
 * g->limit, which keeps NG__RED + NG__RESERVE bytes above the header.
 *
 * Allocation may run arbitrary allocator code (a user's ng_alloc, libc's
 * malloc taking its slow path), whose stack needs are unknown. When the
 * thread is off its own stack, it is therefore done on the system stack.
 */
#include "stack/stack_int.h"

ng__seg *ng__seg_alloc(const ng_alloc *alc, size_t size) {
  ng__seg *g = ng__malloc(alc, size);
  uintptr_t lo;

  if (g == NULL)
    return NULL;
  g->prev = NULL;
  g->next = NULL;
  g->size = size;
  lo = (uintptr_t)(g + 1);
  g->limit = lo + NG__RED + NG__RESERVE;
  g->vg_id = ng__tool_stack_add((void *)lo, (void *)ng__seg_top(g));
  g->pad = 0;
  return g;
}

void ng__seg_free(const ng_alloc *alc, ng__seg *g) {
  ng__tool_stack_drop(g->vg_id);
  ng__free(alc, g, g->size);
}

/* Pool class of a segment size, or -1 when it is not pooled. */
static int pool_class(size_t size) {
  int k = 0;

  if (size < 4096 || (size & (size - 1)) != 0)
    return -1;
  while (((size_t)4096 << k) != size)
    k++;
  return k < NG__POOL_CLASSES ? k : -1;
}

typedef struct mem_req {
  const ng_alloc *alc;
  size_t size;
  void *p;
  int seg; /* a segment (header set up) rather than plain bytes */
} mem_req;

static int alloc_tramp(void *arg) {
  mem_req *r = arg;
  r->p = r->seg ? (void *)ng__seg_alloc(r->alc, r->size)
                : ng__malloc(r->alc, r->size);
  return 0;
}

static int free_tramp(void *arg) {
  mem_req *r = arg;
  if (r->seg)
    ng__seg_free(r->alc, r->p);
  else
    ng__free(r->alc, r->p, r->size);
  return 0;
}

/* Allocator calls run on the system stack unless the thread is already
 * on it (allocators have unknown stack needs). */
static void *sys_alloc(ng__thr *t, const ng_alloc *alc, size_t size, int seg) {
  mem_req r = {alc, size, NULL, seg};
  if (t->on_sys)
    alloc_tramp(&r);
  else
    ng__sys_call(t, alloc_tramp, &r);
  return r.p;
}

static void sys_free(ng__thr *t, const ng_alloc *alc, void *p, size_t size,
                     int seg) {
  mem_req r = {alc, size, p, seg};
  if (t->on_sys)
    free_tramp(&r);
  else
    ng__sys_call(t, free_tramp, &r);
}

void *ng__sys_malloc(ng__thr *t, const ng_alloc *alc, size_t size) {
  return sys_alloc(t, alc, size, 0);
}

void ng__sys_free(ng__thr *t, const ng_alloc *alc, void *p, size_t size) {
  if (p != NULL)
    sys_free(t, alc, p, size, 0);
}

static ng__seg *seg_new(ng__thr *t, const ng_alloc *alc, size_t size) {
  return sys_alloc(t, alc, size, 1);
}

static void seg_delete(ng__thr *t, const ng_alloc *alc, ng__seg *g) {
  sys_free(t, alc, g, g->size, 1);
}

static ng__seg *pool_take(ng__segpool *p, size_t size) {
  int k = pool_class(size);
  ng__seg *g;

  if (k < 0 || p->free[k] == NULL)
    return NULL;
  g = p->free[k];
  p->free[k] = g->next;
  g->next = NULL;
  g->prev = NULL;
  p->bytes -= size;
  p->st->segments_pooled--;
  return g;
}

int ng__seg_get(ng__thr *t, ng__stk *s, size_t size, ng__seg **out) {
  const ng__env *e = s->env;
  ng__seg *g = NULL;

  if (e->budget != 0 && e->st->stack_inuse + size > e->budget)
    return NG_ESTACK;
  if (e->pool != NULL)
    g = pool_take(e->pool, size);
  if (g == NULL) {
    g = seg_new(t, e->alc, size);
    if (g == NULL)
      return NG_ENOMEM;
    e->st->seg_allocs++;
    e->st->segments++;
    e->st->stack_sys += size;
    s->nsegs++;
  }
  *out = g;
  return NG_OK;
}

static void seg_destroy(ng__thr *t, const ng_alloc *alc, ng_stack_stats *st,
                        ng__seg *g) {
  st->seg_frees++;
  st->segments--;
  st->stack_sys -= g->size;
  seg_delete(t, alc, g);
}

void ng__seg_put(ng__thr *t, ng__stk *s, ng__seg *g) {
  const ng__env *e = s->env;
  ng__segpool *p = e->pool;
  int k = pool_class(g->size);

  e->st->shrinks++;
  if (p != NULL && k >= 0 && p->bytes + g->size <= p->cap) {
    ng__tool_stack_idle(g + 1, ng__seg_top(g) - (uintptr_t)(g + 1));
    g->prev = NULL;
    g->next = p->free[k];
    p->free[k] = g;
    p->bytes += g->size;
    p->st->segments_pooled++;
    return;
  }
  seg_destroy(t, e->alc, e->st, g);
}

void ng__segpool_drain(ng__thr *t, ng__segpool *p) {
  int k;
  for (k = 0; k < NG__POOL_CLASSES; k++) {
    while (p->free[k] != NULL) {
      ng__seg *g = p->free[k];
      p->free[k] = g->next;
      p->bytes -= g->size;
      p->st->segments_pooled--;
      seg_destroy(t, p->alc, p->st, g);
    }
  }
}
