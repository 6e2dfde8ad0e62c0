/*
 * parsers/json/doc.h - the document object, shared by engines and DOM code.
 *
 * Internal: engines build into a doc through the builder; DOM operations
 * (dom.c, write.c) read it. Every node and string lives in
 * doc->base.arena.
 */
#ifndef NG_JSON_DOC_H
#define NG_JSON_DOC_H

#include "../common/docbase.h"
#include "nestguard/json.h"

struct ng_json_doc {
  ng__docbase base;      /* arena (strings, keys), allocator, max_memory */
  ng_json_value *nodes;  /* the node array, root first; NULL until built */
  size_t n;              /* nodes built (set when the builder is freed) */
  size_t room;           /* nodes the array can hold now (usable) */
  size_t bytes;          /* bytes of the array from its allocator */
  unsigned char mapped;  /* 1: from ng__pages_alloc (populated by steps) */
};

/* The root: the array's first node, or NULL before one is built. */
static inline ng_json_value *ng__json_doc_root(const ng_json_doc *doc) {
  return doc->n != 0 ? doc->nodes : NULL;
}

/*
 * Makes room for more nodes after the first `n`: the rest of a mapping
 * populated by a step, or a bigger array (contents moved, so callers keep
 * indices, not pointers, across it). Sets doc->room. NG_OK, NG_ENOMEM or
 * NG_EMEMLIMIT (the arena's err set too). hint: nodes expected in all (0:
 * unknown), used on the first call only.
 */
int ng__json_nodes_grow(ng_json_doc *doc, size_t n, size_t hint);

/* An allocator's array shrunk to the doc->n nodes built when it holds an
 * eighth more (a mapping is left: its unused pages are not populated).
 * Keeps the array as it is when the allocator fails. */
void ng__json_nodes_fit(ng_json_doc *doc);

/*
 * Allocates an empty document whose arena draws from alc (NULL: libc) and
 * stops at max_memory bytes (0: no cap). Returns NULL on out of memory.
 */
ng_json_doc *ng__json_doc_new(const ng_alloc *alc, size_t max_memory);

#endif /* NG_JSON_DOC_H */
