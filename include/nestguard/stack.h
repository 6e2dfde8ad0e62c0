/*
 * nestguard/stack.h - growable stacks for C (Go's stack model).
 *
 * CONTRACT STUB: the signatures below are fixed so that parsers can be
 * written against them; lib/stack implements them and extends this header
 * (tasks, scheduler, stats) without changing these.
 *
 * Recursive code calls its children through ng_stack_call(). While the
 * current stack segment has more than NG_STACK_RED_ZONE bytes free, that is
 * a direct call; otherwise the child runs on a new (or cached) segment whose
 * size doubles, and the call returns NG_ESTACK instead when the ceiling
 * (max_stack) would be passed. Works inside ng_stack_run(), inside a task,
 * and on an ordinary thread stack.
 */
#ifndef NESTGUARD_STACK_H
#define NESTGUARD_STACK_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of free stack guaranteed to fn by ng_stack_call. */
#define NG_STACK_RED_ZONE 1024

typedef struct ng_stack_opts {
  size_t max_stack;    /* ceiling in bytes for this run; 0: global max */
  const ng_alloc *alc; /* segment allocator; NULL: libc */
} ng_stack_opts;

/*
 * Runs fn(arg) on a fresh growable stack on the calling thread and returns
 * fn's result; or NG_ESTACK if the run needed more than max_stack bytes
 * (fn's recursion unwound by its own error returns); or NG_ENOMEM. All
 * segments of the run are released before return. opts NULL: defaults.
 */
int ng_stack_run(int (*fn)(void *arg), void *arg, const ng_stack_opts *opts);

/*
 * Calls fn(arg) with at least NG_STACK_RED_ZONE bytes of stack, growing
 * onto a new segment when needed. Returns fn's result, NG_ESTACK (fn not
 * called: the ceiling would be passed) or NG_ENOMEM (fn not called).
 */
int ng_stack_call(int (*fn)(void *arg), void *arg);

/*
 * Sets the process-wide default ceiling (Go's debug.SetMaxStack) and
 * returns the previous one. Clamped to [4096, NG_MAX_STACK].
 */
size_t ng_stack_set_max(size_t bytes);

#ifdef __cplusplus
}
#endif
#endif /* NESTGUARD_STACK_H */
