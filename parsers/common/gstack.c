/*
 * parsers/common/gstack.c - growth of the explicit stack (see gstack.h).
 *
 * Like lempar.c's yyGrowStack: the first growth copies the inline buffer
 * to the heap, later ones realloc; capacity doubles (at least 256 bytes),
 * so n pushes cost O(log n) allocator calls.
 */
#include <string.h>

#include "gstack.h"

int ng__gstack_grow(ng__gstack *s, size_t need) {
  size_t cap, want;
  unsigned char *nb;

  if (ng__size_add(s->top, need, &want) != NG_OK)
    return NG_ENOMEM;
  cap = s->cap < 128 ? 256 : s->cap;
  while (cap < want) {
    if (cap > SIZE_MAX / 2)
      return NG_ENOMEM;
    cap *= 2;
  }
  if (s->base == s->inl || s->base == NULL) {
    nb = ng__malloc(s->alc, cap);
    if (nb == NULL)
      return NG_ENOMEM;
    if (s->top != 0)
      memcpy(nb, s->base, s->top);
  } else {
    nb = ng__realloc(s->alc, s->base, s->cap, cap);
    if (nb == NULL)
      return NG_ENOMEM;
  }
  s->base = nb;
  s->cap = cap;
  return NG_OK;
}

void ng__gstack_free(ng__gstack *s) {
  if (s->base != NULL && s->base != s->inl)
    ng__free(s->alc, s->base, s->cap);
  s->base = NULL;
  s->top = 0;
  s->cap = 0;
}
