/*
 * tests/test_regressions.c - fuzz reproducers and oracles, no fuzzer needed.
 *
 * Every file in corpus/regressions/ (written there by fuzz/run triage, or
 * by hand) runs through every fuzz harness of both formats: the
 * per-engine oracles (XML's for every engine that exists), the
 * differential, round-trip and options targets, XML's encoding target. The
 * harness sources are compiled into this binary (NG_FUZZ_NO_ENTRY drops their
 * libFuzzer entry points; NG_FUZZ_NO_ABORT makes a violated oracle count a
 * failure instead of abort()ing), so `make check` checks exactly what the
 * fuzzers check. The fuzz seed corpus and generated nestings at the default
 * depth limit replay the same way, and a test proves the oracles can fail.
 */
#define _GNU_SOURCE /* the harnesses' signal code (SA_ONSTACK) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NG_FUZZ_NO_ENTRY
#define NG_FUZZ_NO_ABORT
#include "../fuzz/fuzz.c"
#include "../fuzz/fuzz_json.c"
#include "../fuzz/fuzz_xml.c"
#include "../fuzz/json_differential.c"
#include "../fuzz/json_iterative.c"
#include "../fuzz/json_lalr.c"
#include "../fuzz/json_lexer.c"
#include "../fuzz/json_options.c"
#include "../fuzz/json_recursive.c"
#include "../fuzz/json_roundtrip.c"
#include "../fuzz/json_trampoline.c"
#include "../fuzz/stack_tasks.c"
#include "../fuzz/xml_differential.c"
#include "../fuzz/xml_encoding.c"
#include "../fuzz/xml_options.c"
#include "../fuzz/xml_roundtrip.c"

#define NG_GEN_NO_MAIN
#include "../fuzz/gen/gen_nesting.c"

#include "support/corpus.h"

typedef struct harness {
  const char *name;
  int (*fn)(const uint8_t *data, size_t size);
} harness;

static const harness harnesses[] = {
    {"json_iterative", ng_fuzz_json_iterative},
    {"json_recursive", ng_fuzz_json_recursive},
    {"json_trampoline", ng_fuzz_json_trampoline},
    {"json_lalr", ng_fuzz_json_lalr},
    {"json_differential", ng_fuzz_json_differential},
    {"json_roundtrip", ng_fuzz_json_roundtrip},
    {"json_options", ng_fuzz_json_options},
    {"json_lexer", ng_fuzz_json_lexer},
    {"stack_tasks", ng_fuzz_stack_tasks},
    {"xml_<engine>", ng_fuzz_xml_engines},
    {"xml_differential", ng_fuzz_xml_differential},
    {"xml_roundtrip", ng_fuzz_xml_roundtrip},
    {"xml_options", ng_fuzz_xml_options},
    {"xml_encoding", ng_fuzz_xml_encoding},
};

#define NHARNESS (sizeof harnesses / sizeof harnesses[0])

/*
 * Runs data through every harness from an exactly-sized heap copy (so a
 * sanitizer sees a read past the end). Returns the number of harnesses
 * whose oracles failed, after printing which.
 */
static int replay_one(const char *name, const char *data, size_t len) {
  uint8_t *copy = malloc(len ? len : 1);
  unsigned long before;
  size_t h;
  int bad = 0;

  assert_non_null(copy);
  if (len > 0)
    memcpy(copy, data, len);
  for (h = 0; h < NHARNESS; h++) {
    before = ng_fuzz_failures;
    (void)harnesses[h].fn(copy, len);
    if (ng_fuzz_failures != before) {
      print_error("%s: %s oracle failed\n", name, harnesses[h].name);
      bad++;
    }
  }
  free(copy);
  return bad;
}

/* Replays every regular file of dir; returns failures, or -1 if absent. */
static int replay_dir(const char *dir, size_t *count) {
  ng_corpus c;
  size_t i;
  int bad = 0;

  *count = 0;
  if (ng_corpus_load(&c, dir) != 0)
    return -1;
  for (i = 0; i < c.n; i++) {
    if (strncmp(c.files[i].name, "README", 6) == 0)
      continue;
    bad += replay_one(c.files[i].name, c.files[i].data, c.files[i].len);
    (*count)++;
  }
  ng_corpus_free(&c);
  return bad;
}

static void test_regressions(void **state) {
  size_t n;
  int bad;

  (void)state;
  bad = replay_dir("corpus/regressions", &n);
  if (bad < 0) {
    print_message("corpus/regressions not found: run from the source root\n");
    fail();
  }
  print_message("%zu reproducers x %zu harnesses\n", n, (size_t)NHARNESS);
  assert_int_equal(bad, 0);
}

/* The fuzz seed corpus and the shared JSON corpus, same oracles. */
static void test_seed_corpora(void **state) {
  static const char *const dirs[] = {"fuzz/corpus/json", "fuzz/corpus/stack",
                                     "corpus/json", "fuzz/corpus/xml",
                                     "corpus/xml"};
  size_t d, n, total = 0;
  int bad;

  (void)state;
  for (d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
    bad = replay_dir(dirs[d], &n);
    if (bad < 0)
      continue;
    assert_int_equal(bad, 0);
    total += n;
  }
  print_message("%zu seed files x %zu harnesses\n", total, (size_t)NHARNESS);
  assert_true(total > 0);
}

/*
 * Generated nestings at the default max_depth (10,000): one level under,
 * at and over it, every kind of both formats; over the limit the engine
 * harnesses and the differential re-parse with max_depth=0, so deep paths of
 * every engine run and are compared.
 */
static void test_generated_limits(void **state) {
  static const size_t depths[] = {
      NG_DEFAULT_MAX_DEPTH - 1, NG_DEFAULT_MAX_DEPTH, NG_DEFAULT_MAX_DEPTH + 1};
  ng_gen_spec s;
  char *doc, name[96];
  size_t len, d;
  int k, bad = 0;

  (void)state;
  memset(&s, 0, sizeof s);
  for (k = 0; k < 2 * NG_GEN_KIND_COUNT; k++) {
    s.kind = (ng_gen_kind)(k % NG_GEN_KIND_COUNT);
    s.format = k < NG_GEN_KIND_COUNT ? NG_GEN_JSON : NG_GEN_XML;
    if (!ng_gen_kind_has_format(s.kind, s.format))
      continue;
    for (d = 0; d < 3; d++) {
      s.depth = depths[d];
      s.width = s.kind == NG_GEN_WIDE_DEEP ? 2 : 3;
      s.strlen = 100;
      assert_int_equal(ng_gen_nesting(&s, &doc, &len), 0);
      snprintf(name, sizeof name, "%s/%s/%zu",
               s.format == NG_GEN_XML ? "xml" : "json",
               ng_gen_kind_name(s.kind), s.depth);
      bad += replay_one(name, doc, len);
      free(doc);
    }
  }
  assert_int_equal(bad, 0);
}

/* The oracles must be able to fail, or the replays above prove nothing. */
static void test_oracles_fail(void **state) {
  unsigned long before = ng_fuzz_failures;
  ng_error e1, e2;
  ng_failalloc fa;
  void *p;

  (void)state;
  memset(&e1, 0, sizeof e1);
  /* NG_OK without a document. */
  assert_int_equal(
      ng_fuzz_check_result("t", (const uint8_t *)"1", 1, NG_OK, NULL, &e1), -1);
  /* An error whose line/column do not match its offset. */
  e1.code = NG_ESYNTAX;
  e1.offset = 2;
  e1.line = 1;
  e1.column = 1;
  assert_int_equal(ng_fuzz_check_result("t", (const uint8_t *)"[\n]", 3,
                                        NG_ESYNTAX, NULL, &e1),
                   -1);
  /* Errors differing only in depth are different errors. */
  e2 = e1;
  e2.depth = 1;
  assert_false(ng_fuzz_same_error(&e1, &e2));
  /* A leaked block. */
  ng_failalloc_init(&fa, 0);
  p = fa.alc.malloc(fa.alc.ctx, 8);
  assert_int_equal(ng_fuzz_check_alloc("t", &fa), -1);
  fa.alc.free(fa.alc.ctx, p, 8);
  assert_int_equal(ng_fuzz_check_alloc("t", &fa), 0);
  assert_int_equal(ng_fuzz_failures - before, 3);
  ng_fuzz_failures = before;
}

/* The XML oracles can fail too: positions, expansion, the event sink. */
static void test_xml_oracles_fail(void **state) {
  static const uint8_t crlf[] = "<a>\r\n\r<b";
  static const uint8_t u16[] = "\xFF\xFE<\0\n\0x\0";
  unsigned long before = ng_fuzz_failures;
  ng_fuzz_xmlstat st;
  ng_error e;
  size_t line, col;

  (void)state;
  /* CR LF is one line end, a lone CR another: offset 7 is line 3 col 2. */
  assert_int_equal(ng_fuzz_xml_linecol(crlf, 8, 7, &line, &col), 0);
  assert_int_equal(line, 3);
  assert_int_equal(col, 2);
  memset(&e, 0, sizeof e);
  e.code = NG_EEOF;
  e.offset = 7;
  e.line = 2;
  e.column = 2;
  assert_int_equal(ng_fuzz_xml_check_result("t", crlf, 8, NG_EEOF, NULL, &e),
                   -1);
  /* UTF-16LE with a BOM: columns count its bytes after the line start. */
  assert_int_equal(ng_fuzz_xml_linecol(u16, 8, 6, &line, &col), 0);
  assert_int_equal(line, 2);
  assert_int_equal(col, 1);
  /* 2 MiB of text from 10 input bytes passes the default 1 MiB; 2 MiB of
   * values may be defaults, 9 MiB may not. */
  memset(&st, 0, sizeof st);
  st.text_bytes = (size_t)2 << 20;
  assert_int_equal(ng_fuzz_xml_check_expansion("t", 10, &st, 0), -1);
  st.text_bytes = 30;
  assert_int_equal(ng_fuzz_xml_check_expansion("t", 10, &st, 0), 0);
  st.attr_bytes = (size_t)2 << 20;
  assert_int_equal(ng_fuzz_xml_check_expansion("t", 10, &st, 0), 0);
  st.attr_bytes = (size_t)9 << 20;
  assert_int_equal(ng_fuzz_xml_check_expansion("t", 10, &st, 0), -1);
  assert_int_equal(ng_fuzz_failures - before, 3);
  ng_fuzz_failures = before;
}

/* The options header decoder: documented layout, limits as documented. */
static void test_settings_decoder(void **state) {
  static const uint8_t hdr[NG_FUZZ_SETTINGS_BYTES + 2] = {
      0xC5, 0x03, 0x41, 0x00, 0x80, 0x01, 0x05, 0x01, '[', ']'};
  ng_fuzz_reader r = {hdr, sizeof hdr};
  ng_fuzz_settings s;

  (void)state;
  ng_fuzz_decode_settings(&jo_format, &r, &s);
  assert_int_equal(s.opt.json.engine, NG_JSON_RECURSIVE); /* 0xC5 & 3 */
  assert_int_equal(s.opt.json.dupkeys, NG_JSON_DUP_REJECT);
  assert_int_equal(s.events, 1);
  assert_int_equal(s.fail_after, 1);
  assert_int_equal(s.opt.json.limits.max_depth, 3);
  assert_int_equal(s.opt.json.limits.max_stack, 16 * 4096);
  assert_int_equal(s.opt.json.limits.max_input, 0);
  assert_int_equal(s.opt.json.limits.max_string, 64 * 256);
  assert_int_equal(s.opt.json.limits.max_memory, 1024);
  assert_int_equal(s.fail_at, 0x105);
  assert_int_equal(r.n, 2);
  assert_int_equal(ng_fuzz_limit(0, 7), 0);
}

/* XML's header: one byte more, max_entity_expansion before fail_at. */
static void test_xml_settings_decoder(void **state) {
  static const uint8_t hdr[] = {0x4A, 0x02, 0, 0, 0, 0, 0x05, 0x03, 0x00, '<'};
  ng_fuzz_reader r = {hdr, sizeof hdr};
  ng_fuzz_settings s;

  (void)state;
  assert_int_equal(ng_fuzz_settings_bytes(&xo_format), 9);
  ng_fuzz_decode_settings(&xo_format, &r, &s);
  assert_int_equal(s.opt.xml.engine, 2 % NG_XML_ENGINE_COUNT);
  assert_int_equal(s.opt.xml.flags, NG_XML_KEEP_CDATA);
  assert_int_equal(s.events, 1);
  assert_int_equal(s.fail_after, 0);
  assert_int_equal(s.opt.xml.limits.max_depth, 2);
  assert_int_equal(s.opt.xml.limits.max_entity_expansion, 5);
  assert_int_equal(s.fail_at, 3);
  assert_int_equal(r.n, 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_oracles_fail),
      cmocka_unit_test(test_xml_oracles_fail),
      cmocka_unit_test(test_settings_decoder),
      cmocka_unit_test(test_xml_settings_decoder),
      cmocka_unit_test(test_regressions),
      cmocka_unit_test(test_seed_corpora),
      cmocka_unit_test(test_generated_limits),
  };
  return cmocka_run_group_tests_name("regressions", tests, NULL, NULL);
}
