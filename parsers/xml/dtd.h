/*
 * parsers/xml/dtd.h - the document type declaration's tables: entities
 * and attribute-list declarations of the internal subset, and what the
 * parse must know about the rest of the DTD.
 *
 * Flat by design: the internal subset is parsed once, in shared code
 * (dtd.c), before the root element, so every engine reads the same
 * tables and agrees by construction. The lexer (lexer.re) consults them
 * for entity references in content and attribute values and for
 * attribute defaults and normalisation; engines never see a declaration.
 *
 * Security model (XXE-safe by default). Nothing external is ever loaded
 * here: an external subset or an external parameter entity is recorded
 * and left unread (`unread_external` set), and an external general entity
 * keeps only its identifiers. Every internal entity's fully expanded size
 * is known before it is expanded (saturating, overflow-safe), so a
 * reference that would pass max_entity_expansion or the amplification
 * ratio is refused before a byte is produced: billion laughs and the
 * quadratic blowup cost the parse only the size of their declarations.
 *
 * Sizes. An entity's `expanded` size counts the bytes of replacement text
 * a full expansion reads: its own text plus, for every reference in it,
 * the referenced entity's expanded size (references inside comments, PIs
 * and CDATA sections of the text are not references and do not count).
 * That is an upper bound of what the expansion produces, and the exact
 * work it costs (a chain of entities that produce nothing still costs the
 * bytes of its references). It is computed at declaration time from the
 * entities already declared. An entity that refers to one declared later
 * (legal: 4.4.7 Bypassed) is PENDING until the end of the internal subset,
 * where one pass resolves every pending entity in O(total text) with an
 * explicit stack (no recursion) and marks those that reach themselves
 * RECURSIVE. Only two things can expand a pending entity before that:
 * a parameter-entity reference between declarations and an entity
 * reference in an attribute-list default. They charge as they go (each
 * entity's own text when it is opened), so their work is bounded by the
 * same budget. Every reference after the internal subset (content,
 * attribute values) sees final sizes and is checked before expanding.
 *
 * Positions are byte offsets in the decoded UTF-8 text (offmap.h maps
 * them back to the original input). Where the construct in error lies in
 * a parameter entity's replacement text, the offset is that of the
 * outermost reference in the document. Strings are UTF-8, owned by the
 * tables' arena, NUL-terminated, with lengths. A table is used by one
 * thread at a time.
 */
#ifndef NG_PARSERS_XML_DTD_H
#define NG_PARSERS_XML_DTD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"
#include "nestguard/alloc.h"
#include "nestguard/arena.h"

/* --------------------------------------------------- growable buffer */

/* Bytes that grow geometrically through an allocator (NULL: libc). */
typedef struct ng__xml_buf {
  unsigned char *p;    /* cap bytes, or NULL */
  size_t len;          /* bytes in use */
  size_t cap;          /* bytes allocated */
  const ng_alloc *alc; /* allocator of p */
} ng__xml_buf;

/* An empty buffer; allocates nothing. */
void ng__xml_buf_init(ng__xml_buf *b, const ng_alloc *alc);

/* Room for `extra` more bytes: NG_OK or NG_ENOMEM (b unchanged). */
int ng__xml_buf_grow(ng__xml_buf *b, size_t extra);

/* Releases the bytes; b is empty and usable after. */
void ng__xml_buf_free(ng__xml_buf *b);

/* Appends s[0..n): NG_OK or NG_ENOMEM. */
static inline int ng__xml_buf_put(ng__xml_buf *b, const void *s, size_t n) {
  if (NG_UNLIKELY(b->cap - b->len < n) && ng__xml_buf_grow(b, n) != NG_OK)
    return NG_ENOMEM;
  if (n != 0)
    memcpy(b->p + b->len, s, n);
  b->len += n;
  return NG_OK;
}

/* A 64-bit hash of s[0..n) from seed h (FNV-1a steps, then a final mix).
 * Callers seed it per table so that colliding names cannot be prepared
 * against a fixed function; this is no cryptographic guarantee. */
uint64_t ng__xml_hash(uint64_t h, const void *s, size_t n);

/* ------------------------------------------------ the expansion budget */

/* Amplification: past NG__XML_AMP_THRESHOLD bytes read in all (document
 * plus expansions), the bytes read may be at most NG__XML_AMP_RATIO
 * times the document bytes read so far (expat's defaults). */
#define NG__XML_AMP_RATIO 100
#define NG__XML_AMP_THRESHOLD ((uint64_t)8 << 20)

/* Entity references open inside each other, by default. */
#define NG__XML_ENTITY_DEPTH 256

/*
 * What entity expansion may cost one parse, shared by the DTD and the
 * lexer. `used` is charged at every reference with the referenced
 * entity's expanded size, before the expansion; `extra` counts other
 * bytes a document makes the parser produce without reading them
 * (attribute defaults), which only the ratio bounds. max_entity_expansion
 * 0 lifts `max` but not the ratio: the limits cannot both be switched off
 * by accident.
 */
typedef struct ng__xml_budget {
  uint64_t used;      /* bytes charged to max_entity_expansion */
  uint64_t extra;     /* bytes counted for the ratio only */
  uint64_t max;       /* cap on used; UINT64_MAX: none */
  uint64_t ratio;     /* cap on (direct + used + extra) / direct; 0: none */
  uint64_t threshold; /* the ratio applies from this total on */
  size_t max_depth;   /* entity references open at once */
  uint64_t base;      /* push parsing: added to every `direct` (the
                         offset of the lexer's window in the text) */
} ng__xml_budget;

/* Defaults above; max_entity_expansion 0: no absolute cap. */
void ng__xml_budget_init(ng__xml_budget *b, size_t max_entity_expansion);

/*
 * Charges n bytes of expansion at a reference, `direct` document bytes
 * into the input: NG_OK, or NG_EENTITYLIMIT (nothing charged) when `used`
 * would pass max or the total the ratio. ng__xml_budget_extra charges
 * n bytes that only the ratio bounds.
 */
int ng__xml_budget_charge(ng__xml_budget *b, uint64_t n, uint64_t direct);
int ng__xml_budget_extra(ng__xml_budget *b, uint64_t n, uint64_t direct);

/* ----------------------------------------------------------- errors */

/* Where a declaration or reference failed. */
typedef struct ng__xml_derr {
  int code;        /* NG_E* */
  size_t off;      /* offset in the decoded text */
  const char *msg; /* static text, or NULL */
} ng__xml_derr;

/* ---------------------------------------------------------- entities */

/* What an entity is. */
enum {
  NG__XML_ENT_INTERNAL = 1, /* a literal EntityValue: replacement text */
  NG__XML_ENT_EXTERNAL,     /* SYSTEM/PUBLIC parsed entity, not loaded */
  NG__XML_ENT_UNPARSED      /* external with NDATA: never referenced by
                               name in content (WFC: Parsed Entity) */
};

/* What an internal entity's full expansion reaches (ng__xml_entity.flags).
 * EXTERNAL, UNPARSED and UNDECLARED together are the sketch's
 * refs_outside; LT is its has_lt. */
#define NG__XML_EF_LT                                                          \
  0x01u /* a '<' (illegal in an attribute                                      \
           value, WFC: No < in Attribute                                       \
           Values) */
#define NG__XML_EF_EXTERNAL                                                    \
  0x02u                             /* a reference to an external parsed       \
                                       entity */
#define NG__XML_EF_UNPARSED 0x04u   /* a reference to an unparsed entity */
#define NG__XML_EF_UNDECLARED 0x08u /* a reference to an undeclared one */
#define NG__XML_EF_RECURSIVE                                                   \
  0x10u /* a reference back to an entity being                                 \
           expanded (WFC: No Recursion) */
#define NG__XML_EF_PENDING                                                     \
  0x20u /* expanded and flags are not final                                    \
           (a forward reference) */

typedef struct ng__xml_entity {
  const char *name;            /* the entity's name */
  size_t name_len;             /* its bytes */
  int kind;                    /* NG__XML_ENT_* */
  int parameter;               /* 1: a parameter entity (%name;) */
  int predefined;              /* lt, gt, amp, apos, quot: the text is the
                                  character itself, nothing is ever pushed */
  const char *text;            /* INTERNAL: replacement text (character
                                  references in the literal already replaced,
                                  general-entity references kept, to be expanded
                                  at the point of use); "" otherwise */
  size_t text_len;             /* its bytes */
  uint64_t expanded;           /* INTERNAL: bytes a full expansion reads (file
                                  header); saturates at UINT64_MAX */
  unsigned flags;              /* NG__XML_EF_* */
  const char *pubid;           /* EXTERNAL/UNPARSED: public id, or NULL */
  const char *sysid;           /* EXTERNAL/UNPARSED: system id, or NULL */
  const char *notation;        /* UNPARSED: the NDATA notation name */
  size_t decl_off;             /* offset of the declaration's '<!ENTITY' (in a
                                  parameter entity: of the outermost reference) */
  int open;                    /* set while the entity's text is being read
                                  (WFC: No Recursion) */
  int mark;                    /* resolution pass: 0 white, 1 on the stack,
                                  2 done */
  struct ng__xml_entity *next; /* next declared entity, in order */
} ng__xml_entity;

/* A notation declaration ([82]): only its name is kept. */
typedef struct ng__xml_notation {
  const char *name;              /* the notation's name */
  size_t name_len;               /* its bytes */
  size_t decl_off;               /* offset of its '<!NOTATION' (in a
                                    parameter entity: of the outermost
                                    reference) */
  struct ng__xml_notation *next; /* next declared, in order */
} ng__xml_notation;

/* --------------------------------------------------- attribute lists */

/* Attribute types (XML 1.0 3.3.1): CDATA values are not collapsed. */
enum {
  NG__XML_ATT_CDATA = 1,
  NG__XML_ATT_TOKENIZED, /* ID, IDREF(S), ENTITY(IES), NMTOKEN(S) */
  NG__XML_ATT_ENUMERATED /* NOTATION (...) or (a|b|c) */
};

/* Default declarations. */
enum {
  NG__XML_DEF_REQUIRED = 1,
  NG__XML_DEF_IMPLIED,
  NG__XML_DEF_FIXED,  /* #FIXED "value" */
  NG__XML_DEF_DEFAULT /* "value" */
};

typedef struct ng__xml_attdef {
  const char *name; /* qualified attribute name */
  size_t name_len;
  int type;          /* NG__XML_ATT_* */
  int def;           /* NG__XML_DEF_* */
  const char *value; /* FIXED/DEFAULT: the normalised default
                        value; NULL otherwise */
  size_t value_len;
  const char *elem; /* the element it is declared for */
  size_t elem_len;
  struct ng__xml_attdef *next;         /* next attribute of the same element */
  struct ng__xml_attdef *next_default; /* next one with a value */
} ng__xml_attdef;

/* ----------------------------------------------------------- tables */

typedef struct ng__xml_dtd ng__xml_dtd;

/*
 * New empty tables whose memory comes from alc (NULL: libc), at most
 * max_memory bytes of arena (0: no cap; passing it is NG_EMEMLIMIT).
 * budget (not owned, must outlive the tables) is charged for every
 * expansion; standalone is the XML declaration's standalone="yes".
 * Returns NG_OK or NG_ENOMEM (*out NULL).
 */
int ng__xml_dtd_new(ng__xml_dtd **out, const ng_alloc *alc, size_t max_memory,
                    ng__xml_budget *budget, int standalone);

/* Releases the tables and every string they hold. NULL is allowed. */
void ng__xml_dtd_free(ng__xml_dtd *d);

/* The document type declaration as ng__xml_dtd_doctype read it. */
typedef struct ng__xml_doctype_decl {
  const char *name; /* root element type, in the text */
  size_t name_len;
  const char *pubid; /* public id (line ends normalised), or NULL */
  size_t pubid_len;
  const char *sysid; /* system id (line ends normalised), or NULL */
  size_t sysid_len;
  int has_subset; /* an internal subset [...] was given */
  size_t end;     /* offset just after the closing '>' */
} ng__xml_doctype_decl;

/*
 * Parses the document type declaration that starts at text[pos] with
 * "<!DOCTYPE" ([28]): the name, the external id (recorded, never read),
 * the internal subset with every declaration in it, then '>'. text[0..len)
 * is the whole document (line ends not yet normalised): positions are
 * offsets in it. Returns NG_OK (*dt filled), or the first error with its
 * code, offset and message in *err: NG_ESYNTAX, NG_EEOF, NG_ECHAR,
 * NG_EUTF8, NG_EENTITY, NG_EATTR, NG_EENTITYLIMIT, NG_ENOMEM,
 * NG_EMEMLIMIT. Call once per table.
 */
int ng__xml_dtd_doctype(ng__xml_dtd *d, const unsigned char *text, size_t len,
                        size_t pos, ng__xml_doctype_decl *dt, ng__xml_derr *err);

/* ----------------------------------------------------------- lookups */

/* The entity `name` (parameter or general), the first declaration (a later
 * one is ignored); the five predefined general entities are always found.
 * NULL when undeclared. d may be NULL (no DTD: only the predefined). */
const ng__xml_entity *ng__xml_dtd_entity(const ng__xml_dtd *d, const char *name,
                                         size_t len, int parameter);

/* The declared entities (general and parameter) in declaration order,
 * through `next`; NULL when none or d is NULL. */
const ng__xml_entity *ng__xml_dtd_entities(const ng__xml_dtd *d);

/* The declared notations in declaration order, through `next`; NULL when
 * none or d is NULL. */
const ng__xml_notation *ng__xml_dtd_notations(const ng__xml_dtd *d);

/* The declared (not predefined) entity `name`, writable for the open
 * mark; NULL when undeclared or d is NULL. */
ng__xml_entity *ng__xml_dtd_find(ng__xml_dtd *d, const char *name, size_t len,
                                 int parameter);

/* The predefined entity's character for name[0..len) ('<' for "lt"...),
 * or 0 when name is none of lt, gt, amp, apos, quot. */
int ng__xml_predefined(const char *name, size_t len);

/* The first attribute declared for element `name`, or NULL; first
 * declaration of each attribute wins. d may be NULL. */
const ng__xml_attdef *ng__xml_dtd_attlist(const ng__xml_dtd *d,
                                          const char *name, size_t len);

/* The first attribute of element `name` with a default value (FIXED or
 * DEFAULT), then through next_default: what a start tag may need added,
 * without walking the #IMPLIED and #REQUIRED ones. NULL if none. */
const ng__xml_attdef *ng__xml_dtd_defaults(const ng__xml_dtd *d,
                                           const char *name, size_t len);

/* The declaration of attribute `att` of element `elem`, or NULL. O(1). */
const ng__xml_attdef *ng__xml_dtd_attdef(const ng__xml_dtd *d, const char *elem,
                                         size_t elen, const char *att,
                                         size_t alen);

/* True when some attribute-list declaration was recorded. */
int ng__xml_dtd_has_attlists(const ng__xml_dtd *d);

/*
 * Nonzero when an undeclared general entity is not a well-formedness
 * error (XML 1.0 4.1, WFC: Entity Declared): the document has an external
 * subset or a parameter-entity reference, and is not standalone="yes".
 * Such a reference is reported as a skipped entity. d may be NULL.
 */
int ng__xml_dtd_lenient(const ng__xml_dtd *d);

/* Nonzero when an external subset or external (or undeclared) parameter
 * entity was referenced and not read. */
int ng__xml_dtd_unread_external(const ng__xml_dtd *d);

/* -------------------------------------------------- attribute values */

/* Where an attribute value's text lies, for ng__xml_attval. */
typedef struct ng__xml_src {
  const unsigned char *doc; /* the document text (offsets count from it) */
  size_t doc_len;           /* its bytes */
  int in_doc;               /* the value is in the document: its line ends
                               are normalised and errors point into it */
  size_t ref_off;           /* !in_doc: where errors are reported (the
                               outermost entity reference) */
  size_t depth;             /* entity references open around the value */
  int covered;              /* references in it are already paid for */
} ng__xml_src;

/*
 * Normalises the attribute value whose text starts at *pp (after the
 * opening quote) and ends at the closing `quote` before lim (3.3.3):
 * white space characters become spaces, character references their
 * character, entity references (d's entities; d may be NULL) their
 * normalised replacement text; with `collapse` (a type other than CDATA)
 * leading and trailing spaces go and runs become one. Appends the value
 * to out and moves *pp past the closing quote. Errors (code, offset,
 * message in *err): NG_EATTR for a literal '<', NG_EENTITY for a '<'
 * through an entity, an external or unparsed entity, an undeclared one
 * (unless lenient, when it is skipped) and recursion, NG_EENTITYLIMIT,
 * NG_ESYNTAX, NG_ECHAR, NG_EUTF8, NG_EEOF (cut by lim in the document;
 * NG_EENTITY in replacement text), NG_ENOMEM.
 */
int ng__xml_attval(ng__xml_dtd *d, const ng__xml_src *src,
                   const unsigned char **pp, const unsigned char *lim,
                   unsigned char quote, int collapse, ng__xml_buf *out,
                   ng__xml_derr *err);

/* Collapses spaces of b->p[from..len) as ng__xml_attval's `collapse`. */
void ng__xml_collapse(ng__xml_buf *b, size_t from);

#endif /* NG_PARSERS_XML_DTD_H */
