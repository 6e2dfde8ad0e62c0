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

/* NG__TOOL_ASAN, NG__TOOL_TSAN: 1 in an AddressSanitizer or
 * ThreadSanitizer build (gcc's macros or clang's __has_feature), else 0. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NG__TOOL_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define NG__TOOL_TSAN 1
#endif
#endif
#if !defined(NG__TOOL_ASAN) && defined(__SANITIZE_ADDRESS__)
#define NG__TOOL_ASAN 1
#endif
#if !defined(NG__TOOL_TSAN) && defined(__SANITIZE_THREAD__)
#define NG__TOOL_TSAN 1
#endif
#ifndef NG__TOOL_ASAN
#define NG__TOOL_ASAN 0
#endif
#ifndef NG__TOOL_TSAN
#define NG__TOOL_TSAN 0
#endif

/*
 * How much larger frames are than in an optimised build: sanitizer
 * builds make every frame several times larger (ASan), or run their
 * runtime's hooks on the running stack (TSan: a mutex's first lock takes
 * 3.2 KiB under gcc 12), and so do unoptimised builds (-O0 keeps every
 * local in the frame: the stack runtime's slow path outgrew its 1 KiB
 * reserve and wrote over a segment's header in the -O0 coverage build).
 * Every stack budget sized from measured frames scales with it: the
 * runtime's red zone and reserve (lib/stack/stack_int.h), a recursive
 * engine's scanner room (parsers/common/descent.h).
 */
#if NG__TOOL_ASAN || NG__TOOL_TSAN || !defined(__OPTIMIZE__)
#define NG__SAN_SCALE 4
#else
#define NG__SAN_SCALE 1
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

/* ng__pages_alloc for a block that can use more than it asks: the
 * smallest cached mapping of at least size bytes (a growing array, whose
 * final size the previous document's tells better than its first step),
 * its size in *got, to be freed with that size. */
void *ng__pages_alloc_fit(size_t size, size_t *got);

/* ng__pages_alloc_fit from the cache only: NULL when it holds no mapping
 * of at least size bytes (nothing is mapped). */
void *ng__pages_cached(size_t size, size_t *got);

/* Faults p[0..size) in (writable) in one call where the system can (Linux
 * MADV_POPULATE_WRITE): a page at a time through page faults costs about
 * 1.7x as much. A no-op elsewhere or when it fails; p page-aligned. */
void ng__pages_populate(void *p, size_t size);

/* Grows block p of ng__pages_alloc(size) to new_size (rounded likewise)
 * without copying where the system can move pages (Linux mremap): the
 * block, perhaps moved, or NULL (p unchanged: allocate and copy). Free
 * the result with ng__pages_free(q, new_size). */
void *ng__pages_grow(void *p, size_t size, size_t new_size);

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
