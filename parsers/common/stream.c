/*
 * parsers/common/stream.c - the input side of push parsing (stream.h).
 */
#include "stream.h"

#include <stdint.h>
#include <string.h>

#include "internal.h"
#include "lines.h"
#include "nestguard/error.h"
#include "nestguard/limits.h"

/* The smallest piece of a chunk appended to the carry: most tokens that
 * span a boundary complete within it. */
#define NG__STREAM_PIECE 64

void ng__spos_init(ng__spos *p) {
  p->off = 0;
  p->line = 1;
  p->col = 1;
  p->crlf = 0;
  p->cr = 0;
}

void ng__spos_advance(ng__spos *p, const char *s, size_t n) {
  size_t lines;

  if (n == 0)
    return;
  lines = p->crlf ? ng__lines_xml(s, n, p->cr) : ng__lines_lf(s, n);
  p->off += n;
  p->line += lines;
  if (lines != 0 || (p->crlf && p->cr && s[0] == '\n')) /* any CR or LF */
    p->col = 1 + n - ng__lines_last(s, n, p->crlf); /* column 1 after it */
  else
    p->col += n;
  p->cr = s[n - 1] == '\r';
}

void ng__stream_init(ng__stream *s, const ng_alloc *alc, size_t max_input,
                     size_t carry_max) {
  memset(s, 0, sizeof *s);
  s->alc = alc;
  s->max_input = ng_limit_clamp(max_input, SIZE_MAX);
  s->carry_max = carry_max;
  ng__spos_init(&s->pos);
}

void ng__stream_reset(ng__stream *s) {
  char *carry = s->carry;
  size_t cap = s->carry_cap;
  int crlf = s->pos.crlf;

  ng__stream_init(s, s->alc, s->max_input, s->carry_max);
  s->pos.crlf = crlf;
  s->carry = carry;
  s->carry_cap = cap;
}

void ng__stream_free(ng__stream *s) {
  if (s->carry != NULL)
    ng__free(s->alc, s->carry, s->carry_cap);
  s->carry = NULL;
  s->carry_cap = 0;
  s->carry_len = 0;
}

int ng__stream_chunk(ng__stream *s, const char *data, size_t len, int final,
                     ng__spos *at) {
  size_t room = s->max_input - s->fed;

  if (len > room) {
    /* The position of byte max_input: after the carry, in this chunk. */
    *at = s->pos;
    ng__spos_advance(at, s->carry, s->carry_len);
    ng__spos_advance(at, data, room);
    return NG_EINPUTLIMIT;
  }
  s->fed += len;
  s->chunk = data;
  s->chunk_len = len;
  s->chunk_pos = 0;
  s->final = final;
  return NG_OK;
}

/* Makes room for n more bytes in the carry. */
static int carry_reserve(ng__stream *s, size_t n) {
  size_t cap = s->carry_cap < NG__STREAM_PIECE ? NG__STREAM_PIECE
                                               : s->carry_cap;
  char *nb;

  if (n <= s->carry_cap - s->carry_len)
    return NG_OK;
  while (cap - s->carry_len < n) {
    if (cap > SIZE_MAX / 2)
      return NG_ENOMEM;
    cap *= 2;
  }
  nb = s->carry == NULL ? ng__malloc(s->alc, cap)
                        : ng__realloc(s->alc, s->carry, s->carry_cap, cap);
  if (nb == NULL)
    return NG_ENOMEM;
  s->carry = nb;
  s->carry_cap = cap;
  return NG_OK;
}

/* The carry with the next piece of the chunk appended. */
static int carry_window(ng__stream *s) {
  size_t rest = s->chunk_len - s->chunk_pos;
  size_t k = s->carry_len > NG__STREAM_PIECE ? s->carry_len : NG__STREAM_PIECE;

  if (k > rest)
    k = rest;
  if (carry_reserve(s, k) != NG_OK)
    return NG_ENOMEM;
  if (k != 0)
    memcpy(s->carry + s->carry_len, s->chunk + s->chunk_pos, k);
  s->carry_old = s->carry_len;
  s->carry_len += k;
  s->chunk_pos += k;
  s->win = s->carry;
  s->win_len = s->carry_len;
  return NG_OK;
}

int ng__stream_window(ng__stream *s, const char **data, size_t *len,
                      int *partial) {
  static const char empty[1] = {0};
  int rc;

  if (s->ended)
    return NG__SUSPENDED;
  if (s->carry_len != 0) {
    if (s->chunk_pos == s->chunk_len && !s->final)
      return NG__SUSPENDED;
    if ((rc = carry_window(s)) != NG_OK)
      return rc;
  } else {
    if (s->chunk_pos == s->chunk_len && !s->final)
      return NG__SUSPENDED;
    s->win = s->chunk_len != 0 ? s->chunk + s->chunk_pos : empty;
    s->win_len = s->chunk_len - s->chunk_pos;
    s->carry_old = 0;
    s->chunk_pos = s->chunk_len;
  }
  *partial = !(s->final && s->chunk_pos == s->chunk_len);
  s->ended = !*partial;
  *data = s->win;
  *len = s->win_len;
  return NG_OK;
}

int ng__stream_stop(ng__stream *s, size_t used) {
  const char *win = s->win;
  size_t tail = s->win_len - used;
  int in_carry = win == s->carry && win != NULL;

  ng__spos_advance(&s->pos, win, used);
  s->win = NULL;
  if (in_carry && used >= s->carry_old && s->chunk_pos < s->chunk_len) {
    /* The tail lies in the chunk, which goes on: continue there. */
    s->chunk_pos -= tail;
    s->carry_len = 0;
    return NG_OK;
  }
  if (tail > s->carry_max)
    return NG__STREAM_TOOLONG;
  if (in_carry) {
    memmove(s->carry, s->carry + used, tail);
    s->carry_len = tail;
    return NG_OK;
  }
  s->carry_len = 0;
  if (carry_reserve(s, tail) != NG_OK)
    return NG_ENOMEM;
  if (tail != 0)
    memcpy(s->carry, win + used, tail);
  s->carry_len = tail;
  return NG_OK;
}

int ng__stream_refuse(int code, ng_error *err) {
  ng_error_clear(err);
  return ng__error_at(err, code, NULL, 0, 0, 0,
                      code == NG_EINVAL ? "NULL argument" : "stream finished");
}
