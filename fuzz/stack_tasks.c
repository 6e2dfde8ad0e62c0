/*
 * fuzz/stack_tasks.c - the growable-stack runtime, driven by input bytes.
 *
 * The input is a program for lib/stack: NG_FUZZ_SETTINGS_BYTES of
 * scheduler settings (layout below), then operations that whichever task
 * is running reads from one shared stream: spawn a task, yield, park, wake
 * or join another, recurse to a given depth with a given frame size
 * (optionally yielding deep inside, while on segments), run a function on
 * the system stack, probe the stack, nest an ng_stack_run with a small
 * ceiling, read statistics, run jobs on a worker pool, check signal
 * handlers, recurse on a separate 64 KiB pthread (optionally under a
 * lowered process-wide ceiling), misuse the API from inside a task. The
 * scheduler allocates through a failing allocator. Oracles:
 *   - every recursion frame holds a pattern that must be intact when the
 *     frame is returned to (segment switches, shared-stack copies, yields
 *     deep down must not corrupt a frame), and a recursion that succeeds
 *     reports its full depth;
 *   - results are in each call's documented set (e.g. spawn: OK, ENOMEM,
 *     EBUSY); ENOMEM only after an injected failure; with no budget, no
 *     injected failure and the default ceiling, recursions of at most
 *     4,096 frames of at most 480 bytes never fail;
 *   - statistics stay consistent (in use <= held, pooled <= held, frees
 *     <= allocations, parked <= live <= peak);
 *   - on a plain 64 KiB thread, 4,096 frames of 480 bytes succeed through
 *     ng_stack_call and ng_stack_run_info under the default ceiling;
 *   - task-only calls refuse outside tasks (ESTATE), ng_sched_run refuses
 *     inside one (ESTATE), a second scheduler on the thread is EBUSY;
 *   - after ng_sched_free nothing the runtime allocated is left, even for
 *     tasks it destroyed while suspended, and every free named the right
 *     size.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* SA_ONSTACK */
#endif
#include "fuzz.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ST_TASKS 16          /* joinable tasks a program may spawn */
#define ST_OPS 512           /* operations per input */
#define ST_MAX_DEPTH 4096    /* frames per recursion */
#define ST_LEVEL_BUDGET 4096 /* frames per input, all recursions */
#define ST_JOBS 32           /* pool jobs per input */
#define ST_JOB_FAIL 77       /* what a failing pool job returns */
#define ST_SIGCHECKS 2       /* signal checks per input (65 syscalls) */
#define ST_THREADS 1         /* threads per input (clone, join: 25 us) */

typedef struct st_prog st_prog;

typedef struct st_job {
  st_prog *p;   /* the program */
  size_t depth; /* frames the job recurses */
  int result;   /* what it returns: 0 or ST_JOB_FAIL */
  int yield;    /* yield once in the middle */
} st_job;

typedef struct st_slot {
  st_prog *p;    /* the program */
  size_t idx;    /* this task's slot */
  ng_task *task; /* handle until joined (NULL: free slot or joined) */
  int done;      /* the task function returned */
} st_slot;

struct st_prog {
  ng_fuzz_reader r;       /* the shared operation stream */
  ng_sched *s;            /* the scheduler under test */
  ng_failalloc fa;        /* its allocator */
  ng_task_opts topts;     /* options of spawned tasks */
  st_slot slot[ST_TASKS]; /* spawned tasks */
  size_t nslot;           /* slots used */
  size_t ops;             /* operations run */
  size_t levels;          /* recursion frames run */
  unsigned sigchecks;     /* ng_stack_signal_check calls made */
  unsigned threads;       /* threads started */
  int strict;             /* no budget, no failure, default ceiling */
  ng_pool *pool;          /* worker pool, created by an operation */
  st_job job[ST_JOBS];    /* pool jobs' arguments */
  size_t njob;            /* jobs submitted */
};

/* A result outside the documented set, or ENOMEM without a failure. */
static int st_rc(st_prog *p, const char *op, int rc, int ok1, int ok2) {
  if (rc == NG_OK || rc == ok1 || rc == ok2) {
    if (rc == NG_ENOMEM && p->fa.failed == 0) {
      ng_fuzz_fail("stack: %s returned ENOMEM with no allocation failed", op);
      return -1;
    }
    return 0;
  }
  ng_fuzz_fail("stack: %s returned %s", op, ng_err_name(rc));
  return -1;
}

/* ------------------------------------------------------------ recursion */

typedef struct st_rec {
  size_t level;       /* current frame */
  size_t depth;       /* frames wanted */
  size_t reached;     /* deepest frame entered */
  size_t yield_every; /* yield at levels divisible by this; 0 never */
  uint8_t seed;       /* pattern seed */
  int corrupt;        /* a frame's pattern changed */
  int yield_rc;       /* first failing yield result */
} st_rec;

/* Body shared by the frame sizes: fill, recurse, maybe yield, verify.
 * The frame (16, 64, 200 or 480 bytes) holds a pattern in one 8-byte word
 * per 64 bytes and in its last word: a frame that is misplaced, copied
 * back wrong or overlapped by another stack changes at least one of them,
 * and checking every byte made deep programs 20x slower for nothing. */
#define ST_STRIDE 8 /* words between checked words */
/* The array's address escapes, so the compiler keeps all of it on the
 * stack (it may drop unread elements of a volatile array otherwise). */
#if defined(__GNUC__) || defined(__clang__)
#define ST_ESCAPE(buf) __asm__ __volatile__("" : : "r"(buf) : "memory")
#else
#define ST_ESCAPE(buf) ((void)0)
#endif
#define ST_WORD(lv, i, seed)                                                   \
  (((uint64_t)(lv)*0x9e3779b97f4a7c15u) ^ ((i) + (seed)))
#define ST_REC_BODY(buf)                                                       \
  do {                                                                         \
    const size_t n_ = sizeof buf / sizeof buf[0];                              \
    size_t i_, lv_ = ++r->level;                                               \
    int rc_ = NG_OK;                                                           \
    for (i_ = 0; i_ < n_; i_ += ST_STRIDE)                                     \
      buf[i_] = ST_WORD(lv_, i_, r->seed);                                     \
    buf[n_ - 1] = ST_WORD(lv_, n_ - 1, r->seed);                               \
    ST_ESCAPE(buf);                                                            \
    if (lv_ > r->reached)                                                      \
      r->reached = lv_;                                                        \
    if (r->yield_every && lv_ % r->yield_every == 0 && ng_task_self()) {       \
      int y_ = ng_task_yield();                                                \
      if (y_ != NG_OK && r->yield_rc == NG_OK)                                 \
        r->yield_rc = y_;                                                      \
    }                                                                          \
    if (lv_ < r->depth)                                                        \
      rc_ = ng_stack_call(st_self_fn, r);                                      \
    for (i_ = 0; i_ < n_; i_ += ST_STRIDE)                                     \
      if (buf[i_] != ST_WORD(lv_, i_, r->seed))                                \
        r->corrupt = 1;                                                        \
    if (buf[n_ - 1] != ST_WORD(lv_, n_ - 1, r->seed))                          \
      r->corrupt = 1;                                                          \
    r->level--;                                                                \
    return rc_;                                                                \
  } while (0)

#define st_self_fn st_rec16
static int st_rec16(void *arg) {
  st_rec *r = arg;
  volatile uint64_t b[2];
  ST_REC_BODY(b);
}
#undef st_self_fn
#define st_self_fn st_rec64
static int st_rec64(void *arg) {
  st_rec *r = arg;
  volatile uint64_t b[8];
  ST_REC_BODY(b);
}
#undef st_self_fn
#define st_self_fn st_rec200
static int st_rec200(void *arg) {
  st_rec *r = arg;
  volatile uint64_t b[25];
  ST_REC_BODY(b);
}
#undef st_self_fn
#define st_self_fn st_rec480
static int st_rec480(void *arg) {
  st_rec *r = arg;
  volatile uint64_t b[60];
  ST_REC_BODY(b);
}
#undef st_self_fn

static int (*const st_rec_fn[4])(void *) = {st_rec16, st_rec64, st_rec200,
                                            st_rec480};

/* RECURSE: depth (2 bytes), frame size, yield interval. */
static int st_recurse(st_prog *p, int nested) {
  uint8_t d0 = ng_fuzz_byte(&p->r), d1 = ng_fuzz_byte(&p->r);
  uint8_t kind = ng_fuzz_byte(&p->r), y = ng_fuzz_byte(&p->r);
  ng_stack_opts so = {0, NULL, 0};
  st_rec r;
  int rc;

  memset(&r, 0, sizeof r);
  r.depth = 1 + (((size_t)d1 << 8 | d0) % ST_MAX_DEPTH);
  if (p->levels + r.depth > ST_LEVEL_BUDGET)
    return 0;
  p->levels += r.depth;
  r.yield_every = y ? (size_t)y * 16 : 0;
  r.seed = d0 ^ kind;
  if (nested) {
    /* A run nested in the task with its own small ceiling. */
    memset(&so, 0, sizeof so);
    so.max_stack = ng_fuzz_limit(kind, 4096);
    so.alc = &p->fa.alc;
    rc = ng_stack_run(st_rec_fn[kind & 3], &r, &so);
  } else {
    rc = ng_stack_call(st_rec_fn[kind & 3], &r);
  }
  if (r.corrupt) {
    ng_fuzz_fail("stack: a frame changed under recursion (depth %zu, frame "
                 "kind %u, yield every %zu)",
                 r.depth, kind & 3u, r.yield_every);
    return -1;
  }
  if (st_rc(p, "recursion", rc, NG_ESTACK, NG_ENOMEM) != 0 ||
      st_rc(p, "yield in recursion", r.yield_rc, NG_ENOMEM, NG_ESTATE) != 0)
    return -1;
  if (rc == NG_OK && r.reached != r.depth) {
    ng_fuzz_fail("stack: recursion OK at %zu of %zu frames", r.reached,
                 r.depth);
    return -1;
  }
  if (rc != NG_OK && p->strict && !nested) {
    ng_fuzz_fail("stack: %zu frames (kind %u) failed with %s under the "
                 "default ceiling",
                 r.depth, kind & 3u, ng_err_name(rc));
    return -1;
  }
  return 0;
}

/* ---------------------------------------------------------- other ops */

static int st_system_fn(void *arg) {
  char buf[4096];
  int n = snprintf(buf, sizeof buf, "%0*d", 3000, *(int *)arg);

  return n == 3000 && buf[2999] == (char)('0' + *(int *)arg % 10) ? 0 : -1;
}

/* Per-task statistics of every unjoined task: what a task holds is at
 * most its high-water mark plus its saved bytes, segments hold bytes. */
static int st_task_stats(st_prog *p) {
  ng_task_stats ts;
  size_t i;

  for (i = 0; i < p->nslot; i++) {
    if (p->slot[i].task == NULL)
      continue;
    ng_task_stats_get(p->slot[i].task, &ts);
    if ((ts.segments != 0 && ts.stack_bytes == 0) ||
        (ts.grows == 0 && ts.segments > 1)) {
      ng_fuzz_fail("stack: task %zu stats: %zu bytes, %zu segments, peak "
                   "%zu, %llu grows",
                   i, ts.stack_bytes, ts.segments, ts.peak,
                   (unsigned long long)ts.grows);
      return -1;
    }
  }
  return 0;
}

static int st_stats(st_prog *p) {
  ng_stack_stats st;

  if (st_task_stats(p) != 0)
    return -1;
  ng_sched_stats(p->s, &st);
  if (st.stack_inuse > st.stack_sys || st.segments_pooled > st.segments ||
      st.seg_frees > st.seg_allocs || st.tasks_parked > st.tasks_live ||
      st.tasks_live > st.tasks_peak) {
    ng_fuzz_fail("stack: stats inconsistent: inuse %zu sys %zu segs %zu "
                 "pooled %zu allocs %llu frees %llu live %zu parked %zu "
                 "peak %zu",
                 st.stack_inuse, st.stack_sys, st.segments, st.segments_pooled,
                 (unsigned long long)st.seg_allocs,
                 (unsigned long long)st.seg_frees, st.tasks_live,
                 st.tasks_parked, st.tasks_peak);
    return -1;
  }
  return 0;
}

static int st_task(void *arg);

/* ------------------------------------------------- a thread of its own */

typedef struct st_thr {
  st_rec r;              /* the recursion, on a 64 KiB thread stack */
  unsigned kind;         /* frame size */
  int rc, run_rc;        /* ng_stack_call, ng_stack_run_info results */
  ng_stack_run_stats rs; /* what the run used */
  ng_stack_stats ts;     /* the thread's counters at the end */
  pthread_t id;
  int started;
} st_thr;

static void *st_thread_main(void *arg) {
  st_thr *t = arg;
  st_rec r2 = t->r;

  t->rc = ng_stack_call(st_rec_fn[t->kind & 3], &t->r);
  t->run_rc = ng_stack_run_info(st_rec_fn[t->kind & 3], &r2, NULL, &t->rs);
  t->r.corrupt |= r2.corrupt;
  ng_stack_thread_stats(&t->ts);
  return NULL;
}

/* Runs on the system stack: pthread calls have unknown stack needs. */
static int st_thread_start(void *arg) {
  st_thr *t = arg;
  pthread_attr_t at;

  if (pthread_attr_init(&at) != 0)
    return 0;
  if (pthread_attr_setstacksize(&at, 64 * 1024) == 0 &&
      pthread_create(&t->id, &at, st_thread_main, t) == 0)
    t->started = 1;
  pthread_attr_destroy(&at);
  return 0;
}

static int st_thread_join(void *arg) {
  st_thr *t = arg;

  if (t->started)
    pthread_join(t->id, NULL);
  return 0;
}

/*
 * THREAD: depth (2 bytes), frame kind, ceiling byte. A plain thread with a
 * 64 KiB stack recurses through ng_stack_call (segments grow from a
 * foreign thread stack, the thread's context is torn down at exit), then
 * once more inside ng_stack_run_info. With a ceiling byte the process-wide
 * maximum is lowered for the thread and restored after.
 */
static int st_thread(st_prog *p) {
  uint8_t d0 = ng_fuzz_byte(&p->r), d1 = ng_fuzz_byte(&p->r);
  uint8_t kind = ng_fuzz_byte(&p->r), cap = ng_fuzz_byte(&p->r);
  size_t old_max = 0;
  st_thr t;

  memset(&t, 0, sizeof t);
  t.r.depth = 1 + (((size_t)d1 << 8 | d0) % ST_MAX_DEPTH);
  if (p->levels + 2 * t.r.depth > ST_LEVEL_BUDGET || p->threads >= ST_THREADS)
    return 0;
  p->threads++;
  p->levels += 2 * t.r.depth;
  t.r.seed = d1;
  t.kind = kind;
  if (cap != 0)
    old_max = ng_stack_set_max(ng_fuzz_limit(cap, 4096));
  (void)ng_stack_call_system(st_thread_start, &t);
  (void)ng_stack_call_system(st_thread_join, &t);
  if (cap != 0)
    (void)ng_stack_set_max(old_max);
  if (!t.started)
    return 0;
  if (t.r.corrupt) {
    ng_fuzz_fail("stack: a frame changed under recursion on a thread");
    return -1;
  }
  if ((cap == 0 && (t.rc != NG_OK || t.run_rc != NG_OK)) ||
      st_rc(p, "thread recursion", t.rc, NG_ESTACK, NG_ESTACK) != 0 ||
      st_rc(p, "thread run", t.run_rc, NG_ESTACK, NG_ESTACK) != 0) {
    ng_fuzz_fail("stack: %zu frames (kind %u) on a 64 KiB thread: call %s, "
                 "run %s",
                 t.r.depth, kind & 3u, ng_err_name(t.rc),
                 ng_err_name(t.run_rc));
    return -1;
  }
  if (t.ts.seg_frees > t.ts.seg_allocs || t.ts.stack_inuse > t.ts.stack_sys ||
      (t.run_rc == NG_OK && t.rs.peak == 0 && t.rs.segments != 0)) {
    ng_fuzz_fail("stack: thread stats inconsistent (frees %llu allocs %llu,"
                 " run peak %zu segments %zu)",
                 (unsigned long long)t.ts.seg_frees,
                 (unsigned long long)t.ts.seg_allocs, t.rs.peak, t.rs.segments);
    return -1;
  }
  return 0;
}

/* MISUSE inside a task: documented refusals, and who is running. */
/* Arguments every call must refuse with NG_EINVAL, whatever the state;
 * and the out-of-line forms of the inline stack calls. */
static void st_sig_noop(int sig) { (void)sig; }

/* SIGNAL CHECK: the whole table (either result), then one signal given a
 * handler without SA_ONSTACK (must be refused, by name) and with it (must
 * pass). The signal's own action is put back. */
static int st_sigcheck(st_prog *p) {
  struct sigaction old, sa;
  int sig = SIGUSR2, named = SIGUSR2, ok;

  if (st_rc(p, "signal_check", ng_stack_signal_check(NULL), NG_EINVAL,
            NG_EINVAL) != 0)
    return -1;
  if (sigaction(sig, NULL, &old) != 0)
    return 0;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = st_sig_noop;
  sigemptyset(&sa.sa_mask);
  (void)sigaction(sig, &sa, NULL);
  ok = ng_stack_signal_check(&named) == NG_EINVAL && named == sig;
  sa.sa_flags = SA_ONSTACK;
  (void)sigaction(sig, &sa, NULL);
  ok = ok && ng_stack_signal_check(&named) == NG_OK;
  (void)sigaction(sig, &old, NULL);
  if (!ok) {
    ng_fuzz_fail("stack: ng_stack_signal_check got a handler's SA_ONSTACK "
                 "wrong");
    return -1;
  }
  return 0;
}

static int st_bad_args(st_prog *p, const st_slot *self) {
  ng_task *tk = NULL;
  ng_pool *pl = NULL;
  int einval =
      ng_sched_run(NULL) == NG_EINVAL &&
      ng_task_spawn(NULL, &tk, st_task, NULL, NULL) == NG_EINVAL &&
      ng_task_spawn(p->s, &tk, NULL, NULL, NULL) == NG_EINVAL &&
      ng_task_wake(NULL) == NG_EINVAL &&
      ng_task_join(NULL, NULL) == NG_EINVAL &&
      ng_pool_new(&pl, NULL, 1, NULL) == NG_EINVAL &&
      ng_pool_new(&pl, p->s, 0, NULL) == NG_EINVAL && pl == NULL &&
      ng_pool_submit(NULL, st_task, NULL) == NG_EINVAL &&
      ng_pool_wait(NULL) == NG_EINVAL &&
      (p->pool == NULL || ng_pool_submit(p->pool, NULL, NULL) == NG_EINVAL);
  st_rec r;
  int rc;

  if (!einval) {
    ng_fuzz_fail("stack: a NULL or zero argument was not NG_EINVAL");
    return -1;
  }
  if (self != NULL && self->task != NULL) {
    rc = ng_task_join(self->task, NULL); /* EBUSY: another task joins it */
    if (rc != NG_ESTATE && rc != NG_EBUSY) {
      ng_fuzz_fail("stack: a task joining itself gave %s", ng_err_name(rc));
      return -1;
    }
  }
  {
    size_t old = ng_stack_set_max(1), low = ng_stack_get_max();
    (void)ng_stack_set_max(old);
    if (low == 0 || low > old) {
      ng_fuzz_fail("stack: ceiling 1 reads back as %zu", low);
      return -1;
    }
  }
  if (ng_stack_backend() == NULL || *ng_stack_backend() == '\0') {
    ng_fuzz_fail("stack: no backend name");
    return -1;
  }
  /* The out-of-line forms. A check may refuse where calls still grow:
   * it only looks at the room left where it stands (a task's small base,
   * a segment's end). */
  memset(&r, 0, sizeof r);
  r.depth = 8;
  rc = (ng_stack_call)(st_rec64, &r);
  if (st_rc(p, "ng_stack_check (function)", (ng_stack_check)(), NG_ESTACK,
            NG_ESTACK) != 0)
    return -1;
  return st_rc(p, "ng_stack_call (function)", rc, NG_ENOMEM, NG_ESTACK);
}

static int st_misuse(st_prog *p, const st_slot *self) {
  ng_sched *other = NULL;
  int rc = ng_sched_run(p->s);

  if (rc != NG_ESTATE) {
    ng_fuzz_fail("stack: ng_sched_run from a task gave %s", ng_err_name(rc));
    return -1;
  }
  rc = ng_sched_new(&other, NULL);
  if (rc == NG_OK)
    ng_sched_free(other);
  if (rc != NG_EBUSY && rc != NG_ENOMEM) {
    ng_fuzz_fail("stack: a second scheduler on the thread gave %s",
                 ng_err_name(rc));
    return -1;
  }
  if (self != NULL && self->task != NULL && ng_task_self() != self->task) {
    ng_fuzz_fail("stack: ng_task_self is not the running task");
    return -1;
  }
  return st_bad_args(p, self);
}

/* A pool job: a small recursion, maybe a yield, a chosen result. */
static int st_job_fn(void *arg) {
  st_job *j = arg;
  st_rec r;
  int rc;

  memset(&r, 0, sizeof r);
  r.depth = j->depth;
  r.yield_every = j->yield ? (j->depth + 1) / 2 : 0;
  r.seed = (uint8_t)j->depth;
  rc = ng_stack_call(st_rec64, &r);
  if (r.corrupt) {
    ng_fuzz_fail("stack: a frame changed in a pool job");
    return ST_JOB_FAIL;
  }
  (void)st_rc(j->p, "recursion in a pool job", rc, NG_ESTACK, NG_ENOMEM);
  return j->result;
}

/* POOL: sub-op byte: new, submit, wait, submit four. */
static int st_pool(st_prog *p) {
  uint8_t b = ng_fuzz_byte(&p->r);
  st_job *j;
  int rc, k;

  if (p->pool == NULL) {
    /* Workers never wait at the budget: a task destroyed while parked in
     * ng_pool_new would leave a half-built pool, which ng_sched_free does
     * not free (documented), and the leak check would have to allow it. */
    ng_task_opts wopts = p->topts;
    wopts.flags &= ~NG_TASK_WAIT;
    rc = ng_pool_new(&p->pool, p->s, 1 + b % 4u, &wopts);
    if (rc != NG_OK)
      p->pool = NULL;
    return st_rc(p, "pool_new", rc, NG_ENOMEM, NG_EBUSY);
  }
  switch (b % 4) {
  case 2:
    rc = ng_pool_wait(p->pool);
    return st_rc(p, "pool_wait", rc == ST_JOB_FAIL ? NG_OK : rc, NG_ESTATE,
                 NG_ENOMEM);
  default:
    for (k = 0; k < (b % 4 == 3 ? 4 : 1) && p->njob < ST_JOBS; k++) {
      if (p->levels + 1 + (b >> 2) * 8u > ST_LEVEL_BUDGET)
        return 0;
      p->levels += 1 + (b >> 2) * 8u;
      j = &p->job[p->njob++];
      j->p = p;
      j->depth = 1 + (b >> 2) * 8u;
      j->result = (b & 0x80) ? ST_JOB_FAIL : 0;
      j->yield = (b >> 6) & 1;
      rc = ng_pool_submit(p->pool, st_job_fn, j);
      if (st_rc(p, "pool_submit", rc, NG_ENOMEM, NG_ENOMEM) != 0)
        return -1;
    }
    return 0;
  }
}

static int st_spawn(st_prog *p) {
  st_slot *sl;
  int rc;

  if (p->nslot == ST_TASKS)
    return 0;
  /* Claim the slot first: with NG_TASK_WAIT the spawn may park, and the
   * tasks that run meanwhile spawn too. */
  sl = &p->slot[p->nslot];
  memset(sl, 0, sizeof *sl);
  sl->p = p;
  sl->idx = p->nslot++;
  rc = ng_task_spawn(p->s, &sl->task, st_task, sl, &p->topts);
  if (rc != NG_OK) {
    sl->task = NULL;
    sl->done = 1;
  }
  return st_rc(p, "spawn", rc, NG_ENOMEM, NG_EBUSY);
}

/* A slot chosen by the next byte, or NULL. */
static st_slot *st_pick(st_prog *p) {
  uint8_t b = ng_fuzz_byte(&p->r);

  return p->nslot ? &p->slot[b % p->nslot] : NULL;
}

static int st_join(st_prog *p, const st_slot *self) {
  st_slot *sl = st_pick(p);
  ng_task *t;
  int rc, res;

  if (sl == NULL || sl == self || sl->task == NULL)
    return 0;
  t = sl->task;
  sl->task = NULL; /* one joiner per task */
  rc = ng_task_join(t, &res);
  if (rc == NG_OK && !sl->done) {
    ng_fuzz_fail("stack: join returned before the task finished");
    return -1;
  }
  return st_rc(p, "join", rc, NG_ESTATE, NG_ENOMEM);
}

/* NG_FUZZ_TRACE=1 prints each operation (for triage by hand). */
static void st_trace(const st_prog *p, const st_slot *self, uint8_t op) {
  static int on = -1;
  ng_stack_stats st;

  if (on < 0)
    on = getenv("NG_FUZZ_TRACE") != NULL;
  if (!on)
    return;
  ng_sched_stats(p->s, &st);
  ng_fuzz_log("op %zu task %zu: %u (%u) live %zu blocks, %zu segments,"
              " %zu tasks\n",
              p->ops, self ? self->idx : (size_t)-1, op, op % 15u,
              p->fa.live_blocks, st.segments, st.tasks_live);
}

/* With NG_FUZZ_TRACE: which tasks finished, before ng_sched_free. */
static void st_trace_end(const st_prog *p) {
  size_t i;

  if (getenv("NG_FUZZ_TRACE") == NULL)
    return;
  fprintf(stderr,
          "end: %zu ops, failed allocations %zu, live %zu blocks;"
          " tasks done:",
          p->ops, p->fa.failed, p->fa.live_blocks);
  for (i = 0; i < p->nslot; i++)
    fprintf(stderr, " %zu:%s%s", i, p->slot[i].done ? "y" : "n",
            p->slot[i].task ? "" : "(joined)");
  fputc('\n', stderr);
}

/* One operation by the running task (self NULL: outside tasks). */
static int st_op(st_prog *p, const st_slot *self) {
  uint8_t op = ng_fuzz_byte(&p->r);
  st_slot *sl;
  int v;

  /* A thread (clone and join, ~25 us) and a signal check (65 sigaction
   * calls) take only their exact byte values, 1 operation in 256 rather
   * than 1 in 15: with the looser mapping nearly every program made one,
   * and they alone held the harness under 20,000 execs/s. */
  if (op >= 15 && (op % 15 == 12 || op % 15 == 13))
    op = 5; /* a recursion */
  st_trace(p, self, op);
  p->ops++;
  switch (op % 15) {
  case 0:
    return st_spawn(p);
  case 1:
    return st_rc(p, "yield", ng_task_yield(), NG_ENOMEM, NG_ESTATE);
  case 2:
    return st_rc(p, "park", ng_task_park(), NG_ENOMEM, NG_ESTATE);
  case 3:
    sl = st_pick(p);
    if (sl == NULL || sl->task == NULL)
      return 0;
    return st_rc(p, "wake", ng_task_wake(sl->task), NG_ESTATE, NG_ESTATE);
  case 4:
    return st_join(p, self);
  case 5:
  case 6:
    return st_recurse(p, 0);
  case 7:
    v = op / 10;
    if (ng_stack_call_system(st_system_fn, &v) != 0) {
      ng_fuzz_fail("stack: function on the system stack failed");
      return -1;
    }
    return 0;
  case 8:
    return st_rc(p, "check", ng_stack_check(), NG_ESTACK, NG_ESTACK);
  case 9:
    return st_stats(p);
  case 10:
    return st_recurse(p, 1);
  case 11:
    return st_pool(p);
  case 12:
    if (p->sigchecks >= ST_SIGCHECKS)
      return 0;
    p->sigchecks++;
    return st_sigcheck(p);
  case 13:
    return st_thread(p);
  default:
    return st_misuse(p, self);
  }
}

static int st_task(void *arg) {
  st_slot *sl = arg;
  st_prog *p = sl->p;

  while (p->r.n > 0 && p->ops < ST_OPS)
    if (st_op(p, sl) != 0)
      break;
  sl->done = 1;
  return (int)sl->idx;
}

/*
 * Header (NG_FUZZ_SETTINGS_BYTES = 8):
 *   [0] bits 0-1 shared stacks - 1, 2 private tasks, 3 NG_TASK_WAIT,
 *       4 fail every allocation from fail_at on, 5 install sigaltstack
 *   [1] task max_stack (x4 KiB)   [2] max_tasks (low 4 bits)
 *   [3] max_stack_bytes (x4 KiB)  [4] pool_bytes (x4 KiB)
 *   [5] shared_size (x4 KiB, bit 7 ignored)  [6..7] fail_at, little end.
 */
static int st_setup(st_prog *p, ng_sched_opts *so) {
  uint8_t b0 = ng_fuzz_byte(&p->r), b1 = ng_fuzz_byte(&p->r);
  uint8_t b2 = ng_fuzz_byte(&p->r), b3 = ng_fuzz_byte(&p->r);
  uint8_t b4 = ng_fuzz_byte(&p->r), b5 = ng_fuzz_byte(&p->r);
  uint8_t lo = ng_fuzz_byte(&p->r), hi = ng_fuzz_byte(&p->r);
  size_t fail_at = (size_t)lo | (size_t)hi << 8;

  memset(so, 0, sizeof *so);
  ng_fuzz_arm(&p->fa, fail_at, (b0 & 0x10) != 0);
  so->alc = &p->fa.alc;
  so->shared_stacks = (b0 & 3u) + 1;
  so->no_sigaltstack = !(b0 & 0x20);
  so->max_tasks = b2 & 15u;
  so->max_stack_bytes = ng_fuzz_limit(b3, 4096);
  so->pool_bytes = ng_fuzz_limit(b4, 4096);
  /* At most 4 MiB: ASan touches the shadow of every shared stack, and a
   * gigabyte each would make a slow input, not a finding. */
  so->shared_size = ng_fuzz_limit(b5 & 0x7f, 4096);
  p->topts.max_stack = ng_fuzz_limit(b1, 4096);
  p->topts.flags =
      ((b0 & 4) ? NG_TASK_PRIVATE : 0) | ((b0 & 8) ? NG_TASK_WAIT : 0);
  p->strict =
      fail_at == 0 && b1 == 0 && so->max_tasks == 0 && so->max_stack_bytes == 0;
  return 0;
}

/* Runs the scheduler, waking parked tasks a few rounds, then joins. */
static int st_drive(st_prog *p) {
  size_t i;
  int round, rc, ret = 0;

  /* Outside tasks: no task runs, and task-only calls refuse. */
  if (ng_task_self() != NULL || ng_task_yield() != NG_ESTATE ||
      ng_task_park() != NG_ESTATE) {
    ng_fuzz_fail("stack: task calls outside a task did not refuse");
    return -1;
  }
  for (round = 0; round < 4 && ret == 0; round++) {
    ret = st_rc(p, "sched_run", ng_sched_run(p->s), NG_ENOMEM, NG_ENOMEM);
    for (i = 0; i < p->nslot && ret == 0; i++)
      if (p->slot[i].task != NULL && !p->slot[i].done)
        ret = st_rc(p, "wake", ng_task_wake(p->slot[i].task), NG_ESTATE,
                    NG_ESTATE);
  }
  if (p->pool != NULL && ret == 0) {
    rc = ng_pool_wait(p->pool);
    ret = st_rc(p, "pool_wait", rc == ST_JOB_FAIL ? NG_OK : rc, NG_ESTATE,
                NG_ENOMEM);
  }
  ng_pool_free(p->pool);
  p->pool = NULL;
  for (i = 0; i < p->nslot && ret == 0; i++) {
    if (p->slot[i].task == NULL || !p->slot[i].done)
      continue; /* parked forever: ng_sched_free destroys it */
    ret = st_rc(p, "join", ng_task_join(p->slot[i].task, NULL), NG_ESTATE,
                NG_ENOMEM);
    p->slot[i].task = NULL;
  }
  return ret == 0 ? st_stats(p) : ret;
}

int ng_fuzz_stack_tasks(const uint8_t *data, size_t size) {
  static st_prog prog; /* big; one program at a time */
  st_prog *p = &prog;
  ng_sched_opts so;
  int rc, ret;

  if (size < NG_FUZZ_SETTINGS_BYTES)
    return 0;
  memset(p, 0, sizeof *p);
  p->r.p = data;
  p->r.n = size;
  st_setup(p, &so);
  rc = ng_sched_new(&p->s, &so);
  if (rc != NG_OK)
    return st_rc(p, "sched_new", rc, NG_ENOMEM, NG_EINVAL) == 0
               ? ng_fuzz_check_alloc("stack", &p->fa)
               : -1;
  ret = st_spawn(p);
  if (ret == 0)
    ret = st_drive(p);
  st_trace_end(p);
  ng_sched_free(p->s);
  /* ng_sched_free destroys tasks still suspended (deadlocked on a join
   * or a budget) and, as documented, does not free what they allocated
   * themselves; these tasks allocate nothing themselves, so the runtime
   * must free all of its own state (segments, trampolines, task structs),
   * destroyed tasks included. */
  return ret == 0 ? ng_fuzz_check_alloc("stack", &p->fa) : ret;
}

NG_FUZZ_ENTRY(ng_fuzz_stack_tasks)
