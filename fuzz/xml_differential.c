/*
 * fuzz/xml_differential.c - every XML engine must give the same answer.
 *
 * The input is parsed under the option sets of two families, plain and
 * with namespaces, each with and without CDATA sections kept apart (the
 * CDATA sets only when "CDATA" occurs in the input: elsewhere they cannot
 * differ). In one family, picked by the input's hash (replays pick the
 * same), every engine (NG_XML_ENGINE_COUNT of them) parses and the engines
 * must agree on the DOM (ng_xml_equal) or on the error: code, offset,
 * line, column and depth; inputs that break the default max_depth are
 * compared again with max_depth=0, and for a valid document the event API
 * (the set without CDATA kept) is stopped at an event chosen from the
 * hash: every engine must end with NG_ECANCELED at the same place after
 * the same number of events, and the input fed in chunks to a stream
 * (push parsing) of an engine the hash picks must give the same result
 * (the stopped parses and the stream each for a quarter of the inputs,
 * chosen by the hash: dx_picked).
 * The other family is parsed by the first
 * engine only, for the checks across sets: keeping CDATA apart changes
 * neither the verdict nor the text content; a document that is
 * namespace-well-formed is well-formed. Any disagreement abort()s with
 * both results printed.
 *
 * Why one family in full: every engine in both families made 16 parses
 * of a valid document and ran at 11,000 inputs per CPU second; this way
 * each input is 9, and across a queue both families see every engine.
 * The stream, its reset and the stopped parses made that 10 parses of a
 * valid document (1.45 times the instructions of the five one-shot
 * parses over a queue); on a quarter of the inputs each, 6.4 on average.
 */
#include "fuzz_xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dx_result {
  int ran;         /* 0: the option set cannot matter here, skipped */
  int rc;          /* parse result */
  ng_xml_doc *doc; /* document on NG_OK */
  ng_error err;    /* error on failure */
} dx_result;

/* Option sets: the plain family, then the namespace family; within
 * each, CDATA merged and kept apart. */
static const unsigned dx_sets[] = {
    0u,
    NG_XML_KEEP_CDATA,
    NG_XML_NAMESPACES,
    NG_XML_NAMESPACES | NG_XML_KEEP_CDATA,
};

#define DX_NSETS (sizeof dx_sets / sizeof dx_sets[0])

/*
 * The options of a set: the defaults and flags, with entity expansion
 * capped at DX_EXPANSION bytes. Engines must agree under any limits, and
 * the cap is the same for all; at the default 1 MiB an entity-heavy input
 * took each of its ten parses to a million references, and such inputs
 * were most of the harness's time. The per-engine targets keep the
 * default budget, and xml_options fuzzes the limits themselves.
 */
#define DX_EXPANSION ((size_t)64 << 10)

static void dx_options(ng_xml_options *opt, unsigned flags) {
  ng_xml_options_default(opt);
  opt->flags = flags;
  opt->limits.max_entity_expansion = DX_EXPANSION;
}

static void dx_free(dx_result *r) {
  ng_xml_doc_free(r->doc);
  r->doc = NULL;
}

/*
 * Parses with engines [0, engines) under opt; the first engine's result
 * is the reference, kept in *ref (the caller frees it). The others'
 * positions are compared with the reference's, whose line and column
 * are recomputed. Returns 0 or -1.
 */
static int dx_run(const uint8_t *data, size_t size, ng_xml_options *opt,
                  int engines, dx_result *ref) {
  const char *ref_name = ng_xml_engine_name((ng_xml_engine)0);
  dx_result r;
  char who[96];
  int e, ret = 0;

  snprintf(who, sizeof who, "differential (flags %#x, max_depth %zu)",
           opt->flags, opt->limits.max_depth);
  memset(ref, 0, sizeof *ref);
  for (e = 0; e < engines && ret == 0; e++) {
    const char *name = ng_xml_engine_name((ng_xml_engine)e);
    opt->engine = (ng_xml_engine)e;
    memset(&r, 0, sizeof r);
    r.rc = ng_xml_parse(ng_fuzz_chars(data, size), size, opt, &r.doc, &r.err);
    ret = e == 0 ? ng_fuzz_xml_check_result(name, data, size, r.rc, r.doc,
                                            &r.err)
                 : ng_fuzz_xml_check_contract(name, data, size, r.rc, r.doc,
                                              &r.err);
    if (ret == 0 && e == 0) {
      *ref = r;
      continue;
    }
    if (ret == 0)
      ret = ng_fuzz_check_agree(
          who, ref_name, ref->rc, &ref->err, name, r.rc, &r.err,
          r.rc == NG_OK &&
              ng_xml_equal(ng_xml_doc_node(ref->doc), ng_xml_doc_node(r.doc)));
    dx_free(&r);
  }
  return ret;
}

/* Stops the event API at the same event in every engine. */
static int dx_cancel(const uint8_t *data, size_t size, uint64_t hash,
                     unsigned flags, const ng_xml_doc *doc) {
  ng_fuzz_xmlstat st;
  ng_fuzz_xmlev ev;
  ng_xml_events cb;
  ng_xml_options opt;
  ng_error err, first;
  size_t total, k;
  int e, rc, ret = 0;

  /* Every element gives a start and an end event, so k stays within the
   * stream without a parse to count it; text runs come on top. */
  ng_fuzz_xml_stat(ng_xml_doc_node(doc), &st);
  total = 2 * st.elements + st.comments + st.pis + st.doctypes;
  if (total == 0)
    return 0;
  dx_options(&opt, flags);
  k = 1 + (size_t)(hash % total);
  for (e = 0; e < NG_XML_ENGINE_COUNT && ret == 0; e++) {
    const char *name = ng_xml_engine_name((ng_xml_engine)e);
    opt.engine = (ng_xml_engine)e;
    ng_fuzz_xml_events_init(&ev, &cb, k);
    rc = ng_xml_parse_events(ng_fuzz_chars(data, size), size, &opt, &cb, &err);
    ng_fuzz_xml_events_free(&ev);
    if (ng_fuzz_check_stop(name, k, total, rc, &err, ev.sink.count) != 0) {
      ret = -1;
    } else if (e > 0) {
      ret = ng_fuzz_check_agree("differential: stop", "the first engine",
                                NG_ECANCELED, &first, name, rc, &err, 1);
    }
    first = err;
  }
  return ret;
}

/* Keeping CDATA apart changes neither the verdict nor the text. */
static int dx_cdata(const dx_result *plain, const dx_result *kept) {
  char *a = NULL, *b = NULL;
  size_t na = 0, nb = 0;
  int ret;

  ret =
      ng_fuzz_check_agree("differential: CDATA kept apart", "merged", plain->rc,
                          &plain->err, "kept", kept->rc, &kept->err, 1);
  if (ret != 0 || plain->rc != NG_OK)
    return ret;
  if (ng_xml_text_content(ng_xml_doc_node(plain->doc), NULL, &a, &na) ==
          NG_OK &&
      ng_xml_text_content(ng_xml_doc_node(kept->doc), NULL, &b, &nb) == NG_OK)
    ret = ng_fuzz_same_bytes("differential: text with CDATA kept apart", a, na,
                             b, nb);
  free(a);
  free(b);
  return ret;
}

/* Keeping CDATA apart can matter only with a CDATA section in sight:
 * other inputs skip those sets (each costs every engine's parse). */
static int dx_has_cdata(const uint8_t *d, size_t n) {
  const uint8_t *p = d, *end = d + n;

  while (end - p >= 5 && (p = memchr(p, 'C', (size_t)(end - p - 4))) != NULL) {
    if (memcmp(p, "CDATA", 5) == 0)
      return 1;
    p++;
  }
  return 0;
}

/* The chunked check cuts an input in about this many places at most. */
#define DX_FEEDS 64

/* A stream of the engine e, falling back to the iterative engine while e
 * does not stream. NG_OK or the error. */
static int dx_stream_new(ng_xml_options *opt, ng_xml_engine e,
                         ng_xml_stream **s) {
  ng_xml_stream_config cfg;
  int rc;

  memset(&cfg, 0, sizeof cfg);
  cfg.opt = opt;
  opt->engine = e;
  rc = ng_xml_stream_new(&cfg, s);
  if (rc == NG_ENOTSUP && e != NG_XML_ITERATIVE)
    return dx_stream_new(opt, NG_XML_ITERATIVE, s);
  return rc;
}

/* A call on an ended stream gave rc (err): the contract says want, and
 * for a failed stream its error again at the same place. 0 or -1. */
static int dx_ended_call(const char *call, int rc, const ng_error *err,
                         const dx_result *r, int want) {
  if (rc == want && (want != r->rc || err->offset == r->err.offset))
    return 0;
  ng_fuzz_fail("differential (chunked): %s on a stream that ended with %s "
               "gave %s at %zu, not %s",
               call, ng_err_name(r->rc), ng_err_name(rc), err->offset,
               ng_err_name(want));
  return -1;
}

/*
 * The stream s ended with r (finished, or failed): a feed and a finish
 * now answer NG_ESTATE after a finish that succeeded, else the failure
 * again, and NULL arguments NG_EINVAL. 0 or -1.
 */
static int dx_stream_ended(ng_xml_stream *s, const uint8_t *data,
                           size_t size, const dx_result *r) {
  int want = r->rc == NG_OK ? NG_ESTATE : r->rc;
  ng_xml_doc *doc = NULL;
  ng_error err;
  int rc;

  rc = ng_xml_stream_feed(s, ng_fuzz_chars(data, size), size, &err);
  if (dx_ended_call("a feed", rc, &err, r, want) != 0)
    return -1;
  rc = ng_xml_stream_finish(s, &doc, &err);
  ng_xml_doc_free(doc);
  if (dx_ended_call("a finish", rc, &err, r, want) != 0)
    return -1;
  rc = ng_xml_stream_feed(NULL, NULL, 0, &err);
  if (rc == NG_EINVAL && ng_xml_stream_feed(s, NULL, 1, &err) == NG_EINVAL &&
      ng_xml_stream_finish(NULL, NULL, &err) == NG_EINVAL)
    return 0;
  ng_fuzz_fail("differential (chunked): a NULL argument was not NG_EINVAL");
  return -1;
}

/*
 * A stream fed all of the input and finished gave r: it must be the
 * one-shot ref's result (who names the check, name the stream), in every
 * encoding. 0 or -1; the caller frees r.
 */
static int dx_stream_agree(const char *who, const char *name,
                           const dx_result *r, const dx_result *ref) {
  return ng_fuzz_check_agree(
      who, ng_xml_engine_name(NG_XML_ITERATIVE), ref->rc, &ref->err, name,
      r->rc, &r->err,
      r->rc == NG_OK &&
          ng_xml_equal(ng_xml_doc_node(ref->doc), ng_xml_doc_node(r->doc)));
}

/* ng_xml_stream_reset, then the whole input in one feed: the one-shot
 * ref's result again (the reset keeps nothing of the first input). */
static int dx_stream_again(ng_xml_stream *s, const uint8_t *data,
                           size_t size, const dx_result *ref) {
  dx_result r;
  int ret;

  memset(&r, 0, sizeof r);
  ng_xml_stream_reset(s);
  r.rc = ng_xml_stream_feed(s, ng_fuzz_chars(data, size), size, &r.err);
  if (r.rc == NG_OK)
    r.rc = ng_xml_stream_finish(s, &r.doc, &r.err);
  ret = dx_stream_agree("differential (reset)", "the stream reset", &r, ref);
  dx_free(&r);
  return ret;
}

/*
 * Push parsing: feeds the input to a stream of an engine the hash picks,
 * in chunks of 1 to m bytes (m from the hash, 1..64, plus size / DX_FEEDS),
 * each length read from the input's bytes in turn; the result must be the
 * one-shot ref's. Then the ended stream keeps its contract
 * (dx_stream_ended), and for half the inputs (a hash bit) it is reset
 * and fed the whole input at once, again with ref's result.
 */
static int dx_stream(const uint8_t *data, size_t size, uint64_t hash,
                     ng_xml_options *opt, const dx_result *ref) {
  ng_xml_stream *s;
  dx_result r;
  void *doc;
  int ret;

  memset(&r, 0, sizeof r);
  r.rc = dx_stream_new(
      opt, (ng_xml_engine)((hash >> 24) % NG_XML_ENGINE_COUNT), &s);
  if (r.rc != NG_OK) {
    ng_fuzz_fail("differential: no stream for %s (%s)",
                 ng_xml_engine_name(opt->engine), ng_err_name(r.rc));
    return -1;
  }
  r.rc = ng_fuzz_feed(&ng_fuzz_xml, s, data, size, hash, DX_FEEDS, &doc,
                      &r.err);
  r.doc = doc;
  ret = dx_stream_agree("differential (chunked)",
                        ng_xml_engine_name(opt->engine), &r, ref);
  if (ret == 0)
    ret = dx_stream_ended(s, data, size, &r);
  if (ret == 0 && (hash >> 40) & 1)
    ret = dx_stream_again(s, data, size, ref);
  ng_xml_stream_free(s);
  dx_free(&r);
  return ret;
}

/*
 * The chunked stream and the stopped event parses each run on one input
 * in DX_EVERY, chosen by two bits of the input's hash (bit is the first),
 * different bits for each check. Together they cost as much as the four
 * engines' one-shot parses; every mutation changes the hash, so each
 * input shape the fuzzer keeps still reaches both checks at this rate,
 * and the inputs that reach new code in them are kept as usual.
 */
#define DX_EVERY 4u

static int dx_picked(uint64_t hash, unsigned bit) {
  return ((hash >> bit) & (DX_EVERY - 1)) == 0;
}

/* One option set: engines agree (again unlimited after EDEPTH) and, for
 * the inputs picked, stream and stop alike, when full; else the first
 * engine's result for the cross-set checks. */
static int dx_set(const uint8_t *data, size_t size, uint64_t hash,
                  unsigned flags, int full, dx_result *ref) {
  ng_xml_options opt;
  dx_result deep;
  int ret;

  dx_options(&opt, flags);
  ret = dx_run(data, size, &opt, full ? NG_XML_ENGINE_COUNT : 1, ref);
  ref->ran = 1;
  if (ret == 0 && full && size != 0 && dx_picked(hash, 44))
    ret = dx_stream(data, size, hash, &opt, ref);
  if (ret == 0 && full && ref->rc == NG_EDEPTH) {
    opt.limits.max_depth = 0;
    ret = dx_run(data, size, &opt, NG_XML_ENGINE_COUNT, &deep);
    dx_free(&deep);
  }
  if (ret == 0 && full && ref->rc == NG_OK && !(flags & NG_XML_KEEP_CDATA) &&
      dx_picked(hash, 48))
    ret = dx_cancel(data, size, hash, flags, ref->doc);
  return ret;
}

int ng_fuzz_xml_differential(const uint8_t *data, size_t size) {
  dx_result res[DX_NSETS];
  uint64_t hash = ng_fuzz_hash(data, size);
  int cdata = dx_has_cdata(data, size);
  size_t i, full = (size_t)(hash >> 63); /* the family parsed in full */
  int ret = 0;

  memset(res, 0, sizeof res);
  for (i = 0; i < DX_NSETS && ret == 0; i++)
    if (cdata || !(dx_sets[i] & NG_XML_KEEP_CDATA))
      ret = dx_set(data, size, hash, dx_sets[i], i / 2 == full, &res[i]);
  if (ret == 0 && res[1].ran)
    ret = dx_cdata(&res[0], &res[1]);
  if (ret == 0 && res[3].ran)
    ret = dx_cdata(&res[2], &res[3]);
  if (ret == 0 && res[2].rc == NG_OK && res[0].rc != NG_OK) {
    ng_fuzz_fail("differential: namespace-well-formed but not well-formed "
                 "(%s)",
                 ng_err_name(res[0].rc));
    ret = -1;
  }
  for (i = 0; i < DX_NSETS; i++)
    dx_free(&res[i]);
  return ret;
}

NG_FUZZ_ENTRY(ng_fuzz_xml_differential)
