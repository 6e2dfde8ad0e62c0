/*
 * tests/test_xml_stream.c - push parsing of XML (ng_xml_stream_*).
 *
 * The one-shot parse is the oracle: every corpus/xml document is streamed
 * at every split point (a stride of them for the big files, fewer under
 * valgrind and the sanitizers) and fed one byte at a time, with a DOM and
 * with events, and must give the same DOM (ng_xml_equal) or event trace,
 * or the same error code, offset, line, column and depth. Each chunk is a
 * copy freed (and scribbled over) as soon as its feed returns, so nothing
 * may point into it later. Every engine streams, the recursive one as a
 * task parked where its lexer is cut (on the thread's scheduler, or on
 * one given). Then markup cut at every byte, documents in other encodings
 * than UTF-8 (transcoded chunk by chunk; positions in the original
 * bytes), the state machine, limits across chunks, freeing mid-document
 * (a parked task with it) and allocation failures across feeds.
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

#include "nestguard.h"
#include "nestguard/xml.h"
#include "support/corpus.h"
#include "support/stream_check.h"

/* ------------------------------------------------------ event traces */

/* A field of an event, a line of the trace (stream_check.h). */
static int put(void *ud, const char *tag, const char *s, size_t n) {
  FILE *f = ng_test_rec_file(ud);

  fprintf(f, "%s%zu:", tag, n);
  if (n != 0)
    fwrite(s, 1, n, f);
  return ng_test_rec_step(ud, "\n");
}

static int ev_start(void *ud, const char *name, size_t len,
                    const ng_xml_event_attr *attrs, size_t nattrs) {
  size_t i;
  int stop = put(ud, "<", name, len);

  for (i = 0; i < nattrs; i++) {
    put(ud, "@", attrs[i].name, attrs[i].name_len);
    put(ud, "=", attrs[i].value, attrs[i].value_len);
  }
  return stop;
}

static int ev_end(void *ud, const char *name, size_t len) {
  return put(ud, ">", name, len);
}

static int ev_text(void *ud, const char *s, size_t len, int cdata) {
  return put(ud, cdata ? "C" : "T", s, len);
}

static int ev_comment(void *ud, const char *s, size_t len) {
  return put(ud, "!", s, len);
}

static int ev_pi(void *ud, const char *t, size_t tl, const char *d, size_t dl) {
  put(ud, "?", t, tl);
  return put(ud, " ", d, dl);
}

static int ev_doctype(void *ud, const char *n, size_t nl, const char *p,
                      size_t pl, const char *s, size_t sl) {
  put(ud, "D", n, nl);
  put(ud, "P", p != NULL ? p : "", p != NULL ? pl : 0);
  return put(ud, "S", s != NULL ? s : "", s != NULL ? sl : 0);
}

static int ev_skipped(void *ud, const char *n, size_t len) {
  return put(ud, "&", n, len);
}

static ng_xml_events rec_events(ng_test_rec *r) {
  ng_xml_events ev;

  memset(&ev, 0, sizeof ev);
  ev.start_element = ev_start;
  ev.end_element = ev_end;
  ev.text = ev_text;
  ev.comment = ev_comment;
  ev.pi = ev_pi;
  ev.doctype = ev_doctype;
  ev.skipped_entity = ev_skipped;
  ev.ud = r;
  return ev;
}

NG_TEST_FMT_DEFINE(xml_fmt, xml, NULL);

static const int stream_engines[] = {NG_XML_ITERATIVE, NG_XML_TRAMPOLINE,
                                     NG_XML_LALR, NG_XML_RECURSIVE};
#define NENGINES (sizeof stream_engines / sizeof stream_engines[0])

/* DOM and events, in the first `engines` stream_engines. */
static void check_both(const char *name, const char *d, size_t n,
                       unsigned flags, size_t engines) {
  ng_xml_options opt;
  size_t e;
  int events;

  ng_xml_options_default(&opt);
  opt.flags = flags;
  for (e = 0; e < engines; e++) {
    opt.engine = (ng_xml_engine)stream_engines[e];
    for (events = 0; events < 2; events++)
      ng_test_chunkings(&xml_fmt, name, d, n, &opt, events,
                        ng_xml_engine_name(opt.engine));
  }
}

/* ---------------------------------------------------------- the corpus */

static void test_corpus_every_split(void **state) {
  ng_corpus c;
  size_t i;

  (void)state;
  assert_int_equal(ng_corpus_load(&c, "corpus/xml"), 0);
  assert_true(c.n > 100);
  for (i = 0; i < c.n; i++) {
    if (strstr(c.files[i].name, ".xml") == NULL)
      continue;
    check_both(c.files[i].name, c.files[i].data, c.files[i].len, 0, NENGINES);
    if (!ng_test_slow_build())
      check_both(c.files[i].name, c.files[i].data, c.files[i].len,
                 NG_XML_NAMESPACES | NG_XML_KEEP_CDATA, 1);
  }
  ng_corpus_free(&c);
}

/* Markup, text and positions cut at every byte. */
static void test_tokens_every_split(void **state) {
  static const char *const docs[] = {
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<a/>",
      "\xEF\xBB\xBF<a>\r\nx</b>",
      "<?xml version='1.0'?><!DOCTYPE a [<!ENTITY e 'v&#65;'>"
      "<!ATTLIST a d CDATA 'dv'>]><a x='1&amp;2'>t&e;&lt;\r\n\r<![CDATA[c]]>"
      "<!--k--><?p d?>&#x20AC;\xc3\xa9\xf0\x9f\x98\x80</a>\n<!--e-->\n",
      "<a>x]]>y</a>",
      "<a>]]</a>",
      "<a>\r</a>",
      "<a>\r\n\r\n</a>",
      "<a>&unknown;</a>",
      "<a><b></a>",
      "<a/>x",
      "<a/><b/>",
      "",
      "   ",
      "<a",
      "<?xml version='1.0'?>",
      "<a>\n\n<?xml version='1.0'?></a>",
      "<a b='1' b='2'/>",
      "<a>\xc3</a>",
      "<a>\xe2\x82</a>",
      "<a>\x01</a>",
      "<!DOCTYPE a [<!ENTITY e '<b>'>]><a>&e;</a>",
      "<x:a xmlns:x='urn:x' x:b='1'><x:c/></x:a>",
      "<x:a/>",
      /* Broken declarations: the encoding is decided as on the whole
       * input (a name holding '?>' or markup is NG_EENCODING at it). */
      "<?xml version=\"1.0\" encoding=\"a?>b\"?><a/>",
      "<?xml version=\"1.0\" encoding=\"<b>\"?><a/>",
      "<?xml version='1.0' encoding='x?><b>y</b>'?><a/>",
      "<?xml version=\"1.0 encoding='UTF-8'?><a/>",
      "<?xml version='1.0' encoding='UTF-8",
      "<?xml-stylesheet?><a/>",
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"US-ASC<\xF0\x90\x80\x80>x"
      "<b><b></b></b>\"?><a/>",
      /* A start tag is lexed once its '>' (outside quotes) is there. */
      "<!DOCTYPE a [<!ENTITY e 'x&#62;y'>]><a p='&e;>' q=\"'>\" r='\"'>t</a>",
      "<a p='1'<b/></a>",
      "<a p='<'/>",
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
    check_both(docs[i], docs[i], strlen(docs[i]), 0, NENGINES);
    check_both(docs[i], docs[i], strlen(docs[i]), NG_XML_NAMESPACES, 1);
  }
}

/* Character data cut by a window's end is scanned again from its last
 * two bytes only (lexer.re's text_cut), its last 16 bytes read at once: a
 * byte that needs a look (markup, a reference, a CR, a character of every
 * length, bad ones) after every length of plain text, cut everywhere. */
static void test_text_every_offset(void **state) {
  static const char *const marks[] = {
      "]]>", "]]", "]x", "&amp;", "&#xE9;", "&e;", "\r\n", "\r",
      "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xef\xbf\xbe",
      "\xc3", "\xe2\x82", "\x01", "<b/>", "\t\n"};
  static const char pad[] = "0123456789abcdefghijklmnopqrstuvwxyz  \n\t01";
  char d[128];
  size_t m, k;
  int n;

  (void)state;
  for (m = 0; m < sizeof marks / sizeof marks[0]; m++)
    for (k = 0; k + 1 < sizeof pad; k++) {
      n = snprintf(d, sizeof d, "<a>%.*s%s%.*s</a>", (int)k, pad, marks[m],
                   (int)(k % 19), pad);
      assert_true(n > 0 && (size_t)n < sizeof d);
      check_both(d, d, (size_t)n, 0, 1);
    }
}

/* A start tag that does not begin the window and has more than 64 bytes
 * after it is lexed at once, in vain where the window cuts it (lexer.re,
 * tag_waits): cut everywhere, each long tag expands the same entity
 * twice, as much as max_entity_expansion allows in all; what a cut tag
 * charged is undone when it is lexed again. */
static void test_long_tags_every_split(void **state) {
  static const char doc[] =
      "<!DOCTYPE a [<!ENTITY e '0123456789'><!ATTLIST b d CDATA 'dv'>]>"
      "<a>text<b p='&e;' q=\"'>\" r='\"' s='0123456789012345678901234567890"
      "12345678901234567890123456789'>t</b>\n<b s='012345678901234567890123"
      "45678901234567890123456789012345678901234567890123' p='&e;'/></a>";
  ng_xml_options opt;
  ng_xml_doc *d;
  size_t e;
  int events;

  (void)state;
  ng_xml_options_default(&opt);
  opt.limits.max_entity_expansion = 20;
  for (e = 0; e < NENGINES; e++) {
    opt.engine = (ng_xml_engine)stream_engines[e];
    for (events = 0; events < 2; events++)
      ng_test_chunkings(&xml_fmt, doc, doc, sizeof doc - 1, &opt, events,
                        ng_xml_engine_name(opt.engine));
  }
  assert_int_equal(ng_xml_parse(doc, sizeof doc - 1, &opt, &d, NULL), NG_OK);
  ng_xml_doc_free(d);
  opt.limits.max_entity_expansion = 19; /* the limit is met exactly */
  assert_int_equal(ng_xml_parse(doc, sizeof doc - 1, &opt, &d, NULL),
                   NG_EENTITYLIMIT);
}

/* ---------------------------------------------------- other encodings */

/* The UTF-8 text u in encoding enc (iconv), after the bytes pre[0..npre)
 * (a BOM); *n gets the length. The caller frees it. */
static char *encode(const char *pre, size_t npre, const char *u,
                    const char *enc, size_t *n) {
  size_t il = strlen(u), ol = 4 * il + 8;
  char *in = malloc(il + 1), *out = malloc(npre + ol), *ip = in, *op;
  iconv_t cd = iconv_open(enc, "UTF-8");

  assert_true(cd != (iconv_t)-1);
  assert_non_null(in);
  assert_non_null(out);
  memcpy(in, u, il + 1);
  memcpy(out, pre, npre);
  op = out + npre;
  assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
  assert_true(iconv(cd, NULL, NULL, &op, &ol) != (size_t)-1); /* shifts */
  iconv_close(cd);
  free(in);
  *n = (size_t)(op - out);
  return out;
}

/* Documents in other encodings, their errors late, after characters that
 * take other numbers of bytes than in UTF-8, over lines that end in CR LF:
 * every split (so every cut of a declaration's encoding name, of a UTF-16
 * unit or surrogate pair, of a multibyte or shifted iconv character) and
 * 1-byte chunks give the one-shot result, in every engine. */
static const struct {
  const char *bom; /* bytes before the text */
  size_t nbom;
  const char *enc; /* iconv's name for the text's bytes */
  const char *text; /* UTF-8 */
} encoded[] = {
    {"\xFF\xFE", 2, "UTF-16LE",
     "<?xml version='1.0' encoding='UTF-16'?>\r\n<!DOCTYPE d [<!ENTITY e "
     "'caf\xc3\xa9'>]>\r\n<d a='\xf0\x9f\x98\x80'>\r\n&e; \xf0\x9f\x98\x80 x"
     "\r\n<e>\xc3\xa9\xe2\x82\xac</f></d>"},
    {"\xFE\xFF", 2, "UTF-16BE",
     "<d>\xf0\x9f\x98\x80\xf0\x9f\x98\x80<e x='\xe2\x82\xac'/>\n"
     "<![CDATA[\xc3\xa9]]>\r</d>\r\n<!--k-->"},
    {"", 0, "UTF-16LE",
     "<?xml version='1.0' encoding='UTF-16LE'?><d>\r\nt\xc3\xa9\xf0\x9f\x98\x80"},
    {"", 0, "UTF-16BE",
     "<?xml version='1.0' encoding='utf-16be'?><d>&#xE9;\xe2\x82\xac\r\n"
     "<e\xc3\xa9/>\xf0\x9f\x98\x80\x01</d>"},
    {"", 0, "CP1252",
     "<?xml version='1.0' encoding='windows-1252'?>\n<d>\xe2\x82\xac "
     "\xe2\x80\x9cq\xe2\x80\x9d\r\n<e>\xe2\x82\xac</f></d>"},
    {"", 0, "ISO-8859-1",
     "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><d>\xc3\xa9\xc3\xa8\r\n"
     "\xc3\xa9<e a='\xc3\xa9' a='x'/></d>"},
    {"", 0, "SHIFT_JIS",
     "<?xml version='1.0' encoding='Shift_JIS'?><d>\xe6\x97\xa5\xe6\x9c\xac"
     "\xe8\xaa\x9e\n<\xe6\x97\xa5>x</\xe6\x9c\xac></d>"},
    {"", 0, "US-ASCII", "<?xml version='1.0' encoding='US-ASCII'?><d>ab\r\n"},
    {"\xFF\xFE", 2, "UTF-16LE", "<?xml version='1.0' enc"}, /* decided last */
};

/* Bytes no encoder makes: what the transcoders must reject where the
 * one-shot parse does; and UTF-7 with its markup unshifted, where iconv
 * carries a base64 run's state from chunk to chunk (ISO-2022-JP would
 * shift as well, but glibc's module trips valgrind inside ld.so). */
static const struct {
  const char *d;
  size_t n;
} raw_encoded[] = {
    {"\xFF\xFE<\0d\0>\0\x00\xD8" "a\0<\0/\0d\0>\0", 18}, /* lone high */
    {"\xFE\xFF\0<\0d\0>\0\n\xDC\x00\0<\0/\0d\0>", 18},  /* lone low */
    {"\xFF\xFE<\0d\0>\0\r\0\n\0x\0<\0/\0d\0>\0\n", 23},    /* odd end */
    {"<?xml version='1.0' encoding='US-ASCII'?><d>ab\r\n\xE9</d>", 53},
    {"<?xml version='1.0' encoding='Shift_JIS'?><d>a\x82\r\n</d>", 53},
    {"<?xml version='1.0' encoding='UTF-7'?><d>caf+AOk- +ZeVnLA-+ZeVnLA abc "
     "+ZeU-\r\n</e>",
     81},
};

static void test_encodings_every_split(void **state) {
  size_t i, n;
  char *d;

  (void)state;
  for (i = 0; i < sizeof encoded / sizeof encoded[0]; i++) {
    d = encode(encoded[i].bom, encoded[i].nbom, encoded[i].text,
               encoded[i].enc, &n);
    check_both(encoded[i].text, d, n, 0, NENGINES);
    check_both(encoded[i].text, d, n, NG_XML_NAMESPACES, 1);
    free(d);
  }
  for (i = 0; i < sizeof raw_encoded / sizeof raw_encoded[0]; i++)
    check_both("raw bytes", raw_encoded[i].d, raw_encoded[i].n, 0, NENGINES);
}

/* A document over the stream's transcoding piece (16 KiB), in UTF-16
 * with pairs and CR LF lines, failing at its end: fed whole (in pieces)
 * and at a stride of splits; and its max_input positions. */
static void test_encodings_long(void **state) {
  static const char line[] =
      "<p a='\xc3\xa9'>caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x82\xac text</p>\r\n";
  size_t i, n, len = 0;
  char *u = malloc(900 * (sizeof line - 1) + 64), *d;
  ng_xml_options opt;

  (void)state;
  assert_non_null(u);
  len += (size_t)sprintf(u, "<d>\r\n");
  for (i = 0; i < 900; i++, len += sizeof line - 1)
    memcpy(u + len, line, sizeof line - 1);
  strcpy(u + len, "</e>");
  d = encode("\xFF\xFE", 2, u, "UTF-16LE", &n);
  assert_true(n > 3 * 16384);
  check_both("long UTF-16", d, n, 0, NENGINES);
  ng_xml_options_default(&opt);
  opt.limits.max_input = 40001; /* inside a unit, lines down */
  ng_test_chunkings(&xml_fmt, "long UTF-16, max_input", d, n, &opt, 0,
                    "iterative");
  free(d);
  free(u);
}

/* max_input in other encodings: at every split, the position of byte
 * max_input (in the family's code units: UTF-16 lines and a unit cut by
 * it) as the one-shot parse gives it, whether the encoding is decided
 * yet or not. */
static void test_encodings_max_input(void **state) {
  static const size_t limits[] = {3, 7, 45, 86, 101};
  ng_xml_options opt;
  size_t i, k, n;
  char *d;

  (void)state;
  ng_xml_options_default(&opt);
  for (i = 0; i < 5; i++) {
    d = encode(encoded[i].bom, encoded[i].nbom, encoded[i].text,
               encoded[i].enc, &n);
    for (k = 0; k < sizeof limits / sizeof limits[0]; k++) {
      opt.limits.max_input = limits[k];
      if (limits[k] < n)
        ng_test_chunkings(&xml_fmt, encoded[i].text, d, n, &opt, 0,
                          "iterative");
    }
    free(d);
  }
}

/* A token cut by a chunk's end past the carry's bound: NG_ESTRLIMIT at
 * its first original byte. */
static void test_encodings_carry_bound(void **state) {
  char u[320], *d;
  ng_xml_options opt;
  ng_xml_stream_config cfg = {&opt, NULL, NULL, NULL};
  ng_xml_stream *s;
  ng_error err;
  size_t n, at;
  int rc = NG_OK;

  (void)state;
  memcpy(u, "<a>\n<b>", 7);
  memset(u + 7, 'x', 300);
  strcpy(u + 307, "</b></a>");
  d = encode("\xFE\xFF", 2, u, "UTF-16BE", &n);
  ng_xml_options_default(&opt);
  opt.limits.max_string = 16; /* the carry's bound: 128 bytes of text */
  assert_int_equal(ng_xml_stream_new(&cfg, &s), NG_OK);
  for (at = 0; at < n && rc == NG_OK; at += 10)
    rc = ng_test_feed_copy(&xml_fmt, s, d + at, at + 10 > n ? n - at : 10,
                           &err);
  assert_int_equal(rc, NG_ESTRLIMIT);
  assert_int_equal(err.offset, 2 + 2 * 7); /* the text after <b> */
  assert_int_equal(err.line, 2);
  assert_int_equal(err.column, 7);
  ng_xml_stream_free(s);
  free(d);
}

/* ---------------------------------------------------------- the states */

static void test_state_and_encodings(void **state) {
  static const char doc[] = "<a>x</a>";
  static const char utf16[] = "\xFF\xFE<\0a\0/\0>\0";
  ng_xml_options opt;
  ng_xml_stream_config cfg = {&opt, NULL, NULL, NULL};
  ng_xml_stream *s;
  ng_xml_doc *d;
  ng_error err;

  (void)state;
  ng_xml_options_default(&opt);
  assert_int_equal(ng_xml_stream_new(&cfg, NULL), NG_EINVAL);
  opt.flags = 0x80000000u;
  assert_int_equal(ng_xml_stream_new(&cfg, &s), NG_EINVAL);
  opt.flags = 0;
  assert_int_equal(ng_xml_stream_new(NULL, &s), NG_OK);
  assert_int_equal(ng_xml_stream_feed(s, NULL, 1, &err), NG_EINVAL);
  assert_int_equal(ng_xml_stream_feed(s, doc, 3, &err), NG_OK);
  ng_xml_stream_reset(s); /* drops the document begun */
  assert_int_equal(ng_xml_stream_feed(s, doc, sizeof doc - 1, &err), NG_OK);
  assert_int_equal(ng_xml_stream_finish(s, &d, &err), NG_OK);
  assert_non_null(d);
  assert_string_equal(ng_xml_name(ng_xml_doc_root(d), NULL), "a");
  ng_xml_doc_free(d);
  assert_int_equal(ng_xml_stream_finish(s, &d, &err), NG_ESTATE);
  assert_int_equal(ng_xml_stream_feed(s, doc, 1, &err), NG_ESTATE);
  ng_xml_stream_reset(s);
  assert_int_equal(ng_xml_stream_feed(s, "<a>", 3, &err), NG_OK);
  assert_int_equal(ng_xml_stream_finish(s, &d, &err), NG_EEOF);
  assert_int_equal(err.offset, 3);
  assert_int_equal(ng_xml_stream_finish(s, &d, &err), NG_EEOF); /* sticky */
  ng_xml_stream_reset(s);
  assert_int_equal(ng_xml_stream_feed(s, utf16, 3, &err), NG_OK);
  assert_int_equal(ng_xml_stream_feed(s, utf16 + 3, 7, &err), NG_OK);
  assert_int_equal(ng_xml_stream_finish(s, &d, &err), NG_OK);
  assert_string_equal(ng_xml_name(ng_xml_doc_root(d), NULL), "a");
  ng_xml_doc_free(d);
  ng_xml_stream_reset(s); /* back to UTF-8 */
  assert_int_equal(ng_xml_stream_feed(s, doc, sizeof doc - 1, &err), NG_OK);
  assert_int_equal(ng_xml_stream_finish(s, &d, &err), NG_OK);
  ng_xml_doc_free(d);
  ng_xml_stream_free(s);
}

/* ------------------------------------------------------------- limits */

static int feed_steps(ng_xml_stream *s, const char *d, size_t step,
                      ng_error *err) {
  size_t n = strlen(d), at;
  int rc = NG_OK;

  for (at = 0; at < n && rc == NG_OK; at += step)
    rc = ng_test_feed_copy(&xml_fmt, s, d + at, at + step > n ? n - at : step,
                           err);
  return rc == NG_OK ? ng_xml_stream_finish(s, NULL, err) : rc;
}

/* d in chunks of `step` under opt fails with `code` exactly where the
 * one-shot parse does. */
static void limit_case(const ng_xml_options *opt, const char *d, size_t step,
                       int code) {
  ng_xml_stream_config cfg = {opt, NULL, NULL, NULL};
  ng_xml_stream *s;
  ng_xml_doc *doc = NULL;
  ng_error one, err;

  assert_int_equal(ng_xml_parse(d, strlen(d), opt, &doc, &one), code);
  assert_int_equal(ng_xml_stream_new(&cfg, &s), NG_OK);
  assert_int_equal(feed_steps(s, d, step, &err), code);
  assert_int_equal(err.offset, one.offset);
  assert_int_equal(err.line, one.line);
  assert_int_equal(err.column, one.column);
  assert_int_equal(err.depth, one.depth);
  ng_xml_stream_free(s);
}

static void test_limits_across_chunks(void **state) {
  ng_xml_options opt;
  ng_xml_stream_config cfg = {&opt, NULL, NULL, NULL};
  ng_xml_stream *s;
  ng_error err;
  char deep[400], big[600];
  size_t i;

  (void)state;
  ng_xml_options_default(&opt);
  opt.limits.max_input = 10; /* counted over the feeds */
  assert_int_equal(ng_xml_stream_new(&cfg, &s), NG_OK);
  assert_int_equal(feed_steps(s, "<a>xxxxxxxxxxxxxx</a>", 4, &err),
                   NG_EINPUTLIMIT);
  assert_int_equal(err.offset, 10);
  ng_xml_stream_free(s);

  ng_xml_options_default(&opt);
  opt.limits.max_depth = 50;
  for (i = 0; i < 100; i++)
    memcpy(deep + 3 * i, "<a>", 3);
  deep[300] = '\0';
  limit_case(&opt, deep, 7, NG_EDEPTH);

  ng_xml_options_default(&opt);
  opt.limits.max_entity_expansion = 40;
  limit_case(&opt,
             "<!DOCTYPE a [<!ENTITY e '0123456789'>]>\r\n"
             "<a>&e;&e;&e;&e;&e;</a>",
             3, NG_EENTITYLIMIT);

  ng_xml_options_default(&opt);
  opt.limits.max_string = 16; /* the carry's bound: 128 bytes */
  memcpy(big, "<a>", 3);
  memset(big + 3, 'x', 300);
  memcpy(big + 303, "</a>", 5);
  assert_int_equal(ng_xml_stream_new(&cfg, &s), NG_OK);
  assert_int_equal(feed_steps(s, big, 10, &err), NG_ESTRLIMIT);
  assert_int_equal(err.offset, 3);
  ng_xml_stream_free(s);
}

/* -------------------------------------------- freeing, failing */

static void test_free_mid_document(void **state) {
  static const char doc[] =
      "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY e 'ee'>]><r a='1'><b>"
      "text &e; more<c><![CDATA[x]]><!--k--><d>";

  (void)state;
  ng_test_free_mid_document(&xml_fmt, stream_engines, NENGINES, doc,
                            sizeof doc - 1);
}

static void test_allocation_failures(void **state) {
  static const char input[] =
      "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY e 'entity text'>]>"
      "<r a='1' b='&e;'><b>text &e; and a long run of text over chunks</b>"
      "<c><d><e><f><g/></f></e></d></c><![CDATA[cdata]]><!--k--><?p x?></r>";

  (void)state;
  ng_test_allocation_failures(&xml_fmt, stream_engines, NENGINES, input,
                              sizeof input - 1);
}

/* Transcoded streams (UTF-16, windows-1252 through iconv) freed wherever
 * the input stops, and failing every allocation in turn across feeds. */
static void test_encodings_free_and_fail(void **state) {
  static const char part[] =
      "<?xml version='1.0' encoding='%s'?><!DOCTYPE r [<!ENTITY e 'ee'>]>"
      "<r a='\xe2\x82\xac'><b>text &e; \xc3\xa9\xe2\x80\x9c<c><![CDATA[x]]>"
      "<!--k--><d>";
  static const char whole[] =
      "<?xml version='1.0' encoding='%s'?><!DOCTYPE r [<!ENTITY e 'text'>]>"
      "<r a='1' b='&e;'><b>\xe2\x82\xac &e; and a \xe2\x80\x9crun\xe2\x80\x9d</b>"
      "<c><d><e/></d></c><![CDATA[cdata]]><!--k--><?p x?></r>";
  static const char *const enc[][2] = {{"UTF-16", "UTF-16LE"},
                                       {"windows-1252", "CP1252"}};
  char u[512], *d;
  size_t i, n;

  (void)state;
  for (i = 0; i < 2; i++) {
    snprintf(u, sizeof u, part, enc[i][0]);
    d = encode("\xFF\xFE", i == 0 ? 2 : 0, u, enc[i][1], &n);
    ng_test_free_mid_document(&xml_fmt, stream_engines, NENGINES, d, n);
    free(d);
    snprintf(u, sizeof u, whole, enc[i][0]);
    d = encode("\xFF\xFE", i == 0 ? 2 : 0, u, enc[i][1], &n);
    ng_test_allocation_failures(&xml_fmt, stream_engines, NENGINES, d, n);
    free(d);
  }
}

/* The recursive engine on a scheduler the caller gives: a deep document
 * in small chunks (the task's stack grows while parked in between) gives
 * the one-shot DOM, and a stream freed with its task parked deep leaves
 * the scheduler empty. */
static void test_recursive_given_sched(void **state) {
  enum { DEPTH = 3000 };
  char *d = malloc(7 * DEPTH + 1);
  size_t n = 0, i, at;
  ng_xml_options opt;
  ng_xml_stream_config cfg = {&opt, NULL, NULL, NULL};
  ng_xml_doc *one = NULL, *doc = NULL;
  ng_xml_stream *s;
  ng_sched *sched;

  (void)state;
  assert_non_null(d);
  for (i = 0; i < DEPTH; i++, n += 3)
    memcpy(d + n, "<a>", 3);
  for (i = 0; i < DEPTH; i++, n += 4)
    memcpy(d + n, "</a>", 4);
  ng_xml_options_default(&opt);
  opt.engine = NG_XML_RECURSIVE;
  opt.limits.max_depth = 2 * DEPTH;
  assert_int_equal(ng_xml_parse(d, n, &opt, &one, NULL), NG_OK);
  assert_int_equal(ng_sched_new(&sched, NULL), NG_OK);
  cfg.sched = sched;
  assert_int_equal(ng_xml_stream_new(&cfg, &s), NG_OK);
  for (at = 0; at < n; at += 5)
    assert_int_equal(
        ng_test_feed_copy(&xml_fmt, s, d + at, at + 5 > n ? n - at : 5, NULL),
        NG_OK);
  assert_int_equal(ng_xml_stream_finish(s, &doc, NULL), NG_OK);
  assert_true(ng_xml_equal(ng_xml_doc_root(one), ng_xml_doc_root(doc)));
  ng_xml_stream_reset(s);
  assert_int_equal(ng_test_feed_copy(&xml_fmt, s, d, 3 * DEPTH, NULL), NG_OK);
  ng_xml_stream_free(s); /* its task parked 3,000 levels down */
  ng_sched_free(sched);
  ng_xml_doc_free(doc);
  ng_xml_doc_free(one);
  free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tokens_every_split),
      cmocka_unit_test(test_text_every_offset),
      cmocka_unit_test(test_long_tags_every_split),
      cmocka_unit_test(test_corpus_every_split),
      cmocka_unit_test(test_encodings_every_split),
      cmocka_unit_test(test_encodings_long),
      cmocka_unit_test(test_encodings_max_input),
      cmocka_unit_test(test_encodings_carry_bound),
      cmocka_unit_test(test_state_and_encodings),
      cmocka_unit_test(test_limits_across_chunks),
      cmocka_unit_test(test_free_mid_document),
      cmocka_unit_test(test_allocation_failures),
      cmocka_unit_test(test_encodings_free_and_fail),
      cmocka_unit_test(test_recursive_given_sched),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
