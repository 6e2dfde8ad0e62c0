/*
 * lib/stack/stack_int.h - the growable-stack runtime's internal model.
 *
 * A growable stack (ng__stk) is a base region plus a chain of segments.
 * The base is whatever stack the owner started on: the thread's own stack,
 * the spot where ng_stack_run was called, or a task's first stack. When a
 * call through ng_stack_call finds less than the red zone left, the callee
 * runs on the next segment of the chain (allocated, or kept from an earlier
 * descent), and comes back to the old one when it returns.
 *
 *   base (thread/run/task)    seg 1 (4 KiB)    seg 2 (8 KiB)   seg 3 (16 KiB)
 *   [ frames ...    ]  --->   [ frames ... ]  --->  [ ... ]  -.->  [ cached ]
 *   ^ base_top                                    ^ s->seg
 *
 * Sizes double up to NG__SEG_MAX. One segment deeper than the running one
 * stays cached (hysteresis: a call that sits on a segment boundary in a
 * loop allocates once); deeper ones are released when the stack unwinds
 * past them. The ceiling counts base bytes used plus the active chain.
 */
#ifndef NG_LIB_STACK_INT_H
#define NG_LIB_STACK_INT_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"
#include "nestguard/stack.h"
#include "stack/arch.h"
#include "stack/tool.h"

/* Sizes, in frames of an optimised build times NG__SAN_SCALE
 * (internal.h): the red zone the runtime keeps and its own reserve. */
#define NG__RED ((size_t)NG_STACK_RED_ZONE * NG__SAN_SCALE)
/* Slow path, switch routine and the caller's frame below its frame
 * pointer, all on the old stack before a switch. */
#define NG__RESERVE ((size_t)1024 * NG__SAN_SCALE)
#define NG__SEG_FIRST ((size_t)4096 * NG__SAN_SCALE)
#define NG__SEG_MAX ((size_t)1 << 20)
#define NG__SEG_MIN (sizeof(ng__seg) + NG__RED + NG__RESERVE + 512)
/* Never let checked code use the last bytes of a thread stack: user code
 * run there through ng_stack_call_user gets min(NG_STACK_USER_BUDGET, S/8)
 * of a thread stack of S bytes, and the runtime's and libc's frames around
 * it min(NG__SYS_SLACK, S/8) more. */
#define NG__SYS_SLACK ((size_t)64 * 1024)
#define NG__MIN_MAX ((size_t)4096)

typedef struct ng__seg ng__seg;
struct ng__seg {
  ng__seg *prev;   /* segment nearer the base; NULL for the first */
  ng__seg *next;   /* deeper segment kept cached; pool free-list link */
  size_t size;     /* bytes of the allocation, this header included */
  uintptr_t limit; /* fast-path limit while running on this segment */
  unsigned vg_id;  /* valgrind stack id */
  unsigned pad;
};

typedef struct ng__segpool ng__segpool;

/* Where a stack's segments come from and what they are charged to; shared
 * by every stack of a thread, a run or a scheduler. */
typedef struct ng__env {
  const ng_alloc *alc; /* segment allocator when there is no pool */
  ng__segpool *pool;   /* segment cache of a scheduler, or NULL */
  ng_stack_stats *st;  /* counters to update */
  size_t budget;       /* cap on st->stack_inuse; 0: none */
  int growable;        /* 0: growth fails (the system stack in a call) */
} ng__env;

typedef struct ng__stk {
  ng__seg *seg;          /* segment running now; NULL: on the base */
  ng__seg *first;        /* first segment; cached while on the base */
  uintptr_t base_top;    /* accounting origin on the base */
  uintptr_t base_limit;  /* fast-path limit on the base */
  size_t base_used;      /* base bytes in use when it was left */
  size_t seg_bytes;      /* bytes of the active chain */
  size_t max;            /* ceiling; 0: the global max at each growth */
  size_t peak;           /* high-water of base_used + seg_bytes */
  uint32_t nsegs;        /* segments allocated for this stack */
  uint32_t grows;        /* switches onto a deeper segment; the first
                            one prepares signal safety if the base was
                            the thread's stack (ng__signals_prepare; a
                            count that wraps makes it run once more) */
  const ng__env *env;    /* segment source and counters */
} ng__stk;

/* The stack of an ng_stack_run, on the frame of the run's call. */
typedef struct ng__run {
  ng__stk stk;
  ng__stk *outer; /* current when the run started: a task destroyed in the
                     run finds the runs it was inside (ng__task_destroy) */
} ng__run;

/* The fast-path limit where s runs now (stack.c's invariant). */
static inline uintptr_t ng__stk_limit(const ng__stk *s) {
  return s->seg != NULL ? s->seg->limit : s->base_limit;
}

/* Per-thread state. */
typedef struct ng__thr {
  int ready;        /* initialised */
  int on_sys;       /* running on the thread's own stack */
  int key_set;      /* thread-exit cleanup registered */
  uintptr_t sys_lo; /* thread stack bounds */
  uintptr_t sys_hi;
  uintptr_t sys_sp;       /* where system calls start while off it */
  size_t user_keep;       /* user code's budget kept below main's limit */
  void *alt_mem;          /* our alternate signal stack's mapping, or NULL */
  size_t alt_len;         /* its length, guard page included */
  int alt_done;           /* the alternate stack was seen to (once) */
  unsigned sys_vg_id;     /* the thread stack's valgrind stack id */
  int sys_vg_set;         /* sys_vg_id is ours to deregister */
  struct ng_task *task;   /* running task; NULL outside tasks */
  uintptr_t home_left;    /* where the running task left its base for a
                             segment; 0 while it runs on the base */
  ng__stk *cur;           /* growable stack running now */
  ng__stk main;           /* the thread stack as a growable stack */
  ng__stk sys;            /* the system stack inside a system call */
  ng__env env_main;       /* libc segments, thread counters */
  ng__env env_sys;        /* the same, not growable */
  struct ng_sched *sched; /* scheduler bound to this thread, if any */
  struct ng_sched *idle;  /* a lazy scheduler kept unbound for the next
                             (ng__sched_keep), or NULL */
  ng_stack_stats st;      /* counters of main and of runs */
} ng__thr;

/*
 * The calling thread's state, initialised on first use. The state itself
 * is an ordinary (dynamic-model) TLS block; ng__thr_p caches its address
 * in an initial-exec slot so that the common case is one %fs-relative
 * load even in the shared library.
 */
extern __thread ng__thr *ng__thr_p
    __attribute__((tls_model("initial-exec"), visibility("hidden")));
ng__thr *ng__thr_init(void);

static inline ng__thr *ng__thr_get(void) {
  ng__thr *t = ng__thr_p;
  return NG_LIKELY(t != NULL) ? t : ng__thr_init();
}

/* Thread stack bounds from the threading library; NG_ENOTSUP if unknown. */
int ng__thread_bounds(uintptr_t *lo, uintptr_t *hi);

/* Nonzero on the process's initial thread. */
int ng__thread_is_main(void);

/* Arranges for ng__thr_exit(t) to run when the calling thread exits. */
void ng__thread_at_exit(ng__thr *t);
void ng__thr_exit(ng__thr *t);

/* Frees the thread's idle scheduler (ng__sched_keep), if any; sched.c. */
void ng__sched_drop_idle(ng__thr *t);

/* Zeroes s and sets its origin, ceiling and environment. */
void ng__stk_init(ng__stk *s, uintptr_t top, size_t max, const ng__env *env);

/* Grows s onto its next segment and runs fn(arg) there. sp: the caller's
 * frame address. Returns fn's result, NG_ESTACK or NG_ENOMEM. */
int ng__stk_grow_call(ng__thr *t, ng__stk *s, int (*fn)(void *), void *arg,
                      uintptr_t sp);

/* Releases every segment s holds; s must be running on its base. */
void ng__stk_release(ng__thr *t, ng__stk *s);

/* Releases the segments of a stack abandoned mid-run (its task destroyed
 * while suspended), including those in use, and takes them off the
 * in-use count. s may be a copy of the stack's struct. */
void ng__stk_abandon(ng__thr *t, ng__stk *s);

/* Releases the segments cached below the running one (park, shrink). */
void ng__stk_trim(ng__thr *t, ng__stk *s);

/* The first of the segments ng__stk_trim would release, or NULL. */
static inline const ng__seg *ng__stk_cached(const ng__stk *s) {
  return s->seg != NULL ? s->seg->next : s->first;
}

/* Runs fn(arg) on the system stack (see ng_stack_call_system). */
int ng__sys_call(ng__thr *t, int (*fn)(void *), void *arg);

/* Segment allocation through s's pool or allocator; may run on the system
 * stack. Counters in s->st are updated. */
int ng__seg_get(ng__thr *t, ng__stk *s, size_t size, ng__seg **out);
void ng__seg_put(ng__thr *t, ng__stk *s, ng__seg *g);

/* Plain allocations, on the system stack when off it. */
void *ng__sys_malloc(ng__thr *t, const ng_alloc *alc, size_t size);
void ng__sys_free(ng__thr *t, const ng_alloc *alc, void *p, size_t size);

/*
 * Makes signals safe before the thread leaves its own stack (signal.c),
 * as the process-wide policy says: once per thread, an alternate signal
 * stack unless the thread has one; SA_ONSTACK added to installed handlers
 * that lack it, when `force` or no such pass ran in the last 10 ms.
 * Failures leave things as they were (ng_stack_signal_check reports what
 * stays unsafe).
 */
void ng__signals_prepare(ng__thr *t, int force);

/* Thread exit: takes down and frees the alternate stack prepare made. */
void ng__altstack_release(ng__thr *t);

/* Nonzero when sp lies on the base stack (shared or private) of a. */
int ng__task_on_base(const struct ng_task *a, uintptr_t sp);

/* Frees a task of the calling thread's scheduler without running it
 * further (it must not be the running one). Needs no allocation. */
void ng__task_destroy(struct ng_task *a);

/* The allocator a scheduler was created with. */
const ng_alloc *ng__sched_alc(const struct ng_sched *s);

/* Scheduler segment cache: free lists by power-of-two size class. */
#define NG__POOL_CLASSES 16
struct ng__segpool {
  ng__seg *free[NG__POOL_CLASSES]; /* idle segments by class */
  size_t bytes;                    /* bytes idle in the pool */
  size_t cap;                      /* keep at most this many bytes */
  const ng_alloc *alc;             /* allocator of the segments */
  ng_stack_stats *st;              /* the scheduler's counters */
};

/* Frees every pooled segment. */
void ng__segpool_drain(ng__thr *t, ng__segpool *p);

/* Raw allocation of a segment of size bytes (header set up, registered
 * with valgrind); NULL when the allocator fails. */
ng__seg *ng__seg_alloc(const ng_alloc *alc, size_t size);
void ng__seg_free(const ng_alloc *alc, ng__seg *g);

/* Highest 16-byte aligned address of g's stack. */
static inline uintptr_t ng__seg_top(const ng__seg *g) {
  return ((uintptr_t)g + g->size) & ~(uintptr_t)15;
}

static inline void ng__stat_inuse(ng_stack_stats *st, size_t add, size_t sub) {
  st->stack_inuse = st->stack_inuse + add - sub;
  if (st->stack_inuse > st->peak_stack)
    st->peak_stack = st->stack_inuse;
}

/* The running frame's address, for placing stacks below live frames. */
#define NG__HERE() ((uintptr_t)__builtin_frame_address(0))

#endif /* NG_LIB_STACK_INT_H */
