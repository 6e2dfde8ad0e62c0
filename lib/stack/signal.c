/*
 * lib/stack/signal.c - signals and small stacks.
 *
 * The kernel pushes a signal frame (registers plus the extended FPU state:
 * getauxval(AT_MINSIGSTKSZ) bytes, about 12 KiB with AVX-512) on the stack
 * that is running when the signal arrives, unless the handler was
 * installed with SA_ONSTACK and the thread has an alternate stack. A 4 KiB
 * segment cannot take that frame, and nothing below a segment would stop
 * it: it would land in the neighbouring heap. So before a thread first
 * leaves its own stack (for a segment, or for a task), ng__signals_prepare
 * gives it an alternate stack, with a guard page below, unless it has one;
 * and, like Go's runtime, adds SA_ONSTACK to installed handlers that lack
 * it. Both are a process-wide policy (ng_stack_set_signal_policy), on by
 * default. The alternate stack is released when the thread exits.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "stack/stack_int.h"

/* Room for the handler's own frames on top of the kernel's signal frame;
 * the check below asks at least NG__ALT_MIN_ROOM of an alternate stack it
 * did not install. */
#define NG__ALT_ROOM ((size_t)64 * 1024)
#define NG__ALT_MIN_ROOM ((size_t)16 * 1024)

/* A handler pass reads all 64 actions: 67 us on this VM. Growth passes
 * run at most once per NG__FIX_EVERY_NS process-wide. */
#define NG__FIX_EVERY_NS ((uint64_t)10 * 1000 * 1000)

static unsigned g_policy = NG_SIGNAL_ALTSTACK | NG_SIGNAL_ONSTACK;
static uint64_t g_fixed_ns; /* coarse time of the last pass; 0: none */

unsigned ng_stack_set_signal_policy(unsigned flags) {
  flags &= NG_SIGNAL_ALTSTACK | NG_SIGNAL_ONSTACK;
  __atomic_store_n(&g_fixed_ns, 0, __ATOMIC_RELAXED); /* pass next time */
  return __atomic_exchange_n(&g_policy, flags, __ATOMIC_RELAXED);
}

static unsigned policy(void) {
  return __atomic_load_n(&g_policy, __ATOMIC_RELAXED);
}

/* Bytes the kernel may need for one signal frame on this machine. */
static size_t frame_need(void) {
  size_t need = MINSIGSTKSZ;
  unsigned long aux = getauxval(AT_MINSIGSTKSZ);
  long sz = sysconf(_SC_SIGSTKSZ);

  if (aux > need)
    need = aux;
  if (sz > 0 && (size_t)sz > need)
    need = (size_t)sz;
  return need;
}

/* Maps and installs an alternate stack with a PROT_NONE page below it. */
static void altstack_install(ng__thr *t) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t size = (frame_need() + NG__ALT_ROOM + page - 1) & ~(page - 1);
  stack_t ss;
  char *m;

  m = mmap(NULL, size + page, PROT_READ | PROT_WRITE,
           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED)
    return;
  if (mprotect(m, page, PROT_NONE) != 0)
    goto fail;
  ss.ss_sp = m + page;
  ss.ss_size = size;
  ss.ss_flags = 0;
  if (sigaltstack(&ss, NULL) != 0)
    goto fail;
  t->alt_mem = m;
  t->alt_len = size + page;
  return;

fail:
  munmap(m, size + page);
}

/* A handler (not SIG_DFL or SIG_IGN) is installed for sa. */
static int has_handler(const struct sigaction *sa) {
  return (sa->sa_flags & SA_SIGINFO) ||
         (sa->sa_handler != SIG_DFL && sa->sa_handler != SIG_IGN);
}

/* Adds SA_ONSTACK to every installed handler that lacks it. Another
 * thread changing a handler at the same moment can lose its change, as
 * with Go's runtime. */
static void onstack_fix(void) {
  struct sigaction sa;
  int sig;

  for (sig = 1; sig < NSIG; sig++) {
    if (sigaction(sig, NULL, &sa) != 0 || !has_handler(&sa) ||
        (sa.sa_flags & SA_ONSTACK))
      continue;
    sa.sa_flags |= SA_ONSTACK;
    sigaction(sig, &sa, NULL);
  }
}

/* Whether a handler pass is due: forced, or none in the last 10 ms. */
static int fix_due(int force) {
  struct timespec ts;
  uint64_t now, last = __atomic_load_n(&g_fixed_ns, __ATOMIC_RELAXED);

  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec + 1;
  if (!force && last != 0 && now - last < NG__FIX_EVERY_NS)
    return 0;
  __atomic_store_n(&g_fixed_ns, now, __ATOMIC_RELAXED);
  return 1;
}

void ng__signals_prepare(ng__thr *t, int force) {
  unsigned pol = policy();
  stack_t cur;

  if (!t->alt_done && (pol & NG_SIGNAL_ALTSTACK)) {
    t->alt_done = 1;
    if (sigaltstack(NULL, &cur) == 0 && (cur.ss_flags & SS_DISABLE))
      altstack_install(t); /* never replace the program's own */
  }
  if ((pol & NG_SIGNAL_ONSTACK) && fix_due(force))
    onstack_fix();
}

void ng__altstack_release(ng__thr *t) {
  stack_t cur, off;

  if (t->alt_mem == NULL)
    return;
  if (sigaltstack(NULL, &cur) == 0 &&
      cur.ss_sp == (char *)t->alt_mem + (t->alt_len - cur.ss_size) &&
      !(cur.ss_flags & SS_DISABLE)) {
    if (cur.ss_flags & SS_ONSTACK)
      return; /* a handler runs on it: leave it be */
    off.ss_sp = NULL;
    off.ss_size = 0;
    off.ss_flags = SS_DISABLE;
    sigaltstack(&off, NULL);
  }
  munmap(t->alt_mem, t->alt_len);
  t->alt_mem = NULL;
  t->alt_done = 0;
}

/* The first handler without SA_ONSTACK (only `only` if > 0), or 0. */
static int handler_unsafe(int only) {
  struct sigaction sa;
  int sig;

  for (sig = only ? only : 1; sig < (only ? only + 1 : NSIG); sig++) {
    if (sigaction(sig, NULL, &sa) != 0)
      continue; /* not a valid signal number here */
    if (has_handler(&sa) && !(sa.sa_flags & SA_ONSTACK))
      return sig;
  }
  return 0;
}

int ng_stack_signal_check(int *signo) {
  int only = signo != NULL && *signo > 0 ? *signo : 0;
  int sig = handler_unsafe(only);
  stack_t cur;

  if (sig != 0) {
    if (signo != NULL)
      *signo = sig;
    return NG_EINVAL;
  }
  if (sigaltstack(NULL, &cur) != 0)
    return NG_ENOTSUP;
  if (cur.ss_flags & SS_DISABLE)
    /* Fine while the runtime will install one before leaving the stack. */
    return ng__thr_get()->alt_done || !(policy() & NG_SIGNAL_ALTSTACK)
               ? NG_ESTATE
               : NG_OK;
  if (cur.ss_size < frame_need() + NG__ALT_MIN_ROOM)
    return NG_ENOTSUP; /* too small for this machine's signal frame */
  return NG_OK;
}
