/*
 * tests/test_xml_decide.c - the encoding decision over a stream's first
 * window (ng__xml_decide with more input to come).
 *
 * For every document below and every length k of its first window, the
 * decision either asks for more (NG__SUSPENDED) or gives exactly what the
 * whole document gives: code, encoding, skipped BOM, and the error's
 * offset, line and column. The table also says the first k that decides,
 * worked out by hand from what the decision has to read (the first 4
 * bytes, then the declaration up to the unit after the last one judged),
 * so that a decision waiting too long fails as well as one deciding too
 * early. Split from test_xml_encoding.c, which tests the decision on whole
 * inputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../parsers/common/stream.h"
#include "../parsers/xml/encoding.h"

/* A document: its bytes, the first window length that decides (its
 * length + 1: none does before the input ends), and the whole answer. */
typedef struct dcase {
  const char *d;
  size_t n;       /* bytes (the literal may hold NULs) */
  size_t decided; /* the first k that is not NG__SUSPENDED */
  int rc;         /* the decision on the whole document */
} dcase;

#define DC(s, at, rc)                                                          \
  { s, sizeof(s) - 1, at, rc }

static const dcase cases[] = {
    /* No declaration: 4 bytes tell the family and that none starts. */
    DC("<a/>", 4, NG_OK),
    DC("<a>", 4, NG_OK), /* shorter than 4: only the whole input decides */
    DC("", 1, NG_OK),
    DC("<?xml-stylesheet?><a/>", 6, NG_OK), /* '-': not a declaration */
    DC("<?xml", 6, NG_OK),
    /* A declaration without encoding: read to what follows its last value
     * ('?' at 19), or to the end of a value that never closes. */
    DC("<?xml version=\"1.0\"?><a/>", 20, NG_OK),
    DC("<?xml version=\"1.0\" standalone='yes'?><a/>", 37, NG_OK),
    DC("<?xml version=\"1.0 encoding='UTF-8'?><a/>", 42, NG_OK),
    /* A declared encoding: read to the closing quote of its name. */
    DC("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>", 36, NG_OK),
    DC("<?xml version='1.0' encoding='ISO-8859-1'?><a/>", 41, NG_OK),
    DC("\xEF\xBB\xBF<?xml version='1.0' encoding='UTF-8'?>", 39, NG_OK),
    DC("<?xml\r\n encoding = 'latin1' ?>", 27, NG_OK),
    /* The campaign's three: a broken name holding '?>' or markup is the
     * name's error, not the declaration's. */
    DC("<?xml version=\"1.0\" encoding=\"a?>b\"?><a/>", 35, NG_EENCODING),
    DC("<?xml version=\"1.0\" encoding=\"<b>\"?><a/>", 34, NG_EENCODING),
    DC("<?xml version=\"1.0\" encoding=\"x?><b>y</b>\"?>", 42, NG_EENCODING),
    DC("<?xml encoding='1x'?>", 19, NG_EENCODING),
    DC("<?xml encoding='UTF-16'?><a/>", 23, NG_EENCODING), /* 8-bit bytes */
    DC("\xEF\xBB\xBF<?xml encoding='US-ASCII'?>", 28, NG_EENCODING),
    DC("<?xml encoding='x-no-such-encoding'?>", 35, NG_EENCODING),
    /* UTF-16: units of two bytes; an odd byte at the end waits too. */
    DC("\xFF\xFE<\0?\0x\0m\0l\0 \0e\0n\0c\0o\0d\0i\0n\0g\0=\0'\0U\0T\0F\0"
       "-\0\x31\0\x36\0'\0?\0>\0",
       48, NG_OK),
    DC("\0<\0?\0x\0m\0l\0 \0v\0=\0'\0\x31\0'\0?\0>", 24, NG_EENCODING),
    DC("\xFE\xFF\0<\0a\0/\0>", 6, NG_OK),
    /* UCS-4 and EBCDIC: the first 4 bytes end it. */
    DC("\0\0\0<\0\0\0a", 4, NG_EENCODING),
    DC("\x4C\x6F\xA7\x94\x93", 4, NG_EENCODING),
};

#define NCASES (sizeof cases / sizeof cases[0])

/* The decision of the first k bytes of c, more or not. */
static int decide(const dcase *c, size_t k, int more, ng__xml_sniff *s,
                  ng_error *e) {
  memset(e, 0, sizeof *e);
  return ng__xml_decide((const unsigned char *)c->d, k, more, NULL, s, e);
}

/* The answer to a window equals the whole document's. */
static void same(const ng__xml_sniff *a, const ng_error *ea,
                 const ng__xml_sniff *b, const ng_error *eb) {
  assert_int_equal(ea->code, eb->code);
  assert_int_equal(ea->offset, eb->offset);
  assert_int_equal(ea->line, eb->line);
  assert_int_equal(ea->column, eb->column);
  if (ea->code == NG_OK) {
    assert_int_equal(a->enc.kind, b->enc.kind);
    assert_string_equal(a->enc.name, b->enc.name);
    assert_int_equal(a->skip, b->skip);
  }
}

static void test_every_window(void **state) {
  ng__xml_sniff whole, part;
  ng_error ew, ep;
  size_t i, k, first;
  int rc;

  (void)state;
  for (i = 0; i < NCASES; i++) {
    rc = decide(&cases[i], cases[i].n, 0, &whole, &ew);
    if (rc != cases[i].rc)
      fail_msg("case %zu: whole rc %d (%s)", i, rc, ew.msg);
    for (first = cases[i].n + 1, k = 0; k <= cases[i].n; k++) {
      rc = decide(&cases[i], k, 1, &part, &ep);
      if (rc == NG__SUSPENDED) {
        assert_int_equal(ep.code, NG_OK); /* untouched */
        continue;
      }
      first = k < first ? k : first;
      assert_int_equal(rc, cases[i].rc);
      same(&whole, &ew, &part, &ep);
    }
    if (first != cases[i].decided)
      fail_msg("case %zu: decided at %zu, not %zu", i, first, cases[i].decided);
  }
}

/* Without more input, a cut declaration is the whole input: no name. */
static void test_cut_is_final_without_more(void **state) {
  static const dcase c = DC("<?xml version='1.0' encoding='a?>b", 0, NG_OK);
  ng__xml_sniff s;
  ng_error e;

  (void)state;
  assert_int_equal(decide(&c, c.n, 1, &s, &e), NG__SUSPENDED);
  assert_int_equal(decide(&c, c.n, 0, &s, &e), NG_OK);
  assert_int_equal(s.enc.kind, NG__XML_ENC_UTF8);
  assert_int_equal(s.name_len, 0);
  assert_true(s.has_decl);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_window),
      cmocka_unit_test(test_cut_is_final_without_more),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
