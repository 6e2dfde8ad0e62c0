/*
 * bench/format_suite.c - the JSON and XML suites' shared structure
 * (format_suite.h).
 */
#include "format_suite.h"

#include <stdio.h>
#include <stdlib.h>

#include "nestguard.h"

size_t ng_bench_format_jobs(const ng_bench_format *fmt, ng_bench_job *jobs,
                            ng_bench_subject *subj, const char *data,
                            size_t len, size_t max_depth) {
  size_t n = 0, i;
  int e;

  for (e = 0; e < fmt->nengines && n < NG_BENCH_MAX_SUBJECTS; e++) {
    jobs[n] = (ng_bench_job){fmt, data, len, e, NULL, max_depth};
    subj[n] =
        (ng_bench_subject){fmt->engine_name(e), ng_bench_job_run, &jobs[n]};
    n++;
  }
  for (i = 0; fmt->peers[i].name != NULL && n < NG_BENCH_MAX_SUBJECTS; i++) {
    jobs[n] = (ng_bench_job){fmt, data, len, 0, fmt->peers[i].parse, 0};
    subj[n] =
        (ng_bench_subject){fmt->peers[i].name, ng_bench_job_run, &jobs[n]};
    n++;
  }
  return n;
}

int ng_bench_job_run(void *ud) {
  const ng_bench_job *j = ud;

  if (j->peer != NULL)
    return j->peer(j->data, j->len);
  return j->fmt->parse(j->engine, j->data, j->len, j->max_depth);
}

/* ---------------------------------------------------------------- deep */

/* What one child runs: subject `which` on a document the child makes
 * itself (child.h). */
typedef struct child_spec {
  const ng_bench_format *fmt;
  size_t depth;
  int shape;
  size_t which;
  size_t max_depth;
} child_spec;

static int child_body(const void *spec, ng_bench_child *r) {
  const child_spec *d = spec;
  ng_bench_job jobs[NG_BENCH_MAX_SUBJECTS];
  ng_bench_subject subj[NG_BENCH_MAX_SUBJECTS];
  size_t len;
  char *data = d->fmt->doc(d->depth, d->shape, &len);

  if (data == NULL)
    return -1;
  ng_bench_format_jobs(d->fmt, jobs, subj, data, len, d->max_depth);
  ng_bench_child_measure(ng_bench_job_run, &jobs[d->which], r);
  return 0;
}

int ng_bench_format_child(const ng_bench_format *fmt, size_t depth, int shape,
                          size_t which, size_t max_depth, unsigned cap_s,
                          ng_bench_child *r, int *sig) {
  child_spec d = {fmt, depth, shape, which, max_depth};

  return ng_bench_in_child(child_body, &d, cap_s, r, sig);
}

#define DEEP_REPS 3

/* Repetitions are interleaved across subjects (A B C A B C ...), so that
 * a one-off cost such as the kernel compacting memory for the first huge
 * pages does not land on whichever subject happens to run first. */
void ng_bench_format_deep(const ng_bench_format *fmt, int shape,
                          const char *shape_name) {
  static const char *const exps[] = {"1e3", "1e4", "1e5", "1e6", "1e7"};
  ng_bench_job jobs[NG_BENCH_MAX_SUBJECTS];
  ng_bench_subject subj[NG_BENCH_MAX_SUBJECTS];
  ng_bench_child r[NG_BENCH_MAX_SUBJECTS][DEEP_REPS];
  int outcome[NG_BENCH_MAX_SUBJECTS][DEEP_REPS];
  int sig[NG_BENCH_MAX_SUBJECTS][DEEP_REPS];
  size_t k, i, n, depth, max_k = ng_bench_quick() ? 4 : 5;
  int rep, reps = ng_bench_quick() ? 1 : DEEP_REPS;
  char kase[64];

  n = ng_bench_format_jobs(fmt, jobs, subj, "", 0, 0); /* names only */
  for (k = 0, depth = 1000; k < max_k; k++, depth *= 10) {
    snprintf(kase, sizeof kase, "deep_%s_%s", shape_name, exps[k]);
    for (rep = 0; rep < reps; rep++)
      for (i = 0; i < n; i++)
        outcome[i][rep] = ng_bench_format_child(fmt, depth, shape, i, 0, 120,
                                                &r[i][rep], &sig[i][rep]);
    for (i = 0; i < n; i++)
      ng_bench_record_reps(fmt->suite, kase, subj[i].name, outcome[i], r[i],
                           sig[i], reps);
  }
}

/* ---------------------------------------------------------- throughput */

static void throughput_case(const ng_bench_format *fmt, const char *name,
                            const char *data, size_t len) {
  ng_bench_job jobs[NG_BENCH_MAX_SUBJECTS];
  ng_bench_subject subj[NG_BENCH_MAX_SUBJECTS];
  size_t n =
      ng_bench_format_jobs(fmt, jobs, subj, data, len, NG_DEFAULT_MAX_DEPTH);

  ng_bench_compare(fmt->suite, name, subj, n, len, 2, 0);
  if (fmt->warm)
    ng_bench_compare_warm(fmt->suite, name, subj, n, len, "throughput_warm",
                          100, 0);
}

void ng_bench_format_throughput(const ng_bench_format *fmt,
                                const char *const *files, size_t n) {
  char rel[64], *data;
  size_t i, len, found = 0;

  for (i = 0; i < n; i++) {
    snprintf(rel, sizeof rel, "%s/%s", fmt->suite, files[i]);
    data = ng_bench_load(rel, &len);
    if (data == NULL)
      continue;
    found++;
    throughput_case(fmt, files[i], data, len);
    free(data);
  }
  if (found != 0)
    return;
  printf("%s: bench-data not found (set NG_BENCH_DATA); using a "
         "generated document\n",
         fmt->suite);
  data = fmt->generate((size_t)2 << 20, &len);
  if (data != NULL)
    throughput_case(fmt, fmt->generated_name, data, len);
  free(data);
}
