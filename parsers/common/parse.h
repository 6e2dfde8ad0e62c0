/*
 * parsers/common/parse.h - the format-agnostic half of a parse context,
 * and the decisions every engine of every format shares.
 *
 * A format (JSON, XML) describes its grammar positions once, as a table
 * (ng__grammar): for each "expect state" the set of token kinds that may
 * come next and a phrase naming them. Engines are control flow only: when
 * the current token does not fit, an engine names the state it is in and
 * ng__parse_unexpected alone picks the code, offset and message. Depth is
 * entered and left here too, so every engine of every format applies
 * max_depth at the same token. That, with one token at a time and events
 * emitted while their token is current (sink.h), is why the engines agree
 * to the byte.
 *
 * The context also carries what the engines need from the options: the
 * allocator for their own stacks (user hooks already guarded, usercall.h),
 * and the recursive engine's machine-stack ceiling and user-code budget.
 */
#ifndef NG_PARSERS_COMMON_PARSE_H
#define NG_PARSERS_COMMON_PARSE_H

#include <stddef.h>

#include "depth.h"
#include "errors.h"
#include "nestguard/alloc.h"
#include "nestguard/limits.h"

/* A format's grammar positions. Token kinds are small ints (< 32). */
typedef struct ng__grammar {
  const unsigned *expect;         /* [state]: bit (1u << kind) for each
                                     acceptable token kind */
  const char *const *expect_text; /* [state]: "a value or ']'"... */
  int nstates;                    /* entries in both arrays */
  const char *(*token_name)(int kind); /* "'}'", "a string"... */
  int tok_eof;                    /* kind of the end-of-input token */
  int tok_error;                  /* kind of a lexical-error token */
  int want_eof;   /* the state after the document: a token is ETRAILING
                     (-1: none; XML's lexer reports trailing data itself) */
  int want_first; /* the state before anything: EOF there is EEMPTY
                     (-1: never) */
} ng__grammar;

typedef struct ng__parse {
  ng__perr perr;          /* first error of the parse */
  ng__depth depth;        /* open containers against max_depth */
  const ng_alloc *alc;    /* engine stacks; NULL: libc */
  size_t max_stack;       /* recursive engine: machine-stack ceiling */
  size_t user_stack;      /* stack for user code (ng_limits.user_stack) */
} ng__parse;

/* Sets up c for input[0..len) under lim; clears *err (may be NULL). */
void ng__parse_init(ng__parse *c, const char *input, size_t len,
                    const ng_limits *lim, ng_error *err);

/* True when token `kind` is acceptable in state `want` of g. */
static inline int ng__parse_accepts(const ng__grammar *g, int want, int kind) {
  return (g->expect[want] >> kind) & 1u;
}

/*
 * Records and returns the error for a token that is not acceptable in
 * state `want` of g (the format's table: not kept in c, which every
 * parked stream holds). The decision, in order:
 *   want is want_eof             -> NG_ETRAILING at off (also for a
 *                                   malformed trailing token);
 *   kind is tok_error            -> code at err_off with msg (lexical);
 *   kind is tok_eof, want is want_first, depth 0
 *                                -> NG_EEMPTY at off;
 *   kind is tok_eof              -> NG_EEOF at off;
 *   otherwise                    -> NG_ESYNTAX at off, "expected X,
 *                                   found Y".
 * The record's depth is the number of open containers.
 */
int ng__parse_unexpected(ng__parse *c, const ng__grammar *g, int want, int kind,
                         size_t off, int code, size_t err_off, const char *msg);

/* Records a failure of `code` at byte off (limits, sinks, NG_ESTACK);
 * returns the first recorded code. */
int ng__parse_fail(ng__parse *c, int code, size_t off, const char *msg);

/* One level deeper at the opening token at off: NG_OK, or NG_EDEPTH
 * recorded there with the levels already open. */
static inline int ng__parse_enter(ng__parse *c, size_t off) {
  if (__builtin_expect(ng__depth_push(&c->depth) != NG_OK, 0))
    return ng__parse_fail(c, NG_EDEPTH, off, NULL);
  return NG_OK;
}

/* One level up, at a closing token. */
static inline void ng__parse_leave(ng__parse *c) { ng__depth_pop(&c->depth); }

/*
 * The state of g whose expect set is exactly `set`, or `fallback`. For
 * table-driven engines (lemon) that know the acceptable tokens of their
 * current state rather than a position name.
 */
int ng__grammar_state_of(const ng__grammar *g, unsigned set, int fallback);

#endif /* NG_PARSERS_COMMON_PARSE_H */
