/*
 * tests/test_stack.c - growable stacks: ng_stack_run, ng_stack_call,
 * ng_stack_check, the ceiling, growth, shrink, hot split, system calls.
 *
 * Growth is exercised on a helper thread with a small stack, so that the
 * base runs out after a few KiB and the segments do the work; the same
 * scenarios on the main thread would first use up its 8 MiB.
 */
#define _GNU_SOURCE /* pthread_getattr_np */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "nestguard.h"
#include "support/failalloc.h"
#include "support/testenv.h"

#define FRAME_PAD 200 /* with call overhead, about 256 bytes a frame */

static int slow_env(void) {
  return ng_test_valgrind() || ng_test_sanitized();
}

/* ThreadSanitizer follows at most 65,535 frames of one call stack (its
 * stack depot's limit; deeper, it crashes): under NG_TSAN (make check-tsan)
 * recursions stay at 50,000 frames or fewer. */
static int tsan_env(void) { return ng_test_tsan(); }

/* ------------------------------------------------------------ helpers */

typedef struct rec {
  size_t depth;             /* current depth */
  size_t max_depth;         /* deepest reached */
  size_t target;            /* stop here (SIZE_MAX: until an error) */
  size_t loops;             /* calls of leaf at every level (hot split) */
  uintptr_t addr[2];        /* frame addresses at depth 0 and 1 */
  int (*at_bottom)(void *); /* called at the target depth */
  void *bottom_arg;
} rec;

static int leaf(void *p) {
  volatile char pad[64];
  pad[0] = 1;
  (void)p;
  return pad[0] - 1;
}

static int recurse(void *p) {
  rec *r = p;
  volatile char pad[FRAME_PAD];
  size_t i;
  int rc = 0;

  pad[0] = (char)r->depth;
  if (r->depth < 2)
    r->addr[r->depth] = (uintptr_t)&pad[0];
  if (r->depth > r->max_depth)
    r->max_depth = r->depth;
  for (i = 0; i < r->loops && rc == 0; i++)
    rc = ng_stack_call(leaf, NULL);
  if (rc != 0)
    return rc;
  if (r->depth == r->target)
    return r->at_bottom != NULL ? r->at_bottom(r->bottom_arg) : 0;
  r->depth++;
  rc = ng_stack_call(recurse, r);
  r->depth--;
  return rc + (pad[0] - (char)r->depth);
}

static void rec_init(rec *r, size_t target) {
  memset(r, 0, sizeof *r);
  r->target = target;
}

/* Runs fn(arg) on a new thread with a small stack and returns its result. */
typedef struct thread_call {
  int (*fn)(void *);
  void *arg;
  int rc;
} thread_call;

static void *thread_main(void *p) {
  thread_call *c = p;
  c->rc = c->fn(c->arg);
  return NULL;
}

static int on_small_thread(int (*fn)(void *), void *arg) {
  pthread_attr_t attr;
  pthread_t th;
  thread_call c = {fn, arg, -1};

  assert_int_equal(pthread_attr_init(&attr), 0);
  assert_int_equal(pthread_attr_setstacksize(&attr, 256 * 1024), 0);
  assert_int_equal(pthread_create(&th, &attr, thread_main, &c), 0);
  assert_int_equal(pthread_join(th, NULL), 0);
  pthread_attr_destroy(&attr);
  return c.rc;
}

/* ---------------------------------------------------------------- tests */

static int ret42(void *p) {
  (void)p;
  return 42;
}

static void test_run_returns_result(void **state) {
  ng_stack_opts o = {0, NULL, 0};
  (void)state;
  assert_int_equal(ng_stack_run(ret42, NULL, NULL), 42);
  assert_int_equal(ng_stack_run(ret42, NULL, &o), 42);
  assert_int_equal(ng_stack_call(ret42, NULL), 42);
  assert_int_equal((ng_stack_call)(ret42, NULL), 42);
  assert_int_equal(ng_stack_check(), NG_OK);
  assert_int_equal((ng_stack_check)(), NG_OK);
  assert_int_equal(ng_stack_call_system(ret42, NULL), 42);
  assert_true(strcmp(ng_stack_backend(), "x86_64-sysv") == 0 ||
              strcmp(ng_stack_backend(), "aarch64-aapcs") == 0 ||
              strcmp(ng_stack_backend(), "ucontext") == 0);
}

/* Deep recursion crosses many segments and every level comes back. */
typedef struct deep_case {
  size_t depth;
  ng_stack_run_stats rs;
  rec r;
  int rc;
} deep_case;

static int deep_run(void *p) {
  deep_case *d = p;
  rec_init(&d->r, d->depth);
  d->rc = ng_stack_run_info(recurse, &d->r, NULL, &d->rs);
  return 0;
}

static void test_growth_many_segments(void **state) {
  deep_case d;
  ng_stack_stats before, after;
  (void)state;
  memset(&d, 0, sizeof d);
  /* 100,000 levels of ~256 bytes: ~25 MB, beyond 20 segments (TSan:
   * 50,000 levels, ~12 MB, beyond 10). */
  d.depth = tsan_env() ? 50000 : 100000;
  ng_stack_thread_stats(&before);
  assert_int_equal(on_small_thread(deep_run, &d), 0);
  assert_int_equal(d.rc, 0);
  assert_int_equal(d.r.max_depth, d.depth);
  assert_true(d.rs.segments >= (tsan_env() ? 10u : 20u));
  assert_true(d.rs.grows >= (tsan_env() ? 10u : 20u));
  assert_true(d.rs.peak >= d.depth * FRAME_PAD);
  /* The main thread's counters are its own. */
  ng_stack_thread_stats(&after);
  assert_int_equal(before.seg_allocs, after.seg_allocs);
}

/* Recursion without a bound hits the ceiling: NG_ESTACK comes back up the
 * chain, within one segment of the ceiling, at every value tried. */
typedef struct ceil_case {
  size_t max;
  int use_global;
  int rc;
  size_t usage; /* depth * frame size: a lower bound of the use */
  size_t frame;
  ng_stack_run_stats rs;
  ng_failalloc fa;
} ceil_case;

static int ceil_run(void *p) {
  ceil_case *c = p;
  ng_stack_opts o = {0, NULL, 0};
  rec r;

  rec_init(&r, SIZE_MAX);
  ng_failalloc_init(&c->fa, 0);
  o.max_stack = c->use_global ? 0 : c->max;
  o.alc = &c->fa.alc;
  c->rc = ng_stack_run_info(recurse, &r, &o, &c->rs);
  c->frame = r.max_depth > 0 ? r.addr[0] - r.addr[1] : 0;
  c->usage = r.max_depth * c->frame;
  return 0;
}

static void check_ceiling(ceil_case *c) {
  size_t seg_max = (size_t)1 << 20;
  assert_int_equal(c->rc, NG_ESTACK);
  /* A sanitizer build's red zone alone is over 4 KiB: the function may not
   * have been called at all. */
  if (c->usage == 0 && c->max < 64 * 1024)
    return;
  assert_true(c->frame >= FRAME_PAD && c->frame < 4096);
  assert_true(c->usage <= c->max);
  assert_true(c->rs.peak <= c->max);
  /* Within one segment: allow the last segment and per-segment slack. */
  assert_true(c->usage + seg_max / 2 + c->rs.segments * 8192 + 16384 >=
                  c->max ||
              c->usage + c->max / 2 + 8192 >= c->max);
  assert_int_equal(c->fa.live_blocks, 0);
  assert_int_equal(c->fa.size_mismatch, 0);
}

static void test_ceiling_each_value(void **state) {
  /* TSan: 4 MiB is ~16,000 frames; 16 MiB would be too deep for it. */
  size_t top = tsan_env()   ? (size_t)4 << 20
               : slow_env() ? (size_t)64 << 20
                            : (size_t)1 << 30,
         max;
  (void)state;
  for (max = 4096; max <= top; max *= 4) {
    ceil_case c;
    memset(&c, 0, sizeof c);
    c.max = max;
    assert_int_equal(on_small_thread(ceil_run, &c), 0);
    check_ceiling(&c);
    /* "Within one segment", tightly, where segments are involved. */
    if (max >= ((size_t)1 << 20)) {
      assert_true(c.rs.peak + ((size_t)1 << 20) + 8192 >= max);
      assert_true(c.usage * 2 >= max);
    }
  }
}

static void test_ceiling_global(void **state) {
  size_t old, max = 256 * 1024;
  ceil_case c;
  (void)state;
  old = ng_stack_set_max(max);
  assert_int_equal(ng_stack_get_max(), max);
  memset(&c, 0, sizeof c);
  c.max = max;
  c.use_global = 1;
  assert_int_equal(on_small_thread(ceil_run, &c), 0);
  check_ceiling(&c);
  /* Clamping. */
  assert_int_equal(ng_stack_set_max(1), max);
  assert_int_equal(ng_stack_get_max(), 4096);
  ng_stack_set_max((size_t)-1);
  assert_int_equal(ng_stack_get_max(), NG_MAX_STACK);
  ng_stack_set_max(old);
  assert_int_equal(ng_stack_get_max(), old);
}

/* A call sitting on a segment boundary in a loop allocates once. */
typedef struct split_case {
  ng_failalloc fa;
  ng_stack_run_stats rs;
  int rc;
} split_case;

static int split_run(void *p) {
  split_case *s = p;
  ng_stack_opts o = {0, NULL, 0};
  rec r;

  rec_init(&r, 1500); /* ~380 KB: several segments past the base */
  r.loops = 200;
  ng_failalloc_init(&s->fa, 0);
  o.max_stack = 0;
  o.alc = &s->fa.alc;
  s->rc = ng_stack_run_info(recurse, &r, &o, &s->rs);
  return 0;
}

static void test_hot_split(void **state) {
  split_case s;
  (void)state;
  memset(&s, 0, sizeof s);
  assert_int_equal(on_small_thread(split_run, &s), 0);
  assert_int_equal(s.rc, 0);
  /* Boundary crossings happened hundreds of times ... */
  assert_true(s.rs.grows >= 200);
  /* ... but each segment was allocated once. */
  assert_true(s.rs.segments >= 3);
  assert_int_equal(s.fa.calls, s.rs.segments);
  assert_true(s.fa.calls < 16);
  assert_int_equal(s.fa.live_blocks, 0);
}

/* Unwinding returns memory: at a shallow level after a deep excursion at
 * most one cached segment is left; after the run nothing is. The shallow
 * level is on the thread stack, or on a segment already where that has
 * no room (under TSan, whose thread-local state takes most of a small
 * thread's stack). */
typedef struct shrink_case {
  ng_failalloc fa;
  size_t live_before, live_deep, live_after_unwind, live_end;
  int rc;
} shrink_case;

static int note_live(void *p) {
  shrink_case *s = p;
  if (s->fa.live_blocks > s->live_deep)
    s->live_deep = s->fa.live_blocks;
  return 0;
}

static int shrink_body(void *p) {
  shrink_case *s = p;
  rec r;
  int rc;

  rec_init(&r, 20000); /* ~5 MB */
  r.at_bottom = note_live;
  r.bottom_arg = s;
  s->live_before = s->fa.live_blocks;
  rc = ng_stack_call(recurse, &r);
  s->live_after_unwind = s->fa.live_blocks;
  return rc;
}

static int shrink_run(void *p) {
  shrink_case *s = p;
  ng_stack_opts o = {0, NULL, 0};
  ng_failalloc_init(&s->fa, 0);
  o.max_stack = 0;
  o.alc = &s->fa.alc;
  s->rc = ng_stack_run(shrink_body, s, &o);
  s->live_end = s->fa.live_blocks;
  return 0;
}

static void test_shrink_returns_memory(void **state) {
  shrink_case s;
  (void)state;
  memset(&s, 0, sizeof s);
  assert_int_equal(on_small_thread(shrink_run, &s), 0);
  assert_int_equal(s.rc, 0);
  assert_true(s.live_deep >= 8);
  assert_true(s.live_before <= 1);
  assert_true(s.live_after_unwind <= s.live_before + 1);
  assert_int_equal(s.live_end, 0);
}

/* Every allocation of a growing run, failed in turn: NG_ENOMEM comes back
 * up the recursion and nothing is leaked. */
static int grow_op(void *arg, const ng_alloc *alc) {
  ng_stack_opts o = {0, NULL, 0};
  rec r;
  (void)arg;
  rec_init(&r, 2000); /* ~500 KB: about eight segments */
  o.max_stack = 0;
  o.alc = alc;
  return ng_stack_run(recurse, &r, &o);
}

static int sweep_run(void *p) {
  long *runs = p;
  *runs = ng_failalloc_sweep(grow_op, NULL, 100);
  return 0;
}

static void test_failalloc_sweep(void **state) {
  long runs = 0;
  (void)state;
  assert_int_equal(on_small_thread(sweep_run, &runs), 0);
  assert_true(runs >= 5);
}

/* Plain ng_stack_call on an ordinary thread stack grows past its end. */
static int plain_run(void *p) {
  rec *r = p;
  return ng_stack_call(recurse, r);
}

static void test_plain_thread_growth(void **state) {
  rec r;
  (void)state;
  rec_init(&r, 10000); /* 2.5 MB on a 256 KiB thread */
  assert_int_equal(on_small_thread(plain_run, &r), 0);
  assert_int_equal(r.max_depth, 10000);
}

/* ng_stack_check on the base: recursion that only probes stops cleanly. */
typedef struct probe {
  size_t depth;
  uintptr_t top, low;
} probe;

static int probe_rec(probe *p) {
  volatile char pad[FRAME_PAD];
  int rc;
  pad[0] = 0;
  if ((uintptr_t)&pad[0] < p->low)
    p->low = (uintptr_t)&pad[0];
  if (ng_stack_check() != NG_OK)
    return NG_ESTACK;
  p->depth++;
  rc = probe_rec(p);
  return rc + pad[0];
}

static int probe_body(void *arg) { return probe_rec(arg); }

static void test_check_probe(void **state) {
  ng_stack_opts o = {64 * 1024, NULL, 0};
  probe p = {0, 0, UINTPTR_MAX};
  char here;
  (void)state;
  p.top = (uintptr_t)&here;
  assert_int_equal(ng_stack_run(probe_body, &p, &o), NG_ESTACK);
  assert_true(p.depth > 50);
  assert_true(p.top - p.low <= 64 * 1024);
}

/* A system call from deep on a small segment runs on the thread stack,
 * where a large frame is safe. */
typedef struct sys_case {
  uintptr_t seg_addr, sys_addr;
  uintptr_t lo, hi;
  int rc;
} sys_case;

static int big_frame(void *p) {
  sys_case *c = p;
  volatile char buf[40000];
  size_t i;
  for (i = 0; i < sizeof buf; i += 64)
    buf[i] = 7;
  buf[39999] = 7;
  c->sys_addr = (uintptr_t)&buf[0];
  /* Nested: already on the system stack, a direct call. */
  return ng_stack_call_system(leaf, NULL) + buf[39999] - 7;
}

static int at_bottom_sys(void *p) {
  sys_case *c = p;
  char here;
  c->seg_addr = (uintptr_t)&here;
  return ng_stack_call_system(big_frame, c);
}

static int sys_thread(void *p) {
  sys_case *c = p;
  pthread_attr_t attr;
  void *addr;
  size_t size;
  rec r;

  pthread_getattr_np(pthread_self(), &attr);
  pthread_attr_getstack(&attr, &addr, &size);
  pthread_attr_destroy(&attr);
  c->lo = (uintptr_t)addr;
  c->hi = c->lo + size;
  rec_init(&r, 3000); /* 750 KB: deep in the segments */
  r.at_bottom = at_bottom_sys;
  r.bottom_arg = c;
  c->rc = ng_stack_run(recurse, &r, NULL);
  return 0;
}

static void test_system_stack_call(void **state) {
  sys_case c;
  (void)state;
  memset(&c, 0, sizeof c);
  assert_int_equal(on_small_thread(sys_thread, &c), 0);
  assert_int_equal(c.rc, 0);
  assert_true(c.seg_addr < c.lo || c.seg_addr >= c.hi); /* on a segment */
  assert_true(c.sys_addr >= c.lo && c.sys_addr < c.hi); /* thread stack */
}

/* Nested runs: the inner ceiling applies inside, the outer outside. */
static int inner_run(void *p) {
  ng_stack_opts o = {32 * 1024, NULL, 0};
  rec *r = p;
  int rc;
  rec_init(r, SIZE_MAX);
  rc = ng_stack_run(recurse, r, &o);
  return rc == NG_ESTACK ? 7 : -1;
}

static void test_nested_runs(void **state) {
  ng_stack_opts o = {8 * 1024 * 1024, NULL, 0};
  rec r;
  (void)state;
  assert_int_equal(ng_stack_run(inner_run, &r, &o), 7);
  assert_true(r.max_depth > 20 && r.max_depth < 200);
  /* The outer run and the thread are intact afterwards. */
  rec_init(&r, 1000);
  assert_int_equal(ng_stack_run(recurse, &r, &o), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_run_returns_result),
      cmocka_unit_test(test_growth_many_segments),
      cmocka_unit_test(test_ceiling_each_value),
      cmocka_unit_test(test_ceiling_global),
      cmocka_unit_test(test_hot_split),
      cmocka_unit_test(test_shrink_returns_memory),
      cmocka_unit_test(test_failalloc_sweep),
      cmocka_unit_test(test_plain_thread_growth),
      cmocka_unit_test(test_check_probe),
      cmocka_unit_test(test_system_stack_call),
      cmocka_unit_test(test_nested_runs),
  };
  return cmocka_run_group_tests_name("stack", tests, NULL, NULL);
}
