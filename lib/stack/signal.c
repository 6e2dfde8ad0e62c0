/*
 * lib/stack/signal.c - signals and small stacks.
 *
 * The kernel pushes a signal frame (registers plus the extended FPU state:
 * up to several KiB with AVX-512) on the stack that is running when the
 * signal arrives, unless the handler was installed with SA_ONSTACK and the
 * thread has an alternate stack. A task on a 4 KiB segment cannot take
 * that frame: scheduler threads get a sigaltstack, and handlers must ask
 * for it (Go imposes the same rule on cgo code).
 */
#define _GNU_SOURCE
#include <signal.h>

#include "stack/stack_int.h"

int ng__altstack_install(const ng_alloc *alc, size_t size, void **mem) {
  stack_t cur, ss;

  *mem = NULL;
  if (sigaltstack(NULL, &cur) != 0)
    return NG_ENOTSUP;
  if (!(cur.ss_flags & SS_DISABLE))
    return NG_OK; /* the application installed its own: keep it */
  ss.ss_sp = ng__malloc(alc, size);
  if (ss.ss_sp == NULL)
    return NG_ENOMEM;
  ss.ss_size = size;
  ss.ss_flags = 0;
  if (sigaltstack(&ss, NULL) != 0) {
    ng__free(alc, ss.ss_sp, size);
    return NG_ENOTSUP;
  }
  *mem = ss.ss_sp;
  return NG_OK;
}

void ng__altstack_remove(const ng_alloc *alc, size_t size, void *mem) {
  stack_t cur, off;

  if (mem == NULL)
    return;
  /* Only take down our own; never free it while a handler runs on it. */
  if (sigaltstack(NULL, &cur) == 0 && cur.ss_sp == mem &&
      !(cur.ss_flags & SS_DISABLE)) {
    if (cur.ss_flags & SS_ONSTACK)
      return;
    off.ss_sp = NULL;
    off.ss_size = 0;
    off.ss_flags = SS_DISABLE;
    sigaltstack(&off, NULL);
  }
  ng__free(alc, mem, size);
}

int ng_stack_signal_check(int *signo) {
  struct sigaction sa;
  int sig, only = signo != NULL && *signo > 0 ? *signo : 0;

  for (sig = only ? only : 1; sig < (only ? only + 1 : NSIG); sig++) {
    if (sigaction(sig, NULL, &sa) != 0)
      continue; /* not a valid signal number here */
    if (!(sa.sa_flags & SA_SIGINFO) &&
        (sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN))
      continue;
    if (!(sa.sa_flags & SA_ONSTACK)) {
      if (signo != NULL)
        *signo = sig;
      return NG_EINVAL;
    }
  }
  return NG_OK;
}
