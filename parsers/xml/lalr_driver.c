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

/* The token loop: NG_OK after the document and its EOF, or the recorded
 * error. */
static int lalr_loop(ng__xml_parser *p, void *parser, ng__xml_lalr_ctx *lc) {
  int kind, rc, unused = NG__XX_PROLOG;

  for (;;) {
    kind = ng__xml_advance(p);
    ng__xml_lalr(parser, lalr_kind(p), 0);
    if (NG_UNLIKELY(lc->rc != NG_OK))
      return lc->rc;
    if (kind == NG__XT_EOF) /* accepted: lemon rejects EOF otherwise */
      return ng__xml_emit_finish(p);
    if (NG_UNLIKELY((rc = ng__xml_step(p, &unused)) != NG_OK))
      return rc;
  }
}

int ng__xml_run_lalr(ng__xml_parser *p) {
  union {
    max_align_t align;
    unsigned char bytes[NG__XML_LALR_PARSER_BYTES];
  } mem;
  ng__xml_lalr_ctx lc;
  int rc;

  lc.p = p;
  ng__lemon_stack_init(&lc.stk, p->c.alc, ng__xml_lalr_stack_entry_size());
  lc.rc = NG_OK;
  ng__xml_lalrInit(&mem, &lc);
  if (NG_UNLIKELY(lc.stk.oom)) /* no token read yet: report at offset 0 */
    rc = ng__perr_at(&p->c.perr, NG_ENOMEM, 0, 0, "parser stack");
  else
    rc = lalr_loop(p, &mem, &lc);
  ng__xml_lalrFinalize(&mem);
  return rc;
}
