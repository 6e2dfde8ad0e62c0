/*
 * parsers/json/builder.c - the sink that turns events into a DOM.
 *
 * Nodes go to the document's node array in document order (json.h);
 * decoded strings and keys to its arena. The builder only remembers the
 * innermost open container and its last child.
 *
 * Duplicate keys (ng_json_dupkeys): KEEP costs nothing. REJECT and LAST
 * look each key up among the open object's members: a linear scan while
 * the object is small, then a hash index (one table for the whole parse,
 * keyed by the object's and the member's positions in the array, which
 * only grows while the parse runs) once it has NG__DUP_SCAN_MAX members,
 * so an object of n members costs O(n) expected, not O(n^2).
 *
 * LAST keeps the first member's place and gives it the last value (as
 * JavaScript's JSON.parse orders keys). A repeat is built like any member
 * and marked NG__JSON_DUP; when its object closes, the first member with
 * its key is marked NG__JSON_REPL with the distance to the last repeat in
 * its `up` (no longer needed: its container has closed). A replaced value
 * may be smaller or bigger than the first one, so the array cannot be
 * mended in place at each close without moving everything after the
 * member once per enclosing object (O(nodes x depth)). Instead, when the
 * root closes, one pass writes the document without the repeats after
 * the array's end and moves it to the start: O(nodes), and without a
 * stack, as each open container of the new array keeps, in its span until
 * it closes, the position of the member it came from.
 */
#include <string.h>

#include "builder.h"
#include "dom.h"

/* Members scanned linearly before an object gets indexed. */
#define NG__DUP_SCAN_MAX 16

/* One indexed member: the first with its key in its object. */
typedef struct ng__json_dupent {
  size_t obj; /* the object's position in the array + 1; 0 = empty slot */
  size_t m;   /* the member's position */
} ng__json_dupent;

struct ng__json_dupidx {
  ng__json_dupent *slot; /* open addressing */
  size_t cap;            /* power of two */
  size_t n;              /* members stored */
};

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
  if (b->idx == NULL)
    return;
  ng__free(b->alc, b->idx->slot, b->idx->cap * sizeof *b->idx->slot);
  ng__free(b->alc, b->idx, sizeof *b->idx);
  b->idx = NULL;
}

/* The array is full: grows it (dom.c). The document holds at most
 * UINT32_MAX nodes, so that every relative link fits in 32 bits: the
 * builder's end never passes that many, however far a step populated. */
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
  b->end = b->nodes + (doc->room < UINT32_MAX ? doc->room : UINT32_MAX);
  if (b->cur != NULL)
    b->cur = b->nodes + cur;
  if (b->last != NULL)
    b->last = b->nodes + last;
  return b->top;
}

/* -------------------------------------------------------- the dup index */

static size_t key_hash(size_t obj, const char *k, size_t n) {
  uint64_t h = (uint64_t)obj * 0x9E3779B97F4A7C15u;
  size_t i;

  for (i = 0; i < n; i++)
    h = (h ^ (unsigned char)k[i]) * 0x100000001B3u;
  return (size_t)(h ^ (h >> 29));
}

static int same_key(const ng_json_value *m, const char *k, size_t n) {
  size_t mlen;
  const char *mk = ng_json_key(m, &mlen);

  return mlen == n && memcmp(mk, k, n) == 0;
}

/* Stores member m (position) of object obj (position + 1). */
static void idx_put(const ng__json_builder *b, ng__json_dupidx *x, size_t obj,
                    size_t m) {
  size_t klen;
  const char *key = ng_json_key(b->nodes + m, &klen);
  size_t i = key_hash(obj, key, klen) & (x->cap - 1);

  while (x->slot[i].obj != 0)
    i = (i + 1) & (x->cap - 1);
  x->slot[i].obj = obj;
  x->slot[i].m = m;
  x->n++;
}

/* Makes room for one more member. NG_OK or NG_ENOMEM. */
static int idx_reserve(ng__json_builder *b) {
  ng__json_dupidx *x = b->idx;
  ng__json_dupent *old;
  size_t cap, i, old_cap;

  if (x == NULL) {
    x = ng__malloc(b->alc, sizeof *x);
    if (x == NULL)
      return NG_ENOMEM;
    memset(x, 0, sizeof *x);
    b->idx = x;
  }
  if ((x->n + 1) * 2 <= x->cap)
    return NG_OK;
  cap = x->cap == 0 ? 64 : x->cap * 2;
  if (cap > SIZE_MAX / sizeof *x->slot)
    return NG_ENOMEM;
  old = x->slot;
  old_cap = x->cap;
  x->slot = ng__malloc(b->alc, cap * sizeof *x->slot);
  if (x->slot == NULL) {
    x->slot = old;
    return NG_ENOMEM;
  }
  memset(x->slot, 0, cap * sizeof *x->slot);
  x->cap = cap;
  x->n = 0;
  for (i = 0; i < old_cap; i++)
    if (old[i].obj != 0)
      idx_put(b, x, old[i].obj, old[i].m);
  ng__free(b->alc, old, old_cap * sizeof *old);
  return NG_OK;
}

static ng_json_value *idx_get(const ng__json_builder *b, size_t obj,
                              const char *k, size_t n) {
  const ng__json_dupidx *x = b->idx;
  size_t i = key_hash(obj, k, n) & (x->cap - 1);

  for (; x->slot[i].obj != 0; i = (i + 1) & (x->cap - 1))
    if (x->slot[i].obj == obj && same_key(b->nodes + x->slot[i].m, k, n))
      return b->nodes + x->slot[i].m;
  return NULL;
}

/* The member after m of an object (its children have closed, so m's span
 * is set). */
static ng_json_value *after_member(const ng_json_value *m) {
  return (ng_json_value *)(uintptr_t)(m + 2 + ng_json__span(m));
}

/*
 * The first member of the open object (b->cur, newest member b->last)
 * with key k[0..n), or NULL: a linear scan while the object is small, the
 * index once it has been indexed (the index holds first members only).
 */
static ng_json_value *find_member(const ng__json_builder *b, const char *k,
                                  size_t n) {
  const ng_json_value *obj = b->cur;
  ng_json_value *m;

  if (obj->as.c.len >= NG__DUP_SCAN_MAX)
    return idx_get(b, (size_t)(obj - b->nodes) + 1, k, n);
  if (obj->as.c.len == 0)
    return NULL;
  for (m = (ng_json_value *)(uintptr_t)(obj + 2);; m = after_member(m)) {
    if (same_key(m, k, n))
      return m;
    if (m == b->last)
      return NULL;
  }
}

/* Adds member m of object obj (positions, obj + 1) to the index unless it
 * repeats a key. */
static int idx_add(ng__json_builder *b, size_t obj, const ng_json_value *m) {
  if (m->flags & NG__JSON_DUP)
    return NG_OK;
  if (idx_reserve(b) != NG_OK)
    return NG_ENOMEM;
  idx_put(b, b->idx, obj, (size_t)(m - b->nodes));
  return NG_OK;
}

/*
 * Node v was just appended to the container at position obj - 1 (obj 0: v
 * is the root) under REJECT or LAST. A repeated key marks v and its object
 * for the close. The object is indexed as a whole when it reaches
 * NG__DUP_SCAN_MAX members, and each later member on arrival. NG_OK or
 * NG_ENOMEM.
 */
static int new_member(ng__json_builder *b, size_t obj, ng_json_value *v) {
  ng_json_value *o, *it;

  if (obj == 0 || (o = b->nodes + obj - 1)->type != NG_JSON_OBJECT)
    return NG_OK;
  if (b->dup) {
    b->dup = 0;
    v->flags |= NG__JSON_DUP;
    o->flags |= NG__JSON_HASDUP;
    b->redo = 1;
  }
  if (o->as.c.len < NG__DUP_SCAN_MAX)
    return NG_OK;
  if (o->as.c.len > NG__DUP_SCAN_MAX)
    return idx_add(b, obj, v);
  for (it = o + 2;; it = after_member(it)) {
    if (idx_add(b, obj, it) != NG_OK)
      return NG_ENOMEM;
    if (it == v)
      return NG_OK;
  }
}

/*
 * DUP_LAST: object b->cur, about to close, repeated a key. Each repeat, in
 * order, points the first member with its key at itself (the last repeat
 * wins); the object's count leaves the repeats out.
 */
static void mark_repeats(ng__json_builder *b) {
  ng_json_value *obj = b->cur, *x, *m;
  uint32_t ndup = 0;
  const char *key;
  size_t klen;

  for (x = obj + 2;; x = after_member(x)) {
    if (x->flags & NG__JSON_DUP) {
      key = ng_json_key(x, &klen);
      m = find_member(b, key, klen); /* never NULL: the first comes before */
      m->up = (uint32_t)(x - m);
      m->flags |= NG__JSON_REPL;
      ndup++;
    }
    if (x == b->last)
      break;
  }
  obj->as.c.len -= ndup;
  obj->flags &= (uint8_t)~NG__JSON_HASDUP;
}

/* Makes room for `extra` nodes after b->top. NG_OK, or the error. */
static int reserve(ng__json_builder *b, size_t extra) {
  ng_json_doc *doc = b->doc;
  size_t n = (size_t)(b->top - b->nodes);

  while (doc->room - n < extra)
    if (ng__json_nodes_grow(doc, n, 0) != NG_OK)
      return ng__json_doc_err(doc);
  b->nodes = doc->nodes;
  b->top = b->nodes + n;
  b->end = b->nodes + doc->room;
  return NG_OK;
}

/* The node whose value member v (position vi) of the old array has. */
static const ng_json_value *value_of(const ng_json_value *src, size_t vi) {
  const ng_json_value *v = src + vi;

  return v->flags & NG__JSON_REPL ? v + v->up : v;
}

/* Past the children of the container that member vi's value is. */
static size_t range_end(const ng_json_value *src, size_t vi) {
  const ng_json_value *s = value_of(src, vi);

  return (size_t)(s - src) + 1 + s->as.c.span;
}

/*
 * DUP_LAST, the root has closed after some object repeated a key: the
 * document is written again after the array's end in document order,
 * without the repeats and with each first member's value taken from its
 * last repeat, then moved to the start. A container of the new array,
 * while open, keeps the position of the member it came from in its span
 * (where the walk of the old array resumes when it closes). O(nodes).
 */
static int rebuild(ng__json_builder *b) {
  size_t n = (size_t)(b->top - b->nodes), pos = 0, end = 1, vi;
  ng_json_value *src, *w, *oc = NULL, *prev = NULL, *o;
  const ng_json_value *k, *s;
  int rc = reserve(b, n);

  if (rc != NG_OK)
    return rc;
  src = b->nodes;
  w = src + n;
  for (;;) {
    if (pos == end) { /* the open container's children are written */
      if (oc == NULL)
        break; /* a scalar root */
      if (prev != NULL)
        prev->flags |= NG_JSON__LAST;
      vi = oc->as.c.span;
      oc->as.c.span = (uint32_t)(w - oc - 1);
      if (oc->up == 0)
        break; /* the root */
      prev = oc;
      pos = vi + 1 + ng_json__span(src + vi);
      oc -= oc->up;
      end = range_end(src, oc->as.c.span);
      continue;
    }
    k = src[pos].type == 0 ? src + pos++ : NULL;
    vi = pos;
    pos = vi + 1 + ng_json__span(src + vi);
    if (src[vi].flags & NG__JSON_DUP)
      continue;
    if (k != NULL)
      *w++ = *k;
    s = value_of(src, vi);
    o = w++;
    *o = *s;
    o->flags = src[vi].flags & NG_JSON__KEY;
    o->up = oc != NULL ? (uint32_t)(o - oc) : 0;
    prev = o;
    if (s->type == NG_JSON_ARRAY || s->type == NG_JSON_OBJECT) {
      o->as.c.span = (uint32_t)vi;
      oc = o;
      prev = NULL;
      pos = (size_t)(s - src) + 1;
      end = pos + s->as.c.span;
    }
  }
  memmove(src, src + n, (size_t)(w - src - n) * sizeof *src);
  src->flags |= NG_JSON__LAST; /* the root */
  b->top = src + (w - src - n);
  b->last = src;
  return NG_OK;
}

/*
 * DUP_REJECT / DUP_LAST: the innermost container closes; an object that
 * repeated a key marks its repeats, and the root's close rebuilds the
 * array when any did.
 */
int ng__json_build_end_slow(ng__json_builder *b) {
  if (b->cur->flags & NG__JSON_HASDUP)
    mark_repeats(b);
  ng__json_build_close(b);
  if (b->cur != NULL || !b->redo)
    return NG_OK;
  b->redo = 0;
  return rebuild(b);
}

/* DUP_REJECT / DUP_LAST: every new member is indexed or marked as a
 * repeat. */
int ng__json_build_start_slow(ng__json_builder *b, int kind) {
  size_t obj = b->cur != NULL ? (size_t)(b->cur - b->nodes) + 1 : 0;
  ng_json_value *v = ng__json_build_open(b, kind);

  if (NG_UNLIKELY(v == NULL))
    return ng__json_doc_err(b->doc);
  return new_member(b, obj, v);
}

/* ------------------------------------------------------------- events */
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
  size_t obj = b->cur != NULL ? (size_t)(b->cur - b->nodes) + 1 : 0;
  ng_json_value *v = ng__json_build_node(b, NG_JSON_NULL);
  int rc;

  if (NG_UNLIKELY(v == NULL))
    return ng__json_doc_err(b->doc);
  switch (t->kind) {
  case NG__JT_STRING:
    rc = ng__json_build_string(b, v, t);
    if (rc != NG_OK)
      return rc;
    break;
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
  return new_member(b, obj, v);
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
  if (b->dupkeys == NG_JSON_DUP_KEEP ||
      find_member(b, k, (size_t)t->slen) == NULL)
    return NG_OK;
  if (b->dupkeys == NG_JSON_DUP_REJECT)
    return NG_EDUPKEY;
  b->dup = 1; /* LAST: a repeat, replacing the first at the close */
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
