/*
 * lib/stack/tool.h - telling ASan and valgrind about our stacks.
 *
 * Both tools track "the" stack of a thread. Every stack switch the runtime
 * makes is announced through these hooks, which compile to nothing (ASan)
 * or to a few no-op instructions (valgrind client requests, when not run
 * under valgrind) in an ordinary build.
 *
 * ASan: __sanitizer_start_switch_fiber() before leaving a stack and
 * __sanitizer_finish_switch_fiber() as the first thing on the new one, so
 * that ASan's idea of the current stack bounds stays right (stack-overflow
 * reports, __asan_handle_no_return on longjmp). Stack bytes copied out of
 * and back into a shared stack carry stale poison of frames that ran there
 * since; the region is unpoisoned before each copy.
 *
 * valgrind: VALGRIND_STACK_REGISTER for every segment and shared stack,
 * so that moving the stack pointer between them is seen as a switch and
 * not as a giant frame; VALGRIND_MAKE_MEM_UNDEFINED before writing saved
 * bytes back below the stack pointer of a stack valgrind thinks inactive.
 */
#ifndef NG_LIB_STACK_TOOL_H
#define NG_LIB_STACK_TOOL_H

#include <stddef.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NG__TOOL_ASAN 1
#endif
#endif
#if !defined(NG__TOOL_ASAN) && defined(__SANITIZE_ADDRESS__)
#define NG__TOOL_ASAN 1
#endif
#ifndef NG__TOOL_ASAN
#define NG__TOOL_ASAN 0
#endif

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
