/*
 * fuzz/xml_options.c - XML limits, options and allocation failure.
 *
 * The first NG_FUZZ_XML_SETTINGS_BYTES bytes choose the engine, flags
 * (CDATA kept apart; namespaces when the build has them), max_depth,
 * max_stack, max_input, max_string, max_memory, max_entity_expansion,
 * DOM or event API, and which allocation fails (or every one from then
 * on); the rest is the document (layout in fuzz_xml.c). Oracles:
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

#include <string.h>

/* A successful limited document must respect its limits. */
static int xo_check_doc(const ng_xml_doc *doc, const ng_limits *l, size_t n) {
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

/* Limited result (rc, doc, err) against the same options unlimited. */
static int xo_compare(const ng_xml_options *o, const char *data, size_t n,
                      int rc, const ng_xml_doc *doc, const ng_error *err) {
  ng_xml_options un = *o;
  ng_xml_doc *ref = NULL;
  ng_fuzz_xmlstat st;
  ng_fuzz_extent ext = {0, (size_t)-1}; /* DTD strings are not in the DOM */
  ng_error rerr;
  int rrc, ret;

  memset(&un.limits, 0, sizeof un.limits);
  un.alc = NULL;
  rrc = ng_xml_parse(data, n, &un, &ref, &rerr);
  if (rrc == NG_OK) {
    ng_fuzz_xml_stat(ng_xml_doc_node(ref), &st);
    ext.depth = st.depth;
  }
  ret = ng_fuzz_check_limited(
      &o->limits, n, rc, err, rrc, &rerr, &ext,
      rc == NG_OK && rrc == NG_OK &&
          ng_xml_equal(ng_xml_doc_node(ref), ng_xml_doc_node(doc)));
  ng_xml_doc_free(ref);
  return ret;
}

/* Copy, write and text content through the failing allocator. */
static int xo_after(const ng_xml_node *docn, ng_failalloc *fa) {
  ng_xml_doc *copy = NULL;
  char *out = NULL;
  size_t len = 0, before = fa->failed;
  int rc, step;

  rc = ng_xml_copy(docn, &fa->alc, &copy);
  step = ng_fuzz_check_step("copy", rc, fa, before);
  if (step == 0 && !ng_xml_equal(docn, ng_xml_doc_node(copy))) {
    ng_fuzz_fail("options: copy gave a different DOM");
    step = -1;
  }
  ng_xml_doc_free(copy);
  if (step == 0) {
    rc = ng_xml_write(docn, NG_XML_WRITE_PRETTY, &fa->alc, &out, &len);
    step = ng_fuzz_check_step("write", rc, fa, before);
    if (step == 0)
      fa->alc.free(fa->alc.ctx, out, len + 1);
  }
  if (step == 0) {
    rc = ng_xml_text_content(docn, &fa->alc, &out, &len);
    step = ng_fuzz_check_step("text_content", rc, fa, before);
    if (step == 0)
      fa->alc.free(fa->alc.ctx, out, len + 1);
  }
  return step < 0 ? -1 : 0;
}

static int xo_dom(const ng_xml_options *o, const char *data, size_t n,
                  ng_failalloc *fa) {
  ng_xml_doc *doc = NULL;
  ng_error err;
  int rc, ret;

  rc = ng_xml_parse(data, n, o, &doc, &err);
  ret = ng_fuzz_xml_check_result("options", (const uint8_t *)data, n, rc, doc,
                                 &err);
  if (ret == 0)
    ret = ng_fuzz_check_enomem("parse", rc, fa);
  if (ret == 0 && fa->failed == 0)
    ret = xo_compare(o, data, n, rc, doc, &err);
  if (ret == 0 && rc == NG_OK)
    ret = xo_check_doc(doc, &o->limits, n);
  if (ret == 0 && rc == NG_OK)
    ret = xo_after(ng_xml_doc_node(doc), fa);
  ng_xml_doc_free(doc);
  return ret;
}

/* Event API under the same settings; compared with the DOM parse. */
static int xo_events(const ng_xml_options *o, const char *data, size_t n,
                     ng_failalloc *fa) {
  ng_xml_options dom_opt = *o;
  ng_xml_doc *doc = NULL;
  ng_fuzz_xmlev ev;
  ng_xml_events cb;
  ng_error err, derr;
  int rc, drc, ret;

  ng_fuzz_xml_events_init(&ev, &cb, 0);
  rc = ng_xml_parse_events(data, n, o, &cb, &err);
  ng_fuzz_xml_events_free(&ev);
  if (ev.bad) {
    ng_fuzz_fail("options: malformed events: %s", ev.why);
    return -1;
  }
  ret = ng_fuzz_xml_check_expansion("options: events", n, &ev.st,
                                    o->limits.max_entity_expansion);
  if (ret != 0 || fa->failed != 0)
    return ret != 0 ? ret : ng_fuzz_check_enomem("parse_events", rc, fa);
  dom_opt.alc = NULL;
  drc = ng_xml_parse(data, n, &dom_opt, &doc, &derr);
  ng_xml_doc_free(doc);
  /* Memory caps count DOM bytes, which the event API does not build. */
  if (rc == NG_EMEMLIMIT || drc == NG_EMEMLIMIT)
    return 0;
  return ng_fuzz_check_agree("options", "events gave", rc, &err, "DOM gave",
                             drc, &derr, 1);
}

int ng_fuzz_xml_options(const uint8_t *data, size_t size) {
  ng_fuzz_reader r = {data, size};
  ng_fuzz_xml_settings s;
  ng_failalloc fa;
  int ret;

  if (size < NG_FUZZ_XML_SETTINGS_BYTES)
    return 0;
  ng_fuzz_xml_decode_settings(&r, &s);
  ng_failalloc_init(&fa, s.fail_after ? 0 : s.fail_at);
  if (s.fail_after)
    fa.fail_after = s.fail_at;
  s.opt.alc = &fa.alc;
  if (s.events)
    ret = xo_events(&s.opt, ng_fuzz_chars(r.p, r.n), r.n, &fa);
  else
    ret = xo_dom(&s.opt, ng_fuzz_chars(r.p, r.n), r.n, &fa);
  return ret == 0 ? ng_fuzz_check_alloc("options", &fa) : ret;
}

NG_FUZZ_ENTRY(ng_fuzz_xml_options)
