/*
 * bench/bench.h - the benchmark harness every suite uses.
 *
 * A suite is a function registered with NG_BENCH_SUITE(name); main() runs
 * every registered suite (or those named on the command line), prints a
 * Markdown table per suite, appends rows to results.tsv
 * (suite, case, subject, metric, value, unit) and draws a chart per suite.
 *
 * Timing discipline: ng_bench_compare() warms every subject up, then runs
 * the repetitions interleaved (A B C A B C ...), so that a noisy machine
 * slows all subjects alike and their ratios hold; it records the median
 * and reports min and max beside it.
 */
#ifndef NG_BENCH_H
#define NG_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* Monotonic clock in nanoseconds. */
double ng_bench_now_ns(void);

/* Peak resident set size of this process so far, in bytes (getrusage). */
size_t ng_bench_peak_rss(void);

/* Current resident set size in bytes (/proc/self/statm). */
size_t ng_bench_rss(void);

/* Records one measurement: a row in results.tsv and a cell in the table. */
void ng_bench_record(const char *suite, const char *kase, const char *subject,
                     const char *metric, double value, const char *unit);

/* The value of the last row this run recorded with these fields: 0 and
 * *out, or -1 when there is none (the subject failed, or never ran). */
int ng_bench_value(const char *suite, const char *kase, const char *subject,
                   const char *metric, double *out);

/* One competitor in a comparison. run() does one repetition of the work and
 * returns 0, or nonzero when it failed (the subject is then reported as
 * failed, not timed). */
typedef struct ng_bench_subject {
  const char *name;
  int (*run)(void *ud);
  void *ud;
} ng_bench_subject;

/*
 * Times subjects interleaved: `warmup` untimed rounds, then `reps` timed
 * rounds. With bytes > 0 records metric "throughput" in MB/s (bytes per
 * repetition / median time); otherwise metric "time" in ms. Also records
 * "time_min" and "time_max" in ms. reps 0 uses the default (NG_BENCH_REPS
 * in the environment, else 11).
 */
void ng_bench_compare(const char *suite, const char *kase,
                      const ng_bench_subject *subjects, size_t n, size_t bytes,
                      unsigned warmup, unsigned reps);

/*
 * Times subjects warm: each sample runs one subject over and over for at
 * least min_ms milliseconds and takes the mean time of one run, so the
 * branch predictor and the caches have learnt the input (a server parsing
 * similar documents all day); ng_bench_compare is the cold regime beside
 * it. Samples are timed in the thread's CPU time (a 100 ms sample on a
 * shared machine is often preempted) and interleaved across subjects,
 * `reps` of each (0: the default). Records `metric` in MB/s of `bytes` per
 * run, the median.
 */
void ng_bench_compare_warm(const char *suite, const char *kase,
                           const ng_bench_subject *subjects, size_t n,
                           size_t bytes, const char *metric, double min_ms,
                           unsigned reps);

/* Number of timed repetitions a suite should use by default. */
unsigned ng_bench_reps(void);

/* Nonzero when NG_BENCH_QUICK is set: suites shrink their sizes (CI). */
int ng_bench_quick(void);

/*
 * Reads a benchmark data file: bench-data dir (NG_BENCH_DATA, default
 * ../shared/bench-data) + "/" + rel. Returns a malloc'd buffer or NULL when
 * the file is absent (suites then fall back to generated documents).
 */
char *ng_bench_load(const char *rel, size_t *len);

/*
 * Calls fn(name, data, len) on each of files[0..n) found in bench-data's
 * folder `dir` ("json"), loaded by ng_bench_load and freed after. Returns
 * how many were found.
 */
size_t ng_bench_each_file(const char *dir, const char *const *files, size_t n,
                          void (*fn)(const char *name, const char *data,
                                     size_t len));

/*
 * Writes DIR/meta.tsv for the report page: date, machine, versions,
 * method, and the suites asked for (argv[first..argc), none: all).
 */
void ng_bench_meta(const char *dir, int argc, char **argv, int first);

/*
 * Builds the report page DIR/index.html and its charts DIR/charts/ from
 * DIR/results.tsv and DIR/meta.tsv (bench/report.h). Returns 0 or 1.
 */
int ng_bench_report(const char *dir);

/* Suite registration (runs before main through a constructor). */
typedef void (*ng_bench_suite_fn)(void);
void ng_bench_register(const char *name, ng_bench_suite_fn fn, int order);

#define NG_BENCH_SUITE(name, order)                                            \
  static void ng_bench_suite_##name(void);                                     \
  __attribute__((constructor)) static void ng_bench_reg_##name(void) {         \
    ng_bench_register(#name, ng_bench_suite_##name, order);                    \
  }                                                                            \
  static void ng_bench_suite_##name(void)

#endif /* NG_BENCH_H */
