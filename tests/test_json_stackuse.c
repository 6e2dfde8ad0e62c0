/*
 * tests/test_json_stackuse.c - the recursive engine keeps the red-zone
 * contract (nestguard/stack.h) with its direct out-calls.
 *
 * The engine calls the lexer and the sink (DOM builder or event sink, and
 * libc's malloc behind them) directly for every token, at every depth, on
 * any stack (parsers/json/recursive.c); only the strtod fallback, user
 * code and message formatting move to the thread's stack. So what a level
 * calls directly must fit in the red zone. Measured here where it matters:
 * the parse runs in a task, its stack segments (and everything else) from
 * a painting allocator (support/stackpaint.h), on a document that does heavy
 * token work (escaped strings, numbers of every path, many keys) at every
 * level, so that at the bottom of each segment a level works right above its
 * limit. When a segment is freed, the bytes its frames never touched at the low
 * end are counted: the direct calls must have left the runtime's reserve and
 * the header below the red zone alone.
 *
 * Skipped under sanitizers (ASan's shadow of the painted bytes) and
 * valgrind (reads of popped stack).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nestguard.h"
#include "nestguard/json.h"
#include "support/stackpaint.h"
#include "support/testenv.h"

/* Levels: the recursion crosses about 15 segments. */
#define DEPTH 3000

/* ------------------------------------------------------- the document */

/* One level's worth of heavy tokens, then the next level. */
static const char unit[] =
    "[\"a string with escapes \\u00e9\\u20ac\\ud83d\\ude00 \\\"\\n\\t"
    " and some length to decode into the arena, twice over: \\u00e9\\u20ac"
    "\\ud83d\\ude00 \\\"\\n\\t\","
    "0.1e-320,"                       /* subnormal: strtod fallback */
    "2.2250738585072011e-308,"        /* Eisel-Lemire's edge */
    "123456789012345678901234567890," /* beyond uint64 */
    "-9223372036854775808,1.5,-0,true,false,null,"
    "{\"k01\":1,\"k02\":2,\"k03\":3,\"k04\":4,\"k05\":5,\"k06\":6,"
    "\"k07\":7,\"k08\":8,\"k09\":9,\"k10\":10,\"k11\":\"\\u0041\"},";

static char *heavy_doc(size_t depth, size_t *len) {
  size_t u = sizeof unit - 1, i;
  char *s = malloc(depth * (u + 1) + 2), *p = s;

  assert_non_null(s);
  for (i = 0; i < depth; i++) {
    memcpy(p, unit, u);
    p += u;
  }
  *p++ = '0';
  for (i = 0; i < depth; i++)
    *p++ = ']';
  *len = (size_t)(p - s);
  return s;
}

/* ------------------------------------------------------------ the runs */

typedef struct job {
  const ng_alloc *alc;
  const char *doc;
  size_t len;
  int events; /* 1: events with callbacks, 0: DOM */
  int rc;
} job;

static int ev_any(void *ud) {
  (*(size_t *)ud)++;
  return 0;
}
static int ev_key(void *ud, const char *k, size_t n) {
  (void)k;
  (void)n;
  return ev_any(ud);
}
static int ev_scalar(void *ud, const ng_json_value *v) {
  (void)v;
  return ev_any(ud);
}

static int parse_job(void *arg) {
  job *j = arg;
  ng_json_options opt;
  ng_json_doc *doc = NULL;
  ng_json_events ev = {ev_any, ev_any, ev_any, ev_any, ev_key, ev_scalar, NULL};
  size_t n = 0;

  ng_json_options_default(&opt);
  opt.engine = NG_JSON_RECURSIVE;
  opt.limits.max_depth = 0;
  opt.alc = j->alc;
  ev.ud = &n;
  if (j->events) {
    j->rc = ng_json_parse_events(j->doc, j->len, &opt, &ev, NULL);
  } else {
    j->rc = ng_json_parse(j->doc, j->len, &opt, &doc, NULL);
    ng_json_doc_free(doc);
  }
  return 0;
}

/* A recursive stream on s fed in 61-byte chunks. */
static int stream_run(ng_sched *s, const ng_alloc *alc, const char *doc,
                      size_t len) {
  ng_json_options opt;
  ng_json_stream_config cfg;
  ng_json_stream *st;
  ng_json_doc *out = NULL;
  size_t off, n;
  int rc;

  ng_json_options_default(&opt);
  opt.engine = NG_JSON_RECURSIVE;
  opt.limits.max_depth = 0;
  opt.alc = alc;
  memset(&cfg, 0, sizeof cfg);
  cfg.opt = &opt;
  cfg.sched = s;
  if ((rc = ng_json_stream_new(&cfg, &st)) != NG_OK)
    return rc;
  for (off = 0, rc = NG_OK; rc == NG_OK && off < len; off += n) {
    n = len - off < 61 ? len - off : 61;
    rc = ng_json_stream_feed(st, doc + off, n, NULL);
  }
  if (rc == NG_OK)
    rc = ng_json_stream_finish(st, &out, NULL);
  ng_json_doc_free(out);
  ng_json_stream_free(st);
  return rc;
}

static void test_direct_outcalls_fit_red_zone(void **state) {
  stackpaint pt;
  ng_sched *s;
  job j;
  size_t len;
  char *doc;
  (void)state;

  if (ng_test_sanitized() || ng_test_valgrind())
    skip();
  stackpaint_init(&pt);
  doc = heavy_doc(DEPTH, &len);
  assert_int_equal(stackpaint_sched(&pt, &s), NG_OK);
  for (j.events = 0; j.events < 2; j.events++) {
    j.alc = &pt.alc;
    j.doc = doc;
    j.len = len;
    j.rc = -1;
    assert_int_equal(stackpaint_task(s, parse_job, &j), NG_OK);
    assert_int_equal(j.rc, NG_OK);
  }
  assert_int_equal(stream_run(s, &pt.alc, doc, len), NG_OK);
  ng_sched_free(s);
  free(doc);
  assert_true(stackpaint_report(&pt, "json recursive", 10));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_direct_outcalls_fit_red_zone),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
