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
 *
 * The structure the XML suite shares (subjects, the deep cases' children,
 * the files and their fallback) is bench/format_suite.c; this file holds
 * JSON's part: its parse, its documents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "format_suite.h"
#include "nestguard.h"
#include "nestguard/json.h"
#include "peers/peers.h"
#include "suite_json.h"

/* One DOM parse with engine e, freed. */
static int parse(int e, const char *data, size_t len, size_t max_depth) {
  ng_json_options opt;
  ng_json_doc *doc;
  int rc;

  ng_json_options_default(&opt);
  opt.engine = (ng_json_engine)e;
  opt.limits.max_depth = max_depth;
  rc = ng_json_parse(data, len, &opt, &doc, NULL);
  if (rc == NG_OK)
    ng_json_doc_free(doc);
  return rc;
}

static const char *engine_name(int e) {
  return ng_json_engine_name((ng_json_engine)e);
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

static const ng_bench_format json_format = {.suite = "json",
                                            .nengines = NG_JSON_ENGINE_COUNT,
                                            .engine_name = engine_name,
                                            .parse = parse,
                                            .peers = ng_json_peers,
                                            .warm = 1,
                                            .generate = ng_bench_json_mixed,
                                            .generated_name =
                                                "generated_mixed.json",
                                            .doc = generate_deep};

/* The deep cases run first, while the parent's heap is still small. */
NG_BENCH_SUITE(json, 20) {
  static const char *const files[] = {"twitter.json", "canada.json",
                                      "citm_catalog.json"};

  ng_bench_format_deep(&json_format, 0, "arrays");
  ng_bench_format_deep(&json_format, 1, "objects");
  ng_bench_format_throughput(&json_format, files,
                             sizeof files / sizeof files[0]);
}
