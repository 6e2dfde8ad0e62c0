/*
 * parsers/common/descent.h - what every format's recursive engine shares:
 * running the document on a growable stack, and where out-calls may run.
 *
 * A recursive engine enters each nesting level through ng_stack_call, so
 * its machine stack grows in segments up to the parse's max_stack and
 * fails with NG_ESTACK beyond it (nestguard/stack.h). Its own frames obey
 * the red-zone contract. Out-calls whose stack needs are not bounded by
 * NG_STACK_RED_ZONE (the lexer's slow paths, the DOM builder and the
 * allocator behind it, error formatting) run directly only where the
 * running stack has NG__DESCENT_OUT_ROOM bytes above its checked limit,
 * else on the thread's stack through ng_stack_call_system. User code
 * (callbacks, allocator hooks) gets more: the sinks call it through
 * ng_stack_call_user (usercall.h).
 */
#ifndef NG_PARSERS_COMMON_DESCENT_H
#define NG_PARSERS_COMMON_DESCENT_H

#include <stdint.h>

#include "internal.h"
#include "nestguard/stack.h"
#include "parse.h"

/* 64 KiB, the runtime's own slack for libc; sanitizers make frames about
 * four times larger. */
#if defined(__SANITIZE_ADDRESS__)
#define NG__DESCENT_OUT_ROOM ((uintptr_t)256 << 10)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NG__DESCENT_OUT_ROOM ((uintptr_t)256 << 10)
#endif
#endif
#ifndef NG__DESCENT_OUT_ROOM
#define NG__DESCENT_OUT_ROOM ((uintptr_t)64 << 10)
#endif

/*
 * Whether an out-call may run right here: NG__DESCENT_OUT_ROOM bytes free
 * above the checked limit ng_stack_call compares with. True on the thread
 * stack of a shallow parse and on most of each segment. A scanner's frame
 * depth and the limit do not change while it runs, so it asks once.
 */
NG_INLINE int ng__descent_roomy(void) {
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  return here > ng__stack_limit && here - ng__stack_limit >= NG__DESCENT_OUT_ROOM;
}

/*
 * Runs fn(arg), the whole document, on a growable stack with c's
 * max_stack ceiling, engine allocator and user-code budget; returns fn's
 * result. A run that could not start (no first segment, a ceiling below
 * one segment) has read no token: its error is recorded at offset 0.
 */
int ng__descent_run(ng__parse *c, int (*fn)(void *), void *arg);

#endif /* NG_PARSERS_COMMON_DESCENT_H */
