/*
 * parsers/json/trampoline.c - the trampoline engine.
 *
 * JSON's steps on the shared trampoline (parsers/common/tramp.h): a value
 * step, and the rest of an array or of an object as the continuations a
 * container pushes (konts[]). When a value is complete, the step that
 * finished it resumes the innermost continuation, or the end of the
 * document at top level.
 *
 * Steps only decide control flow; checks, errors and events come from
 * engine.h, so results match the other engines exactly.
 *
 * Push parsing: every step that reads a token is one that a suspended
 * parse can restart with (resume_steps, by expect state), and the
 * continuations live in the parser (p->st), so running out of input is a
 * stop like any other, with the state kept.
 */
#include "../common/tramp.h"
#include "direct.h"
#include "engine.h"

/* Continuations (ng__tramp's frames) are NG__JK_ARRAY or NG__JK_OBJECT:
 * one byte, so 10,000,000 open levels cost 10 MB rather than 80 MB of
 * function pointers. On direct.h's path no frame is pushed: the DOM
 * builder's innermost container tells the same (ng__json_direct_inner),
 * and a run of closing brackets closes in one step. t->want is what the
 * value step accepts (for its error). */

static ng__step s_value(ng__tramp *t);
static ng__step s_value_tok(ng__tramp *t);
static ng__step s_array_first(ng__tramp *t);
static ng__step s_object_first(ng__tramp *t);
static ng__step s_key(ng__tramp *t);
static ng__step s_colon(ng__tramp *t);
static ng__step s_array_next(ng__tramp *t);
static ng__step s_object_next(ng__tramp *t);
static ng__step s_object_key(ng__tramp *t);
static ng__step s_member(ng__tramp *t, int kind, ng__jexp want);
static ng__step s_finish(ng__tramp *t);

/* The step that reads the token of each expect state again, for a
 * suspended parse. */
static const ng__step_fn resume_steps[NG__JX_COUNT] = {
    [NG__JX_VALUE] = s_value,
    [NG__JX_VALUE_OR_END] = s_array_first,
    [NG__JX_ARRAY_NEXT] = s_array_next,
    [NG__JX_KEY_OR_END] = s_object_first,
    [NG__JX_KEY] = s_object_key,
    [NG__JX_COLON] = s_colon,
    [NG__JX_OBJECT_NEXT] = s_object_next,
    [NG__JX_EOF] = s_finish};

/* Continuations by frame value: the rest of an array or of an object. */
static const ng__step_fn konts[3] = {NULL, s_array_next, s_object_next};

/* A value has been completed: resume the innermost continuation, or
 * finish the document at top level. */
static ng__step ret(ng__tramp *t) {
  const ng__json_parser *p = t->p;
  unsigned k;

  if (p->direct)
    k = (unsigned)ng__json_direct_inner(ng__json_direct_of(p));
  else
    k = ng__gstack_empty(&t->frames) ? 0 : ng__tramp_top(t);
  return ng__tramp_go(k == 0 ? s_finish : konts[k]);
}

/* Enters a container opened at the current token (or at p->tok.off by
 * direct.h): its elements continue with konts[kind]. */
static int enter(ng__tramp *t, int kind) {
  const ng__json_parser *p = t->p;

  if (p->direct)
    return NG_OK;
  if (ng__tramp_push(t, (unsigned)kind) != NG_OK)
    return ng__json_fail_here(t->p, NG_ENOMEM, NULL);
  return NG_OK;
}

/* Opens a container (current token), then enters it. */
static int open_level(ng__tramp *t, int kind) {
  int rc = ng__json_emit_open(t->p, kind);

  if (rc != NG_OK)
    return rc;
  return enter(t, kind);
}

/* Closes the innermost container at the current token, then returns. */
static ng__step leave(ng__tramp *t, int kind) {
  const ng__json_parser *p = t->p;
  int rc;

  if (!p->direct)
    ng__tramp_pop(t);
  rc = ng__json_emit_close(t->p, kind);
  if (rc != NG_OK)
    return ng__tramp_stop(t, rc);
  return ret(t);
}

/* What ng__json_read_value returned besides a token (kind < 0): a value
 * built, a container opened (then its first element, by the driver: a
 * call would nest a C frame per level) or the builder's failure. */
static ng__step s_direct(ng__tramp *t, int kind) {
  int rc;

  if (kind == NG__JD_BUILT)
    return ret(t);
  if (kind == NG__JD_FAILED)
    return ng__tramp_stop(t, ng__json_direct_report(t->p));
  if (kind == NG__JD_ARRAY) {
    if ((rc = enter(t, NG__JK_ARRAY)) != NG_OK)
      return ng__tramp_stop(t, rc);
    return ng__tramp_go(s_array_first);
  }
  if ((rc = enter(t, NG__JK_OBJECT)) != NG_OK)
    return ng__tramp_stop(t, rc);
  return ng__tramp_go(s_object_first);
}

/* A value: built or opened directly (direct.h), or its first token read. */
static ng__step s_value(ng__tramp *t) {
  int kind = ng__json_read_value(t->p);

  if (kind < 0)
    return s_direct(t, kind);
  return ng__tramp_go(s_value_tok);
}

/* The current token starts a value (or, per t->want, closes an array). */
static ng__step s_value_tok(ng__tramp *t) {
  ng__json_parser *p = t->p;
  int rc;

  switch (p->tok.kind) {
  case NG__JT_LBRACKET:
    if ((rc = open_level(t, NG__JK_ARRAY)) != NG_OK)
      return ng__tramp_stop(t, rc);
    return s_array_first(t);
  case NG__JT_LBRACE:
    if ((rc = open_level(t, NG__JK_OBJECT)) != NG_OK)
      return ng__tramp_stop(t, rc);
    return s_object_first(t);
  case NG__JT_STRING:
  case NG__JT_NUMBER:
  case NG__JT_TRUE:
  case NG__JT_FALSE:
  case NG__JT_NULL:
    if ((rc = ng__json_emit_scalar(p)) != NG_OK)
      return ng__tramp_stop(t, rc);
    return ret(t);
  default:
    return ng__tramp_stop(t, ng__json_unexpected(p, t->want));
  }
}

/* After '[': the first element or ']'. */
static ng__step s_array_first(ng__tramp *t) {
  int kind = ng__json_read_value(t->p);

  if (kind < 0)
    return s_direct(t, kind);
  if (kind == NG__JT_RBRACKET)
    return leave(t, NG__JK_ARRAY);
  t->want = NG__JX_VALUE_OR_END;
  return ng__tramp_go(s_value_tok);
}

/* After '{': the first key or '}'. */
static ng__step s_object_first(ng__tramp *t) {
  ng__json_parser *p = t->p;
  int kind = ng__json_read_key(p);

  if (kind == NG__JT_RBRACE)
    return leave(t, NG__JK_OBJECT);
  return s_member(t, kind, NG__JX_KEY_OR_END);
}

/* What ng__json_read_key returned (kind) where a key is expected in state
 * `want`: a key built (then ':' and a value), a key's token, or an error. */
static ng__step s_member(ng__tramp *t, int kind, ng__jexp want) {
  if (kind == NG__JD_BUILT)
    return s_colon(t);
  if (kind == NG__JD_FAILED)
    return ng__tramp_stop(t, ng__json_direct_report(t->p));
  if (kind != NG__JT_STRING)
    return ng__tramp_stop(t, ng__json_unexpected(t->p, want));
  return ng__tramp_go(s_key);
}

/* The current token is a member key: emit it, then ':' and a value. */
static ng__step s_key(ng__tramp *t) {
  int rc = ng__json_emit_key(t->p);

  if (rc != NG_OK)
    return ng__tramp_stop(t, rc);
  return s_colon(t);
}

/* After a key: ':' and a value. */
static ng__step s_colon(ng__tramp *t) {
  ng__json_parser *p = t->p;

  if (!ng__json_advance_colon(p))
    return ng__tramp_stop(t, ng__json_unexpected(p, NG__JX_COLON));
  t->want = NG__JX_VALUE;
  return ng__tramp_go(s_value);
}

/* Continuation of an array after an element. */
static ng__step s_array_next(ng__tramp *t) {
  ng__json_parser *p = t->p;

  switch (ng__json_read_after(p, NG__JK_ARRAY, 1)) {
  case NG__JT_COMMA:
    t->want = NG__JX_VALUE;
    return ng__tramp_go(s_value);
  case NG__JD_CLOSED:
    return ret(t);
  case NG__JT_RBRACKET:
    return leave(t, NG__JK_ARRAY);
  default:
    return ng__tramp_stop(t, ng__json_unexpected(p, NG__JX_ARRAY_NEXT));
  }
}

/* Continuation of an object after a member's value. */
static ng__step s_object_next(ng__tramp *t) {
  ng__json_parser *p = t->p;

  switch (ng__json_read_after(p, NG__JK_OBJECT, 1)) {
  case NG__JT_COMMA:
    return s_object_key(t);
  case NG__JD_CLOSED:
    return ret(t);
  case NG__JT_RBRACE:
    return leave(t, NG__JK_OBJECT);
  default:
    return ng__tramp_stop(t, ng__json_unexpected(p, NG__JX_OBJECT_NEXT));
  }
}

/* After ',' in an object: the next key. */
static ng__step s_object_key(ng__tramp *t) {
  return s_member(t, ng__json_read_key(t->p), NG__JX_KEY);
}

/* The top-level value is complete: only end of input may follow. */
static ng__step s_finish(ng__tramp *t) {
  return ng__tramp_stop(t, ng__json_finish(t->p));
}

int ng__json_run_trampoline(ng__json_parser *p) {
  ng__tramp t;
  int rc;

  t.p = p;
  t.frames = p->st;
  t.want = NG__JX_VALUE;
  rc = ng__tramp_run(&t, p->resume == NG__JR_START ? s_value
                                                   : resume_steps[p->resume]);
  if (rc != NG__SUSPENDED)
    ng__gstack_free(&t.frames);
  p->st = t.frames; /* kept for the next run, or released */
  return rc;
}
