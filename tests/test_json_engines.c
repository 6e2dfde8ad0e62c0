/*
 * tests/test_json_engines.c - behaviour specific to the recursive and LALR
 * engines: lemon's stack (grown dynamically through the parse's allocator,
 * bounded by max_depth, released on every path), the recursive engine's
 * machine-stack ceiling (NG_ESTACK) and frame size, max_depth at the exact
 * limit, 10,000,000 levels with max_depth = 0, allocation failure sweeps,
 * and exhaustive agreement with the iterative engine on short inputs.
 *
 * NG_VALGRIND=1 scales deep inputs to 1e5 levels, NG_SANITIZED=1 to 1e6.
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
#include "nestguard/json.h"
#include "support/failalloc.h"

/* Internal: lemon's stack entry size (parsers/json/lalr.y). */
size_t ng__lalr_stack_entry_size(void);

/* ------------------------------------------------------------ helpers */

static int under_valgrind(void) { return getenv("NG_VALGRIND") != NULL; }
static int sanitized(void) { return getenv("NG_SANITIZED") != NULL; }

/* Depth for the "10,000,000 levels" tests, scaled for slow builds. */
static size_t deep_levels(void) {
  if (under_valgrind())
    return 100000;
  if (sanitized())
    return 1000000;
  return 10000000;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A buffer holding text; freed by the caller. */
typedef struct buf {
  char *p;
  size_t n;
} buf;

/* n nested arrays, closed (close = 1) or left open: "[[[...]]]". */
static buf nest_arrays(size_t n, int close) {
  buf b;
  b.n = close ? 2 * n : n;
  b.p = malloc(b.n + 1);
  assert_non_null(b.p);
  memset(b.p, '[', n);
  if (close)
    memset(b.p + n, ']', n);
  return b;
}

/* n nested objects {"a":{"a":...{}...}} (a level is 5 bytes + 1 '}'). */
static buf nest_objects(size_t n) {
  buf b;
  size_t i;
  b.n = 5 * n + 2 + n;
  b.p = malloc(b.n + 1);
  assert_non_null(b.p);
  for (i = 0; i < n; i++)
    memcpy(b.p + 5 * i, "{\"a\":", 5);
  memcpy(b.p + 5 * n, "{}", 2);
  memset(b.p + 5 * n + 2, '}', n);
  return b;
}

static void opts(ng_json_options *o, ng_json_engine e, size_t max_depth,
                 const ng_alloc *alc) {
  ng_json_options_default(o);
  o->engine = e;
  o->limits.max_depth = max_depth;
  o->alc = alc;
}

/* Parses with events but no callbacks: the engine alone (no DOM). */
static int parse_bare(const buf *b, const ng_json_options *o, ng_error *e) {
  ng_json_events ev;
  memset(&ev, 0, sizeof ev);
  return ng_json_parse_events(b->p, b->n, o, &ev, e);
}

static const ng_json_engine mine[] = {NG_JSON_LALR};
static const ng_json_engine all[] = {NG_JSON_ITERATIVE, NG_JSON_TRAMPOLINE,
                                     NG_JSON_LALR};
#define N_MINE (sizeof mine / sizeof mine[0])
#define N_ALL (sizeof all / sizeof all[0])

/* Same outcome, field by field, for the same input. */
static int same_error(const ng_error *a, const ng_error *b) {
  return a->code == b->code && a->offset == b->offset &&
         a->line == b->line && a->column == b->column &&
         a->depth == b->depth && strcmp(a->msg, b->msg) == 0;
}

/* Parses s[0..n) with the iterative engine and with e; fails the test
 * (printing the input) unless results are identical. */
static void expect_same(const char *s, size_t n, ng_json_engine e,
                        size_t max_depth) {
  ng_json_options o;
  ng_json_doc *d1 = NULL, *d2 = NULL;
  ng_error e1, e2;
  int r1, r2, same;

  opts(&o, NG_JSON_ITERATIVE, max_depth, NULL);
  r1 = ng_json_parse(s, n, &o, &d1, &e1);
  o.engine = e;
  r2 = ng_json_parse(s, n, &o, &d2, &e2);
  same = r1 == r2 && same_error(&e1, &e2);
  if (same && r1 == NG_OK)
    same = ng_json_equal(ng_json_doc_root(d1), ng_json_doc_root(d2));
  if (!same)
    print_error("%s differs on [%.*s]: iterative %s@%zu '%s', %s %s@%zu "
                "'%s'\n",
                ng_json_engine_name(e), (int)n, s, ng_err_name(r1),
                e1.offset, e1.msg, ng_json_engine_name(e), ng_err_name(r2),
                e2.offset, e2.msg);
  ng_json_doc_free(d1);
  ng_json_doc_free(d2);
  assert_true(same);
}

/* ------------------------------------------------- agreement (both) */

/*
 * Every string of up to 4 (valgrind: 3) atoms over an alphabet that
 * reaches every grammar state with every kind of token, including lexical
 * errors and bytes past a complete value: the result (code, offset,
 * line, column, depth, message, DOM) equals the iterative engine's, with
 * max_depth 2 and unlimited.
 */
static void test_exhaustive_short_inputs(void **state) {
  static const char *const atom[] = {
      "[", "]", "{", "}", ",", ":", "\"k\"", "1", "true", "null",
      "x", "\"\x01\"", "-", " \n", "\"\\u00e9\"", "0.5"};
  const size_t na = sizeof atom / sizeof atom[0];
  size_t len, maxlen = under_valgrind() ? 3 : 4, idx[4], i, k, n;
  char s[64];
  (void)state;
  for (len = 0; len <= maxlen; len++) {
    memset(idx, 0, sizeof idx);
    for (;;) {
      for (n = 0, i = 0; i < len; i++) {
        memcpy(s + n, atom[idx[i]], strlen(atom[idx[i]]));
        n += strlen(atom[idx[i]]);
      }
      for (k = 0; k < N_MINE; k++) {
        expect_same(s, n, mine[k], 0);
        expect_same(s, n, mine[k], 2);
      }
      for (i = 0; i < len && ++idx[i] == na; i++)
        idx[i] = 0;
      if (i == len)
        break;
    }
  }
}

/* Hand-picked inputs: each expect state with a wrong token, a lexical
 * error and end of input; trailing data; NUL bytes; empty input. */
static void test_error_cases_match(void **state) {
  static const char *const cases[] = {
      "", " ", "[", "[1", "[1,", "{", "{\"a\"", "{\"a\":", "{\"a\":1",
      "{\"a\":1,", "[}", "[1}", "[1,]", "{]", "{1:2}", "{\"a\" 1}",
      "{\"a\":1]", "{\"a\":1,}", "1 2", "[] []", "{}x", "[\"\x01\"]",
      "{\"a\":-}", "[01]", "[1.]", "[tru]", "{\"\\x\":1}", "\"\\ud800\"",
      "[1,\n 2,\n x]", "{\"a\":{\"b\":[1,{\"c\":}]}}", "[[[[[]]]]]",
      "{\"a\":[{\"b\":null}]}", "   [ 1 , 2 ]   ", "[\"a\",\"b\"]",
      "{\"\":\"\"}", "[{}, [], {\"a\":[]}]"};
  size_t i, k;
  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    for (k = 0; k < N_MINE; k++) {
      expect_same(cases[i], strlen(cases[i]), mine[k], 0);
      expect_same(cases[i], strlen(cases[i]), mine[k], 1);
    }
  /* NUL bytes are data: inside, after a value, and alone. */
  for (k = 0; k < N_MINE; k++) {
    expect_same("123\0", 4, mine[k], 0);
    expect_same("[\0]", 3, mine[k], 0);
    expect_same("\0", 1, mine[k], 0);
    expect_same("\"a\0\"", 4, mine[k], 0);
  }
}

/* Stops at the k-th event. */
typedef struct stopper {
  int n, stop_at;
} stopper;

static int ev_count(void *ud) {
  stopper *s = ud;
  return ++s->n == s->stop_at;
}
static int ev_key(void *ud, const char *k, size_t n) {
  (void)k;
  (void)n;
  return ev_count(ud);
}
static int ev_scalar(void *ud, const ng_json_value *v) {
  (void)v;
  return ev_count(ud);
}

/* A callback stopping at each event in turn gives NG_ECANCELED at the
 * same token in every engine; events arrive in the same order. */
static void test_events_cancel_match(void **state) {
  static const char doc[] =
      "{\"a\": [1, {\"b\": [true, \"x\", {}], \"c\": null}, []], \"d\": 2}";
  ng_json_events ev = {ev_count, ev_count, ev_count, ev_count,
                       ev_key,   ev_scalar, NULL};
  ng_json_options o;
  ng_error ref, got;
  stopper s;
  int k, total, rc;
  size_t e;
  (void)state;
  opts(&o, NG_JSON_ITERATIVE, 0, NULL);
  s.n = 0;
  s.stop_at = -1;
  ev.ud = &s;
  assert_int_equal(ng_json_parse_events(doc, sizeof doc - 1, &o, &ev, NULL),
                   NG_OK);
  total = s.n;
  assert_true(total > 10);
  for (k = 1; k <= total; k++) {
    s.n = 0;
    s.stop_at = k;
    o.engine = NG_JSON_ITERATIVE;
    rc = ng_json_parse_events(doc, sizeof doc - 1, &o, &ev, &ref);
    assert_int_equal(rc, NG_ECANCELED);
    for (e = 0; e < N_MINE; e++) {
      s.n = 0;
      o.engine = mine[e];
      rc = ng_json_parse_events(doc, sizeof doc - 1, &o, &ev, &got);
      assert_int_equal(rc, NG_ECANCELED);
      assert_true(same_error(&ref, &got));
      assert_int_equal(s.n, k);
    }
  }
}

/* ------------------------------------------------------ max_depth */

/* N levels pass and N + 1 fail with NG_EDEPTH at the (N+1)-th opening
 * token, for arrays and objects, in every engine. */
static void test_max_depth_exact(void **state) {
  static const size_t limits[] = {1, 2, 3, 100, 1000, 10000};
  ng_json_options o;
  ng_json_doc *d;
  ng_error e;
  size_t i, k, n;
  buf b;
  (void)state;
  for (i = 0; i < sizeof limits / sizeof limits[0]; i++) {
    n = limits[i];
    for (k = 0; k < N_ALL; k++) {
      opts(&o, all[k], n, NULL);
      b = nest_arrays(n, 1);
      assert_int_equal(ng_json_parse(b.p, b.n, &o, &d, &e), NG_OK);
      ng_json_doc_free(d);
      free(b.p);
      b = nest_arrays(n + 1, 1);
      assert_int_equal(ng_json_parse(b.p, b.n, &o, &d, &e), NG_EDEPTH);
      assert_null(d);
      assert_int_equal(e.offset, n);
      assert_int_equal(e.depth, n);
      free(b.p);
      /* n objects hold n - 1 "a" members and an empty innermost {} */
      b = nest_objects(n - 1);
      assert_int_equal(ng_json_parse(b.p, b.n, &o, &d, &e), NG_OK);
      ng_json_doc_free(d);
      free(b.p);
      b = nest_objects(n);
      assert_int_equal(ng_json_parse(b.p, b.n, &o, &d, &e), NG_EDEPTH);
      assert_int_equal(e.offset, 5 * n);
      free(b.p);
    }
  }
}

/* --------------------------------------------------------- LALR stack */

/* Bytes lemon's stack may take for max_depth d: one entry per level plus
 * the innermost member's entries, rounded up by lempar's 2n + 100 growth
 * (so at most 2 (d + 8) + 100 entries). */
static size_t lalr_bound(size_t d) {
  return (2 * (d + 8) + 100) * ng__lalr_stack_entry_size();
}

/* Far past lempar's fixed 100-entry default: 5,000 arrays and 5,000
 * objects (an object level used to cost 3 entries) parse. */
static void test_lalr_beyond_default_stack(void **state) {
  ng_json_options o;
  ng_json_doc *d;
  buf b;
  (void)state;
  opts(&o, NG_JSON_LALR, 0, NULL);
  b = nest_arrays(5000, 1);
  assert_int_equal(ng_json_parse(b.p, b.n, &o, &d, NULL), NG_OK);
  ng_json_doc_free(d);
  free(b.p);
  b = nest_objects(5000);
  assert_int_equal(ng_json_parse(b.p, b.n, &o, &d, NULL), NG_OK);
  expect_same(b.p, b.n, NG_JSON_LALR, 0);
  ng_json_doc_free(d);
  free(b.p);
}

/*
 * Input of 200,000 open arrays (and objects): with max_depth d the parse
 * stops at depth d with lemon's stack, the only allocation of a bare
 * events parse, within lalr_bound(d); unlimited, the same input grows the
 * stack to hold all 200,000 levels, through the allocator given.
 */
static void test_lalr_stack_bounded_by_max_depth(void **state) {
  static const size_t limits[] = {1, 10, 100, 1000, 10000, 50000};
  const size_t levels = 200000;
  ng_json_options o;
  ng_failalloc fa;
  ng_error e;
  size_t i, entry = ng__lalr_stack_entry_size();
  buf arr = nest_arrays(levels, 0), obj = nest_objects(levels);
  (void)state;
  obj.n = 5 * levels; /* leave every object open */
  for (i = 0; i < sizeof limits / sizeof limits[0]; i++) {
    ng_failalloc_init(&fa, 0);
    opts(&o, NG_JSON_LALR, limits[i], &fa.alc);
    assert_int_equal(parse_bare(&arr, &o, &e), NG_EDEPTH);
    assert_int_equal(e.offset, limits[i]);
    assert_true(fa.peak_bytes <= lalr_bound(limits[i]));
    assert_int_equal(fa.live_blocks, 0);
    assert_int_equal(parse_bare(&obj, &o, &e), NG_EDEPTH);
    assert_int_equal(e.offset, 5 * limits[i]);
    assert_true(fa.peak_bytes <= lalr_bound(limits[i]));
    assert_int_equal(fa.live_blocks, 0);
    assert_false(fa.size_mismatch);
  }
  ng_failalloc_init(&fa, 0);
  opts(&o, NG_JSON_LALR, 0, &fa.alc);
  assert_int_equal(parse_bare(&arr, &o, &e), NG_EEOF);
  assert_true(fa.peak_bytes >= levels * entry);
  assert_true(fa.peak_bytes <= lalr_bound(levels));
  assert_int_equal(parse_bare(&obj, &o, &e), NG_EEOF);
  assert_true(fa.peak_bytes <= lalr_bound(levels));
  assert_int_equal(fa.live_blocks, 0);
  assert_false(fa.size_mismatch);
  free(arr.p);
  free(obj.p);
}

/* Whatever the outcome (success, syntax error, lexical error, limit,
 * cancel), lemon's stack is released and sized correctly. */
static void test_lalr_releases_on_every_path(void **state) {
  static const char *const cases[] = {
      "[[[[1]]]]", "[[[[1]]]", "[[[[1]]]]]", "[[[\"\x01\"]]]", "[[[{]]]",
      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
      ""};
  ng_json_options o;
  ng_json_doc *d;
  ng_failalloc fa;
  size_t i;
  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ng_failalloc_init(&fa, 0);
    opts(&o, NG_JSON_LALR, 20, &fa.alc);
    if (ng_json_parse(cases[i], strlen(cases[i]), &o, &d, NULL) == NG_OK)
      ng_json_doc_free(d);
    assert_true(fa.calls > 0);
    assert_int_equal(fa.live_blocks, 0);
    assert_false(fa.size_mismatch);
  }
}

/* ---------------------------------------------- failure injection */

typedef struct sweep_arg {
  ng_json_engine engine;
  const buf *in;
  int bare; /* events without callbacks instead of a DOM */
} sweep_arg;

static int sweep_op(void *arg, const ng_alloc *alc) {
  const sweep_arg *a = arg;
  ng_json_options o;
  ng_json_doc *d = NULL;
  ng_error e;
  int rc;
  opts(&o, a->engine, 0, alc);
  if (a->bare)
    return parse_bare(a->in, &o, &e);
  rc = ng_json_parse(a->in->p, a->in->n, &o, &d, &e);
  if (rc != NG_OK) {
    assert_null(d);
    assert_true(rc == NG_ENOMEM || rc == NG_ESTACK);
    return rc;
  }
  ng_json_doc_free(d);
  return 0;
}

/* A document with strings, numbers, wide and deep parts: deep enough
 * that lemon's stack (and the recursive engine's stack) grows. */
static buf sweep_doc(size_t deep) {
  static const char head[] =
      "{\"name\": \"nest\\u00e9guard\", \"list\": [1, -2.5, 1e300, true, "
      "false, null, \"x\"], \"obj\": {\"a\": {}, \"b\": []}, \"deep\": ";
  buf b, arr = nest_arrays(deep, 1);
  b.n = sizeof head - 1 + arr.n + 1;
  b.p = malloc(b.n + 1);
  assert_non_null(b.p);
  memcpy(b.p, head, sizeof head - 1);
  memcpy(b.p + sizeof head - 1, arr.p, arr.n);
  b.p[b.n - 1] = '}';
  free(arr.p);
  return b;
}

static void sweep_engine(ng_json_engine engine, size_t deep) {
  buf in = sweep_doc(deep);
  sweep_arg a;
  long runs;
  a.engine = engine;
  a.in = &in;
  a.bare = 0;
  runs = ng_failalloc_sweep(sweep_op, &a, 100000);
  assert_true(runs > 2);
  a.bare = 1;
  runs = ng_failalloc_sweep(sweep_op, &a, 100000);
  assert_true(runs >= 1);
  free(in.p);
}

static void test_lalr_failalloc_sweep(void **state) {
  (void)state;
  sweep_engine(NG_JSON_LALR, 3000);
}

/* ---------------------------------------------------- 1e7 levels */

/* max_depth 0: 10,000,000 nested arrays parse (bare events, the engine's
 * own memory only) and the document has that depth (DOM, 1e6 levels). */
static void deep_engine(ng_json_engine engine) {
  size_t n = deep_levels();
  ng_json_options o;
  ng_json_doc *d;
  const ng_json_value *v;
  size_t depth = 0;
  double t0, t1;
  buf b = nest_arrays(n, 1);
  opts(&o, engine, 0, NULL);
  t0 = now_ms();
  assert_int_equal(parse_bare(&b, &o, NULL), NG_OK);
  t1 = now_ms();
  print_message("%s: %zu nested arrays (no DOM) in %.0f ms\n",
                ng_json_engine_name(engine), n, t1 - t0);
  free(b.p);
  b = nest_arrays(n / 10, 1);
  assert_int_equal(ng_json_parse(b.p, b.n, &o, &d, NULL), NG_OK);
  for (v = ng_json_doc_root(d); ng_json_size(v) == 1; v = ng_json_at(v, 0))
    depth++;
  assert_int_equal(depth + 1, n / 10);
  ng_json_doc_free(d);
  free(b.p);
}

static void test_lalr_1e7_levels(void **state) {
  (void)state;
  deep_engine(NG_JSON_LALR);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_exhaustive_short_inputs),
      cmocka_unit_test(test_error_cases_match),
      cmocka_unit_test(test_events_cancel_match),
      cmocka_unit_test(test_max_depth_exact),
      cmocka_unit_test(test_lalr_beyond_default_stack),
      cmocka_unit_test(test_lalr_stack_bounded_by_max_depth),
      cmocka_unit_test(test_lalr_releases_on_every_path),
      cmocka_unit_test(test_lalr_failalloc_sweep),
      cmocka_unit_test(test_lalr_1e7_levels),
  };
  return cmocka_run_group_tests_name("json_engines", tests, NULL, NULL);
}
