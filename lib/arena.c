/*
 * lib/arena.c - chunked bump arena (see nestguard/arena.h).
 *
 * Chunks double in size from NG__ARENA_FIRST, so n bytes of document cost
 * O(log n) allocator calls. A request larger than the next chunk gets a chunk
 * of its own size. The cap is checked before asking the allocator: the
 * arena then tries the smallest chunk that fits before giving up, so a cap
 * that is not a power of two can be used to the byte.
 *
 * With the default (NULL) allocator, chunks of NG__ARENA_PAGES bytes and up
 * come from ng__pages_alloc (cached 2 MiB-aligned mmap) instead of malloc: a
 * large document otherwise spends most of its parse in page faults. Their
 * size is then rounded up to whole 2 MiB and all of it is used. The bound
 * is low so that the chunks malloc serves (4-32 KiB, 60 KiB in all) stay
 * under glibc's trim threshold: with 64 and 128 KiB chunks from malloc, a
 * program that parses document after document had malloc give the heap's
 * top back to the kernel at every free and fault it in again at the next
 * parse (a stream's document: 16 page faults a twitter.json parse; the
 * one-shot parse sizes its first chunk from the input and never did).
 */
#include <string.h>

#include "internal.h"

#define NG__ARENA_FIRST ((size_t)4096)
#define NG__ARENA_MAX_ALIGN ((size_t)64)
#define NG__ARENA_PAGES ((size_t)64 << 10)
#define NG__ARENA_HUGE ((size_t)2 << 20)

struct ng__arena_chunk {
  ng__arena_chunk *next; /* older chunk */
  size_t size;           /* bytes requested from the allocator, header in */
  int pages;             /* 1: from ng__pages_alloc, else from the alc */
};

/* Usable bytes start after the header, kept max_align_t aligned. */
#define NG__CHUNK_HDR                                                          \
  ((sizeof(ng__arena_chunk) + _Alignof(max_align_t) - 1) &                     \
   ~(_Alignof(max_align_t) - 1))

void ng_arena_init(ng_arena *a, const ng_alloc *alc, size_t max_bytes) {
  memset(a, 0, sizeof *a);
  a->alc = alc;
  a->max_bytes = max_bytes;
  a->next_size = NG__ARENA_FIRST;
}

void ng__arena_size_hint(ng_arena *a, size_t bytes) {
  if (bytes > a->next_size)
    a->next_size = bytes;
}

static void arena_use_chunk(ng_arena *a, ng__arena_chunk *c) {
  a->cur = (char *)c + NG__CHUNK_HDR;
  a->end = (char *)c + c->size;
}

/* Chooses the chunk size for a request of `need` bytes (header included). */
static int arena_chunk_size(const ng_arena *a, size_t need, size_t *out) {
  size_t size = a->next_size > need ? a->next_size : need;

  if (a->max_bytes != 0) {
    if (a->sys_bytes > a->max_bytes || need > a->max_bytes - a->sys_bytes)
      return NG_EMEMLIMIT;
    if (size > a->max_bytes - a->sys_bytes)
      size = a->max_bytes - a->sys_bytes;
  }
  *out = size;
  return NG_OK;
}

/* Allocates a chunk of *size bytes; may round *size up (pages). */
static ng__arena_chunk *arena_chunk_alloc(ng_arena *a, size_t *size) {
  ng__arena_chunk *c;
  size_t rounded;

  if (a->alc == NULL && *size >= NG__ARENA_PAGES) {
    rounded = (*size + NG__ARENA_HUGE - 1) & ~(NG__ARENA_HUGE - 1);
    if (rounded >= *size &&
        (a->max_bytes == 0 || rounded <= a->max_bytes - a->sys_bytes))
      *size = rounded; /* use the whole mapping when the cap allows */
    c = ng__pages_alloc(*size);
    if (c != NULL)
      c->pages = 1;
    return c;
  }
  c = ng__malloc(a->alc, *size);
  if (c != NULL)
    c->pages = 0;
  return c;
}

static void arena_chunk_free(ng_arena *a, ng__arena_chunk *c) {
  if (c->pages)
    ng__pages_free(c, c->size);
  else
    ng__free(a->alc, c, c->size);
}

void *ng__arena_alloc_slow(ng_arena *a, size_t size, size_t align) {
  ng__arena_chunk *c;
  size_t need, csize, want;
  int rc;

  if (align == 0 || (align & (align - 1)) != 0 || align > NG__ARENA_MAX_ALIGN) {
    a->err = NG_EINVAL;
    return NULL;
  }
  if (ng__size_add(size, NG__CHUNK_HDR + align, &need) != NG_OK) {
    a->err = NG_ENOMEM;
    return NULL;
  }
  rc = arena_chunk_size(a, need, &csize);
  if (rc != NG_OK) {
    a->err = rc;
    return NULL;
  }
  want = csize;
  c = arena_chunk_alloc(a, &csize);
  if (c == NULL) {
    a->err = NG_ENOMEM;
    return NULL;
  }
  c->size = csize;
  c->next = a->chunks;
  a->chunks = c;
  a->sys_bytes += csize;
  if (a->sys_bytes > a->peak_bytes)
    a->peak_bytes = a->sys_bytes;
  if (csize > want && want == a->next_size)
    a->next_size = csize; /* a chunk rounded up to pages sets the pace */
  if (a->next_size <= SIZE_MAX / 2)
    a->next_size *= 2;
  arena_use_chunk(a, c);
  /* The fresh chunk has room by construction; the fast path cannot loop. */
  return ng_arena_alloc(a, size, align);
}

void ng_arena_reset(ng_arena *a) {
  ng__arena_chunk *keep = a->chunks, *c, *next;

  if (keep == NULL) {
    a->used_bytes = 0;
    return;
  }
  for (c = keep->next; c != NULL; c = next) {
    next = c->next;
    a->sys_bytes -= c->size;
    arena_chunk_free(a, c);
  }
  keep->next = NULL;
  a->chunks = keep;
  a->used_bytes = 0;
  arena_use_chunk(a, keep);
}

void ng_arena_free(ng_arena *a) {
  ng__arena_chunk *c, *next;

  for (c = a->chunks; c != NULL; c = next) {
    next = c->next;
    arena_chunk_free(a, c);
  }
  a->chunks = NULL;
  a->cur = a->end = NULL;
  a->sys_bytes = 0;
  a->used_bytes = 0;
  a->next_size = NG__ARENA_FIRST;
}

size_t ng_arena_used(const ng_arena *a) { return a->used_bytes; }

size_t ng_arena_sys(const ng_arena *a) { return a->sys_bytes; }

size_t ng_arena_peak(const ng_arena *a) { return a->peak_bytes; }
