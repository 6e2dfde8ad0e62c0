/*
 * bench/report_headline.c - the page's first section: the ratios people
 * come for. Each nestguard engine against the best peer on each file,
 * recursive against iterative, the runtime against Go 1.19, and how deep
 * each parser got. Ratios of one run hold where absolute numbers swing
 * with the machine; every one is computed from results.tsv.
 */
#include <math.h>
#include <string.h>

#include "report.h"

/* A ratio cell: "1.42&times;", green from 1 up, red below. */
static void ratio_cell(FILE *f, double x) {
  if (isnan(x) || isinf(x)) {
    fprintf(f, "<td class=\"n\">-</td>");
    return;
  }
  fprintf(f, "<td class=\"n %s\">%.2f&times;</td>", x >= 1 ? "good" : "bad", x);
}

/* The suite's subjects that pass the test, in order. */
static size_t pick(const ng_report *r, const char *suite,
                   int (*test)(const char *), const char **out, size_t cap) {
  const char *all[64];
  size_t n = ng_rep_distinct(r, suite, 1, all, 64), i, k = 0;

  for (i = 0; i < n && k < cap; i++)
    if (test(all[i]))
      out[k++] = all[i];
  return k;
}

static int is_writer(const char *s) { return strncmp(s, "nestguard", 9) == 0; }

/* The highest metric value among the peers on a case; *who names it. */
static double best_peer(const ng_report *r, const char *suite, const char *kase,
                        const char *metric, const char **who) {
  const char *peers[32];
  size_t n = pick(r, suite, ng_rep_is_peer, peers, 32), i;
  double best = NAN, v;

  *who = "-";
  for (i = 0; i < n; i++)
    if (ng_rep_value(r, suite, kase, peers[i], metric, &v) == 0 &&
        (isnan(best) || v > best)) {
      best = v;
      *who = peers[i];
    }
  return best;
}

/*
 * One table: per case of the suite that has `metric` (cases starting with
 * `only`, NULL all; `skip` dropped), each of our subjects' value over the
 * best peer's. Returns the rows written.
 */
static size_t against_best(FILE *f, const ng_report *r, const char *suite,
                           const char *only, const char *skip,
                           int (*ours)(const char *)) {
  const char *kases[256], *us[16], *who;
  size_t nk = ng_rep_distinct(r, suite, 0, kases, 256);
  size_t nu = pick(r, suite, ours, us, 16), k, u, rows = 0;
  double best, v;
  char num[32];

  for (k = 0; k < nk; k++) {
    if ((only && strncmp(kases[k], only, strlen(only)) != 0) ||
        (skip && strncmp(kases[k], skip, strlen(skip)) == 0))
      continue;
    best = best_peer(r, suite, kases[k], "throughput", &who);
    if (isnan(best))
      continue;
    if (rows++ == 0) {
      fprintf(f, "<table>\n<tr><th>file</th>");
      for (u = 0; u < nu; u++)
        fprintf(f, "<th>%s</th>", us[u]);
      fprintf(f, "<th>best peer (MB/s)</th></tr>\n");
    }
    fprintf(f, "<tr><th>");
    ng_rep_esc(f, kases[k] + (only ? strlen(only) : 0));
    fprintf(f, "</th>");
    for (u = 0; u < nu; u++)
      ratio_cell(f,
                 ng_rep_value(r, suite, kases[k], us[u], "throughput", &v) == 0
                     ? v / best
                     : NAN);
    fprintf(f, "<td>%s (%s)</td></tr>\n", who, ng_rep_num(best, num, 32));
  }
  if (rows > 0)
    fprintf(f, "</table>\n");
  return rows;
}

static void engines_vs_peers(FILE *f, const ng_report *r) {
  fprintf(f, "<h3>Each engine against the best peer</h3>\n<p>Throughput of "
             "parsing into a DOM, as a multiple of the fastest peer on the "
             "same file in the same run (above 1: faster than every "
             "peer).</p>\n");
  if (against_best(f, r, "json", NULL, "deep_", ng_rep_is_engine) == 0)
    fprintf(f, "<p>(suite json not run)</p>\n");
  fprintf(f, "<p>The writer, compact, pretty and streamed, against the "
             "fastest peer writer (MB/s of the input's size):</p>\n");
  if (against_best(f, r, "json_dom", "write:", NULL, is_writer) == 0)
    fprintf(f, "<p>(suite json_dom not run)</p>\n");
}

/* Recursive over iterative on one deep series at its deepest shared depth:
 * speed (iterative time / recursive time) and memory (recursive RSS /
 * iterative RSS). */
static void rec_vs_it_deep(FILE *f, const ng_report *r, const char *prefix,
                           const char *label) {
  double ti, tr, mi, mr;
  ng_series se;
  size_t i;

  if (ng_rep_series(r, "json", prefix, &se) == 0)
    return;
  for (i = se.n; i-- > 0;)
    if (ng_rep_value(r, "json", se.kase[i], "iterative", "time", &ti) == 0 &&
        ng_rep_value(r, "json", se.kase[i], "recursive", "time", &tr) == 0)
      break;
  if (i == (size_t)-1)
    return;
  fprintf(f, "<tr><th>%s, %s levels</th>", label, se.kase[i] + strlen(prefix));
  ratio_cell(f, ti / tr);
  if (ng_rep_value(r, "json", se.kase[i], "iterative", "peak_rss", &mi) == 0 &&
      ng_rep_value(r, "json", se.kase[i], "recursive", "peak_rss", &mr) == 0 &&
      mi > 0)
    fprintf(f, "<td class=\"n\">%.2f&times;</td></tr>\n", mr / mi);
  else
    fprintf(f, "<td class=\"n\">-</td></tr>\n");
}

static void recursive_vs_iterative(FILE *f, const ng_report *r) {
  const char *kases[256];
  size_t nk = ng_rep_distinct(r, "json", 0, kases, 256), k;
  double it, rec;

  fprintf(f, "<h3>Recursive against iterative</h3>\n<p>The recursive "
             "engine runs on the growable stack; the iterative one keeps an "
             "explicit stack. Speed is recursive as a multiple of iterative "
             "(below 1: slower); memory is recursive's peak RSS as a "
             "multiple of iterative's.</p>\n<table>\n<tr><th>input</th>"
             "<th>recursive speed</th><th>recursive memory</th></tr>\n");
  for (k = 0; k < nk; k++)
    if (ng_rep_value(r, "json", kases[k], "iterative", "throughput", &it) ==
            0 &&
        ng_rep_value(r, "json", kases[k], "recursive", "throughput", &rec) ==
            0) {
      fprintf(f, "<tr><th>");
      ng_rep_esc(f, kases[k]);
      fprintf(f, "</th>");
      ratio_cell(f, rec / it);
      fprintf(f, "<td class=\"n\">-</td></tr>\n");
    }
  rec_vs_it_deep(f, r, "deep_arrays_", "nested arrays");
  rec_vs_it_deep(f, r, "deep_objects_", "nested objects");
  fprintf(f, "</table>\n");
}

/* "8.1&times; less" when nestguard's figure is the smaller. */
static void versus_go(FILE *f, double go, double ng, int fatal) {
  if (fatal)
    fprintf(f, "<td class=\"good\">survives: NG_ESTACK, where Go's process "
               "dies</td>");
  else if (isnan(go) || isnan(ng))
    fprintf(f, "<td>-</td>");
  else if (ng <= 0)
    fprintf(f, "<td class=\"good\">no measurable cost (below the noise)</td>");
  else
    fprintf(f, "<td class=\"%s\">%.1f&times; %s</td>",
            ng <= go ? "good" : "bad", ng <= go ? go / ng : ng / go,
            ng <= go ? "less" : "more");
}

static void runtime_vs_go(FILE *f, const ng_report *r) {
  char a[32], b[32], c[32];
  size_t i;

  fprintf(f, "<h3>Runtime against Go 1.19</h3>\n<p>Go's figures are quoted "
             "from issue 3 (measured there; no Go toolchain ran for this "
             "page). Lower is better in every row.</p>\n<table>\n<tr><th>"
             "figure</th><th>Go 1.19</th><th>goal</th><th>nestguard</th>"
             "<th>nestguard against Go</th></tr>\n");
  for (i = 0; i < ng_rep_n_go_figures; i++) {
    const ng_go_figure *g = &ng_rep_go_figures[i];
    const ng_rrow *w = ng_rep_find(r, "stack", g->kase, "nestguard", g->metric);
    double go = NAN, goal = NAN, ng = w ? w->value : NAN;
    int fatal =
        ng_rep_find(r, "stack", g->kase, NG_REP_GO, "fatal_exit") != NULL;
    const char *unit = w ? (strcmp(w->unit, "pct") ? w->unit : "%") : "";
    if (w == NULL)
      continue;
    ng_rep_value(r, "stack", g->kase, NG_REP_GO, g->metric, &go);
    ng_rep_value(r, "stack", g->kase, "goal", g->metric, &goal);
    fprintf(f,
            "<tr><th>%s</th><td class=\"n\">%s%s%s</td>"
            "<td class=\"n\">&le; %s %s</td><td class=\"n\">%s %s</td>",
            g->label, fatal ? "fatal, exit 2" : ng_rep_num(go, a, 32),
            fatal ? "" : " ", fatal ? "" : unit, ng_rep_num(goal, b, 32), unit,
            ng_rep_num(ng, c, 32), unit);
    versus_go(f, go, ng, fatal);
    fprintf(f, "</tr>\n");
  }
  fprintf(f, "</table>\n");
}

/* "1e7" / "1e5; SIGSEGV at 1e6" / "none; rejected at 1e3". */
static void reach_cell(FILE *f, const ng_report *r, const ng_series *se,
                       const char *subject) {
  const char *cls;
  char a[32], b[32];
  ng_reach h;

  ng_rep_reach(r, "json", se, subject, &h);
  cls = h.fail_depth == 0              ? "good"
        : strncmp(h.outcome, "SIG", 3) ? "rej"
                                       : "crash";
  fprintf(f, "<td class=\"%s\">", cls);
  fprintf(f, "%s", h.last_ok > 0 ? ng_rep_depth(h.last_ok, a, 32) : "none");
  if (h.fail_depth > 0)
    fprintf(f, "; %s at %s", h.outcome, ng_rep_depth(h.fail_depth, b, 32));
  fprintf(f, "</td>");
}

static void deepest(FILE *f, const ng_report *r) {
  const char *subjects[64];
  size_t ns = ng_rep_distinct(r, "json", 1, subjects, 64), s;
  ng_series arrays, objects;
  char lo[32], hi[32];

  if (ng_rep_series(r, "json", "deep_arrays_", &arrays) == 0 ||
      ng_rep_series(r, "json", "deep_objects_", &objects) == 0)
    return;
  fprintf(f,
          "<h3>How deep each parser got</h3>\n<p>The deepest document "
          "parsed (depths tested: %s to %s, powers of ten), and what the "
          "next depth did: a signal is a crash, <i>rejected</i> a clean "
          "refusal (a depth cap). nestguard's engines run with "
          "max_depth=0 (no cap).</p>\n<table>\n<tr><th>parser</th>"
          "<th>nested arrays</th><th>nested objects</th></tr>\n",
          ng_rep_depth(arrays.depth[0], lo, 32),
          ng_rep_depth(arrays.depth[arrays.n - 1], hi, 32));
  for (s = 0; s < ns; s++) {
    if (!ng_rep_is_engine(subjects[s]) && !ng_rep_is_peer(subjects[s]))
      continue;
    fprintf(f, "<tr><th>%s</th>", subjects[s]);
    reach_cell(f, r, &arrays, subjects[s]);
    reach_cell(f, r, &objects, subjects[s]);
    fprintf(f, "</tr>\n");
  }
  fprintf(f, "</table>\n");
}

void ng_rep_headline(FILE *f, const ng_report *r) {
  fprintf(f, "<section id=\"headline\">\n<h2>Headline</h2>\n<p>Ratios "
             "between subjects of this run: they hold while the machine's "
             "absolute speed swings between runs.</p>\n");
  engines_vs_peers(f, r);
  recursive_vs_iterative(f, r);
  runtime_vs_go(f, r);
  deepest(f, r);
  fprintf(f, "</section>\n");
}
