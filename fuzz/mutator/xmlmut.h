/*
 * fuzz/mutator/xmlmut.h - XML edits for the nesting mutator: tags and
 * entities.
 *
 * ng_nestmut knows XML only as the token pairs <a> </a>; real documents
 * name their elements anything. These edits read the input as XML text
 * (loosely: any bytes are accepted, nothing is parsed for real) and make
 * the shapes XML parsers are attacked with, on purpose:
 *
 *   tag-nest    wrap the root's content in N elements (x10 ... x100,000,
 *               or the depth limit -1, 0, +1) with varied names,
 *               attributes and namespace prefixes
 *   tag-attrs   add attributes to a start tag: many, duplicated,
 *               namespaced, xmlns declarations, references
 *   ent-fanout  declare an entity whose value references the previous one
 *               N times (billion laughs, one level per edit); references
 *               go at the deepest point of the first branch
 *   ent-chain   declare K entities, each referencing the one before F
 *               times, and reference the last (in content or a value)
 *   ent-attr    reference the newest entity from an attribute value
 *   ent-cycle   make the first entity reference the last (recursion
 *               through a chain)
 *   ent-markup  an entity whose value holds unbalanced or nested markup
 *   ent-kind    turn an entity external (SYSTEM, NDATA) or parameter
 *
 * The DTD is created when the input has none (after an XML declaration,
 * before the first element). Deterministic for a seed; no fuzzer
 * dependency; not thread-safe (one per fuzzer instance).
 */
#ifndef NG_FUZZ_XMLMUT_H
#define NG_FUZZ_XMLMUT_H

#include <stddef.h>
#include <stdint.h>

typedef struct ng_xmlmut ng_xmlmut;

/* A mutator seeded with seed; NULL on out of memory. */
ng_xmlmut *ng_xmlmut_new(uint64_t seed);

/* Frees x and its buffer. NULL is a no-op. */
void ng_xmlmut_free(ng_xmlmut *x);

/*
 * Makes one edit of in[0..len); repeat counts above max_repeat are
 * clamped, and a third of the nestings end exactly one level under, at or
 * over limit (the parser's max_depth; 0: never). Stores the result in *out
 * (owned by x, valid until the next call) and returns its length, at most
 * max_size; 0 when no edit fit.
 */
size_t ng_xmlmut_mutate(ng_xmlmut *x, const uint8_t *in, size_t len,
                        size_t max_size, size_t max_repeat, size_t limit,
                        uint8_t **out);

/* Short name of the last edit, e.g. "xml-ent-chain-k12-f4". */
const char *ng_xmlmut_describe(const ng_xmlmut *x);

#endif /* NG_FUZZ_XMLMUT_H */
