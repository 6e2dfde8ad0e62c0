/*
 * parsers/common/usercall.h - calls from a parse into user code.
 *
 * Event callbacks and allocator hooks have unknown stack needs, and a
 * parse may be deep on a small segment or inside a task when it makes
 * them. Every such call goes through ng_stack_call_user (nestguard/
 * stack.h) with the parse's budget (ng_limits.user_stack; 0: 1 MiB), so
 * user code gets the same stack in every engine at every depth: the
 * thread's own stack, with at least the budget below, ending at its guard
 * page. Each format's event sink makes its callbacks that way; allocator
 * hooks are wrapped once per parse by ng__alc_guard_init.
 *
 * libc calls whose stack needs are large or unknown (strtod and snprintf
 * take 1.3 to 2.7 KiB, docs/runtime.md) go through ng__call_out instead:
 * directly where the running stack has NG__OUT_ROOM bytes free, else on
 * the thread's stack. libc's malloc, free and mmap keep to a few hundred
 * bytes (136 to 328 measured, docs/runtime.md) and are called directly.
 */
#ifndef NG_PARSERS_COMMON_USERCALL_H
#define NG_PARSERS_COMMON_USERCALL_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"
#include "nestguard/alloc.h"
#include "nestguard/stack.h"

/* 64 KiB, the runtime's own slack for libc; ASan makes frames about
 * four times larger. */
#define NG__OUT_ROOM (((uintptr_t)64 << 10) << (NG__TOOL_ASAN ? 2 : 0))

/*
 * Whether room bytes are free right here above the checked limit
 * ng_stack_call compares with: true on the thread stack (unless it is
 * nearly used up) and on most of a segment big enough; false near a
 * segment's end. The caller's frame depth and the limit must not change
 * between the question and the call it guards.
 */
NG_INLINE int ng__stack_room(uintptr_t room) {
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  return here > ng__stack_limit && here - ng__stack_limit >= room;
}

/* Whether a call of unknown stack need may run right here: NG__OUT_ROOM
 * free (false on a task's small base and near a segment's end). */
NG_INLINE int ng__out_roomy(void) { return ng__stack_room(NG__OUT_ROOM); }

/* Runs fn(arg), a call of unknown stack need, here when ng__out_roomy(),
 * else on the thread's stack (ng_stack_call_system); returns its result. */
NG_INLINE int ng__call_out(int (*fn)(void *), void *arg) {
  return ng__out_roomy() ? fn(arg) : ng_stack_call_system(fn, arg);
}

/* An ng_alloc whose functions run the user's through ng_stack_call_user. */
typedef struct ng__alc_guard {
  ng_alloc alc;         /* what the parse uses; ctx points here */
  const ng_alloc *user; /* the caller's allocator */
  size_t budget;        /* stack for each of its calls */
} ng__alc_guard;

/*
 * The allocator a parse should use for user allocator `user`: NULL when
 * user is NULL (libc's allocator keeps to a small, known stack: see
 * docs/runtime.md), else &g->alc, valid while g lives.
 */
const ng_alloc *ng__alc_guard_init(ng__alc_guard *g, const ng_alloc *user,
                                   size_t budget);

#endif /* NG_PARSERS_COMMON_USERCALL_H */
