/*
 * tests/test_xml_parse.c - the XML parse API (ng_xml_parse,
 * ng_xml_parse_events) through every engine that exists: DOM shape, merged
 * text, interned names, options,
 * the round trip parse -> write -> parse on every y_ corpus file, error
 * positions in the original input (UTF-16 included), the event stream
 * against the DOM, stopping from a callback, max_depth at and one past the
 * limit, 10,000,000 nested elements with max_depth 0, allocation failure at
 * every allocation (namespaces on and off), and the entity attacks through
 * the full API.
 *
 * NG_VALGRIND=1 scales the deep test to 1e5 levels, NG_SANITIZED=1 to 1e6.
 * Run from the repository root (make check does).
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

#include "nestguard.h"
#include "nestguard/xml.h"
#include "support/corpus.h"
#include "support/failalloc.h"
#include "support/testenv.h"
#include "support/textbuf.h"

#define CORPUS "corpus/xml"

#define FOR_EACH_ENGINE(e)                                                     \
  for ((e) = NG_XML_ITERATIVE; (unsigned)(e) < NG_XML_ENGINE_COUNT;            \
       (e) = (ng_xml_engine)((e) + 1))

/* Parses the C string s with engine e and flags; returns the code. */
static int parse_s(ng_xml_engine e, unsigned flags, const char *s,
                   ng_xml_doc **doc, ng_error *err) {
  ng_xml_options opt;

  ng_xml_options_default(&opt);
  opt.engine = e;
  opt.flags = flags;
  return ng_xml_parse(s, strlen(s), &opt, doc, err);
}

/* The node's data (or name) equals the C string want. */
static void assert_data(const ng_xml_node *n, int type, const char *want) {
  size_t len;
  const char *s;

  assert_non_null(n);
  assert_int_equal(ng_xml_type_of(n), type);
  s = type == NG_XML_ELEMENT ? ng_xml_name(n, &len) : ng_xml_data(n, &len);
  assert_int_equal(len, strlen(want));
  assert_memory_equal(s, want, len);
}

/* ------------------------------------------------------------ DOM shape */

/* More distinct names than the builder's cache has slots, over and over:
 * each name read back as written, one record per name. */
static void test_interned_names(void **state) {
  char doc[8192], *p = doc, want[16];
  const ng_xml_node *r, *a, *b;
  ng_xml_doc *d;
  size_t i, k, len;
  const char *name;
  (void)state;

  p += sprintf(p, "<r>");
  for (k = 0; k < 3; k++) {
    p += sprintf(p, "<e%zu", k % 2);
    for (i = 0; i < 100; i++)
      p += sprintf(p, " a%zu%s='%zu'", i, i % 3 ? "" : "x", i);
    p += sprintf(p, "/>");
  }
  p += sprintf(p, "</r>");
  assert_int_equal(parse_s(NG_XML_ITERATIVE, 0, doc, &d, NULL), NG_OK);
  r = ng_xml_doc_root(d);
  a = ng_xml_first(r);
  b = ng_xml_next(ng_xml_next(a));
  assert_int_equal(ng_xml_attr_count(a), 100);
  assert_int_equal(ng_xml_attr_count(b), 100);
  assert_ptr_equal(ng_xml_name(a, &len), ng_xml_name(b, &len));
  for (i = 0; i < 100; i++) {
    sprintf(want, "a%zu%s", i, i % 3 ? "" : "x");
    name = ng_xml_attr_name(ng_xml_attr_at(a, i), &len);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(name, want, len);
    assert_ptr_equal(ng_xml_attr_at(a, i)->name, ng_xml_attr_at(b, i)->name);
  }
  ng_xml_doc_free(d);
}

/*
 * Text merged from pieces the lexer lends (document text, entity text) and
 * pieces it copies (references, CRs): one node, in order, whether the
 * arena can extend the first piece in place or not (a long run of entity
 * text moves it to a new chunk).
 */
static void test_merged_text(void **state) {
  static const char head[] = "<!DOCTYPE r [<!ENTITY e 'xy&#38;lt;z'>"
                             "<!ENTITY f '";
  static const char mid[] = "'>]><r>a&e;&amp;&e;b&#x41;\r\n<![CDATA[c]]>&e;";
  char *doc_s, *want, *p, *w;
  size_t big = 5000, k, len;
  ng_xml_doc *doc;
  ng_xml_engine e;
  (void)state;

  doc_s = malloc(sizeof head + big + sizeof mid + 16 * 3 + 8);
  want = malloc(64 + 16 * big);
  assert_non_null(doc_s);
  assert_non_null(want);
  p = doc_s + sprintf(doc_s, "%s", head);
  memset(p, 'f', big);
  p += big;
  p += sprintf(p, "%s", mid);
  w = want + sprintf(want, "axy<z&xy<zbA\nc");
  w += sprintf(w, "xy<z");
  for (k = 0; k < 16; k++, p += 3, w += big)
    memcpy(p, "&f;", 3), memset(w, 'f', big);
  p += sprintf(p, "</r>");
  *w = '\0';
  len = (size_t)(p - doc_s);
  FOR_EACH_ENGINE(e) {
    ng_xml_options opt;
    ng_xml_options_default(&opt);
    opt.engine = e;
    assert_int_equal(ng_xml_parse(doc_s, len, &opt, &doc, NULL), NG_OK);
    assert_data(ng_xml_first(ng_xml_doc_root(doc)), NG_XML_TEXT, want);
    assert_null(ng_xml_next(ng_xml_first(ng_xml_doc_root(doc))));
    ng_xml_doc_free(doc);
  }
  free(doc_s);
  free(want);
}

/*
 * A long run of text whose bytes the builder copies only when the run
 * ends: alone, merged with entity text after it, cut by a CDATA section
 * kept apart, and within max_memory or past it (NG_EMEMLIMIT at the text,
 * where the node is made).
 */
static void test_long_text(void **state) {
  static const char head[] = "<!DOCTYPE r [<!ENTITY e 'xyz'>]><r>";
  size_t big = 10000, len;
  char *d = malloc(sizeof head + big + 64), *p;
  ng_xml_options opt;
  ng_xml_doc *doc;
  const ng_xml_node *n;
  ng_error err;
  const char *s;
  (void)state;

  assert_non_null(d);
  p = d + sprintf(d, "%s", head);
  memset(p, 't', big);
  p += big;
  p += sprintf(p, "&e;&e;<![CDATA[c]]></r>");
  len = (size_t)(p - d);
  ng_xml_options_default(&opt);
  opt.flags = NG_XML_KEEP_CDATA;
  assert_int_equal(ng_xml_parse(d, len, &opt, &doc, NULL), NG_OK);
  n = ng_xml_first(ng_xml_doc_root(doc));
  s = ng_xml_data(n, &len);
  assert_int_equal(len, big + 6);
  assert_true(s[0] == 't' && s[big - 1] == 't' && s[len] == '\0');
  assert_memory_equal(s + big, "xyzxyz", 6);
  assert_data(ng_xml_next(n), NG_XML_CDATA, "c");
  ng_xml_doc_free(doc);
  /* The text alone: "</r>" right after it. */
  strcpy(d + sizeof head - 1 + big, "</r>");
  len = sizeof head - 1 + big + 4;
  assert_int_equal(ng_xml_parse(d, len, NULL, &doc, NULL), NG_OK);
  s = ng_xml_data(ng_xml_first(ng_xml_doc_root(doc)), &len);
  assert_int_equal(len, big);
  assert_true(s[0] == 't' && s[big - 1] == 't' && s[big] == '\0');
  ng_xml_doc_free(doc);
  opt.flags = 0;
  opt.limits.max_memory = 8192;
  len = sizeof head - 1 + big + 4;
  assert_int_equal(ng_xml_parse(d, len, &opt, &doc, &err), NG_EMEMLIMIT);
  assert_int_equal(err.offset, sizeof head - 1);
  free(d);
}

static const char shape_doc[] =
    "<?xml version=\"1.0\"?>\n<!--c--><!DOCTYPE r SYSTEM \"s.dtd\" [\n"
    "<!ENTITY e \"E<i>x</i>\"><!ATTLIST r d CDATA \"def\">]>"
    "<r a=\"1\" b='x&amp;y'>t<![CDATA[<c>]]>&e;<e/><?p d?></r><!--z-->";

static void test_dom_shape(void **state) {
  ng_xml_engine e;
  ng_xml_doc *doc;
  ng_xml_node *r, *c;
  const ng_xml_attr *a;
  ng_error err;
  size_t len;
  (void)state;

  FOR_EACH_ENGINE(e) {
    assert_int_equal(parse_s(e, 0, shape_doc, &doc, &err), NG_OK);
    c = ng_xml_first(ng_xml_doc_node(doc));
    assert_data(c, NG_XML_COMMENT, "c");
    c = ng_xml_next(c);
    assert_int_equal(ng_xml_type_of(c), NG_XML_DOCTYPE);
    assert_ptr_equal(c, ng_xml_doc_doctype(doc));
    assert_string_equal(ng_xml_doctype_system(c, &len), "s.dtd");
    r = ng_xml_next(c);
    assert_ptr_equal(r, ng_xml_doc_root(doc));
    assert_data(r, NG_XML_ELEMENT, "r");
    assert_int_equal(ng_xml_attr_count(r), 3);
    a = ng_xml_attr_get(r, "b", 1);
    assert_string_equal(ng_xml_attr_value(a, NULL), "x&y");
    a = ng_xml_attr_get(r, "d", 1); /* from the ATTLIST default */
    assert_string_equal(ng_xml_attr_value(a, NULL), "def");
    c = ng_xml_first(r);
    assert_data(c, NG_XML_TEXT, "t<c>E"); /* text, CDATA, entity merged */
    c = ng_xml_next(c);
    assert_data(c, NG_XML_ELEMENT, "i");
    assert_data(ng_xml_first(c), NG_XML_TEXT, "x");
    c = ng_xml_next(c);
    assert_data(c, NG_XML_ELEMENT, "e");
    assert_null(ng_xml_first(c));
    c = ng_xml_next(c);
    assert_data(c, NG_XML_PI, "d");
    assert_null(ng_xml_next(c));
    assert_data(ng_xml_next(r), NG_XML_COMMENT, "z");
    ng_xml_doc_free(doc);

    /* NG_XML_KEEP_CDATA: the section is a node of its own. */
    assert_int_equal(parse_s(e, NG_XML_KEEP_CDATA, shape_doc, &doc, &err),
                     NG_OK);
    c = ng_xml_first(ng_xml_doc_root(doc));
    assert_data(c, NG_XML_TEXT, "t");
    assert_data(ng_xml_next(c), NG_XML_CDATA, "<c>");
    assert_data(ng_xml_next(ng_xml_next(c)), NG_XML_TEXT, "E");
    ng_xml_doc_free(doc);
  }
}

/* ------------------------------------------------------------- options */

static void test_options(void **state) {
  ng_xml_options opt;
  ng_xml_engine e;
  ng_xml_doc *doc = (ng_xml_doc *)&doc;
  ng_error err;
  (void)state;

  ng_xml_options_default(&opt);
  assert_int_equal(opt.engine, NG_XML_ITERATIVE);
  assert_int_equal(opt.limits.max_depth, 10000);
  assert_string_equal(ng_xml_engine_name(NG_XML_ITERATIVE), "iterative");
  assert_string_equal(ng_xml_engine_name(NG_XML_RECURSIVE), "recursive");
  assert_string_equal(ng_xml_engine_name(NG_XML_TRAMPOLINE), "trampoline");
  assert_string_equal(ng_xml_engine_name(NG_XML_LALR), "lalr");
  assert_null(ng_xml_engine_name((ng_xml_engine)NG_XML_ENGINE_COUNT));
  FOR_EACH_ENGINE(e) {
    ng_xml_engine back = (ng_xml_engine)-1;
    assert_int_equal(ng_xml_engine_from_name(ng_xml_engine_name(e), &back),
                     NG_OK);
    assert_int_equal(back, e);
  }
  assert_int_equal(ng_xml_engine_from_name("Lalr", &e), NG_EINVAL);
  assert_int_equal(ng_xml_engine_from_name(NULL, &e), NG_EINVAL);

  opt.flags = 0x80u; /* unknown flag bits */
  assert_int_equal(ng_xml_parse("<a/>", 4, &opt, &doc, &err), NG_EINVAL);
  assert_null(doc);
  assert_int_equal(err.code, NG_EINVAL);
  assert_int_equal(ng_xml_parse_events("<a/>", 4, &opt, NULL, &err),
                   NG_EINVAL);
  ng_xml_options_default(&opt);
  opt.engine = (ng_xml_engine)NG_XML_ENGINE_COUNT;
  assert_int_equal(ng_xml_parse("<a/>", 4, &opt, &doc, &err), NG_EINVAL);
  ng_xml_options_default(&opt);
  assert_int_equal(ng_xml_parse("<a/>", 4, &opt, NULL, &err), NG_EINVAL);
  assert_int_equal(ng_xml_parse(NULL, 4, &opt, &doc, &err), NG_EINVAL);
  opt.limits.max_input = 3;
  assert_int_equal(ng_xml_parse("<a/>", 4, &opt, &doc, &err), NG_EINPUTLIMIT);
  assert_int_equal(err.offset, 3);
  /* NULL options and NULL error record. */
  assert_int_equal(ng_xml_parse("<a/>", 4, NULL, &doc, NULL), NG_OK);
  ng_xml_doc_free(doc);
  assert_int_equal(ng_xml_parse("<a>", 3, NULL, &doc, NULL), NG_EEOF);
  assert_int_equal(ng_xml_parse_events("<a/>", 4, NULL, NULL, NULL), NG_OK);
}

/* ------------------------------------------------------ corpus: y_ files */

/* parse -> write -> parse gives an equal DOM; 0 or 1 (printed). *_ns_*
 * files go both ways with namespaces on, so the output must keep every
 * declaration its names need (URIs are compared too). */
static int round_trip(const ng_corpus_file *f, ng_xml_engine e) {
  ng_xml_options opt;
  ng_xml_doc *a = NULL, *b = NULL;
  ng_error err;
  char *out = NULL;
  size_t len = 0;
  int bad = 1;

  ng_xml_options_default(&opt);
  opt.engine = e;
  if (strstr(f->name, "_ns_") != NULL)
    opt.flags = NG_XML_NAMESPACES;
  if (ng_xml_parse(f->data, f->len, &opt, &a, &err) != NG_OK)
    printf("  %s: %s at %zu\n", f->name, ng_err_name(err.code), err.offset);
  else if (ng_xml_write(ng_xml_doc_node(a), 0, NULL, &out, &len) != NG_OK)
    printf("  %s: write failed\n", f->name);
  else if (ng_xml_parse(out, len, &opt, &b, &err) != NG_OK)
    printf("  %s: output rejected: %s at %zu\n", f->name,
           ng_err_name(err.code), err.offset);
  else if (!ng_xml_equal(ng_xml_doc_node(a), ng_xml_doc_node(b)))
    printf("  %s: output parses to another document\n", f->name);
  else
    bad = 0;
  free(out);
  ng_xml_doc_free(a);
  ng_xml_doc_free(b);
  return bad;
}

static void test_round_trip_corpus(void **state) {
  ng_corpus c;
  ng_xml_engine e;
  size_t i, n = 0, bad = 0;
  (void)state;

  assert_int_equal(ng_corpus_load(&c, CORPUS), 0);
  for (i = 0; i < c.n; i++) {
    if (c.files[i].name[0] != 'y')
      continue;
    FOR_EACH_ENGINE(e) { bad += (size_t)round_trip(&c.files[i], e); }
    n++;
  }
  printf("  round trip: %zu y_ files, %zu failed\n", n, bad);
  ng_corpus_free(&c);
  assert_true(n > 100);
  assert_int_equal(bad, 0);
}

/* ---------------------------------------------------------------- errors */

static void test_error_positions(void **state) {
  static const char doc8[] = "<a>\n<b></a>";
  unsigned char doc16[2 + 2 * (sizeof doc8 - 1)];
  ng_xml_engine e;
  ng_xml_doc *doc;
  ng_error err;
  size_t i;
  (void)state;

  FOR_EACH_ENGINE(e) {
    assert_int_equal(parse_s(e, 0, doc8, &doc, &err), NG_ETAGMISMATCH);
    assert_null(doc);
    assert_int_equal(err.offset, 7);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 4);
    assert_int_equal(err.depth, 2);
    assert_int_equal(parse_s(e, 0, "<a>\r\n\r\n<b></c></a>", &doc, &err),
                     NG_ETAGMISMATCH); /* CR LF ends one line */
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 4);
    assert_int_equal(parse_s(e, 0, "<a></a><b/>", &doc, &err), NG_ETRAILING);
    assert_int_equal(parse_s(e, 0, "<?xml version=\"1.0\"?>", &doc, &err),
                     NG_EEOF);
    /* The same mismatch in UTF-16LE with a BOM: original offsets. */
    doc16[0] = 0xFF;
    doc16[1] = 0xFE;
    for (i = 0; i + 1 < sizeof doc8; i++) {
      doc16[2 + 2 * i] = (unsigned char)doc8[i];
      doc16[3 + 2 * i] = 0;
    }
    {
      ng_xml_options opt;
      ng_xml_options_default(&opt);
      opt.engine = e;
      assert_int_equal(
          ng_xml_parse((const char *)doc16, sizeof doc16, &opt, &doc, &err),
          NG_ETAGMISMATCH);
    }
    assert_int_equal(err.offset, 2 + 2 * 7);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 1 + 2 * 3);
  }
}

/* Bytes a transcoder could not decode are NG_EUTF8 at their original
 * offset, and the message names what they were in the document's
 * encoding, not UTF-8. */
static void test_bad_char_messages(void **state) {
  static const unsigned char u16[] = {0xFF, 0xFE, '<', 0, 'a', 0, '>', 0,
                                      0x00, 0xD8, '<', 0, '/', 0, 'a', 0,
                                      '>', 0}; /* unpaired high surrogate */
  static const char ascii[] = "<?xml version='1.0' encoding='US-ASCII'?>"
                              "<a>\xC3\xA9</a>";
  static const char utf8[] = "<a>\xC3</a>";
  ng_xml_options opt;
  ng_xml_engine e;
  ng_xml_doc *doc;
  ng_error err;
  (void)state;

  FOR_EACH_ENGINE(e) {
    ng_xml_options_default(&opt);
    opt.engine = e;
    assert_int_equal(ng_xml_parse((const char *)u16, sizeof u16, &opt, &doc,
                                  &err),
                     NG_EUTF8);
    assert_int_equal(err.offset, 8);
    assert_non_null(strstr(err.msg, "UTF-16"));
    assert_int_equal(ng_xml_parse(ascii, sizeof ascii - 1, &opt, &doc, &err),
                     NG_EUTF8);
    assert_int_equal(err.offset, sizeof ascii - 1 - 6);
    assert_non_null(strstr(err.msg, "US-ASCII"));
    assert_int_equal(ng_xml_parse(utf8, sizeof utf8 - 1, &opt, &doc, &err),
                     NG_EUTF8);
    assert_non_null(strstr(err.msg, "UTF-8"));
  }
}

/* max_input is judged before decoding, but its line and column are
 * counted the XML way (CR, LF, CR LF; column 1 after a BOM; UTF-16 by
 * units), as every other error's and as a stream's over its chunks. */
static void test_input_limit_position(void **state) {
  static const char doc[] = "\xEF\xBB\xBF<a>\r<b/>\r\n<c/>\n</a>";
  static const struct {
    size_t max, line, col;
  } want[] = {{3, 1, 1}, {6, 1, 4}, {7, 2, 1}, {10, 2, 4},
              {11, 2, 5}, {12, 3, 1}, {13, 3, 1}, {17, 3, 5}, {18, 4, 1}};
  static const unsigned char u16[] = {0xFF, 0xFE, '<', 0, 'a', 0, '>', 0,
                                      '\r', 0, '<', 0, '/', 0, 'a', 0,
                                      '>', 0};
  ng_xml_options opt;
  ng_xml_stream_config cfg = {&opt, NULL, NULL, NULL};
  ng_xml_stream *s;
  ng_xml_doc *d;
  ng_error err, serr;
  size_t i, k;
  (void)state;

  ng_xml_options_default(&opt);
  for (i = 0; i < sizeof want / sizeof want[0]; i++) {
    opt.limits.max_input = want[i].max;
    assert_int_equal(ng_xml_parse(doc, sizeof doc - 1, &opt, &d, &err),
                     NG_EINPUTLIMIT);
    assert_int_equal(err.offset, want[i].max);
    assert_int_equal(err.line, want[i].line);
    assert_int_equal(err.column, want[i].col);
    assert_int_equal(ng_xml_stream_new(&cfg, &s), NG_OK);
    assert_int_equal(ng_xml_stream_feed(s, doc, sizeof doc - 1, &serr),
                     NG_EINPUTLIMIT);
    ng_xml_stream_free(s);
    assert_true(ng_test_same_error(&err, &serr));
    assert_int_equal(ng_xml_stream_new(&cfg, &s), NG_OK); /* byte by byte */
    for (k = 0; k < sizeof doc - 1; k++)
      if (ng_xml_stream_feed(s, doc + k, 1, &serr) != NG_OK)
        break;
    ng_xml_stream_free(s);
    assert_int_equal(k, want[i].max);
    assert_true(ng_test_same_error(&err, &serr));
  }
  opt.limits.max_input = 12; /* UTF-16LE: the '<' after the CR */
  assert_int_equal(
      ng_xml_parse((const char *)u16, sizeof u16, &opt, &d, &err),
      NG_EINPUTLIMIT);
  assert_int_equal(err.line, 2);
  assert_int_equal(err.column, 3);
}

/* Names on both sides of the engine's one-byte length (127, 128 bytes)
 * are matched exactly, nested in each other. */
static void test_long_names(void **state) {
  static const size_t sizes[] = {1, 127, 128, 129, 300};
  char doc[4096], *p = doc;
  ng_xml_engine e;
  ng_xml_doc *d;
  ng_error err;
  size_t i, k;
  (void)state;

  for (i = 0; i < 5; i++) {
    *p++ = '<';
    memset(p, (int)('a' + i), sizes[i]);
    p += sizes[i];
    *p++ = '>';
  }
  for (k = 5; k-- > 0;) {
    memcpy(p, "</", 2);
    p += 2;
    memset(p, (int)('a' + k), sizes[k]);
    p += sizes[k];
    *p++ = '>';
  }
  *p = '\0';
  p = strstr(doc, "</e") + 2 + 299; /* the 300-byte end tag's last letter */
  FOR_EACH_ENGINE(e) {
    assert_int_equal(parse_s(e, 0, doc, &d, &err), NG_OK);
    ng_xml_doc_free(d);
    *p = 'z'; /* now a mismatch there */
    assert_int_equal(parse_s(e, 0, doc, &d, &err), NG_ETAGMISMATCH);
    assert_int_equal(err.offset, (size_t)(strstr(doc, "</e") - doc));
    assert_int_equal(err.depth, 5);
    *p = 'e';
    p[-299 + 127] = 'z'; /* or in its 128th byte */
    assert_int_equal(parse_s(e, 0, doc, &d, &err), NG_ETAGMISMATCH);
    p[-299 + 127] = 'e';
  }
}

/* ---------------------------------------------------------------- events */

/* A canonical text of a document: S(name a=v...) E(name) T(text, adjacent
 * runs merged) M(comment) P(target data) D(name); skipped entities and
 * the XML declaration leave nothing. */
typedef struct canon {
  char *s;
  size_t len, cap;
  int in_text; /* the last thing put was text */
  size_t stop_at; /* events: cancel at this start_element (0: never) */
  size_t starts;  /* start_element calls */
} canon;

static void put(canon *c, const char *s, size_t n) {
  if (c->len + n + 1 > c->cap) {
    c->cap = (c->len + n + 1) * 2;
    c->s = realloc(c->s, c->cap);
    assert_non_null(c->s);
  }
  memcpy(c->s + c->len, s, n);
  c->len += n;
  c->s[c->len] = '\0';
}

static void put_tag(canon *c, const char *tag, const char *s, size_t n) {
  if (c->in_text)
    put(c, ")", 1);
  c->in_text = 0;
  put(c, tag, strlen(tag));
  put(c, s, n);
}

static void put_text(canon *c, const char *s, size_t n) {
  if (n == 0)
    return;
  if (!c->in_text)
    put(c, " T(", 3);
  c->in_text = 1;
  put(c, s, n);
}

static int ev_start(void *ud, const char *name, size_t len,
                    const ng_xml_event_attr *at, size_t n) {
  canon *c = ud;
  size_t i;

  put_tag(c, " S(", name, len);
  for (i = 0; i < n; i++) {
    assert_non_null(at[i].value); /* "" when empty, never NULL */
    put(c, " ", 1);
    put(c, at[i].name, at[i].name_len);
    put(c, "=", 1);
    put(c, at[i].value, at[i].value_len);
  }
  put(c, ")", 1);
  return ++c->starts == c->stop_at;
}

static int ev_end(void *ud, const char *name, size_t len) {
  put_tag(ud, " E(", name, len);
  put(ud, ")", 1);
  return 0;
}

static int ev_text(void *ud, const char *s, size_t len, int cdata) {
  (void)cdata;
  put_text(ud, s, len);
  return 0;
}

static int ev_comment(void *ud, const char *s, size_t len) {
  put_tag(ud, " M(", s, len);
  put(ud, ")", 1);
  return 0;
}

static int ev_pi(void *ud, const char *t, size_t tl, const char *d,
                 size_t dl) {
  put_tag(ud, " P(", t, tl);
  put(ud, " ", 1);
  put(ud, d, dl);
  put(ud, ")", 1);
  return 0;
}

static int ev_doctype(void *ud, const char *n, size_t nl, const char *p,
                      size_t pl, const char *s, size_t sl) {
  (void)p;
  (void)pl;
  (void)s;
  (void)sl;
  put_tag(ud, " D(", n, nl);
  put(ud, ")", 1);
  return 0;
}

static const ng_xml_events canon_events = {
    ev_start,   ev_end, ev_text, ev_comment, ev_pi,
    ev_doctype, NULL,   NULL,    NULL,       NULL};

/* The DOM's canonical text (recursive: corpus documents are shallow). */
static void canon_dom(canon *c, const ng_xml_node *n) {
  const ng_xml_node *k;
  size_t i, len;
  const char *s;

  switch (ng_xml_type_of(n)) {
  case NG_XML_DOCUMENT:
    break;
  case NG_XML_ELEMENT:
    s = ng_xml_name(n, &len);
    put_tag(c, " S(", s, len);
    for (i = 0; i < ng_xml_attr_count(n); i++) {
      const ng_xml_attr *a = ng_xml_attr_at(n, i);
      put(c, " ", 1);
      s = ng_xml_attr_name(a, &len);
      put(c, s, len);
      put(c, "=", 1);
      s = ng_xml_attr_value(a, &len);
      put(c, s, len);
    }
    put(c, ")", 1);
    break;
  case NG_XML_TEXT:
  case NG_XML_CDATA:
    s = ng_xml_data(n, &len);
    put_text(c, s, len);
    return;
  case NG_XML_COMMENT:
    s = ng_xml_data(n, &len);
    ev_comment(c, s, len);
    return;
  case NG_XML_PI: {
    size_t dl;
    const char *d = ng_xml_data(n, &dl);
    s = ng_xml_name(n, &len);
    ev_pi(c, s, len, d, dl);
    return;
  }
  default: /* DOCTYPE */
    s = ng_xml_name(n, &len);
    put_tag(c, " D(", s, len);
    put(c, ")", 1);
    return;
  }
  for (k = ng_xml_first(n); k != NULL; k = ng_xml_next(k))
    canon_dom(c, k);
  if (ng_xml_type_of(n) == NG_XML_ELEMENT) {
    s = ng_xml_name(n, &len);
    ev_end(c, s, len);
  }
}

static void test_events_equal_dom(void **state) {
  ng_corpus c;
  ng_xml_options opt;
  ng_xml_engine e;
  ng_xml_events ev = canon_events;
  ng_xml_doc *doc;
  ng_error err;
  size_t i, n = 0;
  int rc_dom, rc_ev;
  (void)state;

  assert_int_equal(ng_corpus_load(&c, CORPUS), 0);
  ng_xml_options_default(&opt);
  FOR_EACH_ENGINE(e) {
    opt.engine = e;
    for (i = 0; i < c.n; i++) {
      canon a = {NULL, 0, 0, 0, 0, 0}, b = {NULL, 0, 0, 0, 0, 0};
      ng_error err2;
      ev.ud = &b;
      rc_dom = ng_xml_parse(c.files[i].data, c.files[i].len, &opt, &doc, &err);
      rc_ev = ng_xml_parse_events(c.files[i].data, c.files[i].len, &opt, &ev,
                                  &err2);
      assert_int_equal(rc_dom, rc_ev); /* same verdict, same place */
      if (rc_dom != NG_OK) {
        assert_int_equal(err.offset, err2.offset);
      } else {
        put(&a, "", 0);
        put(&b, "", 0);
        canon_dom(&a, ng_xml_doc_node(doc));
        if (a.in_text)
          put(&a, ")", 1);
        if (b.in_text)
          put(&b, ")", 1);
        if (strcmp(a.s, b.s) != 0)
          printf("  %s:\n   dom    %s\n   events %s\n", c.files[i].name, a.s,
                 b.s);
        assert_string_equal(a.s, b.s);
        n++;
      }
      ng_xml_doc_free(doc);
      free(a.s);
      free(b.s);
    }
  }
  ng_corpus_free(&c);
  assert_true(n > 100);
}

static void test_events_stop(void **state) {
  static const char s[] = "<r><a/><b x='1'/><c/></r>";
  ng_xml_options opt;
  ng_xml_engine e;
  ng_xml_events ev = canon_events;
  canon b = {NULL, 0, 0, 0, 3, 0}; /* stop at the third start tag */
  ng_error err;
  (void)state;

  ng_xml_options_default(&opt);
  FOR_EACH_ENGINE(e) {
    opt.engine = e;
    b.len = 0;
    b.starts = 0;
    ev.ud = &b;
    assert_int_equal(ng_xml_parse_events(s, strlen(s), &opt, &ev, &err),
                     NG_ECANCELED);
    assert_int_equal(err.offset, 7); /* the <b ...> tag */
    assert_int_equal(b.starts, 3);
    assert_string_equal(b.s, " S(r) S(a) E(a) S(b x=1)");
  }
  free(b.s);
}

/* ------------------------------------------------------------- depth */

/* levels nested <a> elements, closed; the caller frees. */
static char *nested(size_t levels, size_t *len) {
  char *s = malloc(7 * levels + 1);
  size_t i;

  assert_non_null(s);
  for (i = 0; i < levels; i++)
    memcpy(s + 3 * i, "<a>", 3);
  for (i = 0; i < levels; i++)
    memcpy(s + 3 * levels + 4 * i, "</a>", 4);
  *len = 7 * levels;
  s[*len] = '\0';
  return s;
}

static void test_max_depth(void **state) {
  ng_xml_options opt;
  ng_xml_engine e;
  ng_xml_doc *doc;
  ng_error err;
  size_t len;
  char *s;
  (void)state;

  ng_xml_options_default(&opt);
  FOR_EACH_ENGINE(e) {
    opt.engine = e;
    s = nested(10000, &len); /* exactly the default limit */
    assert_int_equal(ng_xml_parse(s, len, &opt, &doc, &err), NG_OK);
    ng_xml_doc_free(doc);
    assert_int_equal(ng_xml_parse_events(s, len, &opt, NULL, &err), NG_OK);
    free(s);
    s = nested(10001, &len); /* one past */
    assert_int_equal(ng_xml_parse(s, len, &opt, &doc, &err), NG_EDEPTH);
    assert_int_equal(err.offset, 3 * 10000);
    assert_int_equal(err.depth, 10000);
    assert_int_equal(ng_xml_parse_events(s, len, &opt, NULL, &err),
                     NG_EDEPTH);
    assert_int_equal(err.offset, 3 * 10000);
    free(s);
    /* <a/> counts as a level too. */
    assert_int_equal(ng_xml_parse("<a><b/></a>", 11, &opt, &doc, &err), NG_OK);
    ng_xml_doc_free(doc);
    opt.limits.max_depth = 1;
    assert_int_equal(ng_xml_parse("<a><b/></a>", 11, &opt, &doc, &err),
                     NG_EDEPTH);
    assert_int_equal(err.offset, 3);
    opt.limits.max_depth = 10000;
  }
}

static void test_deep_unlimited(void **state) {
  size_t levels = ng_test_deep_levels(), len, d = 0;
  ng_xml_options opt;
  ng_xml_engine e;
  ng_xml_doc *doc;
  ng_xml_node *n;
  ng_error err;
  double t0;
  char *s;
  (void)state;

  s = nested(levels, &len);
  ng_xml_options_default(&opt);
  opt.limits.max_depth = 0;
  FOR_EACH_ENGINE(e) {
    opt.engine = e;
    t0 = ng_test_cpu_ms();
    assert_int_equal(ng_xml_parse(s, len, &opt, &doc, &err), NG_OK);
    printf("  %zu nested elements [%s]: %.0f ms\n", levels,
           ng_xml_engine_name(e), ng_test_cpu_ms() - t0);
    for (n = ng_xml_doc_root(doc), d = 0; n != NULL; n = ng_xml_first(n))
      d++;
    assert_int_equal(d, levels);
    ng_xml_doc_free(doc);
  }
  free(s);
}

/* ----------------------------------------------------- allocation failure */

static const char fail_doc[] =
    "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY e 'E<i a=\"1\">x</i>'>"
    "<!ATTLIST r d CDATA 'def'>]><!--c--><r a='1' b='2' c='3' f='4' g='5' "
    "h='6' i='7' j='8' k='9' l='10'>text &e; more<![CDATA[cd]]><?p d?>"
    "<s><t/></s>&e;</r>";

/* Namespaces on: the scope grows, its prefix table is rebuilt (more than
 * 8 prefixes), a DTD default declares one, a child rebinds one; the DTD
 * records a notation. */
static const char fail_ns_doc[] =
    "<!DOCTYPE r [<!ATTLIST r xmlns:z CDATA 'urn:z'><!NOTATION n SYSTEM 'x'>"
    "]><r xmlns:a='urn:a' "
    "xmlns:b='urn:b' xmlns:c='urn:c' xmlns:d='urn:d' xmlns:e='urn:e' "
    "xmlns:f='urn:f' xmlns:g='urn:g' xmlns:h='urn:h' xmlns:i='urn:i' "
    "a:x='1' b:x='2' c:x='3' d:x='4' e:x='5' f:x='6' g:x='7' h:x='8'>"
    "<z:a xmlns='urn:d'><b xmlns:c='urn:o' c:y='1'/></z:a><i:c/></r>";

typedef struct fail_arg {
  const char *data;
  size_t len;
  int events;
  unsigned flags; /* ng_xml_options.flags */
} fail_arg;

static int fail_op(void *arg, const ng_alloc *alc) {
  const fail_arg *f = arg;
  ng_xml_options opt;
  ng_xml_doc *doc = NULL;
  canon c = {NULL, 0, 0, 0, 0, 0};
  ng_xml_events ev = canon_events;
  int rc;

  ng_xml_options_default(&opt);
  opt.alc = alc;
  opt.flags = f->flags;
  ev.ud = &c;
  if (f->events) {
    rc = ng_xml_parse_events(f->data, f->len, &opt, &ev, NULL);
    free(c.s);
  } else {
    rc = ng_xml_parse(f->data, f->len, &opt, &doc, NULL);
    ng_xml_doc_free(doc);
  }
  assert_true(rc == NG_OK || rc == NG_ENOMEM);
  return rc != NG_OK;
}

static void test_alloc_failure(void **state) {
  unsigned char u16[2 + 2 * sizeof fail_doc];
  fail_arg f;
  size_t i;
  long runs;
  (void)state;

  f.data = fail_doc;
  f.len = sizeof fail_doc - 1;
  f.flags = 0;
  for (f.events = 0; f.events < 2; f.events++) {
    runs = ng_failalloc_sweep(fail_op, &f, 10000);
    printf("  %s: %ld failing runs\n", f.events ? "events" : "dom", runs);
    assert_true(runs > 3);
  }
  f.data = fail_ns_doc;
  f.len = sizeof fail_ns_doc - 1;
  f.flags = NG_XML_NAMESPACES;
  for (f.events = 0; f.events < 2; f.events++) {
    runs = ng_failalloc_sweep(fail_op, &f, 10000);
    printf("  %s, namespaces: %ld failing runs\n", f.events ? "events" : "dom",
           runs);
    assert_true(runs > 5);
  }
  f.flags = 0;
  /* UTF-16: the transcoder and offset map allocate too. */
  u16[0] = 0xFE;
  u16[1] = 0xFF;
  for (i = 0; i + 1 < sizeof fail_doc; i++) {
    u16[2 + 2 * i] = 0;
    u16[3 + 2 * i] = (unsigned char)fail_doc[i];
  }
  f.data = (const char *)u16;
  f.len = 2 + 2 * (sizeof fail_doc - 1);
  f.events = 0;
  runs = ng_failalloc_sweep(fail_op, &f, 10000);
  assert_true(runs > 3);
}

/* ------------------------------------------------------ entity attacks */

/* Parses data with the default options; the time in *ms. */
static int timed(const char *data, size_t len, double *ms) {
  ng_xml_doc *doc = NULL;
  ng_error err;
  double t0 = ng_test_cpu_ms();
  int rc = ng_xml_parse(data, len, NULL, &doc, &err);

  *ms = ng_test_cpu_ms() - t0;
  ng_xml_doc_free(doc);
  return rc;
}

static void test_attacks(void **state) {
  ng_corpus c;
  size_t i, n = 0, len, k;
  double ms, worst = 0;
  ng_failalloc fa;
  ng_xml_options opt;
  ng_xml_doc *doc = NULL;
  char *s, *p;
  (void)state;

  assert_int_equal(ng_corpus_load(&c, CORPUS), 0);
  for (i = 0; i < c.n; i++) {
    if (strncmp(c.files[i].name, "n_attack_", 9) != 0 ||
        strstr(c.files[i].name, "xxe") != NULL)
      continue;
    assert_int_equal(timed(c.files[i].data, c.files[i].len, &ms),
                     NG_EENTITYLIMIT);
    printf("  %-40s %.3f ms\n", c.files[i].name, ms);
    worst = ms > worst ? ms : worst;
    n++;
  }
  ng_corpus_free(&c);
  assert_true(n >= 6);
  /* The classic quadratic blowup: one 100 KB entity, 100,000 references. */
  s = malloc(200000 + 100000 * 3 + 64);
  assert_non_null(s);
  p = s + sprintf(s, "<!DOCTYPE r [<!ENTITY q \"");
  memset(p, 'q', 100000);
  p += 100000;
  p += sprintf(p, "\">]><r>");
  for (k = 0; k < 100000; k++, p += 3)
    memcpy(p, "&q;", 3);
  p += sprintf(p, "</r>");
  len = (size_t)(p - s);
  assert_int_equal(timed(s, len, &ms), NG_EENTITYLIMIT);
  printf("  quadratic blowup (100 KB x 100,000)      %.3f ms\n", ms);
  worst = ms > worst ? ms : worst;
  /* The references before the limit (1 MiB of text) are not copied: the
   * text they would merge into is never made. */
  ng_failalloc_init(&fa, 0);
  ng_xml_options_default(&opt);
  opt.alc = &fa.alc;
  assert_int_equal(ng_xml_parse(s, len, &opt, &doc, NULL), NG_EENTITYLIMIT);
  printf("  quadratic blowup: peak %zu bytes allocated\n", fa.peak_bytes);
  assert_true(fa.peak_bytes < 512 * 1024);
  assert_int_equal(fa.live_blocks, 0);
  free(s);
  /* Generous: loaded machines; valgrind runs ~50x slower. */
  assert_true(worst < (ng_test_valgrind() ? 1000.0 : 50.0));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_dom_shape),
      cmocka_unit_test(test_merged_text),
      cmocka_unit_test(test_long_text),
      cmocka_unit_test(test_interned_names),
      cmocka_unit_test(test_options),
      cmocka_unit_test(test_round_trip_corpus),
      cmocka_unit_test(test_error_positions),
      cmocka_unit_test(test_bad_char_messages),
      cmocka_unit_test(test_input_limit_position),
      cmocka_unit_test(test_long_names),
      cmocka_unit_test(test_events_equal_dom),
      cmocka_unit_test(test_events_stop),
      cmocka_unit_test(test_max_depth),
      cmocka_unit_test(test_deep_unlimited),
      cmocka_unit_test(test_alloc_failure),
      cmocka_unit_test(test_attacks),
  };
  return cmocka_run_group_tests_name("xml_parse", tests, NULL, NULL);
}
