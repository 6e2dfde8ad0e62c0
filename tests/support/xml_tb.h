/*
 * tests/support/xml_tb.h - building XML documents in tests through the
 * builder the engines use (parsers/xml/builder.h), and checking what the
 * writers make of them. Shared by test_xml_dom.c and test_xml_write.c;
 * include it after <cmocka.h>. Every helper fails the test (cmocka) on an
 * unexpected result.
 */
#ifndef NG_TEST_XML_TB_H
#define NG_TEST_XML_TB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nestguard.h"
#include "../../parsers/xml/builder.h"
#include "../../parsers/xml/dom.h"
#include "membuf.h"

#define XMLNS "http://www.w3.org/2000/xmlns/"
#define L(s) s, sizeof(s) - 1 /* a literal and its length */

/* A document under construction. */
typedef struct tb {
  ng_xml_doc *doc;
  ng__xml_builder b;
} tb;

static inline void tb_init(tb *t, unsigned flags, const ng_alloc *alc) {
  t->doc = ng__xml_doc_new(alc, 0);
  assert_non_null(t->doc);
  ng__xml_builder_init(&t->b, t->doc, flags, alc);
}

static inline ng_xml_doc *tb_done(tb *t) {
  assert_int_equal(ng__xml_build_finish(&t->b), NG_OK);
  ng__xml_builder_free(&t->b);
  return t->doc;
}

#define OK(call) assert_int_equal((call), NG_OK)
#define START(t, name) OK(ng__xml_build_start(&(t)->b, L(name), NULL, 0))
#define START_NS(t, name, uri) OK(ng__xml_build_start(&(t)->b, L(name), L(uri)))
#define ATTR(t, name, v) OK(ng__xml_build_attr(&(t)->b, L(name), L(v), NULL, 0))
#define ATTR_NS(t, name, v, uri)                                               \
  OK(ng__xml_build_attr(&(t)->b, L(name), L(v), L(uri)))
#define DONE(t) OK(ng__xml_build_start_done(&(t)->b))
#define END(t) OK(ng__xml_build_end(&(t)->b))
#define EMPTY(t, name) (START(t, name), DONE(t), END(t))
#define TEXT(t, s) OK(ng__xml_build_text(&(t)->b, L(s), 0))
#define CDATA(t, s) OK(ng__xml_build_text(&(t)->b, L(s), 1))
#define COMMENT(t, s) OK(ng__xml_build_comment(&(t)->b, L(s)))
#define PI(t, target, d) OK(ng__xml_build_pi(&(t)->b, L(target), L(d)))

/*
 * The sample document, namespaces on, CDATA merged:
 *
 * <!--pro--><?pi data?><!DOCTYPE r PUBLIC "-//p" "s.dtd">
 * <r xmlns="urn:a" xmlns:p="urn:p" a="1" p:b="x&quot;y">
 *   <p:c>t1&amp;<![CDATA[cd]]>t2</p:c><e/><!--c--><?t?>tail</r><!--epi-->
 */
static inline ng_xml_doc *make_sample_flags(const ng_alloc *alc,
                                            unsigned flags) {
  tb t;

  tb_init(&t, flags, alc);
  COMMENT(&t, "pro");
  PI(&t, "pi", "data");
  OK(ng__xml_build_doctype(&t.b, L("r"), L("-//p"), L("s.dtd")));
  START_NS(&t, "r", "urn:a");
  ATTR_NS(&t, "xmlns", "urn:a", XMLNS);
  ATTR_NS(&t, "xmlns:p", "urn:p", XMLNS);
  ATTR(&t, "a", "1");
  ATTR_NS(&t, "p:b", "x\"y", "urn:p");
  DONE(&t);
  START_NS(&t, "p:c", "urn:p");
  DONE(&t);
  TEXT(&t, "t1");
  TEXT(&t, "&");
  CDATA(&t, "cd");
  TEXT(&t, "t2");
  END(&t);
  START_NS(&t, "e", "urn:a");
  DONE(&t);
  END(&t);
  COMMENT(&t, "c");
  PI(&t, "t", "");
  TEXT(&t, "tail");
  END(&t);
  COMMENT(&t, "epi");
  return tb_done(&t);
}

static inline ng_xml_doc *make_sample(const ng_alloc *alc) {
  return make_sample_flags(alc, NG__XML_BUILD_NS);
}

/* Both writers give exactly want[0..want_len). */
static inline void expect_text(const ng_xml_node *n, unsigned flags,
                               const char *want, size_t want_len) {
  membuf m = {0};
  char *out;
  size_t len;

  assert_int_equal(ng_xml_write(n, flags, NULL, &out, &len), NG_OK);
  if (len != want_len || memcmp(out, want, len) != 0)
    fail_msg("wrote\n%s\nwanted\n%.*s", out, (int)want_len, want);
  assert_int_equal(out[len], '\0');
  free(out);
  assert_int_equal(ng_xml_write_cb(n, flags, mem_sink, &m), NG_OK);
  assert_int_equal(m.len, want_len);
  assert_memory_equal(m.p, want, want_len);
  free(m.p);
}

#define EXPECT_TEXT(n, flags, lit) expect_text(n, flags, lit, sizeof(lit) - 1)

/* Both writers refuse n with NG_EINVAL. */
static inline void expect_einval(const ng_xml_node *n) {
  membuf m = {0};
  char *out = (char *)(uintptr_t) "x";
  size_t len = 7;

  assert_int_equal(ng_xml_write(n, 0, NULL, &out, &len), NG_EINVAL);
  assert_null(out);
  assert_int_equal(len, 0);
  assert_int_equal(ng_xml_write_cb(n, NG_XML_WRITE_PRETTY, mem_sink, &m),
                   NG_EINVAL);
  free(m.p);
}

/* The n-th child (0-based) of p. */
static inline ng_xml_node *child(const ng_xml_node *p, size_t n) {
  ng_xml_node *c = ng_xml_first(p);

  while (c != NULL && n-- > 0)
    c = ng_xml_next(c);
  assert_non_null(c);
  return c;
}

/* Is s[0..*n) the literal lit? (*n is read after s is computed.) */
static inline bool is_str(const char *s, const size_t *n, const char *lit,
                          size_t litlen) {
  return s != NULL && *n == litlen && memcmp(s, lit, litlen) == 0;
}

#define IS(s, n, lit) is_str(s, &(n), lit, sizeof(lit) - 1)

#endif /* NG_TEST_XML_TB_H */
