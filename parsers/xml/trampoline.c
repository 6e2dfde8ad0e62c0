/*
 * parsers/xml/trampoline.c - the trampoline engine.
 *
 * XML's steps on the shared trampoline (parsers/common/tramp.h), as
 * JSON's (parsers/json/trampoline.c): one step per grammar state, each
 * handling one token. An element with content pushes its parent's
 * continuation (the state the parent resumes in: CONTENT, or EPILOG for
 * the root) and goes on with its content; its end tag pops it.
 *
 * A stream's parse stops where the lexer is cut by a window's end (the
 * step's state in p->want, the continuations in p->conts) and resumes
 * there.
 *
 * Steps decide control flow only; events, depth, names and errors come
 * from engine.h, so results match the other engines exactly.
 */
#include "../common/tramp.h"
#include "engine.h"

static ng__step s_prolog(ng__tramp *t);
static ng__step s_doctype(ng__tramp *t);
static ng__step s_content(ng__tramp *t);
static ng__step s_epilog(ng__tramp *t);

/* The step for each grammar state (NG__XX_*). */
static const ng__step_fn by_state[NG__XX_COUNT] = {s_prolog, s_doctype,
                                                   s_content, s_epilog};

/* An element with content opened in state `want`: its parent resumes in
 * `want`'s successor (CONTENT inside an element, EPILOG after the root);
 * the element's content comes first. */
static ng__step nest(ng__tramp *t, int want) {
  if (ng__tramp_push(t, want == NG__XX_CONTENT ? NG__XX_CONTENT
                                               : NG__XX_EPILOG) != NG_OK)
    return ng__tramp_stop(t, ng__xml_fail_here(t->p, NG_ENOMEM));
  return ng__tramp_go(s_content);
}

/* An element closed: resume its parent's continuation. */
static ng__step unnest(ng__tramp *t) {
  return ng__tramp_go(by_state[ng__tramp_pop(t)]);
}

/* Reads and handles one token in state `want`; returns the next step. */
static ng__step token(ng__tramp *t, int want) {
  ng__xml_parser *p = t->p;
  int kind = ng__xml_advance(p), next = want, rc;

  if (NG_UNLIKELY(!ng__parse_accepts(&ng__xml_grammar, want, kind))) {
    if (ng__xml_cut(p)) {
      p->want = want;
      return ng__tramp_stop(t, NG__SUSPENDED);
    }
    return ng__tramp_stop(t, ng__xml_unexpected(p, want));
  }
  if (kind == NG__XT_EOF)
    return ng__tramp_stop(t, ng__xml_emit_finish(p));
  if (NG_UNLIKELY((rc = ng__xml_step(p, &next)) != NG_OK))
    return ng__tramp_stop(t, rc);
  if (ng__xml_opened(p))
    return nest(t, want);
  if (kind == NG__XT_END)
    return unnest(t);
  return ng__tramp_go(by_state[next]);
}

static ng__step s_prolog(ng__tramp *t) { return token(t, NG__XX_PROLOG); }
static ng__step s_doctype(ng__tramp *t) { return token(t, NG__XX_DOCTYPE); }
static ng__step s_content(ng__tramp *t) { return token(t, NG__XX_CONTENT); }
static ng__step s_epilog(ng__tramp *t) { return token(t, NG__XX_EPILOG); }

int ng__xml_run_trampoline(ng__xml_parser *p) {
  unsigned char inl[256];
  ng__tramp t;
  int rc;

  t.p = p;
  if (p->conts != NULL)
    t.frames = *p->conts;
  else
    ng__gstack_init(&t.frames, p->c.alc, inl, sizeof inl);
  rc = ng__tramp_run(&t, by_state[p->want]);
  if (p->conts != NULL) /* the stream frees them */
    *p->conts = t.frames;
  else
    ng__gstack_free(&t.frames);
  return rc;
}
