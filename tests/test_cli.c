/*
 * tests/test_cli.c - the nestguard command: subcommands and exit codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
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

/* Every command listed by --help takes --help and -h: its usage on
 * stdout, exit 0, nothing on stderr (issue 9). */
static void test_every_command_help(void **state) {
  static const char *const flags[] = {"--help", "-h"};
  char names[16][32];
  const char *p, *want;
  size_t n = 0, i, f;
  (void)state;
  run_cli("--help", NULL);
  p = strstr(res.out, "commands:\n");
  assert_non_null(p);
  for (p += strlen("commands:\n"); p[0] == ' ' && n < 16; p++) {
    assert_int_equal(sscanf(p, "%31s", names[n++]), 1);
    if ((p = strchr(p, '\n')) == NULL)
      break;
  }
  assert_true(n >= 4); /* help, version, check, parse */
  for (i = 0; i < n; i++)
    for (f = 0; f < 2; f++) {
      run_cli(names[i], flags[f]);
      if (res.status != 0 || res.err[0] != '\0')
        fail_msg("nestguard %s %s: exit %d, stderr: %s", names[i], flags[f],
                 res.status, res.err);
      want = strcmp(names[i], "help") == 0 ? "COMMAND" : names[i];
      if (strncmp(res.out, "usage: nestguard ", 17) != 0 ||
          strncmp(res.out + 17, want, strlen(want)) != 0)
        fail_msg("nestguard %s %s printed: %s", names[i], flags[f], res.out);
    }
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
      cmocka_unit_test(test_every_command_help),
      cmocka_unit_test(test_usage_errors_exit_2),
  };
  return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
