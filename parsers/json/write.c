/*
 * parsers/json/write.c - the serializer: compact or pretty JSON text.
 *
 * The tree is walked in document order through its own links (down to
 * `head`, along sibling links, up from each last child), so any depth costs
 * O(1) machine stack; see dom.c. Output goes through a small buffer that either
 * grows on the heap (ng_json_write) or is handed to the caller's sink when
 * full (ng_json_write_cb).
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
#include "dom.h"

#define NG__WRITE_STREAM_BUF 256 /* stack buffer of ng_json_write_cb */
#define NG__WRITE_HEAP_FIRST 256 /* first heap buffer of ng_json_write */
#define NG__PRETTY_MAX_LEVELS 32 /* indent cap: 64 columns */

typedef struct writer {
  char *buf;           /* output buffer */
  size_t len;          /* bytes used in buf */
  size_t cap;          /* bytes in buf */
  const ng_alloc *alc; /* heap mode: buf's allocator */
  int (*sink)(void *ud, const char *data, size_t len); /* stream mode */
  void *ud;                                            /* passed to sink */
} writer;

/* ------------------------------------------------------------ buffer */

/* Stream mode: hands the buffered bytes to the sink. */
static int w_flush(writer *w) {
  if (w->len != 0 && w->sink(w->ud, w->buf, w->len) != 0)
    return NG_ECANCELED;
  w->len = 0;
  return NG_OK;
}

/* Makes room for need more bytes; in stream mode need <= cap. */
static NG_NOINLINE int w_room(writer *w, size_t need) {
  size_t cap;
  char *p;

  if (w->sink != NULL)
    return w_flush(w);
  if (ng__size_add(w->len, need, &cap) != NG_OK)
    return NG_ENOMEM;
  if (cap < w->cap * 2 && w->cap <= SIZE_MAX / 2)
    cap = w->cap * 2;
  p = ng__realloc(w->alc, w->buf, w->cap, cap);
  if (p == NULL)
    return NG_ENOMEM;
  w->buf = p;
  w->cap = cap;
  return NG_OK;
}

/* Guarantees n free bytes at buf + len (n <= NG__WRITE_STREAM_BUF). */
NG_INLINE int w_reserve(writer *w, size_t n) {
  return w->cap - w->len >= n ? NG_OK : w_room(w, n);
}

static int w_put(writer *w, const char *p, size_t n) {
  int rc;

  if (n == 0) /* p may be NULL then */
    return NG_OK;
  if (w->cap - w->len < n) {
    if (w->sink != NULL && n >= w->cap) { /* big: bypass the buffer */
      if ((rc = w_flush(w)) != NG_OK)
        return rc;
      return w->sink(w->ud, p, n) != 0 ? NG_ECANCELED : NG_OK;
    }
    if ((rc = w_room(w, n)) != NG_OK)
      return rc;
  }
  memcpy(w->buf + w->len, p, n);
  w->len += n;
  return NG_OK;
}

NG_INLINE int w_byte(writer *w, char c) {
  int rc = w_reserve(w, 1);

  if (rc == NG_OK)
    w->buf[w->len++] = c;
  return rc;
}

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
static int w_string(writer *w, const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, run = 0, k, used;
  char e[6];
  int rc;

  if (n == 0) /* s may be NULL then */
    return w_put(w, "\"\"", 2);
  if ((rc = w_byte(w, '"')) != NG_OK)
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
    if ((rc = w_put(w, s + run, i - run)) != NG_OK ||
        (rc = w_put(w, e, k)) != NG_OK)
      return rc;
    i += used;
    run = i;
  }
  if ((rc = w_put(w, s + run, n - run)) != NG_OK)
    return rc;
  return w_byte(w, '"');
}

/* ------------------------------------------------------------ values */

static int w_scalar(writer *w, const ng_json_value *v) {
  int rc = w_reserve(w, NG__JSON_NUM_MAX);
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
    return w_string(w, v->as.s, v->len);
  default:
    return NG_EINVAL; /* not a node type */
  }
  w->len += n;
  return NG_OK;
}

/* Pretty mode: a newline and the indent of `depth` levels (capped). */
static int w_newline(writer *w, size_t depth) {
  static const char nl[] = "\n                                "
                           "                                ";
  size_t lv = depth < NG__PRETTY_MAX_LEVELS ? depth : NG__PRETTY_MAX_LEVELS;

  _Static_assert(sizeof nl - 1 == 1 + 2 * NG__PRETTY_MAX_LEVELS,
                 "indent string matches the cap");
  return w_put(w, nl, 1 + 2 * lv);
}

static bool is_container(const ng_json_value *v) {
  return v->type == NG_JSON_ARRAY || v->type == NG_JSON_OBJECT;
}

/* A member's key and separator: "key": (with a space when pretty). */
static int w_key(writer *w, const ng_json_value *v, bool pretty) {
  size_t len;
  const char *key = ng_json_key(v, &len);
  int rc = w_string(w, key, len);

  if (rc != NG_OK)
    return rc;
  return pretty ? w_put(w, ": ", 2) : w_byte(w, ':');
}

/*
 * Serializes the subtree at root in document order. On entering a node
 * its key (for object members) and its text or opening bracket go out;
 * when the last child of a container is done the walk climbs, closing one
 * container per level.
 */
static int w_tree(writer *w, const ng_json_value *root, bool pretty) {
  const ng_json_value *v = root;
  size_t depth = 0;
  int rc;

  for (;;) {
    if (v != root && (v->flags & NG_JSON__KEY) && /* an object's member */
        (rc = w_key(w, v, pretty)) != NG_OK)
      return rc;
    if (is_container(v)) {
      if ((rc = w_byte(w, v->type == NG_JSON_ARRAY ? '[' : '{')) != NG_OK)
        return rc;
      if (v->as.head != NULL) {
        depth++;
        if (pretty && (rc = w_newline(w, depth)) != NG_OK)
          return rc;
        v = v->as.head;
        continue;
      }
      rc = w_byte(w, v->type == NG_JSON_ARRAY ? ']' : '}');
    } else {
      rc = w_scalar(w, v);
    }
    if (rc != NG_OK)
      return rc;
    while (v != root && (v->flags & NG_JSON__LAST)) {
      v = v->link;
      depth--;
      if (pretty && (rc = w_newline(w, depth)) != NG_OK)
        return rc;
      if ((rc = w_byte(w, v->type == NG_JSON_ARRAY ? ']' : '}')) != NG_OK)
        return rc;
    }
    if (v == root)
      return NG_OK;
    if ((rc = w_byte(w, ',')) != NG_OK)
      return rc;
    if (pretty && (rc = w_newline(w, depth)) != NG_OK)
      return rc;
    v = v->link;
  }
}

/* ------------------------------------------------------------ public */

int ng_json_write(const ng_json_value *v, unsigned flags, const ng_alloc *alc,
                  char **out, size_t *len) {
  writer w;
  char *p;
  int rc;

  if (out != NULL)
    *out = NULL;
  if (len != NULL)
    *len = 0;
  if (v == NULL || out == NULL || (flags & ~NG_JSON_WRITE_PRETTY) != 0)
    return NG_EINVAL;
  memset(&w, 0, sizeof w);
  w.alc = alc;
  w.buf = ng__malloc(alc, NG__WRITE_HEAP_FIRST);
  if (w.buf == NULL)
    return NG_ENOMEM;
  w.cap = NG__WRITE_HEAP_FIRST;
  rc = w_tree(&w, v, (flags & NG_JSON_WRITE_PRETTY) != 0);
  if (rc == NG_OK && (rc = w_byte(&w, '\0')) == NG_OK) {
    /* The caller frees len + 1 bytes: the block must be exactly that. */
    p = w.cap == w.len ? w.buf : ng__realloc(alc, w.buf, w.cap, w.len);
    if (p == NULL) {
      rc = NG_ENOMEM;
    } else {
      *out = p;
      if (len != NULL)
        *len = w.len - 1;
      return NG_OK;
    }
  }
  ng__free(alc, w.buf, w.cap);
  return rc;
}

int ng_json_write_cb(const ng_json_value *v, unsigned flags,
                     int (*sink)(void *ud, const char *data, size_t len),
                     void *ud) {
  char buf[NG__WRITE_STREAM_BUF];
  writer w;
  int rc;

  if (v == NULL || sink == NULL || (flags & ~NG_JSON_WRITE_PRETTY) != 0)
    return NG_EINVAL;
  memset(&w, 0, sizeof w);
  w.buf = buf;
  w.cap = sizeof buf;
  w.sink = sink;
  w.ud = ud;
  rc = w_tree(&w, v, (flags & NG_JSON_WRITE_PRETTY) != 0);
  if (rc == NG_OK)
    rc = w_flush(&w);
  return rc;
}
