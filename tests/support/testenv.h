/*
 * tests/support/testenv.h - how much work a test may do in this build, and
 * a clock for the tests that bound a parse's time: the calling thread's
 * CPU time, so that a loaded machine (CI, parallel `make check`) does not
 * fail them.
 *
 * The Makefile's check targets say which build runs: `make check-valgrind`
 * sets NG_VALGRIND, `make check-asan` NG_SANITIZED, `make check-tsan`
 * NG_SANITIZED and NG_TSAN. Tests scale their sizes down with these so that
 * every build runs every test in CI's time budget.
 */
#ifndef NG_TEST_TESTENV_H
#define NG_TEST_TESTENV_H

#include <stdbool.h>
#include <stddef.h>

/* Under valgrind (NG_VALGRIND). */
bool ng_test_valgrind(void);

/* Under ThreadSanitizer (NG_TSAN). */
bool ng_test_tsan(void);

/* Under any sanitizer (NG_SANITIZED). */
bool ng_test_sanitized(void);

/*
 * Nesting depth for the "10,000,000 levels" tests: 10^7 in a plain build,
 * 10^6 under ASan+UBSan, 10^5 under valgrind, 50,000 under TSan (which
 * follows at most 65,535 frames of one call stack, and the recursive
 * engines take a frame per level).
 */
size_t ng_test_deep_levels(void);

/* The calling thread's CPU time (user + system) in milliseconds. */
double ng_test_cpu_ms(void);

#endif /* NG_TEST_TESTENV_H */
