/*
 * tests/test_stack_contracts.c - what the runtime promises to code it does
 * not control: signal handlers and user code called from inside a parse.
 *
 *   signals   a timer fires every 50 us at the parsing thread while the
 *             recursive engine (and a plain ng_stack_run recursion) runs
 *             1e6 levels deep on segments, with handlers installed with
 *             and without SA_ONSTACK, with and without a scheduler, each
 *             on a fresh thread (no alternate stack yet). Before the fix a
 *             signal frame landed below a 4 KiB segment in the heap.
 *   policy    ng_stack_set_signal_policy and ng_stack_signal_check.
 *   budget    event callbacks and allocator hooks that use the whole user
 *             stack budget (NG_STACK_USER_BUDGET or a thread stack's
 *             eighth, or ng_limits.user_stack) in every engine at depth
 *             1e6, on the main thread and on a 2 MiB thread; past the
 *             budget, a fault on the guard page (SIGSEGV in a child).
 *
 * NG_VALGRIND=1 scales the depth to 1e5, NG_TSAN=1 to 5e4 (TSan's call
 * stack limit); the signal storms then run on a 2 MiB thread, which they
 * still leave for segments.
 */
#define _GNU_SOURCE /* SIGEV_THREAD_ID, gettid, sigaltstack */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nestguard.h"
#include "nestguard/json.h"
#include "support/testenv.h"


/* ThreadSanitizer: at most 65,535 frames deep, and it runs handlers itself
 * at its own points, on whatever stack is running. */

/* Slow tools want less; they then run on small threads (see callers). */
static int small(void) { return ng_test_valgrind() || ng_test_tsan(); }

static size_t deep(void) {
  return ng_test_tsan() ? 50000 : ng_test_valgrind() ? 100000 : 1000000;
}

/* "[[[...[1]...]]]" n deep. */
static char *nested(size_t n, size_t *len) {
  char *d = malloc(2 * n + 1);
  assert_non_null(d);
  memset(d, '[', n);
  d[n] = '1';
  memset(d + n + 1, ']', n);
  *len = 2 * n + 1;
  return d;
}

/* Runs fn(arg) on a new thread with a stack of `size` bytes; joins it. */
static void on_thread(void *(*fn)(void *), void *arg, size_t size) {
  pthread_attr_t at;
  pthread_t th;

  assert_int_equal(pthread_attr_init(&at), 0);
  assert_int_equal(pthread_attr_setstacksize(&at, size), 0);
  assert_int_equal(pthread_create(&th, &at, fn, arg), 0);
  assert_int_equal(pthread_join(th, NULL), 0);
  pthread_attr_destroy(&at);
}

/* ------------------------------------------------------------ signals */

static volatile sig_atomic_t hits, hits_on_alt;

/* Uses a little stack, as real handlers (profilers) do. */
static void on_prof(int sig) {
  volatile char pad[512];
  stack_t ss;

  pad[0] = (char)sig;
  pad[511] = pad[0];
  hits++;
  if (sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_ONSTACK))
    hits_on_alt++;
}

typedef struct storm {
  int onstack;     /* install the handler with SA_ONSTACK */
  int with_sched;  /* parse inside a task of a scheduler */
  int plain_run;   /* an ng_stack_run recursion instead of a parse */
  int rc;          /* the parse's or run's result */
  int flags_after; /* the handler's sa_flags after the run */
  int hits;        /* signals handled during the run */
  int alt_hits;    /* of which on the alternate stack */
} storm;

typedef struct rec {
  size_t depth, target;
} rec;

static int recurse(void *p) {
  rec *r = p;
  volatile char pad[200];
  int rc;

  pad[0] = 1;
  if (r->depth == r->target)
    return 0;
  r->depth++;
  rc = ng_stack_call(recurse, r);
  return rc + pad[0] - 1;
}

static int storm_work(void *p) {
  storm *s = p;
  ng_json_options o;
  ng_json_doc *doc = NULL;
  size_t len;
  char *d;
  int rc;

  if (s->plain_run) {
    /* ~250 B a level: 60 MB deep (6 MB under valgrind, repeated until
     * enough signals came). */
    int i;
    for (rc = NG_OK, i = 0; rc == NG_OK && i < 100 && hits < 20; i++) {
      rec r = {0, deep() / 4};
      rc = ng_stack_run(recurse, &r, NULL);
    }
    return rc;
  }
  d = nested(deep(), &len);
  ng_json_options_default(&o);
  o.engine = NG_JSON_RECURSIVE;
  o.limits.max_depth = 0;
  rc = ng_json_parse(d, len, &o, &doc, NULL);
  if (rc == NG_OK && ng_json_first(ng_json_doc_root(doc)) == NULL)
    rc = -1;
  ng_json_doc_free(doc);
  free(d);
  return rc;
}

/* A timer sending SIGPROF to the calling thread every 50 us. */
static timer_t storm_timer(void) {
  struct sigevent se;
  struct itimerspec its;
  timer_t tm;

  memset(&se, 0, sizeof se);
  se.sigev_notify = SIGEV_THREAD_ID;
  se.sigev_signo = SIGPROF;
  se._sigev_un._tid = (pid_t)syscall(SYS_gettid);
  assert_int_equal(timer_create(CLOCK_MONOTONIC, &se, &tm), 0);
  memset(&its, 0, sizeof its);
  its.it_interval.tv_nsec = 50000;
  its.it_value.tv_nsec = 50000;
  assert_int_equal(timer_settime(tm, 0, &its, NULL), 0);
  return tm;
}

static void *storm_thread(void *p) {
  storm *s = p;
  struct sigaction sa, old;
  ng_sched *sch = NULL;
  ng_task *t;
  timer_t tm;
  int res = -1;

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_prof;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART | (s->onstack ? SA_ONSTACK : 0);
  sigaction(SIGPROF, &sa, &old);
  /* Handler passes run at most every 10 ms; setting the policy makes the
   * next growth run one whatever the previous case did. */
  ng_stack_set_signal_policy(NG_SIGNAL_ALTSTACK | NG_SIGNAL_ONSTACK);
  hits = hits_on_alt = 0;
  tm = storm_timer();
  if (s->with_sched && ng_sched_new(&sch, NULL) == NG_OK &&
      ng_task_spawn(sch, &t, storm_work, s, NULL) == NG_OK &&
      ng_task_join(t, &res) == NG_OK)
    s->rc = res;
  else if (!s->with_sched)
    s->rc = storm_work(s);
  else
    s->rc = -2;
  timer_delete(tm);
  s->hits = hits;
  s->alt_hits = hits_on_alt;
  ng_sched_free(sch);
  sigaction(SIGPROF, &old, &sa);
  s->flags_after = sa.sa_flags;
  return NULL;
}

static void storm_case(int onstack, int with_sched, int plain_run) {
  storm s;

  memset(&s, 0, sizeof s);
  s.onstack = onstack;
  s.with_sched = with_sched;
  s.plain_run = plain_run;
  /* Scaled down, a 1 MiB thread still leaves its stack (100,000 levels
   * of 16 bytes under valgrind). */
  on_thread(storm_thread, &s, (size_t)(small() ? 1 : 8) << 20);
  assert_int_equal(s.rc, NG_OK);
  /* The storm really happened and, once the thread had left its stack,
   * reached handlers on the alternate stack (valgrind and TSan deliver
   * signals at their own points, and fewer). */
  assert_true(s.hits >= (small() ? 1 : 20));
  if (!small())
    assert_true(s.alt_hits > 0);
  /* The default policy added SA_ONSTACK to the handler. */
  assert_true(s.flags_after & SA_ONSTACK);
}

static void test_storm_parse_onstack(void **state) {
  (void)state;
  storm_case(1, 0, 0);
}

static void test_storm_parse_no_onstack(void **state) {
  (void)state;
  storm_case(0, 0, 0);
}

static void test_storm_parse_in_task(void **state) {
  (void)state;
  storm_case(0, 1, 0);
  storm_case(1, 1, 0);
}

static void test_storm_stack_run(void **state) {
  (void)state;
  storm_case(0, 0, 1);
  storm_case(1, 1, 1);
}

/* ------------------------------------------------------------- policy */

static void *policy_thread(void *p) {
  int *rc = p;
  stack_t small, cur, saved, off = {NULL, SS_DISABLE, 0};
  void *mem;

  /* Fresh thread, no alternate stack (a sanitizer's is set aside): fine
   * while the runtime will add one, unsafe when the policy says it will
   * not. */
  sigaltstack(&off, &saved);
  rc[0] = ng_stack_signal_check(NULL);
  ng_stack_set_signal_policy(NG_SIGNAL_ONSTACK);
  rc[1] = ng_stack_signal_check(NULL);
  ng_stack_set_signal_policy(NG_SIGNAL_ALTSTACK | NG_SIGNAL_ONSTACK);
  /* The program's own alternate stack, too small for a signal frame plus
   * a handler: reported, and never replaced by the runtime. */
  mem = malloc(4096);
  small.ss_sp = mem;
  small.ss_size = 4096;
  small.ss_flags = 0;
  rc[2] = sigaltstack(&small, NULL);
  rc[3] = ng_stack_signal_check(NULL);
  {
    rec r = {0, 60000}; /* leaves the thread stack: prepares signals */
    rc[4] = ng_stack_run(recurse, &r, NULL);
  }
  rc[5] = sigaltstack(NULL, &cur) == 0 && cur.ss_sp == mem;
  sigaltstack(&saved, NULL);
  free(mem);
  return NULL;
}

static void test_signal_policy_and_check(void **state) {
  struct sigaction sa, old;
  int rc[6], signo = 0;
  unsigned prev;
  (void)state;

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_prof;
  sigemptyset(&sa.sa_mask);
  assert_int_equal(sigaction(SIGPROF, &sa, &old), 0);
  /* cmocka's own handlers (SIGSEGV...) lack SA_ONSTACK too: ask for ours. */
  signo = SIGPROF;
  assert_int_equal(ng_stack_signal_check(&signo), NG_EINVAL);
  assert_int_equal(signo, SIGPROF);

  /* Policy without ONSTACK: a growth leaves the handler as it is. */
  prev = ng_stack_set_signal_policy(NG_SIGNAL_ALTSTACK);
  assert_int_equal(prev, NG_SIGNAL_ALTSTACK | NG_SIGNAL_ONSTACK);
  {
    rec r = {0, 60000};
    assert_int_equal(ng_stack_run(recurse, &r, NULL), NG_OK);
  }
  assert_int_equal(sigaction(SIGPROF, NULL, &sa), 0);
  assert_false(sa.sa_flags & SA_ONSTACK);
  /* Default policy: the next run's first growth adds it. */
  ng_stack_set_signal_policy(prev);
  {
    rec r = {0, 60000};
    assert_int_equal(ng_stack_run(recurse, &r, NULL), NG_OK);
  }
  assert_int_equal(sigaction(SIGPROF, NULL, &sa), 0);
  assert_true(sa.sa_flags & SA_ONSTACK);
  signo = SIGPROF;
  assert_int_equal(ng_stack_signal_check(&signo), NG_OK);
  sigaction(SIGPROF, &old, NULL);

  on_thread(policy_thread, rc, (size_t)8 << 20);
  assert_int_equal(rc[0], NG_OK);
  assert_int_equal(rc[1], NG_ESTATE);
  assert_int_equal(rc[2], 0);
  assert_int_equal(rc[3], NG_ENOTSUP);
  assert_int_equal(rc[4], NG_OK);
  assert_true(rc[5]);
}

/* ------------------------------------------------------------- budget */

static volatile unsigned long burnt;

/* Uses n bytes of stack below the caller and writes every page of it. */
static __attribute__((noinline)) void burn(size_t n) {
  volatile char *b = __builtin_alloca(n);
  size_t i;

  for (i = 0; i < n; i += 1024)
    b[i] = (char)i;
  b[n - 1] = 1;
  burnt += (unsigned long)b[n / 2] + b[n - 1];
}

typedef struct budget {
  size_t use;       /* bytes each burning call uses */
  size_t calls;     /* callbacks so far */
  size_t every;     /* start/end events between burns */
  size_t burns;     /* burning calls made */
  ng_alloc alc;     /* burning allocator */
  size_t live;      /* its live blocks */
} budget;

/* Burns at the deepest point (the scalar) and at every (depth/2)-th start
 * or end event: at the halfway depth going down, at the bottom of a
 * container's end, and on the way back up. */
static int b_plain(void *ud) {
  budget *b = ud;
  if (++b->calls % b->every == 0) {
    burn(b->use);
    b->burns++;
  }
  return 0;
}

static int b_scalar(void *ud, const ng_json_value *v) {
  budget *b = ud;
  (void)v;
  burn(b->use);
  b->burns++;
  return 0;
}

static void *b_malloc(void *ctx, size_t size) {
  budget *b = ctx;
  burn(b->use);
  b->burns++;
  b->live++;
  return malloc(size);
}

static void *b_realloc(void *ctx, void *p, size_t old, size_t size) {
  budget *b = ctx;
  (void)old;
  burn(b->use);
  b->burns++;
  return realloc(p, size);
}

static void b_free(void *ctx, void *p, size_t size) {
  budget *b = ctx;
  (void)size;
  b->live--;
  free(p);
}

typedef struct budget_case {
  size_t use;        /* stack each call of user code uses */
  size_t user_stack; /* ng_limits.user_stack */
  int failures;      /* engines that did not parse */
} budget_case;

/* Every engine, DOM (allocator burns) and events (callbacks burn). */
static void *budget_thread(void *p) {
  budget_case *c = p;
  ng_json_options o;
  ng_json_events ev;
  ng_json_doc *doc;
  budget b;
  size_t len;
  char *d = nested(deep(), &len);
  int e;

  for (e = 0; e < NG_JSON_ENGINE_COUNT; e++) {
    memset(&b, 0, sizeof b);
    b.use = c->use;
    b.every = deep() / 2;
    b.alc.malloc = b_malloc;
    b.alc.realloc = b_realloc;
    b.alc.free = b_free;
    b.alc.ctx = &b;
    ng_json_options_default(&o);
    o.engine = (ng_json_engine)e;
    o.limits.max_depth = 0;
    o.limits.user_stack = c->user_stack;
    o.alc = &b.alc;
    doc = NULL;
    if (ng_json_parse(d, len, &o, &doc, NULL) != NG_OK || b.burns == 0)
      c->failures++;
    ng_json_doc_free(doc);
    if (b.live != 0)
      c->failures++;
    memset(&ev, 0, sizeof ev);
    ev.start_array = ev.end_array = b_plain;
    ev.scalar = b_scalar;
    ev.ud = &b;
    b.burns = 0;
    o.alc = NULL;
    if (ng_json_parse_events(d, len, &o, &ev, NULL) != NG_OK || b.burns < 2)
      c->failures++;
  }
  free(d);
  return NULL;
}

/* The whole default budget less what the test's own frames take. */
static void test_budget_main_thread(void **state) {
  budget_case c = {NG_STACK_USER_BUDGET - 16 * 1024, 0, 0};
  (void)state;
  budget_thread(&c);
  assert_int_equal(c.failures, 0);
}

/* A 2 MiB thread: an eighth of it, 256 KiB. */
static void test_budget_small_thread(void **state) {
  budget_case c = {((size_t)2 << 20) / 8 - 16 * 1024, 0, 0};
  (void)state;
  on_thread(budget_thread, &c, (size_t)2 << 20);
  assert_int_equal(c.failures, 0);
}

/* ng_limits.user_stack raises it for one parse: 3 MiB on an 8 MiB
 * thread, used almost whole (the recursive engine leaves its thread
 * stack 3 MiB early). */
static void test_budget_per_parse(void **state) {
  /* valgrind takes a stack pointer move of 2 MB or more for a switch to
   * another stack: ask it for 1.5 MiB. */
  size_t want = ng_test_valgrind() ? (size_t)3 << 19 : (size_t)3 << 20;
  budget_case c = {want - 16 * 1024, want, 0};
  (void)state;
  on_thread(budget_thread, &c, (size_t)8 << 20);
  assert_int_equal(c.failures, 0);
}

/* A scalar callback that needs three times the budget. */
static int b_overflow(void *ud, const ng_json_value *v) {
  (void)ud;
  (void)v;
  burn(3 * NG_STACK_USER_BUDGET);
  return 0;
}

/*
 * Past the budget, user code meets the thread stack's guard page: the
 * process dies of SIGSEGV (what a C program overflowing its stack gets)
 * rather than overwriting segments or the heap. Run in a child, deep in
 * the recursive engine, where the callback runs on the system stack.
 */
static void test_budget_overflow_faults(void **state) {
  ng_json_events ev;
  ng_json_options o;
  size_t len;
  char *d;
  pid_t pid;
  int st;
  (void)state;

  if (small() || ng_test_sanitized())
    skip(); /* the tools report the overflow their own way */
  d = nested(deep(), &len);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    signal(SIGSEGV, SIG_DFL); /* not cmocka's handler: die of it */
    memset(&ev, 0, sizeof ev);
    ev.scalar = b_overflow;
    ng_json_options_default(&o);
    o.engine = NG_JSON_RECURSIVE;
    o.limits.max_depth = 0;
    ng_json_parse_events(d, len, &o, &ev, NULL);
    _exit(0); /* not reached */
  }
  free(d);
  assert_int_equal(waitpid(pid, &st, 0), pid);
  assert_true(WIFSIGNALED(st));
  assert_int_equal(WTERMSIG(st), SIGSEGV);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_storm_parse_onstack),
      cmocka_unit_test(test_storm_parse_no_onstack),
      cmocka_unit_test(test_storm_parse_in_task),
      cmocka_unit_test(test_storm_stack_run),
      cmocka_unit_test(test_signal_policy_and_check),
      cmocka_unit_test(test_budget_main_thread),
      cmocka_unit_test(test_budget_small_thread),
      cmocka_unit_test(test_budget_per_parse),
      cmocka_unit_test(test_budget_overflow_faults),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
