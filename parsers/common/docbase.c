/*
 * parsers/common/docbase.c - documents' shared part (docbase.h).
 */
#include "docbase.h"

#include <string.h>

#include "internal.h"

void *ng__doc_new(size_t size, const ng_alloc *alc, size_t max_memory) {
  ng__docbase *d = ng__malloc(alc, size);

  if (d == NULL)
    return NULL;
  memset(d, 0, size);
  /* At least 1 byte for the arena: 0 would mean no cap. */
  if (max_memory != 0)
    max_memory = max_memory > size ? max_memory - size : 1;
  ng_arena_init(&d->arena, alc, max_memory);
  d->alc = alc;
  d->size = size;
  return d;
}

size_t ng__doc_memory(const ng__docbase *d) {
  return d != NULL ? d->size + ng_arena_sys(&d->arena) : 0;
}

void ng__doc_free(ng__docbase *d) {
  if (d == NULL)
    return;
  ng_arena_free(&d->arena);
  ng__free(d->alc, d, d->size);
}
