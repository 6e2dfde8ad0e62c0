/*
 * bench/report.c - loads a run's files for the report page and answers
 * the questions the charts and the page ask of them (see report.h).
 */
#define _GNU_SOURCE
#include "report.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "nestguard.h"
#include "nestguard/json.h"
#include "peers/peers.h"

/* ------------------------------------------------------------- files */

/* The whole file at dir/name, NUL-terminated, or NULL (errno set). */
static char *read_text(const char *dir, const char *name) {
  char path[1024], *p = NULL;
  FILE *f;
  long n;

  snprintf(path, sizeof path, "%s/%s", dir, name);
  if ((f = fopen(path, "rb")) == NULL)
    return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
      fseek(f, 0, SEEK_SET) == 0 && (p = malloc((size_t)n + 1)) != NULL) {
    if (fread(p, 1, (size_t)n, f) == (size_t)n) {
      p[n] = '\0';
    } else {
      free(p);
      p = NULL;
      errno = EIO;
    }
  }
  fclose(f);
  return p;
}

/* Cuts the line at *pp into at most max tab-separated fields; advances *pp
 * past the line. Returns the field count. */
static size_t split_line(char **pp, char **field, size_t max) {
  char *p = *pp, *end = strchr(p, '\n');
  size_t n = 0;

  if (end != NULL)
    *end = '\0';
  *pp = end != NULL ? end + 1 : p + strlen(p);
  while (n < max) {
    field[n++] = p;
    if ((p = strchr(p, '\t')) == NULL)
      break;
    *p++ = '\0';
  }
  return n;
}

/* results.tsv into r->rows (the header line skipped). */
static int load_rows(ng_report *r) {
  size_t lines = 1;
  char *p, *f[6];

  if ((r->text = read_text(r->dir, "results.tsv")) == NULL)
    return -1;
  for (p = r->text; *p; p++)
    lines += *p == '\n';
  if ((r->rows = calloc(lines, sizeof *r->rows)) == NULL)
    return -1;
  p = r->text;
  split_line(&p, f, 6); /* header */
  while (*p != '\0') {
    if (split_line(&p, f, 6) != 6)
      continue;
    r->rows[r->n_rows++] =
        (ng_rrow){f[0], f[1], f[2], f[3], f[5], strtod(f[4], NULL)};
  }
  return 0;
}

/* meta.tsv (key, value) if the run wrote one. */
static void load_meta(ng_report *r) {
  char *p, *f[2];

  if ((r->meta = read_text(r->dir, "meta.tsv")) == NULL)
    return;
  p = r->meta;
  while (*p != '\0' && r->n_meta < 64)
    if (split_line(&p, f, 2) == 2) {
      r->meta_key[r->n_meta] = f[0];
      r->meta_val[r->n_meta++] = f[1];
    }
}

const char *ng_rep_meta(const ng_report *r, const char *key) {
  size_t i;

  for (i = 0; i < r->n_meta; i++)
    if (strcmp(r->meta_key[i], key) == 0)
      return r->meta_val[i];
  return "unknown";
}

/* ----------------------------------------------------------- lookups */

const ng_rrow *ng_rep_find(const ng_report *r, const char *suite,
                           const char *kase, const char *subject,
                           const char *metric) {
  size_t i;

  for (i = 0; i < r->n_rows; i++) {
    const ng_rrow *w = &r->rows[i];
    if (strcmp(w->metric, metric) == 0 && strcmp(w->kase, kase) == 0 &&
        strcmp(w->subject, subject) == 0 && strcmp(w->suite, suite) == 0)
      return w;
  }
  return NULL;
}

int ng_rep_value(const ng_report *r, const char *suite, const char *kase,
                 const char *subject, const char *metric, double *v) {
  const ng_rrow *w = ng_rep_find(r, suite, kase, subject, metric);

  if (w == NULL)
    return -1;
  *v = w->value;
  return 0;
}

const char *ng_rep_signal(int sig, char *buf, size_t cap) {
  static const struct {
    int sig;
    const char *name;
  } names[] = {
      {SIGSEGV, "SIGSEGV"}, {SIGBUS, "SIGBUS"},   {SIGABRT, "SIGABRT"},
      {SIGKILL, "SIGKILL"}, {SIGILL, "SIGILL"},   {SIGFPE, "SIGFPE"},
      {SIGALRM, "SIGALRM"}, {SIGTERM, "SIGTERM"}, {SIGTRAP, "SIGTRAP"}};
  size_t i;

  for (i = 0; i < sizeof names / sizeof names[0]; i++)
    if (names[i].sig == sig) {
      snprintf(buf, cap, "%s", names[i].name);
      return buf;
    }
  snprintf(buf, cap, "signal %d", sig);
  return buf;
}

const char *ng_rep_outcome(const ng_report *r, const char *suite,
                           const char *kase, const char *subject, char *buf,
                           size_t cap) {
  const ng_rrow *w;

  if ((w = ng_rep_find(r, suite, kase, subject, "crashed")) != NULL)
    return ng_rep_signal((int)w->value, buf, cap);
  if (ng_rep_find(r, suite, kase, subject, "rejected") != NULL) {
    snprintf(buf, cap, "rejected");
    return buf;
  }
  if (ng_rep_find(r, suite, kase, subject, "failed") != NULL) {
    snprintf(buf, cap, "failed");
    return buf;
  }
  return NULL;
}

int ng_rep_side_metric(const char *metric) {
  return strcmp(metric, "crashed") == 0 || strcmp(metric, "rejected") == 0 ||
         strcmp(metric, "failed") == 0 || strcmp(metric, "time_min") == 0 ||
         strcmp(metric, "time_max") == 0;
}

size_t ng_rep_distinct(const ng_report *r, const char *suite, int field,
                       const char **out, size_t cap) {
  size_t i, j, n = 0;

  for (i = 0; i < r->n_rows; i++) {
    const ng_rrow *w = &r->rows[i];
    const char *v = field == 0 ? w->kase : field == 1 ? w->subject : w->metric;
    if (strcmp(w->suite, suite) != 0 || (field == 2 && ng_rep_side_metric(v)))
      continue;
    for (j = 0; j < n && strcmp(out[j], v) != 0; j++)
      ;
    if (j == n && n < cap)
      out[n++] = v;
  }
  return n;
}

/* ------------------------------------------------------------ series */

size_t ng_rep_series(const ng_report *r, const char *suite, const char *prefix,
                     ng_series *s) {
  const char *kases[256];
  size_t nk = ng_rep_distinct(r, suite, 0, kases, 256), i, j;
  size_t plen = strlen(prefix);
  char *end;

  s->n = 0;
  for (i = 0; i < nk && s->n < 16; i++) {
    double d;
    if (strncmp(kases[i], prefix, plen) != 0)
      continue;
    d = strtod(kases[i] + plen, &end);
    if (*end != '\0' || !(d > 0))
      continue;
    /* Insertion by depth. */
    for (j = s->n; j > 0 && s->depth[j - 1] > d; j--) {
      s->depth[j] = s->depth[j - 1];
      s->kase[j] = s->kase[j - 1];
    }
    s->depth[j] = d;
    s->kase[j] = kases[i];
    s->n++;
  }
  return s->n;
}

void ng_rep_reach(const ng_report *r, const char *suite, const ng_series *s,
                  const char *subject, ng_reach *out) {
  size_t i;

  memset(out, 0, sizeof *out);
  for (i = 0; i < s->n; i++) {
    if (ng_rep_outcome(r, suite, s->kase[i], subject, out->outcome,
                       sizeof out->outcome) != NULL) {
      out->fail_depth = s->depth[i];
      return;
    }
    if (ng_rep_find(r, suite, s->kase[i], subject, "time") != NULL)
      out->last_ok = s->depth[i];
  }
}

/* Banner: the runtime figures compared with Go's, in page order. */
const ng_go_figure ng_rep_go_figures[] = {
    {"parked_1e6", "idle_bytes_per_task", "memory per parked task"},
    {"spawn", "spawn_exit", "spawn + exit"},
    {"switch", "switch", "switch (yield and back)"},
    {"growth_10000", "growth_overhead", "growth to 10,000 frames"},
    {"overflow", "error_latency", "exceeding the stack ceiling"},
};

const size_t ng_rep_n_go_figures =
    sizeof ng_rep_go_figures / sizeof ng_rep_go_figures[0];

/* ------------------------------------------------------------ naming */

/*
 * Banner: one colour per subject, the same in every chart. nestguard's
 * engines (and its writer modes) are blues and greens, peers warm colours
 * and greys, Go its own blue; anything unlisted gets a palette colour
 * picked by a hash of its name, so it too keeps its colour across charts.
 */
static const struct {
  const char *name, *rgb;
} colours[] = {
    {"iterative", "#1f4e9c"},
    {"recursive", "#4f9fe0"},
    {"trampoline", "#2a9d8f"},
    {"lalr", "#0b6e4f"},
    {"nestguard", "#1f4e9c"},
    {"nestguard-pretty", "#4f9fe0"},
    {"nestguard-stream", "#2a9d8f"},
    {"arena", "#1f4e9c"},
    {"rapidjson", "#d62728"},
    {"rapidjson-iterative", "#ff9896"},
    {"simdjson", "#ff7f0e"},
    {"cjson", "#8c564b"},
    {"jansson", "#bcbd22"},
    {"json-c", "#7f7f7f"},
    {"libxml2", "#9467bd"},
    {"expat", "#e377c2"},
    {"pugixml", "#17becf"},
    {"malloc", "#7f7f7f"},
    {"Go 1.19", "#00add8"},
    {"goal", "#444444"},
    {"walk", "#1f77b4"},
    {"pointer", "#ff7f0e"},
    {"equal", "#2ca02c"},
    {"write", "#d62728"},
    {"write_pretty_stream", "#9467bd"},
    {"copy+free", "#8c564b"},
    {"copy", "#8c564b"},
    {"free", "#e377c2"},
};

const char *ng_rep_colour(const char *subject) {
  static const char *const palette[] = {"#1b9e77", "#d95f02", "#7570b3",
                                        "#e7298a", "#66a61e", "#e6ab02",
                                        "#a6761d", "#666666"};
  unsigned h = 5381;
  size_t i;

  for (i = 0; i < sizeof colours / sizeof colours[0]; i++)
    if (strcmp(colours[i].name, subject) == 0)
      return colours[i].rgb;
  for (; *subject; subject++)
    h = h * 33 + (unsigned char)*subject;
  return palette[h % (sizeof palette / sizeof palette[0])];
}

int ng_rep_is_engine(const char *subject) {
  int e;

  for (e = 0; e < NG_JSON_ENGINE_COUNT; e++)
    if (strcmp(ng_json_engine_name((ng_json_engine)e), subject) == 0)
      return 1;
  return 0;
}

int ng_rep_is_peer(const char *subject) {
  size_t i;

  for (i = 0; ng_json_peers[i].name != NULL; i++)
    if (strcmp(ng_json_peers[i].name, subject) == 0)
      return 1;
  return 0;
}

const char *ng_rep_num(double v, char *buf, size_t cap) {
  if (isnan(v))
    snprintf(buf, cap, "-");
  else if (fabs(v) >= 1e4 && fabs(v) < 1e15)
    snprintf(buf, cap, "%.0f", v);
  else
    snprintf(buf, cap, "%.4g", v);
  return buf;
}

const char *ng_rep_depth(double d, char *buf, size_t cap) {
  double e = log10(d);

  if (d > 0 && fabs(e - floor(e + 0.5)) < 1e-9)
    snprintf(buf, cap, "1e%d", (int)floor(e + 0.5));
  else
    snprintf(buf, cap, "%g", d);
  return buf;
}

/* -------------------------------------------------------------- entry */

static void report_free(ng_report *r) {
  free(r->rows);
  free(r->text);
  free(r->meta);
}

int ng_bench_report(const char *dir) {
  ng_report r;
  int rc = 0;

  memset(&r, 0, sizeof r);
  r.dir = dir;
  if (load_rows(&r) != 0) {
    fprintf(stderr, "bench report: %s/results.tsv: %s\n", dir, strerror(errno));
    report_free(&r);
    return 1;
  }
  load_meta(&r);
  ng_rep_charts(&r);
  if (ng_rep_html(&r) != 0) {
    fprintf(stderr, "bench report: %s/index.html: %s\n", dir, strerror(errno));
    rc = 1;
  }
  report_free(&r);
  return rc;
}
