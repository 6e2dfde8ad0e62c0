/*
 * fuzz/xml_encoding.c - one document in every encoding gives one answer.
 *
 * The input is the body of a document in UTF-8. If it is valid UTF-8
 * (no surrogates, no overlong forms) and has no XML declaration of its
 * own, it is parsed as UTF-8 and again transcoded to
 *   - UTF-16LE and UTF-16BE, each with a BOM and no declaration,
 *   - UTF-16LE and UTF-16BE without a BOM, under a declaration naming
 *     the encoding,
 *   - ISO-8859-1 under a declaration, when every character is U+00FF or
 *     below.
 * Each input tries two of these forms, picked by its hash (replays pick
 * the same). Declared forms are compared with the UTF-8 body under a UTF-8
 * declaration of the same length in characters (padded with spaces), so
 * character positions line up. Every form must give the DOM of its UTF-8
 * reference (ng_xml_equal), or its error code, line and depth with the
 * offset mapped back: the error's character index in the reference,
 * converted to that encoding's bytes (plus its BOM), is the reported
 * offset. The error must fall on a character boundary in both.
 */
#include "fuzz_xml.h"

#include <stdlib.h>
#include <string.h>

/* Declarations, all 44 characters long before the body. */
#define XE_DECL_LEN 44
static const char xe_decl_utf8[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"      ?>";
static const char xe_decl_le[] =
    "<?xml version=\"1.0\" encoding=\"UTF-16LE\"   ?>";
static const char xe_decl_be[] =
    "<?xml version=\"1.0\" encoding=\"UTF-16BE\"   ?>";
static const char xe_decl_latin1[] =
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>";

typedef enum xe_enc { XE_UTF16LE, XE_UTF16BE, XE_LATIN1 } xe_enc;

/* One UTF-8 character at s[0..n): its code point and length, or 0
 * length when it is not valid UTF-8 (overlong, surrogate, cut). */
static size_t xe_utf8(const uint8_t *s, size_t n, uint32_t *cp) {
  size_t len, i;
  uint32_t c = s[0];

  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (len == 0 || c > 0xF4 || len > n)
    return 0;
  c &= 0x3Fu >> (len - 1);
  for (i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    c = c << 6 | (s[i] & 0x3Fu);
  }
  if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
      (c >= 0xD800 && c <= 0xDFFF))
    return 0;
  *cp = c;
  return len;
}

/* The input as code points; NULL when it is not valid UTF-8. */
static uint32_t *xe_decode(const uint8_t *d, size_t n, size_t *count,
                           uint32_t *max) {
  uint32_t *cps = malloc((n ? n : 1) * sizeof *cps);
  size_t i = 0, k = 0, len;

  *max = 0;
  while (cps != NULL && i < n) {
    len = xe_utf8(d + i, n - i, &cps[k]);
    if (len == 0) {
      free(cps);
      return NULL;
    }
    if (cps[k] > *max)
      *max = cps[k];
    i += len;
    k++;
  }
  *count = k;
  return cps;
}

/* Bytes of code point c in encoding e (UTF-8 when utf8). */
static size_t xe_width(uint32_t c, xe_enc e, int utf8) {
  if (utf8)
    return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  if (e == XE_LATIN1)
    return 1;
  return c >= 0x10000 ? 4 : 2;
}

static void xe_put16(ng_fuzz_buf *b, uint32_t u, int be) {
  char two[2];

  two[be ? 0 : 1] = (char)(u >> 8);
  two[be ? 1 : 0] = (char)(u & 0xFF);
  (void)ng_fuzz_put(b, two, 2);
}

static void xe_put(ng_fuzz_buf *b, uint32_t c, xe_enc e) {
  char one;

  if (e == XE_LATIN1) {
    one = (char)c;
    (void)ng_fuzz_put(b, &one, 1);
  } else if (c >= 0x10000) {
    xe_put16(b, 0xD800 + ((c - 0x10000) >> 10), e == XE_UTF16BE);
    xe_put16(b, 0xDC00 + ((c - 0x10000) & 0x3FF), e == XE_UTF16BE);
  } else {
    xe_put16(b, c, e == XE_UTF16BE);
  }
}

/* One form of the document: how it is spelled and what it stands for. */
typedef struct xe_form {
  const char *name; /* for reports */
  xe_enc enc;       /* the encoding of the body */
  int bom;          /* 1: a BOM, no declaration; 0: a declaration */
} xe_form;

static const xe_form xe_forms[] = {
    {"UTF-16LE+BOM", XE_UTF16LE, 1},   {"UTF-16BE+BOM", XE_UTF16BE, 1},
    {"UTF-16LE decl", XE_UTF16LE, 0},  {"UTF-16BE decl", XE_UTF16BE, 0},
    {"ISO-8859-1 decl", XE_LATIN1, 0},
};

#define XE_NFORMS (sizeof xe_forms / sizeof xe_forms[0])

static const char *xe_decl(xe_enc e) {
  return e == XE_UTF16LE   ? xe_decl_le
         : e == XE_UTF16BE ? xe_decl_be
                           : xe_decl_latin1;
}

/* Writes form f of the body cps[0..n) into b. */
static void xe_encode(ng_fuzz_buf *b, const xe_form *f, const uint32_t *cps,
                      size_t n) {
  size_t i;

  if (f->bom)
    xe_put(b, 0xFEFF, f->enc);
  for (i = 0; !f->bom && i < XE_DECL_LEN; i++)
    xe_put(b, (uint8_t)xe_decl(f->enc)[i], f->enc);
  for (i = 0; i < n; i++)
    xe_put(b, cps[i], f->enc);
}

/* The byte offset in form f of the character at UTF-8 offset off of the
 * reference (whose first `skip` characters precede the body); (size_t)-1
 * when off is inside a character. */
static size_t xe_map(const uint32_t *cps, size_t n, size_t skip, size_t off,
                     const xe_form *f) {
  size_t i, u8 = skip;
  size_t out =
      f->bom ? xe_width(0xFEFF, f->enc, 0) : skip * xe_width('<', f->enc, 0);

  for (i = 0; i < n && u8 < off; i++) {
    u8 += xe_width(cps[i], f->enc, 1);
    out += xe_width(cps[i], f->enc, 0);
  }
  return u8 == off ? out : (size_t)-1;
}

typedef struct xe_parse {
  int rc;
  ng_xml_doc *doc;
  ng_error err;
} xe_parse;

static void xe_run(xe_parse *p, const char *data, size_t n) {
  memset(p, 0, sizeof *p);
  p->rc = ng_xml_parse(data, n, NULL, &p->doc, &p->err);
}

/* Form f against its UTF-8 reference ref. */
static int xe_compare(const xe_form *f, const xe_parse *ref,
                      const xe_parse *got, const uint32_t *cps, size_t n) {
  size_t skip = f->bom ? 0 : XE_DECL_LEN, want;
  char a[160], b[160];

  if (ref->rc == NG_OK && got->rc == NG_OK) {
    if (ng_xml_equal(ng_xml_doc_node(ref->doc), ng_xml_doc_node(got->doc)))
      return 0;
    ng_fuzz_fail("encoding: %s gives another DOM than UTF-8", f->name);
    return -1;
  }
  want = ref->rc == NG_OK ? 0 : xe_map(cps, n, skip, ref->err.offset, f);
  if (ref->rc == got->rc && got->err.offset == want &&
      got->err.line == ref->err.line && got->err.depth == ref->err.depth)
    return 0;
  ng_fuzz_fail(
      "encoding: UTF-8 %s, %s %s (offset %zu expected)",
      ref->rc == NG_OK ? "OK" : ng_fuzz_error_str(&ref->err, a, sizeof a),
      f->name,
      got->rc == NG_OK ? "OK" : ng_fuzz_error_str(&got->err, b, sizeof b),
      want);
  return -1;
}

/* Parses form f and compares it with its reference (refs[0]: the body,
 * for the BOM forms; refs[1]: the body under the UTF-8 declaration). */
static int xe_form_check(const xe_form *f, const xe_parse *refs,
                         const uint32_t *cps, size_t n) {
  ng_fuzz_buf enc = {NULL, 0, 0, 0};
  xe_parse pg;
  int ret = 0;

  xe_encode(&enc, f, cps, n);
  if (enc.p == NULL || enc.oom)
    goto done; /* harness out of memory */
  xe_run(&pg, enc.p, enc.n);
  if (ng_fuzz_xml_check_result(f->name, (const uint8_t *)enc.p, enc.n, pg.rc,
                               pg.doc, &pg.err) != 0)
    ret = -1;
  else
    ret = xe_compare(f, &refs[f->bom ? 0 : 1], &pg, cps, n);
  ng_xml_doc_free(pg.doc);
done:
  free(enc.p);
  return ret;
}

/* The two UTF-8 references, parsed once. Returns 0, or -1 when the
 * harness is out of memory. */
static int xe_refs(const uint8_t *data, size_t size, xe_parse *refs) {
  ng_fuzz_buf decl = {NULL, 0, 0, 0};

  memset(refs, 0, 2 * sizeof *refs);
  if (ng_fuzz_put(&decl, xe_decl_utf8, XE_DECL_LEN) != 0 ||
      ng_fuzz_put(&decl, (const char *)data, size) != 0) {
    free(decl.p);
    return -1;
  }
  xe_run(&refs[0], ng_fuzz_chars(data, size), size);
  xe_run(&refs[1], decl.p, decl.n);
  free(decl.p);
  return 0;
}

int ng_fuzz_xml_encoding(const uint8_t *data, size_t size) {
  xe_parse refs[2];
  uint32_t *cps, max;
  uint64_t h;
  size_t n, i;
  int ret = 0;

  if ((size >= 5 && memcmp(data, "<?xml", 5) == 0) ||
      (size > 0 && memchr(data, 0, size < 4 ? size : 4) != NULL))
    return 0; /* its own declaration would contradict the forms; NULs up
                 front make the UTF-8 reference read as UTF-16 or -32 */
  cps = xe_decode(data, size, &n, &max);
  if (cps == NULL || (n > 0 && cps[0] == 0xFEFF) ||
      xe_refs(data, size, refs) != 0) {
    free(cps);
    return 0;
  }
  /* Two forms per input, chosen by its hash (the same ones on replay):
   * every form is tried across a queue, at a third of the cost. */
  h = ng_fuzz_hash(data, size);
  for (i = 0; i < XE_NFORMS && ret == 0; i++)
    if ((i == h % XE_NFORMS || i == (h / XE_NFORMS) % XE_NFORMS) &&
        (xe_forms[i].enc != XE_LATIN1 || max <= 0xFF))
      ret = xe_form_check(&xe_forms[i], refs, cps, n);
  ng_xml_doc_free(refs[0].doc);
  ng_xml_doc_free(refs[1].doc);
  free(cps);
  return ret;
}

NG_FUZZ_ENTRY(ng_fuzz_xml_encoding)
