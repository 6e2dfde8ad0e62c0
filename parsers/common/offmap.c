/*
 * parsers/common/offmap.c - offsets in decoded text back to the input (see
 * offmap.h).
 *
 * Checkpoints grow geometrically through the map's allocator; a lookup
 * binary-searches them and walks at most to the next one.
 */
#include "offmap.h"

#include <string.h>

#include "lines.h"

void ng__offmap_init(ng__offmap *m, const ng_alloc *alc, size_t shift,
                     ng__offmap_step step) {
  m->cp = NULL;
  m->n = 0;
  m->cap = 0;
  m->every = NG__OFFMAP_EVERY;
  m->due = m->every;
  m->shift = shift;
  m->step = step;
  m->alc = alc;
}

static int offmap_grow(ng__offmap *m) {
  size_t cap = m->cap == 0 ? 16 : m->cap, bytes;
  ng__offmap_cp *cp;

  if (m->cap != 0 && ng__size_mul(cap, 2, &cap) != NG_OK)
    return NG_ENOMEM;
  if (ng__size_mul(cap, sizeof *cp, &bytes) != NG_OK)
    return NG_ENOMEM;
  cp = ng__realloc(m->alc, m->cp, m->cap * sizeof *cp, bytes);
  if (cp == NULL)
    return NG_ENOMEM;
  m->cp = cp;
  m->cap = cap;
  return NG_OK;
}

int ng__offmap_add(ng__offmap *m, size_t dec, size_t orig, size_t unit) {
  ng__offmap_cp *c;

  if (m->n > 0 && m->cp[m->n - 1].dec == dec) {
    c = &m->cp[m->n - 1];
  } else {
    if (m->n == m->cap && offmap_grow(m) != NG_OK)
      return NG_ENOMEM;
    c = &m->cp[m->n++];
  }
  c->dec = dec;
  c->orig = orig;
  c->unit = unit;
  m->due = dec > SIZE_MAX - m->every ? SIZE_MAX : dec + m->every;
  return NG_OK;
}

void ng__offmap_free(ng__offmap *m) {
  if (m->cp != NULL)
    ng__free(m->alc, m->cp, m->cap * sizeof *m->cp);
  m->cp = NULL;
  m->n = 0;
  m->cap = 0;
  m->due = m->every;
}

/* The last checkpoint at or before off, or NULL when there is none. */
static const ng__offmap_cp *offmap_find(const ng__offmap *m, size_t off) {
  size_t lo = 0, hi = m->n, mid;

  while (lo < hi) {
    mid = lo + (hi - lo) / 2;
    if (m->cp[mid].dec <= off)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo == 0 ? NULL : &m->cp[lo - 1];
}

void ng__offmap_at(const ng__offmap *m, const unsigned char *dec, size_t off,
                   ng__offmap_cp *cp) {
  const ng__offmap_cp *c = offmap_find(m, off);
  size_t pos = 0, o, d;

  cp->orig = m->shift;
  cp->unit = 0;
  if (c != NULL) {
    pos = c->dec;
    cp->orig = c->orig;
    cp->unit = c->unit;
  }
  cp->dec = off;
  if (m->step == NULL) {
    cp->orig += off - pos;
    return;
  }
  while (pos < off) {
    m->step(dec + pos, cp->unit, &o, &d);
    if (d == 0) /* a broken step function must not loop forever */
      d = 1;
    if (d > off - pos)
      break;
    pos += d;
    cp->orig += o;
  }
}

size_t ng__offmap_orig(const ng__offmap *m, const unsigned char *dec,
                       size_t off) {
  ng__offmap_cp cp;

  if (m == NULL)
    return off;
  ng__offmap_at(m, dec, off, &cp);
  return cp.orig;
}

void ng__offmap_rebase(ng__offmap *m, const ng__offmap_cp *cp) {
  size_t k = 0, i;

  while (k < m->n && m->cp[k].dec <= cp->dec)
    k++;
  m->n -= k;
  memmove(m->cp + 1, m->cp + k, m->n * sizeof *m->cp);
  m->n++;
  for (i = 1; i < m->n; i++)
    m->cp[i].dec -= cp->dec;
  m->cp[0] = *cp;
  m->cp[0].dec = 0;
  m->shift = cp->orig;
}

int ng__offmap_append(ng__offmap *m, const ng__offmap *src, size_t at) {
  size_t i;

  for (i = 0; i < src->n; i++)
    if (ng__offmap_add(m, at + src->cp[i].dec, src->cp[i].orig,
                       src->cp[i].unit) != NG_OK)
      return NG_ENOMEM;
  return NG_OK;
}

void ng__offmap_linecol(const ng__offmap *m, const unsigned char *dec,
                        size_t off, size_t *line, size_t *col) {
  /* XML's line ends (CR, LF, CR LF) 64 bytes a step: an error record
   * counts them from the start of the input at every failed parse. */
  size_t start;

  *line = 1 + ng__lines_count((const char *)dec, off, 1, 0, &start);
  *col = 1 + ng__offmap_orig(m, dec, off) - ng__offmap_orig(m, dec, start);
}

int ng__offmap_error(ng_error *err, int code, const ng__offmap *m,
                     const unsigned char *dec, size_t off, size_t depth,
                     const char *msg) {
  if (err == NULL)
    return code;
  /* Code, depth and message the usual way; then the mapped position. */
  ng__error_at(err, code, NULL, 0, 0, depth, msg);
  err->offset = ng__offmap_orig(m, dec, off);
  ng__offmap_linecol(m, dec, off, &err->line, &err->column);
  return code;
}
