/*
 * parsers/xml/dom.h - node layouts behind ng_xml_node (internal).
 *
 * Shared by the builder (which makes nodes), the DOM operations (dom.c)
 * and the writer (write.c). Public code sees only ng_xml_node and the
 * accessors of nestguard/xml.h; the layouts here are what those read:
 *
 *   TEXT, CDATA, COMMENT   ng_xml_node (24 bytes), data in as.s/len
 *   ELEMENT                [len x ng_xml_attr][ng__xml_named] (24n + 32)
 *   PI                     ng__xml_named (32), target in name, data in
 *                          as.s/len
 *   DOCTYPE                ng__xml_doctype (48), name in as.s/len
 *   DOCUMENT               the ng_xml_doc struct's first member
 *
 * Links are threaded (xml.h): `link` is the next sibling, or on a last
 * child (NG_XML__LAST) the parent, so every walk is a loop that climbs
 * through the links instead of a stack.
 */
#ifndef NG_XML_DOM_H
#define NG_XML_DOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "doc.h"

/* An ELEMENT or a PI: the node and its interned name (target). */
typedef struct ng__xml_named {
  ng_xml_node node;         /* as.head (ELEMENT) or as.s (PI data) */
  const ng_xml_qname *name; /* element name, or PI target */
} ng__xml_named;

/* A DOCTYPE: name in node.as.s / node.len. */
typedef struct ng__xml_doctype {
  ng_xml_node node;  /* as.s, len: the root element name */
  const char *pubid; /* public id, or NULL */
  const char *sysid; /* system id, or NULL */
  uint32_t pub_len;  /* bytes of pubid */
  uint32_t sys_len;  /* bytes of sysid */
} ng__xml_doctype;

/* The interned name of an ELEMENT or PI node. */
static inline const ng_xml_qname *ng__xml_qname(const ng_xml_node *n) {
  return ((const ng__xml_named *)(const void *)n)->name;
}

static inline const ng__xml_doctype *ng__xml_dt(const ng_xml_node *n) {
  return (const ng__xml_doctype *)(const void *)n;
}

/* The attribute array of ELEMENT el: el->len records right before it. */
static inline const ng_xml_attr *ng__xml_attrs(const ng_xml_node *el) {
  return (const ng_xml_attr *)(const void *)((const char *)el -
                                             (size_t)el->len *
                                                 sizeof(ng_xml_attr));
}

/* Can n have children? (ELEMENT, DOCUMENT) */
static inline bool ng__xml_is_parent(const ng_xml_node *n) {
  return n->type == NG_XML_ELEMENT || n->type == NG_XML_DOCUMENT;
}

/* Is n the last child of its parent (or the DOCUMENT node)? */
static inline bool ng__xml_is_last(const ng_xml_node *n) {
  return (n->flags & NG_XML__LAST) != 0;
}

/*
 * Links child (fresh: flags NG_XML__LAST) as the last child of parent,
 * after *last (parent's current last child, NULL while it has none), and
 * updates *last. O(1).
 */
static inline void ng__xml_append(ng_xml_node *parent, ng_xml_node **last,
                                  ng_xml_node *child) {
  child->link = parent;
  child->flags |= NG_XML__LAST;
  if (*last != NULL) {
    (*last)->link = child;
    (*last)->flags &= (uint8_t)~NG_XML__LAST;
  } else {
    parent->as.head = child;
  }
  *last = child;
}

/* Do two interned names (of any documents) say the same thing? Records
 * of one document are shared, so equal pointers settle it at once. */
static inline bool ng__xml_qname_equal(const ng_xml_qname *a,
                                       const ng_xml_qname *b) {
  if (a == b)
    return true;
  if (a->len != b->len || a->local != b->local || a->uri_len != b->uri_len ||
      (a->uri == NULL) != (b->uri == NULL))
    return false;
  return memcmp(a->name, b->name, a->len) == 0 &&
         (a->uri_len == 0 || memcmp(a->uri, b->uri, a->uri_len) == 0);
}

#endif /* NG_XML_DOM_H */
