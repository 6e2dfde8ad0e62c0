/*
 * parsers/common/lines.c - counting line ends (lines.h).
 *
 * The vector loop takes 64 bytes a step and keeps per-byte counters (a
 * compare gives 0xFF per LF, subtracted from the counters), summed by
 * ng__v16_sum every 62 steps, before a counter could wrap; the last 16
 * bytes are read again with the bytes already counted masked off, so a
 * run costs no byte-at-a-time tail. XML's count adds the CRs in the same
 * loop, and only a run that has some is read again for the LFs right
 * after a CR, which it does not count. The last line end is looked for
 * only when there is one, from the end: in a run of text with lines it is
 * in the last step or two (a test per step in the count's loop cost more).
 * JSON's runs of at most 64 bytes (a stream's window at small chunks)
 * take a bit per byte instead, counted and scanned without a loop.
 */
#include "lines.h"

#include "internal.h"
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
/* 64-byte steps between sums: each adds at most 4 to a counter; the
 * 16-byte steps and the tail after them at most 4 more. */
#define LINES_FOLD 62

/* 16 - r zero bytes then r 0xFF bytes from tail_mask + r (0 < r < 16). */
static const unsigned char tail_mask[32] = {
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

static inline ng__v16 load16(const unsigned char *s) {
  ng__v16 v;

  memcpy(&v, s, 16);
  return v;
}

/* One 16-byte step: the LFs of s[0..16) into *lf's byte counters, and
 * with crlf the CRs into *c's. */
static inline void lines_step(const unsigned char *s, int crlf, ng__v16 *lf,
                              ng__v16 *c) {
  ng__v16 v = load16(s);

  *lf -= (ng__v16)(v == '\n');
  if (crlf)
    *c -= (ng__v16)(v == '\r');
}

/* Counts the LFs (and, crlf, the CRs: *cr) of s[0..n), n >= 16. Forced
 * inline, so that each caller's constant crlf drops the other kind's
 * work (the CR sums were computed for JSON too). */
NG_INLINE size_t count_vec(const unsigned char *s, size_t n, int crlf,
                               size_t *cr) {
  ng__v16 lf = {0}, c = {0}, v, m;
  size_t k = 0, i = 0, b;

  *cr = 0;
  while (n - i >= 64) {
    for (b = 0; b < LINES_FOLD && n - i >= 64; b++, i += 64) {
      lines_step(s + i, crlf, &lf, &c);
      lines_step(s + i + 16, crlf, &lf, &c);
      lines_step(s + i + 32, crlf, &lf, &c);
      lines_step(s + i + 48, crlf, &lf, &c);
    }
    k += ng__v16_sum(lf);
    *cr += crlf ? ng__v16_sum(c) : 0;
    lf = c = (ng__v16){0};
  }
  for (; n - i >= 16; i += 16)
    lines_step(s + i, crlf, &lf, &c);
  if (i < n) { /* the last 16 bytes, those counted already masked off */
    memcpy(&m, tail_mask + (n - i), 16);
    v = load16(s + n - 16) & m;
    lf -= (ng__v16)(v == '\n') & m;
    if (crlf)
      c -= (ng__v16)(v == '\r') & m;
  }
  *cr += crlf ? ng__v16_sum(c) : 0;
  return k + ng__v16_sum(lf);
}

/* 1 + the offset of the last line end in s[0..n), n >= 16, which holds
 * one: from the end, where it mostly is. */
NG_INLINE size_t last_vec(const unsigned char *s, size_t n, int crlf) {
  ng__v16 v, e;
  size_t j = n - 16;

  for (;;) {
    v = load16(s + j);
    e = (ng__v16)(v == '\n');
    if (crlf)
      e |= (ng__v16)(v == '\r');
    if (ng__v16_any(e))
      return j + ng__v16_last(e) + 1;
    j = j >= 16 ? j - 16 : 0; /* the first 16 bytes last, overlapping */
  }
}

/* The 64-bit count of set bits, without a popcnt instruction (not in
 * the x86-64 baseline): pairs, nibbles, bytes, then the bytes summed by a
 * multiply. */
static inline size_t popcount64(uint64_t x) {
  x -= (x >> 1) & 0x5555555555555555ull;
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
  return (size_t)((x * 0x0101010101010101ull) >> 56);
}

/* The LFs of s[o..o+16) as bits o..o+15 (o <= 48). */
static inline uint64_t lf_bits(const unsigned char *s, size_t o) {
  return (uint64_t)ng__v16_bits((ng__v16)(load16(s + o) == '\n')) << o;
}

/* JSON's line ends in s[0..n), 16 < n <= 64 (a stream's window at small
 * chunks, at every feed): a bit per LF from four 16-byte blocks at 0, 16,
 * 32 and 48, each moved back to end at n at most (an overlap sets the
 * same bits again), counted, and the last found by a bit scan: no loop
 * and no branch on the bytes. */
static size_t count_lf_64(const unsigned char *s, size_t n, size_t *after) {
  size_t last = n - 16;
  uint64_t m = lf_bits(s, 0) | lf_bits(s, last < 16 ? last : 16) |
               lf_bits(s, last < 32 ? last : 32) | lf_bits(s, last);

  *after = m != 0 ? 64 - (size_t)__builtin_clzll(m) : 0;
  return popcount64(m);
}

/* JSON's line ends in s[0..n), 64 < n <= 256 (a stream's window at small
 * chunks, with a carry): 16 bytes a step into byte counters, the first
 * n % 16 bytes in a step over the first 16 with the bytes the others
 * count masked off; then the last LF from the end, where it mostly is (a test for it in
 * every step cost more). */
static size_t count_lf_short(const unsigned char *s, size_t n,
                             size_t *after) {
  ng__v16 acc = {0}, e, m;
  size_t j = n, k;

  while (j >= 16) {
    j -= 16;
    acc -= (ng__v16)(load16(s + j) == '\n');
  }
  if (j != 0) {
    memcpy(&m, tail_mask + 16 - j, 16);
    e = (ng__v16)(load16(s) == '\n') & ~m; /* the first j bytes */
    acc -= e;
  }
  k = ng__v16_sum(acc);
  *after = k != 0 ? last_vec(s, n, 0) : 0;
  return k;
}

/* The LFs of s[1..n) right after a CR, n >= 17: what XML does not count
 * of them (looked for only where the run has a CR). */
static size_t crlf_pairs(const unsigned char *s, size_t n) {
  ng__v16 acc = {0}, m;
  size_t k = 0, i = 1, b;

  while (n - i >= 16) {
    for (b = 0; b < 255 && n - i >= 16; b++, i += 16)
      acc -= (ng__v16)((load16(s + i) == '\n') & (load16(s + i - 1) == '\r'));
    k += ng__v16_sum(acc);
    acc = (ng__v16){0};
  }
  if (i < n) {
    memcpy(&m, tail_mask + (n - i), 16);
    acc = (ng__v16)((load16(s + n - 16) == '\n') &
                    (load16(s + n - 17) == '\r')) & m;
    k += ng__v16_sum(-acc);
  }
  return k;
}

size_t ng__lines_count(const char *str, size_t n, int crlf, int cr_before,
                       size_t *after) {
  const unsigned char *s = (const unsigned char *)str;
  size_t k, cr;

  if (n < 17)
    return count_bytes(s, n, crlf, cr_before, after);
  if (!crlf) { /* JSON's: the LFs */
    if (n <= 64)
      return count_lf_64(s, n, after);
    if (n <= 256)
      return count_lf_short(s, n, after);
    k = count_vec(s, n, 0, &cr);
    *after = k != 0 ? last_vec(s, n, 0) : 0;
    return k;
  }
  k = count_vec(s, n, 1, &cr); /* XML's: every CR, the LFs not after one */
  k += cr - (cr_before && s[0] == '\n');
  if (cr != 0)
    k -= crlf_pairs(s, n);
  /* No count: no line end, or only an LF first after a CR. */
  if (k == 0)
    *after = cr_before && s[0] == '\n';
  else
    *after = last_vec(s, n, 1);
  return k;
}
#else
size_t ng__lines_count(const char *s, size_t n, int crlf, int cr_before,
                       size_t *after) {
  return count_bytes((const unsigned char *)s, n, crlf, cr_before, after);
}
#endif
