/*
 * tests/test_xml_ns.c - Namespaces in XML 1.0 (NG_XML_NAMESPACES) through
 * every engine: names, prefixes and URIs in the DOM and in events (and
 * none of it with the flag off), error codes and offsets for each
 * constraint, events against the DOM on every *_ns_* corpus file, the
 * scope at depth and under churn, a tag with 50,000 declarations, and
 * write -> parse round trips. (Allocation failure at every allocation of
 * a namespaced parse is test_xml_parse's test_alloc_failure.)
 *
 * NG_VALGRIND=1 (or NG_TSAN, NG_SANITIZED) scales the deep test down.
 * Run from the repository root (make check does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nestguard.h"
#include "nestguard/xml.h"
#include "support/corpus.h"
#include "support/testenv.h"

#define NS NG_XML_NAMESPACES
#define XML_URI "http://www.w3.org/XML/1998/namespace"
#define XMLNS_URI "http://www.w3.org/2000/xmlns/"

#define FOR_EACH_ENGINE(e)                                                     \
  for ((e) = NG_XML_ITERATIVE; (unsigned)(e) < NG_XML_ENGINE_COUNT;            \
       (e) = (ng_xml_engine)((e) + 1))

/* Parses data[0..len) with engine e and flags into *doc. */
static int parse_n(ng_xml_engine e, unsigned flags, const char *data,
                   size_t len, ng_xml_doc **doc, ng_error *err) {
  ng_xml_options opt;

  ng_xml_options_default(&opt);
  opt.engine = e;
  opt.flags = flags;
  opt.limits.max_depth = 0;
  return ng_xml_parse(data, len, &opt, doc, err);
}

/* s[0..n) is the C string want; want NULL: s is NULL. */
static int str_is(const char *s, size_t n, const char *want) {
  if (want == NULL)
    return s == NULL && n == 0;
  return s != NULL && n == strlen(want) && memcmp(s, want, n) == 0;
}

/* The parts got[i] of got_len[i] bytes are prefix, local name and URI as
 * given (NULL: none). */
static void parts_are(const char *const got[3], const size_t got_len[3],
                      const char *prefix, const char *local, const char *uri) {
  assert_true(str_is(got[0], got_len[0], prefix));
  assert_true(str_is(got[1], got_len[1], local));
  assert_true(str_is(got[2], got_len[2], uri));
}

/* Element el's prefix, local name and URI are as given. */
static void el_is(const ng_xml_node *el, const char *prefix, const char *local,
                  const char *uri) {
  const char *got[3];
  size_t n[3];

  assert_int_equal(ng_xml_type_of(el), NG_XML_ELEMENT);
  got[0] = ng_xml_prefix(el, &n[0]);
  got[1] = ng_xml_local_name(el, &n[1]);
  got[2] = ng_xml_ns_uri(el, &n[2]);
  parts_are(got, n, prefix, local, uri);
}

/* Attribute i of el has this prefix, local name and URI. */
static void attr_is(const ng_xml_node *el, size_t i, const char *prefix,
                    const char *local, const char *uri) {
  const ng_xml_attr *a = ng_xml_attr_at(el, i);
  const char *got[3];
  size_t n[3];

  assert_non_null(a);
  got[0] = ng_xml_attr_prefix(a, &n[0]);
  got[1] = ng_xml_attr_local_name(a, &n[1]);
  got[2] = ng_xml_attr_ns_uri(a, &n[2]);
  parts_are(got, n, prefix, local, uri);
}

/* ------------------------------------------------------------- the DOM */

static const char names_doc[] =
    "<r xmlns='urn:d' xmlns:p='urn:p' a='1' p:b='2' xml:lang='en'>"
    "<p:c xmlns:p='urn:q' p:d='3'/><e xmlns=''/><p:f/></r>";

static void test_dom_names(void **state) {
  const ng_xml_node *r, *c;
  ng_xml_doc *doc = NULL;
  ng_xml_engine e;
  (void)state;

  FOR_EACH_ENGINE(e) {
    assert_int_equal(parse_n(e, NS, names_doc, strlen(names_doc), &doc, NULL),
                     NG_OK);
    r = ng_xml_doc_root(doc);
    el_is(r, NULL, "r", "urn:d");
    attr_is(r, 0, NULL, "xmlns", XMLNS_URI);
    attr_is(r, 1, "xmlns", "p", XMLNS_URI);
    attr_is(r, 2, NULL, "a", NULL); /* no default namespace for attributes */
    attr_is(r, 3, "p", "b", "urn:p");
    attr_is(r, 4, "xml", "lang", XML_URI); /* xml is bound without xmlns */
    assert_ptr_equal(ng_xml_attr_get_ns(r, "urn:p", 5, "b", 1),
                     ng_xml_attr_at(r, 3));
    assert_ptr_equal(ng_xml_attr_get_ns(r, NULL, 0, "a", 1),
                     ng_xml_attr_at(r, 2));
    assert_null(ng_xml_attr_get_ns(r, "urn:d", 5, "a", 1));
    c = ng_xml_first(r);
    el_is(c, "p", "c", "urn:q"); /* rebound on its own tag */
    attr_is(c, 1, "p", "d", "urn:q");
    c = ng_xml_next(c);
    el_is(c, NULL, "e", NULL); /* xmlns="" undeclares the default */
    el_is(ng_xml_next(c), "p", "f", "urn:p"); /* the rebinding ended */
    ng_xml_doc_free(doc);
  }
}

/* Without the flag names are not split and have no URI. */
static void test_dom_names_off(void **state) {
  const ng_xml_node *r;
  ng_xml_doc *doc = NULL;
  ng_xml_engine e;
  (void)state;

  FOR_EACH_ENGINE(e) {
    assert_int_equal(parse_n(e, 0, names_doc, strlen(names_doc), &doc, NULL),
                     NG_OK);
    r = ng_xml_doc_root(doc);
    el_is(r, NULL, "r", NULL);
    attr_is(r, 3, NULL, "p:b", NULL);
    el_is(ng_xml_first(r), NULL, "p:c", NULL);
    ng_xml_doc_free(doc);
  }
}

static void test_flags(void **state) {
  ng_xml_doc *doc = NULL;
  ng_xml_engine e;
  (void)state;

  FOR_EACH_ENGINE(e) {
    assert_int_equal(parse_n(e, NS | NG_XML_KEEP_CDATA, "<a/>", 4, &doc, NULL),
                     NG_OK);
    ng_xml_doc_free(doc);
    assert_int_equal(parse_n(e, 0x4u, "<a/>", 4, &doc, NULL), NG_EINVAL);
  }
}

/* ---------------------------------------------------------------- errors */

typedef struct err_case {
  const char *doc;
  const char *at; /* the error is at the first occurrence of this */
  size_t line;
} err_case;

/* Documents that are XML 1.0 but not namespace-well-formed: accepted
 * without the flag, NG_ENS with it, where each case says. */
static void test_error_offsets(void **state) {
  static const err_case cases[] = {
      {"<a p:x='1'/>", "p:x", 1},
      {"<:a/>", "<:a", 1},
      {"<a xmlns:xml='urn:x'/>", "xmlns:xml", 1},
      {"<?p:q?><a/>", "<?p:q", 1},
      {"<a xmlns:p='u'\n   q:y='1'/>", "q:y", 2},
      {"<r>\n<p:a/></r>", "<p:a", 2},
      {"<a:b:c/>", "<a:b:c", 1},
      {"<a>\n  <b xmlns:p=''/></a>", "xmlns:p", 2},
      {"<a xmlns='" XMLNS_URI "'/>", "xmlns=", 1},
      {"<a xmlns:p='u' xmlns:q='u' p:x='1' q:x='2'/>", "q:x", 1},
      {"<!DOCTYPE a [\n<!ENTITY a:b 'x'>]><a/>", "<!ENTITY", 2},
      {"<!DOCTYPE a [<!ENTITY e 'x'>\n<!NOTATION n:b SYSTEM 'n'>]><a/>",
       "<!NOTATION", 2},
      {"<!DOCTYPE a [<!ENTITY e SYSTEM 'u' NDATA n:b>]><a/>", "<!ENTITY", 1},
      {"<a/>\n<?p:q?>", "<?p:q", 2},
      /* In replacement text and DTD defaults: at the reference, the tag. */
      {"<!DOCTYPE a [<!ENTITY e \"<b p:x='1'/>\">]><a>&e;</a>", "&e;", 1},
      {"<!DOCTYPE a [<!ATTLIST a p:x CDATA '1'>]>\n<a/>", "<a/>", 2},
  };
  ng_xml_doc *doc = NULL;
  ng_error err;
  ng_xml_engine e;
  size_t i;
  (void)state;

  FOR_EACH_ENGINE(e) {
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      const char *d = cases[i].doc;
      assert_int_equal(parse_n(e, 0, d, strlen(d), &doc, &err), NG_OK);
      ng_xml_doc_free(doc);
      assert_int_equal(parse_n(e, NS, d, strlen(d), &doc, &err), NG_ENS);
      assert_null(doc);
      assert_true(err.msg[0] != '\0');
      assert_int_equal(err.offset, (size_t)(strstr(d, cases[i].at) - d));
      assert_int_equal(err.line, cases[i].line);
    }
  }
}

/* Errors point into the original input: UTF-16 bytes here. */
static void test_error_offset_utf16(void **state) {
  static const char src[] = "<a xmlns:p='u' q:y='1'/>";
  unsigned char u16[2 + 2 * sizeof src];
  ng_xml_doc *doc = NULL;
  ng_error err;
  size_t i;
  (void)state;

  u16[0] = 0xFF;
  u16[1] = 0xFE;
  for (i = 0; i + 1 < sizeof src; i++) {
    u16[2 + 2 * i] = (unsigned char)src[i];
    u16[3 + 2 * i] = 0;
  }
  assert_int_equal(parse_n(NG_XML_ITERATIVE, NS, (const char *)u16,
                           2 + 2 * (sizeof src - 1), &doc, &err),
                   NG_ENS);
  assert_int_equal(err.offset, 2 + 2 * (size_t)(strstr(src, "q:y") - src));
}

/* ---------------------------------------------------------------- events */

/* What the callbacks saw, as text: "<{uri}local a={uri}local ...>" and
 * "</{uri}local>". */
typedef struct trace {
  char s[4096];
  size_t n;
  int plain; /* set by start_element / end_element */
} trace;

static void put(trace *t, const char *s, size_t n) {
  assert_true(t->n + n < sizeof t->s);
  memcpy(t->s + t->n, s, n);
  t->n += n;
  t->s[t->n] = '\0';
}

static void put_name(trace *t, const char *uri, size_t ulen, const char *name,
                     size_t len, size_t local) {
  put(t, "{", 1);
  if (uri != NULL)
    put(t, uri, ulen);
  put(t, "}", 1);
  put(t, name + local, len - local);
}

static int on_start_ns(void *ud, const ng_xml_event_name *el,
                       const ng_xml_event_attr *a, size_t na) {
  trace *t = ud;
  size_t i;

  put(t, "<", 1);
  put_name(t, el->uri, el->uri_len, el->name, el->len, el->local);
  for (i = 0; i < na; i++) {
    put(t, " ", 1);
    put_name(t, a[i].uri, a[i].uri_len, a[i].name, a[i].name_len, a[i].local);
  }
  put(t, ">", 1);
  return 0;
}

static int on_end_ns(void *ud, const ng_xml_event_name *el) {
  trace *t = ud;

  put(t, "</", 2);
  put_name(t, el->uri, el->uri_len, el->name, el->len, el->local);
  put(t, ">", 1);
  return 0;
}

static int on_start(void *ud, const char *name, size_t len,
                    const ng_xml_event_attr *a, size_t na) {
  (void)name;
  (void)len;
  ((trace *)ud)->plain++;
  return on_start_ns(ud, &(ng_xml_event_name){"", 0, 0, NULL, 0}, a, na);
}

static int on_end(void *ud, const char *name, size_t len) {
  (void)name;
  (void)len;
  ((trace *)ud)->plain++;
  return 0;
}

static int run_events(ng_xml_engine e, unsigned flags, const char *d,
                      size_t len, const ng_xml_events *ev, ng_error *err) {
  ng_xml_options opt;

  ng_xml_options_default(&opt);
  opt.engine = e;
  opt.flags = flags;
  return ng_xml_parse_events(d, len, &opt, ev, err);
}

static void test_events(void **state) {
  static const char doc[] = "<p:a xmlns:p='urn:x' p:k='1' k='2'>"
                            "<b xmlns='urn:y'/></p:a>";
  ng_xml_events ev;
  trace t;
  ng_xml_engine e;
  (void)state;

  FOR_EACH_ENGINE(e) {
    memset(&ev, 0, sizeof ev);
    memset(&t, 0, sizeof t);
    ev.start_element = on_start; /* replaced by the _ns forms */
    ev.end_element = on_end;
    ev.start_element_ns = on_start_ns;
    ev.end_element_ns = on_end_ns;
    ev.ud = &t;
    assert_int_equal(run_events(e, NS, doc, strlen(doc), &ev, NULL), NG_OK);
    assert_string_equal(t.s, "<{urn:x}a {" XMLNS_URI "}p {urn:x}k {}k>"
                             "<{urn:y}b {" XMLNS_URI "}xmlns></{urn:y}b>"
                             "</{urn:x}a>");
    assert_int_equal(t.plain, 0);
    /* Off: the whole names, no URIs. */
    memset(&t, 0, sizeof t);
    assert_int_equal(run_events(e, 0, doc, strlen(doc), &ev, NULL), NG_OK);
    assert_string_equal(t.s, "<{}p:a {}xmlns:p {}p:k {}k><{}b {}xmlns></{}b>"
                             "</{}p:a>");
    /* start_element alone still gets the attributes' URIs. */
    ev.start_element_ns = NULL;
    ev.end_element_ns = NULL;
    memset(&t, 0, sizeof t);
    assert_int_equal(run_events(e, NS, doc, strlen(doc), &ev, NULL), NG_OK);
    assert_string_equal(t.s, "<{} {" XMLNS_URI "}p {urn:x}k {}k>"
                             "<{} {" XMLNS_URI "}xmlns>");
    assert_int_equal(t.plain, 4);
  }
}

/* Element c's name as the events write it. */
static void put_el(trace *t, const ng_xml_node *c) {
  size_t ul, nl, ll;
  const char *u = ng_xml_ns_uri(c, &ul), *nm = ng_xml_name(c, &nl);

  ng_xml_local_name(c, &ll);
  put_name(t, u, ul, nm, nl, nl - ll);
}

/* Attribute a's name as the events write it. */
static void put_attr(trace *t, const ng_xml_attr *a) {
  size_t ul, nl, ll;
  const char *u = ng_xml_attr_ns_uri(a, &ul), *nm = ng_xml_attr_name(a, &nl);

  ng_xml_attr_local_name(a, &ll);
  put_name(t, u, ul, nm, nl, nl - ll);
}

/* The DOM's names in document order, as the events write them. */
static void dom_trace(trace *t, const ng_xml_node *n) {
  const ng_xml_attr *a;
  const ng_xml_node *c;
  size_t i;

  for (c = ng_xml_first(n); c != NULL; c = ng_xml_next(c)) {
    if (ng_xml_type_of(c) != NG_XML_ELEMENT)
      continue;
    put(t, "<", 1);
    put_el(t, c);
    for (i = 0; (a = ng_xml_attr_at(c, i)) != NULL; i++) {
      put(t, " ", 1);
      put_attr(t, a);
    }
    put(t, ">", 1);
    dom_trace(t, c); /* corpus documents are shallow */
    put(t, "</", 2);
    put_el(t, c);
    put(t, ">", 1);
  }
}

/* Every engine's events and DOM name the same URIs on every y_ ns file. */
static void test_events_equal_dom(void **state) {
  ng_xml_events ev;
  ng_xml_doc *doc = NULL;
  ng_corpus c;
  trace a, b;
  ng_xml_engine e;
  size_t i, n = 0;
  (void)state;

  memset(&ev, 0, sizeof ev);
  ev.start_element_ns = on_start_ns;
  ev.end_element_ns = on_end_ns;
  assert_int_equal(ng_corpus_load(&c, "corpus/xml"), 0);
  for (i = 0; i < c.n; i++) {
    const ng_corpus_file *f = &c.files[i];
    if (f->name[0] != 'y' || strstr(f->name, "_ns_") == NULL)
      continue;
    FOR_EACH_ENGINE(e) {
      memset(&a, 0, sizeof a);
      memset(&b, 0, sizeof b);
      ev.ud = &a;
      assert_int_equal(run_events(e, NS, f->data, f->len, &ev, NULL), NG_OK);
      assert_int_equal(parse_n(e, NS, f->data, f->len, &doc, NULL), NG_OK);
      dom_trace(&b, ng_xml_doc_node(doc));
      ng_xml_doc_free(doc);
      if (strcmp(a.s, b.s) != 0)
        printf("  %s\n  events %s\n  dom    %s\n", f->name, a.s, b.s);
      assert_string_equal(a.s, b.s);
    }
    n++;
  }
  ng_corpus_free(&c);
  assert_true(n >= 20);
}

/* ----------------------------------------------------------------- scope */

/* Appends s to the growing buffer *b of *n bytes (cap *cap). */
static void add(char **b, size_t *n, size_t *cap, const char *s) {
  size_t k = strlen(s);

  while (*n + k + 1 > *cap) {
    *cap = *cap != 0 ? *cap * 2 : 4096;
    assert_non_null(*b = realloc(*b, *cap));
  }
  memcpy(*b + *n, s, k + 1);
  *n += k;
}

/* The last element's URI, for events on a deep document. */
typedef struct last_uri {
  char uri[32];
  size_t starts;
  size_t at_depth; /* starts before the one to remember */
  char deep[32];   /* URI of element number at_depth + 1 */
} last_uri;

static int on_start_last(void *ud, const ng_xml_event_name *el,
                         const ng_xml_event_attr *a, size_t na) {
  last_uri *l = ud;

  (void)a;
  (void)na;
  assert_true(el->uri_len < sizeof l->uri);
  if (el->uri_len != 0)
    memcpy(l->uri, el->uri, el->uri_len);
  l->uri[el->uri_len] = '\0';
  if (l->starts++ == l->at_depth)
    memcpy(l->deep, l->uri, sizeof l->deep);
  return 0;
}

/*
 * levels nested <p:e xmlns:p='uN'> (N = level % 7) inside <r xmlns:q=..>,
 * a <q:leaf/> at the bottom and a <q:after/> once all are closed: each
 * level's binding hides the one above and is popped with its element.
 */
static void test_scope_deep(void **state) {
  size_t levels = ng_test_deep_levels(), n = 0, cap = 0, i;
  char *d = NULL, tag[64];
  ng_xml_options opt;
  ng_xml_events ev;
  last_uri l;
  ng_xml_engine e;
  (void)state;

  add(&d, &n, &cap, "<r xmlns:q='urn:top'>");
  for (i = 0; i < levels; i++) {
    snprintf(tag, sizeof tag, "<p:e xmlns:p='u%zu'>", i % 7);
    add(&d, &n, &cap, tag);
  }
  add(&d, &n, &cap, "<q:leaf/>");
  for (i = 0; i < levels; i++)
    add(&d, &n, &cap, "</p:e>");
  add(&d, &n, &cap, "<q:after/></r>");
  memset(&ev, 0, sizeof ev);
  ev.start_element_ns = on_start_last;
  ev.ud = &l;
  FOR_EACH_ENGINE(e) {
    memset(&l, 0, sizeof l);
    l.at_depth = levels; /* the innermost p:e (after r) */
    ng_xml_options_default(&opt);
    opt.engine = e;
    opt.flags = NS;
    opt.limits.max_depth = 0;
    assert_int_equal(ng_xml_parse_events(d, n, &opt, &ev, NULL), NG_OK);
    assert_int_equal(l.starts, levels + 3);
    snprintf(tag, sizeof tag, "u%zu", (levels - 1) % 7);
    assert_string_equal(l.deep, tag);
    assert_string_equal(l.uri, "urn:top");
  }
  free(d);
}

/* 2,000 siblings each declaring a prefix of their own: every prefix goes
 * out of scope again, and the table is rebuilt many times. */
static void test_scope_churn(void **state) {
  size_t n = 0, cap = 0, i, len;
  char *d = NULL, tag[96];
  const ng_xml_node *c;
  ng_xml_doc *doc = NULL;
  ng_error err;
  ng_xml_engine e;
  (void)state;

  add(&d, &n, &cap, "<r>");
  for (i = 0; i < 2000; i++) {
    snprintf(tag, sizeof tag, "<b xmlns:p%zu='u%zu'><p%zu:c/></b>", i, i, i);
    add(&d, &n, &cap, tag);
  }
  add(&d, &n, &cap, "<q:z xmlns:q='last'/>");
  len = n;
  add(&d, &n, &cap, "<p7:c/></r>");
  FOR_EACH_ENGINE(e) {
    assert_int_equal(parse_n(e, NS, d, len, &doc, &err), NG_EEOF);
    assert_int_equal(parse_n(e, NS, d, n, &doc, &err), NG_ENS);
    assert_int_equal(err.offset, len);
    memcpy(d + len, "</r>", 5);
    assert_int_equal(parse_n(e, NS, d, len + 4, &doc, &err), NG_OK);
    c = ng_xml_first(ng_xml_doc_root(doc));
    for (i = 0; i < 1234; i++)
      c = ng_xml_next(c);
    el_is(ng_xml_first(c), "p1234", "c", "u1234");
    while (ng_xml_next(c) != NULL)
      c = ng_xml_next(c);
    el_is(c, "q", "z", "last");
    ng_xml_doc_free(doc);
    memcpy(d + len, "<p7:c/></r>", 12);
  }
  free(d);
}

/*
 * One tag with 50,000 declarations of one URI and 50,000 attributes in it
 * with distinct local names: prefix lookups and the uniqueness check stay
 * O(1) each (a scan of the scope would be 2.5e9 steps). Then the same tag
 * with the last local name repeated: NG_ENS at that attribute.
 */
static void test_many_bindings(void **state) {
  enum { K = 50000 };
  size_t n = 0, cap = 0, i, dup;
  char *d = NULL, a[64];
  ng_error err;
  double t0, ms;
  (void)state;

  add(&d, &n, &cap, "<r");
  for (i = 0; i < K; i++) {
    snprintf(a, sizeof a, " xmlns:p%zu='u'", i);
    add(&d, &n, &cap, a);
  }
  for (i = 0; i < K; i++) {
    snprintf(a, sizeof a, " p%zu:a%zu='1'", i, i);
    add(&d, &n, &cap, a);
  }
  dup = n;
  add(&d, &n, &cap, " p0:a49999='2'/>");
  t0 = ng_test_cpu_ms();
  assert_int_equal(run_events(NG_XML_ITERATIVE, NS, d, n, NULL, &err), NG_ENS);
  ms = ng_test_cpu_ms() - t0;
  printf("  %d declarations, %d attributes: %.1f ms\n", K, K + 1, ms);
  assert_int_equal(err.offset, dup + 1);
  memcpy(d + dup, "/>", 3);
  assert_int_equal(run_events(NG_XML_ITERATIVE, NS, d, dup + 2, NULL, &err),
                   NG_OK);
  assert_true(ms < 2000);
  free(d);
}

/* ------------------------------------------------------------ round trip */

/* write -> parse with namespaces on gives an equal document, URIs
 * included; a DTD default's declaration is written out explicitly. So is
 * a copy. */
static void test_write_round_trip(void **state) {
  static const char doc[] =
      "<!DOCTYPE a [<!ATTLIST a xmlns:p CDATA 'urn:x'>]>"
      "<a xmlns='urn:d'><p:b p:k='v' k='w'/><c xmlns=''><p:d/></c></a>";
  ng_xml_doc *a = NULL, *b = NULL, *c = NULL;
  char *out = NULL;
  size_t len;
  ng_xml_engine e;
  (void)state;

  FOR_EACH_ENGINE(e) {
    assert_int_equal(parse_n(e, NS, doc, strlen(doc), &a, NULL), NG_OK);
    assert_int_equal(ng_xml_write(ng_xml_doc_node(a), 0, NULL, &out, &len),
                     NG_OK);
    assert_int_equal(parse_n(e, NS, out, len, &b, NULL), NG_OK);
    assert_true(ng_xml_equal(ng_xml_doc_node(a), ng_xml_doc_node(b)));
    el_is(ng_xml_first(ng_xml_doc_root(b)), "p", "b", "urn:x");
    assert_int_equal(ng_xml_copy(ng_xml_doc_node(b), NULL, &c), NG_OK);
    assert_true(ng_xml_equal(ng_xml_doc_node(a), ng_xml_doc_node(c)));
    el_is(ng_xml_first(ng_xml_next(ng_xml_first(ng_xml_doc_root(c)))), "p", "d",
          "urn:x");
    /* The same text without namespaces is another document. */
    ng_xml_doc_free(b);
    assert_int_equal(parse_n(e, 0, out, len, &b, NULL), NG_OK);
    assert_false(ng_xml_equal(ng_xml_doc_node(a), ng_xml_doc_node(b)));
    free(out);
    ng_xml_doc_free(a);
    ng_xml_doc_free(b);
    ng_xml_doc_free(c);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_dom_names),
      cmocka_unit_test(test_dom_names_off),
      cmocka_unit_test(test_flags),
      cmocka_unit_test(test_error_offsets),
      cmocka_unit_test(test_error_offset_utf16),
      cmocka_unit_test(test_events),
      cmocka_unit_test(test_events_equal_dom),
      cmocka_unit_test(test_scope_deep),
      cmocka_unit_test(test_scope_churn),
      cmocka_unit_test(test_many_bindings),
      cmocka_unit_test(test_write_round_trip),
  };
  return cmocka_run_group_tests_name("xml_ns", tests, NULL, NULL);
}
