/*
 * lib/stack/thread.c - what the runtime asks of the threading library:
 * the bounds of the calling thread's stack, and a hook at thread exit.
 *
 * pthread_getattr_np is a GNU extension (glibc, musl, the BSDs have it or
 * pthread_attr_get_np); it is called once per thread.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "stack/stack_int.h"

int ng__thread_bounds(uintptr_t *lo, uintptr_t *hi) {
  pthread_attr_t attr;
  void *addr = NULL;
  size_t size = 0;
  int rc;

  if (pthread_getattr_np(pthread_self(), &attr) != 0)
    return NG_ENOTSUP;
  rc = pthread_attr_getstack(&attr, &addr, &size);
  pthread_attr_destroy(&attr);
  if (rc != 0 || addr == NULL || size == 0)
    return NG_ENOTSUP;
  *lo = (uintptr_t)addr;
  *hi = (uintptr_t)addr + size;
  return NG_OK;
}

int ng__thread_is_main(void) { return syscall(SYS_gettid) == (long)getpid(); }

static pthread_key_t exit_key;
static pthread_once_t exit_once = PTHREAD_ONCE_INIT;
static int exit_key_ok;

static void on_thread_exit(void *p) { ng__thr_exit(p); }

static void make_key(void) {
  exit_key_ok = pthread_key_create(&exit_key, on_thread_exit) == 0;
}

/* Without a key (the process ran out of them), a thread that exits with a
 * segment cached leaks that one segment; nothing else depends on it. */
void ng__thread_at_exit(ng__thr *t) {
  pthread_once(&exit_once, make_key);
  if (exit_key_ok && !t->key_set)
    t->key_set = pthread_setspecific(exit_key, t) == 0;
}
