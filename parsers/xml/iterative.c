/*
 * parsers/xml/iterative.c - the iterative XML engine: one loop over the
 * tokens, the grammar state in a variable.
 *
 * Control flow only (engine.h): the grammar state says which token kinds
 * may come, ng__xml_step emits each accepted token's event and names the
 * next state. The explicit stack is the parse's stack of open elements'
 * names (names.h), pushed and popped by the emit helpers, so nothing
 * grows on the machine stack at any depth. A loop, not a goto state
 * machine: the grammar table holds the states. A stream's parse suspends
 * where the lexer is cut by a window's end and resumes in p->want.
 */
#include "engine.h"

int ng__xml_run_iterative(ng__xml_parser *p) {
  int want = p->want, rc, kind;

  for (;;) {
    kind = ng__xml_advance(p);
    if (NG_UNLIKELY(!ng__parse_accepts(&ng__xml_grammar, want, kind))) {
      if (ng__xml_cut(p)) {
        p->want = want;
        return NG__SUSPENDED;
      }
      return ng__xml_unexpected(p, want);
    }
    if (kind == NG__XT_EOF)
      return ng__xml_emit_finish(p);
    if (NG_UNLIKELY((rc = ng__xml_step(p, &want)) != NG_OK))
      return rc;
  }
}
