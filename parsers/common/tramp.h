/*
 * parsers/common/tramp.h - what every format's trampoline engine shares:
 * the step, the driver loop and the stack of continuations.
 *
 * Recursive descent turned inside out: every grammar position is a small
 * step function that handles a token and returns the next step to run,
 * and ng__tramp_run runs steps until one stops. Where recursive descent
 * would call itself for a nested construct and later return into its
 * caller, a step pushes the rest of the caller (a continuation: one byte,
 * an index into the format's table of steps) and returns the step for the
 * nested construct; the step that closes it pops the continuation and
 * returns the step it names. The machine stack never holds more than the
 * driver and one step, whatever the depth.
 *
 * The format's hook is its steps and its table of continuations: the steps
 * reach the format's parser through t->p and are control flow only. Where
 * the frames live between runs (a suspended parse) stays with the format.
 */
#ifndef NG_PARSERS_COMMON_TRAMP_H
#define NG_PARSERS_COMMON_TRAMP_H

#include "gstack.h"
#include "internal.h"

typedef struct ng__tramp ng__tramp;

/* A step: runs against the state and returns the next step (fn NULL:
 * stop; t->rc holds the result). The struct wrapper lets a function
 * return a pointer to its own type. */
typedef struct ng__step {
  struct ng__step (*fn)(ng__tramp *t);
} ng__step;

typedef ng__step (*ng__step_fn)(ng__tramp *t);

struct ng__tramp {
  void *p;           /* the format's parser */
  ng__gstack frames; /* continuations of open constructs, a byte each */
  int want;          /* the format's: a grammar position a step hands to
                        the next (JSON's value step, for its error) */
  int rc;            /* result when stopping */
};

/* The step fn, to run next. */
NG_INLINE ng__step ng__tramp_go(ng__step_fn fn) {
  ng__step s;
  s.fn = fn;
  return s;
}

/* Stops the run with result rc. */
NG_INLINE ng__step ng__tramp_stop(ng__tramp *t, int rc) {
  t->rc = rc;
  return ng__tramp_go(NULL);
}

/* Pushes continuation k (< 256); NG_OK, or NG_ENOMEM with the frames as
 * they were (the caller records the error at its token). */
NG_INLINE int ng__tramp_push(ng__tramp *t, unsigned k) {
  unsigned char *f = NG__GSTACK_PUSH(&t->frames, unsigned char);

  if (NG_UNLIKELY(f == NULL))
    return NG_ENOMEM;
  *f = (unsigned char)k;
  return NG_OK;
}

/* The innermost continuation (the caller knows one is pushed). */
NG_INLINE unsigned ng__tramp_top(const ng__tramp *t) {
  return *NG__GSTACK_PEEK(&t->frames, unsigned char);
}

/* Pops the innermost continuation and returns it. */
NG_INLINE unsigned ng__tramp_pop(ng__tramp *t) {
  return *NG__GSTACK_POP(&t->frames, unsigned char);
}

/* Runs steps from `first` until one stops; returns t->rc. */
NG_INLINE int ng__tramp_run(ng__tramp *t, ng__step_fn first) {
  ng__step s = ng__tramp_go(first);

  t->rc = NG_OK;
  while (s.fn != NULL)
    s = s.fn(t);
  return t->rc;
}

#endif /* NG_PARSERS_COMMON_TRAMP_H */
