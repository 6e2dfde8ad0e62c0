/*
 * fuzz/json_options.c - limits, options and allocation failure.
 *
 * The first NG_FUZZ_SETTINGS_BYTES bytes choose the engine, duplicate-key
 * policy, flags, max_depth, max_stack, max_input, max_string, max_memory,
 * DOM or event API, and which allocation fails (or every one from then
 * on); the rest is the document (layout in fuzz.c). Oracles:
 *   - an injected allocation failure comes back as NG_ENOMEM from the
 *     parse, copy or write that hit it, never as success or a crash;
 *   - nothing leaks and every free/realloc names the right size, on every
 *     path, success or failure;
 *   - limits only cut a parse short: compared with the same options
 *     unlimited, a limited parse that succeeds gives the same DOM; one
 *     that fails either names a limit that is really exceeded (EDEPTH:
 *     the document is deeper than max_depth; ESTRLIMIT: a string is
 *     longer; EINPUTLIMIT: exactly when the input is longer, checked
 *     before parsing) at or before the unlimited error, or gives exactly
 *     the unlimited error;
 *   - a successful document respects max_depth, max_string, max_memory
 *     (ng_json_doc_memory() <= max_memory);
 *   - the event API, under the same settings, gives the DOM parse's result
 *     (duplicate-key policy and memory cap aside: both belong to the DOM).
 */
#include "fuzz.h"

#include <string.h>

/* A successful limited document must respect its limits. */
static int opt_check_doc(const ng_json_doc *doc, const ng_limits *l) {
  ng_fuzz_docstat st;
  size_t mem = ng_json_doc_memory(doc);

  ng_fuzz_doc_stat(ng_json_doc_root(doc), &st);
  if ((l->max_depth && st.depth > l->max_depth) ||
      (l->max_string && st.max_string > l->max_string) ||
      (l->max_memory && mem > l->max_memory)) {
    ng_fuzz_fail("options: document (depth %zu, longest string %zu, memory "
                 "%zu) passed max_depth %zu max_string %zu max_memory %zu",
                 st.depth, st.max_string, mem, l->max_depth, l->max_string,
                 l->max_memory);
    return -1;
  }
  return 0;
}

/* The same parse without limits, with libc, for comparison. */
static int opt_reference(const ng_json_options *lim, const char *data, size_t n,
                         ng_json_doc **doc, ng_error *err) {
  ng_json_options opt = *lim;

  memset(&opt.limits, 0, sizeof opt.limits);
  opt.alc = NULL;
  return ng_json_parse(data, n, &opt, doc, err);
}

/* Limited result (rc, doc, err) against the unlimited one. */
static int opt_compare(const ng_json_options *o, const char *data, size_t n,
                       int rc, const ng_json_doc *doc, const ng_error *err) {
  ng_json_doc *ref = NULL;
  ng_fuzz_docstat st;
  ng_fuzz_extent ext = {0, 0};
  ng_error rerr;
  int rrc, ret;

  rrc = opt_reference(o, data, n, &ref, &rerr);
  if (rrc == NG_OK) {
    ng_fuzz_doc_stat(ng_json_doc_root(ref), &st);
    ext.depth = st.depth;
    ext.max_string = st.max_string;
  }
  ret = ng_fuzz_check_limited(
      &o->limits, n, rc, err, rrc, &rerr, &ext,
      rc == NG_OK && rrc == NG_OK &&
          ng_json_equal(ng_json_doc_root(ref), ng_json_doc_root(doc)));
  ng_json_doc_free(ref);
  return ret;
}

/* Copy and write through the failing allocator after a good parse. */
static int opt_after(const ng_json_value *root, ng_failalloc *fa) {
  ng_json_doc *copy = NULL;
  char *out = NULL;
  size_t len = 0, before = fa->failed;
  int rc, step;

  rc = ng_json_copy(root, &fa->alc, &copy);
  step = ng_fuzz_check_step("copy", rc, fa, before);
  if (step == 0 && !ng_json_equal(root, ng_json_doc_root(copy))) {
    ng_fuzz_fail("options: copy gave a different DOM");
    step = -1;
  }
  ng_json_doc_free(copy);
  if (step != 0)
    return step < 0 ? -1 : 0;
  rc = ng_json_write(root, NG_JSON_WRITE_PRETTY, &fa->alc, &out, &len);
  step = ng_fuzz_check_step("write", rc, fa, before);
  if (step == 0)
    fa->alc.free(fa->alc.ctx, out, len + 1);
  return step < 0 ? -1 : 0;
}

static int opt_dom(const ng_json_options *o, const char *data, size_t n,
                   ng_failalloc *fa) {
  ng_json_doc *doc = NULL;
  ng_error err;
  int rc, ret;

  rc = ng_json_parse(data, n, o, &doc, &err);
  ret =
      ng_fuzz_check_result("options", (const uint8_t *)data, n, rc, doc, &err);
  if (ret == 0)
    ret = ng_fuzz_check_enomem("parse", rc, fa);
  if (ret == 0 && fa->failed == 0)
    ret = opt_compare(o, data, n, rc, doc, &err);
  if (ret == 0 && rc == NG_OK)
    ret = opt_check_doc(doc, &o->limits);
  if (ret == 0 && rc == NG_OK)
    ret = opt_after(ng_json_doc_root(doc), fa);
  ng_json_doc_free(doc);
  return ret;
}

/* Event API under the same settings; compared with the DOM parse. */
static int opt_events(const ng_json_options *o, const char *data, size_t n,
                      ng_failalloc *fa) {
  ng_json_options dom_opt = *o;
  ng_json_doc *doc = NULL;
  ng_fuzz_events ev;
  ng_json_events cb;
  ng_error err, derr;
  char a[160], b[160];
  int rc, drc, ret = 0;

  ng_fuzz_events_init(&ev, &cb, 0);
  rc = ng_json_parse_events(data, n, o, &cb, &err);
  ng_fuzz_events_free(&ev);
  if (ev.bad) {
    ng_fuzz_fail("options: malformed events: %s", ev.why);
    return -1;
  }
  if (fa->failed != 0)
    return ng_fuzz_check_enomem("parse_events", rc, fa);
  /* Duplicate-key policies belong to the DOM builder: events report
   * every member, so compare with a DOM that keeps duplicates. */
  dom_opt.alc = NULL;
  dom_opt.dupkeys = NG_JSON_DUP_KEEP;
  drc = ng_json_parse(data, n, &dom_opt, &doc, &derr);
  ng_json_doc_free(doc);
  /* Memory caps count DOM bytes, which the event API does not build. */
  if (rc == NG_EMEMLIMIT || drc == NG_EMEMLIMIT)
    return 0;
  if (rc != drc || (rc != NG_OK && !ng_fuzz_same_error(&err, &derr))) {
    ng_fuzz_fail("options: events gave %s, DOM gave %s",
                 rc == NG_OK ? "OK" : ng_fuzz_error_str(&err, a, sizeof a),
                 drc == NG_OK ? "OK" : ng_fuzz_error_str(&derr, b, sizeof b));
    ret = -1;
  }
  return ret;
}

int ng_fuzz_json_options(const uint8_t *data, size_t size) {
  ng_fuzz_reader r = {data, size};
  ng_fuzz_settings s;
  ng_failalloc fa;
  int ret;

  if (size < NG_FUZZ_SETTINGS_BYTES)
    return 0;
  ng_fuzz_decode_settings(&r, &s);
  if ((unsigned)s.opt.engine >= NG_JSON_ENGINE_COUNT)
    s.opt.engine = NG_JSON_ITERATIVE;
  ng_failalloc_init(&fa, s.fail_after ? 0 : s.fail_at);
  if (s.fail_after)
    fa.fail_after = s.fail_at;
  s.opt.alc = &fa.alc;
  if (s.events)
    ret = opt_events(&s.opt, ng_fuzz_chars(r.p, r.n), r.n, &fa);
  else
    ret = opt_dom(&s.opt, ng_fuzz_chars(r.p, r.n), r.n, &fa);
  return ret == 0 ? ng_fuzz_check_alloc("options", &fa) : ret;
}

NG_FUZZ_ENTRY(ng_fuzz_json_options)
