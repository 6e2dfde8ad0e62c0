/*
 * tests/support/textbuf.h - a growable, NUL-terminated text buffer for
 * tests that generate input, and the field-by-field error comparison the
 * differential tests share.
 */
#ifndef NG_TEST_TEXTBUF_H
#define NG_TEST_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>

#include "nestguard/error.h"

typedef struct textbuf {
  char *p; /* p[0..n) then a NUL; NULL while empty; free() it */
  size_t n, cap;
} textbuf;

/* Appends s[0..n); fails the running cmocka test when memory runs out. */
void tb_put(textbuf *t, const char *s, size_t n);

/* Appends the NUL-terminated s. */
void tb_puts(textbuf *t, const char *s);

/* A new buffer holding n copies of unit. */
textbuf tb_repeat(const char *unit, size_t n);

/* The same outcome: code, offset, line, column, depth and message. */
bool ng_test_same_error(const ng_error *a, const ng_error *b);

#endif /* NG_TEST_TEXTBUF_H */
