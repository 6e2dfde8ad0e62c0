/*
 * parsers/xml/dom.c - the XML document and every read-side DOM operation:
 * accessors, attribute lookup, text content, equality, walk, deep copy.
 *
 * Depth safety: no function here recurses. A subtree is walked in
 * document order with the nodes' own links: descend to `head`, follow
 * `link` to the next sibling, and from a last child (NG_XML__LAST) follow
 * `link` up to its parent; the walk ends when it climbs back to the node
 * it started from. Machine stack is O(1) and there is no heap side stack,
 * so a 10,000,000-deep document costs what a flat one of as many nodes
 * does. Copy replays the source as builder events (builder.h), whose
 * cursor climbs in step.
 */
#include <string.h>

#include "../common/tree.h"
#include "internal.h"
#include "builder.h"
#include "dom.h"

/* The sizes xml.h and docs/xml_dom.md promise on 64-bit targets, and the
 * alignment that lets attributes sit right before their element. */
_Static_assert(sizeof(void *) != 8 || sizeof(ng_xml_node) == 24,
               "TEXT, CDATA, COMMENT nodes are 24 bytes");
_Static_assert(sizeof(void *) != 8 || sizeof(ng__xml_named) == 32,
               "ELEMENT and PI nodes are 32 bytes");
_Static_assert(sizeof(void *) != 8 || sizeof(ng__xml_doctype) == 48,
               "DOCTYPE nodes are 48 bytes");
_Static_assert(sizeof(void *) != 8 || sizeof(ng_xml_attr) == 24,
               "attributes are 24 bytes");
_Static_assert(sizeof(void *) != 8 || sizeof(ng_xml_qname) == 32,
               "interned names are 32 bytes");
_Static_assert(sizeof(ng_xml_attr) % _Alignof(ng__xml_named) == 0,
               "an attribute array keeps its element aligned");

/* ------------------------------------------------------------ document */

ng_xml_doc *ng__xml_doc_new(const ng_alloc *alc, size_t max_memory) {
  ng_xml_doc *doc = ng__doc_new(sizeof *doc, alc, max_memory);

  if (doc == NULL)
    return NULL;
  doc->node.type = NG_XML_DOCUMENT; /* the rest is zero: no children */
  doc->node.flags = NG_XML__LAST;
  doc->max_memory = max_memory;
  return doc;
}

ng_xml_node *ng_xml_doc_node(const ng_xml_doc *doc) {
  return doc != NULL ? (ng_xml_node *)(uintptr_t)&doc->node : NULL;
}

ng_xml_node *ng_xml_doc_root(const ng_xml_doc *doc) {
  return doc != NULL ? doc->root : NULL;
}

ng_xml_node *ng_xml_doc_doctype(const ng_xml_doc *doc) {
  return doc != NULL ? doc->doctype : NULL;
}

size_t ng_xml_doc_memory(const ng_xml_doc *doc) {
  return doc != NULL ? ng__doc_memory(&doc->base) : 0;
}

/* O(chunks): nodes are never visited. */
void ng_xml_doc_free(ng_xml_doc *doc) {
  if (doc != NULL)
    ng__doc_free(&doc->base);
}

/* ------------------------------------------------------------ accessors */

/* Returns s and stores n in *len (when len is not NULL). */
static const char *with_len(const char *s, size_t n, size_t *len) {
  if (len != NULL)
    *len = s != NULL ? n : 0;
  return s;
}

static bool is_named(const ng_xml_node *n) {
  return n != NULL && (n->type == NG_XML_ELEMENT || n->type == NG_XML_PI);
}

static bool is_element(const ng_xml_node *n) {
  return n != NULL && n->type == NG_XML_ELEMENT;
}

ng_xml_node *ng_xml_parent(const ng_xml_node *n) {
  if (n == NULL)
    return NULL;
  while (!ng__xml_is_last(n))
    n = n->link;
  return n->link;
}

const char *ng_xml_name(const ng_xml_node *n, size_t *len) {
  const ng_xml_qname *q;

  if (n != NULL && n->type == NG_XML_DOCTYPE)
    return with_len(n->as.s, n->len, len);
  if (!is_named(n))
    return with_len(NULL, 0, len);
  q = ng__xml_qname(n);
  return with_len(q->name, q->len, len);
}

/* The parts of an interned name. */
static const char *q_local(const ng_xml_qname *q, size_t *len) {
  return with_len(q->name + q->local, q->len - q->local, len);
}

static const char *q_prefix(const ng_xml_qname *q, size_t *len) {
  return with_len(q->local != 0 ? q->name : NULL, q->local - 1, len);
}

static const char *q_uri(const ng_xml_qname *q, size_t *len) {
  return with_len(q->uri, q->uri_len, len);
}

const char *ng_xml_local_name(const ng_xml_node *n, size_t *len) {
  return is_element(n) ? q_local(ng__xml_qname(n), len)
                       : with_len(NULL, 0, len);
}

const char *ng_xml_prefix(const ng_xml_node *n, size_t *len) {
  return is_element(n) ? q_prefix(ng__xml_qname(n), len)
                       : with_len(NULL, 0, len);
}

const char *ng_xml_ns_uri(const ng_xml_node *n, size_t *len) {
  return is_element(n) ? q_uri(ng__xml_qname(n), len) : with_len(NULL, 0, len);
}

const char *ng_xml_data(const ng_xml_node *n, size_t *len) {
  if (n == NULL || n->type < NG_XML_TEXT || n->type > NG_XML_PI)
    return with_len(NULL, 0, len);
  return with_len(n->as.s, n->len, len);
}

const char *ng_xml_doctype_public(const ng_xml_node *n, size_t *len) {
  if (n == NULL || n->type != NG_XML_DOCTYPE)
    return with_len(NULL, 0, len);
  return with_len(ng__xml_dt(n)->pubid, ng__xml_dt(n)->pub_len, len);
}

const char *ng_xml_doctype_system(const ng_xml_node *n, size_t *len) {
  if (n == NULL || n->type != NG_XML_DOCTYPE)
    return with_len(NULL, 0, len);
  return with_len(ng__xml_dt(n)->sysid, ng__xml_dt(n)->sys_len, len);
}

/* ----------------------------------------------------------- attributes */

size_t ng_xml_attr_count(const ng_xml_node *el) {
  return is_element(el) ? el->len : 0;
}

const ng_xml_attr *ng_xml_attr_at(const ng_xml_node *el, size_t i) {
  return is_element(el) && i < el->len ? &ng__xml_attrs(el)[i] : NULL;
}

/* Is s[0..n) the bytes b[0..bn)? A NULL s with n != 0 matches nothing. */
static bool same_bytes(const char *s, size_t n, const char *b, size_t bn) {
  return n == bn && (n == 0 || (s != NULL && memcmp(s, b, n) == 0));
}

const ng_xml_attr *ng_xml_attr_get(const ng_xml_node *el, const char *name,
                                   size_t len) {
  const ng_xml_attr *a;
  size_t i;

  for (i = 0; (a = ng_xml_attr_at(el, i)) != NULL; i++)
    if (same_bytes(name, len, a->name->name, a->name->len))
      return a;
  return NULL;
}

const ng_xml_attr *ng_xml_attr_get_ns(const ng_xml_node *el, const char *uri,
                                      size_t ulen, const char *local,
                                      size_t llen) {
  const ng_xml_attr *a;
  const ng_xml_qname *q;
  size_t i;

  if (uri == NULL)
    ulen = 0;
  for (i = 0; (a = ng_xml_attr_at(el, i)) != NULL; i++) {
    q = a->name;
    if (same_bytes(uri, ulen, q->uri, q->uri_len) &&
        same_bytes(local, llen, q->name + q->local, q->len - q->local))
      return a;
  }
  return NULL;
}

const char *ng_xml_attr_name(const ng_xml_attr *a, size_t *len) {
  return a != NULL ? with_len(a->name->name, a->name->len, len)
                   : with_len(NULL, 0, len);
}

const char *ng_xml_attr_local_name(const ng_xml_attr *a, size_t *len) {
  return a != NULL ? q_local(a->name, len) : with_len(NULL, 0, len);
}

const char *ng_xml_attr_prefix(const ng_xml_attr *a, size_t *len) {
  return a != NULL ? q_prefix(a->name, len) : with_len(NULL, 0, len);
}

const char *ng_xml_attr_ns_uri(const ng_xml_attr *a, size_t *len) {
  return a != NULL ? q_uri(a->name, len) : with_len(NULL, 0, len);
}

const char *ng_xml_attr_value(const ng_xml_attr *a, size_t *len) {
  return a != NULL ? with_len(a->value, a->len, len) : with_len(NULL, 0, len);
}

/* --------------------------------------------------------- text content */

/* The node after v in document order within root's subtree, or NULL. */
static const ng_xml_node *next_in(const ng_xml_node *root,
                                  const ng_xml_node *v) {
  if (ng__xml_is_parent(v) && v->as.head != NULL)
    return v->as.head;
  while (v != root && ng__xml_is_last(v))
    v = v->link;
  return v == root ? NULL : v->link;
}

/*
 * The text of root (xml.h, ng_xml_text_content): counts its bytes into
 * *total and, when dst is not NULL, copies them there. NG_ENOMEM when the
 * count does not fit a size_t.
 */
static int gather_text(const ng_xml_node *root, char *dst, size_t *total) {
  const ng_xml_node *v;
  size_t n = 0;

  *total = 0;
  if (!ng__xml_is_parent(root)) {
    if (ng_xml_data(root, &n) != NULL && dst != NULL && n != 0)
      memcpy(dst, root->as.s, n);
    *total = n;
    return NG_OK;
  }
  for (v = root; v != NULL; v = next_in(root, v)) {
    if (v->type != NG_XML_TEXT && v->type != NG_XML_CDATA)
      continue;
    if (dst != NULL && v->len != 0)
      memcpy(dst + n, v->as.s, v->len);
    if (ng__size_add(n, v->len, &n) != NG_OK)
      return NG_ENOMEM;
  }
  *total = n;
  return NG_OK;
}

int ng_xml_text_content(const ng_xml_node *n, const ng_alloc *alc, char **out,
                        size_t *len) {
  size_t total, size;
  char *buf;
  int rc;

  if (out != NULL)
    *out = NULL;
  if (len != NULL)
    *len = 0;
  if (n == NULL || out == NULL)
    return NG_EINVAL;
  if ((rc = gather_text(n, NULL, &total)) != NG_OK)
    return rc;
  if (ng__size_add(total, 1, &size) != NG_OK)
    return NG_ENOMEM;
  if ((buf = ng__malloc(alc, size)) == NULL)
    return NG_ENOMEM;
  gather_text(n, buf, &total); /* the same walk: it fits */
  buf[total] = '\0';
  *out = buf;
  if (len != NULL)
    *len = total;
  return NG_OK;
}

/* ------------------------------------------------------------- equality */

static bool opt_equal(const char *a, uint32_t an, const char *b, uint32_t bn) {
  if (a == NULL || b == NULL)
    return a == b;
  return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static bool attrs_equal(const ng_xml_node *a, const ng_xml_node *b) {
  const ng_xml_attr *x = ng__xml_attrs(a), *y = ng__xml_attrs(b);
  size_t i;

  for (i = 0; i < a->len; i++)
    if (!ng__xml_qname_equal(x[i].name, y[i].name) ||
        !opt_equal(x[i].value, x[i].len, y[i].value, y[i].len))
      return false;
  return true;
}

/* Compares what a node holds itself (not its children). */
static bool node_equal(const ng_xml_node *a, const ng_xml_node *b) {
  if (a->type != b->type || a->len != b->len)
    return false; /* len: data bytes, attribute count or name bytes */
  switch (a->type) {
  case NG_XML_TEXT:
  case NG_XML_CDATA:
  case NG_XML_COMMENT:
    return opt_equal(a->as.s, a->len, b->as.s, b->len);
  case NG_XML_PI:
    return ng__xml_qname_equal(ng__xml_qname(a), ng__xml_qname(b)) &&
           opt_equal(a->as.s, a->len, b->as.s, b->len);
  case NG_XML_ELEMENT:
    return ng__xml_qname_equal(ng__xml_qname(a), ng__xml_qname(b)) &&
           attrs_equal(a, b);
  case NG_XML_DOCTYPE:
    return opt_equal(a->as.s, a->len, b->as.s, b->len) &&
           opt_equal(ng__xml_dt(a)->pubid, ng__xml_dt(a)->pub_len,
                     ng__xml_dt(b)->pubid, ng__xml_dt(b)->pub_len) &&
           opt_equal(ng__xml_dt(a)->sysid, ng__xml_dt(a)->sys_len,
                     ng__xml_dt(b)->sysid, ng__xml_dt(b)->sys_len);
  default:
    return true; /* DOCUMENT: only children */
  }
}

/*
 * Lock-step walk of both subtrees: the same descent, the same climbs.
 * A node shared by both sides (x == y) is equal without a visit.
 */
bool ng_xml_equal(const ng_xml_node *a, const ng_xml_node *b) {
  const ng_xml_node *x = a, *y = b;

  if (a == NULL || b == NULL)
    return a == b;
  for (;;) {
    if (!node_equal(x, y))
      return false;
    if (x != y && ng__xml_is_parent(x)) {
      if ((x->as.head == NULL) != (y->as.head == NULL))
        return false;
      if (x->as.head != NULL) {
        x = x->as.head;
        y = y->as.head;
        continue;
      }
    }
    while (x != a && ng__xml_is_last(x)) {
      if (!ng__xml_is_last(y))
        return false;
      x = x->link;
      y = y->link;
    }
    if (x == a)
      return true;
    if (ng__xml_is_last(y))
      return false;
    x = x->link;
    y = y->link;
  }
}

/* ----------------------------------------------------------------- walk */

NG__TREE_WALK(ng_xml_walk, ng_xml_node, ng_xml_visit, ng__xml_is_parent,
              ng__xml_is_last)

/* ----------------------------------------------------------------- copy */

/* An element's start tag, as builder events. */
static int copy_start(ng__xml_builder *b, const ng_xml_node *el) {
  const ng_xml_attr *a = ng__xml_attrs(el);
  size_t i;
  int rc;

  if ((rc = ng__xml_build_start_q(b, ng__xml_qname(el))) != NG_OK)
    return rc;
  for (i = 0; i < el->len; i++)
    if ((rc = ng__xml_build_attr_q(b, a[i].name, a[i].value, a[i].len)) !=
        NG_OK)
      return rc;
  return ng__xml_build_start_done(b);
}

/* The events that make a copy of v's own content (an element: its start
 * tag). */
static int copy_node(ng__xml_builder *b, const ng_xml_node *v) {
  const ng__xml_doctype *dt;
  const ng_xml_qname *q;

  switch (v->type) {
  case NG_XML_ELEMENT:
    return copy_start(b, v);
  case NG_XML_TEXT:
  case NG_XML_CDATA:
    return ng__xml_build_text(b, v->as.s, v->len, v->type == NG_XML_CDATA);
  case NG_XML_COMMENT:
    return ng__xml_build_comment(b, v->as.s, v->len);
  case NG_XML_PI:
    q = ng__xml_qname(v);
    return ng__xml_build_pi(b, q->name, q->len, v->as.s, v->len);
  case NG_XML_DOCTYPE:
    dt = ng__xml_dt(v);
    return ng__xml_build_doctype(b, v->as.s, v->len, dt->pubid, dt->pub_len,
                                 dt->sysid, dt->sys_len);
  default:
    return NG_EINVAL; /* not a node type (a DOCUMENT is never copied so) */
  }
}

/* Replays the subtree at root into b in document order: each element's
 * end comes when the walk climbs out of it. */
static int copy_tree(ng__xml_builder *b, const ng_xml_node *root) {
  const ng_xml_node *v = root;
  int rc;

  for (;;) {
    if (v->type != NG_XML_DOCUMENT && (rc = copy_node(b, v)) != NG_OK)
      return rc;
    if (ng__xml_is_parent(v) && v->as.head != NULL) {
      v = v->as.head;
      continue;
    }
    if (v->type == NG_XML_ELEMENT && (rc = ng__xml_build_end(b)) != NG_OK)
      return rc;
    while (v != root && ng__xml_is_last(v)) {
      v = v->link;
      if (v->type == NG_XML_ELEMENT && (rc = ng__xml_build_end(b)) != NG_OK)
        return rc;
    }
    if (v == root)
      return NG_OK;
    v = v->link;
  }
}

int ng_xml_copy(const ng_xml_node *n, const ng_alloc *alc, ng_xml_doc **out) {
  ng__xml_builder b;
  ng_xml_doc *doc;
  int rc;

  if (out == NULL)
    return NG_EINVAL;
  *out = NULL;
  if (n == NULL)
    return NG_EINVAL;
  if ((doc = ng__xml_doc_new(alc, 0)) == NULL)
    return NG_ENOMEM;
  /* CDATA nodes stay CDATA nodes; names keep the source's split. */
  ng__xml_builder_init(&b, doc, NG__XML_BUILD_CDATA, alc);
  rc = copy_tree(&b, n);
  if (rc == NG_OK)
    rc = ng__xml_build_finish(&b);
  ng__xml_builder_free(&b);
  if (rc != NG_OK)
    goto fail_copy;
  *out = doc;
  return NG_OK;

fail_copy:
  ng_xml_doc_free(doc);
  return rc;
}
