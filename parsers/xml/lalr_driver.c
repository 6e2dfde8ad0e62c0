/*
 * parsers/xml/lalr_driver.c - the LALR engine: lemon's tables (lalr.y)
 * fed by the shared lexer.
 *
 * Per token: the lexer's kind goes to lemon as is (token codes equal
 * NG__XT_*; an empty-element tag goes as EMPTY); lemon shifts it or
 * rejects it through %syntax_error. After a shift the driver emits the
 * token's event through ng__xml_step while the token is current, as every
 * engine does (engine.h), and only then reads the next one. lemon keeps
 * the grammar state; the one ng__xml_step names is not needed.
 *
 * Bounds: an open element is one lemon stack entry and the emit helper
 * stops at max_depth, so lemon's stack holds at most max_depth + 4
 * entries; it grows on demand through the parse's allocator and is
 * released on every path by ng__xml_lalrFinalize().
 */
#include <stddef.h>

#include "lalr_driver.h"
#include "parsers/xml/lalr.h"

_Static_assert(TK_XMLDECL == NG__XT_XMLDECL && TK_DOCTYPE == NG__XT_DOCTYPE &&
                   TK_START == NG__XT_START && TK_END == NG__XT_END &&
                   TK_TEXT == NG__XT_TEXT && TK_CDATA == NG__XT_CDATA &&
                   TK_COMMENT == NG__XT_COMMENT && TK_PI == NG__XT_PI &&
                   TK_SKIPPED == NG__XT_SKIPPED && TK_ERROR == NG__XT_ERROR &&
                   TK_EMPTY == NG__XT_COUNT,
               "lalr.y %token order must follow ng__xtok");

/* The lemon token for the current token. */
static int lalr_kind(const ng__xml_parser *p) {
  if (p->tok.kind == NG__XT_START && (p->tok.flags & NG__XTF_EMPTY))
    return TK_EMPTY;
  return p->tok.kind;
}

/* The token loop: NG_OK after the document and its EOF, NG__SUSPENDED
 * where a stream's window cut the token (before lemon sees it: `stream`
 * is a constant, so a one-shot parse's loop has no such test), or the
 * recorded error. */
NG_INLINE int lalr_loop(ng__xml_parser *p, void *parser, ng__xml_lalr_ctx *lc,
                        int stream) {
  int kind, rc, unused = NG__XX_PROLOG;

  for (;;) {
    kind = ng__xml_advance(p);
    if (stream && NG_UNLIKELY(kind == NG__XT_ERROR) && ng__xml_cut(p))
      return NG__SUSPENDED;
    ng__xml_lalr(parser, lalr_kind(p), 0);
    if (NG_UNLIKELY(lc->rc != NG_OK))
      return lc->rc;
    if (kind == NG__XT_EOF) /* accepted: lemon rejects EOF otherwise */
      return ng__xml_emit_finish(p);
    if (NG_UNLIKELY((rc = ng__xml_step(p, &unused)) != NG_OK))
      return rc;
  }
}

void ng__xml_lalr_release(ng__xml_lalr_state *st) {
  if (st->live)
    ng__xml_lalrFinalize(&st->mem);
  st->live = 0;
}

/* A stream's parse keeps its state in p->lalr between runs; a one-shot
 * parse in `own`. */
int ng__xml_run_lalr(ng__xml_parser *p) {
  ng__xml_lalr_state own, *st = p->lalr != NULL ? p->lalr : &own;
  int rc;

  if (p->lalr == NULL || !st->live) {
    st->lc.p = p;
    ng__lemon_stack_init(&st->lc.stk, p->c.alc,
                         ng__xml_lalr_stack_entry_size());
    st->lc.rc = NG_OK;
    ng__xml_lalrInit(&st->mem, &st->lc);
    st->live = 1;
  }
  if (NG_UNLIKELY(st->lc.stk.oom)) /* no token read yet: at offset 0 */
    rc = ng__perr_at(&p->c.perr, NG_ENOMEM, 0, 0, "parser stack");
  else if (p->lalr != NULL)
    rc = lalr_loop(p, &st->mem, &st->lc, 1);
  else
    rc = lalr_loop(p, &st->mem, &st->lc, 0);
  if (rc != NG__SUSPENDED)
    ng__xml_lalr_release(st);
  return rc;
}
