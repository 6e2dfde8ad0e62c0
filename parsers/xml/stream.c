/*
 * parsers/xml/stream.c - push parsing: ng_xml_stream_* (nestguard/xml.h).
 *
 * The input side (windows, the carry of one cut token, absolute positions
 * with XML's line ends, max_input) and the state machine (feed/finish/
 * reset/free, the window loop) are parsers/common/stream.h, shared with
 * JSON; the engine is the one-shot parse's, suspended where the lexer is
 * cut by the end of a window that more input may follow (lexer.h,
 * engine.h's ng__xml_cut): the iterative engine keeps its grammar state
 * (p->want) and the open elements' names, the trampoline its continuations
 * too (p->conts), the LALR engine lemon's parser (p->lalr); the recursive
 * engine runs as a task that parks where its lexer is cut (p->wait, the
 * front end's task machinery, as JSON's).
 *
 * The encoding is decided first (encoding.h) over the stream's first bytes,
 * kept in the carry while they end inside what the decision reads (the
 * first 4 bytes, the XML declaration up to its encoding name); then a
 * UTF-8 BOM is consumed and lexing starts after it. Other encodings are
 * NG_ENOTSUP for now.
 *
 * Nothing may point into a chunk once a feed returns: tokens point into
 * the window only until the next one, names are copied (names.h), and the
 * DOM builder, which keeps character data from the text as pointers until
 * the run ends, is handed the document's character data as a copy
 * (stream_misc); an entity's text lives in the DTD's tables and is kept.
 *
 * The front end's state BETWEEN is "encoding not decided": the decision
 * begins the document.
 */
#include <string.h>

#include "../common/stream.h"
#include "../common/usercall.h"
#include "builder.h"
#include "encoding.h"
#include "engine.h"
#include "lalr_driver.h"

struct ng_xml_stream {
  ng__sfront f;            /* the stream's state machine (first member) */
  ng_xml_options opt;      /* resolved copy */
  int events;              /* events mode, not DOM */
  ng__stream in;           /* windows, carry, positions */
  ng__xml_parser p;        /* the parse */
  ng__xml_ns ns;           /* namespace stage (p.ns points here when on) */
  ng__gstack conts;        /* trampoline engine: its continuations */
  ng__xml_lalr_state lalr; /* LALR engine: lemon's parser */
  union {
    ng__xml_builder b;     /* DOM mode: the sink */
    struct {
      ng__xml_evsink es; /* events mode: the sink */
      ng_xml_events ev;  /* and the callbacks */
    };
  };
  size_t bom;              /* bytes of the byte order mark skipped */
  size_t skip;             /* bytes of the window before the lexer's text
                              (the BOM, in the first window) */
};

/* The stream whose front end f is (its first member). */
static ng_xml_stream *of(ng__sfront *f) { return (ng_xml_stream *)f; }

/* The carry's bound (nestguard/xml.h): 8 * max_string, saturated. */
static size_t carry_bound(const ng_limits *lim) {
  size_t n = ng_limit_clamp(lim->max_string, SIZE_MAX);
  return n > SIZE_MAX / 8 ? SIZE_MAX : 8 * n;
}

/* --------------------------------------------------------- the DOM sink */

/* The DOM builder's misc, with the document's character data copied (as
 * the builder copies scratch text): it lies in a window that is gone
 * after the feed. */
static int stream_misc(void *self, const ng__xml_token *t) {
  if ((t->kind != NG__XT_TEXT && t->kind != NG__XT_CDATA) ||
      (t->flags & (NG__XTF_SCRATCH | NG__XTF_ENTITY)))
    return ng__xml_dom_ops.misc(self, t);
  return ng__xml_build_text(self, t->data, t->data_len,
                            t->kind == NG__XT_CDATA);
}

static int stream_start(void *self, const ng__xml_token *t,
                        const ng__xml_ns *ns) {
  return ng__xml_dom_ops.start(self, t, ns);
}

static int stream_end(void *self, const ng__xml_token *t,
                      const ng__xml_ns *ns) {
  return ng__xml_dom_ops.end(self, t, ns);
}

static int stream_finish(void *self) { return ng__xml_dom_ops.finish(self); }

static const ng__xml_sink_ops stream_dom_ops = {stream_start, stream_end,
                                                stream_misc, stream_finish};

/* ------------------------------------------------------------ positions */

/* Fails the stream with code at stream position *at. */
static int fail_at(ng_xml_stream *s, int code, const ng__spos *at, size_t depth,
                   const char *msg) {
  return ng__sfront_fail_at(&s->f, code, at, depth, msg);
}

/* Moves *at, the window's start, over the skipped bytes and n more; line
 * 1 starts after the BOM. */
static void win_advance(const ng_xml_stream *s, ng__spos *at, size_t n) {
  const ng__xml_lexer *lx = &s->p.lx;

  ng__spos_advance(at, (const char *)lx->doc - s->skip, s->skip + n);
  if (s->skip != 0 && at->line == 1)
    at->col -= s->skip;
}

/* The engine's error rc, recorded against the lexer's window, to the
 * stream's position. */
static int fail_engine(ng__sfront *f, int rc) {
  ng_xml_stream *s = of(f);
  const ng__xml_lexer *lx = &s->p.lx;
  ng_error local = *f->err; /* the engine's, against the window */
  size_t off = local.offset, n = (size_t)(lx->end - lx->doc);
  ng__spos at = f->in.pos;

  win_advance(s, &at, off < n ? off : n);
  return fail_at(s, rc, &at, local.depth,
                 local.msg[0] != '\0' ? local.msg : NULL);
}

/* ------------------------------------------------------------- documents */

/* Drops the document in progress: sink. */
static void doc_drop(ng__sfront *f) {
  ng_xml_stream *s = of(f);

  if (s->events)
    ng__xml_evsink_free(&s->es);
  else
    ng__xml_builder_free(&s->b);
}

/* Sets up the parse and its sink; NG_OK or NG_ENOMEM (recorded). */
static int doc_begin(ng_xml_stream *s) {
  ng__xml_parser *p = &s->p;
  const ng_alloc *alc = p->c.alc;
  ng_xml_doc *doc;

  p->want = NG__XX_PROLOG;
  if (s->opt.flags & NG_XML_NAMESPACES)
    p->ns = &s->ns;
  if (s->f.sched != NULL) { /* the recursive engine, on a task */
    p->wait = ng__sfront_wait;
    p->wait_ud = &s->f;
  }
  if (s->events) {
    ng__xml_evsink_init(&s->es, &s->ev, alc, s->opt.limits.user_stack);
    p->sink = ng__xml_evsink_sink(&s->es);
    s->f.state = NG__SF_IN_DOC;
    return NG_OK;
  }
  s->f.doc = doc = ng__xml_doc_new(s->opt.alc, s->opt.limits.max_memory);
  if (doc == NULL)
    return fail_at(s, NG_ENOMEM, &s->f.in.pos, 0, NULL);
  s->f.state = NG__SF_IN_DOC;
  ng__doc_parse_alc(&doc->base, alc);
  ng__xml_builder_init(&s->b, doc, ng__xml_build_flags(s->opt.flags), alc);
  p->sink.ops = &stream_dom_ops;
  p->sink.self = &s->b;
  return NG_OK;
}

/* The engine completed the document: releases the sink. */
static int doc_end(ng__sfront *f) {
  ng_xml_stream *s = of(f);

  if (s->events) {
    ng__xml_evsink_free(&s->es);
  } else {
    ng__xml_builder_free(&s->b);
    ng__doc_parse_alc(&((ng_xml_doc *)f->doc)->base, NULL);
  }
  f->state = NG__SF_ENDED;
  return NG_OK;
}

/* ------------------------------------------------------------- encoding */

/* Keeps the whole first window for the next feed. NG_OK or the error. */
static int decide_later(ng_xml_stream *s) {
  int rc = ng__stream_stop(&s->f.in, 0);

  if (rc == NG_OK)
    return NG_OK;
  return fail_at(s, rc == NG__STREAM_TOOLONG ? NG_ESTRLIMIT : NG_ENOMEM,
                 &s->f.in.pos, 0, NULL);
}

/*
 * The stream's first window data[0..len): decides the encoding once enough
 * is there, exactly as the one-shot parse decides it on the whole input
 * (then the BOM is to be skipped and the document begins), else keeps it
 * all for the next. NG_OK or the error (recorded).
 */
static int decide(ng_xml_stream *s, const char *data, size_t len, int partial) {
  ng__xml_sniff sniff;
  ng__spos at;
  int rc;

  rc = ng__xml_decide((const unsigned char *)data, len, partial, NULL, &sniff,
                      s->f.err);
  if (rc == NG__SUSPENDED)
    return decide_later(s);
  if (rc != NG_OK)
    return rc;
  if (sniff.enc.kind != NG__XML_ENC_UTF8) {
    ng__spos_init(&at);
    return fail_at(s, NG_ENOTSUP, &at, 0,
                   "streams read only UTF-8 input for now");
  }
  s->bom = sniff.skip;
  s->skip = sniff.skip;
  return doc_begin(s);
}

/* ----------------------------------------------------------------- loop */

/* Bytes of data[0..len) without a UTF-8 sequence cut by its end. */
static size_t whole_chars(const char *data, size_t len) {
  size_t i = len, k;

  for (k = 1; k <= 4 && k <= len; k++) {
    unsigned c = (unsigned char)data[len - k];
    if ((c & 0xC0) != 0x80) { /* a lead byte or ASCII */
      unsigned need = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      i = need > k ? len - k : len;
      break;
    }
  }
  return i;
}

/* The lexer was cut at its cursor: keeps the cut token for later. */
static int stop_window(ng__sfront *f) {
  ng_xml_stream *s = of(f);
  const ng__xml_lexer *lx = &s->p.lx;
  int rc = ng__stream_stop(&f->in, s->skip + (size_t)(lx->cur - lx->doc));

  if (s->skip != 0 && f->in.pos.line == 1)
    f->in.pos.col -= s->skip; /* line 1 starts after the BOM */
  s->skip = 0;
  if (rc == NG_OK)
    return NG_OK;
  if (rc == NG__STREAM_TOOLONG) /* f->in.pos: the token's start */
    return fail_at(s, NG_ESTRLIMIT, &f->in.pos, f->c->depth.cur,
                   "token cut by a chunk's end too long");
  return fail_at(s, NG_ENOMEM, &f->in.pos, f->c->depth.cur, NULL);
}

/* The window into the lexer; the first decides the encoding and begins
 * the document, or is kept for more (NG__SUSPENDED). */
static int take(ng__sfront *f, const char *data, size_t len, int partial) {
  ng_xml_stream *s = of(f);
  int rc;

  if (f->state == NG__SF_BETWEEN) {
    rc = decide(s, data, len, partial);
    if (rc != NG_OK || f->state == NG__SF_BETWEEN)
      return rc == NG_OK ? NG__SUSPENDED : rc;
    data += s->skip;
    len -= s->skip;
  }
  if (partial)
    len = whole_chars(data, len);
  ng__xml_lexer_window(&s->p.lx, (const unsigned char *)data, len, partial,
                       f->in.pos.off + s->skip - s->bom);
  ng__perr_window(&s->p.c.perr, data, len, 0, 1, 1);
  s->ns.text = data;
  s->ns.text_len = len;
  return NG_OK;
}

static int engine(ng__sfront *f) { return ng__xml_run(&of(f)->p); }

static int fail_here(ng__sfront *f, int code, const char *msg) {
  ng__xml_parser *p = &of(f)->p;
  return ng__parse_fail(&p->c, code, p->tok.off, msg);
}

/* --------------------------------------------------------------- the API */

/* The parse's pieces over no text yet: lexer, names, namespaces. */
static void parse_init(ng_xml_stream *s) {
  ng__xml_parser *p = &s->p;
  const ng_alloc *alc;

  memset(p, 0, sizeof *p);
  alc = ng__sfront_guard(s, sizeof *s, s->opt.alc, s->opt.limits.user_stack);
  ng__parse_init(&p->c, &ng__xml_grammar, NULL, 0, &s->opt.limits, NULL);
  p->c.alc = alc;
  p->opt = &s->opt;
  ng__gstack_init(&p->names, alc, p->names_inl, sizeof p->names_inl);
  ng__xml_lexer_init(&p->lx, NULL, 0, &s->opt.limits, alc);
  ng__xml_ns_init(&s->ns, NULL, 0, alc);
  ng__gstack_init(&s->conts, alc, NULL, 0);
  p->conts = &s->conts;
  s->lalr.live = 0;
  p->lalr = &s->lalr;
}

static void parse_free(ng_xml_stream *s) {
  ng__xml_lalr_release(&s->lalr);
  ng__gstack_free(&s->conts);
  ng__gstack_free(&s->p.names);
  ng__xml_ns_free(&s->ns);
  ng__xml_lexer_free(&s->p.lx);
}

/* Back to no text: a new parse. */
static void reset(ng__sfront *f) {
  ng_xml_stream *s = of(f);

  parse_free(s);
  parse_init(s);
  s->bom = 0;
  s->skip = 0;
}

/*
 * max_input's position *at on line 1 counts its column after a UTF-8 BOM,
 * like every XML error's (stop_window takes the BOM off f->in.pos once
 * the lexer has had its first window). Before the encoding is decided,
 * the stream's first bytes are the carry's, then data's; a BOM prefix
 * cut by the end of what was fed counts as a BOM.
 */
static void limit_col(ng__sfront *f, const char *data, size_t len,
                      ng__spos *at) {
  static const char bom[] = "\xEF\xBB\xBF";
  const ng__stream *in = &f->in;
  size_t i, n = of(f)->skip; /* decided: a BOM not yet taken off in->pos */

  if (f->state == NG__SF_BETWEEN) {
    for (i = 0; i < 3 && i < in->carry_len + len; i++)
      if ((i < in->carry_len ? in->carry[i] : data[i - in->carry_len]) !=
          bom[i])
        break;
    n = i == 3 || i == in->carry_len + len ? i : 0;
  }
  if (at->line == 1)
    at->col -= at->col - 1 < n ? at->col - 1 : n;
}

static void doc_free(void *doc) { ng_xml_doc_free(doc); }

/* No begin: the window that decides the encoding begins the document. */
static const ng__sfront_ops xml_ops = {
    .take = take, .engine = engine, .failed = fail_engine,
    .fail_here = fail_here, .stop = stop_window, .end = doc_end,
    .drop = doc_drop, .reset = reset, .doc_free = doc_free,
    .limit = limit_col};

int ng_xml_stream_new(const ng_xml_stream_config *cfg, ng_xml_stream **out) {
  ng_xml_stream *s;
  ng_xml_options opt;
  int rc;

  if (out == NULL)
    return NG_EINVAL;
  *out = NULL;
  if (cfg != NULL && cfg->opt != NULL)
    opt = *cfg->opt;
  else
    ng_xml_options_default(&opt);
  if ((unsigned)opt.engine >= NG_XML_ENGINE_COUNT ||
      (opt.flags & ~(unsigned)NG__XML_PARSE_FLAGS) != 0)
    return NG_EINVAL;
  s = ng__malloc(opt.alc, ng__sfront_size(sizeof *s, opt.alc));
  if (s == NULL)
    return NG_ENOMEM;
  memset(s, 0, sizeof *s);
  s->opt = opt;
  s->events = cfg != NULL && cfg->events != NULL;
  if (s->events)
    s->ev = *cfg->events;
  ng__sfront_init(&s->f, &xml_ops, &s->p.c, opt.alc, opt.limits.max_input,
                  carry_bound(&opt.limits));
  if (opt.engine == NG_XML_RECURSIVE &&
      (rc = ng__sfront_sched(&s->f, cfg != NULL ? cfg->sched : NULL)) != 0) {
    ng__free(opt.alc, s, ng__sfront_size(sizeof *s, opt.alc));
    return rc;
  }
  s->f.in.pos.crlf = 1;
  parse_init(s);
  *out = s;
  return NG_OK;
}

void ng_xml_stream_free(ng_xml_stream *s) {
  if (s == NULL)
    return;
  ng__sfront_free(&s->f);
  parse_free(s);
  ng__free(s->opt.alc, s, ng__sfront_size(sizeof *s, s->opt.alc));
}

/* The front end is the stream's first member: a NULL stream is a NULL
 * front end, which refuses the call. */

void ng_xml_stream_reset(ng_xml_stream *s) {
  ng__sfront_reset((ng__sfront *)s);
}

int ng_xml_stream_feed(ng_xml_stream *s, const char *data, size_t len,
                       ng_error *err) {
  return ng__sfront_feed((ng__sfront *)s, data, len, err);
}

int ng_xml_stream_finish(ng_xml_stream *s, ng_xml_doc **doc, ng_error *err) {
  void *d = NULL;
  int rc = ng__sfront_finish((ng__sfront *)s, doc != NULL ? &d : NULL, err);

  if (doc != NULL)
    *doc = d;
  return rc;
}
