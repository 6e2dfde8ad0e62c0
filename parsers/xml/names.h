/*
 * parsers/xml/names.h - the names of the open elements, kept for matching
 * end tags: one stack per parse, shared by every engine.
 *
 * A START's name lives in the lexer only until the next token, so the
 * element's name is copied here when it opens and compared with its END
 * when it closes (engine.h's emit helpers do both, so every engine matches
 * tags the same way). Each entry is the name's bytes followed by its
 * length: one byte below NG__XML_SHORT_NAME, else the length as a size_t
 * and a byte NG__XML_SHORT_NAME (read from the top, the last byte says
 * which). An open element costs its name plus one byte (names of 128
 * bytes or more: plus 9) on the heap (common/gstack.h), nothing on the
 * machine stack, at any depth.
 */
#ifndef NG_PARSERS_XML_NAMES_H
#define NG_PARSERS_XML_NAMES_H

#include <stdint.h>
#include <string.h>

#include "../common/gstack.h"

/* A name shorter than this is stacked with a one-byte length. */
#define NG__XML_SHORT_NAME 0x80u

/* Pushes name[0..n): NG_OK or NG_ENOMEM (stack unchanged). */
NG_INLINE int ng__xml_names_push(ng__gstack *st, const char *name, size_t n) {
  size_t extra = n < NG__XML_SHORT_NAME ? 1 : 1 + sizeof n;
  unsigned char *d;

  if (NG_UNLIKELY(n > SIZE_MAX - extra - st->top) ||
      (d = (unsigned char *)ng__gstack_push(st, n + extra)) == NULL)
    return NG_ENOMEM;
  memcpy(d, name, n);
  if (NG_LIKELY(extra == 1)) {
    d[n] = (unsigned char)n;
  } else {
    memcpy(d + n, &n, sizeof n);
    d[n + sizeof n] = NG__XML_SHORT_NAME;
  }
  return NG_OK;
}

/* Pops the innermost name (the stack holds one); returns its bytes, valid
 * until the next push, and its length in *n. */
NG_INLINE const char *ng__xml_names_pop(ng__gstack *st, size_t *n) {
  const unsigned char *top = (const unsigned char *)ng__gstack_peek(st, 1);
  size_t len = *top, extra = 1;

  if (len == NG__XML_SHORT_NAME) {
    memcpy(&len, top - sizeof len, sizeof len);
    extra += sizeof len;
  }
  *n = len;
  return (const char *)ng__gstack_pop(st, len + extra);
}

#endif /* NG_PARSERS_XML_NAMES_H */
