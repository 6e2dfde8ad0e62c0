/*
 * parsers/common/descent.c - the recursive engines' run (descent.h).
 */
#include "descent.h"

/* A run of its own: out of line, so that a task's entry keeps no frame
 * with the run's options. */
static NG_NOINLINE int descent_new_run(ng__parse *c, int (*fn)(void *),
                                       void *arg) {
  ng_stack_opts so;

  so.max_stack = c->max_stack;
  so.alc = c->alc;
  so.user_stack = c->user_stack;
  return ng_stack_run(fn, arg, &so);
}

int ng__descent_run(ng__parse *c, int on_task, int (*fn)(void *), void *arg) {
  int rc = on_task ? ng_stack_call(fn, arg) : descent_new_run(c, fn, arg);

  if (NG_UNLIKELY(rc != NG_OK) && c->perr.code == NG_OK)
    return ng__perr_at(&c->perr, rc, 0, 0, NULL);
  return rc;
}
