/*
 * parsers/xml/ns.c - the namespace stage (ns.h): QName checks, the scope
 * of declarations with its prefix table, resolution and NSC: Attributes
 * Unique.
 */
#include <stdint.h>
#include <string.h>

#include "ns.h"

/* One declaration in scope. Its prefix and URI sit at `prefix` in the
 * pool, the URI right after the prefix; popping it truncates the pool. */
typedef struct ng__xml_nsbind {
  size_t prefix;     /* offset of the prefix in the pool */
  size_t prefix_len; /* bytes ("" for xmlns="...") */
  size_t uri_len;    /* bytes of the URI (0: xmlns="" undeclares) */
  size_t depth;      /* the declaring element's depth */
  size_t hides;      /* index + 1 of the binding of the same prefix it
                        hides; 0: none */
} ng__xml_nsbind;

#define NG__XML_NS_GONE SIZE_MAX /* a slot whose prefix went out of scope */
#define NG__XML_NS_FIRST 16      /* first table size */

#define XML_URI_LEN (sizeof NG__XML_NS_XML - 1)
#define XMLNS_URI_LEN (sizeof NG__XML_NS_XMLNS - 1)

void ng__xml_ns_init(ng__xml_ns *ns, const char *text, size_t len,
                     const ng_alloc *alc) {
  memset(ns, 0, sizeof *ns);
  ng__xml_buf_init(&ns->binds, alc);
  ng__xml_buf_init(&ns->pool, alc);
  ng__xml_buf_init(&ns->at, alc);
  ng__xml_buf_init(&ns->seen, alc);
  ns->text = text;
  ns->text_len = len;
  ns->alc = alc;
  ns->seed = (uint64_t)(uintptr_t)ns * 0x9E3779B97F4A7C15u; /* as lexer.re */
}

void ng__xml_ns_free(ng__xml_ns *ns) {
  ng__xml_buf_free(&ns->binds);
  ng__xml_buf_free(&ns->pool);
  ng__xml_buf_free(&ns->at);
  ng__xml_buf_free(&ns->seen);
  ng__free(ns->alc, ns->slot, ns->cap * sizeof *ns->slot);
  ns->slot = NULL;
  ns->cap = ns->fill = 0;
}

/* ------------------------------------------------------------- helpers */

static int same(const char *a, size_t an, const char *b, size_t bn) {
  return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static ng__xml_nsbind *bind_at(const ng__xml_ns *ns, size_t i) {
  return (ng__xml_nsbind *)(void *)ns->binds.p + i;
}

static size_t nbinds(const ng__xml_ns *ns) {
  return ns->binds.len / sizeof(ng__xml_nsbind);
}

/* An empty pool has no buffer yet, and then only the empty prefix. */
static const char *bind_prefix(const ng__xml_ns *ns, const ng__xml_nsbind *b) {
  return ns->pool.p != NULL ? (const char *)ns->pool.p + b->prefix : "";
}

/* Where the local part of name[0..len) starts: after its colon, or 0. */
static size_t local_of(const char *name, size_t len) {
  const char *c = memchr(name, ':', len);

  return c != NULL ? (size_t)(c - name) + 1 : 0;
}

/* --------------------------------------------------------- prefix table */

/* The slot of prefix p[0..n): the one holding its innermost binding, or
 * the empty slot where it belongs. The table has an empty slot. */
static size_t *slot_of(const ng__xml_ns *ns, const char *p, size_t n) {
  size_t mask = ns->cap - 1, i = (size_t)ng__xml_hash(ns->seed, p, n) & mask;
  const ng__xml_nsbind *b;

  for (; ns->slot[i] != 0; i = (i + 1) & mask) {
    if (ns->slot[i] == NG__XML_NS_GONE)
      continue;
    b = bind_at(ns, ns->slot[i] - 1);
    if (same(bind_prefix(ns, b), b->prefix_len, p, n))
      return &ns->slot[i];
  }
  return &ns->slot[i];
}

/* Rebuilds the table with room for one more prefix: at most half full,
 * without removed entries. NG_OK or NG_ENOMEM (table unchanged). */
static int table_rebuild(ng__xml_ns *ns) {
  size_t n = nbinds(ns), cap = NG__XML_NS_FIRST, i, *tab, *s;
  const ng__xml_nsbind *b;

  while (cap / 2 < n + 1)
    cap *= 2; /* n records fit in memory: no overflow */
  if ((tab = ng__malloc(ns->alc, cap * sizeof *tab)) == NULL)
    return NG_ENOMEM;
  ng__free(ns->alc, ns->slot, ns->cap * sizeof *ns->slot);
  memset(tab, 0, cap * sizeof *tab);
  ns->slot = tab;
  ns->cap = cap;
  ns->fill = 0;
  for (i = 0; i < n; i++) { /* outermost first: the innermost stays */
    b = bind_at(ns, i);
    s = slot_of(ns, bind_prefix(ns, b), b->prefix_len);
    ns->fill += *s == 0;
    *s = i + 1;
  }
  return NG_OK;
}

/* The innermost binding of prefix p[0..n), or NULL. */
static const ng__xml_nsbind *lookup(const ng__xml_ns *ns, const char *p,
                                    size_t n) {
  size_t s;

  if (ns->cap == 0)
    return NULL;
  s = *slot_of(ns, p, n);
  return s != 0 ? bind_at(ns, s - 1) : NULL;
}

/* ---------------------------------------------------------------- scope */

/* Binds prefix p[0..n) to uri[0..ulen) for the open element. */
static int bind(ng__xml_ns *ns, const char *p, size_t n, const char *uri,
                size_t ulen) {
  ng__xml_nsbind b;
  size_t *s;

  if ((ns->fill + 1) * 2 > ns->cap && table_rebuild(ns) != NG_OK)
    return NG_ENOMEM;
  b.prefix = ns->pool.len;
  b.prefix_len = n;
  b.uri_len = ulen;
  b.depth = ns->depth;
  if (ng__xml_buf_put(&ns->pool, p, n) != NG_OK ||
      ng__xml_buf_put(&ns->pool, uri, ulen) != NG_OK ||
      ng__xml_buf_grow(&ns->binds, sizeof b) != NG_OK) {
    ns->pool.len = b.prefix;
    return NG_ENOMEM;
  }
  s = slot_of(ns, p, n);
  ns->fill += *s == 0;
  b.hides = *s;
  *s = nbinds(ns) + 1;
  memcpy(ns->binds.p + ns->binds.len, &b, sizeof b);
  ns->binds.len += sizeof b;
  ns->top = ns->depth;
  return NG_OK;
}

void ng__xml_ns_unbind(ng__xml_ns *ns) {
  const ng__xml_nsbind *b;
  size_t n;

  while ((n = nbinds(ns)) != 0 &&
         (b = bind_at(ns, n - 1))->depth == ns->depth) {
    *slot_of(ns, bind_prefix(ns, b), b->prefix_len) =
        b->hides != 0 ? b->hides : NG__XML_NS_GONE;
    ns->pool.len = b->prefix;
    ns->binds.len -= sizeof *b;
  }
  ns->top = n != 0 ? bind_at(ns, n - 1)->depth : 0;
}

/* ----------------------------------------------------------- the checks */

/* The offset to report a problem with attribute a of t at: its name, when
 * that is in the document text, else the tag. */
static size_t attr_off(const ng__xml_ns *ns, const ng__xml_token *t,
                       const ng__xml_tattr *a) {
  size_t off = (size_t)((uintptr_t)a->name - (uintptr_t)ns->text);

  if ((t->flags & NG__XTF_ENTITY) || a->defaulted || off >= ns->text_len)
    return t->off; /* the name is in the DTD's tables or a scratch buffer */
  return off;
}

/* NULL when name[0..len), its local part at l (local_of), is a QName
 * (NS [7]), else why not. */
static const char *qname_error(const char *name, size_t len, size_t l) {
  const unsigned char *s = (const unsigned char *)name, *lim = s + len;

  if (l == 0)
    return NULL;
  if (l == 1)
    return "a name may not start with a colon (namespaces)";
  if (l == len)
    return "a name may not end with a colon (namespaces)";
  if (memchr(name + l, ':', len - l) != NULL)
    return "a name may hold only one colon (namespaces)";
  if (ng__xml_name_end(s + l, lim) == s + l)
    return "a local name must start with a name start character";
  return NULL;
}

/* Is name[0..len), its local part at l, a declaration: 2 for xmlns:p, 1
 * for xmlns, else 0. */
static int decl_kind(const char *name, size_t len, size_t l) {
  if ((l != 6 && (l != 0 || len != 5)) || memcmp(name, "xmlns", 5) != 0)
    return 0;
  return l == 0 ? 1 : 2;
}

/* NULL when binding prefix p[0..n) to v[0..vlen) is allowed (NSC: No
 * Prefix Undeclaring, Reserved Prefixes and Namespace Names), else why
 * not. n is 0 for the default namespace. */
static const char *decl_error(const char *p, size_t n, const char *v,
                              size_t vlen) {
  int is_xml = same(p, n, "xml", 3);
  int xml_uri = same(v, vlen, NG__XML_NS_XML, XML_URI_LEN);

  if (same(p, n, "xmlns", 5))
    return "the prefix xmlns may not be declared";
  if (n != 0 && vlen == 0)
    return "a prefix may not be undeclared (xmlns:p=\"\")";
  if (is_xml != xml_uri)
    return is_xml ? "the prefix xml is bound to its namespace only"
                  : "the xml namespace is bound to the prefix xml only";
  if (same(v, vlen, NG__XML_NS_XMLNS, XMLNS_URI_LEN))
    return "the xmlns namespace may not be declared";
  return NULL;
}

/* Steps 1 and 2 of ns.h for attribute a: its QName, and its declaration
 * if it is one, which gets its URI in *r (r->local set). NG_OK, NG_ENS
 * with *why, or NG_ENOMEM. */
static int check_attr(ng__xml_ns *ns, const ng__xml_tattr *a, ng__xml_nsname *r,
                      const char **why) {
  const char *v = a->value != NULL ? a->value : "";
  int k;

  r->uri = NULL;
  r->uri_len = 0;
  if ((*why = qname_error(a->name, a->name_len, r->local)) != NULL)
    return NG_ENS;
  if ((k = decl_kind(a->name, a->name_len, r->local)) == 0)
    return NG_OK;
  r->uri = NG__XML_NS_XMLNS;
  r->uri_len = XMLNS_URI_LEN;
  if (k == 1)
    *why = decl_error("", 0, v, a->value_len);
  else
    *why = decl_error(a->name + 6, a->name_len - 6, v, a->value_len);
  if (*why != NULL)
    return NG_ENS;
  return k == 1 ? bind(ns, "", 0, v, a->value_len)
                : bind(ns, a->name + 6, a->name_len - 6, v, a->value_len);
}

/* Resolves the prefix of name, its local part at r->local, into r's URI:
 * the innermost binding of the prefix, or of the default namespace when
 * there is no prefix. 0 when a prefix is not declared. */
static int resolve(const ng__xml_ns *ns, const char *name, ng__xml_nsname *r) {
  size_t l = r->local;
  const ng__xml_nsbind *b;

  r->uri = NULL;
  r->uri_len = 0;
  b = lookup(ns, name, l != 0 ? l - 1 : 0);
  if (b != NULL) {
    r->uri = b->uri_len != 0 ? bind_prefix(ns, b) + b->prefix_len : NULL;
    r->uri_len = b->uri_len;
    return 1;
  }
  if (l == 4 && memcmp(name, "xml", 3) == 0) {
    r->uri = NG__XML_NS_XML;
    r->uri_len = XML_URI_LEN;
    return 1;
  }
  return l == 0; /* no default namespace: none */
}

/* The index + 1 of an earlier attribute of t with the same URI and local
 * name as attribute i, or 0, through the table `seen` of mask + 1 slots. */
static size_t seen_put(ng__xml_ns *ns, const ng__xml_token *t, size_t i,
                       size_t mask) {
  const ng__xml_nsname *r = &ns->attrs[i], *o;
  const char *loc = t->attrs[i].name + r->local;
  size_t ll = t->attrs[i].name_len - r->local,
         *tab = (size_t *)(void *)ns->seen.p;
  size_t h =
      (size_t)ng__xml_hash(ng__xml_hash(ns->seed, r->uri, r->uri_len), loc, ll);

  for (h &= mask; tab[h] != 0; h = (h + 1) & mask) {
    o = &ns->attrs[tab[h] - 1];
    if (same(o->uri, o->uri_len, r->uri, r->uri_len) &&
        same(t->attrs[tab[h] - 1].name + o->local,
             t->attrs[tab[h] - 1].name_len - o->local, loc, ll))
      return tab[h];
  }
  tab[h] = i + 1;
  return 0;
}

/* NSC: Attributes Unique over the n attributes of t that are in a
 * namespace (the others differ by their qualified names, which the lexer
 * made unique). */
static int check_unique(ng__xml_ns *ns, const ng__xml_token *t, size_t n,
                        ng__parse *c) {
  size_t i, cap = 16;

  if (n < 2)
    return NG_OK;
  while (cap < n * 2)
    cap *= 2;
  ns->seen.len = 0;
  if (ng__xml_buf_grow(&ns->seen, cap * sizeof(size_t)) != NG_OK)
    return ng__parse_fail(c, NG_ENOMEM, t->off, NULL);
  memset(ns->seen.p, 0, cap * sizeof(size_t));
  for (i = 0; i < t->nattrs; i++)
    if (ns->attrs[i].uri != NULL && seen_put(ns, t, i, cap - 1) != 0)
      return ng__parse_fail(c, NG_ENS, attr_off(ns, t, &t->attrs[i]),
                            "two attributes with the same namespace and "
                            "local name");
  return NG_OK;
}

/* Steps 3 and 4: the element's and the prefixed attributes' URIs (the
 * declarations have theirs), then their uniqueness. */
static int resolve_tag(ng__xml_ns *ns, const ng__xml_token *t, ng__parse *c) {
  ng__xml_nsname *r;
  size_t i, n = 0;

  if (!resolve(ns, t->name, &ns->el))
    return ng__parse_fail(c, NG_ENS, t->off, "undeclared namespace prefix");
  for (i = 0; i < t->nattrs; i++) {
    r = &ns->attrs[i];
    if (r->uri == NULL && r->local != 0 && !resolve(ns, t->attrs[i].name, r))
      return ng__parse_fail(c, NG_ENS, attr_off(ns, t, &t->attrs[i]),
                            "undeclared namespace prefix");
    n += r->uri != NULL;
  }
  return check_unique(ns, t, n, c);
}

int ng__xml_ns_start(ng__xml_ns *ns, const ng__xml_token *t, ng__parse *c) {
  size_t i, need = t->nattrs * sizeof *ns->attrs;
  const char *why;
  int rc;

  ns->depth++;
  if (need > ns->at.cap && ng__xml_buf_grow(&ns->at, need) != NG_OK)
    return ng__parse_fail(c, NG_ENOMEM, t->off, NULL);
  ns->attrs = (ng__xml_nsname *)(void *)ns->at.p;
  ns->el.local = local_of(t->name, t->name_len);
  why = qname_error(t->name, t->name_len, ns->el.local);
  if (why == NULL && decl_kind(t->name, t->name_len, ns->el.local) == 2)
    why = "an element name may not have the prefix xmlns";
  if (why != NULL)
    return ng__parse_fail(c, NG_ENS, t->off, why);
  for (i = 0; i < t->nattrs; i++) {
    ns->attrs[i].local = local_of(t->attrs[i].name, t->attrs[i].name_len);
    rc = check_attr(ns, &t->attrs[i], &ns->attrs[i], &why);
    if (rc == NG_ENS)
      return ng__parse_fail(c, rc, attr_off(ns, t, &t->attrs[i]), why);
    if (rc != NG_OK)
      return ng__parse_fail(c, rc, t->off, NULL);
  }
  return resolve_tag(ns, t, c);
}

void ng__xml_ns_end(ng__xml_ns *ns, const ng__xml_token *t) {
  ns->el.local = local_of(t->name, t->name_len);
  resolve(ns, t->name, &ns->el);
}

static int has_colon(const char *s, size_t n) {
  return s != NULL && memchr(s, ':', n) != NULL;
}

/* NS 7 over the DOCTYPE's tables: the offset of the first declaration of
 * an entity or notation whose name (or an unparsed entity's notation)
 * holds a colon, with *why; SIZE_MAX when there is none. */
static size_t dtd_colon(const ng__xml_dtd *dtd, const char **why) {
  const ng__xml_entity *e;
  const ng__xml_notation *no;
  size_t off = SIZE_MAX;

  for (e = ng__xml_dtd_entities(dtd); e != NULL && off == SIZE_MAX; e = e->next)
    if (has_colon(e->name, e->name_len) ||
        (e->notation != NULL && has_colon(e->notation, strlen(e->notation))))
      off = e->decl_off;
  *why = "an entity name may not hold a colon (namespaces)";
  for (no = ng__xml_dtd_notations(dtd); no != NULL; no = no->next)
    if (has_colon(no->name, no->name_len) && no->decl_off < off) {
      *why = "a notation name may not hold a colon (namespaces)";
      return no->decl_off;
    }
  return off;
}

int ng__xml_ns_misc(const ng__xml_ns *ns, const ng__xml_token *t,
                    const ng__xml_dtd *dtd, ng__parse *c) {
  const char *why;
  size_t off;

  (void)ns;
  if (t->kind == NG__XT_PI && has_colon(t->name, t->name_len))
    return ng__parse_fail(c, NG_ENS, t->off,
                          "a PI target may not hold a colon (namespaces)");
  if (t->kind != NG__XT_DOCTYPE || (off = dtd_colon(dtd, &why)) == SIZE_MAX)
    return NG_OK;
  return ng__parse_fail(c, NG_ENS, off, why);
}
