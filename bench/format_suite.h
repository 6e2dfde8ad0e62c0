/*
 * bench/format_suite.h - what the JSON and XML suites share, parameterised
 * by the format: their subjects (every nestguard engine, then every peer),
 * throughput over the bench-data files with a generated document when
 * none is there, and the deep-nesting cases, each (case, subject) in a
 * forked child (child.h) with its repetitions interleaved across subjects.
 */
#ifndef NG_BENCH_FORMAT_SUITE_H
#define NG_BENCH_FORMAT_SUITE_H

#include <stddef.h>

#include "bench.h"
#include "child.h"
#include "peers/peers.h"

#define NG_BENCH_MAX_SUBJECTS 16

/* A format's part. */
typedef struct ng_bench_format {
  const char *suite; /* "json": the suite and its bench-data folder */
  int nengines;      /* nestguard engines 0 .. nengines - 1 */
  const char *(*engine_name)(int engine);
  /* One nestguard parse of data[0..len) into a DOM, freed: 0 or the
   * error code; max_depth 0 is unlimited. */
  int (*parse)(int engine, const char *data, size_t len, size_t max_depth);
  const ng_peer *peers; /* the peers, up to an entry with a NULL name */
  int warm;             /* throughput also in the warm regime */
  /* A mixed document of about target bytes (malloc'd, NULL: no memory),
   * parsed as generated_name when no bench-data file is there. */
  char *(*generate)(size_t target, size_t *len);
  const char *generated_name;
  /* A document of shape `shape` (the format's: deep nesting, an attack)
   * with depth levels where the shape nests; malloc'd, NULL: no memory. */
  char *(*doc)(size_t depth, int shape, size_t *len);
} ng_bench_format;

/* One subject's work: a nestguard engine (peer NULL) or a peer. */
typedef struct ng_bench_job {
  const ng_bench_format *fmt;
  const char *data;
  size_t len;
  int engine;                        /* nestguard subjects */
  int (*peer)(const char *, size_t); /* NULL: nestguard */
  size_t max_depth;                  /* nestguard: 0 unlimited */
} ng_bench_job;

/*
 * Fills jobs and subj with fmt's subjects over data[0..len), nestguard's
 * engines with max_depth: every engine, then every peer, at most
 * NG_BENCH_MAX_SUBJECTS. Returns how many.
 */
size_t ng_bench_format_jobs(const ng_bench_format *fmt, ng_bench_job *jobs,
                            ng_bench_subject *subj, const char *data,
                            size_t len, size_t max_depth);

/* A subject's run (ud: its ng_bench_job): 0, or nonzero when rejected. */
int ng_bench_job_run(void *ud);

/*
 * Runs subject `which` of fmt once in a forked child with cap_s seconds of
 * wall clock, on fmt->doc(depth, shape), which the child makes itself
 * (nestguard's engines with max_depth); returns an NG_BENCH_* outcome
 * (child.h) with *r and *sig.
 */
int ng_bench_format_child(const ng_bench_format *fmt, size_t depth, int shape,
                          size_t which, size_t max_depth, unsigned cap_s,
                          ng_bench_child *r, int *sig);

/*
 * The deep cases of one shape: case "deep_<shape_name>_1e3" .. "_1e7"
 * (to 1e6 with NG_BENCH_QUICK), documents from fmt->doc, nestguard with
 * max_depth 0, 3 repetitions (1 quick), recorded by ng_bench_record_reps.
 * Runs best before anything grows the parent's heap.
 */
void ng_bench_format_deep(const ng_bench_format *fmt, int shape,
                          const char *shape_name);

/*
 * Throughput of every subject on each of files[0..n) found in fmt's
 * bench-data folder, else on fmt's generated document (and says so).
 */
void ng_bench_format_throughput(const ng_bench_format *fmt,
                                const char *const *files, size_t n);

#endif /* NG_BENCH_FORMAT_SUITE_H */
