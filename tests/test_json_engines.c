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

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nestguard.h"
#include "nestguard/json.h"
#include "support/failalloc.h"
#include "support/testenv.h"
#include "support/textbuf.h"

/* Internal: lemon's stack entry size (parsers/json/lalr.y). */
size_t ng__json_lalr_stack_entry_size(void);

/* ------------------------------------------------------------ helpers */

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

static const ng_json_engine mine[] = {NG_JSON_RECURSIVE, NG_JSON_LALR};
static const ng_json_engine all[] = {NG_JSON_ITERATIVE, NG_JSON_RECURSIVE,
                                     NG_JSON_TRAMPOLINE, NG_JSON_LALR};
#define N_MINE (sizeof mine / sizeof mine[0])
#define N_ALL (sizeof all / sizeof all[0])

/* Parses s[0..n) with base's options, once with the iterative engine and
 * once with e; fails the test (printing the input) unless the results are
 * identical. */
static void expect_same_opt(const char *s, size_t n,
                            const ng_json_options *base, ng_json_engine e) {
  ng_json_options o = *base;
  ng_json_doc *d1 = NULL, *d2 = NULL;
  ng_error e1, e2;
  int r1, r2, same;

  o.engine = NG_JSON_ITERATIVE;
  r1 = ng_json_parse(s, n, &o, &d1, &e1);
  o.engine = e;
  r2 = ng_json_parse(s, n, &o, &d2, &e2);
  same = r1 == r2 && ng_test_same_error(&e1, &e2);
  if (same && r1 == NG_OK)
    same = ng_json_equal(ng_json_doc_root(d1), ng_json_doc_root(d2));
  if (!same)
    print_error("%s differs on [%.*s]: iterative %s@%zu '%s', %s %s@%zu "
                "'%s'\n",
                ng_json_engine_name(e), (int)n, s, ng_err_name(r1), e1.offset,
                e1.msg, ng_json_engine_name(e), ng_err_name(r2), e2.offset,
                e2.msg);
  ng_json_doc_free(d1);
  ng_json_doc_free(d2);
  assert_true(same);
}

static void expect_same(const char *s, size_t n, ng_json_engine e,
                        size_t max_depth) {
  ng_json_options o;
  opts(&o, NG_JSON_ITERATIVE, max_depth, NULL);
  expect_same_opt(s, n, &o, e);
}

/* ------------------------------------------------- agreement (both) */

/* Atoms for generated inputs: every token kind, lexical errors, space. */
static const char *const atoms[] = {
    "[",    "]",    "{", "}",        ",", ":",   "\"k\"",       "1",
    "true", "null", "x", "\"\x01\"", "-", " \n", "\"\\u00e9\"", "0.5"};
#define N_ATOMS (sizeof atoms / sizeof atoms[0])

/*
 * Every string of up to 4 (valgrind: 3) atoms over an alphabet that
 * reaches every grammar state with every kind of token, including lexical
 * errors and bytes past a complete value: the result (code, offset,
 * line, column, depth, message, DOM) equals the iterative engine's, with
 * max_depth 2 and unlimited.
 */
static void test_exhaustive_short_inputs(void **state) {
  const char *const *atom = atoms;
  const size_t na = N_ATOMS;
  size_t len, maxlen = ng_test_valgrind() ? 3 : 4, idx[4], i, k, n;
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

/*
 * Every grammar position (a prefix reaching it) followed by every atom,
 * then by nothing, by a valid continuation, or by garbage: covers each
 * parser state with each kind of next token, including the states that
 * need more than four tokens to reach.
 */
static void test_every_state_every_token(void **state) {
  static const char *const prefix[] = {"",
                                       "[",
                                       "[1",
                                       "[1,",
                                       "{",
                                       "{\"a\"",
                                       "{\"a\":",
                                       "{\"a\":1",
                                       "{\"a\":1,",
                                       "{\"a\":1,\"b\"",
                                       "{\"a\":1,\"b\":",
                                       "{\"a\":1,\"b\":2",
                                       "[[",
                                       "[{",
                                       "{\"a\":[",
                                       "{\"a\":{",
                                       "[1,[2,{\"c\":[]}]",
                                       "1",
                                       "[]",
                                       "{}",
                                       "[[],{}",
                                       "{\"a\":{},\"b\":[]"};
  static const char *const suffix[] = {"",   "]",        "}",   "]}",
                                       "1]", "\"z\":0}", "\x80"};
  char s[128];
  size_t i, a, x, k, n;
  (void)state;
  for (i = 0; i < sizeof prefix / sizeof prefix[0]; i++)
    for (a = 0; a < N_ATOMS; a++)
      for (x = 0; x < sizeof suffix / sizeof suffix[0]; x++) {
        n = (size_t)snprintf(s, sizeof s, "%s%s%s", prefix[i], atoms[a],
                             suffix[x]);
        for (k = 0; k < N_MINE; k++) {
          expect_same(s, n, mine[k], 0);
          expect_same(s, n, mine[k], 1);
        }
      }
}

/* Hand-picked inputs: each expect state with a wrong token, a lexical
 * error and end of input; trailing data; NUL bytes; empty input. */
static void test_error_cases_match(void **state) {
  static const char *const cases[] = {"",
                                      " ",
                                      "[",
                                      "[1",
                                      "[1,",
                                      "{",
                                      "{\"a\"",
                                      "{\"a\":",
                                      "{\"a\":1",
                                      "{\"a\":1,",
                                      "[}",
                                      "[1}",
                                      "[1,]",
                                      "{]",
                                      "{1:2}",
                                      "{\"a\" 1}",
                                      "{\"a\":1]",
                                      "{\"a\":1,}",
                                      "1 2",
                                      "[] []",
                                      "{}x",
                                      "[\"\x01\"]",
                                      "{\"a\":-}",
                                      "[01]",
                                      "[1.]",
                                      "[tru]",
                                      "{\"\\x\":1}",
                                      "\"\\ud800\"",
                                      "[1,\n 2,\n x]",
                                      "{\"a\":{\"b\":[1,{\"c\":}]}}",
                                      "[[[[[]]]]]",
                                      "{\"a\":[{\"b\":null}]}",
                                      "   [ 1 , 2 ]   ",
                                      "[\"a\",\"b\"]",
                                      "{\"\":\"\"}",
                                      "[{}, [], {\"a\":[]}]"};
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

/*
 * Numbers where the DOM's direct path reads integers inline (19 bytes or
 * more before the end) and where it leaves them to the scanner (fewer):
 * 1 to 20 digits, signed or not, a leading zero, then a fraction, an
 * exponent, a malformed tail or the end of a member, with 0 to 23 bytes
 * after them. The LALR engine reads every number as a token: every
 * engine's result (type, value, error) equals the iterative one's.
 */
static void test_numbers_inline_and_token(void **state) {
  static const char *const tail[] = {"",   ".5", "e3", "E-2", ".",
                                     "e",  "x",  "0",  "-",   "]"};
  static const char *const first[] = {"0", "1", "9", "-0", "-1", "-9"};
  char s[96], digits[24];
  size_t f, len, t, pad, k, n;
  (void)state;
  for (f = 0; f < sizeof first / sizeof first[0]; f++)
    for (len = 1; len <= 20; len++)
      for (t = 0; t < sizeof tail / sizeof tail[0]; t++)
        for (pad = 0; pad <= 23; pad += ng_test_valgrind() ? 7 : 1) {
          memset(digits, '7', len - 1);
          digits[len - 1] = '\0';
          n = (size_t)snprintf(s, sizeof s, "{\"k\":[%s%s%s,%*s1]}", first[f],
                               digits, tail[t], (int)pad, "");
          for (k = 0; k < N_MINE; k++)
            expect_same(s, n, mine[k], 0);
          expect_same(s, n, NG_JSON_TRAMPOLINE, 0);
          n = (size_t)snprintf(s, sizeof s, "{\"k\":%s%s%s%*s}", first[f],
                               digits, tail[t], (int)pad, "");
          expect_same(s, n, NG_JSON_LALR, 0);
        }
}

/*
 * Strings of 0 to 40 bytes, as member keys and as values, plain or with
 * one byte that ends a plain run (a quote, an escape, a control byte,
 * UTF-8, an invalid byte) at each place, under max_string unlimited, one
 * below the string's length and equal to it, with and without 40 bytes of
 * input after: the iterative engine's strings of up to 31 plain bytes
 * take ng__json_short_string (lexer.h) instead of ng__json_key_end or
 * ng__json_string_end, and must give what the LALR engine's tokens give
 * (code, offset, message, DOM).
 */
static void test_short_strings_inline_and_token(void **state) {
  static const char *const odd[] = {"", "\"", "\\n", "\x01", "\xc3\xa9",
                                    "\xff"};
  char s[160], key[64];
  size_t len, o, at, pad, n, step = ng_test_valgrind() ? 5 : 1;
  ng_json_options opt;
  int lim;

  (void)state;
  for (len = 0; len <= 40; len++)
    for (o = 0; o < sizeof odd / sizeof odd[0]; o++)
      for (at = 0; at <= len; at += step) {
        if (o == 0 && at != 0)
          break; /* plain: one key a length */
        memset(key, 'k', len);
        memcpy(key + at, odd[o], strlen(odd[o]));
        key[len > at + strlen(odd[o]) ? len : at + strlen(odd[o])] = '\0';
        for (pad = 0; pad <= 40; pad += 40)
          for (lim = 0; lim < 3; lim++) {
            ng_json_options_default(&opt);
            opt.limits.max_string = lim == 0 ? 0 : len + (size_t)lim - 2;
            if (lim != 0 && len == 0)
              continue;
            n = (size_t)snprintf(s, sizeof s, "{\"%s\":1%*s}", key,
                                 (int)pad, "");
            expect_same_opt(s, n, &opt, NG_JSON_LALR);
            n = (size_t)snprintf(s, sizeof s, "[\"%s\"%*s]", key, (int)pad,
                                 "");
            expect_same_opt(s, n, &opt, NG_JSON_LALR);
          }
      }
}

/* ---------------------------------------------- random documents */

static uint64_t rng_state;

static unsigned rng(unsigned n) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (unsigned)(rng_state % n);
}

static void emit(char *out, size_t *n, size_t cap, const char *s) {
  size_t l = strlen(s);
  if (*n + l < cap) {
    memcpy(out + *n, s, l);
    *n += l;
  }
}

/* A random value: nested containers, repeated keys, escapes, numbers of
 * every kind (including ones beyond uint64 and beyond double). */
static void gen_value(char *out, size_t *n, size_t cap, int depth) {
  static const char *const scalars[] = {"0",
                                        "-1",
                                        "1.5e3",
                                        "18446744073709551615",
                                        "18446744073709551616",
                                        "1e400",
                                        "-0",
                                        "true",
                                        "false",
                                        "null",
                                        "\"\"",
                                        "\"abc\"",
                                        "\"\\u00e9\\n\"",
                                        "\"\\ud83d\\ude00\"",
                                        "\"long string value\""};
  static const char *const keys[] = {"\"a\"", "\"b\"", "\"a\"", "\"\\u0061\""};
  unsigned i, k = rng(4);
  if (depth > 6 || (depth > 0 && rng(3) == 0)) {
    emit(out, n, cap, scalars[rng(sizeof scalars / sizeof scalars[0])]);
    return;
  }
  emit(out, n, cap, k & 1 ? "{" : "[");
  for (i = 0; i < k; i++) {
    if (i)
      emit(out, n, cap, rng(2) ? "," : " , ");
    if (k & 1) {
      emit(out, n, cap, keys[rng(4)]);
      emit(out, n, cap, ":");
    }
    gen_value(out, n, cap, depth + 1);
  }
  emit(out, n, cap, k & 1 ? "}" : "]");
}

/*
 * Random documents, every truncation of each and a byte changed at every
 * position, under option sets that exercise each limit and policy: the
 * same result as the iterative engine every time.
 */
static void test_random_documents(void **state) {
  ng_json_options base[7];
  size_t ndocs = ng_test_valgrind() ? 10 : 150, d, i, b, k, n;
  char doc[512], mut[512];
  (void)state;
  for (i = 0; i < 7; i++)
    opts(&base[i], NG_JSON_ITERATIVE, 0, NULL);
  base[1].dupkeys = NG_JSON_DUP_REJECT;
  base[2].dupkeys = NG_JSON_DUP_LAST;
  base[2].flags = NG_JSON_BIGINT_REJECT;
  base[3].limits.max_string = 3;
  base[4].limits.max_memory = 1500;
  base[5].limits.max_depth = 3;
  base[6].flags = NG_JSON_ALLOW_LONE_SURROGATES;
  rng_state = 0x9E3779B97F4A7C15ull;
  for (d = 0; d < ndocs; d++) {
    n = 0;
    gen_value(doc, &n, sizeof doc, 0);
    for (i = 0; i < 7; i++)
      for (k = 0; k < N_MINE; k++)
        for (b = 0; b <= n; b++)
          expect_same_opt(doc, b, &base[i], mine[k]);
    for (b = 0; b < n; b++) {
      memcpy(mut, doc, n);
      mut[b] = "[]{},:\"0\\ \x01\xff"[rng(13)];
      for (k = 0; k < N_MINE; k++)
        expect_same_opt(mut, n, &base[0], mine[k]);
    }
  }
}

/*
 * max_memory at every step up to twice what a document of empty, nested
 * and keyed containers needs: every engine fails as the iterative one
 * (code, offset, depth), wherever the arena runs out, in an empty
 * container or an opening one.
 */
static void test_max_memory_containers(void **state) {
  static const char unit[] = "[],[1,{}],{\"k\":[[2]]},";
  char doc[2048];
  ng_json_options o;
  size_t n = 0, i, cap, k, step = ng_test_valgrind() ? 40 : 8;
  (void)state;
  doc[n++] = '[';
  for (i = 0; i < 80; i++) {
    memcpy(doc + n, unit, sizeof unit - 1);
    n += sizeof unit - 1;
  }
  doc[n++] = '0';
  doc[n++] = ']';
  opts(&o, NG_JSON_ITERATIVE, 0, NULL);
  for (cap = 256; cap < 40000; cap += step) {
    o.limits.max_memory = cap;
    for (k = 1; k < N_ALL; k++)
      expect_same_opt(doc, n, &o, all[k]);
  }
}

/*
 * Arrays of containers, whose elements the recursive engine opens between
 * its scans (recursive.c's rec_next_child): with whitespace or none after
 * each ',', empty, flat and nested elements, every prefix (the end at
 * every byte), max_depth at each level and max_memory at every step:
 * every engine's result equals the iterative one's.
 */
static void test_arrays_of_containers(void **state) {
  static const char doc[] =
      "[[1,2],[3] , \n\t[4],{\"a\":5},{},[],[ ],{ },[[6]],{\"b\":[7]},"
      "[{\"c\":[8,{\"d\":9}]}],\n [[[]]]  ,{\"e\":{}}, [0]]";
  ng_json_options o;
  size_t n = sizeof doc - 1, b, depth, cap, k;
  (void)state;
  for (depth = 0; depth <= 5; depth++) {
    opts(&o, NG_JSON_ITERATIVE, depth, NULL);
    for (b = 0; b <= n; b++)
      for (k = 1; k < N_ALL; k++)
        expect_same_opt(doc, b, &o, all[k]);
  }
  opts(&o, NG_JSON_ITERATIVE, 0, NULL);
  for (cap = 256; cap < 8192; cap += 8) {
    o.limits.max_memory = cap;
    for (k = 1; k < N_ALL; k++)
      expect_same_opt(doc, n, &o, all[k]);
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
  ng_json_events ev = {ev_count, ev_count,  ev_count, ev_count,
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
      assert_true(ng_test_same_error(&ref, &got));
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
  return (2 * (d + 8) + 100) * ng__json_lalr_stack_entry_size();
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
  size_t i, entry = ng__json_lalr_stack_entry_size();
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
  static const char *const cases[] = {"[[[[1]]]]",
                                      "[[[[1]]]",
                                      "[[[[1]]]]]",
                                      "[[[\"\x01\"]]]",
                                      "[[[{]]]",
                                      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]"
                                      "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
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
  print_message("%s: %ld allocations failed in turn (DOM)\n",
                ng_json_engine_name(engine), runs);
  assert_true(runs > 2);
  /* Bare: only the engine's own memory (lemon's stack; stack segments
   * when the input is deeper than the thread's stack). */
  a.bare = 1;
  runs = ng_failalloc_sweep(sweep_op, &a, 100000);
  assert_true(runs >= (engine == NG_JSON_LALR ? 1 : 0));
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
  size_t n = ng_test_deep_levels();
  ng_json_options o;
  ng_json_doc *d;
  const ng_json_value *v;
  size_t depth = 0;
  double t0, t1;
  buf b = nest_arrays(n, 1);
  opts(&o, engine, 0, NULL);
  t0 = ng_test_cpu_ms();
  assert_int_equal(parse_bare(&b, &o, NULL), NG_OK);
  t1 = ng_test_cpu_ms();
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

/* ------------------------------------------------- recursive engine */

static void test_recursive_1e7_levels(void **state) {
  (void)state;
  deep_engine(NG_JSON_RECURSIVE);
}

/* Machine-stack addresses of successive start_array events. */
typedef struct frames {
  uintptr_t *at;
  size_t n, cap;
} frames;

static int ev_frame(void *ud) {
  frames *f = ud;
  volatile char here = 0;
  if (f->n < f->cap)
    f->at[f->n++] = (uintptr_t)&here;
  return here;
}

/*
 * Bytes of machine stack per nesting level, measured: the distance
 * between the callbacks of two successive levels, which run at the same
 * offset within their level. The most frequent distance is the frame;
 * the rare larger ones are moves onto a new segment.
 */
static size_t recursive_frame_bytes(const char *unit, size_t unit_len,
                                    size_t levels) {
  ng_json_events ev;
  ng_json_options o;
  frames f;
  size_t i, best = 0, best_n = 0, j, n;
  size_t *d;
  char *in = malloc(unit_len * levels);
  assert_non_null(in);
  for (i = 0; i < levels; i++)
    memcpy(in + i * unit_len, unit, unit_len);
  memset(&ev, 0, sizeof ev);
  ev.start_array = ev_frame;
  ev.start_object = ev_frame;
  f.at = calloc(levels, sizeof *f.at);
  f.n = 0;
  f.cap = levels;
  ev.ud = &f;
  opts(&o, NG_JSON_RECURSIVE, 0, NULL);
  assert_int_equal(ng_json_parse_events(in, unit_len * levels, &o, &ev, NULL),
                   NG_EEOF);
  assert_int_equal(f.n, levels);
  d = calloc(levels, sizeof *d);
  for (i = 0; i + 1 < levels; i++)
    d[i] = f.at[i] > f.at[i + 1] ? f.at[i] - f.at[i + 1] : 0;
  for (i = 0; i + 1 < levels; i++) {
    if (d[i] == 0 || d[i] > 4096)
      continue;
    for (n = 0, j = 0; j + 1 < levels; j++)
      n += d[j] == d[i];
    if (n > best_n) {
      best_n = n;
      best = d[i];
    }
    if (best_n > levels / 2)
      break;
  }
  free(d);
  free(f.at);
  free(in);
  return best;
}

/*
 * Well under 100 bytes a level, so 1e7 levels fit in the default 1 GiB
 * ceiling (measured: printed). 16 bytes on x86-64 at -O2, where a level
 * is entered by a jump (recursive.c's rec_down); 48 under ASan at -O1,
 * where that jump is a call and frames keep their frame pointers; an
 * unoptimized build keeps locals in memory (96 bytes) and must still fit.
 */
#ifdef __OPTIMIZE__
#define FRAME_MAX 64
#else
#define FRAME_MAX 100
#endif
static void test_recursive_frame_size(void **state) {
  size_t arr = recursive_frame_bytes("[", 1, 20000);
  size_t obj = recursive_frame_bytes("{\"a\":", 5, 20000);
  (void)state;
  print_message("recursive: %zu bytes/level (arrays), %zu (objects)\n", arr,
                obj);
  assert_true(arr > 0 && arr <= FRAME_MAX);
  assert_true(obj > 0 && obj <= FRAME_MAX);
}

/*
 * A lowered max_stack stops a deep input with NG_ESTACK at an opening
 * token (reported with the depth reached), deeper for a higher ceiling;
 * nothing leaks, with a DOM or without.
 */
static void test_recursive_estack(void **state) {
  static const size_t ceil[] = {(size_t)64 << 10, (size_t)256 << 10,
                                (size_t)1 << 20, (size_t)4 << 20,
                                (size_t)16 << 20};
  /* TSan: ceilings up to 1 MiB (~32,000 levels) and 50,000 levels. */
  const size_t levels = ng_test_tsan() ? 50000 : 2000000;
  const size_t nceil = ng_test_tsan() ? 3 : sizeof ceil / sizeof ceil[0];
  buf arr = nest_arrays(levels, 0), obj = nest_objects(levels);
  ng_json_options o;
  ng_json_doc *d;
  ng_failalloc fa;
  ng_error e;
  size_t i, prev = 0;
  (void)state;
  obj.n = 5 * levels;
  for (i = 0; i < nceil; i++) {
    ng_failalloc_init(&fa, 0);
    opts(&o, NG_JSON_RECURSIVE, 0, &fa.alc);
    o.limits.max_stack = ceil[i];
    assert_int_equal(parse_bare(&arr, &o, &e), NG_ESTACK);
    print_message("recursive: max_stack %zu KiB: NG_ESTACK at depth %zu "
                  "(%.1f bytes/level)\n",
                  ceil[i] >> 10, e.depth, (double)ceil[i] / (double)e.depth);
    assert_int_equal(e.depth, e.offset + 1);
    assert_true(e.offset > prev);
    assert_true(e.depth * 100 >= ceil[i] / 2);
    assert_true(e.depth * 16 <= ceil[i]);
    prev = e.offset;
    /* With a DOM: the same place give or take a few levels (the frames
     * below the run and the builder's callbacks differ a little). */
    assert_int_equal(ng_json_parse(arr.p, arr.n, &o, &d, &e), NG_ESTACK);
    assert_null(d);
    assert_true(e.offset + 64 >= prev && e.offset <= prev + 64);
    assert_int_equal(e.depth, e.offset + 1);
    assert_int_equal(parse_bare(&obj, &o, &e), NG_ESTACK);
    assert_int_equal(e.offset % 5, 0);
    assert_int_equal(e.depth, e.offset / 5 + 1);
    assert_int_equal(fa.live_blocks, 0);
    assert_false(fa.size_mismatch);
  }
  /* The same input within a ceiling it fits: EEOF (input is unclosed). */
  opts(&o, NG_JSON_RECURSIVE, 0, NULL);
  o.limits.max_stack = (size_t)256 << 20;
  assert_int_equal(parse_bare(&arr, &o, &e), NG_EEOF);
  free(arr.p);
  free(obj.p);
}

/* max_depth applies before the stack: with room for the stack, depth
 * max_depth + 1 is NG_EDEPTH, not NG_ESTACK; with a tiny ceiling and a
 * large max_depth, NG_ESTACK. */
static void test_recursive_depth_before_stack(void **state) {
  buf b = nest_arrays(100000, 1);
  ng_json_options o;
  ng_error e;
  (void)state;
  opts(&o, NG_JSON_RECURSIVE, 50000, NULL);
  assert_int_equal(parse_bare(&b, &o, &e), NG_EDEPTH);
  assert_int_equal(e.offset, 50000);
  o.limits.max_stack = (size_t)64 << 10;
  assert_int_equal(parse_bare(&b, &o, &e), NG_ESTACK);
  assert_true(e.offset < 50000);
  free(b.p);
}

/* A thread with a 64 KiB stack: the recursive engine grows off it onto
 * segments, the LALR engine never needs it; both parse 200,000 levels
 * (50,000 under TSan). */
typedef struct thread_job {
  int rc[2];
} thread_job;

static void *small_stack_parse(void *arg) {
  thread_job *job = arg;
  ng_json_options o;
  buf b = nest_arrays(ng_test_tsan() ? 50000 : 200000, 1);
  opts(&o, NG_JSON_RECURSIVE, 0, NULL);
  job->rc[0] = parse_bare(&b, &o, NULL);
  o.engine = NG_JSON_LALR;
  job->rc[1] = parse_bare(&b, &o, NULL);
  free(b.p);
  return NULL;
}

static void test_small_thread_stack(void **state) {
  pthread_attr_t attr;
  pthread_t th;
  thread_job job = {{-1, -1}};
  size_t size = (size_t)64 << 10;
  (void)state;
  if (size < (size_t)PTHREAD_STACK_MIN)
    size = (size_t)PTHREAD_STACK_MIN;
  assert_int_equal(pthread_attr_init(&attr), 0);
  assert_int_equal(pthread_attr_setstacksize(&attr, size), 0);
  assert_int_equal(pthread_create(&th, &attr, small_stack_parse, &job), 0);
  assert_int_equal(pthread_join(th, NULL), 0);
  pthread_attr_destroy(&attr);
  assert_int_equal(job.rc[0], NG_OK);
  assert_int_equal(job.rc[1], NG_OK);
}

/* Event callbacks that need 40 KiB of stack each. */
typedef struct hungry {
  size_t events;
  unsigned sum;
  int rc;
} hungry;

static unsigned hungry_work(hungry *h) {
  volatile unsigned char big[40 << 10];
  size_t i;
  unsigned sum = 0;
  for (i = 0; i < sizeof big; i += 512)
    big[i] = (unsigned char)(h->events + i);
  for (i = 0; i < sizeof big; i += 512)
    sum += big[i];
  h->events++;
  return sum;
}

static int hungry_start(void *ud) {
  hungry *h = ud;
  h->sum += hungry_work(h);
  return 0;
}

static int hungry_scalar(void *ud, const ng_json_value *v) {
  (void)v;
  return hungry_start(ud);
}

static void *hungry_parse(void *arg) {
  hungry *h = arg;
  const size_t levels = 20000;
  ng_json_events ev;
  ng_json_options o;
  size_t i;
  buf b;
  b.n = 4 * levels - 1;
  b.p = malloc(b.n + 1);
  assert_non_null(b.p);
  /* [1,[1,[1, ... [1] ... ]]] */
  for (i = 0; i < levels; i++)
    memcpy(b.p + 3 * i, "[1,", 3);
  b.p[3 * levels - 1] = ']';
  memset(b.p + 3 * levels, ']', levels - 1);
  memset(&ev, 0, sizeof ev);
  ev.start_array = hungry_start;
  ev.scalar = hungry_scalar;
  ev.ud = h;
  opts(&o, NG_JSON_RECURSIVE, 0, NULL);
  h->rc = ng_json_parse_events(b.p, b.n, &o, &ev, NULL);
  free(b.p);
  return NULL;
}

/*
 * Out-calls get room: on a 256 KiB thread, 20,000 levels put the
 * recursion on small segments, yet every event callback can use 40 KiB
 * of stack (ng_stack_call_user runs it on the thread stack).
 */
static void test_recursive_out_calls_have_room(void **state) {
  pthread_attr_t attr;
  pthread_t th;
  hungry h = {0, 0, -1};
  (void)state;
  assert_int_equal(pthread_attr_init(&attr), 0);
  assert_int_equal(pthread_attr_setstacksize(&attr, (size_t)256 << 10), 0);
  assert_int_equal(pthread_create(&th, &attr, hungry_parse, &h), 0);
  assert_int_equal(pthread_join(th, NULL), 0);
  pthread_attr_destroy(&attr);
  assert_int_equal(h.rc, NG_OK);
  assert_int_equal(h.events, 2 * 20000);
}

static void test_recursive_failalloc_sweep(void **state) {
  (void)state;
  /* Deeper than the 8 MiB thread stack, so segments are allocated (and
   * fail) too; not under valgrind (slow) or TSan (too deep for it). */
  sweep_engine(NG_JSON_RECURSIVE,
               ng_test_valgrind() || ng_test_tsan() ? 3000 : 400000);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_exhaustive_short_inputs),
      cmocka_unit_test(test_every_state_every_token),
      cmocka_unit_test(test_error_cases_match),
      cmocka_unit_test(test_numbers_inline_and_token),
      cmocka_unit_test(test_short_strings_inline_and_token),
      cmocka_unit_test(test_random_documents),
      cmocka_unit_test(test_events_cancel_match),
      cmocka_unit_test(test_max_depth_exact),
      cmocka_unit_test(test_lalr_beyond_default_stack),
      cmocka_unit_test(test_lalr_stack_bounded_by_max_depth),
      cmocka_unit_test(test_lalr_releases_on_every_path),
      cmocka_unit_test(test_max_memory_containers),
      cmocka_unit_test(test_arrays_of_containers),
      cmocka_unit_test(test_lalr_failalloc_sweep),
      cmocka_unit_test(test_lalr_1e7_levels),
      cmocka_unit_test(test_recursive_frame_size),
      cmocka_unit_test(test_recursive_estack),
      cmocka_unit_test(test_recursive_depth_before_stack),
      cmocka_unit_test(test_recursive_failalloc_sweep),
      cmocka_unit_test(test_small_thread_stack),
      cmocka_unit_test(test_recursive_out_calls_have_room),
      cmocka_unit_test(test_recursive_1e7_levels),
  };
  return cmocka_run_group_tests_name("json_engines", tests, NULL, NULL);
}
