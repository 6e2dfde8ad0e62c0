/*
 * parsers/json/builder.h - the sinks behind ng_json_parse (a DOM builder)
 * and ng_json_parse_events (user callbacks). Internal to api.c and tests.
 */
#ifndef NG_PARSERS_JSON_BUILDER_H
#define NG_PARSERS_JSON_BUILDER_H

#include "../common/sink.h"
#include "doc.h"
#include "dom.h"
#include "lexer.h"
#include "nestguard/arena.h"

/* ------------------------------------------------------- JSON's sinks */

/* Container kinds of JSON's events. */
enum { NG__JK_ARRAY = 1, NG__JK_OBJECT = 2 };

/* JSON's event vocabulary (parsers/common/sink.h for the timing). The
 * payload `tok` is the lexer's current const ng__json_token *. */
typedef struct ng__json_sink_ops {
  /* A container of `kind` opens at token tok. */
  int (*start)(void *self, int kind, const void *tok);
  /* The innermost open container (of `kind`) closes at token tok. */
  int (*end)(void *self, int kind, const void *tok);
  /* A member key; the next event is its value. */
  int (*key)(void *self, const void *tok);
  /* A scalar value (string, number, literal). */
  int (*scalar)(void *self, const void *tok);
} ng__json_sink_ops;

NG__SINK_TYPE(ng__json_sink, ng__json_sink_ops);

/* ------------------------------------------------------ the DOM builder */

typedef struct ng__json_dupidx ng__json_dupidx;

typedef struct ng__json_builder {
  ng_json_doc *doc;         /* the document being built (not owned) */
  const ng__json_lexer *lx; /* decodes string tokens */
  ng_json_value *cur;       /* innermost open container; NULL: top level */
  ng_json_value *last;      /* cur's last child so far; NULL: none yet */
  ng_json_value *member;    /* next member's node, its key in place, or NULL */
  uint8_t dup;              /* DUP_LAST: the next member repeats a key */
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
ng__json_sink ng__json_builder_sink(ng__json_builder *b);

/*
 * Direct calls. The builder's sink ops, exported so that engine.h can tell
 * a DOM parse (sink.ops == &ng__json_builder_ops) and call the inline fast
 * paths below instead of going through the function pointers: same events,
 * same results, no indirect call, and a scalar needs no second dispatch on
 * the token kind the engine already knows. The out-of-line sink ops are
 * these same functions.
 */
extern const ng__json_sink_ops ng__json_builder_ops;

/* What the fast paths leave to builder.c: duplicate-key policies other
 * than KEEP, closing an object that repeated keys under DUP_LAST, and
 * string values (decoding); keys below. */
int ng__json_build_start_slow(ng__json_builder *b, int kind);
int ng__json_build_scalar_slow(ng__json_builder *b, const ng__json_token *t);
int ng__json_build_end_slow(ng__json_builder *b);
int ng__json_build_string(ng__json_builder *b, ng_json_value *v,
                          const ng__json_token *t);

/* ng__json_build_key under the policies other than KEEP, and for keys
 * the DOM cannot hold (4 GiB or more: NG_ESTRLIMIT). */
int ng__json_build_key_slow(ng__json_builder *b, const ng__json_token *t);

/*
 * The room of a member with a key of klen bytes: the key's bytes (the
 * caller writes them and a NUL) just before the node, the key's length
 * set (json.h); the node's rest is ng__json_build_node's. Returns the
 * key's first byte (the node at k + NG_JSON__KEYSPAN(klen)), or NULL when
 * the arena fails.
 */
NG_INLINE char *ng__json_key_room(ng__json_builder *b, uint32_t klen) {
  char *k = ng_arena_alloc(&b->doc->base.arena,
                           NG_JSON__KEYSPAN(klen) + sizeof(ng_json_value), 8);

  if (NG_UNLIKELY(k == NULL))
    return NULL;
  memcpy(k + NG_JSON__KEYSPAN(klen) - sizeof klen, &klen, sizeof klen);
  return k;
}

/* The member node for key token t (slen < 4 GiB), the key decoded into
 * its room (ng__json_key_room). NULL when the arena fails. */
NG_INLINE ng_json_value *ng__json_key_node(ng__json_builder *b,
                                           const ng__json_token *t) {
  uint32_t klen = (uint32_t)t->slen;
  char *k = ng__json_key_room(b, klen);

  if (NG_UNLIKELY(k == NULL))
    return NULL;
  ng__json_decode_string(b->lx, t, k);
  return (ng_json_value *)(void *)(k + NG_JSON__KEYSPAN(klen));
}

/* A member key (STRING token t): decoded into the arena just before the
 * node that the member's value will fill (json.h), checked against the
 * duplicate-key policy. */
NG_INLINE int ng__json_build_key(ng__json_builder *b,
                                 const ng__json_token *t) {
  ng_json_value *m;

  if (NG_UNLIKELY(b->dupkeys != NG_JSON_DUP_KEEP || t->slen > UINT32_MAX))
    return ng__json_build_key_slow(b, t);
  m = ng__json_key_node(b, t);
  if (NG_UNLIKELY(m == NULL))
    return ng__json_doc_err(b->doc);
  b->member = m;
  return NG_OK;
}

/* A fresh node v of `type` with `flags` (its payload left) made the
 * document's root: out of the hot path of ng__json_build_node. */
NG_INLINE ng_json_value *ng__json_build_root(ng__json_builder *b,
                                             ng_json_value *v, uint8_t type,
                                             uint8_t flags) {
  v->type = type;
  v->flags = flags | NG_JSON__LAST;
  v->reserved = 0;
  v->len = 0;
  v->link = NULL;
  b->doc->root = v;
  return v;
}

/*
 * A fresh node of `type` appended to the open container (the pending
 * member's node, key in place, in an object) or made the root, its first
 * 8 bytes written together (type, flags, len 0); value left to the
 * caller. NULL when the arena fails, or when the container holds
 * UINT32_MAX children already (NG_EMEMLIMIT, json.h: 32-bit counts).
 *
 * The new node's link leads up to its container and the previous
 * sibling's to it, but the LAST flag is set when the container closes
 * (ng__json_build_end), once per container instead of being moved at
 * each append: until then the open container's last child (b->last) is
 * the only one without it whose link leads up.
 */
NG_INLINE ng_json_value *ng__json_build_node(ng__json_builder *b,
                                             uint8_t type) {
  ng_json_value *v = b->member, *c = b->cur;
  uint8_t flags = NG_JSON__KEY;

  if (v != NULL) {
    b->member = NULL; /* key set by ng__json_build_key */
  } else {
    v = ng__arena_alloc_small(&b->doc->base.arena, sizeof *v,
                              _Alignof(ng_json_value));
    if (NG_UNLIKELY(v == NULL))
      return NULL;
    flags = 0;
  }
  if (NG_UNLIKELY(c == NULL))
    return ng__json_build_root(b, v, type, flags);
  if (NG_UNLIKELY(++c->len == 0)) { /* the 2^32nd child */
    c->len = UINT32_MAX;
    b->doc->base.arena.err = NG_EMEMLIMIT;
    return NULL;
  }
  v->type = type;
  v->flags = flags;
  v->reserved = 0;
  v->len = 0;
  v->link = c;
  if (b->last != NULL)
    b->last->link = v;
  else
    c->as.head = v;
  b->last = v;
  return v;
}

/* The node of an opening container of kind NG__JK_ARRAY / NG__JK_OBJECT,
 * empty and now the innermost, or NULL (the document's error set). */
NG_INLINE ng_json_value *ng__json_build_open(ng__json_builder *b, int kind) {
  ng_json_value *v = ng__json_build_node(
      b, kind == NG__JK_ARRAY ? NG_JSON_ARRAY : NG_JSON_OBJECT);

  if (NG_UNLIKELY(v == NULL))
    return NULL;
  v->as.head = NULL;
  b->cur = v;
  b->last = NULL;
  return v;
}

/* A container of kind NG__JK_ARRAY / NG__JK_OBJECT opens. */
NG_INLINE int ng__json_build_start(ng__json_builder *b, int kind) {
  if (NG_UNLIKELY(b->dupkeys != NG_JSON_DUP_KEEP))
    return ng__json_build_start_slow(b, kind);
  if (NG_UNLIKELY(ng__json_build_open(b, kind) == NULL))
    return ng__json_doc_err(b->doc);
  return NG_OK;
}

/* Flags bit of a DUP_LAST object that repeated a key: closing it merges
 * the repeats (builder.c). Never set on a finished document. */
#define NG__JSON_HASDUP 0x4u
/* Flags bit of a member whose key repeats an earlier member's (DUP_LAST):
 * removed, its value moved into that member, when the object closes. */
#define NG__JSON_DUP 0x8u

/* The LAST flag of the closing container's last child, whose link leads
 * up to it (ng__json_build_node). */
NG_INLINE void ng__json_build_seal(ng__json_builder *b) {
  if (b->last != NULL)
    b->last->flags |= NG_JSON__LAST;
}

/* The innermost container c closes after its last child `last` (NULL:
 * none), which is sealed; c is then the last child of its own container
 * (or the root), so its link leads up: returns that container, the new
 * innermost (NULL: top level). For a caller that keeps the builder's cur
 * and last in locals over a run of closes. */
NG_INLINE ng_json_value *ng__json_close_node(ng_json_value *c,
                                             ng_json_value *last) {
  if (last != NULL)
    last->flags |= NG_JSON__LAST;
  return c->link;
}

/* The innermost container closes, when it is not an object that
 * repeated a key under DUP_LAST (which ng__json_build_end leaves to
 * builder.c). */
NG_INLINE void ng__json_build_close(ng__json_builder *b) {
  ng_json_value *c = b->cur;

  b->cur = ng__json_close_node(c, b->last);
  b->last = c;
}

/* The innermost container closes. */
NG_INLINE int ng__json_build_end(ng__json_builder *b) {
  if (NG_UNLIKELY(b->cur->flags & NG__JSON_HASDUP))
    return ng__json_build_end_slow(b);
  ng__json_build_close(b);
  return NG_OK;
}

/*
 * A scalar token t of kind `kind` (t->kind, passed so that a caller that
 * knows it lets the compiler fold the dispatch).
 */
NG_INLINE int ng__json_build_scalar(ng__json_builder *b, int kind,
                                    const ng__json_token *t) {
  ng_json_value *v;

  if (NG_UNLIKELY(b->dupkeys != NG_JSON_DUP_KEEP))
    return ng__json_build_scalar_slow(b, t);
  switch (kind) {
  case NG__JT_NUMBER:
    v = ng__json_build_node(b, (uint8_t)t->ntype);
    if (NG_UNLIKELY(v == NULL))
      break;
    v->as.u = t->num.u; /* the same 8 bytes whichever of i, u, d */
    return NG_OK;
  case NG__JT_STRING:
    v = ng__json_build_node(b, NG_JSON_STRING);
    if (NG_UNLIKELY(v == NULL))
      break;
    return ng__json_build_string(b, v, t);
  case NG__JT_TRUE:
  case NG__JT_FALSE:
    v = ng__json_build_node(b, NG_JSON_BOOL);
    if (NG_UNLIKELY(v == NULL))
      break;
    v->as.b = kind == NG__JT_TRUE;
    return NG_OK;
  default:
    if (NG_UNLIKELY(ng__json_build_node(b, NG_JSON_NULL) == NULL))
      break;
    return NG_OK;
  }
  return ng__json_doc_err(b->doc);
}

/* ------------------------------------------------------ the event sink */

typedef struct ng__json_evsink {
  ng_json_events ev;        /* user callbacks, copied */
  const ng__json_lexer *lx; /* decodes string tokens */
  char *buf;                /* scratch for decoded strings, or NULL */
  size_t cap;               /* bytes at buf */
  const ng_alloc *alc;      /* allocator of buf */
  size_t budget;            /* stack for each callback (usercall.h) */
} ng__json_evsink;

/* Prepares a sink calling *ev (copied) for tokens of lx; decoded strings
 * go to a buffer from alc; budget: the stack each callback gets. */
void ng__json_evsink_init(ng__json_evsink *s, const ng_json_events *ev,
                          const ng__json_lexer *lx, const ng_alloc *alc,
                          size_t budget);
/* Releases the buffer; the sink can take the events of another parse. */
void ng__json_evsink_free(ng__json_evsink *s);
ng__json_sink ng__json_evsink_sink(ng__json_evsink *s);

#endif /* NG_PARSERS_JSON_BUILDER_H */
