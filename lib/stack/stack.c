/*
 * lib/stack/stack.c - growable stacks: the slow path of ng_stack_call,
 * ng_stack_run, system-stack calls and the process-wide ceiling.
 *
 * The fast path lives in nestguard/stack.h: one compare of the caller's
 * frame address against ng__stack_limit. Everything here runs only when
 * that compare fails: on a thread's first call (the limit starts at
 * UINTPTR_MAX), and when the running stack is down to its red zone.
 *
 * Invariant: ng__stack_limit is the limit of the place the thread runs on
 * now: t->cur->seg->limit, or t->cur->base_limit when t->cur runs on its
 * base. Every switch (segment, run, system call, task) saves and restores
 * it together with t->cur.
 */
#include "stack/stack_int.h"

__thread uintptr_t ng__stack_limit __attribute__((tls_model("initial-exec"))) =
    UINTPTR_MAX;

static __thread ng__thr thr;
__thread ng__thr *ng__thr_p = NULL;

static size_t g_max = NG_DEFAULT_MAX_STACK;

/* ------------------------------------------------------------ ceiling */

static size_t clamp_max(size_t bytes) {
  if (bytes < NG__MIN_MAX)
    return NG__MIN_MAX;
  return bytes > NG_MAX_STACK ? NG_MAX_STACK : bytes;
}

size_t ng_stack_set_max(size_t bytes) {
  return __atomic_exchange_n(&g_max, clamp_max(bytes), __ATOMIC_RELAXED);
}

size_t ng_stack_get_max(void) {
  return __atomic_load_n(&g_max, __ATOMIC_RELAXED);
}

static size_t stk_max(const ng__stk *s) {
  return s->max != 0 ? s->max : ng_stack_get_max();
}

/* ------------------------------------------------------- thread state */

_Static_assert(NG__SEG_MAX <= NG_STACK_USER_BUDGET,
               "ng_stack_call_user tells the thread stack by its room");

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

static void thr_init(ng__thr *t) {
  uintptr_t lo, hi, here = NG__HERE();
  size_t slack;

  if (ng__thread_bounds(&lo, &hi) != NG_OK || here < lo || here > hi) {
    /* Unknown bounds: trust 256 KiB below the first call. */
    hi = here + 256;
    lo = here - ((size_t)256 << 10);
  }
  t->user_keep = min_size(NG_STACK_USER_BUDGET, (hi - lo) / 8);
  slack = t->user_keep + min_size(NG__SYS_SLACK, (hi - lo) / 8);
  t->sys_lo = lo;
  t->sys_hi = hi;
  /* valgrind must know the thread stack too, or a switch from a segment
   * back to it looks like a frame being popped. It registers the main
   * thread's stack itself; a second, overlapping registration would make
   * it take large frames there for stack switches. */
  t->sys_vg_set = !ng__thread_is_main();
  if (t->sys_vg_set)
    t->sys_vg_id = ng__tool_stack_add((void *)lo, (void *)hi);
  t->on_sys = 1;
  t->env_main.st = &t->st;
  t->env_main.growable = 1;
  t->env_sys.st = &t->st;
  ng__stk_init(&t->main, hi, 0, &t->env_main);
  t->main.base_limit = lo + slack + NG__RED + NG__RESERVE;
  ng__stk_init(&t->sys, hi, 0, &t->env_sys);
  t->sys.base_limit = t->main.base_limit;
  t->cur = &t->main;
  ng__stack_limit = t->main.base_limit;
  t->ready = 1;
  ng__thread_at_exit(t);
}

NG_NOINLINE ng__thr *ng__thr_init(void) {
  ng__thr *t = &thr;
  if (!t->ready)
    thr_init(t);
  ng__thr_p = t;
  return t;
}

/* Thread exit: give back the segment main may keep cached. */
void ng__thr_exit(ng__thr *t) {
  if (!t->ready)
    return;
  ng__sched_drop_idle(t);
  if (t->main.seg == NULL)
    ng__stk_release(t, &t->main);
  if (t->sys_vg_set)
    ng__tool_stack_drop(t->sys_vg_id);
  ng__altstack_release(t);
  t->ready = 0;
  ng__thr_p = NULL;
  ng__stack_limit = UINTPTR_MAX;
}

void ng_stack_thread_stats(ng_stack_stats *st) { *st = ng__thr_get()->st; }

const char *ng_stack_backend(void) {
  return NG__ARCH_X86_64    ? "x86_64-sysv"
         : NG__ARCH_AARCH64 ? "aarch64-aapcs"
                            : "ucontext";
}

/* ------------------------------------------------------------ segments */

void ng__stk_init(ng__stk *s, uintptr_t top, size_t max, const ng__env *env) {
  s->seg = NULL;
  s->first = NULL;
  s->base_top = top;
  s->base_limit = 0;
  s->base_used = 0;
  s->seg_bytes = 0;
  s->max = max;
  s->peak = 0;
  s->nsegs = 0;
  s->grows = 0;
  s->env = env;
}

/* Gives back g and every segment cached below it. */
static void chain_put(ng__thr *t, ng__stk *s, ng__seg *g) {
  while (g != NULL) {
    ng__seg *next = g->next;
    ng__seg_put(t, s, g);
    g = next;
  }
}

void ng__stk_release(ng__thr *t, ng__stk *s) {
  chain_put(t, s, s->first);
  s->first = NULL;
}

void ng__stk_abandon(ng__thr *t, ng__stk *s) {
  if (s->seg != NULL)
    ng__stat_inuse(s->env->st, 0, s->seg_bytes);
  s->seg = NULL;
  s->seg_bytes = 0;
  ng__stk_release(t, s);
}

void ng__stk_trim(ng__thr *t, ng__stk *s) {
  if (s->seg != NULL) {
    chain_put(t, s, s->seg->next);
    s->seg->next = NULL;
  } else {
    chain_put(t, s, s->first);
    s->first = NULL;
  }
}

/* What crosses onto a segment: fn, arg and the ASan fiber state. */
typedef struct seg_call {
  int (*fn)(void *);
  void *arg;
  void *fake;         /* ASan fake stack of the stack left */
  const void *old_lo; /* bounds of the stack left, for the way back */
  size_t old_size;
  const void *new_lo; /* bounds of the stack entered */
  size_t new_size;
} seg_call;

/* First frame on the new stack in sanitizer builds. */
static int seg_tramp(void *p) {
  seg_call *c = p;
  int rc;

  ng__tool_switch_finish(NULL, &c->old_lo, &c->old_size);
  rc = c->fn(c->arg);
  ng__tool_switch_start(NULL, c->old_lo, c->old_size);
  return rc;
}

/* Runs fn(arg) on the stack [lo, top). */
static int call_on(int (*fn)(void *), void *arg, uintptr_t lo, uintptr_t top) {
  seg_call c;
  int rc;

  if (!NG__TOOL_ASAN)
    return ng__stack_call_on(fn, arg, (void *)top);
  c.fn = fn;
  c.arg = arg;
  c.fake = NULL;
  c.new_lo = (const void *)lo;
  c.new_size = top - lo;
  ng__tool_switch_start(&c.fake, c.new_lo, c.new_size);
  rc = ng__stack_call_on(seg_tramp, &c, (void *)top);
  ng__tool_switch_finish(c.fake, NULL, NULL);
  return rc;
}

/* Size of the segment after prev (NULL: the first), fitted into room;
 * 0 when not even a minimal segment fits under the ceiling. */
static size_t next_size(const ng__seg *prev, size_t room) {
  size_t want = prev != NULL ? prev->size * 2 : NG__SEG_FIRST;

  if (want > NG__SEG_MAX)
    want = NG__SEG_MAX;
  if (want > room)
    want = room & ~(size_t)63;
  return want >= NG__SEG_MIN ? want : 0;
}

/* Runs fn(arg) on g, the segment after s->seg, and comes back. */
static int seg_enter(ng__thr *t, ng__stk *s, ng__seg *g, size_t base_used,
                     int (*fn)(void *), void *arg) {
  ng__seg *prev = s->seg;
  uintptr_t old_limit = ng__stack_limit, old_sys_sp = t->sys_sp;
  uintptr_t here = NG__HERE();
  int was_sys = t->on_sys, rc;
  /* Leaving a task's base: its live bytes there end below this frame. */
  int was_home = t->task != NULL && ng__task_on_base(t->task, here);

  if (prev == NULL)
    s->base_used = base_used;
  s->seg = g;
  s->seg_bytes += g->size;
  s->grows++;
  s->env->st->grows++;
  ng__stat_inuse(s->env->st, g->size, 0);
  if (s->base_used + s->seg_bytes > s->peak)
    s->peak = s->base_used + s->seg_bytes;
  if (was_sys) {
    /* Leaving the thread stack: signals must not follow onto g (once
     * per stack: its first growth), and system calls will run below
     * here. */
    if (NG_UNLIKELY(s->grows == 1))
      ng__signals_prepare(t, 0);
    t->sys_sp = (here - NG__RESERVE) & ~(uintptr_t)15;
    t->on_sys = 0;
  }
  if (was_home)
    t->home_left = (here - NG__RESERVE) & ~(uintptr_t)15;
  ng__stack_limit = g->limit;
  rc = call_on(fn, arg, (uintptr_t)(g + 1), ng__seg_top(g));
  ng__stack_limit = old_limit;
  if (was_sys) {
    t->on_sys = 1;
    t->sys_sp = old_sys_sp;
  }
  if (was_home)
    t->home_left = 0;
  s->seg = prev;
  s->seg_bytes -= g->size;
  ng__stat_inuse(s->env->st, 0, g->size);
  /* Shrink with hysteresis: keep g cached, release what lies beyond. */
  chain_put(t, s, g->next);
  g->next = NULL;
  return rc;
}

/* The cached segment after s->seg, dropped first if it no longer fits. */
static ng__seg *cached_next(ng__thr *t, ng__stk *s, size_t room) {
  ng__seg **slot = s->seg != NULL ? &s->seg->next : &s->first;
  ng__seg *g = *slot;

  if (g != NULL && g->size > room) {
    chain_put(t, s, g);
    *slot = g = NULL;
  }
  return g;
}

int ng__stk_grow_call(ng__thr *t, ng__stk *s, int (*fn)(void *), void *arg,
                      uintptr_t sp) {
  size_t max = stk_max(s), base_used, used, room, size;
  ng__seg *g;
  int rc;

  if (!s->env->growable)
    goto fail_ceiling;
  base_used = s->seg != NULL     ? s->base_used
              : s->base_top > sp ? s->base_top - sp
                                 : 0;
  used = base_used + s->seg_bytes;
  room = max > used ? max - used : 0;
  g = cached_next(t, s, room);
  if (g == NULL) {
    size = next_size(s->seg, room);
    if (size == 0)
      goto fail_ceiling;
    rc = ng__seg_get(t, s, size, &g);
    if (rc == NG_ESTACK)
      goto fail_ceiling;
    if (rc != NG_OK)
      return rc;
    g->prev = s->seg;
    if (s->seg != NULL)
      s->seg->next = g;
    else
      s->first = g;
  }
  return seg_enter(t, s, g, base_used, fn, arg);

fail_ceiling:
  s->env->st->overflows++;
  return NG_ESTACK;
}

/* ------------------------------------------------------- entry points */

int ng__stack_call_slow(int (*fn)(void *), void *arg) {
  ng__thr *t = ng__thr_get();
  uintptr_t sp = NG__HERE();

  if (sp > ng__stack_limit)
    return fn(arg); /* first call of the thread, room after all */
  return ng__stk_grow_call(t, t->cur, fn, arg, sp);
}

int ng__stack_check_slow(void) {
  ng__thr_get();
  return NG__HERE() > ng__stack_limit ? NG_OK : NG_ESTACK;
}

int(ng_stack_call)(int (*fn)(void *), void *arg) {
  return ng__stack_call_inline(fn, arg);
}

int(ng_stack_check)(void) { return ng__stack_check_inline(); }

int ng__sys_call(ng__thr *t, int (*fn)(void *), void *arg) {
  ng__stk *cur = t->cur;
  uintptr_t old_limit = ng__stack_limit, top = t->sys_sp;
  size_t reuse;
  int rc;

  if (t->on_sys)
    return fn(arg);
  t->sys.base_top = top;
  t->cur = &t->sys;
  t->on_sys = 1;
  ng__stack_limit = t->sys.base_limit;
  /* Marking is O(n) under valgrind: the nearest 256 KiB are enough for
   * what system calls are for. */
  reuse = top - t->sys_lo < 256 * 1024 ? top - t->sys_lo : 256 * 1024;
  ng__tool_stack_reuse((void *)(top - reuse), reuse);
  rc = call_on(fn, arg, t->sys_lo, top);
  ng__stack_limit = old_limit;
  t->on_sys = 0;
  t->sys_sp = top;
  t->cur = cur;
  return rc;
}

int ng_stack_call_system(int (*fn)(void *), void *arg) {
  return ng__sys_call(ng__thr_get(), fn, arg);
}

int(ng_stack_call_user)(int (*fn)(void *), void *arg, size_t budget) {
  return ng__stack_call_user_inline(fn, arg, budget);
}

/* Raises a run's base limit so that `want` bytes of the thread stack stay
 * free below it for user code (ng_stack_opts.user_stack). */
static void keep_user_stack(const ng__thr *t, ng__stk *r, size_t want) {
  uintptr_t floor;

  if (!t->on_sys || want <= t->user_keep ||
      want > t->sys_hi - t->sys_lo)
    return;
  floor = t->sys_lo + want + NG__SYS_SLACK + NG__RED + NG__RESERVE;
  if (floor > r->base_limit)
    r->base_limit = floor;
}

int ng_stack_run_info(int (*fn)(void *), void *arg, const ng_stack_opts *opts,
                      ng_stack_run_stats *stats) {
  ng__thr *t = ng__thr_get();
  ng__run r;
  ng__stk *outer = t->cur;
  ng__env env;
  uintptr_t old_limit = ng__stack_limit, top = NG__HERE();
  size_t max = opts != NULL && opts->max_stack != 0 ? opts->max_stack
                                                    : ng_stack_get_max();
  int rc;

  max = clamp_max(max);
  env.alc = opts != NULL ? opts->alc : NULL;
  env.pool = NULL;
  env.st = &t->st;
  env.budget = 0;
  env.growable = 1;
  ng__stk_init(&r.stk, top, max, &env);
  r.outer = outer;
  /* Base bytes may use the ceiling less what leaving the base needs. */
  r.stk.base_limit = top - max + NG__RED + NG__RESERVE;
  if (top < max || r.stk.base_limit < old_limit)
    r.stk.base_limit = old_limit;
  if (opts != NULL)
    keep_user_stack(t, &r.stk, opts->user_stack);
  t->cur = &r.stk;
  ng__stack_limit = r.stk.base_limit;
  rc = ng__stack_call_inline(fn, arg);
  t->cur = outer;
  ng__stack_limit = old_limit;
  ng__stk_release(t, &r.stk);
  if (stats != NULL) {
    stats->peak = r.stk.peak;
    stats->segments = r.stk.nsegs;
    stats->grows = r.stk.grows;
  }
  return rc;
}

int ng_stack_run(int (*fn)(void *), void *arg, const ng_stack_opts *opts) {
  return ng_stack_run_info(fn, arg, opts, NULL);
}
