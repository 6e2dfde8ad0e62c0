/*
 * bench/meta.c - DIR/meta.tsv: what the report page says about the run
 * (date, machine, versions, method), one "key<TAB>value" line each,
 * written when the run starts.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "nestguard.h"
#include "peers/peers.h"
#include "peers/xml_peers.h"

/* The compiler's name for its __VERSION__. */
#if defined(__clang__)
#define NG_BENCH_CC "clang"
#elif defined(__GNUC__)
#define NG_BENCH_CC "gcc"
#else
#define NG_BENCH_CC "cc"
#endif

/* The first "model name" of /proc/cpuinfo, or "unknown". */
static void cpu_model(char *buf, size_t cap) {
  char line[512], *p;
  FILE *f = fopen("/proc/cpuinfo", "r");

  snprintf(buf, cap, "unknown");
  if (f == NULL)
    return;
  while (fgets(line, sizeof line, f) != NULL)
    if (strncmp(line, "model name", 10) == 0 &&
        (p = strchr(line, ':')) != NULL) {
      p += strspn(p + 1, " ") + 1;
      p[strcspn(p, "\n")] = '\0';
      snprintf(buf, cap, "%s", p);
      break;
    }
  fclose(f);
}

/* "cjson 1.7.15, jansson 2.14, ...": one entry per library. */
static void peer_versions(FILE *f) {
  const char *(*last)(void) = NULL;
  size_t i;

  fprintf(f, "peers\t");
  for (i = 0; ng_json_peers[i].name != NULL; i++) {
    if (ng_json_peers[i].version == last)
      continue;
    last = ng_json_peers[i].version;
    fprintf(f, "%s%s %s", i ? ", " : "", ng_json_peers[i].name, last());
  }
  for (i = 0; ng_xml_peers[i].name != NULL; i++) {
    if (ng_xml_peers[i].version == last)
      continue;
    last = ng_xml_peers[i].version;
    fprintf(f, ", %s %s", ng_xml_peers[i].name, last());
  }
  fprintf(f, "\n");
}

/* Where the benchmark files come from (as ng_bench_load reads them). */
static void data_source(FILE *f) {
  const char *dir = getenv("NG_BENCH_DATA");
  size_t len;
  char *p = ng_bench_load("json/twitter.json", &len);

  fprintf(f, "data\t%s (%s)\n", dir ? dir : "../shared/bench-data",
          p ? "found" : "not found: suites parse generated documents");
  free(p);
}

void ng_bench_meta(const char *dir, int argc, char **argv, int first) {
  char path[1024], cpu[256], date[64];
  struct utsname u;
  time_t now = time(NULL);
  FILE *f;
  int i;

  snprintf(path, sizeof path, "%s/meta.tsv", dir);
  if ((f = fopen(path, "w")) == NULL)
    return;
  strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&now));
  cpu_model(cpu, sizeof cpu);
  fprintf(f, "date\t%s\ncpu\t%s\ncpus\t%ld online\nmemory\t%.1f GiB\n", date,
          cpu, sysconf(_SC_NPROCESSORS_ONLN),
          (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE) /
              (1024.0 * 1024 * 1024));
  if (uname(&u) == 0)
    fprintf(f, "kernel\t%s %s %s\n", u.sysname, u.release, u.machine);
  fprintf(f, "nestguard\t%s\ncompiler\t%s %s, -O2 -DNDEBUG\n",
          ng_version_string(), NG_BENCH_CC, __VERSION__);
  peer_versions(f);
  data_source(f);
  fprintf(f, "method\t%u repetitions%s, interleaved, median\n", ng_bench_reps(),
          ng_bench_quick() ? " (NG_BENCH_QUICK: quick mode)" : "");
  fprintf(f, "suites\t");
  for (i = first; i < argc; i++)
    fprintf(f, "%s%s", i > first ? " " : "", argv[i]);
  fprintf(f, "%s\n", first >= argc ? "all" : "");
  fclose(f);
}
