/*
 * tests/test_cli_xml.c - `nestguard check` and `nestguard parse` on XML:
 * exit status 0 / 1 / 2, the "FILE:LINE:COL: error:" report (in UTF-16
 * too), every option (--ns included), the format inferred from the file
 * name and from the first bytes, stdin, entity attacks rejected by their
 * limit, and a million nested elements in every engine without a signal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nestguard.h"
#include "support/spawn.h"
#include "support/testenv.h"
#include "support/tmpdir.h"

/* Writes data[0..n) to the scratch directory's file `name`; its path. */
static const char *write_file(const char *name, const char *data, size_t n) {
  const char *p = ng_tmpdir_write(name, data, n);
  assert_non_null(p);
  return p;
}

/* write_file for a string. */
static const char *write_str(const char *name, const char *s) {
  return write_file(name, s, strlen(s));
}

/* Runs the CLI with stdin from the file `in` (NULL: /dev/null) and up to
 * 7 arguments, NULL-terminated. It must exit, never die by a signal. */
static ng_spawn_result run(const char *in, ...) {
  char *argv[9];
  ng_spawn_result r;
  const char *a;
  va_list ap;
  int n = 0;

  argv[n++] = (char *)(uintptr_t)ng_spawn_cli_path();
  va_start(ap, in);
  while (n < 8 && (a = va_arg(ap, const char *)) != NULL)
    argv[n++] = (char *)(uintptr_t)a;
  va_end(ap);
  argv[n] = NULL;
  assert_int_equal(ng_spawn(argv, in, &r), 0);
  if (!r.exited)
    fail_msg("%s %s: signal %d", argv[1], argv[n - 1], r.status);
  return r;
}

/* "--engine=NAME" for XML engine e (one static buffer). */
static const char *engine_opt(int e) {
  static char opt[64];
  snprintf(opt, sizeof opt, "--engine=%s",
           ng_xml_engine_name((ng_xml_engine)e));
  return opt;
}

/* r is a rejection whose report holds `where` and the code's name. */
static void assert_rejected(const ng_spawn_result *r, const char *where,
                            const char *code) {
  if (r->status != 1 || strstr(r->err, where) == NULL ||
      strstr(r->err, code) == NULL)
    fail_msg("want exit 1 with %s and %s; got %d: %s", where, code, r->status,
             r->err);
}

/* r is a usage error whose message holds `what`. */
static void assert_usage(const ng_spawn_result *r, const char *what) {
  if (r->status != 2 || strstr(r->err, what) == NULL)
    fail_msg("want exit 2 with %s; got %d: %s", what, r->status, r->err);
}

static void test_check_accepts_and_rejects(void **state) {
  const char *ok = write_str("ok.xml", "<?xml version=\"1.0\"?>\n"
                                       "<a x='1'><b>t&amp;</b><c/></a>\n");
  const char *bad = write_str("bad.xml", "<a>\n  <b>\n  </a>\n</b>");
  ng_spawn_result r;
  char want[300];
  (void)state;
  r = run(NULL, "check", ok, NULL);
  assert_int_equal(r.status, 0);
  assert_string_equal(r.err, "");
  assert_string_equal(r.out, "");
  r = run(NULL, "check", bad, NULL);
  snprintf(want, sizeof want, "%s:3:3: error: ", bad);
  assert_rejected(&r, want, "(ETAGMISMATCH, byte 12)");
  /* stdin, by the first bytes and by --format */
  r = run(bad, "check", "-", NULL);
  assert_rejected(&r, "-:3:3: error: ", "ETAGMISMATCH");
  assert_int_equal(run(ok, "check", "-", NULL).status, 0);
  assert_int_equal(run(ok, "check", "--format=xml", "-", NULL).status, 0);
  r = run(NULL, "check", write_str("e.xml", ""), NULL);
  assert_rejected(&r, ":1:1: error: ", "(EEOF, byte 0)");
  r = run(NULL, "check", write_str("t.xml", "<a/>\n<b/>"), NULL);
  assert_rejected(&r, ":2:1: error: ", "ETRAILING");
}

/* Errors point into the original bytes: a UTF-16 document's error is at
 * its UTF-16 offset, on the line the document has there. */
static void test_error_position_utf16(void **state) {
  /* FF FE, then "<a>\n</b>" in UTF-16LE: </b> is at byte 2 + 4 * 2. */
  static const char le[] = "\xff\xfe<\0a\0>\0\n\0<\0/\0b\0>\0";
  const char *p = write_file("u16.dat", le, sizeof le - 1);
  ng_spawn_result r;
  (void)state;
  r = run(NULL, "check", p, NULL);
  assert_rejected(&r, ":2:1: error: ", "(ETAGMISMATCH, byte 10)");
  r = run(p, "check", "--format=xml", "-", NULL);
  assert_rejected(&r, "-:2:1: error: ", "(ETAGMISMATCH, byte 10)");
}

/* ascii as UTF-16 (big-endian if be), after a BOM if bom, into out.
 * Returns the bytes written. */
static size_t widen(const char *ascii, int be, int bom, char *out) {
  size_t n = 0;

  if (bom) {
    out[n++] = be ? '\xfe' : '\xff';
    out[n++] = be ? '\xff' : '\xfe';
  }
  for (; *ascii != '\0'; ascii++) {
    out[n++] = be ? '\0' : *ascii;
    out[n++] = be ? *ascii : '\0';
  }
  return n;
}

/* Inputs of several CLI chunks (64 KiB) go through the stream a chunk at
 * a time in any encoding: a UTF-16 document of about 540 KB, valid and
 * then with an error in its last chunk, read from a file and from a pipe
 * in every engine, reports the error at its line and its UTF-16 byte. */
static void test_chunks_utf16(void **state) {
  enum { N = 30000 };
  char *ascii = malloc(16 + 9 * N), *wide = malloc(2 * (16 + 9 * N) + 2);
  const char *ok, *bad;
  char want[64];
  size_t n = 0, k;
  ng_spawn_result r;
  int e;
  (void)state;
  assert_non_null(ascii);
  assert_non_null(wide);
  n += (size_t)sprintf(ascii, "<r>\n");
  for (k = 0; k < N; k++)
    n += (size_t)sprintf(ascii + n, "<a>x</a>\n");
  strcpy(ascii + n, "</r>");
  ok = write_file("c16.dat", wide, widen(ascii, 0, 1, wide));
  strcpy(ascii + n, "</b>");
  bad = write_file("c16bad.dat", wide, widen(ascii, 0, 1, wide));
  snprintf(want, sizeof want, "(ETAGMISMATCH, byte %zu)", 2 + 2 * n);
  for (e = 0; e < NG_XML_ENGINE_COUNT; e++) {
    assert_int_equal(run(NULL, "check", engine_opt(e), ok, NULL).status, 0);
    r = run(NULL, "check", engine_opt(e), bad, NULL);
    assert_rejected(&r, ":30002:1: error: ", want);
    r = run(bad, "check", engine_opt(e), "-", NULL);
    assert_rejected(&r, "-:30002:1: error: ", want);
  }
  r = run(ok, "parse", "--compact", "-", NULL);
  assert_int_equal(r.status, 0);
  assert_memory_equal(r.out, ascii, 64); /* the spawn keeps the first 8 KiB */
  free(ascii);
  free(wide);
}

/* check holds a read and the parser's state, not the input, in UTF-16
 * too (transcoded a chunk at a time): 25 MB of it checked within a few
 * MiB of resident memory by every engine. */
static void test_stream_constant_memory_utf16(void **state) {
  enum { N = 1400000 };
  char *ascii, *wide;
  const char *path;
  size_t n = 0, k;
  ng_spawn_result r;
  int e;
  (void)state;
  if (ng_test_valgrind() || ng_test_sanitized())
    skip();
  assert_non_null(ascii = malloc(16 + 9 * (size_t)N));
  assert_non_null(wide = malloc(2 * (16 + 9 * (size_t)N) + 2));
  n += (size_t)sprintf(ascii, "<r>\n");
  for (k = 0; k < N; k++)
    memcpy(ascii + n + 9 * k, "<a>x</a>\n", 10);
  strcpy(ascii + n + 9 * (size_t)N, "</r>");
  path = write_file("big16.xml", wide, widen(ascii, 0, 1, wide));
  free(ascii);
  free(wide);
  for (e = 0; e < NG_XML_ENGINE_COUNT; e++) {
    r = run(NULL, "check", engine_opt(e), "--max-input=0", path, NULL);
    assert_int_equal(r.status, 0);
    if (r.max_rss_kb >= 16 * 1024)
      fail_msg("%s: %ld KiB resident", engine_opt(e), (long)r.max_rss_kb);
  }
  unlink(path);
}

/* --format, else the name's ending (any case), else the first bytes. The
 * outcome tells the parser apart: "<a/>" is XML only, "[1]" JSON only. */
static void test_format_inference(void **state) {
  static const char *const xml_names[] = {"d.xml",  "d.XML",   "d.svg",
                                          "d.xsd",  "d.xhtml", "d.rss",
                                          "d.atom", "d.Plist"};
  static const char *const utf8[] = {"<a/>", " \r\n\t<a/>", "\xef\xbb\xbf<a/>",
                                     "\xef\xbb\xbf\n<a/>"};
  /* UTF-16 needs a BOM or the declaration (XML 1.0 section 4.3.3). */
  static const struct {
    const char *text;
    int be, bom;
  } utf16[] = {{" <a/>", 0, 1},
               {"<a/>", 1, 1},
               {"<?xml version='1.0' encoding='UTF-16'?><a/>", 0, 0},
               {"<?xml version='1.0' encoding='UTF-16'?>\n<a/>", 1, 0}};
  const char *paths[8];
  char name[32], buf[128];
  ng_spawn_result r;
  size_t i, n = 0;
  (void)state;
  for (i = 0; i < sizeof xml_names / sizeof xml_names[0]; i++) {
    const char *p = write_str(xml_names[i], "<a/>");
    if (run(NULL, "check", p, NULL).status != 0)
      fail_msg("%s was not read as XML", xml_names[i]);
    assert_int_equal(run(NULL, "check", "--format=json", p, NULL).status, 1);
  }
  for (i = 0; i < sizeof utf8 / sizeof utf8[0]; i++) {
    snprintf(name, sizeof name, "u8_%zu.dat", i);
    paths[n++] = write_str(name, utf8[i]);
  }
  for (i = 0; i < sizeof utf16 / sizeof utf16[0]; i++) {
    snprintf(name, sizeof name, "u16_%zu.dat", i);
    paths[n++] = write_file(
        name, buf, widen(utf16[i].text, utf16[i].be, utf16[i].bom, buf));
  }
  for (i = 0; i < n; i++) {
    r = run(NULL, "check", paths[i], NULL);
    if (r.status != 0)
      fail_msg("%s was not read as XML: %s", paths[i], r.err);
    assert_int_equal(run(paths[i], "check", "-", NULL).status, 0);
    assert_int_equal(run(paths[i], "check", "--format=json", "-", NULL).status,
                     1);
  }
  /* Not '<' first: JSON, from a name without a known ending or stdin. */
  r = run(NULL, "check", write_str("j.dat", " [1]"), NULL);
  assert_int_equal(r.status, 0);
  r = run(write_str("j2.dat", "x<a/>"), "check", "-", NULL);
  assert_rejected(&r, "-:1:1: error: ", "ESYNTAX");
  assert_int_equal(run(NULL, "check", write_str("j.json", "[1]"), NULL).status,
                   0);
  /* The name wins over the bytes, --format over both. */
  r = run(NULL, "check", write_str("x.json", "<a/>"), NULL);
  assert_rejected(&r, ":1:1: error: ", "ESYNTAX");
  assert_int_equal(
      run(NULL, "check", "--format=xml", write_str("x2.json", "<a/>"), NULL)
          .status,
      0);
  assert_int_equal(
      run(NULL, "check", "--format=json", write_str("x.xml", "[2]"), NULL)
          .status,
      0);
}

/* An option of the other format is a usage error once the format is
 * known, before or after reading; neither format's option never passes. */
static void test_options_follow_the_format(void **state) {
  const char *x = write_str("o.xml", "<a/>");
  const char *j = write_str("o.json", "[]");
  ng_spawn_result r;
  (void)state;
  r = run(NULL, "check", "--dupkeys=reject", x, NULL);
  assert_usage(&r, "unknown option for xml: --dupkeys=reject");
  r = run(x, "check", "--bigint-reject", "-", NULL);
  assert_usage(&r, "for xml: --bigint-reject");
  r = run(j, "check", "--max-entity-expansion=1k", "-", NULL);
  assert_usage(&r, "for json: --max-entity-expansion=1k");
  r = run(x, "check", "--engine=no-such", "-", NULL);
  assert_usage(&r, "unknown engine: --engine=no-such");
  r = run(x, "check", "--max-entity-expansion=x", "-", NULL);
  assert_usage(&r, "invalid size: --max-entity-expansion=x");
  r = run(NULL, "check", "--format=yaml", x, NULL);
  assert_usage(&r, "unsupported format: yaml");
  assert_int_equal(run(NULL, "check", "--max-stack=x", x, NULL).status, 2);
  assert_int_equal(run(NULL, "check", "--compact", x, NULL).status, 2);
  assert_int_equal(run(NULL, "check", x, x, NULL).status, 2);
  assert_int_equal(run(NULL, "check", "--format=xml", NULL).status, 2);
}

/* Every engine the library has is accepted by name and agrees. */
static void test_every_engine_by_name(void **state) {
  const char *ok = write_str("en.xml", "<r><a b='&lt;'>x</a><!--c--></r>");
  const char *bad = write_str("en2.xml", "<r><a></r>");
  ng_spawn_result r;
  int e;
  (void)state;
  for (e = 0; e < NG_XML_ENGINE_COUNT; e++) {
    assert_int_equal(run(NULL, "check", engine_opt(e), ok, NULL).status, 0);
    r = run(NULL, "check", engine_opt(e), bad, NULL);
    assert_rejected(&r, ":1:7: error: ", "(ETAGMISMATCH, byte 6)");
    r = run(NULL, "parse", "--compact", engine_opt(e), ok, NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "<r><a b=\"&lt;\">x</a><!--c--></r>\n");
  }
}

/* Each limit at its value passes and one under it is its own code. */
static void test_limits(void **state) {
  const char *d3 = write_str("d3.xml", "<a><b><c/></b></a>");
  const char *s5 = write_str("s5.xml", "<a>hello</a>");
  const char *e10 =
      write_str("e10.xml", "<!DOCTYPE d [<!ENTITY e \"hello\">]><d>&e;&e;</d>");
  ng_spawn_result r;
  (void)state;
  assert_int_equal(run(NULL, "check", "--max-depth=3", d3, NULL).status, 0);
  r = run(NULL, "check", "--max-depth=2", d3, NULL);
  assert_rejected(&r, ":1:7: error: ", "(EDEPTH, byte 6)");
  assert_int_equal(run(NULL, "check", "--max-string=5", s5, NULL).status, 0);
  r = run(NULL, "check", "--max-string=4", s5, NULL);
  assert_rejected(&r, ":1:4: error: ", "ESTRLIMIT");
  assert_int_equal(run(NULL, "check", "--max-input=12", s5, NULL).status, 0);
  r = run(s5, "check", "--max-input=11", "-", NULL);
  assert_rejected(&r, "-:1:1: error: ", "(EINPUTLIMIT, byte 11)");
  assert_int_equal(
      run(NULL, "check", "--max-entity-expansion=10", e10, NULL).status, 0);
  r = run(NULL, "check", "--max-entity-expansion=9", e10, NULL);
  assert_rejected(&r, ":1:41: error: ", "(EENTITYLIMIT, byte 40)");
  assert_int_equal(run(NULL, "parse", "--max-memory=1m", s5, NULL).status, 0);
  r = run(NULL, "parse", "--max-memory=64", s5, NULL);
  assert_rejected(&r, ": error: ", "EMEMLIMIT");
  assert_string_equal(r.out, "");
  assert_int_equal(run(NULL, "check", "--max-stack=1m", s5, NULL).status, 0);
}

/* Billion laughs and the quadratic blowup: EENTITYLIMIT at the reference
 * that would pass the budget, in every engine, with the default budget
 * and with --max-entity-expansion=0 (the amplification ratio remains). */
static void test_entity_attacks(void **state) {
  static const char *const budgets[] = {"--max-entity-expansion=1m",
                                        "--max-entity-expansion=0"};
  char *laughs = malloc(4096), *blowup = malloc(1600000);
  const char *paths[2];
  size_t n = 0, i, b, p;
  ng_spawn_result r;
  int e;
  (void)state;
  assert_non_null(laughs);
  assert_non_null(blowup);
  n = (size_t)sprintf(laughs, "<!DOCTYPE l [<!ENTITY l0 \"ha\">");
  for (i = 1; i < 10; i++) {
    n += (size_t)sprintf(laughs + n, "<!ENTITY l%zu \"", i);
    for (b = 0; b < 10; b++)
      n += (size_t)sprintf(laughs + n, "&l%zu;", i - 1);
    n += (size_t)sprintf(laughs + n, "\">");
  }
  n += (size_t)sprintf(laughs + n, "]><l>&l9;</l>");
  paths[0] = write_file("laughs.xml", laughs, n);
  n = (size_t)sprintf(blowup, "<!DOCTYPE q [<!ENTITY a \"");
  memset(blowup + n, 'x', 100000);
  n += 100000;
  n += (size_t)sprintf(blowup + n, "\">]><q>");
  for (i = 0; i < 100000; i++, n += 3)
    memcpy(blowup + n, "&a;", 3);
  n += (size_t)sprintf(blowup + n, "</q>");
  paths[1] = write_file("blowup.xml", blowup, n);
  free(laughs);
  free(blowup);
  for (e = 0; e < NG_XML_ENGINE_COUNT; e++)
    for (p = 0; p < 2; p++)
      for (b = 0; b < 2; b++) {
        r = run(NULL, "check", engine_opt(e), budgets[b], paths[p], NULL);
        assert_rejected(&r, ":1:", "EENTITYLIMIT");
        r = run(NULL, "parse", engine_opt(e), budgets[b], paths[p], NULL);
        assert_rejected(&r, ":1:", "EENTITYLIMIT");
        assert_string_equal(r.out, "");
      }
}

/* 1e6 nested elements: accepted with --max-depth=0 by every engine,
 * check and parse; EDEPTH at the default limit. Never a signal. */
static void test_deep_every_engine(void **state) {
  size_t n = getenv("NG_TSAN")       ? 50000
             : getenv("NG_VALGRIND") ? 100000
                                     : 1000000,
         i;
  char *b = malloc(7 * n);
  const char *path;
  ng_spawn_result r;
  int e;
  (void)state;
  assert_non_null(b);
  for (i = 0; i < n; i++) {
    memcpy(b + 3 * i, "<a>", 3);
    memcpy(b + 3 * n + 4 * i, "</a>", 4);
  }
  path = write_file("deep.xml", b, 7 * n);
  free(b);
  for (e = 0; e < NG_XML_ENGINE_COUNT; e++) {
    r = run(NULL, "check", engine_opt(e), "--max-depth=0", path, NULL);
    assert_int_equal(r.status, 0);
    r = run(NULL, "check", engine_opt(e), path, NULL);
    assert_rejected(&r, ":1:30001: error: ", "(EDEPTH, byte 30000)");
    r = run(path, "parse", engine_opt(e), "--compact", "--max-depth=0", "-",
            NULL);
    assert_int_equal(r.status, 0);
    assert_memory_equal(r.out, "<a><a><a>", 9);
  }
}

/* parse writes UTF-8 XML: compact text re-reads to the same document,
 * pretty text indents element-only content; CDATA merges into text unless
 * --keep-cdata. */
static void test_parse_prints(void **state) {
  static const char doc[] = "<?xml version='1.0'?>\n"
                            "<!DOCTYPE r>\n"
                            "<r a=\"1\"><s><t>&#233;<![CDATA[<x>]]></t></s>"
                            "<?pi d?></r>\n";
  static const char utf16[] = "\xfe\xff\0<\0r\0>\0\xe9\0<\0/\0r\0>";
  const char *in = write_str("p.xml", doc);
  ng_spawn_result r, r2;
  (void)state;
  r = run(NULL, "parse", "--compact", in, NULL);
  assert_int_equal(r.status, 0);
  assert_string_equal(r.out, "<!DOCTYPE r><r a=\"1\"><s><t>\xc3\xa9&lt;x&gt;"
                             "</t></s><?pi d?></r>\n");
  r2 = run(write_str("p2.xml", r.out), "parse", "--compact", "-", NULL);
  assert_string_equal(r2.out, r.out);
  r = run(NULL, "parse", "--compact", "--keep-cdata", in, NULL);
  assert_non_null(strstr(r.out, "<t>\xc3\xa9<![CDATA[<x>]]></t>"));
  r = run(NULL, "parse", in, NULL);
  assert_int_equal(r.status, 0);
  assert_non_null(strstr(r.out, "<r a=\"1\">\n  <s>\n    <t>"));
  r = run(NULL, "parse", write_file("p16.dat", utf16, sizeof utf16 - 1), NULL);
  assert_int_equal(r.status, 0);
  assert_string_equal(r.out, "<r>\xc3\xa9</r>\n");
  r = run(NULL, "parse", write_str("pe.xml", "<r>&x;</r>"), NULL);
  assert_rejected(&r, ":1:4: error: ", "EENTITY");
  assert_string_equal(r.out, "");
}

/* --ns: namespace well-formedness in every engine, NG_ENS at the start
 * tag; without it the same documents are well-formed XML 1.0. */
static void test_namespaces(void **state) {
  const char *undeclared = write_str("ns1.xml", "<r>\n <p:a/></r>");
  const char *twice =
      write_str("ns2.xml", "<a xmlns:p='u' xmlns:q='u' p:x='1' q:x='2'/>");
  const char *ok =
      write_str("ns3.xml", "<p:a xmlns:p='u'><p:b p:c='1'/></p:a>");
  ng_spawn_result r;
  int e;
  (void)state;
  for (e = 0; e < NG_XML_ENGINE_COUNT; e++) {
    assert_int_equal(run(NULL, "check", engine_opt(e), undeclared, NULL).status,
                     0);
    r = run(NULL, "check", engine_opt(e), "--ns", undeclared, NULL);
    assert_rejected(&r, ":2:2: error: ", "(ENS, byte 5)");
    assert_int_equal(run(NULL, "check", engine_opt(e), twice, NULL).status, 0);
    r = run(twice, "check", engine_opt(e), "--ns", "-", NULL);
    assert_rejected(&r, "-:1:", "ENS");
    r = run(NULL, "parse", engine_opt(e), "--ns", "--compact", ok, NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "<p:a xmlns:p=\"u\"><p:b p:c=\"1\"/></p:a>\n");
  }
  r = run(NULL, "check", "--ns", write_str("ns.json", "[]"), NULL);
  assert_usage(&r, "unknown option for json: --ns");
}

/* --help lists XML's options and every engine the library has. */
static void test_help(void **state) {
  ng_spawn_result r;
  int e;
  (void)state;
  r = run(NULL, "check", "--format=xml", "--help", NULL);
  assert_int_equal(r.status, 0);
  assert_string_equal(r.err, "");
  assert_non_null(strstr(r.out, "--max-entity-expansion=BYTES"));
  assert_non_null(strstr(r.out, "--keep-cdata"));
  assert_non_null(strstr(r.out, "--ns"));
  assert_non_null(strstr(r.out, ".xml .svg"));
  for (e = 0; e < NG_XML_ENGINE_COUNT; e++)
    assert_non_null(strstr(r.out, ng_xml_engine_name((ng_xml_engine)e)));
  r = run(NULL, "parse", "-h", NULL);
  assert_int_equal(r.status, 0);
  assert_non_null(strstr(r.out, "[--compact]"));
  assert_non_null(strstr(r.out, "xml options:"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_check_accepts_and_rejects),
      cmocka_unit_test(test_error_position_utf16),
      cmocka_unit_test(test_chunks_utf16),
      cmocka_unit_test(test_stream_constant_memory_utf16),
      cmocka_unit_test(test_format_inference),
      cmocka_unit_test(test_options_follow_the_format),
      cmocka_unit_test(test_every_engine_by_name),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_entity_attacks),
      cmocka_unit_test(test_deep_every_engine),
      cmocka_unit_test(test_parse_prints),
      cmocka_unit_test(test_namespaces),
      cmocka_unit_test(test_help),
  };
  return cmocka_run_group_tests_name("cli_xml", tests, ng_tmpdir_setup,
                                     ng_tmpdir_teardown);
}
