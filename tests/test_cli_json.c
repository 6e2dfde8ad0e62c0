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

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/spawn.h"
#include "support/tmpdir.h"
#include "support/testenv.h"

/* Writes data[0..n) to the scratch directory's file `name`; its path. */
static const char *write_file(const char *name, const char *data, size_t n) {
  const char *p = ng_tmpdir_write(name, data, n);
  assert_non_null(p);
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
  assert_int_equal(run(NULL, "check", "--format=yaml", ok, NULL, NULL).status,
                   2);
  /* XML's own option, on a .json file: not an option for json. */
  r = run(NULL, "check", "--keep-cdata", ok, NULL, NULL);
  assert_int_equal(r.status, 2);
  assert_non_null(strstr(r.err, "unknown option for json: --keep-cdata"));
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
  /* TSan follows call stacks of at most 65,535 frames. */
  size_t n = getenv("NG_TSAN")       ? 50000
             : getenv("NG_VALGRIND") ? 100000
                                     : 1000000,
         i;
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
    assert_int_equal(r.status, 0);
    r = run(NULL, "check", engines[i], path, NULL, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "EDEPTH"));
  }
}

/* ------------------------------------------------ input cap (issue 9) */

/* 1 under valgrind or the sanitizers: they need their own address space,
 * and the child's resident set measures them rather than the CLI. */
static int under_tool(void) {
  return ng_test_valgrind() || ng_test_sanitized();
}

/*
 * Runs the CLI with up to 3 arguments under `ulimit -v` 256 MiB, so that a
 * CLI reading without bound fails fast (exit 2, out of memory) instead of
 * filling the machine. Under a tool the limit is left out.
 */
static ng_spawn_result run_limited(const char *a1, const char *a2,
                                   const char *a3) {
  char *argv[8];
  ng_spawn_result r;
  int n = 0;
  if (!under_tool()) {
    argv[n++] = (char *)(uintptr_t) "/bin/sh";
    argv[n++] = (char *)(uintptr_t) "-c";
    argv[n++] = (char *)(uintptr_t) "ulimit -v 262144 && exec \"$0\" \"$@\"";
  }
  argv[n++] = (char *)(uintptr_t)ng_spawn_cli_path();
  argv[n++] = (char *)(uintptr_t)a1;
  argv[n++] = (char *)(uintptr_t)a2;
  argv[n++] = (char *)(uintptr_t)a3;
  argv[n] = NULL;
  assert_int_equal(ng_spawn(argv, NULL, &r), 0);
  assert_true(r.exited);
  return r;
}

/* Runs `check --max-input=1k -` with n spaces down a pipe. */
static ng_spawn_result run_fed(size_t n) {
  char *argv[5];
  ng_spawn_result r;
  argv[0] = (char *)(uintptr_t)ng_spawn_cli_path();
  argv[1] = (char *)(uintptr_t) "check";
  argv[2] = (char *)(uintptr_t) "--max-input=1k";
  argv[3] = (char *)(uintptr_t) "-";
  argv[4] = NULL;
  assert_int_equal(ng_spawn_feed(argv, n, &r), 0);
  assert_true(r.exited);
  return r;
}

/* 64 MiB down a pipe with --max-input=1k: the stream says EINPUTLIMIT at
 * byte 1024 (line 1, column 1025: spaces so far) and the CLI exits 1. It
 * read no more than a chunk: the feeder met a closed pipe after the
 * pipe's buffer, and the child stayed small. At the cap exactly, the input
 * is read and parsed (spaces: EEMPTY). */
static void test_input_cap_pipe(void **state) {
  ng_spawn_result r;
  (void)state;
  r = run_fed((size_t)64 << 20);
  assert_int_equal(r.status, 1);
  assert_true(r.fed < (size_t)4 << 20);
  if (!under_tool())
    assert_true(r.max_rss_kb < 32 * 1024);
  assert_non_null(strstr(r.err, "-:1:1025: error: "));
  assert_non_null(strstr(r.err, "(EINPUTLIMIT, byte 1024)"));
  r = run_fed(1025);
  assert_non_null(strstr(r.err, "(EINPUTLIMIT, byte 1024)"));
  r = run_fed(1024);
  assert_int_equal(r.status, 1);
  assert_non_null(strstr(r.err, "(EEMPTY, byte 1024)"));
  assert_int_equal(r.fed, 1024);
}

/* Endless devices end: JSON is streamed, so at their first byte (a NUL
 * is no JSON), whatever the cap: exit 1, not out of memory. */
static void test_input_cap_device(void **state) {
  ng_spawn_result r;
  (void)state;
  r = run_limited("check", "--max-input=64k", "/dev/zero");
  assert_int_equal(r.status, 1);
  assert_non_null(strstr(r.err, "/dev/zero:1:1: error: "));
  assert_non_null(strstr(r.err, ", byte 0)"));
  r = run_limited("parse", "--max-input=0", "/dev/full");
  assert_int_equal(r.status, 1);
  assert_non_null(strstr(r.err, ", byte 0)"));
  assert_string_equal(r.out, "");
}

/* The default cap is 1 GiB: a sparse file one byte longer is refused from
 * its size alone, without reading it; --max-input=0 lifts the cap, and the
 * stream stops at the first byte (a NUL), having held one chunk. */
static void test_input_cap_default(void **state) {
  char path[256];
  ng_spawn_result r;
  int fd;
  (void)state;
  snprintf(path, sizeof path, "%s/sparse.json", ng_tmpdir());
  fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  assert_true(fd >= 0);
  assert_int_equal(ftruncate(fd, ((off_t)1 << 30) + 1), 0);
  close(fd);
  r = run_limited("check", path, NULL);
  assert_int_equal(r.status, 1);
  assert_non_null(strstr(r.err, ":1:1: error: "));
  assert_non_null(strstr(r.err, "(EINPUTLIMIT, byte 1073741824)"));
  if (!under_tool()) {
    assert_true(r.max_rss_kb < 32 * 1024);
    r = run_limited("check", "--max-input=0", path);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, ":1:1: error: "));
    assert_null(strstr(r.err, "EINPUTLIMIT"));
    assert_true(r.max_rss_kb < 32 * 1024);
  }
  /* A file at the cap exactly is read; one byte more is refused. */
  r = run(write_file("cap.json", "[1] ", 4), "check", "--max-input=4", "-",
          NULL, NULL);
  assert_int_equal(r.status, 0);
  r = run(NULL, "check", "--max-input=3", write_file("cap2.json", "[1] ", 4),
          NULL, NULL);
  assert_int_equal(r.status, 1);
  assert_non_null(strstr(r.err, "(EINPUTLIMIT, byte 3)"));
  unlink(path);
}

/* A directory is named as such, from a path or on stdin: exit 2. */
static void test_directory_input(void **state) {
  ng_spawn_result r;
  char want[300];
  (void)state;
  r = run(NULL, "check", ng_tmpdir(), NULL, NULL, NULL);
  assert_int_equal(r.status, 2);
  snprintf(want, sizeof want, "nestguard: %s: Is a directory", ng_tmpdir());
  assert_non_null(strstr(r.err, want));
  r = run(ng_tmpdir(), "parse", "-", NULL, NULL, NULL);
  assert_int_equal(r.status, 2);
  assert_non_null(strstr(r.err, "nestguard: -: Is a directory"));
}

/* --help wins over everything else on the line and reads nothing. */
static void test_subcommand_help(void **state) {
  ng_spawn_result r;
  (void)state;
  r = run(NULL, "check", "--help", NULL, NULL, NULL);
  assert_int_equal(r.status, 0);
  assert_non_null(strstr(r.out, "usage: nestguard check "));
  assert_non_null(strstr(r.out, "--max-input=1g"));
  assert_string_equal(r.err, "");
  r = run(NULL, "parse", "--bogus", "/nonexistent/x.json", "-h", NULL);
  assert_int_equal(r.status, 0);
  assert_non_null(strstr(r.out, "usage: nestguard parse "));
  assert_non_null(strstr(r.out, "[--compact]"));
  assert_string_equal(r.err, "");
}

/* ------------------------------------------------ streaming (issue 13) */

/*
 * A file of `lines` lines "1,\n" in an array, longer than the CLI's 64 KiB
 * read, with a syntax error ("1 2") on line `bad`; its path.
 */
static const char *long_file(const char *name, size_t lines, size_t bad) {
  char *b = malloc(lines * 4 + 8), *p = b;
  const char *path;
  size_t i;

  assert_non_null(b);
  *p++ = '[';
  for (i = 1; i <= lines; i++) {
    memcpy(p, i == bad ? "1 2\n" : "1,\n", i == bad ? 4 : 3);
    p += i == bad ? 4 : 3;
  }
  memcpy(p, "1]", 2);
  p += 2;
  path = write_file(name, b, (size_t)(p - b));
  free(b);
  return path;
}

/* An error past the first chunk is reported at its place in the whole
 * input: from a file, from stdin, in feeds of any size, by every engine. */
static void test_stream_error_past_first_chunk(void **state) {
  static const char *const chunks[] = {"--chunk=1", "--chunk=7",
                                       "--chunk=4096", "--chunk=1m"};
  static const char *const engines[] = {"--engine=iterative",
                                        "--engine=recursive",
                                        "--engine=trampoline",
                                        "--engine=lalr"};
  /* 100,000 lines of 3 bytes after the '[' (300 kB); the error, the "2"
   * at column 3 of line 60,000: byte 1 + 59,999 * 3 + 2 = 180,000. */
  const char *path = long_file("long.json", 100000, 60000);
  char want[300];
  ng_spawn_result r;
  size_t i;
  (void)state;
  snprintf(want, sizeof want, "%s:60000:3: error: ", path);
  r = run(NULL, "check", path, NULL, NULL, NULL);
  assert_int_equal(r.status, 1);
  assert_non_null(strstr(r.err, want));
  assert_non_null(strstr(r.err, "byte 180000)"));
  r = run(path, "parse", "-", NULL, NULL, NULL);
  assert_int_equal(r.status, 1);
  assert_non_null(strstr(r.err, "-:60000:3: error: "));
  assert_string_equal(r.out, "");
  for (i = 0; i < 4; i++) {
    r = run(path, "check", chunks[i], engines[i], "-", NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "-:60000:3: error: "));
    assert_non_null(strstr(r.err, "byte 180000)"));
  }
  /* Without the error the same size passes, parse writes it all. */
  path = long_file("long_ok.json", 100000, 0);
  assert_int_equal(run(NULL, "check", "--chunk=3", path, NULL, NULL).status, 0);
  r = run(path, "parse", "--compact", "--chunk=5", "-", NULL);
  assert_int_equal(r.status, 0);
  assert_memory_equal(r.out, "[1,1,1,", 7);
  assert_int_equal(run(NULL, "check", "--chunk=0", path, NULL, NULL).status, 2);
}

/* --seq: NDJSON and concatenated documents; an error in the third
 * document is reported at its line in the whole input. */
static void test_stream_seq(void **state) {
  static const char seq[] = "{\"a\":1}\n[2,\n3]\n\"s\"{}4 5\n";
  static const char bad[] = "{\"a\":1}\n[2]\n{\"b\":}\n4\n";
  const char *ok = write_file("seq.ndjson", seq, sizeof seq - 1);
  const char *ko = write_file("bad.ndjson", bad, sizeof bad - 1);
  ng_spawn_result r;
  (void)state;
  assert_int_equal(
      run(NULL, "check", "--seq", ok, NULL, NULL).status, 0);
  r = run(NULL, "check", "--format=json", ok, NULL, NULL);
  assert_int_equal(r.status, 1); /* one document only: the rest trails */
  assert_non_null(strstr(r.err, "ETRAILING"));
  r = run(ok, "parse", "--seq", "--compact", "--chunk=1", "-");
  assert_int_equal(r.status, 0);
  assert_string_equal(r.out, "{\"a\":1}\n[2,3]\n\"s\"\n{}\n4\n5\n");
  r = run(NULL, "check", "--seq", ko, NULL, NULL);
  assert_int_equal(r.status, 1);
  assert_non_null(strstr(r.err, ":3:6: error: "));
  assert_non_null(strstr(r.err, "byte 17)"));
  r = run(ko, "parse", "--seq", "--compact", "--engine=recursive", "-");
  assert_int_equal(r.status, 1);
  assert_non_null(strstr(r.err, "-:3:6: error: "));
  assert_string_equal(r.out, "{\"a\":1}\n[2]\n"); /* the two before */
  /* An empty sequence is a valid one; an empty document is not. */
  assert_int_equal(run("/dev/null", "check", "--seq", "-", NULL, NULL).status,
                   0);
  assert_int_equal(run("/dev/null", "check", "-", NULL, NULL, NULL).status, 1);
}

/* check holds a chunk and the parser's state, not the input: 48 MiB
 * checked within a few MiB of resident memory. */
static void test_stream_constant_memory(void **state) {
  size_t n = (size_t)24 << 20, i;
  char *b;
  const char *path;
  ng_spawn_result r;
  (void)state;
  if (under_tool())
    skip();
  assert_non_null(b = malloc(2 * n + 3));
  b[0] = '[';
  for (i = 0; i < n; i++)
    memcpy(b + 1 + 2 * i, "0,", 2);
  memcpy(b + 1 + 2 * n, "0]", 2);
  path = write_file("big48.json", b, 2 * n + 3);
  free(b);
  r = run(NULL, "check", "--max-input=0", path, NULL, NULL);
  assert_int_equal(r.status, 0);
  assert_true(r.max_rss_kb < 16 * 1024);
  unlink(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_check_accepts_and_rejects),
      cmocka_unit_test(test_check_options),
      cmocka_unit_test(test_usage_and_io_errors),
      cmocka_unit_test(test_parse_prints),
      cmocka_unit_test(test_deep_every_engine),
      cmocka_unit_test(test_input_cap_pipe),
      cmocka_unit_test(test_input_cap_device),
      cmocka_unit_test(test_input_cap_default),
      cmocka_unit_test(test_directory_input),
      cmocka_unit_test(test_subcommand_help),
      cmocka_unit_test(test_stream_error_past_first_chunk),
      cmocka_unit_test(test_stream_seq),
      cmocka_unit_test(test_stream_constant_memory),
  };
  return cmocka_run_group_tests_name("cli_json", tests, ng_tmpdir_setup,
                                     ng_tmpdir_teardown);
}
