/*
 * fuzz/json_differential.c - every engine must give the same answer.
 *
 * The input is parsed by every engine under three option sets: the defaults;
 * duplicate keys rejected with big integers rejected; last-wins duplicates with
 * lone surrogates allowed (the last two only when the input has an object, a \u
 * escape or a 20-digit number, which is all they act on). The engines must
 * agree on the DOM (ng_json_equal) or on the error: code, offset, line, column
 * and depth. Inputs that break the default max_depth are compared again
 * with max_depth=0, so the engines' deep paths (growable stack, heap
 * stacks, lemon's stack) are compared too. For a valid document the event
 * API is stopped at an event chosen from the input's hash: every engine
 * must end with NG_ECANCELED at the same place. The input is also fed to
 * a stream (push parsing) in chunks cut where the input's own bytes say,
 * through an engine its hash picks: the stream must give the one-shot
 * result exactly. Any disagreement abort()s with both results printed.
 */
#include "fuzz_json.h"

#include <stdio.h>
#include <string.h>

typedef struct diff_result {
  int rc;           /* parse result */
  ng_json_doc *doc; /* document on NG_OK */
  ng_error err;     /* error on failure */
} diff_result;

static const char *diff_rc_str(const diff_result *r, char *buf, size_t n) {
  if (r->rc == NG_OK)
    return "OK";
  return ng_fuzz_error_str(&r->err, buf, n);
}

/* Compares engine e's result with the reference; 0 when they agree. */
static int diff_agree(const char *set, ng_json_engine ref_e,
                      const diff_result *ref, ng_json_engine e,
                      const diff_result *r) {
  char a[160], b[160];
  int same;

  if (ref->rc != r->rc)
    same = 0;
  else if (r->rc == NG_OK)
    same = ng_json_equal(ng_json_doc_root(ref->doc), ng_json_doc_root(r->doc));
  else
    same = ng_fuzz_same_error(&ref->err, &r->err);
  if (same)
    return 0;
  ng_fuzz_fail("differential (%s options): %s says %s, %s says %s%s", set,
               ng_json_engine_name(ref_e), diff_rc_str(ref, a, sizeof a),
               ng_json_engine_name(e), diff_rc_str(r, b, sizeof b),
               ref->rc == NG_OK && r->rc == NG_OK ? " (DOMs differ)" : "");
  return -1;
}

/*
 * Parses with every engine under opt; the first implemented engine is the
 * reference, kept in *ref (caller frees ref->doc). Returns 0 or -1.
 */
static int diff_run(const uint8_t *data, size_t size, ng_json_options *opt,
                    const char *set, diff_result *ref) {
  ng_json_engine e, ref_e = NG_JSON_ITERATIVE;
  diff_result r;
  int have_ref = 0, ret = 0;

  memset(ref, 0, sizeof *ref);
  for (e = 0; e < NG_JSON_ENGINE_COUNT && ret == 0; e++) {
    opt->engine = e;
    memset(&r, 0, sizeof r);
    r.rc = ng_json_parse(ng_fuzz_chars(data, size), size, opt, &r.doc, &r.err);
    if (ng_fuzz_check_result(ng_json_engine_name(e), data, size, r.rc, r.doc,
                             &r.err) != 0) {
      ret = -1;
    } else if (!have_ref) {
      *ref = r;
      ref_e = e;
      have_ref = 1;
      continue;
    } else {
      ret = diff_agree(set, ref_e, ref, e, &r);
    }
    ng_json_doc_free(r.doc);
  }
  return ret;
}

/* 1 if the input has an object or a \u escape (what DUP_* and the
 * surrogate flag act on) - or, with digits != 0, a run of 20+ digits
 * (what BIGINT_REJECT acts on). Option sets that cannot change the result
 * are skipped: they cost 4 parses each, and deep inputs are slow. */
static int diff_relevant(const uint8_t *d, size_t n, int digits) {
  size_t i, run = 0;

  for (i = 0; i < n; i++) {
    if (d[i] == '{' || (d[i] == '\\' && i + 1 < n && d[i + 1] == 'u'))
      return 1;
    run = (d[i] >= '0' && d[i] <= '9') ? run + 1 : 0;
    if (digits && run >= 20)
      return 1;
  }
  return 0;
}

/* Stops the event API at the same event in every engine. */
static int diff_cancel(const uint8_t *data, size_t size,
                       const ng_json_value *root) {
  ng_fuzz_docstat st;
  ng_fuzz_events ev;
  ng_json_events cb;
  ng_json_options opt;
  ng_json_engine e;
  ng_error err, first;
  size_t total, k;
  int rc, have = 0, ret = 0;
  char a[160], b[160];

  ng_fuzz_doc_stat(root, &st);
  total = st.nodes + st.containers + st.members;
  k = 1 + (size_t)(ng_fuzz_hash(data, size) % total);
  ng_json_options_default(&opt);
  for (e = 0; e < NG_JSON_ENGINE_COUNT && ret == 0; e++) {
    opt.engine = e;
    ng_fuzz_events_init(&ev, &cb, k);
    rc = ng_json_parse_events(ng_fuzz_chars(data, size), size, &opt, &cb, &err);
    ng_fuzz_events_free(&ev);
    if (ng_fuzz_check_stop(ng_json_engine_name(e), k, total, rc, &err,
                           ev.sink.count) != 0) {
      ret = -1;
    } else if (have && !ng_fuzz_same_error(&first, &err)) {
      ng_fuzz_fail("differential: stop at event %zu: %s vs %s by %s", k,
                   ng_fuzz_error_str(&first, a, sizeof a),
                   ng_fuzz_error_str(&err, b, sizeof b),
                   ng_json_engine_name(e));
      ret = -1;
    }
    first = err;
    have = 1;
  }
  return ret;
}

/*
 * Push parsing: feeds the input to a stream of the engine the hash picks,
 * in chunks of 1 to m bytes (m from the hash, 1..64), each length read from
 * the input's bytes in turn, and compares with ref, the one-shot result.
 */
static int diff_stream(const uint8_t *data, size_t size, ng_json_options *opt,
                       const diff_result *ref) {
  uint64_t h = ng_fuzz_hash(data, size);
  ng_json_stream_config cfg;
  ng_json_stream *s;
  diff_result r;
  void *doc;
  int ret;

  opt->engine = (ng_json_engine)(h % NG_JSON_ENGINE_COUNT);
  memset(&cfg, 0, sizeof cfg);
  cfg.opt = opt;
  memset(&r, 0, sizeof r);
  if (ng_json_stream_new(&cfg, &s) != NG_OK) {
    ng_fuzz_fail("differential: no stream for %s",
                 ng_json_engine_name(opt->engine));
    return -1;
  }
  r.rc = ng_fuzz_feed(&ng_fuzz_json, s, data, size, h, 0, &doc, &r.err);
  r.doc = doc;
  ng_json_stream_free(s);
  ret = diff_agree("default, chunked", NG_JSON_ITERATIVE, ref, opt->engine,
                   &r);
  ng_json_doc_free(r.doc);
  return ret;
}

/* The option sets after the defaults, each run only when the input has
 * what it acts on (diff_relevant with digits). */
static const struct diff_set {
  const char *name;
  ng_json_dupkeys dupkeys;
  unsigned flags;
  int digits;
} diff_sets[] = {
    {"reject", NG_JSON_DUP_REJECT, NG_JSON_BIGINT_REJECT, 1},
    {"last-wins", NG_JSON_DUP_LAST, NG_JSON_ALLOW_LONE_SURROGATES, 0},
};

int ng_fuzz_json_differential(const uint8_t *data, size_t size) {
  ng_json_options opt;
  diff_result ref;
  size_t i;
  int ret;

  ng_json_options_default(&opt);
  ret = diff_run(data, size, &opt, "default", &ref);
  if (ret == 0 && size != 0)
    ret = diff_stream(data, size, &opt, &ref);
  if (ret == 0 && ref.rc == NG_OK)
    ret = diff_cancel(data, size, ng_json_doc_root(ref.doc));
  ng_json_doc_free(ref.doc);
  if (ret == 0 && ref.rc == NG_EDEPTH) {
    opt.limits.max_depth = 0;
    ret = diff_run(data, size, &opt, "max_depth=0", &ref);
    ng_json_doc_free(ref.doc);
  }
  for (i = 0; i < sizeof diff_sets / sizeof diff_sets[0] && ret == 0; i++) {
    if (!diff_relevant(data, size, diff_sets[i].digits))
      continue;
    ng_json_options_default(&opt);
    opt.dupkeys = diff_sets[i].dupkeys;
    opt.flags = diff_sets[i].flags;
    ret = diff_run(data, size, &opt, diff_sets[i].name, &ref);
    ng_json_doc_free(ref.doc);
  }
  return ret;
}

NG_FUZZ_ENTRY(ng_fuzz_json_differential)
