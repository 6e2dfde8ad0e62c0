/*
 * tests/support/testenv.c - see testenv.h.
 */
#include "testenv.h"

#include <stdlib.h>
#include <time.h>

bool ng_test_valgrind(void) { return getenv("NG_VALGRIND") != NULL; }

bool ng_test_tsan(void) { return getenv("NG_TSAN") != NULL; }

bool ng_test_sanitized(void) { return getenv("NG_SANITIZED") != NULL; }

size_t ng_test_deep_levels(void) {
  if (ng_test_valgrind())
    return 100000;
  if (ng_test_tsan())
    return 50000;
  if (ng_test_sanitized())
    return 1000000;
  return 10000000;
}

double ng_test_cpu_ms(void) {
  struct timespec ts;

  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
