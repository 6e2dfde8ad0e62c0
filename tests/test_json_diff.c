/*
 * tests/test_json_diff.c - differential test of the JSON engines.
 *
 * For each input, every engine must give the iterative engine's answer: an equal DOM (ng_json_equal) and the
 * same event stream, or the same error code at the same offset and depth.
 * Inputs: generated random documents, random mutations of them, every
 * truncation of them, deep / wide / mixed nestings, depth exactly at and
 * one past max_depth, under several option sets.
 *
 * Deterministic (fixed seed). NG_VALGRIND / NG_SANITIZED scale down.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nestguard.h"
#include "nestguard/json.h"
#include "support/corpus.h"
#include "support/testenv.h"
#include "support/textbuf.h"

static int slow_build(void) {
  return ng_test_valgrind() || ng_test_sanitized();
}

static uint64_t rng = 0x243F6A8885A308D3u;
static uint64_t rnd(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}
static size_t rn(size_t n) { return (size_t)(rnd() % n); }

/* ------------------------------------------------- document generator */

static void gen_ws(textbuf *t) {
  static const char *const ws[] = {"", "", "", " ", "\n", "\t", "\r\n  "};
  tb_puts(t, ws[rn(7)]);
}

static void gen_string(textbuf *t) {
  static const char *const parts[] = {"a",
                                      "key",
                                      " ",
                                      "\\n",
                                      "\\\"",
                                      "\\\\",
                                      "\\/",
                                      "\\u0041",
                                      "\\u00e9",
                                      "\\u20ac",
                                      "\\ud83d\\ude00",
                                      "\\u0000",
                                      "\xC3\xA9",
                                      "\xE2\x82\xAC",
                                      "\xF0\x9F\x98\x80",
                                      "0123456789abcdef",
                                      "\\t",
                                      "\x7F"};
  size_t n = rn(6), i;
  tb_put(t, "\"", 1);
  for (i = 0; i < n; i++)
    tb_puts(t, parts[rn(sizeof parts / sizeof parts[0])]);
  tb_put(t, "\"", 1);
}

static void gen_number(textbuf *t) {
  static const char *const fixed[] = {"0",
                                      "-0",
                                      "1",
                                      "-1",
                                      "0.5",
                                      "1e10",
                                      "1E-10",
                                      "-2.5e+3",
                                      "9223372036854775807",
                                      "-9223372036854775808",
                                      "18446744073709551615",
                                      "18446744073709551616",
                                      "123456789012345678901234567890",
                                      "1.7976931348623157e308",
                                      "5e-324",
                                      "1e-400",
                                      "3.141592653589793",
                                      "-65.613616999999977",
                                      "0.30000000000000004"};
  char b[64];
  if (rnd() & 1) {
    tb_puts(t, fixed[rn(sizeof fixed / sizeof fixed[0])]);
    return;
  }
  snprintf(b, sizeof b, "%s%llu%s", (rnd() & 1) ? "-" : "",
           (unsigned long long)(rnd() >> rn(64)), (rnd() & 1) ? ".25e-7" : "");
  tb_puts(t, b);
}

static void gen_value(textbuf *t, int depth) {
  size_t k = depth > 6 ? 4 + rn(5) : rn(9), n, i;
  gen_ws(t);
  switch (k) {
  case 0:
  case 1:
    n = rn(5);
    tb_put(t, "[", 1);
    for (i = 0; i < n; i++) {
      if (i)
        tb_put(t, ",", 1);
      gen_value(t, depth + 1);
    }
    gen_ws(t);
    tb_put(t, "]", 1);
    break;
  case 2:
  case 3:
    n = rn(5);
    tb_put(t, "{", 1);
    for (i = 0; i < n; i++) {
      if (i)
        tb_put(t, ",", 1);
      gen_ws(t);
      if (rnd() % 3 == 0)
        tb_puts(t, "\"dup\"");
      else
        gen_string(t);
      gen_ws(t);
      tb_put(t, ":", 1);
      gen_value(t, depth + 1);
    }
    gen_ws(t);
    tb_put(t, "}", 1);
    break;
  case 4:
  case 5:
    gen_string(t);
    break;
  case 6:
  case 7:
    gen_number(t);
    break;
  default:
    tb_puts(t, rnd() % 3 == 0 ? "true" : rnd() & 1 ? "false" : "null");
    break;
  }
  gen_ws(t);
}

/* Random edits: flip, insert, delete a byte; splice a JSON atom. */
static void mutate(textbuf *t) {
  static const char atoms[] = "[]{},:\"\\0-.eE+truefalsnl \x01\x80\xC3\xED";
  size_t edits = 1 + rn(3), e;
  for (e = 0; e < edits && t->n > 0; e++) {
    size_t at = rn(t->n);
    switch (rn(3)) {
    case 0:
      t->p[at] = atoms[rn(sizeof atoms - 1)];
      break;
    case 1:
      memmove(t->p + at, t->p + at + 1, t->n - at - 1);
      t->n--;
      break;
    default:
      tb_put(t, "x", 1); /* grow by one, then shift */
      memmove(t->p + at + 1, t->p + at, t->n - at - 1);
      t->p[at] = atoms[rn(sizeof atoms - 1)];
      break;
    }
  }
}

/* ---------------------------------------------------------- comparison */

/* An event stream reduced to a hash (FNV-1a over a textual rendering). */
typedef struct evhash {
  uint64_t h;
  size_t n;
} evhash;

static void mix(evhash *e, const void *p, size_t n) {
  const unsigned char *b = p;
  size_t i;
  for (i = 0; i < n; i++)
    e->h = (e->h ^ b[i]) * 0x100000001B3u;
  e->n++;
}
static int eh_so(void *ud) {
  mix(ud, "{", 1);
  return 0;
}
static int eh_eo(void *ud) {
  mix(ud, "}", 1);
  return 0;
}
static int eh_sa(void *ud) {
  mix(ud, "[", 1);
  return 0;
}
static int eh_ea(void *ud) {
  mix(ud, "]", 1);
  return 0;
}
static int eh_key(void *ud, const char *k, size_t n) {
  mix(ud, "k", 1);
  mix(ud, k, n);
  return 0;
}
static int eh_scalar(void *ud, const ng_json_value *v) {
  mix(ud, &v->type, sizeof v->type);
  if (v->type == NG_JSON_STRING)
    mix(ud, v->as.s, ng_json_len(v));
  else if (v->type == NG_JSON_BOOL)
    mix(ud, &v->as.b, sizeof v->as.b);
  else if (v->type != NG_JSON_NULL)
    mix(ud, &v->as.u, sizeof v->as.u);
  return 0;
}

typedef struct outcome {
  int rc;
  ng_error err;
  ng_json_doc *doc;
  int ev_rc;
  ng_error ev_err;
  evhash ev;
} outcome;

static void run_engine(ng_json_engine e, const ng_json_options *base,
                       const char *s, size_t n, outcome *o) {
  ng_json_options opt = *base;
  ng_json_events ev = {eh_so, eh_eo, eh_sa, eh_ea, eh_key, eh_scalar, NULL};
  opt.engine = e;
  memset(o, 0, sizeof *o);
  o->ev.h = 0xCBF29CE484222325u;
  ev.ud = &o->ev;
  o->rc = ng_json_parse(s, n, &opt, &o->doc, &o->err);
  o->ev_rc = ng_json_parse_events(s, n, &opt, &ev, &o->ev_err);
}

static size_t compared, rejected;

static void report(const char *what, unsigned e, const char *s, size_t n,
                   const outcome *ref, const outcome *got) {
  fprintf(stderr,
          "%s: engine %s differs on %zu bytes \"%.*s\": ref %s@%zu d%zu, "
          "got %s@%zu d%zu (events ref %s@%zu got %s@%zu)\n",
          what, ng_json_engine_name((ng_json_engine)e), n,
          (int)(n < 120 ? n : 120), s, ng_err_name(ref->rc), ref->err.offset,
          ref->err.depth, ng_err_name(got->rc), got->err.offset, got->err.depth,
          ng_err_name(ref->ev_rc), ref->ev_err.offset, ng_err_name(got->ev_rc),
          got->ev_err.offset);
}

/* Every engine agrees with the iterative one on s[0..n). */
static void agree(const ng_json_options *base, const char *s, size_t n) {
  outcome ref, got;
  unsigned e;

  run_engine(NG_JSON_ITERATIVE, base, s, n, &ref);
  /* The events path agrees with the DOM path of the same engine, except
   * where only the DOM can fail (duplicate keys, arena limits). */
  if (base->dupkeys == NG_JSON_DUP_KEEP && base->limits.max_memory == 0 &&
      (ref.rc != ref.ev_rc ||
       (ref.rc != NG_OK && !ng_test_same_error(&ref.err, &ref.ev_err)))) {
    report("events vs DOM", NG_JSON_ITERATIVE, s, n, &ref, &ref);
    fail();
  }
  for (e = 0; e < NG_JSON_ENGINE_COUNT; e++) {
    if (e == NG_JSON_ITERATIVE)
      continue;
    run_engine((ng_json_engine)e, base, s, n, &got);
    if (got.rc != ref.rc || got.ev_rc != ref.ev_rc ||
        (ref.rc != NG_OK && !ng_test_same_error(&ref.err, &got.err)) ||
        (ref.ev_rc != NG_OK && !ng_test_same_error(&ref.ev_err, &got.ev_err)) ||
        (ref.rc == NG_OK && !ng_json_equal(ng_json_doc_root(ref.doc),
                                           ng_json_doc_root(got.doc))) ||
        (ref.ev_rc == NG_OK &&
         (ref.ev.h != got.ev.h || ref.ev.n != got.ev.n))) {
      report("mismatch", e, s, n, &ref, &got);
      fail();
    }
    ng_json_doc_free(got.doc);
  }
  compared++;
  rejected += ref.rc != NG_OK;
  ng_json_doc_free(ref.doc);
}

/* The option sets every input is tried under. */
static void option_sets(ng_json_options *o, size_t *n) {
  size_t i;
  *n = 4;
  for (i = 0; i < *n; i++)
    ng_json_options_default(&o[i]);
  o[1].dupkeys = NG_JSON_DUP_REJECT;
  o[1].flags = NG_JSON_BIGINT_REJECT;
  o[2].dupkeys = NG_JSON_DUP_LAST;
  o[2].flags = NG_JSON_ALLOW_LONE_SURROGATES;
  o[2].limits.max_depth = 3;
  o[3].limits.max_string = 8;
  o[3].limits.max_memory = 6000;
  o[3].limits.max_depth = 5;
}

/* -------------------------------------------------------------- tests */

static void test_random_documents(void **state) {
  size_t docs = slow_build() ? 150 : 3000, d, i, nopt;
  ng_json_options opts[4];
  textbuf t = {NULL, 0, 0};
  (void)state;
  option_sets(opts, &nopt);
  compared = rejected = 0;
  for (d = 0; d < docs; d++) {
    t.n = 0;
    gen_value(&t, 0);
    for (i = 0; i < nopt; i++)
      agree(&opts[i], t.p, t.n);
  }
  fprintf(stderr, "random documents: %zu inputs, %zu rejected\n", compared,
          rejected);
  assert_true(rejected > 0 && rejected < compared);
  free(t.p);
}

static void test_mutated_documents(void **state) {
  size_t docs = slow_build() ? 300 : 8000, d, nopt;
  ng_json_options opts[4];
  textbuf t = {NULL, 0, 0};
  (void)state;
  option_sets(opts, &nopt);
  compared = rejected = 0;
  for (d = 0; d < docs; d++) {
    t.n = 0;
    gen_value(&t, 0);
    mutate(&t);
    agree(&opts[d % nopt], t.p, t.n);
  }
  fprintf(stderr, "mutated documents: %zu inputs, %zu rejected\n", compared,
          rejected);
  assert_true(rejected > compared / 2);
  free(t.p);
}

/* Every prefix of each document: truncation must fail the same way. */
static void test_every_truncation(void **state) {
  size_t docs = slow_build() ? 20 : 300, d, cut;
  ng_json_options o;
  textbuf t = {NULL, 0, 0};
  (void)state;
  ng_json_options_default(&o);
  for (d = 0; d < docs; d++) {
    t.n = 0;
    gen_value(&t, 0);
    for (cut = 0; cut <= t.n; cut++)
      agree(&o, t.p, cut);
  }
  free(t.p);
}

/* Deep, wide and mixed nestings, complete and truncated, around limits. */
static void nest_text(textbuf *t, size_t depth, const char *pattern, int close) {
  size_t i, np = strlen(pattern);
  t->n = 0;
  for (i = 0; i < depth; i++)
    tb_puts(t, pattern[i % np] == 'a' ? "[" : "{\"k\":");
  tb_puts(t, "1");
  for (i = depth; close && i-- > 0;)
    tb_puts(t, pattern[i % np] == 'a' ? "]" : "}");
}

static void test_nestings_and_depth_limits(void **state) {
  static const char *const patterns[] = {"a", "o", "ao", "aao", "oao"};
  static const size_t limits[] = {1, 2, 3, 16, 64, 1000};
  size_t p, l, delta;
  ng_json_options o;
  textbuf t = {NULL, 0, 0};
  (void)state;
  ng_json_options_default(&o);
  for (p = 0; p < sizeof patterns / sizeof patterns[0]; p++) {
    for (l = 0; l < sizeof limits / sizeof limits[0]; l++) {
      o.limits.max_depth = limits[l];
      for (delta = 0; delta < 3; delta++) {
        /* depth limit-1, limit, limit+1 */
        size_t depth = limits[l] + delta - 1, cut;
        nest_text(&t, depth, patterns[p], 1);
        agree(&o, t.p, t.n);
        nest_text(&t, depth, patterns[p], 0);
        agree(&o, t.p, t.n);
        if (limits[l] <= 16) {
          nest_text(&t, depth, patterns[p], 1);
          for (cut = 0; cut < t.n; cut++)
            agree(&o, t.p, cut);
        }
      }
    }
  }
  /* Deep with the limit off, and wide. */
  o.limits.max_depth = 0;
  nest_text(&t, slow_build() ? 20000 : 200000, "aao", 1);
  agree(&o, t.p, t.n);
  t.n = 0;
  tb_puts(&t, "[");
  for (p = 0; p < 100000; p++)
    tb_puts(&t, p ? ",{\"a\":[1,\"x\"]}" : "{}");
  tb_puts(&t, "]");
  agree(&o, t.p, t.n);
  free(t.p);
}

/* The corpus under every option set. */
static void test_corpus(void **state) {
  ng_json_options opts[4];
  size_t i, j, nopt;
  ng_corpus c;
  (void)state;
  option_sets(opts, &nopt);
  assert_int_equal(ng_corpus_load(&c, "corpus/json"), 0);
  for (i = 0; i < c.n; i++)
    for (j = 0; j < nopt; j++)
      agree(&opts[j], c.files[i].data, c.files[i].len);
  ng_corpus_free(&c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_random_documents),
      cmocka_unit_test(test_mutated_documents),
      cmocka_unit_test(test_every_truncation),
      cmocka_unit_test(test_nestings_and_depth_limits),
      cmocka_unit_test(test_corpus),
  };
  return cmocka_run_group_tests_name("json_diff", tests, NULL, NULL);
}
