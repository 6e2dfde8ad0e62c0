/*
 * parsers/xml/ns.h - Namespaces in XML 1.0 (Third Edition): the stage
 * between the engines' emit helpers (engine.h) and the sink, used when
 * ng_xml_options.flags has NG_XML_NAMESPACES.
 *
 * Every engine goes through engine.h's ng__xml_emit_* helpers, and they
 * call this stage before the sink, so all engines apply the same
 * constraints at the same token by construction. For each start tag, in
 * this order, the stage
 *   1. checks the element's name and every attribute's name as a QName
 *      (NS [7]: at most one colon, a non-empty prefix and local part, the
 *      local part an NCName) and rejects the prefix xmlns on an element;
 *   2. pushes the tag's declarations (xmlns="..." and xmlns:p="...",
 *      defaulted ones from the DTD included) onto the scope, refusing what
 *      NSC: No Prefix Undeclaring and NSC: Reserved Prefixes and Namespace
 *      Names forbid;
 *   3. resolves the element's and the attributes' prefixes (NSC: Prefix
 *      Declared; `xml` is always bound to its namespace), and
 *   4. checks that no two attributes share a namespace URI and local name
 *      (NSC: Attributes Unique).
 * Every failure is NG_ENS with a message, at the start tag's offset, or
 * at the attribute's name when that lies in the document text (not in an
 * entity's replacement text or a DTD default). PI targets, entity names
 * and notation names with a colon are NG_ENS too (NS 7), at the PI and at
 * the declaration.
 *
 * Resolution: after ng__xml_ns_start (and ng__xml_ns_end for an end tag)
 * `el` and `attrs[i]` name the URI of the element and of the token's
 * attribute i, valid until the next call. xmlns and xmlns:p attributes are
 * in the namespace http://www.w3.org/2000/xmlns/ (NS 3 for xmlns:p; the
 * DOM's convention for xmlns); unprefixed attributes are in none.
 *
 * Scope: one record per declaration, tagged with the depth of its element
 * and popped when that element ends, in heap buffers through the parse's
 * allocator: elements that declare nothing cost nothing, at any depth. A
 * hash table maps each prefix to its innermost binding (a binding links
 * to the one it hides), so a lookup is O(1) whatever the number of
 * bindings in scope, and so is the uniqueness check per attribute. Both
 * tables hash with dtd.h's ng__xml_hash, seeded per parse.
 */
#ifndef NG_PARSERS_XML_NS_H
#define NG_PARSERS_XML_NS_H

#include <stddef.h>
#include <stdint.h>

#include "../common/parse.h"
#include "lexer.h"

/* The two namespace names NS 3 reserves. */
#define NG__XML_NS_XML "http://www.w3.org/XML/1998/namespace"
#define NG__XML_NS_XMLNS "http://www.w3.org/2000/xmlns/"

/* A resolved name: its namespace URI (NULL, 0: none). */
typedef struct ng__xml_nsname {
  const char *uri; /* in the scope's pool or static; not NUL-terminated */
  size_t uri_len;  /* bytes of uri */
  size_t local;    /* offset of the local part: 0 without a prefix */
} ng__xml_nsname;

typedef struct ng__xml_ns {
  ng__xml_nsname el;     /* the current element, after start or end */
  ng__xml_nsname *attrs; /* the current start tag's attributes (in at) */
  ng__xml_buf binds;     /* ng__xml_nsbind[]: declarations in scope */
  ng__xml_buf pool;      /* their prefixes and URIs, popped with them */
  ng__xml_buf at;        /* ng__xml_nsname[] of the start tag */
  ng__xml_buf seen;      /* size_t[]: the uniqueness check's table */
  size_t *slot;          /* prefix table: binding index + 1, 0 empty,
                            SIZE_MAX a removed entry */
  size_t cap;            /* slots (a power of two), 0 before any */
  size_t fill;           /* slots not empty */
  size_t depth;          /* elements open */
  size_t top;            /* depth of the innermost declaration; 0: none */
  uint64_t seed;         /* of both hash tables (per parse, so that
                            colliding prefixes cannot be prepared) */
  const char *text;      /* the decoded document (attribute offsets) */
  size_t text_len;       /* its bytes */
  const ng_alloc *alc;   /* every buffer and the table */
} ng__xml_ns;

/* Prepares ns over the decoded text[0..len); allocates nothing. */
void ng__xml_ns_init(ng__xml_ns *ns, const char *text, size_t len,
                     const ng_alloc *alc);

/* Releases every buffer; ns may be re-initialised after. */
void ng__xml_ns_free(ng__xml_ns *ns);

/*
 * Start tag t (a START token): opens a scope, checks and resolves as the
 * file header says. NG_OK, or the error recorded in c (NG_ENS, NG_ENOMEM)
 * and returned.
 */
int ng__xml_ns_start(ng__xml_ns *ns, const ng__xml_token *t, ng__parse *c);

/* End tag t (an END token, matching the open element): resolves its name
 * into el again. Cannot fail: the start tag resolved it in this scope. */
void ng__xml_ns_end(ng__xml_ns *ns, const ng__xml_token *t);

/* Pops the declarations of the open element (ns->top == ns->depth). */
void ng__xml_ns_unbind(ng__xml_ns *ns);

/* The open element ends (after the sink saw its end): its declarations,
 * if it made any, go out of scope. */
static inline void ng__xml_ns_pop(ng__xml_ns *ns) {
  if (ns->top == ns->depth)
    ng__xml_ns_unbind(ns);
  ns->depth--;
}

/*
 * A DOCTYPE or PI token (other tokens pass): a colon in the PI target, or
 * in the name of a declared entity or notation or an unparsed entity's
 * notation (dtd: the lexer's tables, NULL when none; the first such
 * declaration in document order), is NG_ENS, recorded in c. NG_OK
 * otherwise.
 */
int ng__xml_ns_misc(const ng__xml_ns *ns, const ng__xml_token *t,
                    const ng__xml_dtd *dtd, ng__parse *c);

#endif /* NG_PARSERS_XML_NS_H */
