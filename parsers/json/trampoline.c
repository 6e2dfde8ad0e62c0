/*
 * parsers/json/trampoline.c - the trampoline engine.
 *
 * Recursive descent turned inside out: every step of the grammar is a small
 * function that does one thing and returns the next step to run, and a
 * driver loop runs steps until one returns "stop". Where recursive descent
 * would call itself for a nested value and later return into the middle of
 * its caller, a step here pushes that "rest of the caller" (a continuation:
 * the step to resume with) onto a heap stack and returns the step for the
 * nested value; when a value is complete, the step that finished it pops
 * the continuation and returns it. The machine stack never grows beyond
 * the driver plus one step, whatever the nesting depth.
 *
 * Steps only decide control flow; checks, errors and events come from
 * engine.h, so results match the other engines exactly.
 *
 * Push parsing: every step that reads a token is one that a suspended
 * parse can restart with (resume_steps, by expect state), and the
 * continuations live in the parser (p->st), so running out of input is a
 * stop like any other, with the state kept.
 */
#include "../common/gstack.h"
#include "engine.h"

typedef struct tramp tramp;

/* A step: runs against the state and returns the next step (fn NULL:
 * stop; then t->rc holds the result). The struct wrapper lets a function
 * return a pointer to its own type. */
typedef struct step {
  struct step (*fn)(tramp *t);
} step;

typedef step (*step_fn)(tramp *t);

/* A frame: the continuation to run when the nested value completes, as an
 * index into konts[] (one byte, so 10,000,000 open levels cost 10 MB
 * rather than 80 MB of function pointers). */
typedef unsigned char frame;

struct tramp {
  ng__json_parser *p; /* the parse */
  ng__gstack frames;  /* continuations of open containers (p->st while
                         suspended; a local copy aliases nothing) */
  ng__jexp want;      /* what the value step accepts (for its error) */
  int rc;             /* result when stopping */
};

static step s_value(tramp *t);
static step s_value_tok(tramp *t);
static step s_array_first(tramp *t);
static step s_object_first(tramp *t);
static step s_key(tramp *t);
static step s_colon(tramp *t);
static step s_array_next(tramp *t);
static step s_object_next(tramp *t);
static step s_object_key(tramp *t);
static step s_finish(tramp *t);

/* The step that reads the token of each expect state again, for a
 * suspended parse. */
static const step_fn resume_steps[NG__JX_COUNT] = {
    [NG__JX_VALUE] = s_value,
    [NG__JX_VALUE_OR_END] = s_array_first,
    [NG__JX_ARRAY_NEXT] = s_array_next,
    [NG__JX_KEY_OR_END] = s_object_first,
    [NG__JX_KEY] = s_object_key,
    [NG__JX_COLON] = s_colon,
    [NG__JX_OBJECT_NEXT] = s_object_next,
    [NG__JX_EOF] = s_finish};

/* Continuations by frame value: the rest of an array or of an object. */
static const step_fn konts[3] = {NULL, s_array_next, s_object_next};

static step go(step_fn fn) {
  step s;
  s.fn = fn;
  return s;
}

static step stop(tramp *t, int rc) {
  t->rc = rc;
  return go(NULL);
}

/* A value has been completed: resume the innermost continuation, or
 * finish the document at top level. */
static step ret(tramp *t) {
  if (ng__gstack_empty(&t->frames))
    return go(s_finish);
  return go(konts[*NG__GSTACK_PEEK(&t->frames, frame)]);
}

/* Opens a container (current token); its elements continue with
 * konts[kind]. */
static int enter(tramp *t, int kind) {
  frame *f;
  int rc = ng__json_emit_open(t->p, kind);

  if (rc != NG_OK)
    return rc;
  f = NG__GSTACK_PUSH(&t->frames, frame);
  if (f == NULL)
    return ng__json_fail_here(t->p, NG_ENOMEM, NULL);
  *f = (frame)kind;
  return NG_OK;
}

/* Closes the innermost container at the current token, then returns. */
static step leave(tramp *t, int kind) {
  int rc;

  NG__GSTACK_POP(&t->frames, frame);
  rc = ng__json_emit_close(t->p, kind);
  if (rc != NG_OK)
    return stop(t, rc);
  return ret(t);
}

/* Reads the first token of a value. */
static step s_value(tramp *t) {
  ng__json_advance(t->p);
  return go(s_value_tok);
}

/* The current token starts a value (or, per t->want, closes an array). */
static step s_value_tok(tramp *t) {
  ng__json_parser *p = t->p;
  int rc;

  switch (p->tok.kind) {
  case NG__JT_LBRACKET:
    if ((rc = enter(t, NG__JK_ARRAY)) != NG_OK)
      return stop(t, rc);
    return s_array_first(t);
  case NG__JT_LBRACE:
    if ((rc = enter(t, NG__JK_OBJECT)) != NG_OK)
      return stop(t, rc);
    return s_object_first(t);
  case NG__JT_STRING:
  case NG__JT_NUMBER:
  case NG__JT_TRUE:
  case NG__JT_FALSE:
  case NG__JT_NULL:
    if ((rc = ng__json_emit_scalar(p)) != NG_OK)
      return stop(t, rc);
    return ret(t);
  default:
    return stop(t, ng__json_unexpected(p, t->want));
  }
}

/* After '[': the first element or ']'. */
static step s_array_first(tramp *t) {
  if (ng__json_advance(t->p) == NG__JT_RBRACKET)
    return leave(t, NG__JK_ARRAY);
  t->want = NG__JX_VALUE_OR_END;
  return go(s_value_tok);
}

/* After '{': the first key or '}'. */
static step s_object_first(tramp *t) {
  ng__json_parser *p = t->p;

  if (ng__json_advance(p) == NG__JT_RBRACE)
    return leave(t, NG__JK_OBJECT);
  if (p->tok.kind != NG__JT_STRING)
    return stop(t, ng__json_unexpected(p, NG__JX_KEY_OR_END));
  return go(s_key);
}

/* The current token is a member key: emit it, then ':' and a value. */
static step s_key(tramp *t) {
  int rc = ng__json_emit_key(t->p);

  if (rc != NG_OK)
    return stop(t, rc);
  return s_colon(t);
}

/* After a key: ':' and a value. */
static step s_colon(tramp *t) {
  ng__json_parser *p = t->p;

  if (!ng__json_advance_colon(p))
    return stop(t, ng__json_unexpected(p, NG__JX_COLON));
  t->want = NG__JX_VALUE;
  return go(s_value);
}

/* Continuation of an array after an element. */
static step s_array_next(tramp *t) {
  ng__json_parser *p = t->p;

  switch (ng__json_advance_after_value(p)) {
  case NG__JT_COMMA:
    t->want = NG__JX_VALUE;
    return go(s_value);
  case NG__JT_RBRACKET:
    return leave(t, NG__JK_ARRAY);
  default:
    return stop(t, ng__json_unexpected(p, NG__JX_ARRAY_NEXT));
  }
}

/* Continuation of an object after a member's value. */
static step s_object_next(tramp *t) {
  ng__json_parser *p = t->p;

  switch (ng__json_advance_after_value(p)) {
  case NG__JT_COMMA:
    return s_object_key(t);
  case NG__JT_RBRACE:
    return leave(t, NG__JK_OBJECT);
  default:
    return stop(t, ng__json_unexpected(p, NG__JX_OBJECT_NEXT));
  }
}

/* After ',' in an object: the next key. */
static step s_object_key(tramp *t) {
  ng__json_parser *p = t->p;

  if (ng__json_advance_key(p) != NG__JT_STRING)
    return stop(t, ng__json_unexpected(p, NG__JX_KEY));
  return go(s_key);
}

/* The top-level value is complete: only end of input may follow. */
static step s_finish(tramp *t) { return stop(t, ng__json_finish(t->p)); }

int ng__json_run_trampoline(ng__json_parser *p) {
  tramp t;
  step s;

  t.p = p;
  t.frames = p->st;
  t.want = NG__JX_VALUE;
  t.rc = NG_OK;
  s = go(p->resume == NG__JR_START ? s_value : resume_steps[p->resume]);
  while (s.fn != NULL)
    s = s.fn(&t);
  if (t.rc != NG__SUSPENDED)
    ng__gstack_free(&t.frames);
  p->st = t.frames; /* kept for the next run, or released */
  return t.rc;
}
