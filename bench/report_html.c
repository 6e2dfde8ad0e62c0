/*
 * bench/report_html.c - DIR/index.html: the run's machine and versions,
 * the headline ratios (report_headline.c), then a section per suite with
 * what it measures, its charts as inline SVG and its tables. One file,
 * no script, no network: it reads the same wherever it is copied.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/*
 * Banner: the known suites in page order and what each measures. A suite
 * missing here (a new one) gets a section after these, with generic
 * charts and its tables.
 */
static const struct {
  const char *suite, *title, *what;
} suites[] = {
    {"json", "JSON parsing: engines against peers",
     "Parsing JSON into a DOM and freeing it: every nestguard engine against "
     "the C and C++ libraries people use, on real-world files (throughput) "
     "and on documents nested 1e3 to 1e7 deep (time and peak memory; each "
     "parse runs in a forked child, so a peer's crash is recorded, not "
     "fatal to the bench)."},
    {"xml", "XML parsing: engines against peers",
     "Parsing XML: every nestguard engine (into its DOM) against libxml2 "
     "(DOM, and SAX with no-op callbacks), expat (no-op callbacks) and "
     "pugixml (DOM) on real-world files (throughput), on elements nested "
     "1e3 to 1e7 deep (time and peak memory, each parse in a forked child; "
     "nestguard with max_depth=0, peers with their defaults, so libxml2's "
     "cap of 256 levels shows as a rejection) and on the billion laughs "
     "and quadratic blowup entity attacks (time, and whether rejected)."},
    {"json_dom", "The JSON DOM: writer and operations",
     "What a parsed document costs to use: the writer against the peers' "
     "writers, copy, equality and walk on the files, and every DOM "
     "operation on documents nested 1e7 deep, none of which recurses."},
    {"stack", "The growable-stack runtime against Go",
     "The runtime (lib/stack) that lets recursive code go arbitrarily deep: "
     "memory per parked task, spawn, switch, stack growth, the cost of "
     "hitting the ceiling, and the per-call price of ng_stack_call, against "
     "Go 1.19's goroutine stacks."},
    {"core", "Foundation: the arena",
     "The bump arena every DOM allocates from, against malloc and free."},
};

#define N_SUITES (sizeof suites / sizeof suites[0])

/* ------------------------------------------------------------- basics */

void ng_rep_esc(FILE *f, const char *s) {
  for (; *s; s++)
    switch (*s) {
    case '&':
      fputs("&amp;", f);
      break;
    case '<':
      fputs("&lt;", f);
      break;
    case '>':
      fputs("&gt;", f);
      break;
    case '"':
      fputs("&quot;", f);
      break;
    default:
      fputc(*s, f);
    }
}

static const char style[] =
    "body{font-family:sans-serif;margin:1.5em auto;max-width:1200px;"
    "padding:0 1em;color:#222;line-height:1.4}\n"
    "h1{margin-bottom:0.2em}h2{border-bottom:1px solid #ccc;"
    "margin-top:2em}\n"
    "table{border-collapse:collapse;margin:0.6em 0 1.2em}\n"
    "th,td{border:1px solid #ccc;padding:0.25em 0.5em;vertical-align:top}\n"
    "th{background:#f0f3f7;text-align:left}\n"
    "td.n{text-align:right;white-space:nowrap}\n"
    "td.crash{color:#b00;font-weight:bold}td.rej{color:#a60}\n"
    "td.good{color:#060;font-weight:bold}td.bad{color:#b00}\n"
    "span.mm{color:#777;font-size:85%}\n"
    "p.what{background:#f7f7f0;border-left:4px solid #bb9;"
    "padding:0.4em 0.8em}\n"
    "figure{margin:1em 0 2em}figcaption{max-width:960px;color:#444}\n"
    "svg{max-width:100%;height:auto}\n"
    "table.meta th{width:9em}\n";

/* ------------------------------------------------------------- charts */

/* Copies text after the prefix patterns, inserting `pre` into every id
 * and every local reference, so that the charts' ids stay unique. */
static void svg_ids(FILE *f, const char *p, const char *pre) {
  static const char *const pats[] = {"id='", "id=\"", "href='#", "href=\"#",
                                     "url(#"};
  size_t i, n;

  while (*p) {
    for (i = 0; i < sizeof pats / sizeof pats[0]; i++) {
      n = strlen(pats[i]);
      if (strncmp(p, pats[i], n) == 0)
        break;
    }
    if (i < sizeof pats / sizeof pats[0]) {
      fwrite(p, 1, n, f);
      fputs(pre, f);
      p += n;
    } else {
      fputc(*p++, f);
    }
  }
}

/* DIR/charts/NAME.svg without its XML prologue, ids prefixed. */
static int inline_svg(FILE *f, const ng_report *r, const ng_chart *c,
                      size_t idx) {
  char path[1024], pre[32], *text, *svg;
  FILE *in;
  long n;

  snprintf(path, sizeof path, "%s/charts/%s.svg", r->dir, c->name);
  if ((in = fopen(path, "rb")) == NULL)
    return -1;
  text = NULL;
  if (fseek(in, 0, SEEK_END) == 0 && (n = ftell(in)) > 0 &&
      fseek(in, 0, SEEK_SET) == 0 && (text = malloc((size_t)n + 1)) != NULL &&
      fread(text, 1, (size_t)n, in) == (size_t)n)
    text[n] = '\0';
  else if (text != NULL) {
    free(text);
    text = NULL;
  }
  fclose(in);
  if (text == NULL || (svg = strstr(text, "<svg")) == NULL) {
    free(text);
    return -1;
  }
  snprintf(pre, sizeof pre, "c%zu-", idx);
  svg_ids(f, svg, pre);
  free(text);
  return 0;
}

/* The suite's charts, each a figure with its caption and a PNG link. */
static void charts(FILE *f, const ng_report *r, const char *suite) {
  size_t i;

  for (i = 0; i < r->n_charts; i++) {
    const ng_chart *c = &r->charts[i];
    if (strcmp(c->suite, suite) != 0)
      continue;
    fprintf(f, "<figure id=\"chart-%s\">\n", c->name);
    if (!c->drawn || inline_svg(f, r, c, i) != 0)
      fprintf(f, "<p>(chart not drawn: %s)</p>\n",
              r->gnuplot ? "gnuplot failed, see charts/*.log"
                         : "gnuplot not installed");
    fprintf(f, "<figcaption><b>");
    ng_rep_esc(f, c->title);
    fprintf(f, ".</b> ");
    ng_rep_esc(f, c->caption);
    fprintf(f,
            " <a href=\"charts/%s.png\">PNG</a>, "
            "<a href=\"charts/%s.gp\">gnuplot script</a>.</figcaption>\n"
            "</figure>\n",
            c->name, c->name);
  }
}

/* ------------------------------------------------------------- tables */

/* Cases sharing one set of subjects: one table. */
typedef struct group {
  const char *subj[32];
  size_t ns;
  const char *kase[128];
  size_t nk;
} group;

/* The subjects with any row for the case, in the suite's subject order. */
static size_t case_subjects(const ng_report *r, const char *suite,
                            const char *kase, const char **all, size_t na,
                            const char **out) {
  size_t i, j, n = 0;

  for (i = 0; i < na && n < 32; i++)
    for (j = 0; j < r->n_rows; j++)
      if (strcmp(r->rows[j].subject, all[i]) == 0 &&
          strcmp(r->rows[j].kase, kase) == 0 &&
          strcmp(r->rows[j].suite, suite) == 0) {
        out[n++] = all[i];
        break;
      }
  return n;
}

static int same_subjects(const group *g, const char **s, size_t n) {
  size_t i;

  if (g->ns != n)
    return 0;
  for (i = 0; i < n; i++)
    if (g->subj[i] != s[i])
      return 0;
  return 1;
}

/* Splits the suite's cases into groups by subject set; returns the count. */
static size_t make_groups(const ng_report *r, const char *suite, group *g,
                          size_t cap) {
  const char *kases[256], *all[64], *s[32];
  size_t nk = ng_rep_distinct(r, suite, 0, kases, 256);
  size_t na = ng_rep_distinct(r, suite, 1, all, 64), k, i, n = 0, ns;

  for (k = 0; k < nk; k++) {
    ns = case_subjects(r, suite, kases[k], all, na, s);
    for (i = 0; i < n && !same_subjects(&g[i], s, ns); i++)
      ;
    if (i == n) {
      if (n == cap)
        continue;
      memcpy(g[n].subj, s, ns * sizeof *s);
      g[n].ns = ns;
      g[n++].nk = 0;
    }
    if (g[i].nk < 128)
      g[i].kase[g[i].nk++] = kases[k];
  }
  return n;
}

/* One cell: the value (and the min-max of timed ones), or the outcome. */
static void cell(FILE *f, const ng_report *r, const char *suite,
                 const char *kase, const char *subj, const char *metric) {
  const ng_rrow *w = ng_rep_find(r, suite, kase, subj, metric);
  double lo, hi;
  char a[32], b[32];
  const char *o;

  if (w == NULL) {
    o = ng_rep_outcome(r, suite, kase, subj, a, sizeof a);
    fprintf(f, "<td class=\"%s\">%s</td>",
            o == NULL                   ? "n"
            : strncmp(o, "SIG", 3) == 0 ? "crash"
                                        : "rej",
            o == NULL ? "-" : o);
    return;
  }
  fprintf(f, "<td class=\"n\">%s", ng_rep_num(w->value, a, sizeof a));
  if ((strcmp(metric, "throughput") == 0 || strcmp(metric, "time") == 0) &&
      ng_rep_value(r, suite, kase, subj, "time_min", &lo) == 0 &&
      ng_rep_value(r, suite, kase, subj, "time_max", &hi) == 0)
    fprintf(f, "<br><span class=\"mm\">%s&ndash;%s ms</span>",
            ng_rep_num(lo, a, sizeof a), ng_rep_num(hi, b, sizeof b));
  fprintf(f, "</td>");
}

/* The rows of one case: a row per metric. */
static void case_rows(FILE *f, const ng_report *r, const char *suite,
                      const group *g, const char *kase) {
  const char *metrics[16];
  size_t nm = 0, i, m, s;

  for (i = 0; i < r->n_rows && nm < 16; i++) {
    const ng_rrow *w = &r->rows[i];
    if (strcmp(w->suite, suite) != 0 || strcmp(w->kase, kase) != 0 ||
        ng_rep_side_metric(w->metric))
      continue;
    for (m = 0; m < nm && strcmp(metrics[m], w->metric) != 0; m++)
      ;
    if (m == nm)
      metrics[nm++] = w->metric;
  }
  for (m = 0; m < nm; m++) {
    const ng_rrow *any = NULL;
    for (s = 0; s < g->ns && any == NULL; s++)
      any = ng_rep_find(r, suite, kase, g->subj[s], metrics[m]);
    fprintf(f, "<tr><th>");
    ng_rep_esc(f, kase);
    fprintf(f, "</th><td>");
    ng_rep_esc(f, metrics[m]);
    fprintf(f, " (");
    ng_rep_esc(f, any == NULL                     ? "?"
                  : strcmp(any->unit, "pct") == 0 ? "%"
                                                  : any->unit);
    fprintf(f, ")</td>");
    for (s = 0; s < g->ns; s++)
      cell(f, r, suite, kase, g->subj[s], metrics[m]);
    fprintf(f, "</tr>\n");
  }
  if (nm == 0) { /* only outcomes: one row saying so */
    fprintf(f, "<tr><th>");
    ng_rep_esc(f, kase);
    fprintf(f, "</th><td>outcome</td>");
    for (s = 0; s < g->ns; s++)
      cell(f, r, suite, kase, g->subj[s], "-");
    fprintf(f, "</tr>\n");
  }
}

static void tables(FILE *f, const ng_report *r, const char *suite) {
  static group g[8];
  size_t ng = make_groups(r, suite, g, 8), i, k, s;

  for (i = 0; i < ng; i++) {
    fprintf(f, "<table>\n<tr><th>case</th><th>metric (unit)</th>");
    for (s = 0; s < g[i].ns; s++) {
      fprintf(f, "<th>");
      ng_rep_esc(f, g[i].subj[s]);
      fprintf(f, "</th>");
    }
    fprintf(f, "</tr>\n");
    for (k = 0; k < g[i].nk; k++)
      case_rows(f, r, suite, &g[i], g[i].kase[k]);
    fprintf(f, "</table>\n");
  }
}

/* ------------------------------------------------------------ the page */

static void meta_row(FILE *f, const char *label, const char *value) {
  fprintf(f, "<tr><th>%s</th><td>", label);
  ng_rep_esc(f, value);
  fprintf(f, "</td></tr>\n");
}

static void head(FILE *f, const ng_report *r) {
  char machine[512];

  fprintf(f,
          "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
          "<meta charset=\"utf-8\">\n"
          "<title>nestguard benchmarks</title>\n<style>\n%s</style>\n"
          "</head>\n<body>\n<h1>nestguard benchmarks</h1>\n",
          style);
  snprintf(machine, sizeof machine, "%s, %s, %s, %s", ng_rep_meta(r, "cpu"),
           ng_rep_meta(r, "cpus"), ng_rep_meta(r, "memory"),
           ng_rep_meta(r, "kernel"));
  fprintf(f, "<table class=\"meta\">\n");
  meta_row(f, "date", ng_rep_meta(r, "date"));
  meta_row(f, "machine", machine);
  meta_row(f, "nestguard", ng_rep_meta(r, "nestguard"));
  meta_row(f, "compiler", ng_rep_meta(r, "compiler"));
  meta_row(f, "peers", ng_rep_meta(r, "peers"));
  meta_row(f, "Go",
           "1.19: figures quoted from issue 3 (measured there on "
           "this machine kind); no Go toolchain ran for this page");
  meta_row(f, "method", ng_rep_meta(r, "method"));
  meta_row(f, "data", ng_rep_meta(r, "data"));
  meta_row(f, "suites run", ng_rep_meta(r, "suites"));
  fprintf(f, "</table>\n");
}

/* Sections in page order: the known suites present, then the others. */
static size_t section_order(const ng_report *r, const char **out, size_t cap) {
  size_t i, j, k, n = 0;

  for (i = 0; i < N_SUITES; i++)
    for (j = 0; j < r->n_rows; j++)
      if (strcmp(r->rows[j].suite, suites[i].suite) == 0) {
        out[n++] = suites[i].suite;
        break;
      }
  for (j = 0; j < r->n_rows && n < cap; j++) {
    for (k = 0; k < n && strcmp(out[k], r->rows[j].suite) != 0; k++)
      ;
    if (k == n)
      out[n++] = r->rows[j].suite;
  }
  return n;
}

static void section(FILE *f, const ng_report *r, const char *suite) {
  const char *title = suite, *what = NULL;
  size_t i;

  for (i = 0; i < N_SUITES; i++)
    if (strcmp(suites[i].suite, suite) == 0) {
      title = suites[i].title;
      what = suites[i].what;
    }
  fprintf(f, "<section id=\"suite-");
  ng_rep_esc(f, suite);
  fprintf(f, "\">\n<h2>");
  ng_rep_esc(f, title);
  fprintf(f, " <small>(suite ");
  ng_rep_esc(f, suite);
  fprintf(f, ")</small></h2>\n<p class=\"what\"><b>What this measures:</b> ");
  ng_rep_esc(f, what ? what
                     : "a suite without a description yet (add one to "
                       "bench/report_html.c).");
  fprintf(f, "</p>\n");
  charts(f, r, suite);
  fprintf(f, "<h3>Table</h3>\n");
  tables(f, r, suite);
  fprintf(f, "</section>\n");
}

static void contents(FILE *f, const char **order, size_t n) {
  size_t i;

  fprintf(f, "<nav><p>Contents: <a href=\"#headline\">headline</a>");
  for (i = 0; i < n; i++) {
    fprintf(f, " &middot; <a href=\"#suite-");
    ng_rep_esc(f, order[i]);
    fprintf(f, "\">");
    ng_rep_esc(f, order[i]);
    fprintf(f, "</a>");
  }
  fprintf(f, " &middot; <a href=\"results.tsv\">results.tsv</a> &middot; "
             "<a href=\"results.md\">results.md</a></p></nav>\n");
}

int ng_rep_html(const ng_report *r) {
  const char *order[32];
  size_t n = section_order(r, order, 32), i;
  char path[1024];
  FILE *f;
  int ok;

  snprintf(path, sizeof path, "%s/index.html", r->dir);
  if ((f = fopen(path, "w")) == NULL)
    return -1;
  head(f, r);
  contents(f, order, n);
  ng_rep_headline(f, r);
  for (i = 0; i < n; i++)
    section(f, r, order[i]);
  fprintf(f, "<footer><p>Written by <code>nestguard-bench --report</code> "
             "(bench/report*.c) from results.tsv and meta.tsv; every chart's "
             "gnuplot script is in charts/. How to read the page: "
             "docs/benchmarks.md.</p></footer>\n</body>\n</html>\n");
  ok = !ferror(f);
  if (fclose(f) != 0 || !ok) {
    if (errno == 0)
      errno = EIO;
    return -1;
  }
  return 0;
}
