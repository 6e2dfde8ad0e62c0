/*
 * parsers/common/vec.h - 16-byte vectors for the lexers' scans.
 *
 * The scans use the compiler's generic vectors (GNU C: SSE2, NEON, ...)
 * on little-endian targets: a compare gives 0xFF per matching byte, read
 * back as two 64-bit lanes. One step is platform code: where SSE2 is the
 * baseline (every x86-64), ng__v32_run makes two masks 32 bits with
 * movemasks. Without GNU vectors NG__VECTORS stays undefined and the
 * callers keep their scalar loops.
 */
#ifndef NG_PARSERS_COMMON_VEC_H
#define NG_PARSERS_COMMON_VEC_H

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

/* The index (0..16) of the first byte m does not flag: m holds 0xFF for
 * the bytes that continue a run, 16 when they all do. */
static inline unsigned ng__v16_run(ng__v16 m) {
  return ng__v16_first(~m);
}

/* ng__v16_run over 32 bytes, the run flagged by m and on by n: 0..32.
 * With SSE2, one 32-bit mask from two movemasks. */
#ifdef __SSE2__
#include <emmintrin.h>

static inline unsigned ng__v32_run(ng__v16 m, ng__v16 n) {
  uint32_t bits = (uint32_t)_mm_movemask_epi8((__m128i)m) |
                  (uint32_t)_mm_movemask_epi8((__m128i)n) << 16;
  return bits == UINT32_MAX ? 32u : (unsigned)__builtin_ctz(~bits);
}
#else
static inline unsigned ng__v32_run(ng__v16 m, ng__v16 n) {
  unsigned r = ng__v16_run(m);
  return r < 16 ? r : 16 + ng__v16_run(n);
}
#endif
#endif

#endif /* NG_PARSERS_COMMON_VEC_H */
