/*
 * fuzz/fuzz_xml.c - XML harness helpers (see fuzz_xml.h).
 *
 * Oracles and decoders only, like fuzz.c: nothing here may hide a failure
 * of the code under test. Walks use ng_xml_walk (iterative), so the
 * checks work at any depth the parsers accept.
 */
#include "fuzz_xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------- line, column */

/* Bytes per code unit (1, 2 or 4), big-endian flag and BOM length of an
 * input told by its first bytes; 0 units: an encoding not decoded here. */
typedef struct xml_form {
  size_t unit, bom;
  int be;
} xml_form;

static int xml_starts(const uint8_t *d, size_t n, const char *p, size_t pn) {
  return n >= pn && memcmp(d, p, pn) == 0;
}

/* An XML declaration naming an encoding in its first line: the harness
 * cannot tell how its bytes decode, so positions go unchecked. */
static int xml_declares_encoding(const uint8_t *d, size_t n) {
  size_t i;

  if (!xml_starts(d, n, "<?xml", 5))
    return 0;
  for (i = 5; i + 8 <= n && i < 256 && d[i] != '>'; i++)
    if (memcmp(d + i, "encoding", 8) == 0)
      return 1;
  return 0;
}

static xml_form xml_form_of(const uint8_t *d, size_t n) {
  xml_form f = {1, 0, 0};

  if (xml_starts(d, n, "\0\0\xFE\xFF", 4) ||
      xml_starts(d, n, "\xFF\xFE\0\0", 4) ||
      xml_starts(d, n, "\0\0\xFF\xFE", 4) ||
      xml_starts(d, n, "\xFE\xFF\0\0", 4) ||
      xml_starts(d, n, "\0\0\0<", 4) || xml_starts(d, n, "<\0\0\0", 4)) {
    /* UCS-4 in all four byte orders (XML 1.0 appendix F: FE FF 00 00 is
     * the 3412 mark, not UTF-16's followed by a NUL): 4-byte units */
    f.unit = 0;
  } else if (xml_starts(d, n, "\xFE\xFF", 2) ||
             xml_starts(d, n, "\xFF\xFE", 2)) {
    f.unit = 2;
    f.bom = 2;
    f.be = d[0] == 0xFE;
  } else if (xml_starts(d, n, "\0<\0?", 4) || xml_starts(d, n, "<\0?\0", 4)) {
    f.unit = 2;
    f.be = d[0] == 0;
  } else if (xml_starts(d, n, "\xEF\xBB\xBF", 3)) {
    f.bom = 3;
    f.unit = xml_declares_encoding(d + 3, n - 3) ? 0 : 1;
  } else if (xml_declares_encoding(d, n) ||
             xml_starts(d, n, "\x4C\x6F\xA7\x94", 4)) {
    f.unit = 0;
  }
  return f;
}

static uint32_t xml_unit_at(const uint8_t *d, const xml_form *f, size_t i) {
  if (f->unit == 1)
    return d[i];
  return f->be ? (uint32_t)d[i] << 8 | d[i + 1]
               : (uint32_t)d[i + 1] << 8 | d[i];
}

/* Lines of bytes d[from, off), one byte per unit: the common case, kept
 * to a plain byte loop (the differential counts every error's line). */
static void xml_linecol8(const uint8_t *d, size_t from, size_t off,
                         size_t *line, size_t *col) {
  size_t i, n = 1, start = from;

  for (i = from; i < off; i++)
    if (d[i] == '\r' || d[i] == '\n') {
      n += d[i] == '\r' || i == from || d[i - 1] != '\r';
      start = i + 1;
    }
  *line = n;
  *col = off - start + 1;
}

int ng_fuzz_xml_linecol(const uint8_t *data, size_t size, size_t off,
                        size_t *line, size_t *col) {
  xml_form f = xml_form_of(data, size);
  size_t i, start, prev = 0;

  if (f.unit == 0 || off < f.bom || (off - f.bom) % f.unit != 0 || off > size)
    return -1;
  if (f.unit == 1) {
    xml_linecol8(data, f.bom, off, line, col);
    return 0;
  }
  *line = 1;
  start = f.bom;
  for (i = f.bom; i + f.unit <= off; i += f.unit) {
    uint32_t u = xml_unit_at(data, &f, i);
    if (u == '\r' || (u == '\n' && prev != '\r')) {
      (*line)++;
    }
    if (u == '\r' || u == '\n')
      start = i + f.unit;
    prev = u;
  }
  *col = off - start + 1;
  return 0;
}

static int xml_no_linecol(const uint8_t *data, size_t size, size_t off,
                          size_t *line, size_t *col) {
  (void)data;
  (void)size;
  (void)off;
  (void)line;
  (void)col;
  return -1;
}

static int xml_check(const char *who, const uint8_t *data, size_t size,
                     int rc, const ng_xml_doc *doc, const ng_error *err,
                     ng_fuzz_linecol linecol) {
  if (doc != NULL && ng_xml_doc_node(doc) == NULL) {
    ng_fuzz_fail("%s: a document without a DOCUMENT node", who);
    return -1;
  }
  if (rc == NG_OK && doc != NULL && ng_xml_doc_root(doc) == NULL) {
    ng_fuzz_fail("%s: NG_OK but the document has no root element", who);
    return -1;
  }
  return ng_fuzz_check_outcome(who, data, size, rc, doc != NULL, err,
                               linecol);
}

int ng_fuzz_xml_check_result(const char *who, const uint8_t *data, size_t size,
                             int rc, const ng_xml_doc *doc,
                             const ng_error *err) {
  return xml_check(who, data, size, rc, doc, err, ng_fuzz_xml_linecol);
}

int ng_fuzz_xml_check_contract(const char *who, const uint8_t *data,
                               size_t size, int rc, const ng_xml_doc *doc,
                               const ng_error *err) {
  return xml_check(who, data, size, rc, doc, err, xml_no_linecol);
}

/* ----------------------------------------------------------- DOM walks */

static void xml_stat_max(ng_fuzz_xmlstat *st, size_t n) {
  if (n > st->max_string)
    st->max_string = n;
}

static void xml_stat_element(ng_fuzz_xmlstat *st, const ng_xml_node *n,
                             size_t depth) {
  size_t i, len;

  st->elements++;
  if (depth > st->depth)
    st->depth = depth;
  (void)ng_xml_name(n, &len);
  xml_stat_max(st, len);
  for (i = 0; i < ng_xml_attr_count(n); i++) {
    const ng_xml_attr *a = ng_xml_attr_at(n, i);
    st->attrs++;
    (void)ng_xml_attr_name(a, &len);
    xml_stat_max(st, len);
    (void)ng_xml_attr_value(a, &len);
    st->attr_bytes += len;
    xml_stat_max(st, len);
  }
}

static int xml_stat_enter(void *ud, const ng_xml_node *n, size_t depth) {
  ng_fuzz_xmlstat *st = ud;
  size_t len = 0;

  st->nodes++;
  (void)ng_xml_data(n, &len);
  switch (ng_xml_type_of(n)) {
  case NG_XML_ELEMENT:
    xml_stat_element(st, n, depth);
    break;
  case NG_XML_TEXT:
  case NG_XML_CDATA:
    st->text_bytes += len;
    break;
  case NG_XML_COMMENT:
    st->comments++;
    break;
  case NG_XML_PI:
    st->pis++;
    break;
  case NG_XML_DOCTYPE:
    st->doctypes++;
    break;
  default:
    break;
  }
  xml_stat_max(st, len);
  return 0;
}

void ng_fuzz_xml_stat(const ng_xml_node *n, ng_fuzz_xmlstat *st) {
  memset(st, 0, sizeof *st);
  (void)ng_xml_walk(n, xml_stat_enter, NULL, st);
}

/* The amplification limit docs/xml.md documents (expat's defaults): past
 * 8 MiB read in all, at most 100 times the document bytes read. */
#define XML_AMP_RATIO 100
#define XML_AMP_THRESHOLD ((size_t)8 << 20)

int ng_fuzz_xml_check_expansion(const char *who, size_t size,
                                const ng_fuzz_xmlstat *st,
                                size_t max_entity_expansion) {
  size_t cap = max_entity_expansion ? max_entity_expansion
                                    : NG_DEFAULT_MAX_ENTITY_EXPANSION;
  size_t lit = size > (size_t)-1 / 3 ? (size_t)-1 : 3 * size;
  size_t amp = size > XML_AMP_THRESHOLD / XML_AMP_RATIO ? XML_AMP_RATIO * size
                                                        : XML_AMP_THRESHOLD;
  size_t all = st->text_bytes + st->attr_bytes;

  /* Text comes from the input or from entities (charged to the cap);
   * values may also come from attribute defaults, which only the ratio
   * bounds. */
  if (st->text_bytes > lit && st->text_bytes - lit > cap) {
    ng_fuzz_fail("%s: %zu bytes of text from %zu input bytes, past the "
                 "expansion limit %zu",
                 who, st->text_bytes, size, cap);
    return -1;
  }
  if (all > lit && all - lit > amp) {
    ng_fuzz_fail("%s: %zu bytes of text and values from %zu input bytes, "
                 "past the amplification limit",
                 who, all, size);
    return -1;
  }
  return 0;
}

/* --------------------------------------------------------- event checks */

static int xev_bad(ng_fuzz_xmlev *ev, const char *why) {
  return ng_fuzz_sink_bad(&ev->sink, why);
}

static int xev_tick(ng_fuzz_xmlev *ev) { return ng_fuzz_sink_tick(&ev->sink); }

static int xev_push(ng_fuzz_xmlev *ev, const char *name, size_t len) {
  void *o = ev->open, *n = ev->names;

  if (ng_fuzz_grow(&o, &ev->open_cap, ev->sp + 1, sizeof *ev->open) != 0)
    return -1;
  ev->open = o;
  if (ng_fuzz_grow(&n, &ev->names_cap, ev->names_len + len, 1) != 0)
    return -1;
  ev->names = n;
  ev->open[ev->sp++] = ev->names_len;
  memcpy(ev->names + ev->names_len, name, len);
  ev->names_len += len;
  return 0;
}

static int xev_start(void *ud, const char *name, size_t len,
                     const ng_xml_event_attr *attrs, size_t nattrs) {
  ng_fuzz_xmlev *ev = ud;
  size_t i;

  if (ev->roots > 0)
    xev_bad(ev, "element after the root element");
  if (name == NULL || len == 0 || (nattrs > 0 && attrs == NULL))
    xev_bad(ev, "start_element without a name or attributes");
  else if (xev_push(ev, name, len) != 0)
    xev_bad(ev, "harness out of memory");
  ev->st.elements++;
  if (ev->sp > ev->st.depth)
    ev->st.depth = ev->sp;
  xml_stat_max(&ev->st, len);
  for (i = 0; attrs != NULL && i < nattrs; i++) {
    if (attrs[i].name == NULL || attrs[i].value == NULL)
      xev_bad(ev, "attribute without a name or value");
    ev->st.attrs++;
    ev->st.attr_bytes += attrs[i].value_len;
    xml_stat_max(&ev->st, attrs[i].name_len);
    xml_stat_max(&ev->st, attrs[i].value_len);
  }
  return xev_tick(ev);
}

static int xev_end(void *ud, const char *name, size_t len) {
  ng_fuzz_xmlev *ev = ud;
  size_t at;

  if (ev->sp == 0)
    return xev_bad(ev, "end_element without a start"), xev_tick(ev);
  at = ev->open[--ev->sp];
  if (name == NULL || ev->names_len - at != len ||
      memcmp(ev->names + at, name, len) != 0)
    xev_bad(ev, "end_element names another element");
  ev->names_len = at;
  if (ev->sp == 0)
    ev->roots++;
  return xev_tick(ev);
}

static int xev_text(void *ud, const char *data, size_t len, int is_cdata) {
  ng_fuzz_xmlev *ev = ud;

  (void)is_cdata;
  if (ev->sp == 0)
    xev_bad(ev, "text outside the root element");
  if (data == NULL && len > 0)
    xev_bad(ev, "NULL text");
  ev->st.text_bytes += len;
  return xev_tick(ev);
}

static int xev_comment(void *ud, const char *data, size_t len) {
  ng_fuzz_xmlev *ev = ud;

  if (data == NULL && len > 0)
    xev_bad(ev, "NULL comment");
  ev->st.comments++;
  xml_stat_max(&ev->st, len);
  return xev_tick(ev);
}

static int xev_pi(void *ud, const char *target, size_t tlen, const char *data,
                  size_t dlen) {
  ng_fuzz_xmlev *ev = ud;

  if (target == NULL || tlen == 0 || data == NULL)
    xev_bad(ev, "PI without a target or data");
  ev->st.pis++;
  xml_stat_max(&ev->st, dlen);
  return xev_tick(ev);
}

static int xev_doctype(void *ud, const char *name, size_t nlen,
                       const char *pubid, size_t plen, const char *sysid,
                       size_t slen) {
  ng_fuzz_xmlev *ev = ud;

  (void)pubid;
  (void)plen;
  (void)sysid;
  (void)slen;
  if (name == NULL || nlen == 0 || ev->st.elements > 0 || ev->st.doctypes)
    xev_bad(ev, "doctype without a name, twice or after an element");
  ev->st.doctypes++;
  return xev_tick(ev);
}

static int xev_skipped(void *ud, const char *name, size_t len) {
  ng_fuzz_xmlev *ev = ud;

  if (name == NULL || len == 0)
    xev_bad(ev, "skipped entity without a name");
  return xev_tick(ev);
}

void ng_fuzz_xml_events_init(ng_fuzz_xmlev *ev, ng_xml_events *cb,
                             size_t stop_at) {
  memset(ev, 0, sizeof *ev);
  ev->sink.stop_at = stop_at;
  /* Callbacks not named here (added later) stay NULL. */
  *cb = (ng_xml_events){.start_element = xev_start,
                        .end_element = xev_end,
                        .text = xev_text,
                        .comment = xev_comment,
                        .pi = xev_pi,
                        .doctype = xev_doctype,
                        .skipped_entity = xev_skipped,
                        .ud = ev};
}

void ng_fuzz_xml_events_free(ng_fuzz_xmlev *ev) {
  free(ev->open);
  free(ev->names);
  ev->open = NULL;
  ev->names = NULL;
}

/* ------------------------------------------------------ per-engine oracle */

/* Events of a parsed document must count what its DOM holds. */
static int xml_events_match_dom(const char *who, const ng_fuzz_xmlev *ev,
                                const ng_xml_doc *doc) {
  ng_fuzz_xmlstat d;
  const ng_fuzz_xmlstat *e = &ev->st;

  ng_fuzz_xml_stat(ng_xml_doc_node(doc), &d);
  if (e->elements == d.elements && e->attrs == d.attrs &&
      e->attr_bytes == d.attr_bytes && e->text_bytes == d.text_bytes &&
      e->comments == d.comments && e->pis == d.pis &&
      e->doctypes == d.doctypes && e->depth == d.depth && ev->sp == 0)
    return 0;
  ng_fuzz_fail("%s: events %zu elements %zu attrs (%zu B) %zu text B %zu "
               "comments %zu PIs %zu doctypes depth %zu; DOM %zu %zu (%zu B) "
               "%zu B %zu %zu %zu depth %zu",
               who, e->elements, e->attrs, e->attr_bytes, e->text_bytes,
               e->comments, e->pis, e->doctypes, e->depth, d.elements, d.attrs,
               d.attr_bytes, d.text_bytes, d.comments, d.pis, d.doctypes,
               d.depth);
  return -1;
}

/* Parses through the event API and compares with the DOM parse; the
 * events deliver no more than the expansion bound allows. */
static int xml_events(const char *who, const ng_fuzz_options *o,
                      const uint8_t *data, size_t size, int rc_dom,
                      const ng_error *err_dom, const void *doc) {
  ng_fuzz_xmlev ev;
  ng_xml_events cb;
  ng_error err;
  int rc, ret = 0;

  ng_fuzz_xml_events_init(&ev, &cb, 0);
  rc = ng_xml_parse_events(ng_fuzz_chars(data, size), size, &o->xml, &cb,
                           &err);
  ret = ng_fuzz_check_events(who, &ev.sink, rc, &err, rc_dom, err_dom);
  if (ret > 0)
    ret = xml_events_match_dom(who, &ev, doc);
  if (ret == 0)
    ret = ng_fuzz_xml_check_expansion(who, size, &ev.st,
                                      o->xml.limits.max_entity_expansion);
  ng_fuzz_xml_events_free(&ev);
  return ret;
}

/* ------------------------------------------------- the XML format */

static const char *xml_engine_name(int e) {
  return ng_xml_engine_name((ng_xml_engine)e);
}

static void xml_options(ng_fuzz_options *o, int e, const ng_alloc *alc) {
  ng_xml_options_default(&o->xml);
  o->xml.engine = (ng_xml_engine)e;
  o->xml.alc = alc;
}

static ng_limits *xml_limits(ng_fuzz_options *o) { return &o->xml.limits; }

static const ng_alloc **xml_alc(ng_fuzz_options *o) { return &o->xml.alc; }

static int xml_parse(const ng_fuzz_options *o, const uint8_t *data,
                     size_t size, void **doc, ng_error *err) {
  ng_xml_doc *d = NULL;
  int rc = ng_xml_parse(ng_fuzz_chars(data, size), size, &o->xml, &d, err);

  *doc = d;
  return rc;
}

static int xml_check_result(const char *who, const uint8_t *data, size_t size,
                            int rc, const void *doc, const ng_error *err) {
  return ng_fuzz_xml_check_result(who, data, size, rc, doc, err);
}

static int xml_check_doc(const char *who, size_t size, const void *doc) {
  ng_fuzz_xmlstat st;

  ng_fuzz_xml_stat(ng_xml_doc_node(doc), &st);
  return ng_fuzz_xml_check_expansion(who, size, &st, 0);
}

static size_t xml_depth(const void *doc) {
  ng_fuzz_xmlstat st;

  ng_fuzz_xml_stat(ng_xml_doc_node(doc), &st);
  return st.depth;
}

static int xml_equal(const void *a, const void *b) {
  return ng_xml_equal(ng_xml_doc_node(a), ng_xml_doc_node(b));
}

static void xml_free(void *doc) { ng_xml_doc_free(doc); }

static int xml_feed(void *s, const char *data, size_t len, ng_error *err) {
  return ng_xml_stream_feed(s, data, len, err);
}

static int xml_finish(void *s, void **doc, ng_error *err) {
  ng_xml_doc *d = NULL;
  int rc = ng_xml_stream_finish(s, &d, err);

  *doc = d;
  return rc;
}

const ng_fuzz_format ng_fuzz_xml = {
    .engine_name = xml_engine_name,
    .options = xml_options,
    .limits = xml_limits,
    .alc = xml_alc,
    .parse = xml_parse,
    .check_result = xml_check_result,
    .check_doc = xml_check_doc,
    .events = xml_events,
    .depth = xml_depth,
    .equal = xml_equal,
    .free = xml_free,
    .feed = xml_feed,
    .finish = xml_finish,
};

int ng_fuzz_xml_engines(const uint8_t *data, size_t size) {
  int e, ret = 0;

  for (e = 0; e < NG_XML_ENGINE_COUNT && ret == 0; e++)
    ret = ng_fuzz_engine(&ng_fuzz_xml, e, data, size);
  return ret;
}
