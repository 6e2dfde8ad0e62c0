/*
 * tests/test_xml_engines.c - the four XML engines agree, and what only
 * some engines have: the recursive engine's machine-stack ceiling
 * (NG_ESTACK) and frame size, the LALR engine's stack bounded by
 * max_depth, the explicit stacks released on every path.
 *
 * Agreement means the same result as the iterative engine: the same DOM
 * (ng_xml_equal), or the same error code, offset, line, column, depth and
 * message. The corpus replay (test_corpus.c) compares engines on
 * corpus/xml; here on every short sequence of markup atoms, random
 * documents with entities and every truncation and byte change of them,
 * depth limits met exactly and passed by one (through entities too),
 * callbacks that stop at every event, and allocation failures at every
 * allocation of deep documents.
 *
 * NG_VALGRIND=1 and NG_SANITIZED=1 shrink the exhaustive and deep parts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nestguard.h"
#include "support/failalloc.h"
#include "support/testenv.h"
#include "support/textbuf.h"

#define FOR_EACH_ENGINE(e)                                                     \
  for ((e) = NG_XML_ITERATIVE; (unsigned)(e) < NG_XML_ENGINE_COUNT;            \
       (e) = (ng_xml_engine)((e) + 1))

static int slow_build(void) {
  return ng_test_valgrind() || ng_test_sanitized();
}

static void opts(ng_xml_options *o, ng_xml_engine e, size_t max_depth,
                 const ng_alloc *alc) {
  ng_xml_options_default(o);
  o->engine = e;
  o->limits.max_depth = max_depth;
  o->alc = alc;
}

/* Parses s[0..n) under base's options with every engine; fails the test
 * (printing the input) unless each result equals the iterative engine's.
 * Returns that result's code. */
static int expect_same_opt(const char *s, size_t n,
                           const ng_xml_options *base) {
  ng_xml_options o = *base;
  ng_xml_doc *ref = NULL, *d;
  ng_error e1, e2;
  ng_xml_engine e;
  int r1, r2, same;

  o.engine = NG_XML_ITERATIVE;
  r1 = ng_xml_parse(s, n, &o, &ref, &e1);
  for (e = NG_XML_RECURSIVE; (unsigned)e < NG_XML_ENGINE_COUNT;
       e = (ng_xml_engine)(e + 1)) {
    d = NULL;
    o.engine = e;
    r2 = ng_xml_parse(s, n, &o, &d, &e2);
    same = r1 == r2 && ng_test_same_error(&e1, &e2);
    if (same && r1 == NG_OK)
      same = ng_xml_equal(ng_xml_doc_root(ref), ng_xml_doc_root(d));
    if (!same)
      print_error("%s differs on [%.*s]: iterative %s@%zu '%s', %s@%zu "
                  "'%s'\n",
                  ng_xml_engine_name(e), (int)n, s, ng_err_name(r1),
                  e1.offset, e1.msg, ng_err_name(r2), e2.offset, e2.msg);
    ng_xml_doc_free(d);
    assert_true(same);
  }
  ng_xml_doc_free(ref);
  return r1;
}

static int expect_same(const char *s, size_t n, size_t max_depth) {
  ng_xml_options o;
  opts(&o, NG_XML_ITERATIVE, max_depth, NULL);
  return expect_same_opt(s, n, &o);
}

/* ------------------------------------------------ every short sequence */

/* Atoms: every token kind in and out of place, lexical errors, entities
 * that hold markup, a second DOCTYPE. */
static const char *const atoms[] = {
    "<a>",           "</a>",       "<b/>",
    "x",             "<!--c-->",   "<?p d?>",
    "<![CDATA[]]>",  "&e;",        "<!DOCTYPE a [<!ENTITY e '<b/>t'>]>",
    "</b>",          "<?xml version='1.0'?>", "&#0;",
    "<",             " ",          "<!DOCTYPE b>",
    "&x;",           "<b a='1' a='2'/>"};
#define N_ATOMS (sizeof atoms / sizeof atoms[0])

/* Every sequence of up to 4 atoms (3 under valgrind or sanitizers), with
 * max_depth 1 and unlimited: each reaches a grammar position with each
 * kind of token next, so every engine's every rejection is compared. */
static void test_exhaustive_short_inputs(void **state) {
  size_t len, idx[4], i, total = 0, maxlen = slow_build() ? 3 : 4;
  int accepted = 0;
  textbuf b = {NULL, 0, 0};
  (void)state;

  for (len = 1; len <= maxlen; len++) {
    memset(idx, 0, sizeof idx);
    for (;;) {
      b.n = 0;
      for (i = 0; i < len; i++)
        tb_puts(&b, atoms[idx[i]]);
      accepted += expect_same(b.p, b.n, 0) == NG_OK;
      expect_same(b.p, b.n, 1);
      total++;
      for (i = 0; i < len && ++idx[i] == N_ATOMS; i++)
        idx[i] = 0;
      if (i == len)
        break;
    }
  }
  print_message("  %zu sequences, %d accepted, all engines agree\n", total,
                accepted);
  assert_true(accepted > (maxlen == 4 ? 400 : 50));
  free(b.p);
}

/* ------------------------------------------------- random documents */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static unsigned rng(unsigned n) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (unsigned)(rng_state % n);
}

static const char *const names[] = {"a", "b", "ns:c", "d-e", "\xc3\xa9t"};

/* Content items: text with references, comments, PIs, CDATA, entities
 * that hold text or elements, and nested elements down to depth 0. */
static void gen_element(textbuf *b, int depth) {
  static const char *const items[] = {
      "text", "&amp;&lt;&#x41;", "&t;", "&m;", "<!--c-->", "<?pi x?>",
      "<![CDATA[<x>]]>", "\n", "&n;"};
  const char *name = names[rng(5)];
  unsigned k, n = rng(4);

  tb_puts(b, "<");
  tb_puts(b, name);
  if (rng(2))
    tb_puts(b, " x='1&amp;' y=\"&t;\"");
  if (depth == 0 || rng(4) == 0) {
    tb_puts(b, "/>");
    return;
  }
  tb_puts(b, ">");
  for (k = 0; k < n; k++) {
    if (rng(3) == 0)
      gen_element(b, depth - 1);
    else
      tb_puts(b, items[rng(sizeof items / sizeof items[0])]);
  }
  tb_puts(b, "</");
  tb_puts(b, name);
  tb_puts(b, ">");
}

static void gen_document(textbuf *b) {
  b->n = 0;
  if (rng(2))
    tb_puts(b, "<?xml version='1.0' encoding='UTF-8'?>");
  tb_puts(b, "<!DOCTYPE r [<!ENTITY t 'tt'><!ENTITY m '<i k=\"v\">&t;</i>'>"
           "<!ENTITY n '&m;&m;'><!ATTLIST a z CDATA 'dz'>]>");
  tb_puts(b, "<r>");
  gen_element(b, 1 + (int)rng(6));
  tb_puts(b, "</r><!--end-->");
}

/* Random documents, each whole, truncated at every byte and with a byte
 * changed at every position, with max_depth unlimited, 3 and 4: the same
 * result in every engine. */
static void test_random_documents(void **state) {
  static const char swap[] = "<>&/ x;'";
  size_t docs = slow_build() ? 8 : 60, d, i, ok = 0;
  textbuf b = {NULL, 0, 0};
  char saved;
  (void)state;

  for (d = 0; d < docs; d++) {
    gen_document(&b);
    ok += expect_same(b.p, b.n, 0) == NG_OK;
    expect_same(b.p, b.n, 3);
    expect_same(b.p, b.n, 4);
    for (i = 0; i < b.n; i++) {
      expect_same(b.p, i, 0);
      saved = b.p[i];
      b.p[i] = swap[rng(sizeof swap - 1)];
      expect_same(b.p, b.n, 0);
      b.p[i] = saved;
    }
  }
  assert_int_equal(ok, docs); /* the generator makes well-formed ones */
  free(b.p);
}

/* ---------------------------------------------------------- max_depth */

/* Depth max_depth parses, max_depth + 1 is NG_EDEPTH at the start tag one
 * too deep, in every engine: plain elements, empty-element tags at the
 * bottom, and elements that come from an entity's replacement text. */
static void test_max_depth_exact(void **state) {
  static const char dtd[] = "<!DOCTYPE a [<!ENTITY e '<a><a/></a>'>]>";
  const size_t limit = 300;
  ng_xml_options o;
  ng_error err;
  ng_xml_doc *d;
  ng_xml_engine e;
  textbuf open = tb_repeat("<a>", limit), close = tb_repeat("</a>", limit);
  textbuf in = {NULL, 0, 0};
  (void)state;

  FOR_EACH_ENGINE(e) {
    opts(&o, e, limit, NULL);
    in.n = 0;
    tb_put(&in, open.p, open.n);
    tb_put(&in, close.p, close.n);
    assert_int_equal(ng_xml_parse(in.p, in.n, &o, &d, &err), NG_OK);
    ng_xml_doc_free(d);
    in.n = 0;
    tb_put(&in, open.p, open.n - 3); /* limit - 1 open, then <b/> */
    tb_puts(&in, "<b/>");
    tb_put(&in, close.p, close.n - 4);
    assert_int_equal(ng_xml_parse(in.p, in.n, &o, &d, &err), NG_OK);
    ng_xml_doc_free(d);
    in.n = 0;
    tb_put(&in, open.p, open.n);
    tb_puts(&in, "<b/>");
    assert_int_equal(ng_xml_parse(in.p, in.n, &o, &d, &err), NG_EDEPTH);
    assert_int_equal(err.offset, open.n);
    assert_int_equal(err.depth, limit);
    /* Through an entity: its inner <a/> is one level too deep. */
    in.n = 0;
    tb_puts(&in, dtd);
    tb_put(&in, open.p, open.n - 3);
    tb_puts(&in, "&e;");
    assert_int_equal(ng_xml_parse(in.p, in.n, &o, &d, &err), NG_EDEPTH);
    assert_int_equal(err.offset, strlen(dtd) + open.n - 3); /* the &e; */
    assert_int_equal(err.depth, limit);
  }
  expect_same(in.p, in.n, limit);
  free(open.p);
  free(close.p);
  free(in.p);
}

/* ----------------------------------------------- events that stop */

typedef struct stopper {
  size_t seen, stop_at;
} stopper;

static int stop_now(stopper *s) { return ++s->seen == s->stop_at; }
static int st_start(void *ud, const char *n, size_t l,
                    const ng_xml_event_attr *a, size_t na) {
  (void)n, (void)l, (void)a, (void)na;
  return stop_now(ud);
}
static int st_end(void *ud, const char *n, size_t l) {
  (void)n, (void)l;
  return stop_now(ud);
}
static int st_data(void *ud, const char *s, size_t l, int c) {
  (void)s, (void)l, (void)c;
  return stop_now(ud);
}
static int st_comment(void *ud, const char *s, size_t l) {
  (void)s, (void)l;
  return stop_now(ud);
}
static int st_pi(void *ud, const char *t, size_t tl, const char *s,
                 size_t l) {
  (void)t, (void)tl, (void)s, (void)l;
  return stop_now(ud);
}
static int st_doctype(void *ud, const char *n, size_t nl, const char *p,
                      size_t pl, const char *s, size_t sl) {
  (void)n, (void)nl, (void)p, (void)pl, (void)s, (void)sl;
  return stop_now(ud);
}

/* A callback that stops at the k-th event, for every k: NG_ECANCELED at
 * the same offset in every engine, after the same number of events. */
static void test_events_stop_everywhere(void **state) {
  static const char doc[] =
      "<!DOCTYPE r [<!ENTITY m '<i>in</i>'>]><!--a--><r x='1'>t<b/>&m;"
      "<![CDATA[c]]><?p q?><s><u>v</u></s></r><!--z-->";
  ng_xml_events ev = {st_start,   st_end, st_data, st_comment, st_pi,
                      st_doctype, NULL,   NULL,    NULL,       NULL};
  ng_xml_options o;
  ng_error ref, err;
  stopper s;
  size_t k, total = 0;
  ng_xml_engine e;
  (void)state;

  for (k = 1;; k++) {
    FOR_EACH_ENGINE(e) {
      s.seen = 0;
      s.stop_at = k;
      ev.ud = &s;
      opts(&o, e, 0, NULL);
      if (ng_xml_parse_events(doc, sizeof doc - 1, &o, &ev, &err) == NG_OK) {
        total = s.seen;
        break;
      }
      assert_int_equal(err.code, NG_ECANCELED);
      assert_int_equal(s.seen, k);
      if (e == NG_XML_ITERATIVE)
        ref = err;
      assert_true(ng_test_same_error(&ref, &err));
    }
    if (total != 0)
      break;
  }
  assert_int_equal(total, k - 1);
  assert_true(total >= 15);
}

/* ------------------------------------------- allocation failures */

typedef struct sweep_arg {
  const textbuf *in;
  ng_xml_engine e;
  int events;
} sweep_arg;

static int sweep_op(void *arg, const ng_alloc *alc) {
  const sweep_arg *a = arg;
  ng_xml_options o;
  ng_xml_doc *d = NULL;
  int rc;

  opts(&o, a->e, 0, alc);
  if (a->events)
    rc = ng_xml_parse_events(a->in->p, a->in->n, &o, NULL, NULL);
  else
    rc = ng_xml_parse(a->in->p, a->in->n, &o, &d, NULL);
  ng_xml_doc_free(d);
  assert_true(rc == NG_OK || rc == NG_ENOMEM);
  return rc != NG_OK;
}

/* Every allocation of a parse that grows each engine's own stack (names
 * past their inline buffer, trampoline frames, lemon's stack, the
 * recursive engine's segments), with entities and attributes, fails in
 * turn: NG_ENOMEM, nothing leaked (the sweep checks), in every engine,
 * with a DOM and with events. */
static void test_alloc_failure_every_engine(void **state) {
  const size_t deep = slow_build() ? 400 : 3000;
  textbuf open = tb_repeat("<long-element-name>", deep);
  textbuf close = tb_repeat("</long-element-name>", deep);
  textbuf in = {NULL, 0, 0};
  sweep_arg a;
  long runs;
  (void)state;

  tb_puts(&in, "<!DOCTYPE r [<!ENTITY e '<i a=\"1\">x</i>'>]><r b='&#65;'>");
  tb_put(&in, open.p, open.n);
  tb_puts(&in, "&e;t<![CDATA[c]]>");
  tb_put(&in, close.p, close.n);
  tb_puts(&in, "</r>");
  a.in = &in;
  FOR_EACH_ENGINE(a.e) {
    for (a.events = 0; a.events < 2; a.events++) {
      runs = ng_failalloc_sweep(sweep_op, &a, 100000);
      print_message("  %s %s: %ld failing runs\n", ng_xml_engine_name(a.e),
                    a.events ? "events" : "dom", runs);
      assert_true(runs >= 3);
    }
  }
  free(open.p);
  free(close.p);
  free(in.p);
}

/* ------------------------------------------------- recursive engine */

/* A lowered max_stack stops a deep document with NG_ESTACK at a start
 * tag (with the depth reached, that element counted, as in JSON), deeper for a higher ceiling, with a DOM
 * and without; nothing leaks. max_depth applies first. */
static void test_recursive_estack(void **state) {
  static const size_t ceil[] = {(size_t)64 << 10, (size_t)256 << 10,
                                (size_t)1 << 20};
  textbuf in = tb_repeat("<a>", 200000);
  ng_xml_options o;
  ng_xml_doc *d;
  ng_failalloc fa;
  ng_error e;
  size_t i, prev = 0;
  (void)state;

  for (i = 0; i < sizeof ceil / sizeof ceil[0]; i++) {
    ng_failalloc_init(&fa, 0);
    opts(&o, NG_XML_RECURSIVE, 0, &fa.alc);
    o.limits.max_stack = ceil[i];
    assert_int_equal(ng_xml_parse_events(in.p, in.n, &o, NULL, &e),
                     NG_ESTACK);
    print_message("  max_stack %zu KiB: NG_ESTACK at depth %zu\n",
                  ceil[i] >> 10, e.depth);
    assert_int_equal(e.offset % 3, 0);
    assert_int_equal(e.depth, e.offset / 3 + 1); /* entered, no stack */
    assert_true(e.offset > prev);
    prev = e.offset;
    assert_int_equal(ng_xml_parse(in.p, in.n, &o, &d, &e), NG_ESTACK);
    assert_null(d);
    assert_int_equal(fa.live_blocks, 0);
    assert_false(fa.size_mismatch);
  }
  opts(&o, NG_XML_RECURSIVE, 1000, NULL);
  o.limits.max_stack = (size_t)1 << 20;
  assert_int_equal(ng_xml_parse_events(in.p, in.n, &o, NULL, &e), NG_EDEPTH);
  assert_int_equal(e.offset, 3000);
  free(in.p);
}

/* Machine-stack addresses of successive start_element events. */
typedef struct frames {
  uintptr_t *at;
  size_t n, cap;
} frames;

static int ev_frame(void *ud, const char *n, size_t l,
                    const ng_xml_event_attr *a, size_t na) {
  frames *f = ud;
  volatile char here = 0;
  (void)n, (void)l, (void)a, (void)na;
  if (f->n < f->cap)
    f->at[f->n++] = (uintptr_t)&here;
  return here;
}

/* Bytes of machine stack per element: the most frequent distance between
 * the callbacks of successive levels (the rare larger ones are moves to a
 * new segment; callbacks run on the thread stack only near a segment's
 * end, so most run in place). Small enough for 1e7 levels in the default
 * 1 GiB ceiling. */
static void test_recursive_frame_size(void **state) {
  const size_t levels = 20000;
  textbuf in = tb_repeat("<a>", levels);
  ng_xml_events ev;
  ng_xml_options o;
  frames f;
  size_t i, j, n, best = 0, best_n = 0, dist;
  (void)state;

  memset(&ev, 0, sizeof ev);
  ev.start_element = ev_frame;
  f.at = calloc(levels, sizeof *f.at);
  assert_non_null(f.at);
  f.n = 0;
  f.cap = levels;
  ev.ud = &f;
  opts(&o, NG_XML_RECURSIVE, 0, NULL);
  assert_int_equal(ng_xml_parse_events(in.p, in.n, &o, &ev, NULL), NG_EEOF);
  assert_int_equal(f.n, levels);
  for (i = 0; i + 1 < levels && best_n <= levels / 2; i += 97) {
    dist = f.at[i] > f.at[i + 1] ? f.at[i] - f.at[i + 1] : 0;
    for (n = 0, j = 0; j + 1 < levels; j++)
      n += dist != 0 && f.at[j] - f.at[j + 1] == dist;
    if (n > best_n) {
      best_n = n;
      best = dist;
    }
  }
  print_message("  recursive: %zu bytes/element\n", best);
  assert_true(best > 0 && best <= 100);
  free(f.at);
  free(in.p);
}

/* ------------------------------------------------------ LALR engine */

/* lemon's stack grows through the parse's allocator: 200,000 open
 * elements unlimited take more than 200,000 entries' worth of memory;
 * with max_depth 1,000 the parse stops at depth 1,000 and the stack
 * stays small. Released on every path. */
static void test_lalr_stack_bounded(void **state) {
  textbuf in = tb_repeat("<a>", 200000);
  ng_xml_options o;
  ng_failalloc fa;
  ng_error e;
  size_t unlimited;
  (void)state;

  ng_failalloc_init(&fa, 0);
  opts(&o, NG_XML_LALR, 0, &fa.alc);
  assert_int_equal(ng_xml_parse_events(in.p, in.n, &o, NULL, &e), NG_EEOF);
  unlimited = fa.peak_bytes;
  assert_int_equal(fa.live_blocks, 0);
  ng_failalloc_init(&fa, 0);
  o.limits.max_depth = 1000;
  assert_int_equal(ng_xml_parse_events(in.p, in.n, &o, NULL, &e), NG_EDEPTH);
  assert_int_equal(e.depth, 1000);
  assert_int_equal(fa.live_blocks, 0);
  print_message("  lalr: peak %zu KiB unlimited, %zu KiB at max_depth "
                "1000\n",
                unlimited >> 10, fa.peak_bytes >> 10);
  assert_true(unlimited > (size_t)200000 * 4);
  assert_true(fa.peak_bytes < (size_t)64 << 10);
  free(in.p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_exhaustive_short_inputs),
      cmocka_unit_test(test_random_documents),
      cmocka_unit_test(test_max_depth_exact),
      cmocka_unit_test(test_events_stop_everywhere),
      cmocka_unit_test(test_alloc_failure_every_engine),
      cmocka_unit_test(test_recursive_estack),
      cmocka_unit_test(test_recursive_frame_size),
      cmocka_unit_test(test_lalr_stack_bounded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
