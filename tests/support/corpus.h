/*
 * tests/support/corpus.h - load every file of a corpus folder.
 *
 * Used by the corpus replays, the differential tests and the regression
 * replays: files are read whole, sorted by name so runs are reproducible,
 * and held with their lengths (they may contain NUL bytes).
 */
#ifndef NG_TEST_CORPUS_H
#define NG_TEST_CORPUS_H

#include <stddef.h>

typedef struct ng_corpus_file {
  char name[256]; /* file name without the folder */
  char *data;     /* contents (malloc'd, NUL added after len) */
  size_t len;     /* bytes */
} ng_corpus_file;

typedef struct ng_corpus {
  ng_corpus_file *files;
  size_t n;
} ng_corpus;

/* Loads regular files of dir (not recursive; dot files, README* and
 * expected.tsv are skipped). Returns 0,
 * or -1 if dir cannot be read. */
int ng_corpus_load(ng_corpus *c, const char *dir);

void ng_corpus_free(ng_corpus *c);

#endif /* NG_TEST_CORPUS_H */
