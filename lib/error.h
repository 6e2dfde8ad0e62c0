/*
 * lib/error.h - the error record's internal helpers (lib/error.c); never
 * installed. lib/internal.h includes it.
 */
#ifndef NG_LIB_ERROR_H
#define NG_LIB_ERROR_H

#include <stddef.h>
#include <string.h>

#include "nestguard/error.h"

/*
 * ng_error_clear inline, for callers on a hot path (a stream clears the
 * caller's record at every feed): a copy of a zeroed record, which gcc
 * makes nine vector stores, where a memset is a `rep stos` of 17 steps
 * (its start-up costs more than the stores). NULL does nothing.
 */
static inline void ng__error_clear(ng_error *err) {
  static const ng_error none;

  if (err != NULL)
    *err = none;
}

/*
 * Fills *err (which may be NULL) for an error found at byte `offset` of
 * input[0..len): computes line and column by scanning input once, so the
 * success path never tracks lines. msg may be NULL (the code's text is used);
 * it is copied, truncated to fit. Returns code, so callers can write
 * `return ng__error_at(...)`.
 */
int ng__error_at(ng_error *err, int code, const char *input, size_t len,
                 size_t offset, size_t depth, const char *msg);

#endif /* NG_LIB_ERROR_H */
