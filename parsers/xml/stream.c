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
 * UTF-8 BOM is consumed and lexing starts after it. Any other encoding is
 * transcoded a chunk at a time (encoding.h's incremental transcoder, the
 * bytes of a character cut by a chunk's end kept in it), from the decision
 * on: the window that decided and the rest of its chunk become UTF-8 text
 * that replaces them in the stream (ng__stream_swap), every later chunk
 * too (the convert hook), and the lexer reads that text as it reads a
 * UTF-8 stream. Positions are counted in the text and mapped back to the
 * original bytes through an offset map that covers the carry and the
 * chunk, the text from the stream position on; the stream keeps the
 * original offset of its position's line start for columns. A chunk is
 * transcoded XML_TC_PIECE original bytes at a time.
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
  ng__xml_parser p;        /* the parse (its context next to f) */
  ng_xml_options opt;      /* resolved copy */
  int events;              /* events mode, not DOM */
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
  struct xml_tc *tc;       /* input in another encoding than UTF-8: its
                              transcoding, or NULL */
};

/* Original bytes transcoded at once: a longer chunk is fed in pieces, so
 * that the text buffer stays a small multiple of it (UTF-8 takes up to 4
 * bytes where the original took one). */
#define XML_TC_PIECE 16384

/* Text bytes between the transcoder's periodic checkpoints: a lookup walks
 * at most that far (a stop's two lookups took 40 % of a UTF-16 parse in
 * 4 KiB chunks at the one-shot parse's 512). */
#define XML_TC_EVERY 64

/* A stream's transcoding (allocated when the encoding is decided). */
typedef struct xml_tc {
  ng__xml_tc tc;      /* the transcoder; its text: the chunk being read */
  ng__offmap map;     /* from the stream position on (the carry, then the
                         chunk's text) to original offsets */
  size_t ls_orig;     /* original offset of the stream position's line */
  ng__xml_enc enc;    /* the encoding decided (messages) */
  ng__xml_rawpos raw; /* max_input's positions over the bytes fed; kept
                         only when max_input is set */
} xml_tc;

_Static_assert(offsetof(ng_xml_stream, p.c) == sizeof(ng__sfront),
               "the parse context follows the front end (stream.h)");

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

/*
 * A transcoded stream: *at, a position in the text at or after the stream
 * position, to the original bytes, win being the window from the stream
 * position on (at in it): the offset through the map, the column from the
 * line's start (the stream position's, or one in the window).
 */
static void tc_orig(const ng_xml_stream *s, const unsigned char *win,
                    ng__spos *at) {
  const xml_tc *t = s->tc;
  size_t base = s->f.in.pos.off, ls = at->off - (at->col - 1), ls_orig;

  ls_orig = ls <= base ? t->ls_orig : ng__offmap_orig(&t->map, win, ls - base);
  at->off = ng__offmap_orig(&t->map, win, at->off - base);
  at->col = 1 + at->off - ls_orig;
}

/* ng__stream_stop's failure rc, the cut token starting at *at. */
static int stop_fail(ng_xml_stream *s, int rc, const ng__spos *at) {
  if (rc == NG__STREAM_TOOLONG)
    return fail_at(s, NG_ESTRLIMIT, at, s->p.c.depth.cur,
                   "token cut by a chunk's end too long");
  return fail_at(s, NG_ENOMEM, at, s->p.c.depth.cur, NULL);
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
  ng_error local = *NG__SF_ERR(f); /* the engine's, against the window */
  size_t off = local.offset, n = (size_t)(lx->end - lx->doc);
  const char *msg = local.msg[0] != '\0' ? local.msg : NULL;
  ng__spos at = f->in.pos;

  win_advance(s, &at, off < n ? off : n);
  if (s->tc != NULL) {
    tc_orig(s, lx->doc, &at);
    if (rc == NG_EUTF8) /* what the transcoder's marker bytes stand for */
      msg = ng__xml_enc_bad_char(&s->tc->enc);
  }
  return fail_at(s, rc, &at, local.depth, msg);
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

/* ---------------------------------------------------------- transcoding */

static const ng__sfront_ops xml_ops[], xml_tc_ops[];

/* Fails a transcoded stream for code (the transcoder's: NG_ENOMEM, or
 * iconv's failure to open) at offset 0, as the one-shot parse does. */
static int tc_fail(ng_xml_stream *s, int code) {
  ng__spos at;

  ng__spos_init(&at);
  return fail_at(s, code, &at, 0, NULL);
}

/* Transcodes in[0..n) (final: the input ends there) into a text of its
 * own, its map appended to the stream's after `at` bytes of text. */
static int tc_text(xml_tc *t, const char *in, size_t n, int final,
                   size_t at) {
  int rc = ng__xml_tc_restart(&t->tc);

  if (rc == NG_OK)
    rc = ng__xml_tc_feed(&t->tc, in, n, final);
  if (rc == NG_OK)
    rc = ng__offmap_append(&t->map, &t->tc.map, at);
  return rc;
}

/* Sets up the transcoding of enc for the original bytes after skip. */
static int tc_new(ng_xml_stream *s, const ng__xml_sniff *sniff) {
  const ng_alloc *alc = s->p.c.alc;
  xml_tc *t = ng__malloc(alc, sizeof *t);
  int rc;

  if (t == NULL)
    return NG_ENOMEM;
  rc = ng__xml_tc_init(&t->tc, &sniff->enc, sniff->skip, alc);
  if (rc != NG_OK) {
    ng__free(alc, t, sizeof *t);
    return rc;
  }
  t->tc.map.every = XML_TC_EVERY; /* each stop looks up twice */
  t->tc.map.due = XML_TC_EVERY;
  ng__offmap_init(&t->map, alc, sniff->skip, t->tc.map.step);
  t->ls_orig = sniff->skip;
  t->enc = sniff->enc;
  ng__xml_rawpos_init(&t->raw, sniff->family, sniff->bom);
  s->tc = t;
  return NG_OK;
}

static void tc_free(ng_xml_stream *s) {
  const ng_alloc *alc = s->p.c.alc;

  if (s->tc == NULL)
    return;
  ng__xml_tc_free(&s->tc->tc);
  ng__offmap_free(&s->tc->map);
  ng__free(alc, s->tc, sizeof *s->tc);
  s->tc = NULL;
}

/*
 * The encoding decided for the window data[0..len), the stream's first
 * bytes, is not UTF-8: the window after its BOM and the rest of the chunk
 * are transcoded, and their text replaces them in the stream; later chunks
 * are transcoded as they come (xml_tc_ops). NG__SUSPENDED (the next window
 * is the text's) or the recorded error.
 */
static int tc_begin(ng_xml_stream *s, const char *data, size_t len,
                    const ng__xml_sniff *sniff) {
  ng__stream *in = &s->f.in;
  const ng__stream_call *c = in->call;
  size_t skip = sniff->skip, nrest = c->chunk_len - c->chunk_pos;
  const char *rest = nrest != 0 ? c->chunk + c->chunk_pos : NULL;
  int rc = tc_new(s, sniff);
  xml_tc *t = s->tc;

  if (rc != NG_OK)
    return tc_fail(s, rc);
  if (in->max_input != SIZE_MAX) {
    ng__xml_rawpos_feed(&t->raw, (const unsigned char *)data, len);
    ng__xml_rawpos_feed(&t->raw, (const unsigned char *)rest, nrest);
  }
  rc = ng__xml_tc_restart(&t->tc); /* one text: the window's, the rest's */
  if (rc == NG_OK)
    rc = ng__xml_tc_feed(&t->tc, data + skip, len - skip, 0);
  if (rc == NG_OK)
    rc = ng__xml_tc_feed(&t->tc, rest, nrest, in->final);
  if (rc == NG_OK)
    rc = ng__offmap_append(&t->map, &t->tc.map, 0);
  if (rc != NG_OK)
    return tc_fail(s, rc);
  ng__stream_swap(in, (const char *)t->tc.out, t->tc.len);
  s->f.ops = &xml_tc_ops[s->opt.engine];
  rc = doc_begin(s);
  return rc == NG_OK ? NG__SUSPENDED : rc;
}

/* A later chunk (the convert hook): its text replaces it. */
static int tc_convert(ng__sfront *f, ng__stream_call *call) {
  ng_xml_stream *s = of(f);
  xml_tc *t = s->tc;
  int rc;

  if (f->in.max_input != SIZE_MAX)
    ng__xml_rawpos_feed(&t->raw, (const unsigned char *)call->chunk,
                        call->chunk_len);
  rc = tc_text(t, call->chunk, call->chunk_len, f->in.final, f->in.carry_len);
  if (rc != NG_OK)
    return tc_fail(s, rc);
  call->chunk = (const char *)t->tc.out;
  call->chunk_len = t->tc.len;
  return NG_OK;
}

/*
 * The lexer stopped `used` bytes into the window: the map and the line
 * start move on with the stream position, what they need of the window
 * read before ng__stream_stop drops it.
 */
static int tc_stop(ng_xml_stream *s, size_t used) {
  xml_tc *t = s->tc;
  const unsigned char *win = s->p.lx.doc;
  ng__spos at = s->f.in.pos;
  ng__offmap_cp cp;
  size_t ls, ls_orig;
  int rc;

  ng__spos_advance(&at, (const char *)win, used);
  ng__offmap_at(&t->map, win, used, &cp);
  ls = at.off - (at.col - 1);
  ls_orig = ls <= s->f.in.pos.off
                ? t->ls_orig
                : ng__offmap_orig(&t->map, win, ls - s->f.in.pos.off);
  rc = ng__stream_stop(&s->f.in, used);
  if (rc == NG_OK) {
    ng__offmap_rebase(&t->map, &cp);
    t->ls_orig = ls_orig;
    return NG_OK;
  }
  at.off = cp.orig; /* the token's start */
  at.col = 1 + cp.orig - ls_orig;
  return stop_fail(s, rc, &at);
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
  int rc;

  rc = ng__xml_decide((const unsigned char *)data, len, partial, NULL, &sniff,
                      NG__SF_ERR(&s->f));
  if (rc == NG__SUSPENDED)
    return decide_later(s);
  if (rc != NG_OK)
    return rc;
  if (sniff.enc.kind != NG__XML_ENC_UTF8)
    return tc_begin(s, data, len, &sniff);
  s->bom = sniff.skip;
  s->skip = sniff.skip;
  return doc_begin(s);
}

/* ----------------------------------------------------------------- loop */

/* Bytes of data[0..len) without a UTF-8 sequence cut by its end. */
static size_t whole_chars(const char *data, size_t len) {
  size_t i = len, k;

  if (len == 0 || (unsigned char)data[len - 1] < 0x80) /* most windows */
    return len;
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
  return stop_fail(s, rc, &f->in.pos); /* f->in.pos: the token's start */
}

/* The transcoded stream's stop. */
static int tc_stop_window(ng__sfront *f) {
  ng_xml_stream *s = of(f);

  return tc_stop(s, (size_t)(s->p.lx.cur - s->p.lx.doc));
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
  ng__perr_window(&s->p.c.perr, data, len, NULL);
  s->ns.text = data;
  s->ns.text_len = len;
  return NG_OK;
}

/* The engines, resumed directly at every window (ng__xml_run's dispatch
 * is done once, by the choice of the ops: xml_ops, xml_tc_ops). */
static int run_iterative(ng__sfront *f) {
  return ng__xml_run_iterative(&of(f)->p);
}

static int run_recursive(ng__sfront *f) {
  return ng__xml_run_recursive(&of(f)->p);
}

static int run_trampoline(ng__sfront *f) {
  return ng__xml_run_trampoline(&of(f)->p);
}

static int run_lalr(ng__sfront *f) { return ng__xml_run_lalr(&of(f)->p); }

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
  ng__parse_init(&p->c, NULL, 0, &s->opt.limits, NULL);
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

  tc_free(s);
  f->ops = &xml_ops[s->opt.engine]; /* UTF-8 until a document decides */
  parse_free(s);
  parse_init(s);
  s->bom = 0;
  s->skip = 0;
}

/*
 * max_input's position *at, where the one-shot parse counts it
 * (ng__xml_raw_linecol). Decided UTF-8: columns on line 1 count after a
 * BOM (stop_window takes it off f->in.pos once the lexer has had its
 * first window). Before the decision, the stream's first bytes are all in
 * the carry, then come data's; a BOM prefix cut by the end of what was
 * fed counts as a BOM.
 */
static void limit_col(ng__sfront *f, const char *data, size_t len,
                      ng__spos *at) {
  const ng__stream *in = &f->in;
  unsigned char head[4];
  size_t n = 0, bom;
  ng__xml_rawpos r;
  int fam;

  if (f->state != NG__SF_BETWEEN) {
    n = of(f)->skip; /* a BOM not yet taken off in->pos */
    if (at->line == 1)
      at->col -= at->col - 1 < n ? at->col - 1 : n;
    return;
  }
  for (; n < 4 && n < in->carry_len + len; n++)
    head[n] = (unsigned char)(n < in->carry_len ? in->carry[n]
                                                : data[n - in->carry_len]);
  fam = ng__xml_detect(head, n, &bom);
  if (n < 3 && memcmp(head, "\xEF\xBB\xBF", n) == 0)
    bom = n;
  ng__xml_rawpos_init(&r, fam, bom);
  ng__xml_rawpos_feed(&r, (const unsigned char *)in->carry, in->carry_len);
  ng__xml_rawpos_at(&r, (const unsigned char *)data, len,
                    in->max_input - in->fed, &at->line, &at->col);
}

/* A transcoded stream's max_input position: over the original bytes. */
static void tc_limit(ng__sfront *f, const char *data, size_t len,
                     ng__spos *at) {
  const ng__xml_rawpos *r = &of(f)->tc->raw;

  at->off = f->in.max_input;
  ng__xml_rawpos_at(r, (const unsigned char *)data, len,
                    f->in.max_input - r->off, &at->line, &at->col);
}

static void doc_free(void *doc) { ng_xml_doc_free(doc); }

/* The stream's token_end (stream.h) for a UTF-8 document: the carry
 * tok[0..len) holds markup cut before its '>' (through the first '>' in
 * next: a '>' inside a comment or an attribute's value ends it too soon,
 * and the next carry window goes on), or text cut before its '<' (through
 * the '>' of the tag after it, so that no window ends on a lone '<'). */
static size_t token_end(const char *tok, size_t len, const char *next,
                        size_t n) {
  const char *p = next, *end = next + n;

  (void)len;
  if (tok[0] != '<') {
    p = memchr(p, '<', n);
    if (p == NULL)
      return 0;
  }
  p = memchr(p, '>', (size_t)(end - p));
  return p != NULL ? (size_t)(p - next) + 1 : 0;
}

/* The front end's ops, one set per engine (the options' engine) for a
 * UTF-8 document, another for one in another encoding once decided
 * (tc_begin). No begin: the window that decides the encoding begins the
 * document. */
#define NG__XML_OPS(run, stop_, limit_, convert_, end_)                        \
  {.take = take, .engine = run, .failed = fail_engine,                         \
   .fail_here = fail_here, .stop = stop_, .end = doc_end, .drop = doc_drop,    \
   .reset = reset, .doc_free = doc_free, .limit = limit_, .convert = convert_, \
   .token_end = end_}
#define NG__XML_ENGINES(st, lim, conv, end)                                    \
  {[NG_XML_ITERATIVE] = NG__XML_OPS(run_iterative, st, lim, conv, end),        \
   [NG_XML_RECURSIVE] = NG__XML_OPS(run_recursive, st, lim, conv, end),        \
   [NG_XML_TRAMPOLINE] = NG__XML_OPS(run_trampoline, st, lim, conv, end),      \
   [NG_XML_LALR] = NG__XML_OPS(run_lalr, st, lim, conv, end)}
static const ng__sfront_ops xml_ops[NG_XML_ENGINE_COUNT] =
    NG__XML_ENGINES(stop_window, limit_col, NULL, token_end);
static const ng__sfront_ops xml_tc_ops[NG_XML_ENGINE_COUNT] =
    NG__XML_ENGINES(tc_stop_window, tc_limit, tc_convert, NULL);
#undef NG__XML_ENGINES
#undef NG__XML_OPS

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
  ng__sfront_init(&s->f, &xml_ops[opt.engine], opt.alc, opt.limits.max_input,
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

/*
 * A long chunk that is or may be transcoded, in pieces (XML_TC_PIECE);
 * whole when it passes max_input (refused whole, as any chunk), and its
 * rest at once when the encoding decided is UTF-8.
 */
NG_NOINLINE static int feed_pieces(ng_xml_stream *s, const char *data,
                                   size_t len, ng_error *err) {
  const ng__stream *in = &s->f.in;
  size_t k;
  int rc = NG_OK;

  if (len > in->max_input - in->fed)
    return ng__sfront_feed(&s->f, data, len, err);
  for (; rc == NG_OK && len > 0; data += k, len -= k) {
    k = len < XML_TC_PIECE ? len : XML_TC_PIECE;
    if (s->tc == NULL && s->f.state != NG__SF_BETWEEN)
      k = len;
    rc = ng__sfront_feed(&s->f, data, k, err);
  }
  return rc;
}

int ng_xml_stream_feed(ng_xml_stream *s, const char *data, size_t len,
                       ng_error *err) {
  if (s != NULL && len > XML_TC_PIECE && data != NULL &&
      (s->tc != NULL || s->f.state == NG__SF_BETWEEN))
    return feed_pieces(s, data, len, err);
  return ng__sfront_feed((ng__sfront *)s, data, len, err);
}

int ng_xml_stream_finish(ng_xml_stream *s, ng_xml_doc **doc, ng_error *err) {
  void *d = NULL;
  int rc = ng__sfront_finish((ng__sfront *)s, doc != NULL ? &d : NULL, err);

  if (doc != NULL)
    *doc = d;
  return rc;
}
