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

/*
 * The builder appends nodes to the document's array in document order
 * (json.h) and remembers only the innermost open container and its last
 * child so far. Its pointers into the array are moved with it when it
 * grows (ng__json_build_grow, the only place it moves). Closing a
 * container writes its span and returns to its container through its
 * `up`: no stack of its own at any depth.
 */
typedef struct ng__json_builder {
  ng_json_doc *doc;         /* the document being built (not owned) */
  const ng__json_lexer *lx; /* decodes string tokens */
  ng_json_value *nodes;     /* doc's node array, kept here while it grows */
  ng_json_value *top;       /* the next node's slot */
  ng_json_value *end;       /* past the slots the array holds now */
  size_t hint;              /* nodes expected in all (0: unknown) */
  ng_json_value *cur;       /* innermost open container; NULL: top level */
  ng_json_value *last;      /* cur's last child so far; NULL: none yet */
  uint8_t member;           /* NG_JSON__KEY: a key's node was just built */
  uint8_t dup;              /* DUP_LAST: the next member repeats a key */
  uint8_t redo;             /* DUP_LAST: a key repeated; the array is
                               rebuilt when the root closes */
  ng_json_dupkeys dupkeys;  /* duplicate key policy */
  ng__json_dupidx *idx;     /* hash index of big objects' keys, or NULL */
  const ng_alloc *alc;      /* allocator of idx; NULL: libc */
} ng__json_builder;

/*
 * Prepares a builder filling doc (empty) from tokens of lx. Allocates
 * nothing. hint: nodes the document is expected to hold at most (0:
 * unknown), sizing the array's first allocation.
 */
void ng__json_builder_init(ng__json_builder *b, ng_json_doc *doc,
                           const ng__json_lexer *lx, ng_json_dupkeys dupkeys,
                           const ng_alloc *alc);

/* Releases the builder's own memory (the index), not the document, and
 * records the nodes built in the document. */
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
 * than KEEP (with DUP_LAST's rebuild of the array when the root closes),
 * string values (decoding), and the array's growth. */
int ng__json_build_start_slow(ng__json_builder *b, int kind);
int ng__json_build_scalar_slow(ng__json_builder *b, const ng__json_token *t);
int ng__json_build_end_slow(ng__json_builder *b);
int ng__json_build_string(ng__json_builder *b, ng_json_value *v,
                          const ng__json_token *t);
ng_json_value *ng__json_build_grow(ng__json_builder *b);

/* ng__json_build_key under the policies other than KEEP, and for keys
 * the DOM cannot hold (4 GiB or more: NG_ESTRLIMIT). */
int ng__json_build_key_slow(ng__json_builder *b, const ng__json_token *t);

/* The slot of the next node (b->top), the array grown when full; NULL
 * when that fails (the document's error set). */
NG_INLINE ng_json_value *ng__json_build_slot(ng__json_builder *b) {
  if (NG_UNLIKELY(b->top == b->end))
    return ng__json_build_grow(b);
  return b->top;
}

/*
 * The key's node of the next member, for a key of klen bytes, and the
 * room of its bytes in the arena (the caller writes them and a NUL).
 * Returns the key's first byte, or NULL when the arena or the array fails.
 */
NG_INLINE char *ng__json_key_room(ng__json_builder *b, uint32_t klen) {
  char *k = ng_arena_alloc(&b->doc->base.arena, (size_t)klen + 1, 1);
  ng_json_value *kv;

  if (NG_UNLIKELY(k == NULL))
    return NULL;
  if (NG_UNLIKELY((kv = ng__json_build_slot(b)) == NULL))
    return NULL;
  kv->type = 0;
  kv->flags = 0;
  kv->reserved = 0;
  kv->up = klen;
  kv->as.s = k;
  b->top = kv + 1;
  b->member = NG_JSON__KEY;
  return k;
}

/* The room of a string of n bytes in the arena: its length in the 4 bytes
 * before it (json.h), the caller writes the bytes and a NUL. NULL when the
 * arena fails. */
NG_INLINE char *ng__json_string_room(ng__json_builder *b, uint32_t n) {
  char *s = ng_arena_alloc(&b->doc->base.arena, (size_t)n + 5, 4);

  if (NG_UNLIKELY(s == NULL))
    return NULL;
  memcpy(s, &n, sizeof n);
  return s + sizeof n;
}

/* A member key (STRING token t): its node and its bytes, checked against
 * the duplicate-key policy. */
NG_INLINE int ng__json_build_key(ng__json_builder *b,
                                 const ng__json_token *t) {
  char *k;

  if (NG_UNLIKELY(b->dupkeys != NG_JSON_DUP_KEEP || t->slen > UINT32_MAX))
    return ng__json_build_key_slow(b, t);
  k = ng__json_key_room(b, (uint32_t)t->slen);
  if (NG_UNLIKELY(k == NULL))
    return ng__json_doc_err(b->doc);
  ng__json_decode_string(b->lx, t, k);
  return NG_OK;
}

/*
 * A fresh node of `type` appended to the open container (after its key's
 * node in an object) or made the root, its header written (type, flags,
 * up); its payload left to the caller. NULL when the array fails. The
 * container's child count grows; the LAST flag of its last child is set
 * when it closes (ng__json_build_close).
 */
NG_INLINE ng_json_value *ng__json_build_node(ng__json_builder *b,
                                             uint8_t type) {
  ng_json_value *v = ng__json_build_slot(b), *c = b->cur;

  if (NG_UNLIKELY(v == NULL))
    return NULL;
  b->top = v + 1;
  v->type = type;
  v->flags = b->member;
  v->reserved = 0;
  b->member = 0;
  if (NG_UNLIKELY(c == NULL)) { /* the root */
    v->flags |= NG_JSON__LAST;
    v->up = 0;
    return v;
  }
  c->as.c.len++; /* < 2^32: fewer than the nodes */
  v->up = (uint32_t)(v - c);
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
  v->as.u = 0; /* no children, span 0 */
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

/* Flags bit of a DUP_LAST object that repeated a key: closing it marks
 * the members whose value a repeat replaces (builder.c). Never set on a
 * finished document, nor are the two below. */
#define NG__JSON_HASDUP 0x4u
/* Flags bit of a member whose key repeats an earlier member's (DUP_LAST):
 * left out when the array is rebuilt. */
#define NG__JSON_DUP 0x8u
/* Flags bit of the first member with a key that repeats (DUP_LAST): its
 * value is that of the last repeat, `up` nodes after it. */
#define NG__JSON_REPL 0x10u

/* The LAST flag of the closing container's last child. */
NG_INLINE void ng__json_build_seal(ng__json_builder *b) {
  if (b->last != NULL)
    b->last->flags |= NG_JSON__LAST;
}

/* Container c closes before slot `top` after its last child `last`
 * (NULL: none), which is sealed: its span is set, and its own container,
 * the new innermost, is returned (NULL: top level). For a caller that
 * keeps the builder's cur and last in locals over a run of closes. */
NG_INLINE ng_json_value *ng__json_close_node(ng_json_value *c,
                                             ng_json_value *last,
                                             const ng_json_value *top) {
  if (last != NULL)
    last->flags |= NG_JSON__LAST;
  c->as.c.span = (uint32_t)(top - c - 1);
  return c->up != 0 ? c - c->up : NULL;
}

/* The innermost container closes (under DUP_KEEP; builder.c for the
 * other policies). */
NG_INLINE void ng__json_build_close(ng__json_builder *b) {
  ng_json_value *c = b->cur;

  b->cur = ng__json_close_node(c, b->last, b->top);
  b->last = c;
}

/* The innermost container closes. */
NG_INLINE int ng__json_build_end(ng__json_builder *b) {
  if (NG_UNLIKELY(b->dupkeys != NG_JSON_DUP_KEEP))
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
