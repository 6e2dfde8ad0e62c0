/*
 * tests/support/textbuf.c - see textbuf.h.
 */
#include "textbuf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

void tb_put(textbuf *t, const char *s, size_t n) {
  if (t->n + n + 1 > t->cap) {
    t->cap = (t->n + n + 1) * 2;
    t->p = realloc(t->p, t->cap);
    assert_non_null(t->p);
  }
  memcpy(t->p + t->n, s, n);
  t->n += n;
  t->p[t->n] = '\0';
}

void tb_puts(textbuf *t, const char *s) { tb_put(t, s, strlen(s)); }

textbuf tb_repeat(const char *unit, size_t n) {
  textbuf t = {NULL, 0, 0};
  size_t i;

  for (i = 0; i < n; i++)
    tb_puts(&t, unit);
  return t;
}

bool ng_test_same_error(const ng_error *a, const ng_error *b) {
  return a->code == b->code && a->offset == b->offset && a->line == b->line &&
         a->column == b->column && a->depth == b->depth &&
         strcmp(a->msg, b->msg) == 0;
}
