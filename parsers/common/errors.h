/*
 * parsers/common/errors.h - the first-error record of one parse.
 *
 * A parse keeps one ng__perr. The first failure recorded wins: engines and
 * sinks may unwind through several layers that each see the error code,
 * and only the place that detected it knows the right offset. Line and
 * column are computed once, on failure (ng__error_at scans the input), so
 * the success path never counts lines.
 */
#ifndef NG_PARSERS_COMMON_ERRORS_H
#define NG_PARSERS_COMMON_ERRORS_H

#include <stddef.h>

#include "nestguard/error.h"

typedef struct ng__perr {
  ng_error *err;     /* caller's record; may be NULL */
  const char *input; /* the whole input, for line/column */
  size_t len;        /* input length */
  int code;          /* NG_OK until the first failure */
  size_t base_off;   /* push parsing: where `input` starts in the whole */
  size_t base_line;  /* stream, and that byte's line and column (1-based); */
  size_t base_col;   /* 0, 1, 1 for a one-shot parse */
} ng__perr;

/* Prepares the record; clears *err (if any) to the success state. */
void ng__perr_init(ng__perr *pe, ng_error *err, const char *input, size_t len);

/*
 * Records a failure found at byte `offset` with `depth` containers open.
 * msg may be NULL (the code's text). If a failure is already recorded it is
 * kept and this call only returns the first code. Returns the recorded code
 * (never NG_OK for code != NG_OK), so callers write `return ng__perr_at(..)`.
 */
int ng__perr_at(ng__perr *pe, int code, size_t offset, size_t depth,
                const char *msg);

/* Push parsing: offsets recorded from now on count from input[0..len),
 * the byte at absolute offset off, line, col of the stream. */
static inline void ng__perr_window(ng__perr *pe, const char *input, size_t len,
                                   size_t off, size_t line, size_t col) {
  pe->input = input;
  pe->len = len;
  pe->base_off = off;
  pe->base_line = line;
  pe->base_col = col;
}

#endif /* NG_PARSERS_COMMON_ERRORS_H */
