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
  ng__docbase base;    /* arena, allocator, max_memory (common/docbase.h) */
  ng_json_value *root; /* the top-level value; NULL until built */
};

/*
 * Allocates an empty document whose arena draws from alc (NULL: libc) and
 * stops at max_memory bytes (0: no cap). Returns NULL on out of memory.
 */
ng_json_doc *ng__json_doc_new(const ng_alloc *alc, size_t max_memory);

#endif /* NG_JSON_DOC_H */
