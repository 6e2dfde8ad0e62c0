/*
 * tests/test_xml_encoding.c - the XML input layer: Appendix F detection,
 * the declaration's encoding name, the decision and its contradictions,
 * transcoding to UTF-8 (round trips, every chunk split, bad input), the
 * offset map back to the original bytes, XML line/column, and allocation
 * failure at every allocation.
 *
 * Expected offsets come from encoders written here, character by character
 * (or from iconv one character at a time), never from the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../parsers/xml/encoding.h"
#include "support/failalloc.h"

/* A string literal and its length, embedded NULs included. */
#define LIT(s) (const unsigned char *)(s), sizeof(s) - 1

/* ------------------------------------------------------------ helpers */

/* Decodes the valid UTF-8 character at s; returns its length. */
static size_t u8_char(const unsigned char *s, unsigned long *cp) {
  if (s[0] < 0x80) {
    *cp = s[0];
    return 1;
  }
  if (s[0] < 0xE0) {
    *cp = (unsigned long)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
    return 2;
  }
  if (s[0] < 0xF0) {
    *cp = (unsigned long)(s[0] & 0x0F) << 12 |
          (unsigned long)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    return 3;
  }
  *cp = (unsigned long)(s[0] & 0x07) << 18 |
        (unsigned long)(s[1] & 0x3F) << 12 | (unsigned long)(s[2] & 0x3F) << 6 |
        (s[3] & 0x3F);
  return 4;
}

/*
 * A document in some encoding, with the original offset expected for
 * every decoded offset: a character's first original byte for each of its
 * decoded bytes, and the input's length at the end.
 */
enum { DOC_MAX = 1 << 19 };
typedef struct doc {
  unsigned char in[DOC_MAX]; /* the encoded document */
  size_t n;                  /* its bytes */
  size_t exp[DOC_MAX + 1];   /* expected original offset per text offset */
  size_t dlen;               /* bytes of the UTF-8 text */
} doc;

enum { TO_LE, TO_BE, TO_LATIN1 };

static void put16(doc *d, unsigned u, int be) {
  d->in[d->n++] = (unsigned char)(be ? u >> 8 : u & 0xFF);
  d->in[d->n++] = (unsigned char)(be ? u & 0xFF : u >> 8);
}

/* Encodes the UTF-8 u8[0..len) as UTF-16LE/BE (bom: with FEFF) or Latin-1. */
static void doc_make(doc *d, const char *u8, size_t len, int to, int bom) {
  const unsigned char *s = (const unsigned char *)u8;
  unsigned long cp;
  size_t i = 0, k, j;

  d->n = 0;
  if (bom)
    put16(d, 0xFEFF, to == TO_BE);
  while (i < len) {
    k = u8_char(s + i, &cp);
    for (j = 0; j < k; j++)
      d->exp[i + j] = d->n;
    if (to == TO_LATIN1) {
      assert_true(cp < 0x100);
      d->in[d->n++] = (unsigned char)cp;
    } else if (cp >= 0x10000) {
      put16(d, 0xD800 + (unsigned)((cp - 0x10000) >> 10), to == TO_BE);
      put16(d, 0xDC00 + (unsigned)((cp - 0x10000) & 0x3FF), to == TO_BE);
    } else {
      put16(d, (unsigned)cp, to == TO_BE);
    }
    i += k;
  }
  d->dlen = len;
  d->exp[len] = d->n;
}

/* Encodes u8 with iconv into `name`, one character at a time (stateless). */
static void doc_iconv(doc *d, const char *name, const char *u8) {
  iconv_t cd = iconv_open(name, "UTF-8");
  size_t len = strlen(u8), i = 0, k, j, il, ol;
  unsigned long cp;
  char *ip, *op;

  assert_true(cd != (iconv_t)-1);
  d->n = 0;
  while (i < len) {
    k = u8_char((const unsigned char *)u8 + i, &cp);
    for (j = 0; j < k; j++)
      d->exp[i + j] = d->n;
    ip = (char *)(uintptr_t)(u8 + i);
    il = k;
    op = (char *)d->in + d->n;
    ol = DOC_MAX - d->n;
    assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
    d->n = DOC_MAX - ol;
    i += k;
  }
  iconv_close(cd);
  d->dlen = len;
  d->exp[len] = d->n;
}

/* Every text offset (and the end) maps to the expected original offset. */
static void check_map(const ng__offmap *m, const unsigned char *text,
                      const doc *d) {
  size_t off;

  for (off = 0; off <= d->dlen; off++)
    if (ng__offmap_orig(m, text, off) != d->exp[off])
      fail_msg("offset %zu maps to %zu, expected %zu", off,
               ng__offmap_orig(m, text, off), d->exp[off]);
}

/*
 * The same, with the text available only up to each offset: every lookup
 * gets a heap copy of exactly text[0..off), so reading further is caught
 * by ASan and valgrind.
 */
static void check_map_truncated(const ng__offmap *m, const unsigned char *text,
                                const doc *d) {
  unsigned char *cut;
  size_t off;

  for (off = 0; off <= d->dlen; off++) {
    cut = malloc(off == 0 ? 1 : off);
    assert_non_null(cut);
    memcpy(cut, text, off);
    assert_int_equal(ng__offmap_orig(m, cut, off), d->exp[off]);
    free(cut);
  }
}

/* A long document: several checkpoints, every UTF-8 length, CR LF. */
static const char body[] = "<p a='caf\xC3\xA9'>x \xE2\x82\xAC \xE4\xB8\xAD "
                           "\xF0\x9F\x98\x80 \xF0\x9D\x84\x9E\r\n</p>\n";
static const char body_latin1[] =
    "<p a='caf\xC3\xA9'>\xC2\xA1 \xC3\xBF \xC2\x80 \xC2\x9F\r\n</p>\n";

/* decl + "<doc>\n" + reps copies of part + "</doc>\n" into buf. */
static size_t make_utf8(char *buf, size_t cap, const char *decl,
                        const char *part, int reps) {
  size_t n = 0;
  int i;

  n += (size_t)snprintf(buf + n, cap - n, "%s<doc>\n", decl);
  for (i = 0; i < reps; i++)
    n += (size_t)snprintf(buf + n, cap - n, "%s", part);
  n += (size_t)snprintf(buf + n, cap - n, "</doc>\n");
  assert_true(n < cap);
  return n;
}

/* Offset of the first byte a strict UTF-8 lexer rejects; len if none. */
static size_t first_bad_utf8(const unsigned char *s, size_t len) {
  size_t i = 0, k, j;
  unsigned long cp, min;

  while (i < len) {
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    k = s[i] >= 0xC2 && s[i] <= 0xDF   ? 2
        : s[i] >= 0xE0 && s[i] <= 0xEF ? 3
        : s[i] >= 0xF0 && s[i] <= 0xF4 ? 4
                                       : 0;
    if (k == 0 || len - i < k)
      return i;
    for (j = 1; j < k; j++)
      if ((s[i + j] & 0xC0) != 0x80)
        return i;
    u8_char(s + i, &cp);
    min = k == 2 ? 0x80 : k == 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += k;
  }
  return len;
}

/* ASCII as UTF-16 (optionally with a BOM) into out; returns the bytes. */
static size_t ascii16(unsigned char *out, const char *a, int be, int bom) {
  size_t n = 0;

  if (bom) {
    out[n++] = be ? 0xFE : 0xFF;
    out[n++] = be ? 0xFF : 0xFE;
  }
  for (; *a != '\0'; a++) {
    out[n++] = be ? 0 : (unsigned char)*a;
    out[n++] = be ? (unsigned char)*a : 0;
  }
  return n;
}

static ng__xml_enc enc_of(const char *name) {
  ng__xml_enc e;
  assert_int_equal(ng__xml_enc_name(&e, name, strlen(name)), NG_OK);
  return e;
}

/* Transcodes in[0..n) in one feed into a fresh tc (caller frees). */
static void tc_whole(ng__xml_tc *tc, const ng__xml_enc *e, size_t base,
                     const void *in, size_t n) {
  assert_int_equal(ng__xml_tc_init(tc, e, base, NULL), NG_OK);
  assert_int_equal(ng__xml_tc_feed(tc, in, n, 1), NG_OK);
}

/* --------------------------------------------------------- detection */

static void test_detect_appendix_f(void **state) {
  static const struct {
    const char *b;
    size_t n;
    int fam;
    size_t bom;
  } t[] = {
      /* with a byte order mark */
      {"\x00\x00\xFE\xFF", 4, NG__XML_FAM_UCS4_1234, 4},
      {"\xFF\xFE\x00\x00", 4, NG__XML_FAM_UCS4_4321, 4},
      {"\x00\x00\xFF\xFE", 4, NG__XML_FAM_UCS4_2143, 4},
      {"\xFE\xFF\x00\x00", 4, NG__XML_FAM_UCS4_3412, 4},
      {"\xFE\xFF\x00<", 4, NG__XML_FAM_UTF16BE, 2},
      {"\xFF\xFE<\x00", 4, NG__XML_FAM_UTF16LE, 2},
      {"\xEF\xBB\xBF<", 4, NG__XML_FAM_UTF8, 3},
      /* without */
      {"\x00\x00\x00<", 4, NG__XML_FAM_UCS4_1234, 0},
      {"<\x00\x00\x00", 4, NG__XML_FAM_UCS4_4321, 0},
      {"\x00\x00<\x00", 4, NG__XML_FAM_UCS4_2143, 0},
      {"\x00<\x00\x00", 4, NG__XML_FAM_UCS4_3412, 0},
      {"\x00<\x00?", 4, NG__XML_FAM_UTF16BE, 0},
      {"<\x00?\x00", 4, NG__XML_FAM_UTF16LE, 0},
      {"<?xm", 4, NG__XML_FAM_ASCII, 0},
      {"\x4C\x6F\xA7\x94", 4, NG__XML_FAM_EBCDIC, 0},
      /* other: UTF-8 without a declaration */
      {"<roo", 4, NG__XML_FAM_UTF8, 0},
      {"<?xM", 4, NG__XML_FAM_UTF8, 0},
      {"\xEF\xBB", 2, NG__XML_FAM_UTF8, 0},
      /* short inputs: only the BOMs that fit */
      {"\xFE\xFF", 2, NG__XML_FAM_UTF16BE, 2},
      {"\xFF\xFE", 2, NG__XML_FAM_UTF16LE, 2},
      {"\xFF\xFE\x00", 3, NG__XML_FAM_UTF16LE, 2},
      {"\xEF\xBB\xBF", 3, NG__XML_FAM_UTF8, 3},
      {"<?x", 3, NG__XML_FAM_UTF8, 0},
      {"", 0, NG__XML_FAM_UTF8, 0},
  };
  size_t i, bom;

  (void)state;
  for (i = 0; i < sizeof t / sizeof t[0]; i++) {
    bom = 99;
    if (ng__xml_detect((const unsigned char *)t[i].b, t[i].n, &bom) !=
            t[i].fam ||
        bom != t[i].bom)
      fail_msg("case %zu: family %d bom %zu", i,
               ng__xml_detect((const unsigned char *)t[i].b, t[i].n, &bom),
               bom);
  }
}

/* ------------------------------------------------------------- names */

static void test_enc_names(void **state) {
  static const struct {
    const char *name;
    int kind;
    const char *canon;
  } t[] = {
      {"UTF-8", NG__XML_ENC_UTF8, "UTF-8"},
      {"utf-8", NG__XML_ENC_UTF8, "UTF-8"},
      {"Utf8", NG__XML_ENC_UTF8, "UTF-8"},
      {"UTF-16", NG__XML_ENC_UTF16, "UTF-16"},
      {"ucs-2", NG__XML_ENC_UTF16, "UTF-16"},
      {"ISO-10646-UCS-2", NG__XML_ENC_UTF16, "UTF-16"},
      {"utf-16le", NG__XML_ENC_UTF16LE, "UTF-16LE"},
      {"UTF-16BE", NG__XML_ENC_UTF16BE, "UTF-16BE"},
      {"iso-8859-1", NG__XML_ENC_LATIN1, "ISO-8859-1"},
      {"latin1", NG__XML_ENC_LATIN1, "ISO-8859-1"},
      {"ISO_8859-1", NG__XML_ENC_LATIN1, "ISO-8859-1"},
      {"l1", NG__XML_ENC_LATIN1, "ISO-8859-1"},
      {"us-ascii", NG__XML_ENC_ASCII, "US-ASCII"},
      {"ASCII", NG__XML_ENC_ASCII, "US-ASCII"},
      {"ANSI_X3.4-1968", NG__XML_ENC_ASCII, "US-ASCII"},
      {"windows-1252", NG__XML_ENC_ICONV, "windows-1252"},
      {"ISO-8859-15", NG__XML_ENC_ICONV, "ISO-8859-15"},
      {"latin", NG__XML_ENC_ICONV, "latin"},     /* a prefix of an alias */
      {"latin1x", NG__XML_ENC_ICONV, "latin1x"}, /* an alias is a prefix */
  };
  static const char *bad[] = {"", "1utf", "-x", "utf 8", "utf:8", "\xC3\xA9"};
  char longname[NG__XML_ENC_NAME_MAX + 1];
  ng__xml_enc e;
  size_t i;

  (void)state;
  for (i = 0; i < sizeof t / sizeof t[0]; i++) {
    assert_int_equal(ng__xml_enc_name(&e, t[i].name, strlen(t[i].name)), NG_OK);
    assert_int_equal(e.kind, t[i].kind);
    assert_string_equal(e.name, t[i].canon);
  }
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(ng__xml_enc_name(&e, bad[i], strlen(bad[i])),
                     NG_EENCODING);
    assert_int_equal(e.kind, NG__XML_ENC_NONE);
  }
  /* The length counts, not a NUL: "UTF-8" cut to "UTF" is iconv's. */
  assert_int_equal(ng__xml_enc_name(&e, "UTF-8", 3), NG_OK);
  assert_string_equal(e.name, "UTF");
  memset(longname, 'a', sizeof longname);
  assert_int_equal(ng__xml_enc_name(&e, longname, sizeof longname - 2),
                   NG_OK); /* 63 characters fit */
  assert_int_equal(ng__xml_enc_name(&e, longname, sizeof longname - 1),
                   NG_EENCODING);
}

/* ------------------------------------------------------- declaration */

/* Decides in[0..n) without override; returns the code. */
static int decide(const unsigned char *in, size_t n, ng__xml_sniff *s,
                  ng_error *e) {
  return ng__xml_decide(in, n, 0, NULL, s, e);
}

static void test_decl_forms(void **state) {
  ng__xml_sniff s;
  ng_error e;

  (void)state;
  /* Double quotes. */
  assert_int_equal(
      decide(LIT("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>"), &s,
             &e),
      NG_OK);
  assert_true(s.has_decl);
  assert_int_equal(s.name_off, 30);
  assert_int_equal(s.name_len, 10);
  assert_int_equal(s.declared.kind, NG__XML_ENC_LATIN1);
  assert_int_equal(s.enc.kind, NG__XML_ENC_LATIN1);
  assert_int_equal(e.code, NG_OK);
  /* Single quotes, S around '=', tabs and line ends in every form. */
  assert_int_equal(decide(LIT("<?xml\tversion = '1.0'\n encoding\r\n=\t"
                              "'latin1' standalone='no'?><a/>"),
                          &s, NULL),
                   NG_OK);
  assert_int_equal(s.name_off, 36);
  assert_int_equal(s.name_len, 6);
  assert_int_equal(s.name_line, 3);
  assert_int_equal(s.name_col, 4);
  assert_string_equal(s.declared.name, "ISO-8859-1");
  /* CR alone, CR LF and LF each end one line. */
  assert_int_equal(
      decide(LIT("<?xml\rversion='1.0'\r\n\n encoding='latin1'?>"), &s, NULL),
      NG_OK);
  assert_int_equal(s.name_off, 33);
  assert_int_equal(s.name_line, 4);
  assert_int_equal(s.name_col, 12);
  /* A quote of the other kind inside a value does not end it. */
  assert_int_equal(
      decide(LIT("<?xml version=\"1'0\" encoding='US-ASCII'?>"), &s, NULL),
      NG_OK);
  assert_int_equal(s.enc.kind, NG__XML_ENC_ASCII);
  /* Declaration without encoding: UTF-8. */
  assert_int_equal(
      decide(LIT("<?xml version='1.0' standalone='yes'?><a/>"), &s, NULL),
      NG_OK);
  assert_true(s.has_decl);
  assert_int_equal(s.name_len, 0);
  assert_int_equal(s.declared.kind, NG__XML_ENC_NONE);
  assert_int_equal(s.enc.kind, NG__XML_ENC_UTF8);
  assert_int_equal(s.skip, 0);
  /* No declaration at all. */
  assert_int_equal(decide(LIT("<a>caf\xC3\xA9</a>"), &s, NULL), NG_OK);
  assert_false(s.has_decl);
  assert_int_equal(s.enc.kind, NG__XML_ENC_UTF8);
  assert_int_equal(decide(NULL, 0, &s, NULL), NG_OK);
  assert_int_equal(s.enc.kind, NG__XML_ENC_UTF8);
  /* A PI whose target starts with "xml" is no declaration. */
  assert_int_equal(
      decide(LIT("<?xml-stylesheet encoding='latin1'?><a/>"), &s, NULL), NG_OK);
  assert_false(s.has_decl);
  assert_int_equal(s.enc.kind, NG__XML_ENC_UTF8);
  /* Malformed declarations read as undeclared (the lexer reports them). */
  assert_int_equal(
      decide(LIT("<?xml version='1.0' encoding='latin1"), &s, NULL), NG_OK);
  assert_int_equal(s.name_len, 0);
  assert_int_equal(
      decide(LIT("<?xml version='1.0'encoding='latin1'?>"), &s, NULL), NG_OK);
  assert_int_equal(s.name_len, 0);
  assert_int_equal(s.enc.kind, NG__XML_ENC_UTF8);
  assert_int_equal(decide(LIT("<?xml encoding=latin1?>"), &s, NULL), NG_OK);
  assert_int_equal(s.enc.kind, NG__XML_ENC_UTF8);
  /* A pseudo-attribute that merely starts with "encoding" is another. */
  assert_int_equal(decide(LIT("<?xml encodings='latin1'?>"), &s, NULL), NG_OK);
  assert_int_equal(s.enc.kind, NG__XML_ENC_UTF8);
}

static void test_decl_utf16(void **state) {
  unsigned char in[256];
  ng__xml_sniff s;
  size_t n;

  (void)state;
  /* With a BOM, big-endian: offsets count bytes of the original. */
  n = ascii16(in, "<?xml version='1.0' encoding='UTF-16'?><a/>", 1, 1);
  assert_int_equal(decide(in, n, &s, NULL), NG_OK);
  assert_int_equal(s.family, NG__XML_FAM_UTF16BE);
  assert_int_equal(s.bom, 2);
  assert_int_equal(s.skip, 2);
  assert_int_equal(s.name_off, 2 + 2 * 30);
  assert_int_equal(s.name_len, 2 * 6);
  assert_int_equal(s.name_col, 1 + 2 * 30); /* the BOM is not a column */
  assert_int_equal(s.enc.kind, NG__XML_ENC_UTF16BE);
  /* Without a BOM, little-endian; a line end before the name. */
  n = ascii16(in, "<?xml version='1.0'\r\nencoding=\"utf-16le\"?>", 0, 0);
  assert_int_equal(decide(in, n, &s, NULL), NG_OK);
  assert_int_equal(s.family, NG__XML_FAM_UTF16LE);
  assert_int_equal(s.skip, 0);
  assert_int_equal(s.name_off, 2 * 31);
  assert_int_equal(s.name_line, 2);
  assert_int_equal(s.name_col, 1 + 2 * 10);
  assert_int_equal(s.enc.kind, NG__XML_ENC_UTF16LE);
  /* UTF-16 with its BOM needs no declaration. */
  n = ascii16(in, "<a/>", 0, 1);
  assert_int_equal(decide(in, n, &s, NULL), NG_OK);
  assert_int_equal(s.enc.kind, NG__XML_ENC_UTF16LE);
  assert_int_equal(s.skip, 2);
  /* A non-ASCII unit in the name makes it invalid. */
  n = ascii16(in, "<?xml encoding='UTF-16'?>", 0, 1);
  in[2 + 2 * 16 + 1] = 0x01; /* 'U' becomes U+0155 */
  assert_int_equal(decide(in, n, &s, NULL), NG_EENCODING);
}

/* ---------------------------------------------------------- decision */

/* Decides in and expects EENCODING at (off, line, col). */
static void expect_enc_error(const unsigned char *in, size_t n, size_t off,
                             size_t line, size_t col) {
  ng__xml_sniff s;
  ng_error e;

  memset(&e, 0x55, sizeof e);
  assert_int_equal(decide(in, n, &s, &e), NG_EENCODING);
  assert_int_equal(e.code, NG_EENCODING);
  assert_int_equal(e.offset, off);
  assert_int_equal(e.line, line);
  assert_int_equal(e.column, col);
  assert_true(strlen(e.msg) > 0);
  /* A NULL error record is fine. */
  assert_int_equal(decide(in, n, &s, NULL), NG_EENCODING);
}

static void test_contradictions(void **state) {
  unsigned char in[256];
  ng__xml_sniff s;
  ng_error e;
  size_t n;

  (void)state;
  /* UTF-8 BOM + another declared encoding. */
  expect_enc_error(
      LIT("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>"),
      33, 1, 31);
  expect_enc_error(LIT("\xEF\xBB\xBF<?xml encoding='UTF-16'?>"), 3 + 16, 1, 17);
  /* UTF-16 BOM + UTF-8, or the other byte order. */
  n = ascii16(in, "<?xml version='1.0' encoding='UTF-8'?>", 0, 1);
  expect_enc_error(in, n, 2 + 2 * 30, 1, 1 + 2 * 30);
  n = ascii16(in, "<?xml version='1.0' encoding='UTF-16BE'?>", 0, 1);
  expect_enc_error(in, n, 2 + 2 * 30, 1, 1 + 2 * 30);
  n = ascii16(in, "<?xml version='1.0' encoding='ISO-8859-1'?>", 1, 1);
  expect_enc_error(in, n, 2 + 2 * 30, 1, 1 + 2 * 30);
  /* UTF-16 without BOM: needs a UTF-16 family name, of its byte order. */
  n = ascii16(in, "<?xml version='1.0'?><a/>", 1, 0);
  expect_enc_error(in, n, 0, 1, 1);
  n = ascii16(in, "<?pi?><a/>", 0, 0);
  expect_enc_error(in, n, 0, 1, 1);
  n = ascii16(in, "<?xml version='1.0' encoding='UTF-8'?>", 0, 0);
  expect_enc_error(in, n, 2 * 30, 1, 1 + 2 * 30);
  n = ascii16(in, "<?xml version='1.0' encoding='UTF-16LE'?>", 1, 0);
  expect_enc_error(in, n, 2 * 30, 1, 1 + 2 * 30);
  /* 8-bit bytes + a UTF-16 name. */
  expect_enc_error(LIT("<?xml version='1.0' encoding='UTF-16'?>"), 30, 1, 31);
  expect_enc_error(LIT("<?xml version='1.0' encoding='utf-16be'?>"), 30, 1, 31);
  /* Names iconv cannot open, or that do not read "<?xml" as ASCII. */
  expect_enc_error(LIT("<?xml version='1.0'\nencoding='x-no-such-enc'?>"), 30,
                   2, 11);
  expect_enc_error(LIT("<?xml version='1.0' encoding='UTF-32'?>"), 30, 1, 31);
  expect_enc_error(LIT("<?xml version='1.0' encoding='IBM037'?>"), 30, 1, 31);
  /* Invalid names. */
  expect_enc_error(LIT("<?xml version='1.0' encoding='8bit'?>"), 30, 1, 31);
  expect_enc_error(LIT("<?xml version='1.0' encoding=''?>"), 30, 1, 31);
  expect_enc_error(LIT("<?xml version='1.0' encoding='utf 8'?>"), 30, 1, 31);
  expect_enc_error(LIT("<?xml encoding='aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaa'?>"),
                   16, 1, 17);
  /* Families without support. */
  expect_enc_error(LIT("\x00\x00\xFE\xFF\x00\x00\x00<"), 0, 1, 1);
  expect_enc_error(LIT("<\x00\x00\x00?\x00\x00\x00"), 0, 1, 1);
  expect_enc_error(LIT("\x00\x00<\x00"), 0, 1, 1);
  expect_enc_error(LIT("\x4C\x6F\xA7\x94\x93"), 0, 1, 1);
  /* The messages say what happened. */
  decide(LIT("<?xml encoding='x-no-such-enc'?>"), &s, &e);
  assert_non_null(strstr(e.msg, "unsupported encoding \"x-no-such-enc\""));
  decide(LIT("\xEF\xBB\xBF<?xml encoding='latin1'?>"), &s, &e);
  assert_non_null(strstr(e.msg, "ISO-8859-1"));
  assert_non_null(strstr(e.msg, "byte order mark"));
}

static void test_agreements(void **state) {
  static const struct {
    const char *decl;
    int kind;
  } ascii[] = {
      {"<?xml version='1.0' encoding='utf-8'?>", NG__XML_ENC_UTF8},
      {"<?xml version='1.0' encoding='UTF8'?>", NG__XML_ENC_UTF8},
      {"<?xml version='1.0' encoding='us-ascii'?>", NG__XML_ENC_ASCII},
      {"<?xml version='1.0' encoding='Latin1'?>", NG__XML_ENC_LATIN1},
      {"<?xml version='1.0' encoding='windows-1252'?>", NG__XML_ENC_ICONV},
      {"<?xml version='1.0' encoding='Shift_JIS'?>", NG__XML_ENC_ICONV},
  };
  unsigned char in[256];
  ng__xml_sniff s;
  ng_error e;
  size_t i, n;

  (void)state;
  for (i = 0; i < sizeof ascii / sizeof ascii[0]; i++) {
    memset(&e, 0x55, sizeof e);
    assert_int_equal(decide((const unsigned char *)ascii[i].decl,
                            strlen(ascii[i].decl), &s, &e),
                     NG_OK);
    assert_int_equal(s.family, NG__XML_FAM_ASCII);
    assert_int_equal(s.enc.kind, ascii[i].kind);
    assert_int_equal(s.skip, 0);
    assert_int_equal(e.code, NG_OK); /* cleared on success */
  }
  assert_int_equal(
      decide(LIT("\xEF\xBB\xBF<?xml encoding='UTF-8'?>"), &s, NULL), NG_OK);
  assert_int_equal(s.enc.kind, NG__XML_ENC_UTF8);
  assert_int_equal(s.skip, 3);
  n = ascii16(in, "<?xml encoding='UTF-16LE'?>", 0, 1);
  assert_int_equal(decide(in, n, &s, NULL), NG_OK);
  assert_int_equal(s.enc.kind, NG__XML_ENC_UTF16LE);
  n = ascii16(in, "<?xml encoding='ISO-10646-UCS-2'?>", 1, 0);
  assert_int_equal(decide(in, n, &s, NULL), NG_OK);
  assert_int_equal(s.enc.kind, NG__XML_ENC_UTF16BE);
  assert_int_equal(s.skip, 0);
  assert_string_equal(s.declared.name, "UTF-16");
}

static void test_override(void **state) {
  ng__xml_enc f;
  ng__xml_sniff s;
  ng_error e;
  unsigned char in[64];
  size_t n;

  (void)state;
  /* A forced encoding beats the declaration, which is still reported. */
  f = enc_of("ISO-8859-1");
  assert_int_equal(
      ng__xml_decide(LIT("<?xml encoding='UTF-8'?>"), 0, &f, &s, &e), NG_OK);
  assert_int_equal(s.enc.kind, NG__XML_ENC_LATIN1);
  assert_int_equal(s.declared.kind, NG__XML_ENC_UTF8);
  assert_int_equal(s.skip, 0);
  /* ... and any contradiction or invalid name in it. */
  assert_int_equal(
      ng__xml_decide(LIT("\xEF\xBB\xBF<?xml encoding='1x'?>"), 0, &f, &s, NULL),
      NG_OK);
  assert_int_equal(s.skip, 0); /* not its BOM */
  f = enc_of("UTF-8");
  assert_int_equal(ng__xml_decide(LIT("\xEF\xBB\xBF<a/>"), 0, &f, &s, NULL),
                   NG_OK);
  assert_int_equal(s.skip, 3);
  /* UTF-16: byte order from the BOM, the first bytes, else big-endian. */
  f = enc_of("UTF-16");
  n = ascii16(in, "<a/>", 0, 1);
  assert_int_equal(ng__xml_decide(in, n, 0, &f, &s, NULL), NG_OK);
  assert_int_equal(s.enc.kind, NG__XML_ENC_UTF16LE);
  assert_int_equal(s.skip, 2);
  n = ascii16(in, "<?pi?>", 0, 0);
  assert_int_equal(ng__xml_decide(in, n, 0, &f, &s, NULL), NG_OK);
  assert_int_equal(s.enc.kind, NG__XML_ENC_UTF16LE);
  assert_int_equal(s.skip, 0);
  n = ascii16(in, "a", 1, 0);
  assert_int_equal(ng__xml_decide(in, n, 0, &f, &s, NULL), NG_OK);
  assert_int_equal(s.enc.kind, NG__XML_ENC_UTF16BE);
  f = enc_of("UTF-16BE");
  n = ascii16(in, "<a/>", 0, 1);
  assert_int_equal(ng__xml_decide(in, n, 0, &f, &s, NULL), NG_OK);
  assert_int_equal(s.skip, 0); /* an LE BOM is not UTF-16BE's */
  /* Forced iconv names: unknown ones fail at offset 0; UCS-4 is readable. */
  f = enc_of("x-no-such-enc");
  assert_int_equal(
      ng__xml_decide(LIT("<?xml encoding='x-no-such-enc'?>"), 0, &f, &s, &e),
      NG_EENCODING);
  assert_int_equal(e.offset, 0);
  f = enc_of("UTF-32");
  assert_int_equal(
      ng__xml_decide(LIT("\xFF\xFE\x00\x00<\x00\x00\x00"), 0, &f, &s, NULL),
      NG_OK);
  assert_int_equal(s.family, NG__XML_FAM_UCS4_4321);
  /* kind NONE is no override. */
  f.kind = NG__XML_ENC_NONE;
  assert_int_equal(ng__xml_decide(LIT("\x00\x00\x00<"), 0, &f, &s, NULL),
                   NG_EENCODING);
}

/* -------------------------------------------------------- round trips */

static char big_utf8[DOC_MAX];
static char big_text[DOC_MAX];
static doc D;

static void roundtrip_utf16(int be, int bom) {
  ng__xml_input in;
  ng_error e;
  size_t n =
      make_utf8(big_utf8, sizeof big_utf8,
                "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n", body, 40);

  doc_make(&D, big_utf8, n, be ? TO_BE : TO_LE, bom);
  assert_int_equal(ng__xml_input_open(D.in, D.n, NULL, NULL, &in, &e), NG_OK);
  assert_int_equal(in.sniff.enc.kind,
                   be ? NG__XML_ENC_UTF16BE : NG__XML_ENC_UTF16LE);
  assert_int_equal(in.sniff.skip, bom ? 2 : 0);
  assert_int_equal(in.len, n);
  assert_memory_equal(in.text, big_utf8, n);
  assert_true(in.map.n >= 3); /* periodic checkpoints were taken */
  check_map(&in.map, in.text, &D);
  ng__xml_input_close(&in);
}

static void test_roundtrip_utf16(void **state) {
  (void)state;
  roundtrip_utf16(0, 1);
  roundtrip_utf16(1, 1);
  roundtrip_utf16(0, 0);
  roundtrip_utf16(1, 0);
}

static void test_roundtrip_latin1(void **state) {
  ng__xml_input in;
  size_t n =
      make_utf8(big_utf8, sizeof big_utf8,
                "<?xml version='1.0' encoding='ISO-8859-1'?>", body_latin1, 60);

  (void)state;
  doc_make(&D, big_utf8, n, TO_LATIN1, 0);
  assert_true(D.n < n); /* high bytes took two UTF-8 bytes */
  assert_int_equal(ng__xml_input_open(D.in, D.n, NULL, NULL, &in, NULL), NG_OK);
  assert_int_equal(in.sniff.enc.kind, NG__XML_ENC_LATIN1);
  assert_int_equal(in.len, n);
  assert_memory_equal(in.text, big_utf8, n);
  check_map(&in.map, in.text, &D);
  ng__xml_input_close(&in);
}

/* UTF-8 is read in place: no copy, no allocation, the BOM skipped. */
static void test_utf8_in_place(void **state) {
  static const unsigned char doc8[] = "\xEF\xBB\xBF<a>\xC3\xA9</a>";
  ng__xml_input in;
  ng_failalloc fa;

  (void)state;
  ng_failalloc_init(&fa, 0);
  assert_int_equal(
      ng__xml_input_open(doc8, sizeof doc8 - 1, NULL, &fa.alc, &in, NULL),
      NG_OK);
  assert_int_equal(fa.calls, 0);
  assert_ptr_equal(in.text, doc8 + 3);
  assert_int_equal(in.len, sizeof doc8 - 4);
  assert_null(in.buf);
  assert_int_equal(ng__offmap_orig(&in.map, in.text, 0), 3);
  assert_int_equal(ng__offmap_orig(&in.map, in.text, 4), 7);
  ng__xml_input_close(&in);
  /* Empty input, NULL data. */
  assert_int_equal(ng__xml_input_open(NULL, 0, NULL, NULL, &in, NULL), NG_OK);
  assert_non_null(in.text);
  assert_int_equal(in.len, 0);
  ng__xml_input_close(&in);
  assert_int_equal(ng__xml_input_open(NULL, 1, NULL, NULL, &in, NULL),
                   NG_EINVAL);
  ng__xml_input_close(&in); /* harmless after an error */
}

/* ------------------------------------------------- offset map, iconv */

static void test_map_iconv_single_byte(void **state) {
  static const char text1252[] =
      "<?xml version='1.0' encoding='windows-1252'?><a>\xE2\x82\xAC \xC5\x93"
      " caf\xC3\xA9 \xE2\x80\x9A \xE2\x80\xA6</a>";
  static const char text885915[] =
      "<?xml version='1.0' encoding='ISO-8859-15'?><a>\xE2\x82\xAC \xC5\x93"
      " \xC5\xA0 caf\xC3\xA9</a>";
  ng__xml_input in;

  (void)state;
  doc_iconv(&D, "WINDOWS-1252", text1252);
  assert_int_equal(ng__xml_input_open(D.in, D.n, NULL, NULL, &in, NULL), NG_OK);
  assert_int_equal(in.sniff.enc.kind, NG__XML_ENC_ICONV);
  assert_int_equal(in.len, strlen(text1252));
  assert_memory_equal(in.text, text1252, in.len);
  check_map(&in.map, in.text, &D);
  assert_int_equal(in.map.n, 1); /* one byte per character: one run */
  ng__xml_input_close(&in);

  doc_iconv(&D, "ISO-8859-15", text885915);
  assert_int_equal(ng__xml_input_open(D.in, D.n, NULL, NULL, &in, NULL), NG_OK);
  assert_memory_equal(in.text, text885915, strlen(text885915));
  check_map(&in.map, in.text, &D);
  ng__xml_input_close(&in);
}

/* Multibyte runs (1 and 2 bytes per character) and the truncated text. */
static void test_map_iconv_multibyte(void **state) {
  static const char jis[] =
      "<?xml version='1.0' encoding='Shift_JIS'?><a t='\xE3\x81\x82'>\xE3\x81"
      "\x82\xE3\x81\x84 abc \xE6\xBC\xA2\xE5\xAD\x97\r\n\xEF\xBD\xB1x</a>";
  ng__xml_enc f = enc_of("Shift_JIS");
  ng__xml_input in;
  static char buf[DOC_MAX];
  int i;

  (void)state;
  doc_iconv(&D, "SHIFT_JIS", jis);
  assert_int_equal(ng__xml_input_open(D.in, D.n, NULL, NULL, &in, NULL), NG_OK);
  assert_memory_equal(in.text, jis, strlen(jis));
  check_map(&in.map, in.text, &D);
  check_map_truncated(&in.map, in.text, &D);
  assert_true(in.map.n > 2);
  ng__xml_input_close(&in);
  /* Long: periodic checkpoints inside runs too. */
  buf[0] = '\0';
  for (i = 0; i < 60; i++)
    strcat(buf, "\xE6\xBC\xA2\xE5\xAD\x97\xE6\xBC\xA2\xE5\xAD\x97 ");
  doc_iconv(&D, "SHIFT_JIS", buf);
  assert_int_equal(ng__xml_input_open(D.in, D.n, &f, NULL, &in, NULL), NG_OK);
  assert_memory_equal(in.text, buf, strlen(buf));
  assert_true(in.map.n > 1);
  check_map(&in.map, in.text, &D);
  ng__xml_input_close(&in);
}

/*
 * A shift-state encoding: IBM930 (Japanese EBCDIC) switches to double-byte
 * characters with SO (0x0E) and back with SI (0x0F); shifts consume a byte
 * and make no character. (ISO-2022-JP would do as well, but glibc's module
 * for it loads helpers through an RPATH that trips valgrind inside ld.so.)
 */
static void test_map_iconv_shift_state(void **state) {
  static const unsigned char in[] = "\xC1\x0E\x44\x5A\x0F\xC2";
  ng__xml_enc e = enc_of("IBM930");
  ng__xml_tc tc;

  (void)state;
  tc_whole(&tc, &e, 5, in, sizeof in - 1); /* A SO U+2010 SI B */
  assert_int_equal(tc.len, 5);
  assert_memory_equal(tc.out,
                      "A\xE2\x80\x90"
                      "B",
                      5);
  assert_int_equal(ng__offmap_orig(&tc.map, tc.out, 0), 5 + 0);
  assert_int_equal(ng__offmap_orig(&tc.map, tc.out, 1), 5 + 2);
  assert_int_equal(ng__offmap_orig(&tc.map, tc.out, 2), 5 + 2);
  assert_int_equal(ng__offmap_orig(&tc.map, tc.out, 4), 5 + 5);
  assert_int_equal(ng__offmap_orig(&tc.map, tc.out, 5), 5 + 6);
  ng__xml_tc_free(&tc);
  /* A shift between characters of the same width (1 byte, 1 byte), and
   * one at the very end: the text's end maps to the input's end. */
  tc_whole(&tc, &e, 0, "\xC1\x0F\xC2\x0E\x44\x5A\x0F", 7);
  assert_int_equal(tc.len, 5);
  assert_memory_equal(tc.out, "AB\xE2\x80\x90", 5);
  assert_int_equal(ng__offmap_orig(&tc.map, tc.out, 1), 2);
  assert_int_equal(ng__offmap_orig(&tc.map, tc.out, 2), 4);
  assert_int_equal(ng__offmap_orig(&tc.map, tc.out, 5), 7);
  ng__xml_tc_free(&tc);
}

/*
 * A converter that holds a character back to compose it with the next
 * (CP1255: alef, then a point) emits two characters in one step: both map
 * to the byte that released them, and what follows maps exactly.
 */
static void test_map_iconv_composing(void **state) {
  ng__xml_enc e = enc_of("CP1255");
  ng__xml_tc tc;

  (void)state;
  tc_whole(&tc, &e, 0, "a\xE0\xC4z\xE0", 5);
  assert_int_equal(tc.len, 8);
  assert_memory_equal(tc.out, "a\xD7\x90\xD6\xB4z\xD7\x90", 8);
  assert_int_equal(ng__offmap_orig(&tc.map, tc.out, 0), 0);
  assert_int_equal(ng__offmap_orig(&tc.map, tc.out, 1), 2);
  assert_int_equal(ng__offmap_orig(&tc.map, tc.out, 3), 2);
  assert_int_equal(ng__offmap_orig(&tc.map, tc.out, 5), 3);
  assert_int_equal(ng__offmap_orig(&tc.map, tc.out, 6), 5); /* flushed */
  assert_int_equal(ng__offmap_orig(&tc.map, tc.out, 8), 5);
  ng__xml_tc_free(&tc);
}

/* ---------------------------------------------------- chunk splitting */

static void assert_same_tc(const ng__xml_tc *a, const ng__xml_tc *b,
                           size_t split) {
  size_t i;

  if (a->len != b->len || (a->len > 0 && memcmp(a->out, b->out, a->len)))
    fail_msg("split %zu: text differs", split);
  if (a->map.n != b->map.n || a->pos != b->pos)
    fail_msg("split %zu: %zu checkpoints, expected %zu", split, b->map.n,
             a->map.n);
  for (i = 0; i < a->map.n; i++)
    if (a->map.cp[i].dec != b->map.cp[i].dec ||
        a->map.cp[i].orig != b->map.cp[i].orig ||
        a->map.cp[i].unit != b->map.cp[i].unit)
      fail_msg("split %zu: checkpoint %zu differs", split, i);
}

/* Whole vs every two-chunk split vs one-byte chunks (with empty feeds). */
static void check_splits(const ng__xml_enc *e, const unsigned char *in,
                         size_t n) {
  ng__xml_tc ref, tc;
  size_t s;

  tc_whole(&ref, e, 7, in, n);
  for (s = 0; s <= n; s++) {
    assert_int_equal(ng__xml_tc_init(&tc, e, 7, NULL), NG_OK);
    assert_int_equal(ng__xml_tc_feed(&tc, in, s, 0), NG_OK);
    assert_int_equal(ng__xml_tc_feed(&tc, in + s, n - s, 1), NG_OK);
    assert_same_tc(&ref, &tc, s);
    ng__xml_tc_free(&tc);
  }
  assert_int_equal(ng__xml_tc_init(&tc, e, 7, NULL), NG_OK);
  for (s = 0; s < n; s++) {
    assert_int_equal(ng__xml_tc_feed(&tc, in + s, 1, 0), NG_OK);
    assert_int_equal(ng__xml_tc_feed(&tc, NULL, 0, 0), NG_OK);
  }
  assert_int_equal(ng__xml_tc_feed(&tc, NULL, 0, 1), NG_OK);
  assert_same_tc(&ref, &tc, (size_t)-1);
  ng__xml_tc_free(&tc);
  ng__xml_tc_free(&ref);
}

static void test_chunk_splits_native(void **state) {
  size_t n;
  ng__xml_enc e;
  /* Bad UTF-16 in every place a chunk could cut: unpaired surrogates high
   * and low, a pair, and an odd trailing byte. */
  static const unsigned char bad16[] = "<\0\x00\xD8x\0\x3D\xD8\x00\xDE"
                                       "\x00\xDC\x01\xDB\x02\xDB\x00\xDCz";

  (void)state;
  n = make_utf8(big_utf8, sizeof big_utf8, "", body, 30);
  doc_make(&D, big_utf8, n, TO_LE, 0);
  e = enc_of("UTF-16LE");
  check_splits(&e, D.in, D.n);
  doc_make(&D, big_utf8, n, TO_BE, 0);
  e = enc_of("UTF-16BE");
  check_splits(&e, D.in, D.n);
  e = enc_of("UTF-16LE");
  check_splits(&e, bad16, sizeof bad16 - 1);
  n = make_utf8(big_utf8, sizeof big_utf8, "", body_latin1, 30);
  doc_make(&D, big_utf8, n, TO_LATIN1, 0);
  e = enc_of("latin1");
  check_splits(&e, D.in, D.n);
  e = enc_of("US-ASCII");
  check_splits(&e, D.in, D.n); /* high bytes included */
}

static void test_chunk_splits_iconv(void **state) {
  static const char jis[] =
      "<a t='\xE3\x81\x82'>\xE3\x81\x82\xE3\x81\x84 abc \xE6\xBC\xA2\xE5\xAD"
      "\x97\r\n\xEF\xBD\xB1x</a>";
  static const unsigned char ibm930[] =
      "\xC1\x0E\x44\x5A\x44\x5A\x0F\xC2\x0F\xC3\x0E\x44";
  ng__xml_enc e;
  char buf[2048];
  int i;

  (void)state;
  buf[0] = '\0';
  for (i = 0; i < 12; i++)
    strcat(buf, jis);
  doc_iconv(&D, "SHIFT_JIS", buf);
  D.in[D.n++] = 0x82; /* a lead byte cut by the end */
  e = enc_of("Shift_JIS");
  check_splits(&e, D.in, D.n);
  e = enc_of("IBM930"); /* shifts, and a character cut by the end */
  check_splits(&e, ibm930, sizeof ibm930 - 1);
  doc_iconv(&D, "WINDOWS-1252", "caf\xC3\xA9 \xE2\x82\xAC");
  D.in[D.n++] = 0x81; /* undefined in windows-1252: EILSEQ */
  D.in[D.n++] = 'z';
  e = enc_of("windows-1252");
  check_splits(&e, D.in, D.n);
}

/*
 * Inputs over several of the transcoder's 64 KiB blocks, with a surrogate
 * pair across a block edge: one feed (block loops) and one-byte feeds
 * (per-character path) agree, and the map is exact.
 */
static void test_bulk_blocks(void **state) {
  static const char *encs[] = {"UTF-16LE", "UTF-16BE", "latin1"};
  ng__xml_tc whole, bytes;
  ng__xml_enc e;
  size_t n, i;
  int k;

  (void)state;
  for (k = 0; k < 3; k++) {
    /* UTF-16: 6 bytes a part, so part 10922's pair is at 65534..65537. */
    const char *part = k == 2 ? "caf\xC3\xA9 " : "x\xF0\x9F\x98\x80";
    for (n = 0; n < 240000; n += strlen(part))
      memcpy(big_text + n, part, strlen(part));
    doc_make(&D, big_text, n, k == 0 ? TO_LE : k == 1 ? TO_BE : TO_LATIN1, 0);
    assert_true(D.n > 3 * 65536);
    e = enc_of(encs[k]);
    tc_whole(&whole, &e, 0, D.in, D.n);
    assert_int_equal(ng__xml_tc_init(&bytes, &e, 0, NULL), NG_OK);
    for (i = 0; i < D.n; i++)
      assert_int_equal(ng__xml_tc_feed(&bytes, D.in + i, 1, 0), NG_OK);
    assert_int_equal(ng__xml_tc_feed(&bytes, NULL, 0, 1), NG_OK);
    assert_same_tc(&whole, &bytes, (size_t)-1);
    assert_int_equal(whole.len, n);
    assert_memory_equal(whole.out, big_text, n);
    check_map(&whole.map, whole.out, &D);
    ng__xml_tc_free(&whole);
    ng__xml_tc_free(&bytes);
  }
}

/* ---------------------------------------------------------- bad input */

/* Transcodes in as enc; expects text exp and the first invalid UTF-8
 * byte at text offset bad, mapped to original offset orig. */
static void expect_bad(const char *enc, const void *in, size_t n,
                       const char *exp, size_t elen, size_t bad, size_t orig) {
  ng__xml_enc e = enc_of(enc);
  ng__xml_tc tc;

  tc_whole(&tc, &e, 0, in, n);
  if (tc.len != elen || memcmp(tc.out, exp, elen) != 0)
    fail_msg("%s: wrong text (%zu bytes)", enc, tc.len);
  assert_int_equal(first_bad_utf8(tc.out, tc.len), bad);
  assert_int_equal(ng__offmap_orig(&tc.map, tc.out, bad), orig);
  ng__xml_tc_free(&tc);
}

#define EXP(s) s, sizeof(s) - 1

static void test_bad_input(void **state) {
  (void)state;
  /* Odd trailing byte. */
  expect_bad("UTF-16LE", "<\0a\0>\0A", 7, EXP("<a>\xFF"), 3, 6);
  expect_bad("UTF-16BE", "\0<\0", 3, EXP("<\xFF"), 1, 2);
  /* Unpaired high surrogate before a BMP unit, before another high
   * surrogate, at the end. */
  expect_bad("UTF-16LE",
             "a\0\x00\xD8"
             "b\0",
             6,
             EXP("a\xED\xA0\x80"
                 "b"),
             1, 2);
  expect_bad("UTF-16BE", "\xD8\x00\xD8\x01\xDC\x00", 6,
             EXP("\xED\xA0\x80\xF0\x90\x90\x80"), 0, 0);
  expect_bad("UTF-16LE", "a\0b\0\xFF\xDB", 6, EXP("ab\xED\xAF\xBF"), 2, 4);
  /* High surrogate then odd byte: both, in order. */
  expect_bad("UTF-16LE", "\x00\xD8z", 3, EXP("\xED\xA0\x80\xFF"), 0, 0);
  /* Unpaired low surrogate, alone and before a high one. */
  expect_bad("UTF-16LE",
             "x\0\x00\xDC"
             "y\0",
             6, EXP("x\xED\xB0\x80y"), 1, 2);
  expect_bad("UTF-16BE", "\xDF\xFF\xD8\x00", 4, EXP("\xED\xBF\xBF\xED\xA0\x80"),
             0, 0);
  /* A pair after an unpaired surrogate maps past it. */
  {
    ng__xml_enc e = enc_of("UTF-16LE");
    ng__xml_tc tc;
    tc_whole(&tc, &e, 0,
             "\x00\xDC\x3D\xD8\x00\xDE"
             "a\0",
             8);
    assert_int_equal(ng__offmap_orig(&tc.map, tc.out, 3), 2);
    assert_int_equal(ng__offmap_orig(&tc.map, tc.out, 7), 6);
    ng__xml_tc_free(&tc);
  }
  /* US-ASCII: bytes >= 0x80. */
  expect_bad("US-ASCII",
             "ab\x80"
             "c\xFF",
             5,
             EXP("ab\xFF"
                 "c\xFF"),
             2, 2);
  /* iconv: a byte it rejects, a character cut by the end. */
  expect_bad("windows-1252", "\xE9\x81z", 3, EXP("\xC3\xA9\xFFz"), 2, 1);
  expect_bad("Shift_JIS", "a\x82\xA0\x82", 4, EXP("a\xE3\x81\x82\xFF"), 4, 3);
  /* Legal-but-forbidden characters pass through for the lexer. */
  expect_bad("UTF-16LE", "\x01\0\0\0\xFE\xFF", 6, EXP("\x01\x00\xEF\xBF\xBE"),
             5, 6);
}

/* -------------------------------------------------------- line/column */

static void test_linecol(void **state) {
  /* Lines: a | b | (LF of CR LF) c | d | (empty) | e. */
  static const char text[] = "a\rb\r\nc\nd\n\re\r";
  static const struct {
    size_t off, line, col;
  } t[] = {
      {0, 1, 1}, {1, 1, 3}, {2, 2, 1}, {3, 2, 3},  {4, 3, 1},  {5, 3, 1},
      {6, 3, 3}, {7, 4, 1}, {9, 5, 1}, {10, 6, 1}, {11, 6, 3}, {12, 7, 1},
  };
  size_t i, line, col;
  ng__xml_enc e = enc_of("UTF-16LE");
  ng__xml_tc tc;
  ng_error err;

  (void)state;
  doc_make(&D, text, sizeof text - 1, TO_LE, 1);
  tc_whole(&tc, &e, 2, D.in + 2, D.n - 2);
  for (i = 0; i < sizeof t / sizeof t[0]; i++) {
    ng__offmap_linecol(&tc.map, tc.out, t[i].off, &line, &col);
    if (line != t[i].line || col != t[i].col)
      fail_msg("offset %zu: %zu:%zu, expected %zu:%zu", t[i].off, line, col,
               t[i].line, t[i].col);
  }
  /* Columns count original bytes: 2 per UTF-16 unit, 4 per pair. */
  ng__xml_tc_free(&tc);
  tc_whole(&tc, &e, 0,
           "\n\0\x3D\xD8\x00\xDE"
           "b\0c\0",
           10);
  ng__offmap_linecol(&tc.map, tc.out, 6, &line, &col);
  assert_int_equal(line, 2);
  assert_int_equal(col, 1 + 4 + 2);
  /* The error record gets the original offset and the XML position. */
  memset(&err, 0x55, sizeof err);
  assert_int_equal(
      ng__offmap_error(&err, NG_ECHAR, &tc.map, tc.out, 6, 3, "bad char"),
      NG_ECHAR);
  assert_int_equal(err.code, NG_ECHAR);
  assert_int_equal(err.offset, 8);
  assert_int_equal(err.line, 2);
  assert_int_equal(err.column, 7);
  assert_int_equal(err.depth, 3);
  assert_string_equal(err.msg, "bad char");
  assert_int_equal(
      ng__offmap_error(NULL, NG_EUTF8, &tc.map, tc.out, 1, 0, NULL), NG_EUTF8);
  ng__xml_tc_free(&tc);
  /* Identity maps (UTF-8 in place, with its BOM skipped; NULL map). */
  {
    ng__offmap m;
    ng__offmap_init(&m, NULL, 3, NULL);
    ng__offmap_linecol(&m, (const unsigned char *)"x\r\nyz", 4, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 2);
    assert_int_equal(ng__offmap_orig(&m, NULL, 4), 7);
    ng__offmap_linecol(NULL, (const unsigned char *)"ab\n\ncd", 5, &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 2);
  }
}

/* ----------------------------------------------------- offset map API */

/* Step for the unit tests: every character is one decoded byte and `unit`
 * original bytes. */
static void step_units(const unsigned char *dec, size_t unit, size_t *o,
                       size_t *d) {
  (void)dec;
  *o = unit;
  *d = 1;
}

static void test_offmap_api(void **state) {
  static const unsigned char text[4096];
  ng__offmap m;
  ng_failalloc fa;
  size_t i;

  (void)state;
  assert_int_equal(ng__offmap_orig(NULL, text, 12), 12);
  ng_failalloc_init(&fa, 0);
  ng__offmap_init(&m, &fa.alc, 10, step_units);
  assert_int_equal(ng__offmap_orig(&m, text, 0), 10);
  assert_false(ng__offmap_due(&m, NG__OFFMAP_EVERY - 1));
  assert_true(ng__offmap_due(&m, NG__OFFMAP_EVERY));
  /* Runs of 1, 3 and 2 bytes per character; a replaced checkpoint. */
  assert_int_equal(ng__offmap_add(&m, 0, 10, 1), NG_OK);
  assert_int_equal(ng__offmap_add(&m, 5, 15, 9), NG_OK);
  assert_int_equal(ng__offmap_add(&m, 5, 15, 3), NG_OK);
  assert_int_equal(ng__offmap_add(&m, 8, 24, 2), NG_OK);
  assert_int_equal(m.n, 3);
  assert_false(ng__offmap_due(&m, 8 + NG__OFFMAP_EVERY - 1));
  assert_int_equal(ng__offmap_orig(&m, text, 4), 14);
  assert_int_equal(ng__offmap_orig(&m, text, 5), 15);
  assert_int_equal(ng__offmap_orig(&m, text, 7), 21);
  assert_int_equal(ng__offmap_orig(&m, text, 8), 24);
  assert_int_equal(ng__offmap_orig(&m, text, 100), 24 + 2 * 92);
  /* Growth past the first block, lookups by binary search. */
  for (i = 9; i < 1000; i++)
    assert_int_equal(ng__offmap_add(&m, i * 4, i * 5, 0), NG_OK);
  assert_int_equal(ng__offmap_orig(&m, text, 4 * 500 + 3), 5 * 500);
  assert_int_equal(ng__offmap_orig(&m, text, 4 * 999), 5 * 999);
  /* A refused growth leaves the map as it was. */
  fa.fail_after = fa.calls + 1;
  for (i = m.n; i < m.cap; i++)
    assert_int_equal(ng__offmap_add(&m, 4000 + i, 0, 0), NG_OK);
  assert_int_equal(ng__offmap_add(&m, 9000, 0, 0), NG_ENOMEM);
  assert_int_equal(m.n, m.cap);
  ng__offmap_free(&m);
  assert_int_equal(fa.live_blocks, 0);
  assert_false(fa.size_mismatch);
  ng__offmap_free(&m); /* twice is fine */
  /* Without a step: identity between checkpoints. */
  ng__offmap_init(&m, NULL, 0, NULL);
  assert_int_equal(ng__offmap_add(&m, 10, 30, 0), NG_OK);
  assert_int_equal(ng__offmap_orig(&m, text, 9), 9);
  assert_int_equal(ng__offmap_orig(&m, text, 12), 32);
  ng__offmap_free(&m);
}

static void test_tc_contract(void **state) {
  ng__xml_enc e;
  ng__xml_tc tc;

  (void)state;
  e = enc_of("UTF-8");
  assert_int_equal(ng__xml_tc_init(&tc, &e, 0, NULL), NG_EINVAL);
  e = enc_of("UTF-16");
  assert_int_equal(ng__xml_tc_init(&tc, &e, 0, NULL), NG_EINVAL);
  e = enc_of("x-no-such-enc");
  assert_int_equal(ng__xml_tc_init(&tc, &e, 0, NULL), NG_EENCODING);
  e = enc_of("latin1");
  assert_int_equal(ng__xml_tc_init(&tc, &e, 0, NULL), NG_OK);
  assert_int_equal(ng__xml_tc_feed(&tc, NULL, 1, 0), NG_EINVAL);
  assert_int_equal(ng__xml_tc_feed(&tc, "a", 1, 1), NG_OK);
  assert_int_equal(ng__xml_tc_feed(&tc, "b", 1, 1), NG_ESTATE);
  assert_int_equal(tc.len, 1);
  ng__xml_tc_free(&tc);
  ng__xml_tc_free(&tc); /* twice is fine */
}

/* ------------------------------------------------- allocation failure */

typedef struct sweep_arg {
  const unsigned char *in; /* document */
  size_t n;
  const ng__xml_enc *force; /* or NULL */
  const char *exp;          /* expected text */
  size_t elen;
  int bad; /* set when a run failed with something but ENOMEM */
} sweep_arg;

static int op_open(void *arg, const ng_alloc *alc) {
  sweep_arg *a = arg;
  ng__xml_input in;
  ng_error e;
  int rc = ng__xml_input_open(a->in, a->n, a->force, alc, &in, &e);

  if (rc != NG_OK && (rc != NG_ENOMEM || e.code != NG_ENOMEM))
    a->bad = 1;
  if (rc == NG_OK && (in.len != a->elen || memcmp(in.text, a->exp, a->elen)))
    a->bad = 1;
  ng__xml_input_close(&in);
  return rc;
}

/* One-byte chunks: growth happens in the middle of feeds. */
static int op_chunks(void *arg, const ng_alloc *alc) {
  sweep_arg *a = arg;
  ng__xml_tc tc;
  size_t i;
  int rc = ng__xml_tc_init(&tc, a->force, 0, alc);

  for (i = 0; rc == NG_OK && i < a->n; i++)
    rc = ng__xml_tc_feed(&tc, a->in + i, 1, i + 1 == a->n);
  if (rc != NG_OK && rc != NG_ENOMEM)
    a->bad = 1;
  ng__xml_tc_free(&tc);
  return rc;
}

static void sweep(int (*op)(void *, const ng_alloc *), sweep_arg *a) {
  long runs = ng_failalloc_sweep(op, a, 10000);

  assert_true(runs > 0);
  assert_false(a->bad);
}

static void test_nomem_everywhere(void **state) {
  sweep_arg a = {0};
  ng__xml_enc f;
  size_t n;

  (void)state;
  n = make_utf8(big_utf8, sizeof big_utf8,
                "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n", body, 60);
  doc_make(&D, big_utf8, n, TO_BE, 1);
  a = (sweep_arg){D.in, D.n, NULL, big_utf8, n, 0};
  sweep(op_open, &a);
  f = enc_of("UTF-16BE");
  a = (sweep_arg){D.in + 2, D.n - 2, &f, big_utf8, n, 0};
  sweep(op_chunks, &a);

  n = make_utf8(big_utf8, sizeof big_utf8,
                "<?xml version='1.0' encoding='latin1'?>", body_latin1, 60);
  doc_make(&D, big_utf8, n, TO_LATIN1, 0);
  a = (sweep_arg){D.in, D.n, NULL, big_utf8, n, 0};
  sweep(op_open, &a);

  n = make_utf8(big_utf8, sizeof big_utf8,
                "<?xml version='1.0' encoding='Shift_JIS'?>",
                "\xE6\xBC\xA2 ab \xE5\xAD\x97\n", 80);
  doc_iconv(&D, "SHIFT_JIS", big_utf8);
  a = (sweep_arg){D.in, D.n, NULL, big_utf8, n, 0};
  sweep(op_open, &a);
  f = enc_of("Shift_JIS");
  a = (sweep_arg){D.in, D.n, &f, big_utf8, n, 0};
  sweep(op_chunks, &a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_detect_appendix_f),
      cmocka_unit_test(test_enc_names),
      cmocka_unit_test(test_decl_forms),
      cmocka_unit_test(test_decl_utf16),
      cmocka_unit_test(test_contradictions),
      cmocka_unit_test(test_agreements),
      cmocka_unit_test(test_override),
      cmocka_unit_test(test_roundtrip_utf16),
      cmocka_unit_test(test_roundtrip_latin1),
      cmocka_unit_test(test_utf8_in_place),
      cmocka_unit_test(test_map_iconv_single_byte),
      cmocka_unit_test(test_map_iconv_multibyte),
      cmocka_unit_test(test_map_iconv_shift_state),
      cmocka_unit_test(test_map_iconv_composing),
      cmocka_unit_test(test_chunk_splits_native),
      cmocka_unit_test(test_chunk_splits_iconv),
      cmocka_unit_test(test_bulk_blocks),
      cmocka_unit_test(test_bad_input),
      cmocka_unit_test(test_linecol),
      cmocka_unit_test(test_offmap_api),
      cmocka_unit_test(test_tc_contract),
      cmocka_unit_test(test_nomem_everywhere),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
