/*
 * bench/bench.c - harness: suite registry, timing, tables, results.tsv.
 *
 * Usage: bench [-o DIR] [SUITE...]   (default DIR: build/bench)
 *        bench --report DIR
 * A run writes DIR/results.tsv (a row per measurement), DIR/meta.tsv (the
 * machine and versions) and DIR/<suite>.dat (each table in gnuplot form),
 * and the Markdown tables on stdout. --report turns a run's files into
 * the page DIR/index.html with its charts in DIR/charts/ (report*.c).
 */
#define _GNU_SOURCE
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_SUITES 32
#define MAX_ROWS 4096

typedef struct suite {
  const char *name;
  ng_bench_suite_fn fn;
  int order;
} suite;

typedef struct row {
  char suite[32], kase[64], subject[48], metric[32], unit[16];
  double value;
} row;

static suite suites[MAX_SUITES];
static size_t n_suites;
static row *rows;
static size_t n_rows;
static FILE *tsv;

void ng_bench_register(const char *name, ng_bench_suite_fn fn, int order) {
  if (n_suites < MAX_SUITES)
    suites[n_suites++] = (suite){name, fn, order};
}

double ng_bench_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

size_t ng_bench_peak_rss(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (size_t)ru.ru_maxrss * 1024;
}

size_t ng_bench_rss(void) {
  unsigned long size = 0, resident = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (f == NULL)
    return 0;
  if (fscanf(f, "%lu %lu", &size, &resident) != 2)
    resident = 0;
  fclose(f);
  return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

unsigned ng_bench_reps(void) {
  const char *s = getenv("NG_BENCH_REPS");
  long n = s ? strtol(s, NULL, 10) : 0;
  return n > 0 ? (unsigned)n : (ng_bench_quick() ? 5 : 11);
}

int ng_bench_quick(void) {
  const char *s = getenv("NG_BENCH_QUICK");
  return s != NULL && *s != '\0' && strcmp(s, "0") != 0;
}

char *ng_bench_load(const char *rel, size_t *len) {
  const char *dir = getenv("NG_BENCH_DATA");
  char path[1024];
  FILE *f;
  char *buf = NULL;
  long n;

  snprintf(path, sizeof path, "%s/%s", dir ? dir : "../shared/bench-data", rel);
  f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
      fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL) {
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
      free(buf);
      buf = NULL;
    } else {
      buf[n] = '\0';
      *len = (size_t)n;
    }
  }
  fclose(f);
  return buf;
}

size_t ng_bench_each_file(const char *dir, const char *const *files, size_t n,
                          void (*fn)(const char *name, const char *data,
                                     size_t len)) {
  char rel[256], *data;
  size_t i, len, found = 0;

  for (i = 0; i < n; i++) {
    snprintf(rel, sizeof rel, "%s/%s", dir, files[i]);
    if ((data = ng_bench_load(rel, &len)) == NULL)
      continue;
    found++;
    fn(files[i], data, len);
    free(data);
  }
  return found;
}

static void copy_field(char *dst, size_t cap, const char *src) {
  snprintf(dst, cap, "%s", src);
}

void ng_bench_record(const char *suite_name, const char *kase,
                     const char *subject, const char *metric, double value,
                     const char *unit) {
  row *r;

  if (tsv != NULL)
    fprintf(tsv, "%s\t%s\t%s\t%s\t%.6g\t%s\n", suite_name, kase, subject,
            metric, value, unit);
  if (n_rows == MAX_ROWS)
    return;
  r = &rows[n_rows++];
  copy_field(r->suite, sizeof r->suite, suite_name);
  copy_field(r->kase, sizeof r->kase, kase);
  copy_field(r->subject, sizeof r->subject, subject);
  copy_field(r->metric, sizeof r->metric, metric);
  copy_field(r->unit, sizeof r->unit, unit);
  r->value = value;
}

int ng_bench_value(const char *suite_name, const char *kase,
                   const char *subject, const char *metric, double *out) {
  size_t i;

  for (i = n_rows; i-- > 0;)
    if (strcmp(rows[i].suite, suite_name) == 0 &&
        strcmp(rows[i].kase, kase) == 0 &&
        strcmp(rows[i].subject, subject) == 0 &&
        strcmp(rows[i].metric, metric) == 0) {
      *out = rows[i].value;
      return 0;
    }
  return -1;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Sorts ns[0..reps) and returns their median. */
static double sorted_median(double *ns, unsigned reps) {
  qsort(ns, reps, sizeof *ns, cmp_double);
  return (reps % 2) ? ns[reps / 2] : (ns[reps / 2 - 1] + ns[reps / 2]) / 2;
}

/* Records median (as throughput or time), min and max of one subject. */
static void record_samples(const char *suite_name, const char *kase,
                           const char *subject, double *ns, unsigned reps,
                           size_t bytes) {
  double med = sorted_median(ns, reps);

  if (bytes > 0)
    ng_bench_record(suite_name, kase, subject, "throughput",
                    (double)bytes / (med / 1e9) / 1e6, "MB/s");
  else
    ng_bench_record(suite_name, kase, subject, "time", med / 1e6, "ms");
  ng_bench_record(suite_name, kase, subject, "time_min", ns[0] / 1e6, "ms");
  ng_bench_record(suite_name, kase, subject, "time_max", ns[reps - 1] / 1e6,
                  "ms");
}

static const char *current_suite = "";

void ng_bench_compare(const char *suite_name, const char *kase,
                      const ng_bench_subject *subjects, size_t n, size_t bytes,
                      unsigned warmup, unsigned reps) {
  double *ns;
  int *failed;
  unsigned r;
  size_t i;

  if (suite_name == NULL)
    suite_name = current_suite;
  if (reps == 0)
    reps = ng_bench_reps();
  ns = calloc(n * reps, sizeof *ns);
  failed = calloc(n, sizeof *failed);
  if (ns == NULL || failed == NULL) {
    fprintf(stderr, "bench: out of memory\n");
    goto done;
  }
  for (r = 0; r < warmup; r++)
    for (i = 0; i < n; i++)
      if (!failed[i] && subjects[i].run(subjects[i].ud) != 0)
        failed[i] = 1;
  /* Interleaved: one repetition of every subject per round. */
  for (r = 0; r < reps; r++)
    for (i = 0; i < n; i++) {
      double t0;
      if (failed[i])
        continue;
      t0 = ng_bench_now_ns();
      if (subjects[i].run(subjects[i].ud) != 0)
        failed[i] = 1;
      ns[i * reps + r] = ng_bench_now_ns() - t0;
    }
  for (i = 0; i < n; i++) {
    if (failed[i]) {
      ng_bench_record(suite_name, kase, subjects[i].name, "failed", 1, "-");
      continue;
    }
    record_samples(suite_name, kase, subjects[i].name, ns + i * reps, reps,
                   bytes);
  }
done:
  free(ns);
  free(failed);
}

/* This thread's CPU time in nanoseconds. */
static double cpu_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* One warm sample: mean ns of run() repeated for at least min_ns; < 0 when
 * a run failed. Timed in this thread's CPU time: a sample this long is
 * often preempted on a shared machine, and the wall clock would charge the
 * other processes' time slices to the subject. */
static double warm_sample(const ng_bench_subject *s, double min_ns) {
  double t0 = cpu_now_ns(), t;
  unsigned long runs = 0;

  do {
    if (s->run(s->ud) != 0)
      return -1;
    runs++;
    t = cpu_now_ns() - t0;
  } while (t < min_ns);
  return t / (double)runs;
}

void ng_bench_compare_warm(const char *suite_name, const char *kase,
                           const ng_bench_subject *subjects, size_t n,
                           size_t bytes, const char *metric, double min_ms,
                           unsigned reps) {
  double *ns;
  unsigned r;
  size_t i;

  if (reps == 0)
    reps = ng_bench_reps();
  ns = calloc(n * reps, sizeof *ns);
  if (ns == NULL) {
    fprintf(stderr, "bench: out of memory\n");
    return;
  }
  for (r = 0; r < reps; r++)
    for (i = 0; i < n; i++)
      if (ns[i * reps] >= 0 &&
          (ns[i * reps + r] = warm_sample(&subjects[i], min_ms * 1e6)) < 0)
        ns[i * reps] = -1; /* failed: no more samples */
  for (i = 0; i < n; i++) {
    double *s = ns + i * reps;
    if (s[0] < 0)
      continue; /* the cold comparison reports the failure */
    ng_bench_record(suite_name, kase, subjects[i].name, metric,
                    (double)bytes / (sorted_median(s, reps) / 1e9) / 1e6,
                    "MB/s");
  }
  free(ns);
}

/* ------------------------------------------------------------ reporting */

static int in_list(const char **list, size_t n, const char *s) {
  size_t i;
  for (i = 0; i < n; i++)
    if (strcmp(list[i], s) == 0)
      return 1;
  return 0;
}

/* Distinct values of a column (0 case, 1 subject, 2 metric) in [from, to);
 * metric rows are limited to case `kase` and skip time_min/time_max. */
static size_t distinct(size_t from, size_t to, int field, const char *kase,
                       const char **out, size_t cap) {
  size_t n = 0, i;
  for (i = from; i < to; i++) {
    const row *r = &rows[i];
    const char *v = field == 0 ? r->kase : field == 1 ? r->subject : r->metric;
    if (field == 2 &&
        (strcmp(r->kase, kase) != 0 || strncmp(r->metric, "time_m", 6) == 0 ||
         strcmp(r->metric, "failed") == 0))
      continue;
    if (!in_list(out, n, v) && n < cap)
      out[n++] = v;
  }
  return n;
}

static const row *find(size_t from, size_t to, const char *kase,
                       const char *subject, const char *metric) {
  size_t i;
  for (i = from; i < to; i++)
    if (strcmp(rows[i].kase, kase) == 0 &&
        strcmp(rows[i].subject, subject) == 0 &&
        strcmp(rows[i].metric, metric) == 0)
      return &rows[i];
  return NULL;
}

static void print_cell(FILE *dat, size_t from, size_t to, const char *kase,
                       const char *subject, const char *metric) {
  const row *h = find(from, to, kase, subject, metric);
  const row *lo = find(from, to, kase, subject, "time_min");
  const row *hi = find(from, to, kase, subject, "time_max");
  int timed = strcmp(metric, "throughput") == 0 || strcmp(metric, "time") == 0;

  if (h == NULL) {
    printf(" %s |", find(from, to, kase, subject, "failed") ? "failed" : "-");
    fprintf(dat, " NaN");
    return;
  }
  if (timed && lo != NULL && hi != NULL)
    printf(" %.4g (%.3g-%.3g ms) |", h->value, lo->value, hi->value);
  else
    printf(" %.4g |", h->value);
  fprintf(dat, " %.6g", h->value);
}

/* Markdown table, one row per (case, metric) and one column per subject,
 * on stdout; the same numbers as gnuplot data in DIR/<suite>.dat. */
static void print_table(const char *name, size_t from, size_t to,
                        const char *dir) {
  const char *kases[256], *subjects[32], *metrics[16], *unit;
  size_t nk = distinct(from, to, 0, NULL, kases, 256);
  size_t ns = distinct(from, to, 1, NULL, subjects, 32), k, s, m, nm;
  char path[1024];
  const row *any;
  FILE *dat;

  snprintf(path, sizeof path, "%s/%s.dat", dir, name);
  dat = fopen(path, "w");
  if (dat == NULL)
    return;
  printf("\n### %s\n\n| case | metric |", name);
  fprintf(dat, "case");
  for (s = 0; s < ns; s++) {
    printf(" %s |", subjects[s]);
    fprintf(dat, " \"%s\"", subjects[s]);
  }
  printf("\n|---|---|");
  for (s = 0; s < ns; s++)
    printf("---|");
  printf("\n");
  fprintf(dat, "\n");
  for (k = 0; k < nk; k++) {
    nm = distinct(from, to, 2, kases[k], metrics, 16);
    for (m = 0; m < nm; m++) {
      any = NULL;
      for (s = 0; s < ns && any == NULL; s++)
        any = find(from, to, kases[k], subjects[s], metrics[m]);
      unit = any ? any->unit : "";
      printf("| %s | %s (%s) |", kases[k], metrics[m], unit);
      fprintf(dat, "\"%s %s\"", kases[k], metrics[m]);
      for (s = 0; s < ns; s++)
        print_cell(dat, from, to, kases[k], subjects[s], metrics[m]);
      printf("\n");
      fprintf(dat, "\n");
    }
  }
  fclose(dat);
  fflush(stdout);
}

static int cmp_suite(const void *a, const void *b) {
  const suite *x = a, *y = b;
  if (x->order != y->order)
    return x->order - y->order;
  return strcmp(x->name, y->name);
}

static int selected(const suite *s, int argc, char **argv, int first) {
  int i;
  if (first >= argc)
    return 1;
  for (i = first; i < argc; i++)
    if (strcmp(argv[i], s->name) == 0)
      return 1;
  return 0;
}

/* An NG_BENCH_DATA that names no folder with json/ or xml/ in it is a
 * mistake, not a request for generated documents: says so, 0. */
static int data_dir_ok(void) {
  const char *dir = getenv("NG_BENCH_DATA");
  char path[1024];
  struct stat st;

  if (dir == NULL)
    return 1;
  snprintf(path, sizeof path, "%s/json", dir);
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
    return 1;
  snprintf(path, sizeof path, "%s/xml", dir);
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
    return 1;
  fprintf(stderr,
          "bench: NG_BENCH_DATA=%s holds neither json/ nor xml/ (it names "
          "the folder that holds them, like ../shared/bench-data)\n",
          dir);
  return 0;
}

int main(int argc, char **argv) {
  const char *dir = "build/bench";
  char path[1024];
  int first = 1;
  size_t i, from;

  if (argc == 3 && strcmp(argv[1], "--report") == 0)
    return ng_bench_report(argv[2]);
  if (!data_dir_ok())
    return 2;
  if (argc > 2 && strcmp(argv[1], "-o") == 0) {
    dir = argv[2];
    first = 3;
  }
  rows = calloc(MAX_ROWS, sizeof *rows);
  snprintf(path, sizeof path, "%s/results.tsv", dir);
  tsv = fopen(path, "w");
  if (rows == NULL || tsv == NULL) {
    fprintf(stderr, "bench: cannot write %s\n", path);
    return 2;
  }
  fprintf(tsv, "suite\tcase\tsubject\tmetric\tvalue\tunit\n");
  ng_bench_meta(dir, argc, argv, first);
  qsort(suites, n_suites, sizeof *suites, cmp_suite);
  printf("# nestguard benchmarks (%u repetitions, interleaved, median; "
         "min-max in brackets)\n",
         ng_bench_reps());
  for (i = 0; i < n_suites; i++) {
    if (!selected(&suites[i], argc, argv, first))
      continue;
    from = n_rows;
    current_suite = suites[i].name;
    fprintf(stderr, "bench: running suite %s\n", suites[i].name);
    suites[i].fn();
    fflush(tsv);
    print_table(suites[i].name, from, n_rows, dir);
  }
  fclose(tsv);
  free(rows);
  return 0;
}
