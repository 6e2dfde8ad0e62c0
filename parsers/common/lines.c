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
 *
 * Where the CPU has AVX2 (chosen on the first call, vec.h's NG__AVX2),
 * the same loop takes 32-byte vectors, 256 bytes a step, and runs of at
 * most 128 bytes of both kinds take bits (popcnt, a bit scan, the LFs
 * after a CR masked off by a shift). Measured by callgrind, the lead's
 * chunk/xchunk drivers, iterative engine, ng__lines_count inclusive,
 * SSE2 path before -> AVX2: at 4 KiB chunks citm_catalog 553 K -> 184 K
 * instructions, twitter 207 K -> 74 K, nes96.xml 1.60 M -> 0.61 M; at
 * 64-byte chunks 1.74 M -> 1.00 M, 631 K -> 385 K, 5.32 M -> 2.89 M.
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

/* XML's count of a run from k, its LFs and CRs, and pairs, its LFs right
 * after a CR: those end nothing, nor an LF first after a CR before the
 * run (cr_before). */
static inline size_t xml_count(const unsigned char *s, size_t k, size_t pairs,
                               int cr_before) {
  return k - pairs - (cr_before && s[0] == '\n');
}

/* XML's *after for a run with no line end counted: 1 where it starts with
 * an LF after a CR (the last line end), else 0. */
static inline size_t xml_after(const unsigned char *s, int cr_before) {
  return cr_before && s[0] == '\n';
}

#ifdef NG__VECTORS
/* 64-byte steps between sums: each adds at most 4 to a counter; the
 * 16-byte steps and the tail after them at most 4 more. */
#define LINES_FOLD 62

/* W - r zero bytes then r 0xFF bytes from tail_mask + 32 - W + r, for
 * W = 16 or 32 and 0 < r < W. */
static const unsigned char tail_mask[64] = {
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

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
    memcpy(&m, tail_mask + 16 + (n - i), 16);
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
    memcpy(&m, tail_mask + 32 - j, 16);
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
    memcpy(&m, tail_mask + 16 + (n - i), 16);
    acc = (ng__v16)((load16(s + n - 16) == '\n') &
                    (load16(s + n - 17) == '\r')) & m;
    k += ng__v16_sum(-acc);
  }
  return k;
}

/* The vector path's count, n >= 17. */
static size_t lines_vec(const unsigned char *s, size_t n, int crlf,
                        int cr_before, size_t *after) {
  size_t k, cr;

  if (!crlf) { /* JSON's: the LFs */
    if (n <= 64)
      return count_lf_64(s, n, after);
    if (n <= 256)
      return count_lf_short(s, n, after);
    k = count_vec(s, n, 0, &cr);
    *after = k != 0 ? last_vec(s, n, 0) : 0;
    return k;
  }
  k = count_vec(s, n, 1, &cr);
  k = xml_count(s, k + cr, cr != 0 ? crlf_pairs(s, n) : 0, cr_before);
  *after = k != 0 ? last_vec(s, n, 1) : xml_after(s, cr_before);
  return k;
}
#endif

#ifdef NG__AVX2
#include <immintrin.h>

typedef uint64_t v4x64 __attribute__((vector_size(32)));

/* 256-byte steps between sums: each adds at most 4 to a counter (the
 * steps after them start from zero again). */
#define LINES_FOLD32 63

NG__TARGET_AVX2 NG_INLINE ng__v32 load32(const unsigned char *s) {
  ng__v32 v;

  memcpy(&v, s, 32);
  return v;
}

/* The byte counters of a and b (0..255 each) summed. */
NG__TARGET_AVX2 NG_INLINE size_t sum32(ng__v32 a, ng__v32 b) {
  __m256i z = _mm256_setzero_si256();
  v4x64 w = (v4x64)_mm256_add_epi64(_mm256_sad_epu8((__m256i)a, z),
                                    _mm256_sad_epu8((__m256i)b, z));

  return (size_t)(w[0] + w[1] + w[2] + w[3]);
}

/* Bit i set when s[i] is c, 0 <= i < 32. */
NG__TARGET_AVX2 NG_INLINE uint32_t bits32(const unsigned char *s,
                                          unsigned char c) {
  return (uint32_t)_mm256_movemask_epi8((__m256i)(load32(s) == c));
}

/* Bit i set when s[i] is c, 0 <= i < n, 16 < n <= 64: two blocks at 0 and
 * n - 32 (16 each when n < 32; an overlap sets the same bits again). */
NG__TARGET_AVX2 NG_INLINE uint64_t bits64(const unsigned char *s, size_t n,
                                          unsigned char c) {
  if (n < 32)
    return (uint64_t)ng__v16_bits((ng__v16)(load16(s) == c)) |
           (uint64_t)ng__v16_bits((ng__v16)(load16(s + n - 16) == c))
               << (n - 16);
  return (uint64_t)bits32(s, c) | (uint64_t)bits32(s + n - 32, c) << (n - 32);
}

/* Bit i set when s[i] is c, 0 <= i < 64. */
NG__TARGET_AVX2 NG_INLINE uint64_t bits64_full(const unsigned char *s,
                                               unsigned char c) {
  return (uint64_t)bits32(s, c) | (uint64_t)bits32(s + 32, c) << 32;
}

/* The line ends of 64 bytes as bits: lf LFs, cr CRs (crlf), prev the CR
 * before the first (bit 0). */
NG__TARGET_AVX2 NG_INLINE size_t bits_count(uint64_t lf, uint64_t cr,
                                            uint64_t prev, int crlf) {
  if (crlf) /* the LFs after a CR end nothing */
    lf &= ~(cr << 1 | prev);
  return (size_t)__builtin_popcountll(lf) + (size_t)__builtin_popcountll(cr);
}

/* The line ends in s[0..n), 16 < n <= 64 (a stream's window at small
 * chunks, at every feed), as bits: counted with popcnt, the last found by
 * a bit scan; no loop. */
NG__TARGET_AVX2 NG_INLINE size_t lines_64_avx2(const unsigned char *s, size_t n,
                                               int crlf, int cr_before,
                                               size_t *after) {
  uint64_t lf = bits64(s, n, '\n'), cr = crlf ? bits64(s, n, '\r') : 0;

  *after = (lf | cr) != 0 ? 64 - (size_t)__builtin_clzll(lf | cr) : 0;
  return bits_count(lf, cr, (uint64_t)(cr_before != 0), crlf);
}

/* lines_64_avx2 for 64 < n <= 128: the second block's 64 bytes end at n,
 * shifted past those the first has. */
NG__TARGET_AVX2 NG_INLINE size_t lines_128_avx2(const unsigned char *s,
                                                size_t n, int crlf,
                                                int cr_before, size_t *after) {
  size_t h = 128 - n;
  uint64_t lf0 = bits64_full(s, '\n'), lf1 = bits64_full(s + n - 64, '\n') >> h;
  uint64_t cr0 = 0, cr1 = 0;

  if (crlf) {
    cr0 = bits64_full(s, '\r');
    cr1 = bits64_full(s + n - 64, '\r') >> h;
  }
  if ((lf1 | cr1) != 0)
    *after = 128 - (size_t)__builtin_clzll(lf1 | cr1);
  else
    *after = (lf0 | cr0) != 0 ? 64 - (size_t)__builtin_clzll(lf0 | cr0) : 0;
  return bits_count(lf0, cr0, (uint64_t)(cr_before != 0), crlf) +
         bits_count(lf1, cr1, cr0 >> 63, crlf);
}

/* The line ends in s[0..n), 16 < n <= 128, by bits: fewer instructions
 * than the counters' setup and sums. Each kind of lines on its own. */
NG__TARGET_AVX2 static size_t lines_bits_avx2(const unsigned char *s, size_t n,
                                              int crlf, int cr_before,
                                              size_t *after) {
  if (!crlf)
    return n <= 64 ? lines_64_avx2(s, n, 0, 0, after)
                   : lines_128_avx2(s, n, 0, 0, after);
  return n <= 64 ? lines_64_avx2(s, n, 1, cr_before, after)
                 : lines_128_avx2(s, n, 1, cr_before, after);
}

/* One 32-byte step: the LFs of s[0..32) into *lf's byte counters, and
 * with crlf the CRs into *c's. */
NG__TARGET_AVX2 NG_INLINE void step32(const unsigned char *s, int crlf,
                                      ng__v32 *lf, ng__v32 *c) {
  ng__v32 v = load32(s);

  *lf -= (ng__v32)(v == '\n');
  if (crlf)
    *c -= (ng__v32)(v == '\r');
}

/* count_vec in 32-byte vectors, n >= 32: two counters of each kind, so
 * that a fold lasts 63 steps of 256 bytes. */
NG__TARGET_AVX2 NG_INLINE size_t count_avx2(const unsigned char *s, size_t n,
                                            int crlf, size_t *cr) {
  ng__v32 lf0 = {0}, lf1 = {0}, c0 = {0}, c1 = {0}, v, m;
  size_t k = 0, i = 0, end;

  *cr = 0;
  while (n - i >= 256) {
    end = (n - i) / 256 < LINES_FOLD32 ? i + (n - i) / 256 * 256
                                       : i + LINES_FOLD32 * 256;
    for (; i < end; i += 256) {
      step32(s + i, crlf, &lf0, &c0);
      step32(s + i + 32, crlf, &lf1, &c1);
      step32(s + i + 64, crlf, &lf0, &c0);
      step32(s + i + 96, crlf, &lf1, &c1);
      step32(s + i + 128, crlf, &lf0, &c0);
      step32(s + i + 160, crlf, &lf1, &c1);
      step32(s + i + 192, crlf, &lf0, &c0);
      step32(s + i + 224, crlf, &lf1, &c1);
    }
    k += sum32(lf0, lf1);
    *cr += crlf ? sum32(c0, c1) : 0;
    lf0 = lf1 = c0 = c1 = (ng__v32){0};
  }
  for (; n - i >= 32; i += 32)
    step32(s + i, crlf, &lf0, &c0);
  if (i < n) { /* the last 32 bytes, those counted already masked off */
    memcpy(&m, tail_mask + (n - i), 32);
    v = load32(s + n - 32);
    lf0 -= (ng__v32)(v == '\n') & m;
    if (crlf)
      c0 -= (ng__v32)(v == '\r') & m;
  }
  *cr += crlf ? sum32(c0, c1) : 0;
  return k + sum32(lf0, lf1);
}

/* last_vec in 32-byte steps, n >= 32. */
NG__TARGET_AVX2 static size_t last_avx2(const unsigned char *s, size_t n,
                                        int crlf) {
  size_t j = n - 32;
  uint32_t e;

  for (;;) {
    e = bits32(s + j, '\n') | (crlf ? bits32(s + j, '\r') : 0);
    if (e != 0)
      return j + 32 - (size_t)__builtin_clz(e);
    j = j >= 32 ? j - 32 : 0; /* the first 32 bytes last, overlapping */
  }
}

/* crlf_pairs in 32-byte steps, n >= 33. */
NG__TARGET_AVX2 static size_t pairs_avx2(const unsigned char *s, size_t n) {
  ng__v32 acc = {0}, m, z = {0};
  size_t k = 0, i = 1, b;

  while (n - i >= 32) {
    for (b = 0; b < 255 && n - i >= 32; b++, i += 32)
      acc -= (ng__v32)((load32(s + i) == '\n') & (load32(s + i - 1) == '\r'));
    k += sum32(acc, z);
    acc = z;
  }
  if (i < n) {
    memcpy(&m, tail_mask + (n - i), 32);
    acc = (ng__v32)(load32(s + n - 32) == '\n');
    acc &= (ng__v32)(load32(s + n - 33) == '\r') & m;
    k += sum32(z - acc, z);
  }
  return k;
}

/* The AVX2 path's count, n > 128. */
NG__TARGET_AVX2 static size_t lines_long_avx2(const unsigned char *s, size_t n,
                                              int crlf, int cr_before,
                                              size_t *after) {
  size_t k, cr;

  if (!crlf) {
    k = count_avx2(s, n, 0, &cr);
    *after = k != 0 ? last_avx2(s, n, 0) : 0;
    return k;
  }
  k = count_avx2(s, n, 1, &cr);
  k = xml_count(s, k + cr, cr != 0 ? pairs_avx2(s, n) : 0, cr_before);
  *after = k != 0 ? last_avx2(s, n, 1) : xml_after(s, cr_before);
  return k;
}

/* The AVX2 path's count, n >= 17: the short runs (at every feed of
 * small chunks) without the long ones' frame. */
NG_INLINE size_t lines_avx2(const unsigned char *s, size_t n, int crlf,
                            int cr_before, size_t *after) {
  if (n <= 128)
    return lines_bits_avx2(s, n, crlf, cr_before, after);
  return lines_long_avx2(s, n, crlf, cr_before, after);
}
#endif

/* The path ng__lines_count takes, once chosen: -1 until then. Relaxed:
 * threads that choose at once store the same. */
static int g_best = -1;

/* The path chosen, -1 before the first call. */
static inline int chosen(void) {
  return __atomic_load_n(&g_best, __ATOMIC_RELAXED);
}

int ng__lines_best(void) {
  int best = chosen();

  if (NG_UNLIKELY(best < 0)) {
#ifdef NG__VECTORS
    best = NG__LINES_VEC;
#else
    best = NG__LINES_BYTES;
#endif
#ifdef NG__AVX2
    if (ng__cpu_avx2())
      best = NG__LINES_AVX2;
#endif
    __atomic_store_n(&g_best, best, __ATOMIC_RELAXED);
  }
  return best;
}

size_t ng__lines_count_by(int path, const char *str, size_t n, int crlf,
                          int cr_before, size_t *after) {
  const unsigned char *s = (const unsigned char *)str;
  int best = ng__lines_best();

  path = path < best ? path : best;
  if (n < 17 || path == NG__LINES_BYTES)
    return count_bytes(s, n, crlf, cr_before, after);
#ifdef NG__AVX2
  if (path == NG__LINES_AVX2)
    return lines_avx2(s, n, crlf, cr_before, after);
#endif
#ifdef NG__VECTORS
  return lines_vec(s, n, crlf, cr_before, after);
#else
  return count_bytes(s, n, crlf, cr_before, after);
#endif
}

/* The path chosen, tested without a frame: the stream's every window
 * stops here. The first call chooses it. */
size_t ng__lines_count(const char *str, size_t n, int crlf, int cr_before,
                       size_t *after) {
  const unsigned char *s = (const unsigned char *)str;

  if (n < 17)
    return count_bytes(s, n, crlf, cr_before, after);
#ifdef NG__AVX2
  if (NG_LIKELY(chosen() == NG__LINES_AVX2))
    return lines_avx2(s, n, crlf, cr_before, after);
#endif
#ifdef NG__VECTORS
  if (NG_LIKELY(chosen() == NG__LINES_VEC))
    return lines_vec(s, n, crlf, cr_before, after);
#endif
  return ng__lines_count_by(NG__LINES_AVX2, str, n, crlf, cr_before, after);
}
