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

/* A position in a stream: byte offset, 1-based line and byte column
 * (parsers/common/stream.h moves it over the input). */
typedef struct ng__spos {
  size_t off;  /* bytes before it */
  size_t line; /* "\n" ends a line */
  size_t col;  /* bytes since the line's start, plus one */
  int crlf;    /* XML's lines (2.11): CR, LF and CR LF each end one, and
                  the LF of a CR LF is column 1 of the next line */
  int cr;      /* crlf: the byte before it is a CR */
} ng__spos;

typedef struct ng__perr {
  ng_error *err;     /* caller's record; may be NULL */
  const char *input; /* the whole input, for line/column */
  size_t len;        /* input length */
  int code;          /* NG_OK until the first failure */
  const ng__spos *base; /* push parsing: where `input` starts in the whole
                           stream; NULL: at its start (a one-shot parse) */
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
 * the byte at stream position *base (read when a failure is recorded;
 * NULL: the stream's start). */
static inline void ng__perr_window(ng__perr *pe, const char *input, size_t len,
                                   const ng__spos *base) {
  pe->input = input;
  pe->len = len;
  pe->base = base;
}

#endif /* NG_PARSERS_COMMON_ERRORS_H */
