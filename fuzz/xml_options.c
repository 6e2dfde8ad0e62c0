/*
 * fuzz/xml_options.c - XML limits, options and allocation failure.
 *
 * The first NG_FUZZ_SETTINGS_BYTES + 1 bytes choose the engine, flags
 * (CDATA kept apart; namespaces when the build has them), max_depth,
 * max_stack, max_input, max_string, max_memory, max_entity_expansion,
 * DOM or event API, and which allocation fails (or every one from then
 * on); the rest is the document (layout in fuzz.h, the engine and flags
 * bits in xo_decode). The checks are ng_fuzz_run_options's (fuzz.c) with
 * XML's hooks below. Oracles:
 *   - an injected allocation failure comes back as NG_ENOMEM from the
 *     parse, copy, write or text_content that hit it, never as success
 *     or a crash, and nothing leaks on any path (sizes named right);
 *   - limits only cut a parse short (ng_fuzz_check_limited): compared
 *     with the same options unlimited, a limited parse that succeeds
 *     gives the same DOM; one that fails names a limit that is set and
 *     really exceeded, at or before the unlimited error;
 *   - a successful document respects max_depth and max_memory, and the
 *     text and values it (or the event stream) delivers stay within the
 *     input plus max_entity_expansion;
 *   - the event API under the same settings gives the DOM parse's result
 *     (the memory cap aside: it counts DOM bytes).
 */
#include "fuzz_xml.h"

/* The option flags this build has (any other bit is NG_EINVAL). */
#ifdef NG_XML_NAMESPACES
#define XO_FLAGS (NG_XML_KEEP_CDATA | NG_XML_NAMESPACES)
#else
#define XO_FLAGS NG_XML_KEEP_CDATA
#endif

/* bits 0-2 engine (mod NG_XML_ENGINE_COUNT), 3-5 flags (NG_XML_* bits,
 * unknown ones dropped). */
static void xo_decode(ng_fuzz_options *o, unsigned bits) {
  ng_xml_options *opt = &o->xml;

  ng_xml_options_default(opt);
  opt->engine = (ng_xml_engine)((bits & 7u) % NG_XML_ENGINE_COUNT);
  opt->flags = ((bits >> 3) & 7u) & XO_FLAGS;
}

/* DTD strings are not in the DOM: its longest string tells nothing. */
static void xo_extent(const void *doc, ng_fuzz_extent *ext) {
  ng_fuzz_xmlstat st;

  ng_fuzz_xml_stat(ng_xml_doc_node(doc), &st);
  ext->depth = st.depth;
  ext->max_string = (size_t)-1;
}

/* A successful limited document must respect its limits. */
static int xo_check_limits(const void *doc, const ng_limits *l, size_t n) {
  ng_fuzz_xmlstat st;
  size_t mem = ng_xml_doc_memory(doc);

  ng_fuzz_xml_stat(ng_xml_doc_node(doc), &st);
  if ((l->max_depth && st.depth > l->max_depth) ||
      (l->max_memory && mem > l->max_memory)) {
    ng_fuzz_fail("options: document (depth %zu, memory %zu) passed "
                 "max_depth %zu max_memory %zu",
                 st.depth, mem, l->max_depth, l->max_memory);
    return -1;
  }
  return ng_fuzz_xml_check_expansion("options", n, &st,
                                     l->max_entity_expansion);
}

static int xo_copy(const void *doc, const ng_alloc *alc, void **copy) {
  ng_xml_doc *c = NULL;
  int rc = ng_xml_copy(ng_xml_doc_node(doc), alc, &c);

  *copy = c;
  return rc;
}

static int xo_write(const void *doc, const ng_alloc *alc, char **out,
                    size_t *len) {
  return ng_xml_write(ng_xml_doc_node(doc), NG_XML_WRITE_PRETTY, alc, out,
                      len);
}

static int xo_text(const void *doc, const ng_alloc *alc, char **out,
                   size_t *len) {
  return ng_xml_text_content(ng_xml_doc_node(doc), alc, out, len);
}

/* The events must be well formed and deliver no more than the limits
 * allow. */
static int xo_events(const ng_fuzz_options *o, const uint8_t *data, size_t n,
                     int *rc, ng_error *err) {
  ng_fuzz_xmlev ev;
  ng_xml_events cb;

  ng_fuzz_xml_events_init(&ev, &cb, 0);
  *rc = ng_xml_parse_events(ng_fuzz_chars(data, n), n, &o->xml, &cb, err);
  ng_fuzz_xml_events_free(&ev);
  if (ev.sink.bad) {
    ng_fuzz_fail("options: malformed events: %s", ev.sink.why);
    return -1;
  }
  return ng_fuzz_xml_check_expansion("options: events", n, &ev.st,
                                     o->xml.limits.max_entity_expansion);
}

static const ng_fuzz_optformat xo_format = {
    .f = &ng_fuzz_xml,
    .entity_limit = 1,
    .decode = xo_decode,
    .extent = xo_extent,
    .check_limits = xo_check_limits,
    .copy = xo_copy,
    .outputs = {{"write", xo_write}, {"text_content", xo_text}, {NULL, NULL}},
    .events = xo_events,
};

int ng_fuzz_xml_options(const uint8_t *data, size_t size) {
  return ng_fuzz_run_options(&xo_format, data, size);
}

NG_FUZZ_ENTRY(ng_fuzz_xml_options)
