/*
 * parsers/json/recursive.c - recursive descent on the growable stack.
 *
 * One C call per nesting level that holds a container (a container of
 * scalars only needs none). It is safe at any depth because (1) the
 * whole parse runs inside ng_stack_run() with the parse's max_stack as
 * ceiling, and (2) every level is entered through ng_stack_call(), which
 * moves the callee to a bigger stack segment when the current one is
 * nearly full, and returns NG_ESTACK (reported at the last opening token
 * read) when the ceiling would be passed. max_depth is applied first, by
 * ng__json_emit_open().
 *
 * Shape. A level (rec_level) only recurses: it asks a scanner
 * (scan_array, scan_object) to read tokens up to the next nested
 * container or its own end, and repeats. The nested container (the
 * child) is first scanned on the level's own frame (rec_child), where
 * the scanner that opened it ran: most close there (arrays of numbers,
 * small objects: 9,965 of citm_catalog's 12,691 containers, 55,564 of
 * canada's 56,049), and only a child that opens a container in turn
 * becomes a level, entered through ng_stack_call (rec_down, a jump) with
 * that container open (REC_PEND). Only the context pointer stays live
 * across the calls, so a level costs a return address and one saved
 * register: 16 bytes on x86-64, measured by tests/test_json_engines.c.
 * The scanners, which do all the work, are not on the recursion path:
 * their frames are gone before the next level.
 *
 * Out-calls. The growable-stack contract (nestguard/stack.h) is that a
 * function and everything it calls directly fit in NG_STACK_RED_ZONE
 * bytes. What a scanner calls for every token keeps to that: the lexer,
 * the DOM builder and the event sink (tests/test_json_stackuse.c measures
 * the deepest stack they take below a segment's limit: 488 bytes), and
 * libc's malloc behind them (136 to 328 bytes, docs/runtime.md). What
 * does not is called elsewhere: the lexer's strtod fallback through
 * ng__call_out (parsers/common/usercall.h: on the thread stack unless
 * NG__OUT_ROOM is free), user callbacks and allocator hooks through
 * ng_stack_call_user, and rejections, failures and the end of the
 * document (snprintf in the message) always on the thread stack through
 * ng_stack_call_system (rec_far: rare). So the scanners call the lexer
 * and the sink directly everywhere: on the thread stack, on segments of a
 * deep parse, and on a stream's task, whose small base would otherwise
 * send every token to the thread stack.
 *
 * Token flow and errors are those of every engine (parsers/json/engine.h):
 * one token at a time, events emitted while their token is current,
 * rejections through ng__json_unexpected() with the expect state.
 *
 * Push parsing: a stream runs this engine on a task (parsers/json/
 * stream.c). A token the lexer could not finish (NG__JT_MORE) is never
 * acceptable, so it lands where a scanner rejects a token; there, before
 * rejecting, rec_more parks the task until the next chunk and reads the
 * token again, and the scanner goes on with it. The whole parse state
 * stays where it is, on the task's stack, and one-shot parses pay nothing
 * on their paths.
 */
#include <stddef.h>
#include <stdint.h>

#include "../common/descent.h"
#include "direct.h"
#include "engine.h"

_Static_assert(NG__JT_NUMBER == NG__JT_STRING + 1 &&
                   NG__JT_TRUE == NG__JT_STRING + 2 &&
                   NG__JT_FALSE == NG__JT_STRING + 3 &&
                   NG__JT_NULL == NG__JT_STRING + 4,
               "scalar token kinds must be contiguous");

/* A far out-call, on rec_far's frame: the engine's context is the
 * parser alone, so that the document's task keeps no frame for it. */
typedef struct rec_call {
  ng__json_parser *p;
  int op;  /* an rec_op, for rec_do */
  int arg; /* its argument: expect state or code */
} rec_call;

/* A scanner's result besides NG_OK (the container closed) and an error
 * code (positive): a nested container was opened and must be parsed. The
 * codes of direct.h's open, which a scanner passes on. */
enum { REC_ENTER_ARRAY = NG__JD_ARRAY, REC_ENTER_OBJECT = NG__JD_OBJECT };

/* A level to enter for a child of `kind` (NG__JK_*) whose first scan
 * opened a container (rc, REC_ENTER_*): an index past REC_ENTER_OBJECT
 * into rec_levels. */
#define REC_PEND(kind, rc)                                                     \
  (REC_ENTER_ARRAY - 2 * (kind) - (REC_ENTER_ARRAY - (rc)))
_Static_assert(REC_ENTER_OBJECT == REC_ENTER_ARRAY - 1 &&
                   NG__JK_ARRAY == 1 && NG__JK_OBJECT == 2,
               "rec_levels' order");

/* ---------------------------------------------------------- out-calls */

/* The out-calls that format a message, by number, for the far path. They
 * return the recorded error, or NG_OK / NG__SUSPENDED (FINISH). */
enum rec_op {
  OP_UNEXPECTED, /* ng__json_unexpected(want) */
  OP_FAIL,       /* ng__json_fail_here(code) */
  OP_FINISH      /* ng__json_finish */
};

static int rec_do(void *arg) {
  rec_call *c = (rec_call *)arg;
  switch (c->op) {
  case OP_UNEXPECTED:
    return ng__json_unexpected(c->p, (ng__jexp)c->arg);
  case OP_FAIL:
    return ng__json_fail_here(c->p, c->arg, NULL);
  default:
    return ng__json_finish(c->p);
  }
}

/* Out-call op(arg) on the thread stack. */
static NG_NOINLINE int rec_far(ng__json_parser *p, int op, int arg) {
  rec_call c;

  c.p = p;
  c.op = op;
  c.arg = arg;
  return ng_stack_call_system(rec_do, &c);
}

/* The token read again after a wait, out of line: not inlined at each of
 * rec_more's sites. */
static NG_NOINLINE int rec_reread(ng__json_parser *p) {
  return ng__json_advance(p);
}

/* A wait that failed (the stream is dropped): the token becomes a lexical
 * error with that code, so the parse unwinds as from any error. */
static NG_NOINLINE int rec_wait_failed(ng__json_parser *p, int rc) {
  p->tok.kind = NG__JT_ERROR;
  p->tok.code = rc;
  p->tok.err_off = p->tok.off;
  p->tok.msg = NULL;
  return NG__JT_ERROR;
}

/*
 * A stream's lexer ran out of input at the current token: waits (parked)
 * for the next window and reads the token again there, until it is
 * complete. Inline, so that the scanner calls the wait from its own frame:
 * a resumed task returns from the switch straight into the scanner. Each
 * frame between the scanner and the park was one more return after every
 * resume that the CPU's return predictor (filled by the feed's calls)
 * got wrong, and one on the feed's side after the park; a parked stream
 * also keeps 16 bytes less.
 */
NG_INLINE int rec_more(ng__json_parser *p) {
  int kind = NG__JT_MORE, rc;

  while (kind == NG__JT_MORE) {
    if ((rc = p->wait(p)) != NG_OK)
      return rec_wait_failed(p, rc);
    kind = rec_reread(p);
  }
  return kind;
}

/* ':' after a key, read by the engine.h helper that skips it without a
 * token; rejected, a stream's missing input first. */
NG_INLINE int rec_colon(ng__json_parser *p) {
  if (ng__json_advance_colon(p))
    return 1;
  return p->tok.kind == NG__JT_MORE && rec_more(p) == NG__JT_COLON;
}
/* Rejections and failures are rare: always far. */
NG_INLINE int rec_unexpected(ng__json_parser *p, ng__jexp want) {
  return rec_far(p, OP_UNEXPECTED, (int)want);
}

/* ----------------------------------------------------------- scanners */

/*
 * After a value in the level's container, of kind NG__JK_ARRAY or
 * NG__JK_OBJECT: ng__json_read_after, but on the direct path a closing
 * bracket after whitespace (pretty-printed input) closes the container
 * without a token too. The iterative engine closes runs of brackets
 * instead (its level is the builder's); a level here is a frame.
 */
NG_INLINE int rec_read_after(ng__json_parser *p, int kind) {
  if (p->direct)
    return ng__json_direct_after_in(p, ng__json_direct_of(p), kind, 0, 1);
  return ng__json_advance_after_value(p);
}

/*
 * A member's value: ng__json_read_value, but with integers inline
 * (ng__json_direct_value's `ints`), as the iterative engine reads every
 * value. A member's number is most often an integer (ids, counts: 13,226
 * of citm_catalog's 14,392 integers) and an array's most often a double
 * (canada's 111,080, whose integer part read inline first would cost
 * the array scanner 5 % more instructions): so arrays read numbers
 * through the scanner from their start.
 */
NG_INLINE int rec_read_member_value(ng__json_parser *p) {
  if (p->direct)
    return ng__json_direct_value(p, ng__json_direct_of(p), 1);
  return ng__json_advance(p);
}

static int scan_value_other(ng__json_parser *p, ng__jexp want);

/*
 * The value whose first token is current, in expect state `want`: emits a
 * scalar (NG_OK), or opens a container (REC_ENTER_*), or rejects the
 * token (scan_value_other, after waiting for a stream's missing input).
 */
NG_INLINE int scan_value(ng__json_parser *p, ng__jexp want) {
  int kind = p->tok.kind, rc;
  /* STRING..NULL are contiguous. A range test rather than the bit mask:
   * gcc turns `mask >> kind & 1` into `bt`, which valgrind emulates with a
   * store below the stack pointer, a false "invalid write" at every fresh
   * stack page of a deep recursion. */
  if (NG_LIKELY((unsigned)(kind - NG__JT_STRING) <=
                (unsigned)(NG__JT_NULL - NG__JT_STRING)))
    return ng__json_emit_scalar(p);
  if (kind == NG__JT_LBRACKET)
    return (rc = ng__json_emit_open(p, NG__JK_ARRAY)) != NG_OK
               ? rc
               : REC_ENTER_ARRAY;
  if (kind == NG__JT_LBRACE)
    return (rc = ng__json_emit_open(p, NG__JK_OBJECT)) != NG_OK
               ? rc
               : REC_ENTER_OBJECT;
  return scan_value_other(p, want);
}

static NG_NOINLINE int scan_value_other(ng__json_parser *p, ng__jexp want) {
  if (p->tok.kind != NG__JT_MORE)
    return rec_unexpected(p, want);
  rec_more(p); /* a stream's missing input: the value */
  return scan_value(p, want);
}

/* What ng__json_read_value returned (kind) where a value is expected in
 * state `want`: the value built directly (NG_OK), a container opened
 * directly (REC_ENTER_*), or scan_value's result for its token. */
NG_INLINE int scan_read(ng__json_parser *p, int kind, ng__jexp want) {
  if (NG_LIKELY(kind == NG__JD_BUILT))
    return NG_OK;
  if (kind == NG__JD_FAILED)
    return rec_far(p, OP_FAIL, ng__json_doc_err(ng__json_direct_of(p)->doc));
  if (kind < 0)
    return kind; /* REC_ENTER_* */
  return scan_value(p, want);
}

/* scan_array's and scan_object's `first` for a child of an array: after
 * its opening bracket, and its siblings of its kind scanned too. */
#define REC_SIBLINGS 2

/*
 * After a child of an array closed on the direct path, at the cursor:
 * when a ',' and the opening bracket of a container of the same `kind`
 * follow (whitespace between), opens that sibling as the scanner's reads
 * would (the ',' as ng__json_direct_after, the whitespace and the bracket
 * as ng__json_direct_value; max_depth cannot stop it, its sibling was at
 * its depth): REC_ENTER_* or NG__JD_FAILED. NG_OK with nothing read
 * otherwise (anything else, the end near; an empty container too, which
 * the array's scanner builds whole with the elements after it).
 */
NG_INLINE int rec_sibling(ng__json_parser *p, int kind) {
  const unsigned char *c = p->lx.cur, *end = p->lx.end;

  if (c >= end || *c != ',')
    return NG_OK;
  if (++c < end && *c <= ' ')
    c = ng__json_skip_ws(c, end);
  if (end - c < 2 || *c != (kind == NG__JK_ARRAY ? '[' : '{') ||
      c[1] == (kind == NG__JK_ARRAY ? ']' : '}'))
    return NG_OK;
  return ng__json_direct_open(p, ng__json_direct_of(p), c, kind);
}

/* The child's container closed (NG__JD_CLOSED) in a scan from `first`:
 * NG_OK, or its sibling opened there (rec_sibling), or the failure. */
NG_INLINE int rec_closed(ng__json_parser *p, int first, int kind) {
  int rc;

  if (first != REC_SIBLINGS || (rc = rec_sibling(p, kind)) == NG_OK)
    return NG_OK;
  if (NG_UNLIKELY(rc == NG__JD_FAILED))
    return rec_far(p, OP_FAIL, ng__json_doc_err(ng__json_direct_of(p)->doc));
  return rc;
}

/* What ng__json_read_key returned (kind), in state `want` (KEY_OR_END or
 * KEY), must be a key built directly or a key's token (emitted): then its
 * ':' and its value (scan_read). A value cut by a stream's window is
 * waited for here, as an array's is in scan_in, rather than in
 * scan_value_other: from the scanner's frame (rec_more). */
NG_INLINE int scan_member(ng__json_parser *p, int kind, ng__jexp want) {
  int rc;
  if (kind == NG__JD_FAILED)
    return rec_far(p, OP_FAIL, ng__json_doc_err(ng__json_direct_of(p)->doc));
  if (kind != NG__JD_BUILT) {
    if (kind != NG__JT_STRING &&
        (kind != NG__JT_MORE || rec_more(p) != NG__JT_STRING))
      return rec_unexpected(p, want);
    if ((rc = ng__json_emit_key(p)) != NG_OK)
      return rc;
  }
  if (!rec_colon(p))
    return rec_unexpected(p, NG__JX_COLON);
  if ((kind = rec_read_member_value(p)) == NG__JT_MORE)
    kind = rec_more(p);
  return scan_read(p, kind, NG__JX_VALUE);
}

/*
 * Reads the values (kind NG__JK_ARRAY) or members (NG__JK_OBJECT) of the
 * innermost container until a nested container opens (REC_ENTER_*) or it
 * closes (NG_OK), or an error. `first`: right after its opening bracket
 * (1, or REC_SIBLINGS: then the containers of its kind that follow it in
 * its parent array, one after the other); else (0) right after a nested
 * container closed. One read of a value or a member, whether first or
 * after ',' (`want`): with a copy each, the scanners' code was a third
 * larger and citm_catalog 7 % slower by the clock.
 */
NG_INLINE int scan_in(ng__json_parser *p, int first, int kind) {
  const ng__jexp start =
      kind == NG__JK_ARRAY ? NG__JX_VALUE_OR_END : NG__JX_KEY_OR_END;
  ng__jexp want = start;
  int rc, tk;

  if (!first)
    goto after;
next: /* a value or a member, or the end right after the bracket (want) */
  if (kind == NG__JK_ARRAY) {
    if ((tk = ng__json_read_value(p)) == NG__JT_MORE)
      tk = rec_more(p);
    if (tk == NG__JT_RBRACKET && want == start)
      return ng__json_emit_close(p, kind);
    rc = scan_read(p, tk, want);
  } else {
    if ((tk = ng__json_read_key(p)) == NG__JT_MORE)
      tk = rec_more(p);
    if (tk == NG__JT_RBRACE && want == start)
      return ng__json_emit_close(p, kind);
    rc = scan_member(p, tk, want);
  }
  if (rc != NG_OK)
    return rc;
after:
  tk = rec_read_after(p, kind);
again:
  switch (tk) {
  case NG__JT_COMMA:
    want = kind == NG__JK_ARRAY ? NG__JX_VALUE : NG__JX_KEY;
    goto next;
  case NG__JD_CLOSED:
    if ((rc = rec_closed(p, first, kind)) < 0) {
      want = start;
      goto next;
    }
    return rc;
  case NG__JT_MORE:
    tk = rec_more(p);
    goto again;
  default:
    if (tk == (kind == NG__JK_ARRAY ? NG__JT_RBRACKET : NG__JT_RBRACE))
      return ng__json_emit_close(p, kind);
    return rec_unexpected(p, kind == NG__JK_ARRAY ? NG__JX_ARRAY_NEXT
                                                  : NG__JX_OBJECT_NEXT);
  }
}

static NG_NOINLINE int scan_array(ng__json_parser *p, int first) {
  return scan_in(p, first, NG__JK_ARRAY);
}

static NG_NOINLINE int scan_object(ng__json_parser *p, int first) {
  return scan_in(p, first, NG__JK_OBJECT);
}

/* -------------------------------------------------------------- levels */

static int rec_array(void *arg);
static int rec_object(void *arg);
static int rec_array_a(void *arg);
static int rec_array_o(void *arg);
static int rec_object_a(void *arg);
static int rec_object_o(void *arg);

/* The level that a scanner's result rc (< 0) enters, at REC_ENTER_ARRAY
 * - rc: a container opened, or a child with its first nested container
 * open (REC_PEND). */
static int (*const rec_levels[])(void *) = {
    rec_array,   rec_object,   rec_array_a,
    rec_array_o, rec_object_a, rec_object_o};

/*
 * One level down, into the level for rc (< 0), through ng_stack_call.
 * Out of line with nothing after the call, so the call is a jump (but
 * under TSan, descent.h): the check's frame pointer and the thread-local
 * limit's address are not kept in every level's frame (measured: 32 -> 16
 * bytes a level on x86-64, a few instructions more per container).
 */
NG__DESCENT_DOWN int rec_down(ng__json_parser *p, int rc) {
  return ng_stack_call(rec_levels[REC_ENTER_ARRAY - rc], p);
}

/*
 * Enters the level for rc (< 0), one level down. NG_ESTACK / NG_ENOMEM
 * from ng_stack_call itself are new failures at the current token, the
 * last opening bracket read; a failure inside the callee is already
 * recorded, and the first record wins.
 */
NG_INLINE int rec_enter(ng__json_parser *p, int rc) {
  rc = rec_down(p, rc);
  if (NG_UNLIKELY(rc != NG_OK))
    return rec_far(p, OP_FAIL, rc);
  return NG_OK;
}

/*
 * The container a scanner opened (rc is REC_ENTER_*), the child of this
 * level: its first scan runs on this level's frame, where the scanner
 * that opened it ran, and most children (arrays of numbers, small
 * objects) close there without a level of their own; in an array, so do
 * the siblings of its kind that follow it (REC_SIBLINGS: rows of
 * numbers, records). A child that opens a container becomes a level,
 * entered with that container open (REC_PEND). NG_OK when the child
 * closed, else the error.
 */
NG_INLINE int rec_child(ng__json_parser *p, int kind, int rc) {
  int first = kind == NG__JK_ARRAY ? REC_SIBLINGS : 1;

  if (rc == REC_ENTER_ARRAY) {
    if ((rc = scan_array(p, first)) < 0)
      rc = rec_enter(p, REC_PEND(NG__JK_ARRAY, rc));
  } else if ((rc = scan_object(p, first)) < 0) {
    rc = rec_enter(p, REC_PEND(NG__JK_OBJECT, rc));
  }
  return rc;
}

/*
 * A level: the container of `kind` until its end, from rc: its first
 * scan's result, or REC_ENTER_* for a child already open in it. Only the
 * parser stays live across the calls: a level's frame is a return
 * address and one saved register, 16 bytes on x86-64
 * (tests/test_json_engines.c).
 */
NG_INLINE int rec_level(ng__json_parser *p, int kind, int rc) {
  while (rc < 0) {
    if ((rc = rec_child(p, kind, rc)) != NG_OK)
      return rc;
    rc = kind == NG__JK_ARRAY ? scan_array(p, 0) : scan_object(p, 0);
  }
  return rc;
}

/* After '[' (opened), until its ']'. */
static int rec_array(void *arg) {
  return rec_level(arg, NG__JK_ARRAY, scan_array(arg, 1));
}

/* After '{' (opened), until its '}'. */
static int rec_object(void *arg) {
  return rec_level(arg, NG__JK_OBJECT, scan_object(arg, 1));
}

/* The REC_PEND levels: a container whose first child is open. */
static int rec_array_a(void *arg) {
  return rec_level(arg, NG__JK_ARRAY, REC_ENTER_ARRAY);
}

static int rec_array_o(void *arg) {
  return rec_level(arg, NG__JK_ARRAY, REC_ENTER_OBJECT);
}

static int rec_object_a(void *arg) {
  return rec_level(arg, NG__JK_OBJECT, REC_ENTER_ARRAY);
}

static int rec_object_o(void *arg) {
  return rec_level(arg, NG__JK_OBJECT, REC_ENTER_OBJECT);
}

/* The document's first token and value, out of line: a stream parked
 * below the document's level keeps only the level's small frame. */
static NG_NOINLINE int scan_document(ng__json_parser *p) {
  return scan_read(p, ng__json_read_value(p), NG__JX_VALUE);
}

/* The document: one value, then end of input. Runs on the new stack. */
static int rec_document(void *arg) {
  ng__json_parser *p = arg;
  int rc = scan_document(p);
  if (rc < 0)
    rc = rec_enter(p, rc);
  if (rc != NG_OK)
    return rc;
  /* A stream's end of document may wait for input too. */
  while ((rc = rec_far(p, OP_FINISH, 0)) == NG__SUSPENDED)
    if ((rc = p->wait(p)) != NG_OK)
      return rc;
  return rc;
}

int ng__json_run_recursive(ng__json_parser *p) {
  return ng__descent_run(&p->c, p->wait != NULL, rec_document, p);
}
