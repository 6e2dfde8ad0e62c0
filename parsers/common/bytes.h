/*
 * parsers/common/bytes.h - copying a few bytes without a call.
 *
 * Short copies sit on hot paths (a stream's carry at every feed, the XML
 * builder's attribute values), where memcpy's call and its size dispatch
 * cost more than the copy.
 */
#ifndef NG_PARSERS_COMMON_BYTES_H
#define NG_PARSERS_COMMON_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Moves src[0..n) to dst, n <= 16: two overlapping loads of a power of
 * two (the first, middle and last byte for 1 to 3), all read before any
 * is stored, so dst and src may overlap. n 0 reads and writes nothing
 * (either pointer may then be NULL).
 */
static inline void ng__bytes_short(char *dst, const char *src, size_t n) {
  uint64_t u, v;
  uint32_t h, k;
  char x, y, z;

  if (n >= 8) {
    memcpy(&u, src, 8);
    memcpy(&v, src + n - 8, 8);
    memcpy(dst, &u, 8);
    memcpy(dst + n - 8, &v, 8);
  } else if (n >= 4) {
    memcpy(&h, src, 4);
    memcpy(&k, src + n - 4, 4);
    memcpy(dst, &h, 4);
    memcpy(dst + n - 4, &k, 4);
  } else if (n != 0) {
    x = src[0];
    y = src[n / 2];
    z = src[n - 1];
    dst[0] = x;
    dst[n / 2] = y;
    dst[n - 1] = z;
  }
}

#endif /* NG_PARSERS_COMMON_BYTES_H */
