/*
 * parsers/json/engine.h - what every JSON engine shares: the parse context,
 * the grammar's "expect" states with their one error decision, and the
 * emit helpers that check limits and call the sink.
 *
 * An engine is only a control structure (recursion, explicit stack,
 * continuations, LALR tables) over these pieces. Identical results across
 * engines follow from three rules every engine keeps:
 *
 *  1. Tokens are read strictly one at a time with ng__json_advance() (or
 *     the advance_* helpers below, which skip an accepted ':' or ','
 *     without a token); the next token is read only after the current one
 *     is fully handled (checked and its event emitted). No lookahead.
 *  2. When the current token is not acceptable, the engine calls
 *     ng__json_unexpected(p, want) with the expect state it was in; that
 *     function alone picks code, offset and message (lexer error, EEOF,
 *     EEMPTY, ETRAILING, ESYNTAX).
 *  3. Events go through ng__json_emit_open/close/key/scalar while their
 *     token is current: they apply the depth limit and report sink errors
 *     at the token. When the sink is the DOM builder they call its inline
 *     fast paths directly (builder.h), else the sink's functions; both
 *     deliver the same events. In a DOM parse under DUP_KEEP the
 *     iterative, recursive and trampoline engines read the common values
 *     and keys through direct.h instead, which builds them without a
 *     token and keeps these rules' results (a value it does not build is
 *     read as its token, at the same point); the LALR engine reads tokens.
 *
 * An engine returns NG_OK after the single top-level value and an EOF token
 * (ng__json_finish), or the recorded error code. It must free everything it
 * allocated on every path, and must not touch the sink after an error.
 *
 * Engine entry points (one file each; api.c dispatches on opt->engine):
 *   iterative.c   ng__json_run_iterative
 *   trampoline.c  ng__json_run_trampoline
 *   recursive.c   ng__json_run_recursive
 *   lalr.y + its driver (lalr_driver.c)  ng__json_run_lalr
 * The format-agnostic half of the context and of the decisions is
 * parsers/common/parse.h; JSON's grammar table is grammar.c.
 */
#ifndef NG_PARSERS_JSON_ENGINE_H
#define NG_PARSERS_JSON_ENGINE_H

#include <stddef.h>

#include "../common/gstack.h"
#include "../common/parse.h"
#include "../common/sink.h"
#include "../common/stream.h"
#include "builder.h"
#include "lexer.h"

/* ------------------------------------------------------ the parse context */

struct ng__json_lalr_state;

typedef struct ng__json_parser {
  ng__parse c;                /* errors, depth, grammar, allocator, stacks */
  ng__json_lexer lx;          /* token source */
  ng__json_token tok;         /* the current token */
  ng__json_sink sink;         /* DOM builder or user events */
  int resume;                 /* NG__JR_START, or the ng__jexp a suspended
                                 engine reads its next token in */
  unsigned char engine;       /* the options' ng_json_engine */
  unsigned char seq;          /* a sequence: a document may end before EOF */
  unsigned char dupkeys;      /* the options' ng_json_dupkeys */
  unsigned char direct;       /* 1 when direct.h's steps serve the parse
                                 (set by ng__json_run, or a stream's
                                 doc_begin; the builder is sink.self:
                                 ng__json_direct_of) */
  ng__gstack st;              /* iterative, trampoline: open containers,
                                 over the caller's inline buffer */
  union { /* a stream's, for one engine: */
    struct ng__json_lalr_state *lalr; /* LALR: its state; NULL: on the
                                         engine's frame */
    int (*wait)(struct ng__json_parser *p); /* recursive: parks until the
                                 lexer has its next window (NG_OK), or the
                                 stream is dropped (an error code) */
  };
} ng__json_parser;

/* p->resume before the first run of a document. */
#define NG__JR_START (-1)

/* (api.c) Prepares p for a parse of data[0..len) under opt (never NULL):
 * clears it, sets up the error record (clearing *err) and checks the
 * options. NG_OK or the recorded NG_EINVAL. The caller then sets the
 * lexer, the sink, and st over the engines' inline buffer on p->c.alc
 * (ng__gstack_init; left as cleared, the stack starts on the heap). */
int ng__json_parser_init(ng__json_parser *p, const char *data, size_t len,
                         const ng_json_options *opt, ng_error *err);

/* (api.c) Runs p->engine over a one-shot parse's whole input: NG_OK or an
 * error code. (A stream resumes its engine itself, stream.c.) */
int ng__json_run(ng__json_parser *p);

/* (api.c) Releases what a suspended engine holds (stacks, lemon's
 * parser); safe to call again, and after the engine ended. */
void ng__json_engine_release(ng__json_parser *p);

/*
 * Engine entry points. Preconditions: lexer at the start of input, no
 * token read yet, depth 0, sink ready, st empty, no error recorded,
 * p->resume NG__JR_START.
 *
 * Push parsing (stream.c): the lexer may run out of input (NG__JT_MORE) at
 * any token. An explicit-stack engine then returns NG__SUSPENDED with its
 * state kept (p->resume, p->st, p->lalr), and is run again on the next
 * window to read that token anew; its stack is released when it returns
 * anything else, or by ng__json_engine_release. The recursive engine
 * keeps its state on its task's stack instead: where a token is
 * NG__JT_MORE it calls p->wait, which parks the task until the stream has
 * the next window, and reads the token again.
 */
int ng__json_run_iterative(ng__json_parser *p);
int ng__json_run_trampoline(ng__json_parser *p);
int ng__json_run_recursive(ng__json_parser *p);
int ng__json_run_lalr(ng__json_parser *p);

/* --------------------------------------------------------- expect states
 * Where in the grammar an engine is, i.e. which tokens it accepts next.
 * Every engine names its position with one of these when it rejects a token,
 * so that all of them produce the same error.
 */
typedef enum ng__jexp {
  NG__JX_VALUE,        /* a value: top level, after ':' or after ',' in
                          an array */
  NG__JX_VALUE_OR_END, /* after '[': a value or ']' */
  NG__JX_ARRAY_NEXT,   /* after an array element: ',' or ']' */
  NG__JX_KEY_OR_END,   /* after '{': a string key or '}' */
  NG__JX_KEY,          /* after ',' in an object: a string key */
  NG__JX_COLON,        /* after a key: ':' */
  NG__JX_OBJECT_NEXT,  /* after a member value: ',' or '}' */
  NG__JX_EOF           /* after the top-level value: end of input */
} ng__jexp;

#define NG__JX_COUNT 8

/* JSON's grammar table (grammar.c): expect sets and texts per state. */
extern const ng__grammar ng__json_grammar;
extern const unsigned ng__json_expect_mask[NG__JX_COUNT];

/* Records and returns the error for the current token, which is not
 * acceptable in state `want` (the decision: ng__parse_unexpected). "123\0"
 * is ETRAILING at 3; whitespace alone is EEMPTY. */
static inline int ng__json_unexpected(ng__json_parser *p, ng__jexp want) {
  const ng__json_token *t = &p->tok;
  if (NG_UNLIKELY(t->kind == NG__JT_MORE)) { /* not an error: suspend */
    p->resume = (int)want;
    return NG__SUSPENDED;
  }
  return ng__parse_unexpected(&p->c, &ng__json_grammar, (int)want, t->kind,
                              t->off, t->code, t->err_off, t->msg);
}

/* Records a failure of `code` at the current token (sink and limit errors,
 * NG_ESTACK in the recursive engine). Returns the first recorded code. */
static inline int ng__json_fail_here(ng__json_parser *p, int code,
                                     const char *msg) {
  return ng__parse_fail(&p->c, code, p->tok.off, msg);
}

/* ------------------------------------------------------------ token flow */

/* Reads the next token into p->tok; returns its kind. */
static inline int ng__json_advance(ng__json_parser *p) {
  return ng__json_next(&p->lx, &p->tok);
}

/*
 * Punctuation without a token. Where the grammar allows one punctuation
 * byte and it stands right at the cursor ("key": and value,), the engines
 * step over it and never fill its token: no event and no error refers to
 * a ':' or a ',' once it is accepted, as the next token is read at once.
 * Anywhere else (whitespace first, a wrong byte, the end) the token is read
 * as usual, so errors and offsets are those of rule 1.
 */

/* After a member key: consumes ':' and returns nonzero, or leaves the
 * token that stands in its place current and returns 0. */
static inline int ng__json_advance_colon(ng__json_parser *p) {
  const unsigned char *c = p->lx.cur;

  if (NG_LIKELY(c < p->lx.end && *c == ':')) {
    p->lx.cur = c + 1;
    return 1;
  }
  return ng__json_advance(p) == NG__JT_COLON;
}

/* After a value inside a container: reads ',' (returns NG__JT_COMMA
 * without filling p->tok when it is at the cursor) or the next token. */
static inline int ng__json_advance_after_value(ng__json_parser *p) {
  const unsigned char *c = p->lx.cur;

  if (NG_LIKELY(c < p->lx.end && *c == ',')) {
    p->lx.cur = c + 1;
    return NG__JT_COMMA;
  }
  return ng__json_next_after_value(&p->lx, &p->tok);
}

/* Where a key is expected (after '{' or after ',' in an object): reads the
 * next token, which should be a key, so that a '"' after the whitespace
 * goes straight to the string scanner. */
static inline int ng__json_advance_key(ng__json_parser *p) {
  const unsigned char *c = p->lx.cur, *end = p->lx.end;

  if (c < end && *c <= ' ')
    p->lx.cur = c = ng__json_skip_ws(c, end);
  if (NG_LIKELY(c < end && *c == '"'))
    return ng__json_next_string(&p->lx, &p->tok);
  return ng__json_advance(p);
}

/* True when the sink is the DOM builder: events go to it directly. */
static inline int ng__json_to_dom(const ng__json_parser *p) {
  return p->sink.ops == &ng__json_builder_ops;
}

/*
 * The current token is '[' (kind NG__JK_ARRAY) or '{' (NG__JK_OBJECT)
 * and was accepted: enters one level (NG_EDEPTH at the token past
 * max_depth) and emits start. Returns NG_OK or the recorded error.
 */
NG_INLINE int ng__json_emit_open(ng__json_parser *p, int kind) {
  int rc;
  if (NG_UNLIKELY(ng__parse_enter(&p->c, p->tok.off) != NG_OK))
    return NG_EDEPTH;
  if (NG_LIKELY(ng__json_to_dom(p)))
    rc = ng__json_build_start(p->sink.self, kind);
  else
    rc = p->sink.ops->start(p->sink.self, kind, &p->tok);
  if (NG_UNLIKELY(rc != NG_OK))
    return ng__json_fail_here(p, rc, NULL);
  return NG_OK;
}

/* The current token is ']' or '}' closing a container of `kind`: emits
 * end and leaves the level. */
static inline int ng__json_emit_close(ng__json_parser *p, int kind) {
  int rc;
  if (NG_LIKELY(ng__json_to_dom(p)))
    rc = ng__json_build_end(p->sink.self);
  else
    rc = p->sink.ops->end(p->sink.self, kind, &p->tok);
  if (NG_UNLIKELY(rc != NG_OK))
    return ng__json_fail_here(p, rc, NULL);
  ng__parse_leave(&p->c);
  return NG_OK;
}

/* The current token is a STRING in key position: emits key. */
NG_INLINE int ng__json_emit_key(ng__json_parser *p) {
  int rc;
  if (NG_LIKELY(ng__json_to_dom(p)))
    rc = ng__json_build_key(p->sink.self, &p->tok);
  else
    rc = p->sink.ops->key(p->sink.self, &p->tok);
  if (NG_UNLIKELY(rc != NG_OK))
    return ng__json_fail_here(p, rc, NULL);
  return NG_OK;
}

/* The current token is a STRING, NUMBER, TRUE, FALSE or NULL in value
 * position: emits scalar. */
NG_INLINE int ng__json_emit_scalar(ng__json_parser *p) {
  int rc;
  if (NG_LIKELY(ng__json_to_dom(p)))
    rc = ng__json_build_scalar(p->sink.self, p->tok.kind, &p->tok);
  else
    rc = p->sink.ops->scalar(p->sink.self, &p->tok);
  if (NG_UNLIKELY(rc != NG_OK))
    return ng__json_fail_here(p, rc, NULL);
  return NG_OK;
}

/* After the top-level value: reads the next token, which must be EOF
 * (else NG_ETRAILING at that token, whatever it is). In a sequence,
 * anything but whitespace after it starts the next document: the
 * document ends there, before that token. */
static inline int ng__json_finish(ng__json_parser *p) {
  if (p->seq) {
    p->lx.cur = ng__json_skip_ws(p->lx.cur, p->lx.end);
    if (p->lx.cur < p->lx.end)
      return NG_OK;
  }
  if (ng__json_advance(p) != NG__JT_EOF)
    return ng__json_unexpected(p, NG__JX_EOF);
  return NG_OK;
}

/* Token kinds that start a scalar value (bit per kind). */
#define NG__JSON_SCALAR_MASK                                                   \
  ((1u << NG__JT_STRING) | (1u << NG__JT_NUMBER) | (1u << NG__JT_TRUE) |       \
   (1u << NG__JT_FALSE) | (1u << NG__JT_NULL))

#endif /* NG_PARSERS_JSON_ENGINE_H */
