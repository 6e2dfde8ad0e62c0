/*
 * tests/support/tmpdir.c - see tmpdir.h.
 */
#include "tmpdir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[] = "/tmp/ng_test_XXXXXX";

int ng_tmpdir_setup(void **state) {
  (void)state;
  memcpy(dir + sizeof dir - 7, "XXXXXX", 6);
  return mkdtemp(dir) == NULL ? -1 : 0;
}

int ng_tmpdir_teardown(void **state) {
  char cmd[128];

  (void)state;
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

const char *ng_tmpdir(void) { return dir; }

const char *ng_tmpdir_write(const char *name, const void *data, size_t n) {
  static char path[16][256];
  static unsigned which;
  char *p = path[which++ % 16];
  FILE *f;
  int ok;

  snprintf(p, sizeof path[0], "%s/%s", dir, name);
  if ((f = fopen(p, "wb")) == NULL)
    return NULL;
  ok = fwrite(data, 1, n, f) == n;
  return fclose(f) == 0 && ok ? p : NULL;
}
