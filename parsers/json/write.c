/*
 * parsers/json/write.c - the serializer: compact or pretty JSON text.
 *
 * The tree is walked in document order through its own links (down to
 * the first child, along to the next sibling, up from each last child), so
 * any depth costs O(1) machine stack; see dom.c. Output goes through a small buffer that either
 * grows on the heap (ng_json_write) or is handed to the caller's sink when
 * full (ng_json_write_cb): parsers/common/outbuf.h, shared with the XML
 * writer.
 *
 * Output decisions:
 * - Strings: '"' and '\\' escaped; \b \f \n \r \t in their short forms,
 *   other bytes below 0x20 (U+0000 included) as \u00XX; everything else,
 *   UTF-8 included, byte for byte. A surrogate code point encoded in UTF-8
 *   (which only ALLOW_LONE_SURROGATES parses produce, as WTF-8) is written
 *   as a \uDXXX escape so that the text stays valid UTF-8 and re-parses,
 *   with that flag, to the same bytes.
 * - Numbers: INT and UINT exact; DOUBLE as the shortest decimal that reads
 *   back as the same double, always with a '.' or an exponent so that it
 *   re-parses as a DOUBLE ("2.0", "1e300", "-0.0"); see dtoa.c. NaN and
 *   infinities have no JSON form: writing one fails with NG_EINVAL.
 * - Pretty: two spaces per level, one element or member per line,
 *   "key": value, empty containers as [] and {}, no final newline. The
 *   indent stops growing at NG__PRETTY_MAX_LEVELS levels: unbounded indent
 *   makes the output quadratic in the depth (10^7 levels would need about
 *   10^14 bytes); capped, it stays linear (about 66 bytes a level at most).
 */
#include <string.h>

#include "internal.h"
#include "../common/outbuf.h"
#include "dom.h"

#define NG__WRITE_STREAM_BUF 256 /* stack buffer of ng_json_write_cb */
#define NG__WRITE_HEAP_FIRST 256 /* first heap buffer of ng_json_write */
#define NG__PRETTY_MAX_LEVELS 32 /* indent cap: 64 columns */

/* ----------------------------------------------------------- strings */

/* 1 for bytes that end a run of verbatim string bytes: controls, '"',
 * '\\', and 0xED (which may start an encoded surrogate). */
static const unsigned char esc_byte[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10 */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20 '"' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x30 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50 '\\' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x70 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x80 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x90 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xA0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xB0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xC0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xD0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, /* 0xE0 0xED */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xF0 */
};

static const char hex_digits[] = "0123456789abcdef";

/*
 * Writes the escape for the byte(s) at p[0..n) (p[0] is flagged in
 * esc_byte) into out; returns its length and sets *used to the bytes it
 * stands for, or returns 0 when p[0] is 0xED not starting a surrogate.
 */
static size_t escape(const unsigned char *p, size_t n, char *out,
                     size_t *used) {
  static const char short_esc[32] = {0, 0,   0,   0, 0, 0, 0, 0, 'b', 't', 'n',
                                     0, 'f', 'r', 0, 0, 0, 0, 0, 0,   0,   0,
                                     0, 0,   0,   0, 0, 0, 0, 0, 0,   0};
  unsigned cp;

  *used = 1;
  out[0] = '\\';
  if (p[0] == '"' || p[0] == '\\') {
    out[1] = (char)p[0];
    return 2;
  }
  if (p[0] < 0x20) {
    if (short_esc[p[0]] != 0) {
      out[1] = short_esc[p[0]];
      return 2;
    }
    cp = p[0];
  } else { /* 0xED: U+D800..U+DFFF is ED A0..BF 80..BF */
    if (n < 3 || p[1] < 0xA0 || p[1] > 0xBF || (p[2] & 0xC0) != 0x80)
      return 0;
    cp = 0xD000u | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3Fu);
    *used = 3;
  }
  out[1] = 'u';
  out[2] = hex_digits[cp >> 12];
  out[3] = hex_digits[cp >> 8 & 0xF];
  out[4] = hex_digits[cp >> 4 & 0xF];
  out[5] = hex_digits[cp & 0xF];
  return 6;
}

/* Broadcast byte, and SWAR tests on 8 bytes at once: "some byte is zero"
 * and "some byte is below b" (b <= 0x80). They may flag a byte after a
 * real hit (borrows), never miss one; callers only use them to skip clean
 * blocks. */
#define NG__B8(b) ((uint64_t)0x0101010101010101u * (b))
#define NG__HASZERO(x) (((x)-NG__B8(1)) & ~(x)&NG__B8(0x80))
#define NG__HASLESS(x, b) (((x)-NG__B8(b)) & ~(x)&NG__B8(0x80))

/* Length of the prefix of p[0..n) free of bytes flagged in esc_byte,
 * rounded down to whole 8-byte blocks; the byte loop does the rest. */
static size_t clean_blocks(const unsigned char *p, size_t n) {
  size_t i = 0;

  for (; i + 8 <= n; i += 8) {
    uint64_t x;
    memcpy(&x, p + i, 8);
    if ((NG__HASLESS(x, 0x20) | NG__HASZERO(x ^ NG__B8('"')) |
         NG__HASZERO(x ^ NG__B8('\\')) | NG__HASZERO(x ^ NG__B8(0xED))) != 0)
      break;
  }
  return i;
}

/* Writes s[0..n) as a quoted JSON string; verbatim runs are copied whole. */
static int w_string(ng__out *w, const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, run = 0, k, used;
  char e[6];
  int rc;

  if (n == 0) /* s may be NULL then */
    return ng__out_put(w, "\"\"", 2);
  if ((rc = ng__out_byte(w, '"')) != NG_OK)
    return rc;
  while (i < n) {
    i += clean_blocks(p + i, n - i);
    while (i < n && !esc_byte[p[i]])
      i++;
    if (i == n)
      break;
    k = escape(p + i, n - i, e, &used);
    if (k == 0) { /* 0xED starting an ordinary character */
      i++;
      continue;
    }
    if ((rc = ng__out_put(w, s + run, i - run)) != NG_OK ||
        (rc = ng__out_put(w, e, k)) != NG_OK)
      return rc;
    i += used;
    run = i;
  }
  if ((rc = ng__out_put(w, s + run, n - run)) != NG_OK)
    return rc;
  return ng__out_byte(w, '"');
}

/* ------------------------------------------------------------ values */

static int w_scalar(ng__out *w, const ng_json_value *v) {
  int rc = ng__out_reserve(w, NG__JSON_NUM_MAX);
  char *p = w->buf + w->len;
  size_t n;

  if (rc != NG_OK)
    return rc;
  switch (v->type) {
  case NG_JSON_NULL:
    memcpy(p, "null", n = 4);
    break;
  case NG_JSON_BOOL:
    if (v->as.b)
      memcpy(p, "true", n = 4);
    else
      memcpy(p, "false", n = 5);
    break;
  case NG_JSON_INT:
    n = ng__json_itoa(v->as.i, p);
    break;
  case NG_JSON_UINT:
    n = ng__json_utoa(v->as.u, p);
    break;
  case NG_JSON_DOUBLE:
    n = ng__json_dtoa(v->as.d, p);
    if (n == 0)
      return NG_EINVAL; /* NaN or infinity */
    break;
  case NG_JSON_STRING:
    return w_string(w, v->as.s, ng_json_len(v));
  default:
    return NG_EINVAL; /* not a node type */
  }
  w->len += n;
  return NG_OK;
}

/* Pretty mode: a newline and the indent of `depth` levels (capped). */
static int w_newline(ng__out *w, size_t depth) {
  static const char nl[] = "\n                                "
                           "                                ";
  size_t lv = depth < NG__PRETTY_MAX_LEVELS ? depth : NG__PRETTY_MAX_LEVELS;

  _Static_assert(sizeof nl - 1 == 1 + 2 * NG__PRETTY_MAX_LEVELS,
                 "indent string matches the cap");
  return ng__out_put(w, nl, 1 + 2 * lv);
}

static bool is_container(const ng_json_value *v) {
  return v->type == NG_JSON_ARRAY || v->type == NG_JSON_OBJECT;
}

/* A member's key and separator: "key": (with a space when pretty). */
static int w_key(ng__out *w, const ng_json_value *v, bool pretty) {
  size_t len;
  const char *key = ng_json_key(v, &len);
  int rc = w_string(w, key, len);

  if (rc != NG_OK)
    return rc;
  return pretty ? ng__out_put(w, ": ", 2) : ng__out_byte(w, ':');
}

/*
 * Serializes the subtree at root in document order. On entering a node
 * its key (for object members) and its text or opening bracket go out;
 * when the last child of a container is done the walk climbs, closing one
 * container per level.
 */
static int w_tree(ng__out *w, const ng_json_value *root, bool pretty) {
  const ng_json_value *v = root;
  size_t depth = 0;
  int rc;

  for (;;) {
    if (v != root && (v->flags & NG_JSON__KEY) && /* an object's member */
        (rc = w_key(w, v, pretty)) != NG_OK)
      return rc;
    if (is_container(v)) {
      if ((rc = ng__out_byte(w, v->type == NG_JSON_ARRAY ? '[' : '{')) != NG_OK)
        return rc;
      if (v->as.c.span != 0) {
        depth++;
        if (pretty && (rc = w_newline(w, depth)) != NG_OK)
          return rc;
        v = ng_json_first(v);
        continue;
      }
      rc = ng__out_byte(w, v->type == NG_JSON_ARRAY ? ']' : '}');
    } else {
      rc = w_scalar(w, v);
    }
    if (rc != NG_OK)
      return rc;
    while (v != root && (v->flags & NG_JSON__LAST)) {
      v = ng_json_parent(v);
      depth--;
      if (pretty && (rc = w_newline(w, depth)) != NG_OK)
        return rc;
      if ((rc = ng__out_byte(w, v->type == NG_JSON_ARRAY ? ']' : '}')) != NG_OK)
        return rc;
    }
    if (v == root)
      return NG_OK;
    if ((rc = ng__out_byte(w, ',')) != NG_OK)
      return rc;
    if (pretty && (rc = w_newline(w, depth)) != NG_OK)
      return rc;
    v = ng_json_next(v);
  }
}

/* ------------------------------------------------------------ public */

int ng_json_write(const ng_json_value *v, unsigned flags, const ng_alloc *alc,
                  char **out, size_t *len) {
  ng__out w;

  if (out != NULL)
    *out = NULL;
  if (len != NULL)
    *len = 0;
  if (v == NULL || out == NULL || (flags & ~NG_JSON_WRITE_PRETTY) != 0)
    return NG_EINVAL;
  if (ng__out_heap(&w, alc, NG__WRITE_HEAP_FIRST) != NG_OK)
    return NG_ENOMEM;
  return ng__out_take(&w, w_tree(&w, v, (flags & NG_JSON_WRITE_PRETTY) != 0),
                      out, len);
}

int ng_json_write_cb(const ng_json_value *v, unsigned flags,
                     int (*sink)(void *ud, const char *data, size_t len),
                     void *ud) {
  char buf[NG__WRITE_STREAM_BUF];
  ng__out w;
  int rc;

  if (v == NULL || sink == NULL || (flags & ~NG_JSON_WRITE_PRETTY) != 0)
    return NG_EINVAL;
  ng__out_stream(&w, buf, sizeof buf, sink, ud);
  rc = w_tree(&w, v, (flags & NG_JSON_WRITE_PRETTY) != 0);
  if (rc == NG_OK)
    rc = ng__out_flush(&w);
  return rc;
}
