/*
 * bench/suite_xml.c - XML: engines against peers, deep nesting and entity
 * attacks.
 *
 * Throughput: each subject parses the whole file and frees what it built
 * (nestguard's engines and libxml2-dom and pugixml a DOM; libxml2-sax and
 * expat with no-op callbacks), interleaved with the others, median of the
 * repetitions, in MB/s. Files: ../shared/bench-data/xml/{andorra.osm,
 * nes96,vk}.xml when present, else a generated document.
 *
 * Deep nesting: <a><a>...</a></a> with 1e3 .. 1e7 elements (1e6 with
 * NG_BENCH_QUICK). Every (case, subject) runs in a forked child, as in the
 * JSON suite, so that a crash is recorded rather than fatal; the child
 * reports its time and the peak RSS it added. nestguard engines run with
 * max_depth = 0, peers with their defaults: libxml2 rejects anything
 * deeper than 256 elements unless XML_PARSE_HUGE is given, which is what
 * its "rejected" rows show.
 *
 * Entity attacks: billion laughs (10 levels of 10 references, 3 GB
 * expanded) and quadratic blowup (a 50,000-byte entity referenced 50,000
 * times, 2.5 GB expanded), each subject once in a child with default
 * options and a wall-clock cap of ATTACK_CAP_S seconds: "time" in ms and
 * "rejected" 1 or 0; a subject still running at the cap is killed and
 * recorded as not rejected, with "timeout" 1 and the cap as its time.
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
#include "nestguard/xml.h"
#include "peers/xml_peers.h"

#define MAX_SUBJECTS 16
#define ATTACK_CAP_S 2

typedef struct job {
  const char *data;
  size_t len;
  ng_xml_engine engine; /* for nestguard subjects */
  int (*peer)(const char *, size_t);
  size_t max_depth; /* nestguard: 0 unlimited */
} job;

static int run_job(void *ud) {
  job *j = ud;
  ng_xml_options opt;
  ng_xml_doc *doc;
  int rc;

  if (j->peer != NULL)
    return j->peer(j->data, j->len);
  ng_xml_options_default(&opt);
  opt.engine = j->engine;
  opt.limits.max_depth = j->max_depth;
  rc = ng_xml_parse(j->data, j->len, &opt, &doc, NULL);
  if (rc == NG_OK)
    ng_xml_doc_free(doc);
  return rc;
}

/* Subjects: every nestguard engine, then every peer. */
static size_t make_jobs(job *jobs, ng_bench_subject *subj, const char *data,
                        size_t len, size_t max_depth) {
  size_t n = 0, i;
  int e;

  for (e = 0; e < NG_XML_ENGINE_COUNT && n < MAX_SUBJECTS; e++) {
    jobs[n] = (job){data, len, (ng_xml_engine)e, NULL, max_depth};
    subj[n] = (ng_bench_subject){ng_xml_engine_name((ng_xml_engine)e), run_job,
                                 &jobs[n]};
    n++;
  }
  for (i = 0; ng_xml_peers[i].name != NULL && n < MAX_SUBJECTS; i++) {
    jobs[n] = (job){data, len, NG_XML_ITERATIVE, ng_xml_peers[i].parse, 0};
    subj[n] = (ng_bench_subject){ng_xml_peers[i].name, run_job, &jobs[n]};
    n++;
  }
  return n;
}

/* A mixed document of about `target` bytes: elements with attributes,
 * text with references, comments and CDATA. */
static char *generate_mixed(size_t target, size_t *len) {
  size_t cap = target + 4096, n = 0, i = 0;
  char *s = malloc(cap);

  if (s == NULL)
    return NULL;
  n += (size_t)snprintf(s + n, cap - n, "<?xml version=\"1.0\"?>\n<root>\n");
  while (n + 400 < target) {
    n += (size_t)snprintf(
        s + n, cap - n,
        "<item id=\"%zu\" name=\"item &quot;%zu&quot; caf\xc3\xa9\">"
        "<score>%zu.%03zu</score><!-- note %zu --><tags><t>a</t><t>b &amp; "
        "c</t></tags><geo lat=\"%zu.5\" lon=\"-%zu.25\"/>"
        "<![CDATA[raw <text> %zu]]></item>\n",
        i, i, i * 7, i % 1000, i, i % 180, i % 90, i * 3);
    i++;
  }
  n += (size_t)snprintf(s + n, cap - n, "</root>\n");
  *len = n;
  return s;
}

static void throughput_case(const char *name, const char *data, size_t len) {
  job jobs[MAX_SUBJECTS];
  ng_bench_subject subj[MAX_SUBJECTS];
  size_t n = make_jobs(jobs, subj, data, len, NG_DEFAULT_MAX_DEPTH);
  ng_bench_compare("xml", name, subj, n, len, 2, 0);
}

/* <a><a>...</a></a> with `depth` elements. */
static char *generate_deep(size_t depth, size_t *len) {
  size_t i, n = 0;
  char *s = malloc(depth * 7 + 1);

  if (s == NULL)
    return NULL;
  for (i = 0; i < depth; i++, n += 3)
    memcpy(s + n, "<a>", 3);
  for (i = 0; i < depth; i++, n += 4)
    memcpy(s + n, "</a>", 4);
  s[n] = '\0';
  *len = n;
  return s;
}

/* The billion laughs: lol9 expands to 10^9 "lol". */
static char *generate_laughs(size_t *len) {
  size_t cap = 4096, n = 0;
  char *s = malloc(cap);
  int k, r;

  if (s == NULL)
    return NULL;
  n += (size_t)snprintf(s + n, cap - n,
                        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
                        "<!ENTITY lol \"lol\">\n");
  for (k = 1; k <= 9; k++) {
    n += (size_t)snprintf(s + n, cap - n, "<!ENTITY lol%d \"", k);
    for (r = 0; r < 10; r++)
      n += (size_t)snprintf(s + n, cap - n, "&lol%.0d;", k - 1);
    n += (size_t)snprintf(s + n, cap - n, "\">\n");
  }
  n += (size_t)snprintf(s + n, cap - n, "]>\n<lolz>&lol9;</lolz>\n");
  *len = n;
  return s;
}

/* The quadratic blowup: one entity of QB bytes referenced QB times. */
#define QB 50000
static char *generate_quadratic(size_t *len) {
  static const char head[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE kaboom [\n"
                             "<!ENTITY a \"";
  static const char mid[] = "\">\n]>\n<kaboom>";
  static const char tail[] = "</kaboom>\n";
  size_t n = 0, i;
  char *s =
      malloc(sizeof head + QB + sizeof mid + 3 * (size_t)QB + sizeof tail);

  if (s == NULL)
    return NULL;
  memcpy(s, head, sizeof head - 1);
  n += sizeof head - 1;
  memset(s + n, 'a', QB);
  n += QB;
  memcpy(s + n, mid, sizeof mid - 1);
  n += sizeof mid - 1;
  for (i = 0; i < QB; i++, n += 3)
    memcpy(s + n, "&a;", 3);
  memcpy(s + n, tail, sizeof tail); /* with its NUL */
  n += sizeof tail - 1;
  *len = n;
  return s;
}

/* What one child runs: subject `which` of make_jobs() on a document it
 * generates itself (child.h): deep elements when depth > 0, else attack
 * `attack`. */
typedef struct child_spec {
  size_t depth;
  int attack; /* 0 billion laughs, 1 quadratic blowup */
  size_t which;
} child_spec;

static int child_body(const void *spec, ng_bench_child *r) {
  const child_spec *d = spec;
  job jobs[MAX_SUBJECTS];
  ng_bench_subject subj[MAX_SUBJECTS];
  size_t len;
  char *data;

  if (d->depth > 0)
    data = generate_deep(d->depth, &len);
  else if (d->attack == 0)
    data = generate_laughs(&len);
  else
    data = generate_quadratic(&len);
  if (data == NULL)
    return -1;
  make_jobs(jobs, subj, data, len, d->depth > 0 ? 0 : NG_DEFAULT_MAX_DEPTH);
  ng_bench_child_measure(run_job, &jobs[d->which], r);
  return 0;
}

#define DEEP_REPS 3

/* Runs before the throughput cases so the parent's heap is still small;
 * repetitions interleaved across subjects, as in the JSON suite. */
static void deep_cases(void) {
  static const char *const exps[] = {"1e3", "1e4", "1e5", "1e6", "1e7"};
  job jobs[MAX_SUBJECTS];
  ng_bench_subject subj[MAX_SUBJECTS];
  ng_bench_child r[MAX_SUBJECTS][DEEP_REPS];
  int outcome[MAX_SUBJECTS][DEEP_REPS], sig[MAX_SUBJECTS][DEEP_REPS];
  size_t k, i, n, max_k = ng_bench_quick() ? 4 : 5;
  int rep, reps = ng_bench_quick() ? 1 : DEEP_REPS;
  child_spec d = {0, 0, 0};
  char kase[64];

  n = make_jobs(jobs, subj, "", 0, 0); /* subject names only */
  for (k = 0, d.depth = 1000; k < max_k; k++, d.depth *= 10) {
    snprintf(kase, sizeof kase, "deep_elements_%s", exps[k]);
    for (rep = 0; rep < reps; rep++)
      for (i = 0; i < n; i++) {
        d.which = i;
        outcome[i][rep] =
            ng_bench_in_child(child_body, &d, 120, &r[i][rep], &sig[i][rep]);
      }
    for (i = 0; i < n; i++)
      ng_bench_record_reps("xml", kase, subj[i].name, outcome[i], r[i],
                           sig[i], reps);
  }
}

/* Each subject once per attack, in a child capped at ATTACK_CAP_S. */
static void attack_cases(void) {
  static const char *const names[] = {"billion_laughs", "quadratic_blowup"};
  job jobs[MAX_SUBJECTS];
  ng_bench_subject subj[MAX_SUBJECTS];
  ng_bench_child r;
  child_spec d = {0, 0, 0};
  size_t i, n;
  int outcome, sig = 0;

  n = make_jobs(jobs, subj, "", 0, 0); /* subject names only */
  for (d.attack = 0; d.attack < 2; d.attack++)
    for (i = 0; i < n; i++) {
      const char *kase = names[d.attack], *who = subj[i].name;
      d.which = i;
      outcome = ng_bench_in_child(child_body, &d, ATTACK_CAP_S, &r, &sig);
      if (outcome == NG_BENCH_CRASHED && sig == SIGALRM) {
        ng_bench_record("xml", kase, who, "time", ATTACK_CAP_S * 1e3, "ms");
        ng_bench_record("xml", kase, who, "rejected", 0, "-");
        ng_bench_record("xml", kase, who, "timeout", 1, "-");
      } else if (outcome == NG_BENCH_CRASHED) {
        ng_bench_record("xml", kase, who, "crashed", sig, "signal");
        printf("xml %s: %s killed by signal %d (%s)\n", kase, who, sig,
               strsignal(sig));
      } else if (outcome == NG_BENCH_NOREPORT) {
        ng_bench_record("xml", kase, who, "failed", 1, "-");
      } else {
        ng_bench_record("xml", kase, who, "time", r.ms, "ms");
        ng_bench_record("xml", kase, who, "rejected", outcome, "-");
      }
    }
}

NG_BENCH_SUITE(xml, 40) {
  static const char *const files[] = {"andorra.osm.xml", "nes96.xml", "vk.xml"};
  char rel[64], *data;
  size_t i, len, found = 0;

  deep_cases();
  attack_cases();
  for (i = 0; i < sizeof files / sizeof files[0]; i++) {
    snprintf(rel, sizeof rel, "xml/%s", files[i]);
    data = ng_bench_load(rel, &len);
    if (data == NULL)
      continue;
    found++;
    throughput_case(files[i], data, len);
    free(data);
  }
  if (found == 0) {
    printf("xml: bench-data not found (set NG_BENCH_DATA); using a "
           "generated document\n");
    data = generate_mixed((size_t)2 << 20, &len);
    if (data != NULL)
      throughput_case("generated_mixed.xml", data, len);
    free(data);
  }
}
