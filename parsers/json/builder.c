/*
 * parsers/json/builder.c - the sink that turns events into a DOM.
 *
 * Nodes go to the document's node array in document order (json.h);
 * decoded strings and keys to its arena. The builder only remembers the
 * innermost open container and its last child, as indices.
 *
 * PROTOTYPE (branch node16): the duplicate-key policies REJECT and LAST
 * are not ported to the array layout yet; they build as KEEP.
 */
#include <string.h>

#include "builder.h"
#include "dom.h"

void ng__json_builder_init(ng__json_builder *b, ng_json_doc *doc,
                           const ng__json_lexer *lx, ng_json_dupkeys dupkeys,
                           const ng_alloc *alc) {
  memset(b, 0, sizeof *b);
  b->doc = doc;
  b->lx = lx;
  b->dupkeys = dupkeys;
  b->alc = alc;
}

void ng__json_builder_free(ng__json_builder *b) {
  b->doc->n = b->nodes != NULL ? (size_t)(b->top - b->nodes) : 0;
  ng__json_nodes_fit(b->doc);
}

/* The array is full: grows it (dom.c). The document holds at most
 * UINT32_MAX nodes, so that every relative link fits in 32 bits. */
ng_json_value *ng__json_build_grow(ng__json_builder *b) {
  ng_json_doc *doc = b->doc;
  size_t n = b->nodes != NULL ? (size_t)(b->top - b->nodes) : 0;
  size_t cur = b->cur != NULL ? (size_t)(b->cur - b->nodes) : 0;
  size_t last = b->last != NULL ? (size_t)(b->last - b->nodes) : 0;

  if (n >= UINT32_MAX) {
    doc->base.arena.err = NG_EMEMLIMIT;
    return NULL;
  }
  if (ng__json_nodes_grow(doc, n, b->hint) != NG_OK)
    return NULL;
  b->nodes = doc->nodes; /* perhaps moved: the pointers into it too */
  b->top = b->nodes + n;
  b->end = b->nodes + doc->room;
  if (b->cur != NULL)
    b->cur = b->nodes + cur;
  if (b->last != NULL)
    b->last = b->nodes + last;
  return b->top;
}

int ng__json_build_end_slow(ng__json_builder *b) {
  ng__json_build_close(b);
  return NG_OK;
}

int ng__json_build_start_slow(ng__json_builder *b, int kind) {
  if (NG_UNLIKELY(ng__json_build_open(b, kind) == NULL))
    return ng__json_doc_err(b->doc);
  return NG_OK;
}

int ng__json_build_string(ng__json_builder *b, ng_json_value *v,
                          const ng__json_token *t) {
  char *s;

  v->type = NG_JSON_STRING;
  if (NG_UNLIKELY(t->slen > UINT32_MAX)) {
    v->type = NG_JSON_NULL;
    return NG_ESTRLIMIT; /* json.h: the DOM's strings are under 4 GiB */
  }
  s = ng__json_string_room(b, (uint32_t)t->slen);
  if (NG_UNLIKELY(s == NULL)) {
    v->type = NG_JSON_NULL; /* keep the tree well-formed */
    return ng__json_doc_err(b->doc);
  }
  ng__json_decode_string(b->lx, t, s);
  v->as.s = s;
  return NG_OK;
}

int ng__json_build_scalar_slow(ng__json_builder *b, const ng__json_token *t) {
  ng_json_value *v = ng__json_build_node(b, NG_JSON_NULL);

  if (NG_UNLIKELY(v == NULL))
    return ng__json_doc_err(b->doc);
  switch (t->kind) {
  case NG__JT_STRING:
    return ng__json_build_string(b, v, t);
  case NG__JT_NUMBER:
    v->type = (uint8_t)t->ntype;
    v->as.u = t->num.u; /* the same 8 bytes whichever of i, u, d */
    break;
  case NG__JT_TRUE:
  case NG__JT_FALSE:
    v->type = NG_JSON_BOOL;
    v->as.b = t->kind == NG__JT_TRUE;
    break;
  default: /* null: as made */
    break;
  }
  return NG_OK;
}

static int b_start(void *self, int kind, const void *tok) {
  (void)tok;
  return ng__json_build_start(self, kind);
}

static int b_end(void *self, int kind, const void *tok) {
  (void)kind;
  (void)tok;
  return ng__json_build_end(self);
}

int ng__json_build_key_slow(ng__json_builder *b, const ng__json_token *t) {
  char *k;

  if (NG_UNLIKELY(t->slen > UINT32_MAX))
    return NG_ESTRLIMIT; /* json.h: the DOM's keys are shorter than 4 GiB */
  k = ng__json_key_room(b, (uint32_t)t->slen);
  if (NG_UNLIKELY(k == NULL))
    return ng__json_doc_err(b->doc);
  ng__json_decode_string(b->lx, t, k);
  return NG_OK;
}

static int b_key(void *self, const void *tok) {
  return ng__json_build_key(self, tok);
}

static int b_scalar(void *self, const void *tok) {
  const ng__json_token *t = tok;
  return ng__json_build_scalar(self, t->kind, t);
}

const ng__json_sink_ops ng__json_builder_ops = {b_start, b_end, b_key, b_scalar};

ng__json_sink ng__json_builder_sink(ng__json_builder *b) {
  ng__json_sink s;
  s.ops = &ng__json_builder_ops;
  s.self = b;
  return s;
}
