/*
 * nestguard/arena.h - a bump arena with a byte cap.
 *
 * Parsers allocate DOM nodes and strings from an arena: allocation is a
 * pointer bump, and the whole document is released at once, so freeing a
 * 10,000,000-deep tree is no walk at all. Blocks come from the arena's
 * ng_alloc in chunks that grow geometrically; the first chunk may be given
 * by the caller (e.g. on its stack) so that small documents allocate nothing.
 *
 * max_bytes caps the bytes requested from the allocator (chunks plus their
 * headers): past it, allocation fails with NG_EMEMLIMIT instead of NG_ENOMEM,
 * so "the input needs too much memory" and "the machine is out of memory"
 * stay distinguishable. 0 means no cap.
 *
 * An arena is not thread-safe; one thread at a time may use it.
 */
#ifndef NESTGUARD_ARENA_H
#define NESTGUARD_ARENA_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ng__arena_chunk ng__arena_chunk;

/* Treat every field as private; read statistics with the functions below. */
typedef struct ng_arena {
  char *cur;               /* next free byte in the current chunk */
  char *end;               /* one past the current chunk's usable bytes */
  ng__arena_chunk *chunks; /* allocator-owned chunks, newest first */
  const ng_alloc *alc;     /* NULL means libc */
  size_t next_size;        /* size of the next chunk to request */
  size_t max_bytes;        /* cap on bytes from the allocator; 0 = none */
  size_t sys_bytes;        /* bytes currently held from the allocator */
  size_t peak_bytes;       /* high-water mark of sys_bytes */
  size_t used_bytes;       /* bytes handed out since init/reset */
  int err;                 /* last failure: NG_ENOMEM or NG_EMEMLIMIT */
} ng_arena;

/*
 * Prepares an arena. alc may be NULL (libc). max_bytes 0 means no cap.
 * Allocates nothing; never fails for valid arguments.
 */
void ng_arena_init(ng_arena *a, const ng_alloc *alc, size_t max_bytes);

/*
 * Returns size bytes aligned to align (a power of two, at most 64), or NULL
 * on failure with a->err set to NG_ENOMEM or NG_EMEMLIMIT. size 0 returns a
 * valid unique-enough pointer that must not be dereferenced.
 */
static inline void *ng_arena_alloc(ng_arena *a, size_t size, size_t align);

/* Releases all chunks but the newest, which is kept for reuse. */
void ng_arena_reset(ng_arena *a);

/* Releases every chunk; the arena may be initialised again afterwards. */
void ng_arena_free(ng_arena *a);

/* Bytes handed out, bytes held from the allocator, and their peak. */
size_t ng_arena_used(const ng_arena *a);
size_t ng_arena_sys(const ng_arena *a);
size_t ng_arena_peak(const ng_arena *a);

/*
 * With the default (NULL) allocator, chunks of 256 KiB and up are whole
 * 2 MiB-aligned mappings from the system, and freed
 * mappings are kept in a small process-wide cache (at most 8 mappings,
 * 64 MiB) for the next document. ng_memory_trim() returns the cached
 * mappings to the system. Thread-safe.
 */
void ng_memory_trim(void);

/* Raises the size of the next chunk the arena will open to `bytes` (never
 * lowers it): a caller that can estimate its total, as a parser from its
 * input's length, skips the doubling steps up to it. Internal. */
void ng__arena_size_hint(ng_arena *a, size_t bytes);

/* Slow path of ng_arena_alloc: opens a new chunk. Internal. */
void *ng__arena_alloc_slow(ng_arena *a, size_t size, size_t align);

static inline void *ng_arena_alloc(ng_arena *a, size_t size, size_t align) {
  uintptr_t p = ((uintptr_t)a->cur + (align - 1)) & ~(uintptr_t)(align - 1);
  if (a->cur != NULL && size <= (size_t)((uintptr_t)a->end - p) &&
      p <= (uintptr_t)a->end) {
    a->cur = (char *)(p + size);
    a->used_bytes += size;
    return (void *)p;
  }
  return ng__arena_alloc_slow(a, size, align);
}

/*
 * ng_arena_alloc for a size the caller knows to be 1 to 4096 bytes (a
 * parser's node): the same result, with one bound check instead of three
 * (the padding plus the size against the room left cannot wrap, and an
 * arena without a chunk has no room). Internal.
 */
static inline void *ng__arena_alloc_small(ng_arena *a, size_t size,
                                          size_t align) {
  uintptr_t cur = (uintptr_t)a->cur;
  uintptr_t p = (cur + (align - 1)) & ~(uintptr_t)(align - 1);
  if ((p - cur) + size <= (uintptr_t)a->end - cur) {
    a->cur = (char *)(p + size);
    a->used_bytes += size;
    return (void *)p;
  }
  return ng__arena_alloc_slow(a, size, align);
}

#ifdef __cplusplus
}
#endif
#endif /* NESTGUARD_ARENA_H */
