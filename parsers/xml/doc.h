/*
 * parsers/xml/doc.h - the XML document object, shared by the builder and
 * the DOM code (internal).
 *
 * It starts with the arena document base every format shares
 * (parsers/common/docbase.h): every node but the DOCUMENT node, and every
 * string, lives in doc->base.arena, so freeing the arena frees the tree
 * without a walk. The DOCUMENT node is part of the struct.
 */
#ifndef NG_XML_DOC_H
#define NG_XML_DOC_H

#include "../common/docbase.h"
#include "nestguard/xml.h"

struct ng_xml_doc {
  ng__docbase base;     /* arena, allocator, size (common/docbase.h) */
  ng_xml_node node;     /* the DOCUMENT node */
  ng_xml_node *root;    /* the root element; NULL until one is built */
  ng_xml_node *doctype; /* the DOCTYPE node, or NULL */
  size_t max_memory;    /* cap on ng_xml_doc_memory(); 0: none */
};

/*
 * Allocates an empty document (a DOCUMENT node without children) whose
 * arena draws from alc (NULL: libc) and stops at max_memory bytes in all,
 * the struct included (0: no cap). Returns NULL on out of memory.
 */
ng_xml_doc *ng__xml_doc_new(const ng_alloc *alc, size_t max_memory);

/* The document's arena. */
static inline ng_arena *ng__xml_arena(ng_xml_doc *doc) {
  return &doc->base.arena;
}

/* The error of the arena's last failed allocation: NG_ENOMEM or
 * NG_EMEMLIMIT. */
static inline int ng__xml_doc_err(const ng_xml_doc *doc) {
  return doc->base.arena.err;
}

#endif /* NG_XML_DOC_H */
