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
 * Each input tries one of these forms, picked by its hash (replays pick
 * the same; the queue tries them all). Declared forms are compared with the UTF-8 body under a UTF-8
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

/* Writes code unit u at o in the byte order asked for. */
static void xe_put16(char *o, uint32_t u, int be) {
  o[be ? 0 : 1] = (char)(u >> 8);
  o[be ? 1 : 0] = (char)(u & 0xFF);
}

/* Writes code point c in encoding e at o; returns the bytes written. */
static size_t xe_put(char *o, uint32_t c, xe_enc e) {
  if (e == XE_LATIN1) {
    *o = (char)c;
    return 1;
  }
  if (c < 0x10000) {
    xe_put16(o, c, e == XE_UTF16BE);
    return 2;
  }
  xe_put16(o, 0xD800 + ((c - 0x10000) >> 10), e == XE_UTF16BE);
  xe_put16(o + 2, 0xDC00 + ((c - 0x10000) & 0x3FF), e == XE_UTF16BE);
  return 4;
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

/* Form f of the body cps[0..n) in a block of exactly its size (so the
 * sanitizers see a read past its end), one allocation and no copies;
 * NULL when the harness is out of memory. */
static char *xe_encode(const xe_form *f, const uint32_t *cps, size_t n,
                       size_t *len) {
  size_t i, size = f->bom ? xe_width(0xFEFF, f->enc, 0)
                          : XE_DECL_LEN * xe_width('<', f->enc, 0);
  char *o;

  for (i = 0; i < n; i++)
    size += xe_width(cps[i], f->enc, 0);
  o = malloc(size ? size : 1);
  if (o == NULL)
    return NULL;
  *len = 0;
  if (f->bom)
    *len += xe_put(o, 0xFEFF, f->enc);
  for (i = 0; !f->bom && i < XE_DECL_LEN; i++)
    *len += xe_put(o + *len, (uint8_t)xe_decl(f->enc)[i], f->enc);
  for (i = 0; i < n; i++)
    *len += xe_put(o + *len, cps[i], f->enc);
  return o;
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
  int rc;          /* parse result */
  ng_xml_doc *doc; /* document on NG_OK */
  ng_error err;    /* error on failure */
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

/* Parses the UTF-8 reference of form f: the body for the BOM forms, the
 * body under the UTF-8 declaration for the declared ones. Returns 0, or
 * -1 when the harness is out of memory. */
static int xe_ref(const xe_form *f, const uint8_t *data, size_t size,
                  xe_parse *ref) {
  char *decl;

  if (f->bom) {
    xe_run(ref, ng_fuzz_chars(data, size), size);
    return 0;
  }
  decl = malloc(XE_DECL_LEN + size);
  if (decl == NULL)
    return -1;
  memcpy(decl, xe_decl_utf8, XE_DECL_LEN);
  if (size > 0)
    memcpy(decl + XE_DECL_LEN, data, size);
  xe_run(ref, decl, XE_DECL_LEN + size);
  free(decl);
  return 0;
}

/* Parses form f and compares it with its UTF-8 reference. */
static int xe_form_check(const xe_form *f, const uint8_t *data, size_t size,
                         const uint32_t *cps, size_t n) {
  xe_parse ref, pg;
  size_t len;
  char *enc;
  int ret = 0;

  if (xe_ref(f, data, size, &ref) != 0)
    return 0; /* harness out of memory */
  enc = xe_encode(f, cps, n, &len);
  if (enc == NULL)
    goto done;
  xe_run(&pg, enc, len);
  ret = ng_fuzz_xml_check_result(f->name, (const uint8_t *)enc, len, pg.rc,
                                 pg.doc, &pg.err);
  if (ret == 0)
    ret = xe_compare(f, &ref, &pg, cps, n);
  ng_xml_doc_free(pg.doc);
  free(enc);
done:
  ng_xml_doc_free(ref.doc);
  return ret;
}

/* The form an input is tried in, picked by its hash among those that
 * can spell it (ISO-8859-1, the last, only up to U+00FF). */
static const xe_form *xe_pick(uint64_t h, uint32_t max) {
  return &xe_forms[h % (max <= 0xFF ? XE_NFORMS : XE_NFORMS - 1)];
}

int ng_fuzz_xml_encoding(const uint8_t *data, size_t size) {
  uint32_t *cps, max;
  size_t n;
  int ret;

  if ((size >= 5 && memcmp(data, "<?xml", 5) == 0) ||
      (size > 0 && memchr(data, 0, size < 4 ? size : 4) != NULL))
    return 0; /* its own declaration would contradict the forms; NULs up
                 front make the UTF-8 reference read as UTF-16 or -32 */
  cps = xe_decode(data, size, &n, &max);
  if (cps == NULL || (n > 0 && cps[0] == 0xFEFF)) {
    free(cps);
    return 0;
  }
  /* One form per input, chosen by its hash (the same one on replay):
   * every form is tried across a queue, at two parses an input (the form
   * and its reference) instead of ten. */
  ret = xe_form_check(xe_pick(ng_fuzz_hash(data, size), max), data, size,
                      cps, n);
  free(cps);
  return ret;
}

NG_FUZZ_ENTRY(ng_fuzz_xml_encoding)
