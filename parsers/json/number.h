/*
 * parsers/json/number.h - the fast core of decimal-to-double conversion,
 * inline so that the lexer's number scan converts without a call.
 *
 * ng__json_decimal_fast decides the common cases (zero, Clinger's exact
 * path, Eisel-Lemire) and declines everything else, which then goes to
 * ng__json_decimal (number.c): subnormals, undecided products, results
 * that would be infinite. Both give the same, correctly rounded, double.
 * Internal to parsers/json; number.c holds the rest of the conversion.
 */
#ifndef NG_PARSERS_JSON_NUMBER_H
#define NG_PARSERS_JSON_NUMBER_H

#include <stdint.h>
#include <string.h>

#include "pow5.h"

/* Exact powers of ten representable in a double. */
static const double ng__exact_pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* ------------------------------------------------------------ helpers */

static inline unsigned clz64(uint64_t x) {
#if defined(__GNUC__) || defined(__clang__)
  return (unsigned)__builtin_clzll(x);
#else
  unsigned n = 0;
  while (!(x & ((uint64_t)1 << 63))) {
    x <<= 1;
    n++;
  }
  return n;
#endif
}

/* Full 64x64 -> 128-bit product. */
static inline void mul128(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo) {
#if defined(__SIZEOF_INT128__)
  unsigned __int128 r = (unsigned __int128)a * b;
  *hi = (uint64_t)(r >> 64);
  *lo = (uint64_t)r;
#else
  uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
  uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
  uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
  *lo = (mid << 32) | (uint32_t)ll;
  *hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
#endif
}

static inline double bits_to_double(uint64_t bits) {
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

/*
 * Eisel-Lemire: the double nearest to w * 10^q for w != 0. Returns 1 and
 * stores the IEEE bits (sign clear), or 0 when the product cannot decide
 * the rounding or the result is subnormal: the caller then falls back.
 */
static inline int eisel_lemire(uint64_t w, long q, uint64_t *bits) {
  const uint64_t *t;
  uint64_t hi, lo, hi2, lo2, mant;
  unsigned lz, upper, shift;
  long p2;

  if (q < NG__POW5_MIN) { /* < 2^64 * 10^-343: rounds to zero */
    *bits = 0;
    return 1;
  }
  if (q > NG__POW5_MAX) { /* >= 10^309: infinite */
    *bits = (uint64_t)0x7FF << 52;
    return 1;
  }
  lz = clz64(w);
  w <<= lz;
  t = ng__pow5[q - NG__POW5_MIN];
  mul128(w, t[0], &hi, &lo);
  /* The low 9 bits of hi sit under the 54 we keep; only when they are all
   * ones can the product's lower half carry into the kept bits. */
  if ((hi & 0x1FF) == 0x1FF) {
    mul128(w, t[1], &hi2, &lo2);
    lo += hi2;
    if (lo < hi2)
      hi++;
    if ((hi & 0x1FF) == 0x1FF && lo == UINT64_MAX && (q < -27 || q > 55))
      return 0; /* the table's truncation could still carry: undecided */
  }
  upper = (unsigned)(hi >> 63);
  shift = upper + 9;
  mant = hi >> shift; /* 53 bits and a rounding bit */
  p2 = (long)ng__pow10_exp2[q - NG__POW5_MIN] + (long)upper - (long)lz + 1023;
  if (p2 <= 0)
    return 0; /* subnormal: leave it to strtod */
  /* A tie (round bit set, nothing below) rounds to even. Exact ties only
   * exist for -4 <= q <= 23; elsewhere a tie-looking product is undecided. */
  if (lo <= 1 && (mant & 3) == 1 && (mant << shift) == hi) {
    if (q < -4 || q > 23)
      return 0;
    mant &= ~(uint64_t)1;
  }
  mant += mant & 1;
  mant >>= 1;
  if (mant >= (uint64_t)1 << 53) {
    mant = (uint64_t)1 << 52;
    p2++;
  }
  mant &= ~((uint64_t)1 << 52);
  if (p2 >= 0x7FF) {
    *bits = (uint64_t)0x7FF << 52;
    return 1;
  }
  *bits = mant | (uint64_t)p2 << 52;
  return 1;
}

/*
 * Eisel-Lemire alone, for w != 0: the double nearest to w * 10^q in *d,
 * returning 1; or 0 (leaving *d) when it cannot decide, or the result is
 * infinite. For callers that know w is too long for the exact path.
 */
static inline int ng__json_decimal_lemire(uint64_t w, long q, double *d) {
  uint64_t bits;

  if (!eisel_lemire(w, q, &bits) || bits >= (uint64_t)0x7FF << 52)
    return 0;
  *d = bits_to_double(bits);
  return 1;
}

/*
 * The double nearest to w * 10^q (w != 0 or not: 0 gives 0.0), in *d, when
 * a fast path decides it: returns 1. Returns 0 (and leaves *d) for what
 * only the careful path can settle, including results that round to
 * infinity, so that the caller's fallback reports them.
 */
static inline int ng__json_decimal_fast(uint64_t w, long q, double *d) {
  if (w <= (uint64_t)1 << 53 && q >= -22 && q <= 22) {
    double x = (double)w;
    *d = q < 0 ? x / ng__exact_pow10[-q] : x * ng__exact_pow10[q];
    return 1;
  }
  return w != 0 && ng__json_decimal_lemire(w, q, d);
}

#endif /* NG_PARSERS_JSON_NUMBER_H */
