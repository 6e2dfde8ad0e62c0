/*
 * tests/support/stream_check.h - the oracle of the stream tests
 * (tests/test_json_stream.c, tests/test_xml_stream.c): a document fed to a
 * format's stream in chunks gives the one-shot parse's outcome.
 *
 * A format describes itself in an ng_test_fmt (its one-shot parse, its
 * stream's calls, its documents); the rest is the same for JSON and XML:
 * event traces recorded as text, outcomes (the code, the error record,
 * the DOM or the trace), the chunk driver (every chunk a copy scribbled
 * over and freed as soon as its feed returns, so nothing may point into
 * it later), the comparison, every split point and 1-byte chunks, freeing
 * mid-document and allocation failures across feeds.
 */
#ifndef NG_TEST_STREAM_CHECK_H
#define NG_TEST_STREAM_CHECK_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "nestguard.h"

/* True under valgrind and the sanitizers: fewer split points. */
int ng_test_slow_build(void);

/* ------------------------------------------------------ event traces */

/* A format's event callbacks write the trace here; stop_at > 0 makes the
 * event of that number stop the parse (ng_test_rec_step returns 1). */
typedef struct ng_test_rec {
  FILE *f;        /* open_memstream over buf, opened on first use */
  char *buf;      /* the trace */
  size_t len;     /* its length */
  size_t events;  /* events recorded */
  size_t stop_at; /* the event that stops the parse; 0: none */
} ng_test_rec;

/* The trace's stream, opened on first use. */
FILE *ng_test_rec_file(ng_test_rec *r);

/* Closes the trace's stream (buf and len are then complete). */
void ng_test_rec_close(ng_test_rec *r);

/* Ends an event with `what`: 1 when it is the one to stop at. */
int ng_test_rec_step(ng_test_rec *r, const char *what);

/* ------------------------------------------------------------ outcomes */

typedef struct ng_test_outcome {
  int rc;        /* the parse's result */
  ng_error err;  /* its error record */
  void *doc;     /* DOM mode, success: the format's document */
  ng_test_rec r; /* events mode: the trace */
} ng_test_outcome;

/* A format under test. opt: its options (ng_json_options, ng_xml_options);
 * r: the trace recorder in events mode, NULL for a DOM. */
typedef struct ng_test_fmt {
  int (*parse)(const char *d, size_t n, const void *opt, ng_test_rec *r,
               void **doc, ng_error *err); /* the one-shot parse */
  int (*open)(const void *opt, ng_test_rec *r, void **s); /* a stream */
  int (*feed)(void *s, const char *d, size_t n, ng_error *err);
  int (*finish)(void *s, void **doc, ng_error *err);
  void (*close)(void *s);
  void (*doc_free)(void *doc);
  int (*doc_equal)(const void *a, const void *b);
  /* Options with defaults but engine and alc (NULL: libc) into *opt,
   * which has room for the format's options. */
  void (*options)(void *opt, int engine, const ng_alloc *alc);
  /* NULL, or true when streamed outcome b of d[0..n) need not match the
   * one-shot parse (it asserts what it can of b). */
  int (*excused)(const char *d, size_t n, const ng_test_outcome *b);
} ng_test_fmt;

/* Room for any format's options. */
typedef union ng_test_opts {
  ng_json_options json;
  ng_xml_options xml;
} ng_test_opts;

/* Frees the document and the trace; zeroes o. */
void ng_test_outcome_free(const ng_test_fmt *fmt, ng_test_outcome *o);

/* The one-shot parse of d[0..n) into o (events: a trace, else a DOM). */
void ng_test_one_shot(const ng_test_fmt *fmt, const char *d, size_t n,
                      const void *opt, int events, ng_test_outcome *o);

/* Feeds stream s a copy of d[0..n), scribbled over and freed on return. */
int ng_test_feed_copy(const ng_test_fmt *fmt, void *s, const char *d,
                      size_t n, ng_error *err);

/*
 * Streams d[0..n) into o: cut[0..ncut) are the chunk ends (increasing),
 * or, with ncut 0, `step` bytes at a time. Stops feeding at the first
 * error, as a caller would.
 */
void ng_test_streamed(const ng_test_fmt *fmt, const char *d, size_t n,
                      const void *opt, int events, const size_t *cut,
                      size_t ncut, size_t step, ng_test_outcome *o);

/* Asserts that b (streamed) is a (one-shot): the same DOM or trace, or
 * the same code, offset, line, column and depth; names the case (name,
 * engine, how) on failure. */
void ng_test_same(const ng_test_fmt *fmt, ng_test_outcome *a,
                  ng_test_outcome *b, const char *name, const char *engine,
                  const char *how);

/* One document, one engine, one mode: every split point (a stride of
 * them for big documents) and 1-byte chunks against the one-shot parse. */
void ng_test_chunkings(const ng_test_fmt *fmt, const char *name,
                       const char *d, size_t n, const void *opt, int events,
                       const char *engine);

/* Streams that each engine's stream frees without a leak wherever the
 * input stops: doc[0..n) in two feeds cut at every byte, DOM and events,
 * through a counting allocator. */
void ng_test_free_mid_document(const ng_test_fmt *fmt, const int *engines,
                               size_t nengines, const char *doc, size_t n);

/* Fails every allocation in turn while in[0..n) is streamed in 7-byte
 * chunks by each engine, DOM and events: each run gives NG_OK or
 * NG_ENOMEM and leaves nothing allocated. */
void ng_test_allocation_failures(const ng_test_fmt *fmt, const int *engines,
                                 size_t nengines, const char *in, size_t n);

/*
 * Defines `static const ng_test_fmt NAME` for format F (json or xml) from
 * its public calls (ng_F_parse, ng_F_parse_events, ng_F_stream_*,
 * ng_F_doc_free, ng_F_equal, ng_F_doc_root, ng_F_options_default) and the
 * test file's `static ng_F_events rec_events(ng_test_rec *r)`; EXCUSED is
 * its ng_test_fmt.excused (NULL or a function).
 */
#define NG_TEST_FMT_DEFINE(NAME, F, EXCUSED)                                   \
  static int F##_t_parse(const char *d, size_t n, const void *opt,             \
                         ng_test_rec *r, void **doc, ng_error *err) {          \
    ng_##F##_doc *fd = NULL;                                                   \
    ng_##F##_events ev;                                                        \
    int rc;                                                                    \
    if (r != NULL) {                                                           \
      ev = rec_events(r);                                                      \
      return ng_##F##_parse_events(d, n, opt, &ev, err);                       \
    }                                                                          \
    rc = ng_##F##_parse(d, n, opt, &fd, err);                                  \
    *doc = fd;                                                                 \
    return rc;                                                                 \
  }                                                                            \
  static int F##_t_open(const void *opt, ng_test_rec *r, void **s) {           \
    ng_##F##_stream_config cfg;                                                \
    ng_##F##_events ev;                                                        \
    ng_##F##_stream *fs = NULL;                                                \
    int rc;                                                                    \
    memset(&cfg, 0, sizeof cfg);                                               \
    cfg.opt = opt;                                                             \
    if (r != NULL) {                                                           \
      ev = rec_events(r);                                                      \
      cfg.events = &ev;                                                        \
    }                                                                          \
    rc = ng_##F##_stream_new(&cfg, &fs);                                       \
    *s = fs;                                                                   \
    return rc;                                                                 \
  }                                                                            \
  static int F##_t_feed(void *s, const char *d, size_t n, ng_error *err) {     \
    return ng_##F##_stream_feed(s, d, n, err);                                 \
  }                                                                            \
  static int F##_t_finish(void *s, void **doc, ng_error *err) {                \
    ng_##F##_doc *fd = NULL;                                                   \
    int rc = ng_##F##_stream_finish(s, doc != NULL ? &fd : NULL, err);         \
    if (doc != NULL)                                                           \
      *doc = fd;                                                               \
    return rc;                                                                 \
  }                                                                            \
  static void F##_t_close(void *s) { ng_##F##_stream_free(s); }                \
  static void F##_t_doc_free(void *doc) { ng_##F##_doc_free(doc); }            \
  static int F##_t_doc_equal(const void *a, const void *b) {                   \
    return ng_##F##_equal(ng_##F##_doc_root(a), ng_##F##_doc_root(b));         \
  }                                                                            \
  static void F##_t_options(void *opt, int engine, const ng_alloc *alc) {      \
    ng_##F##_options *o = opt;                                                 \
    ng_##F##_options_default(o);                                               \
    o->engine = (ng_##F##_engine)engine;                                       \
    o->alc = alc;                                                              \
  }                                                                            \
  static const ng_test_fmt NAME = {                                            \
      F##_t_parse,    F##_t_open,      F##_t_feed,    F##_t_finish,            \
      F##_t_close,    F##_t_doc_free,  F##_t_doc_equal, F##_t_options,         \
      EXCUSED}

#endif /* NG_TEST_STREAM_CHECK_H */
