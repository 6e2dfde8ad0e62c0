/*
 * lib/stack/pool.c - a worker pool on a scheduler.
 *
 * Jobs sit in a ring that doubles when full. Idle workers park; a submit
 * wakes one. The pool counts jobs submitted and finished; a waiter (a task
 * parked in ng_pool_wait) is woken when they meet.
 */
#include <string.h>

#include "stack/stack_int.h"

typedef struct job {
  int (*fn)(void *);
  void *arg;
} job;

struct ng_pool {
  ng_sched *sched;
  const ng_alloc *alc;
  job *ring; /* queued jobs, ring of cap entries */
  size_t cap;
  size_t head;        /* next job to run */
  size_t len;         /* queued jobs */
  uint64_t submitted; /* jobs ever queued */
  uint64_t finished;  /* jobs ever run to completion */
  int first_error;    /* first nonzero job result not yet reported */
  ng_task *waiter;    /* task parked in ng_pool_wait */
  unsigned nworkers;
  unsigned idle;           /* workers parked for want of work */
  ng_task **workers;       /* idle ones are woken through these */
  unsigned char *parked;   /* parked[i]: worker i waits for work */
  struct worker_arg *args; /* one per worker */
};

/* Pool calls may come from tasks on small stacks: the allocator runs on
 * the system stack. */
static void *pmalloc(ng_pool *p, size_t n) {
  return ng__sys_malloc(ng__thr_get(), p->alc, n);
}

static void pfree(ng_pool *p, void *ptr, size_t n) {
  ng__sys_free(ng__thr_get(), p->alc, ptr, n);
}

static int ring_grow(ng_pool *p) {
  size_t ncap = p->cap != 0 ? p->cap * 2 : 64, i;
  job *n;

  if (ncap > (size_t)-1 / sizeof *n)
    return NG_ENOMEM;
  n = pmalloc(p, ncap * sizeof *n);
  if (n == NULL)
    return NG_ENOMEM;
  for (i = 0; i < p->len; i++)
    n[i] = p->ring[(p->head + i) % p->cap];
  pfree(p, p->ring, p->cap * sizeof *p->ring);
  p->ring = n;
  p->cap = ncap;
  p->head = 0;
  return NG_OK;
}

/* One worker: runs jobs, parks when there are none; ends only when the
 * pool destroys it. */
typedef struct worker_arg {
  ng_pool *p;
  unsigned id;
} worker_arg;

static int worker(void *arg) {
  ng_pool *p = ((worker_arg *)arg)->p;
  unsigned id = ((worker_arg *)arg)->id;
  job j;
  int rc;

  for (;;) {
    while (p->len == 0) {
      p->parked[id] = 1;
      p->idle++;
      ng_task_park();
      if (p->parked[id]) { /* a spurious wake */
        p->parked[id] = 0;
        p->idle--;
      }
    }
    j = p->ring[p->head];
    p->head = (p->head + 1) % p->cap;
    p->len--;
    rc = j.fn(j.arg);
    if (rc != 0 && p->first_error == 0)
      p->first_error = rc;
    if (++p->finished == p->submitted && p->waiter != NULL)
      ng_task_wake(p->waiter);
  }
  return NG_OK; /* not reached */
}

static void wake_one(ng_pool *p) {
  unsigned i;
  if (p->idle == 0)
    return;
  for (i = 0; i < p->nworkers; i++) {
    if (p->parked[i]) {
      p->parked[i] = 0;
      p->idle--;
      ng_task_wake(p->workers[i]);
      return;
    }
  }
}

int ng_pool_submit(ng_pool *p, int (*fn)(void *), void *arg) {
  int rc;
  if (p == NULL || fn == NULL)
    return NG_EINVAL;
  if (p->len == p->cap) {
    rc = ring_grow(p);
    if (rc != NG_OK)
      return rc;
  }
  p->ring[(p->head + p->len) % p->cap].fn = fn;
  p->ring[(p->head + p->len) % p->cap].arg = arg;
  p->len++;
  p->submitted++;
  wake_one(p);
  return NG_OK;
}

static int take_error(ng_pool *p) {
  int rc = p->first_error;
  p->first_error = 0;
  return rc;
}

int ng_pool_wait(ng_pool *p) {
  ng_task *self = ng_task_self();
  int rc;

  if (p == NULL)
    return NG_EINVAL;
  while (p->finished != p->submitted) {
    if (self != NULL) {
      p->waiter = self;
      rc = ng_task_park();
      p->waiter = NULL;
    } else {
      rc = ng_sched_run(p->sched);
      if (rc == NG_OK && p->finished != p->submitted)
        rc = NG_ESTATE;
    }
    if (rc != NG_OK)
      return rc;
  }
  return take_error(p);
}

/* Frees what ng_pool_new allocated, workers[0..n) included. Workers are
 * idle (parked in the loop above, or not started): they are destroyed
 * where they stand, which needs no allocation and so cannot fail. */
static void pool_destroy(ng_pool *p, unsigned n, worker_arg *args) {
  unsigned i;

  for (i = 0; i < n; i++)
    ng__task_destroy(p->workers[i]);
  pfree(p, args, p->nworkers * sizeof *args);
  pfree(p, p->parked, p->nworkers);
  pfree(p, p->workers, p->nworkers * sizeof *p->workers);
  pfree(p, p->ring, p->cap * sizeof *p->ring);
  pfree(p, p, sizeof *p);
}

void ng_pool_free(ng_pool *p) {
  if (p != NULL)
    pool_destroy(p, p->nworkers, p->args);
}

int ng_pool_new(ng_pool **out, ng_sched *s, unsigned workers,
                const ng_task_opts *topts) {
  ng_pool *p;
  worker_arg *args;
  unsigned i;
  int rc;

  *out = NULL;
  if (s == NULL || workers == 0)
    return NG_EINVAL;
  p = ng__sys_malloc(ng__thr_get(), ng__sched_alc(s), sizeof *p);
  if (p == NULL)
    return NG_ENOMEM;
  memset(p, 0, sizeof *p);
  p->sched = s;
  p->alc = ng__sched_alc(s);
  p->nworkers = workers;
  p->workers = pmalloc(p, workers * sizeof *p->workers);
  p->parked = pmalloc(p, workers);
  args = pmalloc(p, workers * sizeof *args);
  if (p->workers == NULL || p->parked == NULL || args == NULL) {
    rc = NG_ENOMEM;
    goto fail_arrays;
  }
  memset(p->parked, 0, workers);
  for (i = 0; i < workers; i++) {
    args[i].p = p;
    args[i].id = i;
    rc = ng_task_spawn(s, &p->workers[i], worker, &args[i], topts);
    if (rc != NG_OK)
      goto fail_spawn;
  }
  p->args = args;
  *out = p;
  return NG_OK;

fail_spawn:
  pool_destroy(p, i, args);
  return rc;
fail_arrays:
  pfree(p, args, workers * sizeof *args);
  pfree(p, p->parked, workers);
  pfree(p, p->workers, workers * sizeof *p->workers);
  pfree(p, p, sizeof *p);
  return rc;
}
