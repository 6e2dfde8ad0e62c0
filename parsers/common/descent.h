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
 * runs a whole scanner, lexer and sink included, directly where
 * ng__descent_roomy() says it fits and on the thread stack elsewhere
 * (parsers/xml/recursive.c).
 */
#ifndef NG_PARSERS_COMMON_DESCENT_H
#define NG_PARSERS_COMMON_DESCENT_H

#include <stdint.h>

#include "internal.h"
#include "nestguard/stack.h"
#include "parse.h"
#include "usercall.h"

/*
 * Stack a scanner whose out-calls are bounded but larger than the red
 * zone may count on above the checked limit, the red zone below it adding
 * NG_STACK_RED_ZONE: 2 KiB in all. XML's scanner took at most 1.2 KiB
 * from its start on tests/test_xml_stackuse.c's document (its lexer,
 * entity and attribute-value work, DOM builder, event sink and libc's
 * malloc; a DOCTYPE's frames add 0.5 KiB at worst, at depth 0).
 * Sanitizers and -O0 make frames several times larger (NG__SAN_SCALE,
 * lib/internal.h).
 */
#define NG__DESCENT_SCAN_ROOM ((uintptr_t)NG_STACK_RED_ZONE * NG__SAN_SCALE)

/*
 * Whether a scanner may run right here: NG__DESCENT_SCAN_ROOM free above
 * the limit ng_stack_call compares with. True on the thread stack, on a
 * stream task's base at shallow depth and on most of every segment; false
 * in a segment's last KiB, where the scanner runs on the thread stack. A
 * scanner's frame depth and the limit do not change while it runs, so it
 * asks once.
 */
NG_INLINE int ng__descent_roomy(void) {
  return ng__stack_room(NG__DESCENT_SCAN_ROOM);
}

/*
 * How an engine declares the function that enters a level through
 * ng_stack_call (its rec_down): out of line, so that the compiler makes
 * that call a jump and a level's frame keeps none of the check's registers
 * (16 bytes a level instead of 32 on x86-64). Inline under TSan, whose
 * exit hook after every call keeps it a call: its shadow call stack would
 * hold two entries a level and overflow (65,536 entries) on a deep
 * document.
 */
#if NG__TOOL_TSAN
#define NG__DESCENT_DOWN NG_INLINE
#else
#define NG__DESCENT_DOWN static NG_NOINLINE
#endif

/* Whether ng__descent_bind_libc has run in this process. */
extern int ng__descent_bound;

/*
 * Calls once, on the thread's stack, every libc function a scanner calls
 * directly. A program linked with lazy binding resolves a function at its
 * first call, and glibc's resolver takes about 3.3 KiB of stack (it saves
 * the vector registers): past the red zone and the reserve, over a
 * segment's header, when that first call comes from a scanner on a
 * segment or a task's base. Bound, a call costs what docs/runtime.md
 * says. Thread-safe (a second binding is harmless).
 */
void ng__descent_bind_libc(void);

/* ng__descent_bind_libc unless it has run: one load. Called where a
 * recursive parse starts on the caller's stack, before its first run or
 * task (ng__descent_new_run, the stream's first feed), not on the task:
 * a parked stream would keep the registers around the call. */
NG_INLINE void ng__descent_bind(void) {
  if (NG_UNLIKELY(!__atomic_load_n(&ng__descent_bound, __ATOMIC_RELAXED)))
    ng__descent_bind_libc();
}

/* ng__descent_run's own run (not on a task): fn(arg) in ng_stack_run
 * with c's ceiling, allocator and user-code budget, libc bound first. */
int ng__descent_new_run(ng__parse *c, int (*fn)(void *), void *arg);

/* ng__descent_run on a task: fn(arg) through ng_stack_call; a tail call
 * of fn when the task's stack has room. */
int ng__descent_on_task(ng__parse *c, int (*fn)(void *), void *arg);

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
 * ng_stack_run's frame, docs/streaming.md). Inline, and fn tail-called
 * when it needs no segment, so that a parked task keeps no frame for the
 * engine's set-up.
 */
NG_INLINE int ng__descent_run(ng__parse *c, int on_task, int (*fn)(void *),
                              void *arg) {
  if (on_task)
    return ng__descent_on_task(c, fn, arg);
  return ng__descent_new_run(c, fn, arg);
}

#endif /* NG_PARSERS_COMMON_DESCENT_H */
