/*
 * bench/child.h - one parse measured in a child process: what the deep
 * nesting and attack cases of every suite share.
 *
 * A peer that overflows its stack at depth 1e6 is a finding, not the end
 * of the bench: each measurement forks, the child prepares its own input
 * (so neither it nor the parent's heap counts towards the measured peak),
 * times one parse and reports through a pipe; the parent reads a report
 * or the signal the child died of. A wall-clock cap (SIGALRM) turns a
 * hang into a signal too.
 */
#ifndef NG_BENCH_CHILD_H
#define NG_BENCH_CHILD_H

#include <stddef.h>

typedef struct ng_bench_child {
  int outcome;   /* 0 the parse succeeded, 1 it was rejected */
  double ms;     /* time of the parse */
  double rss_mb; /* peak RSS the parse added */
} ng_bench_child;

/* Outcomes of ng_bench_in_child. */
enum {
  NG_BENCH_OK = 0,       /* parsed; *r filled */
  NG_BENCH_REJECTED = 1, /* rejected; *r filled */
  NG_BENCH_CRASHED = 2,  /* killed by signal *sig (SIGALRM: the cap) */
  NG_BENCH_NOREPORT = 3  /* no report (setup failed in the child) */
};

/*
 * Runs body(spec, r) in a forked child with `cap_s` seconds of wall clock;
 * body prepares its input and calls ng_bench_child_measure, and returns 0
 * (nonzero: no report). Returns an NG_BENCH_* outcome.
 */
int ng_bench_in_child(int (*body)(const void *spec, ng_bench_child *r),
                      const void *spec, unsigned cap_s, ng_bench_child *r,
                      int *sig);

/* In the child: times run(arg) (nonzero: rejected) and the peak RSS it
 * adds, into *r. */
void ng_bench_child_measure(int (*run)(void *arg), void *arg,
                            ng_bench_child *r);

/*
 * Records `reps` outcomes of one subject on a case: the median time and
 * the largest peak RSS, or what went wrong (a crash in any repetition
 * counts: `crashed` with the signal, else `rejected` or `failed`).
 */
void ng_bench_record_reps(const char *suite, const char *kase,
                          const char *subject, const int *outcome,
                          const ng_bench_child *r, const int *sig, int reps);

#endif /* NG_BENCH_CHILD_H */
