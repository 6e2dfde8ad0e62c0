/*
 * parsers/common/lines.c - counting line ends (lines.h).
 *
 * The SSE2 loops take 64 bytes a step and keep per-byte counters in a
 * vector (a compare gives -1 per matching byte, subtracted from the
 * counters), folded into the total every 63 steps, before a byte counter
 * could wrap. XML's count takes the LF loop when the run has no CR.
 */
#include "lines.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>

/* 64-byte steps before the byte counters are folded: each step adds at
 * most 4 to a counter. */
#define LINES_FOLD 63

/* The sum of the 16 byte counters in acc. */
static size_t fold(__m128i acc) {
  __m128i s = _mm_sad_epu8(acc, _mm_setzero_si128());
  return (size_t)_mm_cvtsi128_si32(s) +
         (size_t)_mm_cvtsi128_si32(_mm_srli_si128(s, 8));
}

static __m128i load16(const char *s) {
  return _mm_loadu_si128((const __m128i *)(const void *)s);
}

/* -1 in each byte of s[0..16) that is c. */
static __m128i is16(const char *s, __m128i c) {
  return _mm_cmpeq_epi8(load16(s), c);
}

/* -1 in each byte of s[0..16) that ends an XML line (s[-1] readable). */
static __m128i xml_ends16(const char *s) {
  const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  return _mm_or_si128(is16(s, cr),
                      _mm_andnot_si128(is16(s - 1, cr), is16(s, lf)));
}
#endif

size_t ng__lines_lf(const char *s, size_t n) {
  size_t i = 0, k = 0;
#if defined(__SSE2__)
  const __m128i lf = _mm_set1_epi8('\n');
  size_t steps;
  __m128i acc;

  while (n - i >= 64) {
    acc = _mm_setzero_si128();
    for (steps = 0; steps < LINES_FOLD && n - i >= 64; steps++, i += 64) {
      acc = _mm_sub_epi8(acc, is16(s + i, lf));
      acc = _mm_sub_epi8(acc, is16(s + i + 16, lf));
      acc = _mm_sub_epi8(acc, is16(s + i + 32, lf));
      acc = _mm_sub_epi8(acc, is16(s + i + 48, lf));
    }
    k += fold(acc);
  }
  acc = _mm_setzero_si128();
  for (; n - i >= 16; i += 16)
    acc = _mm_sub_epi8(acc, is16(s + i, lf));
  k += fold(acc);
#endif
  for (; i < n; i++)
    k += s[i] == '\n';
  return k;
}

size_t ng__lines_last(const char *s, size_t n, int crlf) {
#if defined(__SSE2__)
  const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  __m128i e;
  unsigned m;

  for (; n >= 16; n -= 16) {
    e = is16(s + n - 16, lf);
    if (crlf)
      e = _mm_or_si128(e, is16(s + n - 16, cr));
    m = (unsigned)_mm_movemask_epi8(e);
    if (m != 0)
      return n - 16 + 32 - (size_t)__builtin_clz(m);
  }
#endif
  for (; n > 0; n--)
    if (s[n - 1] == '\n' || (crlf && s[n - 1] == '\r'))
      return n;
  return 0;
}

/* XML's line end at s[i], given whether s[i - 1] is a CR. */
static size_t xml_end(char c, int after_cr) {
  return c == '\r' || (c == '\n' && !after_cr);
}

size_t ng__lines_xml(const char *s, size_t n, int cr_before) {
  size_t i = 0, k = 0;

  if (n == 0)
    return 0;
  if (memchr(s, '\r', n) == NULL) /* the common case: LF lines only */
    return ng__lines_lf(s, n) - (cr_before && s[0] == '\n');
#if defined(__SSE2__)
  __m128i acc;
  size_t steps;

  if (n > 64) { /* the first byte alone: its predecessor is cr_before */
    k = xml_end(s[0], cr_before);
    i = 1;
    while (n - i >= 64) {
      acc = _mm_setzero_si128();
      for (steps = 0; steps < LINES_FOLD && n - i >= 64; steps++, i += 64) {
        acc = _mm_sub_epi8(acc, xml_ends16(s + i));
        acc = _mm_sub_epi8(acc, xml_ends16(s + i + 16));
        acc = _mm_sub_epi8(acc, xml_ends16(s + i + 32));
        acc = _mm_sub_epi8(acc, xml_ends16(s + i + 48));
      }
      k += fold(acc);
    }
    acc = _mm_setzero_si128();
    for (; n - i >= 16; i += 16)
      acc = _mm_sub_epi8(acc, xml_ends16(s + i));
    k += fold(acc);
  }
#endif
  for (; i < n; i++)
    k += xml_end(s[i], i == 0 ? cr_before : s[i - 1] == '\r');
  return k;
}
