/*
 * parsers/common/depth.h - nesting depth tracking against max_depth.
 *
 * Depth counts open containers: the root array/object is depth 1, a scalar
 * at top level is at depth 0. With max_depth = N, N nested containers are
 * accepted and the opening token of the (N+1)-th fails with NG_EDEPTH at
 * that token's offset, reported with depth N (the containers already open).
 * max_depth 0 in ng_limits means unlimited, i.e. NG_MAX_DEPTH.
 */
#ifndef NG_PARSERS_COMMON_DEPTH_H
#define NG_PARSERS_COMMON_DEPTH_H

#include <stddef.h>

#include "nestguard/error.h"
#include "nestguard/limits.h"

typedef struct ng__depth {
  size_t cur;  /* containers open now */
  size_t max;  /* effective limit, already clamped to NG_MAX_DEPTH */
} ng__depth;

/* Sets up tracking for a run with the caller's max_depth (0: unlimited). */
static inline void ng__depth_init(ng__depth *d, size_t max_depth) {
  d->cur = 0;
  d->max = ng_limit_clamp(max_depth, NG_MAX_DEPTH);
}

/* One level deeper; NG_EDEPTH (depth unchanged) when it would pass max. */
static inline int ng__depth_push(ng__depth *d) {
  if (d->cur >= d->max)
    return NG_EDEPTH;
  d->cur++;
  return NG_OK;
}

/* One level up; the caller guarantees a container is open. */
static inline void ng__depth_pop(ng__depth *d) { d->cur--; }

#endif /* NG_PARSERS_COMMON_DEPTH_H */
