/*
 * tests/test_cli.c - the nestguard command: subcommands and exit codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "nestguard.h"
#include "support/spawn.h"

static ng_spawn_result res;

static void run_cli(const char *a1, const char *a2) {
  char *argv[4];
  argv[0] = (char *)(uintptr_t)ng_spawn_cli_path();
  argv[1] = (char *)(uintptr_t)a1;
  argv[2] = (char *)(uintptr_t)a2;
  argv[3] = NULL;
  assert_int_equal(ng_spawn(argv, NULL, &res), 0);
  assert_true(res.exited); /* never a signal */
}

static void test_version(void **state) {
  (void)state;
  run_cli("--version", NULL);
  assert_int_equal(res.status, 0);
  assert_non_null(strstr(res.out, NG_VERSION_STRING));
  run_cli("version", NULL);
  assert_int_equal(res.status, 0);
  assert_non_null(strstr(res.out, NG_VERSION_STRING));
}

static void test_help(void **state) {
  (void)state;
  run_cli("--help", NULL);
  assert_int_equal(res.status, 0);
  assert_non_null(strstr(res.out, "usage: nestguard"));
  assert_non_null(strstr(res.out, "exit status"));
}

static void test_usage_errors_exit_2(void **state) {
  (void)state;
  run_cli(NULL, NULL);
  assert_int_equal(res.status, 2);
  assert_non_null(strstr(res.err, "usage"));
  run_cli("no-such-command", NULL);
  assert_int_equal(res.status, 2);
  assert_non_null(strstr(res.err, "unknown command 'no-such-command'"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_version),
      cmocka_unit_test(test_help),
      cmocka_unit_test(test_usage_errors_exit_2),
  };
  return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
