/*
 * parsers/common/stream.c - the input side of push parsing (stream.h).
 */
#include "stream.h"

#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "descent.h"
#include "internal.h"
#include "nestguard/error.h"
#include "nestguard/limits.h"
#include "nestguard/stack.h"
#include "parse.h"
#include "usercall.h"

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
  ng__spos_move(p, s, n);
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
  unsigned char log = s->carry_log;
  int crlf = s->pos.crlf;

  ng__stream_init(s, s->alc, s->max_input, s->carry_max);
  s->pos.crlf = crlf;
  s->carry = carry;
  s->carry_log = log;
}

/* 16 bytes for move_bytes: one unaligned load or store. */
typedef struct ng__blk16 {
  uint64_t a, b;
} ng__blk16;

/*
 * Moves n bytes from src to dst, which may overlap. Up to 64 bytes (a
 * window's piece and a cut token at small chunks, at every feed) inline,
 * in overlapping blocks all loaded before any is stored; more with
 * memmove. Its call cost 20-odd instructions of a 64-byte feed's ~700.
 */
static inline void move_bytes(char *dst, const char *src, size_t n) {
  ng__blk16 b0, b1, b2, b3;

  if (n < 16) {
    ng__bytes_short(dst, src, n);
    return;
  }
  if (n > 64) {
    memmove(dst, src, n);
    return;
  }
  memcpy(&b0, src, 16);
  memcpy(&b1, src + n - 16, 16);
  if (n > 32) {
    memcpy(&b2, src + 16, 16);
    memcpy(&b3, src + n - 32, 16);
    memcpy(dst + 16, &b2, 16);
    memcpy(dst + n - 32, &b3, 16);
  }
  memcpy(dst, &b0, 16);
  memcpy(dst + n - 16, &b1, 16);
}

/* The chunk's bytes from which a carry window's piece ends where the
 * format's token_end says the cut token does: the lexer then stops at a
 * token boundary, not in the token after it, and the next window (the
 * chunk) starts there. In smaller chunks the piece takes all of it: one
 * window a chunk. */
#define NG__STREAM_SPLIT 256

/* Bytes allocated at s->carry. */
static size_t carry_cap(const ng__stream *s) {
  return s->carry == NULL ? 0 : (size_t)NG__STREAM_PIECE << s->carry_log;
}

void ng__stream_free(ng__stream *s) {
  if (s->carry != NULL)
    ng__free(s->alc, s->carry, carry_cap(s));
  s->carry = NULL;
  s->carry_log = 0;
  s->carry_len = 0;
}

/*
 * Takes the next chunk data[0..len) (final: the last one; len may be 0),
 * kept in *call, which must outlive the windows of this chunk (the
 * caller's frame). NG_OK, or NG_EINPUTLIMIT with *at the position of byte
 * max_input (the chunk is then not taken).
 */
static int stream_chunk(ng__stream *s, ng__stream_call *call,
                        const char *data, size_t len, int final,
                        ng__spos *at) {
  size_t room = s->max_input - s->fed;

  s->call = call;
  call->win = NULL;
  call->carry_old = 0;
  call->token_end = NULL;
  if (NG_UNLIKELY(len > room)) {
    /* The position of byte max_input: after the carry, in this chunk. */
    *at = s->pos;
    ng__spos_advance(at, s->carry, s->carry_len);
    ng__spos_advance(at, data, room);
    call->chunk = NULL;
    call->chunk_len = call->chunk_pos = 0;
    return NG_EINPUTLIMIT;
  }
  s->fed += len;
  call->chunk = data;
  call->chunk_len = len;
  call->chunk_pos = 0;
  s->final = (unsigned char)final;
  return NG_OK;
}

/* Grows the carry for n more bytes: NG_OK or NG_ENOMEM. */
static NG_NOINLINE int carry_grow(ng__stream *s, size_t n) {
  size_t old = carry_cap(s), cap = (size_t)NG__STREAM_PIECE << s->carry_log;
  unsigned log = s->carry_log;
  char *nb;

  while (cap - s->carry_len < n) {
    if (cap > SIZE_MAX / 2)
      return NG_ENOMEM;
    cap *= 2;
    log++;
  }
  nb = s->carry == NULL ? ng__malloc(s->alc, cap)
                        : ng__realloc(s->alc, s->carry, old, cap);
  if (nb == NULL)
    return NG_ENOMEM;
  s->carry = nb;
  s->carry_log = (unsigned char)log;
  return NG_OK;
}

/* Makes room for n more bytes in the carry. */
static inline int carry_reserve(ng__stream *s, size_t n) {
  if (NG_LIKELY(n <= carry_cap(s) - s->carry_len))
    return NG_OK;
  return carry_grow(s, n);
}

/* The piece of rest >= NG__STREAM_SPLIT chunk bytes to append to the
 * carry: up to the cut token's end when the format finds it within the
 * carry's bound, else k bytes. */
static size_t token_piece(const ng__stream *s, size_t rest, size_t k) {
  const ng__stream_call *c = s->call;
  size_t m;

  if (c->token_end == NULL)
    return k;
  m = c->token_end(s->carry, s->carry_len, c->chunk + c->chunk_pos, rest);
  if (m == 0 || s->carry_len > s->carry_max ||
      m > s->carry_max - s->carry_len)
    return k;
  return m;
}

/* The carry with the next piece of the chunk appended. */
static inline int carry_window(ng__stream *s) {
  ng__stream_call *c = s->call;
  size_t rest = c->chunk_len - c->chunk_pos;
  size_t k = s->carry_len > NG__STREAM_PIECE ? s->carry_len : NG__STREAM_PIECE;

  if (k > rest)
    k = rest;
  else if (rest >= NG__STREAM_SPLIT)
    k = token_piece(s, rest, k);
  if (NG_UNLIKELY(carry_reserve(s, k) != NG_OK))
    return NG_ENOMEM;
  if (k != 0) /* the carry and the chunk may both be NULL then */
    move_bytes(s->carry + s->carry_len, c->chunk + c->chunk_pos, k);
  c->carry_old = s->carry_len;
  s->carry_len += k;
  c->chunk_pos += k;
  c->win = s->carry;
  c->win_len = s->carry_len;
  return NG_OK;
}

/* Carry bytes from which a token that every window cuts is lexed again
 * only when the carry has crossed a power of two (carry_wait). */
#define NG__STREAM_DEFER 4096

/*
 * Whether the cut token in the carry waits for more input instead of
 * being lexed again from its start: small chunks would make a long token
 * (a number, a run of letters the window's end trims, a string with
 * escapes) cost its length at every feed, quadratic in all. From
 * NG__STREAM_DEFER bytes on, a chunk that does not take the carry across
 * a power of two is appended to it whole and the window waits, so a token
 * is lexed at lengths that double: linear in all. Not on the last chunk,
 * nor past carry_max (stop then reports the token). The bytes, and so
 * every result and position, are the same; only a long token's events
 * and errors may come a few feeds later.
 */
static inline int carry_wait(ng__stream *s) {
  ng__stream_call *c = s->call;
  size_t rest = c->chunk_len - c->chunk_pos, len = s->carry_len + rest;

  if (s->final || rest >= s->carry_len || len > s->carry_max ||
      (s->carry_len ^ len) > s->carry_len || carry_reserve(s, rest) != NG_OK)
    return 0;
  memcpy(s->carry + s->carry_len, c->chunk + c->chunk_pos, rest);
  s->carry_len = len;
  c->chunk_pos = c->chunk_len;
  return 1;
}

/*
 * The next window: returns NG_OK and sets *data, *len and *partial (more
 * input may follow its end), with s->pos at its first byte; NG__SUSPENDED
 * when the chunk is used up and more input is needed; NG_ENOMEM when the
 * carry cannot grow. *data is never NULL.
 */
NG_INLINE int stream_window(ng__stream *s, const char **data, size_t *len,
                            int *partial) {
  static const char empty[1] = {0};
  ng__stream_call *c = s->call;

  if (ng__stream_used_up(s))
    return NG__SUSPENDED;
  if (s->carry_len != 0) {
    if (NG_UNLIKELY(s->carry_len >= NG__STREAM_DEFER) && carry_wait(s))
      return NG__SUSPENDED;
    if (NG_UNLIKELY(carry_window(s) != NG_OK))
      return NG_ENOMEM;
  } else {
    c->win = c->chunk_len != 0 ? c->chunk + c->chunk_pos : empty;
    c->win_len = c->chunk_len - c->chunk_pos;
    c->carry_old = 0;
    c->chunk_pos = c->chunk_len;
  }
  *partial = !(s->final && c->chunk_pos == c->chunk_len);
  s->ended = (unsigned char)!*partial;
  *data = c->win;
  *len = c->win_len;
  return NG_OK;
}

int ng__stream_stop_tail(ng__stream *s, size_t used) {
  ng__stream_call *c = s->call;
  const char *win = c->win;
  size_t tail = c->win_len - used;

  ng__spos_move(&s->pos, win, used);
  c->win = NULL;
  if (win != s->carry || win == NULL) { /* the chunk: the carry is empty */
    if (tail == 0) /* an empty window (NULL with the carry); the chunk's
                      other stops at its end are ng__stream_stop's */
      return NG_OK;
    if (tail > s->carry_max)
      return NG__STREAM_TOOLONG;
    if (carry_reserve(s, tail) != NG_OK)
      return NG_ENOMEM;
    move_bytes(s->carry, win + used, tail);
    s->carry_len = tail;
    return NG_OK;
  }
  if (used >= c->carry_old && c->chunk_pos < c->chunk_len) {
    /* The tail lies in the chunk, which goes on: continue there. */
    c->chunk_pos -= tail;
    s->carry_len = 0;
    return NG_OK;
  }
  if (tail > s->carry_max)
    return NG__STREAM_TOOLONG;
  if (used != 0)
    move_bytes(s->carry, s->carry + used, tail);
  s->carry_len = tail;
  return NG_OK;
}

void ng__stream_swap(ng__stream *s, const char *data, size_t len) {
  ng__stream_call *c = s->call;

  s->carry_len = 0;
  s->ended = 0;
  c->chunk = data;
  c->chunk_len = len;
  c->chunk_pos = 0;
  c->win = NULL;
  c->win_len = 0;
  c->carry_old = 0;
}

int ng__stream_refuse(int code, ng_error *err) {
  ng__error_clear(err);
  return ng__error_at(err, code, NULL, 0, 0, 0,
                      code == NG_EINVAL ? "NULL argument" : "stream finished");
}

/* ------------------------------------------------ a format's stream */

/* Where the guard starts after a block of size bytes. */
static size_t guard_at(size_t size) {
  size_t a = _Alignof(ng__alc_guard);
  return (size + a - 1) / a * a;
}

size_t ng__sfront_size(size_t size, const ng_alloc *user) {
  return user != NULL ? guard_at(size) + sizeof(ng__alc_guard) : size;
}

const ng_alloc *ng__sfront_guard(void *block, size_t size,
                                 const ng_alloc *user, size_t budget) {
  if (user == NULL)
    return NULL;
  return ng__alc_guard_init(
      (ng__alc_guard *)(void *)((char *)block + guard_at(size)), user, budget);
}

void ng__sfront_init(ng__sfront *f, const ng__sfront_ops *ops,
                     const ng_alloc *alc, size_t max_input, size_t carry_max) {
  memset(f, 0, sizeof *f);
  f->ops = ops;
  ng__stream_init(&f->in, alc, max_input, carry_max);
  f->state = NG__SF_BETWEEN;
}

int ng__sfront_fail_at(ng__sfront *f, int code, const ng__spos *at,
                       size_t depth, const char *msg) {
  ng__parse *c = ng__sfront_parse(f);
  ng_error *e = c->perr.err;

  e->code = code;
  e->offset = at->off;
  e->line = at->line;
  e->column = at->col;
  e->depth = depth;
  if (msg == NULL)
    msg = ng_strerror(code);
  strncpy(e->msg, msg, sizeof e->msg - 1);
  e->msg[sizeof e->msg - 1] = '\0';
  if (c->perr.code == NG_OK) /* it stands: a task unwinding after it */
    c->perr.code = code;     /* records nothing */
  return code;
}

/* The thread's scheduler for streams given none, and how many use it. */
static _Thread_local ng_sched *thread_sched;
static _Thread_local size_t thread_sched_users;

int ng__sfront_sched(ng__sfront *f, ng_sched *given) {
  int rc;

  if (given != NULL) {
    f->sched = given;
    return NG_OK;
  }
  if (thread_sched == NULL &&
      (rc = ng__sched_new_lazy(&thread_sched, NULL)) != NG_OK)
    return rc;
  thread_sched_users++;
  f->sched = thread_sched;
  f->own_sched = 1;
  return NG_OK;
}

static void sched_drop(ng__sfront *f) {
  if (f->own_sched && --thread_sched_users == 0) {
    ng__sched_keep(thread_sched);
    thread_sched = NULL;
  }
  f->sched = NULL;
  f->own_sched = 0;
}

static int task_main(void *arg) {
  ng__sfront *f = arg;

  return f->ops->engine(f);
}

/* Runs the document's task until it parks for input (NG__SUSPENDED) or
 * ends (its result); spawns it on the first run, and later resumes it
 * directly when nothing else on the scheduler is runnable. */
static int task_run(ng__sfront *f) {
  ng_task_opts topts = {ng__sfront_parse(f)->max_stack, 0};
  int rc;

  f->parked = 0;
  if (f->task != NULL) {
    rc = ng_task_resume(f->task);
  } else {
    ng__descent_bind(); /* before the task's scanners call libc */
    rc = ng_task_spawn(f->sched, &f->task, task_main, f, &topts);
    if (rc != NG_OK)
      return f->ops->fail_here(f, rc, "cannot start the parse's task");
    rc = ng_sched_run(f->sched);
  }
  if (rc != NG_OK) /* the task may not have run: task_end cancels it */
    return f->ops->fail_here(f, rc, NULL);
  if (f->parked)
    return NG__SUSPENDED;
  ng_task_join(f->task, &rc);
  f->task = NULL;
  return rc;
}

/* Ends the document's task if there is one: a task not ended unwinds at
 * its (next) wait; an ended one is only joined (the cancel's NG_ESTATE). */
static void task_end(ng__sfront *f) {
  if (f->task == NULL)
    return;
  ng_task_cancel(f->task);
  ng_task_join(f->task, NULL);
  f->task = NULL;
}

/* Drops the document in progress. */
static void doc_drop(ng__sfront *f) {
  task_end(f);
  f->ops->drop(f);
  f->ops->doc_free(f->doc);
  f->doc = NULL;
}

/* Takes the next window into the lexer: NG_OK, NG__SUSPENDED (more input
 * needed) or the recorded error. */
static int next_window(ng__sfront *f) {
  const char *data;
  size_t len;
  int partial, rc;

  do {
    rc = stream_window(&f->in, &data, &len, &partial);
    if (rc == NG__SUSPENDED)
      return rc;
    if (rc != NG_OK)
      return ng__sfront_fail_at(f, rc, &f->in.pos,
                                ng__sfront_parse(f)->depth.cur, NULL);
    rc = f->ops->take(f, data, len, partial);
  } while (rc == NG__SUSPENDED); /* kept: the carry doubles */
  f->have_win = rc == NG_OK;
  return rc;
}

/* The lexer stopped for more input: keeps the unfinished token (once:
 * the task may have stopped its window already, take_next_here). */
static int stop_window(ng__sfront *f) {
  if (!f->have_win)
    return NG_OK;
  f->have_win = 0;
  return f->ops->stop(f);
}

/* Whether the window the lexer used up is the carry's and the chunk goes
 * on after its piece. */
static int chunk_follows(const ng__sfront *f) {
  const ng__stream_call *c = f->in.call;

  return c->win != NULL && c->win == f->in.carry &&
         c->chunk_pos < c->chunk_len;
}

/* The carry window is used up and the chunk goes on: stops it and, when
 * its token completed (the carry is empty), takes the chunk's window
 * here, in the task, sparing a park and a resume (one a feed at 4 KiB
 * chunks). NG_OK (the engine reads on), the recorded error, or
 * NG__SUSPENDED: park (pump then takes the next window, the stop done).
 * Not next_window, which stays inline in pump alone. */
static NG_NOINLINE int take_next_here(ng__sfront *f) {
  const char *data;
  size_t len;
  int partial, rc = stop_window(f);

  if (rc != NG_OK)
    return rc;
  if (f->in.carry_len != 0 ||
      stream_window(&f->in, &data, &len, &partial) != NG_OK)
    return NG__SUSPENDED; /* (the chunk's window needs no allocation) */
  rc = f->ops->take(f, data, len, partial);
  f->have_win = rc == NG_OK;
  return rc;
}

/* Tail calls, here and in task_main: a parked task's saved stack keeps
 * neither frame (docs/streaming.md, what a parked stream holds). */
int ng__sfront_wait(void *ud) {
  ng__sfront *f = ud;
  int rc;

  if (chunk_follows(f) && (rc = take_next_here(f)) != NG__SUSPENDED)
    return rc;
  f->parked = 1;
  return ng_task_park();
}

/* Runs (or resumes) the document's engine. */
static int run(ng__sfront *f) {
  int rc = f->sched != NULL ? task_run(f) : f->ops->engine(f);

  if (rc == NG_OK || rc == NG__SUSPENDED || f->ops->failed == NULL)
    return rc;
  return f->ops->failed(f, rc);
}

/*
 * Runs the parse over the input taken so far: windows in turn, documents
 * as they complete. NG_OK when the input is used up (or the stream
 * ended), else the recorded error.
 */
static int pump(ng__sfront *f) {
  int rc;

  while (f->state != NG__SF_ENDED) {
    if (!f->have_win && (rc = next_window(f)) != NG_OK)
      return rc == NG__SUSPENDED ? NG_OK : rc;
    if (f->state == NG__SF_BETWEEN && f->ops->begin != NULL &&
        (rc = f->ops->begin(f)) != NG_OK) {
      if (rc != NG__SUSPENDED)
        return rc;
      if (f->state != NG__SF_ENDED && (rc = stop_window(f)) != NG_OK)
        return rc;
      continue;
    }
    rc = run(f);
    if (rc == NG__SUSPENDED) {
      if ((rc = stop_window(f)) != NG_OK || ng__stream_used_up(&f->in))
        return rc;
      continue;
    }
    if (rc != NG_OK || (rc = f->ops->end(f)) != NG_OK)
      return rc;
  }
  return NG_OK;
}

/* The chunk taken, converted if the format does, parsed. */
static int take_chunk(ng__sfront *f, ng__stream_call *call) {
  int rc;

  call->token_end = f->ops->token_end;
  if (f->ops->convert != NULL && (rc = f->ops->convert(f, call)) != NG_OK)
    return rc;
  return pump(f);
}

/* Starts a feed or finish: errors go to its record rec, which the parse
 * context's points to until the call ends. Only what a failure may leave
 * unwritten is cleared (a whole clear is a `rep stos` of 17 steps, at
 * every feed); the message's tail is zeroed once a failure keeps it
 * (call_end). */
static void call_begin(ng__sfront *f, ng_error *rec) {
  rec->code = NG_OK;
  rec->offset = rec->line = rec->column = rec->depth = 0;
  rec->msg[0] = '\0';
  ng__sfront_parse(f)->perr.err = rec;
}

/* A call's failure rc: drops the document and makes the failure sticky,
 * its record kept in f->fail (NULL if that cannot be allocated: the code
 * alone); the caller's record *err (may be NULL) is set. */
static NG_NOINLINE void call_fail(ng__sfront *f, int rc, ng_error *err) {
  ng_error *rec = NG__SF_ERR(f); /* before the drop, which may unwind a task */
  size_t n;

  if (f->state == NG__SF_IN_DOC)
    doc_drop(f);
  n = strlen(rec->msg);
  memset(rec->msg + n, 0, sizeof rec->msg - n); /* as a cleared record */
  f->state = NG__SF_FAILED;
  f->rc = (short)rc;
  f->fail = ng__malloc(f->in.alc, sizeof *f->fail);
  if (f->fail != NULL)
    *f->fail = *rec;
  if (err != NULL)
    *err = *rec;
}

/* Ends a call with rc: a failure goes through call_fail (out of line);
 * on success the caller's record *err (may be NULL) is cleared. */
static inline int call_end(ng__sfront *f, int rc, ng_error *err) {
  if (NG_UNLIKELY(rc != NG_OK))
    call_fail(f, rc, err);
  else
    ng__error_clear(err);
  ng__sfront_parse(f)->perr.err = NULL;
  f->in.call = NULL;
  return rc;
}

/* A call after the failure: its error again. */
static int sticky(const ng__sfront *f, ng_error *err) {
  if (f->fail != NULL) {
    if (err != NULL)
      *err = *f->fail;
    return f->rc;
  }
  ng__error_clear(err);
  return ng__error_at(err, f->rc, NULL, 0, 0, 0, NULL);
}

int ng__sfront_feed(ng__sfront *f, const char *data, size_t len,
                    ng_error *err) {
  ng__stream_call call;
  ng_error rec;
  ng__spos at;
  int rc;

  if (f == NULL || (data == NULL && len != 0))
    return ng__stream_refuse(NG_EINVAL, err);
  if (f->state == NG__SF_ENDED || (f->in.final && f->state != NG__SF_FAILED))
    return ng__stream_refuse(NG_ESTATE, err);
  if (f->state == NG__SF_FAILED)
    return sticky(f, err);
  call_begin(f, &rec);
  rc = stream_chunk(&f->in, &call, data, len, 0, &at);
  if (rc == NG_OK)
    return call_end(f, take_chunk(f, &call), err);
  if (f->ops->limit != NULL) /* max_input's position, the format's way */
    f->ops->limit(f, data, len, &at);
  rc = ng__sfront_fail_at(f, rc, &at, 0, "input longer than max_input");
  return call_end(f, rc, err);
}

int ng__sfront_finish(ng__sfront *f, void **doc, ng_error *err) {
  ng__stream_call call;
  ng_error rec;
  ng__spos at;
  int rc;

  if (doc != NULL)
    *doc = NULL;
  if (f == NULL)
    return ng__stream_refuse(NG_EINVAL, err);
  if (f->state == NG__SF_FAILED)
    return sticky(f, err);
  if (f->in.final)
    return ng__stream_refuse(NG_ESTATE, err);
  call_begin(f, &rec);
  rc = stream_chunk(&f->in, &call, NULL, 0, 1, &at);
  if (rc == NG_OK)
    rc = take_chunk(f, &call);
  rc = call_end(f, rc, err);
  if (rc == NG_OK && f->doc != NULL) {
    if (doc != NULL)
      *doc = f->doc;
    else
      f->ops->doc_free(f->doc);
    f->doc = NULL;
  }
  return rc;
}

void ng__sfront_reset(ng__sfront *f) {
  if (f == NULL)
    return;
  if (f->state == NG__SF_IN_DOC)
    doc_drop(f);
  f->ops->doc_free(f->doc);
  f->doc = NULL;
  ng__free(f->in.alc, f->fail, sizeof *f->fail);
  f->fail = NULL;
  f->ops->reset(f);
  ng__stream_reset(&f->in);
  f->state = NG__SF_BETWEEN;
  f->rc = NG_OK;
  f->have_win = 0;
}

void ng__sfront_free(ng__sfront *f) {
  ng__sfront_reset(f);
  sched_drop(f);
  ng__stream_free(&f->in);
}
