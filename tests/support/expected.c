/*
 * tests/support/expected.c - loads a corpus's expected.tsv (expected.h).
 */
#include "expected.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends a parsed row; 0 or -1 on out of memory. */
static int add_row(ng_expected *e, size_t *cap, const ng_expected_row *r) {
  ng_expected_row *nr;

  if (e->n == *cap) {
    *cap = *cap ? *cap * 2 : 512;
    nr = realloc(e->rows, *cap * sizeof *nr);
    if (nr == NULL)
      return -1;
    e->rows = nr;
  }
  e->rows[e->n++] = *r;
  return 0;
}

int ng_expected_load(ng_expected *e, const char *path) {
  FILE *f = fopen(path, "r");
  char line[1024];
  ng_expected_row r;
  size_t cap = 0;

  e->rows = NULL;
  e->n = 0;
  if (f == NULL)
    return -1;
  while (fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, "file\t", 5) == 0)
      continue;
    if (sscanf(line, "%255[^\t]\t%c\t%31[^\t\n]", r.file, &r.expect,
               r.code) != 3)
      continue;
    if (add_row(e, &cap, &r) != 0) {
      fclose(f);
      ng_expected_free(e);
      return -1;
    }
  }
  fclose(f);
  return 0;
}

const ng_expected_row *ng_expected_find(const ng_expected *e,
                                        const char *file) {
  size_t i;

  for (i = 0; i < e->n; i++)
    if (strcmp(e->rows[i].file, file) == 0)
      return &e->rows[i];
  return NULL;
}

void ng_expected_free(ng_expected *e) {
  free(e->rows);
  e->rows = NULL;
  e->n = 0;
}
