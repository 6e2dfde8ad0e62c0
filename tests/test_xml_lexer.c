/*
 * tests/test_xml_lexer.c - the XML lexer (parsers/xml/lexer.re): token
 * streams for every construct, every error with its code and offset, the
 * grammar table. Entities, limits and allocation failure are in
 * test_xml_lexer_entities.c, the corpus in test_xml_lexer_corpus.c.
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
#include "support/xml_lex.h"

/* ------------------------------------------------------------ helpers */

/* Checks the stream of doc[0..len) (notation: support/xml_lex.h). */
static void stream_n(const char *doc, size_t len, const char *want) {
  char got[8192];

  assert_true(ng_xml_lex_dump(got, sizeof got, doc, len, NULL, NULL) > 0);
  if (strcmp(got, want) != 0)
    printf("  doc:  %.*s\n  got:  %s\n  want: %s\n", (int)len, doc, got, want);
  assert_string_equal(got, want);
}

static void stream(const char *doc, const char *want) {
  stream_n(doc, strlen(doc), want);
}

#define STREAM_LIT(doc, want) stream_n(doc, sizeof(doc) - 1, want)

/* The last token (EOF or the first ERROR) of doc[0..len). */
static ng__xml_token last_token(const char *doc, size_t len) {
  char buf[64];
  ng__xml_token t;

  assert_true(ng_xml_lex_dump(buf, sizeof buf, doc, len, NULL, &t) > 0);
  return t;
}

/* ng__xml_next, checking that it returns the token's kind. */
static int next(ng__xml_lexer *lx, ng__xml_token *t) {
  int k = ng__xml_next(lx, t);
  assert_int_equal(k, t->kind);
  return k;
}

typedef ng_xml_err_case err_case;

#define ERRORS(table)                                                          \
  assert_int_equal(ng_xml_lex_errors(table, sizeof(table) / sizeof(table)[0]), \
                   0)

/* ------------------------------------------------ the XML declaration */

static void test_xmldecl(void **state) {
  static const err_case bad[] = {
      {"<?xml encoding=\"UTF-8\"?><a/>", NG_ESYNTAX, 5},
      {"<?xml version=\"2.0\"?><a/>", NG_ESYNTAX, 5},
      {"<?xml version=\"1\"?><a/>", NG_ESYNTAX, 5},
      {"<?xml version=\"1.\"?><a/>", NG_ESYNTAX, 5},
      {"<?xml version=\"1.0a\"?><a/>", NG_ESYNTAX, 5},
      {"<?xml version=\"1.0'?><a/>", NG_ESYNTAX, 5},
      {"<?xml version=1.0?><a/>", NG_ESYNTAX, 5},
      {"<?xml VERSION=\"1.0\"?><a/>", NG_ESYNTAX, 5},
      {"<?xml version=\"1.0\" version=\"1.0\"?><a/>", NG_ESYNTAX, 19},
      {"<?xml version=\"1.0\" standalone=\"yes\" encoding=\"UTF-8\"?><a/>",
       NG_ESYNTAX, 36},
      {"<?xml version=\"1.0\" standalone=\"YES\"?><a/>", NG_ESYNTAX, 19},
      {"<?xml version=\"1.0\" standalone=\"\"?><a/>", NG_ESYNTAX, 19},
      {"<?xml version=\"1.0\" encoding=\"\"?><a/>", NG_ESYNTAX, 19},
      {"<?xml version=\"1.0\" encoding=\"8859-1\"?><a/>", NG_ESYNTAX, 19},
      {"<?xml version=\"1.0\" encoding=\"UTF 8\"?><a/>", NG_ESYNTAX, 19},
      {"<?xml version=\"1.0\"encoding=\"UTF-8\"?><a/>", NG_ESYNTAX, 19},
      {"<?xml version=\"1.0\" foo=\"bar\"?><a/>", NG_ESYNTAX, 19},
      {"<?xml version=\"1.0\"><a/>", NG_ESYNTAX, 19},
      {"<?xml version=\"1.0\"", NG_EEOF, 19},
      {"<?xml version=\"1.", NG_EEOF, 17},
      {"<?xml version=\"1.0\" encoding=\"x", NG_EEOF, 31},
      {"<?xml?><a/>", NG_ESYNTAX, 2},
      {"<?XML version=\"1.0\"?><a/>", NG_ESYNTAX, 2},
      {"<?xmlversion=\"1.0\"?><a/>", NG_ESYNTAX, 12},
      {" <?xml version=\"1.0\"?><a/>", NG_ESYNTAX, 3},
      {"<!----><?xml version=\"1.0\"?><a/>", NG_ESYNTAX, 9},
      {"<?xml version=\"1.0\"?><?xml version=\"1.0\"?><a/>", NG_ESYNTAX, 23},
      {"<a><?xml version=\"1.0\"?></a>", NG_ESYNTAX, 5},
      {"<a/><?xml version=\"1.0\"?>", NG_ESYNTAX, 6},
  };
  (void)state;
  stream("<?xml version=\"1.0\"?><a/>", "X(1.0,-,-1) S(a/) $");
  stream("<?xml version='1.1' encoding='utf-8' standalone='yes'?><a/>",
         "X(1.1,utf-8,1) S(a/) $");
  stream("<?xml version = \"1.10\" encoding\t=\t\"ISO-8859-1\" standalone "
         "=\n'no' ?>\n<a/>",
         "X(1.10,ISO-8859-1,0) S(a/) $");
  stream("<?xml\nversion=\"1.0\"\r\nencoding=\"A._-9\"\t?><a/>",
         "X(1.0,A._-9,-1) S(a/) $");
  ERRORS(bad);
}

/* ------------------------------------------------ prolog and epilog */

static void test_prolog_epilog(void **state) {
  static const err_case bad[] = {
      {"x<a/>", NG_ESYNTAX, 0},
      {" \n x<a/>", NG_ESYNTAX, 3},
      {"&#32;<a/>", NG_ESYNTAX, 0},
      {"&amp;<a/>", NG_ESYNTAX, 0},
      {"&undeclared;<a/>", NG_ESYNTAX, 0},
      {"<![CDATA[x]]><a/>", NG_ESYNTAX, 0},
      {"</a>", NG_ESYNTAX, 0},
      {"<!x><a/>", NG_ESYNTAX, 0},
      {"<!doctype a><a/>", NG_ESYNTAX, 0},
      {"< a/>", NG_ESYNTAX, 1},
      {"<1a/>", NG_ECHAR, 1},
      {"\xef\xbb\xbf<a/>", NG_ESYNTAX, 0}, /* U+FEFF is data here */
      {"\x01<a/>", NG_ECHAR, 0},
      {"\xff<a/>", NG_EUTF8, 0},
      {"<a/>x", NG_ETRAILING, 4},
      {"<a/> \n<b/>", NG_ETRAILING, 6},
      {"<a/>&#32;", NG_ETRAILING, 4},
      {"<a/>&amp;", NG_ETRAILING, 4},
      {"<a/><![CDATA[x]]>", NG_ETRAILING, 4},
      {"<a/><!DOCTYPE a>", NG_ETRAILING, 4},
      {"<a></a></a>", NG_ETRAILING, 7},
      {"<a/>\xc2\xa0", NG_ETRAILING, 4},
      {"<a/><!x>", NG_ETRAILING, 4},
      {"<a/><", NG_EEOF, 5},
      {"<a/><!-", NG_EEOF, 7},
      {"<a/>\xe4\xb8", NG_EUTF8, 4},
      {"<", NG_EEOF, 1},
      {"<?", NG_EEOF, 2},
  };
  (void)state;
  stream("<a/>", "S(a/) $");
  stream("", "$");
  stream(" \n\t\r\n", "$");
  stream("<!-- c -->\n<?pi data?>\r\n<a/><!--d--><?q?> \t\r\n",
         "M( c ) P(pi,data) S(a/) M(d) P(q,) $");
  stream("<a></a>", "S(a) E(a) $");
  STREAM_LIT("<a/>\0", "S(a/) !ECHAR@4");
  STREAM_LIT("\0<a/>", "!ECHAR@0");
  ERRORS(bad);
}

static void test_doctype_tokens(void **state) {
  static const err_case bad[] = {
      {"<!DOCTYPE><a/>", NG_ESYNTAX, 9},
      {"<!DOCTYPE a [", NG_EEOF, 13},
      {"<!DOCTYPE a [<!ENTITY e \"x\">", NG_EEOF, 28},
      {"<!DOCTYPE a []<a/>", NG_ESYNTAX, 14},
  };
  (void)state;
  stream("<!DOCTYPE a><a/>", "D(a,-,-) S(a/) $");
  stream("<?xml version=\"1.0\"?>\n<!-- c --><?p?>\n<!DOCTYPE doc PUBLIC "
         "\"-//P\" 's' [\n<!ELEMENT doc ANY>]>\n<!-- d --><?q x?>\n<doc/>",
         "X(1.0,-,-1) M( c ) P(p,) D(doc,-//P,s) M( d ) P(q,x) S(doc/) $");
  /* A second DOCTYPE, or one in content, comes unparsed for the grammar
   * to reject; the lexer stops there. */
  stream("<!DOCTYPE a><!DOCTYPE b [ junk ]><a/>", "D(a,-,-) D! !ESYNTAX@12");
  stream("<a><!DOCTYPE a></a>", "S(a) D! !ESYNTAX@3");
  ERRORS(bad);
}

/* --------------------------------------------------------------- tags */

static void test_tags(void **state) {
  static const err_case bad[] = {
      {"<a", NG_EEOF, 2},
      {"<a x", NG_EEOF, 4},
      {"<a x=", NG_EEOF, 5},
      {"<a x=\"1", NG_EEOF, 7},
      {"<a/", NG_EEOF, 3},
      {"<a></a", NG_EEOF, 6},
      {"<a></", NG_EEOF, 5},
      {"<a/ >", NG_ESYNTAX, 3},
      {"<a//>", NG_ESYNTAX, 3},
      {"<a</a>", NG_ESYNTAX, 2},
      {"<a><></></a>", NG_ESYNTAX, 4},
      {"<a></ a>", NG_ESYNTAX, 5},
      {"<a></a x=\"1\">", NG_ESYNTAX, 7},
      {"<a></a/>", NG_ESYNTAX, 6},
      {"<a></1a>", NG_ECHAR, 5},
      {"<a <!-- x -->/>", NG_ESYNTAX, 3},
      {"<a&#65;/>", NG_ESYNTAX, 2},
      {"<a\xc3\x97\x62/>", NG_ECHAR, 2},
      {"<a\xc2\xa0x=\"1\"/>", NG_ECHAR, 2},
      {"<a\x0cx=\"1\"/>", NG_ECHAR, 2},
      {"<a\xc3/>", NG_EUTF8, 2},
      {"<\xc2\xb7\x61/>", NG_ECHAR, 1},
      {"<-a/>", NG_ECHAR, 1},
      {"<\xef\xbf\xbe/>", NG_ECHAR, 1},
  };
  (void)state;
  stream("<a ></a \t\r\n>", "S(a) E(a) $");
  stream("<a \n/>", "S(a/) $");
  stream("<a><b><c/></b><b></b></a>", "S(a) S(b) S(c/) E(b) S(b) E(b) E(a) $");
  stream("<a><a><a/></a></a>", "S(a) S(a) S(a/) E(a) E(a) $");
  /* End tags are not matched by the lexer: that is the engines' check. */
  stream("<a></b>", "S(a) E(b) $");
  stream("<\xc3\xa9l\xc3\xa8ve \xe4\xb8\xad=\"1\"/>",
         "S(\xc3\xa9l\xc3\xa8ve \xe4\xb8\xad=\"1\"/) $");
  stream("<p:a p:b=\"1\"/>", "S(p:a p:b=\"1\"/) $");
  ERRORS(bad);
  stream("<a>", "S(a) $"); /* the grammar's NG_EEOF */
}

static void test_attributes(void **state) {
  static const err_case bad[] = {
      {"<a x=\"1\" x=\"2\"/>", NG_EATTR, 9},
      {"<a x=\"1\" y=\"2\" x=\"1\"></a>", NG_EATTR, 15},
      {"<a x=\"1\" x", NG_EEOF, 10}, /* x may be the start of xy */
      {"<a x=\"<\"/>", NG_EATTR, 6},
      {"<a x=1/>", NG_EATTR, 5},
      {"<a x/>", NG_EATTR, 4},
      {"<a x \"1\"/>", NG_EATTR, 5},
      {"<a x==\"1\"/>", NG_EATTR, 5},
      {"<a x=\"1\"y=\"2\"/>", NG_EATTR, 8},
      {"<a =\"1\"/>", NG_EATTR, 3},
      {"<a \"1\"/>", NG_EATTR, 3},
      {"<a 1x=\"1\"/>", NG_ECHAR, 3},
      {"<a -x=\"1\"/>", NG_ECHAR, 3},
      {"<a x=\"1'/>", NG_EEOF, 10},
      {"<a x=\"a & b\"/>", NG_ESYNTAX, 9},
      {"<a x=\"&amp\"/>", NG_ESYNTAX, 10},
      {"<a x=\"&u;\"/>", NG_EENTITY, 6},
      {"<a x=\"&#0;\"/>", NG_ECHAR, 6},
      {"<a x=\"\x07\"/>", NG_ECHAR, 6},
      {"<a x=\"\xff\"/>", NG_EUTF8, 6},
      {"<a x=\"\xef\xbf\xbe\"/>", NG_ECHAR, 6},
      {"<a x=\"1\"\xc3\x97/>", NG_ECHAR, 8},
      {"<a x=\"1\"\xc3\xa9=\"2\"/>", NG_EATTR, 8},
  };
  (void)state;
  stream("<a x=\"1\"/>", "S(a x=\"1\"/) $");
  stream("<a x='\"' y=\"'\"/>", "S(a x=\"\"\" y=\"'\"/) $");
  stream("<a x \t=\n \"1\"/>", "S(a x=\"1\"/) $");
  stream("<a\n x=\"1\"\t y=\"2\"\r\n z=\"3\"\n/>",
         "S(a x=\"1\" y=\"2\" z=\"3\"/) $");
  stream("<a x=\"\" y=\">\" z=\"]]>\"/>", "S(a x=\"\" y=\">\" z=\"]]>\"/) $");
  /* 3.3.3: white space characters become spaces, CR LF one. */
  stream("<a x=\"1\t2\n3\r\n4\r5\"/>", "S(a x=\"1 2 3 4 5\"/) $");
  stream("<a\rx=\"1\r2\"\r\n/>", "S(a x=\"1 2\"/) $");
  /* References: character references keep white space characters. */
  stream("<a x=\"&lt;&gt;&amp;&apos;&quot;\"/>", "S(a x=\"<>&'\"\"/) $");
  stream("<a x=\"&#60;&#x3C;&#9;&#xA;&#13;\"/>",
         "S(a x=\"<<\\x09\\x0A\\x0D\"/) $");
  stream("<a x=\"\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\"/>",
         "S(a x=\"\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\"/) $");
  ERRORS(bad);
}

/* Zero copy: a plain value points into the text; a normalised one does
 * not. */
static void test_attribute_storage(void **state) {
  static const char doc[] = "<a x=\"plain\" y=\"a&amp;b\" z=\"c\"/>";
  ng__xml_lexer lx;
  ng__xml_token t;
  (void)state;

  ng__xml_lexer_init(&lx, (const unsigned char *)doc, sizeof doc - 1, NULL,
                     NULL);
  assert_int_equal(next(&lx, &t), NG__XT_START);
  assert_int_equal(t.off, 0);
  assert_int_equal(t.len, sizeof doc - 1);
  assert_int_equal(t.nattrs, 3);
  assert_ptr_equal(t.attrs[0].value, doc + 6);
  assert_true(t.attrs[1].value < doc || t.attrs[1].value > doc + sizeof doc);
  assert_memory_equal(t.attrs[1].value, "a&b", 3);
  assert_ptr_equal(t.attrs[2].value, doc + 28);
  assert_ptr_equal(t.name, doc + 1);
  ng__xml_lexer_free(&lx);
}

/* Many attributes: duplicates are found through a hash past eight. */
static void test_many_attributes(void **state) {
  char *doc = malloc(64 * 1024);
  ng__xml_token t;
  size_t n;
  int k;
  (void)state;

  n = (size_t)sprintf(doc, "<a");
  for (k = 0; k < 2000; k++)
    n += (size_t)sprintf(doc + n, " a%d=\"%d\"", k, k);
  strcpy(doc + n, "/>");
  {
    ng__xml_lexer lx;
    ng__xml_lexer_init(&lx, (const unsigned char *)doc, n + 2, NULL, NULL);
    assert_int_equal(next(&lx, &t), NG__XT_START);
    assert_int_equal(t.nattrs, 2000);
    assert_memory_equal(t.attrs[1999].name, "a1999", 5);
    assert_memory_equal(t.attrs[1999].value, "1999", 4);
    assert_int_equal(next(&lx, &t), NG__XT_EOF);
    ng__xml_lexer_free(&lx);
  }
  /* A huge tag, then many tags just past the linear search: each clears
   * only a table of its own size (this took minutes when it did not). */
  {
    static const char nine[] = "<b a=\"\" b=\"\" c=\"\" d=\"\" e=\"\" "
                               "f=\"\" g=\"\" h=\"\" i=\"\"/>";
    ng__xml_lexer lx;
    char *big = malloc(2u << 20);
    size_t m = (size_t)sprintf(big, "<a>"), count = 0;
    clock_t c0 = clock();
    big[m++] = '<';
    big[m++] = 'c';
    for (k = 0; k < 50000; k++)
      m += (size_t)sprintf(big + m, " a%d=\"\"", k);
    m += (size_t)sprintf(big + m, "/>");
    for (k = 0; k < 20000; k++) {
      memcpy(big + m, nine, sizeof nine - 1);
      m += sizeof nine - 1;
    }
    m += (size_t)sprintf(big + m, "</a>");
    ng__xml_lexer_init(&lx, (const unsigned char *)big, m, NULL, NULL);
    while (next(&lx, &t) != NG__XT_EOF && t.kind != NG__XT_ERROR)
      count += t.kind == NG__XT_START;
    assert_int_equal(t.kind, NG__XT_EOF);
    assert_int_equal(count, 20002);
    printf("  50,000 attributes then 20,000 tags of 9: %.1f ms\n",
           (double)(clock() - c0) * 1e3 / CLOCKS_PER_SEC);
    assert_true(clock() - c0 < 2 * CLOCKS_PER_SEC);
    ng__xml_lexer_free(&lx);
    free(big);
  }
  for (k = 0; k < 2000; k += 997) { /* a duplicate early, mid, late */
    size_t m = n + (size_t)sprintf(doc + n, " a%d=\"x\"/>", k);
    t = last_token(doc, m);
    assert_int_equal(t.kind, NG__XT_ERROR);
    assert_int_equal(t.code, NG_EATTR);
    assert_int_equal(t.err_off, n + 1);
  }
  free(doc);
}

/* ------------------------------------------------------ character data */

static void test_text(void **state) {
  static const err_case bad[] = {
      {"<a>]]></a>", NG_ESYNTAX, 3},
      {"<a>x]]]>y</a>", NG_ESYNTAX, 5},
      {"<a>a & b</a>", NG_ESYNTAX, 6},
      {"<a>&amp</a>", NG_ESYNTAX, 7},
      {"<a>&am p;</a>", NG_ESYNTAX, 6},
      {"<a>&amp", NG_EEOF, 7},
      {"<a>&", NG_EEOF, 4},
      {"<a>&#", NG_EEOF, 5},
      {"<a>&1e;</a>", NG_ECHAR, 4},
      {"<a>&u;</a>", NG_EENTITY, 3},
      {"<a>1 < 2</a>", NG_ESYNTAX, 6},
      {"<a>\x01</a>", NG_ECHAR, 3},
      {"<a>\x1f</a>", NG_ECHAR, 3},
      {"<a>\x0b</a>", NG_ECHAR, 3},
      {"<a>\xef\xbf\xbf</a>", NG_ECHAR, 3},
      {"<a>\xed\xa0\x80</a>", NG_EUTF8, 3},
      {"<a>\xc0\xbc</a>", NG_EUTF8, 3},
      {"<a>\xf4\x90\x80\x80</a>", NG_EUTF8, 3},
      {"<a>\xf8\x88\x80\x80\x80</a>", NG_EUTF8, 3},
      {"<a>\x80</a>", NG_EUTF8, 3},
      {"<a>caf\xe9</a>", NG_EUTF8, 6},
      {"<a>0123456789abcdef0123456789abcdef\x02</a>", NG_ECHAR, 35},
      /* in the 16-byte blocks: a control, DEL's neighbours, bad UTF-8 */
      {"<a>0123456789ab\x0b" "0123456789abcdef</a>", NG_ECHAR, 15},
      {"<a>0123456789abcdef\x1f\x7f" "</a>", NG_ECHAR, 19},
      {"<a>0123456789abcd\xc3(0123456789abcdef</a>", NG_EUTF8, 17},
      {"<a b='0123456789abcdef\x01'/>", NG_ECHAR, 22},
      {"<a b='0123456789abcdef\xff'/>", NG_EUTF8, 22},
  };
  (void)state;
  stream("<a>x</a>", "S(a) T(x) E(a) $");
  stream("<a>x<b>y</b>z<c/>w</a>",
         "S(a) T(x) S(b) T(y) E(b) T(z) S(c/) T(w) E(a) $");
  stream("<a>> ]] ]> ]]  > \"' %p; 100%</a>",
         "S(a) T(> ]] ]> ]]  > \"' %p; 100%) E(a) $");
  stream("<a> \t\n</a>", "S(a) T( \\x09\\x0A) E(a) $");
  stream("<a>0123456789ab\t\n\x7f 456789abcdef</a>",
         "S(a) T(0123456789ab\\x09\\x0A\x7f 456789abcdef) E(a) $");
  stream("<a>0123456789abcdef\r\n0123456789abcd\xc3\xa9"
         "f</a>",
         "S(a) T(0123456789abcdef\\x0A0123456789abcd\xc3\xa9"
         "f) E(a) $");
  /* Line ends: CR LF and lone CR are LF. */
  stream("<a>x\r\ny\r\n</a>\r\n", "S(a) T(x\\x0Ay\\x0A) E(a) $");
  stream("<a>x\ry\r</a>\r", "S(a) T(x\\x0Ay\\x0A) E(a) $");
  stream("<a>\r\n\r\r\n</a>", "S(a) T(\\x0A\\x0A\\x0A) E(a) $");
  /* References in one run. */
  stream("<a>&lt;&gt;&amp;&apos;&quot;</a>", "S(a) T(<>&'\") E(a) $");
  stream("<a>x&#65;&#x42;&#x10FFFF;&#0000065;y</a>",
         "S(a) T(xAB\xf4\x8f\xbf\xbf"
         "Ay) E(a) $");
  stream("<a>&#60;b&#62;&#38;</a>", "S(a) T(<b>&) E(a) $");
  stream("<a>]]&gt;</a>", "S(a) T(]]>) E(a) $");
  stream("<a>caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80\xc2\x85\xe2\x80\xa8</a>",
         "S(a) T(caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80\xc2\x85\xe2\x80\xa8)"
         " E(a) $");
  stream("<a>\x7f\xc2\x80\xef\xbb\xbf\xef\xbf\xbd\xf4\x8f\xbf\xbf</a>",
         "S(a) T(\x7f\xc2\x80\xef\xbb\xbf\xef\xbf\xbd\xf4\x8f\xbf\xbf) E(a) $");
  ERRORS(bad);
}

/* A plain run is the input itself; a run with a reference or CR a copy,
 * flagged NG__XTF_SCRATCH (so is a CDATA section with a CR). */
static void test_text_storage(void **state) {
  static const char doc[] =
      "<a>plain text<b/>x&amp;y\r\nz<![CDATA[c]]><![CDATA[c\r]]></a>";
  ng__xml_lexer lx;
  ng__xml_token t;
  (void)state;

  ng__xml_lexer_init(&lx, (const unsigned char *)doc, sizeof doc - 1, NULL,
                     NULL);
  next(&lx, &t);
  assert_int_equal(next(&lx, &t), NG__XT_TEXT);
  assert_ptr_equal(t.data, doc + 3);
  assert_int_equal(t.data_len, 10);
  assert_int_equal(t.off, 3);
  assert_int_equal(t.len, 10);
  assert_int_equal(t.flags, 0);
  next(&lx, &t);
  assert_int_equal(next(&lx, &t), NG__XT_TEXT);
  assert_int_equal(t.off, 17);
  assert_int_equal(t.len, 10);
  assert_int_equal(t.data_len, 5);
  assert_memory_equal(t.data, "x&y\nz", 5);
  assert_true(t.data < doc || t.data > doc + sizeof doc);
  assert_int_equal(t.flags, NG__XTF_SCRATCH);
  assert_int_equal(next(&lx, &t), NG__XT_CDATA);
  assert_int_equal(t.flags, 0);
  assert_int_equal(next(&lx, &t), NG__XT_CDATA);
  assert_int_equal(t.flags, NG__XTF_SCRATCH);
  assert_memory_equal(t.data, "c\n", 2);
  ng__xml_lexer_free(&lx);
}

/* Character references: syntax and WFC: Legal Character. */
static void test_char_refs(void **state) {
  static const char *const illegal[] = {
      "&#0;",
      "&#x0;",
      "&#1;",
      "&#x8;",
      "&#xB;",
      "&#xC;",
      "&#x1F;",
      "&#xD800;",
      "&#xDFFF;",
      "&#55296;",
      "&#xFFFE;",
      "&#xFFFF;",
      "&#x110000;",
      "&#1114112;",
      "&#4294967361;",
      "&#x100000041;",
      "&#x10000000000000041;",
      "&#9999999999999999999999999999999999999999;",
  };
  static const err_case syn[] = {
      {"<a>&#;</a>", NG_ESYNTAX, 5},    {"<a>&#x;</a>", NG_ESYNTAX, 6},
      {"<a>&#X41;</a>", NG_ESYNTAX, 5}, {"<a>&#65 </a>", NG_ESYNTAX, 7},
      {"<a>&#x41 </a>", NG_ESYNTAX, 8}, {"<a>&#-65;</a>", NG_ESYNTAX, 5},
      {"<a>&#+65;</a>", NG_ESYNTAX, 5}, {"<a>&# 65;</a>", NG_ESYNTAX, 5},
      {"<a>&#4A;</a>", NG_ESYNTAX, 6},  {"<a>&#xG;</a>", NG_ESYNTAX, 6},
      {"<a>&#6 5;</a>", NG_ESYNTAX, 6}, {"<a>&#x41", NG_EEOF, 8},
      {"<a>&#x41\xc3", NG_EUTF8, 8},    {"<a>&a\xc3", NG_EUTF8, 5},
      {"<a>&a\xc3\x97;", NG_ECHAR, 5},  {"<a><\xc3", NG_EUTF8, 4},
  };
  char doc[128];
  size_t i;
  ng__xml_token t;
  (void)state;

  for (i = 0; i < sizeof illegal / sizeof illegal[0]; i++) {
    snprintf(doc, sizeof doc, "<a>%s</a>", illegal[i]);
    t = last_token(doc, strlen(doc));
    if (t.code != NG_ECHAR)
      printf("  %s: %s\n", doc, ng_err_name(t.code));
    assert_int_equal(t.code, NG_ECHAR);
    assert_int_equal(t.err_off, 3);
  }
  stream("<a>&#9;&#10;&#13;&#x9;&#xA;&#xD;&#32;&#xD7FF;&#xE000;&#xFFFD;"
         "&#x10000;&#65536;&#x7F;&#x85;&#xFDD0;&#x1FFFE;</a>",
         "S(a) T(\\x09\\x0A\\x0D\\x09\\x0A\\x0D \xed\x9f\xbf\xee\x80\x80"
         "\xef\xbf\xbd\xf0\x90\x80\x80\xf0\x90\x80\x80\x7f\xc2\x85\xef\xb7\x90"
         "\xf0\x9f\xbf\xbe) E(a) $");
  stream("<a>&#x0000000000000000000000000000000000000000000000000000000000000"
         "041;&#00000000000000000000000000000000000000000000000000000000000000"
         "0065;</a>",
         "S(a) T(AA) E(a) $");
  ERRORS(syn);
}

/* ----------------------------------------- CDATA, comments and PIs */

static void test_cdata(void **state) {
  static const err_case bad[] = {
      {"<a><![CDATA[x]]>]]></a>", NG_ESYNTAX, 16},
      {"<a><![CDATA[x</a>", NG_EEOF, 17},
      {"<a><![CDATA[x]]", NG_EEOF, 15},
      {"<a><![cdata[x]]></a>", NG_ESYNTAX, 3},
      {"<a><![CDATA [x]]></a>", NG_ESYNTAX, 3},
      {"<a><![CDATAx]]></a>", NG_ESYNTAX, 3},
      {"<a><![CDA", NG_EEOF, 9},
      {"<a><![CDATA[\xef\xbf\xbf]]></a>", NG_ECHAR, 12},
      {"<a><![CDATA[\xc3]]></a>", NG_EUTF8, 12},
  };
  (void)state;
  stream("<a><![CDATA[x]]></a>", "S(a) C(x) E(a) $");
  stream("<a><![CDATA[]]></a>", "S(a) C() E(a) $");
  stream("<a><![CDATA[<b>&amp;&undeclared;<!--c--><?p?>]]></a>",
         "S(a) C(<b>&amp;&undeclared;<!--c--><?p?>) E(a) $");
  stream("<a><![CDATA[]]]]><![CDATA[]>]]><![CDATA[<![CDATA[x]]>c</a>",
         "S(a) C(]]) C(]>) C(<![CDATA[x) T(c) E(a) $");
  stream("<a><![CDATA[\r\n\xc3\xa9\r]]></a>",
         "S(a) C(\\x0A\xc3\xa9\\x0A) E(a) $");
  STREAM_LIT("<a><![CDATA[\0]]></a>", "S(a) !ECHAR@12");
  ERRORS(bad);
}

static void test_comments(void **state) {
  static const err_case bad[] = {
      {"<a><!-- a -- b --></a>", NG_ESYNTAX, 10},
      {"<a><!-- a ---></a>", NG_ESYNTAX, 10},
      {"<a><!-----></a>", NG_ESYNTAX, 7},
      {"<a><!-- a --</a>", NG_ESYNTAX, 10},
      {"<a><!---></a>", NG_EEOF, 13},
      {"<a><!-- x", NG_EEOF, 9},
      {"<a><!-- x -", NG_EEOF, 11},
      {"<a><!-- x --", NG_EEOF, 12},
      {"<a><!- x --></a>", NG_ESYNTAX, 3},
      {"<a><! -- x --></a>", NG_ESYNTAX, 3},
      {"<a><!--\x02--></a>", NG_ECHAR, 7},
      {"<a><!--\xc0\xaf--></a>", NG_EUTF8, 7},
  };
  (void)state;
  stream("<a><!----></a>", "S(a) M() E(a) $");
  stream("<a><!--a-b - c-> -d--></a>", "S(a) M(a-b - c-> -d) E(a) $");
  stream("<a><!-- <b> &amp; &undeclared; ]]> <![CDATA[ --></a>",
         "S(a) M( <b> &amp; &undeclared; ]]> <![CDATA[ ) E(a) $");
  stream("<!--\r\nline\n\t-->\n<a/>", "M(\\x0Aline\\x0A\\x09) S(a/) $");
  stream("<a><!-- \xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80 --></a>",
         "S(a) M( \xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80 ) E(a) $");
  ERRORS(bad);
}

static void test_pis(void **state) {
  static const err_case bad[] = {
      {"<a><?xml?></a>", NG_ESYNTAX, 5},
      {"<a><?XML data?></a>", NG_ESYNTAX, 5},
      {"<a><?xMl data?></a>", NG_ESYNTAX, 5},
      {"<a><?\?></a>", NG_ESYNTAX, 5},
      {"<a><? pi?></a>", NG_ESYNTAX, 5},
      {"<a><?pi\"x\"?></a>", NG_ESYNTAX, 7},
      {"<a><?pi?x?></a>", NG_ESYNTAX, 7},
      {"<a><?pi data", NG_EEOF, 12},
      {"<a><?pi x? ></a>", NG_EEOF, 16},
      {"<a><?pi", NG_EEOF, 7},
      {"<a><?xml", NG_EEOF, 8},
      {"<?xml", NG_EEOF, 5},
      {"<?xml version=\"1.0\" encod", NG_EEOF, 25},
      {"<?xml version=\"1.0\" ", NG_EEOF, 20},
      {"<a><?pi?", NG_EEOF, 8},
      {"<a><?1pi?></a>", NG_ECHAR, 5},
      {"<a><?-pi?></a>", NG_ECHAR, 5},
      {"<a><?p \x01?></a>", NG_ECHAR, 7},
  };
  (void)state;
  stream("<a><?pi?><?pi some data?><?pi ?></a>",
         "S(a) P(pi,) P(pi,some data) P(pi,) E(a) $");
  stream("<a><?pi a?b >c? >?\?></a>", "S(a) P(pi,a?b >c? >?) E(a) $");
  stream("<a><?pi <b> &undeclared; ]]> <!-- ?></a>",
         "S(a) P(pi,<b> &undeclared; ]]> <!-- ) E(a) $");
  stream("<?xml-stylesheet href=\"s.css\"?><a><?xml-foo?><?xmlfoo x?><?xm?>"
         "<?xmll?><?\xc3\xa9t\xc3\xa9 d?></a>",
         "P(xml-stylesheet,href=\"s.css\") S(a) P(xml-foo,) P(xmlfoo,x) P(xm,) "
         "P(xmll,) P(\xc3\xa9t\xc3\xa9,d) E(a) $");
  stream("<a><?p \r\n x\r\ny?></a>", "S(a) P(p,x\\x0Ay) E(a) $");
  stream("<a><?p \r?><!--\r--></a>", "S(a) P(p,) M(\\x0A) E(a) $");
  ERRORS(bad);
}

/* ------------------------------------------------------------ names */

static void test_names(void **state) {
  static const char *const ok[] = {
      "\xc3\xa9",
      "\xc3\x80",
      "\xc3\xb8",
      "\xcb\xbf",
      "\xcd\xb0",
      "\xcd\xbf",
      "\xce\xb1\xce\xb2",
      "\xe1\xbf\xbf",
      "\xe2\x80\x8c",
      "\xe2\x81\xb0",
      "\xe2\xb0\x80",
      "\xe2\xbf\xaf",
      "\xe3\x80\x81",
      "\xe4\xb8\xad",
      "\xed\x9f\xbf",
      "\xef\xa4\x80",
      "\xef\xb7\xb0",
      "\xef\xbf\xbd",
      "\xf0\x90\x80\x80",
      "\xf3\xaf\xbf\xbf",
      "_",
      ":",
      "a\xc2\xb7\x62",
      "a\xcc\x80",
      "a\xe2\x80\xbf\xe2\x81\x80",
      "a1-2.3_",
  };
  static const char *const bad[] = {
      "1a",           "-a",           ".a",
      "\xc2\xb7\x61", "\xcc\x80\x61", "\xe2\x80\xbf",
      "\xc2\xbf",     "\xcd\xbe",     "\xe2\x80\x80",
      "\xe2\x86\x90", "\xe2\xbf\xb0", "\xe3\x80\x80",
      "\xef\xb7\x90", "\xee\x80\x80", "\xf3\xb0\x80\x80",
      "\xc3\x97",     "\xc3\xb7",
  };
  char doc[64], want[64];
  size_t i;
  ng__xml_token t;
  (void)state;

  for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    snprintf(doc, sizeof doc, "<%s>x</%s>", ok[i], ok[i]);
    snprintf(want, sizeof want, "S(%s) T(x) E(%s) $", ok[i], ok[i]);
    stream(doc, want);
  }
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    snprintf(doc, sizeof doc, "<%s/>", bad[i]);
    t = last_token(doc, strlen(doc));
    if (t.code != NG_ECHAR)
      printf("  %s: %s\n", doc, ng_err_name(t.code));
    assert_int_equal(t.code, NG_ECHAR);
    assert_int_equal(t.err_off, 1);
  }
  /* After a name: a non-ASCII non-NameChar is ECHAR there too. */
  t = last_token("<a\xcd\xbe/>", 6);
  assert_int_equal(t.code, NG_ECHAR);
  assert_int_equal(t.err_off, 2);
}

/* [4] NameStartChar and [4a] NameChar written from the productions. */
static int ref_name_start(uint32_t c) {
  return c == ':' || (c >= 'A' && c <= 'Z') || c == '_' ||
         (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0xD6) ||
         (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) ||
         (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) ||
         (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
         (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) ||
         (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0xEFFFF);
}

static int ref_name_char(uint32_t c) {
  return ref_name_start(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') ||
         c == 0xB7 || (c >= 0x300 && c <= 0x36F) ||
         (c >= 0x203F && c <= 0x2040);
}

/* Every code point as a Name's first and second character, against the
 * productions: the ASCII table, the automata and their hand-over agree. */
static void test_name_classes(void **state) {
  unsigned char b[16], *e;
  uint32_t c;
  size_t n, bad = 0;
  (void)state;

  for (c = 0; c <= 0x10FFFF; c++) {
    if (c >= 0xD800 && c <= 0xDFFF)
      continue;
    e = ng__xml_put_utf8(b, c);
    n = (size_t)(e - b);
    b[n] = '>';
    bad += (ng__xml_name_end(b, b + n + 1) == b + n) != ref_name_start(c);
    b[0] = 'a';
    e = ng__xml_put_utf8(b + 1, c);
    *e = '>';
    bad += (ng__xml_name_end(b, e + 1) == e) != ref_name_char(c);
    bad += (ng__xml_nmtoken_end(b + 1, e + 1) == e) != ref_name_char(c);
  }
  assert_int_equal(bad, 0);
}

/* ------------------------------------------------------------ limits */

static void test_max_string(void **state) {
  static const struct {
    const char *doc;
    int code;
  } c[] = {
      {"<a>0123456789</a>", NG_ESTRLIMIT},
      {"<a>012345678</a>", NG_OK},
      {"<a x=\"0123456789\"/>", NG_ESTRLIMIT},
      {"<a x=\"01234&amp;5678\"/>", NG_ESTRLIMIT},
      {"<a0123456789/>", NG_ESTRLIMIT},
      {"<a a0123456789=\"\"/>", NG_ESTRLIMIT},
      {"<a><!--0123456789--></a>", NG_ESTRLIMIT},
      {"<a><![CDATA[0123456789]]></a>", NG_ESTRLIMIT},
      {"<a><?p 0123456789?></a>", NG_ESTRLIMIT},
      {"<a><?p0123456789?></a>", NG_ESTRLIMIT},
      {"<!DOCTYPE a0123456789><a/>", NG_ESTRLIMIT},
  };
  ng_limits lim;
  ng__xml_token t;
  char buf[256];
  size_t i;
  (void)state;

  ng_limits_default(&lim);
  lim.max_string = 9;
  for (i = 0; i < sizeof c / sizeof c[0]; i++) {
    ng_xml_lex_dump(buf, sizeof buf, c[i].doc, strlen(c[i].doc), &lim, &t);
    if ((t.kind == NG__XT_ERROR ? t.code : NG_OK) != c[i].code)
      printf("  %s: %s\n", c[i].doc, buf);
    assert_int_equal(t.kind == NG__XT_ERROR ? t.code : NG_OK, c[i].code);
    assert_true(t.kind != NG__XT_ERROR || t.err_off == 0 || t.err_off == 3 ||
                t.err_off == 6);
  }
}

/* --------------------------------------------------- the grammar table */

static void test_grammar_table(void **state) {
  ng__parse c;
  ng_limits lim;
  ng_error err;
  (void)state;

  ng_limits_default(&lim);
  ng__parse_init(&c, "<a/>x", 5, &lim, &err);
  assert_true(
      ng__parse_accepts(&ng__xml_grammar, NG__XX_PROLOG, NG__XT_XMLDECL));
  assert_true(
      ng__parse_accepts(&ng__xml_grammar, NG__XX_PROLOG, NG__XT_DOCTYPE));
  assert_false(
      ng__parse_accepts(&ng__xml_grammar, NG__XX_DOCTYPE, NG__XT_DOCTYPE));
  assert_false(ng__parse_accepts(&ng__xml_grammar, NG__XX_PROLOG, NG__XT_TEXT));
  assert_true(
      ng__parse_accepts(&ng__xml_grammar, NG__XX_CONTENT, NG__XT_SKIPPED));
  assert_false(ng__parse_accepts(&ng__xml_grammar, NG__XX_CONTENT, NG__XT_EOF));
  assert_true(ng__parse_accepts(&ng__xml_grammar, NG__XX_EPILOG, NG__XT_EOF));
  assert_false(
      ng__parse_accepts(&ng__xml_grammar, NG__XX_EPILOG, NG__XT_START));
  assert_int_equal(ng__parse_unexpected(&c, &ng__xml_grammar, NG__XX_CONTENT,
                                        NG__XT_DOCTYPE, 3, 0, 0, NULL),
                   NG_ESYNTAX);
  assert_string_equal(err.msg,
                      "expected content or an end tag, found a DOCTYPE");
  assert_int_equal(err.offset, 3);
  ng__parse_init(&c, "", 0, &lim, &err);
  assert_int_equal(ng__parse_unexpected(&c, &ng__xml_grammar, NG__XX_PROLOG,
                                        NG__XT_EOF, 0, 0, 0, NULL),
                   NG_EEOF); /* no root element: EEOF, not EEMPTY */
  ng__parse_init(&c, "<a/>\x01", 5, &lim, &err);
  assert_int_equal(ng__parse_unexpected(&c, &ng__xml_grammar, NG__XX_EPILOG,
                                        NG__XT_ERROR, 4, NG_ECHAR, 4, "x"),
                   NG_ECHAR); /* lexical errors keep their code */
  assert_string_equal(ng__xml_token_name(NG__XT_START), "a start tag");
  assert_string_equal(ng__xml_token_name(99), "token");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_xmldecl),
      cmocka_unit_test(test_prolog_epilog),
      cmocka_unit_test(test_doctype_tokens),
      cmocka_unit_test(test_tags),
      cmocka_unit_test(test_attributes),
      cmocka_unit_test(test_attribute_storage),
      cmocka_unit_test(test_many_attributes),
      cmocka_unit_test(test_text),
      cmocka_unit_test(test_text_storage),
      cmocka_unit_test(test_char_refs),
      cmocka_unit_test(test_cdata),
      cmocka_unit_test(test_comments),
      cmocka_unit_test(test_pis),
      cmocka_unit_test(test_names),
      cmocka_unit_test(test_name_classes),
      cmocka_unit_test(test_max_string),
      cmocka_unit_test(test_grammar_table),
  };
  return cmocka_run_group_tests_name("xml_lexer", tests, NULL, NULL);
}
