/*
 * parsers/json/builder.h - the sinks behind ng_json_parse (a DOM builder)
 * and ng_json_parse_events (user callbacks). Internal to api.c and tests.
 */
#ifndef NG_PARSERS_JSON_BUILDER_H
#define NG_PARSERS_JSON_BUILDER_H

#include "../common/sink.h"
#include "doc.h"
#include "lexer.h"

/* ------------------------------------------------------ the DOM builder */

typedef struct ng__json_dupidx ng__json_dupidx;

typedef struct ng__json_builder {
  ng_json_doc *doc;         /* the document being built (not owned) */
  const ng__json_lexer *lx; /* decodes string tokens */
  ng_json_value *cur;       /* innermost open container; NULL: top level */
  const char *key;          /* key of the next member (arena), or NULL */
  size_t key_len;           /* its length */
  ng_json_value *dup;       /* DUP_LAST: member the next value overwrites */
  ng_json_dupkeys dupkeys;  /* duplicate key policy */
  ng__json_dupidx *idx;     /* hash index of big objects' keys, or NULL */
  const ng_alloc *alc;      /* allocator of idx; NULL: libc */
} ng__json_builder;

/*
 * Prepares a builder filling doc (empty) from tokens of lx. Allocates
 * nothing. doc->root is set by the first event.
 */
void ng__json_builder_init(ng__json_builder *b, ng_json_doc *doc,
                           const ng__json_lexer *lx, ng_json_dupkeys dupkeys,
                           const ng_alloc *alc);

/* Releases the builder's own memory (the index), not the document. */
void ng__json_builder_free(ng__json_builder *b);

/* The builder as a sink. */
ng__sink ng__json_builder_sink(ng__json_builder *b);

/* ------------------------------------------------------ the event sink */

typedef struct ng__json_evsink {
  const ng_json_events *ev; /* user callbacks (never NULL) */
  const ng__json_lexer *lx; /* decodes string tokens */
  char *buf;                /* scratch for decoded strings, or NULL */
  size_t cap;               /* bytes at buf */
  const ng_alloc *alc;      /* allocator of buf */
} ng__json_evsink;

void ng__json_evsink_init(ng__json_evsink *s, const ng_json_events *ev,
                          const ng__json_lexer *lx, const ng_alloc *alc);
void ng__json_evsink_free(ng__json_evsink *s);
ng__sink ng__json_evsink_sink(ng__json_evsink *s);

#endif /* NG_PARSERS_JSON_BUILDER_H */
