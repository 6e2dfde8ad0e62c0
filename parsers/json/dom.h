/*
 * parsers/json/dom.h - node construction inside a document (internal).
 *
 * Shared by the DOM operations (dom.c: copy) and by anything that builds a
 * document (the builder, tests). Every node and string comes from the
 * document's arena, so a failed build is undone by ng_json_doc_free() alone.
 *
 * PROTOTYPE (branch node16): the node constructors for building by hand
 * are gone with the array layout; documents are built by the builder or
 * copied whole (ng_json_copy).
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

/* Copies s[0..len) into the arena and appends a NUL; NULL on failure. s
 * may be NULL when len is 0. */
char *ng__json_strdup(ng_json_doc *doc, const char *s, size_t len);

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
