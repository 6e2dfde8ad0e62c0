/*
 * lib/internal.h - helpers shared by every module; never installed.
 *
 * Internal non-static names carry the ng__ prefix.
 */
#ifndef NG_LIB_INTERNAL_H
#define NG_LIB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "nestguard.h"

/* Branch hints for hot paths. */
#if defined(__GNUC__) || defined(__clang__)
#define NG_LIKELY(x) __builtin_expect(!!(x), 1)
#define NG_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define NG_NOINLINE __attribute__((noinline))
#define NG_ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define NG_LIKELY(x) (x)
#define NG_UNLIKELY(x) (x)
#define NG_NOINLINE
#define NG_ALWAYS_INLINE static inline
#endif

/* NG_INLINE: forced inline where the compiler optimises (the hot paths'
 * helpers). At -O0 a plain inline function stays a call: gcc gives every
 * forced-inline copy stack slots of its own there, so forcing them made
 * the recursive engines' frames several times larger than their calls'
 * (tests/test_json_stackuse.c, test_xml_stackuse.c). NG_ALWAYS_INLINE is
 * for the few that must be inline in every build (a context switch's
 * tool hooks). */
#ifdef __OPTIMIZE__
#define NG_INLINE NG_ALWAYS_INLINE
#else
#define NG_INLINE static inline
#endif

/*
 * Allocation through an ng_alloc that may be NULL (libc). These are the only
 * allocation calls module code makes, so one hook sees every allocation.
 */
void *ng__malloc(const ng_alloc *alc, size_t size);
void *ng__realloc(const ng_alloc *alc, void *ptr, size_t old_size, size_t size);
void ng__free(const ng_alloc *alc, void *ptr, size_t size);

/*
 * Whole pages from the OS for large blocks (lib/pages.c): size is rounded
 * up to 2 MiB and the block is 2 MiB aligned; freed blocks are cached.
 * ng__pages_free takes the same size that was asked for.
 */
void *ng__pages_alloc(size_t size);
void ng__pages_free(void *p, size_t size);

/* Overflow-checked size arithmetic: returns 0 and stores on success. */
static inline int ng__size_mul(size_t a, size_t b, size_t *out) {
  if (b != 0 && a > SIZE_MAX / b)
    return NG_ENOMEM;
  *out = a * b;
  return NG_OK;
}

static inline int ng__size_add(size_t a, size_t b, size_t *out) {
  if (a > SIZE_MAX - b)
    return NG_ENOMEM;
  *out = a + b;
  return NG_OK;
}

#endif /* NG_LIB_INTERNAL_H */
