/*
 * parsers/json/iterative.c - the iterative engine: an explicit heap stack,
 * no recursion, the fast reference engine.
 *
 * The stack holds one byte per open container (its kind), so 10,000,000
 * levels cost 10 MB of stack memory besides the document; on direct.h's
 * path, where the DOM builder's innermost container tells the same
 * (ng__json_direct_inner), the stack stays empty. Everything else
 * (tokens, checks, errors, events) comes from engine.h, which is why this
 * engine and the others agree to the byte.
 *
 * A DOM parse under DUP_KEEP reads its values and keys through direct.h
 * (built without a token, or their token read when they are unusual),
 * opens containers there and closes them after a value with
 * ng__json_direct_after, a run of closing brackets in one loop and
 * without a token (the engine keeps no level of its own there); any
 * other parse reads tokens.
 *
 * This is a state machine written with goto, one label per grammar
 * position, as yyjson's reader is: it reads better than a loop over a state
 * variable and lets the compiler keep the hot path in registers.
 *
 * Push parsing: the stack is kept in the parser (p->st) between runs, so
 * the engine can return NG__SUSPENDED wherever the lexer runs out of
 * input; the expect state it was in (p->resume) names the label that reads
 * that token again on the next run. A one-shot parse enters at the top and
 * never suspends. While it runs, the stack is a local copy: stores to it
 * then cannot alias the parser's fields, which stay in registers.
 */
#include "../common/gstack.h"
#include "direct.h"
#include "engine.h"

int ng__json_run_iterative(ng__json_parser *p) {
  unsigned char *top;
  ng__gstack stack = p->st, *st = &stack;
  ng__json_builder *b = p->direct ? ng__json_direct_of(p) : NULL;
  ng__jexp want = NG__JX_VALUE;
  int kind, inner, rc;

  /* What stands where a value or a key is expected: built directly by
   * direct.h's step `dstep` (then on to `built`), or a container it
   * opened (then `opened`), or its token read by `tstep`, whose kind is
   * then in `kind`. Each use is a site of its own, so that the branch
   * predictor tells a first element from the others. */
#define NG__READ(dstep, tstep, built)                                          \
  do {                                                                         \
    kind = b != NULL ? dstep(p, b) : tstep(p);                                 \
    if (kind == NG__JD_BUILT)                                                  \
      goto built;                                                              \
    if (kind < 0)                                                              \
      goto opened;                                                             \
  } while (0)
  /* The innermost container's kind (0: none), and a container of kind k
   * entered: the builder's on the direct path, else the stack's. */
#define NG__INNER()                                                            \
  (b != NULL ? ng__json_direct_inner(b)                                        \
   : ng__gstack_empty(st) ? 0                                                  \
                          : *(unsigned char *)ng__gstack_peek(st, 1))
#define NG__ENTER(k)                                                           \
  do {                                                                         \
    if (b == NULL) {                                                           \
      if ((top = ng__gstack_push(st, 1)) == NULL)                              \
        goto oom;                                                              \
      *top = (k);                                                              \
    }                                                                          \
  } while (0)

  switch (p->resume) { /* where a suspended parse reads its token again */
  case NG__JR_START:
    goto value;
  case NG__JX_VALUE_OR_END:
    goto array_first;
  case NG__JX_ARRAY_NEXT:
  case NG__JX_OBJECT_NEXT:
    goto next;
  case NG__JX_KEY_OR_END:
    goto object_first;
  case NG__JX_KEY:
    goto object_key;
  case NG__JX_COLON:
    goto colon;
  case NG__JX_EOF:
    goto done;
  default: /* NG__JX_VALUE */
    want = NG__JX_VALUE;
    goto value;
  }

value: /* a value is expected: built directly, or its first token read */
  NG__READ(ng__json_direct_value_ints, ng__json_advance, next);
value_tok: /* the current token must start a value (or close, per want) */
  switch (kind) {
  case NG__JT_LBRACKET:
    if ((rc = ng__json_emit_open(p, NG__JK_ARRAY)) != NG_OK)
      goto fail;
  array_opened:
    NG__ENTER(NG__JK_ARRAY);
  array_first:
    NG__READ(ng__json_direct_value_ints, ng__json_advance, next);
    if (kind == NG__JT_RBRACKET)
      goto close;
    want = NG__JX_VALUE_OR_END;
    goto value_tok;
  case NG__JT_LBRACE:
    if ((rc = ng__json_emit_open(p, NG__JK_OBJECT)) != NG_OK)
      goto fail;
  object_opened:
    NG__ENTER(NG__JK_OBJECT);
  object_first:
    NG__READ(ng__json_direct_key, ng__json_advance, colon);
    if (kind == NG__JT_STRING)
      goto key;
    if (kind == NG__JT_RBRACE)
      goto close;
    rc = ng__json_unexpected(p, NG__JX_KEY_OR_END);
    goto fail;
  case NG__JT_STRING:
  case NG__JT_NUMBER:
  case NG__JT_TRUE:
  case NG__JT_FALSE:
  case NG__JT_NULL:
    if ((rc = ng__json_emit_scalar(p)) != NG_OK)
      goto fail;
    goto next;
  default:
    rc = ng__json_unexpected(p, want);
    goto fail;
  }

key: /* the current token is a member key */
  if ((rc = ng__json_emit_key(p)) != NG_OK)
    goto fail;
colon:
  if (!ng__json_advance_colon(p)) {
    rc = ng__json_unexpected(p, NG__JX_COLON);
    goto fail;
  }
  want = NG__JX_VALUE;
  goto value;

next: /* a value is complete: what follows depends on its container */
  if ((inner = NG__INNER()) == 0)
    goto done;
  kind = b != NULL ? ng__json_direct_after(p, b, inner, 1)
                   : ng__json_advance_after_value(p);
  if (kind == NG__JD_CLOSED)
    goto next;
  if (inner == NG__JK_ARRAY) {
    if (kind == NG__JT_COMMA) {
      want = NG__JX_VALUE;
      goto value;
    }
    if (kind == NG__JT_RBRACKET)
      goto close;
    rc = ng__json_unexpected(p, NG__JX_ARRAY_NEXT);
    goto fail;
  }
  if (kind == NG__JT_COMMA) {
  object_key:
    NG__READ(ng__json_direct_key, ng__json_advance_key, colon);
    if (kind == NG__JT_STRING)
      goto key;
    rc = ng__json_unexpected(p, NG__JX_KEY);
    goto fail;
  }
  if (kind == NG__JT_RBRACE)
    goto close;
  rc = ng__json_unexpected(p, NG__JX_OBJECT_NEXT);
  goto fail;

close: /* the current token closes the innermost container */
  inner = NG__INNER();
  if (b == NULL)
    ng__gstack_pop(st, 1);
  if ((rc = ng__json_emit_close(p, inner)) != NG_OK)
    goto fail;
  goto next;

done:
  rc = ng__json_finish(p);
  goto out;

opened: /* what a direct step returned besides a value built or a token */
  if (kind == NG__JD_ARRAY)
    goto array_opened;
  if (kind == NG__JD_OBJECT)
    goto object_opened;
  rc = ng__json_direct_report(p); /* NG__JD_FAILED */
  goto fail;
oom:
  rc = ng__json_fail_here(p, NG_ENOMEM, NULL);
fail:
out:
  if (rc != NG__SUSPENDED)
    ng__gstack_free(st);
  p->st = stack; /* kept for the next run, or released */
  return rc;
#undef NG__READ
#undef NG__INNER
#undef NG__ENTER
}
