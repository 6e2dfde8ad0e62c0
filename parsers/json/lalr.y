/*
 * parsers/json/lalr.y - the JSON grammar for lemon (the LALR engine).
 *
 * Generated at build time (lemon -q -l -T.../lempar.c) into
 * build/gen/parsers/json/lalr.{c,h}; the driver is lalr_driver.c.
 *
 * Division of labour. The tables decide what is valid; the driver
 * (lalr_driver.c) feeds one token at a time, emits every event through the
 * shared ng__json_emit_* helpers while that token is current, and applies
 * the depth limit. So the grammar has no reduce actions at all: a reduce
 * happens when the NEXT token arrives, which is too late for the shared
 * timing contract (parsers/common/sink.h).
 *
 * Stack economy. A container costs one stack entry per nesting level: the
 * prefix of a container is folded into one nonterminal as soon as it is
 * complete (`ahead` = "[" or "[ ... ,", `okey` = "{ key :" or
 * "{ ... , key :"), so the stack holds one `ahead` or `okey` per open
 * container plus at most three entries of the innermost member ("value ,
 * key" before its ':'). lempar's fixed-size default would stop at 100
 * entries; here the driver caps open containers at max_depth, which bounds
 * the stack. (The naive grammar, `members ::= members , member`, costs 3
 * to 5 entries per object level.)
 *
 * Memory. The stack is lempar's dynamic one (YYSTACKDEPTH 0: grows as
 * 2n + 100 entries from 100, a stream's from 16: ng__json_lalr_init_small).
 * lempar.c calls malloc/realloc/free itself; the macros below send those
 * three calls to the parse's ng_alloc, which also accounts the block's
 * size for the old_size argument.
 *
 * Errors. A lexical error becomes the ERROR token, which no rule accepts,
 * so every rejection goes through %syntax_error, in the state where the
 * tables found it. That state's expected-token set (read from the action
 * table) names the shared expect state, and ng__json_unexpected() makes
 * the same decision as every other engine (parsers/json/engine.h).
 */

%name ng__json_lalr
%token_prefix TK_
%start_symbol json

/* Token codes equal the lexer's ng__jtok values (checked in the driver),
 * so the driver passes kinds straight through. EOF is lemon's 0. */
%token LBRACE RBRACE LBRACKET RBRACKET COLON COMMA STRING NUMBER TRUE
       FALSE NULL ERROR.

/* Tokens carry no value: the driver reads p->tok. */
%token_type { int }
%token_destructor { (void)lc; (void)$$; }
%extra_context { ng__json_lalr_ctx *lc }

%include {
/* Generated code: lempar's own asserts and tracing are for debugging the
 * template; the driver's tests cover the engine. Defined before any
 * header so <assert.h> sees it. */
#ifndef NDEBUG
#define NDEBUG 1
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lalr_driver.h"

/* Dynamic parser stack, no error recovery (the first error ends the
 * parse), no ParseAlloc/ParseFree: the driver embeds the parser object. */
#define YYSTACKDEPTH 0
#define YYNOERRORRECOVERY 1
#define ng__json_lalr_ENGINEALWAYSONSTACK 1

/* lempar.c 3.40 grows its stack with malloc/realloc in yyGrowStack(p) and
 * releases it with free in ParseFinalize(pParser). The standard headers
 * are included above, so these function-like macros only rewrite those
 * calls. A name change in a future lempar.c breaks the build loudly
 * rather than falling back to libc. */
#define malloc(n) ng__lemon_stack_resize(&p->lc->stk, NULL, (n))
#define realloc(q, n) ng__lemon_stack_resize(&p->lc->stk, (q), (n))
#define free(q) ng__lemon_stack_free(&pParser->lc->stk, (q))

struct yyParser;
static int lalr_want(const struct yyParser *pp, int prev);
}

%syntax_error {
  (void)yyminor;
  (void)yymajor;
  lc->rc = ng__json_unexpected(lc->p, (ng__jexp)lalr_want(yypParser,
                                                         lc->prev));
}

%stack_overflow {
  /* Only a failed growth gets here (YYSTACKDEPTH 0). */
  lc->rc = ng__json_fail_here(lc->p, NG_ENOMEM, "parser stack");
}

%parse_accept { lc->accepted = 1; }

json ::= value.

value ::= STRING.
value ::= NUMBER.
value ::= TRUE.
value ::= FALSE.
value ::= NULL.
value ::= array.
value ::= object.

array ::= LBRACKET RBRACKET.
array ::= ahead value RBRACKET.
ahead ::= LBRACKET.
ahead ::= ahead value COMMA.

object ::= LBRACE RBRACE.
object ::= okey value RBRACE.
okey ::= LBRACE STRING COLON.
okey ::= okey value COMMA STRING COLON.

%code {
#undef malloc
#undef realloc
#undef free

_Static_assert(sizeof(yyParser) <= NG__JSON_LALR_PARSER_BYTES,
               "NG__JSON_LALR_PARSER_BYTES too small for lemon's parser");
_Static_assert(_Alignof(yyParser) <= _Alignof(void *),
               "lemon's parser needs ng__json_lalr_state.mem aligned more");
_Static_assert(YYNTOKEN == NG__JT_COUNT, "token set differs from lexer");

/*
 * The expect state for a rejection in the state on top of the stack.
 * Reached only in the state whose action for the lookahead was "error",
 * and such a state has no default reduction, so its action row is exact:
 * the tokens it does not reject are what the grammar expects here. That
 * set is one of ng__json_expect_mask[]. "[" is the one ambiguity: lemon
 * reduces it to `ahead` before it sees an unacceptable token, which
 * leaves "a value" as the set, but after "[" the answer is "a value or
 * ']'"; `prev`, the last token accepted, settles it.
 */
static int lalr_want(const struct yyParser *pp, int prev) {
  YYACTIONTYPE st = pp->yytos->stateno;
  unsigned set = 0;
  int t, w;
  if (prev == TK_LBRACKET)
    return NG__JX_VALUE_OR_END;
  for (t = 0; t < YYNTOKEN; t++)
    if (yy_find_shift_action((YYCODETYPE)t, st) != YY_ERROR_ACTION)
      set |= 1u << t;
  /* No other state has VALUE_OR_END's set; VALUE is the generic answer
   * (not reached for this grammar: tests check every state). */
  w = ng__grammar_state_of(&ng__json_grammar, set, NG__JX_VALUE);
  return w == NG__JX_VALUE_OR_END ? NG__JX_VALUE : w;
}

/* Whether the STRING just accepted is a member key. A key is shifted
 * into a real state (it waits for ':'); a value is a shift-reduce, which
 * lempar stores as a pending reduce action in the entry's stateno. */
int ng__json_lalr_top_is_key(const void *parser) {
  const yyParser *pp = (const yyParser *)parser;
  return pp->yytos->major == TK_STRING && pp->yytos->stateno <= YY_MAX_SHIFT;
}

void ng__json_lalr_init_small(void *parser, ng__json_lalr_ctx *lc,
                              int first) {
  yyParser *pp = (yyParser *)parser;

  lc->stk.first = (size_t)first * sizeof(yyStackEntry);
  ng__json_lalrInit(parser, lc);
  lc->stk.first = 0;
  if (pp->yystack != &pp->yystk0) /* ParseInit wrote entry 0 alone */
    pp->yystksz = first;
}

/* Bytes of one stack entry (the driver's size cap; tests' bounds). */
size_t ng__json_lalr_stack_entry_size(void) { return sizeof(yyStackEntry); }
}
