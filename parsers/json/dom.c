/*
 * parsers/json/dom.c - the document, node constructors and every read-side
 * DOM operation: size/at/get, JSON Pointer, equality, deep copy, walk.
 *
 * Depth safety: no function here recurses. A subtree is walked in document
 * order with the nodes' own links: descend to `head`, follow `link` to the
 * next sibling, and from a last child (NG_JSON__LAST) follow `link` up to
 * its container; the walk ends when it climbs back to the subtree's root.
 * Machine stack use is O(1) and there is no heap side stack either, so a
 * 10,000,000-deep document costs exactly what a flat one of the same size
 * does.
 */
#include <math.h>
#include <string.h>

#include "../common/tree.h"
#include "internal.h"
#include "dom.h"

/* The layout json.h promises: 24 bytes on LP64, and keys placed before
 * their node keep it aligned. */
_Static_assert(sizeof(void *) != 8 || sizeof(ng_json_value) == 24,
               "ng_json_value is 24 bytes on 64-bit targets");
_Static_assert(_Alignof(ng_json_value) <= 8, "NG_JSON__KEYSPAN aligns nodes");

/* Is v the last child of its container (or a root)? */
static bool is_last(const ng_json_value *v) {
  return (v->flags & NG_JSON__LAST) != 0;
}

/* ------------------------------------------------------------ document */

ng_json_doc *ng__json_doc_new(const ng_alloc *alc, size_t max_memory) {
  return ng__doc_new(sizeof(ng_json_doc), alc, max_memory);
}

ng_json_value *ng_json_doc_root(const ng_json_doc *doc) {
  return doc != NULL ? doc->root : NULL;
}

/* The doc struct plus every arena chunk. */
size_t ng_json_doc_memory(const ng_json_doc *doc) {
  return doc != NULL ? ng__doc_memory(&doc->base) : 0;
}

/* O(chunks): nodes are never visited. */
void ng_json_doc_free(ng_json_doc *doc) {
  if (doc != NULL)
    ng__doc_free(&doc->base);
}

/* --------------------------------------------------------- constructors */

ng_json_value *ng__json_node(ng_json_doc *doc, ng_json_type type) {
  ng_json_value *v =
      ng_arena_alloc(&doc->base.arena, sizeof *v, _Alignof(ng_json_value));

  if (v == NULL)
    return NULL;
  memset(v, 0, sizeof *v);
  v->type = (uint8_t)type;
  v->flags = NG_JSON__LAST; /* a root until appended */
  return v;
}

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

ng_json_value *ng__json_new_null(ng_json_doc *doc) {
  return ng__json_node(doc, NG_JSON_NULL);
}

ng_json_value *ng__json_new_bool(ng_json_doc *doc, bool b) {
  ng_json_value *v = ng__json_node(doc, NG_JSON_BOOL);

  if (v != NULL)
    v->as.b = b;
  return v;
}

ng_json_value *ng__json_new_int(ng_json_doc *doc, int64_t i) {
  ng_json_value *v = ng__json_node(doc, NG_JSON_INT);

  if (v != NULL)
    v->as.i = i;
  return v;
}

ng_json_value *ng__json_new_uint(ng_json_doc *doc, uint64_t u) {
  ng_json_value *v = ng__json_node(doc, NG_JSON_UINT);

  if (v != NULL)
    v->as.u = u;
  return v;
}

ng_json_value *ng__json_new_double(ng_json_doc *doc, double d) {
  ng_json_value *v = ng__json_node(doc, NG_JSON_DOUBLE);

  if (v != NULL)
    v->as.d = d;
  return v;
}

ng_json_value *ng__json_new_string(ng_json_doc *doc, const char *s,
                                   size_t len) {
  ng_json_value *v;
  char *p;

  if (len > UINT32_MAX) {
    doc->base.arena.err = NG_ESTRLIMIT; /* json.h: strings are under 4 GiB */
    return NULL;
  }
  v = ng__json_node(doc, NG_JSON_STRING);
  if (v == NULL)
    return NULL;
  p = ng__json_strdup(doc, s, len);
  if (p == NULL)
    return NULL; /* the node stays in the arena, unreachable: harmless */
  v->as.s = p;
  v->len = (uint32_t)len;
  return v;
}

ng_json_value *ng__json_member(ng_json_doc *doc, ng_json_type type,
                               const char *key, size_t len) {
  ng_json_value *v;
  uint32_t klen = (uint32_t)len;
  char *p;

  if (len > UINT32_MAX) {
    doc->base.arena.err = NG_ESTRLIMIT; /* json.h: keys are shorter than 4 GiB */
    return NULL;
  }
  p = ng_arena_alloc(&doc->base.arena, NG_JSON__KEYSPAN(len) + sizeof *v, 8);
  if (p == NULL)
    return NULL;
  if (len != 0)
    memcpy(p, key, len);
  p[len] = '\0';
  v = (ng_json_value *)(void *)(p + NG_JSON__KEYSPAN(len));
  memcpy((char *)v - sizeof klen, &klen, sizeof klen); /* json.h */
  memset(v, 0, sizeof *v);
  v->type = (uint8_t)type;
  v->flags = NG_JSON__LAST | NG_JSON__KEY;
  return v;
}

ng_json_value *ng__json_with_key(ng_json_doc *doc, const ng_json_value *v,
                                 const char *key, size_t len) {
  ng_json_value *m = ng__json_member(doc, (ng_json_type)v->type, key, len);

  if (m != NULL) {
    m->as = v->as;
    m->len = v->len;
  }
  return m;
}

/* ------------------------------------------------------------ accessors */

static bool is_container(const ng_json_value *v) {
  return v->type == NG_JSON_ARRAY || v->type == NG_JSON_OBJECT;
}

ng_json_value *ng_json_parent(const ng_json_value *v) {
  if (v == NULL)
    return NULL;
  while (!is_last(v))
    v = v->link;
  return v->link;
}

size_t ng_json_size(const ng_json_value *v) {
  if (v == NULL || !is_container(v))
    return 0;
  return v->len;
}

ng_json_value *ng_json_at(const ng_json_value *v, size_t i) {
  ng_json_value *c;

  if (v == NULL || !is_container(v) || i >= v->len)
    return NULL;
  for (c = v->as.head; c != NULL && i != 0; c = ng_json_next(c))
    i--;
  return c;
}

ng_json_value *ng_json_get(const ng_json_value *v, const char *key,
                           size_t len) {
  ng_json_value *c;

  if (v == NULL || v->type != NG_JSON_OBJECT || (key == NULL && len != 0))
    return NULL;
  for (c = v->as.head; c != NULL; c = ng_json_next(c)) {
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
  for (c = v->as.head; c != NULL; c = ng_json_next(c)) {
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

/* Compares what a node holds itself: type, scalar value, child count. */
static bool node_equal(const ng_json_value *a, const ng_json_value *b) {
  if (a->type != b->type)
    return false;
  switch (a->type) {
  case NG_JSON_BOOL:
    return a->as.b == b->as.b;
  case NG_JSON_INT:
    return a->as.i == b->as.i;
  case NG_JSON_UINT:
    return a->as.u == b->as.u;
  case NG_JSON_DOUBLE:
    return double_same(a->as.d, b->as.d);
  case NG_JSON_STRING:
    return a->len == b->len &&
           (a->len == 0 || memcmp(a->as.s, b->as.s, a->len) == 0);
  case NG_JSON_ARRAY:
  case NG_JSON_OBJECT:
    return a->len == b->len;
  default:
    return true; /* NG_JSON_NULL */
  }
}

static bool key_equal(const ng_json_value *a, const ng_json_value *b) {
  size_t na, nb;
  const char *ka = ng_json_key(a, &na), *kb = ng_json_key(b, &nb);

  if ((a->flags ^ b->flags) & NG_JSON__KEY || na != nb)
    return false;
  return na == 0 || memcmp(ka, kb, na) == 0;
}

/*
 * Lock-step walk of both trees. Keys are compared for members of objects
 * only (the roots' own keys are not part of their value). A shared node
 * (x == y) is equal to itself without a visit.
 */
bool ng_json_equal(const ng_json_value *a, const ng_json_value *b) {
  const ng_json_value *x = a, *y = b;

  if (a == NULL || b == NULL)
    return a == b;
  for (;;) {
    if (!node_equal(x, y))
      return false;
    if (x != a && ((x->flags | y->flags) & NG_JSON__KEY) && !key_equal(x, y))
      return false; /* members of objects: only they have keys */
    if (x != y && is_container(x) && x->as.head != NULL) {
      if (y->as.head == NULL)
        return false;
      x = x->as.head;
      y = y->as.head;
      continue;
    }
    while (x != a && is_last(x)) {
      if (!is_last(y))
        return false;
      x = x->link;
      y = y->link;
    }
    if (x == a)
      return true;
    if (is_last(y))
      return false;
    x = x->link;
    y = y->link;
  }
}

/* ----------------------------------------------------------------- copy */

/* A detached copy of x's own content (type, scalar, string), with x's key
 * when `member`; containers come back empty. */
static ng_json_value *copy_node(ng_json_doc *doc, const ng_json_value *x,
                                bool member) {
  ng_json_value *n;
  size_t klen;
  const char *key = member ? ng_json_key(x, &klen) : NULL;
  char *p;

  n = key != NULL ? ng__json_member(doc, (ng_json_type)x->type, key, klen)
                  : ng__json_node(doc, (ng_json_type)x->type);
  if (n == NULL || is_container(x))
    return n;
  if (x->type != NG_JSON_STRING) {
    n->as = x->as;
    return n;
  }
  p = ng__json_strdup(doc, x->as.s, x->len);
  if (p == NULL)
    return NULL; /* the node stays in the arena, unreachable: harmless */
  n->as.s = p;
  n->len = x->len;
  return n;
}

/*
 * Preorder walk of the source; `dp` is the copy of the current source
 * node's container and `last` its last child so far, so climbing one level
 * in the source climbs one in the copy (an open container is the last
 * child of its own container, so its link leads up). Any failure frees the
 * whole new document at once.
 */
int ng_json_copy(const ng_json_value *v, const ng_alloc *alc,
                 ng_json_doc **out) {
  const ng_json_value *x = v;
  ng_json_value *dp = NULL, *last = NULL, *n;
  ng_json_doc *doc;
  int rc;

  if (out == NULL)
    return NG_EINVAL;
  *out = NULL;
  if (v == NULL)
    return NG_EINVAL;
  doc = ng__json_doc_new(alc, 0);
  if (doc == NULL)
    return NG_ENOMEM;
  for (;;) {
    n = copy_node(doc, x, x != v); /* the copy's root has no key */
    if (n == NULL)
      goto fail_alloc;
    if (dp == NULL)
      doc->root = n;
    else
      ng__json_append(dp, &last, n);
    if (is_container(x) && x->as.head != NULL) {
      dp = n;
      last = NULL;
      x = x->as.head;
      continue;
    }
    while (x != v && is_last(x)) {
      x = x->link;
      last = dp;
      dp = dp->link;
    }
    if (x == v)
      break;
    x = x->link;
  }
  *out = doc;
  return NG_OK;

fail_alloc:
  rc = ng__json_doc_err(doc);
  ng_json_doc_free(doc);
  return rc;
}

/* ----------------------------------------------------------------- walk */

NG__TREE_WALK(ng_json_walk, ng_json_value, ng_json_visit, is_container, is_last)
