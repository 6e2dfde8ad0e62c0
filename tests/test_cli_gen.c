/*
 * tests/test_cli_gen.c - `nestguard gen`: every shape nests exactly as
 * deep as asked (measured by the JSON or XML parser, every engine),
 * the same options write the same bytes, the output is the library
 * generator's (fuzz/gen/gen_nesting.c), and a 1e8-deep document streams
 * in constant memory (the child's peak RSS through tests/support/spawn.h).
 * NG_VALGRIND / NG_SANITIZED scale the big runs down to 1e7 levels.
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
#include "nestguard/xml.h"
#include "support/spawn.h"
#include "support/tmpdir.h"

#define NG_GEN_NO_MAIN
#include "../fuzz/gen/gen_nesting.c"
#include "support/testenv.h"

static int big_runs_scaled(void) {
  return ng_test_valgrind() || ng_test_sanitized();
}

/* ------------------------------------------------------------ running */

/* Runs `nestguard gen` with up to 6 options (NULL ends them). */
static ng_spawn_result run_gen(const char *a1, const char *a2, const char *a3,
                               const char *a4, const char *a5, const char *a6) {
  const char *args[] = {a1, a2, a3, a4, a5, a6};
  char *argv[9];
  ng_spawn_result r;
  int n = 0, i;

  argv[n++] = (char *)(uintptr_t)ng_spawn_cli_path();
  argv[n++] = (char *)(uintptr_t) "gen";
  for (i = 0; i < 6 && args[i] != NULL; i++)
    argv[n++] = (char *)(uintptr_t)args[i];
  argv[n] = NULL;
  assert_int_equal(ng_spawn(argv, NULL, &r), 0);
  assert_true(r.exited); /* never a signal */
  return r;
}

/* Reads a whole file into a malloc'd buffer. */
static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *p;
  long n;

  assert_non_null(f);
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  n = ftell(f);
  assert_true(n >= 0);
  rewind(f);
  p = malloc((size_t)n + 1);
  assert_non_null(p);
  assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  *len = (size_t)n;
  return p;
}

/* `gen --shape=SHAPE --depth=D --seed=S [extra] [extra2]` into a file,
 * read back. */
static char *gen_doc2(const char *shape, size_t depth, unsigned seed,
                      const char *extra, const char *extra2, size_t *len) {
  char a_shape[64], a_depth[64], a_seed[64], out[256];
  ng_spawn_result r;

  snprintf(a_shape, sizeof a_shape, "--shape=%s", shape);
  snprintf(a_depth, sizeof a_depth, "--depth=%zu", depth);
  snprintf(a_seed, sizeof a_seed, "--seed=%u", seed);
  snprintf(out, sizeof out, "--output=%s/doc.json", ng_tmpdir());
  r = run_gen(a_shape, a_depth, a_seed, out, extra, extra ? extra2 : NULL);
  if (r.status != 0)
    fail_msg("gen %s %s %s: exit %d: %s", a_shape, a_depth, a_seed, r.status,
             r.err);
  return slurp(out + strlen("--output="), len);
}

static char *gen_doc(const char *shape, size_t depth, unsigned seed,
                     const char *extra, size_t *len) {
  return gen_doc2(shape, depth, seed, extra, NULL, len);
}

/* ------------------------------------------------------- depth probes */

/* Container depth seen through the event API. */
typedef struct depth_probe {
  size_t cur; /* containers open now */
  size_t max; /* most ever open at once */
} depth_probe;

static int on_open(void *ud) {
  depth_probe *p = ud;
  if (++p->cur > p->max)
    p->max = p->cur;
  return 0;
}

static int on_close(void *ud) {
  ((depth_probe *)ud)->cur--;
  return 0;
}

static int on_start(void *ud, const char *name, size_t len,
                    const ng_xml_event_attr *attrs, size_t nattrs) {
  (void)name, (void)len, (void)attrs, (void)nattrs;
  return on_open(ud);
}

static int on_end(void *ud, const char *name, size_t len) {
  (void)name, (void)len;
  return on_close(ud);
}

/* Engines of a format, and their names. */
static int engine_count(ng_gen_format f) {
  return f == NG_GEN_XML ? NG_XML_ENGINE_COUNT : NG_JSON_ENGINE_COUNT;
}

static const char *engine_name(ng_gen_format f, int e) {
  return f == NG_GEN_XML ? ng_xml_engine_name((ng_xml_engine)e)
                         : ng_json_engine_name((ng_json_engine)e);
}

/* Parses doc in format f with the engine and max_depth; returns the code
 * and, in *deepest, how many containers (elements) were open at once. */
static int parse_depth(ng_gen_format f, const char *doc, size_t len, int engine,
                       size_t max, size_t *deepest) {
  ng_json_events ev = {on_open, on_close, on_open, on_close, NULL, NULL, NULL};
  ng_xml_events xev = {.start_element = on_start, .end_element = on_end};
  depth_probe p = {0, 0};
  ng_json_options opt;
  ng_xml_options xopt;
  int rc;

  ev.ud = xev.ud = &p;
  if (f == NG_GEN_XML) {
    ng_xml_options_default(&xopt);
    xopt.engine = (ng_xml_engine)engine;
    xopt.limits.max_depth = max;
    rc = ng_xml_parse_events(doc, len, &xopt, &xev, NULL);
  } else {
    ng_json_options_default(&opt);
    opt.engine = (ng_json_engine)engine;
    opt.limits.max_depth = max;
    rc = ng_json_parse_events(doc, len, &opt, &ev, NULL);
  }
  *deepest = p.max;
  return rc;
}

/* The outcome a check wants: parsed, or rejected for its syntax. */
enum { WANT_OK, WANT_SYNTAX_ERROR };

/* rc is the wanted outcome (a rejection must not be for depth). */
static int as_wanted(int rc, int want) {
  return want == WANT_OK ? rc == NG_OK : rc != NG_OK && rc != NG_EDEPTH;
}

/*
 * Every engine of format f, on doc: the outcome `want` with max_depth 0
 * after exactly `depth` containers open at once; the same outcome with
 * max_depth depth; NG_EDEPTH with depth - 1. So the document nests
 * exactly depth deep.
 */
static void assert_depth_in(ng_gen_format f, const char *what, const char *doc,
                            size_t len, size_t depth, int want) {
  size_t deepest;
  int e, rc;

  for (e = 0; e < engine_count(f); e++) {
    rc = parse_depth(f, doc, len, e, 0, &deepest);
    if (!as_wanted(rc, want) || deepest != depth)
      fail_msg("%s, %s: %s at depth %zu (want %s at depth %zu)", what,
               engine_name(f, e), ng_err_name(rc), deepest,
               want == WANT_OK ? "OK" : "a syntax error", depth);
    assert_true(as_wanted(parse_depth(f, doc, len, e, depth, &deepest), want));
    if (depth > 1)
      assert_int_equal(parse_depth(f, doc, len, e, depth - 1, &deepest),
                       NG_EDEPTH);
  }
}

static void assert_depth(const char *what, const char *doc, size_t len,
                         size_t depth, int want) {
  assert_depth_in(NG_GEN_JSON, what, doc, len, depth, want);
}

static const size_t depths[] = {1, 2, 7, 1000, 100000};
#define N_DEPTHS (sizeof depths / sizeof depths[0])

/*
 * `gen --shape=SHAPE [extra]` in format f at each of depths[] (seed: the
 * depth's index): in every engine, containers exactly depth + more deep
 * and the outcome want.
 */
static void assert_shape_depths(ng_gen_format f, const char *shape,
                                const char *extra, size_t more, int want) {
  const char *fmt = f == NG_GEN_XML ? "--format=xml" : NULL;
  char what[96];
  size_t d, len;
  char *doc;

  for (d = 0; d < N_DEPTHS; d++) {
    doc = gen_doc2(shape, depths[d], (unsigned)d, extra ? extra : fmt,
                   extra ? fmt : NULL, &len);
    snprintf(what, sizeof what, "%s %s depth %zu", fmt ? "xml" : "json", shape,
             depths[d]);
    assert_depth_in(f, what, doc, len, depths[d] + more, want);
    free(doc);
  }
}

/* --------------------------------------------------------------- tests */

/* The shapes and the other balanced kinds: depth d, exactly. */
static void test_gen_balanced_shapes_nest_exactly(void **state) {
  static const struct {
    const char *shape, *extra; /* extra: one more option, or NULL */
  } shapes[] = {{"arrays", NULL},
                {"objects", NULL},
                {"mixed", NULL},
                {"deep-wide", "--width=50"},
                {"strings", "--size=300"},
                {"alternating", NULL},
                {"long-string", "--size=300"}};
  size_t s;

  (void)state;
  for (s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
    assert_shape_depths(NG_GEN_JSON, shapes[s].shape, shapes[s].extra, 0,
                        WANT_OK);
}

/* wide-deep puts --width nests of depth d in one array: d + 1. */
static void test_gen_wide_deep_adds_one_level(void **state) {
  size_t len;
  char *doc;

  (void)state;
  doc = gen_doc("wide-deep", 500, 0, "--width=20", &len);
  assert_depth("wide-deep 500 x 20", doc, len, 501, WANT_OK);
  free(doc);
}

/* unbalanced (every defect, by seed) and the fixed defects: rejected for
 * their syntax after reaching depth d, never for depth. */
static void test_gen_unbalanced_rejected_at_depth(void **state) {
  static const char *const shapes[] = {"unbalanced", "unclosed", "overclosed",
                                       "mismatched"};
  char what[96];
  size_t s, d, len;
  unsigned seed;
  char *doc;

  (void)state;
  for (s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
    for (d = 0; d < N_DEPTHS; d++)
      for (seed = 0; seed < (s == 0 ? 6u : 1u); seed++) {
        doc = gen_doc(shapes[s], depths[d], seed, NULL, &len);
        snprintf(what, sizeof what, "%s depth %zu seed %u", shapes[s],
                 depths[d], seed);
        assert_depth(what, doc, len, depths[d], WANT_SYNTAX_ERROR);
        free(doc);
      }
}

/* The same options write the same bytes; the seed picks the document. */
static void test_gen_deterministic_by_seed(void **state) {
  static const char *const seeded_shapes[] = {"mixed", "unbalanced", "strings"};
  size_t i, la, lb, lc;
  char *a, *b, *c;

  (void)state;
  for (i = 0; i < 3; i++) {
    a = gen_doc(seeded_shapes[i], 200, 7, NULL, &la);
    b = gen_doc(seeded_shapes[i], 200, 7, NULL, &lb);
    c = gen_doc(seeded_shapes[i], 200, 8, NULL, &lc);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    assert_true(la != lc || memcmp(a, c, la) != 0);
    free(a);
    free(b);
    free(c);
  }
  /* A shape without randomness ignores the seed. */
  a = gen_doc("objects", 200, 1, NULL, &la);
  b = gen_doc("objects", 200, 2, NULL, &lb);
  assert_int_equal(la, lb);
  assert_memory_equal(a, b, la);
  free(a);
  free(b);
}

/* The CLI writes what the library generator builds (one generator), and
 * stdout carries the same bytes as --output. */
static void test_gen_is_the_library_generator(void **state) {
  ng_gen_spec spec;
  ng_spawn_result r;
  char *lib, *cli;
  size_t llen, clen;

  (void)state;
  memset(&spec, 0, sizeof spec);
  spec.kind = NG_GEN_STRINGS;
  spec.depth = 40;
  spec.strlen = 100;
  spec.seed = 12345;
  assert_int_equal(ng_gen_nesting(&spec, &lib, &llen), 0);
  cli = gen_doc("strings", 40, 12345, "--size=100", &clen);
  assert_int_equal(llen, clen);
  assert_memory_equal(lib, cli, llen);
  free(cli);
  r = run_gen("--shape=strings", "--depth=40", "--seed=12345", "--size=100",
              NULL, NULL);
  assert_int_equal(r.status, 0);
  assert_true(llen < sizeof r.out);
  assert_int_equal(strlen(r.out), llen);
  assert_memory_equal(r.out, lib, llen);
  free(lib);
}

/* Peak RSS of `gen --depth=N -o /dev/null` with the shape, in KiB. */
static long gen_peak_kb(const char *shape, const char *depth) {
  char a_shape[64], a_depth[64];
  ng_spawn_result r;

  snprintf(a_shape, sizeof a_shape, "--shape=%s", shape);
  snprintf(a_depth, sizeof a_depth, "--depth=%s", depth);
  r = run_gen(a_shape, a_depth, "-o", "/dev/null", NULL, NULL);
  assert_int_equal(r.status, 0);
  return r.max_rss_kb;
}

/*
 * Streaming: 1e8 levels (200 MB of arrays) cost no more memory than 1e3.
 * A generator holding the document would need 200 MB; the bound allows
 * 4 MiB of noise (allocator, page cache accounting).
 */
static void test_gen_streams_in_constant_memory(void **state) {
  const char *big = big_runs_scaled() ? "1e7" : "1e8";
  long small_kb, big_kb;

  (void)state;
  small_kb = gen_peak_kb("arrays", "1e3");
  big_kb = gen_peak_kb("arrays", big);
  if (big_kb - small_kb > 4096)
    fail_msg("arrays %s: peak %ld KiB against %ld KiB at 1e3", big, big_kb,
             small_kb);
  /* The seeded shapes recompute their levels on the way out. */
  big_kb = gen_peak_kb("unbalanced", big_runs_scaled() ? "1e6" : "1e7");
  if (big_kb - small_kb > 4096)
    fail_msg("unbalanced: peak %ld KiB against %ld KiB", big_kb, small_kb);
}

/* The pipeline, at a depth `check` (which reads all its input)
 * holds easily: gen | check --max-depth=0 - accepts, a lower cap rejects. */
static void test_gen_pipes_into_check(void **state) {
  char cmd[1024], *argv[4];
  ng_spawn_result r;
  int cap;

  (void)state;
  for (cap = 0; cap < 2; cap++) {
    snprintf(cmd, sizeof cmd,
             "'%s' gen --shape=mixed --depth=1e5 --seed=3 | "
             "'%s' check --max-depth=%s -",
             ng_spawn_cli_path(), ng_spawn_cli_path(), cap ? "99999" : "0");
    argv[0] = (char *)(uintptr_t) "/bin/sh";
    argv[1] = (char *)(uintptr_t) "-c";
    argv[2] = cmd;
    argv[3] = NULL;
    assert_int_equal(ng_spawn(argv, NULL, &r), 0);
    assert_true(r.exited);
    assert_int_equal(r.status, cap ? 1 : 0);
    if (cap)
      assert_non_null(strstr(r.err, "EDEPTH"));
  }
}

/* --format=xml: each shape XML has, at depth d, in every XML engine:
 * elements exactly `d + more` deep. */
static void test_gen_xml_shapes(void **state) {
  static const struct {
    const char *shape, *extra; /* extra: one more option, or NULL */
    size_t more;               /* levels past --depth */
    int want;
  } shapes[] = {{"arrays", NULL, 0, WANT_OK},
                {"objects", NULL, 0, WANT_OK},
                {"alternating", NULL, 0, WANT_OK},
                {"long-string", "--size=300", 0, WANT_OK},
                {"deep-wide", "--width=5", 1, WANT_OK},
                {"wide-deep", "--width=4", 1, WANT_OK},
                {"unclosed", NULL, 0, WANT_SYNTAX_ERROR},
                {"overclosed", NULL, 0, WANT_SYNTAX_ERROR},
                {"mismatched", NULL, 0, WANT_SYNTAX_ERROR}};
  size_t s;

  (void)state;
  for (s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
    assert_shape_depths(NG_GEN_XML, shapes[s].shape, shapes[s].extra,
                        shapes[s].more, shapes[s].want);
}

/* Usage errors exit 2 with a reason; --help tells what XML has. */
static void test_gen_usage(void **state) {
  ng_spawn_result r;

  (void)state;
  r = run_gen("--help", NULL, NULL, NULL, NULL, NULL);
  assert_int_equal(r.status, 0);
  assert_non_null(strstr(r.out, "usage: nestguard gen"));
  assert_non_null(strstr(r.out, "--format=xml"));
  r = run_gen("--format=xml", "--shape=mixed", NULL, NULL, NULL, NULL);
  assert_int_equal(r.status, 2);
  assert_non_null(strstr(r.err, "JSON only: mixed"));
  r = run_gen("--format=yaml", NULL, NULL, NULL, NULL, NULL);
  assert_int_equal(r.status, 2);
  assert_non_null(strstr(r.err, "unsupported format"));
  r = run_gen("--shape=arrays", "--size=10", NULL, NULL, NULL, NULL);
  assert_int_equal(r.status, 2);
  assert_non_null(strstr(r.err, "--size applies"));
  r = run_gen("--shape=pyramid", NULL, NULL, NULL, NULL, NULL);
  assert_int_equal(r.status, 2);
  r = run_gen("--depth=1e", NULL, NULL, NULL, NULL, NULL);
  assert_int_equal(r.status, 2);
  r = run_gen("--depth=99999999999999999999", NULL, NULL, NULL, NULL, NULL);
  assert_int_equal(r.status, 2);
  r = run_gen("deep.json", NULL, NULL, NULL, NULL, NULL);
  assert_int_equal(r.status, 2);
  r = run_gen("-o", NULL, NULL, NULL, NULL, NULL);
  assert_int_equal(r.status, 2);
  r = run_gen("-o", "/nonexistent-dir/x.json", NULL, NULL, NULL, NULL);
  assert_int_equal(r.status, 2);
  assert_non_null(strstr(r.err, "/nonexistent-dir/x.json"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_gen_balanced_shapes_nest_exactly),
      cmocka_unit_test(test_gen_wide_deep_adds_one_level),
      cmocka_unit_test(test_gen_unbalanced_rejected_at_depth),
      cmocka_unit_test(test_gen_deterministic_by_seed),
      cmocka_unit_test(test_gen_is_the_library_generator),
      cmocka_unit_test(test_gen_streams_in_constant_memory),
      cmocka_unit_test(test_gen_pipes_into_check),
      cmocka_unit_test(test_gen_xml_shapes),
      cmocka_unit_test(test_gen_usage),
  };
  return cmocka_run_group_tests(tests, ng_tmpdir_setup, ng_tmpdir_teardown);
}
