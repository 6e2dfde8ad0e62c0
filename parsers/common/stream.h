/*
 * parsers/common/stream.h - the format-agnostic half of push parsing: the
 * input side of a stream fed in chunks.
 *
 * A format's lexer reads one buffer at a time, a "window": the part of the
 * current chunk not read yet, or the carry. When the lexer stops at the end
 * of a window that is not the last one (a token, or the end itself, that
 * reaches the window's end: it may go on in the next chunk), the format
 * calls ng__stream_stop with the bytes used; only the unfinished token's
 * bytes are kept, in the carry. The next chunk is appended to the carry in
 * growing pieces (never whole: a piece is about as long as the carry) until
 * the token completes, and lexing goes on in the chunk itself as soon as
 * the lexer stops inside a piece. So the stream holds one token at most,
 * never the input, and the hot path of every chunk is the one-shot lexer's.
 *
 * Positions: old chunks are gone, so the stream keeps the absolute offset,
 * line and column of the window's first byte, counting lines in what each
 * window consumed; an error inside a window is located from there
 * (ng__perr_window). A format with XML's line ends sets pos.crlf after
 * ng__stream_init. max_input counts every byte fed.
 *
 * Nothing here knows a format: JSON (parsers/json/stream.c) and XML use it
 * the same way.
 */
#ifndef NG_PARSERS_COMMON_STREAM_H
#define NG_PARSERS_COMMON_STREAM_H

#include <stddef.h>

#include "nestguard/alloc.h"
#include "nestguard/error.h"

/* An engine's status besides NG_OK and the NG_E* codes: it stopped at a
 * token boundary for more input, its state kept for the next run. */
#define NG__SUSPENDED (-1)

/* ng__stream_stop: the unfinished token outgrew the carry's bound. */
#define NG__STREAM_TOOLONG (-2)

/* A position in a stream: byte offset, 1-based line and byte column. */
typedef struct ng__spos {
  size_t off;  /* bytes before it */
  size_t line; /* "\n" ends a line */
  size_t col;  /* bytes since the line's start, plus one */
  int crlf;    /* XML's lines (2.11): CR, LF and CR LF each end one, and
                  the LF of a CR LF is column 1 of the next line */
  int cr;      /* crlf: the byte before it is a CR */
} ng__spos;

/* The start of a stream: 0, 1, 1, "\n" lines. */
void ng__spos_init(ng__spos *p);

/* Moves p over the n bytes at s. */
void ng__spos_advance(ng__spos *p, const char *s, size_t n);

typedef struct ng__stream {
  const ng_alloc *alc; /* the carry's allocator; NULL: libc */
  char *carry;         /* an unfinished token's bytes, then a piece of the
                          chunk; NULL until first needed */
  size_t carry_len;    /* bytes in carry */
  size_t carry_cap;    /* bytes allocated at carry */
  size_t carry_max;    /* most bytes one unfinished token may take */
  size_t carry_old;    /* carry window: bytes before the chunk's piece */
  const char *chunk;   /* the chunk being fed (the caller's) */
  size_t chunk_len;    /* its length */
  size_t chunk_pos;    /* its bytes before this one are consumed or in the
                          carry */
  const char *win;     /* the window handed out, or NULL */
  size_t win_len;      /* its length */
  int final;           /* the chunk is the last of the input */
  int ended;           /* the last window (partial 0) was handed out */
  ng__spos pos;        /* stream position of the window's (or the carry's,
                          between windows) first byte */
  size_t fed;          /* bytes fed so far */
  size_t max_input;    /* bytes allowed in all; SIZE_MAX: unlimited */
} ng__stream;

/* An empty stream. max_input: the option (0: unlimited). carry_max: the
 * longest token the format carries over a chunk boundary. Allocates
 * nothing. */
void ng__stream_init(ng__stream *s, const ng_alloc *alc, size_t max_input,
                     size_t carry_max);

/* Back to the start of a new input, keeping the carry's memory and the
 * kind of lines (pos.crlf). */
void ng__stream_reset(ng__stream *s);

/* Releases the carry. */
void ng__stream_free(ng__stream *s);

/*
 * Takes the next chunk data[0..len) (final: the last one; len may be 0).
 * NG_OK, or NG_EINPUTLIMIT with *at the position of byte max_input (the
 * chunk is then not taken).
 */
int ng__stream_chunk(ng__stream *s, const char *data, size_t len, int final,
                     ng__spos *at);

/*
 * The next window: returns NG_OK and sets *data, *len and *partial (more
 * input may follow its end), with s->pos at its first byte; NG__SUSPENDED
 * when the chunk is used up and more input is needed; NG_ENOMEM when the
 * carry cannot grow. *data is never NULL.
 */
int ng__stream_window(ng__stream *s, const char **data, size_t *len,
                      int *partial);

/*
 * The lexer stopped `used` bytes into the window, at a token it cannot
 * finish without more input (or at the window's end). Keeps the rest for
 * the next window. NG_OK, NG_ENOMEM, or NG__STREAM_TOOLONG (then s->pos is
 * at the token's start).
 */
int ng__stream_stop(ng__stream *s, size_t used);

/*
 * A call a format's stream refuses: NG_EINVAL (a NULL argument) or
 * NG_ESTATE (the stream is finished), recorded in *err (may be NULL) with
 * no position. Returns code.
 */
int ng__stream_refuse(int code, ng_error *err);

#endif /* NG_PARSERS_COMMON_STREAM_H */
