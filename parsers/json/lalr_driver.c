/*
 * parsers/json/lalr_driver.c - the LALR engine: lemon's tables (lalr.y)
 * fed by the shared lexer.
 *
 * Per token: the lexer's kind goes to lemon as is (token codes equal
 * ng__jtok values); lemon either shifts it (the input so far is a valid
 * prefix) or rejects it through %syntax_error, which asks
 * ng__json_unexpected() for the shared error. After a shift the driver
 * emits the token's event while the token is still current, as every
 * engine does (parsers/json/engine.h), and only then reads the next one.
 *
 * Bounds: each open container costs one lemon stack entry and the driver
 * stops at max_depth (ng__json_emit_open), so lemon's stack never holds
 * more than max_depth + 5 entries; it grows on demand from 100 entries
 * (a stream's from NG__JSON_LALR_STREAM_FIRST) through the parse's
 * allocator and is released on every path by ng__json_lalrFinalize().
 *
 * Push parsing: lemon is push-driven already. When the lexer runs out of
 * input the loop returns NG__SUSPENDED before feeding lemon anything; the
 * parser object lives in the stream (p->lalr), and the next run goes on
 * with the next token.
 */
#include <stddef.h>

#include "lalr_driver.h"
#include "parsers/json/lalr.h"

_Static_assert(TK_LBRACE == NG__JT_LBRACE && TK_RBRACE == NG__JT_RBRACE &&
                   TK_LBRACKET == NG__JT_LBRACKET &&
                   TK_RBRACKET == NG__JT_RBRACKET && TK_COLON == NG__JT_COLON &&
                   TK_COMMA == NG__JT_COMMA && TK_STRING == NG__JT_STRING &&
                   TK_NUMBER == NG__JT_NUMBER && TK_TRUE == NG__JT_TRUE &&
                   TK_FALSE == NG__JT_FALSE && TK_NULL == NG__JT_NULL &&
                   TK_ERROR == NG__JT_ERROR,
               "lalr.y %token order must follow ng__jtok");

/* Entries of a stream's first lemon stack: a document parked at depth 12
 * or less holds 128 bytes of it, not lempar's 800. */
#define NG__JSON_LALR_STREAM_FIRST 16

/* Emits the event of the token just accepted (see sink.h for timing). */
static int lalr_emit(ng__json_parser *p, const void *parser, int kind) {
  switch (kind) {
  case NG__JT_LBRACKET:
    return ng__json_emit_open(p, NG__JK_ARRAY);
  case NG__JT_LBRACE:
    return ng__json_emit_open(p, NG__JK_OBJECT);
  case NG__JT_RBRACKET:
    return ng__json_emit_close(p, NG__JK_ARRAY);
  case NG__JT_RBRACE:
    return ng__json_emit_close(p, NG__JK_OBJECT);
  case NG__JT_STRING:
    if (ng__json_lalr_top_is_key(parser))
      return ng__json_emit_key(p);
    return ng__json_emit_scalar(p);
  case NG__JT_NUMBER:
  case NG__JT_TRUE:
  case NG__JT_FALSE:
  case NG__JT_NULL:
    return ng__json_emit_scalar(p);
  default: /* ':' and ',' carry no event */
    return NG_OK;
  }
}

/* The token loop: returns NG_OK after the document and its EOF, or the
 * recorded error. */
static int lalr_loop(ng__json_parser *p, void *parser, ng__json_lalr_ctx *lc) {
  int kind, rc;
  for (;;) {
    kind = ng__json_advance(p);
    if (NG_UNLIKELY(kind == NG__JT_MORE)) {
      p->resume = NG__JX_VALUE; /* anything but START: lemon knows */
      return NG__SUSPENDED;
    }
    ng__json_lalr(parser, kind, 0);
    if (NG_UNLIKELY(lc->rc != NG_OK))
      return lc->rc;
    if (lc->accepted) {
      /* lemon accepts only at EOF for this grammar; stay safe anyway. */
      return kind == NG__JT_EOF ? NG_OK : ng__json_unexpected(p, NG__JX_EOF);
    }
    if (NG_UNLIKELY(kind == NG__JT_EOF || kind == NG__JT_ERROR))
      return ng__json_unexpected(p, NG__JX_EOF); /* not reached */
    rc = lalr_emit(p, parser, kind);
    if (NG_UNLIKELY(rc != NG_OK))
      return rc;
    lc->prev = kind;
    /* In a sequence the document ends with its value, before the token
     * after it, which lemon (expecting EOF) must not see. */
    if (NG_UNLIKELY(p->seq) && p->c.depth.cur == 0)
      return ng__json_finish(p);
  }
}

void ng__json_lalr_release(ng__json_lalr_state *ls) {
  if (ls->live)
    ng__json_lalrFinalize(&ls->mem);
  ls->live = 0;
}

int ng__json_run_lalr(ng__json_parser *p) {
  ng__json_lalr_state local, *ls = p->lalr != NULL ? p->lalr : &local;
  ng__json_lalr_ctx *lc = &ls->lc;
  int rc;

  local.live = 0;
  if (p->resume == NG__JR_START) {
    ng__json_lalr_release(ls); /* a stream's previous document */
    lc->p = p;
    ng__lemon_stack_init(&lc->stk, p->c.alc,
                         ng__json_lalr_stack_entry_size());
    lc->prev = -1;
    lc->rc = NG_OK;
    lc->accepted = 0;
    if (p->lalr != NULL) /* a stream's: parked by the million */
      ng__json_lalr_init_small(&ls->mem, lc, NG__JSON_LALR_STREAM_FIRST);
    else
      ng__json_lalrInit(&ls->mem, lc);
    ls->live = 1;
    if (NG_UNLIKELY(lc->stk.oom)) { /* no token read: report at offset 0 */
      rc = ng__perr_at(&p->c.perr, NG_ENOMEM, 0, 0, "parser stack");
      goto out;
    }
  }
  if (p->resume == NG__JX_EOF) /* suspended after a sequence's document */
    rc = ng__json_finish(p);
  else
    rc = lalr_loop(p, &ls->mem, lc);
  if (rc == NG__SUSPENDED)
    return rc;
out:
  ng__json_lalr_release(ls);
  return rc;
}
