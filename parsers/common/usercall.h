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
 */
#ifndef NG_PARSERS_COMMON_USERCALL_H
#define NG_PARSERS_COMMON_USERCALL_H

#include <stddef.h>

#include "nestguard/alloc.h"
#include "nestguard/stack.h"

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
