/*
 * tests/support/stackpaint.h - an allocator that paints stack segments, to
 * measure how far below a segment's limit the frames on it reached.
 *
 * Give it to a scheduler and to the parse (ng_stack_run takes its
 * segments from the parse's allocator). Every allocation of a segment's
 * size is painted; when a segment (known by the header the runtime wrote)
 * is freed, the bytes its frames never touched at the low end are
 * counted. Frames must leave the runtime's reserve and the header alone:
 * see stackpaint_floor().
 */
#ifndef NG_TEST_STACKPAINT_H
#define NG_TEST_STACKPAINT_H

#include <stddef.h>

#include "nestguard/alloc.h"
#include "nestguard/stack.h"

typedef struct stackpaint {
  ng_alloc alc;     /* the allocator; ctx points here */
  size_t segs;      /* segments measured */
  size_t min_spare; /* fewest untouched bytes at a segment's low end */
} stackpaint;

/* Sets up p with nothing measured yet. */
void stackpaint_init(stackpaint *p);

/* The fewest untouched bytes a segment may have: its header and the
 * slow path's reserve. */
size_t stackpaint_floor(void);

/* Bytes of the red zone (as the runtime scales it) the deepest frames
 * used, from p->min_spare. */
size_t stackpaint_red_used(const stackpaint *p);

/* The red zone's size in this build. */
size_t stackpaint_red(void);

/* A scheduler whose stacks come from p, its shared bases of a size no
 * segment has. NG_OK or ng_sched_new's error. */
int stackpaint_sched(stackpaint *p, ng_sched **out);

/* Runs fn(arg) as a task of s to its end. NG_OK or the spawn's error. */
int stackpaint_task(ng_sched *s, int (*fn)(void *), void *arg);

/* Prints what p measured, headed by `what`; nonzero when the frames left
 * the reserve and header alone on at least `segs` segments. */
int stackpaint_report(const stackpaint *p, const char *what, size_t segs);

#endif /* NG_TEST_STACKPAINT_H */
