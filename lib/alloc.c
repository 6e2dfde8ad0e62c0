/*
 * lib/alloc.c - the libc allocator behind a NULL ng_alloc.
 */
#include <stdlib.h>

#include "internal.h"

static void *libc_malloc(void *ctx, size_t size) {
  (void)ctx;
  return malloc(size);
}

static void *libc_realloc(void *ctx, void *ptr, size_t old_size, size_t size) {
  (void)ctx;
  (void)old_size;
  return realloc(ptr, size);
}

static void libc_free(void *ctx, void *ptr, size_t size) {
  (void)ctx;
  (void)size;
  free(ptr);
}

static const ng_alloc libc_alloc = {libc_malloc, libc_realloc, libc_free, NULL};

const ng_alloc *ng_alloc_libc(void) { return &libc_alloc; }

void *ng__malloc(const ng_alloc *alc, size_t size) {
  if (alc == NULL)
    return malloc(size);
  return alc->malloc(alc->ctx, size);
}

void *ng__realloc(const ng_alloc *alc, void *ptr, size_t old_size,
                  size_t size) {
  if (ptr == NULL)
    return ng__malloc(alc, size);
  if (alc == NULL)
    return realloc(ptr, size);
  return alc->realloc(alc->ctx, ptr, old_size, size);
}

void ng__free(const ng_alloc *alc, void *ptr, size_t size) {
  if (ptr == NULL)
    return;
  if (alc == NULL)
    free(ptr);
  else
    alc->free(alc->ctx, ptr, size);
}
