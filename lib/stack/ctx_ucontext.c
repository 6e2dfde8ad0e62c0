/*
 * lib/stack/ctx_ucontext.c - the portable context-switch backend, used
 * where lib/stack/arch/ has no assembly for the target (see arch.h).
 *
 * getcontext/makecontext/swapcontext were dropped from POSIX.1-2008 but
 * glibc, musl (via libucontext) and the BSDs still ship them. swapcontext
 * also saves the signal mask with a system call, so a switch costs about
 * as much as a syscall: correct, not fast.
 */
#define _GNU_SOURCE
#include "stack/arch.h"

#if NG__ARCH_UCONTEXT

#include <string.h>

#include "stack/stack_int.h"

/* makecontext passes int arguments only: a call on a segment finds its
 * state in a thread-local slot, a fresh context gets the address of its
 * start record split into two 32-bit halves. */
typedef struct ctx_start {
  int (*fn)(void *);
  void *arg;
  void (*done)(int);
} ctx_start;

typedef struct call_state {
  int (*fn)(void *);
  void *arg;
  int rc;
  ucontext_t back; /* the caller, resumed when fn returns */
} call_state;

static __thread call_state *call_pending;

static void call_tramp(void) {
  call_state *c = call_pending;
  c->rc = c->fn(c->arg);
  /* uc_link resumes c->back when this function returns. */
}

int ng__stack_call_on(int (*fn)(void *), void *arg, void *sp) {
  /* Two ucontext_t are about 2 KiB: far more than the reserve the caller
   * has left on its segment. They live at the top of the new stack, which
   * is free, and the new stack starts below them. */
  call_state *c = (call_state *)(((uintptr_t)sp - sizeof *c) & ~(uintptr_t)15);
  ucontext_t *uc = (ucontext_t *)(((uintptr_t)c - sizeof *uc) & ~(uintptr_t)15);
  /* The callee never goes below its segment's limit, so the exact low
   * bound handed to makecontext does not matter, only that it lies below
   * everything used. */
  size_t size = 64 * 1024;

  c->fn = fn;
  c->arg = arg;
  c->rc = 0;
  if (getcontext(uc) != 0)
    return NG_ENOTSUP;
  uc->uc_stack.ss_sp = (char *)uc - size;
  uc->uc_stack.ss_size = size;
  uc->uc_link = &c->back;
  makecontext(uc, call_tramp, 0);
  call_pending = c;
  if (swapcontext(&c->back, uc) != 0)
    return NG_ENOTSUP;
  return c->rc;
}

static void start_tramp(unsigned hi, unsigned lo) {
  ctx_start *s = (ctx_start *)(((uintptr_t)hi << 16 << 16) | lo);
  s->done(s->fn(s->arg)); /* never returns: done switches away for good */
}

void ng__ctx_init(ng__ctx *c, void *lo, void *top, int (*fn)(void *),
                  void *arg, void (*done)(int)) {
  ctx_start *s;

  memset(c, 0, sizeof *c);
  getcontext(&c->uc);
  /* The start record sits at the top of the new stack. */
  s = (ctx_start *)(((uintptr_t)top - sizeof *s) & ~(uintptr_t)15);
  s->fn = fn;
  s->arg = arg;
  s->done = done;
  c->uc.uc_stack.ss_sp = lo;
  c->uc.uc_stack.ss_size = (size_t)((char *)s - (char *)lo);
  c->uc.uc_link = NULL;
  makecontext(&c->uc, (void (*)(void))start_tramp, 2,
              (unsigned)((uintptr_t)s >> 16 >> 16), (unsigned)(uintptr_t)s);
}

/* The data of the last swap, read by the context it resumed. */
static __thread int swap_data;

int ng__ctx_swap(ng__ctx *from, const ng__ctx *to, int data) {
  swap_data = data;
  swapcontext(&from->uc, &to->uc);
  return swap_data;
}

#endif /* NG__ARCH_UCONTEXT */
