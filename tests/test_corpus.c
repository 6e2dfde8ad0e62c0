/*
 * tests/test_corpus.c - replays every file under corpus/<format>/ through
 * every engine of that format (the table `formats` below: a format adds
 * one row) and checks what the file name promises:
 *   y_*  must be accepted,
 *   n_*  must be rejected with a parse error (not a resource error),
 *   i_*  implementation-defined: either, but every engine must agree.
 * For every file, all engines must return the same code at the same offset.
 * A format whose corpus has an expected.tsv (XML) is held to it as well: each
 * n_ file must fail with exactly the code its row names. XML is replayed
 * twice (corpus/xml/README.md): with namespaces on for *_ns_* files and off
 * for the others, then with namespaces on for every file, so the files
 * that are not about namespaces must give the same verdicts both ways.
 * Run from the repository root (make check does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nestguard.h"
#include "nestguard/json.h"
#include "nestguard/xml.h"
#include "support/corpus.h"
#include "support/expected.h"

typedef struct result {
  int code;
  size_t offset;
} result;

/* A format's corpus folder and how to parse file `name` with its engine
 * number e. */
typedef struct format {
  const char *dir;   /* corpus folder */
  const char *label; /* what the summary line calls this replay */
  int engines;       /* engine count */
  const char *(*engine_name)(int e);
  result (*parse)(const char *name, const char *data, size_t len, int e);
  const char *expected; /* its expected.tsv, or NULL */
} format;

/* A parse's result, held to the contract: a document xor an error. */
static result outcome(int code, int have_doc, const ng_error *err) {
  result r;

  r.code = code;
  r.offset = code == NG_OK ? 0 : err->offset;
  if (code == NG_OK && !have_doc)
    r.code = -1; /* success must produce a document */
  if (code != NG_OK && have_doc)
    r.code = -2; /* failure must not leave a document */
  return r;
}

static const char *json_engine_name(int e) {
  return ng_json_engine_name((ng_json_engine)e);
}

static result parse_json(const char *name, const char *data, size_t len,
                         int e) {
  ng_json_options opt;
  ng_json_doc *doc = NULL;
  ng_error err;
  result r;
  int rc;

  (void)name;
  ng_json_options_default(&opt);
  opt.engine = (ng_json_engine)e;
  rc = ng_json_parse(data, len, &opt, &doc, &err);
  r = outcome(rc, doc != NULL, &err);
  ng_json_doc_free(doc);
  return r;
}

static const char *xml_engine_name(int e) {
  return ng_xml_engine_name((ng_xml_engine)e);
}

static result parse_xml_flags(const char *data, size_t len, int e,
                              unsigned flags) {
  ng_xml_options opt;
  ng_xml_doc *doc = NULL;
  ng_error err;
  result r;
  int rc;

  ng_xml_options_default(&opt);
  opt.engine = (ng_xml_engine)e;
  opt.flags = flags;
  rc = ng_xml_parse(data, len, &opt, &doc, &err);
  r = outcome(rc, doc != NULL, &err);
  ng_xml_doc_free(doc);
  return r;
}

/* Namespaces on for *_ns_* files, off for the others. */
static result parse_xml(const char *name, const char *data, size_t len,
                        int e) {
  return parse_xml_flags(data, len, e,
                         strstr(name, "_ns_") != NULL ? NG_XML_NAMESPACES : 0);
}

/* Namespaces on for every file. */
static result parse_xml_ns(const char *name, const char *data, size_t len,
                           int e) {
  (void)name;
  return parse_xml_flags(data, len, e, NG_XML_NAMESPACES);
}

/* 0 if the file's outcome is as its name promises; prints why not. */
static int check_expectation(const char *name, const char *engine, result r) {
  if (r.code < 0) {
    printf("  %s [%s]: document/return code mismatch\n", name, engine);
    return 1;
  }
  if (name[0] == 'y' && r.code != NG_OK) {
    printf("  %s [%s]: rejected (%s at %zu), expected accept\n", name, engine,
           ng_err_name(r.code), r.offset);
    return 1;
  }
  if (name[0] == 'n' &&
      (r.code == NG_OK || r.code == NG_ENOMEM)) {
    printf("  %s [%s]: %s, expected a parse error\n", name, engine,
           r.code == NG_OK ? "accepted" : "out of memory");
    return 1;
  }
  return 0;
}

static const format formats[] = {
    {"corpus/json", "corpus/json", NG_JSON_ENGINE_COUNT, json_engine_name,
     parse_json, NULL},
    {"corpus/xml", "corpus/xml", NG_XML_ENGINE_COUNT, xml_engine_name,
     parse_xml, "corpus/xml/expected.tsv"},
    {"corpus/xml", "corpus/xml (namespaces on)", NG_XML_ENGINE_COUNT,
     xml_engine_name, parse_xml_ns, "corpus/xml/expected.tsv"},
};

/* 0 if r is the code expected.tsv names for file f (n_ files; other
 * files pass); prints why not. */
static int check_code(const format *fm, const ng_expected *ex,
                      const char *name, const char *engine, result r) {
  const ng_expected_row *row = ng_expected_find(ex, name);

  if (row == NULL) {
    printf("  %s: no row in %s\n", name, fm->expected);
    return 1;
  }
  if (row->expect != name[0]) {
    printf("  %s: expected.tsv says %c\n", name, row->expect);
    return 1;
  }
  if (name[0] != 'n' || r.code < 0 || r.code == NG_OK)
    return 0; /* accept/reject problems are check_expectation's */
  if (strcmp(ng_err_name(r.code), row->code) != 0) {
    printf("  %s [%s]: %s at %zu, expected.tsv says %s\n", name, engine,
           ng_err_name(r.code), r.offset, row->code);
    return 1;
  }
  return 0;
}

/* Every engine of fm on one file; returns the number of problems. */
static int replay_file(const format *fm, const ng_expected *ex,
                       const ng_corpus_file *f, size_t *engines_run) {
  result first = {0, 0}, r;
  int problems = 0, have_first = 0, e;

  for (e = 0; e < fm->engines; e++) {
    const char *ename = fm->engine_name(e);
    r = fm->parse(f->name, f->data, f->len, e);
    (*engines_run)++;
    problems += check_expectation(f->name, ename, r);
    if (ex != NULL)
      problems += check_code(fm, ex, f->name, ename, r);
    if (!have_first) {
      first = r;
      have_first = 1;
    } else if (r.code != first.code || r.offset != first.offset) {
      printf("  %s [%s]: %s at %zu, but another engine said %s at %zu\n",
             f->name, ename, ng_err_name(r.code), r.offset,
             ng_err_name(first.code), first.offset);
      problems++;
    }
  }
  return problems;
}

/* Every file of every format's corpus through every engine. */
static void test_corpus_replay(void **state) {
  ng_corpus c;
  ng_expected ex;
  size_t k, i, engines_run, y, n;
  int problems = 0;
  (void)state;

  for (k = 0; k < sizeof formats / sizeof formats[0]; k++) {
    assert_int_equal(ng_corpus_load(&c, formats[k].dir), 0);
    ex.rows = NULL;
    ex.n = 0;
    if (formats[k].expected != NULL) {
      assert_int_equal(ng_expected_load(&ex, formats[k].expected), 0);
      assert_int_equal(ex.n, c.n); /* one row per file */
    }
    engines_run = y = n = 0;
    for (i = 0; i < c.n; i++) {
      problems += replay_file(&formats[k], formats[k].expected ? &ex : NULL,
                              &c.files[i], &engines_run);
      y += c.files[i].name[0] == 'y';
      n += c.files[i].name[0] == 'n';
    }
    printf("  %s: %zu files (%zu y_, %zu n_), %zu engine runs\n",
           formats[k].label, c.n, y, n, engines_run);
    ng_corpus_free(&c);
    ng_expected_free(&ex);
    /* Each corpus must exercise both sides. */
    assert_true(y > 0);
    assert_true(n > 0);
  }
  assert_int_equal(problems, 0);
}

/* Every corpus file name says what it expects. (corpus/regressions has its
 * own <harness>-<key> scheme, replayed by test_regressions.) */
static void test_corpus_names(void **state) {
  ng_corpus c;
  size_t d, i;
  int bad = 0;
  (void)state;

  for (d = 0; d < sizeof formats / sizeof formats[0]; d++) {
    assert_int_equal(ng_corpus_load(&c, formats[d].dir), 0);
    for (i = 0; i < c.n; i++) {
      const char *s = c.files[i].name;
      if (strncmp(s, "y_", 2) != 0 && strncmp(s, "n_", 2) != 0 &&
          strncmp(s, "i_", 2) != 0) {
        printf("  %s/%s: name must start with y_, n_ or i_\n",
               formats[d].dir, s);
        bad++;
      }
    }
    ng_corpus_free(&c);
  }
  assert_int_equal(bad, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_corpus_names),
      cmocka_unit_test(test_corpus_replay),
  };
  return cmocka_run_group_tests_name("corpus", tests, NULL, NULL);
}
