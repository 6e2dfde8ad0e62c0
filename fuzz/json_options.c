/*
 * fuzz/json_options.c - limits, options and allocation failure.
 *
 * The first NG_FUZZ_SETTINGS_BYTES bytes choose the engine, duplicate-key
 * policy, flags, max_depth, max_stack, max_input, max_string, max_memory,
 * DOM or event API, and which allocation fails (or every one from then
 * on); the rest is the document (layout in fuzz.h, the engine, policy and
 * flags bits in jo_decode). The checks are ng_fuzz_run_options's (fuzz.c)
 * with JSON's hooks below. Oracles:
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
#include "fuzz_json.h"

/* bits 0-1 engine, 2-3 dupkeys (3 -> keep), 4-5 flags. */
static void jo_decode(ng_fuzz_options *o, unsigned bits) {
  ng_json_options *opt = &o->json;

  ng_json_options_default(opt);
  opt->engine = (ng_json_engine)(bits & 3u);
  opt->dupkeys = (ng_json_dupkeys)(((bits >> 2) & 3u) % 3u);
  opt->flags = (bits >> 4) & 3u;
  if ((unsigned)opt->engine >= NG_JSON_ENGINE_COUNT)
    opt->engine = NG_JSON_ITERATIVE;
}

static void jo_extent(const void *doc, ng_fuzz_extent *ext) {
  ng_fuzz_docstat st;

  ng_fuzz_doc_stat(ng_json_doc_root(doc), &st);
  ext->depth = st.depth;
  ext->max_string = st.max_string;
}

/* A successful limited document must respect its limits. */
static int jo_check_limits(const void *doc, const ng_limits *l, size_t n) {
  ng_fuzz_docstat st;
  size_t mem = ng_json_doc_memory(doc);

  (void)n;
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

static int jo_copy(const void *doc, const ng_alloc *alc, void **copy) {
  ng_json_doc *c = NULL;
  int rc = ng_json_copy(ng_json_doc_root(doc), alc, &c);

  *copy = c;
  return rc;
}

static int jo_write(const void *doc, const ng_alloc *alc, char **out,
                    size_t *len) {
  return ng_json_write(ng_json_doc_root(doc), NG_JSON_WRITE_PRETTY, alc, out,
                       len);
}

static int jo_events(const ng_fuzz_options *o, const uint8_t *data, size_t n,
                     int *rc, ng_error *err) {
  ng_fuzz_events ev;
  ng_json_events cb;

  ng_fuzz_events_init(&ev, &cb, 0);
  *rc = ng_json_parse_events(ng_fuzz_chars(data, n), n, &o->json, &cb, err);
  ng_fuzz_events_free(&ev);
  if (!ev.sink.bad)
    return 0;
  ng_fuzz_fail("options: malformed events: %s", ev.sink.why);
  return -1;
}

/* Duplicate-key policies belong to the DOM builder: events report every
 * member, so they are compared with a DOM that keeps duplicates. */
static void jo_events_dom(ng_fuzz_options *o) {
  o->json.dupkeys = NG_JSON_DUP_KEEP;
}

static const ng_fuzz_optformat jo_format = {
    .f = &ng_fuzz_json,
    .decode = jo_decode,
    .extent = jo_extent,
    .check_limits = jo_check_limits,
    .copy = jo_copy,
    .outputs = {{"write", jo_write}, {NULL, NULL}},
    .events = jo_events,
    .events_dom = jo_events_dom,
};

int ng_fuzz_json_options(const uint8_t *data, size_t size) {
  return ng_fuzz_run_options(&jo_format, data, size);
}

NG_FUZZ_ENTRY(ng_fuzz_json_options)
