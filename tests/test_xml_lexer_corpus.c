/*
 * tests/test_xml_lexer_corpus.c - the XML lexer against corpus/xml: every
 * file through the input layer and the lexer to EOF, with the smallest
 * engine that can judge a document (the grammar table of parse.h, a depth
 * counter against max_depth, end tags matched with start tags), compared
 * with expected.tsv (verdict and error code). Also the entity attacks of
 * the corpus timed, and every file's run under allocation failure.
 *
 * Namespace files (*_ns_*) wait for the namespace layer: they are checked
 * for well-formedness without namespaces only where expected.tsv's answer
 * does not depend on namespaces (y_ files must parse; n_ files are not
 * judged). Run from the repository root (make check does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../parsers/xml/encoding.h"
#include "../parsers/xml/lexer.h"
#include "support/corpus.h"
#include "support/failalloc.h"
#include "support/testenv.h"

#define CORPUS "corpus/xml"

/* ------------------------------------------------ the minimal engine */

typedef struct outcome {
  int code;      /* NG_OK or the first error */
  size_t off;    /* its offset in the decoded text (input errors: in the
                    data) */
  size_t tokens; /* tokens read */
} outcome;

/* The open elements' names. */
typedef struct names {
  const char **s;
  size_t *n;
  size_t len, cap;
} names;

static int names_push(names *st, const char *s, size_t n) {
  if (st->len == st->cap) {
    size_t cap = st->cap ? st->cap * 2 : 64;
    const char **ns = realloc(st->s, cap * sizeof *ns);
    size_t *nn;
    if (ns == NULL)
      return NG_ENOMEM;
    st->s = ns;
    nn = realloc(st->n, cap * sizeof *nn);
    if (nn == NULL)
      return NG_ENOMEM;
    st->n = nn;
    st->cap = cap;
  }
  st->s[st->len] = s;
  st->n[st->len++] = n;
  return NG_OK;
}

/* One token against the grammar state *want; NG_OK or the error. */
static int step(ng__parse *c, names *st, int *want, const ng__xml_token *t) {
  if (!ng__parse_accepts(&ng__xml_grammar, *want, t->kind))
    return ng__parse_unexpected(c, &ng__xml_grammar, *want, t->kind, t->off,
                                t->code, t->err_off, t->msg);
  switch (t->kind) {
  case NG__XT_DOCTYPE:
    *want = NG__XX_DOCTYPE;
    break;
  case NG__XT_START:
    if (ng__parse_enter(c, t->off) != NG_OK)
      return c->perr.code;
    if (t->flags & NG__XTF_EMPTY)
      ng__parse_leave(c);
    else if (names_push(st, t->name, t->name_len) != NG_OK)
      return ng__parse_fail(c, NG_ENOMEM, t->off, NULL);
    *want = c->depth.cur == 0 ? NG__XX_EPILOG : NG__XX_CONTENT;
    break;
  case NG__XT_END:
    st->len--;
    if (st->n[st->len] != t->name_len ||
        memcmp(st->s[st->len], t->name, t->name_len) != 0)
      return ng__parse_fail(c, NG_ETAGMISMATCH, t->off, NULL);
    ng__parse_leave(c);
    *want = c->depth.cur == 0 ? NG__XX_EPILOG : NG__XX_CONTENT;
    break;
  default:
    break;
  }
  return NG_OK;
}

/* Drives the lexer over the UTF-8 text[0..len) to EOF or an error. */
static outcome drive(const unsigned char *text, size_t len,
                     const ng_limits *lim, const ng_alloc *alc) {
  outcome o = {NG_OK, 0, 0};
  ng__xml_lexer lx;
  ng__xml_token t;
  ng__parse c;
  ng_error err;
  names st = {NULL, NULL, 0, 0};
  int want = NG__XX_PROLOG;

  ng__xml_lexer_init(&lx, text, len, lim, alc);
  ng__parse_init(&c, (const char *)text, len, lim, &err);
  do {
    ng__xml_next(&lx, &t);
    o.tokens++;
    o.code = step(&c, &st, &want, &t);
  } while (o.code == NG_OK && t.kind != NG__XT_EOF);
  o.off = o.code != NG_OK ? err.offset : 0;
  ng__xml_lexer_free(&lx);
  free(st.s);
  free(st.n);
  return o;
}

/* Decodes data[0..len) with the input layer, then drives the lexer. */
static outcome run(const char *data, size_t len, const ng_limits *lim,
                   const ng_alloc *alc) {
  outcome o = {NG_OK, 0, 0};
  ng__xml_input in;
  ng_error err;

  o.code = ng__xml_input_open(data, len, NULL, alc, &in, &err);
  if (o.code != NG_OK) {
    o.off = err.offset;
    return o;
  }
  o = drive(in.text, in.len, lim, alc);
  ng__xml_input_close(&in);
  return o;
}

/* ------------------------------------------------------- expected.tsv */

typedef struct row {
  char file[256];
  char expect;   /* 'y', 'n' or 'i' */
  char code[32]; /* "-" or the name without NG_ */
} row;

static row *load_rows(size_t *n) {
  FILE *f = fopen(CORPUS "/expected.tsv", "r");
  char line[1024];
  row *rows = NULL, *r;
  size_t cap = 0;

  *n = 0;
  if (f == NULL)
    return NULL;
  while (fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, "file\t", 5) == 0)
      continue;
    if (*n == cap) {
      cap = cap ? cap * 2 : 512;
      rows = realloc(rows, cap * sizeof *rows);
      assert_non_null(rows);
    }
    r = &rows[*n];
    if (sscanf(line, "%255[^\t]\t%c\t%31[^\t]", r->file, &r->expect, r->code) ==
        3)
      (*n)++;
  }
  fclose(f);
  return rows;
}

static const row *find_row(const row *rows, size_t n, const char *file) {
  size_t i;

  for (i = 0; i < n; i++)
    if (strcmp(rows[i].file, file) == 0)
      return &rows[i];
  return NULL;
}

static int is_ns(const char *name) { return strstr(name, "_ns_") != NULL; }

/* 1 when outcome o is what row r expects. */
static int agrees(const row *r, outcome o) {
  if (r->expect == 'i')
    return o.code == NG_OK || o.code != NG_ENOMEM;
  if (r->expect == 'y')
    return o.code == NG_OK;
  return o.code != NG_OK && strcmp(ng_err_name(o.code), r->code) == 0;
}

static void test_corpus(void **state) {
  ng_corpus c;
  ng_limits lim;
  size_t nrows, i, pass = 0, judged = 0, ns = 0, bad = 0;
  row *rows;
  (void)state;

  rows = load_rows(&nrows);
  assert_non_null(rows);
  assert_int_equal(ng_corpus_load(&c, CORPUS), 0);
  assert_int_equal(c.n, nrows); /* one row per file, one file per row */
  ng_limits_default(&lim);
  for (i = 0; i < c.n; i++) {
    const ng_corpus_file *f = &c.files[i];
    const row *r = find_row(rows, nrows, f->name);
    outcome o;

    assert_non_null(r);
    assert_int_equal(r->expect, f->name[0]);
    o = run(f->data, f->len, &lim, NULL);
    if (is_ns(f->name)) { /* namespaces off: only y_ files are judged */
      ns++;
      if (r->expect == 'y' && o.code != NG_OK) {
        printf("  %s: %s at %zu without namespaces, expected accept\n", f->name,
               ng_err_name(o.code), o.off);
        bad++;
      }
      continue;
    }
    judged++;
    if (agrees(r, o)) {
      pass++;
    } else {
      bad++;
      printf("  %s: %s at %zu, expected %s\n", f->name, ng_err_name(o.code),
             o.off, r->expect == 'y' ? "accept" : r->code);
    }
  }
  printf("  corpus/xml: %zu of %zu non-namespace files as expected.tsv "
         "says; %zu namespace files run without namespaces\n",
         pass, judged, ns);
  ng_corpus_free(&c);
  free(rows);
  assert_int_equal(bad, 0);
}

/* The entity attacks of the corpus are refused in well under 1 ms (the
 * bound asserted is generous, for loaded machines and sanitizers). */
static void test_attacks_timed(void **state) {
  ng_corpus c;
  ng_limits lim;
  size_t i, n = 0;
  double t0, ms, worst = 0;
  outcome o;
  (void)state;

  assert_int_equal(ng_corpus_load(&c, CORPUS), 0);
  ng_limits_default(&lim);
  for (i = 0; i < c.n; i++) {
    if (strncmp(c.files[i].name, "n_attack_", 9) != 0 ||
        strstr(c.files[i].name, "xxe") != NULL)
      continue;
    t0 = ng_test_cpu_ms();
    o = run(c.files[i].data, c.files[i].len, &lim, NULL);
    ms = ng_test_cpu_ms() - t0;
    printf("  %-40s %s in %.3f ms (%zu tokens)\n", c.files[i].name,
           ng_err_name(o.code), ms, o.tokens);
    assert_int_equal(o.code, NG_EENTITYLIMIT);
    worst = ms > worst ? ms : worst;
    n++;
  }
  ng_corpus_free(&c);
  assert_true(n >= 6);
  assert_true(worst < 50.0);
}

/* Every file with each allocation failing in turn: the failure comes back
 * as NG_ENOMEM and nothing is leaked (ng_failalloc_sweep checks). */
static int file_op(void *arg, const ng_alloc *alc) {
  const ng_corpus_file *f = arg;
  ng_limits lim;
  outcome o;

  ng_limits_default(&lim);
  o = run(f->data, f->len, &lim, alc);
  return o.code == NG_ENOMEM;
}

static void test_corpus_alloc_failure(void **state) {
  ng_corpus c;
  size_t i, files = 0;
  long runs, total = 0;
  (void)state;

  assert_int_equal(ng_corpus_load(&c, CORPUS), 0);
  for (i = 0; i < c.n; i++) {
    runs = ng_failalloc_sweep(file_op, &c.files[i], 1000);
    if (runs < 0)
      printf("  %s: allocation failure not reported cleanly\n",
             c.files[i].name);
    assert_true(runs >= 0);
    total += runs;
    files += runs > 0;
  }
  printf("  %ld failing allocations over %zu files that allocate\n", total,
         files);
  ng_corpus_free(&c);
}

/* Every prefix of every small file, and seeded byte mutations of each:
 * the lexer ends with EOF or an error and reads nothing outside the text
 * (the sanitizer and valgrind runs check that). A prefix of a document
 * that is accepted whole is accepted itself or fails with NG_EEOF, or
 * with NG_EUTF8 where the cut splits a UTF-8 sequence: nothing is judged
 * before it is complete. */
static int valid_code(int code) {
  return code == NG_OK || (code >= NG_ESTACK && code <= NG_ENS) ||
         code == NG_ENOMEM;
}

static void test_truncations_and_mutations(void **state) {
  ng_corpus c;
  ng_limits lim;
  size_t i, k, m, runs = 0, bad = 0;
  uint32_t seed = 12345;
  char *buf;
  outcome o;
  (void)state;

  assert_int_equal(ng_corpus_load(&c, CORPUS), 0);
  ng_limits_default(&lim);
  buf = malloc(8192);
  assert_non_null(buf);
  for (i = 0; i < c.n; i++) {
    const ng_corpus_file *f = &c.files[i];
    int whole;
    if (f->len > 4096)
      continue;
    whole = drive((const unsigned char *)f->data, f->len, &lim, NULL).code;
    for (k = 0; k < f->len; k++, runs++) {
      memcpy(buf, f->data, k);
      o = drive((const unsigned char *)buf, k, &lim, NULL);
      assert_true(valid_code(o.code));
      /* Cut inside a UTF-8 sequence: EUTF8, as for any cut sequence. */
      if (whole == NG_OK && o.code != NG_OK && o.code != NG_EEOF &&
          !(o.code == NG_EUTF8 && ((unsigned char)f->data[k] & 0xC0) == 0x80)) {
        printf("  %s cut at %zu: %s at %zu\n", f->name, k, ng_err_name(o.code),
               o.off);
        bad++;
      }
    }
    for (m = 0; m < 32; m++, runs++) {
      memcpy(buf, f->data, f->len);
      seed = seed * 1103515245u + 12345u;
      if (f->len != 0)
        buf[(seed >> 8) % f->len] = (char)(seed >> 20);
      o = drive((const unsigned char *)buf, f->len, &lim, NULL);
      assert_true(valid_code(o.code));
    }
  }
  printf("  %zu truncated or mutated documents lexed\n", runs);
  free(buf);
  ng_corpus_free(&c);
  assert_int_equal(bad, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_corpus),
      cmocka_unit_test(test_attacks_timed),
      cmocka_unit_test(test_corpus_alloc_failure),
      cmocka_unit_test(test_truncations_and_mutations),
  };
  return cmocka_run_group_tests_name("xml_lexer_corpus", tests, NULL, NULL);
}
