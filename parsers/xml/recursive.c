/*
 * parsers/xml/recursive.c - recursive descent on the growable stack.
 *
 * One C call per element. It is safe at any depth for the reasons JSON's
 * recursive engine is (parsers/json/recursive.c): the document runs inside
 * ng_stack_run with the parse's max_stack as ceiling (common/descent.h),
 * every element is entered through ng_stack_call, which moves to a bigger
 * segment when the current one is nearly full and returns NG_ESTACK
 * (reported at the start tag) past the ceiling, and max_depth is applied
 * first, by the shared emit helper.
 *
 * Shape. A level (rec_element) only recurses: a scanner reads the
 * element's content up to a nested element with content (REC_ENTER) or
 * the element's end tag (REC_LEAVE), the level enters the nested one
 * through ng_stack_call and repeats. Only the context pointer stays live
 * across the call, so a level costs a return address, the frame pointer
 * and a saved register (tests/test_xml_engines.c measures it). Names for
 * end-tag matching are on the parse's heap stack (names.h), as in every
 * engine. Entity replacement text is lexed through the lexer's own input
 * stack, bounded by its nesting limit, in every engine alike.
 *
 * Out-calls. The scanner calls the lexer (its buffers, entity and
 * attribute-value work, a DOCTYPE's declarations) and the sink (DOM
 * builder, or user callbacks through ng_stack_call_user), and libc's
 * malloc behind them: bounded, but more than NG_STACK_RED_ZONE (1.2 KiB
 * measured by tests/test_xml_stackuse.c). So it runs directly where
 * NG__DESCENT_SCAN_ROOM is free above the limit (descent.h): on the thread
 * stack, on a stream task's base at shallow depth, on all but the last KiB
 * of a segment; elsewhere, whole, on the thread stack through
 * ng_stack_call_system. A stream's parse thus stays on its task for
 * nearly every token, as JSON's does. A rejection's message (snprintf)
 * is always formatted on the thread stack (rec_reject: rare). The
 * scanner's frame is gone before the next level.
 */
#include "../common/descent.h"
#include "engine.h"

/* The engine's context: the parse and the grammar state. */
typedef struct rec {
  ng__xml_parser *p;
  int want; /* NG__XX_* for the next token */
  int code; /* a failure for fail, on the thread stack */
} rec;

/* A scanner's results besides an error code (positive) and NG_OK (the
 * document's EOF accepted). */
enum { REC_ENTER = -1, REC_LEAVE = -2, REC_MORE = -3, REC_REJECT = -4 };

/* Reads tokens until one opens an element with content (REC_ENTER), one
 * closes an element (REC_LEAVE), the end of input is accepted (NG_OK), a
 * stream's window ends inside one (REC_MORE), one is not acceptable in
 * r->want (REC_REJECT, not recorded yet) or an error is recorded. */
static int scan(void *arg) {
  rec *r = (rec *)arg;
  ng__xml_parser *p = r->p;
  int kind, rc;

  for (;;) {
    kind = ng__xml_advance(p);
    if (NG_UNLIKELY(!ng__parse_accepts(&ng__xml_grammar, r->want, kind)))
      return ng__xml_cut(p) ? REC_MORE : REC_REJECT;
    if (kind == NG__XT_EOF)
      return ng__xml_emit_finish(p);
    if (NG_UNLIKELY((rc = ng__xml_step(p, &r->want)) != NG_OK))
      return rc;
    if (ng__xml_opened(p))
      return REC_ENTER;
    if (kind == NG__XT_END)
      return REC_LEAVE;
  }
}

/* Records r->code at the current token. */
static int fail(void *arg) {
  rec *r = (rec *)arg;
  return ng__xml_fail_here(r->p, r->code);
}

/* Records the current token's rejection in r->want. */
static int reject(void *arg) {
  rec *r = (rec *)arg;
  return ng__xml_unexpected(r->p, r->want);
}

/* A failure of ng_stack_call: recorded on the thread stack (rare). */
static NG_NOINLINE int rec_fail(rec *r, int code) {
  r->code = code;
  return ng_stack_call_system(fail, r);
}

/* The scanner's rejection (REC_REJECT), recorded on the thread stack. */
static NG_NOINLINE int rec_reject(rec *r) {
  return ng_stack_call_system(reject, r);
}

/* The scanner, here when the stack has room, else on the thread stack. */
static NG_NOINLINE int rec_scan(rec *r) {
  return ng__descent_roomy() ? scan(r) : ng_stack_call_system(scan, r);
}

/* A stream's token cut by its window's end (REC_MORE): parks the task, on
 * its own stack, until the next window (p->wait); the scanner then reads
 * the token again. A wait that fails (the stream is dropped) unwinds as an
 * error. Inline: the level calls the wait from its own frame, so that a
 * resumed task returns from the switch straight into it (a frame between
 * was a mispredicted return on each side of every park and resume). */
NG_INLINE int rec_wait(rec *r) {
  int rc = r->p->wait(r->p->wait_ud);

  return rc == NG_OK ? NG_OK : rec_fail(r, rc);
}

static int rec_element(void *arg);

/* One level down through ng_stack_call, out of line with nothing after
 * the call, so that the call is a jump (but under TSan, descent.h): a
 * level's frame keeps no frame pointer or thread-local address for the
 * check (32 -> 16 bytes a level on x86-64). */
NG__DESCENT_DOWN int rec_down(rec *r) {
  return ng_stack_call(rec_element, r);
}

/* Enters the element the scanner opened, one level down. NG_ESTACK or
 * NG_ENOMEM from ng_stack_call itself are failures at the start tag,
 * still current; a failure inside is already recorded (the first wins). */
NG_INLINE int rec_enter(rec *r) {
  int rc = rec_down(r);

  if (NG_UNLIKELY(rc != NG_OK))
    return rec_fail(r, rc);
  return NG_OK;
}

/* A level: after an element's start tag, until its end tag; at the top,
 * the document (prolog, the root element, epilog) on the new stack, where
 * REC_LEAVE cannot come (no END outside the root). */
static int rec_element(void *arg) {
  rec *r = (rec *)arg;
  int rc;

  for (;;) {
    while ((rc = rec_scan(r)) == REC_ENTER)
      if ((rc = rec_enter(r)) != NG_OK)
        return rc;
    if (rc == REC_LEAVE)
      return NG_OK;
    if (rc != REC_MORE)
      return rc == REC_REJECT ? rec_reject(r) : rc;
    if ((rc = rec_wait(r)) != NG_OK)
      return rc;
  }
}

int ng__xml_run_recursive(ng__xml_parser *p) {
  rec r;

  r.p = p;
  r.want = NG__XX_PROLOG;
  r.code = NG_OK;
  return ng__descent_run(&p->c, p->wait != NULL, rec_element, &r);
}
