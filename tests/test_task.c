/*
 * tests/test_task.c - tasks and the scheduler: spawn, yield, park/wake,
 * join, growth inside tasks, per-task ceilings, budgets, a million parked
 * tasks, shared-stack copying, signals, allocation failures.
 */
#define _GNU_SOURCE /* pthread_kill, sigaltstack */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fenv.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nestguard.h"
#include "support/failalloc.h"
#include "support/testenv.h"

static int slow_env(void) {
  return ng_test_valgrind() || ng_test_sanitized();
}

/* The portable backend gives every task a private base (no copying). */
static int shared_stacks(void) {
  return strcmp(ng_stack_backend(), "ucontext") != 0;
}

/* Current RSS in bytes from /proc/self/statm. */
static size_t rss_now(void) {
  unsigned long size = 0, res = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (f == NULL)
    return 0;
  if (fscanf(f, "%lu %lu", &size, &res) != 2)
    res = 0;
  fclose(f);
  return (size_t)res * 4096;
}

/* Recursion of ~256-byte frames through ng_stack_call. */
typedef struct rec {
  size_t depth, target, max_depth;
  int park_at_bottom;
} rec;

static int recurse(void *p) {
  rec *r = p;
  volatile char pad[200];
  int rc;

  pad[0] = (char)r->depth;
  if (r->depth > r->max_depth)
    r->max_depth = r->depth;
  if (r->depth == r->target) {
    if (r->park_at_bottom)
      return ng_task_park();
    return 0;
  }
  r->depth++;
  rc = ng_stack_call(recurse, r);
  r->depth--;
  return rc + (pad[0] - (char)r->depth);
}

/* ---------------------------------------------------------------- basics */

static int ret_arg(void *p) { return (int)(intptr_t)p; }

static void test_spawn_join(void **state) {
  ng_sched *s, *s2;
  ng_task *a, *b;
  int res = -1;
  ng_stack_stats st;
  (void)state;

  assert_int_equal(ng_sched_new(&s, NULL), NG_OK);
  assert_int_equal(ng_sched_new(&s2, NULL), NG_EBUSY); /* one per thread */
  assert_int_equal(ng_task_spawn(s, &a, ret_arg, (void *)7, NULL), NG_OK);
  assert_int_equal(ng_task_spawn(s, &b, ret_arg, (void *)9, NULL), NG_OK);
  assert_int_equal(ng_task_spawn(s, NULL, ret_arg, (void *)1, NULL), NG_OK);
  /* Bad arguments are errors, never a crash (a NULL scheduler was once
   * dereferenced before the check). */
  assert_int_equal(ng_task_spawn(NULL, &a, ret_arg, NULL, NULL), NG_EINVAL);
  assert_int_equal(ng_task_spawn(s, &a, NULL, NULL, NULL), NG_EINVAL);
  assert_null(ng_task_self());
  assert_int_equal(ng_task_yield(), NG_ESTATE);
  assert_int_equal(ng_task_park(), NG_ESTATE);
  assert_int_equal(ng_task_join(b, &res), NG_OK);
  assert_int_equal(res, 9);
  assert_int_equal(ng_sched_run(s), NG_OK);
  assert_int_equal(ng_task_join(a, &res), NG_OK);
  assert_int_equal(res, 7);
  ng_sched_stats(s, &st);
  assert_int_equal(st.tasks_live, 0);
  assert_int_equal(st.tasks_spawned, 3);
  assert_int_equal(st.tasks_peak, 3);
  ng_sched_free(s);
}

/* Two tasks alternate strictly through yield. */
typedef struct pingpong {
  char log[64];
  size_t n;
} pingpong;

static int ping(void *p) {
  pingpong *pp = p;
  int i;
  for (i = 0; i < 5; i++) {
    pp->log[pp->n++] = 'a';
    assert_int_equal(ng_task_yield(), NG_OK);
  }
  return 0;
}

static int pong(void *p) {
  pingpong *pp = p;
  int i;
  for (i = 0; i < 5; i++) {
    pp->log[pp->n++] = 'b';
    assert_int_equal(ng_task_yield(), NG_OK);
  }
  return 0;
}

static void run_pingpong(const ng_sched_opts *o, unsigned flags) {
  ng_task_opts to = {0, flags};
  ng_sched *s;
  pingpong pp;

  memset(&pp, 0, sizeof pp);
  assert_int_equal(ng_sched_new(&s, o), NG_OK);
  assert_int_equal(ng_task_spawn(s, NULL, ping, &pp, &to), NG_OK);
  assert_int_equal(ng_task_spawn(s, NULL, pong, &pp, &to), NG_OK);
  assert_int_equal(ng_sched_run(s), NG_OK);
  assert_string_equal(pp.log, "ababababab");
  ng_sched_free(s);
}

static void test_yield_alternates(void **state) {
  ng_sched_opts one = {0};
  (void)state;
  run_pingpong(NULL, 0);
  run_pingpong(NULL, NG_TASK_PRIVATE);
  one.shared_stacks = 1; /* both tasks on one shared stack: copying */
  run_pingpong(&one, 0);
}

/* Park/wake, including a wake that comes before the park. */
typedef struct parker {
  int stage;
} parker;

static int park_twice(void *p) {
  parker *k = p;
  k->stage = 1;
  assert_int_equal(ng_task_park(), NG_OK);
  k->stage = 2;
  assert_int_equal(ng_task_park(), NG_OK); /* permit: returns at once */
  k->stage = 3;
  return 5;
}

/* A new scheduler in *s running fn(k) until it first parks, at stage 1. */
static ng_task *parked_at_1(ng_sched **s, int (*fn)(void *), parker *k) {
  ng_task *a;

  assert_int_equal(ng_sched_new(s, NULL), NG_OK);
  assert_int_equal(ng_task_spawn(*s, &a, fn, k, NULL), NG_OK);
  assert_int_equal(ng_sched_run(*s), NG_OK);
  assert_int_equal(k->stage, 1);
  return a;
}

static void test_park_wake(void **state) {
  ng_sched *s;
  parker k = {0};
  ng_task *a = parked_at_1(&s, park_twice, &k);
  ng_stack_stats st;
  int res;
  (void)state;

  ng_sched_stats(s, &st);
  assert_int_equal(st.tasks_parked, 1);
  /* Joining a parked task nobody wakes cannot finish. */
  assert_int_equal(ng_task_join(a, &res), NG_ESTATE);
  assert_int_equal(ng_task_wake(a), NG_OK);
  assert_int_equal(ng_task_wake(a), NG_OK); /* permit for the 2nd park */
  assert_int_equal(ng_sched_run(s), NG_OK);
  assert_int_equal(k.stage, 3);
  assert_int_equal(ng_task_wake(a), NG_ESTATE); /* finished */
  assert_int_equal(ng_task_join(a, &res), NG_OK);
  assert_int_equal(res, 5);
  ng_sched_free(s);
}

/* A cancel ends the park it finds with NG_ECANCELED, or, sent while the
 * task runs, the next one at once (a wake after it does not undo it);
 * plain wakes afterwards are NG_OK again. */
static int park_cancelled(void *p) {
  parker *k = p;
  k->stage = 1;
  if (ng_task_park() != NG_ECANCELED)
    return -1;
  k->stage = 2;
  if (ng_task_wake(ng_task_self()) != NG_OK || ng_task_park() != NG_OK)
    return -2;
  if (ng_task_cancel(ng_task_self()) != NG_OK ||
      ng_task_wake(ng_task_self()) != NG_OK ||
      ng_task_park() != NG_ECANCELED)
    return -2;
  k->stage = 3;
  if (ng_task_park() != NG_OK)
    return -3;
  return 7;
}

/* A task cancelled while it is runnable after a yield: its next park. */
static int yield_then_park(void *p) {
  (void)p;
  if (ng_task_yield() != NG_OK)
    return -1;
  return ng_task_park() == NG_ECANCELED ? 9 : -9;
}

static int cancel_arg(void *p) { return ng_task_cancel(p); }

static void test_park_cancel(void **state) {
  ng_sched *s;
  parker k = {0};
  ng_task *a = parked_at_1(&s, park_cancelled, &k);
  int res;
  (void)state;

  assert_int_equal(ng_task_cancel(a), NG_OK);
  assert_int_equal(ng_sched_run(s), NG_OK);
  assert_int_equal(k.stage, 3);
  assert_int_equal(ng_task_wake(a), NG_OK);
  assert_int_equal(ng_sched_run(s), NG_OK);
  assert_int_equal(ng_task_cancel(a), NG_ESTATE); /* finished */
  assert_int_equal(ng_task_join(a, &res), NG_OK);
  assert_int_equal(res, 7);
  assert_int_equal(ng_task_spawn(s, &a, yield_then_park, NULL, NULL), NG_OK);
  assert_int_equal(ng_task_spawn(s, NULL, cancel_arg, a, NULL), NG_OK);
  assert_int_equal(ng_sched_run(s), NG_OK);
  assert_int_equal(ng_task_join(a, &res), NG_OK);
  assert_int_equal(res, 9);
  ng_sched_free(s);
}

/* ng_task_resume: wake and run, switching to the task at once when
 * nothing else is runnable. Each task logs a letter when it runs. */
typedef struct resumer {
  char log[32];
  int n;
  ng_task *other; /* woken by wake_other, resumed by resume_other */
} resumer;

static void log_run(resumer *r, char c) {
  if (r->n < (int)sizeof r->log - 1)
    r->log[r->n++] = c;
}

/* Parks until resumed three times, logging 'a' at each run; the third
 * resume ends it. */
static int park_thrice(void *p) {
  resumer *r = p;
  int i;
  for (i = 0; i < 3; i++) {
    log_run(r, 'a');
    if (ng_task_park() != NG_OK)
      return -1;
  }
  return 40;
}

static int log_b(void *p) {
  log_run(p, 'b');
  return 0;
}

/* Parks once, logging 'p' before and 'q' after; the park's return is
 * the result (NG_ECANCELED: cancel). */
static int park_logged(void *p) {
  int rc;
  log_run(p, 'p');
  rc = ng_task_park();
  log_run(p, 'q');
  return rc;
}

/* Parks; then wakes r->other, which runs before the resume returns. */
static int wake_other(void *p) {
  resumer *r = p;
  log_run(r, 'w');
  if (ng_task_park() != NG_OK)
    return -1;
  log_run(r, 'W');
  return ng_task_wake(r->other);
}

/* From a task, resume is refused: r->other is only woken. */
static int resume_other(void *p) {
  resumer *r = p;
  return ng_task_resume(r->other);
}

static void test_resume(void **state) {
  ng_sched *s;
  ng_task *a, *b, *c;
  ng_stack_stats st0, st;
  resumer r;
  int res;
  (void)state;

  memset(&r, 0, sizeof r);
  assert_int_equal(ng_sched_new(&s, NULL), NG_OK);
  assert_int_equal(ng_task_spawn(s, &a, park_thrice, &r, NULL), NG_OK);
  assert_int_equal(ng_sched_run(s), NG_OK);
  ng_sched_stats(s, &st0);
  assert_int_equal(ng_task_resume(a), NG_OK); /* runs now, parks again */
  ng_sched_stats(s, &st);
  assert_string_equal(r.log, "aa");
  assert_int_equal(st.switches, st0.switches + 2);
  assert_int_equal(st.tasks_parked, 1);
  assert_int_equal(ng_task_resume(a), NG_OK);
  assert_int_equal(ng_task_resume(a), NG_OK); /* ends */
  assert_string_equal(r.log, "aaa");
  ng_sched_stats(s, &st);
  assert_int_equal(st.tasks_parked, 0);
  assert_int_equal(ng_task_resume(a), NG_ESTATE);
  assert_int_equal(ng_task_join(a, &res), NG_OK);
  assert_int_equal(res, 40);
  assert_int_equal(ng_task_resume(NULL), NG_EINVAL);

  /* Something else runnable: a wake and a run, in queue order. */
  memset(&r, 0, sizeof r);
  assert_int_equal(ng_task_spawn(s, &a, park_logged, &r, NULL), NG_OK);
  assert_int_equal(ng_sched_run(s), NG_OK);
  assert_int_equal(ng_task_spawn(s, &b, log_b, &r, NULL), NG_OK);
  assert_int_equal(ng_task_resume(a), NG_OK);
  assert_string_equal(r.log, "pbq");
  assert_int_equal(ng_task_join(a, &res), NG_OK);
  assert_int_equal(res, NG_OK);
  assert_int_equal(ng_task_join(b, &res), NG_OK);

  /* A cancelled task resumed: its park returns NG_ECANCELED. */
  assert_int_equal(ng_task_spawn(s, &a, park_logged, &r, NULL), NG_OK);
  assert_int_equal(ng_sched_run(s), NG_OK);
  assert_int_equal(ng_task_cancel(a), NG_OK);
  assert_int_equal(ng_task_resume(a), NG_OK);
  assert_int_equal(ng_task_join(a, &res), NG_OK);
  assert_int_equal(res, NG_ECANCELED);

  /* What the resumed task wakes runs before resume returns. */
  memset(&r, 0, sizeof r);
  assert_int_equal(ng_task_spawn(s, &a, wake_other, &r, NULL), NG_OK);
  assert_int_equal(ng_task_spawn(s, &r.other, park_logged, &r, NULL), NG_OK);
  assert_int_equal(ng_sched_run(s), NG_OK);
  assert_string_equal(r.log, "wp");
  assert_int_equal(ng_task_resume(a), NG_OK);
  assert_string_equal(r.log, "wpWq");
  assert_int_equal(ng_task_join(a, &res), NG_OK);
  assert_int_equal(res, NG_OK);
  assert_int_equal(ng_task_join(r.other, &res), NG_OK); /* it ran */
  assert_int_equal(res, NG_OK);

  /* From a task: NG_ESTATE, and the target is woken, not run. */
  memset(&r, 0, sizeof r);
  assert_int_equal(ng_task_spawn(s, &r.other, park_logged, &r, NULL), NG_OK);
  assert_int_equal(ng_sched_run(s), NG_OK);
  assert_int_equal(ng_task_spawn(s, &c, resume_other, &r, NULL), NG_OK);
  assert_int_equal(ng_task_join(c, &res), NG_OK);
  assert_int_equal(res, NG_ESTATE);
  assert_string_equal(r.log, "p");
  ng_sched_stats(s, &st);
  assert_int_equal(st.tasks_parked, 0); /* runnable */
  assert_int_equal(ng_task_join(r.other, &res), NG_OK);
  assert_int_equal(res, NG_OK);
  assert_string_equal(r.log, "pq");
  ng_sched_free(s);
}

/* Join from inside a task; spawn from inside a task. */
static int child(void *p) {
  int i;
  for (i = 0; i < 3; i++)
    ng_task_yield();
  return (int)(intptr_t)p * 2;
}

static int parent(void *p) {
  ng_sched *s = p;
  ng_task *c[4];
  int i, sum = 0, r;
  for (i = 0; i < 4; i++)
    if (ng_task_spawn(s, &c[i], child, (void *)(intptr_t)(i + 1), NULL))
      return -1;
  for (i = 0; i < 4; i++) {
    if (ng_task_join(c[i], &r) != NG_OK)
      return -2;
    sum += r;
  }
  return sum;
}

static void test_join_in_task(void **state) {
  ng_sched *s;
  ng_task *a;
  int res;
  (void)state;
  assert_int_equal(ng_sched_new(&s, NULL), NG_OK);
  assert_int_equal(ng_task_spawn(s, &a, parent, s, NULL), NG_OK);
  assert_int_equal(ng_task_join(a, &res), NG_OK);
  assert_int_equal(res, 2 * (1 + 2 + 3 + 4));
  ng_sched_free(s);
}

/* ---------------------------------------------------------- stacks */

/* Deep recursion in tasks, parked at the bottom: segments stay put while
 * other tasks use the shared stacks; memory comes back after. */
static int deep_task(void *p) { return ng_stack_call(recurse, p); }

static void test_task_growth(void **state) {
  ng_sched *s;
  ng_task *a[3];
  rec r[3];
  ng_task_stats ts;
  ng_stack_stats st;
  int i, res;
  (void)state;

  assert_int_equal(ng_sched_new(&s, NULL), NG_OK);
  for (i = 0; i < 3; i++) {
    memset(&r[i], 0, sizeof r[i]);
    r[i].target = 10000; /* 2.5 MB each */
    r[i].park_at_bottom = 1;
    assert_int_equal(ng_task_spawn(s, &a[i], deep_task, &r[i], NULL), NG_OK);
  }
  assert_int_equal(ng_sched_run(s), NG_OK);
  for (i = 0; i < 3; i++) {
    assert_int_equal(r[i].max_depth, 10000);
    ng_task_stats_get(a[i], &ts);
    assert_true(ts.segments >= 8);
    assert_true(ts.stack_bytes >= 10000 * 200);
    assert_true(ts.peak >= 10000 * 200);
  }
  ng_sched_stats(s, &st);
  assert_true(st.stack_inuse >= 3 * 10000 * 200);
  for (i = 0; i < 3; i++)
    assert_int_equal(ng_task_wake(a[i]), NG_OK);
  for (i = 0; i < 3; i++) {
    assert_int_equal(ng_task_join(a[i], &res), NG_OK);
    assert_int_equal(res, 0);
  }
  ng_sched_stats(s, &st);
  assert_true(st.stack_inuse < 64 * 1024);
  assert_int_equal(st.segments, st.segments_pooled); /* all idle */
  ng_sched_free(s);
}

/* One task hits its ceiling: NG_ESTACK; the others keep running. */
typedef struct counter {
  int n;
} counter;

static int count_yield(void *p) {
  counter *c = p;
  int i;
  for (i = 0; i < 100; i++) {
    c->n++;
    ng_task_yield();
  }
  return 0;
}

static int runaway(void *p) {
  rec *r = p;
  r->target = SIZE_MAX;
  return ng_stack_call(recurse, r);
}

static void test_task_ceiling_isolated(void **state) {
  ng_task_opts small = {256 * 1024, 0};
  ng_sched *s;
  ng_task *bad, *good;
  counter c = {0};
  rec r;
  int res;
  (void)state;

  memset(&r, 0, sizeof r);
  assert_int_equal(ng_sched_new(&s, NULL), NG_OK);
  assert_int_equal(ng_task_spawn(s, &good, count_yield, &c, NULL), NG_OK);
  assert_int_equal(ng_task_spawn(s, &bad, runaway, &r, &small), NG_OK);
  assert_int_equal(ng_task_join(bad, &res), NG_OK);
  assert_int_equal(res, NG_ESTACK);
  assert_true(r.max_depth * 200 <= 256 * 1024);
  assert_true(r.max_depth * 256 > 256 * 1024 / 2);
  assert_int_equal(ng_task_join(good, &res), NG_OK);
  assert_int_equal(res, 0);
  assert_int_equal(c.n, 100);
  ng_sched_free(s);
}

/* Private stacks: locals may be shared while the owner is parked. */
typedef struct mailbox {
  int *slot;
  ng_task *owner;
} mailbox;

static int owner_task(void *p) {
  mailbox *m = p;
  int local = 11;
  m->slot = &local;
  m->owner = ng_task_self();
  ng_task_park();
  return local;
}

static int writer_task(void *p) {
  mailbox *m = p;
  *m->slot += 31;
  ng_task_wake(m->owner);
  return 0;
}

static void test_private_stack_locals(void **state) {
  ng_task_opts priv = {0, NG_TASK_PRIVATE};
  ng_sched *s;
  ng_task *a, *b;
  mailbox m = {NULL, NULL};
  int res;
  (void)state;
  assert_int_equal(ng_sched_new(&s, NULL), NG_OK);
  assert_int_equal(ng_task_spawn(s, &a, owner_task, &m, &priv), NG_OK);
  assert_int_equal(ng_task_spawn(s, &b, writer_task, &m, &priv), NG_OK);
  assert_int_equal(ng_task_join(a, &res), NG_OK);
  assert_int_equal(res, 42);
  assert_int_equal(ng_task_join(b, NULL), NG_OK);
  ng_sched_free(s);
}

/* A finished task never returns from its entry frame, and a destroyed one
 * abandons all of its frames: their pooled segments must come back clean
 * for the next stack placed there (under ASan: no stale redzones). Private
 * first segments are pooled in the class the recursion's growth takes. */
static int recurse_fill(void *p) {
  rec *r = p;
  volatile unsigned char pad[64];
  size_t k;
  int rc = 0;

  for (k = 0; k < sizeof pad; k++) /* every byte: a redzone anywhere hits */
    pad[k] = (unsigned char)(r->depth + k);
  if (r->depth > r->max_depth)
    r->max_depth = r->depth;
  if (r->depth < r->target) {
    r->depth++;
    rc = ng_stack_call(recurse_fill, r);
    r->depth--;
  }
  for (k = 0; k < sizeof pad; k++)
    if (pad[k] != (unsigned char)(r->depth + k))
      return -1;
  return rc;
}

static int deep_recurse(void *p) { return ng_stack_call(recurse, p); }
static int deep_fill(void *p) { return ng_stack_call(recurse_fill, p); }

static void test_pooled_segments_reused(void **state) {
  ng_task_opts priv = {0, NG_TASK_PRIVATE};
  ng_sched *s;
  ng_task *a[8], *b;
  ng_stack_stats st;
  rec r, parked;
  int i, res;
  (void)state;

  assert_int_equal(ng_sched_new(&s, NULL), NG_OK);
  memset(&parked, 0, sizeof parked);
  parked.target = 50;
  parked.park_at_bottom = 1;
  assert_int_equal(ng_task_spawn(s, &b, deep_recurse, &parked, &priv), NG_OK);
  for (i = 0; i < 8; i++)
    assert_int_equal(
        ng_task_spawn(s, &a[i], ret_arg, (void *)(intptr_t)i, &priv), NG_OK);
  for (i = 0; i < 8; i++) {
    assert_int_equal(ng_task_join(a[i], &res), NG_OK);
    assert_int_equal(res, i);
  }
  ng_sched_stats(s, &st);
  assert_true(st.segments_pooled >= 8);
  memset(&r, 0, sizeof r);
  r.target = 4000;
  assert_int_equal(ng_task_spawn(s, &a[0], deep_fill, &r, NULL), NG_OK);
  assert_int_equal(ng_task_join(a[0], &res), NG_OK);
  assert_int_equal(res, 0);
  assert_int_equal(r.max_depth, 4000);
  ng_sched_free(s); /* destroys the parked task, frames and all */
}

/* Tasks destroyed while suspended inside nested ng_stack_run calls, deep
 * on the runs' segments: ng_sched_free finds every run (their structs
 * live on the tasks' stacks, copied out for the task that shares a base)
 * and frees all of their segments, from each run's own allocator. */
typedef struct in_run {
  const ng_alloc *alc;
  rec r;
  int nest; /* runs still to open before recursing */
} in_run;

static int run_then_park(void *p) {
  in_run *x = p;
  ng_stack_opts o = {0, NULL, 0};

  o.alc = x->alc;
  if (x->nest-- > 0)
    return ng_stack_run(run_then_park, x, &o);
  return ng_stack_call(recurse, &x->r);
}

static void test_destroy_inside_runs(void **state) {
  ng_sched_opts so = {0};
  ng_failalloc fa, fs;
  ng_sched *s;
  ng_task *a[4];
  in_run x[4];
  ng_stack_stats st;
  int i;
  (void)state;

  ng_failalloc_init(&fa, 0); /* the runs' segments */
  ng_failalloc_init(&fs, 0); /* the scheduler's */
  so.alc = &fs.alc;
  so.shared_stacks = 1; /* a[0..2] share one base: copies */
  assert_int_equal(ng_sched_new(&s, &so), NG_OK);
  for (i = 0; i < 4; i++) {
    ng_task_opts to = {0, i == 3 ? NG_TASK_PRIVATE : 0};
    memset(&x[i], 0, sizeof x[i]);
    x[i].alc = &fa.alc;
    x[i].nest = 1 + i % 3;
    x[i].r.target = i == 0 ? 10 : 2000; /* a[0] parks on its base */
    x[i].r.park_at_bottom = 1;
    assert_int_equal(ng_task_spawn(s, &a[i], run_then_park, &x[i], &to), NG_OK);
  }
  assert_int_equal(ng_sched_run(s), NG_OK);
  for (i = 0; i < 4; i++)
    assert_int_equal(x[i].r.max_depth, x[i].r.target);
  assert_true(fa.live_blocks >= 3 * 4); /* segments held by the runs */
  ng_sched_free(s);
  assert_int_equal(fa.live_blocks, 0);
  assert_int_equal(fa.size_mismatch, 0);
  assert_int_equal(fs.live_blocks, 0);
  assert_int_equal(fs.size_mismatch, 0);
  ng_stack_thread_stats(&st);
  assert_int_equal(st.stack_inuse, 0); /* the runs' in-use bytes went too */
}

/* Shared stacks copy bytes out and back: many tasks on one stack, each
 * checking its own locals across switches (`rounds` suspensions). */
static int check_across(int id, int rounds, int (*suspend)(void)) {
  volatile int mine[16];
  int i, k;
  for (k = 0; k < 16; k++)
    mine[k] = id * 100 + k;
  for (i = 0; i < rounds; i++) {
    if (suspend() != NG_OK)
      return -2;
    for (k = 0; k < 16; k++)
      if (mine[k] != id * 100 + k)
        return -1;
  }
  return id;
}

static int checker(void *p) {
  return check_across((int)(intptr_t)p, 20, ng_task_yield);
}

static int park_checker(void *p) {
  return check_across((int)(intptr_t)p, 5, ng_task_park);
}

/* n (<= 50) checkers fn(i) on `shared` shared stacks, run by the
 * scheduler, then resumed in turn `rounds` times each (ng_task_resume,
 * which copies each one's bytes back before it runs). */
static void run_checkers(unsigned shared, int n, int (*fn)(void *),
                         int rounds) {
  ng_sched_opts o = {0};
  ng_sched *s;
  ng_task *a[50];
  ng_stack_stats st;
  int i, k, res;

  o.shared_stacks = shared;
  assert_int_equal(ng_sched_new(&s, &o), NG_OK);
  for (i = 0; i < n; i++)
    assert_int_equal(ng_task_spawn(s, &a[i], fn, (void *)(intptr_t)i, NULL),
                     NG_OK);
  assert_int_equal(ng_sched_run(s), NG_OK);
  for (k = 0; k < rounds; k++)
    for (i = 0; i < n; i++)
      assert_int_equal(ng_task_resume(a[i]), NG_OK);
  for (i = 0; i < n; i++) {
    assert_int_equal(ng_task_join(a[i], &res), NG_OK);
    assert_int_equal(res, i);
  }
  ng_sched_stats(s, &st);
  assert_true(st.copied_bytes > 0 || !shared_stacks());
  assert_int_equal(st.saved_bytes, 0);
  ng_sched_free(s);
}

static void test_shared_stack_copying(void **state) {
  (void)state;
  run_checkers(2, 50, checker, 0);
}

/* Tasks sharing one base stack, parked and resumed in turn. */
static void test_resume_shared_stack(void **state) {
  (void)state;
  run_checkers(1, 3, park_checker, 5);
}

/* Floating-point modes are per task. */
static int fp_up(void *p) {
  (void)p;
  fesetround(FE_UPWARD);
  ng_task_yield();
  return fegetround() == FE_UPWARD ? 0 : -1;
}

static int fp_near(void *p) {
  (void)p;
  return fegetround() == FE_TONEAREST ? 0 : -1;
}

static void test_fp_state_per_task(void **state) {
  ng_sched *s;
  ng_task *a, *b;
  int ra, rb;
  (void)state;
  assert_int_equal(ng_sched_new(&s, NULL), NG_OK);
  assert_int_equal(ng_task_spawn(s, &a, fp_up, NULL, NULL), NG_OK);
  assert_int_equal(ng_task_spawn(s, &b, fp_near, NULL, NULL), NG_OK);
  assert_int_equal(ng_sched_run(s), NG_OK);
  assert_int_equal(ng_task_join(a, &ra), NG_OK);
  assert_int_equal(ng_task_join(b, &rb), NG_OK);
  assert_int_equal(ra, 0);
  assert_int_equal(rb, 0);
  assert_int_equal(fegetround(), FE_TONEAREST);
  ng_sched_free(s);
}

/* A run inside a task parks inside; system calls from a task. */
static int run_body(void *p) {
  rec *r = p;
  return ng_stack_call(recurse, r);
}

static int big_frame(void *p) {
  volatile char buf[60000];
  size_t i;
  for (i = 0; i < sizeof buf; i += 512)
    buf[i] = 1;
  (void)p;
  return buf[512] - 1;
}

static int nested_task(void *p) {
  ng_stack_opts o = {8 << 20, NULL, 0};
  rec *r = p;
  int rc;
  r->target = 3000;
  r->park_at_bottom = 1;
  rc = ng_stack_run(run_body, r, &o);
  if (rc != 0)
    return rc;
  assert_int_equal(ng_task_yield(), NG_OK);
  return ng_stack_call_system(big_frame, NULL) + 3;
}

static void test_run_and_syscall_in_task(void **state) {
  ng_sched *s;
  ng_task *a;
  rec r;
  int res;
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(ng_sched_new(&s, NULL), NG_OK);
  assert_int_equal(ng_task_spawn(s, &a, nested_task, &r, NULL), NG_OK);
  assert_int_equal(ng_sched_run(s), NG_OK);
  assert_int_equal(r.max_depth, 3000);
  assert_int_equal(ng_task_wake(a), NG_OK);
  assert_int_equal(ng_task_join(a, &res), NG_OK);
  assert_int_equal(res, 3);
  ng_sched_free(s);
}

/* --------------------------------------------------------- budgets */

static int park_once(void *p) {
  (void)p;
  return ng_task_park();
}

static int spawner(void *p) {
  ng_sched *s = p;
  ng_task_opts wait = {0, NG_TASK_WAIT};
  int i;
  for (i = 0; i < 20; i++)
    if (ng_task_spawn(s, NULL, ret_arg, NULL, &wait) != NG_OK)
      return -1;
  return 0;
}

static void test_budgets(void **state) {
  ng_sched_opts o = {0};
  ng_task_opts priv = {0, NG_TASK_PRIVATE};
  ng_sched *s;
  ng_task *a[4], *sp;
  ng_stack_stats st;
  int i, res;
  (void)state;

  o.max_tasks = 4;
  assert_int_equal(ng_sched_new(&s, &o), NG_OK);
  for (i = 0; i < 3; i++)
    assert_int_equal(ng_task_spawn(s, &a[i], park_once, NULL, NULL), NG_OK);
  /* The 4th task spawns 20 more with WAIT: at most 4 live at a time. */
  assert_int_equal(ng_task_spawn(s, &sp, spawner, s, NULL), NG_OK);
  assert_int_equal(ng_task_spawn(s, NULL, ret_arg, NULL, NULL), NG_EBUSY);
  assert_int_equal(ng_sched_run(s), NG_OK);
  ng_sched_stats(s, &st);
  assert_true(st.tasks_peak <= 4);
  /* The spawner waits: the three parked tasks hold the budget. */
  for (i = 0; i < 3; i++)
    assert_int_equal(ng_task_wake(a[i]), NG_OK);
  for (i = 0; i < 3; i++)
    assert_int_equal(ng_task_join(a[i], &res), NG_OK);
  assert_int_equal(ng_task_join(sp, &res), NG_OK);
  assert_int_equal(res, 0);
  assert_int_equal(ng_sched_run(s), NG_OK);
  ng_sched_stats(s, &st);
  assert_int_equal(st.tasks_spawned, 24);
  assert_true(st.tasks_peak <= 4);
  assert_int_equal(st.tasks_live, 0);
  ng_sched_free(s);

  /* Stack-byte budget: private bases count; growth past it fails. */
  memset(&o, 0, sizeof o);
  o.max_stack_bytes = 64 * 1024;
  assert_int_equal(ng_sched_new(&s, &o), NG_OK);
  for (i = 0; i < 64; i++) {
    int rc = ng_task_spawn(s, NULL, park_once, NULL, &priv);
    if (rc != NG_OK) {
      assert_int_equal(rc, NG_EBUSY);
      break;
    }
  }
  assert_true(i >= 4 && i < 64);
  ng_sched_free(s);
}

static void test_budget_growth(void **state) {
  ng_sched_opts o = {0};
  ng_sched *s;
  ng_task *a;
  rec r;
  int res;
  (void)state;
  memset(&r, 0, sizeof r);
  o.max_stack_bytes = 512 * 1024;
  assert_int_equal(ng_sched_new(&s, &o), NG_OK);
  assert_int_equal(ng_task_spawn(s, &a, runaway, &r, NULL), NG_OK);
  assert_int_equal(ng_task_join(a, &res), NG_OK);
  assert_int_equal(res, NG_ESTACK);
  assert_true(r.max_depth * 200 <= 512 * 1024);
  ng_sched_free(s);
}

/* ------------------------------------------------- a million tasks */

static int park_then_exit(void *p) {
  (void)p;
  return ng_task_park();
}

/* Under TSan each task is a TSan fiber: gcc 12's runtime holds at most
 * 8,128 of them and takes milliseconds to create one (NG_TSAN, set by make
 * check-tsan). */
static void test_million_parked(void **state) {
  size_t n = getenv("NG_VALGRIND")    ? 20000
             : getenv("NG_TSAN")      ? 1000
             : getenv("NG_SANITIZED") ? 100000
             : !shared_stacks()       ? 100000
                                      : 1000000,
         i;
  ng_sched *s;
  ng_task **t;
  ng_stack_stats st;
  size_t rss0, rss1;
  double per;
  int res;
  (void)state;

  t = malloc(n * sizeof *t);
  assert_non_null(t);
  assert_int_equal(ng_sched_new(&s, NULL), NG_OK);
  rss0 = rss_now();
  for (i = 0; i < n; i++)
    assert_int_equal(ng_task_spawn(s, &t[i], park_then_exit, NULL, NULL),
                     NG_OK);
  assert_int_equal(ng_sched_run(s), NG_OK);
  rss1 = rss_now();
  ng_sched_stats(s, &st);
  assert_int_equal(st.tasks_live, n);
  assert_int_equal(st.tasks_parked, n);
  per = (double)(rss1 - rss0) / (double)n;
  print_message("      %zu parked tasks: %.0f bytes each (RSS delta)\n", n,
                per);
  if (!slow_env() && shared_stacks())
    assert_true(per <= 1024.0);
  for (i = 0; i < n; i++)
    assert_int_equal(ng_task_wake(t[i]), NG_OK);
  assert_int_equal(ng_sched_run(s), NG_OK);
  for (i = 0; i < n; i++) {
    assert_int_equal(ng_task_join(t[i], &res), NG_OK);
    assert_int_equal(res, 0);
  }
  ng_sched_stats(s, &st);
  assert_int_equal(st.tasks_live, 0);
  assert_int_equal(st.saved_bytes, 0);
  ng_sched_free(s);
  free(t);
}

/* ------------------------------------------ tasks on two threads */

/*
 * Two threads, each with its own scheduler and XT_TASKS tasks (more than
 * the 4 shared stacks, so bases are copied out and in), pass XT_MSGS
 * messages each way through a mutex-guarded box. A message is composed in
 * a local array, across a yield, and filled into the box outside the lock
 * (the claim under the lock makes it the task's own); tasks grow onto
 * segments now and then, and count their switches in a variable of their
 * thread that only the switches order. Under ThreadSanitizer (make
 * check-tsan) this checks that every task switch is announced to it (each
 * task its own call stack, a switch ordering the tasks of a thread) and
 * that tasks synchronise across threads like threads do.
 */
#define XT_TASKS 6
#define XT_MSGS 100
#define XT_LEN 256

enum { XT_FREE, XT_FILLING, XT_FULL, XT_READING };

typedef struct xt_box {
  int state;                   /* XT_*, under mu */
  size_t seq;                  /* message number, with the bytes */
  unsigned char bytes[XT_LEN]; /* owned by whoever moved state last */
} xt_box;

typedef struct xt_shared {
  pthread_mutex_t mu;
  xt_box box[2];      /* box[i]: messages to thread i */
  size_t next_seq[2]; /* messages thread i has claimed to send */
  size_t received[2]; /* messages thread i has read */
  size_t sent[2];     /* messages thread i has published */
} xt_shared;

typedef struct xt_thread {
  xt_shared *sh;
  int id;        /* 0 or 1 */
  size_t rounds; /* loop turns of its tasks: no lock, the switches order */
  size_t summed; /* the tasks' own counts of the same, added at exit */
  int bad;       /* a message arrived damaged or out of order */
  int rc;        /* 0: the thread's scheduler and tasks did their part */
} xt_thread;

static unsigned char xt_byte(int from, size_t seq, size_t k) {
  return (unsigned char)(seq * 7 + k + (size_t)from * 101);
}

static int xt_done(xt_thread *x) {
  xt_shared *sh = x->sh;
  int done;
  pthread_mutex_lock(&sh->mu);
  done = sh->received[x->id] >= XT_MSGS && sh->sent[x->id] >= XT_MSGS;
  pthread_mutex_unlock(&sh->mu);
  return done;
}

/* Hands box b on in state st, counting it in *n, under the lock. */
static void xt_hand_on(xt_shared *sh, xt_box *b, int st, size_t *n) {
  pthread_mutex_lock(&sh->mu);
  b->state = st;
  (*n)++;
  pthread_mutex_unlock(&sh->mu);
}

/* Sends one message to the other thread if its box is free. */
static int xt_send(xt_thread *x) {
  xt_shared *sh = x->sh;
  xt_box *b = &sh->box[!x->id];
  unsigned char local[XT_LEN];
  size_t seq = 0, k;
  int mine = 0;

  pthread_mutex_lock(&sh->mu);
  if (b->state == XT_FREE && sh->next_seq[x->id] < XT_MSGS) {
    b->state = XT_FILLING;
    seq = sh->next_seq[x->id]++;
    mine = 1;
  }
  pthread_mutex_unlock(&sh->mu);
  if (!mine)
    return 0;
  for (k = 0; k < XT_LEN; k++) /* on this task's (shared) base stack */
    local[k] = xt_byte(x->id, seq, k);
  ng_task_yield(); /* other tasks may take the base: local is copied out */
  memcpy(b->bytes, local, XT_LEN);
  b->seq = seq;
  xt_hand_on(sh, b, XT_FULL, &sh->sent[x->id]);
  return 1;
}

/* Reads the message in this thread's box, if there is one. */
static int xt_receive(xt_thread *x) {
  xt_shared *sh = x->sh;
  xt_box *b = &sh->box[x->id];
  size_t k, want;
  int mine = 0;

  pthread_mutex_lock(&sh->mu);
  if (b->state == XT_FULL) {
    b->state = XT_READING;
    mine = 1;
  }
  want = sh->received[x->id];
  pthread_mutex_unlock(&sh->mu);
  if (!mine)
    return 0;
  if (b->seq != want)
    x->bad = 1;
  for (k = 0; k < XT_LEN; k++)
    if (b->bytes[k] != xt_byte(!x->id, b->seq, k))
      x->bad = 1;
  xt_hand_on(sh, b, XT_FREE, &sh->received[x->id]);
  return 1;
}

static int xt_task(void *p) {
  xt_thread *x = p;
  size_t mine = 0;
  rec r;
  int rc;

  while (!xt_done(x)) {
    int moved = xt_send(x) | xt_receive(x);
    x->rounds++;
    mine++;
    if (mine % 8 == 0) { /* ~50 KB: onto segments and back */
      memset(&r, 0, sizeof r);
      r.target = 200;
      rc = ng_stack_call(recurse, &r);
      if (rc != 0 || r.max_depth != 200)
        return -1;
    }
    if (!moved && mine % 16 == 0)
      sched_yield(); /* waiting for the other thread */
    rc = ng_task_yield();
    if (rc != NG_OK)
      return rc;
  }
  x->summed += mine;
  return 0;
}

static void *xt_thread_main(void *p) {
  xt_thread *x = p;
  ng_task *t[XT_TASKS];
  ng_sched *s;
  int i, n = 0, res, rc;

  x->rc = -1;
  if (ng_sched_new(&s, NULL) != NG_OK)
    return NULL;
  for (; n < XT_TASKS; n++)
    if (ng_task_spawn(s, &t[n], xt_task, x, NULL) != NG_OK)
      break;
  rc = n == XT_TASKS ? ng_sched_run(s) : NG_EINVAL;
  for (i = 0; i < n; i++)
    if (ng_task_join(t[i], &res) != NG_OK || res != 0)
      rc = -1;
  ng_sched_free(s);
  if (rc == NG_OK)
    x->rc = 0;
  return NULL;
}

static void test_tasks_on_two_threads(void **state) {
  xt_shared sh;
  xt_thread x[2];
  pthread_t th[2];
  int i;
  (void)state;

  memset(&sh, 0, sizeof sh);
  assert_int_equal(pthread_mutex_init(&sh.mu, NULL), 0);
  memset(x, 0, sizeof x);
  for (i = 0; i < 2; i++) {
    x[i].sh = &sh;
    x[i].id = i;
    assert_int_equal(pthread_create(&th[i], NULL, xt_thread_main, &x[i]), 0);
  }
  for (i = 0; i < 2; i++)
    assert_int_equal(pthread_join(th[i], NULL), 0);
  for (i = 0; i < 2; i++) {
    assert_int_equal(x[i].rc, 0);
    assert_false(x[i].bad);
    assert_int_equal(sh.received[i], XT_MSGS);
    assert_int_equal(sh.sent[i], XT_MSGS);
    assert_int_equal(x[i].rounds, x[i].summed);
    assert_true(x[i].rounds >= XT_MSGS);
  }
  pthread_mutex_destroy(&sh.mu);
}

/* ---------------------------------------------------------- signals */

static volatile uintptr_t handler_addr;
static volatile int handler_hits;

static void on_usr1(int sig) {
  char here;
  (void)sig;
  handler_addr = (uintptr_t)&here;
  handler_hits++;
}

static int signal_at_bottom(void *p) {
  (void)p;
  return pthread_kill(pthread_self(), SIGUSR1);
}

typedef struct sig_rec {
  rec r;
} sig_rec;

static int sig_recurse(void *p) {
  rec *r = p;
  volatile char pad[200];
  int rc;
  pad[0] = 0;
  if (r->depth == r->target)
    return ng_stack_call_system(signal_at_bottom, NULL) == 0 ? 0 : -1;
  r->depth++;
  rc = ng_stack_call(sig_recurse, r);
  r->depth--;
  return rc + pad[0];
}

static int sig_task(void *p) { return ng_stack_call(sig_recurse, p); }

static void test_signals_on_altstack(void **state) {
  struct sigaction sa, old;
  stack_t ss, ss2, before;
  ng_sched *s;
  ng_task *a;
  rec r;
  int res, signo = 0;
  (void)state;

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; /* without SA_ONSTACK: the check must object */
  assert_int_equal(sigaction(SIGUSR1, &sa, &old), 0);
  assert_int_equal(ng_stack_signal_check(NULL), NG_EINVAL);
  signo = SIGUSR1;
  assert_int_equal(ng_stack_signal_check(&signo), NG_EINVAL);
  assert_int_equal(signo, SIGUSR1);
  sa.sa_flags = SA_ONSTACK;
  assert_int_equal(sigaction(SIGUSR1, &sa, NULL), 0);
  assert_int_equal(ng_stack_signal_check(&signo), NG_OK);

  /* ASan installs its own alternate stack; the runtime keeps any. */
  assert_int_equal(sigaltstack(NULL, &before), 0);
  assert_int_equal(ng_sched_new(&s, NULL), NG_OK);
  assert_int_equal(sigaltstack(NULL, &ss), 0);
  assert_false(ss.ss_flags & SS_DISABLE);
  if (!(before.ss_flags & SS_DISABLE))
    assert_ptr_equal(ss.ss_sp, before.ss_sp);
  memset(&r, 0, sizeof r);
  r.target = 100; /* on a small segment */
  assert_int_equal(ng_task_spawn(s, &a, sig_task, &r, NULL), NG_OK);
  assert_int_equal(ng_task_join(a, &res), NG_OK);
  assert_int_equal(res, 0);
  assert_int_equal(handler_hits, 1);
  assert_true(handler_addr >= (uintptr_t)ss.ss_sp &&
              handler_addr < (uintptr_t)ss.ss_sp + ss.ss_size);
  ng_sched_free(s);
  /* The thread keeps its alternate stack until it exits. */
  assert_int_equal(sigaltstack(NULL, &ss2), 0);
  assert_false(ss2.ss_flags & SS_DISABLE);
  assert_ptr_equal(ss2.ss_sp, ss.ss_sp);
  sigaction(SIGUSR1, &old, NULL);
}

/* ------------------------------------------------------------- pool */

typedef struct job_arg {
  rec r;
  int ret;
  int *done;
} job_arg;

static int pool_job(void *p) {
  job_arg *j = p;
  int rc = ng_stack_call(recurse, &j->r);
  (*j->done)++;
  return rc != 0 ? rc : j->ret;
}

static int pool_in_task(void *p) {
  ng_pool *pool = p;
  static job_arg more[10];
  static int done;
  int i;
  for (i = 0; i < 10; i++) {
    memset(&more[i], 0, sizeof more[i]);
    more[i].r.target = 100;
    more[i].done = &done;
    if (ng_pool_submit(pool, pool_job, &more[i]) != NG_OK)
      return -1;
  }
  if (ng_pool_wait(pool) != NG_OK)
    return -2;
  return done;
}

static void test_pool(void **state) {
  ng_sched *s;
  ng_pool *pool;
  ng_task *a;
  static job_arg jobs[100];
  ng_stack_stats st;
  int i, done = 0, res;
  (void)state;

  assert_int_equal(ng_sched_new(&s, NULL), NG_OK);
  assert_int_equal(ng_pool_new(&pool, s, 0, NULL), NG_EINVAL);
  assert_int_equal(ng_pool_new(&pool, s, 4, NULL), NG_OK);
  for (i = 0; i < 100; i++) {
    memset(&jobs[i], 0, sizeof jobs[i]);
    jobs[i].r.target = 2000; /* grows past the base in every worker */
    jobs[i].ret = i == 37 ? 7 : 0;
    jobs[i].done = &done;
    assert_int_equal(ng_pool_submit(pool, pool_job, &jobs[i]), NG_OK);
  }
  assert_int_equal(ng_pool_wait(pool), 7); /* the first failure */
  assert_int_equal(done, 100);
  assert_int_equal(ng_pool_wait(pool), NG_OK); /* reported once */
  ng_sched_stats(s, &st);
  assert_int_equal(st.tasks_live, 4); /* memory bounded by workers */
  /* Submitting and waiting from a task. */
  assert_int_equal(ng_task_spawn(s, &a, pool_in_task, pool, NULL), NG_OK);
  assert_int_equal(ng_task_join(a, &res), NG_OK);
  assert_int_equal(res, 10);
  ng_pool_free(pool);
  ng_sched_stats(s, &st);
  assert_int_equal(st.tasks_live, 0);
  ng_sched_free(s);
}

/* ------------------------------------------------ allocation failure */

static int grow_and_park(void *p) {
  rec r;
  int rc;
  memset(&r, 0, sizeof r);
  r.target = 1500;
  rc = ng_stack_call(recurse, &r);
  if (rc != 0)
    return rc;
  rc = ng_task_park();
  if (rc != 0)
    return rc;
  r.target = 1500;
  r.park_at_bottom = 0;
  return ng_stack_call(recurse, &r) + (int)(intptr_t)p;
}

static int ret0(void *p) {
  (void)p;
  return 0;
}

static int pool_op(ng_sched *s) {
  ng_pool *pool;
  int i, rc;
  rc = ng_pool_new(&pool, s, 2, NULL);
  if (rc != NG_OK)
    return rc;
  for (i = 0; i < 100 && rc == NG_OK; i++) /* the ring grows once */
    rc = ng_pool_submit(pool, ret0, NULL);
  if (rc == NG_OK)
    rc = ng_pool_wait(pool);
  ng_pool_free(pool);
  return rc;
}

static int sched_op(void *arg, const ng_alloc *alc) {
  ng_sched_opts o = {0};
  ng_sched *s;
  ng_task *a[3];
  int i, rc, res, n = 0, failed = 0;
  (void)arg;

  o.alc = alc;
  o.shared_stacks = 1;
  o.no_sigaltstack = 1;
  rc = ng_sched_new(&s, &o);
  if (rc != NG_OK)
    return rc;
  for (i = 0; i < 3; i++) {
    rc = ng_task_spawn(s, &a[i], grow_and_park, NULL, NULL);
    if (rc != NG_OK) {
      failed = 1;
      break;
    }
    n++;
  }
  if (ng_sched_run(s) != NG_OK)
    failed = 1;
  for (i = 0; i < n; i++) /* evicts the last one to run */
    if (ng_task_resume(a[i]) != NG_OK)
      failed = 1;
  if (ng_sched_run(s) != NG_OK)
    failed = 1;
  for (i = 0; i < n; i++) {
    rc = ng_task_join(a[i], &res);
    if (rc != NG_OK || res != 0)
      failed = 1;
  }
  if (pool_op(s) != NG_OK)
    failed = 1;
  ng_sched_free(s);
  return failed ? NG_ENOMEM : NG_OK;
}

static void test_failalloc_tasks(void **state) {
  long runs;
  (void)state;
  runs = ng_failalloc_sweep(sched_op, NULL, 400);
  assert_true(runs >= 10);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_spawn_join),
      cmocka_unit_test(test_yield_alternates),
      cmocka_unit_test(test_park_wake),
      cmocka_unit_test(test_park_cancel),
      cmocka_unit_test(test_resume),
      cmocka_unit_test(test_resume_shared_stack),
      cmocka_unit_test(test_join_in_task),
      cmocka_unit_test(test_task_growth),
      cmocka_unit_test(test_task_ceiling_isolated),
      cmocka_unit_test(test_private_stack_locals),
      cmocka_unit_test(test_pooled_segments_reused),
      cmocka_unit_test(test_destroy_inside_runs),
      cmocka_unit_test(test_shared_stack_copying),
      cmocka_unit_test(test_fp_state_per_task),
      cmocka_unit_test(test_run_and_syscall_in_task),
      cmocka_unit_test(test_budgets),
      cmocka_unit_test(test_budget_growth),
      cmocka_unit_test(test_million_parked),
      cmocka_unit_test(test_tasks_on_two_threads),
      cmocka_unit_test(test_signals_on_altstack),
      cmocka_unit_test(test_pool),
      cmocka_unit_test(test_failalloc_tasks),
  };
  return cmocka_run_group_tests_name("task", tests, NULL, NULL);
}
