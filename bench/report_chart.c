/*
 * bench/report_chart.c - the report's charts: a gnuplot script per chart
 * in DIR/charts/NAME.gp (data inline, so a script redraws its chart on
 * its own), run once to write NAME.svg (inlined in the page) and NAME.png.
 *
 * Three kinds: grouped bars (one group per case, one bar per subject),
 * depth lines (log-log, one line per subject, the last depth a failing
 * peer parsed marked with what happened next), and the runtime's figures
 * paired against Go's. Every chart has a title, axis labels with units
 * and a legend; every subject keeps its colour (ng_rep_colour).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

extern char **environ;

typedef enum chart_kind { CH_BARS, CH_DEPTH, CH_GO } chart_kind;

/* What one chart shows. Strings are gnuplot-safe (no quotes). */
typedef struct spec {
  chart_kind kind;
  const char *suite;   /* rows of this suite */
  const char *name;    /* file stem */
  const char *metric;  /* the value drawn (CH_GO: unused) */
  const char *only;    /* keep cases starting with this; NULL: all */
  const char *skip;    /* drop cases starting with this; NULL: none */
  const char *title;   /* chart title */
  const char *xlabel;  /* x axis, with its unit */
  const char *ylabel;  /* y axis without unit: the data's unit is added */
  const char *caption; /* how to read it, for the page */
} spec;

static const char depth_caption[] =
    "One line per engine and peer, both axes logarithmic, so equal steps "
    "are equal factors and a line of slope 1 is time (or memory) linear in "
    "depth. Depths tested: powers of ten. A peer's line ends at the last "
    "depth it parsed; the marker there says what the next depth did: a "
    "cross for a crash (the signal is in the legend), a ring for a clean "
    "rejection (the library's depth cap). Solid lines are nestguard's "
    "engines (max_depth=0, no cap), dashed lines the peers.";

/*
 * Banner: the charts of the known suites, in page order. Suites without
 * an entry (new ones, such as XML) get one bar chart per metric.
 */
static const spec specs[] = {
    {CH_BARS, "json", "json-throughput", "throughput", NULL, "deep_",
     "JSON: parse into a DOM and free it, throughput per file (higher is "
     "better)",
     "input file", "throughput",
     "Bars grouped by input file, one colour per engine or peer (the same "
     "colours in every chart). Each bar is the median of the interleaved "
     "repetitions; the table gives the min-max. Compare bars within a "
     "group: subjects of one run share the machine's speed swings, so "
     "their ratios hold while absolute MB/s move between runs."},
    {CH_BARS, "json", "json-throughput-warm", "throughput_warm", NULL,
     "deep_",
     "JSON: the same parse repeated (warm), throughput per file (higher is "
     "better)",
     "input file", "throughput",
     "As the chart above, but each sample repeats one subject's parse of "
     "the same file for at least 100 ms and takes the mean: the branch "
     "predictor has learnt the file, as in a server parsing similar "
     "documents all day. The chart above is the cold regime (one parse per "
     "sample, interleaved with the other subjects)."},
    {CH_DEPTH, "json", "json-deep-arrays-time", "time", "deep_arrays_", NULL,
     "JSON: nested arrays [[[...]]], parse time against depth",
     "nesting depth (levels, log scale)", "parse time", depth_caption},
    {CH_DEPTH, "json", "json-deep-arrays-rss", "peak_rss", "deep_arrays_", NULL,
     "JSON: nested arrays [[[...]]], peak memory against depth",
     "nesting depth (levels, log scale)", "peak RSS added by the parse",
     depth_caption},
    {CH_DEPTH, "json", "json-deep-objects-time", "time", "deep_objects_", NULL,
     "JSON: nested objects {\"a\":{...}}, parse time against depth",
     "nesting depth (levels, log scale)", "parse time", depth_caption},
    {CH_DEPTH, "json", "json-deep-objects-rss", "peak_rss", "deep_objects_",
     NULL, "JSON: nested objects {\"a\":{...}}, peak memory against depth",
     "nesting depth (levels, log scale)", "peak RSS added by the parse",
     depth_caption},
    {CH_BARS, "xml", "xml-throughput", "throughput", NULL, "deep_",
     "XML: parse and free what was built, throughput per file (higher is "
     "better)",
     "input file", "throughput",
     "Bars grouped by input file, one colour per engine or peer. nestguard "
     "engines, libxml2-dom and pugixml build a DOM; libxml2-sax and expat "
     "run with no-op callbacks and build nothing. Median of the interleaved "
     "repetitions; the table gives the min-max."},
    {CH_DEPTH, "xml", "xml-deep-time", "time", "deep_elements_", NULL,
     "XML: nested elements <a><a>...</a></a>, parse time against depth",
     "nesting depth (elements, log scale)", "parse time", depth_caption},
    {CH_DEPTH, "xml", "xml-deep-rss", "peak_rss", "deep_elements_", NULL,
     "XML: nested elements <a><a>...</a></a>, peak memory against depth",
     "nesting depth (elements, log scale)", "peak RSS added by the parse",
     depth_caption},
    {CH_BARS, "xml", "xml-attacks", "time", NULL, "deep_",
     "XML entity attacks: time to reject, or to finish (lower is better)",
     "attack", "time",
     "Billion laughs and quadratic blowup with each subject's default "
     "options, each run once in a child capped at 2 s; the table's "
     "rejected row says which subjects refused the document (1) and which "
     "accepted it (0), a timeout row which were killed at the cap."},
    {CH_BARS, "stream", "stream-bytes", "bytes_per_stream", "open_", NULL,
     "JSON streams parked at depth d: memory per open stream (lower is "
     "better)",
     "streams open at once and their depth", "bytes per stream",
     "N streams of one subject fed a document cut at depth d, all parked "
     "at once; the resident set grown, divided by N. nestguard engines in "
     "event mode; go reads tokens and go-decode decodes, a goroutine per "
     "stream on an io.Pipe. Cells that would pass the memory budget or the "
     "time cap are skipped (the run prints why)."},
    {CH_BARS, "stream", "stream-feed", "feed_throughput", "open_", NULL,
     "JSON streams: feeding N parked streams to the end (higher is better)",
     "streams open at once and their depth", "throughput",
     "N whole documents over the CPU time of both feeds (opening, the "
     "first part, the rest, finishing and freeing)."},
    {CH_BARS, "stream", "stream-chunked", "vs_oneshot", "chunked_", NULL,
     "JSON fed in chunks: speed against the same engine's one-shot parse "
     "(higher is better, 1 is par)",
     "input file and chunk size in bytes", "ratio",
     "Each engine builds the DOM of the file fed in chunks, timed "
     "interleaved with its own one-shot parse; the ratio of their best "
     "times. Goals: 0.9 at 4096-byte chunks, 0.5 at 64."},
    {CH_BARS, "json_dom", "json_dom-write", "throughput", "write:", NULL,
     "JSON writer: serialize a parsed DOM to text (higher is better)",
     "input file (MB/s of the input file's size)", "throughput",
     "nestguard compact, pretty and streamed to a sink that discards, "
     "against each peer's compact writer, on a DOM parsed beforehand."},
    {CH_BARS, "json_dom", "json_dom-ops", "throughput", "dom:", NULL,
     "DOM operations on a parsed file (higher is better)",
     "input file (MB/s of the input file's size)", "throughput",
     "Deep copy (and free), structural equality against that copy, and a "
     "full walk; none of them recurses, so depth costs no stack."},
    {CH_BARS, "json_dom", "json_dom-deep", "time", "deep_", NULL,
     "DOM operations on documents nested 1e7 deep (1e6 quick), time per "
     "operation (lower is better)",
     "document shape and depth", "time",
     "Grouped by document, one colour per operation. Every operation runs "
     "in constant machine stack at this depth; free is timed once."},
    {CH_GO, "stack", "stack-go", NULL, NULL, NULL,
     "Runtime (lib/stack) against Go 1.19's goroutine stacks, lower is "
     "better in every panel",
     "", "",
     "One panel per figure, each on its own scale and unit: Go 1.19's "
     "figure (quoted from issue 3, measured there; no Go toolchain runs "
     "in make bench) beside this run's, the dashed line the goal set in "
     "issue 3. Go has no latency for exceeding its stack ceiling: the "
     "process dies (fatal error, exit 2)."},
    {CH_BARS, "stack", "stack-switch", "switch", NULL, NULL,
     "Task switch: yield to another task and back, per switch (lower is "
     "better)",
     "variant", "time per switch",
     "2 tasks on shared stacks, 2 on private stacks, 1000 tasks copying "
     "their stacks in and out; Go's figure beside the first."},
    {CH_BARS, "stack", "stack-check", "overhead", NULL, NULL,
     "ng_stack_call per level against a plain call (lower is better)",
     "workload", "overhead",
     "A tree walk hashing 16 bytes a node (the realistic case), the same "
     "with ng_stack_check instead, an empty walk and fib (the worst "
     "cases: almost nothing but calls)."},
    {CH_BARS, "core", "core-alloc", "time", NULL, NULL,
     "200,000 node-sized allocations and their release: arena against "
     "malloc (lower is better)",
     "case", "time",
     "What the bump arena under every DOM saves over malloc and free."},
};

#define N_SPECS (sizeof specs / sizeof specs[0])

/* --------------------------------------------------------- utilities */

/* s as a gnuplot single-quoted string (a quote is doubled). */
static void gp_str(FILE *f, const char *s) {
  fputc('\'', f);
  for (; *s; s++) {
    if (*s == '\'')
      fputc('\'', f);
    fputc(*s, f);
  }
  fputc('\'', f);
}

/* The axis text for a unit from results.tsv. */
static const char *unit_text(const char *unit) {
  return strcmp(unit, "pct") == 0 ? "%" : unit;
}

static int starts(const char *s, const char *prefix) {
  return prefix != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The case is one the chart keeps. */
static int keeps(const spec *sp, const char *kase) {
  return (sp->only == NULL || starts(kase, sp->only)) &&
         !starts(kase, sp->skip);
}

/* --------------------------------------------------------------- bars */

/* The metric's unit from any row of the suite. */
static const char *metric_unit(const ng_report *r, const char *suite,
                               const char *metric) {
  size_t i;

  for (i = 0; i < r->n_rows; i++)
    if (strcmp(r->rows[i].suite, suite) == 0 &&
        strcmp(r->rows[i].metric, metric) == 0)
      return r->rows[i].unit;
  return "";
}

/* Cases and subjects a bar chart draws: those with a value. */
typedef struct grid {
  const char *kase[64];
  const char *subj[32];
  size_t nk, ns;
  int negative; /* some value below zero: a linear axis through zero */
} grid;

static void bar_grid(const ng_report *r, const spec *sp, grid *g) {
  const char *kases[256], *subjects[64];
  size_t nk = ng_rep_distinct(r, sp->suite, 0, kases, 256);
  size_t ns = ng_rep_distinct(r, sp->suite, 1, subjects, 64), k, s;
  double v;

  memset(g, 0, sizeof *g);
  for (s = 0; s < ns && g->ns < 32; s++) {
    int any = 0;
    if (strcmp(subjects[s], "goal") == 0)
      continue; /* goals are lines in the Go chart, not bars */
    for (k = 0; k < nk; k++)
      if (keeps(sp, kases[k]) &&
          ng_rep_value(r, sp->suite, kases[k], subjects[s], sp->metric, &v) ==
              0) {
        any = 1;
        g->negative |= v < 0;
      }
    if (any)
      g->subj[g->ns++] = subjects[s];
  }
  for (k = 0; k < nk && g->nk < 64; k++) {
    for (s = 0; s < g->ns; s++)
      if (keeps(sp, kases[k]) &&
          ng_rep_find(r, sp->suite, kases[k], g->subj[s], sp->metric))
        break;
    if (s < g->ns)
      g->kase[g->nk++] = kases[k];
  }
}

/* The data block: a row per case (label, then a value per subject). */
static void bar_data(FILE *f, const ng_report *r, const spec *sp,
                     const grid *g) {
  size_t k, s, plen = sp->only ? strlen(sp->only) : 0;
  double v;

  fprintf(f, "$data << EOD\n");
  for (k = 0; k < g->nk; k++) {
    fprintf(f, "\"%s\"", g->kase[k] + plen);
    for (s = 0; s < g->ns; s++)
      if (ng_rep_value(r, sp->suite, g->kase[k], g->subj[s], sp->metric, &v) ==
          0)
        fprintf(f, " %.6g", v);
      else
        fprintf(f, " NaN");
    fprintf(f, "\n");
  }
  fprintf(f, "EOD\n");
}

/* Writes a bar chart's data and plot commands; -1 if nothing to draw. */
static int bars(FILE *data, FILE *body, const ng_report *r, const spec *sp) {
  const char *unit = unit_text(metric_unit(r, sp->suite, sp->metric));
  char label[160];
  grid g;
  size_t s;

  bar_grid(r, sp, &g);
  if (g.nk == 0 || g.ns == 0)
    return -1;
  bar_data(data, r, sp, &g);
  snprintf(label, sizeof label, "%s (%s)", sp->ylabel, unit);
  fprintf(body, "set ylabel ");
  gp_str(body, label);
  fprintf(body,
          "\nset style data histograms\n"
          "set style histogram clustered gap 1\n"
          "set style fill solid 0.85 border rgb '#333333'\n"
          "set grid ytics lc rgb '#dddddd'\n"
          "set xtics nomirror scale 0\nset key outside right top\n"
          "set datafile missing 'NaN'\nset xrange [-0.6:%g]\n%s\nplot ",
          (double)g.nk - 0.4,
          g.negative ? "set yrange [*:*]\nset xzeroaxis" : "set yrange [0:*]");
  for (s = 0; s < g.ns; s++) {
    fprintf(body, "%s$data using %zu%s title ", s ? ", \\\n  " : "", s + 2,
            s ? "" : ":xtic(1)");
    gp_str(body, g.subj[s]);
    fprintf(body, " lc rgb '%s'", ng_rep_colour(g.subj[s]));
  }
  fprintf(body, "\n");
  return 0;
}

/* -------------------------------------------------------------- depth */

/* Marker point type for an outcome: cross (crash), ring (rejection),
 * triangle (no report). */
static int marker(const char *outcome) {
  if (strcmp(outcome, "rejected") == 0)
    return 6;
  if (strcmp(outcome, "failed") == 0)
    return 8;
  return 2;
}

/* The legend text of a subject's line. */
static void depth_title(const ng_reach *h, char *buf, size_t cap,
                        const char *subject) {
  char d[32], o[96];

  if (h->fail_depth == 0) {
    snprintf(buf, cap, "%s", subject);
    return;
  }
  ng_rep_depth(h->fail_depth, d, sizeof d);
  if (strcmp(h->outcome, "rejected") == 0)
    snprintf(o, sizeof o, "rejects at %s", d);
  else if (strcmp(h->outcome, "failed") == 0)
    snprintf(o, sizeof o, "no report at %s", d);
  else
    snprintf(o, sizeof o, "%s at %s", h->outcome, d);
  snprintf(buf, cap, "%s: %s%s", subject, o,
           h->last_ok == 0 ? " (no depth parsed)" : "");
}

/* Data blocks $sN (the line) and $mN (the marker) for subject n. */
static void depth_data(FILE *f, const ng_report *r, const spec *sp,
                       const ng_series *se, const char *subj, size_t n) {
  ng_reach h;
  size_t i;
  double v;

  ng_rep_reach(r, sp->suite, se, subj, &h);
  fprintf(f, "$s%zu << EOD\n", n);
  for (i = 0; i < se->n; i++)
    if (ng_rep_value(r, sp->suite, se->kase[i], subj, sp->metric, &v) == 0 &&
        v > 0 && (h.fail_depth == 0 || se->depth[i] < h.fail_depth))
      fprintf(f, "%g %.6g\n", se->depth[i], v);
  fprintf(f, "EOD\n$m%zu << EOD\n", n);
  for (i = 0; i < se->n; i++)
    if (h.fail_depth != 0 && se->depth[i] == h.last_ok &&
        ng_rep_value(r, sp->suite, se->kase[i], subj, sp->metric, &v) == 0 &&
        v > 0)
      fprintf(f, "%g %.6g\n", se->depth[i], v);
  fprintf(f, "EOD\n");
}

/* One subject's plot clauses: its line (or a legend entry alone when it
 * parsed no depth) and its outcome marker. Sets bit pt of *used. */
static void depth_plot(FILE *body, const ng_report *r, const spec *sp,
                       const ng_series *se, const char *subj, size_t n,
                       unsigned *used) {
  const char *rgb = ng_rep_colour(subj);
  int dash = ng_rep_is_engine(subj) ? 1 : 2;
  char title[160];
  ng_reach h;

  ng_rep_reach(r, sp->suite, se, subj, &h);
  depth_title(&h, title, sizeof title, subj);
  if (n > 0)
    fprintf(body, ", \\\n  ");
  if (h.last_ok == 0)
    fprintf(body, "keyentry with lines lw 2 dt %d lc rgb '%s' title ", dash,
            rgb);
  else
    fprintf(body,
            "$s%zu using 1:2 with linespoints lw 2 dt %d pt 7 ps 0.6 "
            "lc rgb '%s' title ",
            n, dash, rgb);
  gp_str(body, title);
  if (h.fail_depth != 0 && h.last_ok != 0) {
    fprintf(body,
            ", \\\n  $m%zu using 1:2 with points pt %d ps 2.6 lw 2.5 "
            "lc rgb '%s' notitle",
            n, marker(h.outcome), rgb);
    *used |= 1u << marker(h.outcome);
  }
}

/* Legend entries explaining the marker shapes that appear. */
static void depth_key(FILE *body, unsigned used) {
  static const struct {
    int pt;
    const char *text;
  } keys[] = {{2, "last depth parsed, next one crashed"},
              {6, "last depth parsed, next one rejected"},
              {8, "last depth parsed, next one gave no report"}};
  size_t i;

  for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (used & (1u << keys[i].pt))
      fprintf(body,
              ", \\\n  keyentry with points pt %d ps 2 lw 2 lc rgb "
              "'#222222' title '%s'",
              keys[i].pt, keys[i].text);
}

static int depth_lines(FILE *data, FILE *body, const ng_report *r,
                       const spec *sp) {
  const char *unit = unit_text(metric_unit(r, sp->suite, sp->metric));
  const char *subjects[64];
  size_t ns = ng_rep_distinct(r, sp->suite, 1, subjects, 64), s, n = 0;
  unsigned used = 0;
  char label[160], why[48];
  ng_series se;

  if (ng_rep_series(r, sp->suite, sp->only, &se) < 2)
    return -1;
  snprintf(label, sizeof label, "%s (%s, log scale)", sp->ylabel, unit);
  fprintf(body, "set ylabel ");
  gp_str(body, label);
  fprintf(body,
          "\nset logscale xy\nset format x '1e%%T'\nset xrange [%g:%g]\n"
          "set grid xtics ytics lc rgb '#e0e0e0'\n"
          "set key outside right top spacing 1.2\nplot ",
          se.depth[0] / 2, se.depth[se.n - 1] * 2);
  for (s = 0; s < ns; s++) {
    if (ng_rep_find(r, sp->suite, se.kase[0], subjects[s], sp->metric) ==
            NULL &&
        ng_rep_outcome(r, sp->suite, se.kase[0], subjects[s], why,
                       sizeof why) == NULL)
      continue; /* not a subject of this series */
    depth_data(data, r, sp, &se, subjects[s], n);
    depth_plot(body, r, sp, &se, subjects[s], n++, &used);
  }
  depth_key(body, used);
  fprintf(body, "\n");
  return n > 0 ? 0 : -1;
}

/* ----------------------------------------------------------------- go */

/* The y range of a panel: zero, the values and the goal, with room above
 * for the value labels. */
static void panel_range(const double *v, size_t n, double *lo, double *hi) {
  size_t i;

  *lo = 0;
  *hi = 0;
  for (i = 0; i < n; i++)
    if (!isnan(v[i])) {
      *lo = v[i] < *lo ? v[i] : *lo;
      *hi = v[i] > *hi ? v[i] : *hi;
    }
  *hi = *hi > 0 ? *hi * 1.3 : 1;
  *lo = *lo < 0 ? *lo * 1.3 : 0;
}

/* One bar of a panel: x, height (NaN: none), colour, label y and text.
 * The label is the value, or `none` when there is no value. */
static void bar_row(FILE *data, int x, double v, const char *subject,
                    const char *none) {
  char text[48];

  if (isnan(v))
    snprintf(text, sizeof text, "%s", none);
  else
    ng_rep_num(v, text, sizeof text);
  fprintf(data, "%d %.6g %ld %.6g \"%s\"\n", x, v,
          strtol(ng_rep_colour(subject) + 1, NULL, 16), isnan(v) ? 0 : v, text);
}

/* The legend: a strip under the panels, a plot of nothing but its key
 * (a key inside a narrow panel cannot lay out in one row). */
static void go_key(FILE *body) {
  fprintf(body, "set origin 0,0\nset size 1,0.09\nunset border\nunset tics\n"
                "unset title\nunset xlabel\nunset ylabel\nunset arrow\n"
                "set xrange [0:1]\nset yrange [0:1]\n"
                "set key center center horizontal maxrows 1 samplen 4\n"
                "plot NaN notitle");
  fprintf(body,
          ", \\\n  keyentry with boxes lc rgb '%s' title 'Go 1.19 (quoted "
          "from issue 3)', \\\n  keyentry with boxes lc rgb '%s' title "
          "'nestguard (this run)', \\\n  keyentry with lines dt 2 lw 1.5 "
          "lc rgb '%s' title 'goal (issue 3)'",
          ng_rep_colour(NG_REP_GO), ng_rep_colour("nestguard"),
          ng_rep_colour("goal"));
  fprintf(body, "\n");
}

/* One panel: Go's bar and nestguard's, value labels, the goal. */
static void go_panel(FILE *data, FILE *body, const ng_report *r, size_t p) {
  const ng_go_figure *fig = &ng_rep_go_figures[p];
  const char *unit = unit_text(metric_unit(r, "stack", fig->metric));
  double v[3] = {NAN, NAN, NAN}, lo, hi;
  int fatal;

  ng_rep_value(r, "stack", fig->kase, NG_REP_GO, fig->metric, &v[0]);
  ng_rep_value(r, "stack", fig->kase, "nestguard", fig->metric, &v[1]);
  ng_rep_value(r, "stack", fig->kase, "goal", fig->metric, &v[2]);
  fatal = ng_rep_find(r, "stack", fig->kase, NG_REP_GO, "fatal_exit") != NULL;
  panel_range(v, 3, &lo, &hi);
  fprintf(data, "$p%zu << EOD\n", p);
  bar_row(data, 0, v[0], NG_REP_GO, fatal ? "fatal: exit 2" : "no figure");
  bar_row(data, 1, v[1], "nestguard", "not run");
  fprintf(data, "EOD\n");
  fprintf(body,
          "set origin %g,0.08\nset size %g,0.86\n"
          "set title \"%s\\n(%s)\"\nset ylabel '%s'\n"
          "set yrange [%g:%g]\nunset arrow\n",
          (double)p / (double)ng_rep_n_go_figures,
          1.0 / (double)ng_rep_n_go_figures, fig->label, unit, unit, lo, hi);
  if (!isnan(v[2]))
    fprintf(body,
            "set arrow from -0.7,%g to 1.7,%g nohead dt 2 lw 1.5 "
            "lc rgb '%s' front\n",
            v[2], v[2], ng_rep_colour("goal"));
  fprintf(body,
          "plot $p%zu using 1:2:3 with boxes lc rgb variable notitle, "
          "$p%zu using 1:4:5 with labels offset 0,0.8 notitle",
          p, p);
  fprintf(body, "\n");
}

static int go_pairs(FILE *data, FILE *body, const ng_report *r,
                    const spec *sp) {
  size_t p;

  if (ng_rep_find(r, "stack", "spawn", NG_REP_GO, "spawn_exit") == NULL)
    return -1; /* a run without Go's figures recorded */
  fprintf(body,
          "set style fill solid 0.85 border rgb '#333333'\nset boxwidth 0.6\n"
          "set xrange [-0.7:1.7]\nset xtics ('Go' 0, 'nestguard' 1) "
          "scale 0\nset grid ytics lc rgb '#dddddd'\nunset key\n"
          "set multiplot title ");
  gp_str(body, sp->title);
  fprintf(body, "\n");
  for (p = 0; p < ng_rep_n_go_figures; p++)
    go_panel(data, body, r, p);
  go_key(body);
  fprintf(body, "unset multiplot\n");
  return 0;
}

/* ------------------------------------------------------------ drawing */

/* Runs gnuplot on the script, its output in log. Returns 0 when it exited
 * 0; clears r->gnuplot when there is no gnuplot to run. */
static int run_gnuplot(ng_report *r, char *script, const char *log) {
  char prog[] = "gnuplot", *argv[3];
  posix_spawn_file_actions_t fa;
  int status, rc;
  pid_t pid;

  argv[0] = prog;
  argv[1] = script;
  argv[2] = NULL;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    if (rc == ENOENT)
      r->gnuplot = 0;
    return -1;
  }
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The kind's data blocks and plot commands. Returns -1 if nothing to draw. */
static int chart_body(FILE *data, FILE *body, const ng_report *r,
                      const spec *sp) {
  if (sp->kind == CH_GO)
    return go_pairs(data, body, r, sp);
  fprintf(body, "set title ");
  gp_str(body, sp->title);
  fprintf(body, "\nset xlabel ");
  gp_str(body, sp->xlabel);
  fprintf(body, "\n");
  return sp->kind == CH_DEPTH ? depth_lines(data, body, r, sp)
                              : bars(data, body, r, sp);
}

/* One pass of the script: terminal, output file, then the body. */
static void pass(FILE *f, const char *term, const char *path, const char *ext,
                 const char *body) {
  char out[1100];

  snprintf(out, sizeof out, "%s.%s", path, ext);
  fprintf(f, "reset\nset terminal %s\nset output ", term);
  gp_str(f, out);
  fprintf(f, "\n%s", body);
}

/* Writes path.gp: the data once, then an SVG pass and a PNG pass. */
static int write_script(const char *path, const spec *sp, const char *dbuf,
                        const char *bbuf) {
  static const char *const size[] = {"1000,500", "1100,560", "1200,460"};
  char gp[1100], term[96];
  FILE *f;
  int ok;

  snprintf(gp, sizeof gp, "%s.gp", path);
  if ((f = fopen(gp, "w")) == NULL)
    return -1;
  fprintf(f,
          "# %s - a chart of the bench report (bench/report_chart.c);\n"
          "# `gnuplot %s` redraws it.\n%s",
          gp, gp, dbuf);
  snprintf(term, sizeof term, "svg size %s noenhanced font 'sans,12'",
           size[sp->kind]);
  pass(f, term, path, "svg", bbuf);
  snprintf(term, sizeof term, "pngcairo size %s noenhanced font 'sans,10'",
           size[sp->kind]);
  pass(f, term, path, "png", bbuf);
  ok = !ferror(f);
  return fclose(f) == 0 && ok ? 0 : -1;
}

/* Builds, writes and runs one chart; records it in r->charts. */
static void draw(ng_report *r, const spec *sp) {
  char *dbuf = NULL, *bbuf = NULL, path[1024], gp[1100], log[1100];
  size_t dlen = 0, blen = 0;
  FILE *data = open_memstream(&dbuf, &dlen);
  FILE *body = open_memstream(&bbuf, &blen);
  ng_chart *c = &r->charts[r->n_charts];
  int rc = data && body ? chart_body(data, body, r, sp) : -1;

  if (data)
    fclose(data);
  if (body)
    fclose(body);
  snprintf(path, sizeof path, "%s/charts/%s", r->dir, sp->name);
  if (rc == 0 && r->n_charts < NG_REPORT_MAX_CHARTS &&
      write_script(path, sp, dbuf, bbuf) == 0) {
    snprintf(c->suite, sizeof c->suite, "%s", sp->suite);
    snprintf(c->name, sizeof c->name, "%s", sp->name);
    snprintf(c->title, sizeof c->title, "%s", sp->title);
    snprintf(c->caption, sizeof c->caption, "%s", sp->caption);
    snprintf(gp, sizeof gp, "%s.gp", path);
    snprintf(log, sizeof log, "%s.log", path);
    c->drawn = r->gnuplot && run_gnuplot(r, gp, log) == 0;
    if (r->gnuplot && !c->drawn)
      fprintf(stderr, "bench report: gnuplot failed on %s (see %s)\n", gp, log);
    r->n_charts++;
  }
  free(dbuf);
  free(bbuf);
}

/* The suites in the rows, first-seen order. */
static size_t suites_of(const ng_report *r, const char **out, size_t cap) {
  size_t i, j, n = 0;

  for (i = 0; i < r->n_rows; i++) {
    for (j = 0; j < n && strcmp(out[j], r->rows[i].suite) != 0; j++)
      ;
    if (j == n && n < cap)
      out[n++] = r->rows[i].suite;
  }
  return n;
}

/* A suite with no entry in specs: one bar chart per metric. */
static void draw_generic(ng_report *r, const char *suite) {
  const char *metrics[16];
  size_t nm = ng_rep_distinct(r, suite, 2, metrics, 16), m;
  char name[96], title[160];
  spec sp;

  for (m = 0; m < nm; m++) {
    snprintf(name, sizeof name, "%s-%s", suite, metrics[m]);
    snprintf(title, sizeof title, "%s: %s by case", suite, metrics[m]);
    sp = (spec){CH_BARS,
                suite,
                name,
                metrics[m],
                NULL,
                NULL,
                title,
                "case",
                metrics[m],
                "One group per case, one colour per subject; the median of "
                "the repetitions (no chart of its own is defined for this "
                "suite yet in bench/report_chart.c)."};
    draw(r, &sp);
  }
}

int ng_rep_charts(ng_report *r) {
  const char *suites[32];
  size_t ns = suites_of(r, suites, 32), s, i;
  char dir[1024];
  int known;

  snprintf(dir, sizeof dir, "%s/charts", r->dir);
  if (mkdir(dir, 0755) != 0 && errno != EEXIST)
    return -1;
  r->gnuplot = 1;
  for (i = 0; i < N_SPECS; i++)
    for (s = 0; s < ns; s++)
      if (strcmp(specs[i].suite, suites[s]) == 0)
        draw(r, &specs[i]);
  for (s = 0; s < ns; s++) {
    for (i = 0, known = 0; i < N_SPECS; i++)
      known |= strcmp(specs[i].suite, suites[s]) == 0;
    if (!known)
      draw_generic(r, suites[s]);
  }
  if (!r->gnuplot)
    fprintf(stderr, "bench report: gnuplot not found: the page has no "
                    "charts (apt-get install gnuplot-nox)\n");
  return 0;
}
