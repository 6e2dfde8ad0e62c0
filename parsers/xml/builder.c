/*
 * parsers/xml/builder.c - the slow paths of the XML DOM builder: name and
 * URI interning, attributes, merged text, comments, PIs, the doctype.
 *
 * Interning: one open-addressing table (heap, through the builder's
 * allocator) over records in the document's arena. A record is an
 * ng_xml_qname followed by its name's bytes. URIs are records too, marked
 * with local == NG__XML_URI_REC, so a name record refers to its URI by the
 * interned pointer and the key of a name is (bytes, local, URI pointer).
 * The table lives only while building; the records stay with the nodes.
 */
#include <string.h>

#include "../common/bytes.h"
#include "builder.h"

/* `local` of a record that holds a namespace URI rather than a name. */
#define NG__XML_URI_REC UINT32_MAX

/* First capacities of the name table, the text buffer and the pieces. */
#define NG__XML_NAMES_FIRST 64
#define NG__XML_PEND_FIRST 256
#define NG__XML_PIECES_FIRST 16

unsigned ng__xml_build_flags(unsigned opt_flags) {
  return (opt_flags & NG_XML_KEEP_CDATA ? NG__XML_BUILD_CDATA : 0) |
         (opt_flags & NG_XML_NAMESPACES ? NG__XML_BUILD_NS : 0);
}

void ng__xml_builder_init(ng__xml_builder *b, ng_xml_doc *doc, unsigned flags,
                          const ng_alloc *alc) {
  memset(b, 0, sizeof *b);
  b->doc = doc;
  b->cur = &doc->node;
  b->attrs = b->attr_inline;
  b->attrcap = NG__XML_ATTR_INLINE;
  b->flags = flags;
  b->alc = alc;
}

void ng__xml_builder_free(ng__xml_builder *b) {
  if (b->attrs != b->attr_inline)
    ng__free(b->alc, b->attrs, b->attrcap * sizeof *b->attrs);
  if (b->pend != NULL)
    ng__free(b->alc, b->pend, b->pend_cap);
  if (b->pieces != NULL)
    ng__free(b->alc, b->pieces, b->piececap * sizeof *b->pieces);
  b->pieces = NULL;
  if (b->names.slot != NULL)
    ng__free(b->alc, b->names.slot, b->names.cap * sizeof *b->names.slot);
  b->attrs = b->attr_inline;
  b->pend = NULL;
  b->names.slot = NULL;
}

/* ------------------------------------------------------------ interning */

static size_t name_hash(const char *s, size_t n, uint32_t local,
                        const char *uri) {
  uint64_t h = 0xcbf29ce484222325u ^ (uint64_t)(uintptr_t)uri ^
               (uint64_t)local * 0x9E3779B97F4A7C15u;
  size_t i;

  for (i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 0x100000001B3u;
  return (size_t)(h ^ (h >> 29));
}

/* The slot holding the record keyed (s[0..n), local, uri), or the empty
 * slot where it belongs. The table has at least one empty slot. */
static ng_xml_qname **names_slot(const ng__xml_names *t, const char *s,
                                 size_t n, uint32_t local, const char *uri) {
  size_t mask = t->cap - 1, i = name_hash(s, n, local, uri) & mask;
  ng_xml_qname *q;

  for (; (q = t->slot[i]) != NULL; i = (i + 1) & mask)
    if (q->len == n && q->local == local && q->uri == uri &&
        (n == 0 || memcmp(q->name, s, n) == 0))
      return &t->slot[i];
  return &t->slot[i];
}

/* Makes room for one more record (load at most 1/2). NG_OK or NG_ENOMEM. */
static int names_reserve(ng__xml_builder *b) {
  ng__xml_names *t = &b->names;
  ng_xml_qname **old = t->slot, *q;
  size_t i, cap, old_cap = t->cap;

  if ((t->n + 1) * 2 <= t->cap)
    return NG_OK;
  cap = old_cap == 0 ? NG__XML_NAMES_FIRST : old_cap * 2;
  if (cap > SIZE_MAX / 2 / sizeof *old)
    return NG_ENOMEM;
  t->slot = ng__malloc(b->alc, cap * sizeof *old);
  if (t->slot == NULL) {
    t->slot = old;
    return NG_ENOMEM;
  }
  memset(t->slot, 0, cap * sizeof *old);
  t->cap = cap;
  for (i = 0; i < old_cap; i++) {
    if ((q = old[i]) != NULL)
      *names_slot(t, q->name, q->len, q->local, q->uri) = q;
  }
  if (old != NULL)
    ng__free(b->alc, old, old_cap * sizeof *old);
  return NG_OK;
}

/* Copies s[0..n) to d: up to 16 bytes without a call (attribute values
 * are mostly that short), else memcpy. */
NG_INLINE void copy_bytes(char *d, const char *s, size_t n) {
  if (n > 16)
    memcpy(d, s, n);
  else
    ng__bytes_short(d, s, n);
}

/* Copies s[0..n) into the arena with a NUL; NULL on failure. */
NG_INLINE char *arena_str(ng_xml_doc *doc, const char *s, size_t n) {
  char *p = ng_arena_alloc(ng__xml_arena(doc), n + 1, 1);

  if (p == NULL)
    return NULL;
  copy_bytes(p, s, n);
  p[n] = '\0';
  return p;
}

/*
 * The record for name s[0..n) with its local part at `local` (or
 * NG__XML_URI_REC: a URI) in namespace record u (NULL: none), made on
 * first sight. n is below 4 GiB.
 */
static int intern(ng__xml_builder *b, const char *s, size_t n, uint32_t local,
                  const ng_xml_qname *u, const ng_xml_qname **out) {
  const char *uri = u != NULL ? u->name : NULL;
  ng_xml_qname **slot, *q;
  int rc;

  if ((rc = names_reserve(b)) != NG_OK)
    return rc;
  slot = names_slot(&b->names, s, n, local, uri);
  if (*slot != NULL) {
    *out = *slot;
    return NG_OK;
  }
  q = ng_arena_alloc(ng__xml_arena(b->doc), sizeof *q + n + 1,
                     _Alignof(ng_xml_qname));
  if (q == NULL)
    return ng__xml_doc_err(b->doc);
  q->name = (char *)(q + 1);
  if (n != 0)
    memcpy(q + 1, s, n);
  ((char *)(q + 1))[n] = '\0';
  q->uri = uri;
  q->len = (uint32_t)n;
  q->local = local;
  q->uri_len = u != NULL ? u->len : 0;
  q->reserved = 0;
  *slot = q;
  b->names.n++;
  *out = q;
  return NG_OK;
}

/* The URI record of uri[0..ulen), or NULL for none (uri NULL or ""). */
static int intern_uri(ng__xml_builder *b, const char *uri, size_t ulen,
                      const ng_xml_qname **out) {
  const ng_xml_qname *u = b->lastu;
  int rc;

  *out = NULL;
  if (uri == NULL || ulen == 0)
    return NG_OK;
  if (ulen > UINT32_MAX)
    return NG_ESTRLIMIT;
  if (u != NULL && u->len == ulen && memcmp(u->name, uri, ulen) == 0) {
    *out = u;
    return NG_OK;
  }
  if ((rc = intern(b, uri, ulen, NG__XML_URI_REC, NULL, out)) == NG_OK)
    b->lastu = *out;
  return rc;
}

/* Where the local name of name[0..len) starts: after the first ':' when
 * namespaces are on and the colon splits it in two, else 0. A name of
 * 4 GiB or more is not read (intern_name refuses it). */
static uint32_t local_of(const ng__xml_builder *b, const char *name,
                         size_t len) {
  const char *c;

  if (!(b->flags & NG__XML_BUILD_NS) || len < 3 || len > UINT32_MAX)
    return 0;
  c = memchr(name, ':', len);
  if (c == NULL || c == name || c == name + len - 1)
    return 0;
  return (uint32_t)(c - name) + 1;
}

/* The record of name[0..len) (local part at `local`) in uri[0..ulen). */
static int intern_name(ng__xml_builder *b, const char *name, size_t len,
                       uint32_t local, const char *uri, size_t ulen,
                       const ng_xml_qname **out) {
  const ng_xml_qname *u;
  int rc;

  if (len > UINT32_MAX)
    return NG_ESTRLIMIT;
  if ((rc = intern_uri(b, uri, ulen, &u)) != NG_OK)
    return rc;
  return intern(b, name, len, local, u, out);
}

/* The cache slot of name[0..len) (len > 0): its length and first and last
 * four bytes (or three of its bytes when shorter), mixed by a
 * multiplication. */
static size_t cache_slot(const char *name, size_t len) {
  const unsigned char *u = (const unsigned char *)name;
  uint32_t a, b = 0;
  uint64_t x;

  if (len >= 4) {
    memcpy(&a, u, 4);
    memcpy(&b, u + len - 4, 4);
  } else {
    a = (uint32_t)u[0] | (uint32_t)u[len / 2] << 8 | (uint32_t)u[len - 1] << 16;
  }
  x = ((uint64_t)a | (uint64_t)b << 32) ^ len;
  return (size_t)((x * 0x9E3779B97F4A7C15u) >> 57) & (NG__XML_NAME_CACHE - 1);
}

/* Do the n bytes at a and b agree? Four bytes at a time, the last four
 * overlapping (names are short: no call). */
static int same_bytes(const char *a, const char *b, size_t n) {
  uint32_t u, v;

  if (n >= 4) {
    for (; n > 4; n -= 4, a += 4, b += 4) {
      memcpy(&u, a, 4);
      memcpy(&v, b, 4);
      if (u != v)
        return 0;
    }
    memcpy(&u, a + n - 4, 4);
    memcpy(&v, b + n - 4, 4);
    return u == v;
  }
  for (; n != 0; n--)
    if (*a++ != *b++)
      return 0;
  return 1;
}

/*
 * intern_name for a name without a namespace URI, through a direct-mapped
 * cache: the same few element and attribute names recur tag after tag, and
 * a hit costs one comparison instead of a hash over the name and a probe.
 */
NG_INLINE int intern_cached(ng__xml_builder *b, const char *name, size_t len,
                            const ng_xml_qname **out) {
  uint32_t local = b->flags & NG__XML_BUILD_NS ? local_of(b, name, len) : 0;
  size_t i;
  const ng_xml_qname *q;
  int rc;

  if (len == 0 || len > UINT32_MAX)
    return intern_name(b, name, len, local, NULL, 0, out);
  i = cache_slot(name, len);
  q = b->ncache[i];
  if (q != NULL && q->len == len && q->local == local && q->uri == NULL &&
      same_bytes(q->name, name, len)) {
    *out = q;
    return NG_OK;
  }
  if ((rc = intern_name(b, name, len, local, NULL, 0, out)) == NG_OK)
    b->ncache[i] = *out;
  return rc;
}

/* ----------------------------------------------------------------- text */

/* Copies the pieces, in order, to d. */
static void join_pieces(const ng__xml_builder *b, char *d) {
  const char *heap = b->pend;
  size_t i;

  for (i = 0; i < b->npieces; i++) {
    const ng__xml_piece *c = &b->pieces[i];
    if (c->s == NULL) {
      memcpy(d, heap, c->len);
      heap += c->len;
    } else if (c->len != 0 && c->s != d) { /* else already in place */
      memcpy(d, c->s, c->len);
    }
    d += c->len;
  }
}

/*
 * The pieces become b->text's text. The node has room for the first piece
 * and a NUL right after it (the piece is there already, or deferred):
 * the rest extends it in place when nothing follows in the arena, else
 * the whole text goes to a new block.
 */
static int join_text(ng__xml_builder *b) {
  ng_arena *a = ng__xml_arena(b->doc);
  ng_xml_node *t = b->text;
  char *s = (char *)(t + 1);
  size_t rest = b->run_len - b->pieces[0].len;

  if (rest != 0 && a->cur == s + b->pieces[0].len + 1 &&
      rest <= (size_t)(a->end - a->cur)) {
    ng_arena_alloc(a, rest, 1); /* right after the NUL: grow in place */
  } else if (rest != 0) {
    s = ng_arena_alloc(a, b->run_len + 1, 1);
    if (s == NULL)
      return ng__xml_doc_err(b->doc);
  }
  join_pieces(b, s);
  s[b->run_len] = '\0';
  t->as.s = s;
  t->len = (uint32_t)b->run_len;
  return NG_OK;
}

/* The merged text becomes b->text's text; merging stops. */
static int close_text(ng__xml_builder *b) {
  int rc = NG_OK;

  if (b->pending) {
    rc = join_text(b);
    b->pending = 0;
    b->pend_len = 0;
    b->npieces = 0;
  }
  b->text = NULL;
  return rc;
}

/* Appends data[0..len) to the heap text buffer, growing it. */
static int pend_put(ng__xml_builder *b, const char *data, size_t len) {
  size_t need = b->pend_len + len, cap = b->pend_cap;
  char *p;

  if (need > cap) {
    cap = cap < NG__XML_PEND_FIRST ? NG__XML_PEND_FIRST : cap;
    while (cap < need)
      cap *= 2; /* need < 4 GiB: no overflow */
    p = b->pend == NULL ? ng__malloc(b->alc, cap)
                        : ng__realloc(b->alc, b->pend, b->pend_cap, cap);
    if (p == NULL)
      return NG_ENOMEM;
    b->pend = p;
    b->pend_cap = cap;
  }
  memcpy(b->pend + b->pend_len, data, len);
  b->pend_len = need;
  return NG_OK;
}

/* Adds piece data[0..len) (data NULL: the bytes just put in the heap
 * buffer), joining it to the last piece when both are in the heap. */
static int add_piece(ng__xml_builder *b, const char *data, size_t len) {
  ng__xml_piece *p = b->pieces;
  size_t cap = b->piececap;

  b->run_len += len;
  if (data == NULL && b->npieces != 0 && p[b->npieces - 1].s == NULL) {
    p[b->npieces - 1].len += len;
    return NG_OK;
  }
  if (b->npieces == cap) {
    cap = cap == 0 ? NG__XML_PIECES_FIRST : cap * 2;
    if (cap > SIZE_MAX / sizeof *p)
      return NG_ENOMEM;
    p = p == NULL ? ng__malloc(b->alc, cap * sizeof *p)
                  : ng__realloc(b->alc, p, b->piececap * sizeof *p,
                                cap * sizeof *p);
    if (p == NULL)
      return NG_ENOMEM;
    b->pieces = p;
    b->piececap = cap;
  }
  p[b->npieces++] = (ng__xml_piece){data, len};
  return NG_OK;
}

/*
 * Adds data[0..len) to the open text node t: in place while nothing
 * follows its text in the arena (the text sits right after its node until
 * then) and the data is not kept, otherwise as a piece until close_text.
 */
static int merge_text(ng__xml_builder *b, const char *data, size_t len,
                      int kept) {
  ng_xml_node *t = b->text;
  size_t have = b->pending ? b->run_len : t->len;
  size_t max = b->doc->max_memory;
  char *s = (char *)(t + 1), *p;
  int rc;

  if (len == 0)
    return NG_OK;
  if (len > UINT32_MAX - have)
    return NG_ESTRLIMIT;
  if (max != 0 && have + len > max)
    return NG_EMEMLIMIT; /* it could never fit: fail before the heap grows */
  if (!b->pending) {
    if (!kept) {
      p = ng_arena_alloc(ng__xml_arena(b->doc), len, 1);
      if (p == NULL)
        return ng__xml_doc_err(b->doc);
      if (p == s + t->len + 1) { /* right after the NUL: grow in place */
        memcpy(s + t->len, data, len);
        t->len += (uint32_t)len;
        s[t->len] = '\0';
        return NG_OK;
      }
    }
    b->run_len = 0; /* a new chunk or kept data: the text becomes pieces */
    if ((rc = add_piece(b, s, t->len)) != NG_OK)
      return rc;
    b->pending = 1;
  }
  if (kept)
    return add_piece(b, data, len);
  if ((rc = pend_put(b, data, len)) != NG_OK)
    return rc;
  return add_piece(b, NULL, len);
}

/* A long kept text starts a run: its node and room now, its bytes as the
 * first piece, copied by close_text (never, if the parse fails first). */
static int defer_text(ng__xml_builder *b, const char *data, size_t len) {
  ng_xml_node *t = ng__xml_text_node(b, len, NG_XML_TEXT);
  int rc;

  if (t == NULL)
    return ng__xml_doc_err(b->doc);
  b->text = t;
  b->run_len = 0;
  if ((rc = add_piece(b, data, len)) != NG_OK)
    return rc;
  b->pending = 1;
  return NG_OK;
}

int ng__xml_build_text_slow(ng__xml_builder *b, const char *data, size_t len,
                            int is_cdata, int kept) {
  int apart = is_cdata && (b->flags & NG__XML_BUILD_CDATA);
  int rc;

  if (len > UINT32_MAX)
    return NG_ESTRLIMIT;
  if (b->text != NULL && !apart)
    return merge_text(b, data, len, kept);
  if ((rc = close_text(b)) != NG_OK)
    return rc;
  if (kept && !apart && len >= NG__XML_DEFER_TEXT)
    return defer_text(b, data, len);
  return ng__xml_build_text(b, data, len, is_cdata); /* b->text is NULL */
}

/* ------------------------------------------------------------- elements */

int ng__xml_build_start_slow(ng__xml_builder *b, const char *name, size_t len,
                             const char *uri, size_t ulen) {
  const ng_xml_qname *q;
  int rc;

  if ((rc = close_text(b)) != NG_OK)
    return rc;
  rc = uri == NULL || ulen == 0
           ? intern_cached(b, name, len, &q)
           : intern_name(b, name, len, local_of(b, name, len), uri, ulen, &q);
  if (rc != NG_OK)
    return rc;
  b->lastq = b->ename = q;
  b->nattrs = 0;
  return NG_OK;
}

int ng__xml_build_start_q(ng__xml_builder *b, const ng_xml_qname *q) {
  const ng_xml_qname *c = b->lastq;
  int rc;

  if ((rc = close_text(b)) != NG_OK)
    return rc;
  b->nattrs = 0;
  if (c != NULL && ng__xml_qname_equal(c, q)) { /* local included */
    b->ename = c;
    return NG_OK;
  }
  rc = intern_name(b, q->name, q->len, q->local, q->uri, q->uri_len, &c);
  if (rc != NG_OK)
    return rc;
  b->lastq = b->ename = c;
  return NG_OK;
}

/* Room for one more attribute in the start tag's array. */
static int attrs_reserve(ng__xml_builder *b) {
  size_t cap = b->attrcap * 2, size;
  ng_xml_attr *p;

  if (b->nattrs < b->attrcap)
    return NG_OK;
  if (b->nattrs >= UINT32_MAX)
    return NG_EMEMLIMIT; /* xml.h: an element's count is 32-bit */
  if (ng__size_mul(cap, sizeof *p, &size) != NG_OK)
    return NG_ENOMEM;
  if (b->attrs == b->attr_inline) {
    p = ng__malloc(b->alc, size);
    if (p != NULL)
      memcpy(p, b->attrs, b->nattrs * sizeof *p);
  } else {
    p = ng__realloc(b->alc, b->attrs, b->attrcap * sizeof *p, size);
  }
  if (p == NULL)
    return NG_ENOMEM;
  b->attrs = p;
  b->attrcap = cap;
  return NG_OK;
}

/* Adds attribute q = value[0..vlen) to the start tag. */
static int add_attr(ng__xml_builder *b, const ng_xml_qname *q,
                    const char *value, size_t vlen) {
  ng_xml_attr *a;
  char *v;
  int rc;

  if (vlen > UINT32_MAX)
    return NG_ESTRLIMIT;
  if (b->nattrs == b->attrcap && (rc = attrs_reserve(b)) != NG_OK)
    return rc;
  if ((v = arena_str(b->doc, value, vlen)) == NULL)
    return ng__xml_doc_err(b->doc);
  a = &b->attrs[b->nattrs++];
  a->name = q;
  a->value = v;
  a->len = (uint32_t)vlen;
  a->reserved = 0;
  return NG_OK;
}

int ng__xml_build_attr(ng__xml_builder *b, const char *name, size_t nlen,
                       const char *value, size_t vlen, const char *uri,
                       size_t ulen) {
  const ng_xml_qname *q;
  int rc;

  rc = uri == NULL || ulen == 0
           ? intern_cached(b, name, nlen, &q)
           : intern_name(b, name, nlen, local_of(b, name, nlen), uri, ulen,
                         &q);
  if (rc != NG_OK)
    return rc;
  return add_attr(b, q, value, vlen);
}

int ng__xml_build_attr_q(ng__xml_builder *b, const ng_xml_qname *q,
                         const char *value, size_t vlen) {
  const ng_xml_qname *c;
  int rc;

  rc = intern_name(b, q->name, q->len, q->local, q->uri, q->uri_len, &c);
  if (rc != NG_OK)
    return rc;
  return add_attr(b, c, value, vlen);
}

/* An element with attributes: [attrs][element] in one arena block. */
int ng__xml_build_start_done_slow(ng__xml_builder *b) {
  size_t n = b->nattrs, abytes, size;
  char *p;

  if (ng__size_mul(n, sizeof(ng_xml_attr), &abytes) != NG_OK ||
      ng__size_add(abytes, sizeof(ng__xml_named), &size) != NG_OK)
    return NG_ENOMEM;
  p = ng_arena_alloc(ng__xml_arena(b->doc), size, _Alignof(ng__xml_named));
  if (p == NULL)
    return ng__xml_doc_err(b->doc);
  memcpy(p, b->attrs, abytes);
  ng__xml_open(b, (ng__xml_named *)(void *)(p + abytes), n);
  b->nattrs = 0;
  return NG_OK;
}

int ng__xml_build_end_slow(ng__xml_builder *b) {
  int rc = close_text(b);

  if (rc != NG_OK)
    return rc;
  return ng__xml_build_end(b); /* not pending now: the fast path */
}

/* ------------------------------------------------- comment, PI, doctype */

/*
 * A leaf of `size` bytes (an ng_xml_node, or the ng__xml_named of a PI)
 * with its data data[0..len) and a NUL right after it, zeroed but for
 * type, flags, len and as.s, and linked as the last child of the open
 * element. NULL when the arena fails (its error says why).
 */
static ng_xml_node *new_leaf(ng__xml_builder *b, size_t size, int type,
                             const char *data, size_t len) {
  char *p = ng_arena_alloc(ng__xml_arena(b->doc), size + len + 1,
                           _Alignof(ng__xml_named));
  ng_xml_node *n = (ng_xml_node *)(void *)p;

  if (p == NULL)
    return NULL;
  memset(p, 0, size);
  if (len != 0)
    memcpy(p + size, data, len);
  p[size + len] = '\0';
  n->type = (uint8_t)type;
  n->flags = NG_XML__LAST;
  n->len = (uint32_t)len;
  n->as.s = p + size;
  ng__xml_append(b->cur, &b->last, n);
  return n;
}

int ng__xml_build_comment(ng__xml_builder *b, const char *data, size_t len) {
  int rc;

  if ((rc = close_text(b)) != NG_OK)
    return rc;
  if (len > UINT32_MAX)
    return NG_ESTRLIMIT;
  if (new_leaf(b, sizeof(ng_xml_node), NG_XML_COMMENT, data, len) == NULL)
    return ng__xml_doc_err(b->doc);
  return NG_OK;
}

int ng__xml_build_pi(ng__xml_builder *b, const char *target, size_t tlen,
                     const char *data, size_t dlen) {
  const ng_xml_qname *q;
  ng_xml_node *pi;
  int rc;

  if ((rc = close_text(b)) != NG_OK)
    return rc;
  if (dlen > UINT32_MAX)
    return NG_ESTRLIMIT;
  if ((rc = intern_name(b, target, tlen, 0, NULL, 0, &q)) != NG_OK)
    return rc;
  pi = new_leaf(b, sizeof(ng__xml_named), NG_XML_PI, data, dlen);
  if (pi == NULL)
    return ng__xml_doc_err(b->doc);
  ((ng__xml_named *)(void *)pi)->name = q;
  return NG_OK;
}

/* Copies an optional id: NULL stays NULL. */
static int opt_str(ng_xml_doc *doc, const char *s, size_t n, const char **out,
                   uint32_t *len) {
  *out = NULL;
  *len = 0;
  if (s == NULL)
    return NG_OK;
  if ((*out = arena_str(doc, s, n)) == NULL)
    return ng__xml_doc_err(doc);
  *len = (uint32_t)n;
  return NG_OK;
}

int ng__xml_build_doctype(ng__xml_builder *b, const char *name, size_t nlen,
                          const char *pubid, size_t plen, const char *sysid,
                          size_t slen) {
  ng__xml_doctype *dt;
  char *s;
  int rc;

  if ((rc = close_text(b)) != NG_OK)
    return rc;
  if (nlen > UINT32_MAX || (pubid != NULL && plen > UINT32_MAX) ||
      (sysid != NULL && slen > UINT32_MAX))
    return NG_ESTRLIMIT;
  dt = ng_arena_alloc(ng__xml_arena(b->doc), sizeof *dt,
                      _Alignof(ng__xml_doctype));
  if (dt == NULL || (s = arena_str(b->doc, name, nlen)) == NULL)
    return ng__xml_doc_err(b->doc);
  memset(dt, 0, sizeof *dt);
  if ((rc = opt_str(b->doc, pubid, plen, &dt->pubid, &dt->pub_len)) != NG_OK ||
      (rc = opt_str(b->doc, sysid, slen, &dt->sysid, &dt->sys_len)) != NG_OK)
    return rc;
  dt->node.type = NG_XML_DOCTYPE;
  dt->node.flags = NG_XML__LAST;
  dt->node.len = (uint32_t)nlen;
  dt->node.as.s = s;
  ng__xml_append(b->cur, &b->last, &dt->node);
  if (b->doc->doctype == NULL)
    b->doc->doctype = &dt->node;
  return NG_OK;
}

int ng__xml_build_finish(ng__xml_builder *b) { return close_text(b); }
