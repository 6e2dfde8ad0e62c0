/*
 * bench/child.c - parses measured in child processes (child.h).
 */
#define _GNU_SOURCE /* strsignal */
#include "child.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

/* VmHWM (peak RSS) in bytes from /proc/self/status, 0 if unreadable. */
static size_t vm_hwm(void) {
  char line[256];
  size_t kb = 0;
  FILE *f = fopen("/proc/self/status", "r");

  if (f == NULL)
    return 0;
  while (fgets(line, sizeof line, f) != NULL)
    if (sscanf(line, "VmHWM: %zu kB", &kb) == 1)
      break;
  fclose(f);
  return kb * 1024;
}

/* Resets the peak-RSS mark to the current RSS (Linux clear_refs "5"), so
 * the child's peak is its own and not what the parent reached. */
static void reset_hwm(void) {
  FILE *f = fopen("/proc/self/clear_refs", "w");
  if (f != NULL) {
    fputs("5", f);
    fclose(f);
  }
}

void ng_bench_child_measure(int (*run)(void *arg), void *arg,
                            ng_bench_child *r) {
  size_t base;
  double t0;

  reset_hwm();
  base = ng_bench_rss();
  t0 = ng_bench_now_ns();
  r->outcome = run(arg) == 0 ? NG_BENCH_OK : NG_BENCH_REJECTED;
  r->ms = (ng_bench_now_ns() - t0) / 1e6;
  r->rss_mb = ((double)vm_hwm() - (double)base) / 1e6;
}

static void child_main(int fd, int (*body)(const void *, ng_bench_child *),
                       const void *spec, unsigned cap_s) {
  ng_bench_child r;

  alarm(cap_s); /* a hang is a finding too, but must not stop the bench */
  if (body(spec, &r) != 0 ||
      write(fd, &r, sizeof r) != (ssize_t)sizeof r)
    _exit(3);
  _exit(0);
}

int ng_bench_in_child(int (*body)(const void *spec, ng_bench_child *r),
                      const void *spec, unsigned cap_s, ng_bench_child *r,
                      int *sig) {
  int fds[2], status = 0;
  ssize_t got = 0;
  pid_t pid;

  fflush(stdout);
  if (pipe(fds) != 0)
    return NG_BENCH_NOREPORT;
  pid = fork();
  if (pid == 0) {
    close(fds[0]);
    child_main(fds[1], body, spec, cap_s);
  }
  close(fds[1]);
  if (pid > 0) {
    got = read(fds[0], r, sizeof *r);
    waitpid(pid, &status, 0);
  }
  close(fds[0]);
  if (pid > 0 && WIFSIGNALED(status)) {
    *sig = WTERMSIG(status);
    return NG_BENCH_CRASHED;
  }
  if (got != (ssize_t)sizeof *r)
    return NG_BENCH_NOREPORT;
  return r->outcome;
}

static int cmp_ms(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

void ng_bench_record_reps(const char *suite, const char *kase,
                          const char *subject, const int *outcome,
                          const ng_bench_child *r, const int *sig, int reps) {
  double ms[16], rss = 0;
  int i;

  if (reps > 16)
    reps = 16;
  for (i = 0; i < reps; i++) {
    if (outcome[i] == NG_BENCH_CRASHED) {
      ng_bench_record(suite, kase, subject, "crashed", sig[i], "signal");
      printf("%s %s: %s killed by signal %d (%s)\n", suite, kase, subject,
             sig[i], strsignal(sig[i]));
      return;
    }
    if (outcome[i] != NG_BENCH_OK) {
      ng_bench_record(suite, kase, subject,
                      outcome[i] == NG_BENCH_REJECTED ? "rejected" : "failed",
                      1, "-");
      return;
    }
    ms[i] = r[i].ms;
    if (r[i].rss_mb > rss)
      rss = r[i].rss_mb;
  }
  qsort(ms, (size_t)reps, sizeof ms[0], cmp_ms);
  ng_bench_record(suite, kase, subject, "time", ms[reps / 2], "ms");
  ng_bench_record(suite, kase, subject, "peak_rss", rss, "MB");
}
