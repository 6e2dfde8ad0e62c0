/*
 * parsers/json/direct.h - the DOM path without the token: the engines'
 * steps that read the common values of a DOM parse under DUP_KEEP
 * (strings, keys, numbers, literals, empty containers) with the cursor in
 * a local variable and build them straight into the builder, after one
 * branch on the value's first byte; and that open and close containers
 * without a token, the bracket at the cursor.
 *
 * Everything else goes the token path of engine.h, whose results it
 * leaves unchanged: a step either builds its value whole (the same nodes,
 * allocated in the same order and sizes as ng__json_emit_scalar /
 * _key / _open + _close would) and moves the cursor past it, or it reads
 * the token the engine would have read at that point into p->tok and
 * returns its kind, having written nothing else but whitespace skipped.
 * A container that opens is a third outcome: its node made and its level
 * entered as ng__json_emit_open would, the cursor past the bracket and
 * p->tok.off at it (where a later failure to enter the level, in the
 * engine's own stack, is reported); the engine then enters it as after
 * the token. After a value, ng__json_direct_after closes the innermost
 * container when its bracket stands at the cursor, as the token's
 * ng__json_emit_close would, so a run of closing brackets needs no token.
 * So errors, offsets, lines and columns are those of the token path. A
 * value that is unusual (escapes, a number out of range or malformed, a
 * container at max_depth) or that reaches the end of the buffer is left
 * to the lexer: the end of a buffer, where a push parser's next chunk
 * starts, is only ever crossed there.
 */
#ifndef NG_PARSERS_JSON_DIRECT_H
#define NG_PARSERS_JSON_DIRECT_H

#include <string.h>

#include "builder.h"
#include "engine.h"

/* Results of a direct step besides a token kind (>= 0, in p->tok). */
#define NG__JD_BUILT (-2)  /* the value was built; the cursor is past it */
#define NG__JD_FAILED (-3) /* the builder failed (ng__json_doc_err), with
                              p->tok.off at the value for the report */
#define NG__JD_ARRAY (-4)  /* an array opened (ng__json_direct_open) */
#define NG__JD_OBJECT (-5) /* an object opened */
#define NG__JD_CLOSED (-6) /* the innermost container closed
                              (ng__json_direct_after) */

/* Whether the parse is a DOM under DUP_KEEP (the only case the direct
 * steps serve): else the engine reads tokens. Kept in p->direct while an
 * engine runs. */
static inline unsigned char ng__json_direct_serves(const ng__json_parser *p) {
  return ng__json_to_dom(p) &&
         ((const ng__json_builder *)p->sink.self)->dupkeys == NG_JSON_DUP_KEEP;
}

/* The builder of a parse that p->direct says the direct steps serve. */
static inline ng__json_builder *ng__json_direct_of(const ng__json_parser *p) {
  return (ng__json_builder *)p->sink.self;
}

/* Records and returns the failure of a step that returned NG__JD_FAILED
 * (at the value, as the token path reports it). */
static inline int ng__json_direct_report(ng__json_parser *p) {
  return ng__json_fail_here(p, ng__json_doc_err(ng__json_direct_of(p)->doc),
                            NULL);
}

/* The builder failed on the value at c. */
static inline int ng__json_direct_fail(ng__json_parser *p,
                                       const unsigned char *c) {
  p->tok.off = (size_t)(c - p->lx.beg);
  return NG__JD_FAILED;
}

/* The string value c[0..q) (quotes included, no escapes): its node, then
 * its bytes, as ng__json_build_scalar makes them. */
NG_INLINE int ng__json_direct_string(ng__json_parser *p, ng__json_builder *b,
                                     const unsigned char *c,
                                     const unsigned char *q) {
  ng_json_value *v = ng__json_build_node(b, NG_JSON_STRING);
  size_t n = (size_t)(q - c) - 2;
  char *s;

  if (NG_UNLIKELY(v == NULL))
    return ng__json_direct_fail(p, c);
  s = ng__json_string_room(b, (uint32_t)n);
  if (NG_UNLIKELY(s == NULL)) {
    v->type = NG_JSON_NULL; /* keep the tree well-formed */
    return ng__json_direct_fail(p, c);
  }
  ng__json_copy_raw(s, c + 1, n);
  v->as.s = s;
  p->lx.cur = q;
  return NG__JD_BUILT;
}

/* The scalar node of `type` for the value c[0..q): its payload is the
 * caller's to write. NULL when the builder failed. */
NG_INLINE ng_json_value *ng__json_direct_node(ng__json_parser *p,
                                              ng__json_builder *b,
                                              uint8_t type,
                                              const unsigned char *q) {
  ng_json_value *v = ng__json_build_node(b, type);

  if (NG_LIKELY(v != NULL))
    p->lx.cur = q;
  return v;
}

/* Nonzero when the 4 bytes at c (before end) are lit's: one compare. */
static inline int ng__json_direct_lit4(const unsigned char *c,
                                       const unsigned char *end,
                                       const char *lit) {
  return end - c >= 4 && memcmp(c, lit, 4) == 0;
}

/* The literal true or false at c (a 't' or an 'f'), built as a BOOL. */
NG_INLINE int ng__json_direct_bool(ng__json_parser *p, ng__json_builder *b,
                                   const unsigned char *c, int t) {
  ng_json_value *v;

  if (NG_UNLIKELY(!ng__json_direct_lit4(c + !t, p->lx.end,
                                        t ? "true" : "alse")))
    return ng__json_advance(p);
  if (NG_UNLIKELY((v = ng__json_direct_node(p, b, NG_JSON_BOOL,
                                            c + 5 - t)) == NULL))
    return ng__json_direct_fail(p, c);
  v->as.b = t;
  return NG__JD_BUILT;
}

/* "[]" or "{}" at c as one value (a level entered and left, as the token
 * path's open and close), when a level is left under max_depth. */
NG_INLINE int ng__json_direct_empty(ng__json_parser *p, ng__json_builder *b,
                                    const unsigned char *c, uint8_t type) {
  ng_json_value *v;

  if (NG_UNLIKELY(p->c.depth.cur >= p->c.depth.max))
    return ng__json_advance(p);
  if (NG_UNLIKELY((v = ng__json_direct_node(p, b, type, c + 2)) == NULL)) {
    p->c.depth.cur++; /* the token path's open had entered the level */
    return ng__json_direct_fail(p, c);
  }
  v->as.u = 0; /* no children, span 0 */
  b->last = v;
  return NG__JD_BUILT;
}

/* The bracket at c opens a container of kind NG__JK_ARRAY or
 * NG__JK_OBJECT that is not empty: its node, now the innermost, and its
 * level (ng__json_emit_open's, depth first, so that a failure records the
 * same depth), or its token read when the level would pass max_depth. */
NG_INLINE int ng__json_direct_open(ng__json_parser *p, ng__json_builder *b,
                                   const unsigned char *c, int kind) {
  if (NG_UNLIKELY(p->c.depth.cur >= p->c.depth.max))
    return ng__json_advance(p);
  p->c.depth.cur++;
  if (NG_UNLIKELY(ng__json_build_open(b, kind) == NULL))
    return ng__json_direct_fail(p, c);
  p->tok.off = (size_t)(c - p->lx.beg);
  p->lx.cur = c + 1;
  return kind == NG__JK_ARRAY ? NG__JD_ARRAY : NG__JD_OBJECT;
}

/*
 * The number at c. With `ints`, an integer of up to 18 digits is read and
 * built inline (ng__json_int_end), its sign applied here, and any other
 * number goes through the scanner, which goes on after the integer part
 * when there is one (a fraction or an exponent follows; "-0", a double);
 * without, every number goes through the scanner from its start.
 */
NG_INLINE int ng__json_direct_number(ng__json_parser *p, ng__json_builder *b,
                                     const unsigned char *c, int ints) {
  const unsigned char *q;
  ng_json_value *v;
  uint64_t w, u;
  uint8_t type = NG_JSON_INT;
  int neg = *c == '-';

  if (!ints) { /* the token's value, as before the inline integers: the
                  recursive engine's parked frames stay as they were */
    if (NG_UNLIKELY((q = ng__json_number_end(&p->lx, &p->tok)) == NULL))
      return p->tok.kind;
    if (NG_UNLIKELY((v = ng__json_direct_node(p, b, (uint8_t)p->tok.ntype,
                                              q)) == NULL))
      return ng__json_direct_fail(p, c);
    v->as.u = p->tok.num.u;
    return NG__JD_BUILT;
  }
  q = ng__json_int_end(c, p->lx.end, &w);
  if (NG_LIKELY(q != NULL && *q != '.' && (*q | 0x20) != 'e' &&
                (w != 0 || !neg))) {
    u = neg ? -w : w; /* as int64_t */
  } else {
    q = q != NULL ? ng__json_number_rest(&p->lx, &p->tok, q, w)
                  : ng__json_number_end(&p->lx, &p->tok);
    if (NG_UNLIKELY(q == NULL))
      return p->tok.kind;
    type = (uint8_t)p->tok.ntype;
    u = p->tok.num.u; /* the same 8 bytes whichever of i, u, d */
  }
  if (NG_UNLIKELY((v = ng__json_direct_node(p, b, type, q)) == NULL))
    return ng__json_direct_fail(p, c);
  v->as.u = u;
  return NG__JD_BUILT;
}

/*
 * A value is expected: builds it, or opens its container, or reads its
 * token (anything unusual, the end). Returns NG__JD_BUILT, NG__JD_FAILED,
 * NG__JD_ARRAY, NG__JD_OBJECT or the token's kind. ints: integers inline
 * (ng__json_direct_number).
 */
NG_INLINE int ng__json_direct_value(ng__json_parser *p, ng__json_builder *b,
                                    int ints) {
  const unsigned char *c = p->lx.cur, *end = p->lx.end, *q;

  if (NG_UNLIKELY(c >= end))
    return ng__json_advance(p);
  if (*c <= ' ') {
    p->lx.cur = c = ng__json_skip_ws(c, end);
    if (NG_UNLIKELY(c >= end))
      return ng__json_advance(p);
  }
  switch (*c) {
  case '"':
    q = ng__json_short_string(&p->lx, 0);
    if (q == NULL && (q = ng__json_string_end(&p->lx, &p->tok)) == NULL)
      return p->tok.kind;
    return ng__json_direct_string(p, b, c, q);
  case '-': case '0': case '1': case '2': case '3': case '4':
  case '5': case '6': case '7': case '8': case '9':
    return ng__json_direct_number(p, b, c, ints);
  case 't':
    return ng__json_direct_bool(p, b, c, 1);
  case 'f':
    return ng__json_direct_bool(p, b, c, 0);
  case 'n':
    if (!ng__json_direct_lit4(c, end, "null"))
      break;
    if (NG_UNLIKELY(ng__json_direct_node(p, b, NG_JSON_NULL, c + 4) == NULL))
      return ng__json_direct_fail(p, c);
    return NG__JD_BUILT;
  case '[':
    if (end - c >= 2 && c[1] == ']')
      return ng__json_direct_empty(p, b, c, NG_JSON_ARRAY);
    return ng__json_direct_open(p, b, c, NG__JK_ARRAY);
  case '{':
    if (end - c >= 2 && c[1] == '}')
      return ng__json_direct_empty(p, b, c, NG_JSON_OBJECT);
    return ng__json_direct_open(p, b, c, NG__JK_OBJECT);
  default:
    break;
  }
  return ng__json_advance(p);
}

/*
 * A member key is expected (after '{' or after ',' in an object): builds
 * its member's node, key in place, as ng__json_build_key does, or reads
 * the token that stands there. Returns NG__JD_BUILT, NG__JD_FAILED or the
 * token's kind.
 */
NG_INLINE int ng__json_direct_key(ng__json_parser *p, ng__json_builder *b) {
  const unsigned char *c = p->lx.cur, *end = p->lx.end, *q;
  uint32_t n;
  char *k;

  if (c < end && *c <= ' ')
    p->lx.cur = c = ng__json_skip_ws(c, end);
  if (NG_UNLIKELY(c >= end || *c != '"'))
    return ng__json_advance(p);
  q = ng__json_short_string(&p->lx, 1);
  if (q == NULL && (q = ng__json_key_end(&p->lx, &p->tok)) == NULL)
    return p->tok.kind;
  n = (uint32_t)(q - c - 2);
  if (NG_UNLIKELY((k = ng__json_key_room(b, n)) == NULL))
    return ng__json_direct_fail(p, c);
  ng__json_copy_raw(k, c + 1, n);
  p->lx.cur = q;
  return NG__JD_BUILT;
}

/* The kind (NG__JK_ARRAY or NG__JK_OBJECT) of the builder's innermost
 * container, 0 at top level: on the direct path every container opens in
 * the builder, which so tells what an engine's stack of kinds would. */
static inline int ng__json_direct_inner(const ng__json_builder *b) {
  if (b->cur == NULL)
    return 0;
  return b->cur->type == NG_JSON_ARRAY ? NG__JK_ARRAY : NG__JK_OBJECT;
}

/* The byte that closes container v: ']' or '}'. */
static inline unsigned char ng__json_closer(const ng_json_value *v) {
  return v->type == NG_JSON_ARRAY ? ']' : '}';
}

/* The innermost container closes at its bracket at c, and when `run`,
 * so does each enclosing one whose bracket follows at once: a run of
 * closing brackets as one loop over the builder's cur and last held in
 * locals (each close ng__json_build_close's, and a level left). Only an
 * engine that keeps no level of its own (ng__json_direct_inner) runs. */
NG_INLINE void ng__json_direct_close_run(ng__json_parser *p,
                                         ng__json_builder *b,
                                         const unsigned char *c, int run) {
  const unsigned char *end = p->lx.end;
  ng_json_value *v = b->cur, *last = b->last, *up;
  const ng_json_value *top = b->top;
  size_t n = 0;

  do {
    up = ng__json_close_node(v, last, top);
    last = v;
    v = up;
    c++;
    n++;
  } while (run && v != NULL && c < end && *c == ng__json_closer(v));
  b->cur = v;
  b->last = last;
  p->c.depth.cur -= n;
  p->lx.cur = c;
}

/*
 * After a value inside a container of kind NG__JK_ARRAY or NG__JK_OBJECT
 * (the innermost): a ',' at the cursor is consumed (NG__JT_COMMA, no
 * token, as ng__json_advance_after_value); the container's own closing
 * bracket at the cursor closes it and leaves its level, and with `run`
 * the run of brackets that follows it (ng__json_direct_close_run) too
 * (NG__JD_CLOSED; the builder cannot fail there under DUP_KEEP); with
 * `ws`, so does that bracket after whitespace (pretty-printed input);
 * anything else is read as its token, whose kind is returned.
 */
NG_INLINE int ng__json_direct_after_in(ng__json_parser *p,
                                       ng__json_builder *b, int kind,
                                       int run, int ws) {
  const unsigned char *c = p->lx.cur, *end = p->lx.end;

  if (NG_LIKELY(c < end)) {
    if (*c == ',') {
      p->lx.cur = c + 1;
      return NG__JT_COMMA;
    }
    if (*c == (kind == NG__JK_ARRAY ? ']' : '}')) {
    close:
      ng__json_direct_close_run(p, b, c, run);
      return NG__JD_CLOSED;
    }
    if (ws && *c <= ' ') {
      p->lx.cur = c = ng__json_skip_ws(c, end);
      if (c < end && *c == (kind == NG__JK_ARRAY ? ']' : '}'))
        goto close;
    }
  }
  return ng__json_advance(p);
}

/* ng__json_direct_after_in without the whitespace skip: the engines that
 * close a run of brackets (`run`) or one bracket a step. */
NG_INLINE int ng__json_direct_after(ng__json_parser *p, ng__json_builder *b,
                                    int kind, int run) {
  return ng__json_direct_after_in(p, b, kind, run, 0);
}

/* The iterative engine's ng__json_direct_value: integers inline. It
 * paid there by the clock (citm_catalog); the recursive and trampoline
 * engines lost 6-10 % on canada with it (its numbers, all doubles, then
 * pay for the integer part's inline read and for the scanner's call), so
 * the recursive engine reads only members' values so. */
NG_INLINE int ng__json_direct_value_ints(ng__json_parser *p,
                                         ng__json_builder *b) {
  return ng__json_direct_value(p, b, 1);
}

/* Where a value is expected: ng__json_direct_value when the parse has
 * the direct path, else the value's token read. */
NG_INLINE int ng__json_read_value(ng__json_parser *p) {
  if (p->direct)
    return ng__json_direct_value(p, ng__json_direct_of(p), 0);
  return ng__json_advance(p);
}

/* After a value inside the innermost container, of kind NG__JK_ARRAY or
 * NG__JK_OBJECT: ng__json_direct_after (with `run` when the engine keeps
 * no level of its own on that path) when the parse has the direct path,
 * else ng__json_advance_after_value. */
NG_INLINE int ng__json_read_after(ng__json_parser *p, int kind, int run) {
  if (p->direct)
    return ng__json_direct_after(p, ng__json_direct_of(p), kind, run);
  return ng__json_advance_after_value(p);
}

/* Where a key is expected: ng__json_direct_key when the parse has the
 * direct path, else the key's token read (ng__json_advance_key). */
NG_INLINE int ng__json_read_key(ng__json_parser *p) {
  if (p->direct)
    return ng__json_direct_key(p, ng__json_direct_of(p));
  return ng__json_advance_key(p);
}

#endif /* NG_PARSERS_JSON_DIRECT_H */
