/*
 * tests/test_xml_dtd.c - the DTD tables (parsers/xml/dtd.c): every
 * declaration form of the internal subset and its syntax errors, the
 * well-formedness constraints the subset carries (PEs in Internal Subset,
 * PE Between Declarations, No Recursion, Entity Declared, No External
 * Entity References and No < in Attribute Values in defaults), entity
 * sizes and flags (forward references, cycles, billion laughs and the
 * quadratic blowup measured at declaration, saturation), attribute-value
 * normalisation, the expansion budget, error offsets, and allocation
 * failure at every allocation.
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

#include "../parsers/xml/dtd.h"
#include "../parsers/xml/lexer.h"
#include "support/failalloc.h"
#include "support/testenv.h"

/* ------------------------------------------------------------ helpers */

/* One parsed DOCTYPE: the tables, their budget and the outcome. */
typedef struct dt {
  ng__xml_dtd *d;
  ng__xml_budget b;
  ng__xml_doctype_decl t;
  ng__xml_derr e;
  int rc;
} dt;

/* Parses the DOCTYPE at the start of doc[0..len) with allocator alc. */
static int parse_n(dt *x, const char *doc, size_t len, int standalone,
                   size_t max_exp, const ng_alloc *alc) {
  memset(x, 0, sizeof *x);
  ng__xml_budget_init(&x->b, max_exp);
  x->rc = ng__xml_dtd_new(&x->d, alc, 0, &x->b, standalone);
  if (x->rc != NG_OK)
    return x->rc;
  x->rc = ng__xml_dtd_doctype(x->d, (const unsigned char *)doc, len, 0, &x->t,
                              &x->e);
  return x->rc;
}

static int parse(dt *x, const char *doc) {
  return parse_n(x, doc, strlen(doc), 0, 1u << 20, NULL);
}

static void done(dt *x) {
  ng__xml_dtd_free(x->d);
  x->d = NULL;
}

/* The subset s wrapped in a DOCTYPE for root a. */
static const char *wrap(char *buf, size_t cap, const char *s) {
  snprintf(buf, cap, "<!DOCTYPE a [%s]><a/>", s);
  return buf;
}

/* Checks that subset s gives code (NG_OK: accepted). */
static void expect_subset(const char *s, int code) {
  char buf[1024];
  dt x;

  parse(&x, wrap(buf, sizeof buf, s));
  if (x.rc != code)
    printf("  subset %s: %s (%s), expected %s\n", s, ng_err_name(x.rc),
           x.e.msg != NULL ? x.e.msg : "", ng_err_name(code));
  assert_int_equal(x.rc, code);
  done(&x);
}

static const ng__xml_entity *ent(const dt *x, const char *name, int pe) {
  return ng__xml_dtd_entity(x->d, name, strlen(name), pe);
}

static void expect_text(const ng__xml_entity *e, const char *text) {
  assert_non_null(e);
  assert_int_equal(e->text_len, strlen(text));
  assert_memory_equal(e->text, text, e->text_len);
  assert_int_equal(e->text[e->text_len], '\0');
}

/* ---------------------------------------------------------- DOCTYPE */

static void test_doctype_forms(void **state) {
  dt x;
  (void)state;

  assert_int_equal(parse(&x, "<!DOCTYPE a><a/>"), NG_OK);
  assert_int_equal(x.t.name_len, 1);
  assert_memory_equal(x.t.name, "a", 1);
  assert_null(x.t.pubid);
  assert_null(x.t.sysid);
  assert_int_equal(x.t.has_subset, 0);
  assert_int_equal(x.t.end, 12);
  assert_false(ng__xml_dtd_lenient(x.d));
  done(&x);

  assert_int_equal(parse(&x, "<!DOCTYPE r SYSTEM 'a\"b.dtd' ><r/>"), NG_OK);
  assert_string_equal(x.t.sysid, "a\"b.dtd");
  assert_int_equal(x.t.sysid_len, 7);
  assert_true(ng__xml_dtd_unread_external(x.d));
  assert_true(ng__xml_dtd_lenient(x.d)); /* external subset, not read */
  done(&x);

  assert_int_equal(parse(&x, "<!DOCTYPE r PUBLIC \"-//A//B\r\nC\" \"\" [\n"
                             "]\t><r/>"),
                   NG_OK);
  assert_string_equal(x.t.pubid, "-//A//B\nC"); /* line ends normalised */
  assert_string_equal(x.t.sysid, "");
  assert_int_equal(x.t.has_subset, 1);
  assert_int_equal(x.t.end, 40);
  done(&x);

  assert_int_equal(parse(&x, "<!DOCTYPE \xc3\xa9l\xc3\xa8ve[]><a/>"), NG_OK);
  assert_int_equal(x.t.name_len, 7);
  done(&x);

  /* A standalone document with an external subset is not lenient. */
  assert_int_equal(parse_n(&x, "<!DOCTYPE a SYSTEM \"x\">", 23, 1, 0, NULL),
                   NG_OK);
  assert_true(ng__xml_dtd_unread_external(x.d));
  assert_false(ng__xml_dtd_lenient(x.d));
  done(&x);
}

typedef struct bad_case {
  const char *doc;
  int code;
  size_t off;
} bad_case;

static void expect_bad(const bad_case *c, size_t n) {
  size_t i;
  dt x;

  for (i = 0; i < n; i++) {
    parse(&x, c[i].doc);
    if (x.rc != c[i].code || x.e.off != c[i].off)
      printf("  %s: %s at %zu (%s), expected %s at %zu\n", c[i].doc,
             ng_err_name(x.rc), x.e.off, x.e.msg ? x.e.msg : "",
             ng_err_name(c[i].code), c[i].off);
    assert_int_equal(x.rc, c[i].code);
    assert_int_equal(x.e.off, c[i].off);
    done(&x);
  }
}

static void test_doctype_errors(void **state) {
  static const bad_case c[] = {
      {"<!DOCTYPE><a/>", NG_ESYNTAX, 9},
      {"<!DOCTYPEa><a/>", NG_ESYNTAX, 9},
      {"<!DOCTYPE 1a><a/>", NG_ECHAR, 10},
      {"<!DOCTYPE -a><a/>", NG_ECHAR, 10},
      {"<!DOCTYPE \xc2\xa0><a/>", NG_ECHAR, 10},
      {"<!DOCTYPE a SYSTEM><a/>", NG_ESYNTAX, 18},
      {"<!DOCTYPE a SYSTEM a.dtd><a/>", NG_ESYNTAX, 19},
      {"<!DOCTYPE a SYSTEM \"a.dtd><a/>", NG_EEOF, 30},
      {"<!DOCTYPE a PUBLIC \"p\"><a/>", NG_ESYNTAX, 22},
      {"<!DOCTYPE a PUBLIC \"p\"\"s\"><a/>", NG_ESYNTAX, 22},
      {"<!DOCTYPE a PUBLIC \"a{b\" \"s\"><a/>", NG_ESYNTAX, 21},
      {"<!DOCTYPE a PUBLIC \"a\tb\" \"s\"><a/>", NG_ESYNTAX, 21},
      {"<!DOCTYPE a PUBLIC \"\xc3\xa9\" \"s\"><a/>", NG_ESYNTAX, 20},
      {"<!DOCTYPE a PUBLIC \"\xc3\" \"s\"><a/>", NG_EUTF8, 20},
      {"<!DOCTYPE a SYSTEM \"\x01\"><a/>", NG_ECHAR, 20},
      {"<!DOCTYPE a FOO \"x\"><a/>", NG_ESYNTAX, 12},
      {"<!DOCTYPE a [", NG_EEOF, 13},
      {"<!DOCTYPE a []<a/>", NG_ESYNTAX, 14},
      {"<!DOCTYPE a [] x><a/>", NG_ESYNTAX, 15},
      {"<!DOCTYPE a", NG_EEOF, 11},
      {"<!DOCTYPE a SYSTEM", NG_EEOF, 18},
  };
  (void)state;
  expect_bad(c, sizeof c / sizeof c[0]);
}

/* ---------------------------------------------------- subset structure */

static void test_subset_structure(void **state) {
  static const bad_case c[] = {
      {"<!DOCTYPE a [ junk ]><a/>", NG_ESYNTAX, 14},
      {"<!DOCTYPE a [\x01]><a/>", NG_ECHAR, 13},
      {"<!DOCTYPE a [\xc2\xa0]><a/>", NG_ESYNTAX, 13},
      {"<!DOCTYPE a [\xff]><a/>", NG_EUTF8, 13},
      {"<!DOCTYPE a [<a/>]><a/>", NG_ESYNTAX, 13},
      {"<!DOCTYPE a [<!DOCTYPE b>]><a/>", NG_ESYNTAX, 13},
      {"<!DOCTYPE a [<![INCLUDE[<!ELEMENT a ANY>]]>]><a/>", NG_ESYNTAX, 13},
      {"<!DOCTYPE a [<![CDATA[x]]>]><a/>", NG_ESYNTAX, 13},
      {"<!DOCTYPE a [<!FOO a>]><a/>", NG_ESYNTAX, 13},
      {"<!DOCTYPE a [<!element a ANY>]><a/>", NG_ESYNTAX, 13},
      {"<!DOCTYPE a [<!ELEMENT a ANY", NG_EEOF, 28},
      {"<!DOCTYPE a [<!ELEM", NG_EEOF, 19},
      {"<!DOCTYPE a [<!-", NG_EEOF, 16},
      {"<!DOCTYPE a [<", NG_EEOF, 14},
      {"<!DOCTYPE a [&amp;]><a/>", NG_ESYNTAX, 13},
      {"<!DOCTYPE a [<!-- a -- b -->]><a/>", NG_ESYNTAX, 20},
      {"<!DOCTYPE a [<!-- \x01 -->]><a/>", NG_ECHAR, 18},
      {"<!DOCTYPE a [<?xml version='1.0'?>]><a/>", NG_ESYNTAX, 15},
      {"<!DOCTYPE a [<?pi x]><a/>", NG_EEOF, 25},
  };
  (void)state;
  expect_bad(c, sizeof c / sizeof c[0]);
  expect_subset("", NG_OK);
  expect_subset(" \n\t\r\n ", NG_OK);
  expect_subset("<!-- c --><?p x?>\n<!--d--><?q?>", NG_OK);
}

/* -------------------------------------------------- element declarations */

static void test_element_decls(void **state) {
  static const char *const ok[] = {
      "<!ELEMENT a EMPTY>",
      "<!ELEMENT a ANY>",
      "<!ELEMENT\n a\n ANY\n>",
      "<!ELEMENT a (#PCDATA)>",
      "<!ELEMENT a (#PCDATA)*>",
      "<!ELEMENT a ( #PCDATA ) >",
      "<!ELEMENT a (#PCDATA|b|c)*>",
      "<!ELEMENT a ( #PCDATA | b\n| c )*>",
      "<!ELEMENT a (#PCDATA|b|b)*>",
      "<!ELEMENT a (b,c)>",
      "<!ELEMENT a (b|c)>",
      "<!ELEMENT a (b?,c*,d+)>",
      "<!ELEMENT a ((b|c)+,(d,e?)*)?>",
      "<!ELEMENT a (b)+>",
      "<!ELEMENT a ( b , ( c | d )* , e ) >",
      "<!ELEMENT a ((((((((((b))))))))))>",
      "<!ELEMENT p:a (p:b)*>",
      "<!ELEMENT a ANY><!ELEMENT a EMPTY>",
  };
  static const char *const syn[] = {
      "<!ELEMENT a empty>",
      "<!ELEMENT a>",
      "<!ELEMENTa ANY>",
      "<!ELEMENT a ANY<!ELEMENT b ANY>",
      "<!ELEMENT a b>",
      "<!ELEMENT a ()>",
      "<!ELEMENT a (#PCDATA|b)>",
      "<!ELEMENT a (#PCDATA)+>",
      "<!ELEMENT a (b|#PCDATA)*>",
      "<!ELEMENT a (#PCDATA,b)*>",
      "<!ELEMENT a (#PCDATA|b) *>",
      "<!ELEMENT a (#PCDATA|(b|c))*>",
      "<!ELEMENT a (#PCDATA|b*)*>",
      "<!ELEMENT a (# PCDATA)>",
      "<!ELEMENT a (b,c|d)>",
      "<!ELEMENT a (b,)>",
      "<!ELEMENT a (b**)>",
      "<!ELEMENT a (b) *>",
      "<!ELEMENT a (b,c>",
      "<!ELEMENT a ((#PCDATA))>",
      "<!ELEMENT a %m;>",
      "<!ELEMENT a (b|c),d>",
  };
  char deep[3000];
  size_t i;
  (void)state;

  for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
    expect_subset(ok[i], NG_OK);
  for (i = 0; i < sizeof syn / sizeof syn[0]; i++)
    expect_subset(syn[i], NG_ESYNTAX);
  expect_subset("<!ELEMENT a (1b)>", NG_ECHAR);
  /* Groups nest on a heap stack, not the machine stack. */
  strcpy(deep, "<!ELEMENT a ");
  for (i = 0; i < 1000; i++)
    strcat(deep, "(");
  strcat(deep, "b");
  for (i = 0; i < 1000; i++)
    strcat(deep, ")");
  strcat(deep, ">");
  {
    char *buf = malloc(4096);
    dt x;
    snprintf(buf, 4096, "<!DOCTYPE a [%s]>", deep);
    assert_int_equal(parse(&x, buf), NG_OK);
    done(&x);
    free(buf);
  }
}

/* ---------------------------------------- attribute-list declarations */

static void test_attlist_decls(void **state) {
  static const char *const syn[] = {
      "<!ATTLIST a x STRING #IMPLIED>",
      "<!ATTLIST a x cdata #IMPLIED>",
      "<!ATTLIST a x CDATA>",
      "<!ATTLIST a x CDATA #FIXED>",
      "<!ATTLIST a x CDATA #DEFAULT \"v\">",
      "<!ATTLIST a x CDATA v>",
      "<!ATTLIST a x CDATA\"v\">",
      "<!ATTLIST a x () #IMPLIED>",
      "<!ATTLIST a x (p|) #IMPLIED>",
      "<!ATTLIST a x (p,q) #IMPLIED>",
      "<!NOTATION n SYSTEM \"v\"><!ATTLIST a x NOTATION n #IMPLIED>",
      "<!ENTITY % t \"CDATA\"><!ATTLIST a x %t; #IMPLIED>",
      "<!ATTLIST a x CDATA #IMPLIEDy CDATA #IMPLIED>",
      "<!ATTLIST a x CDATA 'a & b'>",
      "<!ATTLIST a x CDATA '&#xG;'>",
  };
  size_t i;
  (void)state;

  expect_subset("<!ATTLIST a>", NG_OK);
  expect_subset("<!ATTLIST zz x CDATA #IMPLIED>", NG_OK);
  expect_subset("<!ATTLIST\ta\tx\tCDATA\t#IMPLIED\t>", NG_OK);
  expect_subset("<!ATTLIST a x (1|a-b|.c| d ) \"1\">", NG_OK);
  expect_subset("<!ATTLIST a x (p|q) \"r\">", NG_OK);
  expect_subset("<!NOTATION n SYSTEM \"v\"><!ATTLIST a c CDATA #IMPLIED i ID "
                "#IMPLIED r IDREF #IMPLIED rs IDREFS #IMPLIED e ENTITY "
                "#IMPLIED es ENTITIES #IMPLIED t NMTOKEN #IMPLIED ts NMTOKENS "
                "#IMPLIED n NOTATION (n) #IMPLIED en (x|y) #IMPLIED>",
                NG_OK);
  for (i = 0; i < sizeof syn / sizeof syn[0]; i++)
    expect_subset(syn[i], NG_ESYNTAX);
  expect_subset("<!ATTLIST a x NOTATION (1n) #IMPLIED>", NG_ECHAR);
  expect_subset("<!ATTLIST a x CDATA \"<\">", NG_EATTR);
  expect_subset("<!ATTLIST a x CDATA \"\x01\">", NG_ECHAR);
  expect_subset("<!ATTLIST a x CDATA \"v", NG_EATTR); /* v]><a/> */
}

static void test_attlist_tables(void **state) {
  const ng__xml_attdef *a;
  dt x;
  (void)state;

  assert_int_equal(
      parse(&x, "<!DOCTYPE a [<!ATTLIST a r CDATA #REQUIRED i CDATA #IMPLIED"
                " f CDATA #FIXED \"v\" d CDATA ' w\t\r\nx '>"
                "<!ATTLIST a d CDATA \"2\" t NMTOKENS '  p\n\n q  '"
                " e (x|y) ' x ' n ID '&#32;a&#32;&#32;b&#9;'>"
                "<!ATTLIST b x CDATA '&lt;&#60;'>]>"),
      NG_OK);
  assert_true(ng__xml_dtd_has_attlists(x.d));
  a = ng__xml_dtd_attlist(x.d, "a", 1);
  assert_non_null(a);
  assert_string_equal(a->name, "r");
  assert_int_equal(a->def, NG__XML_DEF_REQUIRED);
  assert_null(a->value);
  a = a->next;
  assert_string_equal(a->name, "i");
  assert_int_equal(a->def, NG__XML_DEF_IMPLIED);
  a = a->next;
  assert_string_equal(a->name, "f");
  assert_int_equal(a->def, NG__XML_DEF_FIXED);
  assert_string_equal(a->value, "v");
  a = a->next;
  /* CDATA: each white space character one space, CR LF one. */
  assert_string_equal(a->name, "d");
  assert_int_equal(a->def, NG__XML_DEF_DEFAULT);
  assert_string_equal(a->value, " w  x ");
  assert_int_equal(a->value_len, 6);
  a = a->next; /* the second "d" was ignored: first declaration binds */
  assert_string_equal(a->name, "t");
  assert_int_equal(a->type, NG__XML_ATT_TOKENIZED);
  assert_string_equal(a->value, "p q");
  a = a->next;
  assert_int_equal(a->type, NG__XML_ATT_ENUMERATED);
  assert_string_equal(a->value, "x");
  a = a->next;
  /* Character references: spaces collapse, the TAB stays. */
  assert_string_equal(a->value, "a b\t");
  assert_null(a->next);
  /* The ones with values, for start tags: f, d, t, e, n. */
  a = ng__xml_dtd_defaults(x.d, "a", 1);
  assert_string_equal(a->name, "f");
  a = a->next_default;
  assert_string_equal(a->name, "d");
  a = a->next_default->next_default->next_default;
  assert_string_equal(a->name, "n");
  assert_null(a->next_default);
  assert_null(ng__xml_dtd_defaults(x.d, "c", 1));
  a = ng__xml_dtd_attdef(x.d, "a", 1, "d", 1);
  assert_non_null(a);
  assert_string_equal(a->value, " w  x ");
  assert_string_equal(a->elem, "a");
  assert_null(ng__xml_dtd_attdef(x.d, "a", 1, "zz", 2));
  assert_null(ng__xml_dtd_attdef(x.d, "b", 1, "d", 1));
  a = ng__xml_dtd_attlist(x.d, "b", 1);
  assert_string_equal(a->value, "<<");
  assert_null(ng__xml_dtd_attlist(x.d, "c", 1));
  done(&x);
}

/* WFCs on defaults: the entity must be declared before, internal, with
 * no '<' in its expansion. */
static void test_attlist_default_wfc(void **state) {
  (void)state;
  expect_subset("<!ENTITY e \"v\"><!ATTLIST a x CDATA \"&e;&#60;&lt;\">",
                NG_OK);
  expect_subset("<!ATTLIST a x CDATA \"&e;\"><!ENTITY e \"v\">", NG_EENTITY);
  expect_subset("<!ENTITY e \"<\"><!ATTLIST a x CDATA \"&e;\">", NG_EENTITY);
  expect_subset("<!ENTITY e \"&#60;\"><!ATTLIST a x CDATA \"&e;\">",
                NG_EENTITY);
  expect_subset("<!ENTITY x SYSTEM \"x.xml\"><!ATTLIST a v CDATA \"&x;\">",
                NG_EENTITY);
  expect_subset("<!ENTITY x SYSTEM \"x\"><!ENTITY e \"[&x;]\">"
                "<!ATTLIST a v CDATA \"&e;\">",
                NG_EENTITY);
  expect_subset("<!NOTATION n SYSTEM \"v\"><!ENTITY u SYSTEM \"u\" NDATA n>"
                "<!ATTLIST a v CDATA \"&u;\">",
                NG_EENTITY);
  expect_subset("<!ENTITY e1 \"&e2;\"><!ENTITY e2 \"&e1;\">"
                "<!ATTLIST a x CDATA \"&e1;\">",
                NG_EENTITY);
  /* A forward reference resolved by the time of the default is fine. */
  expect_subset("<!ENTITY e1 \"x&e2;\"><!ENTITY e2 \"y\">"
                "<!ATTLIST a x CDATA \"&e1;\">",
                NG_OK);
  /* After a parameter-entity reference, undeclared is not an error. */
  expect_subset("<!ENTITY % p \"\"> %p; <!ATTLIST a x CDATA \"&u;\">", NG_OK);
}

/* -------------------------------------------------- entity declarations */

static void test_entity_decls(void **state) {
  const ng__xml_entity *e;
  dt x;
  (void)state;

  assert_int_equal(
      parse(&x,
            "<!DOCTYPE a [<!ENTITY e \"t&#60;&#x3E;&amp;&f;x\r\ny\">"
            "<!ENTITY f 'say \"hi\"'><!ENTITY % p \"<!ENTITY q 'v'>\">"
            "<!ENTITY x SYSTEM \"x.xml\"><!ENTITY y PUBLIC \"-//P\" \"y\">"
            "<!NOTATION n PUBLIC \"-//N\"><!ENTITY u SYSTEM \"u.bin\" NDATA n>"
            "<!ENTITY % ext SYSTEM \"p.dtd\"><!ENTITY empty ''>"
            "<!ENTITY \xc3\xa9t\xc3\xa9 \"&#37;p;\">"
            "<!ENTITY e \"second\"><!ENTITY lt \"&#38;#60;\">"
            "<!ENTITY gt \"x\"><!ENTITY cr 'a\r\nb\rc'>]>"),
      NG_OK);
  e = ent(&x, "e", 0);
  expect_text(e, "t<>&amp;&f;x\ny"); /* char refs replaced, CR LF -> LF */
  assert_int_equal(e->kind, NG__XML_ENT_INTERNAL);
  assert_int_equal(e->parameter, 0);
  assert_int_equal(e->decl_off, 13);
  assert_int_equal(e->flags, NG__XML_EF_LT); /* '<' from the reference */
  assert_int_equal(e->expanded, 14 + 8);     /* own text + f's */
  expect_text(ent(&x, "f", 0), "say \"hi\""); /* nothing to replace */
  expect_text(ent(&x, "cr", 0), "a\nb\nc");     /* no reference, CRs */
  e = ent(&x, "p", 1);
  expect_text(e, "<!ENTITY q 'v'>");
  assert_int_equal(e->parameter, 1);
  assert_null(ent(&x, "p", 0));
  assert_null(ent(&x, "q", 0)); /* declared in p, which is never read */
  e = ent(&x, "x", 0);
  assert_int_equal(e->kind, NG__XML_ENT_EXTERNAL);
  assert_string_equal(e->sysid, "x.xml");
  assert_null(e->pubid);
  expect_text(e, "");
  e = ent(&x, "y", 0);
  assert_string_equal(e->pubid, "-//P");
  assert_string_equal(e->sysid, "y");
  e = ent(&x, "u", 0);
  assert_int_equal(e->kind, NG__XML_ENT_UNPARSED);
  assert_string_equal(e->notation, "n");
  assert_int_equal(ent(&x, "ext", 1)->kind, NG__XML_ENT_EXTERNAL);
  expect_text(ent(&x, "empty", 0), "");
  expect_text(ent(&x, "\xc3\xa9t\xc3\xa9", 0), "%p;");
  /* Predefined: always the character, a redeclaration does not change it. */
  e = ent(&x, "lt", 0);
  assert_true(e->predefined);
  expect_text(e, "<");
  expect_text(ent(&x, "gt", 0), ">");
  assert_null(ng__xml_dtd_find(x.d, "lt", 2, 0));
  assert_int_equal(ng__xml_predefined("quot", 4), '"');
  assert_int_equal(ng__xml_predefined("apos", 4), '\'');
  assert_int_equal(ng__xml_predefined("amp", 3), '&');
  assert_int_equal(ng__xml_predefined("ampx", 4), 0);
  assert_int_equal(ng__xml_predefined("lt", 2), '<');
  assert_int_equal(ng__xml_predefined("gt", 2), '>');
  {
    static const char *const near[] = {"lx", "gl", "at", "l",  "abc", "amq",
                                       "aaos", "apot", "qoot", "quo", "quotx",
                                       "tl", "pma", "Amp", "LT"};
    size_t i;
    for (i = 0; i < sizeof near / sizeof near[0]; i++)
      assert_int_equal(ng__xml_predefined(near[i], strlen(near[i])), 0);
  }
  assert_false(ng__xml_dtd_lenient(x.d));
  done(&x);
  /* Without tables only the predefined ones exist. */
  assert_non_null(ng__xml_dtd_entity(NULL, "amp", 3, 0));
  assert_null(ng__xml_dtd_entity(NULL, "amp", 3, 1));
  assert_null(ng__xml_dtd_entity(NULL, "e", 1, 0));
}

static void test_entity_decl_errors(void **state) {
  static const char *const syn[] = {
      "<!ENTITY e>",
      "<!ENTITY \"x\">",
      "<!ENTITY %p \"x\">",
      "<!NOTATION n SYSTEM \"v\"><!ENTITY e \"x\" NDATA n>",
      "<!NOTATION n SYSTEM \"v\"><!ENTITY % p SYSTEM \"p\" NDATA n>",
      "<!NOTATION n SYSTEM \"v\"><!ENTITY u SYSTEM \"u.bin\"NDATA n>",
      "<!ENTITY u SYSTEM \"u\" NDATAX n>",
      "<!ENTITY e SYSTEM>",
      "<!ENTITY e PUBLIC \"-//N//X//EN\">",
      "<!entity e \"x\">",
      "<!ENTITY e \"a & b\">",
      "<!ENTITY e \"50%\">",
      "<!ENTITY % p \"x\"><!ENTITY e \"%p;\">",
      "<!ENTITY e \"&#;\">",
      "<!ENTITY e \"x\"y>",
      "<!ENTITY e x>",
  };
  size_t i;
  (void)state;

  for (i = 0; i < sizeof syn / sizeof syn[0]; i++)
    expect_subset(syn[i], NG_ESYNTAX);
  expect_subset("<!ENTITY 1e \"x\">", NG_ECHAR);
  expect_subset("<!ENTITY e \"&#xD800;\">", NG_ECHAR);
  expect_subset("<!ENTITY e \"&#0;\">", NG_ECHAR);
  expect_subset("<!ENTITY e \"\xef\xbf\xbe\">", NG_ECHAR);
  expect_subset("<!ENTITY e \"\xc0\xbc\">", NG_EUTF8);
  expect_subset("<!ENTITY e \"&1;\">", NG_ECHAR);
  {
    static const char doc[] = "<!DOCTYPE a [<!ENTITY e \"\0\">]>";
    dt x;
    parse_n(&x, doc, sizeof doc - 1, 0, 0, NULL);
    assert_int_equal(x.rc, NG_ECHAR);
    assert_int_equal(x.e.off, 25);
    done(&x);
  }
  {
    dt x;
    parse(&x, "<!DOCTYPE a [<!ENTITY e \"x");
    assert_int_equal(x.rc, NG_EEOF);
    assert_int_equal(x.e.off, 26);
    done(&x);
  }
}

static void test_notation_decls(void **state) {
  (void)state;
  expect_subset("<!NOTATION n SYSTEM \"viewer\">", NG_OK);
  expect_subset("<!NOTATION n PUBLIC \"-//N//NOTATION V//EN\">", NG_OK);
  expect_subset("<!NOTATION n PUBLIC '-//N' >", NG_OK);
  expect_subset("<!NOTATION n PUBLIC \"-//N\" \"viewer\">", NG_OK);
  expect_subset("<!NOTATION n>", NG_ESYNTAX);
  expect_subset("<!NOTATION n SYSTEM>", NG_ESYNTAX);
  expect_subset("<!NOTATION n PUBLIC \"a\"\"b\">", NG_ESYNTAX);
  expect_subset("<!NOTATION n FOO \"a\">", NG_ESYNTAX);
  expect_subset("<!NOTATION 1n SYSTEM \"v\">", NG_ECHAR);
}

/* ------------------------------------------------ parameter entities */

static void test_pe_references(void **state) {
  dt x;
  (void)state;

  /* Declarations in a PE, nested PEs, references between declarations. */
  assert_int_equal(
      parse(&x, "<!DOCTYPE a [<!ENTITY % d \"<!ENTITY e 'v'><!ELEMENT a ANY>"
                "\"> %d;<!ENTITY % d1 \"<!ENTITY f 'w'>\">"
                "<!ENTITY % d2 \"&#37;d1; <!--c-->\">%d2;]>"),
      NG_OK);
  expect_text(ent(&x, "e", 0), "v");
  expect_text(ent(&x, "f", 0), "w");
  expect_text(ent(&x, "d2", 1), "%d1; <!--c-->");
  assert_true(ng__xml_dtd_lenient(x.d)); /* a PE reference occurred */
  assert_false(ng__xml_dtd_unread_external(x.d));
  assert_false(ent(&x, "d", 1)->open);
  done(&x);

  /* Unread: declarations after it are not processed (5.1). */
  assert_int_equal(
      parse(&x, "<!DOCTYPE a [<!ENTITY a1 'x'><!ENTITY % p SYSTEM \"p.ent\">"
                " %p; <!ENTITY e \"<\"><!ATTLIST a x CDATA 'v'>]>"),
      NG_OK);
  assert_non_null(ent(&x, "a1", 0));
  assert_null(ent(&x, "e", 0));
  assert_null(ng__xml_dtd_attlist(x.d, "a", 1));
  assert_true(ng__xml_dtd_unread_external(x.d));
  assert_true(ng__xml_dtd_lenient(x.d));
  done(&x);

  /* An undeclared PE is not read either... */
  assert_int_equal(parse(&x, "<!DOCTYPE a [%p;<!ENTITY e 'v'>]>"), NG_OK);
  assert_null(ent(&x, "e", 0));
  assert_true(ng__xml_dtd_lenient(x.d));
  done(&x);

  /* ...but in a standalone document it is an error, and declarations
   * after an unread PE are processed. */
  {
    static const char d1[] = "<!DOCTYPE a [%p;]>";
    static const char d2[] = "<!DOCTYPE a [<!ENTITY % p SYSTEM 'p'>%p;"
                             "<!ENTITY e 'v'>]>";
    assert_int_equal(parse_n(&x, d1, sizeof d1 - 1, 1, 0, NULL), NG_EENTITY);
    assert_int_equal(x.e.off, 13);
    done(&x);
    assert_int_equal(parse_n(&x, d2, sizeof d2 - 1, 1, 0, NULL), NG_OK);
    assert_non_null(ent(&x, "e", 0));
    assert_false(ng__xml_dtd_lenient(x.d));
    done(&x);
  }
}

static void test_pe_wfc(void **state) {
  static const bad_case c[] = {
      /* PE Between Declarations: a declaration must end in its entity. */
      {"<!DOCTYPE a [<!ENTITY % p \"<!ELEMENT a\"> %p; ANY>]>", NG_EENTITY, 41},
      {"<!DOCTYPE a [<!ENTITY % p \"<!-- x\">%p;-->]>", NG_EENTITY, 35},
      {"<!DOCTYPE a [<!ENTITY % p \"junk\"> %p;]>", NG_ESYNTAX, 34},
      {"<!DOCTYPE a [<!ENTITY % p \"]\"> %p;]>", NG_ESYNTAX, 31},
      /* No Recursion. */
      {"<!DOCTYPE a [<!ENTITY % p \"&#37;p;\"> %p;]>", NG_EENTITY, 37},
      {"<!DOCTYPE a [<!ENTITY % p \"&#37;q;\"><!ENTITY % q \"&#37;p;\">"
       " %p;]>",
       NG_EENTITY, 60},
      /* Syntax of the reference. */
      {"<!DOCTYPE a [<!ENTITY % p \"\"> %p <!ELEMENT a ANY>]>", NG_ESYNTAX, 32},
      {"<!DOCTYPE a [% p;]>", NG_ESYNTAX, 14},
      {"<!DOCTYPE a [%1;]>", NG_ECHAR, 14},
      {"<!DOCTYPE a [%p", NG_EEOF, 15},
      /* Errors inside a PE point at the outermost reference. */
      {"<!DOCTYPE a [<!ENTITY % i \"<!ELEMENT a (b,)>\">"
       "<!ENTITY % o \"&#37;i;\">  %o;]>",
       NG_ESYNTAX, 71},
  };
  (void)state;
  expect_bad(c, sizeof c / sizeof c[0]);
}

/* ------------------------------------------------------------- sizes */

static void test_sizes_and_flags(void **state) {
  const ng__xml_entity *e;
  dt x;
  (void)state;

  assert_int_equal(
      parse(&x,
            "<!DOCTYPE a [<!ENTITY a \"aa\"><!ENTITY b \"&a;&a;&a;\">"
            "<!ENTITY fw \"&later;!\"><!ENTITY later \"0123456789\">"
            "<!ENTITY c \"<!--&a;--><?p &a;?><![CDATA[&a;]]><t v='&a;'/>\">"
            "<!ENTITY x SYSTEM \"x\"><!NOTATION n SYSTEM \"n\">"
            "<!ENTITY u SYSTEM \"u\" NDATA n><!ENTITY rx \"&x;\">"
            "<!ENTITY ru \"&u;\"><!ENTITY rz \"&zz;\">"
            "<!ENTITY r1 \"&r2;\"><!ENTITY r2 \"&r3;&a;\"><!ENTITY r3 \"&r1;\">"
            "<!ENTITY rr \"&r2;\"><!ENTITY self \"&self;\">"
            "<!ENTITY p \"&amp;&#38;#60;&lt;\">]>"),
      NG_OK);
  e = ent(&x, "a", 0);
  assert_int_equal(e->expanded, 2);
  assert_int_equal(e->flags, 0);
  e = ent(&x, "b", 0);
  assert_int_equal(e->expanded, 9 + 3 * 2);
  assert_int_equal(e->flags, 0);
  /* Forward reference: pending at declaration, final at the end. */
  e = ent(&x, "fw", 0);
  assert_int_equal(e->expanded, 8 + 10);
  assert_int_equal(e->flags, 0);
  /* References in comments, PIs, CDATA do not count; in attributes do. */
  e = ent(&x, "c", 0);
  assert_int_equal(e->expanded, e->text_len + 2);
  assert_int_equal(e->flags, NG__XML_EF_LT);
  assert_int_equal(ent(&x, "rx", 0)->flags, NG__XML_EF_EXTERNAL);
  assert_int_equal(ent(&x, "ru", 0)->flags, NG__XML_EF_UNPARSED);
  assert_int_equal(ent(&x, "rz", 0)->flags, NG__XML_EF_UNDECLARED);
  /* A cycle, and what reaches it. */
  assert_true(ent(&x, "r1", 0)->flags & NG__XML_EF_RECURSIVE);
  assert_true(ent(&x, "r2", 0)->flags & NG__XML_EF_RECURSIVE);
  assert_true(ent(&x, "r3", 0)->flags & NG__XML_EF_RECURSIVE);
  assert_true(ent(&x, "rr", 0)->flags & NG__XML_EF_RECURSIVE);
  assert_true(ent(&x, "self", 0)->flags & NG__XML_EF_RECURSIVE);
  /* Predefined and character references add nothing. */
  e = ent(&x, "p", 0);
  assert_int_equal(e->expanded, e->text_len);
  assert_int_equal(e->flags, 0);
  for (e = x.d != NULL ? ent(&x, "a", 0) : NULL; e != NULL; e = e->next)
    assert_false(e->flags & NG__XML_EF_PENDING);
  done(&x);
}

/* Billion laughs: 10 levels of 10 references, declared in microseconds,
 * sizes exact; a reference costs nothing until charged. */
static void test_billion_laughs_sizes(void **state) {
  char doc[2048];
  size_t n;
  uint64_t want = 3;
  double t0, t1;
  int k, j;
  dt x;
  (void)state;

  n = (size_t)snprintf(doc, sizeof doc, "<!DOCTYPE a [<!ENTITY l0 \"lol\">");
  for (k = 1; k < 10; k++) {
    n += (size_t)snprintf(doc + n, sizeof doc - n, "<!ENTITY l%d \"", k);
    for (j = 0; j < 10; j++)
      n += (size_t)snprintf(doc + n, sizeof doc - n, "&l%d;", k - 1);
    n += (size_t)snprintf(doc + n, sizeof doc - n, "\">");
  }
  snprintf(doc + n, sizeof doc - n, "]>");
  t0 = ng_test_cpu_ms();
  assert_int_equal(parse(&x, doc), NG_OK);
  t1 = ng_test_cpu_ms();
  for (k = 1; k < 10; k++)
    want = 40 + 10 * want;
  assert_int_equal(ent(&x, "l9", 0)->expanded, want); /* 4,444,444,443 */
  printf("  billion laughs declared in %.3f ms; l9 expands to %llu bytes\n",
         t1 - t0, (unsigned long long)want);
  assert_true(t1 - t0 < 50.0);
  assert_int_equal(x.b.used, 0);
  done(&x);
}

/* Sizes saturate instead of wrapping: 20 levels of 16 references. */
static void test_size_saturation(void **state) {
  char *doc = malloc(8192);
  size_t n;
  int k, j;
  dt x;
  (void)state;

  n = (size_t)snprintf(doc, 8192, "<!DOCTYPE a [<!ENTITY s0 \"0123456789\">");
  for (k = 1; k <= 20; k++) {
    n += (size_t)snprintf(doc + n, 8192 - n, "<!ENTITY s%d \"", k);
    for (j = 0; j < 16; j++)
      n += (size_t)snprintf(doc + n, 8192 - n, "&s%d;", k - 1);
    n += (size_t)snprintf(doc + n, 8192 - n, "\">");
  }
  snprintf(doc + n, 8192 - n, "<!ENTITY top \"&s20;&s20;\">]>");
  assert_int_equal(parse(&x, doc), NG_OK);
  assert_true(ent(&x, "s15", 0)->expanded < UINT64_MAX);
  assert_int_equal(ent(&x, "s17", 0)->expanded, UINT64_MAX);
  assert_int_equal(ent(&x, "s20", 0)->expanded, UINT64_MAX);
  assert_int_equal(ent(&x, "top", 0)->expanded, UINT64_MAX);
  done(&x);
  /* The same chain with forward references, resolved at the end. */
  n = (size_t)snprintf(doc, 8192, "<!DOCTYPE a [");
  for (k = 20; k >= 1; k--) {
    n += (size_t)snprintf(doc + n, 8192 - n, "<!ENTITY s%d \"", k);
    for (j = 0; j < 16; j++)
      n += (size_t)snprintf(doc + n, 8192 - n, "&s%d;", k - 1);
    n += (size_t)snprintf(doc + n, 8192 - n, "\">");
  }
  snprintf(doc + n, 8192 - n, "<!ENTITY s0 \"0123456789\">]>");
  assert_int_equal(parse(&x, doc), NG_OK);
  assert_int_equal(ent(&x, "s1", 0)->expanded, 16 * 4 + 16 * 10);
  assert_int_equal(ent(&x, "s20", 0)->expanded, UINT64_MAX);
  assert_int_equal(ent(&x, "s20", 0)->flags, 0);
  done(&x);
  free(doc);
}

/* The quadratic blowup: one big entity; its references are charged one
 * by one (attval below), the declaration itself is cheap. */
static void test_quadratic_sizes(void **state) {
  char *doc = malloc(20000);
  size_t n;
  dt x;
  (void)state;

  n = (size_t)snprintf(doc, 20000, "<!DOCTYPE a [<!ENTITY q \"");
  memset(doc + n, 'q', 10240);
  n += 10240;
  snprintf(doc + n, 20000 - n, "\"><!ENTITY q2 \"&q;&q;\">]>");
  assert_int_equal(parse(&x, doc), NG_OK);
  assert_int_equal(ent(&x, "q", 0)->expanded, 10240);
  assert_int_equal(ent(&x, "q2", 0)->expanded, 6 + 2 * 10240);
  done(&x);
  free(doc);
}

/* Billion laughs with parameter entities: refused at the reference. */
static void test_pe_billion_laughs(void **state) {
  char doc[2048];
  size_t n;
  double t0, t1;
  int k, j;
  dt x;
  (void)state;

  n = (size_t)snprintf(doc, sizeof doc,
                       "<!DOCTYPE a [<!ENTITY %% l0 \"<!--lol-->\">");
  for (k = 1; k < 10; k++) {
    n += (size_t)snprintf(doc + n, sizeof doc - n, "<!ENTITY %% l%d \"", k);
    for (j = 0; j < 10; j++)
      n += (size_t)snprintf(doc + n, sizeof doc - n, "&#37;l%d;", k - 1);
    n += (size_t)snprintf(doc + n, sizeof doc - n, "\">");
  }
  snprintf(doc + n, sizeof doc - n, "%%l9;]>");
  t0 = ng_test_cpu_ms();
  assert_int_equal(parse(&x, doc), NG_EENTITYLIMIT);
  t1 = ng_test_cpu_ms();
  assert_int_equal(x.e.off, n);
  assert_int_equal(x.b.used, 0);
  printf("  PE billion laughs refused in %.3f ms\n", t1 - t0);
  assert_true(t1 - t0 < 50.0);
  done(&x);
  /* l2 is within the limit: expanded between declarations. */
  n = (size_t)snprintf(doc, sizeof doc,
                       "<!DOCTYPE a [<!ENTITY %% l0 \"<!--l-->\">"
                       "<!ENTITY %% l1 \"%%l0;%%l0;\">]>");
  assert_int_equal(parse(&x, doc), NG_ESYNTAX); /* PE in a literal */
  done(&x);
}

/* --------------------------------------------------- attribute values */

typedef struct av_case {
  const char *lit; /* the value and its closing quote, then anything */
  int collapse;
  int code;
  const char *want; /* value, or NULL */
  size_t off;       /* error offset */
} av_case;

static void run_attval(ng__xml_dtd *d, const av_case *c) {
  const unsigned char *p = (const unsigned char *)c->lit;
  ng__xml_src src = {p, strlen(c->lit), 1, 0, 0, 0};
  ng__xml_buf out;
  ng__xml_derr err = {0, 0, NULL};
  int rc;

  ng__xml_buf_init(&out, NULL);
  rc = ng__xml_attval(d, &src, &p, p + strlen(c->lit), '"', c->collapse, &out,
                      &err);
  if (rc != c->code || (rc != NG_OK && err.off != c->off))
    printf("  attval %s: %s at %zu (%s)\n", c->lit, ng_err_name(rc), err.off,
           err.msg ? err.msg : "");
  assert_int_equal(rc, c->code);
  if (rc == NG_OK) {
    assert_int_equal(out.len, strlen(c->want));
    assert_memory_equal(out.p, c->want, out.len);
    assert_int_equal(*p, 'X'); /* moved past the closing quote */
  } else {
    assert_int_equal(err.off, c->off);
  }
  ng__xml_buf_free(&out);
}

static void test_attval(void **state) {
  static const av_case c[] = {
      {"\"X", 0, NG_OK, "", 0},
      {"a\tb\nc\r\nd\re\"X", 0, NG_OK, "a b c d e", 0},
      {"&#9;&#10;&#13;&#32;\"X", 0, NG_OK, "\t\n\r ", 0},
      {"'>]]>\"X", 0, NG_OK, "'>]]>", 0},
      {"&lt;&gt;&amp;&apos;&quot;\"X", 0, NG_OK, "<>&'\"", 0},
      {"&e;|&tab;|&e2;\"X", 0, NG_OK, "v|  |xvy", 0},
      {"&q;\"X", 0, NG_OK, "\"", 0},
      {"  a   b  \"X", 1, NG_OK, "a b", 0},
      {" &sp; \"X", 1, NG_OK, "", 0},
      {"\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\"X", 0, NG_OK,
       "\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80", 0},
      {"a<\"X", 0, NG_EATTR, NULL, 1},
      {"a&lt 1;\"X", 0, NG_ESYNTAX, NULL, 4},
      {"a & b\"X", 0, NG_ESYNTAX, NULL, 3},
      {"&undeclared;\"X", 0, NG_EENTITY, NULL, 0},
      {"x&ext;\"X", 0, NG_EENTITY, NULL, 1},
      {"x&un;\"X", 0, NG_EENTITY, NULL, 1},
      {"x&lt2;\"X", 0, NG_EENTITY, NULL, 1},
      {"x&via;\"X", 0, NG_EENTITY, NULL, 1},
      {"xy&rec;\"X", 0, NG_EENTITY, NULL, 2},
      {"&#0;\"X", 0, NG_ECHAR, NULL, 0},
      {"\x01\"X", 0, NG_ECHAR, NULL, 0},
      {"\xed\xa0\x80\"X", 0, NG_EUTF8, NULL, 0},
      {"abc", 0, NG_EEOF, NULL, 3},
  };
  size_t i;
  dt x;
  (void)state;

  assert_int_equal(
      parse(&x, "<!DOCTYPE a [<!ENTITY e \"v\"><!ENTITY tab \"&#9;\n\">"
                "<!ENTITY e2 \"x&e;y\"><!ENTITY q '\"'><!ENTITY sp \" &#32; \">"
                "<!ENTITY ext SYSTEM \"x\"><!NOTATION n SYSTEM \"n\">"
                "<!ENTITY un SYSTEM \"u\" NDATA n><!ENTITY lt2 \"a<b\">"
                "<!ENTITY via \"&lt2;\"><!ENTITY rec \"&rec;\">]>"),
      NG_OK);
  for (i = 0; i < sizeof c / sizeof c[0]; i++)
    run_attval(x.d, &c[i]);
  assert_false(ent(&x, "e2", 0)->open);
  done(&x);
  /* No DTD: predefined entities only. */
  {
    static const av_case nd[] = {
        {"&amp;&#x41;\"X", 0, NG_OK, "&A", 0},
        {"a&e;\"X", 0, NG_EENTITY, NULL, 1},
    };
    run_attval(NULL, &nd[0]);
    run_attval(NULL, &nd[1]);
  }
}

/* A value inside replacement text: errors point at the reference, the end
 * of the text is NG_EENTITY, CR is data (then a space). */
static void test_attval_in_entity(void **state) {
  static const char lit[] = "a\r\nb";
  const unsigned char *p = (const unsigned char *)lit;
  ng__xml_src src = {(const unsigned char *)"", 0, 0, 77, 1, 1};
  ng__xml_derr err;
  ng__xml_buf out;
  (void)state;

  ng__xml_buf_init(&out, NULL);
  assert_int_equal(ng__xml_attval(NULL, &src, &p, p + 4, '"', 0, &out, &err),
                   NG_EENTITY);
  assert_int_equal(err.off, 77);
  out.len = 0;
  p = (const unsigned char *)"a\r\nb\"";
  assert_int_equal(ng__xml_attval(NULL, &src, &p, p + 5, '"', 0, &out, &err),
                   NG_OK);
  assert_int_equal(out.len, 4);
  assert_memory_equal(out.p, "a  b", 4);
  ng__xml_buf_free(&out);
}

/* References are charged before they expand; a covered source is not. */
static void test_attval_budget(void **state) {
  char *doc = malloc(20000);
  const unsigned char *p;
  ng__xml_src src;
  ng__xml_derr err;
  ng__xml_buf out;
  size_t n;
  int i, rc = NG_OK;
  dt x;
  (void)state;

  n = (size_t)snprintf(doc, 20000, "<!DOCTYPE a [<!ENTITY q \"");
  memset(doc + n, 'q', 10240);
  n += 10240;
  snprintf(doc + n, 20000 - n, "\">]>");
  assert_int_equal(parse_n(&x, doc, strlen(doc), 0, 100000, NULL), NG_OK);
  ng__xml_buf_init(&out, NULL);
  for (i = 0; i < 20 && rc == NG_OK; i++) {
    p = (const unsigned char *)"&q;\"";
    memset(&src, 0, sizeof src);
    src.doc = p;
    src.in_doc = 1;
    out.len = 0;
    rc = ng__xml_attval(x.d, &src, &p, p + 4, '"', 0, &out, &err);
  }
  assert_int_equal(rc, NG_EENTITYLIMIT);
  assert_int_equal(i, 10);      /* the 10th would pass 100,000 bytes */
  assert_int_equal(out.len, 0); /* refused before a byte */
  assert_int_equal(x.b.used, 9 * 10240);
  /* Covered: already paid for by an enclosing reference. */
  p = (const unsigned char *)"&q;\"";
  src.covered = 1;
  assert_int_equal(ng__xml_attval(x.d, &src, &p, p + 4, '"', 0, &out, &err),
                   NG_OK);
  assert_int_equal(out.len, 10240);
  /* Nesting depth. */
  x.b.max_depth = 3;
  src.depth = 3;
  src.covered = 0;
  p = (const unsigned char *)"&q;\"";
  assert_int_equal(ng__xml_attval(x.d, &src, &p, p + 4, '"', 0, &out, &err),
                   NG_EENTITYLIMIT);
  ng__xml_buf_free(&out);
  done(&x);
  free(doc);
}

/* ------------------------------------------------------------ budget */

static void test_budget(void **state) {
  ng__xml_budget b;
  (void)state;

  ng__xml_budget_init(&b, 1000);
  assert_int_equal(b.ratio, NG__XML_AMP_RATIO);
  assert_int_equal(b.threshold, NG__XML_AMP_THRESHOLD);
  assert_int_equal(ng__xml_budget_charge(&b, 600, 10), NG_OK);
  assert_int_equal(ng__xml_budget_charge(&b, 401, 10), NG_EENTITYLIMIT);
  assert_int_equal(b.used, 600);
  assert_int_equal(ng__xml_budget_charge(&b, 400, 10), NG_OK);
  assert_int_equal(ng__xml_budget_charge(&b, UINT64_MAX, 10), NG_EENTITYLIMIT);
  /* No absolute cap: the ratio still holds past the threshold. */
  ng__xml_budget_init(&b, 0);
  assert_int_equal(b.max, UINT64_MAX);
  assert_int_equal(ng__xml_budget_charge(&b, NG__XML_AMP_THRESHOLD - 2, 1),
                   NG_OK); /* below the threshold: any ratio */
  assert_int_equal(ng__xml_budget_charge(&b, 100, 1), NG_EENTITYLIMIT);
  assert_int_equal(ng__xml_budget_charge(&b, UINT64_MAX, 1), NG_EENTITYLIMIT);
  assert_int_equal(b.used, NG__XML_AMP_THRESHOLD - 2);
  ng__xml_budget_init(&b, 0);
  /* total = 100 * direct is allowed, one byte more is not */
  assert_int_equal(ng__xml_budget_charge(&b, 99 * 100000, 100000), NG_OK);
  assert_int_equal(ng__xml_budget_charge(&b, 1, 100000), NG_EENTITYLIMIT);
  assert_int_equal(ng__xml_budget_extra(&b, 1, 100000), NG_EENTITYLIMIT);
  assert_int_equal(ng__xml_budget_extra(&b, 1, 100001), NG_OK);
  assert_int_equal(b.extra, 1);
  b.ratio = 0;
  assert_int_equal(ng__xml_budget_charge(&b, UINT64_MAX / 2, 1), NG_OK);
}

/* ------------------------------------------------------ allocation */

static const char big_dtd[] =
    "<!DOCTYPE r PUBLIC \"-//P\" \"s\" [<!ENTITY e \"v&f;\"><!ENTITY f 'w'>"
    "<!ENTITY % p \"<!ENTITY g 'x'><!ATTLIST r z CDATA 'zz'>\"> %p;"
    "<!ENTITY x SYSTEM \"x\"><!NOTATION n PUBLIC \"n\">"
    "<!ENTITY u SYSTEM \"u\" NDATA n><!ELEMENT r ((a|b)*,(c,d)?)>"
    "<!ATTLIST r a CDATA \"&e;&amp;\" b NMTOKENS ' 1  2 ' c (x|y) 'x'>"
    "<!ATTLIST s a CDATA #IMPLIED><!ENTITY h \"&h2;\"><!ENTITY h2 \"&h;\">"
    "<!ENTITY a1 'a'><!ENTITY a2 'a'><!ENTITY a3 'a'><!ENTITY a4 'a'>"
    "<!ENTITY a5 'a'><!ENTITY a6 'a'><!ENTITY a7 'a'><!ENTITY a8 'a'>"
    "<!ENTITY a9 'a'><!ENTITY b1 'a'><!ENTITY b2 'a'><!ENTITY b3 'a'>"
    "<!ATTLIST t a1 CDATA 'a' a2 CDATA 'a' a3 CDATA 'a' a4 CDATA 'a' a5 CDATA "
    "'a' a6 CDATA 'a' a7 CDATA 'a' a8 CDATA 'a' a9 CDATA 'a' b1 CDATA 'b'>"
    "]>";

static int parse_op(void *arg, const ng_alloc *alc) {
  dt x;
  int rc;
  (void)arg;

  rc = parse_n(&x, big_dtd, sizeof big_dtd - 1, 0, 0, alc);
  if (rc == NG_OK) {
    assert_non_null(ent(&x, "g", 0));
    assert_true(ent(&x, "h", 0)->flags & NG__XML_EF_RECURSIVE);
    assert_non_null(ng__xml_dtd_attdef(x.d, "r", 1, "z", 1));
  } else {
    assert_true(rc == NG_ENOMEM);
  }
  done(&x);
  return rc;
}

static void test_alloc_failure(void **state) {
  long runs;
  (void)state;

  runs = ng_failalloc_sweep(parse_op, NULL, 10000);
  printf("  %ld allocations failed one at a time\n", runs);
  assert_true(runs > 10);
}

/* max_memory caps the arena: NG_EMEMLIMIT, nothing leaked. */
static void test_memory_limit(void **state) {
  ng_failalloc fa;
  ng__xml_budget b;
  ng__xml_dtd *d;
  ng__xml_doctype_decl t;
  ng__xml_derr e;
  (void)state;

  ng_failalloc_init(&fa, 0);
  ng__xml_budget_init(&b, 0);
  assert_int_equal(ng__xml_dtd_new(&d, &fa.alc, 1000, &b, 0), NG_OK);
  assert_int_equal(ng__xml_dtd_doctype(d, (const unsigned char *)big_dtd,
                                       sizeof big_dtd - 1, 0, &t, &e),
                   NG_EMEMLIMIT);
  ng__xml_dtd_free(d);
  assert_int_equal(fa.live_blocks, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_doctype_forms),
      cmocka_unit_test(test_doctype_errors),
      cmocka_unit_test(test_subset_structure),
      cmocka_unit_test(test_element_decls),
      cmocka_unit_test(test_attlist_decls),
      cmocka_unit_test(test_attlist_tables),
      cmocka_unit_test(test_attlist_default_wfc),
      cmocka_unit_test(test_entity_decls),
      cmocka_unit_test(test_entity_decl_errors),
      cmocka_unit_test(test_notation_decls),
      cmocka_unit_test(test_pe_references),
      cmocka_unit_test(test_pe_wfc),
      cmocka_unit_test(test_sizes_and_flags),
      cmocka_unit_test(test_billion_laughs_sizes),
      cmocka_unit_test(test_size_saturation),
      cmocka_unit_test(test_quadratic_sizes),
      cmocka_unit_test(test_pe_billion_laughs),
      cmocka_unit_test(test_attval),
      cmocka_unit_test(test_attval_in_entity),
      cmocka_unit_test(test_attval_budget),
      cmocka_unit_test(test_budget),
      cmocka_unit_test(test_alloc_failure),
      cmocka_unit_test(test_memory_limit),
  };
  return cmocka_run_group_tests_name("xml_dtd", tests, NULL, NULL);
}
