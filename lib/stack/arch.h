/*
 * lib/stack/arch.h - which context-switch backend this build uses, and the
 * saved-register layout the assembly reads and writes.
 *
 * This is the one place that looks at the target: portable files include
 * it and call the backend through the functions declared at the bottom.
 * The header is also included by the .S files (only the #defines are then
 * visible), so offsets are written once and pinned from C with
 * _Static_assert.
 *
 * Backends:
 *   x86_64 SysV ELF  lib/stack/arch/x86_64_sysv.S
 *   AArch64 AAPCS64  lib/stack/arch/aarch64_aapcs.S
 *   anything else    lib/stack/ctx_ucontext.c (getcontext/makecontext)
 * Building with -DNG_STACK_UCONTEXT forces the portable fallback.
 */
#ifndef NG_LIB_STACK_ARCH_H
#define NG_LIB_STACK_ARCH_H

#if defined(NG_STACK_UCONTEXT)
#define NG__ARCH_UCONTEXT 1
#elif defined(__x86_64__) && defined(__ELF__)
#define NG__ARCH_X86_64 1
#elif defined(__aarch64__) && defined(__ELF__)
#define NG__ARCH_AARCH64 1
#else
#define NG__ARCH_UCONTEXT 1
#endif

#ifndef NG__ARCH_UCONTEXT
#define NG__ARCH_UCONTEXT 0
#endif
#ifndef NG__ARCH_X86_64
#define NG__ARCH_X86_64 0
#endif
#ifndef NG__ARCH_AARCH64
#define NG__ARCH_AARCH64 0
#endif

/*
 * Save area, x86-64 (byte offsets into ng__ctx):
 *   0 rsp   8 rip  16 rbx  24 rbp  32 r12  40 r13  48 r14  56 r15
 *  64 mxcsr (4 bytes)  68 x87 control word (2 bytes)       size 72
 * A fresh context starts in ng__ctx_start with r12 = fn, r13 = arg,
 * r14 = done.
 */
#define NG__X64_RSP 0
#define NG__X64_RIP 8
#define NG__X64_RBX 16
#define NG__X64_RBP 24
#define NG__X64_R12 32
#define NG__X64_R13 40
#define NG__X64_R14 48
#define NG__X64_R15 56
#define NG__X64_MXCSR 64
#define NG__X64_FPUCW 68
#define NG__X64_SIZE 72

/*
 * Save area, AArch64 (byte offsets into ng__ctx):
 *   0 sp   8 pc (x30 at the switch)  16..88 x19..x28  96 x29 (fp)
 * 104..160 d8..d15  168 fpcr                               size 176
 * A fresh context starts in ng__ctx_start with x19 = fn, x20 = arg,
 * x21 = done.
 */
#define NG__A64_SP 0
#define NG__A64_PC 8
#define NG__A64_X19 16
#define NG__A64_X29 96
#define NG__A64_D8 104
#define NG__A64_FPCR 168
#define NG__A64_SIZE 176

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

#if NG__ARCH_X86_64
typedef struct ng__ctx {
  void *rsp;    /* stack pointer after the switch returns */
  void *rip;    /* where the switch resumes */
  uint64_t rbx; /* callee-saved general registers ... */
  uint64_t rbp; /* frame pointer */
  uint64_t r12; /* function of a fresh context */
  uint64_t r13; /* its argument */
  uint64_t r14; /* what runs after it */
  uint64_t r15;
  uint32_t mxcsr; /* SSE control/status (rounding, exception masks) */
  uint16_t fpucw; /* x87 control word */
  uint16_t pad;   /* keeps the size a multiple of 8 */
} ng__ctx;
_Static_assert(offsetof(ng__ctx, rsp) == NG__X64_RSP, "ctx layout");
_Static_assert(offsetof(ng__ctx, rip) == NG__X64_RIP, "ctx layout");
_Static_assert(offsetof(ng__ctx, rbx) == NG__X64_RBX, "ctx layout");
_Static_assert(offsetof(ng__ctx, rbp) == NG__X64_RBP, "ctx layout");
_Static_assert(offsetof(ng__ctx, r12) == NG__X64_R12, "ctx layout");
_Static_assert(offsetof(ng__ctx, r13) == NG__X64_R13, "ctx layout");
_Static_assert(offsetof(ng__ctx, r14) == NG__X64_R14, "ctx layout");
_Static_assert(offsetof(ng__ctx, r15) == NG__X64_R15, "ctx layout");
_Static_assert(offsetof(ng__ctx, mxcsr) == NG__X64_MXCSR, "ctx layout");
_Static_assert(offsetof(ng__ctx, fpucw) == NG__X64_FPUCW, "ctx layout");
_Static_assert(sizeof(ng__ctx) == NG__X64_SIZE, "ctx layout");
/* A suspended context's stack pointer: its live stack is [sp, top). */
#define NG__CTX_HAS_SP 1
static inline uintptr_t ng__ctx_sp(const ng__ctx *c) {
  return (uintptr_t)c->rsp;
}
#elif NG__ARCH_AARCH64
typedef struct ng__ctx {
  void *sp;       /* stack pointer after the switch returns */
  void *pc;       /* where the switch resumes (the saved x30) */
  uint64_t x[10]; /* x19..x28, callee-saved; x19/x20/x21 = fn/arg/done */
  uint64_t fp;    /* x29 */
  uint64_t d[8];  /* d8..d15, low halves of v8..v15 */
  uint64_t fpcr;  /* floating-point control (rounding, traps) */
} ng__ctx;
_Static_assert(offsetof(ng__ctx, sp) == NG__A64_SP, "ctx layout");
_Static_assert(offsetof(ng__ctx, pc) == NG__A64_PC, "ctx layout");
_Static_assert(offsetof(ng__ctx, x) == NG__A64_X19, "ctx layout");
_Static_assert(offsetof(ng__ctx, fp) == NG__A64_X29, "ctx layout");
_Static_assert(offsetof(ng__ctx, d) == NG__A64_D8, "ctx layout");
_Static_assert(offsetof(ng__ctx, fpcr) == NG__A64_FPCR, "ctx layout");
_Static_assert(sizeof(ng__ctx) == NG__A64_SIZE, "ctx layout");
#define NG__CTX_HAS_SP 1
static inline uintptr_t ng__ctx_sp(const ng__ctx *c) {
  return (uintptr_t)c->sp;
}
#else
#include <ucontext.h>
typedef struct ng__ctx {
  ucontext_t uc; /* the whole machine context, kept by libc */
} ng__ctx;
/* The stack pointer is not portably readable from a ucontext_t: tasks
 * then get private stacks only (nothing is ever copied). */
#define NG__CTX_HAS_SP 0
static inline uintptr_t ng__ctx_sp(const ng__ctx *c) {
  (void)c;
  return 0;
}
#endif

/*
 * Calls fn(arg) with the stack pointer set to sp (16-byte aligned, the
 * exclusive top of the new stack) and returns fn's result on the original
 * stack. gdb and other CFI unwinders walk from the new stack back into the
 * caller.
 */
int ng__stack_call_on(int (*fn)(void *), void *arg, void *sp);

/*
 * Prepares c so that switching to it runs fn(arg) on the stack whose
 * bytes are [lo, top) (top 16-byte aligned), fn's frame the first there,
 * and then done(fn's result) on the same stack. done must never return;
 * it leaves by switching to another context. The floating-point control
 * state is copied from the caller's.
 */
void ng__ctx_init(ng__ctx *c, void *lo, void *top, int (*fn)(void *),
                  void *arg, void (*done)(int));

/*
 * Saves the callee-saved state of the running context in *from and resumes
 * *to, whose own swap returns data. Returns when some context later
 * switches back to *from: the data that swap passed.
 */
int ng__ctx_swap(ng__ctx *from, const ng__ctx *to, int data);

#endif /* __ASSEMBLER__ */
#endif /* NG_LIB_STACK_ARCH_H */
