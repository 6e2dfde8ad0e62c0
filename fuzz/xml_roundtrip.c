/*
 * fuzz/xml_roundtrip.c - XML parse -> write -> parse must give the same DOM.
 *
 * For every input the default engine accepts:
 *   - the document writes (a parsed document never holds what the writer
 *     must refuse with NG_EINVAL); compact output re-parses to an equal
 *     DOM, and writing that DOM again gives the same bytes (a fixed point
 *     after one pass); the streaming writer gives the same bytes;
 *   - pretty output (with the XML declaration) re-parses to a document
 *     with the same elements, attributes, comments, PIs and doctype;
 *   - a deep copy of the document, and of the root element alone, is
 *     equal, and copying through a counting allocator leaks nothing;
 *   - ng_xml_walk enters every node once and leaves every element and the
 *     document once, and stops with the callback's value; every child's
 *     ng_xml_parent is the node it was reached from, and names split
 *     into prefix and local name, attribute lookups by name and by
 *     namespace find the attribute (sampled);
 *   - ng_xml_text_content of the document is as long as its text, and
 *     the same with CDATA sections kept apart (NG_XML_KEEP_CDATA).
 */
#include "fuzz_xml.h"

#include <stdlib.h>
#include <string.h>

/* Parses text with defaults but no depth limit; NULL after reporting. */
static ng_xml_doc *rtx_parse(const char *what, const char *text, size_t len) {
  ng_xml_options opt;
  ng_xml_doc *doc = NULL;
  ng_error err;
  char e[160];

  ng_xml_options_default(&opt);
  opt.limits.max_depth = 0;
  if (ng_xml_parse(text, len, &opt, &doc, &err) == NG_OK)
    return doc;
  ng_fuzz_fail("roundtrip: %s output does not parse: %s; output starts "
               "\"%.*s\"",
               what, ng_fuzz_error_str(&err, e, sizeof e),
               (int)(len > 200 ? 200 : len), text);
  return NULL;
}

static int rtx_write(const char *what, const ng_xml_node *n, unsigned flags,
                     char **out, size_t *len) {
  int rc = ng_xml_write(n, flags, NULL, out, len);

  if (rc == NG_OK)
    return 0;
  ng_fuzz_fail("roundtrip: %s write of a parsed document failed: %s", what,
               ng_err_name(rc));
  return -1;
}

/* Compact: re-parse equal, fixed point, streaming writer. */
static int rtx_compact(const ng_xml_node *docn) {
  ng_fuzz_buf sink = {NULL, 0, 0, 0};
  ng_xml_doc *again = NULL;
  char *out = NULL, *out2 = NULL;
  size_t len = 0, len2 = 0;
  int rc, ret = -1;

  if (rtx_write("compact", docn, 0, &out, &len) != 0)
    return -1;
  again = rtx_parse("compact", out, len);
  if (again == NULL)
    goto done;
  if (!ng_xml_equal(docn, ng_xml_doc_node(again))) {
    ng_fuzz_fail("roundtrip: compact output parses to another DOM: \"%.*s\"",
                 (int)(len > 200 ? 200 : len), out);
    goto done;
  }
  if (rtx_write("second", ng_xml_doc_node(again), 0, &out2, &len2) != 0 ||
      ng_fuzz_same_bytes("roundtrip: write(parse(write(x))) != write(x)", out,
                         len, out2, len2) != 0)
    goto done;
  rc = ng_xml_write_cb(docn, 0, ng_fuzz_buf_sink, &sink);
  if (rc != NG_OK && !sink.oom)
    ng_fuzz_fail("roundtrip: write_cb failed: %s", ng_err_name(rc));
  else if (rc != NG_OK || ng_fuzz_same_bytes("roundtrip: write_cb != write",
                                             out, len, sink.p, sink.n) == 0)
    ret = 0;
done:
  free(sink.p);
  free(out2);
  free(out);
  ng_xml_doc_free(again);
  return ret;
}

/* Pretty: re-parses to the same structure (only white space is added). */
static int rtx_pretty(const ng_xml_node *docn) {
  ng_fuzz_xmlstat a, b;
  ng_xml_doc *again;
  char *out = NULL;
  size_t len = 0;
  int ret = -1;

  if (rtx_write("pretty", docn, NG_XML_WRITE_PRETTY | NG_XML_WRITE_DECL, &out,
                &len) != 0)
    return -1;
  again = rtx_parse("pretty", out, len);
  if (again != NULL) {
    ng_fuzz_xml_stat(docn, &a);
    ng_fuzz_xml_stat(ng_xml_doc_node(again), &b);
    if (a.elements != b.elements || a.attrs != b.attrs ||
        a.attr_bytes != b.attr_bytes || a.comments != b.comments ||
        a.pis != b.pis || a.doctypes != b.doctypes || a.depth != b.depth ||
        b.text_bytes < a.text_bytes)
      ng_fuzz_fail("roundtrip: pretty output has another structure: "
                   "\"%.*s\"",
                   (int)(len > 200 ? 200 : len), out);
    else
      ret = 0;
  }
  free(out);
  ng_xml_doc_free(again);
  return ret;
}

/* Deep copy of n through a counting allocator: equal, freed completely. */
static int rtx_copy(const char *what, const ng_xml_node *n) {
  ng_xml_doc *copy = NULL;
  const ng_xml_node *c;
  ng_failalloc fa;
  int rc, ret = 0;

  ng_failalloc_init(&fa, 0);
  rc = ng_xml_copy(n, &fa.alc, &copy);
  c = ng_xml_type_of(n) == NG_XML_DOCUMENT ? ng_xml_doc_node(copy)
                                           : ng_xml_doc_root(copy);
  if (rc != NG_OK) {
    ng_fuzz_fail("roundtrip: copy of the %s failed: %s", what, ng_err_name(rc));
    ret = -1;
  } else if (!ng_xml_equal(n, c)) {
    ng_fuzz_fail("roundtrip: copy of the %s differs from it", what);
    ret = -1;
  }
  ng_xml_doc_free(copy);
  return ret == 0 ? ng_fuzz_check_alloc(what, &fa) : ret;
}

/* ------------------------------------------------------------ walks */

typedef struct rtx_walk {
  size_t enters, leaves, stop_at; /* counts; enter number stop_at stops */
  size_t every, seen;             /* parent checks: stride / visited */
  int bad;                        /* 1 after a wrong parent */
} rtx_walk;

/* 1 when the qualified name splits into prefix ':' local, or is local. */
static int rtx_split(const char *q, size_t ql, const char *pre, size_t pl,
                     const char *loc, size_t ll) {
  if (pre == NULL)
    return ll == ql && memcmp(loc, q, ql) == 0;
  return pl + 1 + ll == ql && memcmp(pre, q, pl) == 0 && q[pl] == ':' &&
         memcmp(loc, q + pl + 1, ll) == 0;
}

/* An element's accessors agree: its name splits into prefix and local
 * name; each attribute's does; lookups by name (and by namespace and
 * local name) find an attribute named so, at or before it. */
static int rtx_element(const ng_xml_node *el) {
  size_t i, ql, pl, ll, ul;
  const char *q = ng_xml_name(el, &ql), *pre = ng_xml_prefix(el, &pl);
  const char *loc = ng_xml_local_name(el, &ll), *uri;
  const ng_xml_attr *a, *g;

  if (!rtx_split(q, ql, pre, pl, loc, ll))
    return -1;
  for (i = 0; i < ng_xml_attr_count(el); i++) {
    a = ng_xml_attr_at(el, i);
    q = ng_xml_attr_name(a, &ql);
    pre = ng_xml_attr_prefix(a, &pl);
    loc = ng_xml_attr_local_name(a, &ll);
    uri = ng_xml_attr_ns_uri(a, &ul);
    if (!rtx_split(q, ql, pre, pl, loc, ll))
      return -1;
    g = ng_xml_attr_get(el, q, ql);
    if (g == NULL || g > a || ng_xml_attr_name(g, NULL) == NULL)
      return -1;
    g = ng_xml_attr_get_ns(el, uri, ul, loc, ll);
    if (g == NULL || g > a)
      return -1;
  }
  return 0;
}

static int rtx_enter(void *ud, const ng_xml_node *n, size_t depth) {
  rtx_walk *w = ud;
  const ng_xml_node *c;
  size_t len;

  (void)depth;
  if (w->seen++ % w->every != 0)
    return ++w->enters == w->stop_at ? -7 : 0;
  for (c = ng_xml_first(n); c != NULL; c = ng_xml_next(c))
    if (ng_xml_parent(c) != n)
      w->bad = 1;
  if (ng_xml_type_of(n) == NG_XML_ELEMENT && rtx_element(n) != 0)
    w->bad = 1;
  if (ng_xml_type_of(n) == NG_XML_DOCTYPE &&
      (ng_xml_name(n, &len) == NULL ||
       (ng_xml_doctype_public(n, NULL) != NULL &&
        ng_xml_doctype_system(n, NULL) == NULL)))
    w->bad = 1;
  return ++w->enters == w->stop_at ? -7 : 0;
}

static int rtx_leave(void *ud, const ng_xml_node *n, size_t depth) {
  rtx_walk *w = ud;

  (void)n;
  (void)depth;
  w->leaves++;
  return 0;
}

static int rtx_walks(const ng_xml_node *docn, const ng_fuzz_xmlstat *st) {
  rtx_walk w;
  int rc;

  memset(&w, 0, sizeof w);
  w.every = st->nodes / 64 + 1;
  rc = ng_xml_walk(docn, rtx_enter, rtx_leave, &w);
  if (rc != 0 || w.enters != st->nodes || w.leaves != st->elements + 1 ||
      w.bad) {
    ng_fuzz_fail("roundtrip: walk gave %d after %zu enters %zu leaves (%zu "
                 "nodes, %zu elements)%s",
                 rc, w.enters, w.leaves, st->nodes, st->elements,
                 w.bad ? ", a wrong parent or accessor" : "");
    return -1;
  }
  memset(&w, 0, sizeof w);
  w.every = (size_t)-1;
  w.stop_at = st->nodes / 2 + 1;
  rc = ng_xml_walk(docn, rtx_enter, NULL, &w);
  if (rc != -7 || w.enters != w.stop_at) {
    ng_fuzz_fail("roundtrip: walk stopped at enter %zu gave %d after %zu",
                 w.stop_at, rc, w.enters);
    return -1;
  }
  return 0;
}

/* Text content: as long as the text, the same with CDATA kept apart. */
static int rtx_text(const uint8_t *data, size_t size, const ng_xml_node *docn,
                    const ng_fuzz_xmlstat *st) {
  ng_xml_options opt;
  ng_xml_doc *cd = NULL;
  char *a = NULL, *b = NULL;
  size_t na = 0, nb = 0;
  int ret = -1;

  if (ng_xml_text_content(docn, NULL, &a, &na) != NG_OK ||
      na != st->text_bytes) {
    ng_fuzz_fail("roundtrip: text content of %zu bytes, the text has %zu", na,
                 st->text_bytes);
    goto done;
  }
  ng_xml_options_default(&opt);
  opt.flags = NG_XML_KEEP_CDATA;
  if (ng_xml_parse(ng_fuzz_chars(data, size), size, &opt, &cd, NULL) != NG_OK) {
    ng_fuzz_fail("roundtrip: the document fails with KEEP_CDATA");
    goto done;
  }
  if (ng_xml_text_content(ng_xml_doc_node(cd), NULL, &b, &nb) == NG_OK)
    ret = ng_fuzz_same_bytes("roundtrip: text with CDATA kept apart", a, na, b,
                             nb);
done:
  free(a);
  free(b);
  ng_xml_doc_free(cd);
  return ret;
}

int ng_fuzz_xml_roundtrip(const uint8_t *data, size_t size) {
  ng_xml_doc *doc = NULL;
  const ng_xml_node *docn;
  ng_fuzz_xmlstat st;
  int ret;

  if (ng_xml_parse(ng_fuzz_chars(data, size), size, NULL, &doc, NULL) != NG_OK)
    return 0;
  docn = ng_xml_doc_node(doc);
  ng_fuzz_xml_stat(docn, &st);
  ret = rtx_compact(docn);
  if (ret == 0)
    ret = rtx_pretty(docn);
  if (ret == 0)
    ret = rtx_copy("document", docn);
  if (ret == 0)
    ret = rtx_copy("root element", ng_xml_doc_root(doc));
  if (ret == 0)
    ret = rtx_walks(docn, &st);
  if (ret == 0)
    ret = rtx_text(data, size, docn, &st);
  ng_xml_doc_free(doc);
  return ret;
}

NG_FUZZ_ENTRY(ng_fuzz_xml_roundtrip)
