/*
 * nestguard/xml.h - XML 1.0 documents as a depth-safe DOM.
 *
 * A document is an arena that owns every node and string, and a DOCUMENT
 * node whose children are, in document order, the prolog's comments and
 * processing instructions, the DOCTYPE (if any), the root element and the
 * epilog's comments and PIs. Every operation here (free, copy, equal,
 * walk, text content, write) uses O(1) machine stack whatever the nesting
 * depth: links are threaded (a last child leads back to its parent), so
 * walks are loops, not recursion. docs/xml_dom.md is the guide.
 *
 * Strings (names, values, text, URIs) are UTF-8, NUL-terminated for
 * convenience, and come with explicit lengths: use the lengths. Sizes are
 * 32-bit: a parse that meets a name, value, text, comment, PI or URI of
 * 4 GiB or more fails with NG_ESTRLIMIT (an element's 2^32nd attribute
 * with NG_EMEMLIMIT); nothing is ever truncated.
 *
 * Every function taking a node accepts NULL and then returns NULL, 0 or
 * NG_EINVAL as it says. Nodes are read-only: they belong to the document.
 *
 * Thread-safety: a document may be read from several threads at once;
 * nothing here writes to it. Freeing touches only the document passed in.
 */
#ifndef NESTGUARD_XML_H
#define NESTGUARD_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "error.h"
#include "limits.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ the DOM */

typedef enum ng_xml_type {
  NG_XML_DOCUMENT = 1, /* the document: prolog, doctype, root, epilog */
  NG_XML_ELEMENT,      /* name, attributes, children */
  NG_XML_TEXT,         /* character data, references and CDATA merged */
  NG_XML_CDATA,        /* a CDATA section, when the parse keeps them apart */
  NG_XML_COMMENT,      /* the text between <!-- and --> */
  NG_XML_PI,           /* a processing instruction: target and data */
  NG_XML_DOCTYPE       /* <!DOCTYPE name PUBLIC/SYSTEM ids>; no subset */
} ng_xml_type;

typedef struct ng_xml_node ng_xml_node;

/*
 * A name as the document wrote it, with its namespace: interned, so every
 * element or attribute with the same name and URI in one document points
 * to the same record (32 bytes, once per distinct name). Read it through
 * ng_xml_name(), ng_xml_local_name(), ng_xml_prefix(), ng_xml_ns_uri() and
 * their ng_xml_attr_* forms.
 */
typedef struct ng_xml_qname {
  const char *name;  /* qualified name as written, NUL-terminated */
  const char *uri;   /* namespace URI, NUL-terminated; NULL: none */
  uint32_t len;      /* bytes of name */
  uint32_t local;    /* offset of the local name: 0 when there is no
                        prefix (or namespaces are off), else prefix + 1 */
  uint32_t uri_len;  /* bytes of uri; 0 when uri is NULL */
  uint32_t reserved; /* zero */
} ng_xml_qname;

/* One attribute, 24 bytes; an element's attributes are an array, in
 * document order (ng_xml_attr_at). Values are as the parser normalised
 * them. xmlns and xmlns:p declarations are attributes like any other. */
typedef struct ng_xml_attr {
  const ng_xml_qname *name; /* interned name and namespace */
  const char *value;        /* NUL-terminated */
  uint32_t len;             /* bytes of value */
  uint32_t reserved;        /* zero */
} ng_xml_attr;

/*
 * One node: 24 bytes for TEXT, CDATA and COMMENT, 32 for ELEMENT and PI
 * (a pointer to the interned name follows the node), 48 for DOCTYPE; an
 * element's attributes sit in the arena right before it. Strings are
 * extra. Go through the accessors below rather than the fields: `link` is
 * the next sibling, except on a last child (flag NG_XML__LAST), where it
 * points back to the parent (NULL on the DOCUMENT node):
 *
 *   for (c = ng_xml_first(el); c != NULL; c = ng_xml_next(c))
 *     ...
 */
struct ng_xml_node {
  uint8_t type;      /* an ng_xml_type */
  uint8_t flags;     /* internal (NG_XML__LAST) */
  uint16_t reserved; /* zero */
  uint32_t len;      /* TEXT, CDATA, COMMENT, PI: bytes of data; ELEMENT:
                        attributes; DOCTYPE: bytes of name; else 0 */
  union {
    const char *s;     /* TEXT, CDATA, COMMENT, PI: data; DOCTYPE: name */
    ng_xml_node *head; /* ELEMENT, DOCUMENT: first child; NULL if none */
  } as;
  ng_xml_node *link; /* internal: next sibling, or the parent after its
                        last child, or NULL after the DOCUMENT node */
};

/* flags bit: a last child (or the DOCUMENT node): `link` leads up. */
#define NG_XML__LAST 0x1u

/* The node's type, or 0 for NULL. */
static inline int ng_xml_type_of(const ng_xml_node *n) {
  return n != NULL ? n->type : 0;
}

/* The first child of an ELEMENT or the DOCUMENT; NULL when it has none
 * and for every other node. */
static inline ng_xml_node *ng_xml_first(const ng_xml_node *n) {
  return n != NULL && (n->type == NG_XML_ELEMENT || n->type == NG_XML_DOCUMENT)
             ? n->as.head
             : NULL;
}

/* The next sibling of n; NULL after the last child, for the DOCUMENT node
 * and for NULL. */
static inline ng_xml_node *ng_xml_next(const ng_xml_node *n) {
  return n == NULL || (n->flags & NG_XML__LAST) ? NULL : n->link;
}

/* The parent of n (the DOCUMENT node for the root element and the prolog
 * and epilog); NULL for the DOCUMENT node and NULL. O(siblings after n):
 * it follows them to the last one, whose link leads up. */
ng_xml_node *ng_xml_parent(const ng_xml_node *n);

/*
 * Names. ng_xml_name is an ELEMENT's qualified name as written ("p:x"), a
 * PI's target or a DOCTYPE's root element name. ng_xml_local_name ("x";
 * the whole name when there is no prefix or namespaces were off),
 * ng_xml_prefix ("p"; NULL when there is none) and ng_xml_ns_uri (NULL
 * when the element is in no namespace or namespaces were off) are for
 * ELEMENTs. Each stores the length in *len when len is not NULL, and
 * returns NULL (length 0) for NULL and for other node types.
 */
const char *ng_xml_name(const ng_xml_node *n, size_t *len);
const char *ng_xml_local_name(const ng_xml_node *n, size_t *len);
const char *ng_xml_prefix(const ng_xml_node *n, size_t *len);
const char *ng_xml_ns_uri(const ng_xml_node *n, size_t *len);

/* The content of a TEXT, CDATA or COMMENT node, or a PI's data ("" when
 * it has none), with its length in *len (may be NULL); NULL (length 0) for
 * NULL and other types. Lengths count bytes; the text is never cut at a
 * NUL. */
const char *ng_xml_data(const ng_xml_node *n, size_t *len);

/* A DOCTYPE's public and system identifiers, NULL (length 0) when the
 * declaration has none, for other nodes and for NULL. The internal subset
 * is not kept: its entities and attribute defaults are already applied to
 * the document. */
const char *ng_xml_doctype_public(const ng_xml_node *n, size_t *len);
const char *ng_xml_doctype_system(const ng_xml_node *n, size_t *len);

/*
 * Attributes of an ELEMENT (0 and NULL for anything else and NULL).
 * ng_xml_attr_at is O(1); the lookups are O(attributes) and return the
 * first match. ng_xml_attr_get matches the qualified name name[0..len)
 * as written ("xml:lang", "xmlns:p"); ng_xml_attr_get_ns matches the
 * namespace URI uri[0..ulen) (uri NULL or ulen 0: no namespace) and the
 * local name local[0..llen). A NULL string with a nonzero length matches
 * nothing.
 */
size_t ng_xml_attr_count(const ng_xml_node *el);
const ng_xml_attr *ng_xml_attr_at(const ng_xml_node *el, size_t i);
const ng_xml_attr *ng_xml_attr_get(const ng_xml_node *el, const char *name,
                                   size_t len);
const ng_xml_attr *ng_xml_attr_get_ns(const ng_xml_node *el, const char *uri,
                                      size_t ulen, const char *local,
                                      size_t llen);

/* An attribute's qualified name, local name, prefix (NULL: none),
 * namespace URI (NULL: none) and value, as for elements above; NULL
 * (length 0) when a is NULL. len may be NULL. */
const char *ng_xml_attr_name(const ng_xml_attr *a, size_t *len);
const char *ng_xml_attr_local_name(const ng_xml_attr *a, size_t *len);
const char *ng_xml_attr_prefix(const ng_xml_attr *a, size_t *len);
const char *ng_xml_attr_ns_uri(const ng_xml_attr *a, size_t *len);
const char *ng_xml_attr_value(const ng_xml_attr *a, size_t *len);

/*
 * The text of a subtree in a new NUL-terminated buffer allocated through
 * alc (NULL: libc) of exactly *len + 1 bytes (free it with free(), or
 * alc->free(ctx, out, len + 1)): for an ELEMENT or the DOCUMENT the
 * concatenated TEXT and CDATA descendants in document order (comments and
 * PIs left out); for a TEXT, CDATA, COMMENT or PI node its data; "" for a
 * DOCTYPE. len may be NULL. Iterative: any depth. Returns NG_OK, NG_ENOMEM
 * or NG_EINVAL (n or out NULL); on failure *out is NULL and *len 0.
 */
int ng_xml_text_content(const ng_xml_node *n, const ng_alloc *alc, char **out,
                        size_t *len);

/* ------------------------------------------------------- the document */

typedef struct ng_xml_doc ng_xml_doc;

/* The DOCUMENT node; NULL for NULL. */
ng_xml_node *ng_xml_doc_node(const ng_xml_doc *doc);

/* The root element (the first ELEMENT child of the DOCUMENT node); NULL
 * for NULL and for a document without one (a copy of a text node). */
ng_xml_node *ng_xml_doc_root(const ng_xml_doc *doc);

/* The DOCTYPE node, or NULL when the document has none. */
ng_xml_node *ng_xml_doc_doctype(const ng_xml_doc *doc);

/* Bytes the document holds from its allocator (the struct and every arena
 * chunk); 0 for NULL. */
size_t ng_xml_doc_memory(const ng_xml_doc *doc);

/* Frees the document and every node in it, in O(chunks): no node is
 * visited. NULL is a no-op. */
void ng_xml_doc_free(ng_xml_doc *doc);

/* ------------------------------------------------------------- parsing */

/* Engines: the same results (document, events, or error code at the same
 * offset) by different control structures; docs/xml.md compares them. */
typedef enum ng_xml_engine {
  NG_XML_ITERATIVE = 0, /* a loop and the heap stack of open elements
                           (default, fastest) */
  NG_XML_RECURSIVE,     /* recursive descent on the growable stack */
  NG_XML_TRAMPOLINE,    /* continuations run by a driver loop */
  NG_XML_LALR           /* lemon LALR(1) tables */
} ng_xml_engine;

#define NG_XML_ENGINE_COUNT 4

/* Name of an engine ("iterative"), or NULL for an invalid value. */
const char *ng_xml_engine_name(ng_xml_engine e);

/* Engine for a name; returns NG_EINVAL for an unknown name (or NULL). */
int ng_xml_engine_from_name(const char *name, ng_xml_engine *out);

/* Flags for ng_xml_options.flags; any other bit is NG_EINVAL. */
#define NG_XML_KEEP_CDATA                                                      \
  0x1u /* CDATA sections become CDATA nodes                                    \
          instead of merging into TEXT */

/*
 * NG_XML_NAMESPACES: process Namespaces in XML 1.0 (Third Edition). Off by
 * default. With it, a document must also be namespace-well-formed, or the
 * parse fails with NG_ENS (at the start tag, or at the attribute's name):
 * every element and attribute name a QName (at most one colon, neither
 * part empty, the local part starting with a NameStartChar); every prefix
 * declared in scope (`xml` always is); no `xmlns:p=""`; the prefix
 * `xmlns` never declared nor used on an element; `xml` bound only to
 * http://www.w3.org/XML/1998/namespace and that URI to no other prefix;
 * http://www.w3.org/2000/xmlns/ never bound; no two attributes with the
 * same namespace URI and local name; no colon in PI targets, entity
 * names and notation names. Names are then split into prefix and local
 * name and carry their namespace URI, in the DOM (ng_xml_ns_uri, ng_xml_attr_ns_uri...) and in
 * events (ng_xml_event_name, ng_xml_event_attr). Unprefixed attributes
 * are in no namespace; xmlns and xmlns:p attributes are in
 * http://www.w3.org/2000/xmlns/. Names are still matched and kept as
 * written (end tags match start tags literally).
 */
#define NG_XML_NAMESPACES 0x2u

typedef struct ng_xml_options {
  ng_xml_engine engine; /* which engine parses */
  unsigned flags;       /* NG_XML_* flags */
  ng_limits limits;     /* max_depth counts elements (default 10,000;
                           0: unlimited); max_input the input's bytes;
                           max_string names, values and text runs;
                           max_memory the document and the DTD tables;
                           max_entity_expansion bytes produced by
                           entity references */
  const ng_alloc *alc;  /* NULL: libc */
} ng_xml_options;

/* Fills *opt with the defaults: iterative, no flags, ng_limits_default(). */
void ng_xml_options_default(ng_xml_options *opt);

/*
 * Parses the XML document data[0..len) (any encoding the input layer
 * reads: UTF-8, UTF-16 with or without BOM, ISO-8859-1, US-ASCII, others
 * through iconv) into a new document. opt NULL means defaults. External
 * entities and the external subset are never loaded. On success returns
 * NG_OK and stores the document in *out; on failure returns the code,
 * stores NULL in *out, leaks nothing and fills *err (may be NULL) with
 * the offset, line and column in the ORIGINAL input (so a UTF-16 error
 * points at its UTF-16 bytes), the depth and a message. The input is never
 * written and may be freed after the call. out NULL is NG_EINVAL.
 */
int ng_xml_parse(const char *data, size_t len, const ng_xml_options *opt,
                 ng_xml_doc **out, ng_error *err);

/* One attribute as passed to start_element: the name as written, the
 * normalised value and the namespace, none NUL-terminated (use the
 * lengths). With namespaces off, uri is NULL and local 0. */
typedef struct ng_xml_event_attr {
  const char *name;  /* qualified name as written */
  size_t name_len;   /* its bytes */
  const char *value; /* normalised value, references expanded */
  size_t value_len;  /* its bytes */
  const char *uri;   /* namespace URI; NULL: none */
  size_t uri_len;    /* its bytes (0 when uri is NULL) */
  size_t local;      /* where the local name starts in name: 0 without a
                        prefix, else the prefix's length + 1 */
} ng_xml_event_attr;

/* An element's name as passed to start_element_ns and end_element_ns:
 * the qualified name as written, where its local name starts, and its
 * namespace URI (NULL: none, and always with namespaces off). */
typedef struct ng_xml_event_name {
  const char *name; /* qualified name as written */
  size_t len;       /* its bytes */
  size_t local;     /* as in ng_xml_event_attr */
  const char *uri;  /* namespace URI; NULL: none */
  size_t uri_len;   /* its bytes */
} ng_xml_event_name;

/*
 * Event (SAX) interface. Every callback may be NULL (event ignored). A
 * callback returns 0 to continue or nonzero to stop: the parse then ends
 * with NG_ECANCELED at the offset of the event's token. Strings are UTF-8,
 * not NUL-terminated, and valid only during the call. Callbacks run
 * through ng_stack_call_user with ng_limits.user_stack (0: 1 MiB) of
 * stack, whatever the depth. Events come in document order; an
 * empty-element tag gives start_element then end_element. `text` gets
 * character data in runs that may be cut anywhere an entity reference
 * starts or ends (is_cdata: the run is a CDATA section's content); the DOM
 * merges adjacent runs. skipped_entity reports a reference to an external
 * entity, which is never loaded. The XML declaration is no event.
 *
 * start_element_ns and end_element_ns, when set, are called instead of
 * start_element and end_element, with the element's name, local name and
 * namespace URI (ng_xml_event_name). They come after `ud`, the fields
 * the first version of this struct had.
 */
typedef struct ng_xml_events {
  int (*start_element)(void *ud, const char *name, size_t len,
                       const ng_xml_event_attr *attrs, size_t nattrs);
  int (*end_element)(void *ud, const char *name, size_t len);
  int (*text)(void *ud, const char *data, size_t len, int is_cdata);
  int (*comment)(void *ud, const char *data, size_t len);
  int (*pi)(void *ud, const char *target, size_t tlen, const char *data,
            size_t dlen); /* data "" (dlen 0) when the PI has none */
  int (*doctype)(void *ud, const char *name, size_t nlen, const char *pubid,
                 size_t plen, const char *sysid,
                 size_t slen); /* ids NULL when absent */
  int (*skipped_entity)(void *ud, const char *name, size_t len);
  void *ud; /* passed to every callback */
  int (*start_element_ns)(void *ud, const ng_xml_event_name *el,
                          const ng_xml_event_attr *attrs, size_t nattrs);
  int (*end_element_ns)(void *ud, const ng_xml_event_name *el);
} ng_xml_events;

/* Parses with events instead of a DOM: same limits, errors and engines.
 * ev NULL checks well-formedness only. */
int ng_xml_parse_events(const char *data, size_t len,
                        const ng_xml_options *opt, const ng_xml_events *ev,
                        ng_error *err);

/* ------------------------------------------------------ push parsing */

/*
 * A stream: the same parse fed in chunks, as they arrive, with the shape
 * of ng_json_stream_* (nestguard/json.h; guide: docs/streaming.md). Results are those of
 * ng_xml_parse / ng_xml_parse_events over the concatenated input, whatever
 * the chunking: the same DOM or events (character data is never cut by a
 * chunk's end), the same error code, offset, line, column and depth.
 * Positions count from the start of the stream. One document per stream.
 *
 * What the stream holds between chunks: the engine's state (the open
 * elements' names, the DOCTYPE's tables, the DOM being built) and the
 * bytes of the token a chunk's end cut (the carry). The chunks may be
 * reused or freed as soon as a call returns. Tokens are whole markup
 * constructs and runs of character data, so the carry holds at most one
 * tag, comment, PI, CDATA section, text run or DOCTYPE with its internal
 * subset; its bound is 8 * max_string (no bound when max_string is
 * unlimited): a longer cut token fails with NG_ESTRLIMIT at its start.
 * The first bytes wait in the carry while they end inside the first four
 * bytes or the XML declaration before its encoding name: the encoding
 * decided is the one-shot parse's on the whole input, for every split.
 *
 * Every encoding the one-shot parse reads is streamed: UTF-8 as it is,
 * UTF-16 (LE/BE, with or without a BOM), ISO-8859-1, US-ASCII and names
 * iconv(3) opens transcoded to UTF-8 a chunk at a time from the decision
 * on (at most 16 KiB of a chunk at once; the bytes of a character a
 * chunk's end cuts wait for the next). Positions are then in the original
 * bytes, as the one-shot parse gives them: offsets, and columns that count
 * original bytes; the carry holds the cut token's UTF-8 text.
 *
 * Engines: the iterative, trampoline and LALR engines return from a feed
 * at a token boundary with their state on the heap: the open elements'
 * names (their bytes plus one each, past the first 256 bytes), the
 * trampoline's continuations (a byte per open element), lemon's stack (an
 * entry per open element). The recursive engine runs the document as a
 * task, parked where its lexer is cut, as JSON's does (nestguard/json.h:
 * the scheduler, the task's memory and the constraints on the stream and
 * its callbacks are the same).
 *
 * Differences from a one-shot parse, all about limits: max_input applies
 * to the bytes fed so far (original bytes: NG_EINPUTLIMIT at offset
 * max_input, depth 0, from the feed that passes it); the carry and the
 * transcoded text are not counted in max_memory.
 * A DOCTYPE cut by a chunk's end is parsed again, its tables rebuilt.
 *
 * Thread-safety: a stream is used by one thread at a time.
 */
typedef struct ng_xml_stream ng_xml_stream;

typedef struct ng_sched ng_sched; /* nestguard/stack.h */

typedef struct ng_xml_stream_config {
  const ng_xml_options *opt;   /* NULL: defaults; copied (the allocator
                                  and events must outlive the stream) */
  const ng_xml_events *events; /* NULL: build a DOM; else copied */
  void *ud;                    /* reserved for the stream's own callbacks;
                                  the events take theirs in events->ud */
  ng_sched *sched;             /* recursive engine: the scheduler that
                                  hosts the stream's task (its struct,
                                  stack segments and saved stack come from
                                  the scheduler's allocator); NULL: one
                                  per thread, created on demand */
} ng_xml_stream_config;

/*
 * Creates a stream in *out. cfg NULL: a DOM with default options. Returns
 * NG_OK, NG_EINVAL (bad options, NULL out), NG_ENOMEM, or for the
 * recursive engine without a scheduler given, ng_sched_new's errors
 * (NG_EBUSY: the thread has a scheduler of its own; pass it). Allocates
 * through the options' allocator.
 */
int ng_xml_stream_new(const ng_xml_stream_config *cfg, ng_xml_stream **out);

/*
 * Feeds the next len bytes (data may be NULL when len is 0). Returns NG_OK
 * while more input is expected, else the error, recorded in *err (may be
 * NULL) with its stream position; every later feed or finish returns the
 * same error again until ng_xml_stream_reset. Events are delivered from
 * inside this call. NG_ESTATE after ng_xml_stream_finish.
 */
int ng_xml_stream_feed(ng_xml_stream *s, const char *data, size_t len,
                       ng_error *err);

/*
 * End of input: NG_OK and the document (DOM mode) in *doc, the caller's
 * to free, or NULL in events mode; or the error (NG_EEOF with its position
 * for a document cut short). doc may be NULL (a DOM is then freed). A
 * second finish returns NG_ESTATE.
 */
int ng_xml_stream_finish(ng_xml_stream *s, ng_xml_doc **doc, ng_error *err);

/* Back to the start state for a new input with the same configuration,
 * keeping the carry's memory; drops a document in progress. */
void ng_xml_stream_reset(ng_xml_stream *s);

/* Frees the stream at any point: mid-document, after an error, after
 * finish. NULL is a no-op. */
void ng_xml_stream_free(ng_xml_stream *s);

/* ------------------------------------------------------ DOM operations */

/*
 * Structural equality of two subtrees: same types; ELEMENTs with the same
 * qualified name, local/prefix split and namespace URI, and the same
 * attributes in the same order (name, URI, value); TEXT, CDATA and
 * COMMENT data; PI target and data; DOCTYPE name, public and system ids
 * (absent differs from empty); and the same children in order. Strings
 * compare by bytes. NULL equals only NULL; a subtree shared by both sides
 * is equal without a visit. Iterative: any depth.
 */
bool ng_xml_equal(const ng_xml_node *a, const ng_xml_node *b);

/*
 * Deep copy of the subtree at n into a new document allocated through alc
 * (NULL: libc), without a memory cap. The DOCUMENT node copies the whole
 * document; any other node becomes the only child of the new document's
 * DOCUMENT node (so an ELEMENT becomes its root element). Strings are
 * copied and names interned anew: the source may be freed first. Returns
 * NG_OK, NG_ENOMEM (nothing leaked) or NG_EINVAL (n or out NULL); *out is
 * NULL on failure. Iterative: any depth.
 */
int ng_xml_copy(const ng_xml_node *n, const ng_alloc *alc, ng_xml_doc **out);

/*
 * Walk callbacks: enter(ud, node, depth) for every node of the subtree in
 * document order (depth 0 for the start node), leave(ud, node, depth) for
 * every ELEMENT and DOCUMENT after its children (also when it has none).
 * Attributes are not nodes: read them from enter. Either callback may be
 * NULL. A nonzero return stops the walk and is its result; a finished walk
 * returns 0 (NG_OK); NULL root returns NG_EINVAL, so stop with values
 * that are not error codes (negative ones) to tell them apart.
 */
typedef int (*ng_xml_visit)(void *ud, const ng_xml_node *n, size_t depth);
int ng_xml_walk(const ng_xml_node *root, ng_xml_visit enter, ng_xml_visit leave,
                void *ud);

/* Writer flags. */
#define NG_XML_WRITE_PRETTY 0x1u /* indent element-only content */
#define NG_XML_WRITE_DECL 0x2u   /* start with <?xml version="1.0" ...?> */

/*
 * Serializes the subtree at n as UTF-8 XML text: the DOCUMENT node writes
 * the whole document. Compact text (flags 0) re-parses to an equal DOM;
 * pretty text adds whitespace between elements that had no text between
 * them (see docs/xml_dom.md for the escaping rules). A node the syntax
 * cannot express is NG_EINVAL: a control character other than TAB, LF and
 * CR in text or a value, a comment with "--" or ending in "-", a PI whose
 * data holds "?>" or starts with white space, a CDATA section holding
 * "]]>", CR in a comment, PI or CDATA section, a DOCTYPE whose ids cannot
 * be quoted or whose public id comes without a system id, an invalid node
 * type. Unknown flag bits are NG_EINVAL.
 *
 * ng_xml_write stores a NUL-terminated buffer of exactly *len + 1 bytes
 * allocated through alc (NULL: libc) in *out; free it with free() or
 * alc->free(ctx, out, len + 1). len may be NULL. On failure *out is NULL
 * and *len 0. Returns NG_OK, NG_ENOMEM or NG_EINVAL.
 *
 * ng_xml_write_cb streams the text to sink through a 256-byte buffer on
 * its own stack and allocates nothing; a nonzero return from sink stops
 * the write with NG_ECANCELED (a prefix may have been delivered).
 */
int ng_xml_write(const ng_xml_node *n, unsigned flags, const ng_alloc *alc,
                 char **out, size_t *len);
int ng_xml_write_cb(const ng_xml_node *n, unsigned flags,
                    int (*sink)(void *ud, const char *data, size_t len),
                    void *ud);

#ifdef __cplusplus
}
#endif
#endif /* NESTGUARD_XML_H */
