/*
 * parsers/common/usercall.c - the guarded allocator of usercall.h: each
 * call of the user's hook is packed into a request and run through
 * ng_stack_call_user.
 */
#include "usercall.h"

typedef struct alc_req {
  const ng__alc_guard *g;
  void *ptr;       /* block to resize or free; the result */
  size_t old_size; /* its size */
  size_t size;     /* size wanted */
} alc_req;

static int do_malloc(void *arg) {
  alc_req *r = arg;
  r->ptr = r->g->user->malloc(r->g->user->ctx, r->size);
  return 0;
}

static int do_realloc(void *arg) {
  alc_req *r = arg;
  r->ptr = r->g->user->realloc(r->g->user->ctx, r->ptr, r->old_size, r->size);
  return 0;
}

static int do_free(void *arg) {
  alc_req *r = arg;
  r->g->user->free(r->g->user->ctx, r->ptr, r->old_size);
  return 0;
}

static void *g_malloc(void *ctx, size_t size) {
  alc_req r = {ctx, NULL, 0, size};
  ng_stack_call_user(do_malloc, &r, r.g->budget);
  return r.ptr;
}

static void *g_realloc(void *ctx, void *ptr, size_t old_size, size_t size) {
  alc_req r = {ctx, ptr, old_size, size};
  ng_stack_call_user(do_realloc, &r, r.g->budget);
  return r.ptr;
}

static void g_free(void *ctx, void *ptr, size_t size) {
  alc_req r = {ctx, ptr, size, 0};
  ng_stack_call_user(do_free, &r, r.g->budget);
}

const ng_alloc *ng__alc_guard_init(ng__alc_guard *g, const ng_alloc *user,
                                   size_t budget) {
  if (user == NULL)
    return NULL;
  g->alc.malloc = g_malloc;
  g->alc.realloc = g_realloc;
  g->alc.free = g_free;
  g->alc.ctx = g;
  g->user = user;
  g->budget = budget;
  return &g->alc;
}
