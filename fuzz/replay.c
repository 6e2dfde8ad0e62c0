/*
 * fuzz/replay.c - run a harness over files, without any fuzzer.
 *
 *   <target> FILE|DIR...     (the replay and coverage builds)
 *
 * Each file (directories are walked one level, sorted) is read into a heap
 * block of exactly its size and passed to LLVMFuzzerTestOneInput once. A
 * violated oracle abort()s, like under the fuzzer, so the exit status and
 * the sanitizer report say which file failed: the name is printed before
 * each run when NG_FUZZ_VERBOSE is set, and always on stderr when a file
 * cannot be read. fuzz/run uses this for triage and fuzz-cov for coverage.
 * With NG_FUZZ_CONTINUE set (or in a build with NG_FUZZ_NO_ABORT) a
 * violated oracle is counted and the run goes on: "replay: FAILED <file>"
 * names each failing file. Exit status: 0 all ran, 1 a file could not be
 * read or an oracle failed, 2 usage.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

int ng_fuzz_replay_main(int argc, char **argv);

static int read_file(const char *path, uint8_t **out, size_t *len) {
  FILE *f = fopen(path, "rb");
  uint8_t *p = NULL, *q;
  size_t n = 0, cap = 0, got;

  if (f == NULL)
    return -1;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 4096;
      q = realloc(p, cap);
      if (q == NULL)
        break;
      p = q;
    }
    got = fread(p + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
  }
  fclose(f);
  /* Exactly-sized copy, so reads past the end are caught by ASan. */
  q = malloc(n ? n : 1);
  if (q != NULL && n > 0)
    memcpy(q, p, n);
  free(p);
  if (q == NULL)
    return -1;
  *out = q;
  *len = n;
  return 0;
}

static int run_file(const char *path) {
  uint8_t *data;
  size_t len;

  if (read_file(path, &data, &len) != 0) {
    fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
    return 1;
  }
  unsigned long before = ng_fuzz_failures;

  if (getenv("NG_FUZZ_VERBOSE") != NULL)
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
  LLVMFuzzerTestOneInput(data, len);
  free(data);
  if (ng_fuzz_failures != before)
    fprintf(stderr, "replay: FAILED %s\n", path);
  return 0;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char **names = NULL, **q, path[4096];
  size_t n = 0, cap = 0, i;
  struct stat st;
  int rc = 0;

  if (d == NULL)
    return run_file(dir);
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      q = realloc(names, cap * sizeof *names);
      if (q == NULL)
        break;
      names = q;
    }
    names[n] = strdup(e->d_name);
    if (names[n] != NULL)
      n++;
  }
  closedir(d);
  if (n > 0)
    qsort(names, n, sizeof *names, by_name);
  for (i = 0; i < n; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
      rc |= run_file(path);
    free(names[i]);
  }
  free(names);
  return rc;
}

int ng_fuzz_replay_main(int argc, char **argv) {
  int i, rc = 0;

  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
    return 2;
  }
  for (i = 1; i < argc; i++)
    rc |= run_dir(argv[i]);
  /* Failures return only with NG_FUZZ_NO_ABORT or NG_FUZZ_CONTINUE. */
  if (ng_fuzz_failures != 0) {
    fprintf(stderr, "replay: %lu oracle failures\n", ng_fuzz_failures);
    rc |= 1;
  }
  return rc;
}

#ifndef NG_FUZZ_REPLAY_NO_MAIN
int main(int argc, char **argv) { return ng_fuzz_replay_main(argc, argv); }
#endif
