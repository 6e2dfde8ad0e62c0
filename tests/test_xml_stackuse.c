/*
 * tests/test_xml_stackuse.c - the XML recursive engine keeps the red-zone
 * contract (nestguard/stack.h) on its segments.
 *
 * Unlike JSON's (tests/test_json_stackuse.c), XML's engine runs a whole
 * scanner, lexer and sink included, directly only where
 * NG__DESCENT_SCAN_ROOM is free above the limit, and on the thread stack
 * elsewhere (parsers/xml/recursive.c): its lexer, entity references and
 * DOM builder chain frames of 100 to 450 bytes, and a scanner took 1.2 KiB
 * here, more than the red zone. So direct scanners near a segment's end
 * would write into the reserve; they run with 1 KiB more above them, and
 * this test holds them to it. It also holds libc to its bound: a first
 * call through a lazily bound PLT entry takes about 3.3 KiB (glibc's
 * resolver), which reached the segment's header here before the first
 * recursive parse bound what the scanners call (common/descent.h).
 * The parse runs in a task, its stack segments from a painting allocator
 * (support/stackpaint.h), on a document whose every level has references
 * (character, predefined, internal entities in text and attributes),
 * attributes, CDATA, a comment, a PI and an empty element, with and
 * without namespaces, into a DOM and into events; whatever runs on a
 * segment must leave the runtime's reserve and the segment's header alone.
 *
 * Skipped under sanitizers (ASan's shadow of the painted bytes) and
 * valgrind (reads of popped stack).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "nestguard.h"
#include "nestguard/xml.h"
#include "support/stackpaint.h"
#include "support/testenv.h"

/* Levels: the recursion crosses about 15 segments. */
#define DEPTH 2000

static const char head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE p:e [<!ENTITY ent \"replacement &#233; text &amp; more\">\n"
    "<!ENTITY nest \"&ent; and &ent; again\">\n"
    "<!ATTLIST p:e d CDATA \"default &#x20AC;\">]>\n";

/* One level's start and content; the next level follows it. */
static const char unit[] =
    "<p:e xmlns:p=\"urn:x:p\" xmlns:q=\"urn:x:q\" a=\"v&amp;&#x20AC;&ent;\" "
    "q:b='x &lt;y&gt; &nest;'>text &#233;&nest; &amp; more "
    "<![CDATA[cdata <not a tag> ]]><!-- a comment --><?pi some data?>"
    "<q:empty q:at=\"1\" at=\"2\"/>";
static const char tail[] = "</p:e>";

static char *heavy_doc(size_t *len) {
  size_t h = sizeof head - 1, u = sizeof unit - 1, t = sizeof tail - 1, i;
  char *s = malloc(h + DEPTH * (u + t) + 1), *p = s;

  assert_non_null(s);
  memcpy(p, head, h);
  p += h;
  for (i = 0; i < DEPTH; i++, p += u)
    memcpy(p, unit, u);
  for (i = 0; i < DEPTH; i++, p += t)
    memcpy(p, tail, t);
  *len = (size_t)(p - s);
  return s;
}

typedef struct job {
  const ng_alloc *alc;
  const char *doc;
  size_t len;
  unsigned flags; /* NG_XML_* */
  int events;     /* 1: events with callbacks, 0: DOM */
  int rc;
} job;

static int ev_start(void *ud, const char *n, size_t len,
                    const ng_xml_event_attr *a, size_t na) {
  (void)n;
  (void)len;
  (void)a;
  (void)na;
  (*(size_t *)ud)++;
  return 0;
}
static int ev_text(void *ud, const char *d, size_t len, int cdata) {
  (void)d;
  (void)len;
  (void)cdata;
  (*(size_t *)ud)++;
  return 0;
}

static int parse_job(void *arg) {
  job *j = arg;
  ng_xml_options opt;
  ng_xml_doc *doc = NULL;
  ng_xml_events ev;
  size_t n = 0;

  ng_xml_options_default(&opt);
  opt.engine = NG_XML_RECURSIVE;
  opt.flags = j->flags;
  opt.limits.max_depth = 0;
  opt.alc = j->alc;
  memset(&ev, 0, sizeof ev);
  ev.start_element = ev_start;
  ev.text = ev_text;
  ev.ud = &n;
  if (j->events) {
    j->rc = ng_xml_parse_events(j->doc, j->len, &opt, &ev, NULL);
  } else {
    j->rc = ng_xml_parse(j->doc, j->len, &opt, &doc, NULL);
    ng_xml_doc_free(doc);
  }
  return 0;
}

static void test_direct_outcalls_fit_red_zone(void **state) {
  stackpaint pt;
  ng_sched *s;
  job j;
  int k;
  char *doc;
  (void)state;

  if (ng_test_sanitized() || ng_test_valgrind())
    skip();
  stackpaint_init(&pt);
  memset(&j, 0, sizeof j);
  j.alc = &pt.alc;
  j.doc = doc = heavy_doc(&j.len);
  assert_int_equal(stackpaint_sched(&pt, &s), NG_OK);
  for (k = 0; k < 4; k++) {
    j.events = k & 1;
    j.flags = k & 2 ? NG_XML_NAMESPACES : 0;
    j.rc = -1;
    assert_int_equal(stackpaint_task(s, parse_job, &j), NG_OK);
    assert_int_equal(j.rc, NG_OK);
  }
  ng_sched_free(s);
  free(doc);
  assert_true(stackpaint_report(&pt, "xml recursive", 10));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_direct_outcalls_fit_red_zone),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
