/*
 * tests/support/stream_check.c - see stream_check.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "stream_check.h"

#include <stdlib.h>
#include <string.h>

#include "failalloc.h"
#include "testenv.h"

int ng_test_slow_build(void) {
  return ng_test_valgrind() || ng_test_sanitized();
}

/* ------------------------------------------------------ event traces */

FILE *ng_test_rec_file(ng_test_rec *r) {
  if (r->f == NULL)
    assert_non_null(r->f = open_memstream(&r->buf, &r->len));
  return r->f;
}

void ng_test_rec_close(ng_test_rec *r) {
  if (r->f != NULL)
    fclose(r->f);
  r->f = NULL;
}

int ng_test_rec_step(ng_test_rec *r, const char *what) {
  fputs(what, ng_test_rec_file(r));
  return ++r->events == r->stop_at;
}

/* ------------------------------------------------------------ outcomes */

void ng_test_outcome_free(const ng_test_fmt *fmt, ng_test_outcome *o) {
  fmt->doc_free(o->doc);
  ng_test_rec_close(&o->r);
  free(o->r.buf);
  memset(o, 0, sizeof *o);
}

void ng_test_one_shot(const ng_test_fmt *fmt, const char *d, size_t n,
                      const void *opt, int events, ng_test_outcome *o) {
  memset(o, 0, sizeof *o);
  o->rc = fmt->parse(d, n, opt, events ? &o->r : NULL, &o->doc, &o->err);
  ng_test_rec_close(&o->r);
}

int ng_test_feed_copy(const ng_test_fmt *fmt, void *s, const char *d,
                      size_t n, ng_error *err) {
  char *c = malloc(n + 1);
  int rc;

  assert_non_null(c);
  if (n != 0)
    memcpy(c, d, n);
  rc = fmt->feed(s, c, n, err);
  memset(c, 0xA5, n + 1);
  free(c);
  return rc;
}

void ng_test_streamed(const ng_test_fmt *fmt, const char *d, size_t n,
                      const void *opt, int events, const size_t *cut,
                      size_t ncut, size_t step, ng_test_outcome *o) {
  void *s;
  size_t at = 0, i = 0, next;

  memset(o, 0, sizeof *o);
  assert_int_equal(fmt->open(opt, events ? &o->r : NULL, &s), NG_OK);
  o->rc = NG_OK;
  while (at < n && o->rc == NG_OK) {
    next = ncut != 0 ? (i < ncut ? cut[i++] : n) : at + step;
    if (next > n)
      next = n;
    o->rc = ng_test_feed_copy(fmt, s, d + at, next - at, &o->err);
    at = next;
  }
  if (o->rc == NG_OK)
    o->rc = fmt->finish(s, events ? NULL : &o->doc, &o->err);
  fmt->close(s);
  ng_test_rec_close(&o->r);
}

void ng_test_same(const ng_test_fmt *fmt, ng_test_outcome *a,
                  ng_test_outcome *b, const char *name, const char *engine,
                  const char *how) {
  int ok = a->rc == b->rc;

  ng_test_rec_close(&a->r);
  ng_test_rec_close(&b->r);
  if (ok && a->rc != NG_OK)
    ok = a->err.code == b->err.code && a->err.offset == b->err.offset &&
         a->err.line == b->err.line && a->err.column == b->err.column &&
         a->err.depth == b->err.depth;
  if (ok && a->rc == NG_OK && a->doc != NULL)
    ok = b->doc != NULL && fmt->doc_equal(a->doc, b->doc);
  if (ok && a->r.len + b->r.len != 0)
    ok = a->r.len == b->r.len && memcmp(a->r.buf, b->r.buf, a->r.len) == 0;
  if (!ok)
    fail_msg("%s, %s, %s: one-shot rc %d (%s) at %zu:%zu:%zu depth %zu, "
             "streamed rc %d (%s) at %zu:%zu:%zu depth %zu",
             name, engine, how, a->rc, a->err.msg, a->err.offset, a->err.line,
             a->err.column, a->err.depth, b->rc, b->err.msg, b->err.offset,
             b->err.line, b->err.column, b->err.depth);
}

/* Compares b with a unless the format excuses b; frees b. */
static void judge(const ng_test_fmt *fmt, const char *d, size_t n,
                  ng_test_outcome *a, ng_test_outcome *b, const char *name,
                  const char *engine, const char *how) {
  if (fmt->excused == NULL || !fmt->excused(d, n, b))
    ng_test_same(fmt, a, b, name, engine, how);
  ng_test_outcome_free(fmt, b);
}

void ng_test_chunkings(const ng_test_fmt *fmt, const char *name,
                       const char *d, size_t n, const void *opt, int events,
                       const char *engine) {
  int slow = ng_test_slow_build();
  size_t every = slow ? 64 : 2048, points = slow ? 16 : 400;
  size_t stride = n <= every ? 1 : n / points, k;
  const char *mode = events ? ", events" : "";
  char how[64];
  ng_test_outcome a, b;

  ng_test_one_shot(fmt, d, n, opt, events, &a);
  for (k = 0; k <= n; k += stride) {
    ng_test_streamed(fmt, d, n, opt, events, &k, 1, 0, &b);
    snprintf(how, sizeof how, "split at %zu%s", k, mode);
    judge(fmt, d, n, &a, &b, name, engine, how);
  }
  if (!slow || n <= 4096) {
    ng_test_streamed(fmt, d, n, opt, events, NULL, 0, 1, &b);
    snprintf(how, sizeof how, "1-byte chunks%s", mode);
    judge(fmt, d, n, &a, &b, name, engine, how);
  }
  ng_test_outcome_free(fmt, &a);
}

/* -------------------------------------------- freeing, failing */

void ng_test_free_mid_document(const ng_test_fmt *fmt, const int *engines,
                               size_t nengines, const char *doc, size_t n) {
  size_t e, k;
  int events;

  for (e = 0; e < nengines; e++)
    for (events = 0; events < 2; events++)
      for (k = 0; k <= n; k++) {
        ng_test_opts opt;
        ng_test_rec r = {0};
        ng_failalloc fa;
        void *s;

        ng_failalloc_init(&fa, 0);
        fmt->options(&opt, engines[e], &fa.alc);
        assert_int_equal(fmt->open(&opt, events ? &r : NULL, &s), NG_OK);
        assert_int_equal(ng_test_feed_copy(fmt, s, doc, k, NULL), NG_OK);
        assert_int_equal(ng_test_feed_copy(fmt, s, doc + k, n - k, NULL),
                         NG_OK);
        fmt->close(s);
        ng_test_rec_close(&r);
        free(r.buf);
        assert_int_equal(fa.live_blocks, 0);
        assert_false(fa.size_mismatch);
      }
}

/* One run of the allocation sweep. */
typedef struct sweep {
  const ng_test_fmt *fmt;
  int engine, events;
  const char *in;
  size_t n;
} sweep;

static int sweep_op(void *arg, const ng_alloc *alc) {
  const sweep *w = arg;
  const ng_test_fmt *fmt = w->fmt;
  ng_test_opts opt;
  ng_test_rec r = {0};
  void *s, *doc = NULL;
  size_t at, n = w->n;
  ng_error err;
  int rc;

  fmt->options(&opt, w->engine, alc);
  rc = fmt->open(&opt, w->events ? &r : NULL, &s);
  if (rc != NG_OK)
    return rc;
  for (at = 0; at < n && rc == NG_OK; at += 7)
    rc = ng_test_feed_copy(fmt, s, w->in + at, at + 7 > n ? n - at : 7, &err);
  if (rc == NG_OK)
    rc = fmt->finish(s, &doc, &err);
  if (rc != NG_OK && rc != NG_ENOMEM)
    fail_msg("rc %d (%s at %zu) instead of NG_ENOMEM", rc, err.msg, err.offset);
  fmt->doc_free(doc);
  fmt->close(s);
  ng_test_rec_close(&r);
  free(r.buf);
  return rc;
}

void ng_test_allocation_failures(const ng_test_fmt *fmt, const int *engines,
                                 size_t nengines, const char *in, size_t n) {
  sweep w = {fmt, 0, 0, in, n};
  size_t e;

  for (e = 0; e < nengines; e++)
    for (w.events = 0; w.events < 2; w.events++) {
      w.engine = engines[e];
      assert_true(ng_failalloc_sweep(sweep_op, &w, 10000) > 0);
    }
}
