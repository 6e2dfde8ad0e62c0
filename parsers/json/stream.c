/*
 * parsers/json/stream.c - push parsing: ng_json_stream_* (nestguard/json.h).
 *
 * The stream is a one-shot parse cut at token boundaries. The input side
 * (windows, the carry, positions, max_input) and the state machine
 * (feed/finish/reset/free, the window loop, the recursive engine's task)
 * are parsers/common/stream.h; the engines are those of ng_json_parse,
 * suspended where the lexer runs out of input (engine.h). What is JSON's
 * here: the lexer's windows (a number or literal at a window's end may go
 * on), sequences of documents (NG_JSON_STREAM_SEQ: whitespace between
 * them, each handed to on_document), the sinks and the LALR engine's
 * state kept between runs.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../common/stream.h"
#include "../common/usercall.h"
#include "builder.h"
#include "direct.h"
#include "engine.h"
#include "lalr_driver.h"
#include "nestguard/stack.h"

/* Inline bytes for the engines' container stack: a shallow document
 * allocates no stack, and an open stream stays small. */
#define NG__JSON_STREAM_INLINE 16

/*
 * The options are not kept as given: what a document reads from them
 * stays where the first one set it (the parse context's depth limit and
 * stack sizes, the lexer's flags and max_string, the engine, the front
 * end's max_input and allocator), and the rest is below. The block holds,
 * after the struct, a sequence's fields (SEQ mode only), then the user
 * allocator's guard (ng__sfront_size).
 */
struct ng_json_stream {
  ng__sfront f;            /* the stream's state machine (first member) */
  ng__json_parser p;       /* the parse of the current document */
  union { /* the sink p.sink names, for the stream's life */
    struct {
      ng__json_builder b;  /* DOM mode: the sink */
      size_t max_memory;   /* and the documents' limit */
    };
    ng__json_evsink es;    /* events mode: the sink, with the callbacks */
  };
  unsigned char inl[NG__JSON_STREAM_INLINE]; /* engines' stack, shallow */
};

_Static_assert(offsetof(ng_json_stream, p.c) == sizeof(ng__sfront),
               "the parse context follows the front end (stream.h)");

/* SEQ mode: after the struct. */
typedef struct ng__json_seq {
  int (*on_document)(void *ud, ng_json_doc *doc, size_t index);
  void *ud;                /* for on_document */
  size_t index;            /* documents completed */
} ng__json_seq;

/* The bytes before the guard of a stream, SEQ mode or not. */
static size_t stream_size(int seq) {
  return sizeof(ng_json_stream) + (seq ? sizeof(ng__json_seq) : 0);
}

/* The block's allocation. */
static size_t block_size(const ng_json_stream *s) {
  return ng__sfront_size(stream_size(s->p.seq), s->f.in.alc);
}

/* A SEQ stream's fields. */
static ng__json_seq *seq_of(ng_json_stream *s) {
  return (ng__json_seq *)(void *)(s + 1);
}

/* The stream whose front end f is (its first member). */
static ng_json_stream *of(ng__sfront *f) { return (ng_json_stream *)f; }

/* The recursive engine's wait (engine.h): parks its task until the
 * stream whose parser p is has the next window. */
static int wait_window(ng__json_parser *p) {
  ng_json_stream *s =
      (ng_json_stream *)(void *)((char *)p - offsetof(ng_json_stream, p));

  return ng__sfront_wait(&s->f);
}

/* ------------------------------------------------------------ documents */

/* The carry's bound: a string of max_string decoded bytes takes at most 6
 * raw bytes per byte (\u00XX). A carry past 6 * (max_string + 2) + 2 bytes
 * is its opening quote, at most 11 bytes of an escape or UTF-8 sequence
 * the window cut, and over 6 * max_string bytes the lexer accepted: more
 * than max_string decoded, which is NG_ESTRLIMIT one-shot too, whatever
 * follows (lexer.re str_fail). */
static size_t carry_bound(const ng_limits *lim) {
  size_t n = ng_limit_clamp(lim->max_string, SIZE_MAX);
  return n > (SIZE_MAX - 14) / 6 ? SIZE_MAX : 6 * n + 14;
}

/* Sets the error record to the lexer's window and its stream position. */
static void perr_window(ng_json_stream *s) {
  const ng__json_lexer *lx = &s->p.lx;

  ng__perr_window(&s->p.c.perr, (const char *)lx->beg,
                  (size_t)(lx->end - lx->beg), &s->f.in.pos);
}

/* Drops the document in progress: engine state, sink. */
static void doc_drop(ng__sfront *f) {
  ng_json_stream *s = of(f);

  ng__json_engine_release(&s->p);
  if (!ng__json_to_dom(&s->p))
    ng__json_evsink_free(&s->es);
  else
    ng__json_builder_free(&s->b);
}

/* Starts a document at the lexer's cursor: the parse context's error
 * record, depth and engine state cleared (what the options set kept, the
 * lexer and its window too), and a fresh sink. NG_OK or the recorded
 * NG_ENOMEM. */
static int doc_begin(ng_json_stream *s) {
  ng__json_parser *p = &s->p;
  ng_json_doc *doc;

  ng__perr_init(&p->c.perr, p->c.perr.err, NULL, 0); /* the call's record */
  p->c.depth.cur = 0;
  p->resume = NG__JR_START;
  ng__gstack_init(&p->st, p->c.alc, s->inl, sizeof s->inl);
  perr_window(s);
  if (!ng__json_to_dom(p)) { /* the sink is ready (doc_end released it) */
    p->direct = 0;
    s->f.state = NG__SF_IN_DOC;
    return NG_OK;
  }
  s->f.doc = doc = ng__json_doc_new(s->f.in.alc, s->max_memory);
  if (doc == NULL) /* at the document's first byte */
    return ng__parse_fail(&p->c, NG_ENOMEM,
                          (size_t)(p->lx.cur - p->lx.beg), NULL);
  s->f.state = NG__SF_IN_DOC;
  ng__doc_parse_alc(&doc->base, p->c.alc);
  ng__json_builder_init(&s->b, doc, &p->lx, (ng_json_dupkeys)p->dupkeys,
                        p->c.alc);
  p->direct = ng__json_direct_serves(p); /* as ng__json_run would */
  return NG_OK;
}

/* The engine completed a document: releases the sink and, in a sequence,
 * hands the document over. NG_OK or the recorded NG_ECANCELED. */
static int doc_end(ng__sfront *f) {
  ng_json_stream *s = of(f);
  ng_json_doc *doc = f->doc;
  ng__json_seq *q;
  int stop = 0;

  if (!ng__json_to_dom(&s->p)) {
    ng__json_evsink_free(&s->es);
  } else {
    ng__json_builder_free(&s->b);
    ng__doc_parse_alc(&doc->base, NULL);
  }
  if (!s->p.seq) {
    f->state = NG__SF_ENDED; /* single mode: finish returns the document */
    return NG_OK;
  }
  q = seq_of(s);
  f->doc = NULL;
  f->state = NG__SF_BETWEEN;
  if (q->on_document != NULL)
    stop = q->on_document(q->ud, doc, q->index);
  else
    ng_json_doc_free(doc);
  q->index++;
  if (stop != 0)
    return ng__parse_fail(&s->p.c, NG_ECANCELED,
                          (size_t)(s->p.lx.cur - s->p.lx.beg), NULL);
  return NG_OK;
}

/* ------------------------------------------------------ the front end */

/* The stop's failure rc (f->in.pos: the token's start), recorded. */
static int stop_fail(ng__sfront *f, int rc) {
  const ng__json_lexer *lx = &of(f)->p.lx;
  int string = lx->cur < lx->end && *lx->cur == '"';
  size_t depth = of(f)->p.c.depth.cur;

  if (rc == NG__STREAM_TOOLONG)
    return ng__sfront_fail_at(f, string ? NG_ESTRLIMIT : NG_EINPUTLIMIT,
                              &f->in.pos, depth,
                              string ? NULL
                                     : "token cut by a chunk's end too long");
  return ng__sfront_fail_at(f, NG_ENOMEM, &f->in.pos, depth, NULL);
}

/* The lexer stopped for more input: keeps the unfinished token. */
static int stop_window(ng__sfront *f) {
  const ng__json_lexer *lx = &of(f)->p.lx;
  int rc = ng__stream_stop(&f->in, (size_t)(lx->cur - lx->beg));

  return NG_LIKELY(rc == NG_OK) ? NG_OK : stop_fail(f, rc);
}

/* A document starts at the lexer's cursor, or in a sequence after
 * whitespace; NG__SUSPENDED when the window holds none. */
static int begin(ng__sfront *f) {
  ng_json_stream *s = of(f);
  ng__json_lexer *lx = &s->p.lx;

  if (s->p.seq) {
    lx->cur = ng__json_skip_ws(lx->cur, lx->end);
    if (lx->cur == lx->end) {
      if (!lx->partial)
        f->state = NG__SF_ENDED; /* the input ended between documents */
      return NG__SUSPENDED;
    }
  }
  return doc_begin(s);
}

/* Backslashes right before p, back to lo. */
static size_t backslashes(const char *lo, const char *p) {
  const char *q = p;

  while (q > lo && q[-1] == '\\')
    q--;
  return (size_t)(p - q);
}

/* The stream's token_end (stream.h): the carry tok[0..len) holds a string
 * cut before its closing quote (the first quote in next after an even run
 * of backslashes: through it), or a number or literal the window's end
 * left open (through the first byte that cannot continue it: the window
 * must not end in it). */
static size_t token_end(const char *tok, size_t len, const char *next,
                        size_t n) {
  const char *p = next, *q, *end = next + n;
  size_t run;

  if (tok[0] != '"') {
    for (; p < end; p++)
      if (!ng__json_continues((unsigned char)*p))
        return (size_t)(p - next) + 1;
    return 0;
  }
  for (; (q = memchr(p, '"', (size_t)(end - p))) != NULL; p = q + 1) {
    run = backslashes(next, q);
    if (run == (size_t)(q - next)) /* back to the chunk's start */
      run += backslashes(tok + 1, tok + len);
    if (run % 2 == 0)
      return (size_t)(q - next) + 1;
  }
  return 0;
}

static int take(ng__sfront *f, const char *data, size_t len, int partial) {
  ng_json_stream *s = of(f);

  if (partial) /* a number or literal at the end might go on */
    len = ng__json_partial_len(data, len);
  ng__json_lexer_window(&s->p.lx, data, len, partial);
  perr_window(s);
  return NG_OK;
}

/* The engines, resumed directly at every window (ng__json_run's dispatch
 * is done once, by the choice of json_ops; doc_begin sets p->direct). */
static int run_iterative(ng__sfront *f) {
  return ng__json_run_iterative(&of(f)->p);
}

static int run_recursive(ng__sfront *f) {
  return ng__json_run_recursive(&of(f)->p);
}

static int run_trampoline(ng__sfront *f) {
  return ng__json_run_trampoline(&of(f)->p);
}

static int run_lalr(ng__sfront *f) { return ng__json_run_lalr(&of(f)->p); }

static int fail_here(ng__sfront *f, int code, const char *msg) {
  return ng__json_fail_here(&of(f)->p, code, msg);
}

/* The lexer over no text yet, no error recorded. */
static void reset(ng__sfront *f) {
  ng_json_stream *s = of(f);

  ng__json_engine_release(&s->p);
  ng__perr_init(&s->p.c.perr, NULL, NULL, 0);
  ng__json_lexer_init(&s->p.lx, NULL, 0, s->p.lx.flags, s->p.lx.max_string);
  if (s->p.seq)
    seq_of(s)->index = 0;
}

static void doc_free(void *doc) { ng_json_doc_free(doc); }

/* The front end's ops, one set per engine (the options' engine). */
#define NG__JSON_OPS(run)                                                      \
  {.take = take, .begin = begin, .engine = run, .fail_here = fail_here,        \
   .stop = stop_window, .end = doc_end, .drop = doc_drop, .reset = reset,      \
   .doc_free = doc_free, .token_end = token_end}
static const ng__sfront_ops json_ops[NG_JSON_ENGINE_COUNT] = {
    [NG_JSON_ITERATIVE] = NG__JSON_OPS(run_iterative),
    [NG_JSON_RECURSIVE] = NG__JSON_OPS(run_recursive),
    [NG_JSON_TRAMPOLINE] = NG__JSON_OPS(run_trampoline),
    [NG_JSON_LALR] = NG__JSON_OPS(run_lalr)};
#undef NG__JSON_OPS

/* -------------------------------------------------------------- the API */

/* The stream's parts beside the front end: LALR state, scheduler. */
static int parts_new(ng_json_stream *s, ng_sched *sched) {
  const ng_alloc *alc = s->f.in.alc;

  if (s->p.engine == NG_JSON_LALR) {
    s->p.lalr = ng__malloc(alc, sizeof *s->p.lalr);
    if (s->p.lalr == NULL)
      return NG_ENOMEM;
    s->p.lalr->live = 0;
  }
  if (s->p.engine != NG_JSON_RECURSIVE)
    return NG_OK;
  s->p.wait = wait_window;
  return ng__sfront_sched(&s->f, sched);
}

/* The options' part the documents read, and the sink's mode, set once:
 * the parse context (with the guard in the block's tail), the lexer, the
 * sink's options and the sequence's fields. */
static void setup(ng_json_stream *s, const ng_json_options *opt,
                  const ng_json_stream_config *cfg) {
  ng__json_parser *p = &s->p;

  ng__json_parser_init(p, NULL, 0, opt, NULL); /* checked by the caller */
  p->seq = (cfg->flags & NG_JSON_STREAM_SEQ) != 0;
  p->c.alc = ng__sfront_guard(s, stream_size(p->seq), opt->alc,
                              opt->limits.user_stack);
  ng__json_lexer_init(&p->lx, NULL, 0, opt->flags, opt->limits.max_string);
  if (cfg->events != NULL) {
    ng__json_evsink_init(&s->es, cfg->events, &p->lx, p->c.alc,
                         p->c.user_stack);
    p->sink = ng__json_evsink_sink(&s->es);
  } else {
    s->max_memory = opt->limits.max_memory;
    p->sink = ng__json_builder_sink(&s->b);
  }
  if (p->seq) {
    seq_of(s)->on_document = cfg->on_document;
    seq_of(s)->ud = cfg->ud;
  }
}

int ng_json_stream_new(const ng_json_stream_config *cfg, ng_json_stream **out) {
  static const ng_json_stream_config none = {NULL, NULL, 0, NULL, NULL, NULL};
  ng_json_stream *s;
  ng__json_parser check;
  ng_json_options opt;
  size_t size;
  int rc;

  if (out == NULL)
    return NG_EINVAL;
  *out = NULL;
  if (cfg == NULL)
    cfg = &none;
  if (cfg->opt != NULL)
    opt = *cfg->opt;
  else
    ng_json_options_default(&opt);
  if ((cfg->flags & ~NG_JSON_STREAM_SEQ) != 0 ||
      ng__json_parser_init(&check, NULL, 0, &opt, NULL) != NG_OK)
    return NG_EINVAL;
  size = ng__sfront_size(stream_size(cfg->flags & NG_JSON_STREAM_SEQ),
                         opt.alc);
  s = ng__malloc(opt.alc, size);
  if (s == NULL)
    return NG_ENOMEM;
  memset(s, 0, size);
  ng__sfront_init(&s->f, &json_ops[opt.engine], opt.alc,
                  opt.limits.max_input, carry_bound(&opt.limits));
  setup(s, &opt, cfg);
  if ((rc = parts_new(s, cfg->sched)) != NG_OK) {
    if (s->p.engine == NG_JSON_LALR)
      ng__free(opt.alc, s->p.lalr, sizeof *s->p.lalr);
    ng__free(opt.alc, s, size);
    return rc;
  }
  *out = s;
  return NG_OK;
}

int ng_json_stream_feed(ng_json_stream *s, const char *data, size_t len,
                        ng_error *err) {
  return ng__sfront_feed((ng__sfront *)s, data, len, err);
}

int ng_json_stream_finish(ng_json_stream *s, ng_json_doc **doc,
                          ng_error *err) {
  void *d = NULL;
  int rc = ng__sfront_finish((ng__sfront *)s, doc != NULL ? &d : NULL, err);

  if (doc != NULL)
    *doc = d;
  return rc;
}

void ng_json_stream_reset(ng_json_stream *s) {
  ng__sfront_reset((ng__sfront *)s);
}

void ng_json_stream_free(ng_json_stream *s) {
  if (s == NULL)
    return;
  ng__sfront_free(&s->f);
  if (s->p.engine == NG_JSON_LALR)
    ng__free(s->f.in.alc, s->p.lalr, sizeof *s->p.lalr);
  ng__free(s->f.in.alc, s, block_size(s));
}
