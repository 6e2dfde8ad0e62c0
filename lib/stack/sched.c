/*
 * lib/stack/sched.c - tasks and the M:1 scheduler of a thread.
 *
 * Contexts. The run loop is itself a context (s->loop, on the thread
 * stack); every switch is from one context to another through switch_to(),
 * which also moves the thread's stack state (t->cur, the fast-path limit,
 * the task's base bounds) so that ng_stack_call keeps working in tasks.
 *
 * Shared base stacks (libaco's model). A task's base is one of s->homes;
 * home->owner is the task whose bytes are on it. Before a task resumes,
 * make_resident() copies the owner's live bytes out (evict) and the task's
 * saved bytes back in, at the same addresses. A task suspended on a
 * segment has its base live bytes above t->home_left; otherwise above its
 * saved stack pointer. Switching between two tasks of the same home cannot
 * copy under the running task's feet, so it goes through the loop.
 *
 * Lifecycle: RUNNABLE (in the run queue) -> RUNNING -> PARKED or RUNNABLE
 * ... -> DONE. An exiting task switches to the loop, which releases its
 * stacks (reap); a joinable task's struct then waits for ng_task_join.
 */
#include <string.h>

#include "stack/stack_int.h"

#define TASK_BASE ((size_t)2048) /* checked bytes on a shared base */
#define HOMES_DEFAULT 4u
#define HOME_SIZE_DEFAULT ((size_t)64 * 1024)
#define POOL_DEFAULT ((size_t)8 << 20)
/* Task structs kept for reuse (Go keeps dead g's on a free list too):
 * steady spawn/exit then costs no allocator call. */
#define TASK_CACHE 4096u

/* T_WAITING: parked in spawn for the budget; only the budget wakes it
 * (ng_task_wake just leaves a permit), so the waiter list stays intact. */
enum { T_RUNNABLE, T_RUNNING, T_PARKED, T_WAITING, T_DONE };

/* A permit: the next park returns at once, NG_OK or NG_ECANCELED. */
enum { P_NONE, P_WAKE, P_CANCEL };

typedef struct ng__home {
  uintptr_t lo; /* usable bytes [lo, top) */
  uintptr_t top;
  ng_task *owner; /* task whose bytes are on it; NULL: none */
  void *mem;      /* the allocation */
  unsigned vg_id; /* valgrind stack id */
} ng__home;

struct ng_task {
  ng__ctx ctx;         /* registers while suspended */
  ng__stk stk;         /* its growable stack */
  ng__stk *cur;        /* t->cur while suspended (runs may nest; the
                          fast-path limit follows from it) */
  uintptr_t home_left; /* t->home_left while suspended */
  ng_task *next;       /* run queue or budget waiters */
  ng_task *all_prev;   /* every task of the scheduler */
  ng_task *all_next;
  union {
    ng_task *joiner; /* until DONE: task waiting in ng_task_join */
    int result;      /* once DONE: fn's return value */
  };
  ng__home *home;         /* shared base stack, or NULL */
  ng__seg *priv;          /* private base stack, or NULL */
  unsigned char *save;    /* live base bytes, copied out; NULL: resident
                             or not started */
  uint32_t save_len;      /* bytes in save (its exact size) */
  unsigned char state;    /* T_* */
  unsigned char permit;   /* P_*: a wake arrived while not parked */
  unsigned char wake_rc;  /* woken while parked: what the park returns,
                             NG_OK or NG_ECANCELED (ng_task_cancel) */
  unsigned char detached; /* freed when it ends */
#if NG__TOOL_ASAN
  int (*fn)(void *); /* body, for task_first */
  void *arg;
  void *fake;        /* ASan fake stack while suspended */
  const void *as_lo; /* stack bounds ASan last saw for this context */
  size_t as_size;
#endif
#if NG__TOOL_TSAN
  void *fiber; /* TSan fiber: this context's call stack and clock */
#endif
};

struct ng_sched {
  ng_task loop;     /* the run loop's context */
  ng_task *run;     /* context running now: a task or &loop */
  ng_task *prev;    /* context that switched to run */
  ng_task *rq_head; /* run queue, FIFO */
  ng_task *rq_tail;
  ng_task *waiters; /* tasks waiting in spawn for the budget */
  ng_task *zombie;  /* ended task for the loop to reap */
  ng_task *all;     /* every live task */
  ng__home *homes;  /* shared base stacks */
  unsigned nhomes;
  unsigned next_home;    /* round-robin assignment */
  size_t home_size;      /* bytes of each home allocation */
  size_t max_stack;      /* default task ceiling; 0: global */
  size_t max_tasks;      /* live-task budget; 0: none */
  int loop_on_sys;       /* t->on_sys of the loop while it is switched out */
  uintptr_t loop_sys_sp; /* t->sys_sp of the loop likewise */
  ng_task *spare;        /* freed task structs kept for reuse */
  unsigned nspare;
  ng__thr *thr; /* owning thread */
  const ng_alloc *alc;
  ng__segpool pool; /* idle segments */
  ng__env env;      /* segment source of the tasks */
  ng_stack_stats st;
};

/* ----------------------------------------------------------- queues */

static void rq_push(ng_sched *s, ng_task *a) {
  a->next = NULL;
  if (s->rq_tail != NULL)
    s->rq_tail->next = a;
  else
    s->rq_head = a;
  s->rq_tail = a;
}

static ng_task *rq_pop(ng_sched *s) {
  ng_task *a = s->rq_head;
  if (a != NULL) {
    s->rq_head = a->next;
    if (s->rq_head == NULL)
      s->rq_tail = NULL;
    a->next = NULL;
  }
  return a;
}

static void make_runnable(ng_sched *s, ng_task *a) {
  if (a->state == T_PARKED || a->state == T_WAITING)
    s->st.tasks_parked--;
  a->state = T_RUNNABLE;
  rq_push(s, a);
}

/* ------------------------------------------------------ base stacks */

static void base_bounds(const ng_task *a, uintptr_t *lo, uintptr_t *hi) {
  if (a->home != NULL) {
    *lo = a->home->lo;
    *hi = a->home->top;
  } else if (a->priv != NULL) {
    *lo = (uintptr_t)(a->priv + 1);
    *hi = ng__seg_top(a->priv);
  } else {
    *lo = *hi = 0; /* the loop */
  }
}

/* Start of a suspended task's live bytes on its home. */
static uintptr_t live_lo(const ng_task *a) {
  return a->home_left != 0 ? a->home_left : ng__ctx_sp(&a->ctx);
}

static void save_release(ng__thr *t, ng_sched *s, ng_task *a) {
  if (a->save == NULL)
    return;
  s->st.saved_bytes -= a->save_len;
  s->st.stack_inuse -= a->save_len;
  s->st.stack_sys -= a->save_len;
  ng__sys_free(t, s->alc, a->save, a->save_len);
  a->save = NULL;
  a->save_len = 0;
}

/* Copies the live bytes of c (suspended, owner of its home) out, into a
 * buffer of their size: it goes when they are copied back, so a task
 * keeps none while it runs and no more than it left while parked (none
 * when it parked in its function by a tail call: its resume address is
 * in its context). */
static int evict(ng__thr *t, ng_sched *s, ng_task *c) {
  uintptr_t lo = live_lo(c);
  size_t len = c->home->top - lo;

  if (len != 0) {
    unsigned char *p = ng__sys_malloc(t, s->alc, len);
    if (p == NULL)
      return NG_ENOMEM;
    ng__tool_stack_save((void *)lo, len);
    memcpy(p, (const void *)lo, len);
    c->save = p;
    c->save_len = (uint32_t)len;
    ng__stat_inuse(&s->st, len, 0);
    s->st.stack_sys += len;
    s->st.saved_bytes += len;
    s->st.copied_bytes += len;
  }
  c->home->owner = NULL;
  return NG_OK;
}

/* make_resident when b's bytes are not on its home: out of line, so
 * that the common case (a task run again on its own home) costs a test. */
static NG_NOINLINE int bring_home(ng__thr *t, ng_sched *s, ng_task *b) {
  ng__home *h = b->home;
  int rc;

  if (h->owner != NULL) {
    rc = evict(t, s, h->owner);
    if (rc != NG_OK)
      return rc;
  }
  if (b->save != NULL) {
    /* Stale ASan poison and valgrind's idea of the old frames go. */
    ng__tool_stack_restore((void *)h->lo, h->top - h->lo);
    memcpy((void *)(h->top - b->save_len), b->save, b->save_len);
    s->st.copied_bytes += b->save_len;
    save_release(t, s, b);
  }
  h->owner = b;
  return NG_OK;
}

/* Makes b's bytes the ones on its home. Must not run on that home. */
static inline int make_resident(ng__thr *t, ng_sched *s, ng_task *b) {
  if (b->home == NULL || b->home->owner == b)
    return NG_OK;
  return bring_home(t, s, b);
}

/* ------------------------------------------------------- switching */

static void tool_bounds(const ng_task *b, const void **lo, size_t *size) {
#if NG__TOOL_ASAN
  if (b->as_size != 0) {
    *lo = b->as_lo;
    *size = b->as_size;
    return;
  }
#endif
  {
    uintptr_t l, h;
    base_bounds(b, &l, &h);
    *lo = (const void *)l;
    *size = h - l;
  }
}

/* Tells TSan that b's context is entered next: right before the swap.
 * Always inlined: returning from a call of its own would count against
 * b's call stack. */
NG_ALWAYS_INLINE void tool_enter(ng_task *b) {
#if NG__TOOL_TSAN
  ng__tool_fiber_switch(b->fiber);
#else
  (void)b;
#endif
}

#if NG__TOOL_TSAN
static int fiber_new_tramp(void *p) {
  ((ng_task *)p)->fiber = ng__tool_fiber_new();
  return 0;
}

static int fiber_free_tramp(void *p) {
  ng__tool_fiber_free(((ng_task *)p)->fiber);
  return 0;
}
#endif

/* b's fiber: a new one for a task (its context has not run yet), the
 * thread's own for the loop. TSan's fiber calls have unknown stack needs
 * (1.8 KiB to create one under gcc 12), so they run on the system stack. */
static void tool_fiber_init(ng__thr *t, ng_task *b, int loop) {
#if NG__TOOL_TSAN
  if (loop)
    b->fiber = ng__tool_fiber_self();
  else
    ng__sys_call(t, fiber_new_tramp, b);
#else
  (void)t;
  (void)b;
  (void)loop;
#endif
}

/* A task's fiber goes with its stacks (b is not running; idempotent). */
static void tool_fiber_free(ng__thr *t, ng_task *b) {
#if NG__TOOL_TSAN
  if (b->fiber != NULL)
    ng__sys_call(t, fiber_free_tramp, b);
  b->fiber = NULL;
#else
  (void)t;
  (void)b;
#endif
}

static void tool_arrived(ng_sched *s, void *fake) {
#if NG__TOOL_ASAN
  ng__tool_switch_finish(fake, &s->prev->as_lo, &s->prev->as_size);
#else
  (void)s;
  (void)fake;
#endif
}

/* Moves the thread's stack state from a to b, before the register swap.
 * This and switch_to are the hot path of every task switch. Returns what
 * b's park returns if b was woken from one: its wake_rc, consumed (NG_OK
 * for any other switch back to b). */
static inline int state_to(ng__thr *t, ng_sched *s, ng_task *a, ng_task *b) {
  int rc = b->wake_rc;

  b->wake_rc = NG_OK;
  a->cur = t->cur;
  a->home_left = t->home_left;
  if (NG_UNLIKELY(a == &s->loop)) {
    s->loop_on_sys = t->on_sys;
    s->loop_sys_sp = t->sys_sp;
    if (t->on_sys) /* tasks' system calls run below the loop */
      t->sys_sp = (NG__HERE() - NG__RESERVE) & ~(uintptr_t)15;
    t->on_sys = 0;
  }
  if (NG_UNLIKELY(b == &s->loop)) {
    t->on_sys = s->loop_on_sys;
    t->sys_sp = s->loop_sys_sp;
    t->task = NULL;
  } else {
    b->state = T_RUNNING;
    t->task = b;
  }
  t->cur = b->cur;
  ng__stack_limit = ng__stk_limit(b->cur);
  t->home_left = b->home_left;
  s->prev = a;
  s->run = b;
  s->st.switches++;
  return rc;
}

/* Switches from a to b. Returns, once a is resumed, what the switch that
 * resumed it passed (state_to): the swap is the last call but under ASan,
 * so that a park leaves no frame of its own under the switch. */
static inline int switch_to(ng__thr *t, ng_sched *s, ng_task *a, ng_task *b) {
  const void *lo;
  size_t size;
  void **fake = NULL;
  int data = state_to(t, s, a, b), rc;

  if (NG__TOOL_ASAN) {
    tool_bounds(b, &lo, &size);
#if NG__TOOL_ASAN
    fake = &a->fake;
#endif
    ng__tool_switch_start(fake, lo, size);
  }
  tool_enter(b);
  rc = ng__ctx_swap(&a->ctx, &b->ctx, data);
  tool_arrived(s, fake != NULL ? *fake : NULL);
  return rc;
}

int ng__task_on_base(const ng_task *a, uintptr_t sp) {
  uintptr_t lo, hi;
  base_bounds(a, &lo, &hi);
  return sp - lo < hi - lo;
}

/*
 * a stops running (it is already queued, parked or waiting): switch to the
 * next runnable task directly when that is safe, else to the loop.
 * Returns what a's resumer passed (switch_to).
 */
NG_ALWAYS_INLINE int leave(ng__thr *t, ng_sched *s, ng_task *a) {
  ng_task *b = s->rq_head;

  if (b != NULL && (b->home == NULL || b->home != a->home) &&
      (b->home == NULL || b->home->owner == b ||
       make_resident(t, s, b) == NG_OK)) {
    rq_pop(s);
    return switch_to(t, s, a, b);
  }
  return switch_to(t, s, a, &s->loop);
}

/* ---------------------------------------------------------- the loop */

static void reap(ng__thr *t, ng_sched *s, ng_task *a);

/* From the loop, runs b (resident, off the run queue) until control
 * returns to the loop; then reaps a task that ended. */
NG_ALWAYS_INLINE void loop_enter(ng__thr *t, ng_sched *s, ng_task *b) {
  ng_task *z;

  switch_to(t, s, &s->loop, b);
  z = s->zombie;
  if (z != NULL) {
    s->zombie = NULL;
    reap(t, s, z);
  }
}

/* Runs the first runnable task until control returns to the loop.
 * Returns 1 if one ran, 0 if none is runnable, or -code. */
static int loop_once(ng__thr *t, ng_sched *s) {
  ng_task *b = s->rq_head;
  int rc;

  if (b == NULL)
    return 0;
  rc = make_resident(t, s, b);
  if (rc != NG_OK)
    return -rc;
  rq_pop(s);
  loop_enter(t, s, b);
  return 1;
}

/* ng_sched_run's loop, from the loop context. */
static int run_all(ng__thr *t, ng_sched *s) {
  int rc;

  while ((rc = loop_once(t, s)) > 0)
    ;
  return -rc;
}

int ng_sched_run(ng_sched *s) {
  ng__thr *t = ng__thr_get();

  if (s == NULL || s->thr != t)
    return NG_EINVAL;
  if (s->run != &s->loop)
    return NG_ESTATE;
  return run_all(t, s);
}

/* --------------------------------------------------- task lifecycle */

static void wake_waiter(ng_sched *s) {
  ng_task *w = s->waiters;
  if (w != NULL) {
    s->waiters = w->next;
    w->next = NULL;
    make_runnable(s, w);
  }
}

static void unlink_all(ng_sched *s, ng_task *a) {
  if (a->all_prev != NULL)
    a->all_prev->all_next = a->all_next;
  else
    s->all = a->all_next;
  if (a->all_next != NULL)
    a->all_next->all_prev = a->all_prev;
}

static void task_free(ng__thr *t, ng_sched *s, ng_task *a) {
  unlink_all(s, a);
  s->st.tasks_live--;
  if (s->nspare < TASK_CACHE) {
    a->next = s->spare;
    s->spare = a;
    s->nspare++;
  } else {
    ng__sys_free(t, s->alc, a, sizeof *a);
  }
  wake_waiter(s);
}

static ng_task *task_alloc(ng__thr *t, ng_sched *s) {
  ng_task *a = s->spare;
  if (a != NULL) {
    s->spare = a->next;
    s->nspare--;
    return a;
  }
  return ng__sys_malloc(t, s->alc, sizeof *a);
}

/* Where the n bytes a suspended task had at p are now: in its save
 * buffer when they lay on its shared base and were copied out. */
static const void *task_bytes(const ng_task *a, const void *p, size_t n) {
  uintptr_t u = (uintptr_t)p, lo;

  if (a->home == NULL || a->home->owner == a || a->save == NULL)
    return p;
  lo = a->home->top - a->save_len;
  if (u >= lo && u + n <= a->home->top)
    return a->save + (u - lo);
  return p;
}

/* A task destroyed inside ng_stack_run (nested runs, each on the one
 * before): the runs' stacks hold segments from their own allocators that
 * nothing else knows about. Their structs live on the task's stacks, so
 * they are read (through copies) innermost first, before anything that
 * could hold them is freed. */
static void release_runs(ng__thr *t, ng_task *a) {
  const ng__stk *p = a->cur;

  while (p != NULL && p != &a->stk && p != &t->main && p != &t->sys) {
    ng__run r; /* p is a run's stk, its first member */
    ng__env env;

    memcpy(&r, task_bytes(a, p, sizeof r), sizeof r);
    memcpy(&env, task_bytes(a, r.stk.env, sizeof env), sizeof env);
    r.stk.env = &env;
    p = r.outer;
    ng__stk_abandon(t, &r.stk);
  }
  a->cur = &a->stk;
}

/* Releases every stack resource of a (ended, or being destroyed). */
static void release_stacks(ng__thr *t, ng_sched *s, ng_task *a) {
  tool_fiber_free(t, a);
  release_runs(t, a);
  ng__stk_abandon(t, &a->stk); /* a destroyed task may be on a segment */
  save_release(t, s, a);
  if (a->home != NULL && a->home->owner == a)
    a->home->owner = NULL;
  if (a->priv != NULL) {
    ng__stat_inuse(&s->st, 0, a->priv->size);
    ng__seg_put(t, &a->stk, a->priv);
    s->st.shrinks--; /* a base, not a shrink */
    a->priv = NULL;
  }
}

static void reap(ng__thr *t, ng_sched *s, ng_task *a) {
  release_stacks(t, s, a);
  if (a->detached)
    task_free(t, s, a);
  else
    wake_waiter(s);
}

NG_ALWAYS_INLINE void task_exit(ng__thr *t, ng_sched *s, ng_task *a,
                                  int rc) {
  ng_task *j = a->joiner; /* result takes its place */
  const void *lo;
  size_t size;
  int data;

  a->result = rc;
  a->state = T_DONE;
  if (j != NULL && j->state == T_PARKED)
    make_runnable(s, j);
  s->zombie = a;
  data = state_to(t, s, a, &s->loop);
  tool_bounds(&s->loop, &lo, &size);
  ng__tool_switch_start(NULL, lo, size); /* this stack ends for good */
  tool_enter(&s->loop);
  ng__ctx_swap(&a->ctx, &s->loop.ctx, data);
}

/* The end of the running task, whose function returned rc (ng__ctx_init's
 * done). The task's function is the first frame on its stack (no frame
 * of the runtime's stays under everything the task keeps while
 * suspended), so the thread and the scheduler are read again here. */
static void task_done(int rc) {
  ng__thr *t = ng__thr_get();
  ng_sched *s = t->sched;

  task_exit(t, s, s->run, rc);
}

#if NG__TOOL_ASAN
/* Under ASan the first frame of every task: ASan hears of the switch from
 * inside the new context before anything runs there, and the end is
 * inline: a frame of its own that never returns would leave its redzones
 * poisoned on the shared stack, where the next task's first frames trip
 * on them. */
static int task_first(void *p) {
  ng_task *a = p;
  ng__thr *t;
  int rc;

  tool_arrived(ng__thr_get()->sched, NULL);
  rc = a->fn(a->arg);
  t = ng__thr_get();
  task_exit(t, t->sched, a, rc);
  return rc;
}
#endif

/* Makes a's context run fn(arg) on [lo, top), then task_done. */
static void task_ctx(ng_task *a, uintptr_t lo, uintptr_t top,
                     int (*fn)(void *), void *arg) {
#if NG__TOOL_ASAN
  a->fn = fn;
  a->arg = arg;
  ng__ctx_init(&a->ctx, (void *)lo, (void *)top, task_first, a, task_done);
#else
  ng__ctx_init(&a->ctx, (void *)lo, (void *)top, fn, arg, task_done);
#endif
}

static int in_task(const ng_sched *s) {
  return s != NULL && s->run != &s->loop;
}

/* Waits until the budget lets one more task in (see ng_task_spawn). */
static int spawn_budget(ng__thr *t, ng_sched *s, unsigned flags) {
  int rc;

  while ((s->max_tasks != 0 && s->st.tasks_live >= s->max_tasks) ||
         (s->env.budget != 0 && s->st.stack_inuse >= s->env.budget)) {
    if (!(flags & NG_TASK_WAIT))
      return NG_EBUSY;
    if (in_task(s)) {
      ng_task *a = s->run;
      if (t->on_sys)
        return NG_ESTATE;
      a->next = s->waiters;
      s->waiters = a;
      a->state = T_WAITING;
      s->st.tasks_parked++;
      leave(t, s, a);
      continue;
    }
    rc = loop_once(t, s);
    if (rc == 0)
      return NG_EBUSY;
    if (rc < 0)
      return -rc;
  }
  return NG_OK;
}

/* Field by field: a memset of the whole struct (rep stos) was half the
 * cost of a spawn. ctx and stk are set by their own initialisers. */
static void task_clear(ng_task *a) {
  a->home_left = 0;
  a->next = NULL;
  a->all_prev = NULL;
  a->joiner = NULL;
  a->home = NULL;
  a->priv = NULL;
  a->save = NULL;
  a->save_len = 0;
  a->permit = P_NONE;
  a->wake_rc = NG_OK;
#if NG__TOOL_ASAN
  a->fake = NULL;
  a->as_lo = NULL;
  a->as_size = 0;
#endif
}

/* Gives a its base: a private segment or a home. */
static int task_base(ng__thr *t, ng_sched *s, ng_task *a, unsigned flags,
                     uintptr_t *lo, uintptr_t *top) {
  int rc;

  if ((flags & NG_TASK_PRIVATE) || s->nhomes == 0) {
    rc = ng__seg_get(t, &a->stk, NG__SEG_FIRST, &a->priv);
    if (rc != NG_OK)
      return rc == NG_ESTACK ? NG_EBUSY : rc;
    ng__stat_inuse(&s->st, a->priv->size, 0);
    *lo = (uintptr_t)(a->priv + 1);
    *top = ng__seg_top(a->priv);
    a->stk.base_limit = a->priv->limit;
  } else {
    a->home = &s->homes[s->next_home];
    s->next_home = s->next_home + 1 < s->nhomes ? s->next_home + 1 : 0;
    *lo = a->home->lo;
    *top = a->home->top;
    a->stk.base_limit = *top - TASK_BASE;
  }
  a->stk.base_top = *top;
  return NG_OK;
}

int ng_task_spawn(ng_sched *s, ng_task **out, int (*fn)(void *), void *arg,
                  const ng_task_opts *opts) {
  ng__thr *t = ng__thr_get();
  unsigned flags = opts != NULL ? opts->flags : 0;
  uintptr_t lo, top;
  size_t max;
  ng_task *a;
  int rc;

  if (s == NULL || fn == NULL || s->thr != t)
    return NG_EINVAL;
  max = opts != NULL && opts->max_stack != 0 ? opts->max_stack : s->max_stack;
  rc = spawn_budget(t, s, flags);
  if (rc != NG_OK)
    return rc;
  a = task_alloc(t, s);
  if (a == NULL)
    return NG_ENOMEM;
  task_clear(a);
  ng__stk_init(&a->stk, 0, max, &s->env);
  rc = task_base(t, s, a, flags, &lo, &top);
  if (rc != NG_OK) {
    a->next = s->spare;
    s->spare = a;
    s->nspare++;
    return rc;
  }
  tool_fiber_init(t, a, 0);
  a->cur = &a->stk;
  a->detached = out == NULL;
  task_ctx(a, lo, top, fn, arg);
  a->all_next = s->all;
  if (s->all != NULL)
    s->all->all_prev = a;
  s->all = a;
  if (++s->st.tasks_live > s->st.tasks_peak)
    s->st.tasks_peak = s->st.tasks_live;
  s->st.tasks_spawned++;
  a->state = T_RUNNABLE;
  rq_push(s, a);
  if (out != NULL)
    *out = a;
  return NG_OK;
}

/* The running task, or NULL; NG_ESTATE cases of yield and park. */
static ng_task *current(ng__thr **tp, ng_sched **sp) {
  ng__thr *t = ng__thr_get();
  ng_sched *s = t->sched;

  *tp = t;
  *sp = s;
  if (!in_task(s) || t->on_sys)
    return NULL;
  return s->run;
}

int ng_task_yield(void) {
  ng__thr *t;
  ng_sched *s;
  ng_task *a = current(&t, &s);

  if (a == NULL)
    return NG_ESTATE;
  if (s->rq_head == NULL)
    return NG_OK; /* nobody else to run */
  a->state = T_RUNNABLE;
  rq_push(s, a);
  leave(t, s, a);
  return NG_OK;
}

/* The switch of a park: the running task leaves, the thread and the
 * scheduler read again. ng_task_park tail-calls it and it tail-calls the
 * switch, so that a parked task's saved stack holds no frame of the
 * park's: its resume address is in its context. */
static NG_NOINLINE int park_leave(void) {
  ng__thr *t = ng__thr_get();
  ng_sched *s = t->sched;

  return leave(t, s, s->run);
}

int ng_task_park(void) {
  ng__thr *t;
  ng_sched *s;
  ng_task *a = current(&t, &s);

  if (a == NULL)
    return NG_ESTATE;
  if (a->permit != P_NONE) {
    int rc = a->permit == P_CANCEL ? NG_ECANCELED : NG_OK;
    a->permit = P_NONE;
    return rc;
  }
  a->state = T_PARKED;
  s->st.tasks_parked++;
  if (a->stk.seg == NULL && t->cur == &a->stk) { /* base depth counts */
    size_t depth = a->stk.base_top - NG__HERE();
    if (depth > a->stk.peak)
      a->stk.peak = depth;
  }
  if (ng__stk_cached(t->cur) != NULL) /* a parked task keeps no cache */
    ng__stk_trim(t, t->cur);
  return park_leave();
}

/* ng_task_wake and ng_task_cancel: b's park returns code. A cancel's
 * permit is not lost to a later wake's. */
static int wake_with(ng_task *b, int code) {
  ng_sched *s = ng__thr_get()->sched;

  if (b == NULL || s == NULL)
    return NG_EINVAL;
  if (b->state == T_DONE)
    return NG_ESTATE;
  if (b->state == T_PARKED) {
    b->wake_rc = (unsigned char)code;
    make_runnable(s, b);
  } else if (b->permit != P_CANCEL) {
    b->permit = code == NG_OK ? P_WAKE : P_CANCEL;
  }
  return NG_OK;
}

int ng_task_wake(ng_task *b) { return wake_with(b, NG_OK); }

/*
 * The hand-off: with nothing else runnable, the queue would hold b alone,
 * so the loop switches to b at once instead (b's bytes made resident
 * first, as loop_once does; that failing leaves b queued, as a wake and a
 * failed run would). Otherwise, a wake and a run.
 */
int ng_task_resume(ng_task *b) {
  ng__thr *t = ng__thr_get();
  ng_sched *s = t->sched;
  int rc;

  if (b == NULL || s == NULL)
    return NG_EINVAL;
  if (b->state != T_PARKED || s->rq_head != NULL || s->run != &s->loop) {
    rc = wake_with(b, NG_OK);
    return rc != NG_OK ? rc : ng_sched_run(s);
  }
  s->st.tasks_parked--;
  b->wake_rc = NG_OK;
  rc = make_resident(t, s, b);
  if (rc != NG_OK) {
    b->state = T_RUNNABLE;
    rq_push(s, b);
    return rc;
  }
  loop_enter(t, s, b);
  return s->rq_head != NULL ? run_all(t, s) : NG_OK;
}

int ng_task_cancel(ng_task *b) { return wake_with(b, NG_ECANCELED); }

int ng_task_join(ng_task *b, int *result) {
  ng__thr *t = ng__thr_get();
  ng_sched *s = t->sched;
  int rc;

  if (b == NULL || s == NULL || b->detached)
    return NG_EINVAL;
  if (b->state != T_DONE && b->joiner != NULL && b->joiner != s->run)
    return NG_EBUSY;
  while (b->state != T_DONE) {
    if (in_task(s)) {
      if (b == s->run)
        return NG_ESTATE;
      b->joiner = s->run;
      rc = ng_task_park();
    } else {
      rc = loop_once(t, s);
      rc = rc == 0 ? NG_ESTATE : rc < 0 ? -rc : NG_OK;
    }
    if (rc != NG_OK)
      return rc;
  }
  if (s->zombie == b) { /* ended, loop not back yet: reap now */
    s->zombie = NULL;
    release_stacks(t, s, b);
  }
  if (result != NULL)
    *result = b->result;
  task_free(t, s, b);
  return NG_OK;
}

ng_task *ng_task_self(void) {
  ng_sched *s = ng__thr_get()->sched;
  return in_task(s) ? s->run : NULL;
}

void ng_task_stats_get(const ng_task *a, ng_task_stats *st) {
  const ng__seg *g;
  size_t segs = 0, bytes = 0;

  for (g = a->stk.first; g != NULL; g = g->next) {
    segs++;
    bytes += g->size;
  }
  st->segments = segs;
  st->stack_bytes = bytes + a->save_len;
  if (a->priv != NULL)
    st->stack_bytes += a->priv->size;
  else if (a->home != NULL && a->home->owner == a && a->state != T_RUNNING)
    st->stack_bytes += a->home->top - live_lo(a);
  st->peak = a->stk.peak;
  st->grows = a->stk.grows;
}

/* ------------------------------------------------------- scheduler */

/* Frees the first s->nhomes homes and the array of n entries. */
static void homes_free(ng_sched *s, unsigned n) {
  unsigned i;
  for (i = 0; i < s->nhomes; i++) {
    ng__tool_stack_drop(s->homes[i].vg_id);
    ng__free(s->alc, s->homes[i].mem, s->home_size);
    s->st.stack_sys -= s->home_size;
  }
  ng__free(s->alc, s->homes, sizeof *s->homes * n);
  s->homes = NULL;
  s->nhomes = 0;
}

static int homes_new(ng_sched *s, unsigned n) {
  unsigned i;

  if (!NG__CTX_HAS_SP)
    return NG_OK; /* copying needs the saved stack pointer */
  s->homes = ng__malloc(s->alc, sizeof *s->homes * n);
  if (s->homes == NULL)
    return NG_ENOMEM;
  for (i = 0; i < n; i++) {
    ng__home *h = &s->homes[i];
    h->mem = ng__malloc(s->alc, s->home_size);
    if (h->mem == NULL) {
      homes_free(s, n);
      return NG_ENOMEM;
    }
    h->lo = ((uintptr_t)h->mem + 15) & ~(uintptr_t)15;
    h->top = ((uintptr_t)h->mem + s->home_size) & ~(uintptr_t)15;
    h->owner = NULL;
    h->vg_id = ng__tool_stack_add((void *)h->lo, (void *)h->top);
    s->nhomes = i + 1;
    s->st.stack_sys += s->home_size;
  }
  return NG_OK;
}

static void sched_opts(ng_sched *s, const ng_sched_opts *o) {
  s->alc = o->alc;
  s->max_stack = o->max_stack;
  s->max_tasks = o->max_tasks;
  s->home_size = o->shared_size != 0 ? o->shared_size : HOME_SIZE_DEFAULT;
  if (s->home_size < 2 * TASK_BASE + NG__RED + NG__RESERVE)
    s->home_size = 2 * TASK_BASE + NG__RED + NG__RESERVE;
  s->pool.cap = o->pool_bytes != 0 ? o->pool_bytes : POOL_DEFAULT;
  s->pool.alc = o->alc;
  s->pool.st = &s->st;
  s->env.alc = o->alc;
  s->env.pool = &s->pool;
  s->env.st = &s->st;
  s->env.budget = o->max_stack_bytes;
  s->env.growable = 1;
}

/* Binds s to thread t as its scheduler, the loop being the caller. */
static void sched_bind(ng__thr *t, ng_sched *s) {
  s->run = &s->loop;
  s->loop.cur = t->cur;
  s->loop.state = T_RUNNING;
  tool_fiber_init(t, &s->loop, 1);
  s->thr = t;
  t->sched = s;
}

/* ng_sched_new and ng__sched_new_lazy: force the handler pass or not. */
static int sched_new(ng_sched **out, const ng_sched_opts *opts, int force) {
  static const ng_sched_opts defaults;
  const ng_sched_opts *o = opts != NULL ? opts : &defaults;
  ng__thr *t = ng__thr_get();
  ng_sched *s;
  int rc;

  *out = NULL;
  if (t->sched != NULL)
    return NG_EBUSY;
  if (!force && opts == NULL && t->idle != NULL) { /* ng__sched_keep's */
    s = t->idle;
    t->idle = NULL;
    ng__signals_prepare(t, 0);
    goto bind;
  }
  ng__sched_drop_idle(t);
  s = ng__malloc(o->alc, sizeof *s);
  if (s == NULL)
    return NG_ENOMEM;
  memset(s, 0, sizeof *s);
  sched_opts(s, o);
  rc = homes_new(s, o->shared_stacks != 0 ? o->shared_stacks : HOMES_DEFAULT);
  if (rc != NG_OK)
    goto fail_homes;
  if (!o->no_sigaltstack)
    ng__signals_prepare(t, force);
bind:
  sched_bind(t, s);
  *out = s;
  return NG_OK;

fail_homes:
  ng__free(o->alc, s, sizeof *s);
  return rc;
}

int ng_sched_new(ng_sched **out, const ng_sched_opts *opts) {
  return sched_new(out, opts, 1);
}

int ng__sched_new_lazy(ng_sched **out, const ng_sched_opts *opts) {
  return sched_new(out, opts, 0);
}

/* Reaps the task that ended last, if its stacks are still held. */
static void reap_zombie(ng__thr *t, ng_sched *s) {
  if (s->zombie != NULL) {
    reap(t, s, s->zombie);
    s->zombie = NULL;
  }
}

void ng__sched_keep(ng_sched *s) {
  ng__thr *t = ng__thr_get();

  if (s == NULL || s->thr != t || t->sched != s || in_task(s) ||
      s->all != NULL || s->alc != NULL) {
    ng_sched_free(s);
    return;
  }
  reap_zombie(t, s);
  ng__segpool_drain(t, &s->pool);
  t->sched = NULL;
  ng__sched_drop_idle(t);
  t->idle = s;
}

void ng__sched_drop_idle(ng__thr *t) {
  ng_sched *s = t->idle, *bound = t->sched;

  if (s == NULL)
    return;
  t->idle = NULL;
  t->sched = s; /* as ng_sched_free wants it */
  ng_sched_free(s);
  t->sched = bound;
}

void ng_sched_free(ng_sched *s) {
  ng__thr *t = ng__thr_get();

  if (s == NULL || s->thr != t || in_task(s))
    return;
  reap_zombie(t, s);
  while (s->all != NULL) {
    ng_task *a = s->all;
    if (a->state == T_PARKED || a->state == T_WAITING)
      s->st.tasks_parked--;
    release_stacks(t, s, a);
    unlink_all(s, a);
    s->st.tasks_live--;
    ng__free(s->alc, a, sizeof *a);
  }
  while (s->spare != NULL) {
    ng_task *a = s->spare;
    s->spare = a->next;
    ng__free(s->alc, a, sizeof *a);
  }
  ng__segpool_drain(t, &s->pool);
  homes_free(s, s->nhomes);
  t->sched = NULL;
  ng__free(s->alc, s, sizeof *s);
}

void ng_sched_stats(const ng_sched *s, ng_stack_stats *st) { *st = s->st; }

const ng_alloc *ng__sched_alc(const ng_sched *s) { return s->alc; }

/* Removes a from the run queue or the budget waiters, wherever it is. */
static void unqueue(ng_sched *s, ng_task *a) {
  ng_task **pp, *last = NULL;

  for (pp = &s->rq_head; *pp != NULL; pp = &(*pp)->next) {
    if (*pp == a) {
      *pp = a->next;
      break;
    }
    last = *pp;
  }
  if (s->rq_tail == a)
    s->rq_tail = last;
  for (pp = &s->waiters; *pp != NULL; pp = &(*pp)->next) {
    if (*pp == a) {
      *pp = a->next;
      break;
    }
  }
  a->next = NULL;
}

void ng__task_destroy(ng_task *a) {
  ng__thr *t = ng__thr_get();
  ng_sched *s = t->sched;

  if (s == NULL || a == s->run)
    return;
  if (s->zombie == a)
    s->zombie = NULL;
  if (a->state == T_PARKED || a->state == T_WAITING)
    s->st.tasks_parked--;
  unqueue(s, a);
  release_stacks(t, s, a);
  task_free(t, s, a);
}
