/*
 * nestguard/stack.h - growable stacks for C (Go's stack model).
 *
 * Recursive code calls its children through ng_stack_call(). While the
 * current stack has more than NG_STACK_RED_ZONE bytes free, that is a
 * direct call (one compare against a thread-local limit); otherwise the
 * child runs on a new (or cached) segment whose size doubles, and the call
 * returns NG_ESTACK instead when the ceiling (max_stack) would be passed.
 * Works inside ng_stack_run(), inside a task, and on an ordinary thread
 * stack. See docs/runtime.md for the design and its limits.
 *
 * The contract every function run on a growable stack keeps: its own frame
 * and everything it calls directly (not through ng_stack_call) fit in
 * NG_STACK_RED_ZONE bytes. Library calls with unknown stack needs (printf,
 * qsort, getaddrinfo...) go through ng_stack_call_system().
 *
 * Thread safety: every function acts on the calling thread's state, except
 * ng_stack_set_max/ng_stack_get_max, which are process-wide and atomic.
 */
#ifndef NESTGUARD_STACK_H
#define NESTGUARD_STACK_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of free stack guaranteed to fn by ng_stack_call. */
#define NG_STACK_RED_ZONE 1024

/*
 * Stack for user code (callbacks, allocator hooks) that recursive code
 * runs through ng_stack_call_user: 1 MiB, or an eighth of the thread's
 * stack when that is smaller (a default 8 MiB thread: 1 MiB). Not less
 * than the largest segment, so a stack with more room than this is the
 * thread's own.
 */
#define NG_STACK_USER_BUDGET ((size_t)1 << 20)

typedef struct ng_stack_opts {
  size_t max_stack;    /* ceiling in bytes for this run; 0: global max */
  const ng_alloc *alc; /* segment allocator; NULL: libc */
  size_t user_stack;   /* stack kept free on the thread stack below the
                          run for ng_stack_call_user; 0 (or less than the
                          thread's default): the thread's default */
} ng_stack_opts;

/*
 * Runs fn(arg) on a fresh growable stack on the calling thread and returns
 * fn's result; or NG_ESTACK if the run needed more than max_stack bytes
 * (fn's recursion unwound by its own error returns); or NG_ENOMEM. All
 * segments of the run are released before return. opts NULL: defaults.
 *
 * "Fresh" is about accounting: the run starts on the stack it is called on
 * and only switches to segments when that stack runs short, so a shallow
 * run allocates nothing. Its max_stack counts from the call point down,
 * plus every segment it holds. Runs nest; a run inside a task grows from
 * the task's stack.
 */
int ng_stack_run(int (*fn)(void *arg), void *arg, const ng_stack_opts *opts);

/* What one run used; filled by ng_stack_run_info(). */
typedef struct ng_stack_run_stats {
  size_t peak;     /* high-water bytes: base stack used when the run first
                      left it plus the segments held at the deepest point;
                      0 when the run never needed a segment */
  size_t segments; /* segments allocated by the run */
  uint64_t grows;  /* switches onto a deeper segment */
} ng_stack_run_stats;

/* ng_stack_run that also reports what the run used (stats may be NULL). */
int ng_stack_run_info(int (*fn)(void *arg), void *arg,
                      const ng_stack_opts *opts, ng_stack_run_stats *stats);

/*
 * Calls fn(arg) with at least NG_STACK_RED_ZONE bytes of stack, growing
 * onto a new segment when needed. Returns fn's result, NG_ESTACK (fn not
 * called: the ceiling would be passed) or NG_ENOMEM (fn not called).
 *
 * The macro below inlines the common case; (ng_stack_call)(fn, arg) or a
 * pointer to it reaches the same code out of line.
 */
int ng_stack_call(int (*fn)(void *arg), void *arg);

/*
 * Cheap probe for code that cannot be shaped as fn(arg) calls: NG_OK when
 * at least NG_STACK_RED_ZONE bytes of the current stack (segment, task
 * stack or thread stack) are free below the caller, NG_ESTACK otherwise.
 * It does not grow the stack: a stack can only grow at a call made through
 * ng_stack_call, because C frames cannot move.
 */
int ng_stack_check(void);

/*
 * Runs fn(arg) on the thread's own (system) stack, below the point where
 * the thread left it for a segment or task, and returns fn's result. A
 * direct call when already on the system stack. This is the way to call
 * libc and other code with unknown stack needs from a task or a small
 * segment (Go's systemstack). Inside fn the system stack is not growable:
 * ng_stack_call there returns NG_ESTACK when it runs low.
 */
int ng_stack_call_system(int (*fn)(void *arg), void *arg);

/*
 * Calls user code fn(arg) where it has at least `budget` bytes of stack
 * (0: NG_STACK_USER_BUDGET) below it, ending at a guard page rather than
 * at other memory: directly when running on the thread's own stack with
 * more than that much room (one compare), otherwise on the system stack
 * as ng_stack_call_system does. The system stack keeps the budget free:
 * the thread stack's last min(NG_STACK_USER_BUDGET, S/8) bytes, or what
 * ng_stack_opts.user_stack asked for a run, are never used by checked
 * frames. The budget counts from where the thread left its stack, so a
 * caller that was already deep when it started gets less. Parsers run
 * every event callback and allocator hook this way, in every engine.
 */
int ng_stack_call_user(int (*fn)(void *arg), void *arg, size_t budget);

/*
 * Sets the process-wide default ceiling (Go's debug.SetMaxStack) and
 * returns the previous one. Clamped to [4096, NG_MAX_STACK]. Runs and
 * tasks read it when they start; the thread-stack context of plain
 * ng_stack_call reads it at each growth.
 */
size_t ng_stack_set_max(size_t bytes);

/* The current process-wide default ceiling. */
size_t ng_stack_get_max(void);

/*
 * Runtime statistics, like Go's runtime.MemStats stack fields. Counters
 * are per thread (ng_stack_thread_stats: plain ng_stack_call and runs) or
 * per scheduler (ng_sched_stats: its tasks). Byte counts are sizes of
 * allocations made by the runtime for stacks.
 */
typedef struct ng_stack_stats {
  size_t stack_inuse;     /* bytes of segments on active chains, saved
                             task stacks and private task bases */
  size_t stack_sys;       /* bytes held from the allocator for stacks:
                             in use + cached + pooled + shared stacks */
  size_t segments;        /* segments held (active, cached, pooled) */
  size_t segments_pooled; /* of which idle in the scheduler's pool */
  size_t peak_stack;      /* high-water of stack_inuse */
  uint64_t seg_allocs;    /* segments obtained from the allocator */
  uint64_t seg_frees;     /* segments returned to the allocator */
  uint64_t grows;         /* switches onto a deeper segment */
  uint64_t shrinks;       /* segments released on unwind or park */
  uint64_t overflows;     /* NG_ESTACK returned by the ceiling */
  size_t tasks_live;      /* tasks spawned and not yet joined/freed */
  size_t tasks_parked;    /* of which parked */
  size_t tasks_peak;      /* high-water of tasks_live */
  uint64_t tasks_spawned; /* tasks ever spawned */
  uint64_t switches;      /* context switches */
  uint64_t copied_bytes;  /* bytes copied out of / into shared stacks */
  size_t saved_bytes;     /* bytes of parked stacks copied out now */
} ng_stack_stats;

/* Fills *st with the calling thread's counters (never NULL). */
void ng_stack_thread_stats(ng_stack_stats *st);

/*
 * The context-switch backend compiled in: "x86_64-sysv", "aarch64-aapcs"
 * or "ucontext" (the portable fallback: slower switches, and tasks get
 * private base stacks since shared-stack copying needs the saved stack
 * pointer).
 */
const char *ng_stack_backend(void);

/* -------------------------------------------------------- tasks */

/*
 * Tasks: functions that run on their own growable stack and can be
 * suspended (yield, park) and resumed, scheduled M:1 by one scheduler per
 * thread. A task starts on a small base (2 KiB of checked stack) and grows
 * by segments exactly like ng_stack_call does elsewhere.
 *
 * By default the base lives on one of a few stacks shared by the
 * scheduler's tasks (libaco's model): when another task needs the shared
 * stack, a suspended task's live bytes are copied out to an exact-size
 * buffer and copied back, to the same addresses, before it resumes. This is
 * what makes an idle task cost well under 1 KB. The price: while a task is
 * suspended, other tasks must not use pointers into its base stack frames
 * (segments are never moved). A task spawned with NG_TASK_PRIVATE has its
 * own base instead and no such restriction.
 *
 * Every task function and every scheduler call must be made on the thread
 * that created the scheduler.
 */
typedef struct ng_sched ng_sched;
typedef struct ng_task ng_task;

typedef struct ng_sched_opts {
  const ng_alloc *alc;    /* tasks, stacks, segments; NULL: libc */
  size_t max_stack;       /* default ceiling per task; 0: global max */
  size_t max_tasks;       /* budget of live tasks; 0: unlimited */
  size_t max_stack_bytes; /* budget of stack_inuse bytes; 0: unlimited */
  size_t pool_bytes;      /* idle segments kept for reuse; 0: 8 MiB */
  unsigned shared_stacks; /* shared base stacks; 0: 4 */
  size_t shared_size;     /* bytes of each shared stack; 0: 64 KiB */
  int no_sigaltstack;     /* nonzero: do not prepare signals here (a
                             task's first growth still does) */
} ng_sched_opts;

/*
 * Creates a scheduler bound to the calling thread. Unless opts says
 * otherwise, prepares the thread for signals as ng_stack_set_signal_policy
 * describes (an alternate signal stack, SA_ONSTACK on handlers), so that
 * no handler runs on a small task stack. opts NULL: defaults.
 * Returns NG_OK, NG_ENOMEM, NG_EBUSY (the thread already has one).
 */
int ng_sched_new(ng_sched **out, const ng_sched_opts *opts);

/*
 * Internal (the parsers' streams): ng_sched_new whose pass over the
 * signal handlers is at most one per 10 ms process-wide, as a stack's
 * first growth makes it, instead of one every time (64 sigaction calls,
 * 15-20 us here). For a scheduler the library makes on its own for one
 * parse, which then has the signal contract of a one-shot parse.
 */
int ng__sched_new_lazy(ng_sched **out, const ng_sched_opts *opts);

/*
 * Internal (the parsers' streams): ends the use of a scheduler from
 * ng__sched_new_lazy(out, NULL) with no task left: it is kept, unbound
 * (ng_sched_new on the thread still succeeds, freeing it first), with
 * its shared stacks and task structs and without its segment cache, for
 * the thread's next ng__sched_new_lazy, which takes it back instead of
 * allocating one (recreating one a stream cost citm_catalog.json fed in
 * 4 KiB chunks about 8 % of its time). The thread's exit frees it; on the
 * initial thread, which exits with the process, it stays reachable.
 * Otherwise ng_sched_free(s).
 */
void ng__sched_keep(ng_sched *s);

/*
 * Destroys the scheduler. Tasks still alive are destroyed without running
 * further (what they allocated themselves is not freed; the runtime's own
 * memory is, including the stacks of ng_stack_run calls a task was inside:
 * the ng_alloc such a run was given must still be valid here). Must not
 * be called from a task. NULL is allowed.
 */
void ng_sched_free(ng_sched *s);

/*
 * Runs tasks until none is runnable (all done or parked). Returns NG_OK,
 * NG_ESTATE when called from a task, or NG_ENOMEM when a suspended task's
 * stack could not be copied out (tasks are intact; call again later).
 */
int ng_sched_run(ng_sched *s);

/* Counters of s and its tasks. */
void ng_sched_stats(const ng_sched *s, ng_stack_stats *st);

#define NG_TASK_PRIVATE 1u /* own base stack: locals stay addressable */
#define NG_TASK_WAIT 2u    /* at the budget, wait instead of NG_EBUSY */

typedef struct ng_task_opts {
  size_t max_stack; /* ceiling of this task; 0: the scheduler's */
  unsigned flags;   /* NG_TASK_* */
} ng_task_opts;

/*
 * Creates a task that will run fn(arg), runnable at once (it first runs
 * when the spawner yields, parks or runs the scheduler). With out non-NULL
 * the task is joinable and *out must be given to ng_task_join; with out
 * NULL it is detached and freed when it returns.
 *
 * Returns NG_OK, NG_ENOMEM, or NG_EBUSY when the scheduler's budget of
 * live tasks or stack bytes is used up. With NG_TASK_WAIT, a spawn at the
 * budget waits instead: inside a task it parks until a task ends; outside
 * it runs the scheduler until the budget frees (NG_EBUSY if nothing is
 * left to run).
 */
int ng_task_spawn(ng_sched *s, ng_task **out, int (*fn)(void *arg), void *arg,
                  const ng_task_opts *opts);

/*
 * Lets other runnable tasks run, then returns. NG_OK, NG_ESTATE outside a
 * task or inside ng_stack_call_system, NG_ENOMEM (could not switch: the
 * task keeps running).
 */
int ng_task_yield(void);

/*
 * Suspends the running task until ng_task_wake(). A wake that came first
 * is remembered (one permit, like Rust's thread::park), so park/wake never
 * lose a wake-up. Segments cached below the running one are released.
 * Returns NG_OK, NG_ECANCELED when the wake was ng_task_cancel's, or
 * NG_ESTATE or NG_ENOMEM as ng_task_yield.
 */
int ng_task_park(void);

/*
 * Makes a parked task runnable (or gives a running one a permit). Callable
 * from tasks and from outside them, on the scheduler's thread. Returns
 * NG_OK, or NG_ESTATE if t has finished.
 */
int ng_task_wake(ng_task *t);

/*
 * ng_task_wake(t) then ng_sched_run(): from outside the scheduler's tasks,
 * wakes t and runs tasks until none is runnable. When t is parked and
 * nothing else is runnable, the scheduler switches to t at once, without
 * queueing it: the cheaper way to resume one task that parks again soon
 * (a stream's parse waiting for input). Returns NG_OK, NG_EINVAL (t NULL,
 * or no scheduler on this thread), NG_ESTATE (t has finished, or called
 * from a task: t is woken then, and not run) or NG_ENOMEM as
 * ng_sched_run (t stays runnable).
 */
int ng_task_resume(ng_task *t);

/*
 * ng_task_wake, and the park it ends (or the next one, if t is not
 * parked; a later ng_task_wake does not undo that) returns NG_ECANCELED
 * instead of NG_OK: how a task waiting for something that will not come
 * is told to unwind. Same returns.
 */
int ng_task_cancel(ng_task *t);

/*
 * Waits for t to finish, stores its result in *result (may be NULL) and
 * frees t. From a task: parks until t ends. From outside: runs the
 * scheduler until t ends, NG_ESTATE if it cannot (t parked forever; t is
 * then not freed). One joiner per task.
 */
int ng_task_join(ng_task *t, int *result);

/* The running task, or NULL outside tasks. */
ng_task *ng_task_self(void);

/* Stack use of one task (runtime.StackSize-like). */
typedef struct ng_task_stats {
  size_t stack_bytes; /* held now: live base bytes + segments */
  size_t peak;        /* high-water of base use + active segments */
  size_t segments;    /* segments held now */
  uint64_t grows;     /* switches onto a deeper segment */
} ng_task_stats;

/* Fills *st for t (not yet joined). */
void ng_task_stats_get(const ng_task *t, ng_task_stats *st);

/*
 * Worker pool: a fixed set of tasks of one scheduler running submitted
 * jobs in FIFO order, the alternative to a task per job. A pool bounds
 * memory to `workers` stacks however many jobs are queued, at the cost of
 * jobs waiting for a free worker (and a job that parks holding a worker).
 * docs/runtime.md has the measured trade-off.
 */
typedef struct ng_pool ng_pool;

/* Creates a pool of `workers` (>= 1) tasks on s; topts for the workers
 * (ceiling, NG_TASK_PRIVATE) may be NULL. NG_OK, NG_EINVAL, NG_ENOMEM,
 * NG_EBUSY (scheduler budget). */
int ng_pool_new(ng_pool **out, ng_sched *s, unsigned workers,
                const ng_task_opts *topts);

/* Queues fn(arg). NG_OK or NG_ENOMEM (not queued). */
int ng_pool_submit(ng_pool *p, int (*fn)(void *arg), void *arg);

/*
 * Waits until every job submitted so far has run: from a task by parking,
 * from outside by running the scheduler. Returns NG_OK when every job
 * returned 0, else the first nonzero job result (then forgotten); or
 * NG_ESTATE when the jobs cannot finish (workers parked for good).
 */
int ng_pool_wait(ng_pool *p);

/* Destroys the workers and frees p; call ng_pool_wait first: jobs not
 * yet run are dropped, and a job suspended in a worker (parked) is
 * abandoned like a task at ng_sched_free. Not from one of p's own jobs.
 * NULL is allowed. */
void ng_pool_free(ng_pool *p);

/*
 * Signal safety. A handler that runs on a small segment or task stack
 * would overflow it (the kernel's signal frame alone takes several KiB).
 * Before a thread first leaves its own stack (a growth onto a segment, a
 * scheduler's first task), the runtime prepares, as the process-wide
 * policy says:
 *   NG_SIGNAL_ALTSTACK  the thread gets an alternate signal stack (sized
 *                       from getauxval(AT_MINSIGSTKSZ) plus 64 KiB for the
 *                       handler, a guard page below) unless it has one;
 *                       it is released when the thread exits;
 *   NG_SIGNAL_ONSTACK   SA_ONSTACK is added to every installed handler
 *                       that lacks it (as Go's runtime does), at
 *                       ng_sched_new and at a run's first growth (there
 *                       at most once per 10 ms process-wide); a handler
 *                       installed while a thread is on a segment is not
 *                       seen until the next such point.
 * Both are on by default. Returns the previous policy; the next growth
 * after a call makes a handler pass.
 */
#define NG_SIGNAL_ALTSTACK 1u
#define NG_SIGNAL_ONSTACK 2u
unsigned ng_stack_set_signal_policy(unsigned flags);

/*
 * Reports what would make a signal unsafe on this thread now: NG_EINVAL
 * with the signal number in *signo for a handler without SA_ONSTACK;
 * NG_ESTATE when the thread has no alternate stack and the runtime will
 * not install one (policy off, or it failed or was removed); NG_ENOTSUP
 * when the thread's alternate stack is smaller than this machine's signal
 * frame plus 16 KiB. NG_OK otherwise. signo may be NULL; if *signo > 0
 * on entry, only that signal's handler is checked.
 */
int ng_stack_signal_check(int *signo);

/* ---------------------------------------------------------- inline part */

/*
 * The calling thread's fast-path limit: the lowest frame address at which
 * a direct call still leaves NG_STACK_RED_ZONE bytes (plus the runtime's
 * own reserve). UINTPTR_MAX until the thread's first slow path, so that
 * call initialises the thread. Internal; do not write.
 */
extern __thread uintptr_t ng__stack_limit
    __attribute__((tls_model("initial-exec")));

int ng__stack_call_slow(int (*fn)(void *arg), void *arg);
int ng__stack_check_slow(void);

static inline __attribute__((always_inline)) int
ng__stack_call_inline(int (*fn)(void *arg), void *arg) {
  if (__builtin_expect((uintptr_t)__builtin_frame_address(0) > ng__stack_limit,
                       1))
    return fn(arg);
  return ng__stack_call_slow(fn, arg);
}

static inline __attribute__((always_inline)) int ng__stack_check_inline(void) {
  if (__builtin_expect((uintptr_t)__builtin_frame_address(0) > ng__stack_limit,
                       1))
    return NG_OK;
  return ng__stack_check_slow();
}

static inline __attribute__((always_inline)) int
ng__stack_call_user_inline(int (*fn)(void *arg), void *arg, size_t budget) {
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  if (budget < NG_STACK_USER_BUDGET)
    budget = NG_STACK_USER_BUDGET;
  if (__builtin_expect(here > ng__stack_limit, 1) &&
      here - ng__stack_limit > budget)
    return fn(arg);
  return ng_stack_call_system(fn, arg);
}

#define ng_stack_call(fn, arg) ng__stack_call_inline((fn), (arg))
#define ng_stack_call_user(fn, arg, budget)                                    \
  ng__stack_call_user_inline((fn), (arg), (budget))
#define ng_stack_check() ng__stack_check_inline()

#ifdef __cplusplus
}
#endif
#endif /* NESTGUARD_STACK_H */
