/*
 * tests/support/membuf.c - see membuf.h.
 */
#include "membuf.h"

#include <stdlib.h>
#include <string.h>

int mem_sink(void *ud, const char *data, size_t len) {
  membuf *m = ud;

  m->calls++;
  if (m->stop_after != 0 && m->calls >= m->stop_after)
    return 1;
  if (m->len + len > m->cap) {
    size_t cap = (m->len + len) * 2;
    char *p = realloc(m->p, cap);

    if (p == NULL)
      return 1;
    m->p = p;
    m->cap = cap;
  }
  memcpy(m->p + m->len, data, len);
  m->len += len;
  return 0;
}
