/*
 * parsers/json/stream.c - push parsing: ng_json_stream_* (nestguard/json.h).
 *
 * The stream is a one-shot parse cut at token boundaries. The input side
 * (windows, the carry, positions, max_input) is parsers/common/stream.h;
 * the engines are those of ng_json_parse, suspended where the lexer runs
 * out of input (engine.h). The loop here hands the lexer one window after
 * another, runs the engine until it suspends or ends, and delivers
 * documents.
 *
 * States: BETWEEN (no document begun: the next byte starts one; in a
 * sequence whitespace comes first), IN_DOC, ENDED (finish returned, or the
 * single document is complete), FAILED (the error is sticky).
 *
 * The recursive engine keeps its state on its machine stack, so a
 * document runs as a task on a scheduler (the caller's, or one per thread
 * shared by the thread's streams and freed with the last of them). Where
 * the lexer runs out of input the task parks (task_wait); a feed wakes it
 * with the next window and runs the scheduler until it parks again or
 * ends. Dropping a document whose task is parked wakes it with
 * NG_ECANCELED: it unwinds as from an error and ends, releasing its stack.
 */
#include <stdint.h>
#include <string.h>

#include "../common/stream.h"
#include "../common/usercall.h"
#include "builder.h"
#include "engine.h"
#include "lalr_driver.h"
#include "nestguard/stack.h"

enum { ST_BETWEEN, ST_IN_DOC, ST_ENDED, ST_FAILED };

/* Inline bytes for the engines' container stack: a shallow document
 * allocates no stack, and an open stream stays small. */
#define NG__JSON_STREAM_INLINE 16

struct ng_json_stream {
  ng_json_options opt;     /* resolved copy */
  ng_json_events ev;       /* events mode: the callbacks */
  int events;              /* events mode, not DOM */
  unsigned flags;          /* NG_JSON_STREAM_* */
  int (*on_document)(void *ud, ng_json_doc *doc, size_t index);
  void *ud;                /* for on_document */
  ng__stream in;           /* windows, carry, positions */
  ng__json_parser p;       /* the parse of the current document */
  ng__json_builder b;      /* DOM mode: the sink */
  ng__json_evsink es;      /* events mode: the sink */
  ng_json_doc *doc;        /* DOM mode: being built, or complete */
  ng__alc_guard guard;     /* the user's allocator, guarded */
  ng__json_lalr_state *lalr; /* LALR engine: lemon between runs */
  ng_error err;            /* the error record (sticky) */
  size_t index;            /* documents completed */
  int state;               /* ST_* */
  int rc;                  /* ST_FAILED: the error */
  int have_win;            /* the lexer holds a window not finished */
  ng_sched *sched;         /* recursive engine: hosts the task */
  ng_task *task;           /* recursive engine: the document's, or NULL */
  int task_rc;             /* its result, once task_done */
  int task_done;           /* the task returned */
  int cancel;              /* the parked task must unwind */
  int own_sched;           /* sched is the thread's shared one */
  unsigned char inl[NG__JSON_STREAM_INLINE]; /* engines' stack, shallow */
};

/* ------------------------------------------------ the recursive engine */

/* The thread's scheduler for streams given none, and how many use it. */
static _Thread_local ng_sched *thread_sched;
static _Thread_local size_t thread_sched_users;

static int sched_take(ng_json_stream *s, ng_sched *given) {
  int rc;

  if (given != NULL) {
    s->sched = given;
    return NG_OK;
  }
  if (thread_sched == NULL && (rc = ng_sched_new(&thread_sched, NULL)) != NG_OK)
    return rc;
  thread_sched_users++;
  s->sched = thread_sched;
  s->own_sched = 1;
  return NG_OK;
}

static void sched_drop(ng_json_stream *s) {
  if (s->own_sched && --thread_sched_users == 0) {
    ng_sched_free(thread_sched);
    thread_sched = NULL;
  }
  s->sched = NULL;
  s->own_sched = 0;
}

/* p->wait: parks the task until the next window (or a drop). */
static int task_wait(void *ud) {
  ng_json_stream *s = ud;
  int rc = ng_task_park();

  if (rc != NG_OK)
    return rc;
  return s->cancel ? NG_ECANCELED : NG_OK;
}

static int task_main(void *arg) {
  ng_json_stream *s = arg;

  s->task_rc = ng__json_run(&s->p);
  s->task_done = 1;
  return 0;
}

/* Runs the document's task until it parks for input (NG__SUSPENDED) or
 * ends (its result); spawns it on the first run. */
static int task_run(ng_json_stream *s) {
  ng_task_opts topts = {s->p.c.max_stack, 0};
  int rc;

  if (s->task == NULL) {
    s->task_done = 0;
    s->cancel = 0;
    s->p.wait = task_wait;
    s->p.wait_ud = s;
    rc = ng_task_spawn(s->sched, &s->task, task_main, s, &topts);
    if (rc != NG_OK)
      return ng__json_fail_here(&s->p, rc, "cannot start the parse's task");
  } else {
    ng_task_wake(s->task);
  }
  rc = ng_sched_run(s->sched);
  if (!s->task_done)
    return rc != NG_OK ? ng__json_fail_here(&s->p, rc, NULL) : NG__SUSPENDED;
  ng_task_join(s->task, NULL);
  s->task = NULL;
  return s->task_rc;
}

/* Ends the document's task if there is one: a parked task unwinds. */
static void task_end(ng_json_stream *s) {
  if (s->task == NULL)
    return;
  if (!s->task_done) {
    s->cancel = 1;
    ng_task_wake(s->task);
  }
  ng_task_join(s->task, NULL);
  s->task = NULL;
}

/* Runs (or resumes) the document's engine. */
static int run(ng_json_stream *s) {
  if (s->sched != NULL)
    return task_run(s);
  return ng__json_run(&s->p);
}

/* ------------------------------------------------------------ documents */

/* The carry's bound: a string of max_string decoded bytes takes at most 6
 * raw bytes per byte (\u00XX) and its quotes. */
static size_t carry_bound(const ng_limits *lim) {
  size_t n = ng_limit_clamp(lim->max_string, SIZE_MAX);
  return n > (SIZE_MAX - 2) / 6 ? SIZE_MAX : 6 * n + 2;
}

/* Sets the error record to the lexer's window and its stream position. */
static void perr_window(ng_json_stream *s) {
  const ng__json_lexer *lx = &s->p.lx;

  ng__perr_window(&s->p.c.perr, (const char *)lx->beg,
                  (size_t)(lx->end - lx->beg), s->in.pos.off, s->in.pos.line,
                  s->in.pos.col);
}

/* Drops the document in progress: engine state, sink, DOM. */
static void doc_drop(ng_json_stream *s) {
  task_end(s);
  ng__json_engine_release(&s->p);
  if (s->events) {
    ng__json_evsink_free(&s->es);
  } else {
    ng__json_builder_free(&s->b);
    ng_json_doc_free(s->doc);
    s->doc = NULL;
  }
}

/* Starts a document at the lexer's cursor: a fresh parse context (the
 * lexer and its window kept) and sink. NG_OK or the recorded NG_ENOMEM. */
static int doc_begin(ng_json_stream *s) {
  ng__json_parser *p = &s->p;
  ng__json_lexer lx = p->lx;

  ng__json_parser_init(p, NULL, 0, &s->opt, &s->err);
  p->lx = lx;
  p->seq = (s->flags & NG_JSON_STREAM_SEQ) != 0;
  p->inl = s->inl;
  p->inl_cap = sizeof s->inl;
  p->lalr = s->lalr;
  p->c.alc = ng__alc_guard_init(&s->guard, s->opt.alc,
                                s->opt.limits.user_stack);
  perr_window(s);
  if (s->events) {
    ng__json_evsink_init(&s->es, &s->ev, &p->lx, p->c.alc,
                         s->opt.limits.user_stack);
    p->sink = ng__json_evsink_sink(&s->es);
    s->state = ST_IN_DOC;
    return NG_OK;
  }
  s->doc = ng__json_doc_new(s->opt.alc, s->opt.limits.max_memory);
  if (s->doc == NULL) /* at the document's first byte */
    return ng__parse_fail(&p->c, NG_ENOMEM,
                          (size_t)(p->lx.cur - p->lx.beg), NULL);
  s->state = ST_IN_DOC;
  ng__doc_parse_alc(&s->doc->base, p->c.alc);
  ng__json_builder_init(&s->b, s->doc, &p->lx, s->opt.dupkeys, p->c.alc);
  p->sink = ng__json_builder_sink(&s->b);
  return NG_OK;
}

/* The engine completed a document: releases the sink and, in a sequence,
 * hands the document over. NG_OK or the recorded NG_ECANCELED. */
static int doc_end(ng_json_stream *s) {
  ng_json_doc *doc = NULL;
  int stop = 0;

  if (s->events) {
    ng__json_evsink_free(&s->es);
  } else {
    ng__json_builder_free(&s->b);
    ng__doc_parse_alc(&s->doc->base, NULL);
    doc = s->doc;
  }
  if (!(s->flags & NG_JSON_STREAM_SEQ)) {
    s->state = ST_ENDED; /* single mode: finish returns the document */
    return NG_OK;
  }
  s->doc = NULL;
  s->state = ST_BETWEEN;
  if (s->on_document != NULL)
    stop = s->on_document(s->ud, doc, s->index);
  else
    ng_json_doc_free(doc);
  s->index++;
  if (stop != 0)
    return ng__parse_fail(&s->p.c, NG_ECANCELED,
                          (size_t)(s->p.lx.cur - s->p.lx.beg), NULL);
  return NG_OK;
}

/* ------------------------------------------------------------ the loop */

/* Records code at stream position at with `depth` containers open and
 * fails the stream. */
static int fail_at(ng_json_stream *s, int code, const ng__spos *at,
                   size_t depth, const char *msg) {
  ng__perr_window(&s->p.c.perr, "", 0, at->off, at->line, at->col);
  return ng__perr_at(&s->p.c.perr, code, 0, depth, msg);
}

/* The lexer stopped for more input: keeps the unfinished token. */
static int stop_window(ng_json_stream *s) {
  const ng__json_lexer *lx = &s->p.lx;
  int string = lx->cur < lx->end && *lx->cur == '"';
  size_t depth = s->p.c.depth.cur;
  int rc;

  s->have_win = 0;
  rc = ng__stream_stop(&s->in, (size_t)(lx->cur - lx->beg));
  if (rc == NG_OK)
    return NG_OK;
  if (rc == NG__STREAM_TOOLONG) /* s->in.pos: the token's start */
    return fail_at(s, string ? NG_ESTRLIMIT : NG_EINPUTLIMIT, &s->in.pos,
                   depth, string ? NULL : "token cut by a chunk's end too long");
  return fail_at(s, NG_ENOMEM, &s->in.pos, depth, NULL);
}

/* Between documents of a sequence: skips whitespace. 1: a document
 * starts at the cursor; 0: the window is used up. */
static int seq_gap(ng_json_stream *s) {
  ng__json_lexer *lx = &s->p.lx;

  lx->cur = ng__json_skip_ws(lx->cur, lx->end);
  return lx->cur < lx->end;
}

/* Takes the next window into the lexer: NG_OK, NG__SUSPENDED (more input
 * needed) or the recorded error. */
static int next_window(ng_json_stream *s) {
  const char *data;
  size_t len;
  int partial, rc = ng__stream_window(&s->in, &data, &len, &partial);

  if (rc == NG_OK) {
    if (partial) /* a number or literal at the end might go on */
      len = ng__json_partial_len(data, len);
    ng__json_lexer_window(&s->p.lx, data, len, partial);
    perr_window(s);
    s->have_win = 1;
    return NG_OK;
  }
  if (rc == NG__SUSPENDED)
    return rc;
  return fail_at(s, rc, &s->in.pos, s->p.c.depth.cur, NULL);
}

/*
 * Runs the parse over the input taken so far: windows in turn, documents
 * as they complete. NG_OK when the input is used up (or the stream
 * ended), else the recorded error.
 */
static int pump(ng_json_stream *s) {
  int rc;

  while (s->state != ST_ENDED) {
    if (!s->have_win && (rc = next_window(s)) != NG_OK)
      return rc == NG__SUSPENDED ? NG_OK : rc;
    if (s->state == ST_BETWEEN) {
      if ((s->flags & NG_JSON_STREAM_SEQ) && !seq_gap(s)) {
        if (!s->p.lx.partial) {
          s->state = ST_ENDED; /* the input ended between documents */
          return NG_OK;
        }
        if ((rc = stop_window(s)) != NG_OK)
          return rc;
        continue;
      }
      if ((rc = doc_begin(s)) != NG_OK)
        return rc;
    }
    rc = run(s);
    if (rc == NG__SUSPENDED) {
      if ((rc = stop_window(s)) != NG_OK)
        return rc;
      continue;
    }
    if (rc != NG_OK || (rc = doc_end(s)) != NG_OK)
      return rc;
  }
  return NG_OK;
}

/* Ends a call: the sticky state and the caller's error record. */
static int result(ng_json_stream *s, int rc, ng_error *err) {
  if (rc != NG_OK && s->state != ST_FAILED) {
    if (s->state == ST_IN_DOC)
      doc_drop(s);
    s->state = ST_FAILED;
    s->rc = rc;
  }
  if (s->state == ST_FAILED) {
    if (err != NULL)
      *err = s->err;
    return s->rc;
  }
  ng_error_clear(err);
  return NG_OK;
}

/* -------------------------------------------------------------- the API */

int ng_json_stream_new(const ng_json_stream_config *cfg, ng_json_stream **out) {
  static const ng_json_stream_config none = {NULL, NULL, 0, NULL, NULL, NULL};
  ng_json_stream *s;
  ng__json_parser check;
  ng_json_options opt;
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
  s = ng__malloc(opt.alc, sizeof *s);
  if (s == NULL)
    return NG_ENOMEM;
  memset(s, 0, sizeof *s);
  s->opt = opt;
  s->events = cfg->events != NULL;
  if (s->events)
    s->ev = *cfg->events;
  s->flags = cfg->flags;
  s->on_document = cfg->on_document;
  s->ud = cfg->ud;
  if (opt.engine == NG_JSON_LALR) {
    s->lalr = ng__malloc(opt.alc, sizeof *s->lalr);
    if (s->lalr == NULL) {
      ng__free(opt.alc, s, sizeof *s);
      return NG_ENOMEM;
    }
    s->lalr->live = 0;
  }
  if (opt.engine == NG_JSON_RECURSIVE &&
      (rc = sched_take(s, cfg->sched)) != NG_OK) {
    ng__free(opt.alc, s, sizeof *s);
    return rc;
  }
  ng__stream_init(&s->in, opt.alc, opt.limits.max_input,
                  carry_bound(&opt.limits));
  ng__perr_init(&s->p.c.perr, &s->err, NULL, 0);
  ng__json_lexer_init(&s->p.lx, NULL, 0, opt.flags, opt.limits.max_string);
  s->state = ST_BETWEEN;
  *out = s;
  return NG_OK;
}

int ng_json_stream_feed(ng_json_stream *s, const char *data, size_t len,
                        ng_error *err) {
  ng__spos at;
  int rc;

  if (s == NULL || (data == NULL && len != 0))
    return ng__stream_refuse(NG_EINVAL, err);
  if (s->state == ST_ENDED || (s->in.final && s->state != ST_FAILED))
    return ng__stream_refuse(NG_ESTATE, err);
  if (s->state == ST_FAILED)
    return result(s, s->rc, err);
  rc = ng__stream_chunk(&s->in, data, len, 0, &at);
  if (rc != NG_OK)
    rc = fail_at(s, rc, &at, 0, "input longer than max_input");
  else
    rc = pump(s);
  return result(s, rc, err);
}

int ng_json_stream_finish(ng_json_stream *s, ng_json_doc **doc,
                          ng_error *err) {
  ng__spos at;
  int rc;

  if (doc != NULL)
    *doc = NULL;
  if (s == NULL)
    return ng__stream_refuse(NG_EINVAL, err);
  if (s->state == ST_FAILED)
    return result(s, s->rc, err);
  if (s->in.final)
    return ng__stream_refuse(NG_ESTATE, err);
  rc = ng__stream_chunk(&s->in, NULL, 0, 1, &at);
  if (rc == NG_OK)
    rc = pump(s);
  rc = result(s, rc, err);
  if (rc == NG_OK && s->doc != NULL) {
    if (doc != NULL)
      *doc = s->doc;
    else
      ng_json_doc_free(s->doc);
    s->doc = NULL;
  }
  return rc;
}

void ng_json_stream_reset(ng_json_stream *s) {
  if (s == NULL)
    return;
  if (s->state == ST_IN_DOC)
    doc_drop(s);
  ng_json_doc_free(s->doc);
  s->doc = NULL;
  ng__json_engine_release(&s->p);
  ng__stream_reset(&s->in);
  ng__perr_init(&s->p.c.perr, &s->err, NULL, 0);
  ng__json_lexer_init(&s->p.lx, NULL, 0, s->opt.flags,
                      s->opt.limits.max_string);
  s->index = 0;
  s->state = ST_BETWEEN;
  s->rc = NG_OK;
  s->have_win = 0;
}

void ng_json_stream_free(ng_json_stream *s) {
  if (s == NULL)
    return;
  ng_json_stream_reset(s);
  sched_drop(s);
  ng__stream_free(&s->in);
  if (s->lalr != NULL)
    ng__free(s->opt.alc, s->lalr, sizeof *s->lalr);
  ng__free(s->opt.alc, s, sizeof *s);
}
