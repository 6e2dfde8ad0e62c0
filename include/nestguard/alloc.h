/*
 * nestguard/alloc.h - the allocator hook threaded through every module.
 *
 * Every nestguard object that allocates takes a `const ng_alloc *`. NULL
 * means the C library's malloc/realloc/free. A custom allocator lets an
 * application account memory, place it in a pool, or inject failures: tests
 * and fuzz harnesses fail the N-th allocation through this same hook and check
 * that the failure comes back as NG_ENOMEM with nothing leaked.
 *
 * The struct is read, never written, by nestguard; it must outlive every
 * object created with it.
 */
#ifndef NESTGUARD_ALLOC_H
#define NESTGUARD_ALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ng_alloc {
  /* Returns a block of at least size bytes aligned for any type, or NULL. */
  void *(*malloc)(void *ctx, size_t size);
  /* Resizes ptr (old_size bytes, as last requested) to size; NULL on
   * failure, in which case ptr stays valid. ptr is never NULL. */
  void *(*realloc)(void *ctx, void *ptr, size_t old_size, size_t size);
  /* Releases ptr (size bytes, as last requested). ptr is never NULL. */
  void (*free)(void *ctx, void *ptr, size_t size);
  void *ctx; /* passed unchanged to the three functions */
} ng_alloc;

/* The libc allocator as an ng_alloc, for code that wants a non-NULL hook. */
const ng_alloc *ng_alloc_libc(void);

#ifdef __cplusplus
}
#endif
#endif /* NESTGUARD_ALLOC_H */
