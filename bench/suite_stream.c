/*
 * bench/suite_stream.c - push parsing (issue 13): many JSON streams open at
 * once, and a file fed in chunks against the one-shot parse.
 *
 * open_<N>_depth_<d>: N streams of one engine, in event mode with no
 * callbacks (the parser's own state, no DOM), are each fed a document cut
 * where d containers are open (stream_doc()); with all N parked,
 * bytes_per_stream is the resident set grown since before the first
 * stream, divided by N. Then every stream gets the rest and finishes, and
 * feed_throughput is N whole documents in MB over the CPU time (user and
 * system) of both feeds: stream creation, page faults and freeing
 * included, the RSS reading excluded; CPU time, because on a shared
 * machine the wall clock of a second-long phase mostly measures the
 * others' load. Each
 * cell runs in a forked child (bench/child.h). A cell whose memory,
 * extrapolated from the same subject and depth at a smaller N, would pass
 * the budget (NG_BENCH_STREAM_MB, default 6 GiB or half of MemAvailable),
 * or whose time would pass the child's cap (NG_BENCH_STREAM_CAP seconds,
 * default 120), is skipped with the reason printed; NG_BENCH_STREAM_N and
 * NG_BENCH_STREAM_D (comma-separated) pick cells, for Go as well; N = 1e6
 * runs only in full mode; NG_BENCH_STREAM_CASES (comma-separated: open,
 * go, chunked) picks the kinds of case, all when unset. The Go program
 * bench/go/stream.go does the same with a goroutine per stream
 * (subjects go and go-decode); bench.mk passes its path in NG_BENCH_GO
 * and its rows are recorded here.
 *
 * chunked_<file>_<chunk>: each engine builds the DOM of the file fed in
 * chunks of 1, 64, 4096 and 65536 bytes (subject = engine name), timed
 * interleaved with the same engine's one-shot ng_json_parse or
 * ng_xml_parse (<engine>-oneshot); files: JSON's twitter, citm_catalog
 * and canada, XML's nes96 and vk (bench-data), else a generated document
 * of each format; `vs_oneshot` is their ratio of best times (one-shot
 * time_min / chunked time_min: the fastest repetition is the one the
 * machine's other load disturbed least; the medians move by 2x under
 * load), over four times the default repetitions (44). At 64 and 4096
 * bytes also `vs_oneshot_warm`: the same ratio in the warm regime
 * (chunked_warm).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "child.h"
#include "nestguard.h"
#include "nestguard/json.h"
#include "nestguard/xml.h"
#include "suite_json.h"
#include "suite_xml.h"

#define SUITE "stream"

/* Seconds of wall clock one open_ cell may take: NG_BENCH_STREAM_CAP, else
 * 120. */
static unsigned open_cap_s(void) {
  const char *e = getenv("NG_BENCH_STREAM_CAP");
  long s = e != NULL ? strtol(e, NULL, 10) : 0;
  return s > 0 ? (unsigned)s : 120;
}

/* ------------------------------------------------------- the documents */

/*
 * The open_ document at depth d, and in *cut the offset where all d
 * containers are open, waiting for their first value: an object {"a": at
 * even levels and an array [ at odd ones around the number 1. Lean on
 * purpose: a parked stream's cost is the parser's state. bench/go/stream.go
 * builds the same bytes.
 */
static char *stream_doc(size_t d, size_t *len, size_t *cut) {
  char *s = malloc(d * 6 + 2), *p = s;
  size_t i;

  if (s == NULL)
    return NULL;
  for (i = 0; i < d; i++) {
    if (i % 2 == 0) {
      memcpy(p, "{\"a\":", 5);
      p += 5;
    } else {
      *p++ = '[';
    }
  }
  *cut = (size_t)(p - s);
  *p++ = '1';
  for (i = d; i-- > 0;)
    *p++ = i % 2 == 0 ? '}' : ']';
  *len = (size_t)(p - s);
  return s;
}

/* ------------------------------------------------------ open_ cells */

typedef struct open_spec {
  ng_json_engine engine;
  size_t n, d;
} open_spec;

/* Feeds every stream data[0..len) (finishing them when fin). Returns 0 or
 * the first error. */
static int feed_all(ng_json_stream **s, size_t n, const char *data,
                    size_t len, int fin) {
  size_t i;
  int rc;

  for (i = 0; i < n; i++) {
    if ((rc = ng_json_stream_feed(s[i], data, len, NULL)) != NG_OK)
      return rc;
    if (fin && (rc = ng_json_stream_finish(s[i], NULL, NULL)) != NG_OK)
      return rc;
  }
  return NG_OK;
}

/* Opens n streams of one engine in event mode into s. Returns 0 or the
 * error (streams opened so far stay in s, the rest NULL). */
static int open_all(ng_json_stream **s, size_t n, ng_json_engine engine) {
  static const ng_json_events none; /* every event ignored */
  ng_json_options opt;
  ng_json_stream_config cfg;
  size_t i;
  int rc;

  ng_json_options_default(&opt);
  opt.engine = engine;
  memset(&cfg, 0, sizeof cfg);
  cfg.opt = &opt;
  cfg.events = &none;
  for (i = 0; i < n; i++)
    if ((rc = ng_json_stream_new(&cfg, &s[i])) != NG_OK)
      return rc;
  return NG_OK;
}

/* This process's CPU time (user and system) in nanoseconds. */
static double cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* In the child: one cell. r->rss_mb is the RSS grown with all n parked,
 * r->ms the CPU time of both feeds. */
static int open_body(const void *spec, ng_bench_child *r) {
  const open_spec *o = spec;
  size_t len, cut, i, base;
  char *doc = stream_doc(o->d, &len, &cut);
  ng_json_stream **s;
  double t0, first;
  int rc;

  if (doc == NULL)
    return -1;
  base = ng_bench_rss();
  t0 = cpu_ns();
  if ((s = calloc(o->n, sizeof *s)) == NULL) {
    free(doc);
    return -1;
  }
  rc = open_all(s, o->n, o->engine);
  if (rc == NG_OK)
    rc = feed_all(s, o->n, doc, cut, 0);
  first = cpu_ns() - t0;
  r->rss_mb = ((double)ng_bench_rss() - (double)base) / 1e6;
  t0 = cpu_ns();
  if (rc == NG_OK)
    rc = feed_all(s, o->n, doc + cut, len - cut, 1);
  for (i = 0; i < o->n; i++)
    ng_json_stream_free(s[i]);
  r->ms = (first + cpu_ns() - t0) / 1e6;
  r->outcome = rc == NG_OK ? NG_BENCH_OK : NG_BENCH_REJECTED;
  free(s);
  free(doc);
  return 0;
}

/* MB a cell may take: NG_BENCH_STREAM_MB, else 6 GiB or half of what the
 * machine has available, whichever is less. */
static double budget_mb(void) {
  const char *e = getenv("NG_BENCH_STREAM_MB");
  double mb = e != NULL ? strtod(e, NULL) : 0, avail_kb = 0;
  char line[256];
  FILE *f;

  if (mb > 0)
    return mb;
  mb = 6144;
  if ((f = fopen("/proc/meminfo", "r")) != NULL) {
    while (fgets(line, sizeof line, f) != NULL)
      if (sscanf(line, "MemAvailable: %lf kB", &avail_kb) == 1)
        break;
    fclose(f);
  }
  return avail_kb > 0 && avail_kb / 2048 < mb ? avail_kb / 2048 : mb;
}

/* What the last cell of a subject and depth gave, to extrapolate. */
typedef struct last_cell {
  size_t n;      /* 0: none yet */
  double per;    /* bytes_per_stream */
  double s;      /* seconds the child took */
  int failed;    /* it did not report */
} last_cell;

/* Why cell n cannot run after l, or NULL; the reason in buf. */
static const char *skip_reason(const last_cell *l, size_t n, char *buf,
                               size_t cap) {
  double scale = l->n ? (double)n / (double)l->n : 0;
  double need = l->per * (double)n * 1.25 / 1e6, budget = budget_mb();

  if (ng_bench_quick() && n > 100000)
    return "NG_BENCH_QUICK";
  if (l->failed)
    return "failed at a smaller N";
  if (l->n == 0)
    return NULL;
  if (need > budget) {
    snprintf(buf, cap,
             "needs about %.0f MB (%.0f B a stream at N=%zu), over the "
             "%.0f MB budget",
             need, l->per, l->n, budget);
    return buf;
  }
  if (l->s * scale > open_cap_s()) {
    snprintf(buf, cap,
             "would take about %.0f s (%.1f s at N=%zu), over the %u s cap",
             l->s * scale, l->s, l->n, open_cap_s());
    return buf;
  }
  return NULL;
}

/* Runs one cell and records it; updates *l. */
static void open_cell(const open_spec *o, const char *kase, last_cell *l) {
  ng_bench_child r;
  int sig = 0, out;
  double t0 = ng_bench_now_ns();
  const char *name = ng_json_engine_name(o->engine);
  size_t len, cut;

  free(stream_doc(o->d, &len, &cut)); /* its length only */
  out = ng_bench_in_child(open_body, o, open_cap_s(), &r, &sig);
  *l = (last_cell){o->n, 0, (ng_bench_now_ns() - t0) / 1e9, 1};
  if (out != NG_BENCH_OK) {
    ng_bench_record_reps(SUITE, kase, name, &out, &r, &sig, 1);
    return;
  }
  l->failed = 0;
  l->per = r.rss_mb * 1e6 / (double)o->n;
  ng_bench_record(SUITE, kase, name, "bytes_per_stream", l->per, "B");
  ng_bench_record(SUITE, kase, name, "feed_throughput",
                  (double)o->n * (double)len / 1e3 / r.ms, "MB/s");
}

/* Whether v is in the comma-separated list in environment variable name
 * (unset or empty: every value is). */
static int listed(const char *name, size_t v) {
  const char *e = getenv(name);
  char *end;

  if (e == NULL || *e == '\0')
    return 1;
  for (; *e != '\0'; e = *end == ',' ? end + 1 : end) {
    if (strtoull(e, &end, 10) == v)
      return 1;
    if (end == e)
      return 0;
  }
  return 0;
}

static void open_cases(void) {
  static const size_t ns[] = {10000, 100000, 1000000};
  static const size_t ds[] = {10, 100, 1000};
  open_spec o;
  last_cell l;
  size_t di, ni;
  const char *why;
  char kase[64], buf[160];
  int e;

  for (e = 0; e < NG_JSON_ENGINE_COUNT; e++)
    for (di = 0; di < 3; di++) {
      l = (last_cell){0, 0, 0, 0};
      for (ni = 0; ni < 3; ni++) {
        o = (open_spec){(ng_json_engine)e, ns[ni], ds[di]};
        if (!listed("NG_BENCH_STREAM_N", o.n) ||
            !listed("NG_BENCH_STREAM_D", o.d))
          continue;
        snprintf(kase, sizeof kase, "open_%zu_depth_%zu", o.n, o.d);
        if ((why = skip_reason(&l, o.n, buf, sizeof buf)) != NULL) {
          printf("stream: %s %s skipped: %s\n", kase,
                 ng_json_engine_name(o.engine), why);
          continue;
        }
        open_cell(&o, kase, &l);
      }
    }
}

/* Records the rows the Go program (NG_BENCH_GO) prints. */
static void go_cases(void) {
  const char *go = getenv("NG_BENCH_GO");
  char line[512], *f[6], *p;
  size_t n;
  FILE *in;

  if (go == NULL || *go == '\0') {
    printf("stream: no Go program (NG_BENCH_GO unset: no go command when "
           "bench.mk ran; Debian golang-go): Go comparison skipped\n");
    return;
  }
  fflush(stdout);
  if ((in = popen(go, "r")) == NULL) {
    printf("stream: cannot run %s: Go comparison skipped\n", go);
    return;
  }
  while (fgets(line, sizeof line, in) != NULL) {
    line[strcspn(line, "\n")] = '\0';
    for (n = 0, p = line; n < 6 && p != NULL; n++) {
      f[n] = p;
      if ((p = strchr(p, '\t')) != NULL)
        *p++ = '\0';
    }
    if (n == 6 && strcmp(f[0], SUITE) == 0)
      ng_bench_record(SUITE, f[1], f[2], f[3], strtod(f[4], NULL), f[5]);
  }
  if (pclose(in) != 0)
    printf("stream: %s did not end cleanly\n", go);
}

/* ---------------------------------------------------- chunked_ cases */

/* The stream API of one format, as the chunked cases use it. */
typedef struct chunk_fmt {
  int engines;                      /* engine count */
  const char *(*name)(int e);       /* an engine's name */
  int (*chunked)(const char *data, size_t len, size_t chunk, int e);
  int (*oneshot)(const char *data, size_t len, int e);
} chunk_fmt;

typedef struct chunk_job {
  const chunk_fmt *fmt;
  const char *data;
  size_t len;
  size_t chunk; /* 0: one-shot */
  int engine;
} chunk_job;

/*
 * F_name, F_chunked and F_oneshot for format F (json or xml: the two
 * stream APIs have the same shape). F_chunked streams data in chunks into
 * a DOM with engine e, then frees it; F_oneshot parses it whole.
 */
#define CHUNK_FORMAT(F)                                                        \
  static const char *F##_name(int e) {                                         \
    return ng_##F##_engine_name((ng_##F##_engine)e);                           \
  }                                                                            \
  static int F##_chunked(const char *data, size_t len, size_t chunk, int e) {  \
    ng_##F##_stream_config cfg;                                                \
    ng_##F##_options opt;                                                      \
    ng_##F##_stream *s;                                                        \
    ng_##F##_doc *doc = NULL;                                                  \
    size_t off, n;                                                             \
    int rc;                                                                    \
                                                                               \
    ng_##F##_options_default(&opt);                                            \
    opt.engine = (ng_##F##_engine)e;                                           \
    memset(&cfg, 0, sizeof cfg);                                               \
    cfg.opt = &opt;                                                            \
    if ((rc = ng_##F##_stream_new(&cfg, &s)) != NG_OK)                         \
      return rc;                                                               \
    for (off = 0; rc == NG_OK && off < len; off += n) {                        \
      n = len - off < chunk ? len - off : chunk;                               \
      rc = ng_##F##_stream_feed(s, data + off, n, NULL);                       \
    }                                                                          \
    if (rc == NG_OK)                                                           \
      rc = ng_##F##_stream_finish(s, &doc, NULL);                              \
    ng_##F##_doc_free(doc);                                                    \
    ng_##F##_stream_free(s);                                                   \
    return rc;                                                                 \
  }                                                                            \
  static int F##_oneshot(const char *data, size_t len, int e) {                \
    ng_##F##_options opt;                                                      \
    ng_##F##_doc *doc;                                                         \
    int rc;                                                                    \
                                                                               \
    ng_##F##_options_default(&opt);                                            \
    opt.engine = (ng_##F##_engine)e;                                           \
    rc = ng_##F##_parse(data, len, &opt, &doc, NULL);                          \
    if (rc == NG_OK)                                                           \
      ng_##F##_doc_free(doc);                                                  \
    return rc;                                                                 \
  }

CHUNK_FORMAT(json)
CHUNK_FORMAT(xml)

static const chunk_fmt json_fmt = {NG_JSON_ENGINE_COUNT, json_name,
                                   json_chunked, json_oneshot};
static const chunk_fmt xml_fmt = {NG_XML_ENGINE_COUNT, xml_name, xml_chunked,
                                  xml_oneshot};

static int run_chunk_job(void *ud) {
  const chunk_job *j = ud;

  if (j->chunk != 0)
    return j->fmt->chunked(j->data, j->len, j->chunk, j->engine);
  return j->fmt->oneshot(j->data, j->len, j->engine);
}

#define CHUNK_MAX_ENGINES 4
_Static_assert(NG_JSON_ENGINE_COUNT <= CHUNK_MAX_ENGINES &&
                   NG_XML_ENGINE_COUNT <= CHUNK_MAX_ENGINES,
               "chunked_case's arrays hold every engine");

/*
 * The warm regime of a chunked case (the goals' chunk sizes): each sample
 * repeats one subject for 100 ms of CPU time (ng_bench_compare_warm), so
 * the stream's per-feed code is as warm as the one-shot parse's. In the
 * cold samples above, a stream's first feeds run right after another
 * engine's parse and pay for its code's warm-up, tens of microseconds a
 * parse (twitter.json at 4 KiB: 0.78 of one-shot cold, about 0.9 when
 * the same engine ran just before). `vs_oneshot_warm` is the chunked
 * throughput over the one-shot's.
 */
static void chunked_warm(const char *kase, const ng_bench_subject *subj,
                         int engines, size_t len,
                         char (*names)[48]) {
  double a, b;
  int e;

  ng_bench_compare_warm(SUITE, kase, subj, 2 * (size_t)engines, len,
                        "throughput_warm", 100.0, 0);
  for (e = 0; e < engines; e++)
    if (ng_bench_value(SUITE, kase, subj[2 * e].name, "throughput_warm",
                       &a) == 0 &&
        ng_bench_value(SUITE, kase, names[e], "throughput_warm", &b) == 0)
      ng_bench_record(SUITE, kase, subj[2 * e].name, "vs_oneshot_warm",
                      a / b, "x");
}

/* One chunk size on one file: every engine chunked and one-shot,
 * interleaved; then each engine's ratio. */
static void chunked_case(const chunk_fmt *fmt, const char *file,
                         const char *data, size_t len, size_t chunk) {
  chunk_job jobs[2 * CHUNK_MAX_ENGINES];
  ng_bench_subject subj[2 * CHUNK_MAX_ENGINES];
  char kase[64], names[CHUNK_MAX_ENGINES][48];
  double a, b;
  int e;

  snprintf(kase, sizeof kase, "chunked_%s_%zu", file, chunk);
  for (e = 0; e < fmt->engines; e++) {
    const char *name = fmt->name(e);
    snprintf(names[e], sizeof names[e], "%s-oneshot", name);
    jobs[2 * e] = (chunk_job){fmt, data, len, chunk, e};
    jobs[2 * e + 1] = (chunk_job){fmt, data, len, 0, e};
    subj[2 * e] = (ng_bench_subject){name, run_chunk_job, &jobs[2 * e]};
    subj[2 * e + 1] =
        (ng_bench_subject){names[e], run_chunk_job, &jobs[2 * e + 1]};
  }
  /* One-byte feeds are slow: fewer repetitions. The others take four
   * times the default: with 11, a cell's ratio moved by up to 0.3 from
   * one run to the next on a shared machine (a best time of 11 is often
   * still a disturbed one); with 41, by 0.05 at most on most cells. */
  ng_bench_compare(SUITE, kase, subj, 2 * (size_t)fmt->engines, len, 1,
                   chunk == 1 ? 3 : 4 * ng_bench_reps());
  for (e = 0; e < fmt->engines; e++)
    if (ng_bench_value(SUITE, kase, subj[2 * e].name, "time_min", &a) == 0 &&
        ng_bench_value(SUITE, kase, names[e], "time_min", &b) == 0)
      ng_bench_record(SUITE, kase, subj[2 * e].name, "vs_oneshot", b / a,
                      "x");
  if (chunk == 64 || chunk == 4096)
    chunked_warm(kase, subj, fmt->engines, len, names);
}

/* Every chunk size on one file of format fmt. */
static void chunked_sizes(const chunk_fmt *fmt, const char *file,
                          const char *data, size_t len) {
  static const size_t chunks[] = {1, 64, 4096, 65536};
  size_t i;

  for (i = 0; i < sizeof chunks / sizeof chunks[0]; i++)
    chunked_case(fmt, file, data, len, chunks[i]);
}

static void json_file(const char *file, const char *data, size_t len) {
  chunked_sizes(&json_fmt, file, data, len);
}

static void xml_file(const char *file, const char *data, size_t len) {
  chunked_sizes(&xml_fmt, file, data, len);
}

/* The bench-data files of the format, else a generated 2 MiB document. */
static void chunked_format(const chunk_fmt *fmt, const char *dir,
                           const char *const *files, size_t n,
                           void (*each)(const char *, const char *, size_t),
                           char *(*generate)(size_t, size_t *),
                           const char *generated) {
  char *data;
  size_t len;

  if (ng_bench_each_file(dir, files, n, each) > 0)
    return;
  printf("stream: %s bench-data not found (set NG_BENCH_DATA); using a "
         "generated document\n",
         dir);
  if ((data = generate((size_t)2 << 20, &len)) != NULL)
    chunked_sizes(fmt, generated, data, len);
  free(data);
}

static void chunked_cases(void) {
  static const char *const json[] = {"twitter.json", "citm_catalog.json",
                                     "canada.json"};
  static const char *const xml[] = {"nes96.xml", "vk.xml"};

  chunked_format(&json_fmt, "json", json, 3, json_file, ng_bench_json_mixed,
                 "generated_mixed.json");
  chunked_format(&xml_fmt, "xml", xml, 2, xml_file, ng_bench_xml_mixed,
                 "generated_mixed.xml");
}

/* Whether NG_BENCH_STREAM_CASES (comma-separated; unset or empty: all)
 * names the kind of case `kind`. */
static int kind_listed(const char *kind) {
  const char *e = getenv("NG_BENCH_STREAM_CASES");
  size_t n = strlen(kind);

  if (e == NULL || *e == '\0')
    return 1;
  for (; *e != '\0'; e += strcspn(e, ","), e += *e == ',')
    if (strncmp(e, kind, n) == 0 && (e[n] == ',' || e[n] == '\0'))
      return 1;
  return 0;
}

/* The open_ cells first, while this process's heap is small (children
 * fork from it). */
NG_BENCH_SUITE(stream, 50) {
  if (kind_listed("open"))
    open_cases();
  if (kind_listed("go"))
    go_cases();
  if (kind_listed("chunked"))
    chunked_cases();
}
