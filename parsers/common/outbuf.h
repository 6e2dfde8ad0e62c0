/*
 * parsers/common/outbuf.h - the output buffer behind the writers
 * (ng_json_write*, ng_xml_write*). Internal.
 *
 * Two modes with one set of calls: heap mode grows a buffer through an
 * ng_alloc (NULL: libc) and hands it over NUL-terminated at the end
 * (ng__out_take); stream mode fills a caller's (stack) buffer and passes
 * it to a sink whenever it is full, and passes long runs straight
 * through. A nonzero sink return becomes NG_ECANCELED; a failed growth
 * NG_ENOMEM. All but the growth is static inline, so each writer keeps
 * its fast paths in its own translation unit.
 */
#ifndef NG_PARSERS_COMMON_OUTBUF_H
#define NG_PARSERS_COMMON_OUTBUF_H

#include <stddef.h>
#include <string.h>

#include "internal.h"

typedef struct ng__out {
  char *buf;           /* output buffer */
  size_t len;          /* bytes used in buf */
  size_t cap;          /* bytes in buf */
  const ng_alloc *alc; /* heap mode: buf's allocator */
  int (*sink)(void *ud, const char *data, size_t len); /* stream mode */
  void *ud;                                            /* passed to sink */
} ng__out;

/* Heap mode with a first buffer of `first` bytes. NG_OK or NG_ENOMEM. */
static inline int ng__out_heap(ng__out *w, const ng_alloc *alc, size_t first) {
  memset(w, 0, sizeof *w);
  w->alc = alc;
  w->buf = ng__malloc(alc, first);
  if (w->buf == NULL)
    return NG_ENOMEM;
  w->cap = first;
  return NG_OK;
}

/* Stream mode over buf[0..cap), flushed to sink(ud, ...). */
static inline void ng__out_stream(ng__out *w, char *buf, size_t cap,
                                  int (*sink)(void *, const char *, size_t),
                                  void *ud) {
  memset(w, 0, sizeof *w);
  w->buf = buf;
  w->cap = cap;
  w->sink = sink;
  w->ud = ud;
}

/* Stream mode: hands the buffered bytes to the sink. */
static inline int ng__out_flush(ng__out *w) {
  if (w->len != 0 && w->sink(w->ud, w->buf, w->len) != 0)
    return NG_ECANCELED;
  w->len = 0;
  return NG_OK;
}

/* Makes room for need more bytes: flushes in stream mode (need <= cap),
 * grows the buffer at least twofold in heap mode. Out of line (outbuf.c):
 * the rare path. NG_OK, NG_ECANCELED or NG_ENOMEM. */
int ng__out_room(ng__out *w, size_t need);

/* Guarantees n free bytes at buf + len (n <= the stream buffer). */
NG_INLINE int ng__out_reserve(ng__out *w, size_t n) {
  return w->cap - w->len >= n ? NG_OK : ng__out_room(w, n);
}

/* Appends p[0..n); p may be NULL when n is 0. */
static inline int ng__out_put(ng__out *w, const char *p, size_t n) {
  int rc;

  if (n == 0)
    return NG_OK;
  if (w->cap - w->len < n) {
    if (w->sink != NULL && n >= w->cap) { /* big: bypass the buffer */
      if ((rc = ng__out_flush(w)) != NG_OK)
        return rc;
      return w->sink(w->ud, p, n) != 0 ? NG_ECANCELED : NG_OK;
    }
    if ((rc = ng__out_room(w, n)) != NG_OK)
      return rc;
  }
  memcpy(w->buf + w->len, p, n);
  w->len += n;
  return NG_OK;
}

NG_INLINE int ng__out_byte(ng__out *w, char c) {
  int rc = ng__out_reserve(w, 1);

  if (rc == NG_OK)
    w->buf[w->len++] = c;
  return rc;
}

/*
 * Ends heap mode. After a write that returned rc == NG_OK: appends a NUL,
 * trims the block to exactly *len + 1 bytes (what the caller frees) and
 * stores it in *out, *len (len may be NULL). After a failure, or when that
 * fails, frees the buffer and returns the error (*out stays as it was).
 */
static inline int ng__out_take(ng__out *w, int rc, char **out, size_t *len) {
  char *p;

  if (rc == NG_OK && (rc = ng__out_byte(w, '\0')) == NG_OK) {
    p = w->cap == w->len ? w->buf : ng__realloc(w->alc, w->buf, w->cap, w->len);
    if (p != NULL) {
      *out = p;
      if (len != NULL)
        *len = w->len - 1;
      return NG_OK;
    }
    rc = NG_ENOMEM;
  }
  ng__free(w->alc, w->buf, w->cap);
  return rc;
}

#endif /* NG_PARSERS_COMMON_OUTBUF_H */
