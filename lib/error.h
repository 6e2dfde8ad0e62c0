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
 * ng_error_clear inline, for callers on a hot path (a stream clears two
 * records per feed): six stores instead of a call. The message is made
 * empty, not zeroed whole: a memset of the record compiles to a `rep
 * stos`, whose start-up costs more than the stores (and valgrind counts
 * 17 instructions for it). NULL does nothing.
 */
static inline void ng__error_clear(ng_error *err) {
  if (err == NULL)
    return;
  err->code = NG_OK;
  err->offset = 0;
  err->line = 0;
  err->column = 0;
  err->depth = 0;
  err->msg[0] = '\0';
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
