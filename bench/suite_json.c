/*
 * bench/suite_json.c - JSON: engines against peers, and deep nesting.
 *
 * Throughput, two regimes, in MB/s: `throughput` is cold (one parse per
 * sample, interleaved with the other subjects: a CLI or a mixed workload),
 * `throughput_warm` repeats the same parse for >= 100 ms per sample (the
 * branch predictor has learnt the file: a server parsing similar documents
 * all day). Each parse builds the subject's DOM and frees it; median of the
 * repetitions.
 * Files: ../shared/bench-data/json/{twitter,canada,citm_catalog}.json when
 * present, else a generated mixed document, so the suite always runs.
 *
 * Deep nesting: 1e3 .. 1e7 nested arrays and objects. Every (case, subject)
 * runs in a forked child so that a peer that overflows its stack (a crash
 * is the finding) cannot take the bench down; the child reports its time
 * and the peak RSS it added (median time and largest peak of 3 interleaved
 * repetitions). nestguard engines run with max_depth = 0.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "child.h"
#include "nestguard.h"
#include "nestguard/json.h"
#include "peers/peers.h"
#include "suite_json.h"

#define MAX_SUBJECTS 16

typedef struct job {
  const char *data;
  size_t len;
  ng_json_engine engine; /* for nestguard subjects */
  int (*peer)(const char *, size_t);
  size_t max_depth; /* nestguard: 0 unlimited */
} job;

static int run_job(void *ud) {
  job *j = ud;
  ng_json_options opt;
  ng_json_doc *doc;
  int rc;

  if (j->peer != NULL)
    return j->peer(j->data, j->len);
  ng_json_options_default(&opt);
  opt.engine = j->engine;
  opt.limits.max_depth = j->max_depth;
  rc = ng_json_parse(j->data, j->len, &opt, &doc, NULL);
  if (rc == NG_OK)
    ng_json_doc_free(doc);
  return rc;
}

/* Subjects: every nestguard engine, then every peer. */
static size_t make_jobs(job *jobs, ng_bench_subject *subj, const char *data,
                        size_t len, size_t max_depth) {
  size_t n = 0, i;
  int e;

  for (e = 0; e < NG_JSON_ENGINE_COUNT; e++) {
    jobs[n] = (job){data, len, (ng_json_engine)e, NULL, max_depth};
    subj[n] = (ng_bench_subject){ng_json_engine_name((ng_json_engine)e),
                                 run_job, &jobs[n]};
    n++;
  }
  for (i = 0; ng_json_peers[i].name != NULL && n < MAX_SUBJECTS; i++) {
    jobs[n] = (job){data, len, NG_JSON_ITERATIVE, ng_json_peers[i].parse, 0};
    subj[n] = (ng_bench_subject){ng_json_peers[i].name, run_job, &jobs[n]};
    n++;
  }
  return n;
}

char *ng_bench_json_mixed(size_t target, size_t *len) {
  size_t cap = target + 4096, n = 0, i = 0;
  char *s = malloc(cap);

  if (s == NULL)
    return NULL;
  n += (size_t)snprintf(s + n, cap - n, "[");
  while (n + 400 < target) {
    n += (size_t)snprintf(
        s + n, cap - n,
        "%s{\"id\":%zu,\"name\":\"item \\\"%zu\\\" caf\xc3\xa9\",\"score\":"
        "%zu.%03zue-3,\"tags\":[\"a\",\"b\\n\",true,null],\"geo\":[[%zu.5,"
        "-%zu.25],[1e10,2E-5]],\"nested\":{\"k\":{\"v\":[%zu,%zu]}}}",
        i ? "," : "", i, i, i * 7, i % 1000, i % 180, i % 90, i, i * 3);
    i++;
  }
  n += (size_t)snprintf(s + n, cap - n, "]");
  *len = n;
  return s;
}

static void throughput_case(const char *name, const char *data, size_t len) {
  job jobs[MAX_SUBJECTS];
  ng_bench_subject subj[MAX_SUBJECTS];
  size_t n = make_jobs(jobs, subj, data, len, NG_DEFAULT_MAX_DEPTH);
  ng_bench_compare("json", name, subj, n, len, 2, 0);
  ng_bench_compare_warm("json", name, subj, n, len, "throughput_warm", 100,
                        0);
}

/* "[[[...]]]" or {"a":{"a":...}} with `depth` levels, innermost empty. */
static char *generate_deep(size_t depth, int objects, size_t *len) {
  size_t open = objects ? 5 : 1, i, n = 0;
  char *s = malloc(depth * (open + 1) + 1);

  if (s == NULL)
    return NULL;
  for (i = 0; i < depth; i++) {
    if (objects && i + 1 < depth) {
      memcpy(s + n, "{\"a\":", 5);
      n += 5;
    } else {
      s[n++] = objects ? '{' : '[';
    }
  }
  for (i = 0; i < depth; i++)
    s[n++] = objects ? '}' : ']';
  s[n] = '\0';
  *len = n;
  return s;
}

/* What one deep child runs: subject `which` of make_jobs() on a document
 * of `depth` levels that the child generates itself (child.h). */
typedef struct deep_spec {
  size_t depth;
  int objects;
  size_t which;
} deep_spec;

static int deep_body(const void *spec, ng_bench_child *r) {
  const deep_spec *d = spec;
  job jobs[MAX_SUBJECTS];
  ng_bench_subject subj[MAX_SUBJECTS];
  size_t len;
  char *data = generate_deep(d->depth, d->objects, &len);

  if (data == NULL)
    return -1;
  make_jobs(jobs, subj, data, len, 0);
  ng_bench_child_measure(run_job, &jobs[d->which], r);
  return 0;
}

#define DEEP_REPS 3

/* Runs before the throughput cases so the parent's heap is still small.
 * Repetitions are interleaved across subjects (A B C A B C ...), so that
 * a one-off cost such as the kernel compacting memory for the first huge
 * pages does not land on whichever subject happens to run first. */
static void deep_cases(void) {
  static const char *const exps[] = {"1e3", "1e4", "1e5", "1e6", "1e7"};
  job jobs[MAX_SUBJECTS];
  ng_bench_subject subj[MAX_SUBJECTS];
  ng_bench_child r[MAX_SUBJECTS][DEEP_REPS];
  int outcome[MAX_SUBJECTS][DEEP_REPS], sig[MAX_SUBJECTS][DEEP_REPS];
  size_t k, i, n, max_k = ng_bench_quick() ? 4 : 5;
  int rep, reps = ng_bench_quick() ? 1 : DEEP_REPS;
  deep_spec d;
  char kase[64];

  /* Subject names only: no document needed. */
  n = make_jobs(jobs, subj, "", 0, 0);
  for (d.objects = 0; d.objects <= 1; d.objects++) {
    for (k = 0, d.depth = 1000; k < max_k; k++, d.depth *= 10) {
      snprintf(kase, sizeof kase, "deep_%s_%s",
               d.objects ? "objects" : "arrays", exps[k]);
      for (rep = 0; rep < reps; rep++)
        for (i = 0; i < n; i++) {
          d.which = i;
          outcome[i][rep] =
              ng_bench_in_child(deep_body, &d, 120, &r[i][rep], &sig[i][rep]);
        }
      for (i = 0; i < n; i++)
        ng_bench_record_reps("json", kase, subj[i].name, outcome[i], r[i],
                             sig[i], reps);
    }
  }
}

NG_BENCH_SUITE(json, 20) {
  static const char *const files[] = {"twitter.json", "canada.json",
                                      "citm_catalog.json"};
  char rel[64], *data;
  size_t i, len, found = 0;

  deep_cases();
  for (i = 0; i < sizeof files / sizeof files[0]; i++) {
    snprintf(rel, sizeof rel, "json/%s", files[i]);
    data = ng_bench_load(rel, &len);
    if (data == NULL)
      continue;
    found++;
    throughput_case(files[i], data, len);
    free(data);
  }
  if (found == 0) {
    printf("json: bench-data not found (set NG_BENCH_DATA); using a "
           "generated document\n");
    data = ng_bench_json_mixed((size_t)2 << 20, &len);
    if (data != NULL)
      throughput_case("generated_mixed.json", data, len);
    free(data);
  }
}
