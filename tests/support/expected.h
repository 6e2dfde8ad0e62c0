/*
 * tests/support/expected.h - a corpus's expected.tsv: what each file must
 * give.
 *
 * The file has a header line ("file\texpect\tcode\trule") and one row per
 * corpus file: its name, its verdict (y accept, n reject, i either) and,
 * for n, the error code's name without NG_ ("ESYNTAX"); "-" otherwise.
 * The rule column is for readers and not loaded.
 */
#ifndef NG_TEST_EXPECTED_H
#define NG_TEST_EXPECTED_H

#include <stddef.h>

typedef struct ng_expected_row {
  char file[256]; /* corpus file name, without the folder */
  char expect;    /* 'y', 'n' or 'i' */
  char code[32];  /* "-" or the code's name without NG_ */
} ng_expected_row;

typedef struct ng_expected {
  ng_expected_row *rows; /* in file order */
  size_t n;              /* rows loaded */
} ng_expected;

/* Loads path; returns 0, or -1 when it cannot be read or memory runs out
 * (nothing to free then). */
int ng_expected_load(ng_expected *e, const char *path);

/* The row for file, or NULL. O(rows). */
const ng_expected_row *ng_expected_find(const ng_expected *e,
                                        const char *file);

void ng_expected_free(ng_expected *e);

#endif /* NG_TEST_EXPECTED_H */
