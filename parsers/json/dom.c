/*
 * parsers/json/dom.c - the document and its node array, and every
 * read-side DOM operation: size/at/get, JSON Pointer, equality, deep copy,
 * walk.
 *
 * Depth safety: no function here recurses. The nodes are one array in
 * document order (json.h), so a subtree is the range v[0..span]: equality
 * and copy are loops over ranges, and a walk descends to the next node,
 * steps over a sibling's span, and climbs from a last child (NG_JSON__LAST)
 * through its `up`. Machine stack use is O(1) and there is no heap side
 * stack either, so a 10,000,000-deep document costs exactly what a flat
 * one of the same size does.
 *
 * The array: with the default allocator, one mapping from the page cache
 * reserving the bound a one-shot parse knows (input length / 2 nodes), its
 * first 2 MiB used as they come and the rest populated a step at a time
 * (ng__pages_populate), grown by mremap when a stream passes it; with a
 * caller's allocator (or while small), a block grown by doubling and
 * shrunk to fit when the parse ends.
 */
#include <math.h>
#include <string.h>

#include "internal.h"
#include "dom.h"

/* The layout json.h promises: 16 bytes. */
_Static_assert(sizeof(ng_json_value) == 16, "ng_json_value is 16 bytes");

/* Is v the last child of its container (or a root)? */
static bool is_last(const ng_json_value *v) {
  return (v->flags & NG_JSON__LAST) != 0;
}

static bool is_container(const ng_json_value *v) {
  return v->type == NG_JSON_ARRAY || v->type == NG_JSON_OBJECT;
}

/* ------------------------------------------------------------ document */

/* Nodes of a first array when the size of the document is unknown. */
#define NG__NODES_FIRST ((size_t)256)
/* Bytes a mapped array populates at a time: between these, an eighth of
 * what it holds so far (so at most that much is held unused). */
#define NG__NODES_STEP_MIN ((size_t)64 << 10)
#define NG__NODES_STEP_MAX ((size_t)1 << 20)
#define NG__NODES_ALIGN ((size_t)2 << 20)
#define NG__NODES_LAZY ((size_t)2 << 20)

ng_json_doc *ng__json_doc_new(const ng_alloc *alc, size_t max_memory) {
  return ng__doc_new(sizeof(ng_json_doc), alc, max_memory);
}

ng_json_value *ng_json_doc_root(const ng_json_doc *doc) {
  return doc != NULL ? ng__json_doc_root(doc) : NULL;
}

/* Bytes of the array that count: the pages of a mapping that hold nodes
 * (the rest of it is address space: a step populated ahead at most). */
static size_t nodes_held(const ng_json_doc *doc) {
  size_t page = (size_t)4 << 10, used = doc->n * sizeof(ng_json_value);

  return doc->mapped ? (used + page - 1) & ~(page - 1) : doc->bytes;
}

/* The doc struct, every arena chunk and the node array. */
size_t ng_json_doc_memory(const ng_json_doc *doc) {
  return doc != NULL ? ng__doc_memory(&doc->base) + nodes_held(doc) : 0;
}

static void nodes_free(ng_json_doc *doc) {
  if (doc->nodes == NULL)
    return;
  if (doc->mapped)
    ng__pages_free(doc->nodes, doc->bytes);
  else
    ng__free(doc->base.alc, doc->nodes, doc->bytes);
  doc->nodes = NULL;
}

/* O(chunks): nodes are never visited. */
void ng_json_doc_free(ng_json_doc *doc) {
  if (doc == NULL)
    return;
  nodes_free(doc);
  ng__doc_free(&doc->base);
}

/* max_memory: how many of `bytes` more the array may hold (all of them
 * without a cap). */
static size_t nodes_allowed(const ng_json_doc *doc, size_t bytes) {
  const ng_arena *a = &doc->base.arena;
  size_t held = doc->mapped ? doc->room * sizeof(ng_json_value) : doc->bytes;

  if (a->max_bytes == 0)
    return bytes;
  if (a->sys_bytes + held >= a->max_bytes)
    return 0;
  if (bytes > a->max_bytes - a->sys_bytes - held)
    return a->max_bytes - a->sys_bytes - held;
  return bytes;
}

/* max_memory: the array may hold `bytes` more. NG_OK or NG_EMEMLIMIT. */
static int nodes_within(ng_json_doc *doc, size_t bytes) {
  if (nodes_allowed(doc, bytes) == bytes)
    return NG_OK;
  doc->base.arena.err = NG_EMEMLIMIT;
  return NG_EMEMLIMIT;
}

/* A mapped array makes its next step usable: the first NG__NODES_LAZY
 * bytes as they are (faulted page by page, or already by the document
 * before it when the mapping came from the cache), later ones populated
 * a step at a time (the kernel faults a step in with one call: 1.7x
 * cheaper than a fault a page). */
static int nodes_populate(ng_json_doc *doc) {
  size_t have = doc->room * sizeof(ng_json_value);
  size_t step = (have / 8) & ~(NG__NODES_STEP_MIN - 1); /* whole pages */
  int lazy = have < NG__NODES_LAZY;

  if (lazy)
    step = NG__NODES_LAZY - have;
  if (step < NG__NODES_STEP_MIN)
    step = NG__NODES_STEP_MIN;
  if (step > NG__NODES_STEP_MAX && !lazy)
    step = NG__NODES_STEP_MAX;
  if (step > doc->bytes - have)
    step = doc->bytes - have;
  if (nodes_allowed(doc, step) < step) { /* up to the cap, whole nodes */
    step = nodes_allowed(doc, step) & ~(sizeof(ng_json_value) - 1);
    lazy = 1;
    if (step == 0)
      return nodes_within(doc, sizeof(ng_json_value));
  }
  if (!lazy)
    ng__pages_populate((char *)doc->nodes + have, step);
  doc->room = (have + step) / sizeof(ng_json_value);
  return NG_OK;
}

/* The array realloc'd to `bytes` through the parse's allocator (the
 * user's guarded, or libc), within max_memory. */
static int nodes_realloc(ng_json_doc *doc, size_t bytes) {
  ng_json_value *p;

  if (nodes_within(doc, bytes - doc->bytes) != NG_OK)
    return NG_EMEMLIMIT;
  p = ng__realloc(doc->base.arena.alc, doc->nodes, doc->bytes, bytes);
  if (p == NULL) {
    doc->base.arena.err = NG_ENOMEM;
    return NG_ENOMEM;
  }
  doc->nodes = p;
  doc->bytes = bytes;
  doc->room = bytes / sizeof *p;
  return NG_OK;
}

/* A new array of `bytes` holding the first n nodes of the old one: from
 * the allocator (realloc) while small or when the caller gave one; else a
 * mapping from the page cache, populated a step at a time. An array that
 * outgrows its first block takes a mapping the cache holds at once rather
 * than growing by realloc to NG__NODES_STEP_MIN: a stream's document does
 * not know its size, and those blocks (60 KiB written and copied) are
 * memory the previous document did not warm (twitter.json in 4 KiB
 * chunks, iterative, the bench's cold ratio in two runs each: 0.82 / 0.85
 * -> 0.87 / 0.86 of one-shot). */
static int nodes_move(ng_json_doc *doc, size_t n, size_t bytes) {
  ng_json_value *p = NULL;

  if (doc->base.alc == NULL && bytes < NG__NODES_STEP_MIN &&
      doc->nodes != NULL)
    p = ng__pages_cached(NG__NODES_STEP_MIN, &bytes);
  if (p == NULL && (doc->base.alc != NULL || bytes < NG__NODES_STEP_MIN))
    return nodes_realloc(doc, bytes);
  if (p == NULL) {
    bytes = (bytes + NG__NODES_ALIGN - 1) & ~(NG__NODES_ALIGN - 1);
    if (doc->mapped &&
        (p = ng__pages_grow(doc->nodes, doc->bytes, bytes)) != NULL) {
      n = doc->room; /* the pages moved: those in use stay populated */
      goto placed;
    }
    /* a new block, the nodes copied: a bigger one from the cache spares a
     * stream's growth, and its pages are in already (canada.json in 4 KiB
     * chunks: 543 page faults a parse with exact sizes only) */
    p = ng__pages_alloc_fit(bytes, &bytes);
    if (p == NULL) {
      doc->base.arena.err = NG_ENOMEM;
      return NG_ENOMEM;
    }
  }
  if (n != 0)
    memcpy(p, doc->nodes, n * sizeof *p);
  nodes_free(doc);
placed:
  doc->nodes = p;
  doc->bytes = bytes;
  doc->mapped = 1;
  doc->room = n;
  return nodes_populate(doc);
}

int ng__json_nodes_grow(ng_json_doc *doc, size_t n, size_t hint) {
  size_t want;

  if (doc->mapped && doc->room * sizeof(ng_json_value) < doc->bytes)
    return nodes_populate(doc);
  if (doc->nodes == NULL && hint == 0)
    want = NG__NODES_FIRST;
  else if (doc->nodes == NULL) /* a mapping reserves the bound, an
                                  allocator's block a guess (len / 16) */
    want = doc->base.alc == NULL ? hint : hint / 8 + NG__NODES_FIRST;
  else
    want = 2 * (doc->bytes / sizeof(ng_json_value));
  if (want > SIZE_MAX / sizeof(ng_json_value) / 2) {
    doc->base.arena.err = NG_ENOMEM;
    return NG_ENOMEM;
  }
  return nodes_move(doc, n, want * sizeof(ng_json_value));
}

void ng__json_nodes_fit(ng_json_doc *doc) {
  size_t want = doc->n * sizeof(ng_json_value);
  ng_json_value *p;

  if (doc->mapped || doc->nodes == NULL || want == 0 ||
      want >= doc->bytes - doc->bytes / 8)
    return;
  p = ng__realloc(doc->base.arena.alc, doc->nodes, doc->bytes, want);
  if (p == NULL)
    return; /* keeps the bigger block */
  doc->nodes = p;
  doc->bytes = want;
  doc->room = doc->n;
}

/* --------------------------------------------------------- constructors */

char *ng__json_strdup(ng_json_doc *doc, const char *s, size_t len) {
  char *p;

  if (len == SIZE_MAX) {
    doc->base.arena.err = NG_ENOMEM;
    return NULL;
  }
  p = ng_arena_alloc(&doc->base.arena, len + 1, 1);
  if (p == NULL)
    return NULL;
  if (len != 0)
    memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

/* ------------------------------------------------------------ accessors */

size_t ng_json_size(const ng_json_value *v) {
  if (v == NULL || !is_container(v))
    return 0;
  return v->as.c.len;
}

ng_json_value *ng_json_at(const ng_json_value *v, size_t i) {
  ng_json_value *c;

  if (v == NULL || !is_container(v) || i >= v->as.c.len)
    return NULL;
  for (c = ng_json_first(v); c != NULL && i != 0; c = ng_json_next(c))
    i--;
  return c;
}

ng_json_value *ng_json_get(const ng_json_value *v, const char *key,
                           size_t len) {
  ng_json_value *c;

  if (v == NULL || v->type != NG_JSON_OBJECT || (key == NULL && len != 0))
    return NULL;
  for (c = ng_json_first(v); c != NULL; c = ng_json_next(c)) {
    size_t klen;
    const char *k = ng_json_key(c, &klen);
    if (klen == len && (len == 0 || memcmp(k, key, len) == 0))
      return c;
  }
  return NULL;
}

/* --------------------------------------------------------- JSON Pointer */

/* A pointer is "" or '/'-separated tokens in which '~' is always followed
 * by '0' or '1' (RFC 6901 section 3). */
static bool pointer_valid(const char *p, size_t len) {
  const char *t, *end = p + len;

  if (len == 0)
    return true;
  if (p[0] != '/')
    return false;
  for (t = memchr(p, '~', len); t != NULL;
       t = memchr(t, '~', (size_t)(end - t))) {
    if (t + 1 == end || (t[1] != '0' && t[1] != '1'))
      return false;
    t += 2;
  }
  return true;
}

/* Array index token: "0" or [1-9][0-9]*, no sign, no leading zero, in
 * range. "-" (past the end) and everything else are not found. */
static bool pointer_index(const char *t, size_t n, size_t *out) {
  size_t i, v = 0;

  if (n == 0 || (t[0] == '0' && n > 1))
    return false;
  for (i = 0; i < n; i++) {
    unsigned d = (unsigned)(unsigned char)t[i] - '0';
    if (d > 9 || v > (SIZE_MAX - d) / 10)
      return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

/* Does the escaped token t[0..n) decode to key[0..klen)? */
static bool pointer_key_match(const ng_json_value *m, const char *t, size_t n) {
  size_t i = 0, j = 0, klen;
  const char *key = ng_json_key(m, &klen);

  while (j < n) {
    char c = t[j++];
    if (c == '~')
      c = t[j++] == '0' ? '~' : '/'; /* validated by pointer_valid */
    if (i == klen || key[i] != c)
      return false;
    i++;
  }
  return i == klen;
}

static const ng_json_value *pointer_step(const ng_json_value *v, const char *t,
                                         size_t n) {
  const ng_json_value *c;
  size_t idx;

  if (v->type == NG_JSON_ARRAY)
    return pointer_index(t, n, &idx) ? ng_json_at(v, idx) : NULL;
  if (v->type != NG_JSON_OBJECT)
    return NULL;
  for (c = ng_json_first(v); c != NULL; c = ng_json_next(c)) {
    if ((c->flags & NG_JSON__KEY) && pointer_key_match(c, t, n))
      return c;
  }
  return NULL;
}

int ng_json_pointer(const ng_json_value *root, const char *ptr, size_t len,
                    const ng_json_value **out) {
  const ng_json_value *v = root;
  size_t i = 0;

  if (out != NULL)
    *out = NULL;
  if (root == NULL || out == NULL || (ptr == NULL && len != 0))
    return NG_EINVAL;
  if (!pointer_valid(ptr, len))
    return NG_EINVAL;
  while (i < len) { /* ptr[i] == '/' */
    const char *t = ptr + i + 1, *slash;
    size_t n = len - i - 1;

    slash = memchr(t, '/', n);
    if (slash != NULL)
      n = (size_t)(slash - t);
    v = pointer_step(v, t, n);
    if (v == NULL)
      return NG_ENOTFOUND;
    i += n + 1;
  }
  *out = v;
  return NG_OK;
}

/* ------------------------------------------------------------- equality */

/* Doubles are equal when they are the same value: -0.0 differs from 0.0
 * and NaN equals NaN, so equality is reflexive even for copies of values
 * no parse produces. */
static bool double_same(double a, double b) {
  if (isnan(a))
    return isnan(b);
  return a == b && !signbit(a) == !signbit(b);
}

static bool bytes_equal(const char *a, size_t na, const char *b, size_t nb) {
  return na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

/* Compares what a node holds itself: type, scalar value, key, child
 * count. */
static bool node_equal(const ng_json_value *a, const ng_json_value *b) {
  if (a->type != b->type)
    return false;
  switch (a->type) {
  case 0: /* a key's node */
    return bytes_equal(a->as.s, a->up, b->as.s, b->up);
  case NG_JSON_BOOL:
    return a->as.b == b->as.b;
  case NG_JSON_INT:
    return a->as.i == b->as.i;
  case NG_JSON_UINT:
    return a->as.u == b->as.u;
  case NG_JSON_DOUBLE:
    return double_same(a->as.d, b->as.d);
  case NG_JSON_STRING:
    return bytes_equal(a->as.s, ng_json_len(a), b->as.s, ng_json_len(b));
  case NG_JSON_ARRAY:
  case NG_JSON_OBJECT:
    return a->as.c.len == b->as.c.len;
  default:
    return true; /* NG_JSON_NULL */
  }
}

/*
 * The subtrees are ranges of the same length holding equal nodes in the
 * same order: the preorder sequence of types and child counts fixes the
 * shape, so one loop over both ranges compares everything. The roots'
 * own keys are not part of their value (the ranges start at the roots).
 */
bool ng_json_equal(const ng_json_value *a, const ng_json_value *b) {
  size_t n, i;

  if (a == NULL || b == NULL)
    return a == b;
  n = ng_json__span(a);
  if (n != ng_json__span(b))
    return false;
  if (a == b)
    return true;
  for (i = 0; i <= n; i++)
    if (!node_equal(a + i, b + i))
      return false;
  return true;
}

/* ----------------------------------------------------------------- copy */

/* The copy's own string for node x (a key's node or a STRING): NG_OK or
 * the arena's error. */
static int copy_bytes(ng_json_doc *doc, ng_json_value *x) {
  char *p;
  uint32_t n;

  if (x->type == 0) {
    p = ng__json_strdup(doc, x->as.s, x->up);
  } else {
    n = (uint32_t)ng_json_len(x);
    p = ng_arena_alloc(&doc->base.arena, (size_t)n + 5, 4);
    if (p != NULL) {
      memcpy(p, &n, sizeof n);
      memcpy(p + sizeof n, x->as.s, (size_t)n + 1);
      p += sizeof n;
    }
  }
  if (p == NULL)
    return ng__json_doc_err(doc);
  x->as.s = p;
  return NG_OK;
}

/*
 * The subtree at v is the range v[0..span]: copied whole, then its
 * strings and keys copied in one pass. Links are relative, so they hold
 * in the copy; its root loses its key and its place among siblings. Any
 * failure frees the whole new document at once.
 */
int ng_json_copy(const ng_json_value *v, const ng_alloc *alc,
                 ng_json_doc **out) {
  ng_json_doc *doc;
  size_t n, i;
  int rc;

  if (out == NULL)
    return NG_EINVAL;
  *out = NULL;
  if (v == NULL)
    return NG_EINVAL;
  doc = ng__json_doc_new(alc, 0);
  if (doc == NULL)
    return NG_ENOMEM;
  n = ng_json__span(v) + 1;
  if ((rc = ng__json_nodes_grow(doc, 0, n)) != NG_OK)
    goto fail;
  while (doc->room < n) /* a mapping populates a step at a time */
    if ((rc = ng__json_nodes_grow(doc, doc->room, n)) != NG_OK)
      goto fail;
  memcpy(doc->nodes, v, n * sizeof *v);
  doc->nodes[0].up = 0;
  doc->nodes[0].flags = NG_JSON__LAST;
  for (i = 0; i < n; i++)
    if ((doc->nodes[i].type == 0 || doc->nodes[i].type == NG_JSON_STRING) &&
        (rc = copy_bytes(doc, doc->nodes + i)) != NG_OK)
      goto fail;
  doc->n = n;
  *out = doc;
  return NG_OK;

fail:
  ng_json_doc_free(doc);
  return rc;
}

/* ----------------------------------------------------------------- walk */

/* Down to a first child, along to the next sibling, and from a last child
 * up through `up`: O(1) state at any depth. */
int ng_json_walk(const ng_json_value *root, ng_json_visit enter,
                 ng_json_visit leave, void *ud) {
  const ng_json_value *v = root;
  size_t depth = 0;
  int rc;

  if (root == NULL)
    return NG_EINVAL;
  for (;;) {
    if (enter != NULL && (rc = enter(ud, v, depth)) != 0)
      return rc;
    if (is_container(v)) {
      if (v->as.c.span != 0) {
        v = ng_json_first(v);
        depth++;
        continue;
      }
      if (leave != NULL && (rc = leave(ud, v, depth)) != 0)
        return rc;
    }
    while (v != root && is_last(v)) {
      v = ng_json_parent(v);
      depth--;
      if (leave != NULL && (rc = leave(ud, v, depth)) != 0)
        return rc;
    }
    if (v == root)
      return NG_OK;
    v = ng_json_next(v);
  }
}
