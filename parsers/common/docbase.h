/*
 * parsers/common/docbase.h - the part of a document every format shares:
 * an arena that owns every node and string, the allocator of the document
 * itself, and the max_memory accounting.
 *
 * A format's document struct starts with an ng__docbase, so that these
 * functions allocate, measure and free it. max_memory bounds the whole
 * document, its struct included: the arena gets the rest, and passing it
 * is NG_EMEMLIMIT (the arena's), apart from NG_ENOMEM. Freeing is O(arena
 * chunks): nodes are never visited, so no depth problem.
 */
#ifndef NG_PARSERS_COMMON_DOCBASE_H
#define NG_PARSERS_COMMON_DOCBASE_H

#include <stddef.h>

#include "nestguard/alloc.h"
#include "nestguard/arena.h"

typedef struct ng__docbase {
  ng_arena arena;      /* owns every node and string of the document */
  const ng_alloc *alc; /* the document's allocator; NULL: libc */
  size_t size;         /* bytes of the format's document struct */
} ng__docbase;

/*
 * A zeroed document struct of `size` bytes (>= sizeof(ng__docbase)) whose
 * arena draws from alc (NULL: libc) and stops so that the whole document
 * stays within max_memory bytes (0: no cap). NULL on out of memory.
 */
void *ng__doc_new(size_t size, const ng_alloc *alc, size_t max_memory);

/* The struct plus every arena chunk; 0 for NULL. */
size_t ng__doc_memory(const ng__docbase *d);

/* Frees the arena and the struct. NULL is allowed. */
void ng__doc_free(ng__docbase *d);

/*
 * While a parse builds the document, its arena allocates through `alc`,
 * the parse's allocator (user hooks wrapped by usercall.h); NULL puts the
 * document's own back, as every parse does when it ends.
 */
static inline void ng__doc_parse_alc(ng__docbase *d, const ng_alloc *alc) {
  d->arena.alc = alc != NULL ? alc : d->alc;
}

#endif /* NG_PARSERS_COMMON_DOCBASE_H */
