/*
 * bench/suite_core.c - the foundation's own costs: arena vs malloc.
 *
 * Allocating many small DOM-node-sized blocks is what every parser does;
 * this suite shows what the bump arena saves over malloc/free, and proves
 * the harness end to end before any parser exists.
 */
#include <stdlib.h>

#include "bench.h"
#include "nestguard.h"

#define NODES 200000
#define NODE_SIZE 64

static void *blocks[NODES];

static int run_malloc(void *ud) {
  size_t i;
  (void)ud;
  for (i = 0; i < NODES; i++) {
    blocks[i] = malloc(NODE_SIZE);
    if (blocks[i] == NULL)
      return 1;
    *(volatile char *)blocks[i] = (char)i;
  }
  for (i = 0; i < NODES; i++)
    free(blocks[i]);
  return 0;
}

static int run_arena(void *ud) {
  ng_arena a;
  size_t i;
  (void)ud;
  ng_arena_init(&a, NULL, 0);
  for (i = 0; i < NODES; i++) {
    char *p = ng_arena_alloc(&a, NODE_SIZE, 8);
    if (p == NULL) {
      ng_arena_free(&a);
      return 1;
    }
    *(volatile char *)p = (char)i;
  }
  ng_arena_free(&a);
  return 0;
}

NG_BENCH_SUITE(core, 0) {
  const ng_bench_subject subjects[] = {
      {"malloc", run_malloc, NULL},
      {"arena", run_arena, NULL},
  };
  ng_bench_compare("core", "alloc_200k_nodes", subjects, 2, 0, 2, 0);
}
