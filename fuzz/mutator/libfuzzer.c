/*
 * fuzz/mutator/libfuzzer.c - nestmut as a libFuzzer custom mutator.
 *
 * Linked into a libFuzzer harness (fuzz.mk does so for the libfuzzer
 * build; OSS-Fuzz builds get it the same way), it makes one call in four a
 * nesting edit and leaves the rest to libFuzzer's own LLVMFuzzerMutate.
 * Nesting edits need room: run with -max_len=1048576 (the .options files
 * in fuzz/oss-fuzz say so), or repeats are capped at the default 4 KiB.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nestmut.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                               unsigned int seed);

static ng_nestmut *lf_mut;

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                               unsigned int seed) {
  ng_nestmut_config cfg;
  uint8_t *out;
  size_t n;
  char err[128];

  if (seed % 4 != 0)
    return LLVMFuzzerMutate(data, size, max_size);
  if (lf_mut == NULL) {
    ng_nestmut_config_json(&cfg);
    if (ng_nestmut_config_env(&cfg, err, sizeof err) != 0) {
      fprintf(stderr, "%s\n", err);
      exit(2);
    }
    lf_mut = ng_nestmut_new(&cfg, seed);
    if (lf_mut == NULL)
      return LLVMFuzzerMutate(data, size, max_size);
  }
  n = ng_nestmut_mutate(lf_mut, data, size, NULL, 0, max_size, &out);
  if (n == 0)
    return LLVMFuzzerMutate(data, size, max_size);
  memcpy(data, out, n);
  return n;
}
