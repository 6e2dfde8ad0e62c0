/*
 * fuzz/mutator/selftest.c - checks nestmut without a fuzzer.
 *
 *   selftest [ITERATIONS]   (fuzz.mk: make -f fuzz/fuzz.mk mutator-test)
 *
 * Feeds the mutator its own output for many rounds (restarting from seeds)
 * and checks: every result fits max_size; every edit kind happens; the
 * "depth" edit reaches limit-1, limit and limit+1 exactly; balanced edits
 * of a balanced input keep it balanced at least sometimes; a custom XML
 * configuration is honoured. Exits 0 on success, 1 with a message.
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nestmut.h"

static const char *seeds[] = {
    "[1,[2,{\"a\":[3]}],\"x]\"]", "{\"k\":{\"k\":[true,null]}}", "[]", "1", "",
    "[[[[\"\\\"]\"]]]]",          "{\"a\":1}garbage]]]",
};

/* Max nesting depth of a JSON-ish text; -1 if unbalanced. */
static long depth_of(const unsigned char *b, size_t n) {
  long d = 0, max = 0;
  size_t i;
  int in_str = 0;

  for (i = 0; i < n; i++) {
    if (in_str) {
      if (b[i] == '\\')
        i++;
      else if (b[i] == '"')
        in_str = 0;
    } else if (b[i] == '"') {
      in_str = 1;
    } else if (b[i] == '[' || b[i] == '{') {
      if (++d > max)
        max = d;
    } else if (b[i] == ']' || b[i] == '}') {
      if (--d < 0)
        return -1;
    }
  }
  return d == 0 ? max : -1;
}

static int fail(const char *msg) {
  fprintf(stderr, "selftest: %s\n", msg);
  return 1;
}

static int run_json(long iters) {
  ng_nestmut_config cfg;
  ng_nestmut *m;
  unsigned char *cur = NULL;
  uint8_t *out;
  size_t len = 0, n, maxs;
  long i, seen_limit[3] = {0, 0, 0}, balanced_grew = 0, ops = 0;
  char kinds[512] = "";
  const char *d;

  ng_nestmut_config_json(&cfg);
  cfg.depth[0] = 300;
  cfg.ndepths = 1;
  m = ng_nestmut_new(&cfg, 42);
  if (m == NULL)
    return fail("out of memory");
  for (i = 0; i < iters; i++) {
    if (cur == NULL || i % 16 == 0 || len > 200000) {
      const char *s = seeds[(size_t)i % (sizeof seeds / sizeof seeds[0])];
      free(cur);
      len = strlen(s);
      cur = malloc(len + 1);
      memcpy(cur, s, len + 1);
    }
    maxs = i % 7 == 0 ? 64 + (size_t)i % 1000 : 1u << 20;
    n = ng_nestmut_mutate(m, cur, len, cur, len, maxs, &out);
    if (n > maxs)
      return fail("result larger than max_size");
    d = ng_nestmut_describe(m);
    if (strncmp(d, "nest-depth-x", 12) == 0 && depth_of(out, n) >= 0) {
      long want = atol(d + 12);
      if (want >= 299 && want <= 301 && depth_of(out, n) == want)
        seen_limit[want - 299]++;
    }
    if (strncmp(d, "nest-repeat-x", 13) == 0 && depth_of(cur, len) >= 0 &&
        depth_of(out, n) > depth_of(cur, len))
      balanced_grew++;
    {
      char op[32];
      size_t k = strcspn(d + 5, "-x");
      snprintf(op, sizeof op, " %.*s ", (int)k, d + 5);
      if (strstr(kinds, op) == NULL && strlen(kinds) + strlen(op) < 500) {
        strcat(kinds, op);
        ops++;
      }
    }
    if (n > 0) {
      unsigned char *next = malloc(n);
      memcpy(next, out, n);
      free(cur);
      cur = next;
      len = n;
    }
  }
  free(cur);
  ng_nestmut_free(m);
  printf("json: %ld rounds, edit kinds:%s\n", iters, kinds);
  printf("json: depth exactly 299/300/301: %ld/%ld/%ld, balanced repeats "
         "that deepened: %ld\n",
         seen_limit[0], seen_limit[1], seen_limit[2], balanced_grew);
  if (ops < 9)
    return fail("some edit kinds never happened");
  if (!seen_limit[0] || !seen_limit[1] || !seen_limit[2])
    return fail("depth edit missed a limit");
  if (balanced_grew == 0)
    return fail("balanced repeat never kept a document balanced");
  return 0;
}

static int run_xml(void) {
  ng_nestmut_config cfg;
  ng_nestmut *m;
  uint8_t *out;
  size_t n;
  int i, wrapped = 0;
  const char *in = "<r><a>x</a></r>";

  ng_nestmut_config_xml(&cfg);
  if (ng_nestmut_parse_pairs(&cfg, "<r>|</r> <a>|</a> <b\\sid=\"1\">|</b>") !=
      0)
    return fail("pair spec rejected");
  m = ng_nestmut_new(&cfg, 7);
  for (i = 0; i < 2000; i++) {
    n = ng_nestmut_mutate(m, (const uint8_t *)in, strlen(in), NULL, 0, 4096,
                          &out);
    if (n > 4096)
      return fail("xml result too large");
    if (memmem(out, n, "<b id=\"1\"><b id=\"1\">", 20) != NULL)
      wrapped++;
  }
  ng_nestmut_free(m);
  printf("xml: %d of 2000 results nest <b id=\"1\"> twice in a row\n", wrapped);
  return wrapped > 0 ? 0 : fail("xml pairs never used");
}

int main(int argc, char **argv) {
  long iters = argc > 1 ? atol(argv[1]) : 5000;

  if (run_json(iters) != 0 || run_xml() != 0)
    return 1;
  printf("selftest: ok\n");
  return 0;
}
