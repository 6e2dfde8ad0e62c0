/*
 * parsers/xml/trampoline.c - the trampoline engine.
 *
 * As JSON's (parsers/json/trampoline.c): every grammar position is a small
 * step function that handles one token and returns the next step, and a
 * driver loop runs steps until one returns "stop". Where recursive
 * descent would call itself for a nested element and later return into
 * its caller's content, a step pushes that "rest of the caller" (a
 * continuation: the step to resume with) onto a heap stack and returns
 * the content step; an end tag pops the continuation and returns it. The
 * machine stack never holds more than the driver and one step.
 *
 * A stream's parse stops where the lexer is cut by a window's end (the
 * step's state in p->want, the continuations in p->conts) and resumes
 * there.
 *
 * Steps decide control flow only; events, depth, names and errors come
 * from engine.h, so results match the other engines exactly.
 */
#include "../common/gstack.h"
#include "engine.h"

typedef struct tramp tramp;

/* A step: returns the next step (fn NULL: stop; t->rc holds the result).
 * The wrapper lets a function return a pointer to its own type. */
typedef struct step {
  struct step (*fn)(tramp *t);
} step;

typedef step (*step_fn)(tramp *t);

/* A frame: the continuation of the parent of an open element, as the
 * grammar state it resumes in (one byte: CONTENT, or EPILOG for the
 * root). */
typedef unsigned char frame;

struct tramp {
  ng__xml_parser *p; /* the parse */
  ng__gstack frames; /* continuations of open elements */
  int rc;            /* result when stopping */
};

static step s_prolog(tramp *t);
static step s_doctype(tramp *t);
static step s_content(tramp *t);
static step s_epilog(tramp *t);

/* The step for each grammar state (NG__XX_*). */
static const step_fn by_state[NG__XX_COUNT] = {s_prolog, s_doctype,
                                               s_content, s_epilog};

static step go(step_fn fn) {
  step s;
  s.fn = fn;
  return s;
}

static step stop(tramp *t, int rc) {
  t->rc = rc;
  return go(NULL);
}

/* An element with content opened in state `want`: its parent resumes in
 * `want`'s successor (CONTENT inside an element, EPILOG after the root);
 * the element's content comes first. */
static step nest(tramp *t, int want) {
  frame *f = NG__GSTACK_PUSH(&t->frames, frame);

  if (f == NULL)
    return stop(t, ng__xml_fail_here(t->p, NG_ENOMEM));
  *f = (frame)(want == NG__XX_CONTENT ? NG__XX_CONTENT : NG__XX_EPILOG);
  return go(s_content);
}

/* An element closed: resume its parent's continuation. */
static step unnest(tramp *t) {
  return go(by_state[*NG__GSTACK_POP(&t->frames, frame)]);
}

/* Reads and handles one token in state `want`; returns the next step. */
static step token(tramp *t, int want) {
  ng__xml_parser *p = t->p;
  int kind = ng__xml_advance(p), next = want, rc;

  if (NG_UNLIKELY(!ng__parse_accepts(&p->c, want, kind))) {
    if (ng__xml_cut(p)) {
      p->want = want;
      return stop(t, NG__SUSPENDED);
    }
    return stop(t, ng__xml_unexpected(p, want));
  }
  if (kind == NG__XT_EOF)
    return stop(t, ng__xml_emit_finish(p));
  if (NG_UNLIKELY((rc = ng__xml_step(p, &next)) != NG_OK))
    return stop(t, rc);
  if (ng__xml_opened(p))
    return nest(t, want);
  if (kind == NG__XT_END)
    return unnest(t);
  return go(by_state[next]);
}

static step s_prolog(tramp *t) { return token(t, NG__XX_PROLOG); }
static step s_doctype(tramp *t) { return token(t, NG__XX_DOCTYPE); }
static step s_content(tramp *t) { return token(t, NG__XX_CONTENT); }
static step s_epilog(tramp *t) { return token(t, NG__XX_EPILOG); }

int ng__xml_run_trampoline(ng__xml_parser *p) {
  frame inl[256];
  tramp t;
  step s;

  t.p = p;
  t.rc = NG_OK;
  if (p->conts != NULL)
    t.frames = *p->conts;
  else
    ng__gstack_init(&t.frames, p->c.alc, inl, sizeof inl);
  for (s = go(by_state[p->want]); s.fn != NULL;)
    s = s.fn(&t);
  if (p->conts != NULL) /* the stream frees them */
    *p->conts = t.frames;
  else
    ng__gstack_free(&t.frames);
  return t.rc;
}
