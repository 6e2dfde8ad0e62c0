/*
 * parsers/common/descent.c - the recursive engines' run (descent.h).
 */
#include "descent.h"

#include <stdlib.h>
#include <string.h>

int ng__descent_bound;

/* The calls: every libc function the scanners reach (the lexers, the DOM
 * builders and arenas, the event sinks), with operands the compiler cannot
 * fold, their results used; the page allocator's mmap, munmap and lock
 * through a block of its own, which stays in its cache for the next. */
static int bind_calls(void *arg) {
  volatile size_t n = 1;
  char a[2] = {'a', 0}, b[2] = {0, 0};
  void *p = malloc(n), *pages = ng__pages_alloc(n);
  int rc = memchr(a, 'a', n) != NULL;

  (void)arg;
  memcpy(b, a, n);
  memmove(b, a, n);
  memset(a, 'b', n);
  rc += memcmp(a, b, n) + (int)strlen(b);
  free(realloc(p, 2 * n));
  if (pages != NULL)
    ng__pages_free(pages, n);
  return rc;
}

void ng__descent_bind_libc(void) {
  ng_stack_call_system(bind_calls, NULL);
  __atomic_store_n(&ng__descent_bound, 1, __ATOMIC_RELAXED);
}

/* fn's result rc; a run that could not start is recorded at offset 0. */
static int run_result(ng__parse *c, int rc) {
  if (NG_UNLIKELY(rc != NG_OK) && c->perr.code == NG_OK)
    return ng__perr_at(&c->perr, rc, 0, 0, NULL);
  return rc;
}

int ng__descent_new_run(ng__parse *c, int (*fn)(void *), void *arg) {
  ng_stack_opts so;

  ng__descent_bind();
  so.max_stack = c->max_stack;
  so.alc = c->alc;
  so.user_stack = c->user_stack;
  return run_result(c, ng_stack_run(fn, arg, &so));
}

/* fn(arg) on the task's next segment. */
static NG_NOINLINE int on_task_grow(ng__parse *c, int (*fn)(void *),
                                    void *arg) {
  return run_result(c, ng_stack_call(fn, arg));
}

int ng__descent_on_task(ng__parse *c, int (*fn)(void *), void *arg) {
  if (NG_LIKELY(ng_stack_check() == NG_OK))
    return fn(arg); /* it runs: its failures are its own, recorded */
  return on_task_grow(c, fn, arg);
}
