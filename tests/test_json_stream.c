/*
 * tests/test_json_stream.c - push parsing (ng_json_stream_*): every
 * chunking gives the one-shot parse's result.
 *
 * Every corpus document through every engine, as a DOM and as events, cut
 * at every split point (a stride of them for the big files) and fed one
 * byte at a time, against ng_json_parse / ng_json_parse_events: an equal
 * DOM, the same event trace, or the same error code, offset, line, column
 * and depth. Then sequences (NDJSON, concatenated, whitespace only, an
 * error in the third document), reset, limits across chunks, freeing mid
 * document, allocation failures across feeds, callbacks that stop.
 *
 * NG_VALGRIND / NG_SANITIZED / NG_TSAN take fewer split points.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../parsers/common/usercall.h"
#include "nestguard.h"
#include "nestguard/json.h"
#include "support/corpus.h"
#include "support/failalloc.h"
#include "support/stream_check.h"
#include "support/testenv.h"

/* ------------------------------------------------------ event traces */

/* Each event a line of the trace (stream_check.h). */
static int ev_so(void *ud) { return ng_test_rec_step(ud, "{"); }
static int ev_eo(void *ud) { return ng_test_rec_step(ud, "}"); }
static int ev_sa(void *ud) { return ng_test_rec_step(ud, "["); }
static int ev_ea(void *ud) { return ng_test_rec_step(ud, "]"); }
static int ev_key(void *ud, const char *k, size_t n) {
  FILE *f = ng_test_rec_file(ud);

  fprintf(f, "k%zu:", n);
  fwrite(k, 1, n, f);
  return ng_test_rec_step(ud, ";");
}
static int ev_scalar(void *ud, const ng_json_value *v) {
  FILE *f = ng_test_rec_file(ud);
  uint64_t bits;

  switch (v->type) {
  case NG_JSON_STRING:
    fprintf(f, "s%u:", (uint32_t)ng_json_len(v));
    fwrite(v->as.s, 1, (uint32_t)ng_json_len(v), f);
    break;
  case NG_JSON_INT:
    fprintf(f, "i%" PRId64, v->as.i);
    break;
  case NG_JSON_UINT:
    fprintf(f, "u%" PRIu64, v->as.u);
    break;
  case NG_JSON_DOUBLE:
    memcpy(&bits, &v->as.d, sizeof bits);
    fprintf(f, "d%016" PRIx64, bits);
    break;
  case NG_JSON_BOOL:
    fprintf(f, "b%d", (int)v->as.b);
    break;
  default:
    fputs("n", f);
    break;
  }
  return ng_test_rec_step(ud, ";");
}

static ng_json_events rec_events(ng_test_rec *r) {
  ng_json_events ev = {ev_so, ev_eo, ev_sa, ev_ea, ev_key, ev_scalar, r};
  return ev;
}

NG_TEST_FMT_DEFINE(json_fmt, json, NULL);

static const int stream_engines[] = {NG_JSON_ITERATIVE, NG_JSON_RECURSIVE,
                                     NG_JSON_TRAMPOLINE, NG_JSON_LALR};
#define NENGINES (sizeof stream_engines / sizeof stream_engines[0])

static void check_all(const char *name, const char *d, size_t n,
                      const ng_json_options *base) {
  ng_json_options opt = *base;
  size_t e;
  int events;

  for (e = 0; e < NENGINES; e++)
    for (events = 0; events < 2; events++) {
      opt.engine = (ng_json_engine)stream_engines[e];
      ng_test_chunkings(&json_fmt, name, d, n, &opt, events,
                        ng_json_engine_name(opt.engine));
    }
}

/* ---------------------------------------------------------- the corpus */

static void test_corpus_every_split(void **state) {
  ng_json_options opt;
  ng_corpus c;
  size_t i;

  (void)state;
  ng_json_options_default(&opt);
  assert_int_equal(ng_corpus_load(&c, "corpus/json"), 0);
  assert_true(c.n > 100);
  for (i = 0; i < c.n; i++)
    check_all(c.files[i].name, c.files[i].data, c.files[i].len, &opt);
  ng_corpus_free(&c);
}

/* Tokens cut at every byte: numbers, literals, escapes, UTF-8, errors at
 * a chunk's end and just after it, lines for the positions. */
static void test_tokens_every_split(void **state) {
  static const char *const docs[] = {
      "[1,-0,12345678901234567890,1.5e300,2e-308,0.1,-1E+2]",
      "{\"a\\u00e9\\ud83d\\ude00\\n\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}",
      "[true,false,null]", "  \n\t 42 \r\n", "[1,\n2,\n\"x\n\"]",
      "[tru]", "[01]", "[+1]", "[.5]", "[1.]", "[-]", "[1e]", "\"\\ud800\"",
      "\"\\u12\"", "\"\xe0\x80\"", "[1 2]", "{\"a\" 1}", "[1]x", "", "   ",
      "[[[[[[[[[[]]]]]]]]]]", "{\"a\":{\"b\":{\"c\":[1,{\"d\":null}]}}}",
      "1e400", "-", "123", "nul", "[\"abc", "{\"k\":[1,2", "\xef\xbb\xbf[]"};
  /* Strings resumed after their escapes (lexer.h), then an error, under
   * the default limits and under max_string 3 (past it before the error:
   * NG_ESTRLIMIT at the string's start, streamed or not); `limited`:
   * escapes that make the decoded length 3 or 4, an error or the end
   * after 3 bytes or 4 or after the stream's carry gave up. */
  static const char *const resumed[] = {
      "[\"a\\nb\\u00e9c\\td\xe2\x82\xac e\\x\"]",
      "[\"\\n\\n\\n\\n\\n\\n\x01\"]", "[\"\\t\xe2\x82\xac\xe0\x80\"]",
      "{\"\\u00e9\\u00e9\\ud83d\\ude00\":\"\\\"\\\\\\/\\b\\f\"}",
      "[\"\\u00e9abcdef\", \"abc\\ud800\\u0041\"]", "\"\\/\\/abc"};
  static const char *const limited[] = {
      "[\"\\u00e9\\u00e9\"]", "[\"\\n\\na\"]", "[\"\\n\\nab\"]",
      "[\"abc\\x\"]",           "[\"abcd\\x\"]", "[\"abc",
      "[\"abcd",                  "[\"ab\\u00e9\x01\"]",
      /* longer than the carry's bound (32 bytes for max_string 3) */
      "[\"abcdefghijklmnopqrstuvwxyz0123456789\\x\"]",
      "[\"abcdefghijklmnopqrstuvwxyz0123456789"};
  static const char *const dups[] = {
      "{\"a\":[1],\"b\":2,\"a\":{\"c\":[3,{\"d\":4,\"d\":[5]}]}}",
      "[{\"k\":{\"k\":1,\"k\":2},\"k\":[]},{\"x\":0,\"x\":\"y\"}]"};
  ng_json_options opt;
  size_t i;

  (void)state;
  ng_json_options_default(&opt);
  for (i = 0; i < sizeof docs / sizeof docs[0]; i++)
    check_all(docs[i], docs[i], strlen(docs[i]), &opt);
  for (i = 0; i < sizeof resumed / sizeof resumed[0]; i++)
    check_all(resumed[i], resumed[i], strlen(resumed[i]), &opt);
  opt.limits.max_string = 3;
  for (i = 0; i < sizeof limited / sizeof limited[0]; i++)
    check_all(limited[i], limited[i], strlen(limited[i]), &opt);
  for (i = 0; i < sizeof resumed / sizeof resumed[0]; i++)
    check_all(resumed[i], resumed[i], strlen(resumed[i]), &opt);
  opt.flags = NG_JSON_ALLOW_LONE_SURROGATES | NG_JSON_BIGINT_REJECT;
  opt.limits.max_depth = 4;
  opt.limits.max_string = 3;
  opt.dupkeys = NG_JSON_DUP_REJECT;
  for (i = 0; i < sizeof docs / sizeof docs[0]; i++)
    check_all(docs[i], docs[i], strlen(docs[i]), &opt);
  /* DUP_LAST rebuilds the node array when the root closes, whatever feed
   * that close comes in. */
  ng_json_options_default(&opt);
  opt.dupkeys = NG_JSON_DUP_LAST;
  for (i = 0; i < sizeof dups / sizeof dups[0]; i++)
    check_all(dups[i], dups[i], strlen(dups[i]), &opt);
}

/* Cut tokens whose chunk goes on for NG__STREAM_SPLIT (256) bytes or more:
 * the carry window then ends where JSON's token_end finds the token's end
 * (a quote after an even run of backslashes, the run perhaps begun before
 * the cut; the byte after a number or literal). Each document is followed
 * by 300 bytes of whitespace so that every early split leaves such a
 * chunk; the result must still be the one-shot's. */
static void test_tokens_cut_before_long_chunks(void **state) {
  static const char *const docs[] = {
      "[\"ab\\\\\",1]", "[\"a\\\"b\\\\\\\"c\\\\\\\\\",2]",
      "{\"k\\\\\\\\\":\"v\\\"\\\\\"}", "[12345,true,false,null,-1.5e+10]",
      "[\"\\u00e9\\n\\\\\"]", "[\"\\\\\\\\\\\\\\\\\\\\\\\\\"]", "[\"abc\\",
      "[\"ab\\\"", "[tru", "[1e+", "[\"\xe2\x82\xac\\\"\x01\"]"};
  char buf[400];
  ng_json_options opt;
  size_t i, n;

  (void)state;
  ng_json_options_default(&opt);
  for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
    n = strlen(docs[i]);
    assert_true(n + 300 < sizeof buf);
    memcpy(buf, docs[i], n);
    memset(buf + n, ' ', 300);
    check_all(docs[i], buf, n + 300, &opt);
  }
}

/* --------------------------------------------------------- sequences */

typedef struct seqrec {
  size_t docs;
  char first[64]; /* each document written back, ';'-separated */
  size_t stop_at; /* nonzero: stop at this document (1-based) */
} seqrec;

static int on_doc(void *ud, ng_json_doc *doc, size_t index) {
  seqrec *r = ud;
  char *out = NULL;
  size_t len = 0;

  assert_int_equal(index, r->docs);
  r->docs++;
  if (doc != NULL) {
    assert_int_equal(
        ng_json_write(ng_json_doc_root(doc), 0, NULL, &out, &len), NG_OK);
    if (strlen(r->first) + len + 2 < sizeof r->first) {
      strcat(r->first, out);
      strcat(r->first, ";");
    }
    free(out);
    ng_json_doc_free(doc);
  }
  return r->stop_at != 0 && r->docs == r->stop_at;
}

/* Tokens longer than the front end's deferral threshold (4 KiB), fed in
 * small chunks: the carry waits for more input until it crosses a power
 * of two instead of lexing the token again at every feed, which would be
 * quadratic (200 KB in 64-byte chunks: ~3,200 lexes of ~100 KB each).
 * Every engine, DOM and events, must still give the one-shot result: a
 * string of letters (the window's end trims its run), one with an escape
 * (not resumable), a long integer, a literal followed by letters (an
 * error), and a string whose control byte late in it is the error. */
static void test_long_tokens_small_chunks(void **state) {
  enum { N = 200000 };
  static const char *const heads[] = {"[\"", "[\"\\n", "[1", "[true", "[\""};
  static const char *const tails[] = {"\"]", "\"]", "]", "]", "\x01\"]"};
  static const size_t steps[] = {64, 1000};
  ng_test_outcome a, b;
  ng_json_options opt;
  char *d = malloc(N + 16);
  size_t i, k, e, n, h;
  int events;

  (void)state;
  assert_non_null(d);
  ng_json_options_default(&opt);
  for (i = 0; i < sizeof heads / sizeof heads[0]; i++) {
    h = strlen(heads[i]);
    memcpy(d, heads[i], h);
    memset(d + h, i == 2 ? '7' : 'a', N);
    n = h + N;
    memcpy(d + n, tails[i], strlen(tails[i]));
    n += strlen(tails[i]);
    for (e = 0; e < NENGINES; e++)
      for (events = 0; events < 2; events++) {
        opt.engine = (ng_json_engine)stream_engines[e];
        ng_test_one_shot(&json_fmt, d, n, &opt, events, &a);
        for (k = 0; k < sizeof steps / sizeof steps[0]; k++) {
          ng_test_streamed(&json_fmt, d, n, &opt, events, NULL, 0, steps[k],
                           &b);
          ng_test_same(&json_fmt, &a, &b, heads[i],
                       ng_json_engine_name(opt.engine),
                       k == 0 ? "64-byte chunks" : "1000-byte chunks");
          ng_test_outcome_free(&json_fmt, &b);
        }
        ng_test_outcome_free(&json_fmt, &a);
      }
  }
  free(d);
}

/* Feeds text in `step`-byte chunks to a SEQ stream of engine e. */
static int run_seq(const char *d, ng_json_engine e, size_t step, int events,
                   seqrec *r, ng_error *err) {
  ng_json_stream_config cfg;
  ng_json_options opt;
  ng_json_events none;
  ng_json_stream *s;
  ng_json_doc *doc = (ng_json_doc *)1;
  size_t n = strlen(d), at;
  int rc = NG_OK;

  ng_json_options_default(&opt);
  opt.engine = e;
  memset(&cfg, 0, sizeof cfg);
  memset(&none, 0, sizeof none);
  cfg.opt = &opt;
  cfg.flags = NG_JSON_STREAM_SEQ;
  cfg.on_document = on_doc;
  cfg.ud = r;
  if (events)
    cfg.events = &none;
  assert_int_equal(ng_json_stream_new(&cfg, &s), NG_OK);
  for (at = 0; at < n && rc == NG_OK; at += step)
    rc = ng_json_stream_feed(s, d + at, at + step > n ? n - at : step, err);
  if (rc == NG_OK) {
    rc = ng_json_stream_finish(s, &doc, err);
    assert_null(doc);
  }
  ng_json_stream_free(s);
  return rc;
}

static void test_sequences(void **state) {
  size_t e, step;
  ng_error err;
  seqrec r;

  (void)state;
  for (e = 0; e < NENGINES; e++)
    for (step = 1; step <= 7; step += 3) {
      memset(&r, 0, sizeof r);
      assert_int_equal(run_seq("{\"a\":1}\n[2]\n\"x\"\n", stream_engines[e],
                               step, 0, &r, &err),
                       NG_OK);
      assert_int_equal(r.docs, 3);
      assert_string_equal(r.first, "{\"a\":1};[2];\"x\";");
      memset(&r, 0, sizeof r); /* concatenated, numbers apart */
      assert_int_equal(
          run_seq("[1][2]{}3 4", stream_engines[e], step, 0, &r, &err),
          NG_OK);
      assert_string_equal(r.first, "[1];[2];{};3;4;");
      memset(&r, 0, sizeof r); /* nothing but whitespace */
      assert_int_equal(run_seq(" \n\t\r\n ", stream_engines[e], step, 0, &r,
                               &err),
                       NG_OK);
      assert_int_equal(r.docs, 0);
      memset(&r, 0, sizeof r);
      assert_int_equal(run_seq("", stream_engines[e], step, 1, &r, &err),
                       NG_OK);
      memset(&r, 0, sizeof r); /* an error in the third document */
      assert_int_equal(run_seq("[1]\n{\"a\":2}\n[3,]\n[4]\n",
                               stream_engines[e], step, 1, &r, &err),
                       NG_ESYNTAX);
      assert_int_equal(r.docs, 2);
      assert_int_equal(err.offset, 15);
      assert_int_equal(err.line, 3);
      assert_int_equal(err.column, 4);
      assert_int_equal(err.depth, 1);
      memset(&r, 0, sizeof r); /* cut short */
      assert_int_equal(run_seq("[1]\n[2", stream_engines[e], step, 0, &r,
                               &err),
                       NG_EEOF);
      assert_int_equal(err.offset, 6);
      assert_int_equal(r.docs, 1);
      memset(&r, 0, sizeof r); /* the callback stops the stream */
      r.stop_at = 2;
      assert_int_equal(run_seq("1 2 3 4", stream_engines[e], step, 0, &r,
                               &err),
                       NG_ECANCELED);
      assert_int_equal(r.docs, 2);
    }
}

/* ------------------------------------------------- reset, state, limits */

static void test_reset_and_state(void **state) {
  ng_json_stream *s;
  ng_json_doc *doc;
  ng_error err;
  size_t e;

  (void)state;
  for (e = 0; e < NENGINES; e++) {
    ng_json_options opt;
    ng_json_stream_config cfg = {&opt, NULL, 0, NULL, NULL, NULL};
    ng_json_options_default(&opt);
    opt.engine = stream_engines[e];
    assert_int_equal(ng_json_stream_new(&cfg, &s), NG_OK);
    assert_int_equal(ng_json_stream_feed(s, "[1,[2", 5, &err), NG_OK);
    ng_json_stream_reset(s); /* mid-document */
    assert_int_equal(ng_json_stream_feed(s, "{\"a\"", 4, &err), NG_OK);
    assert_int_equal(ng_json_stream_feed(s, ":[]}", 4, &err), NG_OK);
    assert_int_equal(ng_json_stream_finish(s, &doc, &err), NG_OK);
    assert_int_equal(ng_json_size(ng_json_doc_root(doc)), 1);
    ng_json_doc_free(doc);
    assert_int_equal(ng_json_stream_finish(s, &doc, &err), NG_ESTATE);
    assert_int_equal(ng_json_stream_feed(s, "1", 1, &err), NG_ESTATE);
    ng_json_stream_reset(s); /* after an error: sticky until then */
    assert_int_equal(ng_json_stream_feed(s, "[1,,", 4, &err), NG_ESYNTAX);
    assert_int_equal(err.offset, 3);
    assert_int_equal(ng_json_stream_feed(s, "2]", 2, &err), NG_ESYNTAX);
    assert_int_equal(ng_json_stream_finish(s, &doc, &err), NG_ESYNTAX);
    assert_null(doc);
    ng_json_stream_reset(s);
    assert_int_equal(ng_json_stream_finish(s, &doc, &err), NG_EEMPTY);
    ng_json_stream_free(s);
  }
  assert_int_equal(ng_json_stream_new(NULL, NULL), NG_EINVAL);
  {
    ng_json_stream_config bad = {NULL, NULL, 0x80, NULL, NULL, NULL};
    assert_int_equal(ng_json_stream_new(&bad, &s), NG_EINVAL);
    assert_null(s);
  }
  ng_json_stream_free(NULL);
}

/* A stream of engine e under limits lim. */
static ng_json_stream *limited(ng_json_engine e, const ng_limits *lim) {
  ng_json_options opt;
  ng_json_stream_config cfg = {&opt, NULL, 0, NULL, NULL, NULL};
  ng_json_stream *s;

  ng_json_options_default(&opt);
  opt.engine = e;
  opt.limits = *lim;
  assert_int_equal(ng_json_stream_new(&cfg, &s), NG_OK);
  return s;
}

/* Feeds chunk (first: once before it) until an error, at most 1000 times;
 * returns it. */
static int feed_until_error(ng_json_stream *s, const char *first,
                            const char *chunk, ng_error *err) {
  int rc = ng_json_stream_feed(s, first, strlen(first), err), i;

  for (i = 0; i < 1000 && rc == NG_OK; i++)
    rc = ng_json_stream_feed(s, chunk, strlen(chunk), err);
  return rc;
}

static void test_limits_across_chunks(void **state) {
  ng_json_stream *s;
  ng_limits lim;
  ng_error err;
  size_t e;

  (void)state;
  for (e = 0; e < NENGINES; e++) {
    ng_limits_default(&lim);
    lim.max_input = 10;
    s = limited(stream_engines[e], &lim);
    assert_int_equal(ng_json_stream_feed(s, "[1,\n2,", 6, &err), NG_OK);
    assert_int_equal(ng_json_stream_feed(s, "3, 4]", 5, &err),
                     NG_EINPUTLIMIT);
    assert_int_equal(err.offset, 10);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 7);
    ng_json_stream_free(s);

    /* max_string across a boundary, and the carry's bound */
    ng_limits_default(&lim);
    lim.max_string = 4;
    s = limited(stream_engines[e], &lim);
    assert_int_equal(ng_json_stream_feed(s, "[\"ab", 4, &err), NG_OK);
    assert_int_equal(ng_json_stream_feed(s, "cde\"]", 5, &err),
                     NG_ESTRLIMIT);
    assert_int_equal(err.offset, 1);
    ng_json_stream_reset(s);
    assert_int_equal(feed_until_error(s, "[\"", "abcdefgh", &err),
                     NG_ESTRLIMIT);
    assert_int_equal(err.offset, 1);
    assert_int_equal(err.depth, 1);
    ng_json_stream_free(s);

    /* max_depth and max_memory */
    ng_limits_default(&lim);
    lim.max_depth = 3;
    s = limited(stream_engines[e], &lim);
    assert_int_equal(ng_json_stream_feed(s, "[[", 2, &err), NG_OK);
    assert_int_equal(ng_json_stream_feed(s, "[[", 2, &err), NG_EDEPTH);
    assert_int_equal(err.offset, 3);
    assert_int_equal(err.depth, 3);
    ng_json_stream_free(s);
    ng_limits_default(&lim);
    lim.max_memory = 600;
    s = limited(stream_engines[e], &lim);
    assert_int_equal(feed_until_error(s, "[", "\"abcdefgh\",", &err),
                     NG_EMEMLIMIT);
    ng_json_stream_free(s);
  }
}

/* -------------------------------------------- freeing, failing, stopping */

static void test_free_mid_document(void **state) {
  static const char doc[] = "{\"a\":[1,{\"b\":[[[\"xyz\",2.5";

  (void)state;
  ng_test_free_mid_document(&json_fmt, stream_engines, NENGINES, doc,
                            sizeof doc - 1);
}

static void test_allocation_failures(void **state) {
  static const char input[] =
      "{\"key\":[1,2,{\"deep\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"x\"]]]]]]]]]]]"
      "]]]]]]]]]]]]]]]]]]]]],\"s\":\"long string over the chunk size\"}],"
      "\"n\":12345.678e3}";

  (void)state;
  ng_test_allocation_failures(&json_fmt, stream_engines, NENGINES, input,
                              sizeof input - 1);
}

/* An event callback stops the stream: NG_ECANCELED at the event's token,
 * as in a one-shot parse, and nothing more is called. */
static void test_callback_stops(void **state) {
  static const char doc[] = "[1,{\"a\":[true,\"s\"]},null]";
  ng_json_options opt;
  size_t e, k, stop;

  (void)state;
  ng_json_options_default(&opt);
  for (e = 0; e < NENGINES; e++)
    for (stop = 1; stop <= 10; stop++)
      for (k = 0; k < sizeof doc; k += 3) {
        ng_json_events ev;
        ng_test_outcome a, b;
        ng_json_stream_config cfg = {&opt, &ev, 0, NULL, NULL, NULL};
        ng_json_stream *s;

        opt.engine = (ng_json_engine)stream_engines[e];
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        a.r.stop_at = b.r.stop_at = stop;
        ev = rec_events(&a.r);
        a.rc = ng_json_parse_events(doc, sizeof doc - 1, &opt, &ev, &a.err);
        assert_int_equal(a.rc, NG_ECANCELED);
        ev = rec_events(&b.r);
        assert_int_equal(ng_json_stream_new(&cfg, &s), NG_OK);
        b.rc = ng_json_stream_feed(s, doc, k, &b.err);
        if (b.rc == NG_OK)
          b.rc = ng_json_stream_feed(s, doc + k, sizeof doc - 1 - k, &b.err);
        if (b.rc == NG_OK)
          b.rc = ng_json_stream_finish(s, NULL, &b.err);
        ng_json_stream_free(s);
        ng_test_same(&json_fmt, &a, &b, doc, ng_json_engine_name(opt.engine),
                     "stop");
        ng_test_outcome_free(&json_fmt, &a);
        ng_test_outcome_free(&json_fmt, &b);
      }
}

/* Bytes a stream of `engine` holds from its allocator, in events mode,
 * parked where the bench's open_ document at depth 10 is cut (ten
 * containers open, waiting for a value); then it finishes. */
static size_t parked_bytes(ng_json_engine engine) {
  static const char doc[] = "{\"a\":[{\"a\":[{\"a\":[{\"a\":[{\"a\":[";
  static const char rest[] = "1]}]}]}]}]}";
  static const ng_json_events none;
  ng_json_options opt;
  ng_json_stream_config cfg = {&opt, &none, 0, NULL, NULL, NULL};
  ng_failalloc fa;
  ng_json_stream *s;
  size_t live;

  ng_failalloc_init(&fa, 0);
  ng_json_options_default(&opt);
  opt.engine = engine;
  opt.alc = &fa.alc;
  assert_int_equal(ng_json_stream_new(&cfg, &s), NG_OK);
  assert_int_equal(ng_json_stream_feed(s, doc, sizeof doc - 1, NULL), NG_OK);
  live = fa.live_bytes;
  assert_int_equal(ng_json_stream_feed(s, rest, sizeof rest - 1, NULL),
                   NG_OK);
  assert_int_equal(ng_json_stream_finish(s, NULL, NULL), NG_OK);
  ng_json_stream_free(s);
  assert_int_equal(fa.live_blocks, 0);
  return live;
}

/* What an explicit-stack stream keeps parked at depth 10 (issue 13's
 * million-stream case): the stream's block alone for the iterative and
 * trampoline engines (their stack inline), and for LALR its state and a
 * lemon stack of 16 entries, not lempar's first 100 (800 bytes). The
 * block is at most 488 bytes besides the user allocator's guard: 512 per
 * stream with libc's 8-byte header, rounded to 16, and the caller's
 * pointer to it (the goal). */
static void test_parked_footprint(void **state) {
  size_t it = parked_bytes(NG_JSON_ITERATIVE);

  (void)state;
  assert_in_range(it, sizeof(ng__alc_guard) + 1, sizeof(ng__alc_guard) + 488);
  assert_int_equal(parked_bytes(NG_JSON_TRAMPOLINE), it);
  assert_in_range(parked_bytes(NG_JSON_LALR), it + 1, it + 256);
}

/* What a recursive stream's task keeps parked at depth 10, from its
 * scheduler's allocator: the task's struct and its stack copied off the
 * shared stack (two streams on one shared stack, so that the second's
 * run copies the first's out). With the block that is the 1 KB
 * goal: 232 + 256 bytes with gcc -O2 on x86-64, 240 + 272 with malloc's
 * headers; other builds' frames differ, so they only see it work. */
static void test_parked_task_footprint(void **state) {
  static const char doc[] = "{\"a\":[{\"a\":[{\"a\":[{\"a\":[{\"a\":[";
  static const ng_json_events none;
  ng_json_options opt;
  ng_json_stream_config cfg = {&opt, &none, 0, NULL, NULL, NULL};
  ng_sched_opts so;
  ng_stack_stats st;
  ng_failalloc fa;
  ng_json_stream *s[2];
  size_t before, task;
  int i;

  (void)state;
  ng_failalloc_init(&fa, 0);
  memset(&so, 0, sizeof so);
  so.alc = &fa.alc;
  so.shared_stacks = 1;
  assert_int_equal(ng_sched_new(&cfg.sched, &so), NG_OK);
  ng_json_options_default(&opt);
  opt.engine = NG_JSON_RECURSIVE;
  before = fa.live_bytes;
  for (i = 0; i < 2; i++) {
    assert_int_equal(ng_json_stream_new(&cfg, &s[i]), NG_OK);
    assert_int_equal(ng_json_stream_feed(s[i], doc, sizeof doc - 1, NULL),
                     NG_OK);
  }
  ng_sched_stats(cfg.sched, &st);
  assert_in_range(st.saved_bytes, 160, 65536); /* ten levels at least */
  task = (fa.live_bytes - before - st.saved_bytes) / 2 + st.saved_bytes;
  print_message("      parked task at depth 10: %zu bytes (%zu of stack)\n",
                task, st.saved_bytes);
#if defined(__x86_64__) && defined(__OPTIMIZE__)
  if (!ng_test_sanitized())
    assert_true(task <= 232 + 256);
#endif
  for (i = 0; i < 2; i++)
    ng_json_stream_free(s[i]);
  ng_sched_free(cfg.sched);
  assert_int_equal(fa.live_blocks, 0);
}

/* A nested document of `levels` arrays around a 40-byte string each,
 * in `out` (room for levels * 46 + 1 bytes); its length. */
static size_t nested_strings(char *out, size_t levels) {
  size_t i, n = 0;

  for (i = 0; i < levels; i++)
    n += (size_t)sprintf(out + n, "[\"%040zu\",", i);
  n += (size_t)sprintf(out + n, "0");
  for (i = 0; i < levels; i++)
    out[n++] = ']';
  return n;
}

/* The nested document doc[0..n) in 4 KiB chunks through a recursive
 * stream given no scheduler; its DOM equal to the one-shot parse's. */
static void stream_nested(const char *doc, size_t n) {
  ng_json_options opt;
  ng_json_stream_config cfg = {0};
  ng_json_stream *s;
  ng_json_doc *d = NULL, *one = NULL;
  size_t i;

  ng_json_options_default(&opt);
  opt.engine = NG_JSON_RECURSIVE;
  cfg.opt = &opt;
  assert_int_equal(ng_json_stream_new(&cfg, &s), NG_OK);
  for (i = 0; i < n; i += 4096)
    assert_int_equal(
        ng_json_stream_feed(s, doc + i, n - i < 4096 ? n - i : 4096, NULL),
        NG_OK);
  assert_int_equal(ng_json_stream_finish(s, &d, NULL), NG_OK);
  ng_json_stream_free(s);
  assert_int_equal(ng_json_parse(doc, n, &opt, &one, NULL), NG_OK);
  assert_true(ng_json_equal(ng_json_doc_root(d), ng_json_doc_root(one)));
  ng_json_doc_free(one);
  ng_json_doc_free(d);
}

enum { KEPT_LEVELS = 2000 };
static char kept_doc[KEPT_LEVELS * 46 + 1];
static size_t kept_len;

static void *kept_thread(void *arg) {
  (void)arg;
  stream_nested(kept_doc, kept_len);
  return NULL;
}

/* A recursive stream given no scheduler makes one for the thread, and the
 * last such stream to go keeps it, unbound, for the next (ng__sched_keep):
 * its segment cache drained, so the next document's 2,000 levels take new
 * segments (ASan and valgrind watch them). ng_sched_new on the thread
 * still succeeds (it frees the kept one); a stream given none while the
 * caller's is bound fails with NG_EBUSY as before; a thread that exits
 * frees its kept scheduler (else a leak under check-asan and
 * check-valgrind). */
static void test_thread_scheduler_kept(void **state) {
  ng_json_options opt;
  ng_json_stream_config cfg = {0};
  ng_json_stream *s;
  ng_sched *mine;
  pthread_t th;

  (void)state;
  kept_len = nested_strings(kept_doc, KEPT_LEVELS);
  stream_nested(kept_doc, kept_len);
  stream_nested(kept_doc, kept_len); /* on the kept scheduler */
  assert_int_equal(ng_sched_new(&mine, NULL), NG_OK);
  ng_json_options_default(&opt);
  opt.engine = NG_JSON_RECURSIVE;
  cfg.opt = &opt;
  assert_int_equal(ng_json_stream_new(&cfg, &s), NG_EBUSY);
  ng_sched_free(mine);
  stream_nested(kept_doc, kept_len); /* a new one, kept in turn */
  assert_int_equal(pthread_create(&th, NULL, kept_thread, NULL), 0);
  assert_int_equal(pthread_join(th, NULL), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tokens_every_split),
      cmocka_unit_test(test_tokens_cut_before_long_chunks),
      cmocka_unit_test(test_corpus_every_split),
      cmocka_unit_test(test_long_tokens_small_chunks),
      cmocka_unit_test(test_sequences),
      cmocka_unit_test(test_reset_and_state),
      cmocka_unit_test(test_limits_across_chunks),
      cmocka_unit_test(test_free_mid_document),
      cmocka_unit_test(test_allocation_failures),
      cmocka_unit_test(test_callback_stops),
      cmocka_unit_test(test_parked_footprint),
      cmocka_unit_test(test_parked_task_footprint),
      cmocka_unit_test(test_thread_scheduler_kept),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
