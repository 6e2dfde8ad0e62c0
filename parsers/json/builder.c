/*
 * parsers/json/builder.c - the sink that turns events into a DOM.
 *
 * Nodes and decoded strings come from the document's arena; the builder
 * only remembers the innermost open container (`cur`) and its last child
 * (`last`). An open container is always the last child of its own
 * container, so its threaded link leads back up when it closes: no stack
 * of its own at any depth.
 *
 * Duplicate keys (ng_json_dupkeys): KEEP costs nothing. REJECT and LAST
 * look each key up among the object's members: a linear scan while the
 * object is small, then a hash index (one table for the whole parse, keyed
 * by object and key) once it has NG__DUP_SCAN_MAX members, so an object of
 * n members costs O(n) expected, not O(n^2). LAST keeps the first
 * member's place and gives it the last value (as JavaScript's JSON.parse
 * orders keys): a repeat is built like any member, marked NG__JSON_DUP,
 * and merged into the first member when the object closes; replaced
 * values become unreachable arena memory.
 */
#include <string.h>

#include "builder.h"
#include "dom.h"

/* Members scanned linearly before an object gets indexed. */
#define NG__DUP_SCAN_MAX 16

/* One indexed member: the first with its key in its object. */
typedef struct ng__json_dupent {
  const ng_json_value *obj; /* the object; NULL = empty slot */
  ng_json_value *m;         /* the member */
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
  if (b->idx == NULL)
    return;
  ng__free(b->alc, b->idx->slot, b->idx->cap * sizeof *b->idx->slot);
  ng__free(b->alc, b->idx, sizeof *b->idx);
  b->idx = NULL;
}

/* --------------------------------------------------------- node helpers */

/* Decodes STRING token t into the arena; NULL on failure. */
static char *decode(ng__json_builder *b, const ng__json_token *t) {
  char *s = ng_arena_alloc(&b->doc->base.arena, t->slen + 1, 1);

  if (s != NULL)
    ng__json_decode_string(b->lx, t, s);
  return s;
}

/* -------------------------------------------------------- the dup index */

static size_t key_hash(const ng_json_value *obj, const char *k, size_t n) {
  uint64_t h = (uint64_t)(uintptr_t)obj * 0x9E3779B97F4A7C15u;
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

static void idx_put(ng__json_dupidx *x, const ng_json_value *obj,
                    ng_json_value *m) {
  size_t klen;
  const char *key = ng_json_key(m, &klen);
  size_t i = key_hash(obj, key, klen) & (x->cap - 1);

  while (x->slot[i].obj != NULL)
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
    if (old[i].obj != NULL)
      idx_put(x, old[i].obj, old[i].m);
  ng__free(b->alc, old, old_cap * sizeof *old);
  return NG_OK;
}

static ng_json_value *idx_get(const ng__json_dupidx *x,
                              const ng_json_value *obj, const char *k,
                              size_t n) {
  size_t i = key_hash(obj, k, n) & (x->cap - 1);

  for (; x->slot[i].obj != NULL; i = (i + 1) & (x->cap - 1))
    if (x->slot[i].obj == obj && same_key(x->slot[i].m, k, n))
      return x->slot[i].m;
  return NULL;
}

/* The member after m in an open object whose newest member is `last`,
 * which has no LAST flag yet (builder.h); NULL after it. last NULL: the
 * object is sealed, its LAST flag ends the chain. */
static ng_json_value *next_member(const ng_json_value *m,
                                  const ng_json_value *last) {
  return m == last || (m->flags & NG_JSON__LAST) ? NULL : m->link;
}

/*
 * Finds the first member of the open object (newest member `last`, see
 * next_member) with key k[0..n): a linear scan while the object is small,
 * the index once it has been indexed (the index holds first members only).
 * Stores the member or NULL in *found.
 */
static void find_member(const ng__json_builder *b, const ng_json_value *last,
                        const char *k, size_t n, ng_json_value **found) {
  const ng_json_value *obj = b->cur;
  ng_json_value *m;

  *found = NULL;
  if (obj->len >= NG__DUP_SCAN_MAX) {
    *found = idx_get(b->idx, obj, k, n);
    return;
  }
  for (m = obj->as.head; m != NULL; m = next_member(m, last))
    if (same_key(m, k, n)) {
      *found = m;
      return;
    }
}

/* Adds member m of obj to the index unless it repeats a key. */
static int idx_add(ng__json_builder *b, const ng_json_value *obj,
                   ng_json_value *m) {
  if (m->flags & NG__JSON_DUP)
    return NG_OK;
  if (idx_reserve(b) != NG_OK)
    return NG_ENOMEM;
  idx_put(b->idx, obj, m);
  return NG_OK;
}

/*
 * Member m was just appended to obj (NULL: m is the root) under REJECT or
 * LAST. A repeated key marks m and obj for the merge at obj's close. The
 * object is indexed as a whole when it reaches NG__DUP_SCAN_MAX members,
 * and each later member on arrival. NG_OK or NG_ENOMEM.
 */
static int new_member(ng__json_builder *b, ng_json_value *obj,
                      ng_json_value *m) {
  ng_json_value *it;

  if (b->dup) {
    b->dup = 0;
    m->flags |= NG__JSON_DUP;
    obj->flags |= NG__JSON_HASDUP;
  }
  if (obj == NULL || obj->type != NG_JSON_OBJECT || obj->len < NG__DUP_SCAN_MAX)
    return NG_OK;
  if (obj->len > NG__DUP_SCAN_MAX)
    return idx_add(b, obj, m);
  for (it = obj->as.head; it != NULL; it = next_member(it, m))
    if (idx_add(b, obj, it) != NG_OK)
      return NG_ENOMEM;
  return NG_OK;
}

/*
 * DUP_LAST: the first member m takes the value of its repeat x (same key,
 * later in the same object); x's children now lead up to m.
 */
static void take_value(ng_json_value *m, const ng_json_value *x) {
  ng_json_value *c;

  m->type = x->type;
  m->as = x->as;
  m->len = x->len;
  if ((x->type != NG_JSON_ARRAY && x->type != NG_JSON_OBJECT) ||
      x->as.head == NULL)
    return;
  for (c = x->as.head; !(c->flags & NG_JSON__LAST); c = c->link)
    ;
  c->link = m;
}

/*
 * Closing object obj (b->cur) under DUP_LAST after it repeated a key: each
 * repeat, in order, gives its value to the first member with its key and
 * leaves the chain, so the last value wins in the first one's place. Each
 * repeat's children are walked once: O(members + their children).
 */
int ng__json_build_end_slow(ng__json_builder *b) {
  ng_json_value *obj = b->cur, *prev = NULL, *x, *next, *m;

  ng__json_build_seal(b);
  for (x = obj->as.head; x != NULL; x = next) {
    next = ng_json_next(x);
    if (!(x->flags & NG__JSON_DUP)) {
      prev = x;
      continue;
    }
    size_t klen;
    const char *key = ng_json_key(x, &klen);

    find_member(b, NULL, key, klen, &m); /* m comes before x */
    take_value(m, x);
    prev->link = x->link;
    prev->flags |= x->flags & NG_JSON__LAST;
    obj->len--;
  }
  obj->flags &= (uint8_t)~NG__JSON_HASDUP;
  b->last = obj;
  b->cur = obj->link;
  return NG_OK;
}

/* -------------------------------------------------------------- events */

/* DUP_REJECT / DUP_LAST: every new member is indexed or marked as a
 * repeat. */
int ng__json_build_start_slow(ng__json_builder *b, int kind) {
  ng_json_value *obj = b->cur, *v = ng__json_build_open(b, kind);

  if (NG_UNLIKELY(v == NULL))
    return ng__json_doc_err(b->doc);
  return new_member(b, obj, v);
}

int ng__json_build_string(ng__json_builder *b, ng_json_value *v,
                          const ng__json_token *t) {
  v->type = NG_JSON_STRING;
  if (NG_UNLIKELY(t->slen > UINT32_MAX)) {
    v->type = NG_JSON_NULL;
    return NG_ESTRLIMIT; /* json.h: the DOM's strings are under 4 GiB */
  }
  v->as.s = decode(b, t);
  if (NG_UNLIKELY(v->as.s == NULL)) {
    v->type = NG_JSON_NULL; /* keep the tree well-formed */
    return ng__json_doc_err(b->doc);
  }
  v->len = (uint32_t)t->slen;
  return NG_OK;
}

int ng__json_build_scalar_slow(ng__json_builder *b, const ng__json_token *t) {
  ng_json_value *obj = b->cur, *v = ng__json_build_node(b, NG_JSON_NULL);
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
  ng_json_value *m, *found;

  if (NG_UNLIKELY(t->slen > UINT32_MAX))
    return NG_ESTRLIMIT; /* json.h: the DOM's keys are shorter than 4 GiB */
  m = ng__json_key_node(b, t);
  if (NG_UNLIKELY(m == NULL))
    return ng__json_doc_err(b->doc);
  if (b->dupkeys != NG_JSON_DUP_KEEP) {
    /* m's flags are not set yet: the key from its length (json.h) */
    find_member(b, b->last, (const char *)m - NG_JSON__KEYSPAN(t->slen),
                t->slen, &found);
    if (found != NULL) {
      if (b->dupkeys == NG_JSON_DUP_REJECT)
        return NG_EDUPKEY;
      b->dup = 1; /* LAST: a repeat, merged into `found` at the close */
    }
  }
  b->member = m;
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
