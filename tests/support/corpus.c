/*
 * tests/support/corpus.c - see corpus.h.
 */
#include "corpus.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmp_name(const void *a, const void *b) {
  return strcmp(((const ng_corpus_file *)a)->name,
                ((const ng_corpus_file *)b)->name);
}

static int read_whole(const char *path, char **data, size_t *len) {
  FILE *f = fopen(path, "rb");
  struct stat st;
  char *buf;

  if (f == NULL)
    return -1;
  if (fstat(fileno(f), &st) != 0 ||
      (buf = malloc((size_t)st.st_size + 1)) == NULL) {
    fclose(f);
    return -1;
  }
  if (fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
    free(buf);
    fclose(f);
    return -1;
  }
  fclose(f);
  buf[st.st_size] = '\0';
  *data = buf;
  *len = (size_t)st.st_size;
  return 0;
}

static int add_file(ng_corpus *c, size_t *cap, const char *dir,
                    const char *name) {
  char path[1024];
  struct stat st;
  ng_corpus_file *f;

  snprintf(path, sizeof path, "%s/%s", dir, name);
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
    return 0;
  if (c->n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 64;
    ng_corpus_file *nf = realloc(c->files, ncap * sizeof *nf);
    if (nf == NULL)
      return -1;
    c->files = nf;
    *cap = ncap;
  }
  f = &c->files[c->n];
  snprintf(f->name, sizeof f->name, "%s", name);
  if (read_whole(path, &f->data, &f->len) != 0)
    return -1;
  c->n++;
  return 0;
}

int ng_corpus_load(ng_corpus *c, const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  size_t cap = 0;

  c->files = NULL;
  c->n = 0;
  if (d == NULL)
    return -1;
  while ((e = readdir(d)) != NULL) {
    /* Dot files, a folder's README and its expected.tsv (corpus/xml: the
     * expected code of each case) describe the corpus, not inputs. */
    if (e->d_name[0] == '.' || strncmp(e->d_name, "README", 6) == 0 ||
        strcmp(e->d_name, "expected.tsv") == 0)
      continue;
    if (add_file(c, &cap, dir, e->d_name) != 0) {
      closedir(d);
      ng_corpus_free(c);
      return -1;
    }
  }
  closedir(d);
  if (c->n > 1)
    qsort(c->files, c->n, sizeof *c->files, cmp_name);
  return 0;
}

void ng_corpus_free(ng_corpus *c) {
  size_t i;
  for (i = 0; i < c->n; i++)
    free(c->files[i].data);
  free(c->files);
  c->files = NULL;
  c->n = 0;
}
