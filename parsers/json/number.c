/*
 * parsers/json/number.c - JSON number text to INT / UINT / DOUBLE.
 *
 * Integers are exact: int64 if they fit, else uint64, else (beyond uint64)
 * the nearest double or NG_EBIGNUM under NG_JSON_BIGINT_REJECT. Anything
 * with a fraction or an exponent, and "-0", is a double, correctly rounded
 * (round half to even), through three paths:
 *   1. Clinger's fast path: <= 2^53 significand, |exponent| <= 22, where
 *      one IEEE multiplication or division is exact;
 *   2. Eisel-Lemire: a 64x128-bit product with a table of powers of five
 *      (pow5.h), correct whenever it answers; it declines the rare cases it
 *      cannot decide, and subnormals;
 *   3. strtod() on a bounded local copy written as "DIGITSe[-]EXP" (no
 *      radix character, so the C locale's decimal point does not matter),
 *      with digits past the 780th folded into a sticky nonzero digit, which
 *      keeps the rounding exact.
 * A double that would round to infinity is NG_EBIGNUM: JSON cannot write it
 * back. Underflow to zero or a subnormal is accepted.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "pow5.h"

/* Significant digits that fit a uint64 without overflow. */
#define NG__MAX_FAST_DIGITS 19
/* Digits strtod gets before the sticky digit (> 767, the most a double's
 * rounding can depend on). */
#define NG__SLOW_DIGITS 780

/* Exact powers of ten representable in a double. */
static const double ng__exact_pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* ------------------------------------------------------------ helpers */

static inline int is_digit(unsigned char c) {
  return (unsigned)(c - '0') < 10u;
}

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
static int eisel_lemire(uint64_t w, long q, uint64_t *bits) {
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
 * Correct fallback: p[0..n) is a valid JSON number. Rewrites it as
 * "DIGITSeEXP" with at most NG__SLOW_DIGITS digits plus a sticky digit and
 * lets strtod round. Returns the magnitude (sign ignored).
 */
static double slow_double(const char *p, size_t n) {
  char buf[NG__SLOW_DIGITS + 32];
  size_t i = 0, nd = 0;
  long exp10 = 0, e = 0;
  int sticky = 0, seen_dot = 0, esign = 1;

  if (p[i] == '-')
    i++;
  for (; i < n && (is_digit((unsigned char)p[i]) || p[i] == '.'); i++) {
    if (p[i] == '.') {
      seen_dot = 1;
      continue;
    }
    if (nd == 0 && p[i] == '0') { /* leading zeros carry no digit */
      if (seen_dot)
        exp10--;
      continue;
    }
    if (nd < NG__SLOW_DIGITS) {
      buf[nd++] = p[i];
      if (seen_dot)
        exp10--;
    } else {
      if (p[i] != '0')
        sticky = 1;
      if (!seen_dot)
        exp10++;
    }
  }
  if (nd == 0)
    return 0.0;
  if (i < n) { /* exponent part, saturated far beyond any double */
    i++;
    if (p[i] == '+' || p[i] == '-')
      esign = p[i++] == '-' ? -1 : 1;
    for (; i < n; i++)
      if (e < 100000000)
        e = e * 10 + (p[i] - '0');
  }
  exp10 += esign * e;
  /* Decimal exponent of the leading digit decides the extremes outright. */
  if (exp10 + (long)nd > 310)
    return HUGE_VAL;
  if (exp10 + (long)nd < -330)
    return 0.0;
  if (sticky) { /* stands for the nonzero digits dropped */
    buf[nd++] = '1';
    exp10--;
  }
  snprintf(buf + nd, sizeof buf - nd, "e%ld", exp10);
  return strtod(buf, NULL);
}

/* Stores a double result; NG_EBIGNUM when it is not finite. */
static int set_double(ng__json_token *t, double d, int neg) {
  if (isinf(d))
    return NG_EBIGNUM;
  t->ntype = NG_JSON_DOUBLE;
  t->num.d = neg ? -d : d;
  return NG_OK;
}

/* An integer literal: exact int64/uint64, or beyond. */
static int integer(const char *p, size_t n, unsigned flags, ng__json_token *t) {
  size_t i = p[0] == '-';
  int neg = (int)i;
  uint64_t u = 0;

  for (; i < n; i++) {
    unsigned d = (unsigned)(p[i] - '0');
    if (u > (UINT64_MAX - d) / 10) { /* beyond uint64 */
      if (flags & NG_JSON_BIGINT_REJECT)
        return NG_EBIGNUM;
      return set_double(t, slow_double(p, n), neg);
    }
    u = u * 10 + d;
  }
  if (!neg) {
    t->ntype = u <= (uint64_t)INT64_MAX ? NG_JSON_INT : NG_JSON_UINT;
    if (t->ntype == NG_JSON_INT)
      t->num.i = (int64_t)u;
    else
      t->num.u = u;
    return NG_OK;
  }
  if (u == 0) /* "-0" keeps its sign as a double */
    return set_double(t, 0.0, 1);
  if (u <= (uint64_t)INT64_MAX + 1) {
    t->ntype = NG_JSON_INT;
    t->num.i = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
    return NG_OK;
  }
  if (flags & NG_JSON_BIGINT_REJECT)
    return NG_EBIGNUM;
  return set_double(t, slow_double(p, n), neg);
}

int ng__json_decimal(uint64_t w, long q, int neg, const char *p, size_t n,
                     ng__json_token *t) {
  uint64_t bits;

  if (w == 0)
    return set_double(t, 0.0, neg);
  if (w <= (uint64_t)1 << 53 && q >= -22 && q <= 22) {
    double d = (double)w;
    d = q < 0 ? d / ng__exact_pow10[-q] : d * ng__exact_pow10[q];
    return set_double(t, d, neg);
  }
  if (eisel_lemire(w, q, &bits))
    return set_double(t, bits_to_double(bits), neg);
  return set_double(t, slow_double(p, n), neg);
}

int ng__json_number(const char *p, size_t n, unsigned flags,
                    ng__json_token *t) {
  size_t i = p[0] == '-';
  int neg = (int)i, nd = 0, trunc = 0;
  uint64_t w = 0;
  long q = 0, e = 0;
  int esign = 1;

  for (; i < n && is_digit((unsigned char)p[i]); i++) {
    if (nd < NG__MAX_FAST_DIGITS) {
      w = w * 10 + (unsigned)(p[i] - '0');
      nd += w != 0;
    } else {
      q++;
      trunc |= p[i] != '0';
    }
  }
  if (i == n)
    return integer(p, n, flags, t);
  if (p[i] == '.') {
    for (i++; i < n && is_digit((unsigned char)p[i]); i++) {
      if (nd < NG__MAX_FAST_DIGITS) {
        w = w * 10 + (unsigned)(p[i] - '0');
        nd += w != 0;
        q--;
      } else {
        trunc |= p[i] != '0';
      }
    }
  }
  if (i < n) { /* [eE][+-]?digits, exponent saturated */
    i++;
    if (p[i] == '+' || p[i] == '-')
      esign = p[i++] == '-' ? -1 : 1;
    for (; i < n; i++)
      if (e < 100000000)
        e = e * 10 + (p[i] - '0');
  }
  q += esign * e;
  if (trunc)
    return set_double(t, slow_double(p, n), neg);
  return ng__json_decimal(w, q, neg, p, n, t);
}
