/*
 * lib/pages.c - whole pages from the operating system, for large blocks.
 *
 * The arena takes its large chunks (64 KiB and up) from here when the
 * caller left the allocator NULL: a document many times its input's size
 * spends most of its parse time in page faults on fresh pages, so freed
 * mappings are cached for the next document (below). Mappings are 2 MiB
 * aligned so that a kernel with transparent huge pages set to "always" can
 * back them with huge pages.
 *
 * MADV_HUGEPAGE is deliberately not requested. Measured here (THP
 * "madvise", defrag "madvise"): it made steady-state 1e7-deep parses 3x
 * faster (300 -> 105 ms) but the first one in a process took 1.1-1.7 s,
 * the kernel compacting memory inside the page fault. A parser must not
 * stall like that on first use; canada.json throughput was the same with
 * and without it once the cache was in.
 *
 * Freed mappings are kept in a small process-wide cache (at most
 * NG__CACHE_SLOTS mappings and NG__CACHE_BYTES in all) and handed back for
 * a request of the same rounded size: a program that parses document after
 * document otherwise pays for the kernel zeroing fresh pages on every
 * parse (measured: +12-17 % throughput on the bench files), which is what
 * malloc's retained heap spares the peers. ng_memory_trim() empties it.
 * Blocks from the cache are not zeroed; no caller relies on that.
 *
 * Large reservations (a JSON document's node array reserves the bound its
 * input allows, up to half its length in nodes, and uses what it fills)
 * are mapped MAP_NORESERVE where the system has it: address space, not
 * committed memory, until a page is touched.
 *
 * Platform code: POSIX mmap; mremap (Linux) grows a mapping without
 * copying, elsewhere ng__pages_grow returns NULL and the caller copies;
 * anything without mmap falls back to malloc.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "internal.h"

#define NG__HUGE ((size_t)2 << 20)
#define NG__CACHE_SLOTS 8
#define NG__CACHE_BYTES ((size_t)64 << 20)

#if defined(MAP_NORESERVE)
#define NG__NORESERVE MAP_NORESERVE
#else
#define NG__NORESERVE 0
#endif

#if defined(MAP_ANONYMOUS)
/* Maps size + 2 MiB and unmaps the unaligned head and tail. */
static void *map_aligned(size_t size) {
  size_t span = size + NG__HUGE, head, tail;
  char *p = mmap(NULL, span, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | NG__NORESERVE, -1, 0);
  char *aligned;

  if (p == MAP_FAILED)
    return NULL;
  aligned =
      (char *)(((uintptr_t)p + NG__HUGE - 1) & ~(uintptr_t)(NG__HUGE - 1));
  head = (size_t)(aligned - p);
  tail = span - head - size;
  if (head != 0)
    munmap(p, head);
  if (tail != 0)
    munmap(aligned + size, tail);
  return aligned;
}

static struct {
  pthread_mutex_t lock;
  void *ptr[NG__CACHE_SLOTS];
  size_t size[NG__CACHE_SLOTS];
  size_t bytes; /* sum of size[] */
} cache = {PTHREAD_MUTEX_INITIALIZER, {NULL}, {0}, 0};

/* A cached mapping of exactly size bytes, or NULL. */
static void *cache_take(size_t size) {
  void *p = NULL;
  int i;

  pthread_mutex_lock(&cache.lock);
  for (i = 0; i < NG__CACHE_SLOTS; i++)
    if (cache.ptr[i] != NULL && cache.size[i] == size) {
      p = cache.ptr[i];
      cache.ptr[i] = NULL;
      cache.bytes -= size;
      break;
    }
  pthread_mutex_unlock(&cache.lock);
  return p;
}

/* The smallest cached mapping of at least size bytes, its size in *got,
 * or NULL. */
static void *cache_take_fit(size_t size, size_t *got) {
  void *p = NULL;
  int i, best = -1;

  pthread_mutex_lock(&cache.lock);
  for (i = 0; i < NG__CACHE_SLOTS; i++)
    if (cache.ptr[i] != NULL && cache.size[i] >= size &&
        (best < 0 || cache.size[i] < cache.size[best]))
      best = i;
  if (best >= 0) {
    p = cache.ptr[best];
    *got = cache.size[best];
    cache.ptr[best] = NULL;
    cache.bytes -= *got;
  }
  pthread_mutex_unlock(&cache.lock);
  return p;
}

/* Keeps p if a slot and the byte budget allow; returns 1 if kept. */
static int cache_put(void *p, size_t size) {
  int i, kept = 0;

  pthread_mutex_lock(&cache.lock);
  if (size <= NG__CACHE_BYTES - cache.bytes)
    for (i = 0; i < NG__CACHE_SLOTS && !kept; i++)
      if (cache.ptr[i] == NULL) {
        cache.ptr[i] = p;
        cache.size[i] = size;
        cache.bytes += size;
        kept = 1;
      }
  pthread_mutex_unlock(&cache.lock);
  return kept;
}

void ng_memory_trim(void) {
  int i;

  pthread_mutex_lock(&cache.lock);
  for (i = 0; i < NG__CACHE_SLOTS; i++)
    if (cache.ptr[i] != NULL) {
      munmap(cache.ptr[i], cache.size[i]);
      cache.ptr[i] = NULL;
    }
  cache.bytes = 0;
  pthread_mutex_unlock(&cache.lock);
}

void *ng__pages_alloc(size_t size) {
  void *p;

  if (size > SIZE_MAX - NG__HUGE)
    return NULL;
  size = (size + NG__HUGE - 1) & ~(NG__HUGE - 1);
  p = cache_take(size);
  if (p != NULL)
    return p;
  return map_aligned(size);
}

void *ng__pages_cached(size_t size, size_t *got) {
  if (size > SIZE_MAX - NG__HUGE)
    return NULL;
  return cache_take_fit((size + NG__HUGE - 1) & ~(NG__HUGE - 1), got);
}

void *ng__pages_alloc_fit(size_t size, size_t *got) {
  void *p;

  if (size > SIZE_MAX - NG__HUGE)
    return NULL;
  if ((p = ng__pages_cached(size, got)) != NULL)
    return p;
  *got = (size + NG__HUGE - 1) & ~(NG__HUGE - 1);
  return map_aligned(*got);
}

void ng__pages_free(void *p, size_t size) {
  size = (size + NG__HUGE - 1) & ~(NG__HUGE - 1);
  if (!cache_put(p, size))
    munmap(p, size);
}

void *ng__pages_grow(void *p, size_t size, size_t new_size) {
#if defined(MREMAP_MAYMOVE)
  void *q;

  size = (size + NG__HUGE - 1) & ~(NG__HUGE - 1);
  if (new_size > SIZE_MAX - NG__HUGE)
    return NULL;
  new_size = (new_size + NG__HUGE - 1) & ~(NG__HUGE - 1);
  q = mremap(p, size, new_size, MREMAP_MAYMOVE);
  return q == MAP_FAILED ? NULL : q;
#else
  (void)p;
  (void)size;
  (void)new_size;
  return NULL;
#endif
}

void ng__pages_populate(void *p, size_t size) {
#if defined(MADV_POPULATE_WRITE)
  (void)madvise(p, size, MADV_POPULATE_WRITE);
#elif defined(__linux__)
  (void)madvise(p, size, 23); /* MADV_POPULATE_WRITE, Linux 5.14 */
#else
  (void)p;
  (void)size;
#endif
}
#else
void ng_memory_trim(void) {}

void ng__pages_populate(void *p, size_t size) {
  (void)p;
  (void)size;
}

void *ng__pages_grow(void *p, size_t size, size_t new_size) {
  (void)p;
  (void)size;
  (void)new_size;
  return NULL;
}

void *ng__pages_alloc(size_t size) { return malloc(size); }

void *ng__pages_alloc_fit(size_t size, size_t *got) {
  *got = size;
  return malloc(size);
}

void *ng__pages_cached(size_t size, size_t *got) {
  (void)size;
  (void)got;
  return NULL;
}

void ng__pages_free(void *p, size_t size) {
  (void)size;
  free(p);
}
#endif
