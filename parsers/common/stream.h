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
 * growing pieces (never whole: a piece is about as long as the carry, or
 * in a chunk of NG__STREAM_SPLIT bytes or more, what the format's
 * token_end says completes the token) until the token completes, and
 * lexing goes on in the chunk itself as soon as the lexer stops inside a
 * piece. So the stream holds one token at most,
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

#include "errors.h"
#include "lines.h"
#include "nestguard/alloc.h"
#include "nestguard/error.h"
#include "parse.h"

/* An engine's status besides NG_OK and the NG_E* codes: it stopped at a
 * token boundary for more input, its state kept for the next run. */
#define NG__SUSPENDED (-1)

/* ng__stream_stop: the unfinished token outgrew the carry's bound. */
#define NG__STREAM_TOOLONG (-2)

/* The start of a stream: 0, 1, 1, "\n" lines. */
void ng__spos_init(ng__spos *p);

/* Moves p over the n bytes at s. */
void ng__spos_advance(ng__spos *p, const char *s, size_t n);

/* ng__spos_advance inline, in the stop of every window. */
static inline void ng__spos_move(ng__spos *p, const char *s, size_t n) {
  size_t after;

  if (n == 0)
    return;
  p->line += ng__lines_count(s, n, p->crlf, p->cr, &after);
  p->off += n;
  p->col = after != 0 ? 1 + n - after : p->col + n; /* 1 after a line end */
  p->cr = s[n - 1] == '\r';
}

/* What a stream holds only while a chunk is fed: on the feeding call's
 * stack, so that a parked stream does not keep it. */
typedef struct ng__stream_call {
  const char *chunk;   /* the chunk being fed (the caller's) */
  size_t chunk_len;    /* its length */
  size_t chunk_pos;    /* its bytes before this one are consumed or in the
                          carry */
  const char *win;     /* the window handed out, or NULL */
  size_t win_len;      /* its length */
  size_t carry_old;    /* carry window: bytes before the chunk's piece */
  /* The format's: how many bytes of next[0..n) end the token cut in
   * tok[0..len) (0 < len), so that a carry window ends at a token's end
   * rather than in the next one; 0 when not found. NULL: a fixed piece.
   * Any answer gives the same result (windows may end anywhere). */
  size_t (*token_end)(const char *tok, size_t len, const char *next,
                      size_t n);
} ng__stream_call;

typedef struct ng__stream {
  const ng_alloc *alc; /* the carry's allocator; NULL: libc */
  char *carry;         /* an unfinished token's bytes, then a piece of the
                          chunk; NULL until first needed */
  size_t carry_len;    /* bytes in carry */
  size_t carry_max;    /* most bytes one unfinished token may take */
  ng__stream_call *call; /* the chunk being fed, or NULL between
                            calls */
  ng__spos pos;        /* stream position of the window's (or the carry's,
                          between windows) first byte */
  size_t fed;          /* bytes fed so far */
  size_t max_input;    /* bytes allowed in all; SIZE_MAX: unlimited */
  unsigned char final; /* the chunk is the last of the input */
  unsigned char ended; /* the last window (partial 0) was handed out */
  unsigned char carry_log; /* carry: 64 << carry_log bytes allocated (the
                              carry doubles from 64) */
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

/* Nonzero when the next window would not come (NG__SUSPENDED): the chunk is
 * used up (and not the last), or the last window was handed out. */
static inline int ng__stream_used_up(const ng__stream *s) {
  return s->ended ||
         (s->call->chunk_pos == s->call->chunk_len && !s->final);
}

/* ng__stream_stop's other cases: a tail to keep, or the carry's window. */
int ng__stream_stop_tail(ng__stream *s, size_t used);

/*
 * The lexer stopped `used` bytes into the window, at a token it cannot
 * finish without more input (or at the window's end). Keeps the rest for
 * the next window. NG_OK, NG_ENOMEM, or NG__STREAM_TOOLONG (then s->pos is
 * at the token's start). Inline where it ends a window of the chunk, the
 * common stop at every feed: nothing is kept then.
 */
static inline int ng__stream_stop(ng__stream *s, size_t used) {
  ng__stream_call *c = s->call;

  if (used == c->win_len && c->win != s->carry) {
    ng__spos_move(&s->pos, c->win, used);
    c->win = NULL;
    return NG_OK;
  }
  return ng__stream_stop_tail(s, used);
}

/*
 * The format converted the input (XML transcoding to UTF-8): the carry and
 * the chunk's bytes not handed out yet are replaced by data[0..len), which
 * the stream reads as the rest of the chunk (it must outlive the chunk's
 * windows); the window handed out is dropped, none of it used.
 */
void ng__stream_swap(ng__stream *s, const char *data, size_t len);

/*
 * A call a format's stream refuses: NG_EINVAL (a NULL argument) or
 * NG_ESTATE (the stream is finished), recorded in *err (may be NULL) with
 * no position. Returns code.
 */
int ng__stream_refuse(int code, ng_error *err);

/* ------------------------------------------------ a format's stream */

/*
 * The front end of a format's stream (ng_json_stream, ng_xml_stream), its
 * first member: the feed/finish/reset/free state machine, the loop that
 * hands the lexer one window after another and runs the engine until it
 * suspends or ends, the sticky error, the document handed over by finish,
 * and the recursive engine's task. The format supplies what differs in
 * ng__sfront_ops.
 *
 * States: BETWEEN (no document begun), IN_DOC, ENDED (finish returned, or
 * the single document is complete), FAILED (the error is sticky).
 *
 * A parked stream holds no error record: each feed or finish records into
 * one on its own stack (the parse context's perr.err points to it during
 * the call: NG__SF_ERR), and only a failure keeps a copy (f->fail).
 *
 * The recursive engine keeps its state on its machine stack, so a document
 * runs as a task on a scheduler (the caller's, or one per thread shared by
 * the thread's streams and kept by the last of them for the next:
 * ng__sched_keep). Where the lexer runs out of input the engine calls
 * ng__sfront_wait, which parks the task (unless the window was the carry's
 * and the chunk goes on: then it takes the chunk's window itself); a feed
 * wakes it with the next window and runs the scheduler until it parks
 * again or ends. Dropping a document whose task is parked wakes it
 * with NG_ECANCELED (ng_task_cancel): it unwinds as from an error and ends,
 * releasing its stack.
 */
enum { NG__SF_BETWEEN, NG__SF_IN_DOC, NG__SF_ENDED, NG__SF_FAILED };

struct ng_sched;
struct ng_task;
typedef struct ng__sfront ng__sfront;

/* What a format's stream does itself, called only during a feed or finish
 * (reset and drop also after). Errors are recorded in *NG__SF_ERR(f) (by
 * ng__sfront_fail_at or the parse context) unless said otherwise. */
typedef struct ng__sfront_ops {
  /* The window data[0..len) (partial: more input may follow) into the
   * lexer: NG_OK, NG__SUSPENDED (kept whole in the carry: the next window
   * is wanted) or the recorded error. */
  int (*take)(ng__sfront *f, const char *data, size_t len, int partial);
  /* State BETWEEN: starts a document at the lexer's cursor (then state
   * IN_DOC): NG_OK, NG__SUSPENDED (none starts in this window: it is
   * stopped, unless the state is now ENDED) or the recorded error. NULL:
   * take begins the document. */
  int (*begin)(ng__sfront *f);
  /* Runs or resumes the engine: NG_OK (the document is complete),
   * NG__SUSPENDED (cut at the lexer's cursor) or the error. */
  int (*engine)(ng__sfront *f);
  /* Records the engine's error rc in *NG__SF_ERR(f); NULL: it is there. */
  int (*failed)(ng__sfront *f, int rc);
  /* Records code (with msg, NULL: the code's text) at the current token;
   * returns what the engine would. Only with a scheduler (a task). */
  int (*fail_here)(ng__sfront *f, int code, const char *msg);
  /* The lexer stopped at its cursor for more input: keeps the unfinished
   * token (ng__stream_stop). NG_OK or the recorded error. */
  int (*stop)(ng__sfront *f);
  /* The engine completed the document: releases the sink, sets the state
   * (ENDED, or BETWEEN in a sequence) and f->doc (NULL once handed over).
   * NG_OK or the recorded error. */
  int (*end)(ng__sfront *f);
  /* Drops the document in progress: engine state and sink (f->doc is
   * freed after). */
  void (*drop)(ng__sfront *f);
  /* Back to no text: the format's lexer and parse context. */
  void (*reset)(ng__sfront *f);
  void (*doc_free)(void *doc); /* frees a document (NULL: nothing) */
  /* NULL, or moves *at, the position of byte max_input in chunk
   * data[0..len) (counted from the stream's first byte), where the format
   * counts it. */
  void (*limit)(ng__sfront *f, const char *data, size_t len, ng__spos *at);
  /* NULL, or converts the chunk just taken (call->chunk[0..chunk_len),
   * the last one if f->in.final) into the text the lexer reads, which
   * replaces it in *call and must outlive the call. NG_OK or the recorded
   * error. */
  int (*convert)(ng__sfront *f, ng__stream_call *call);
  /* NULL, or the stream call's token_end (above). */
  size_t (*token_end)(const char *tok, size_t len, const char *next,
                      size_t n);
} ng__sfront_ops;

struct ng__sfront {
  const ng__sfront_ops *ops; /* the format's part */
  ng__stream in;             /* windows, carry, positions */
  union {                    /* by state: */
    struct ng_task *task;    /* IN_DOC, recursive engine: the document's,
                                or NULL (then none in any other state) */
    ng_error *fail;          /* FAILED: the error, kept (NULL: it could not
                                be allocated, the code alone is) */
  };
  void *doc;                 /* DOM mode: being built, or complete */
  struct ng_sched *sched;    /* recursive engine: hosts the task */
  short rc;                  /* FAILED: the error */
  unsigned char state;       /* NG__SF_* */
  unsigned char have_win;    /* the lexer holds a window not finished (a
                                byte: read and written at every window) */
  unsigned char own_sched : 1; /* sched is the thread's shared one */
  unsigned char parked : 1;    /* the task waits in ng__sfront_wait (else,
                                  back from a run, it has ended) */
};

/* The format's parse context (depth, errors): the member of its stream
 * right after the front end, which each format asserts. */
static inline ng__parse *ng__sfront_parse(ng__sfront *f) {
  return (ng__parse *)(void *)(f + 1);
}

/* During a feed or finish: its error record. */
#define NG__SF_ERR(f) (ng__sfront_parse(f)->perr.err)

/* The bytes to allocate for a format's stream of `size` bytes: with a
 * user allocator, room after it for the guard its parse calls go through
 * (usercall.h); libc's needs none, and a parked stream stays small. */
size_t ng__sfront_size(size_t size, const ng_alloc *user);

/* The allocator a parse of the stream at `block` (`size` bytes, allocated
 * ng__sfront_size) uses: NULL for libc's, else the guard in its tail. */
const ng_alloc *ng__sfront_guard(void *block, size_t size,
                                 const ng_alloc *user, size_t budget);

/* A stream in state BETWEEN over ng__stream_init's input. Allocates
 * nothing. */
void ng__sfront_init(ng__sfront *f, const ng__sfront_ops *ops,
                     const ng_alloc *alc, size_t max_input, size_t carry_max);

/* The recursive engine: documents run as tasks on `given`, or on the
 * thread's shared scheduler (created on first use) when NULL. NG_OK or
 * ng_sched_new's error. */
int ng__sfront_sched(ng__sfront *f, struct ng_sched *given);

/* The engine's wait hook (ud: the ng__sfront): the next window, taken in
 * place when the chunk goes on after a carry window's token, else after
 * parking the task until a feed has it; NG_OK, the recorded error, or
 * NG_ECANCELED when the document is dropped meanwhile. */
int ng__sfront_wait(void *ud);

/* Records code at stream position *at with `depth` containers open, msg
 * NULL: the code's text, as the parse context's first error (what the
 * engine records later is dropped). Returns code. */
int ng__sfront_fail_at(ng__sfront *f, int code, const ng__spos *at,
                       size_t depth, const char *msg);

/* The format's feed and finish (nestguard/json.h, nestguard/xml.h), f
 * NULL refused: finish hands the document over in *doc (may be NULL:
 * freed). */
int ng__sfront_feed(ng__sfront *f, const char *data, size_t len,
                    ng_error *err);
int ng__sfront_finish(ng__sfront *f, void **doc, ng_error *err);

/* Back to state BETWEEN, dropping any document; keeps the carry's memory
 * and the scheduler. f NULL: nothing. */
void ng__sfront_reset(ng__sfront *f);

/* Resets, releases the carry and the scheduler; f itself is the caller's. */
void ng__sfront_free(ng__sfront *f);

#endif /* NG_PARSERS_COMMON_STREAM_H */
