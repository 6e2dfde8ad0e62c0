/*
 * tests/test_docs.c - the documentation holds to the code: every C example
 * in README.md and the Markdown files of docs/ compiles and links as
 * written (tools/readme-examples.sh, run once per document so a failure
 * names it), and the umbrella header <nestguard.h>, which the examples
 * rely on, includes every public header.
 *
 * Runs from the top of the tree, like every test; the examples link with
 * $NG_BUILD/libnestguard.a. Under valgrind the compiles are skipped: the
 * compiler would run under valgrind too, and the examples do not depend on
 * how the library was built.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/spawn.h"
#include "support/testenv.h"

/* Reads a small text file into a static buffer (NUL-terminated). */
static const char *read_text(const char *path) {
  static char buf[16384];
  FILE *f = fopen(path, "rb");
  size_t n;

  assert_non_null(f);
  n = fread(buf, 1, sizeof buf - 1, f);
  assert_true(feof(f)); /* all of it fit */
  fclose(f);
  buf[n] = '\0';
  return buf;
}

static void test_umbrella_includes_every_header(void **state) {
  const char *umbrella = read_text("include/nestguard.h");
  char want[256];
  glob_t g;
  size_t i;
  (void)state;
  assert_int_equal(glob("include/nestguard/*.h", 0, NULL, &g), 0);
  assert_true(g.gl_pathc >= 7);
  for (i = 0; i < g.gl_pathc; i++) {
    snprintf(want, sizeof want, "#include \"%s\"",
             g.gl_pathv[i] + strlen("include/"));
    if (strstr(umbrella, want) == NULL)
      fail_msg("include/nestguard.h lacks %s", want);
  }
  globfree(&g);
}

/*
 * Runs the script on one document. Returns how many examples it compiled,
 * or -1 after printing its output when one did not compile.
 */
static int compile_examples(const char *doc) {
  char *argv[4];
  ng_spawn_result r;
  const char *p;

  argv[0] = (char *)(uintptr_t) "/bin/sh";
  argv[1] = (char *)(uintptr_t) "tools/readme-examples.sh";
  argv[2] = (char *)(uintptr_t)doc;
  argv[3] = NULL;
  assert_int_equal(ng_spawn(argv, NULL, &r), 0);
  p = strstr(r.out, " examples, 0 failed\n");
  if (!r.exited || r.status != 0 || p == NULL) {
    print_error("%s: an example does not compile (exit %d):\n%s%s\n", doc,
                r.status, r.out, r.err);
    return -1;
  }
  while (p > r.out && p[-1] != '\n')
    p--;
  return atoi(p);
}

static void test_examples_compile(void **state) {
  glob_t g;
  int readme, n, total = 0, failed = 0;
  size_t i;
  (void)state;
  if (ng_test_valgrind())
    skip();
  readme = compile_examples("README.md");
  assert_int_equal(glob("docs/*.md", 0, NULL, &g), 0);
  for (i = 0; i < g.gl_pathc; i++) {
    if ((n = compile_examples(g.gl_pathv[i])) < 0)
      failed++;
    else
      total += n;
  }
  globfree(&g);
  failed += readme < 0;
  if (failed != 0)
    fail_msg("%d document(s) with an example that does not compile", failed);
  assert_true(readme >= 2); /* the minimal program and the parse fragment */
  print_message("%d examples compiled\n", total + readme);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_umbrella_includes_every_header),
      cmocka_unit_test(test_examples_compile),
  };
  return cmocka_run_group_tests_name("docs", tests, NULL, NULL);
}
