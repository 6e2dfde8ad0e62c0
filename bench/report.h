/*
 * bench/report.h - the report page, shared by bench/report*.c.
 *
 * `nestguard-bench --report DIR` (run by `make bench` after the suites)
 * reads DIR/results.tsv and DIR/meta.tsv, draws the charts with gnuplot
 * into DIR/charts/ (NAME.gp, NAME.svg, NAME.png) and writes DIR/index.html:
 * one self-contained page (inline SVG, inline CSS, no script, no network).
 * Reading only the files means the page can be rebuilt from a saved run.
 */
#ifndef NG_BENCH_REPORT_H
#define NG_BENCH_REPORT_H

#include <stddef.h>
#include <stdio.h>

/* One row of results.tsv; the strings point into ng_report.text. */
typedef struct ng_rrow {
  const char *suite;   /* "json" */
  const char *kase;    /* "deep_arrays_1e6", "twitter.json" */
  const char *subject; /* engine, peer, operation or "Go 1.19" */
  const char *metric;  /* "throughput", "time", "crashed", ... */
  const char *unit;    /* "MB/s", "ms", "signal", "-" */
  double value;
} ng_rrow;

/* One chart drawn for the page. */
typedef struct ng_chart {
  char suite[32];    /* the section it belongs to */
  char name[96];     /* file stem under DIR/charts/ */
  char title[160];   /* the chart's own title */
  char caption[512]; /* how to read it */
  int drawn;         /* gnuplot wrote NAME.svg */
} ng_chart;

#define NG_REPORT_MAX_CHARTS 64

typedef struct ng_report {
  const char *dir; /* the bench output directory */
  char *text;      /* results.tsv, split in place */
  ng_rrow *rows;   /* its rows, file order */
  size_t n_rows;
  char *meta; /* meta.tsv, split in place; NULL if absent */
  const char *meta_key[64], *meta_val[64];
  size_t n_meta;
  ng_chart charts[NG_REPORT_MAX_CHARTS];
  size_t n_charts;
  int gnuplot; /* 1 gnuplot ran, 0 not found (charts left out) */
} ng_report;

/* ------------------------------------------------------------ report.c */

/* The entry point, ng_bench_report(), is declared in bench.h. */

/* The row for (suite, case, subject, metric), or NULL. */
const ng_rrow *ng_rep_find(const ng_report *r, const char *suite,
                           const char *kase, const char *subject,
                           const char *metric);

/* A metric row's value into *v; 0 found, -1 absent. */
int ng_rep_value(const ng_report *r, const char *suite, const char *kase,
                 const char *subject, const char *metric, double *v);

/* What went wrong for a subject on a case ("SIGSEGV", "rejected",
 * "failed"), in buf; NULL when nothing did. */
const char *ng_rep_outcome(const ng_report *r, const char *suite,
                           const char *kase, const char *subject, char *buf,
                           size_t cap);

/* 1 for the per-subject outcome metrics (crashed, rejected, failed) and the
 * spread (time_min, time_max): not values to draw or tabulate. */
int ng_rep_side_metric(const char *metric);

/* Distinct values of a field over a suite's rows, in first-seen order:
 * field 0 case, 1 subject, 2 metric (no side metrics). Returns the count
 * (at most cap). */
size_t ng_rep_distinct(const ng_report *r, const char *suite, int field,
                       const char **out, size_t cap);

/* meta.tsv's value for key, or "unknown". */
const char *ng_rep_meta(const ng_report *r, const char *key);

/* The fixed colour of a subject ("#1f4e9c"): the same in every chart. */
const char *ng_rep_colour(const char *subject);

/* 1 if the subject is a nestguard JSON engine ("iterative", ...). */
int ng_rep_is_engine(const char *subject);

/* 1 if the subject is a peer library ("rapidjson", ...). */
int ng_rep_is_peer(const char *subject);

/* A number for people: 4 significant digits, no exponent below 1e15. */
const char *ng_rep_num(double v, char *buf, size_t cap);

/* A depth for people: "1e6" for a power of ten, else the number. */
const char *ng_rep_depth(double d, char *buf, size_t cap);

/* Short name of a signal ("SIGSEGV"), in buf. */
const char *ng_rep_signal(int sig, char *buf, size_t cap);

/* The cases of a depth series ("deep_arrays_" + "1e3" ...), by depth. */
typedef struct ng_series {
  const char *kase[16]; /* case names, shallowest first */
  double depth[16];     /* levels, from the case name's suffix */
  size_t n;
} ng_series;

/* Fills *s with the suite's cases named prefix + a number. Returns s->n. */
size_t ng_rep_series(const ng_report *r, const char *suite, const char *prefix,
                     ng_series *s);

/* How far one subject got through a series. */
typedef struct ng_reach {
  double last_ok;    /* deepest depth parsed before any failure; 0: none */
  double fail_depth; /* first depth that failed; 0: none failed */
  char outcome[32];  /* what happened there: "SIGSEGV", "rejected", ... */
} ng_reach;

/* Fills *out for the subject over the series. */
void ng_rep_reach(const ng_report *r, const char *suite, const ng_series *s,
                  const char *subject, ng_reach *out);

/* The subject name of Go's quoted figures in results.tsv. */
#define NG_REP_GO "Go 1.19"

/* A runtime figure compared with Go's: case and metric in suite "stack". */
typedef struct ng_go_figure {
  const char *kase, *metric; /* where nestguard's and Go's values are */
  const char *label;         /* what people call it */
} ng_go_figure;

extern const ng_go_figure ng_rep_go_figures[];
extern const size_t ng_rep_n_go_figures;

/* ------------------------------------------------------ report_chart.c */

/* Draws every chart of the suites present into DIR/charts/, filling
 * r->charts. Returns 0; a chart gnuplot fails on is left undrawn. */
int ng_rep_charts(ng_report *r);

/* ------------------------------------------------------- report_html.c */

/* Writes DIR/index.html. Returns 0, or -1 (errno set) on an I/O error. */
int ng_rep_html(const ng_report *r);

/* HTML-escaped text to f. */
void ng_rep_esc(FILE *f, const char *s);

/* --------------------------------------------------- report_headline.c */

/* The headline section: engines against the best peer, recursive against
 * iterative, the runtime against Go, the deepest document per parser. */
void ng_rep_headline(FILE *f, const ng_report *r);

#endif /* NG_BENCH_REPORT_H */
