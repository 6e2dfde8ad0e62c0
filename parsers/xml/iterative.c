/*
 * parsers/xml/iterative.c - the iterative XML engine: a loop over tokens
 * with an explicit stack of the open elements' names.
 *
 * Control flow only (engine.h): the grammar state says which token kinds
 * may come; a START pushes its element's name (copied: the token's bytes
 * live only until the next token), an END pops it and the emit helper
 * matches the two. Each stack entry is the name's bytes followed by its
 * length (push_name), so the stack costs
 * the name and one byte per open element (names of 128 bytes or more: 9)
 * on the heap (common/gstack.h) and nothing on the machine stack, at any
 * depth. A loop, not a goto state machine: the grammar table holds the
 * states.
 */
#include <string.h>

#include "../common/gstack.h"
#include "engine.h"

/* A name shorter than this is stacked with a one-byte length. */
#define NG__XML_SHORT_NAME 0x80u

/* Pushes the current START's name: its bytes, then its length in one byte
 * below NG__XML_SHORT_NAME, else as a size_t and a byte 0x80 (read back
 * from the top, the last byte says which). NG_OK or NG_ENOMEM (recorded). */
static int push_name(ng__xml_parser *p, ng__gstack *st) {
  size_t n = p->tok.name_len, extra = n < NG__XML_SHORT_NAME ? 1 : 1 + sizeof n;
  unsigned char *d;

  if (n > SIZE_MAX - extra - st->top ||
      (d = ng__gstack_push(st, n + extra)) == NULL)
    return ng__xml_fail_here(p, NG_ENOMEM);
  memcpy(d, p->tok.name, n);
  if (extra == 1) {
    d[n] = (unsigned char)n;
  } else {
    memcpy(d + n, &n, sizeof n);
    d[n + sizeof n] = NG__XML_SHORT_NAME;
  }
  return NG_OK;
}

/* Pops the innermost open element's name and matches the END with it. */
static int pop_name(ng__xml_parser *p, ng__gstack *st) {
  const unsigned char *top = ng__gstack_peek(st, 1);
  size_t n = *top, extra = 1;

  if (n == NG__XML_SHORT_NAME) {
    memcpy(&n, top - sizeof n, sizeof n);
    extra += sizeof n;
  }
  return ng__xml_emit_end(p, (const char *)ng__gstack_pop(st, n + extra), n);
}

/* One accepted token in state *want; NG_OK or the recorded error. */
static int step(ng__xml_parser *p, ng__gstack *st, int *want) {
  int rc = NG_OK;

  switch (p->tok.kind) {
  case NG__XT_XMLDECL:
    return NG_OK;
  case NG__XT_DOCTYPE:
    *want = NG__XX_DOCTYPE;
    return ng__xml_emit_misc(p);
  case NG__XT_START:
    rc = ng__xml_emit_start(p);
    if (rc == NG_OK && !(p->tok.flags & NG__XTF_EMPTY))
      rc = push_name(p, st);
    break;
  case NG__XT_END:
    rc = pop_name(p, st); /* the lexer gives END only inside an element */
    break;
  default:
    return ng__xml_emit_misc(p);
  }
  *want = ng__xml_after_element(p);
  return rc;
}

int ng__xml_run_iterative(ng__xml_parser *p) {
  unsigned char inl[256];
  ng__gstack st;
  int want = NG__XX_PROLOG, rc = NG_OK, kind;

  ng__gstack_init(&st, p->c.alc, inl, sizeof inl);
  for (;;) {
    kind = ng__xml_advance(p);
    if (NG_UNLIKELY(!ng__parse_accepts(&p->c, want, kind))) {
      rc = ng__xml_unexpected(p, want);
      break;
    }
    if (kind == NG__XT_EOF) {
      rc = ng__xml_emit_finish(p);
      break;
    }
    rc = step(p, &st, &want);
    if (rc != NG_OK)
      break;
  }
  ng__gstack_free(&st);
  return rc;
}
