/*
 * parsers/common/lemon.c - lempar's stack memory (lemon.h).
 */
#include "lemon.h"

#include <limits.h>

#include "internal.h"

void ng__lemon_stack_init(ng__lemon_stack *s, const ng_alloc *alc,
                          size_t entry_size) {
  s->alc = alc;
  s->bytes = 0;
  /* lempar counts entries in an int and grows to 2n + 100. */
  s->max = (size_t)((INT_MAX - 100) / 2) * entry_size;
  s->first = 0;
  s->oom = 0;
}

void *ng__lemon_stack_resize(ng__lemon_stack *s, void *q, size_t n) {
  void *r;

  if (q == NULL && s->first != 0)
    n = s->first;
  if (n > s->max) {
    s->oom = 1;
    return NULL;
  }
  r = q == NULL ? ng__malloc(s->alc, n) : ng__realloc(s->alc, q, s->bytes, n);
  if (r == NULL) {
    s->oom = 1;
    return NULL;
  }
  s->bytes = n;
  return r;
}

void ng__lemon_stack_free(ng__lemon_stack *s, void *q) {
  ng__free(s->alc, q, s->bytes);
  s->bytes = 0;
}
