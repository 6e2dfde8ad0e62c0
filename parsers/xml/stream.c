/*
 * parsers/xml/stream.c - push parsing: ng_xml_stream_* (nestguard/xml.h).
 *
 * The second instance of JSON's pattern (parsers/json/stream.c): the input
 * side is parsers/common/stream.h (windows, the carry of one cut token,
 * absolute positions with XML's line ends, max_input); the engine is the
 * one-shot parse's, suspended where the lexer is cut by the end of a window
 * that more input may follow (lexer.h, engine.h's ng__xml_cut): the
 * iterative engine keeps its grammar state (p->want) and the open
 * elements' names, the trampoline its continuations too (p->conts), the
 * LALR engine lemon's parser (p->lalr). The loop
 * here hands the lexer one window after another and runs the engine until
 * it suspends or ends.
 *
 * The encoding is decided first (encoding.h) over the stream's first bytes,
 * kept in the carry until an XML declaration there is complete; then a
 * UTF-8 BOM is consumed and lexing starts after it. Other encodings are
 * NG_ENOTSUP for now.
 *
 * Nothing may point into a chunk once a feed returns: tokens point into
 * the window only until the next one, names are copied (names.h), and the
 * DOM builder, which keeps character data from the text as pointers until
 * the run ends, is handed the document's character data as a copy
 * (stream_misc); an entity's text lives in the DTD's tables and is kept.
 *
 * States: BEGIN (encoding not decided), IN_DOC, ENDED (finish returned),
 * FAILED (the error is sticky).
 */
#include <string.h>

#include "../common/stream.h"
#include "../common/usercall.h"
#include "builder.h"
#include "encoding.h"
#include "engine.h"
#include "lalr_driver.h"

enum { ST_BEGIN, ST_IN_DOC, ST_ENDED, ST_FAILED };

struct ng_xml_stream {
  ng_xml_options opt;      /* resolved copy */
  ng_xml_events ev;        /* events mode: the callbacks */
  int events;              /* events mode, not DOM */
  ng__stream in;           /* windows, carry, positions */
  ng__xml_parser p;        /* the parse */
  ng__xml_ns ns;           /* namespace stage (p.ns points here when on) */
  ng__gstack conts;        /* trampoline engine: its continuations */
  ng__xml_lalr_state lalr; /* LALR engine: lemon's parser */
  ng__xml_builder b;       /* DOM mode: the sink */
  ng__xml_evsink es;       /* events mode: the sink */
  ng_xml_doc *doc;         /* DOM mode: being built, or complete */
  ng__alc_guard guard;     /* the user's allocator, guarded */
  ng_error local;          /* the engine's errors, against the window */
  ng_error err;            /* the stream's error record (sticky) */
  size_t bom;              /* bytes of the byte order mark skipped */
  size_t skip;             /* bytes of the window before the lexer's text
                              (the BOM, in the first window) */
  int state;               /* ST_* */
  int rc;                  /* ST_FAILED: the error */
  int have_win;            /* the lexer holds a window not finished */
};

/* The carry's bound (nestguard/xml.h): 8 * max_string, saturated. */
static size_t carry_bound(const ng_limits *lim) {
  size_t n = ng_limit_clamp(lim->max_string, SIZE_MAX);
  return n > SIZE_MAX / 8 ? SIZE_MAX : 8 * n;
}

/* --------------------------------------------------------- the DOM sink */

/* The DOM builder's misc, with the document's character data copied: it
 * lies in a window that is gone after the feed. */
static int stream_misc(void *self, const ng__xml_token *t) {
  ng__xml_token c;

  if ((t->kind != NG__XT_TEXT && t->kind != NG__XT_CDATA) ||
      (t->flags & (NG__XTF_SCRATCH | NG__XTF_ENTITY)))
    return ng__xml_dom_ops.misc(self, t);
  c = *t;
  c.flags |= NG__XTF_SCRATCH;
  return ng__xml_dom_ops.misc(self, &c);
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
  ng_error *e = &s->err;

  e->code = code;
  e->offset = at->off;
  e->line = at->line;
  e->column = at->col;
  e->depth = depth;
  if (msg == NULL)
    msg = ng_strerror(code);
  strncpy(e->msg, msg, sizeof e->msg - 1);
  e->msg[sizeof e->msg - 1] = '\0';
  return code;
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
static int fail_engine(ng_xml_stream *s, int rc) {
  const ng__xml_lexer *lx = &s->p.lx;
  size_t off = s->local.offset, n = (size_t)(lx->end - lx->doc);
  ng__spos at = s->in.pos;

  win_advance(s, &at, off < n ? off : n);
  return fail_at(s, rc, &at, s->local.depth,
                 s->local.msg[0] != '\0' ? s->local.msg : NULL);
}

/* ------------------------------------------------------------- documents */

/* Drops the document in progress: sink, DOM. */
static void doc_drop(ng_xml_stream *s) {
  if (s->events) {
    ng__xml_evsink_free(&s->es);
  } else {
    ng__xml_builder_free(&s->b);
    ng_xml_doc_free(s->doc);
    s->doc = NULL;
  }
}

/* Sets up the parse and its sink; NG_OK or NG_ENOMEM (recorded). */
static int doc_begin(ng_xml_stream *s) {
  ng__xml_parser *p = &s->p;
  const ng_alloc *alc = p->c.alc;

  p->want = NG__XX_PROLOG;
  if (s->opt.flags & NG_XML_NAMESPACES)
    p->ns = &s->ns;
  s->state = ST_IN_DOC;
  if (s->events) {
    ng__xml_evsink_init(&s->es, &s->ev, alc, s->opt.limits.user_stack);
    p->sink = ng__xml_evsink_sink(&s->es);
    return NG_OK;
  }
  s->doc = ng__xml_doc_new(s->opt.alc, s->opt.limits.max_memory);
  if (s->doc == NULL) {
    s->state = ST_BEGIN;
    return fail_at(s, NG_ENOMEM, &s->in.pos, 0, NULL);
  }
  ng__doc_parse_alc(&s->doc->base, alc);
  ng__xml_builder_init(&s->b, s->doc, ng__xml_build_flags(s->opt.flags), alc);
  p->sink.ops = &stream_dom_ops;
  p->sink.self = &s->b;
  return NG_OK;
}

/* The engine completed the document: releases the sink. */
static void doc_end(ng_xml_stream *s) {
  if (s->events) {
    ng__xml_evsink_free(&s->es);
  } else {
    ng__xml_builder_free(&s->b);
    ng__doc_parse_alc(&s->doc->base, NULL);
  }
  s->state = ST_ENDED;
}

/* ------------------------------------------------------------- encoding */

/* True when data[0..len) holds enough to decide the encoding: 4 bytes
 * (the BOMs and byte patterns of encoding.h); when a UTF-8 "<?xml" starts
 * them, the declaration's "?>" (a '>' may stand in a broken encoding
 * name); when another '<' among them may start a declaration, a '>'. */
static int decl_ready(const char *d, size_t n) {
  const char *q = d;

  if (n < 4 || memchr(d, '<', 4) == NULL)
    return n >= 4;
  if (n < 5 || memcmp(d, "<?xml", 5) != 0)
    return memchr(d, '>', n) != NULL;
  while ((q = memchr(q + 1, '>', n - (size_t)(q + 1 - d))) != NULL)
    if (q[-1] == '?')
      return 1;
  return 0;
}

/* Keeps the whole first window for the next feed. NG_OK or the error. */
static int decide_later(ng_xml_stream *s) {
  int rc = ng__stream_stop(&s->in, 0);

  if (rc == NG_OK)
    return NG_OK;
  return fail_at(s, rc == NG__STREAM_TOOLONG ? NG_ESTRLIMIT : NG_ENOMEM,
                 &s->in.pos, 0, NULL);
}

/* A decision that failed on a partial window may still change with the
 * bytes to come (a quote or '?>' further on, a declaration cut by a '>'
 * inside it), so it waits for more while the window is under this size
 * or the input ends. */
#define DECIDE_WAIT ((size_t)4096)

/*
 * The stream's first window data[0..len): decides the encoding once enough
 * is there (then the BOM is to be skipped and the document begins), else
 * keeps it all for the next. NG_OK or the error (recorded).
 */
static int decide(ng_xml_stream *s, const char *data, size_t len, int partial) {
  ng__xml_sniff sniff;
  ng__spos at;
  int rc;

  if (partial && !decl_ready(data, len))
    return decide_later(s);
  rc = ng__xml_decide((const unsigned char *)data, len, NULL, &sniff, &s->err);
  if (rc != NG_OK && rc != NG_ENOMEM && partial && len < DECIDE_WAIT) {
    memset(&s->err, 0, sizeof s->err);
    return decide_later(s);
  }
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
static int stop_window(ng_xml_stream *s) {
  const ng__xml_lexer *lx = &s->p.lx;
  int rc;

  s->have_win = 0;
  rc = ng__stream_stop(&s->in, s->skip + (size_t)(lx->cur - lx->doc));
  if (s->skip != 0 && s->in.pos.line == 1)
    s->in.pos.col -= s->skip; /* line 1 starts after the BOM */
  s->skip = 0;
  if (rc == NG_OK)
    return NG_OK;
  if (rc == NG__STREAM_TOOLONG) /* s->in.pos: the token's start */
    return fail_at(s, NG_ESTRLIMIT, &s->in.pos, s->p.c.depth.cur,
                   "token cut by a chunk's end too long");
  return fail_at(s, NG_ENOMEM, &s->in.pos, s->p.c.depth.cur, NULL);
}

/* Takes the next window into the lexer: NG_OK, NG__SUSPENDED (more input
 * needed) or the recorded error. */
static int next_window(ng_xml_stream *s) {
  const char *data;
  size_t len;
  int partial, rc = ng__stream_window(&s->in, &data, &len, &partial);

  if (rc == NG__SUSPENDED)
    return rc;
  if (rc != NG_OK)
    return fail_at(s, rc, &s->in.pos, s->p.c.depth.cur, NULL);
  if (s->state == ST_BEGIN) {
    rc = decide(s, data, len, partial);
    if (rc != NG_OK || s->state == ST_BEGIN) /* kept: the carry doubles */
      return rc == NG_OK ? next_window(s) : rc;
    data += s->skip;
    len -= s->skip;
  }
  if (partial)
    len = whole_chars(data, len);
  ng__xml_lexer_window(&s->p.lx, (const unsigned char *)data, len, partial,
                       s->in.pos.off + s->skip - s->bom);
  ng__perr_window(&s->p.c.perr, data, len, 0, 1, 1);
  s->ns.text = data;
  s->ns.text_len = len;
  s->have_win = 1;
  return NG_OK;
}

/* Runs the parse over the input taken so far. NG_OK when the input is
 * used up (or the document ended), else the recorded error. */
static int pump(ng_xml_stream *s) {
  int rc;

  while (s->state != ST_ENDED) {
    if (!s->have_win && (rc = next_window(s)) != NG_OK)
      return rc == NG__SUSPENDED ? NG_OK : rc;
    rc = ng__xml_run(&s->p);
    if (rc == NG__SUSPENDED) {
      if ((rc = stop_window(s)) != NG_OK)
        return rc;
      continue;
    }
    if (rc != NG_OK)
      return fail_engine(s, rc);
    doc_end(s);
  }
  return NG_OK;
}

/* Ends a call: the sticky state and the caller's error record. */
static int result(ng_xml_stream *s, int rc, ng_error *err) {
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

/* --------------------------------------------------------------- the API */

/* The parse's pieces over no text yet: lexer, names, namespaces. */
static void parse_init(ng_xml_stream *s) {
  ng__xml_parser *p = &s->p;
  const ng_alloc *alc;

  memset(p, 0, sizeof *p);
  alc = ng__alc_guard_init(&s->guard, s->opt.alc, s->opt.limits.user_stack);
  ng__parse_init(&p->c, &ng__xml_grammar, NULL, 0, &s->opt.limits, &s->local);
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

int ng_xml_stream_new(const ng_xml_stream_config *cfg, ng_xml_stream **out) {
  ng_xml_stream *s;
  ng_xml_options opt;

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
  if (opt.engine == NG_XML_RECURSIVE)
    return NG_ENOTSUP;
  s = ng__malloc(opt.alc, sizeof *s);
  if (s == NULL)
    return NG_ENOMEM;
  memset(s, 0, sizeof *s);
  s->opt = opt;
  s->events = cfg != NULL && cfg->events != NULL;
  if (s->events)
    s->ev = *cfg->events;
  ng__stream_init(&s->in, opt.alc, opt.limits.max_input,
                  carry_bound(&opt.limits));
  s->in.pos.crlf = 1;
  parse_init(s);
  s->state = ST_BEGIN;
  *out = s;
  return NG_OK;
}

/*
 * max_input's position *at on line 1 counts its column after a UTF-8 BOM,
 * like every XML error's (stop_window takes the BOM off s->in.pos once
 * the lexer has had its first window). Before the encoding is decided,
 * the stream's first bytes are the carry's, then data's; a BOM prefix
 * cut by the end of what was fed counts as a BOM.
 */
static void limit_col(const ng_xml_stream *s, const char *data, size_t len,
                      ng__spos *at) {
  static const char bom[] = "\xEF\xBB\xBF";
  size_t i, n = s->skip; /* decided: a BOM not yet taken off s->in.pos */

  if (s->state == ST_BEGIN) {
    for (i = 0; i < 3 && i < s->in.carry_len + len; i++)
      if ((i < s->in.carry_len ? s->in.carry[i] : data[i - s->in.carry_len]) !=
          bom[i])
        break;
    n = i == 3 || i == s->in.carry_len + len ? i : 0;
  }
  if (at->line == 1)
    at->col -= at->col - 1 < n ? at->col - 1 : n;
}

int ng_xml_stream_feed(ng_xml_stream *s, const char *data, size_t len,
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
  if (rc != NG_OK) {
    limit_col(s, data, len, &at);
    rc = fail_at(s, rc, &at, 0, "input longer than max_input");
  }
  else
    rc = pump(s);
  return result(s, rc, err);
}

int ng_xml_stream_finish(ng_xml_stream *s, ng_xml_doc **doc, ng_error *err) {
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
      ng_xml_doc_free(s->doc);
    s->doc = NULL;
  }
  return rc;
}

void ng_xml_stream_reset(ng_xml_stream *s) {
  if (s == NULL)
    return;
  if (s->state == ST_IN_DOC)
    doc_drop(s);
  ng_xml_doc_free(s->doc);
  s->doc = NULL;
  parse_free(s);
  parse_init(s);
  ng__stream_reset(&s->in);
  s->bom = 0;
  s->skip = 0;
  s->state = ST_BEGIN;
  s->rc = NG_OK;
  s->have_win = 0;
}

void ng_xml_stream_free(ng_xml_stream *s) {
  if (s == NULL)
    return;
  ng_xml_stream_reset(s);
  parse_free(s);
  ng__stream_free(&s->in);
  ng__free(s->opt.alc, s, sizeof *s);
}
