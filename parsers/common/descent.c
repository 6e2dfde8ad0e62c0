/*
 * parsers/common/descent.c - the recursive engines' run (descent.h).
 */
#include "descent.h"

int ng__descent_run(ng__parse *c, int (*fn)(void *), void *arg) {
  ng_stack_opts so;
  int rc;

  so.max_stack = c->max_stack;
  so.alc = c->alc;
  so.user_stack = c->user_stack;
  rc = ng_stack_run(fn, arg, &so);
  if (NG_UNLIKELY(rc != NG_OK) && c->perr.code == NG_OK)
    return ng__perr_at(&c->perr, rc, 0, 0, NULL);
  return rc;
}
