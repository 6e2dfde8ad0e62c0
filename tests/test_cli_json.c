/*
 * tests/test_cli_json.c - `nestguard check` and `nestguard parse`: exit
 * status 0 / 1 / 2, the "FILE:LINE:COL: error:" report, options, and
 * every engine on a deep file with --max-depth=0 (never a signal).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/spawn.h"

static char tmpdir[] = "/tmp/ng_cli_json_XXXXXX";

static int setup(void **state) {
  (void)state;
  return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int teardown(void **state) {
  char cmd[128];
  (void)state;
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
  return system(cmd) == 0 ? 0 : -1;
}

/* Writes data[0..n) to tmpdir/name and returns the path (static). */
static const char *write_file(const char *name, const char *data, size_t n) {
  static char path[4][256];
  static int which;
  char *p = path[which++ % 4];
  FILE *f;
  snprintf(p, 256, "%s/%s", tmpdir, name);
  f = fopen(p, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, n, f), n);
  fclose(f);
  return p;
}

/* Runs the CLI with up to 6 arguments. */
static ng_spawn_result run(const char *in, const char *a1, const char *a2,
                           const char *a3, const char *a4, const char *a5) {
  char *argv[8];
  ng_spawn_result r;
  int n = 0;
  argv[n++] = (char *)(uintptr_t)ng_spawn_cli_path();
  argv[n++] = (char *)(uintptr_t)a1;
  argv[n++] = (char *)(uintptr_t)a2;
  argv[n++] = (char *)(uintptr_t)a3;
  argv[n++] = (char *)(uintptr_t)a4;
  argv[n++] = (char *)(uintptr_t)a5;
  argv[n] = NULL;
  assert_int_equal(ng_spawn(argv, in, &r), 0);
  assert_true(r.exited);
  return r;
}

static void test_check_accepts_and_rejects(void **state) {
  const char *ok = write_file("ok.json", "{\"a\":[1,2]}\n", 12);
  const char *bad = write_file("bad.json", "{\"a\":\n  [1 2]}", 14);
  const char *nul = write_file("nul.json", "123\0", 4);
  ng_spawn_result r;
  char want[300];
  (void)state;
  r = run(NULL, "check", ok, NULL, NULL, NULL);
  assert_int_equal(r.status, 0);
  assert_string_equal(r.err, "");
  r = run(NULL, "check", bad, NULL, NULL, NULL);
  assert_int_equal(r.status, 1);
  snprintf(want, sizeof want, "%s:2:6: error: ", bad);
  assert_non_null(strstr(r.err, want));
  assert_non_null(strstr(r.err, "ESYNTAX"));
  r = run(NULL, "check", nul, NULL, NULL, NULL);
  assert_int_equal(r.status, 1);
  assert_non_null(strstr(r.err, ":1:4: error: "));
  assert_non_null(strstr(r.err, "ETRAILING"));
  /* stdin */
  r = run(bad, "check", "-", NULL, NULL, NULL);
  assert_int_equal(r.status, 1);
  assert_non_null(strstr(r.err, "-:2:6: error: "));
  r = run(ok, "check", "--format=json", "-", NULL, NULL);
  assert_int_equal(r.status, 0);
}

static void test_check_options(void **state) {
  const char *dup = write_file("dup.json", "{\"a\":1,\"a\":2}", 13);
  const char *deep = write_file("d3.json", "[[[1]]]", 7);
  const char *big = write_file("big.json", "[18446744073709551616]", 22);
  const char *lone = write_file("lone.json", "\"\\ud800\"", 8);
  ng_spawn_result r;
  (void)state;
  assert_int_equal(run(NULL, "check", dup, NULL, NULL, NULL).status, 0);
  r = run(NULL, "check", "--dupkeys=reject", dup, NULL, NULL);
  assert_int_equal(r.status, 1);
  assert_non_null(strstr(r.err, ":1:8: error: "));
  assert_int_equal(run(NULL, "check", "--max-depth=3", deep, NULL, NULL).status,
                   0);
  r = run(NULL, "check", "--max-depth=2", deep, NULL, NULL);
  assert_int_equal(r.status, 1);
  assert_non_null(strstr(r.err, "EDEPTH"));
  assert_int_equal(run(NULL, "check", big, NULL, NULL, NULL).status, 0);
  assert_int_equal(
      run(NULL, "check", "--bigint-reject", big, NULL, NULL).status, 1);
  assert_int_equal(run(NULL, "check", lone, NULL, NULL, NULL).status, 1);
  assert_int_equal(
      run(NULL, "check", "--allow-lone-surrogates", lone, NULL, NULL).status,
      0);
  r = run(NULL, "check", "--max-input=3", deep, NULL, NULL);
  assert_int_equal(r.status, 1);
  assert_non_null(strstr(r.err, "EINPUTLIMIT"));
  r = run(NULL, "check", "--max-string=1k", "--max-memory=1m", deep, NULL);
  assert_int_equal(r.status, 0);
}

static void test_usage_and_io_errors(void **state) {
  const char *ok = write_file("ok2.json", "[]", 2);
  ng_spawn_result r;
  (void)state;
  r = run(NULL, "check", NULL, NULL, NULL, NULL);
  assert_int_equal(r.status, 2);
  assert_non_null(strstr(r.err, "usage:"));
  assert_int_equal(run(NULL, "check", "--engine=quick", ok, NULL, NULL).status,
                   2);
  assert_int_equal(run(NULL, "check", "--format=xml", ok, NULL, NULL).status,
                   2);
  assert_int_equal(run(NULL, "check", "--max-depth=x", ok, NULL, NULL).status,
                   2);
  assert_int_equal(run(NULL, "check", "--max-depth=-1", ok, NULL, NULL).status,
                   2);
  assert_int_equal(run(NULL, "check", "--bogus", ok, NULL, NULL).status, 2);
  assert_int_equal(run(NULL, "check", ok, ok, NULL, NULL).status, 2);
  assert_int_equal(run(NULL, "parse", "--compact", NULL, NULL, NULL).status, 2);
  r = run(NULL, "check", "/nonexistent/x.json", NULL, NULL, NULL);
  assert_int_equal(r.status, 2);
  assert_non_null(strstr(r.err, "/nonexistent/x.json"));
}

static void test_parse_prints(void **state) {
  static const char doc[] = " {\"a\" : [1, \"x\\n\"], \"b\":{}} ";
  const char *in = write_file("p.json", doc, sizeof doc - 1);
  ng_spawn_result r;
  (void)state;
  r = run(NULL, "parse", "--compact", in, NULL, NULL);
  assert_int_equal(r.status, 0);
  assert_string_equal(r.out, "{\"a\":[1,\"x\\n\"],\"b\":{}}\n");
  r = run(NULL, "parse", in, NULL, NULL, NULL);
  assert_int_equal(r.status, 0);
  assert_non_null(strstr(r.out, "{\n  \"a\": [\n"));
  r = run(NULL, "parse", write_file("e.json", "[1,]", 4), NULL, NULL, NULL);
  assert_int_equal(r.status, 1);
  assert_non_null(strstr(r.err, ":1:4: error: "));
  assert_string_equal(r.out, "");
}

/* A deep file with --max-depth=0 passes with every engine; with the
 * default limit it is rejected, never a crash. */
static void test_deep_every_engine(void **state) {
  static const char *const engines[] = {"--engine=iterative",
                                        "--engine=trampoline", "--engine=lalr",
                                        "--engine=recursive"};
  size_t n = getenv("NG_VALGRIND") ? 100000 : 1000000, i;
  char *b = malloc(2 * n);
  const char *path;
  (void)state;
  assert_non_null(b);
  memset(b, '[', n);
  memset(b + n, ']', n);
  path = write_file("deep.json", b, 2 * n);
  free(b);
  for (i = 0; i < sizeof engines / sizeof engines[0]; i++) {
    ng_spawn_result r =
        run(NULL, "check", engines[i], "--max-depth=0", path, NULL);
    /* 2: the engine is not built yet (NG_ENOTSUP). */
    if (r.status == 2 && strstr(r.err, "not built") != NULL)
      continue;
    assert_int_equal(r.status, 0);
    r = run(NULL, "check", engines[i], path, NULL, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "EDEPTH"));
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_check_accepts_and_rejects),
      cmocka_unit_test(test_check_options),
      cmocka_unit_test(test_usage_and_io_errors),
      cmocka_unit_test(test_parse_prints),
      cmocka_unit_test(test_deep_every_engine),
  };
  return cmocka_run_group_tests_name("cli_json", tests, setup, teardown);
}
