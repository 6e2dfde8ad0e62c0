/*
 * bench/suite_stack.c - the growable-stack runtime against Go's figures.
 *
 * Cases (suite "stack", subject "nestguard"), as tracked in results.tsv:
 *   parked_1e4/1e5/1e6  idle_bytes_per_task B  RSS delta / n, all parked
 *   spawn               spawn_exit ns          spawn + run to exit, per task
 *   switch              switch ns              2 tasks yielding, per switch
 *   growth_10000        growth_overhead ms     fresh task recursing 10,000
 *                                              256-byte frames, minus the
 *                                              same on a stack with room
 *   overflow            error_latency us       ceiling hit -> NG_ESTACK back
 *                                              at the top, segments freed
 *   check               overhead pct           ng_stack_call per level vs a
 *                                              plain call: a tree walk that
 *                                              hashes a 16-byte key a node
 *                                              (check_trivial: hashing
 *                                              nothing; check_fib: fib)
 * plus side figures (cold growth, 1000-task switching, the fib worst case
 * of the check, task-per-job vs pool) and a closing table with Go 1.19's
 * figures from issue 3 and the goals, also recorded as subjects "Go 1.19"
 * and "goal" (see go_refs).
 *
 * Memory cases run in a forked child so that the heap of earlier cases
 * does not hide RSS growth.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "nestguard.h"

#define SUITE "stack"
#define SUBJ "nestguard"

/* Median of n doubles (sorts v). */
static int cmp_dbl(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, size_t n) {
  qsort(v, n, sizeof *v, cmp_dbl);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static unsigned reps(void) {
  unsigned r = ng_bench_reps();
  return r < 3 ? 3 : r;
}

/* Timing loops below use many short repetitions and take the median: on
 * a loaded machine, preemption (4 ms slices at HZ=250) then spoils some
 * repetitions instead of inflating all of them. */
#define SHORT_REPS 101

/* ------------------------------------------------------------- parked */

static int park_fn(void *p) {
  (void)p;
  return ng_task_park();
}

/* In a child: spawn n tasks that park, report RSS delta / n. */
static double parked_child(size_t n) {
  ng_sched *s;
  ng_task **t = malloc(n * sizeof *t);
  size_t i, rss0, rss1;
  double per = -1;

  if (t == NULL || ng_sched_new(&s, NULL) != NG_OK)
    return -1;
  rss0 = ng_bench_rss();
  for (i = 0; i < n; i++)
    if (ng_task_spawn(s, &t[i], park_fn, NULL, NULL) != NG_OK)
      return -1;
  if (ng_sched_run(s) != NG_OK)
    return -1;
  rss1 = ng_bench_rss();
  per = (double)(rss1 - rss0) / (double)n;
  for (i = 0; i < n; i++)
    ng_task_wake(t[i]);
  ng_sched_run(s);
  for (i = 0; i < n; i++)
    ng_task_join(t[i], NULL);
  ng_sched_free(s);
  free(t);
  return per;
}

static double in_child(double (*fn)(size_t), size_t arg) {
  int fd[2], status;
  double v = -1;
  pid_t pid;

  if (pipe(fd) != 0)
    return -1;
  fflush(NULL);
  pid = fork();
  if (pid == 0) {
    v = fn(arg);
    if (write(fd[1], &v, sizeof v) != (ssize_t)sizeof v)
      _exit(1);
    _exit(0);
  }
  close(fd[1]);
  if (pid < 0 || read(fd[0], &v, sizeof v) != (ssize_t)sizeof v)
    v = -1;
  close(fd[0]);
  if (pid > 0)
    waitpid(pid, &status, 0);
  return v;
}

static double bench_parked(void) {
  static const struct {
    const char *kase;
    size_t n;
  } cases[] = {
      {"parked_1e4", 10000}, {"parked_1e5", 100000}, {"parked_1e6", 1000000}};
  double last = -1;
  size_t i;

  for (i = 0; i < 3; i++) {
    size_t n = cases[i].n;
    if (ng_bench_quick() && n > 100000)
      n = 100000;
    last = in_child(parked_child, n);
    ng_bench_record(SUITE, cases[i].kase, SUBJ, "idle_bytes_per_task", last,
                    "B");
  }
  return last;
}

/* -------------------------------------------------------------- spawn */

static int exit_fn(void *p) {
  (void)p;
  return 0;
}

/* Spawns a batch of 1000 tasks and runs them to exit: the steady state
 * of a server spawning a task per request. ns per task. */
static double spawn_once(ng_sched *s) {
  double t0, t1;
  size_t j;

  t0 = ng_bench_now_ns();
  for (j = 0; j < 1000; j++)
    if (ng_task_spawn(s, NULL, exit_fn, NULL, NULL) != NG_OK)
      return -1;
  ng_sched_run(s);
  t1 = ng_bench_now_ns();
  return (t1 - t0) / 1000.0;
}

static double bench_spawn(void) {
  double v[SHORT_REPS];
  unsigned r;
  ng_sched *s;

  if (ng_sched_new(&s, NULL) != NG_OK)
    return -1;
  for (r = 0; r < 20; r++)
    spawn_once(s); /* warm up */
  for (r = 0; r < SHORT_REPS; r++)
    v[r] = spawn_once(s);
  ng_sched_free(s);
  return median(v, SHORT_REPS);
}

/* ------------------------------------------------------------- switch */

static size_t yields;

static int yield_fn(void *p) {
  size_t i;
  (void)p;
  for (i = 0; i < yields; i++)
    ng_task_yield();
  return 0;
}

/* ns per switch with `tasks` tasks yielding round-robin, total yields. */
static double switch_once(unsigned tasks, size_t total, unsigned flags) {
  ng_task_opts o = {0, flags};
  ng_stack_stats st;
  ng_sched *s;
  double t0, t1;
  unsigned i;

  yields = total / tasks;
  if (ng_sched_new(&s, NULL) != NG_OK)
    return -1;
  for (i = 0; i < tasks; i++)
    if (ng_task_spawn(s, NULL, yield_fn, NULL, &o) != NG_OK)
      return -1;
  t0 = ng_bench_now_ns();
  ng_sched_run(s);
  t1 = ng_bench_now_ns();
  ng_sched_stats(s, &st);
  ng_sched_free(s);
  return (t1 - t0) / (double)st.switches;
}

static double bench_switch(unsigned tasks, unsigned flags) {
  double v[SHORT_REPS];
  size_t total = tasks > 100 ? 200000 : 50000;
  unsigned r;

  switch_once(tasks, total, flags);
  for (r = 0; r < SHORT_REPS; r++)
    v[r] = switch_once(tasks, total, flags);
  return median(v, SHORT_REPS);
}

/* ------------------------------------------------------------- growth */

#define GROW_DEPTH 10000

typedef struct grow {
  size_t depth;
  uintptr_t a0, a1; /* frame addresses at depth 0 and 1 */
  double ns;        /* time of the recursion alone */
} grow;

static int grow_rec(void *p) {
  grow *g = p;
  volatile char pad[216]; /* with return address and saves: 256 bytes */
  int rc;

  pad[0] = 1;
  if (g->depth < 2)
    *(g->depth ? &g->a1 : &g->a0) = (uintptr_t)&pad[0];
  if (g->depth == GROW_DEPTH)
    return 0;
  g->depth++;
  rc = ng_stack_call(grow_rec, g);
  g->depth--;
  return rc + pad[0] - 1;
}

static int grow_timed(void *p) {
  grow *g = p;
  double t0 = ng_bench_now_ns();
  int rc;
  g->depth = 0;
  rc = ng_stack_call(grow_rec, g);
  g->ns = ng_bench_now_ns() - t0;
  return rc;
}

/* Baseline: the same recursion where the stack has room (main thread). */
static double grow_base(grow *g) {
  ng_stack_run(grow_timed, g, NULL);
  return g->ns;
}

/* A fresh task on scheduler s. */
static double grow_task(ng_sched *s, grow *g) {
  ng_task *t;
  if (ng_task_spawn(s, &t, grow_timed, g, NULL) != NG_OK ||
      ng_task_join(t, NULL) != NG_OK)
    return -1;
  return g->ns;
}

static void bench_growth(double *warm_ms, double *cold_ms, size_t *frame) {
  double base[64], warm[64], cold[64];
  unsigned r, nr = reps();
  ng_sched *s;
  grow g;

  memset(&g, 0, sizeof g);
  grow_base(&g);
  *frame = g.a0 - g.a1;
  /* Cold: a new scheduler (empty segment pool) every time. */
  for (r = 0; r < nr; r++) {
    base[r] = grow_base(&g);
    ng_sched_new(&s, NULL);
    cold[r] = grow_task(s, &g);
    ng_sched_free(s);
  }
  *cold_ms = (median(cold, nr) - median(base, nr)) / 1e6;
  /* Warm: one scheduler whose pool already holds the segments. */
  ng_sched_new(&s, NULL);
  grow_task(s, &g);
  for (r = 0; r < nr; r++) {
    base[r] = grow_base(&g);
    warm[r] = grow_task(s, &g);
  }
  ng_sched_free(s);
  *warm_ms = (median(warm, nr) - median(base, nr)) / 1e6;
  ng_bench_record(SUITE, "growth_10000", SUBJ, "baseline_time",
                  median(base, nr) / 1e6, "ms");
}

/* ----------------------------------------------------------- overflow */

typedef struct ovf {
  size_t depth;
  double last;   /* time just before the deepest call */
  double detect; /* time the deepest call returned NG_ESTACK */
} ovf;

static int ovf_rec(void *p) {
  ovf *o = p;
  volatile char pad[216];
  int rc;
  pad[0] = 1;
  o->depth++;
  o->last = ng_bench_now_ns();
  rc = ng_stack_call(ovf_rec, o);
  if (o->detect == 0)
    o->detect = ng_bench_now_ns();
  return rc + pad[0] - 1;
}

typedef struct ovf_run {
  ovf o;
  double latency_ns;
  int rc;
} ovf_run;

static int ovf_task(void *p) {
  ovf_run *r = p;
  r->o.depth = 0;
  r->o.detect = 0;
  r->rc = ng_stack_call(ovf_rec, &r->o);
  r->latency_ns = ng_bench_now_ns() - r->o.last;
  return 0;
}

/* A task with a 1 MiB ceiling recursing without end (256-byte frames):
 * time from the call that would pass the ceiling to NG_ESTACK at the top
 * of the task, 4096 frames unwound and the segments given back. Also
 * records the runtime's own part: until the failing call returns. */
static double bench_overflow(void) {
  ng_task_opts o = {1 << 20, 0};
  double v[SHORT_REPS], d[SHORT_REPS];
  unsigned r, nr = SHORT_REPS;
  ng_sched *s;
  ng_task *t;
  ovf_run run;

  ng_sched_new(&s, NULL);
  for (r = 0; r <= nr; r++) {
    ng_task_spawn(s, &t, ovf_task, &run, &o);
    ng_task_join(t, NULL);
    if (run.rc != NG_ESTACK)
      return -1;
    if (r > 0) { /* the first run warms the pool */
      v[r - 1] = run.latency_ns;
      d[r - 1] = run.o.detect - run.o.last;
    }
  }
  ng_sched_free(s);
  ng_bench_record(SUITE, "overflow", SUBJ, "detect", median(d, nr), "ns");
  ng_bench_record(SUITE, "overflow", SUBJ, "frames_unwound",
                  (double)run.o.depth, "frames");
  return median(v, nr) / 1e3;
}

/* -------------------------------------------------------------- check */

/*
 * The variants differ only in how a level calls the next: directly, through
 * ng_stack_call, or directly after ng_stack_check. All are noinline: gcc
 * otherwise inlines the plain recursion into itself several levels deep,
 * which real recursive code (a parser's functions) never gets, and the
 * comparison would measure that instead of the check.
 */
#define NOINLINE __attribute__((noinline, noclone))

typedef struct node {
  struct node *l, *r;
  unsigned char key[16]; /* hashed at each level: the "work" */
} node;

typedef struct walk {
  node *n;
  uint64_t h;
  int hash; /* 0: the trivial walk (worst case for the check) */
} walk;

/* FNV-1a over the node's key: a few ns, like a parser level's work. */
static void visit(walk *w, const node *n) {
  if (w->hash) {
    uint64_t h = w->h;
    size_t i;
    for (i = 0; i < sizeof n->key; i++)
      h = (h ^ n->key[i]) * 0x100000001b3ull;
    w->h = h;
  } else {
    w->h += n->key[0];
  }
}

static NOINLINE int walk_plain(void *p) {
  walk *w = p;
  node *n = w->n;
  int rc;
  if (n == NULL)
    return 0;
  visit(w, n);
  w->n = n->l;
  rc = walk_plain(w);
  if (rc != 0)
    return rc;
  w->n = n->r;
  return walk_plain(w);
}

static NOINLINE int walk_call(void *p) {
  walk *w = p;
  node *n = w->n;
  int rc;
  if (n == NULL)
    return 0;
  visit(w, n);
  w->n = n->l;
  rc = ng_stack_call(walk_call, w);
  if (rc != 0)
    return rc;
  w->n = n->r;
  return ng_stack_call(walk_call, w);
}

static NOINLINE int walk_probe(void *p) {
  walk *w = p;
  node *n = w->n;
  int rc;
  if (n == NULL)
    return 0;
  if (ng_stack_check() != NG_OK)
    return NG_ESTACK;
  visit(w, n);
  w->n = n->l;
  rc = walk_probe(w);
  if (rc != 0)
    return rc;
  w->n = n->r;
  return walk_probe(w);
}

typedef struct fib {
  int n;
  long r;
} fib;

static NOINLINE int fib_plain(void *p) {
  fib *f = p, a, b;
  if (f->n < 2) {
    f->r = f->n;
    return 0;
  }
  a.n = f->n - 1;
  b.n = f->n - 2;
  if (fib_plain(&a) || fib_plain(&b))
    return NG_ESTACK;
  f->r = a.r + b.r;
  return 0;
}

static NOINLINE int fib_call(void *p) {
  fib *f = p, a, b;
  if (f->n < 2) {
    f->r = f->n;
    return 0;
  }
  a.n = f->n - 1;
  b.n = f->n - 2;
  if (ng_stack_call(fib_call, &a) || ng_stack_call(fib_call, &b))
    return NG_ESTACK;
  f->r = a.r + b.r;
  return 0;
}

static node *tree;
static size_t tree_n;

/* A complete binary tree, breadth-first in one array. */
static int tree_build(unsigned levels) {
  size_t i, k;
  tree_n = ((size_t)1 << levels) - 1;
  tree = calloc(tree_n, sizeof *tree);
  if (tree == NULL)
    return -1;
  for (i = 0; i < tree_n; i++) {
    for (k = 0; k < sizeof tree[i].key; k++)
      tree[i].key[k] = (unsigned char)(i * 31 + k);
    tree[i].l = 2 * i + 1 < tree_n ? &tree[2 * i + 1] : NULL;
    tree[i].r = 2 * i + 2 < tree_n ? &tree[2 * i + 2] : NULL;
  }
  return 0;
}

typedef struct check_case {
  int (*fn)(void *);
  int kind; /* 0 trivial walk, 1 hashing walk, 2 fib */
} check_case;

static int run_check(const check_case *c) {
  if (c->kind == 2) {
    fib f = {22, 0};
    int rc = ng_stack_run(c->fn, &f, NULL);
    return rc != 0 || f.r != 17711;
  } else {
    walk w = {tree, 0, 0};
    w.hash = c->kind;
    return ng_stack_run(c->fn, &w, NULL) != 0 || w.h == 0;
  }
}

/* Times the variants interleaved; returns medians in ns. Many short
 * repetitions: on a loaded machine a preemption (4 ms at HZ=250) then
 * spoils single repetitions, not the median. */
#define CHECK_REPS 101
static void time_variants(const check_case *cs, size_t n, double *med) {
  static double v[3][CHECK_REPS];
  unsigned r, nr = CHECK_REPS;
  size_t i;

  for (i = 0; i < n; i++)
    run_check(&cs[i]);
  for (r = 0; r < nr; r++)
    for (i = 0; i < n; i++) {
      double t0 = ng_bench_now_ns();
      run_check(&cs[i]);
      v[i][r] = ng_bench_now_ns() - t0;
    }
  for (i = 0; i < n; i++)
    med[i] = median(v[i], nr);
}

typedef struct check_pct {
  double work;    /* hashing walk through ng_stack_call */
  double probe;   /* hashing walk with ng_stack_check */
  double trivial; /* walk doing nothing but the recursion */
  double fib;     /* fib: two calls and an add per level */
} check_pct;

static void bench_check(check_pct *p) {
  const check_case hashing[3] = {
      {walk_plain, 1}, {walk_call, 1}, {walk_probe, 1}};
  const check_case trivial[2] = {{walk_plain, 0}, {walk_call, 0}};
  const check_case fibs[2] = {{fib_plain, 2}, {fib_call, 2}};
  double m[3];

  tree_build(15);
  time_variants(hashing, 3, m);
  p->work = (m[1] / m[0] - 1) * 100;
  p->probe = (m[2] / m[0] - 1) * 100;
  time_variants(trivial, 2, m);
  p->trivial = (m[1] / m[0] - 1) * 100;
  time_variants(fibs, 2, m);
  p->fib = (m[1] / m[0] - 1) * 100;
  free(tree);
}

/* --------------------------------------------------- per-task vs pool */

#define JOB_DEPTH 40 /* ~10 KB of stack per job */

typedef struct job {
  grow g;
  int yield_at_bottom;
} job;

static int job_rec(void *p) {
  grow *g = p;
  volatile char pad[216];
  int rc;
  pad[0] = 1;
  if (g->depth == JOB_DEPTH) {
    ng_task_yield(); /* waits on "I/O" while holding its stack */
    return 0;
  }
  g->depth++;
  rc = ng_stack_call(job_rec, g);
  g->depth--;
  return rc + pad[0] - 1;
}

static int job_fn(void *p) {
  grow *g = p;
  g->depth = 0;
  return ng_stack_call(job_rec, g);
}

static void bench_jobs(size_t njobs) {
  ng_stack_stats st;
  ng_sched *s;
  ng_pool *pool;
  grow *g = calloc(njobs, sizeof *g);
  double t0, t1;
  size_t i;

  if (g == NULL)
    return;
  /* A task per job. */
  ng_sched_new(&s, NULL);
  t0 = ng_bench_now_ns();
  for (i = 0; i < njobs; i++)
    ng_task_spawn(s, NULL, job_fn, &g[i], NULL);
  ng_sched_run(s);
  t1 = ng_bench_now_ns();
  ng_sched_stats(s, &st);
  ng_sched_free(s);
  ng_bench_record(SUITE, "jobs_10k_task_per_job", SUBJ, "throughput",
                  (double)njobs / ((t1 - t0) / 1e9) / 1e3, "kjobs/s");
  ng_bench_record(SUITE, "jobs_10k_task_per_job", SUBJ, "peak_stack",
                  (double)st.peak_stack / 1048576.0, "MiB");
  /* A pool of 8 workers. */
  ng_sched_new(&s, NULL);
  ng_pool_new(&pool, s, 8, NULL);
  t0 = ng_bench_now_ns();
  for (i = 0; i < njobs; i++)
    ng_pool_submit(pool, job_fn, &g[i]);
  ng_pool_wait(pool);
  t1 = ng_bench_now_ns();
  ng_sched_stats(s, &st);
  ng_pool_free(pool);
  ng_sched_free(s);
  ng_bench_record(SUITE, "jobs_10k_pool_8", SUBJ, "throughput",
                  (double)njobs / ((t1 - t0) / 1e9) / 1e3, "kjobs/s");
  ng_bench_record(SUITE, "jobs_10k_pool_8", SUBJ, "peak_stack",
                  (double)st.peak_stack / 1048576.0, "MiB");
  free(g);
}

/* ------------------------------------------------------------- vs Go */

/*
 * Banner: Go 1.19's figures and the goals set against them, from issue 3
 * (Go measured there on this machine kind; make bench runs no Go, so they
 * are quoted). Recorded as subjects "Go 1.19" and "goal" beside nestguard's
 * rows, for the tables and the report's paired bars. NAN: no figure.
 */
static const struct go_ref {
  const char *kase, *metric, *unit;
  double go, goal;
} go_refs[] = {
    {"parked_1e6", "idle_bytes_per_task", "B", 2730, 1000},
    {"spawn", "spawn_exit", "ns", 322, 100},
    {"switch", "switch", "ns", 53, 15},
    {"growth_10000", "growth_overhead", "ms", 1.3, 0.1},
    {"overflow", "error_latency", "us", NAN, 10},
    {"check", "overhead", "pct", NAN, 5},
};

enum { GO_PARKED, GO_SPAWN, GO_SWITCH, GO_GROWTH, GO_OVERFLOW, GO_CHECK };

static void record_go(void) {
  size_t i;

  for (i = 0; i < sizeof go_refs / sizeof go_refs[0]; i++) {
    const struct go_ref *g = &go_refs[i];
    if (!isnan(g->go))
      ng_bench_record(SUITE, g->kase, "Go 1.19", g->metric, g->go, g->unit);
    if (!isnan(g->goal))
      ng_bench_record(SUITE, g->kase, "goal", g->metric, g->goal, g->unit);
  }
  /* Past its ceiling Go has no latency: "fatal error: stack overflow". */
  ng_bench_record(SUITE, "overflow", "Go 1.19", "fatal_exit", 2, "status");
}

/* The headline figures of one run, for the closing table. */
typedef struct figures {
  double parked;    /* B per parked task, 1e6 tasks */
  double spawn, sw; /* ns */
  double warm;      /* growth overhead, warm pool, ms */
  double cold;      /* the same from an empty pool, ms */
  double lat;       /* overflow to NG_ESTACK, us */
  size_t frame;     /* bytes per frame of the growth recursion */
  check_pct ck;     /* ng_stack_call overheads */
} figures;

/* The closing Markdown table: each figure against Go's and the goal. */
static void print_go(const figures *f) {
  const struct go_ref *g = go_refs;

  printf("\n### stack: nestguard against Go 1.19 (figures from issue 3)\n\n"
         "| figure | Go 1.19 | goal | nestguard |\n|---|---|---|---|\n");
  printf("| memory per parked task (1e6) | %.2f KB | <= %.1f KB | %.0f B |\n",
         g[GO_PARKED].go / 1000, g[GO_PARKED].goal / 1000, f->parked);
  printf("| spawn + exit | %g ns | <= %g ns | %.1f ns |\n", g[GO_SPAWN].go,
         g[GO_SPAWN].goal, f->spawn);
  printf("| switch (yield, per switch) | %g ns | <= %g ns | %.1f ns |\n",
         g[GO_SWITCH].go, g[GO_SWITCH].goal, f->sw);
  printf("| growth to depth 10,000 (%zu-byte frames), warm | %g ms | "
         "<= %g ms | %.3f ms (cold %.3f ms) |\n",
         f->frame, g[GO_GROWTH].go, g[GO_GROWTH].goal, f->warm, f->cold);
  printf("| exceeding max-stack | fatal, exit 2 | <= %g us | %.2f us, "
         "NG_ESTACK |\n",
         g[GO_OVERFLOW].goal, f->lat);
  printf("| check overhead (tree walk hashing 16 B a node) | - | <= %g %% | "
         "%.1f %% (empty walk %.1f %%, fib %.1f %%) |\n\n",
         g[GO_CHECK].goal, f->ck.work, f->ck.trivial, f->ck.fib);
}

/* -------------------------------------------------------------- suite */

NG_BENCH_SUITE(stack, 5) {
  double sw1000, swpriv;
  figures f;

  memset(&f, 0, sizeof f);
  f.parked = bench_parked();
  f.spawn = bench_spawn();
  ng_bench_record(SUITE, "spawn", SUBJ, "spawn_exit", f.spawn, "ns");
  f.sw = bench_switch(2, 0);
  ng_bench_record(SUITE, "switch", SUBJ, "switch", f.sw, "ns");
  swpriv = bench_switch(2, NG_TASK_PRIVATE);
  ng_bench_record(SUITE, "switch_private", SUBJ, "switch", swpriv, "ns");
  sw1000 = bench_switch(1000, 0);
  ng_bench_record(SUITE, "switch_1000", SUBJ, "switch", sw1000, "ns");
  bench_growth(&f.warm, &f.cold, &f.frame);
  ng_bench_record(SUITE, "growth_10000", SUBJ, "growth_overhead", f.warm, "ms");
  ng_bench_record(SUITE, "growth_10000", SUBJ, "growth_overhead_cold", f.cold,
                  "ms");
  ng_bench_record(SUITE, "growth_10000", SUBJ, "frame_bytes", (double)f.frame,
                  "B");
  f.lat = bench_overflow();
  ng_bench_record(SUITE, "overflow", SUBJ, "error_latency", f.lat, "us");
  bench_check(&f.ck);
  ng_bench_record(SUITE, "check", SUBJ, "overhead", f.ck.work, "pct");
  ng_bench_record(SUITE, "check_probe", SUBJ, "overhead", f.ck.probe, "pct");
  ng_bench_record(SUITE, "check_trivial", SUBJ, "overhead", f.ck.trivial,
                  "pct");
  ng_bench_record(SUITE, "check_fib", SUBJ, "overhead", f.ck.fib, "pct");
  bench_jobs(ng_bench_quick() ? 2000 : 10000);
  record_go();
  print_go(&f);
}
