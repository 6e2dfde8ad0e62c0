/*
 * parsers/xml/write.c - the XML serializer: compact or pretty UTF-8 text.
 *
 * The tree is walked in document order through its own links (down to
 * `head`, along sibling links, up from each last child, writing one end
 * tag per level climbed), so any depth costs O(1) machine stack; see
 * dom.c. Output goes through parsers/common/outbuf.h: a heap buffer
 * (ng_xml_write) or a 256-byte stack buffer handed to a sink
 * (ng_xml_write_cb).
 *
 * Output decisions (docs/xml_dom.md lists them with examples):
 * - Escaping follows Canonical XML: in text & < > and CR as &amp; &lt;
 *   &gt; &#xD; (so "]]>" never appears); in attribute values (always in
 *   double quotes) & < " TAB LF CR as &amp; &lt; &quot; &#x9; &#xA;
 *   &#xD;, so that a parser's attribute-value normalisation gives the
 *   same value back. Everything else, UTF-8 included, is written byte for
 *   byte; names are written as they are.
 * - What XML cannot express is NG_EINVAL rather than a different
 *   document: other control characters (no XML 1.0 form, not even a
 *   reference), "--" or a final '-' in a comment, "?>" or leading white
 *   space in PI data, "]]>" in a CDATA section, CR in a comment, PI or
 *   CDATA section (a parse would read LF), DOCTYPE ids no quotes can hold.
 * - Empty elements as <e/>. Comments, PIs, CDATA sections and the DOCTYPE
 *   (name and ids: the internal subset is not kept) as written.
 * - Pretty: element-only content gets one child a line, indented two
 *   spaces a level; an element with a TEXT or CDATA child is written
 *   compactly, with all it holds, since added white space would change
 *   its text. The indent stops growing at NG__XML_PRETTY_MAX_LEVELS (64
 *   columns): unbounded, a document d deep would take Θ(d²) bytes.
 *   Children of the DOCUMENT go one a line, unindented. No final newline.
 */
#include <string.h>

#include "internal.h"
#include "../common/outbuf.h"
#include "dom.h"

#define NG__XML_STREAM_BUF 256       /* stack buffer of ng_xml_write_cb */
#define NG__XML_HEAP_FIRST 256       /* first heap buffer of ng_xml_write */
#define NG__XML_PRETTY_MAX_LEVELS 32 /* indent cap: 64 columns */
#define NG__XML_MIXED_NONE SIZE_MAX  /* no element with mixed content open */

#define NG__XML_FLAGS (NG_XML_WRITE_PRETTY | NG_XML_WRITE_DECL)

typedef struct xwriter {
  ng__out o;    /* the output */
  bool pretty;  /* NG_XML_WRITE_PRETTY */
  size_t base;  /* depth whose indent is 0: 1 under a DOCUMENT, else 0 */
  size_t mixed; /* pretty: depth of the outermost open element whose
                   content is written compactly, or NG__XML_MIXED_NONE */
} xwriter;

/* -------------------------------------------------------------- escapes */

/*
 * Byte classes: 0 verbatim, BAD (no XML form in this place), or the index
 * of the escape that replaces the byte. Text escapes & < > CR; attribute
 * values & < " TAB LF CR; raw places (comments, PIs, CDATA, DOCTYPE ids)
 * escape nothing and refuse CR as well.
 */
enum { E_LT = 1, E_AMP, E_GT, E_CR, E_QUOT, E_TAB, E_LF, BAD };

static const char *const esc_text[] = {NULL,    "&lt;",   "&amp;", "&gt;",
                                       "&#xD;", "&quot;", "&#x9;", "&#xA;"};

/* Control bytes 0x00-0x1F: TAB, LF and CR get classes t, n, r. */
#define NG__XML_CTRL(t, n, r)                                                  \
  BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, t, n, BAD, BAD, r, BAD, BAD,    \
      BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD,    \
      BAD, BAD

static const unsigned char text_class[256] = {
    NG__XML_CTRL(0, 0, E_CR), [0x26] = E_AMP, [0x3C] = E_LT, [0x3E] = E_GT};

static const unsigned char attr_class[256] = {
    NG__XML_CTRL(E_TAB, E_LF, E_CR), [0x22] = E_QUOT, [0x26] = E_AMP,
    [0x3C] = E_LT};

static const unsigned char raw_class[256] = {NG__XML_CTRL(0, 0, BAD)};

/* Writes s[0..n) with the escapes of class table cls; runs of verbatim
 * bytes are copied whole. NG_EINVAL at a BAD byte. */
static int w_escaped(xwriter *w, const char *s, size_t n,
                     const unsigned char *cls) {
  size_t i, run = 0;
  unsigned c;
  int rc;

  for (i = 0; i < n; i++) {
    if ((c = cls[(unsigned char)s[i]]) == 0)
      continue;
    if (c == BAD)
      return NG_EINVAL;
    if ((rc = ng__out_put(&w->o, s + run, i - run)) != NG_OK ||
        (rc = ng__out_put(&w->o, esc_text[c], strlen(esc_text[c]))) != NG_OK)
      return rc;
    run = i + 1;
  }
  return ng__out_put(&w->o, s + run, n - run);
}

/* Does s[0..n) hold the bytes of pat (a literal)? */
static bool contains(const char *s, size_t n, const char *pat) {
  size_t k = strlen(pat), i;

  for (i = 0; i + k <= n; i++)
    if (memcmp(s + i, pat, k) == 0)
      return true;
  return false;
}

/* Is s[0..n) free of bytes the raw places refuse? */
static bool raw_ok(const char *s, size_t n) {
  size_t i;

  for (i = 0; i < n; i++)
    if (raw_class[(unsigned char)s[i]] == BAD)
      return false;
  return true;
}

/* Writes the literals a, s[0..n), b: a delimited raw section. */
static int w_wrapped(xwriter *w, const char *a, const char *s, size_t n,
                     const char *b) {
  int rc;

  if ((rc = ng__out_put(&w->o, a, strlen(a))) != NG_OK ||
      (rc = ng__out_put(&w->o, s, n)) != NG_OK)
    return rc;
  return ng__out_put(&w->o, b, strlen(b));
}

/* ---------------------------------------------------------------- nodes */

static int w_name(xwriter *w, const ng_xml_qname *q) {
  return ng__out_put(&w->o, q->name, q->len);
}

/* <name attr="value" ...> or, without children, <name .../> */
static int w_start_tag(xwriter *w, const ng_xml_node *el) {
  const ng_xml_attr *a = ng__xml_attrs(el);
  size_t i;
  int rc;

  if ((rc = ng__out_byte(&w->o, '<')) != NG_OK ||
      (rc = w_name(w, ng__xml_qname(el))) != NG_OK)
    return rc;
  for (i = 0; i < el->len; i++) {
    if ((rc = ng__out_byte(&w->o, ' ')) != NG_OK ||
        (rc = w_name(w, a[i].name)) != NG_OK ||
        (rc = ng__out_put(&w->o, "=\"", 2)) != NG_OK ||
        (rc = w_escaped(w, a[i].value, a[i].len, attr_class)) != NG_OK ||
        (rc = ng__out_byte(&w->o, '"')) != NG_OK)
      return rc;
  }
  if (el->as.head == NULL)
    return ng__out_put(&w->o, "/>", 2);
  return ng__out_byte(&w->o, '>');
}

static int w_end_tag(xwriter *w, const ng_xml_node *el) {
  int rc;

  if ((rc = ng__out_put(&w->o, "</", 2)) != NG_OK ||
      (rc = w_name(w, ng__xml_qname(el))) != NG_OK)
    return rc;
  return ng__out_byte(&w->o, '>');
}

static int w_comment(xwriter *w, const ng_xml_node *c) {
  if (!raw_ok(c->as.s, c->len) || contains(c->as.s, c->len, "--") ||
      (c->len != 0 && c->as.s[c->len - 1] == '-'))
    return NG_EINVAL;
  return w_wrapped(w, "<!--", c->as.s, c->len, "-->");
}

static int w_cdata(xwriter *w, const ng_xml_node *c) {
  if (!raw_ok(c->as.s, c->len) || contains(c->as.s, c->len, "]]>"))
    return NG_EINVAL;
  return w_wrapped(w, "<![CDATA[", c->as.s, c->len, "]]>");
}

/* <?target?> or <?target data?> */
static int w_pi(xwriter *w, const ng_xml_node *pi) {
  const char *d = pi->as.s;
  size_t n = pi->len;
  int rc;

  if (!raw_ok(d, n) || contains(d, n, "?>") ||
      (n != 0 && (d[0] == ' ' || d[0] == '\t' || d[0] == '\n')))
    return NG_EINVAL;
  if ((rc = ng__out_put(&w->o, "<?", 2)) != NG_OK ||
      (rc = w_name(w, ng__xml_qname(pi))) != NG_OK)
    return rc;
  if (n != 0 && (rc = w_wrapped(w, " ", d, n, "")) != NG_OK)
    return rc;
  return ng__out_put(&w->o, "?>", 2);
}

/* A system id in whichever quotes it does not hold. */
static int w_sysid(xwriter *w, const char *s, size_t n) {
  bool dq = memchr(s, '"', n) != NULL;

  if (!raw_ok(s, n) || (dq && memchr(s, '\'', n) != NULL))
    return NG_EINVAL;
  return w_wrapped(w, dq ? " '" : " \"", s, n, dq ? "'" : "\"");
}

/* <!DOCTYPE name>, <!DOCTYPE name SYSTEM "s"> or
 * <!DOCTYPE name PUBLIC "p" "s"> */
static int w_doctype(xwriter *w, const ng_xml_node *n) {
  const ng__xml_doctype *dt = ng__xml_dt(n);
  int rc;

  if (dt->pubid != NULL &&
      (dt->sysid == NULL || !raw_ok(dt->pubid, dt->pub_len) ||
       memchr(dt->pubid, '"', dt->pub_len) != NULL))
    return NG_EINVAL; /* a public id needs a system id, and "quotes" */
  if ((rc = w_wrapped(w, "<!DOCTYPE ", n->as.s, n->len, "")) != NG_OK)
    return rc;
  if (dt->pubid != NULL)
    rc = w_wrapped(w, " PUBLIC \"", dt->pubid, dt->pub_len, "\"");
  else if (dt->sysid != NULL)
    rc = ng__out_put(&w->o, " SYSTEM", 7);
  if (rc == NG_OK && dt->sysid != NULL)
    rc = w_sysid(w, dt->sysid, dt->sys_len);
  return rc != NG_OK ? rc : ng__out_byte(&w->o, '>');
}

/* Pretty mode: a newline and the indent of `depth` (capped). */
static int w_newline(xwriter *w, size_t depth) {
  static const char nl[] = "\n                                "
                           "                                ";
  size_t lv = depth - w->base;

  _Static_assert(sizeof nl - 1 == 1 + 2 * NG__XML_PRETTY_MAX_LEVELS,
                 "indent string matches the cap");
  if (lv > NG__XML_PRETTY_MAX_LEVELS)
    lv = NG__XML_PRETTY_MAX_LEVELS;
  return ng__out_put(&w->o, nl, 1 + 2 * lv);
}

/* Does element el hold text? Then pretty mode writes it compactly. */
static bool has_text(const ng_xml_node *el) {
  const ng_xml_node *c;

  for (c = el->as.head; c != NULL; c = ng_xml_next(c))
    if (c->type == NG_XML_TEXT || c->type == NG_XML_CDATA)
      return true;
  return false;
}

/* Is pretty white space wanted around children at this point? */
static bool indenting(const xwriter *w) {
  return w->pretty && w->mixed == NG__XML_MIXED_NONE;
}

/* Writes node v (at depth) as it is entered: all of a leaf, the start
 * tag of an element. */
static int w_enter(xwriter *w, const ng_xml_node *v, size_t depth) {
  switch (v->type) {
  case NG_XML_ELEMENT:
    if (indenting(w) && v->as.head != NULL && has_text(v))
      w->mixed = depth;
    return w_start_tag(w, v);
  case NG_XML_TEXT:
    return w_escaped(w, v->as.s, v->len, text_class);
  case NG_XML_CDATA:
    return w_cdata(w, v);
  case NG_XML_COMMENT:
    return w_comment(w, v);
  case NG_XML_PI:
    return w_pi(w, v);
  case NG_XML_DOCTYPE:
    return w_doctype(w, v);
  case NG_XML_DOCUMENT:
    return NG_OK;
  default:
    return NG_EINVAL; /* not a node type */
  }
}

/* Element el (at depth) is left after its children: its end tag. */
static int w_leave(xwriter *w, const ng_xml_node *el, size_t depth) {
  int rc;

  if (el->type != NG_XML_ELEMENT)
    return NG_OK; /* the DOCUMENT: nothing to close */
  if (indenting(w) && (rc = w_newline(w, depth)) != NG_OK)
    return rc;
  if (w->mixed == depth)
    w->mixed = NG__XML_MIXED_NONE;
  return w_end_tag(w, el);
}

/*
 * Serializes the subtree at root in document order: a node's text or
 * start tag when it is entered, one end tag per level climbed. In pretty
 * mode a newline and indent go before each child of element-only content
 * and before the end tag that closes it (not before a DOCUMENT's first
 * child).
 */
static int w_tree(xwriter *w, const ng_xml_node *root) {
  const ng_xml_node *v = root;
  size_t depth = 0;
  int rc;

  for (;;) {
    if ((rc = w_enter(w, v, depth)) != NG_OK)
      return rc;
    if (ng__xml_is_parent(v) && v->as.head != NULL) {
      if (v->type != NG_XML_DOCUMENT && indenting(w) &&
          (rc = w_newline(w, depth + 1)) != NG_OK)
        return rc;
      v = v->as.head;
      depth++;
      continue;
    }
    while (v != root && ng__xml_is_last(v)) {
      v = v->link;
      depth--;
      if ((rc = w_leave(w, v, depth)) != NG_OK)
        return rc;
    }
    if (v == root)
      return NG_OK;
    if (indenting(w) && (rc = w_newline(w, depth)) != NG_OK)
      return rc;
    v = v->link;
  }
}

/* The declaration (NG_XML_WRITE_DECL), then the tree. */
static int w_document(xwriter *w, const ng_xml_node *n, unsigned flags) {
  static const char decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
  int rc;

  w->pretty = (flags & NG_XML_WRITE_PRETTY) != 0;
  w->base = n->type == NG_XML_DOCUMENT ? 1 : 0;
  w->mixed = NG__XML_MIXED_NONE;
  if (flags & NG_XML_WRITE_DECL) {
    if ((rc = ng__out_put(&w->o, decl, sizeof decl - 1)) != NG_OK)
      return rc;
    if (w->pretty && (n->type != NG_XML_DOCUMENT || n->as.head != NULL) &&
        (rc = ng__out_byte(&w->o, '\n')) != NG_OK)
      return rc;
  }
  return w_tree(w, n);
}

/* ------------------------------------------------------------ public */

int ng_xml_write(const ng_xml_node *n, unsigned flags, const ng_alloc *alc,
                 char **out, size_t *len) {
  xwriter w;

  if (out != NULL)
    *out = NULL;
  if (len != NULL)
    *len = 0;
  if (n == NULL || out == NULL || (flags & ~NG__XML_FLAGS) != 0)
    return NG_EINVAL;
  if (ng__out_heap(&w.o, alc, NG__XML_HEAP_FIRST) != NG_OK)
    return NG_ENOMEM;
  return ng__out_take(&w.o, w_document(&w, n, flags), out, len);
}

int ng_xml_write_cb(const ng_xml_node *n, unsigned flags,
                    int (*sink)(void *ud, const char *data, size_t len),
                    void *ud) {
  char buf[NG__XML_STREAM_BUF];
  xwriter w;
  int rc;

  if (n == NULL || sink == NULL || (flags & ~NG__XML_FLAGS) != 0)
    return NG_EINVAL;
  ng__out_stream(&w.o, buf, sizeof buf, sink, ud);
  rc = w_document(&w, n, flags);
  if (rc == NG_OK)
    rc = ng__out_flush(&w.o);
  return rc;
}
