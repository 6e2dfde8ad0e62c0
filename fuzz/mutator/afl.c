/*
 * fuzz/mutator/afl.c - nestmut as an AFL++ custom mutator.
 *
 *   cc -O2 -shared -fPIC fuzz/mutator/nestmut.c fuzz/mutator/afl.c \
 *      -o nestmut.so
 *   AFL_CUSTOM_MUTATOR_LIBRARY=$PWD/nestmut.so afl-fuzz ...
 *
 * The format comes from the NESTMUT_* environment variables (JSON by
 * default; see nestmut.h and docs/fuzzing.md). AFL++ runs this stage
 * before havoc for every queue entry, so nesting edits and byte-level
 * havoc alternate; AFL_CUSTOM_MUTATOR_ONLY=1 would keep only these edits.
 * The entry points need no AFL++ headers: afl_state_t is only passed
 * through, so it is declared opaque here.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nestmut.h"

/* Prototypes of the AFL++ custom mutator API (docs/custom_mutators.md). */
void *afl_custom_init(void *afl, unsigned int seed);
uint32_t afl_custom_fuzz_count(void *data, const uint8_t *buf, size_t buf_size);
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size,
                       uint8_t **out_buf, uint8_t *add_buf, size_t add_buf_size,
                       size_t max_size);
const char *afl_custom_describe(void *data, size_t max_description_len);
void afl_custom_deinit(void *data);

typedef struct afl_nestmut {
  ng_nestmut *m; /* the mutator */
  char desc[64]; /* describe() result, truncated to AFL's limit */
} afl_nestmut;

void *afl_custom_init(void *afl, unsigned int seed) {
  ng_nestmut_config cfg;
  afl_nestmut *a;
  char err[128];

  (void)afl;
  ng_nestmut_config_json(&cfg);
  if (ng_nestmut_config_env(&cfg, err, sizeof err) != 0) {
    fprintf(stderr, "%s\n", err);
    return NULL; /* AFL++ stops with an init error */
  }
  a = calloc(1, sizeof *a);
  if (a == NULL)
    return NULL;
  a->m = ng_nestmut_new(&cfg, seed);
  if (a->m == NULL) {
    free(a);
    return NULL;
  }
  return a;
}

/*
 * Without this hook AFL++ runs the custom stage as long as havoc, so half
 * of all executions would be nesting edits, most of them large inputs.
 * NESTMUT_COUNT edits per corpus entry (default 64), a quarter of that for
 * entries over 64 KiB, keep nesting edits a steady minority.
 */
uint32_t afl_custom_fuzz_count(void *data, const uint8_t *buf,
                               size_t buf_size) {
  afl_nestmut *a = data;
  size_t n = ng_nestmut_config_of(a->m)->count;

  (void)buf;
  if (buf_size > 65536)
    n = n / 4 + 1;
  return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size,
                       uint8_t **out_buf, uint8_t *add_buf, size_t add_buf_size,
                       size_t max_size) {
  afl_nestmut *a = data;

  return ng_nestmut_mutate(a->m, buf, buf_size, add_buf, add_buf_size, max_size,
                           out_buf);
}

const char *afl_custom_describe(void *data, size_t max_description_len) {
  afl_nestmut *a = data;
  size_t n = sizeof a->desc - 1;

  if (max_description_len < n)
    n = max_description_len;
  snprintf(a->desc, n + 1, "%s", ng_nestmut_describe(a->m));
  return a->desc;
}

void afl_custom_deinit(void *data) {
  afl_nestmut *a = data;

  if (a == NULL)
    return;
  ng_nestmut_free(a->m);
  free(a);
}
