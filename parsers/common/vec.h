/*
 * parsers/common/vec.h - 16-byte vectors for the lexers' scans.
 *
 * The scans use the compiler's generic vectors (GNU C: SSE2, NEON, ...)
 * on little-endian targets: a compare gives 0xFF per matching byte, read
 * back as two 64-bit lanes. Two steps are platform code: where SSE2 is the
 * baseline (every x86-64), ng__v32_run makes two masks 32 bits with
 * movemasks and ng__v16_sum adds byte counters with psadbw. Without GNU
 * vectors NG__VECTORS stays undefined and the callers keep their scalar
 * loops. Where x86 compilers build for other targets, NG__AVX2 adds
 * 32-byte vectors for functions chosen at run time.
 */
#ifndef NG_PARSERS_COMMON_VEC_H
#define NG_PARSERS_COMMON_VEC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if (defined(__GNUC__) || defined(__clang__)) &&                               \
    defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NG__VECTORS 1
typedef unsigned char ng__v16 __attribute__((vector_size(16)));
typedef signed char ng__vs16 __attribute__((vector_size(16)));
typedef uint64_t ng__v2x64 __attribute__((vector_size(16)));

/* The index (0..16) of the first byte m flags, 16 when none; m holds 0xFF
 * or 0 per byte. Two 64-bit lanes with a branch each, on every target: a
 * movemask and one ctz take fewer instructions but put both on the path
 * to the next cursor, where the predicted branch does not wait for them
 * (measured: citm_catalog 16 % slower with the movemask). */
static inline unsigned ng__v16_first(ng__v16 m) {
  ng__v2x64 w;
  memcpy(&w, &m, 16);
  if (w[0] != 0)
    return (unsigned)__builtin_ctzll(w[0]) >> 3;
  if (w[1] != 0)
    return 8 + ((unsigned)__builtin_ctzll(w[1]) >> 3);
  return 16;
}

/* ng__v16_first by four branches on the flags (a binary search), each
 * step a fixed stride: where the same indices recur (the lengths of an
 * object's keys), the predicted branches give the index without waiting
 * for the data, which ng__v16_first's ctz puts on the path to the next
 * cursor; where they vary, the branches mispredict more often than its
 * one. */
static inline unsigned ng__v16_first_branchy(ng__v16 m) {
  ng__v2x64 w;
  uint64_t x;
  unsigned n = 0;
  memcpy(&w, &m, 16);
  x = w[0];
  if (x == 0) {
    x = w[1];
    n = 8;
    if (x == 0)
      return 16;
  }
  if ((x & 0xFFFFFFFFu) == 0) {
    x >>= 32;
    n += 4;
  }
  if ((x & 0xFFFFu) == 0) {
    x >>= 16;
    n += 2;
  }
  if ((x & 0xFFu) == 0)
    n += 1;
  return n;
}

/* The index (0..16) of the first byte m does not flag: m holds 0xFF for
 * the bytes that continue a run, 16 when they all do. */
static inline unsigned ng__v16_run(ng__v16 m) {
  return ng__v16_first(~m);
}

/* ng__v32_run: ng__v16_run over 32 bytes, the run flagged by m and on by
 * n: 0..32. ng__v16_sum: the 16 byte counters in a (0..255 each) summed.
 * ng__v16_any: nonzero when m flags a byte. ng__v16_last: the index
 * (0..15) of the last byte m flags, which flags one at least.
 * ng__v16_bits: bit i set when m flags byte i. With SSE2, a movemask (two
 * for a 32-bit mask) and psadbw. */
#ifdef __SSE2__
#include <emmintrin.h>

static inline unsigned ng__v16_bits(ng__v16 m) {
  return (unsigned)_mm_movemask_epi8((__m128i)m);
}

static inline int ng__v16_any(ng__v16 m) { return ng__v16_bits(m) != 0; }

static inline unsigned ng__v16_last(ng__v16 m) {
  return 31u - (unsigned)__builtin_clz(ng__v16_bits(m));
}

static inline unsigned ng__v32_run(ng__v16 m, ng__v16 n) {
  uint32_t bits = (uint32_t)ng__v16_bits(m) | (uint32_t)ng__v16_bits(n) << 16;
  return bits == UINT32_MAX ? 32u : (unsigned)__builtin_ctz(~bits);
}

static inline size_t ng__v16_sum(ng__v16 a) {
  __m128i s = _mm_sad_epu8((__m128i)a, _mm_setzero_si128());
  return (size_t)_mm_cvtsi128_si32(s) +
         (size_t)_mm_cvtsi128_si32(_mm_srli_si128(s, 8));
}

/* NG__AVX2: where the compiler builds a function for AVX2 beside the
 * baseline (x86's target attribute), NG__TARGET_AVX2 marks one and
 * ng__cpu_avx2() says whether this CPU runs it: AVX2 with the OS saving
 * its registers, and popcnt. ng__v32 goes by value only between such
 * functions (the baseline passes it another way). */
#if (defined(__x86_64__) || defined(__i386__)) &&                              \
    (defined(__clang__) || __GNUC__ >= 5)
#define NG__AVX2 1
#define NG__TARGET_AVX2 __attribute__((target("avx2,popcnt")))
typedef unsigned char ng__v32 __attribute__((vector_size(32)));

static inline int ng__cpu_avx2(void) {
  __builtin_cpu_init(); /* for a call before the constructors ran */
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
}
#endif
#else
static inline int ng__v16_any(ng__v16 m) {
  ng__v2x64 w;
  memcpy(&w, &m, 16);
  return (w[0] | w[1]) != 0;
}

/* Each lane's top bits gathered into its top byte by a multiply. */
static inline unsigned ng__v16_bits(ng__v16 m) {
  const uint64_t top = 0x8080808080808080ull, k = 0x0002040810204081ull;
  ng__v2x64 w;
  memcpy(&w, &m, 16);
  return (unsigned)(((w[0] & top) * k) >> 56) |
         (unsigned)(((w[1] & top) * k) >> 56) << 8;
}

static inline unsigned ng__v16_last(ng__v16 m) {
  ng__v2x64 w;
  memcpy(&w, &m, 16);
  if (w[1] != 0)
    return 15 - ((unsigned)__builtin_clzll(w[1]) >> 3);
  return 7 - ((unsigned)__builtin_clzll(w[0]) >> 3);
}

static inline unsigned ng__v32_run(ng__v16 m, ng__v16 n) {
  unsigned r = ng__v16_run(m);
  return r < 16 ? r : 16 + ng__v16_run(n);
}

/* Byte pairs into 16-bit sums, then the four of a lane by a multiply. */
static inline size_t ng__v16_sum(ng__v16 a) {
  const uint64_t m = 0x00FF00FF00FF00FFull, k = 0x0001000100010001ull;
  ng__v2x64 w;
  memcpy(&w, &a, 16);
  w = (w & m) + (w >> 8 & m);
  return (size_t)((w[0] * k) >> 48) + (size_t)((w[1] * k) >> 48);
}
#endif
#endif

#endif /* NG_PARSERS_COMMON_VEC_H */
