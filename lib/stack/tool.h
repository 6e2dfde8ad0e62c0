/*
 * lib/stack/tool.h - telling ASan, TSan and valgrind about our stacks.
 *
 * The tools track "the" stack of a thread. Every stack switch the runtime
 * makes is announced through these hooks, which compile to nothing (ASan)
 * or to a few no-op instructions (valgrind client requests, when not run
 * under valgrind) in an ordinary build. ASan and TSan hooks are compiled in
 * only in builds with that sanitizer.
 *
 * ASan: __sanitizer_start_switch_fiber() before leaving a stack and
 * __sanitizer_finish_switch_fiber() as the first thing on the new one, so
 * that ASan's idea of the current stack bounds stays right (stack-overflow
 * reports, __asan_handle_no_return on longjmp). Stack bytes copied out of
 * and back into a shared stack carry stale poison of frames that ran there
 * since; the region is unpoisoned before each copy.
 *
 * TSan: every task context is a TSan fiber (the scheduler's loop is the
 * thread's own), and __tsan_switch_to_fiber() comes right before each
 * context swap, so that each task keeps its own shadow call stack (TSan
 * keeps one per thread and corrupts it when contexts switch unannounced)
 * and each switch orders what ran before it before what runs after it.
 * Segment switches inside one context need nothing: TSan's call stack is
 * logical (entry and exit hooks), not read from the stack memory.
 *
 * valgrind: VALGRIND_STACK_REGISTER for every segment and shared stack,
 * so that moving the stack pointer between them is seen as a switch and
 * not as a giant frame; VALGRIND_MAKE_MEM_UNDEFINED before writing saved
 * bytes back below the stack pointer of a stack valgrind thinks inactive.
 */
#ifndef NG_LIB_STACK_TOOL_H
#define NG_LIB_STACK_TOOL_H

#include <stddef.h>

#include "internal.h" /* NG__TOOL_ASAN, NG__TOOL_TSAN */

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>) && __has_include(<valgrind/memcheck.h>)
#define NG__TOOL_VALGRIND 1
#endif
#endif
#ifndef NG__TOOL_VALGRIND
#define NG__TOOL_VALGRIND 0
#endif

#if NG__TOOL_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#if NG__TOOL_TSAN
#include <sanitizer/tsan_interface.h>
#endif
#if NG__TOOL_VALGRIND
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>
#endif

/* About to leave the running stack for [bottom, bottom + size). *fake
 * keeps ASan's fake-stack state of the stack being left; NULL when the
 * stack being left ends for good. */
static inline void ng__tool_switch_start(void **fake, const void *bottom,
                                         size_t size) {
#if NG__TOOL_ASAN
  __sanitizer_start_switch_fiber(fake, bottom, size);
#else
  (void)fake;
  (void)bottom;
  (void)size;
#endif
}

/* First thing on the stack just entered. fake: what the matching start
 * saved for this stack (NULL on a fresh stack); *old_bottom and *old_size
 * receive the bounds of the stack that was left (may be NULL). */
static inline void ng__tool_switch_finish(void *fake, const void **old_bottom,
                                          size_t *old_size) {
#if NG__TOOL_ASAN
  __sanitizer_finish_switch_fiber(fake, old_bottom, old_size);
#else
  (void)fake;
  (void)old_bottom;
  (void)old_size;
#endif
}

/* The TSan fiber of the running context (the thread's own when called
 * outside tasks); NULL in other builds. */
static inline void *ng__tool_fiber_self(void) {
#if NG__TOOL_TSAN
  return __tsan_get_current_fiber();
#else
  return NULL;
#endif
}

/* A TSan fiber for a context that has not run yet; NULL in other builds.
 * TSan allocates it and dies rather than fail. */
static inline void *ng__tool_fiber_new(void) {
#if NG__TOOL_TSAN
  return __tsan_create_fiber(0);
#else
  return NULL;
#endif
}

/* Frees fiber, which must not be the running one; NULL does nothing. */
static inline void ng__tool_fiber_free(void *fiber) {
#if NG__TOOL_TSAN
  if (fiber != NULL)
    __tsan_destroy_fiber(fiber);
#else
  (void)fiber;
#endif
}

/* The context of fiber is about to be entered: call immediately before
 * the register swap, with no instrumented code in between (TSan already
 * counts calls and returns against the new fiber's call stack; hence
 * always inlined, as must be its callers up to the swap). The switch
 * orders everything before it before everything after it. */
static inline __attribute__((always_inline)) void
ng__tool_fiber_switch(void *fiber) {
#if NG__TOOL_TSAN
  __tsan_switch_to_fiber(fiber, 0);
#else
  (void)fiber;
#endif
}

/* A new stack occupies [lo, hi); returns an id for ng__tool_stack_drop. */
static inline unsigned ng__tool_stack_add(void *lo, void *hi) {
#if NG__TOOL_VALGRIND
  return VALGRIND_STACK_REGISTER(lo, hi);
#else
  (void)lo;
  (void)hi;
  return 0;
#endif
}

/* The stack registered as id is about to be freed. */
static inline void ng__tool_stack_drop(unsigned id) {
#if NG__TOOL_VALGRIND
  VALGRIND_STACK_DEREGISTER(id);
#else
  (void)id;
#endif
}

/* Bytes [p, p + n) of a stack that is not running are about to be copied
 * out as an opaque image: clear stale ASan poison, and tell memcheck the
 * bytes may be read (it still holds some as inaccessible from returns made
 * before the task switched to a segment; the copy reads padding too). */
static inline void ng__tool_stack_save(void *p, size_t n) {
#if NG__TOOL_ASAN
  ASAN_UNPOISON_MEMORY_REGION(p, n);
#endif
#if NG__TOOL_VALGRIND
  (void)VALGRIND_MAKE_MEM_DEFINED(p, n);
#endif
  (void)p;
  (void)n;
}

/* Bytes [p, p + n) of a stack that is not running are about to receive
 * saved contents: make them writable for both tools. */
static inline void ng__tool_stack_restore(void *p, size_t n) {
#if NG__TOOL_ASAN
  ASAN_UNPOISON_MEMORY_REGION(p, n);
#endif
#if NG__TOOL_VALGRIND
  (void)VALGRIND_MAKE_MEM_UNDEFINED(p, n);
#endif
  (void)p;
  (void)n;
}

/* Bytes [p, p + n) below the stack pointer of a stack that was left are
 * about to be used as stack again (a system call below a suspended
 * frame): valgrind still has them as inaccessible from earlier returns. */
static inline void ng__tool_stack_reuse(void *p, size_t n) {
#if NG__TOOL_VALGRIND
  (void)VALGRIND_MAKE_MEM_UNDEFINED(p, n);
#endif
  (void)p;
  (void)n;
}

/* Segment stack bytes [p, p + n) are going idle (pooled for another
 * stack): frames abandoned on them (a task destroyed while suspended)
 * never ran their epilogues, so ASan's shadow still holds their redzones
 * and would flag the next, unrelated frames placed there. */
static inline void ng__tool_stack_idle(void *p, size_t n) {
#if NG__TOOL_ASAN
  ASAN_UNPOISON_MEMORY_REGION(p, n);
#endif
  (void)p;
  (void)n;
}

#endif /* NG_LIB_STACK_TOOL_H */
