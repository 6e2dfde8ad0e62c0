/*
 * tests/test_xml_lexer_entities.c - the XML lexer's entities: replacement
 * text lexed as content through the input stack (token streams, where
 * TEXT is cut, offsets of tokens from entities), balance and recursion
 * errors, skipped entities, attribute values and DTD defaults; the limits
 * (billion laughs and the quadratic blowup refused before a byte and
 * timed, max_entity_expansion, the amplification ratio, nesting depth);
 * allocation failure at every allocation with nothing leaked.
 *
 * Streams are written in the notation of support/xml_lex.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../parsers/xml/lexer.h"
#include "support/failalloc.h"
#include "support/xml_lex.h"
#include "support/testenv.h"

/* ------------------------------------------------------------ helpers */

static void stream_lim(const char *doc, const ng_limits *lim,
                       const char *want) {
  char got[16384];

  assert_true(ng_xml_lex_dump(got, sizeof got, doc, strlen(doc), lim, NULL) >
              0);
  if (strcmp(got, want) != 0)
    printf("  doc:  %s\n  got:  %s\n  want: %s\n", doc, got, want);
  assert_string_equal(got, want);
}

static void stream(const char *doc, const char *want) {
  stream_lim(doc, NULL, want);
}

#define ERRORS(table)                                                          \
  assert_int_equal(ng_xml_lex_errors(table, sizeof(table) / sizeof(table)[0]), \
                   0)

/* A growable document being written. */
typedef struct doc {
  char *p;
  size_t n, cap;
} doc;

static void add(doc *d, const char *fmt, ...) {
  va_list ap;
  int k;

  for (;;) {
    va_start(ap, fmt);
    k = vsnprintf(d->p + d->n, d->cap - d->n, fmt, ap);
    va_end(ap);
    if ((size_t)k < d->cap - d->n)
      break;
    d->cap = d->cap * 2 + (size_t)k + 64;
    d->p = realloc(d->p, d->cap);
    assert_non_null(d->p);
  }
  d->n += (size_t)k;
}

static void doc_init(doc *d) {
  d->cap = 4096;
  d->n = 0;
  d->p = malloc(d->cap);
  assert_non_null(d->p);
  d->p[0] = '\0';
}

/* The billion laughs: l0 = text0, l_k = 10 references to l_(k-1). */
static void laughs(doc *d, const char *text0, const char *body) {
  int k, j;

  add(d, "<!DOCTYPE a [<!ENTITY l0 \"%s\">", text0);
  for (k = 1; k < 10; k++) {
    add(d, "<!ENTITY l%d \"", k);
    for (j = 0; j < 10; j++)
      add(d, "&l%d;", k - 1);
    add(d, "\">");
  }
  add(d, "]>%s", body);
}

/* Lexes d, returns the last token and the tokens before it in *n. */
static ng__xml_token run(const doc *d, const ng_limits *lim, long *n) {
  char buf[64];
  ng__xml_token t;

  *n = ng_xml_lex_dump(buf, sizeof buf, d->p, d->n, lim, &t);
  assert_true(*n > 0);
  return t;
}

/* ------------------------------------------------ expansion in content */

static void test_expansion(void **state) {
  (void)state;
  stream("<!DOCTYPE a [<!ENTITY e \"text\">]><a>&e;&e;</a>",
         "D(a,-,-) S(a) ~T(text) ~T(text) E(a) $");
  /* TEXT is cut where a reference starts and where its text ends. */
  stream("<!DOCTYPE a [<!ENTITY e \"t\">]><a>x&amp;y&e;z&#65;</a>",
         "D(a,-,-) S(a) T(x&y) ~T(t) T(zA) E(a) $");
  stream("<!DOCTYPE a [<!ENTITY e \"<b x='1'>t<c/></b>\">]><a>&e;</a>",
         "D(a,-,-) S(a) ~S(b x=\"1\") ~T(t) ~S(c/) ~E(b) E(a) $");
  stream("<!DOCTYPE a [<!ENTITY e1 \"x&e2;z\"><!ENTITY e2 \"y\">]>"
         "<a>&e1;</a>",
         "D(a,-,-) S(a) ~T(x) ~T(y) ~T(z) E(a) $");
  stream("<!DOCTYPE a [<!ENTITY e \"\">]><a>&e;&e;x</a>",
         "D(a,-,-) S(a) T(x) E(a) $");
  /* Double escaping (App. D): the character reference is in the text. */
  stream("<!DOCTYPE a [<!ENTITY e \"&#38;#60;&amp;\">]><a>&e;</a>",
         "D(a,-,-) S(a) ~T(<&) E(a) $");
  stream("<!DOCTYPE a [<!ENTITY e \"<!--c--><?p x?><![CDATA[<&#38;]]>\">]>"
         "<a>&e;</a>",
         "D(a,-,-) S(a) ~M(c) ~P(p,x) ~C(<&) E(a) $");
  /* Replacement text is not line-end normalised: &#13; stays a CR. */
  stream("<!DOCTYPE a [<!ENTITY e \"a&#13;b&#13;&#10;c\">]><a>&e;</a>",
         "D(a,-,-) S(a) ~T(a\\x0Db\\x0D\\x0Ac) E(a) $");
  /* Attribute values in replacement text, and entities in them. */
  stream("<!DOCTYPE a [<!ENTITY v \"w&#9;w\"><!ENTITY e \"<b x='&v;'/>\">]>"
         "<a>&e;</a>",
         "D(a,-,-) S(a) ~S(b x=\"w w\"/) E(a) $");
  /* ']]' then '>' from an entity, and the reverse, are character data. */
  stream("<!DOCTYPE a [<!ENTITY e \">\">]><a>]]&e;</a>",
         "D(a,-,-) S(a) T(]]) ~T(>) E(a) $");
  stream("<!DOCTYPE a [<!ENTITY e \"]]\">]><a>&e;></a>",
         "D(a,-,-) S(a) ~T(]]) T(>) E(a) $");
  stream("<!DOCTYPE a [<!ENTITY \xc3\xa9t\xc3\xa9 \"x\">]>"
         "<a>&\xc3\xa9t\xc3\xa9;</a>",
         "D(a,-,-) S(a) ~T(x) E(a) $");
  /* First declaration wins. */
  stream("<!DOCTYPE a [<!ENTITY e \"ok\"><!ENTITY e \"<\">]><a>&e;</a>",
         "D(a,-,-) S(a) ~T(ok) E(a) $");
  /* Predefined entities redeclared keep their meaning. */
  stream("<!DOCTYPE a [<!ENTITY lt \"&#38;#60;\"><!ENTITY gt \"&#62;\">"
         "<!ENTITY amp \"&#38;#38;\"><!ENTITY apos \"&#39;\">"
         "<!ENTITY quot \"&#34;\">]><a x=\"&lt;&amp;&quot;\">"
         "&lt;&gt;&amp;&apos;&quot;</a>",
         "D(a,-,-) S(a x=\"<&\"\") T(<>&'\") E(a) $");
}

/* Tokens from an entity point at the outermost reference. */
static void test_entity_offsets(void **state) {
  static const char d[] = "<!DOCTYPE a [<!ENTITY i \"<b/>\">"
                          "<!ENTITY o \"x&i;\">]><a>&o;y</a>";
  ng__xml_lexer lx;
  ng__xml_token t;
  size_t a = sizeof d - 1 - 11, ref = a + 3; /* <a>, &o; */
  (void)state;

  ng__xml_lexer_init(&lx, (const unsigned char *)d, sizeof d - 1, NULL, NULL);
  assert_int_equal(ng__xml_next(&lx, &t), NG__XT_DOCTYPE);
  assert_int_equal(t.off, 0);
  assert_int_equal(t.len, a);
  assert_int_equal(ng__xml_next(&lx, &t), NG__XT_START);
  assert_int_equal(ng__xml_next(&lx, &t), NG__XT_TEXT);
  assert_int_equal(t.flags, NG__XTF_ENTITY);
  assert_int_equal(t.off, ref);
  assert_int_equal(t.len, 3);
  assert_int_equal(ng__xml_next(&lx, &t), NG__XT_START);
  assert_int_equal(t.flags, NG__XTF_ENTITY | NG__XTF_EMPTY);
  assert_int_equal(t.off, ref);
  assert_int_equal(t.len, 3);
  assert_int_equal(ng__xml_next(&lx, &t), NG__XT_TEXT);
  assert_int_equal(t.flags, 0);
  assert_int_equal(t.off, ref + 3);
  assert_int_equal(t.len, 1);
  assert_int_equal(ng__xml_next(&lx, &t), NG__XT_END);
  assert_int_equal(ng__xml_next(&lx, &t), NG__XT_EOF);
  ng__xml_lexer_free(&lx);
}

/* External and (where allowed) undeclared entities are skipped. */
static void test_skipped(void **state) {
  (void)state;
  stream("<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
         "<a>1&x;2</a>",
         "D(a,-,-) S(a) T(1) K(x) T(2) E(a) $");
  stream("<!DOCTYPE a [<!ENTITY x PUBLIC \"-//P\" \"x\"><!ENTITY e \"[&x;]\">]>"
         "<a>&e;</a>",
         "D(a,-,-) S(a) ~T([) ~K(x) ~T(]) E(a) $");
  stream("<!DOCTYPE a SYSTEM \"a.dtd\"><a>&u;</a>",
         "D(a,-,a.dtd) S(a) K(u) E(a) $");
  stream("<!DOCTYPE a SYSTEM \"a.dtd\"><a x=\"[&u;]\"/>",
         "D(a,-,a.dtd) S(a x=\"[]\"/) $");
  stream("<!DOCTYPE a [<!ENTITY % p \"\"> %p;]><a>&u;</a>",
         "D(a,-,-) S(a) K(u) E(a) $");
  /* 5.1: the declaration after the unread PE is not processed. */
  stream("<!DOCTYPE a [<!ENTITY % p SYSTEM \"p.ent\"> %p; "
         "<!ENTITY e \"<\">]><a>&e;</a>",
         "D(a,-,-) S(a) K(e) E(a) $");
  stream("<!DOCTYPE a [<!ENTITY % r SYSTEM \"http://127.0.0.1:9/x.dtd\"> %r;"
         "<!ENTITY x SYSTEM \"http://127.0.0.1:9/x\">]><a>&x;</a>",
         "D(a,-,-) S(a) K(x) E(a) $");
}

static void test_entity_errors(void **state) {
  static const ng_xml_err_case c[] = {
      /* 4.3.2: replacement text must nest with its context. */
      {"<!DOCTYPE a [<!ENTITY e \"<b>\">]><a>&e;</b></a>", NG_EENTITY, 35},
      {"<!DOCTYPE a [<!ENTITY e \"</b>\">]><a><b>&e;</a>", NG_EENTITY, 39},
      {"<!DOCTYPE a [<!ENTITY e \"<\">]><a>&e;</a>", NG_EENTITY, 33},
      {"<!DOCTYPE a [<!ENTITY e \"&#60;\">]><a>&e;b/></a>", NG_EENTITY, 37},
      {"<!DOCTYPE a [<!ENTITY e \"<b\">]><a>&e;/></a>", NG_EENTITY, 34},
      {"<!DOCTYPE a [<!ENTITY e \"<b x='\">]><a>&e;'/></a>", NG_EENTITY, 38},
      {"<!DOCTYPE a [<!ENTITY e \"<!--\">]><a>&e; --></a>", NG_EENTITY, 36},
      {"<!DOCTYPE a [<!ENTITY e \"<![CDATA[\">]><a>&e;x]]></a>", NG_EENTITY,
       41},
      {"<!DOCTYPE a [<!ENTITY e \"<?p \">]><a>&e;?></a>", NG_EENTITY, 36},
      {"<!DOCTYPE a [<!ENTITY e \"&#38;\">]><a>&e;amp;</a>", NG_EENTITY, 37},
      {"<!DOCTYPE a [<!ENTITY e \"&#38;#\">]><a>&e;65;</a>", NG_EENTITY, 38},
      {"<!DOCTYPE a [<!ENTITY e \"<b/>x</c>\">]><a><c>&e;</a>", NG_EENTITY, 44},
      /* Deeper: the error is reported at the outermost reference. */
      {"<!DOCTYPE a [<!ENTITY i \"<b>\"><!ENTITY o \"x&i;\">]><a>&o;</b></a>",
       NG_EENTITY, 53},
      /* WFC: No Recursion. */
      {"<!DOCTYPE a [<!ENTITY e \"x&e;\">]><a>&e;</a>", NG_EENTITY, 36},
      {"<!DOCTYPE a [<!ENTITY e1 \"&e2;\"><!ENTITY e2 \"&e3;\">"
       "<!ENTITY e3 \"&e1;\">]><a>&e1;</a>",
       NG_EENTITY, 75},
      {"<!DOCTYPE a [<!ENTITY e \"<b>&e;</b>\">]><a>&e;</a>", NG_EENTITY, 42},
      {"<!DOCTYPE a [<!ENTITY e1 \"&e2;\"><!ENTITY e2 \"&e1;\">]>"
       "<a x=\"&e1;\"/>",
       NG_EENTITY, 59},
      /* WFC: Entity Declared, Parsed Entity. */
      {"<a>&u;</a>", NG_EENTITY, 3},
      {"<!DOCTYPE a [<!ENTITY e \"x\">]><a>&u;</a>", NG_EENTITY, 33},
      {"<!DOCTYPE a [<!ENTITY e \"[&u;]\">]><a>&e;</a>", NG_EENTITY, 37},
      {"<?xml version=\"1.0\" standalone=\"yes\"?><!DOCTYPE a SYSTEM \"a.dtd\">"
       "<a>&u;</a>",
       NG_EENTITY, 68},
      {"<!DOCTYPE a [<!NOTATION n SYSTEM \"v\"><!ENTITY u SYSTEM \"u\" NDATA n>"
       "]><a>&u;</a>",
       NG_EENTITY, 72},
      {"<!DOCTYPE a [<!NOTATION n SYSTEM \"v\"><!ENTITY u SYSTEM \"u\" NDATA n>"
       "<!ENTITY e \"[&u;]\">]><a>&e;</a>",
       NG_EENTITY, 91},
      /* Attribute values: No External Entity References, No <. */
      {"<!DOCTYPE a [<!ENTITY x SYSTEM \"x\">]><a v=\"&x;\"/>", NG_EENTITY, 43},
      {"<!DOCTYPE a [<!ENTITY x SYSTEM \"x\"><!ENTITY e \"[&x;]\">]>"
       "<a v=\"&e;\"/>",
       NG_EENTITY, 62},
      {"<!DOCTYPE a [<!ENTITY e \"<\">]><a x=\"&e;\"/>", NG_EENTITY, 36},
      {"<!DOCTYPE a [<!ENTITY e1 \"x&e2;\"><!ENTITY e2 \"y<z\">]>"
       "<a x=\"&e1;\"/>",
       NG_EENTITY, 59},
      {"<!DOCTYPE a [<!ENTITY e \"&#60;\">]><a x=\"&e;\"/>", NG_EENTITY, 40},
      {"<!DOCTYPE a SYSTEM \"a\" [<!ENTITY x SYSTEM \"x\">]><a v=\"&x;\"/>",
       NG_EENTITY, 54},
      /* Syntax inside replacement text. */
      {"<!DOCTYPE a [<!ENTITY e \"]]>\">]><a>&e;</a>", NG_ESYNTAX, 35},
      {"<!DOCTYPE a [<!ENTITY e \"<?xml version='1.0'?>\">]><a>&e;</a>",
       NG_ESYNTAX, 53},
      {"<!DOCTYPE a [<!ENTITY e \"<b x='1' x='2'/>\">]><a>&e;</a>", NG_EATTR,
       48},
  };
  (void)state;
  ERRORS(c);
}

/* After an error inside entities, no entity is left marked open. */
static void test_error_unwinds(void **state) {
  static const char d[] = "<!DOCTYPE a [<!ENTITY i \"<\"><!ENTITY o \"&i;\">]>"
                          "<a>&o;</a>";
  const ng__xml_entity *e;
  ng__xml_lexer lx;
  ng__xml_token t;
  (void)state;

  ng__xml_lexer_init(&lx, (const unsigned char *)d, sizeof d - 1, NULL, NULL);
  while (ng__xml_next(&lx, &t) != NG__XT_ERROR)
    assert_int_not_equal(t.kind, NG__XT_EOF);
  assert_int_equal(t.code, NG_EENTITY);
  e = ng__xml_dtd_entity(lx.dtd, "i", 1, 0);
  assert_false(e->open);
  e = ng__xml_dtd_entity(lx.dtd, "o", 1, 0);
  assert_false(e->open);
  ng__xml_lexer_free(&lx);
}

/* ---------------------------------------------- attributes and the DTD */

static void test_attribute_entities(void **state) {
  (void)state;
  stream("<!DOCTYPE a [<!ENTITY e \"v\">]><a x=\"&e;\"/>",
         "D(a,-,-) S(a x=\"v\"/) $");
  stream("<!DOCTYPE a [<!ENTITY e \"&#38;#60;\">]><a x=\"&e;\"/>",
         "D(a,-,-) S(a x=\"<\"/) $");
  stream("<!DOCTYPE a [<!ENTITY e1 \"a&e2;b\"><!ENTITY e2 \"c\">]>"
         "<a x=\"&e1;\"/>",
         "D(a,-,-) S(a x=\"acb\"/) $");
  stream("<!DOCTYPE a [<!ENTITY q '\"'>]><a x=\"&q;\"/>",
         "D(a,-,-) S(a x=\"\"\"/) $");
  /* White space from replacement text becomes spaces too (3.3.3). */
  stream("<!DOCTYPE a [<!ENTITY t \"&#9;&#10;\">]><a x=\"&t;|&#9;\"/>",
         "D(a,-,-) S(a x=\"  |\\x09\"/) $");
}

static void test_defaults(void **state) {
  (void)state;
  stream("<!DOCTYPE a [<!ATTLIST a x CDATA \"d\" y CDATA #IMPLIED "
         "z CDATA #FIXED 'f' r CDATA #REQUIRED>]><a x=\"1\"/>",
         "D(a,-,-) S(a x=\"1\" z=\"f\"*/) $");
  stream("<!DOCTYPE a [<!ATTLIST a x CDATA \"d\">]><a><a x=\"2\"/><b/></a>",
         "D(a,-,-) S(a x=\"d\"*) S(a x=\"2\"/) S(b/) E(a) $");
  /* Tokenized types collapse specified values as well as defaults. */
  stream("<!DOCTYPE a [<!ATTLIST a t NMTOKENS #IMPLIED c CDATA #IMPLIED "
         "i ID ' x '>]><a t=\"  p \t q  \" c=\"  p  \"/>",
         "D(a,-,-) S(a t=\"p q\" c=\"  p  \" i=\"x\"*/) $");
  stream("<!DOCTYPE a [<!ATTLIST a t NMTOKEN #IMPLIED>]><a t=\"p\"/>",
         "D(a,-,-) S(a t=\"p\"/) $");
  stream("<!DOCTYPE a [<!ENTITY e \"v\"><!ATTLIST a x CDATA \"&e;&#60;&lt;\">]>"
         "<a/>",
         "D(a,-,-) S(a x=\"v<<\"*/) $");
  /* Defaults in entity content, and with many attributes. */
  stream("<!DOCTYPE a [<!ATTLIST b x CDATA \"d\"><!ENTITY e \"<b/>\">]>"
         "<a>&e;</a>",
         "D(a,-,-) S(a) ~S(b x=\"d\"*/) E(a) $");
  stream("<!DOCTYPE a [<!ATTLIST a j CDATA \"d\">]>"
         "<a a1=\"\" a2=\"\" a3=\"\" a4=\"\" a5=\"\" a6=\"\" a7=\"\" a8=\"\" "
         "a9=\"\" j=\"s\"/>",
         "D(a,-,-) S(a a1=\"\" a2=\"\" a3=\"\" a4=\"\" a5=\"\" a6=\"\" a7=\"\" "
         "a8=\"\" a9=\"\" j=\"s\"/) $");
  stream("<!DOCTYPE a [<!ATTLIST a j CDATA \"d\">]>"
         "<a a1=\"\" a2=\"\" a3=\"\" a4=\"\" a5=\"\" a6=\"\" a7=\"\" a8=\"\" "
         "a9=\"\"/>",
         "D(a,-,-) S(a a1=\"\" a2=\"\" a3=\"\" a4=\"\" a5=\"\" a6=\"\" a7=\"\" "
         "a8=\"\" a9=\"\" j=\"d\"*/) $");
}

/* ------------------------------------------------------------- limits */

/* Billion laughs in content, in an attribute, with elements: refused at
 * the reference, before any token of the expansion. */
static void test_billion_laughs(void **state) {
  static const struct {
    const char *text0, *body;
    size_t tokens;
  } c[] = {
      {"lol", "<a>&l9;</a>", 3},
      {"lol", "<a x=\"&l9;\"/>", 2},
      {"<b/>", "<a>&l9;</a>", 3},
  };
  double t0, t1, worst = 0;
  ng__xml_token t;
  size_t i;
  long n;
  doc d;
  (void)state;

  for (i = 0; i < sizeof c / sizeof c[0]; i++) {
    doc_init(&d);
    laughs(&d, c[i].text0, c[i].body);
    t0 = ng_test_cpu_ms();
    t = run(&d, NULL, &n);
    t1 = ng_test_cpu_ms();
    if (t1 - t0 > worst)
      worst = t1 - t0;
    assert_int_equal(t.kind, NG__XT_ERROR);
    assert_int_equal(t.code, NG_EENTITYLIMIT);
    assert_int_equal((size_t)n, c[i].tokens); /* DOCTYPE, START, ERROR */
    assert_int_equal(t.err_off, strstr(d.p, "&l9;") - d.p);
    free(d.p);
  }
  printf("  billion laughs refused in %.3f ms at most\n", worst);
  assert_true(worst < 50.0);
  /* Declared but never referenced: fine. */
  doc_init(&d);
  laughs(&d, "lol", "<a/>");
  t = run(&d, NULL, &n);
  assert_int_equal(t.kind, NG__XT_EOF);
  free(d.p);
}

/* The quadratic blowup: one 10 KiB entity referenced 2,000 times. The
 * references are within the limit until 1 MiB, then refused. */
static void test_quadratic_blowup(void **state) {
  ng__xml_token t;
  double t0, t1;
  long n;
  int k;
  doc d;
  (void)state;

  doc_init(&d);
  add(&d, "<!DOCTYPE a [<!ENTITY q \"");
  for (k = 0; k < 1024; k++)
    add(&d, "qqqqqqqqqq");
  add(&d, "\">]><a>");
  for (k = 0; k < 2000; k++)
    add(&d, "&q;");
  add(&d, "</a>");
  t0 = ng_test_cpu_ms();
  t = run(&d, NULL, &n);
  t1 = ng_test_cpu_ms();
  printf("  quadratic blowup refused in %.3f ms\n", t1 - t0);
  assert_true(t1 - t0 < 50.0);
  assert_int_equal(t.code, NG_EENTITYLIMIT);
  /* 102 references of 10,240 bytes fit in 1 MiB, the 103rd does not. */
  assert_int_equal(n, 2 + 102 + 1);
  assert_int_equal(t.err_off, strstr(d.p, "&q;") - d.p + 102 * 3);
  free(d.p);
}

static void test_expansion_limit(void **state) {
  static const char d[] = "<!DOCTYPE a [<!ENTITY e \"0123456789\">]>"
                          "<a>&e;&e;&e;</a>";
  ng_limits lim;
  (void)state;

  ng_limits_default(&lim);
  lim.max_entity_expansion = 30;
  stream_lim(d, &lim,
             "D(a,-,-) S(a) ~T(0123456789) ~T(0123456789) ~T(0123456789) "
             "E(a) $");
  lim.max_entity_expansion = 29;
  stream_lim(d, &lim,
             "D(a,-,-) S(a) ~T(0123456789) ~T(0123456789) !EENTITYLIMIT@48");
  /* Nested references are paid for by the outermost one. */
  lim.max_entity_expansion = 26;
  stream_lim("<!DOCTYPE a [<!ENTITY e \"0123456789\"><!ENTITY f \"&e;&e;\">]>"
             "<a>&f;</a>",
             &lim, "D(a,-,-) S(a) ~T(0123456789) ~T(0123456789) E(a) $");
  lim.max_entity_expansion = 25;
  stream_lim("<!DOCTYPE a [<!ENTITY e \"0123456789\"><!ENTITY f \"&e;&e;\">]>"
             "<a>&f;</a>",
             &lim, "D(a,-,-) S(a) !EENTITYLIMIT@62");
  /* Attribute values count as well. */
  lim.max_entity_expansion = 19;
  stream_lim("<!DOCTYPE a [<!ENTITY e \"0123456789\">]><a x=\"&e;&e;\"/>", &lim,
             "D(a,-,-) !EENTITYLIMIT@48");
}

/* max_entity_expansion 0 lifts the cap but not the ratio. */
static void test_amplification(void **state) {
  static const char d[] = "<!DOCTYPE a [<!ENTITY e \"0123456789\">]>"
                          "<a>&e;&e;&e;&e;&e;</a>";
  ng__xml_lexer lx;
  ng__xml_token t;
  ng_limits lim;
  int k, n = 0;
  (void)state;

  ng_limits_default(&lim);
  lim.max_entity_expansion = 0;
  ng__xml_lexer_init(&lx, (const unsigned char *)d, sizeof d - 1, &lim, NULL);
  assert_int_equal(lx.budget.max, UINT64_MAX);
  /* Past 60 bytes read in all, at most 1 x the document bytes: the first
   * reference (45 + 10 read) is below the threshold, the second (48 +
   * 20) would make 68 > 1 x 48. */
  lx.budget.ratio = 1;
  lx.budget.threshold = 60;
  while ((k = ng__xml_next(&lx, &t)) != NG__XT_ERROR && k != NG__XT_EOF)
    n += k == NG__XT_TEXT;
  assert_int_equal(k, NG__XT_ERROR);
  assert_int_equal(t.code, NG_EENTITYLIMIT);
  assert_int_equal(n, 1);
  assert_int_equal(t.err_off, 45);
  ng__xml_lexer_free(&lx);
}

/* Defaults added to start tags count against the ratio: a document that
 * repeats a defaulted element to multiply the bytes is stopped. */
static void test_default_amplification(void **state) {
  ng__xml_lexer lx;
  ng__xml_token t;
  int k, starts = 0;
  doc d;
  (void)state;

  doc_init(&d);
  add(&d, "<!DOCTYPE a [<!ENTITY e \"");
  for (k = 0; k < 100; k++)
    add(&d, "0123456789");
  add(&d, "\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
          "<!ATTLIST b x CDATA \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]><a>");
  for (k = 0; k < 100000; k++)
    add(&d, "<b/>");
  add(&d, "</a>");
  ng__xml_lexer_init(&lx, (const unsigned char *)d.p, d.n, NULL, NULL);
  while ((k = ng__xml_next(&lx, &t)) != NG__XT_ERROR && k != NG__XT_EOF)
    starts += k == NG__XT_START;
  assert_int_equal(k, NG__XT_ERROR);
  assert_int_equal(t.code, NG_EENTITYLIMIT);
  /* 100 KB per tag: stopped once 8 MiB is passed at a ratio over 100. */
  printf("  defaulted 100 KB attribute stopped after %d tags\n", starts);
  assert_true(starts < 200);
  ng__xml_lexer_free(&lx);
  free(d.p);
}

static void test_nesting_depth(void **state) {
  ng__xml_token t;
  ng_limits lim;
  long n;
  int k;
  doc d;
  (void)state;

  ng_limits_default(&lim);
  for (k = 255; k <= 256; k++) {
    int j;
    doc_init(&d);
    add(&d, "<!DOCTYPE a [");
    for (j = 0; j < k; j++)
      add(&d, "<!ENTITY e%d \"&e%d;\">", j, j + 1);
    add(&d, "<!ENTITY e%d \"end\">]><a>&e0;</a>", k);
    t = run(&d, &lim, &n);
    if (k < NG__XML_ENTITY_DEPTH)
      assert_int_equal(t.kind, NG__XT_EOF);
    else
      assert_int_equal(t.code, NG_EENTITYLIMIT);
    free(d.p);
  }
}

/* ------------------------------------------------ allocation failure */

static const char rich[] =
    "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e \"<b x='&f;'>t&#13;"
    "</b>\"><!ENTITY f \"v&#9;w\"><!ENTITY % p \"<!ENTITY g 'gg'>\">%p;"
    "<!ATTLIST r d CDATA 'dflt' t NMTOKENS ' 1  2 '>]>"
    "<r a1=\"1\" a2=\"2\" a3=\"3\" a4=\"4\" a5=\"5\" a6=\"6\" a7=\"7\" "
    "a8=\"8\" a9=\"9\" a10=\"10&amp;\" a11=\"\r\n\">x&e;y&g;\r\n<!-- c\r\n -->"
    "<?p d\r\n?><![CDATA[c\r\n]]>&#65;</r>";

static int lex_op(void *arg, const ng_alloc *alc) {
  ng__xml_lexer lx;
  ng__xml_token t;
  int k;
  (void)arg;

  ng__xml_lexer_init(&lx, (const unsigned char *)rich, sizeof rich - 1, NULL,
                     alc);
  while ((k = ng__xml_next(&lx, &t)) != NG__XT_EOF && k != NG__XT_ERROR)
    ;
  ng__xml_lexer_free(&lx);
  if (k == NG__XT_ERROR)
    assert_int_equal(t.code, NG_ENOMEM);
  return k == NG__XT_ERROR;
}

static void test_alloc_failure(void **state) {
  char buf[4096];
  long runs;
  (void)state;

  assert_true(
      ng_xml_lex_dump(buf, sizeof buf, rich, sizeof rich - 1, NULL, NULL) > 0);
  assert_non_null(strstr(buf, " $"));
  runs = ng_failalloc_sweep(lex_op, NULL, 10000);
  printf("  %ld allocations failed one at a time\n", runs);
  assert_true(runs > 10);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_expansion),
      cmocka_unit_test(test_entity_offsets),
      cmocka_unit_test(test_skipped),
      cmocka_unit_test(test_entity_errors),
      cmocka_unit_test(test_error_unwinds),
      cmocka_unit_test(test_attribute_entities),
      cmocka_unit_test(test_defaults),
      cmocka_unit_test(test_billion_laughs),
      cmocka_unit_test(test_quadratic_blowup),
      cmocka_unit_test(test_expansion_limit),
      cmocka_unit_test(test_amplification),
      cmocka_unit_test(test_default_amplification),
      cmocka_unit_test(test_nesting_depth),
      cmocka_unit_test(test_alloc_failure),
  };
  return cmocka_run_group_tests_name("xml_lexer_entities", tests, NULL, NULL);
}
