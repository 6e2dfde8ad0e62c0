/*
 * parsers/common/outbuf.c - the out-of-line part of the writers' output
 * buffer (outbuf.h): growing it, or flushing it to the sink.
 */
#include "outbuf.h"

NG_NOINLINE int ng__out_room(ng__out *w, size_t need) {
  size_t cap;
  char *p;

  if (w->sink != NULL)
    return ng__out_flush(w);
  if (ng__size_add(w->len, need, &cap) != NG_OK)
    return NG_ENOMEM;
  if (cap < w->cap * 2 && w->cap <= SIZE_MAX / 2)
    cap = w->cap * 2;
  p = ng__realloc(w->alc, w->buf, w->cap, cap);
  if (p == NULL)
    return NG_ENOMEM;
  w->buf = p;
  w->cap = cap;
  return NG_OK;
}
