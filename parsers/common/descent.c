/*
 * parsers/common/descent.c - the recursive engines' run (descent.h).
 */
#include "descent.h"

int ng__descent_new_run(ng__parse *c, int (*fn)(void *), void *arg) {
  ng_stack_opts so;

  so.max_stack = c->max_stack;
  so.alc = c->alc;
  so.user_stack = c->user_stack;
  return ng_stack_run(fn, arg, &so);
}

int ng__descent_on_task(int (*fn)(void *), void *arg) {
  return ng_stack_call(fn, arg);
}
