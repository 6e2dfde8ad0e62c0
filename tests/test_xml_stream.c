/*
 * tests/test_xml_stream.c - push parsing of XML (ng_xml_stream_*).
 *
 * The one-shot parse is the oracle: every corpus/xml document is streamed
 * at every split point (a stride of them for the big files, fewer under
 * valgrind and the sanitizers) and fed one byte at a time, with a DOM and
 * with events, and must give the same DOM (ng_xml_equal) or event trace,
 * or the same error code, offset, line, column and depth. Each chunk is a
 * copy freed (and scribbled over) as soon as its feed returns, so nothing
 * may point into it later. Then markup cut at every byte, the state
 * machine, limits across chunks, freeing mid-document and allocation
 * failures across feeds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "nestguard.h"
#include "nestguard/xml.h"
#include "support/corpus.h"
#include "support/failalloc.h"
#include "support/testenv.h"

static int slow_build(void) {
  return ng_test_valgrind() || ng_test_sanitized();
}

/* ------------------------------------------------------ event traces */

typedef struct rec {
  FILE *f;   /* open_memstream over buf, opened on first use */
  char *buf; /* the trace */
  size_t len;
} rec;

static FILE *trace(rec *r) {
  if (r->f == NULL)
    assert_non_null(r->f = open_memstream(&r->buf, &r->len));
  return r->f;
}

static void rec_close(rec *r) {
  if (r->f != NULL)
    fclose(r->f);
  r->f = NULL;
}

static void put(rec *r, const char *tag, const char *s, size_t n) {
  FILE *f = trace(r);

  fprintf(f, "%s%zu:", tag, n);
  if (n != 0)
    fwrite(s, 1, n, f);
  fputc('\n', f);
}

static int ev_start(void *ud, const char *name, size_t len,
                    const ng_xml_event_attr *attrs, size_t nattrs) {
  size_t i;

  put(ud, "<", name, len);
  for (i = 0; i < nattrs; i++) {
    put(ud, "@", attrs[i].name, attrs[i].name_len);
    put(ud, "=", attrs[i].value, attrs[i].value_len);
  }
  return 0;
}

static int ev_end(void *ud, const char *name, size_t len) {
  put(ud, ">", name, len);
  return 0;
}

static int ev_text(void *ud, const char *s, size_t len, int cdata) {
  put(ud, cdata ? "C" : "T", s, len);
  return 0;
}

static int ev_comment(void *ud, const char *s, size_t len) {
  put(ud, "!", s, len);
  return 0;
}

static int ev_pi(void *ud, const char *t, size_t tl, const char *d, size_t dl) {
  put(ud, "?", t, tl);
  put(ud, " ", d, dl);
  return 0;
}

static int ev_doctype(void *ud, const char *n, size_t nl, const char *p,
                      size_t pl, const char *s, size_t sl) {
  put(ud, "D", n, nl);
  put(ud, "P", p != NULL ? p : "", p != NULL ? pl : 0);
  put(ud, "S", s != NULL ? s : "", s != NULL ? sl : 0);
  return 0;
}

static int ev_skipped(void *ud, const char *n, size_t len) {
  put(ud, "&", n, len);
  return 0;
}

static ng_xml_events rec_events(rec *r) {
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

/* ------------------------------------------------------------ outcomes */

typedef struct outcome {
  int rc;
  ng_error err;
  ng_xml_doc *doc; /* DOM mode, success */
  rec r;           /* events mode */
} outcome;

static void outcome_free(outcome *o) {
  ng_xml_doc_free(o->doc);
  rec_close(&o->r);
  free(o->r.buf);
  memset(o, 0, sizeof *o);
}

static void one_shot(const char *d, size_t n, const ng_xml_options *opt,
                     int events, outcome *o) {
  memset(o, 0, sizeof *o);
  if (events) {
    ng_xml_events ev = rec_events(&o->r);
    o->rc = ng_xml_parse_events(d, n, opt, &ev, &o->err);
    rec_close(&o->r);
  } else {
    o->rc = ng_xml_parse(d, n, opt, &o->doc, &o->err);
  }
}

/* Feeds a copy of d[0..n) that is scribbled over and freed on return. */
static int feed_copy(ng_xml_stream *s, const char *d, size_t n, ng_error *err) {
  char *c = malloc(n + 1);
  int rc;

  assert_non_null(c);
  memcpy(c, d, n);
  rc = ng_xml_stream_feed(s, c, n, err);
  memset(c, 0xA5, n + 1);
  free(c);
  return rc;
}

/* Feeds d[0..n) cut at `cut` (ncut 1) or `step` bytes at a time (ncut 0);
 * stops feeding at the first error, as a caller would. */
static void streamed(const char *d, size_t n, const ng_xml_options *opt,
                     int events, size_t cut, int ncut, size_t step,
                     outcome *o) {
  ng_xml_stream_config cfg;
  ng_xml_events ev;
  ng_xml_stream *s;
  size_t at = 0, next;

  memset(o, 0, sizeof *o);
  memset(&cfg, 0, sizeof cfg);
  cfg.opt = opt;
  if (events) {
    ev = rec_events(&o->r);
    cfg.events = &ev;
  }
  assert_int_equal(ng_xml_stream_new(&cfg, &s), NG_OK);
  o->rc = NG_OK;
  while (at < n && o->rc == NG_OK) {
    next = ncut ? (at < cut ? cut : n) : at + step;
    if (next > n)
      next = n;
    o->rc = feed_copy(s, d + at, next - at, &o->err);
    at = next;
  }
  if (o->rc == NG_OK)
    o->rc = ng_xml_stream_finish(s, events ? NULL : &o->doc, &o->err);
  ng_xml_stream_free(s);
  rec_close(&o->r);
}

/* Asserts that b (streamed) is a (one-shot); names the case on failure. */
static void same(outcome *a, outcome *b, const char *name, const char *how) {
  int ok = a->rc == b->rc;

  if (ok && a->rc != NG_OK)
    ok = a->err.code == b->err.code && a->err.offset == b->err.offset &&
         a->err.line == b->err.line && a->err.column == b->err.column &&
         a->err.depth == b->err.depth;
  if (ok && a->rc == NG_OK && a->doc != NULL)
    ok = b->doc != NULL &&
         ng_xml_equal(ng_xml_doc_root(a->doc), ng_xml_doc_root(b->doc));
  if (ok && a->r.len + b->r.len != 0)
    ok = a->r.len == b->r.len && memcmp(a->r.buf, b->r.buf, a->r.len) == 0;
  if (!ok)
    fail_msg("%s, %s: one-shot rc %d (%s) at %zu:%zu:%zu depth %zu, "
             "streamed rc %d (%s) at %zu:%zu:%zu depth %zu",
             name, how, a->rc, a->err.msg, a->err.offset, a->err.line,
             a->err.column, a->err.depth, b->rc, b->err.msg, b->err.offset,
             b->err.line, b->err.column, b->err.depth);
}

/* True when d calls for an encoding other than UTF-8 (streams answer
 * NG_ENOTSUP for now): zero bytes or a UTF-16 BOM up front, or a declared
 * encoding that is not UTF-8. */
static int not_utf8(const char *d, size_t n) {
  const char *e, *lim = d + (n < 256 ? n : 256);
  size_t i;

  for (i = 0; i < 4 && i < n; i++)
    if (d[i] == 0 || (unsigned char)d[i] >= 0xFE)
      return 1;
  for (e = d; e + 9 < lim && strncmp(e, "encoding", 8) != 0; e++)
    ;
  if (e + 9 >= lim)
    return 0;
  while (e < lim && *e != '"' && *e != '\'')
    e++;
  return e + 6 >= lim || (strncasecmp(e + 1, "utf-8", 5) != 0 &&
                          strncasecmp(e + 1, "utf8", 4) != 0);
}

/* One document, one mode: every chunking asked for. */
static void check_chunkings(const char *name, const char *d, size_t n,
                            const ng_xml_options *opt, int events) {
  size_t every = slow_build() ? 64 : 2048, points = slow_build() ? 16 : 400;
  size_t stride = n <= every ? 1 : n / points, k;
  char how[64];
  outcome a, b;

  one_shot(d, n, opt, events, &a);
  for (k = 0; k <= n; k += stride) {
    streamed(d, n, opt, events, k, 1, 0, &b);
    snprintf(how, sizeof how, "split at %zu%s", k, events ? ", events" : "");
    if (b.rc == NG_ENOTSUP && not_utf8(d, n))
      assert_int_equal(b.err.offset, 0);
    else
      same(&a, &b, name, how);
    outcome_free(&b);
  }
  if (!slow_build() || n <= 4096) {
    streamed(d, n, opt, events, 0, 0, 1, &b);
    if (!(b.rc == NG_ENOTSUP && not_utf8(d, n)))
      same(&a, &b, name, events ? "1-byte chunks, events" : "1-byte chunks");
    outcome_free(&b);
  }
  outcome_free(&a);
}

/* The engines that stream (the recursive one does not yet). */
static const ng_xml_engine stream_engines[] = {NG_XML_ITERATIVE,
                                               NG_XML_TRAMPOLINE, NG_XML_LALR};
#define NENGINES (sizeof stream_engines / sizeof stream_engines[0])

/* DOM and events, in the first `engines` stream_engines. */
static void check_both(const char *name, const char *d, size_t n,
                       unsigned flags, size_t engines) {
  ng_xml_options opt;
  size_t e;

  ng_xml_options_default(&opt);
  opt.flags = flags;
  for (e = 0; e < engines; e++) {
    opt.engine = stream_engines[e];
    check_chunkings(name, d, n, &opt, 0);
    check_chunkings(name, d, n, &opt, 1);
  }
}

/* ---------------------------------------------------------- the corpus */

static void test_corpus_every_split(void **state) {
  ng_corpus c;
  size_t i, utf8 = 0;

  (void)state;
  assert_int_equal(ng_corpus_load(&c, "corpus/xml"), 0);
  assert_true(c.n > 100);
  for (i = 0; i < c.n; i++) {
    if (strstr(c.files[i].name, ".xml") == NULL)
      continue;
    utf8 += !not_utf8(c.files[i].data, c.files[i].len);
    check_both(c.files[i].name, c.files[i].data, c.files[i].len, 0, NENGINES);
    if (!slow_build())
      check_both(c.files[i].name, c.files[i].data, c.files[i].len,
                 NG_XML_NAMESPACES | NG_XML_KEEP_CDATA, 1);
  }
  assert_true(utf8 > 300); /* most of the corpus streams */
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
  };
  size_t i;

  (void)state;
  for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
    check_both(docs[i], docs[i], strlen(docs[i]), 0, NENGINES);
    check_both(docs[i], docs[i], strlen(docs[i]), NG_XML_NAMESPACES, 1);
  }
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
  opt.engine = NG_XML_RECURSIVE; /* not streaming yet */
  assert_int_equal(ng_xml_stream_new(&cfg, &s), NG_ENOTSUP);
  assert_null(s);
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
  assert_int_equal(ng_xml_stream_feed(s, utf16 + 3, 7, &err), NG_ENOTSUP);
  assert_int_equal(err.offset, 0);
  ng_xml_stream_free(s);
}

/* ------------------------------------------------------------- limits */

static int feed_steps(ng_xml_stream *s, const char *d, size_t step,
                      ng_error *err) {
  size_t n = strlen(d), at;
  int rc = NG_OK;

  for (at = 0; at < n && rc == NG_OK; at += step)
    rc = feed_copy(s, d + at, at + step > n ? n - at : step, err);
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
  size_t e, k;
  int events;

  (void)state;
  for (e = 0; e < NENGINES; e++)
    for (events = 0; events < 2; events++)
      for (k = 0; k <= sizeof doc - 1; k++) {
        ng_xml_options opt;
        ng_xml_events none;
        ng_xml_stream_config cfg = {&opt, NULL, NULL, NULL};
        ng_failalloc fa;
        ng_xml_stream *s;

        ng_failalloc_init(&fa, 0);
        ng_xml_options_default(&opt);
        opt.engine = stream_engines[e];
        opt.alc = &fa.alc;
        memset(&none, 0, sizeof none);
        if (events)
          cfg.events = &none;
        assert_int_equal(ng_xml_stream_new(&cfg, &s), NG_OK);
        assert_int_equal(feed_copy(s, doc, k, NULL), NG_OK);
        assert_int_equal(feed_copy(s, doc + k, sizeof doc - 1 - k, NULL),
                         NG_OK);
        ng_xml_stream_free(s);
        assert_int_equal(fa.live_blocks, 0);
        assert_false(fa.size_mismatch);
      }
}

static ng_xml_engine sweep_engine;
static int sweep_events;

static int sweep_op(void *arg, const ng_alloc *alc) {
  static const char input[] =
      "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY e 'entity text'>]>"
      "<r a='1' b='&e;'><b>text &e; and a long run of text over chunks</b>"
      "<c><d><e><f><g/></f></e></d></c><![CDATA[cdata]]><!--k--><?p x?></r>";
  ng_xml_options opt;
  ng_xml_events none;
  ng_xml_stream_config cfg = {&opt, NULL, NULL, NULL};
  ng_xml_stream *s;
  ng_xml_doc *doc = NULL;
  size_t at, n = sizeof input - 1;
  ng_error err;
  int rc;

  (void)arg;
  ng_xml_options_default(&opt);
  opt.engine = sweep_engine;
  opt.alc = alc;
  memset(&none, 0, sizeof none);
  if (sweep_events)
    cfg.events = &none;
  rc = ng_xml_stream_new(&cfg, &s);
  if (rc != NG_OK)
    return rc;
  for (at = 0; at < n && rc == NG_OK; at += 7)
    rc = feed_copy(s, input + at, at + 7 > n ? n - at : 7, &err);
  if (rc == NG_OK)
    rc = ng_xml_stream_finish(s, &doc, &err);
  if (rc != NG_OK && rc != NG_ENOMEM)
    fail_msg("rc %d (%s at %zu) instead of NG_ENOMEM", rc, err.msg, err.offset);
  ng_xml_doc_free(doc);
  ng_xml_stream_free(s);
  return rc;
}

static void test_allocation_failures(void **state) {
  size_t e;

  (void)state;
  for (e = 0; e < NENGINES; e++)
    for (sweep_events = 0; sweep_events < 2; sweep_events++) {
      sweep_engine = stream_engines[e];
      assert_true(ng_failalloc_sweep(sweep_op, NULL, 10000) > 0);
    }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tokens_every_split),
      cmocka_unit_test(test_corpus_every_split),
      cmocka_unit_test(test_state_and_encodings),
      cmocka_unit_test(test_limits_across_chunks),
      cmocka_unit_test(test_free_mid_document),
      cmocka_unit_test(test_allocation_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
