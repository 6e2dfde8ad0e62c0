/*
 * lib/pages.c - whole pages from the operating system, for large blocks.
 *
 * The arena takes its large chunks (NG__PAGES_MIN and up) from here when the
 * caller left the allocator NULL. Two reasons, both measured on the bundled
 * benchmark files: a document many times its input's size spends most of
 * its parse time in page faults on fresh 4 KiB pages, and asking for
 * transparent huge pages (MADV_HUGEPAGE; the kernel default here is
 * "madvise") cuts those faults 512-fold. The mapping is aligned to 2 MiB so
 * that the kernel can back it with huge pages at all.
 *
 * Platform code: POSIX mmap, plus madvise where the system defines
 * MADV_HUGEPAGE. Anything else falls back to malloc.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>

#include "internal.h"

#define NG__HUGE ((size_t)2 << 20)

#if defined(MAP_ANONYMOUS)
/* Maps size + 2 MiB and unmaps the unaligned head and tail. */
static void *map_aligned(size_t size) {
  size_t span = size + NG__HUGE, head, tail;
  char *p = mmap(NULL, span, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *aligned;

  if (p == MAP_FAILED)
    return NULL;
  aligned = (char *)(((uintptr_t)p + NG__HUGE - 1) & ~(uintptr_t)(NG__HUGE - 1));
  head = (size_t)(aligned - p);
  tail = span - head - size;
  if (head != 0)
    munmap(p, head);
  if (tail != 0)
    munmap(aligned + size, tail);
  return aligned;
}

void *ng__pages_alloc(size_t size) {
  void *p;

  if (size > SIZE_MAX - NG__HUGE)
    return NULL;
  size = (size + NG__HUGE - 1) & ~(NG__HUGE - 1);
  p = map_aligned(size);
#ifdef MADV_HUGEPAGE
  if (p != NULL)
    (void)madvise(p, size, MADV_HUGEPAGE); /* a hint; failure is harmless */
#endif
  return p;
}

void ng__pages_free(void *p, size_t size) {
  size = (size + NG__HUGE - 1) & ~(NG__HUGE - 1);
  munmap(p, size);
}
#else
void *ng__pages_alloc(size_t size) { return malloc(size); }

void ng__pages_free(void *p, size_t size) {
  (void)size;
  free(p);
}
#endif
