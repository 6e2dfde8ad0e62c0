/*
 * parsers/common/descent.h - what every format's recursive engine shares:
 * running the document on a growable stack, and where out-calls may run.
 *
 * A recursive engine enters each nesting level through ng_stack_call, so
 * its machine stack grows in segments up to the parse's max_stack and
 * fails with NG_ESTACK beyond it (nestguard/stack.h). Its own frames obey
 * the red-zone contract, and so must everything a level calls directly.
 * Calls whose stack needs are not bounded by NG_STACK_RED_ZONE run
 * elsewhere: libc's strtod where NG__OUT_ROOM bytes are free above the
 * checked limit, else on the thread's stack (usercall.h's ng__call_out);
 * error messages (snprintf) on the thread's stack; user code (callbacks,
 * allocator hooks) through ng_stack_call_user. JSON's engine calls its
 * lexer and sink directly for every token (parsers/json/recursive.c); XML's
 * runs a whole scanner, lexer and sink included, on the thread stack where
 * ng__descent_roomy() is false (parsers/xml/recursive.c).
 */
#ifndef NG_PARSERS_COMMON_DESCENT_H
#define NG_PARSERS_COMMON_DESCENT_H

#include <stdint.h>

#include "internal.h"
#include "nestguard/stack.h"
#include "parse.h"
#include "usercall.h"

/*
 * Whether a scanner may make every out-call right here (usercall.h's
 * NG__OUT_ROOM free). A scanner's frame depth and the limit do not change
 * while it runs, so it asks once.
 */
NG_INLINE int ng__descent_roomy(void) { return ng__out_roomy(); }

/*
 * How an engine declares the function that enters a level through
 * ng_stack_call (its rec_down): out of line, so that the compiler makes
 * that call a jump and a level's frame keeps none of the check's registers
 * (16 bytes a level instead of 32 on x86-64). Inline under TSan, whose
 * exit hook after every call keeps it a call: its shadow call stack would
 * hold two entries a level and overflow (65,536 entries) on a deep
 * document.
 */
#if defined(__SANITIZE_THREAD__)
#define NG__DESCENT_DOWN NG_INLINE
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define NG__DESCENT_DOWN NG_INLINE
#endif
#endif
#ifndef NG__DESCENT_DOWN
#define NG__DESCENT_DOWN static NG_NOINLINE
#endif

/* ng__descent_run's own run (not on a task): fn(arg) in ng_stack_run
 * with c's ceiling, allocator and user-code budget. */
int ng__descent_new_run(ng__parse *c, int (*fn)(void *), void *arg);

/* ng__descent_run on a task: fn(arg) through ng_stack_call, out of line
 * so that the check's frame pointer stays out of the caller's frame. */
int ng__descent_on_task(int (*fn)(void *), void *arg);

/*
 * Runs fn(arg), the whole document, on a growable stack with c's
 * max_stack ceiling, engine allocator and user-code budget; returns fn's
 * result. A run that could not start (no first segment, a ceiling below
 * one segment) has read no token: its error is recorded at offset 0.
 *
 * on_task: the caller is a stream's task, spawned with c's max_stack
 * (parsers/common/stream.c), whose stack already is such a stack: fn is
 * entered on it through ng_stack_call, its segments come from the
 * scheduler, and a parked parse keeps no run's records (256 bytes of
 * ng_stack_run's frame, docs/streaming.md). Inline, so that a task's
 * entry keeps one frame for the engine's set-up.
 */
NG_INLINE int ng__descent_run(ng__parse *c, int on_task, int (*fn)(void *),
                              void *arg) {
  int rc = on_task ? ng__descent_on_task(fn, arg)
                    : ng__descent_new_run(c, fn, arg);

  if (NG_UNLIKELY(rc != NG_OK) && c->perr.code == NG_OK)
    return ng__perr_at(&c->perr, rc, 0, 0, NULL);
  return rc;
}

#endif /* NG_PARSERS_COMMON_DESCENT_H */
