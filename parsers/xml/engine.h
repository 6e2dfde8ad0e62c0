/*
 * parsers/xml/engine.h - what every XML engine shares: the parse context,
 * the event sink, and the emit helpers that check depth, match end tags
 * and call the sink.
 *
 * An engine is only a control structure over these pieces, under the same
 * three rules as JSON's engines (parsers/json/engine.h):
 *
 *  1. Tokens are read one at a time with ng__xml_advance(); the next one
 *     only after the current one is handled. No lookahead.
 *  2. A token the grammar state does not accept goes to
 *     ng__xml_unexpected(p, want) (parse.h's one decision).
 *  3. Events go through ng__xml_step (or the ng__xml_emit_* helpers it
 *     calls) while their token is current: a START enters one level
 *     (NG_EDEPTH at the start tag past max_depth, counting elements) and
 *     keeps its name (names.h), an END is matched against the innermost
 *     kept name (NG_ETAGMISMATCH at the end tag) and leaves the level,
 *     and sink errors are reported at the token. With NG_XML_NAMESPACES
 *     the helpers pass every START, END, PI and DOCTYPE through the
 *     namespace stage (ns.h) before the sink, so namespace errors and
 *     URIs are the same in every engine.
 *
 * The lexer already checks prolog and epilog placement, entities and
 * their limits; the shared helpers check tag names and depth; an engine
 * decides token order and how it nests (its own stack, the machine stack,
 * continuations, lemon's stack). An engine returns NG_OK after the EOF token (the sink finished), or the
 * recorded error code; it frees what it allocated on every path and does
 * not touch the sink after an error.
 *
 * Engine entry points (one file each; api.c dispatches on opt->engine):
 *   iterative.c   ng__xml_run_iterative
 *   recursive.c   ng__xml_run_recursive
 *   trampoline.c  ng__xml_run_trampoline
 *   lalr_driver.c ng__xml_run_lalr (grammar in lalr.y)
 */
#ifndef NG_PARSERS_XML_ENGINE_H
#define NG_PARSERS_XML_ENGINE_H

#include <stddef.h>
#include <string.h>

#include "../common/parse.h"
#include "../common/sink.h"
#include "../common/stream.h"
#include "lexer.h"
#include "names.h"
#include "nestguard/xml.h"
#include "ns.h"

/* ------------------------------------------------------------ the sink
 * XML's event vocabulary (common/sink.h). Each function gets the current
 * token: start a START (name, attributes), end the START of an empty
 * element or an END, misc a DOCTYPE, TEXT, CDATA, COMMENT, PI or SKIPPED.
 * start and end also get the namespace stage with the token's names
 * resolved (ns->el, ns->attrs[i]), or NULL when namespaces are off.
 * finish is called once, at EOF.
 */
typedef struct ng__xml_sink_ops {
  int (*start)(void *self, const ng__xml_token *t, const ng__xml_ns *ns);
  int (*end)(void *self, const ng__xml_token *t, const ng__xml_ns *ns);
  int (*misc)(void *self, const ng__xml_token *t);
  int (*finish)(void *self);
} ng__xml_sink_ops;

NG__SINK_TYPE(ng__xml_sink, ng__xml_sink_ops);

/* The DOM builder as a sink (api.c; engine.h does not include builder.h,
 * see api.c). */
extern const ng__xml_sink_ops ng__xml_dom_ops;

/* The sink behind ng_xml_parse_events (events.c). */
typedef struct ng__xml_evsink {
  const ng_xml_events *ev; /* the user's callbacks (never NULL) */
  ng_xml_event_attr *attrs; /* scratch for start_element's attributes */
  size_t cap;               /* entries at attrs */
  const ng_alloc *alc;      /* of attrs (guarded) */
  size_t budget;            /* ng_stack_call_user stack for callbacks */
} ng__xml_evsink;

void ng__xml_evsink_init(ng__xml_evsink *s, const ng_xml_events *ev,
                         const ng_alloc *alc, size_t budget);
void ng__xml_evsink_free(ng__xml_evsink *s);
ng__xml_sink ng__xml_evsink_sink(ng__xml_evsink *s);

/* Every bit ng_xml_options.flags may hold; others are NG_EINVAL. */
#define NG__XML_PARSE_FLAGS (NG_XML_KEEP_CDATA | NG_XML_NAMESPACES)

/* ------------------------------------------------------ the parse context */

typedef struct ng__xml_parser {
  ng__parse c;               /* errors, depth, grammar, allocator */
  ng__xml_lexer lx;          /* token source */
  ng__xml_token tok;         /* the current token */
  ng__xml_sink sink;         /* DOM builder or user events */
  ng__xml_ns *ns;            /* namespace stage; NULL: namespaces off */
  const ng_xml_options *opt; /* resolved options (never NULL) */
  ng__gstack names;          /* open elements' names (names.h) */
  unsigned char names_inl[256]; /* names' first bytes: no allocation for
                                   shallow documents */
  int want;                  /* push parsing: the grammar state where the
                                engine suspended (0: PROLOG) */
  ng__gstack *conts;         /* push parsing: the trampoline's
                                continuations between runs (NULL: a
                                one-shot parse, its own) */
  struct ng__xml_lalr_state *lalr; /* push parsing: lemon's parser
                                      between runs (NULL: its own) */
  int (*wait)(void *ud);     /* push parsing, recursive engine (a task):
                                parks until the lexer has its next window
                                (NG_OK), or the stream is dropped (an
                                error code) */
  void *wait_ud;             /* for wait */
} ng__xml_parser;

/* Engine entry points. Preconditions: lexer at the start of the text, no
 * token read, depth 0, names empty, sink ready, no error recorded. */
int ng__xml_run_iterative(ng__xml_parser *p);
int ng__xml_run_recursive(ng__xml_parser *p);
int ng__xml_run_trampoline(ng__xml_parser *p);
int ng__xml_run_lalr(ng__xml_parser *p);

/* Runs the engine opt->engine names (api.c, stream.c). */
int ng__xml_run(ng__xml_parser *p);

/* ------------------------------------------------------------ token flow */

/* Reads the next token into p->tok; returns its kind. */
static inline int ng__xml_advance(ng__xml_parser *p) {
  return ng__xml_next(&p->lx, &p->tok);
}

/* Records and returns the error for the current token, not acceptable in
 * state `want` (NG__XX_*). */
static inline int ng__xml_unexpected(ng__xml_parser *p, int want) {
  const ng__xml_token *t = &p->tok;
  return ng__parse_unexpected(&p->c, &ng__xml_grammar, want, t->kind, t->off,
                              t->code, t->err_off, t->msg);
}

/* Push parsing: the current token is cut by the end of a window that more
 * input may follow (lexer.h): the engine suspends (NG__SUSPENDED, from
 * common/stream.h) with its state kept, or the recursive one waits
 * (p->wait), and reads the token again later. */
static inline int ng__xml_cut(const ng__xml_parser *p) {
  return p->tok.kind == NG__XT_ERROR && p->tok.code == NG_EEOF &&
         p->lx.partial;
}

/* Records a failure of `code` at the current token. */
static inline int ng__xml_fail_here(ng__xml_parser *p, int code) {
  return ng__parse_fail(&p->c, code, p->tok.off, NULL);
}

/* The grammar state after an element opened or closed. */
static inline int ng__xml_after_element(const ng__xml_parser *p) {
  return p->c.depth.cur == 0 ? NG__XX_EPILOG : NG__XX_CONTENT;
}

/* The current token is a START: enters one level and emits start; keeps
 * the element's name, or for an empty-element tag emits its end as well
 * (leaving the level). */
NG_INLINE int ng__xml_emit_start(ng__xml_parser *p) {
  ng__xml_ns *ns = p->ns;
  int rc;

  if (NG_UNLIKELY(ng__parse_enter(&p->c, p->tok.off) != NG_OK))
    return NG_EDEPTH;
  if (NG_UNLIKELY(ns != NULL) &&
      (rc = ng__xml_ns_start(ns, &p->tok, &p->c)) != NG_OK)
    return rc;
  rc = p->sink.ops->start(p->sink.self, &p->tok, ns);
  if (rc == NG_OK && (p->tok.flags & NG__XTF_EMPTY)) {
    rc = p->sink.ops->end(p->sink.self, &p->tok, ns);
    ng__parse_leave(&p->c);
    if (NG_UNLIKELY(ns != NULL))
      ng__xml_ns_pop(ns);
  } else if (rc == NG_OK) {
    rc = ng__xml_names_push(&p->names, p->tok.name, p->tok.name_len);
  }
  if (NG_UNLIKELY(rc != NG_OK))
    return ng__xml_fail_here(p, rc);
  return NG_OK;
}

/* The current token is an END (the lexer gives one only inside an
 * element): NG_ETAGMISMATCH at the end tag when it does not name the
 * innermost open element; else emits end and leaves the level. */
NG_INLINE int ng__xml_emit_end(ng__xml_parser *p) {
  ng__xml_ns *ns = p->ns;
  size_t len;
  const char *name = ng__xml_names_pop(&p->names, &len);
  int rc;

  if (NG_UNLIKELY(len != p->tok.name_len ||
                  memcmp(name, p->tok.name, len) != 0))
    return ng__parse_fail(&p->c, NG_ETAGMISMATCH, p->tok.off,
                          "end tag does not match the start tag");
  if (NG_UNLIKELY(ns != NULL))
    ng__xml_ns_end(ns, &p->tok);
  rc = p->sink.ops->end(p->sink.self, &p->tok, ns);
  if (NG_UNLIKELY(rc != NG_OK))
    return ng__xml_fail_here(p, rc);
  ng__parse_leave(&p->c);
  if (NG_UNLIKELY(ns != NULL))
    ng__xml_ns_pop(ns);
  return NG_OK;
}

/* The current token is a DOCTYPE, TEXT, CDATA, COMMENT, PI or SKIPPED. */
static inline int ng__xml_emit_misc(ng__xml_parser *p) {
  int rc;

  if (NG_UNLIKELY(p->ns != NULL) &&
      (p->tok.kind == NG__XT_PI || p->tok.kind == NG__XT_DOCTYPE) &&
      (rc = ng__xml_ns_misc(p->ns, &p->tok, p->lx.dtd, &p->c)) != NG_OK)
    return rc;
  rc = p->sink.ops->misc(p->sink.self, &p->tok);
  return NG_UNLIKELY(rc != NG_OK) ? ng__xml_fail_here(p, rc) : NG_OK;
}

/* The current token is EOF, accepted: the sink finishes. */
static inline int ng__xml_emit_finish(ng__xml_parser *p) {
  int rc = p->sink.ops->finish(p->sink.self);
  return NG_UNLIKELY(rc != NG_OK) ? ng__xml_fail_here(p, rc) : NG_OK;
}

/*
 * The current token, not EOF, accepted in state *want: emits its event
 * (a START enters a level, an END leaves one) and sets *want to the state
 * that follows. NG_OK or the recorded error. After it, an engine that
 * nests on its own may look at the token: a START without NG__XTF_EMPTY
 * opened an element, an END closed one.
 */
NG_INLINE int ng__xml_step(ng__xml_parser *p, int *want) {
  int rc;

  switch (p->tok.kind) {
  case NG__XT_XMLDECL:
    return NG_OK;
  case NG__XT_DOCTYPE:
    *want = NG__XX_DOCTYPE;
    return ng__xml_emit_misc(p);
  case NG__XT_START:
    rc = ng__xml_emit_start(p);
    break;
  case NG__XT_END:
    rc = ng__xml_emit_end(p);
    break;
  default:
    return ng__xml_emit_misc(p);
  }
  *want = ng__xml_after_element(p);
  return rc;
}

/* True when the current token (accepted and stepped) opened an element
 * that has content: a START that is not an empty-element tag. */
static inline int ng__xml_opened(const ng__xml_parser *p) {
  return p->tok.kind == NG__XT_START && !(p->tok.flags & NG__XTF_EMPTY);
}

#endif /* NG_PARSERS_XML_ENGINE_H */
