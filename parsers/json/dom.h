/*
 * parsers/json/dom.h - node construction inside a document (internal).
 *
 * Shared by the DOM operations (dom.c: copy) and by anything that builds a
 * document (the builder, tests). Every node and string comes from the
 * document's arena, so a failed build is undone by ng_json_doc_free() alone.
 *
 * Contract of every constructor: on success the node is zeroed except for
 * what the constructor sets (a root: flags NG_JSON__LAST, no link, no key
 * unless made by ng__json_member, empty container);
 * on failure it returns NULL (or an error code) and the arena's error,
 * read with ng__json_doc_err(), says NG_ENOMEM or NG_EMEMLIMIT. Nothing
 * here links a node into a tree except ng__json_append().
 */
#ifndef NG_JSON_DOM_H
#define NG_JSON_DOM_H

#include <stddef.h>

#include "doc.h"

/* The error of the arena's last failed allocation: NG_ENOMEM or
 * NG_EMEMLIMIT. */
static inline int ng__json_doc_err(const ng_json_doc *doc) {
  return doc->base.arena.err;
}

/* A zeroed node of the given type, or NULL. */
ng_json_value *ng__json_node(ng_json_doc *doc, ng_json_type type);

/* Copies s[0..len) into the arena and appends a NUL; NULL on failure. s
 * may be NULL when len is 0. */
char *ng__json_strdup(ng_json_doc *doc, const char *s, size_t len);

/* Typed constructors: a scalar node holding the value, or NULL. The string
 * constructor copies s[0..len) (which may contain NUL bytes). */
ng_json_value *ng__json_new_null(ng_json_doc *doc);
ng_json_value *ng__json_new_bool(ng_json_doc *doc, bool b);
ng_json_value *ng__json_new_int(ng_json_doc *doc, int64_t i);
ng_json_value *ng__json_new_uint(ng_json_doc *doc, uint64_t u);
ng_json_value *ng__json_new_double(ng_json_doc *doc, double d);
ng_json_value *ng__json_new_string(ng_json_doc *doc, const char *s, size_t len);

/*
 * A zeroed node of the given type that is a member with key key[0..len)
 * (copied into the arena just before the node: json.h), or NULL. A key of
 * 4 GiB or more fails with the arena's error set to NG_ESTRLIMIT.
 */
ng_json_value *ng__json_member(ng_json_doc *doc, ng_json_type type,
                               const char *key, size_t len);

/* A member with key key[0..len) holding v's type and value: for building
 * objects by hand from a fresh node v (not linked, no children yet). */
ng_json_value *ng__json_with_key(ng_json_doc *doc, const ng_json_value *v,
                                 const char *key, size_t len);

/*
 * Links child (fresh from a constructor: a root) as the last child of the
 * array or object parent, after *last: parent's current last child, NULL
 * while parent is empty. Updates *last to child. O(1). The caller sets the
 * child's key first for objects. See json.h for the threaded links.
 */
static inline void ng__json_append(ng_json_value *parent, ng_json_value **last,
                                   ng_json_value *child) {
  child->link = parent;
  child->flags |= NG_JSON__LAST;
  if (*last != NULL) {
    (*last)->link = child;
    (*last)->flags &= (uint8_t)~NG_JSON__LAST;
  } else {
    parent->as.head = child;
  }
  *last = child;
  parent->len++;
}

/* ------------------------------------------------- number formatting */

/* Bytes any of the formatters below may write (no NUL is written). */
#define NG__JSON_NUM_MAX 32

/*
 * Writes the shortest decimal that reads back as d (nearest of that length,
 * ties to even), always in a form that parses as a double: "0.1", "2.0",
 * "-0.0", "1e300", "5e-324", "1.7976931348623157e308". Plain notation for
 * 1e-4 <= |d| < 1e16, scientific otherwise. Locale-independent. Returns
 * the length, or 0 for NaN and infinities (no JSON text exists).
 */
size_t ng__json_dtoa(double d, char *buf);

/* Decimal integers, exact; return the length. */
size_t ng__json_itoa(int64_t v, char *buf);
size_t ng__json_utoa(uint64_t v, char *buf);

#endif /* NG_JSON_DOM_H */
