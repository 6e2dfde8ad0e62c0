/*
 * parsers/common/lines.c - counting line ends (lines.h).
 *
 * The vector loop keeps per-byte counters (a compare gives 0xFF per line
 * end, subtracted from the counters), summed by ng__v16_sum every 254
 * steps, before a counter could wrap; the last 16 bytes are read again
 * with the bytes already counted masked off, so a run costs no
 * byte-at-a-time tail. XML's step reads the bytes one back beside each
 * step's, whose CRs cancel the LFs after them; its first byte is counted
 * alone (the one before it is cr_before). The last line end is looked for
 * only when there is one, from the end: in a run of text with lines it is
 * in the last step or two (a test per step in the count's loop cost more).
 */
#include "lines.h"

#include "vec.h"

/* A byte at a time: what the vector loop computes (and does for runs too
 * short for one step). */
static size_t count_bytes(const unsigned char *s, size_t n, int crlf, int cr,
                          size_t *after) {
  size_t i, k = 0;

  *after = 0;
  for (i = 0; i < n; i++) {
    if (s[i] == '\n' || (crlf && s[i] == '\r')) {
      k += !(crlf && cr && s[i] == '\n');
      *after = i + 1;
    }
    cr = s[i] == '\r';
  }
  return k;
}

#ifdef NG__VECTORS
/* Steps between sums: each adds at most 1 to a counter, and the tail one
 * more. */
#define LINES_FOLD 254

/* 16 - r zero bytes then r 0xFF bytes from tail_mask + r (0 < r < 16). */
static const unsigned char tail_mask[32] = {
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

/* The line ends of the 16 bytes at s (crlf: s[-1] readable), 0xFF each. */
static inline ng__v16 ends16(const unsigned char *s, int crlf) {
  ng__v16 v;

  memcpy(&v, s, 16);
  if (!crlf)
    return (ng__v16)(v == '\n');
  return (ng__v16)((v == '\r') | (v == '\n'));
}

/* The LFs of the 16 bytes at s that follow a CR (s[-1] readable). */
static inline ng__v16 crlf16(const unsigned char *s) {
  ng__v16 v, u;

  memcpy(&v, s, 16);
  memcpy(&u, s - 1, 16);
  return (ng__v16)((v == '\n') & (u == '\r'));
}

/* The count over s[i..n), n - i >= 16 (crlf: i >= 1). */
static inline size_t count_vec(const unsigned char *s, size_t i, size_t n,
                               int crlf) {
  ng__v16 acc, e, m;
  size_t k = 0, b;

  for (;;) {
    acc = (ng__v16){0};
    for (b = 0; b < LINES_FOLD && n - i >= 16; b++, i += 16) {
      e = ends16(s + i, crlf);
      acc -= crlf ? e & ~crlf16(s + i) : e;
    }
    if (n - i < 16)
      break;
    k += ng__v16_sum(acc);
  }
  if (i < n) { /* the last 16 bytes, those counted already masked off */
    memcpy(&m, tail_mask + (n - i), 16);
    e = ends16(s + n - 16, crlf) & m;
    acc -= crlf ? e & ~crlf16(s + n - 16) : e;
  }
  return k + ng__v16_sum(acc);
}

/* 1 + the offset of the last line end in s[0..n), n >= 16, which holds
 * one: from the end, where it mostly is. */
static size_t last_vec(const unsigned char *s, size_t n, int crlf) {
  ng__v16 e;
  size_t j = n - 16;

  for (;;) {
    e = ends16(s + j, crlf);
    if (ng__v16_any(e))
      return j + ng__v16_last(e) + 1;
    j = j >= 16 ? j - 16 : 0; /* the first 16 bytes last, overlapping */
  }
}

size_t ng__lines_count(const char *str, size_t n, int crlf, int cr_before,
                       size_t *after) {
  const unsigned char *s = (const unsigned char *)str;
  size_t k;

  if (n < 17)
    return count_bytes(s, n, crlf, cr_before, after);
  if (crlf)
    k = count_bytes(s, 1, 1, cr_before, after) + count_vec(s, 1, n, 1);
  else
    k = count_vec(s, 0, n, 0);
  /* No count: no line end, or (XML) only an LF first after a CR. */
  if (k == 0)
    *after = crlf && cr_before && s[0] == '\n';
  else
    *after = last_vec(s, n, crlf);
  return k;
}
#else
size_t ng__lines_count(const char *s, size_t n, int crlf, int cr_before,
                       size_t *after) {
  return count_bytes((const unsigned char *)s, n, crlf, cr_before, after);
}
#endif
