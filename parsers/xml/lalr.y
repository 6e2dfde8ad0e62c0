/*
 * parsers/xml/lalr.y - XML's document structure for lemon (the LALR
 * engine).
 *
 * Generated at build time into build/gen/parsers/xml/lalr.{c,h}; the
 * driver is lalr_driver.c. As in JSON's grammar (parsers/json/lalr.y):
 * the tables decide which token may come, the driver emits every event
 * through the shared helpers while its token is current (engine.h), so
 * there are no reduce actions; tag names are matched by the END's emit
 * helper (a semantic check), depth by the START's.
 *
 * Tokens are the lexer's (codes equal NG__XT_*, EOF is lemon's 0), plus
 * EMPTY: the driver sends a START with NG__XTF_EMPTY (<a/>) as EMPTY, so
 * the grammar knows no END follows. The lexer already keeps the XML
 * declaration at offset 0, character data out of the prolog and epilog,
 * and entities balanced; what is left is the order of the prolog, one
 * root element, and nesting.
 *
 * Shape: `pre` is the prolog before a DOCTYPE, `post` after it, `root`
 * the root element and the epilog. No state but the first may consist of
 * an empty rule alone: lempar 3.40 numbers such states past its shift
 * table and reads beyond it (an assert in debug builds, a wrong action
 * otherwise), so lists are written non-empty after the start.
 *
 * Stack economy: an open element is one entry. `head` is a start tag and
 * the content read so far, folded as each item completes, so the stack
 * holds one `head` per open element plus the innermost item: the driver
 * caps open elements at max_depth, which bounds the stack. lempar's
 * dynamic stack (YYSTACKDEPTH 0) grows through the parse's allocator
 * (parsers/common/lemon.h).
 *
 * Errors: the ERROR token is accepted nowhere; every rejection reaches
 * %syntax_error in the state where the tables found it, whose acceptable
 * tokens name the shared expect state (ng__xml_unexpected).
 */

%name ng__xml_lalr
%token_prefix TK_
%start_symbol document

%token XMLDECL DOCTYPE START END TEXT CDATA COMMENT PI SKIPPED ERROR EMPTY.

%token_type { int }
%token_destructor { (void)lc; (void)$$; }
%extra_context { ng__xml_lalr_ctx *lc }

%include {
/* lempar's own asserts and tracing are for debugging the template; the
 * driver's tests cover the engine. Defined before any header so
 * <assert.h> sees it. */
#ifndef NDEBUG
#define NDEBUG 1
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lalr_driver.h"

/* Dynamic stack, no error recovery, parser object embedded by the driver
 * (as parsers/json/lalr.y). */
#define YYSTACKDEPTH 0
#define YYNOERRORRECOVERY 1
#define ng__xml_lalr_ENGINEALWAYSONSTACK 1

/* lempar.c's stack calls go to the parse's allocator (common/lemon.h);
 * a renamed call in a future lempar.c breaks the build loudly. */
#define malloc(n) ng__lemon_stack_resize(&p->lc->stk, NULL, (n))
#define realloc(q, n) ng__lemon_stack_resize(&p->lc->stk, (q), (n))
#define free(q) ng__lemon_stack_free(&pParser->lc->stk, (q))

struct yyParser;
static int lalr_want(const struct yyParser *pp);
}

%syntax_error {
  (void)yyminor;
  (void)yymajor;
  lc->rc = ng__xml_unexpected(lc->p, lalr_want(yypParser));
}

%stack_overflow {
  /* Only a failed growth gets here (YYSTACKDEPTH 0). */
  lc->rc = ng__xml_fail_here(lc->p, NG_ENOMEM);
}

document ::= pre root.
document ::= post root.
pre ::= .
pre ::= pre XMLDECL.
pre ::= pre misc.
post ::= pre DOCTYPE.
post ::= post misc.
root ::= element.
root ::= root misc.
misc ::= COMMENT.
misc ::= PI.

element ::= EMPTY.
element ::= head END.
head ::= START.
head ::= head item.

item ::= TEXT.
item ::= CDATA.
item ::= COMMENT.
item ::= PI.
item ::= SKIPPED.
item ::= element.

%code {
#undef malloc
#undef realloc
#undef free

_Static_assert(sizeof(yyParser) <= NG__XML_LALR_PARSER_BYTES,
               "NG__XML_LALR_PARSER_BYTES too small for lemon's parser");
_Static_assert(YYNTOKEN == NG__XT_COUNT + 1, "token set differs from lexer");

/*
 * The expect state for a rejection in the state on top of the stack: the
 * tokens the state does not reject (EMPTY counted as START) are exactly
 * one of ng__xml_expect_mask[] in every state where lemon finds an error
 * (no default reduction applies there: the action row is exact).
 * tests/test_xml_engines.c compares every rejection's message with the
 * iterative engine's; CONTENT is the generic answer, not reached.
 */
static int lalr_want(const struct yyParser *pp) {
  YYACTIONTYPE st = pp->yytos->stateno;
  unsigned set = 0;
  int t;

  for (t = 0; t < YYNTOKEN; t++)
    if (yy_find_shift_action((YYCODETYPE)t, st) != YY_ERROR_ACTION)
      set |= 1u << (t == TK_EMPTY ? TK_START : t);
  return ng__grammar_state_of(&ng__xml_grammar, set, NG__XX_CONTENT);
}

/* Bytes of one stack entry (the driver's size cap; tests' bounds). */
size_t ng__xml_lalr_stack_entry_size(void) { return sizeof(yyStackEntry); }
}
