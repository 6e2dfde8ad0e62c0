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
 *      keeps the rounding exact. That copy, snprintf and strtod take about
 *      3 KiB of stack: the path runs through ng__call_out (usercall.h), so
 *      that the lexer keeps to a small stack everywhere else.
 * A double that would round to infinity is NG_EBIGNUM: JSON cannot write it
 * back. Underflow to zero or a subnormal is accepted.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/usercall.h"
#include "lexer.h"
#include "number.h"

/* Significant digits that fit a uint64 without overflow. */
#define NG__MAX_FAST_DIGITS 19
/* Digits strtod gets before the sticky digit (> 767, the most a double's
 * rounding can depend on). */
#define NG__SLOW_DIGITS 780

static inline int is_digit(unsigned char c) {
  return (unsigned)(c - '0') < 10u;
}

/* The exponent of a valid number p[0..n) whose digits end at p[i]: the
 * value of [eE][+-]?digits there, saturated far beyond any double's; 0
 * when there is none (i == n). */
NG_INLINE long exponent(const char *p, size_t i, size_t n) {
  long e = 0;
  int neg;

  if (i == n)
    return 0;
  neg = p[++i] == '-';
  if (p[i] == '+' || p[i] == '-')
    i++;
  for (; i < n; i++)
    if (e < 100000000)
      e = e * 10 + (p[i] - '0');
  return neg ? -e : e;
}

/*
 * Correct fallback: p[0..n) is a valid JSON number. Rewrites it as
 * "DIGITSeEXP" with at most NG__SLOW_DIGITS digits plus a sticky digit and
 * lets strtod round. Returns the magnitude (sign ignored).
 */
static double slow_double(const char *p, size_t n) {
  char buf[NG__SLOW_DIGITS + 32];
  size_t i = 0, nd = 0;
  long exp10 = 0;
  int sticky = 0, seen_dot = 0;

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
  exp10 += exponent(p, i, n);
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

/* slow_double's arguments and result, for ng__call_out. */
typedef struct slow_req {
  const char *p;
  size_t n;
  double d;
} slow_req;

static int slow_run(void *arg) {
  slow_req *r = arg;
  r->d = slow_double(r->p, r->n);
  return 0;
}

/* slow_double where the stack has room for it. */
static NG_NOINLINE double slow_double_out(const char *p, size_t n) {
  slow_req r = {p, n, 0.0};
  ng__call_out(slow_run, &r);
  return r.d;
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
      return set_double(t, slow_double_out(p, n), neg);
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
  return set_double(t, slow_double_out(p, n), neg);
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
  return set_double(t, slow_double_out(p, n), neg);
}

int ng__json_number(const char *p, size_t n, unsigned flags,
                    ng__json_token *t) {
  size_t i = p[0] == '-';
  int neg = (int)i, nd = 0, trunc = 0;
  uint64_t w = 0;
  long q = 0;

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
  q += exponent(p, i, n);
  if (trunc)
    return set_double(t, slow_double_out(p, n), neg);
  return ng__json_decimal(w, q, neg, p, n, t);
}
