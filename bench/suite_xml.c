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
 *
 * The structure the JSON suite shares (subjects, the deep cases' children,
 * the files and their fallback) is bench/format_suite.c; this file holds
 * XML's part: its parse, its documents and the attack cases.
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
#include "format_suite.h"
#include "nestguard.h"
#include "nestguard/xml.h"
#include "peers/xml_peers.h"
#include "suite_xml.h"

#define ATTACK_CAP_S 2

/* One DOM parse with engine e, freed. */
static int parse(int e, const char *data, size_t len, size_t max_depth) {
  ng_xml_options opt;
  ng_xml_doc *doc;
  int rc;

  ng_xml_options_default(&opt);
  opt.engine = (ng_xml_engine)e;
  opt.limits.max_depth = max_depth;
  rc = ng_xml_parse(data, len, &opt, &doc, NULL);
  if (rc == NG_OK)
    ng_xml_doc_free(doc);
  return rc;
}

static const char *engine_name(int e) {
  return ng_xml_engine_name((ng_xml_engine)e);
}

char *ng_bench_xml_mixed(size_t target, size_t *len) {
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

/* XML's documents by shape: deep elements, or an attack. */
enum { SHAPE_DEEP, SHAPE_LAUGHS, SHAPE_QUADRATIC };

static char *generate_doc(size_t depth, int shape, size_t *len) {
  if (shape == SHAPE_LAUGHS)
    return generate_laughs(len);
  if (shape == SHAPE_QUADRATIC)
    return generate_quadratic(len);
  return generate_deep(depth, len);
}

static const ng_bench_format xml_format = {.suite = "xml",
                                           .nengines = NG_XML_ENGINE_COUNT,
                                           .engine_name = engine_name,
                                           .parse = parse,
                                           .peers = ng_xml_peers,
                                           .warm = 0,
                                           .generate = ng_bench_xml_mixed,
                                           .generated_name =
                                               "generated_mixed.xml",
                                           .doc = generate_doc};

/* Each subject once per attack, in a child capped at ATTACK_CAP_S. */
static void attack_cases(void) {
  static const char *const names[] = {"billion_laughs", "quadratic_blowup"};
  ng_bench_job jobs[NG_BENCH_MAX_SUBJECTS];
  ng_bench_subject subj[NG_BENCH_MAX_SUBJECTS];
  ng_bench_child r;
  size_t i, n;
  int attack, outcome, sig = 0;

  /* subject names only */
  n = ng_bench_format_jobs(&xml_format, jobs, subj, "", 0, 0);
  for (attack = 0; attack < 2; attack++)
    for (i = 0; i < n; i++) {
      const char *kase = names[attack], *who = subj[i].name;
      outcome =
          ng_bench_format_child(&xml_format, 0, SHAPE_LAUGHS + attack, i,
                                NG_DEFAULT_MAX_DEPTH, ATTACK_CAP_S, &r, &sig);
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

/* The deep and attack cases run first, while the parent's heap is still
 * small. */
NG_BENCH_SUITE(xml, 40) {
  static const char *const files[] = {"andorra.osm.xml", "nes96.xml", "vk.xml"};

  ng_bench_format_deep(&xml_format, SHAPE_DEEP, "elements");
  attack_cases();
  ng_bench_format_throughput(&xml_format, files,
                             sizeof files / sizeof files[0]);
}
