/*
 * parsers/json/recursive.c - recursive descent on the growable stack.
 *
 * The textbook parser: one C call per nesting level. It is safe at any
 * depth because (1) the whole parse runs inside ng_stack_run() with the
 * parse's max_stack as ceiling, and (2) every nesting level is entered
 * through ng_stack_call(), which moves the callee to a bigger stack
 * segment when the current one is nearly full, and returns NG_ESTACK
 * (reported at the opening token) when the ceiling would be passed.
 * max_depth is applied first, by ng__json_emit_open().
 *
 * Frame economy: a level is rec_array() or rec_object() plus
 * ng_stack_call(). Each keeps only the parser pointer live across the
 * call (the container kind is the function itself; the expect state of a
 * value is a constant at each call site), so a level costs a return
 * address, one saved register and ng_stack_call's own frame. Tests and
 * the benchmark measure it (ng__json_recursive_frame()).
 *
 * Token flow and errors are those of every engine (parsers/json/engine.h):
 * one token at a time, events emitted while their token is current,
 * rejections through ng__json_unexpected() with the expect state.
 */
#include <stddef.h>

#include "engine.h"
#include "nestguard/stack.h"

_Static_assert(NG__JT_NUMBER == NG__JT_STRING + 1 &&
                   NG__JT_TRUE == NG__JT_STRING + 2 &&
                   NG__JT_FALSE == NG__JT_STRING + 3 &&
                   NG__JT_NULL == NG__JT_STRING + 4,
               "scalar token kinds must be contiguous");

static int rec_array(void *arg);
static int rec_object(void *arg);

/*
 * Parses the value whose first token is current, in expect state `want`
 * (the state that names the error if the token cannot start a value).
 * Containers open here and are parsed one level down, on the growable
 * stack. Returns NG_OK with the value's last token current.
 */
NG_INLINE int rec_value(ng__json_parser *p, ng__jexp want) {
  int kind = p->tok.kind, rc;
  /* STRING..NULL are contiguous (lexer.h). A range test rather than the
   * bit mask: gcc turns `mask >> kind & 1` into `bt`, which valgrind
   * emulates with a store below the stack pointer, a false "invalid
   * write" at every fresh stack page of a deep recursion. */
  if (NG_LIKELY((unsigned)(kind - NG__JT_STRING) <=
                (unsigned)(NG__JT_NULL - NG__JT_STRING)))
    return ng__json_emit_scalar(p);
  if (kind == NG__JT_LBRACKET) {
    if ((rc = ng__json_emit_open(p, NG__SINK_ARRAY)) != NG_OK)
      return rc;
    rc = ng_stack_call(rec_array, p);
  } else if (kind == NG__JT_LBRACE) {
    if ((rc = ng__json_emit_open(p, NG__SINK_OBJECT)) != NG_OK)
      return rc;
    rc = ng_stack_call(rec_object, p);
  } else {
    return ng__json_unexpected(p, want);
  }
  /* NG_ESTACK / NG_ENOMEM from ng_stack_call itself are new failures at
   * the opening token, still current; a failure inside the callee is
   * already recorded, and the first record wins. */
  if (NG_UNLIKELY(rc != NG_OK))
    return ng__json_fail_here(p, rc, NULL);
  return NG_OK;
}

/* After '[' (opened): elements until ']'. */
static int rec_array(void *arg) {
  ng__json_parser *p = (ng__json_parser *)arg;
  int rc;
  if (ng__json_advance(p) == NG__JT_RBRACKET)
    return ng__json_emit_close(p, NG__SINK_ARRAY);
  if ((rc = rec_value(p, NG__JX_VALUE_OR_END)) != NG_OK)
    return rc;
  for (;;) {
    switch (ng__json_advance(p)) {
    case NG__JT_COMMA:
      break;
    case NG__JT_RBRACKET:
      return ng__json_emit_close(p, NG__SINK_ARRAY);
    default:
      return ng__json_unexpected(p, NG__JX_ARRAY_NEXT);
    }
    ng__json_advance(p);
    if ((rc = rec_value(p, NG__JX_VALUE)) != NG_OK)
      return rc;
  }
}

/* The current token, in state `want` (KEY_OR_END or KEY), must be a key:
 * emits it and consumes its ':'. */
static int rec_key(ng__json_parser *p, ng__jexp want) {
  int rc;
  if (p->tok.kind != NG__JT_STRING)
    return ng__json_unexpected(p, want);
  if ((rc = ng__json_emit_key(p)) != NG_OK)
    return rc;
  if (ng__json_advance(p) != NG__JT_COLON)
    return ng__json_unexpected(p, NG__JX_COLON);
  ng__json_advance(p);
  return NG_OK;
}

/* After '{' (opened): members until '}'. */
static int rec_object(void *arg) {
  ng__json_parser *p = (ng__json_parser *)arg;
  int rc;
  if (ng__json_advance(p) == NG__JT_RBRACE)
    return ng__json_emit_close(p, NG__SINK_OBJECT);
  if ((rc = rec_key(p, NG__JX_KEY_OR_END)) != NG_OK ||
      (rc = rec_value(p, NG__JX_VALUE)) != NG_OK)
    return rc;
  for (;;) {
    switch (ng__json_advance(p)) {
    case NG__JT_COMMA:
      break;
    case NG__JT_RBRACE:
      return ng__json_emit_close(p, NG__SINK_OBJECT);
    default:
      return ng__json_unexpected(p, NG__JX_OBJECT_NEXT);
    }
    ng__json_advance(p);
    if ((rc = rec_key(p, NG__JX_KEY)) != NG_OK ||
        (rc = rec_value(p, NG__JX_VALUE)) != NG_OK)
      return rc;
  }
}

/* The document: one value, then end of input. Runs on the new stack. */
static int rec_document(void *arg) {
  ng__json_parser *p = (ng__json_parser *)arg;
  int rc;
  ng__json_advance(p);
  if ((rc = rec_value(p, NG__JX_VALUE)) != NG_OK)
    return rc;
  return ng__json_finish(p);
}

int ng__json_run_recursive(ng__json_parser *p) {
  ng_stack_opts so;
  int rc;
  so.max_stack = p->max_stack;
  so.alc = p->alc;
  rc = ng_stack_run(rec_document, p, &so);
  /* A run that could not start (no first segment, ceiling below one
   * segment) has read no token: report it at the start of input. */
  if (NG_UNLIKELY(rc != NG_OK) && p->perr.code == NG_OK)
    return ng__perr_at(&p->perr, rc, 0, 0, NULL);
  return rc;
}
