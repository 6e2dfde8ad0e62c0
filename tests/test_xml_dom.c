/*
 * tests/test_xml_dom.c - the XML DOM: the builder (names, namespaces,
 * attributes, text merging, limits), accessors and attribute lookup, text
 * content, equality, copy, walk, and allocation failure sweeps over
 * build, copy, write and text content. tests/test_xml_write.c has the
 * writer's output and escaping, and every operation at 10,000,000 levels.
 *
 * Documents are built through the builder the engines use
 * (support/xml_tb.h, parsers/xml/builder.h), so these tests need no
 * parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nestguard.h"
#include "support/failalloc.h"
#include "support/xml_tb.h"

/* ------------------------------------------------ document, accessors */

static void test_doc_basics(void **state) {
  ng_failalloc fa;
  ng_xml_doc *doc;
  ng_xml_node *d;
  size_t before;
  (void)state;
  assert_null(ng_xml_doc_node(NULL));
  assert_null(ng_xml_doc_root(NULL));
  assert_null(ng_xml_doc_doctype(NULL));
  assert_int_equal(ng_xml_doc_memory(NULL), 0);
  ng_xml_doc_free(NULL);

  ng_failalloc_init(&fa, 0);
  doc = ng__xml_doc_new(&fa.alc, 0);
  assert_non_null(doc);
  d = ng_xml_doc_node(doc);
  assert_int_equal(d->type, NG_XML_DOCUMENT);
  assert_null(ng_xml_first(d));
  assert_null(ng_xml_next(d));
  assert_null(ng_xml_parent(d));
  assert_null(ng_xml_doc_root(doc));
  assert_null(ng_xml_doc_doctype(doc));
  before = ng_xml_doc_memory(doc);
  assert_int_equal(before, fa.live_bytes); /* only the struct so far */
  ng_xml_doc_free(doc);
  assert_int_equal(fa.live_blocks, 0);

  doc = make_sample(&fa.alc);
  assert_int_equal(ng_xml_doc_memory(doc), fa.live_bytes);
  assert_true(ng_xml_doc_memory(doc) > before);
  ng_xml_doc_free(doc);
  assert_int_equal(fa.live_blocks, 0);
  assert_false(fa.size_mismatch);

  ng_failalloc_init(&fa, 1); /* the struct itself fails */
  assert_null(ng__xml_doc_new(&fa.alc, 0));
  assert_int_equal(fa.live_blocks, 0);
}

static void test_accessors(void **state) {
  ng_xml_doc *doc = make_sample(NULL);
  ng_xml_node *d = ng_xml_doc_node(doc), *r = ng_xml_doc_root(doc), *c, *n;
  const char *s;
  size_t len = 99;
  (void)state;
  /* The DOCUMENT's children: prolog, doctype, root, epilog in order. */
  assert_int_equal(child(d, 0)->type, NG_XML_COMMENT);
  assert_int_equal(child(d, 1)->type, NG_XML_PI);
  assert_ptr_equal(child(d, 2), ng_xml_doc_doctype(doc));
  assert_ptr_equal(child(d, 3), r);
  assert_int_equal(child(d, 4)->type, NG_XML_COMMENT);
  assert_null(ng_xml_next(child(d, 4)));
  assert_ptr_equal(ng_xml_parent(r), d);
  assert_ptr_equal(ng_xml_parent(child(d, 0)), d);
  assert_int_equal(ng_xml_type_of(r), NG_XML_ELEMENT);
  assert_int_equal(ng_xml_type_of(NULL), 0);
  /* Names of an element in a default namespace. */
  s = ng_xml_name(r, &len);
  assert_true(IS(s, len, "r"));
  s = ng_xml_local_name(r, &len);
  assert_true(IS(s, len, "r"));
  assert_null(ng_xml_prefix(r, &len));
  assert_int_equal(len, 0);
  s = ng_xml_ns_uri(r, &len);
  assert_true(IS(s, len, "urn:a"));
  assert_string_equal(s, "urn:a"); /* NUL-terminated too */
  /* A prefixed element. */
  c = child(r, 0);
  assert_true(IS(ng_xml_name(c, &len), len, "p:c"));
  assert_true(IS(ng_xml_local_name(c, &len), len, "c"));
  assert_true(IS(ng_xml_prefix(c, &len), len, "p"));
  assert_true(IS(ng_xml_ns_uri(c, &len), len, "urn:p"));
  assert_ptr_equal(ng_xml_parent(c), r);
  /* Its one merged text node: data, CDATA and a reference. */
  n = ng_xml_first(c);
  assert_int_equal(n->type, NG_XML_TEXT);
  assert_null(ng_xml_next(n));
  assert_true(IS(ng_xml_data(n, &len), len, "t1&cdt2"));
  assert_string_equal(n->as.s, "t1&cdt2");
  assert_null(ng_xml_name(n, &len));
  assert_int_equal(len, 0);
  assert_null(ng_xml_first(n));
  /* Comment, PI without data, trailing text, empty element. */
  assert_null(ng_xml_first(child(r, 1)));
  assert_true(IS(ng_xml_data(child(r, 2), &len), len, "c"));
  assert_true(IS(ng_xml_name(child(r, 3), &len), len, "t"));
  assert_true(IS(ng_xml_data(child(r, 3), &len), len, ""));
  assert_null(ng_xml_local_name(child(r, 3), &len)); /* elements only */
  assert_null(ng_xml_ns_uri(child(r, 3), &len));
  assert_true(IS(ng_xml_data(child(r, 4), &len), len, "tail"));
  assert_ptr_equal(ng_xml_parent(child(r, 4)), r);
  assert_true(IS(ng_xml_data(child(d, 1), &len), len, "data"));
  assert_null(ng_xml_data(r, &len));
  /* The doctype. */
  n = ng_xml_doc_doctype(doc);
  assert_true(IS(ng_xml_name(n, &len), len, "r"));
  assert_true(IS(ng_xml_doctype_public(n, &len), len, "-//p"));
  assert_true(IS(ng_xml_doctype_system(n, &len), len, "s.dtd"));
  assert_null(ng_xml_doctype_public(r, &len));
  assert_null(ng_xml_doctype_system(NULL, &len));
  assert_null(ng_xml_data(n, &len));
  /* NULL everywhere; len may be NULL. */
  assert_null(ng_xml_first(NULL));
  assert_null(ng_xml_next(NULL));
  assert_null(ng_xml_parent(NULL));
  assert_null(ng_xml_name(NULL, &len));
  assert_null(ng_xml_local_name(NULL, NULL));
  assert_null(ng_xml_prefix(NULL, NULL));
  assert_null(ng_xml_ns_uri(NULL, NULL));
  assert_null(ng_xml_data(NULL, NULL));
  assert_non_null(ng_xml_name(r, NULL));
  ng_xml_doc_free(doc);
}

static void test_attributes(void **state) {
  ng_xml_doc *doc = make_sample(NULL);
  ng_xml_node *r = ng_xml_doc_root(doc);
  const ng_xml_attr *a;
  size_t len;
  (void)state;
  assert_int_equal(ng_xml_attr_count(r), 4);
  assert_int_equal(ng_xml_attr_count(child(r, 1)), 0);
  assert_int_equal(ng_xml_attr_count(ng_xml_doc_node(doc)), 0);
  assert_int_equal(ng_xml_attr_count(NULL), 0);
  /* In document order, xmlns declarations included. */
  a = ng_xml_attr_at(r, 0);
  assert_true(IS(ng_xml_attr_name(a, &len), len, "xmlns"));
  assert_null(ng_xml_attr_prefix(a, &len));
  assert_true(IS(ng_xml_attr_ns_uri(a, &len), len, XMLNS));
  a = ng_xml_attr_at(r, 1);
  assert_true(IS(ng_xml_attr_name(a, &len), len, "xmlns:p"));
  assert_true(IS(ng_xml_attr_prefix(a, &len), len, "xmlns"));
  assert_true(IS(ng_xml_attr_local_name(a, &len), len, "p"));
  assert_true(IS(ng_xml_attr_value(a, &len), len, "urn:p"));
  a = ng_xml_attr_at(r, 2);
  assert_true(IS(ng_xml_attr_name(a, &len), len, "a"));
  assert_null(ng_xml_attr_ns_uri(a, &len)); /* unprefixed: no namespace */
  a = ng_xml_attr_at(r, 3);
  assert_true(IS(ng_xml_attr_value(a, &len), len, "x\"y"));
  assert_string_equal(ng_xml_attr_value(a, NULL), "x\"y");
  assert_null(ng_xml_attr_at(r, 4));
  assert_null(ng_xml_attr_at(r, SIZE_MAX));
  assert_null(ng_xml_attr_at(child(r, 0), 0));
  assert_null(ng_xml_attr_at(NULL, 0));
  /* By qualified name. */
  assert_ptr_equal(ng_xml_attr_get(r, L("a")), ng_xml_attr_at(r, 2));
  assert_ptr_equal(ng_xml_attr_get(r, L("p:b")), a);
  assert_ptr_equal(ng_xml_attr_get(r, L("xmlns:p")), ng_xml_attr_at(r, 1));
  assert_null(ng_xml_attr_get(r, L("b")));
  assert_null(ng_xml_attr_get(r, L("p:")));
  assert_null(ng_xml_attr_get(r, NULL, 1));
  assert_null(ng_xml_attr_get(r, "", 0));
  assert_null(ng_xml_attr_get(NULL, L("a")));
  assert_null(ng_xml_attr_get(child(r, 3), L("a"))); /* a PI */
  /* By namespace URI and local name. */
  assert_ptr_equal(ng_xml_attr_get_ns(r, L("urn:p"), L("b")), a);
  assert_ptr_equal(ng_xml_attr_get_ns(r, NULL, 0, L("a")),
                   ng_xml_attr_at(r, 2));
  assert_ptr_equal(ng_xml_attr_get_ns(r, "", 0, L("a")), ng_xml_attr_at(r, 2));
  assert_ptr_equal(ng_xml_attr_get_ns(r, NULL, 5, L("a")),
                   ng_xml_attr_at(r, 2)); /* uri NULL: length ignored */
  assert_ptr_equal(ng_xml_attr_get_ns(r, L(XMLNS), L("p")),
                   ng_xml_attr_at(r, 1));
  assert_null(ng_xml_attr_get_ns(r, L("urn:a"), L("b")));
  assert_null(ng_xml_attr_get_ns(r, NULL, 0, L("b")));
  assert_null(ng_xml_attr_get_ns(r, L("urn:p"), NULL, 1));
  /* NULL attribute. */
  assert_null(ng_xml_attr_name(NULL, &len));
  assert_int_equal(len, 0);
  assert_null(ng_xml_attr_local_name(NULL, &len));
  assert_null(ng_xml_attr_prefix(NULL, &len));
  assert_null(ng_xml_attr_ns_uri(NULL, &len));
  assert_null(ng_xml_attr_value(NULL, NULL));
  ng_xml_doc_free(doc);
}

/* Names are interned per document: one record per (name, URI). */
static void test_interning(void **state) {
  ng_xml_doc *doc;
  ng_xml_node *r, *x, *y, *z;
  tb t;
  (void)state;
  tb_init(&t, NG__XML_BUILD_NS, NULL);
  START(&t, "r");
  ATTR(&t, "k", "1");
  DONE(&t);
  START_NS(&t, "p:x", "urn:1");
  ATTR(&t, "k", "2");
  DONE(&t);
  END(&t);
  START_NS(&t, "p:x", "urn:1"); /* the cached name */
  DONE(&t);
  END(&t);
  START_NS(&t, "p:x", "urn:2"); /* same name, another URI */
  DONE(&t);
  END(&t);
  START(&t, "r"); /* the first name again, after others */
  DONE(&t);
  END(&t);
  END(&t);
  doc = tb_done(&t);
  r = ng_xml_doc_root(doc);
  x = child(r, 0);
  y = child(r, 1);
  z = child(r, 2);
  assert_ptr_equal(ng__xml_qname(x), ng__xml_qname(y));
  assert_ptr_not_equal(ng__xml_qname(x), ng__xml_qname(z));
  assert_ptr_equal(ng__xml_qname(r), ng__xml_qname(child(r, 3)));
  assert_ptr_equal(ng_xml_attr_at(r, 0)->name, ng_xml_attr_at(x, 0)->name);
  assert_ptr_equal(ng_xml_ns_uri(x, NULL), ng_xml_ns_uri(y, NULL));
  assert_string_equal(ng_xml_ns_uri(z, NULL), "urn:2");
  assert_false(ng_xml_equal(x, z));
  ng_xml_doc_free(doc);
}

/* Namespaces off: names are not split and have no URI. */
static void test_namespaces_off(void **state) {
  ng_xml_doc *doc;
  ng_xml_node *r;
  size_t len;
  tb t;
  (void)state;
  tb_init(&t, 0, NULL);
  START(&t, "p:x");
  ATTR(&t, "xmlns:p", "urn:p");
  ATTR(&t, "q:y", "1");
  DONE(&t);
  END(&t);
  doc = tb_done(&t);
  r = ng_xml_doc_root(doc);
  assert_true(IS(ng_xml_local_name(r, &len), len, "p:x"));
  assert_null(ng_xml_prefix(r, &len));
  assert_null(ng_xml_ns_uri(r, &len));
  assert_true(
      IS(ng_xml_attr_local_name(ng_xml_attr_at(r, 1), &len), len, "q:y"));
  assert_ptr_equal(ng_xml_attr_get_ns(r, NULL, 0, L("q:y")),
                   ng_xml_attr_at(r, 1));
  EXPECT_TEXT(r, 0, "<p:x xmlns:p=\"urn:p\" q:y=\"1\"/>");
  ng_xml_doc_free(doc);
  /* With namespaces on, a colon at either end does not split. */
  tb_init(&t, NG__XML_BUILD_NS, NULL);
  START(&t, ":a");
  ATTR(&t, "b:", "1");
  DONE(&t);
  END(&t);
  doc = tb_done(&t);
  r = ng_xml_doc_root(doc);
  assert_null(ng_xml_prefix(r, &len));
  assert_null(ng_xml_attr_prefix(ng_xml_attr_at(r, 0), &len));
  ng_xml_doc_free(doc);
}

/* ------------------------------------------------------------- text */

static void test_text_merging(void **state) {
  ng_xml_doc *doc;
  ng_xml_node *r;
  size_t len;
  tb t;
  (void)state;
  /* Default: CDATA merges with its neighbours; empty text makes nothing;
   * comments and elements end a run. */
  tb_init(&t, 0, NULL);
  START(&t, "r");
  DONE(&t);
  TEXT(&t, "");
  TEXT(&t, "a");
  CDATA(&t, "b");
  CDATA(&t, "");
  TEXT(&t, "c");
  COMMENT(&t, "k");
  TEXT(&t, "d");
  EMPTY(&t, "e");
  CDATA(&t, "f");
  PI(&t, "p", "");
  TEXT(&t, "");
  END(&t);
  doc = tb_done(&t);
  r = ng_xml_doc_root(doc);
  assert_true(IS(ng_xml_data(child(r, 0), &len), len, "abc"));
  assert_int_equal(child(r, 0)->type, NG_XML_TEXT);
  assert_int_equal(child(r, 1)->type, NG_XML_COMMENT);
  assert_true(IS(ng_xml_data(child(r, 2), &len), len, "d"));
  assert_int_equal(child(r, 3)->type, NG_XML_ELEMENT);
  assert_int_equal(child(r, 4)->type, NG_XML_TEXT); /* CDATA as text */
  assert_int_equal(child(r, 5)->type, NG_XML_PI);
  assert_null(ng_xml_next(child(r, 5)));
  EXPECT_TEXT(r, 0, "<r>abc<!--k-->d<e/>f<?p?></r>");
  ng_xml_doc_free(doc);
  /* Kept apart: every CDATA section is a node, empty ones too. */
  tb_init(&t, NG__XML_BUILD_CDATA, NULL);
  START(&t, "r");
  DONE(&t);
  TEXT(&t, "a");
  TEXT(&t, "b");
  CDATA(&t, "c");
  CDATA(&t, "");
  TEXT(&t, "d");
  TEXT(&t, "e");
  END(&t);
  doc = tb_done(&t);
  r = ng_xml_doc_root(doc);
  assert_true(IS(ng_xml_data(child(r, 0), &len), len, "ab"));
  assert_int_equal(child(r, 1)->type, NG_XML_CDATA);
  assert_true(IS(ng_xml_data(child(r, 1), &len), len, "c"));
  assert_int_equal(child(r, 2)->type, NG_XML_CDATA);
  assert_int_equal(child(r, 2)->len, 0);
  assert_true(IS(ng_xml_data(child(r, 3), &len), len, "de"));
  assert_int_equal(child(r, 3)->type, NG_XML_TEXT);
  assert_null(ng_xml_next(child(r, 3)));
  EXPECT_TEXT(r, 0, "<r>ab<![CDATA[c]]><![CDATA[]]>de</r>");
  ng_xml_doc_free(doc);
}

/*
 * Many small pieces merge into one text whatever the arena does: in place
 * while the chunk has room, then through the heap buffer. The result is
 * byte-exact and is the node's text at the next event (end), at a comment,
 * and at finish for text at the top (a copied text node).
 */
static void test_text_merging_long(void **state) {
  size_t pieces = 200000, i, len;
  char *want = malloc(pieces * 7);
  const char *s;
  ng_xml_doc *doc;
  ng_xml_node *r;
  tb t;
  (void)state;
  assert_non_null(want);
  for (i = 0; i < pieces * 7; i++)
    want[i] = (char)('a' + (i / 7 + i) % 26);
  tb_init(&t, 0, NULL);
  START(&t, "r");
  DONE(&t);
  for (i = 0; i < pieces; i++)
    OK(ng__xml_build_text(&t.b, want + 7 * i, 7, (int)(i & 1)));
  COMMENT(&t, "x");
  for (i = 0; i < pieces; i++)
    OK(ng__xml_build_text(&t.b, want + 7 * i, 7, 0));
  END(&t);
  for (i = 0; i < 1000; i++) /* top-level text, ended by finish */
    OK(ng__xml_build_text(&t.b, want + 7 * i, 7, 0));
  doc = tb_done(&t);
  r = ng_xml_doc_root(doc);
  s = ng_xml_data(child(r, 0), &len);
  assert_int_equal(len, pieces * 7);
  assert_memory_equal(s, want, len);
  assert_int_equal(s[len], '\0');
  s = ng_xml_data(child(r, 2), &len);
  assert_int_equal(len, pieces * 7);
  assert_memory_equal(s, want, len);
  s = ng_xml_data(ng_xml_next(r), &len);
  assert_int_equal(len, 7000);
  assert_memory_equal(s, want, len);
  assert_int_equal(s[len], '\0');
  ng_xml_doc_free(doc);
  free(want);
}

static void test_text_content(void **state) {
  ng_xml_doc *doc = make_sample(NULL);
  ng_xml_node *d = ng_xml_doc_node(doc), *r = ng_xml_doc_root(doc);
  ng_failalloc fa;
  char *out = (char *)(uintptr_t) "x";
  size_t len = 3;
  (void)state;
  /* Elements and the document: TEXT and CDATA descendants only. */
  OK(ng_xml_text_content(r, NULL, &out, &len));
  assert_string_equal(out, "t1&cdt2tail");
  assert_int_equal(len, 11);
  free(out);
  OK(ng_xml_text_content(d, NULL, &out, NULL));
  assert_string_equal(out, "t1&cdt2tail");
  free(out);
  OK(ng_xml_text_content(child(r, 1), NULL, &out, &len)); /* <e/> */
  assert_string_equal(out, "");
  assert_int_equal(len, 0);
  free(out);
  /* Leaves: their own data; a doctype has none. */
  OK(ng_xml_text_content(child(r, 2), NULL, &out, &len));
  assert_string_equal(out, "c");
  free(out);
  OK(ng_xml_text_content(child(d, 1), NULL, &out, &len));
  assert_string_equal(out, "data");
  free(out);
  OK(ng_xml_text_content(ng_xml_doc_doctype(doc), NULL, &out, &len));
  assert_string_equal(out, "");
  free(out);
  /* The block is exactly len + 1 bytes of alc; failure leaves nothing. */
  ng_failalloc_init(&fa, 0);
  OK(ng_xml_text_content(r, &fa.alc, &out, &len));
  assert_int_equal(fa.live_bytes, len + 1);
  fa.alc.free(fa.alc.ctx, out, len + 1);
  assert_false(fa.size_mismatch);
  ng_failalloc_init(&fa, 1);
  assert_int_equal(ng_xml_text_content(r, &fa.alc, &out, &len), NG_ENOMEM);
  assert_null(out);
  assert_int_equal(len, 0);
  assert_int_equal(ng_xml_text_content(NULL, NULL, &out, &len), NG_EINVAL);
  assert_int_equal(ng_xml_text_content(r, NULL, NULL, &len), NG_EINVAL);
  ng_xml_doc_free(doc);
}

/* ----------------------------------------------------------- equality */

/* A small document whose every field one variant below changes. */
typedef struct variant {
  const char *ename, *euri, *aname, *auri, *aval, *text, *comment, *target,
      *pidata, *dtname, *pubid, *sysid;
  int cdata;    /* the text is a CDATA node */
  int extra;    /* one more empty element at the end of the root */
  int nattr;    /* attributes: 1, or 2 (the same one twice) */
  int nested;   /* the text sits one element deeper */
  int no_dtype; /* no doctype at all */
} variant;

static const variant base = {"p:e", "urn:e", "p:a", "urn:e", "v",   "t",
                             "c",   "tg",    "d",   "r",     "pub", "sys",
                             0,     0,       1,     0,       0};

static ng_xml_doc *make_variant_flags(const variant *v, unsigned flags) {
  int i;
  tb t;

  tb_init(&t, flags, NULL);
  if (!v->no_dtype)
    OK(ng__xml_build_doctype(&t.b, v->dtname, strlen(v->dtname), v->pubid,
                             v->pubid ? strlen(v->pubid) : 0, v->sysid,
                             v->sysid ? strlen(v->sysid) : 0));
  OK(ng__xml_build_start(&t.b, v->ename, strlen(v->ename), v->euri,
                         v->euri ? strlen(v->euri) : 0));
  for (i = 0; i < v->nattr; i++)
    OK(ng__xml_build_attr(&t.b, v->aname, strlen(v->aname), v->aval,
                          strlen(v->aval), v->auri,
                          v->auri ? strlen(v->auri) : 0));
  DONE(&t);
  if (v->nested) {
    START(&t, "n");
    DONE(&t);
  }
  OK(ng__xml_build_text(&t.b, v->text, strlen(v->text), v->cdata));
  if (v->nested)
    END(&t);
  OK(ng__xml_build_comment(&t.b, v->comment, strlen(v->comment)));
  OK(ng__xml_build_pi(&t.b, v->target, strlen(v->target), v->pidata,
                      strlen(v->pidata)));
  if (v->extra)
    EMPTY(&t, "x");
  END(&t);
  return tb_done(&t);
}

static ng_xml_doc *make_variant(const variant *v) {
  return make_variant_flags(v, NG__XML_BUILD_NS | NG__XML_BUILD_CDATA);
}

static void check_differs(const variant *v, const char *what) {
  ng_xml_doc *a = make_variant(&base), *b = make_variant(v);

  if (ng_xml_equal(ng_xml_doc_node(a), ng_xml_doc_node(b)) ||
      ng_xml_equal(ng_xml_doc_node(b), ng_xml_doc_node(a)))
    fail_msg("a different %s was not seen", what);
  ng_xml_doc_free(a);
  ng_xml_doc_free(b);
}

#define DIFFERS(field, value, what)                                            \
  do {                                                                         \
    variant v_ = base;                                                         \
    v_.field = value;                                                          \
    check_differs(&v_, what);                                                  \
  } while (0)

static void test_equal_fields(void **state) {
  ng_xml_doc *a = make_variant(&base), *b = make_variant(&base);
  (void)state;
  assert_true(ng_xml_equal(ng_xml_doc_node(a), ng_xml_doc_node(b)));
  assert_true(ng_xml_equal(ng_xml_doc_root(a), ng_xml_doc_root(b)));
  assert_true(ng_xml_equal(ng_xml_doc_node(a), ng_xml_doc_node(a)));
  assert_false(ng_xml_equal(ng_xml_doc_node(a), ng_xml_doc_root(b)));
  assert_true(ng_xml_equal(NULL, NULL));
  assert_false(ng_xml_equal(ng_xml_doc_root(a), NULL));
  assert_false(ng_xml_equal(NULL, ng_xml_doc_root(a)));
  ng_xml_doc_free(b);
  /* The same bytes split differently: namespaces off. */
  b = make_variant_flags(&base, NG__XML_BUILD_CDATA);
  assert_false(ng_xml_equal(ng_xml_doc_root(a), ng_xml_doc_root(b)));
  assert_false(ng_xml_equal(ng_xml_doc_root(b), ng_xml_doc_root(a)));
  ng_xml_doc_free(a);
  ng_xml_doc_free(b);
  DIFFERS(ename, "p:f", "element local name");
  DIFFERS(ename, "q:e", "element prefix");
  DIFFERS(euri, "urn:f", "element URI");
  DIFFERS(euri, NULL, "element without URI");
  DIFFERS(aname, "p:b", "attribute name");
  DIFFERS(auri, "urn:f", "attribute URI");
  DIFFERS(auri, NULL, "attribute without URI");
  DIFFERS(aval, "w", "attribute value");
  DIFFERS(aval, "vv", "attribute value length");
  DIFFERS(nattr, 2, "attribute count");
  DIFFERS(nattr, 0, "missing attribute");
  DIFFERS(text, "u", "text");
  DIFFERS(text, "", "empty text");
  DIFFERS(cdata, 1, "text/CDATA type");
  DIFFERS(comment, "k", "comment");
  DIFFERS(target, "th", "PI target");
  DIFFERS(pidata, "e", "PI data");
  DIFFERS(pidata, "", "empty PI data");
  DIFFERS(dtname, "s", "doctype name");
  DIFFERS(pubid, "puc", "public id");
  DIFFERS(pubid, NULL, "missing public id");
  DIFFERS(pubid, "", "empty public id");
  DIFFERS(sysid, "syt", "system id");
  DIFFERS(sysid, NULL, "missing system id");
  DIFFERS(no_dtype, 1, "missing doctype");
  DIFFERS(extra, 1, "extra child");
  DIFFERS(nested, 1, "depth of a child");
}

/* Shapes: the same children under different structure. */
static void test_equal_structure(void **state) {
  ng_xml_doc *doc;
  ng_xml_node *r;
  tb t;
  (void)state;
  tb_init(&t, 0, NULL);
  START(&t, "r");
  DONE(&t);
  START(&t, "a"); /* <a><b/></a> */
  DONE(&t);
  EMPTY(&t, "b");
  END(&t);
  START(&t, "a"); /* <a/><b/>: b is a sibling */
  DONE(&t);
  END(&t);
  EMPTY(&t, "b");
  START(&t, "a"); /* <a><b/><b/></a> */
  DONE(&t);
  EMPTY(&t, "b");
  EMPTY(&t, "b");
  END(&t);
  START(&t, "a"); /* <a><b><b/></b></a> */
  DONE(&t);
  START(&t, "b");
  DONE(&t);
  EMPTY(&t, "b");
  END(&t);
  END(&t);
  END(&t);
  doc = tb_done(&t);
  r = ng_xml_doc_root(doc);
  assert_false(ng_xml_equal(child(r, 0), child(r, 1)));
  assert_false(ng_xml_equal(child(r, 1), child(r, 0)));
  assert_false(ng_xml_equal(child(r, 0), child(r, 3)));
  assert_false(ng_xml_equal(child(r, 3), child(r, 0)));
  assert_false(ng_xml_equal(child(r, 3), child(r, 4)));
  assert_false(ng_xml_equal(child(r, 4), child(r, 3)));
  assert_true(ng_xml_equal(child(r, 2), child(child(r, 0), 0)));
  /* A subtree equals its copy at another place; siblings after it are
   * not part of it. */
  assert_true(ng_xml_equal(child(child(r, 3), 0), child(r, 2)));
  ng_xml_doc_free(doc);
}

/* --------------------------------------------------------------- copy */

static void test_copy(void **state) {
  ng_xml_doc *src = make_sample_flags(NULL,
                                      NG__XML_BUILD_NS | NG__XML_BUILD_CDATA),
             *dst = NULL, *sub = NULL;
  ng_xml_node *r = ng_xml_doc_root(src);
  ng_failalloc fa;
  size_t len;
  (void)state;
  ng_failalloc_init(&fa, 0);
  OK(ng_xml_copy(ng_xml_doc_node(src), &fa.alc, &dst));
  assert_true(ng_xml_equal(ng_xml_doc_node(src), ng_xml_doc_node(dst)));
  assert_true(ng_xml_equal(r, ng_xml_doc_root(dst)));
  assert_non_null(ng_xml_doc_doctype(dst));
  assert_int_equal(ng_xml_doc_memory(dst), fa.live_bytes);
  assert_int_equal(child(child(ng_xml_doc_root(dst), 0), 1)->type,
                   NG_XML_CDATA);
  /* An element subtree becomes the root of its copy, and owns its
   * strings: the source may go first. */
  OK(ng_xml_copy(child(r, 0), NULL, &sub));
  ng_xml_doc_free(src);
  assert_int_equal(ng_xml_doc_root(sub)->type, NG_XML_ELEMENT);
  assert_ptr_equal(ng_xml_first(ng_xml_doc_node(sub)), ng_xml_doc_root(sub));
  assert_null(ng_xml_next(ng_xml_doc_root(sub)));
  assert_null(ng_xml_doc_doctype(sub));
  assert_true(IS(ng_xml_ns_uri(ng_xml_doc_root(sub), &len), len, "urn:p"));
  EXPECT_TEXT(ng_xml_doc_node(sub), 0, "<p:c>t1&amp;<![CDATA[cd]]>t2</p:c>");
  EXPECT_TEXT(ng_xml_doc_node(dst), 0,
              "<!--pro--><?pi data?><!DOCTYPE r PUBLIC \"-//p\" \"s.dtd\">"
              "<r xmlns=\"urn:a\" xmlns:p=\"urn:p\" a=\"1\" p:b=\"x&quot;y\">"
              "<p:c>t1&amp;<![CDATA[cd]]>t2</p:c><e/><!--c--><?t?>tail</r>"
              "<!--epi-->");
  ng_xml_doc_free(sub);
  /* A leaf: the only child of the new DOCUMENT, no root element. */
  OK(ng_xml_copy(child(ng_xml_doc_root(dst), 4), NULL, &sub));
  assert_null(ng_xml_doc_root(sub));
  assert_true(
      IS(ng_xml_data(ng_xml_first(ng_xml_doc_node(sub)), &len), len, "tail"));
  ng_xml_doc_free(sub);
  OK(ng_xml_copy(ng_xml_doc_doctype(dst), NULL, &sub));
  assert_ptr_equal(ng_xml_doc_doctype(sub), ng_xml_first(ng_xml_doc_node(sub)));
  assert_true(ng_xml_equal(ng_xml_doc_doctype(sub), ng_xml_doc_doctype(dst)));
  ng_xml_doc_free(sub);
  ng_xml_doc_free(dst);
  assert_int_equal(fa.live_blocks, 0);
  assert_false(fa.size_mismatch);
  /* Bad arguments. */
  sub = (ng_xml_doc *)(uintptr_t)1;
  assert_int_equal(ng_xml_copy(NULL, NULL, &sub), NG_EINVAL);
  assert_null(sub);
  assert_int_equal(ng_xml_copy(r, NULL, NULL), NG_EINVAL);
}

/* --------------------------------------------------------------- walk */

typedef struct trace {
  char s[256];
  size_t n;
  size_t stop_at; /* nonzero: enter returns -7 at this node */
  size_t nodes;
} trace;

static int tr_enter(void *ud, const ng_xml_node *v, size_t depth) {
  trace *t = ud;
  static const char tc[] = "?DETCMPY";

  t->nodes++;
  t->n += (size_t)snprintf(t->s + t->n, sizeof t->s - t->n, "%c%zu",
                           tc[v->type], depth);
  return t->nodes == t->stop_at ? -7 : 0;
}

static int tr_leave(void *ud, const ng_xml_node *v, size_t depth) {
  trace *t = ud;

  t->n += (size_t)snprintf(t->s + t->n, sizeof t->s - t->n, "/%c%zu",
                           v->type == NG_XML_DOCUMENT ? 'D' : 'E', depth);
  return 0;
}

static void test_walk(void **state) {
  ng_xml_doc *doc = make_sample(NULL);
  ng_xml_node *d = ng_xml_doc_node(doc), *r = ng_xml_doc_root(doc);
  trace t = {0};
  (void)state;
  assert_int_equal(ng_xml_walk(d, tr_enter, tr_leave, &t), 0);
  assert_string_equal(t.s, "D0M1P1Y1E1E2T3/E2E2/E2M2P2T2/E1M1/D0");
  memset(&t, 0, sizeof t);
  assert_int_equal(ng_xml_walk(d, tr_enter, NULL, &t), 0);
  assert_int_equal(t.nodes, 12);
  memset(&t, 0, sizeof t);
  assert_int_equal(ng_xml_walk(d, NULL, tr_leave, &t), 0);
  assert_string_equal(t.s, "/E2/E2/E1/D0");
  /* Stop: the callback's value comes back, nothing after it runs. */
  memset(&t, 0, sizeof t);
  t.stop_at = 6;
  assert_int_equal(ng_xml_walk(d, tr_enter, tr_leave, &t), -7);
  assert_string_equal(t.s, "D0M1P1Y1E1E2");
  /* A subtree starts at depth 0 and stays inside. */
  memset(&t, 0, sizeof t);
  assert_int_equal(ng_xml_walk(child(r, 0), tr_enter, tr_leave, &t), 0);
  assert_string_equal(t.s, "E0T1/E0");
  memset(&t, 0, sizeof t);
  assert_int_equal(ng_xml_walk(child(r, 4), tr_enter, tr_leave, &t), 0);
  assert_string_equal(t.s, "T0");
  assert_int_equal(ng_xml_walk(NULL, tr_enter, tr_leave, &t), NG_EINVAL);
  ng_xml_doc_free(doc);
}

/* ------------------------------------------------------------- limits */

/*
 * Sizes are 32-bit (xml.h): every string of 4 GiB or more is NG_ESTRLIMIT
 * and an element's 2^32nd attribute NG_EMEMLIMIT, before a byte of the
 * string is read, so the calls below pass lengths their (tiny) buffers do
 * not have.
 */
static void test_sizes_are_32_bit(void **state) {
  static const char s[] = "ab";
  /* volatile: the compiler must not follow these into the copy paths
   * that the length checks keep them from. */
  volatile size_t big_v = (size_t)UINT32_MAX + 1, near_v = UINT32_MAX - 1;
  const size_t big = big_v, near = near_v;
  ng_xml_doc *doc;
  ng__xml_builder *b;
  tb t;
  (void)state;
  tb_init(&t, NG__XML_BUILD_NS, NULL);
  b = &t.b;
  assert_int_equal(ng__xml_build_start(b, s, big, NULL, 0), NG_ESTRLIMIT);
  assert_int_equal(ng__xml_build_start(b, L("r"), s, big), NG_ESTRLIMIT);
  START(&t, "r");
  assert_int_equal(ng__xml_build_attr(b, s, big, L("v"), NULL, 0),
                   NG_ESTRLIMIT);
  assert_int_equal(ng__xml_build_attr(b, L("a"), s, big, NULL, 0),
                   NG_ESTRLIMIT);
  assert_int_equal(ng__xml_build_attr(b, L("a"), L("v"), s, big), NG_ESTRLIMIT);
  /* The 2^32nd attribute (counted without being made). */
  b->nattrs = b->attrcap = UINT32_MAX;
  assert_int_equal(ng__xml_build_attr(b, L("a"), L("v"), NULL, 0),
                   NG_EMEMLIMIT);
  b->nattrs = 0;
  b->attrcap = NG__XML_ATTR_INLINE;
  DONE(&t);
  assert_int_equal(ng__xml_build_text(b, s, big, 0), NG_ESTRLIMIT);
  assert_int_equal(ng__xml_build_text(b, s, big, 1), NG_ESTRLIMIT);
  assert_int_equal(ng__xml_build_comment(b, s, big), NG_ESTRLIMIT);
  assert_int_equal(ng__xml_build_pi(b, s, big, NULL, 0), NG_ESTRLIMIT);
  assert_int_equal(ng__xml_build_pi(b, L("t"), s, big), NG_ESTRLIMIT);
  assert_int_equal(ng__xml_build_doctype(b, s, big, NULL, 0, NULL, 0),
                   NG_ESTRLIMIT);
  assert_int_equal(ng__xml_build_doctype(b, L("d"), s, big, NULL, 0),
                   NG_ESTRLIMIT);
  assert_int_equal(ng__xml_build_doctype(b, L("d"), NULL, 0, s, big),
                   NG_ESTRLIMIT);
  /* Merged text: the piece that makes it 4 GiB fails, the text stays. */
  TEXT(&t, "ab");
  assert_int_equal(ng__xml_build_text(b, s, near, 0), NG_ESTRLIMIT);
  assert_int_equal(b->text->len, 2);
  END(&t);
  doc = tb_done(&t);
  EXPECT_TEXT(ng_xml_doc_root(doc), 0, "<r>ab</r>");
  ng_xml_doc_free(doc);
}

/* A memory cap makes the builder fail with NG_EMEMLIMIT, not NG_ENOMEM,
 * and the document stays within it. */
static void test_memory_cap(void **state) {
  ng_xml_doc *doc = ng__xml_doc_new(NULL, 8192);
  static char big[20000];
  ng__xml_builder b;
  size_t i;
  int rc = NG_OK;
  (void)state;
  assert_non_null(doc);
  ng__xml_builder_init(&b, doc, 0, NULL);
  OK(ng__xml_build_start(&b, L("r"), NULL, 0));
  OK(ng__xml_build_start_done(&b));
  for (i = 0; i < 10000 && rc == NG_OK; i++) {
    rc = ng__xml_build_start(&b, L("e"), NULL, 0);
    if (rc == NG_OK)
      rc = ng__xml_build_attr(&b, L("k"), L("value"), NULL, 0);
    if (rc == NG_OK)
      rc = ng__xml_build_start_done(&b);
    if (rc == NG_OK)
      rc = ng__xml_build_end(&b);
  }
  assert_int_equal(rc, NG_EMEMLIMIT);
  assert_true(i < 10000);
  assert_true(ng_xml_doc_memory(doc) <= 8192);
  assert_int_equal(ng__xml_build_comment(&b, big, sizeof big), NG_EMEMLIMIT);
  ng__xml_builder_free(&b);
  ng_xml_doc_free(doc);
  /* Merged text gathered on the heap fails as soon as it could not fit,
   * not when it finally moves into the arena. */
  doc = ng__xml_doc_new(NULL, 65536);
  assert_non_null(doc);
  ng__xml_builder_init(&b, doc, 0, NULL);
  OK(ng__xml_build_start(&b, L("r"), NULL, 0));
  OK(ng__xml_build_start_done(&b));
  rc = NG_OK;
  for (i = 0; i < 100000 && rc == NG_OK; i++)
    rc = ng__xml_build_text(&b, big, 1000, 0);
  assert_int_equal(rc, NG_EMEMLIMIT);
  assert_true(b.pend_cap <= 2 * 65536);
  ng__xml_builder_free(&b);
  ng_xml_doc_free(doc);
}

/* ---------------------------------------------------- failure sweeps */

/* Builds the sample through alc; 0 or the error. */
static int build_sample(const ng_alloc *alc, unsigned flags, ng_xml_doc **out) {
  ng__xml_builder b;
  ng_xml_doc *doc = ng__xml_doc_new(alc, 0);
  size_t i;
  int rc = NG_OK;

  *out = NULL;
  if (doc == NULL)
    return NG_ENOMEM;
  ng__xml_builder_init(&b, doc, flags, alc);
#define TRY(call)                                                              \
  if (rc == NG_OK)                                                             \
  rc = (call)
  TRY(ng__xml_build_comment(&b, L("pro")));
  TRY(ng__xml_build_doctype(&b, L("r"), L("p"), L("s")));
  TRY(ng__xml_build_start(&b, L("r"), L("urn:a")));
  for (i = 0; i < 20; i++) /* past the inline attribute array */
    TRY(ng__xml_build_attr(&b, "abcdefghijklmnopqrstu" + i, 1, L("v"),
                           L("urn:b")));
  TRY(ng__xml_build_start_done(&b));
  for (i = 0; i < 300; i++) { /* a name table that grows */
    char name[16];
    snprintf(name, sizeof name, "p:e%zu", i % 100);
    TRY(ng__xml_build_start(&b, name, strlen(name), L("urn:p")));
    TRY(ng__xml_build_start_done(&b));
    TRY(ng__xml_build_text(&b, L("some text "), 0));
    TRY(ng__xml_build_text(&b, L("a CDATA section"), 1));
    TRY(ng__xml_build_pi(&b, L("t"), L("d")));
    TRY(ng__xml_build_end(&b));
  }
  for (i = 0; i < 2000; i++) /* merged text, in place then on the heap */
    TRY(ng__xml_build_text(&b, L("0123456789"), 0));
  TRY(ng__xml_build_end(&b));
  TRY(ng__xml_build_finish(&b));
#undef TRY
  ng__xml_builder_free(&b);
  if (rc != NG_OK) {
    ng_xml_doc_free(doc);
    return rc;
  }
  *out = doc;
  return NG_OK;
}

static int op_build(void *arg, const ng_alloc *alc) {
  ng_xml_doc *doc, *ref;
  int rc = build_sample(alc, *(const unsigned *)arg, &doc);

  if (rc != NG_OK)
    return doc == NULL ? rc : -1;
  if (build_sample(NULL, *(const unsigned *)arg, &ref) != NG_OK)
    return -1;
  rc = ng_xml_equal(ng_xml_doc_node(doc), ng_xml_doc_node(ref)) ? 0 : -1;
  ng_xml_doc_free(ref);
  ng_xml_doc_free(doc);
  return rc;
}

static int op_copy(void *arg, const ng_alloc *alc) {
  const ng_xml_node *src = arg;
  static char sentinel;
  ng_xml_doc *doc = (ng_xml_doc *)(void *)&sentinel; /* reset on failure */
  int rc = ng_xml_copy(src, alc, &doc);

  if (rc != NG_OK)
    return doc == NULL ? rc : -1;
  /* A DOCUMENT copies to the new DOCUMENT, anything else to its child. */
  rc = ng_xml_equal(src, src->type == NG_XML_DOCUMENT
                             ? ng_xml_doc_node(doc)
                             : ng_xml_first(ng_xml_doc_node(doc)))
           ? 0
           : -1;
  ng_xml_doc_free(doc);
  return rc;
}

static int op_write(void *arg, const ng_alloc *alc, unsigned flags) {
  const ng_xml_node *n = arg;
  char *out, *ref;
  size_t len, ref_len;
  int rc = ng_xml_write(n, flags, alc, &out, &len);

  if (rc != NG_OK)
    return out == NULL && len == 0 ? rc : -1;
  if (ng_xml_write(n, flags, NULL, &ref, &ref_len) != NG_OK)
    return -1;
  rc = len == ref_len && memcmp(out, ref, len) == 0 ? 0 : -1;
  free(ref);
  alc->free(alc->ctx, out, len + 1); /* the documented size */
  return rc;
}

static int op_write_compact(void *arg, const ng_alloc *alc) {
  return op_write(arg, alc, 0);
}

static int op_write_pretty(void *arg, const ng_alloc *alc) {
  return op_write(arg, alc, NG_XML_WRITE_PRETTY | NG_XML_WRITE_DECL);
}

static int op_text(void *arg, const ng_alloc *alc) {
  char *out;
  size_t len;
  int rc = ng_xml_text_content(arg, alc, &out, &len);

  if (rc != NG_OK)
    return out == NULL && len == 0 ? rc : -1;
  alc->free(alc->ctx, out, len + 1);
  return 0;
}

static void test_failalloc(void **state) {
  static const unsigned flag_sets[] = {0, NG__XML_BUILD_NS,
                                       NG__XML_BUILD_NS | NG__XML_BUILD_CDATA};
  ng_xml_doc *doc;
  size_t i;
  long runs;
  (void)state;
  for (i = 0; i < 3; i++) {
    runs = ng_failalloc_sweep(op_build, (void *)(uintptr_t)&flag_sets[i], 1000);
    assert_true(runs >= 8); /* doc, chunks, attrs, names, text buffer */
  }
  OK(build_sample(NULL, NG__XML_BUILD_NS | NG__XML_BUILD_CDATA, &doc));
  runs = ng_failalloc_sweep(op_copy, ng_xml_doc_node(doc), 1000);
  assert_true(runs >= 5);
  runs = ng_failalloc_sweep(op_copy, ng_xml_doc_root(doc), 1000);
  assert_true(runs >= 5);
  runs = ng_failalloc_sweep(op_write_compact, ng_xml_doc_node(doc), 1000);
  assert_true(runs >= 5); /* first buffer, growths, the final trim */
  runs = ng_failalloc_sweep(op_write_pretty, ng_xml_doc_node(doc), 1000);
  assert_true(runs >= 5);
  runs = ng_failalloc_sweep(op_text, ng_xml_doc_node(doc), 1000);
  assert_int_equal(runs, 1);
  ng_xml_doc_free(doc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_doc_basics),
      cmocka_unit_test(test_accessors),
      cmocka_unit_test(test_attributes),
      cmocka_unit_test(test_interning),
      cmocka_unit_test(test_namespaces_off),
      cmocka_unit_test(test_text_merging),
      cmocka_unit_test(test_text_merging_long),
      cmocka_unit_test(test_text_content),
      cmocka_unit_test(test_equal_fields),
      cmocka_unit_test(test_equal_structure),
      cmocka_unit_test(test_copy),
      cmocka_unit_test(test_walk),
      cmocka_unit_test(test_sizes_are_32_bit),
      cmocka_unit_test(test_memory_cap),
      cmocka_unit_test(test_failalloc),
  };
  return cmocka_run_group_tests_name("xml_dom", tests, NULL, NULL);
}
