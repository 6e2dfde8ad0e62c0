/*
 * parsers/xml/builder.h - the sink the XML engines build a document with
 * (internal to the engines, ng_xml_copy and tests).
 *
 * Events come in document order:
 *
 *   doctype? (comment | pi)*              prolog, in any order
 *   start attr* start_done                a start tag (or <e/>: then end)
 *     (text | comment | pi | <element>)*  content
 *   end                                   its end tag
 *   (comment | pi)* finish                epilog, then the end
 *
 * Every call returns NG_OK, NG_ENOMEM, NG_EMEMLIMIT (the document's
 * max_memory) or NG_ESTRLIMIT (a string of 4 GiB or more: xml.h); after an
 * error the engine stops and its owner frees the document and the builder.
 * Strings passed in are copied (or interned) before the call returns, so
 * they may live in the engine's scratch buffers.
 *
 * Names and namespaces: an element's and an attribute's namespace URI is
 * passed with its name as uri[0..ulen) (uri NULL or ulen 0: no namespace;
 * namespaces off: always none). The builder interns names and URIs: one
 * record per distinct (name, URI) in the document, so nodes hold a pointer
 * and 10,000,000 <a> elements cost no name bytes each. An element's URI
 * depends on the xmlns attributes of its own start tag, so an engine that
 * processes namespaces reads the whole tag before calling start; with
 * NG__XML_BUILD_NS set names are split at their first ':' into prefix and
 * local name (the engine has checked them as QNames).
 *
 * Text: adjacent text calls merge into one TEXT node (character data,
 * references and CDATA sections alike), unless NG__XML_BUILD_CDATA keeps
 * each CDATA section as a CDATA node of its own (then never merged, even
 * with an adjacent one). Empty text makes no node; an empty CDATA section
 * kept apart does. A merge extends the text in place in the arena while
 * its chunk has room; otherwise, and for text passed as kept (ng__xml_
 * build_text_kept: bytes that stay valid until the builder is freed, such
 * as the parsed text or an entity's replacement text), the text becomes a
 * list of pieces, kept ones by reference and others copied into a heap
 * buffer, joined into the node's text at the next other event: O(1)
 * amortised per byte, at most one abandoned copy of the text in the
 * arena, and nothing copied for a run a parse abandons (an entity
 * expansion refused by its limit after many kept references).
 *
 * Depth: the builder remembers only the innermost open element and its
 * last child; an open element is the last child of its parent, so its
 * threaded link leads back up when it closes. No stack at any depth.
 */
#ifndef NG_PARSERS_XML_BUILDER_H
#define NG_PARSERS_XML_BUILDER_H

#include <stddef.h>
#include <string.h>

#include "internal.h"
#include "doc.h"
#include "dom.h"

/* Builder flags. */
#define NG__XML_BUILD_NS 0x1u    /* names split at ':' into prefix, local */
#define NG__XML_BUILD_CDATA 0x2u /* CDATA sections stay CDATA nodes */

/* Attributes of one start tag kept inside the builder before the heap. */
#define NG__XML_ATTR_INLINE 8

/* Entries of the cache of names interned recently (a power of two). */
#define NG__XML_NAME_CACHE 128

/* Interned names and URIs: open addressing over arena records. */
typedef struct ng__xml_names {
  ng_xml_qname **slot; /* heap, cap entries; NULL: empty slot */
  size_t cap;          /* power of two, or 0 before the first name */
  size_t n;            /* records stored */
} ng__xml_names;

/* A piece of merged text: s[0..len), or the next len bytes of the heap
 * buffer when s is NULL. */
typedef struct ng__xml_piece {
  const char *s;
  size_t len;
} ng__xml_piece;

typedef struct ng__xml_builder {
  ng_xml_doc *doc;           /* the document being built (not owned) */
  ng_xml_node *cur;          /* innermost open element, or the DOCUMENT */
  ng_xml_node *last;         /* cur's last child so far; NULL: none */
  ng_xml_node *text;         /* last child while text may merge into it */
  const ng_xml_qname *ename; /* name of the start tag being read */
  const ng_xml_qname *lastq; /* the element name interned last (cache) */
  const ng_xml_qname *lastu; /* the URI interned last (cache) */
  ng_xml_attr *attrs;        /* the start tag's attributes: attr_inline
                                or a heap array of attrcap */
  size_t nattrs;             /* attributes so far */
  size_t attrcap;            /* entries at attrs */
  char *pend;                /* heap: copied pieces of merged text */
  size_t pend_len;           /* bytes in pend */
  size_t pend_cap;           /* bytes at pend */
  ng__xml_piece *pieces;     /* heap: the merged text, in order */
  size_t npieces;            /* pieces in use */
  size_t piececap;           /* entries at pieces */
  size_t run_len;            /* pending: bytes of all pieces */
  int pending;               /* 1: b->text's text is the pieces, not as.s */
  unsigned flags;            /* NG__XML_BUILD_* */
  ng__xml_names names;       /* interned names and URIs */
  const ng_xml_qname *ncache[NG__XML_NAME_CACHE]; /* names without a URI
                                interned recently, by a hash of length and
                                end bytes (intern_cached) */
  const ng_alloc *alc;       /* allocator of attrs, pend, names */
  ng_xml_attr attr_inline[NG__XML_ATTR_INLINE]; /* first attributes */
} ng__xml_builder;

/* The NG__XML_BUILD_* flags for parse options' flags (NG_XML_*). */
unsigned ng__xml_build_flags(unsigned opt_flags);

/*
 * Prepares a builder filling doc (fresh from ng__xml_doc_new) with flags
 * NG__XML_BUILD_*; its own scratch memory comes from alc (NULL: libc).
 * Allocates nothing. The builder must not move while in use.
 */
void ng__xml_builder_init(ng__xml_builder *b, ng_xml_doc *doc, unsigned flags,
                          const ng_alloc *alc);

/* Releases the builder's own memory, not the document. */
void ng__xml_builder_free(ng__xml_builder *b);

/* ------------------------------------------------------------ events */

/* Slow paths of the inline functions below (builder.c). */
int ng__xml_build_start_slow(ng__xml_builder *b, const char *name, size_t len,
                             const char *uri, size_t ulen);
int ng__xml_build_start_done_slow(ng__xml_builder *b);
int ng__xml_build_end_slow(ng__xml_builder *b);
int ng__xml_build_text_slow(ng__xml_builder *b, const char *data, size_t len,
                            int is_cdata, int kept);

/*
 * A start tag with name name[0..len) in namespace uri[0..ulen). The
 * element is made by ng__xml_build_start_done, after its attributes, so
 * that they can sit right before it.
 */
NG_INLINE int ng__xml_build_start(ng__xml_builder *b, const char *name,
                                  size_t len, const char *uri, size_t ulen) {
  const ng_xml_qname *q = b->lastq;

  if (NG_UNLIKELY(q == NULL || b->pending || q->len != len ||
                  q->uri_len != ulen ||
                  (len != 0 && memcmp(q->name, name, len) != 0) ||
                  (ulen != 0 && memcmp(q->uri, uri, ulen) != 0)))
    return ng__xml_build_start_slow(b, name, len, uri, ulen);
  b->text = NULL;
  b->ename = q;
  b->nattrs = 0;
  return NG_OK;
}

/*
 * One attribute of the current start tag: name[0..nlen) in namespace
 * uri[0..ulen), value[0..vlen) as normalised by the engine. Order is kept.
 * Duplicates are the engine's to reject (NG_EATTR); the builder keeps
 * what it is given.
 */
int ng__xml_build_attr(ng__xml_builder *b, const char *name, size_t nlen,
                       const char *value, size_t vlen, const char *uri,
                       size_t ulen);

/* Fills element e (its attributes, if any, already before it) with the
 * pending start tag, links it and makes it the open element: the root
 * element when it is the first element at the top. */
NG_INLINE void ng__xml_open(ng__xml_builder *b, ng__xml_named *e,
                            size_t nattrs) {
  e->node.type = NG_XML_ELEMENT;
  e->node.flags = NG_XML__LAST;
  e->node.reserved = 0;
  e->node.len = (uint32_t)nattrs;
  e->node.as.head = NULL;
  e->name = b->ename;
  ng__xml_append(b->cur, &b->last, &e->node);
  if (NG_UNLIKELY(b->doc->root == NULL) && b->cur == &b->doc->node)
    b->doc->root = &e->node;
  b->cur = &e->node;
  b->last = NULL;
}

/* The start tag is complete: the element is linked into the tree and
 * becomes the open element. */
NG_INLINE int ng__xml_build_start_done(ng__xml_builder *b) {
  ng__xml_named *e;

  if (NG_UNLIKELY(b->nattrs != 0))
    return ng__xml_build_start_done_slow(b);
  e = ng_arena_alloc(ng__xml_arena(b->doc), sizeof *e, _Alignof(ng__xml_named));
  if (NG_UNLIKELY(e == NULL))
    return ng__xml_doc_err(b->doc);
  ng__xml_open(b, e, 0);
  return NG_OK;
}

/* The open element ends (an empty-element tag ends right after its
 * start_done). It is the last child of its parent, so its link leads up. */
NG_INLINE int ng__xml_build_end(ng__xml_builder *b) {
  ng_xml_node *c = b->cur;

  if (NG_UNLIKELY(b->pending))
    return ng__xml_build_end_slow(b);
  b->text = NULL;
  b->last = c;
  b->cur = c->link;
  return NG_OK;
}

/*
 * Character data, a resolved reference or a CDATA section (is_cdata
 * nonzero): data[0..len). Merges with the text before it as the file
 * header says.
 */
/* A TEXT (or CDATA) node linked as the open element's last child, with
 * room for len bytes and a NUL right after it, as.s pointing there (not
 * written yet); NULL when the arena fails. */
NG_INLINE ng_xml_node *ng__xml_text_node(ng__xml_builder *b, size_t len,
                                         int type) {
  ng_xml_node *t = ng_arena_alloc(ng__xml_arena(b->doc), sizeof *t + len + 1,
                                  _Alignof(ng_xml_node));

  if (NG_UNLIKELY(t == NULL))
    return NULL;
  t->type = (uint8_t)type;
  t->flags = NG_XML__LAST;
  t->reserved = 0;
  t->len = (uint32_t)len;
  t->as.s = (char *)(t + 1); /* the text follows its node, so it can grow */
  ng__xml_append(b->cur, &b->last, t);
  return t;
}

NG_INLINE int ng__xml_build_text(ng__xml_builder *b, const char *data,
                                 size_t len, int is_cdata) {
  int apart = is_cdata && (b->flags & NG__XML_BUILD_CDATA);
  ng_xml_node *t;
  char *s;

  if (NG_UNLIKELY(b->text != NULL || len > UINT32_MAX))
    return ng__xml_build_text_slow(b, data, len, is_cdata, 0);
  if (len == 0 && !apart)
    return NG_OK;
  t = ng__xml_text_node(b, len, apart ? NG_XML_CDATA : NG_XML_TEXT);
  if (NG_UNLIKELY(t == NULL))
    return ng__xml_doc_err(b->doc);
  s = (char *)(t + 1);
  if (len != 0)
    memcpy(s, data, len);
  s[len] = '\0';
  b->text = apart ? NULL : t;
  return NG_OK;
}

/* Kept text from this many bytes on is copied only when its run ends. */
#define NG__XML_DEFER_TEXT 4096

/* ng__xml_build_text for data that stays valid, unchanged, until the
 * builder is freed: merged into the text before it without a copy, and a
 * long run's bytes copied only when it ends (its node and room are made
 * at once, so a limit fails here as before). */
NG_INLINE int ng__xml_build_text_kept(ng__xml_builder *b, const char *data,
                                      size_t len, int is_cdata) {
  if (b->text != NULL || len >= NG__XML_DEFER_TEXT)
    return ng__xml_build_text_slow(b, data, len, is_cdata, 1);
  return ng__xml_build_text(b, data, len, is_cdata);
}

/* A comment's text data[0..len). */
int ng__xml_build_comment(ng__xml_builder *b, const char *data, size_t len);

/* A processing instruction: target[0..tlen), data[0..dlen) (data may be
 * NULL when dlen is 0). */
int ng__xml_build_pi(ng__xml_builder *b, const char *target, size_t tlen,
                     const char *data, size_t dlen);

/* The document type declaration: root element name[0..nlen), public id
 * pubid[0..plen) and system id sysid[0..slen), each NULL when absent
 * (present but empty is kept as ""). The internal subset is not kept. */
int ng__xml_build_doctype(ng__xml_builder *b, const char *name, size_t nlen,
                          const char *pubid, size_t plen, const char *sysid,
                          size_t slen);

/* The input ended: text still gathered becomes its node. Call once, after
 * the last event. */
int ng__xml_build_finish(ng__xml_builder *b);

/* ------------------------------------------------ copying (ng_xml_copy) */

/* start and attr for a name taken from another document: the same bytes,
 * prefix split and URI, interned in this one. */
int ng__xml_build_start_q(ng__xml_builder *b, const ng_xml_qname *q);
int ng__xml_build_attr_q(ng__xml_builder *b, const ng_xml_qname *q,
                         const char *value, size_t vlen);

#endif /* NG_PARSERS_XML_BUILDER_H */
