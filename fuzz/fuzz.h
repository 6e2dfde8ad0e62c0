/*
 * fuzz/fuzz.h - what every fuzz harness shares.
 *
 * A harness is one file fuzz/<format>_<target>.c defining
 *
 *   int ng_fuzz_<target>(const uint8_t *data, size_t size);
 *   NG_FUZZ_ENTRY(ng_fuzz_<target>)
 *
 * NG_FUZZ_ENTRY expands to LLVMFuzzerTestOneInput, which libFuzzer (and
 * OSS-Fuzz, ClusterFuzzLite) call directly; fuzz/afl_main.c drives it in
 * AFL++ persistent mode (__AFL_LOOP) and fuzz/replay.c over files. With
 * NG_FUZZ_NO_ENTRY defined the entry point is left out, so several
 * harnesses can be compiled into one program: tests/test_regressions.c
 * does that to replay corpus/regressions/ through every target inside
 * `make check`, with no fuzzer installed.
 *
 * Oracles report a violation with ng_fuzz_fail(), which prints the reason
 * and calls abort() (the crash a fuzzer records). With NG_FUZZ_NO_ABORT
 * defined (the regression test, the coverage build), or the environment
 * variable NG_FUZZ_CONTINUE set (queue replays), it counts the failure in
 * ng_fuzz_failures and returns instead, so harness code must return after
 * calling it.
 */
#ifndef NG_FUZZ_FUZZ_H
#define NG_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "nestguard.h"
#include "nestguard/json.h"
#include "nestguard/stack.h"

#include "../tests/support/failalloc.h"

/* -------------------------------------------------------- entry points */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifdef NG_FUZZ_NO_ENTRY
#define NG_FUZZ_ENTRY(fn)
#else
#define NG_FUZZ_ENTRY(fn)                                                      \
  int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {               \
    (void)fn(data, size);                                                      \
    return 0;                                                                  \
  }
#endif

/* Harness functions, so several can be compiled into one program (the
 * per-engine ones are declared by NG_FUZZ_ENGINE). */
#define NG_FUZZ_TARGETS(X)                                                     \
  X(json_differential) X(json_roundtrip) X(json_options) X(json_lexer)         \
  X(stack_tasks) X(xml_differential) X(xml_roundtrip) X(xml_options)           \
  X(xml_encoding)
#define NG_FUZZ_DECLARE(name) int ng_fuzz_##name(const uint8_t *data, size_t size);
NG_FUZZ_TARGETS(NG_FUZZ_DECLARE)
#undef NG_FUZZ_DECLARE

/* ------------------------------------------------------------- oracles */

/* Violations seen so far (when ng_fuzz_fail does not abort). */
extern unsigned long ng_fuzz_failures;

/* Reports an oracle violation: prints "nestguard-fuzz: <msg>" to stderr,
 * then abort()s, or counts it (NG_FUZZ_NO_ABORT, NG_FUZZ_CONTINUE). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 1, 2)))
#endif
void ng_fuzz_fail(const char *fmt, ...);

/* fprintf(stderr, ...) that is safe on a task's small stack: it prints on
 * the thread's system stack (ng_stack_call_system). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 1, 2)))
#endif
void ng_fuzz_log(const char *fmt, ...);

/* FNV-1a of the input: picks a place (an event to stop at) that stays
 * the same when the input is replayed. */
uint64_t ng_fuzz_hash(const uint8_t *d, size_t n);

/* Non-NULL pointer for an empty input (parsers may want data != NULL). */
const char *ng_fuzz_chars(const uint8_t *data, size_t size);

/*
 * Computes the line and column error.h gives offset off of data[0..size)
 * in one format; returns 0, or -1 when this input has no independent
 * answer (an encoding the harness does not decode), so it is not checked.
 */
typedef int (*ng_fuzz_linecol)(const uint8_t *data, size_t size, size_t off,
                               size_t *line, size_t *col);

/*
 * The parse contract of one result in any format: on NG_OK a document
 * (have_doc) and err clear; on failure no document, err->code == rc,
 * offset <= size, line and column as linecol recomputes them, a known
 * code. Returns 0 or -1 (reported).
 */
int ng_fuzz_check_outcome(const char *who, const uint8_t *data, size_t size,
                          int rc, int have_doc, const ng_error *err,
                          ng_fuzz_linecol linecol);

/*
 * Two outcomes of one input must agree: the same code and, on failure,
 * the same error (ng_fuzz_same_error); on success same_doc says whether
 * the documents were equal. la and lb label them in the report ("events
 * gave"). Returns 0 or -1 (reported).
 */
int ng_fuzz_check_agree(const char *who, const char *la, int rca,
                        const ng_error *ea, const char *lb, int rcb,
                        const ng_error *eb, int same_doc);

/*
 * The max_depth=0 re-parse of an input that failed with edepth by
 * default: not EDEPTH again, no error before edepth's offset, and on
 * success a document deeper (depth) than NG_DEFAULT_MAX_DEPTH. Returns 0
 * or -1 (reported).
 */
int ng_fuzz_check_unlimited(const char *who, int rc, const ng_error *err,
                            const ng_error *edepth, size_t depth);

/* 1 if two failed parses report the same error (code, offset, line,
 * column and depth). */
int ng_fuzz_same_error(const ng_error *a, const ng_error *b);

/* Formats an error as "EDEPTH@123 (line 1 col 124 depth 10001)". */
const char *ng_fuzz_error_str(const ng_error *e, char *buf, size_t n);


/*
 * Checks that the allocator saw no leak and no size mismatch after every
 * object made with it was freed. Returns 0 or -1 (reported).
 */
int ng_fuzz_check_alloc(const char *who, const ng_failalloc *fa);

/* A growable byte buffer (free p when done). */
typedef struct ng_fuzz_buf {
  char *p;       /* bytes, not NUL-terminated; NULL while empty */
  size_t n, cap; /* used / allocated */
  int oom;       /* 1 after ng_fuzz_buf_sink ran out of memory */
} ng_fuzz_buf;

/* Appends s[0..n); 0, or -1 when the harness is out of memory. */
int ng_fuzz_put(ng_fuzz_buf *b, const char *s, size_t n);

/* A writer sink (ud: an ng_fuzz_buf) collecting everything; returns 1
 * (stop) and sets oom when out of memory. */
int ng_fuzz_buf_sink(void *ud, const char *data, size_t len);

/* Reports unless a[0..na) and b[0..nb) are the same bytes, both shown
 * after "what: ". Returns 0 or -1. */
int ng_fuzz_same_bytes(const char *what, const char *a, size_t na,
                       const char *b, size_t nb);

/* ------------------------------------------------- limits, failures */

/* 1 when rc is a limit breach; stores the ng_limits field it names. */
int ng_fuzz_limit_of(int rc, const ng_limits *l, size_t *value);

/* After the counting allocator refused an allocation during op, op must
 * have returned NG_ENOMEM. Returns 0 or -1 (reported). */
int ng_fuzz_check_enomem(const char *op, int rc, const ng_failalloc *fa);

/*
 * One operation (op) after a good parse, through the counting allocator:
 * returns 1 when an allocation was refused during it (failed grew past
 * failed_before) and op reported NG_ENOMEM (stop here: done), 0 when
 * nothing was refused and op succeeded, -1 otherwise (reported).
 */
int ng_fuzz_check_step(const char *op, int rc, const ng_failalloc *fa,
                       size_t failed_before);

/* What limits measure in a document: its deepest nesting and its longest
 * string ((size_t)-1: the format cannot tell from the document alone). */
typedef struct ng_fuzz_extent {
  size_t depth;
  size_t max_string;
} ng_fuzz_extent;

/*
 * Limits only cut a parse short. A parse of n bytes under limits l gave
 * rc/err; the same options unlimited gave rrc/rerr (and, on success, a
 * document measuring ext; same_doc: both succeeded with equal documents).
 * A limited parse that succeeds gives the unlimited document; one that
 * fails names a limit that is set and really exceeded (EINPUTLIMIT
 * exactly when n > max_input) at or before the unlimited error, or gives
 * exactly the unlimited error. Returns 0 or -1 (reported).
 */
int ng_fuzz_check_limited(const ng_limits *l, size_t n, int rc,
                          const ng_error *err, int rrc, const ng_error *rerr,
                          const ng_fuzz_extent *ext, int same_doc);

/* ------------------------------------------------------- event checks */

/* What every checking event sink keeps, whatever the format. */
typedef struct ng_fuzz_sink {
  size_t count, stop_at; /* events so far / when to stop (0: never) */
  int bad;               /* 1 after a malformed event */
  char why[96];          /* the first malformation, with its event */
} ng_fuzz_sink;

/* Records a malformed event (the first one's why is kept); returns 0 for
 * the callback to go on: the parse result is checked too. */
int ng_fuzz_sink_bad(ng_fuzz_sink *k, const char *why);

/* Counts an event: nonzero (the callback's stop) at the stop_at-th.
 * Inline: every event of every checked parse comes through here. */
static inline int ng_fuzz_sink_tick(ng_fuzz_sink *k) {
  k->count++;
  return k->stop_at != 0 && k->count == k->stop_at;
}

/* Grows *p (*cap entries of each bytes) to hold need entries, doubling
 * from 64; 0, or -1 when the harness is out of memory. The test of need
 * is inline: sinks call this at every start event. */
int ng_fuzz_grow_to(void **p, size_t *cap, size_t need, size_t each);

static inline int ng_fuzz_grow(void **p, size_t *cap, size_t need,
                               size_t each) {
  return need <= *cap ? 0 : ng_fuzz_grow_to(p, cap, need, each);
}

/* An event parse by engine `name`, asked to stop at event k of about
 * total, must end with NG_ECANCELED after exactly k events (count). 0 or
 * -1 (reported). */
int ng_fuzz_check_stop(const char *name, size_t k, size_t total, int rc,
                       const ng_error *err, size_t count);

/*
 * An event-API parse (rc, err; k its sink) against the DOM parse of the
 * same input: -1 after reporting a malformed stream or another outcome;
 * 1 when both succeeded (the caller compares the counts); 0 when both
 * failed alike.
 */
int ng_fuzz_check_events(const char *who, const ng_fuzz_sink *k, int rc,
                         const ng_error *err, int rc_dom,
                         const ng_error *err_dom);


/* ------------------------------------------------------------ formats */

/* The options of either format, so that format-free code can hold them. */
typedef union ng_fuzz_options {
  ng_json_options json;
  ng_xml_options xml;
} ng_fuzz_options;

/*
 * A format as the format-free oracles see it: documents are void *,
 * options an ng_fuzz_options, an engine its enum value.
 */
typedef struct ng_fuzz_format {
  const char *(*engine_name)(int e); /* "recursive" gets a task re-run */
  /* Sets o to the defaults with engine e and allocator alc (NULL: libc). */
  void (*options)(ng_fuzz_options *o, int e, const ng_alloc *alc);
  ng_limits *(*limits)(ng_fuzz_options *o);     /* o's limits */
  const ng_alloc **(*alc)(ng_fuzz_options *o); /* o's allocator */
  /* Parses under o; stores the document (NULL on failure) in *doc. */
  int (*parse)(const ng_fuzz_options *o, const uint8_t *data, size_t size,
               void **doc, ng_error *err);
  /* The outcome contract (ng_fuzz_check_outcome with the format's lines). */
  int (*check_result)(const char *who, const uint8_t *data, size_t size, int rc,
                      const void *doc, const ng_error *err);
  /* Format-specific checks of a document parsed with default limits. */
  int (*check_doc)(const char *who, size_t size, const void *doc);
  /* Parses again through the event API under o and compares the events
   * with the DOM parse's rc, err and doc. */
  int (*events)(const char *who, const ng_fuzz_options *o,
                const uint8_t *data, size_t size, int rc, const ng_error *err,
                const void *doc);
  size_t (*depth)(const void *doc);           /* deepest nesting */
  int (*equal)(const void *a, const void *b); /* documents equal */
  void (*free)(void *doc);                    /* NULL is a no-op */
  /* ng_<format>_stream_feed and _finish on a stream s of the format. */
  int (*feed)(void *s, const char *data, size_t len, ng_error *err);
  int (*finish)(void *s, void **doc, ng_error *err);
} ng_fuzz_format;

/*
 * Push parsing: feeds data[0..size) (size > 0) to the stream s of format
 * f until a feed fails, then finishes it: the stream's result, its
 * document (or NULL) in *doc. Each chunk is 1 to m bytes, its length read
 * from the input's bytes in turn; m comes from hash (1..64), plus size /
 * feeds when feeds is not 0: a big input is then cut in about `feeds`
 * places or fewer, each feed costing the stream's set-up.
 */
int ng_fuzz_feed(const ng_fuzz_format *f, void *s, const uint8_t *data,
                 size_t size, uint64_t hash, size_t feeds, void **doc,
                 ng_error *err);

/*
 * The per-engine oracle behind <format>_<engine>.c: parses with engine e
 * (default limits, a counting allocator), checks the result contract,
 * the document (no deeper than the default max_depth, equal to itself,
 * the format's own checks), the event API against the DOM, and no leak;
 * inputs past the default depth are parsed again unlimited so deep paths
 * run too. The recursive engine also parses deep inputs inside a task
 * (2 KiB base stack, so segments grow and shrink) and must give the same
 * result there. Returns 0, or -1 after reporting.
 */
int ng_fuzz_engine(const ng_fuzz_format *f, int e, const uint8_t *data,
                   size_t size);

/* A target file fuzz/<format>_<name>.c for one engine is this one line,
 * e.g. NG_FUZZ_ENGINE(json, lalr, NG_JSON_LALR): an engine added to the
 * format's enum needs nothing else here. */
#define NG_FUZZ_ENGINE(format, name, engine)                                   \
  int ng_fuzz_##format##_##name(const uint8_t *data, size_t size);             \
  int ng_fuzz_##format##_##name(const uint8_t *data, size_t size) {            \
    return ng_fuzz_engine(&ng_fuzz_##format, (int)(engine), data, size);       \
  }                                                                            \
  NG_FUZZ_ENTRY(ng_fuzz_##format##_##name)

/* ------------------------------------------------------- byte decoding */

/*
 * Harnesses that take settings from the input read them from its first
 * bytes, so the fuzzer learns them like any other input bytes and a saved
 * reproducer carries its settings. A reader hands out bytes (0 when the
 * input ran out) and leaves the rest as the document.
 */
typedef struct ng_fuzz_reader {
  const uint8_t *p; /* unread bytes */
  size_t n;         /* how many */
} ng_fuzz_reader;

uint8_t ng_fuzz_byte(ng_fuzz_reader *r);

/*
 * A limit value from one byte: 0 means "not set" (unlimited); otherwise
 * small values are dense (1..63) and larger ones spread over powers of
 * sixteen times `unit`, so exact small depths and big caps both occur.
 */
size_t ng_fuzz_limit(uint8_t b, size_t unit);

/* Arms fa to fail allocation fail_at (1-based; 0: none), or with after
 * every allocation from fail_at on. */
void ng_fuzz_arm(ng_failalloc *fa, size_t fail_at, int after);

/* ------------------------------------------------------ options harness */

/* Settings an options harness decodes from the input's first bytes. */
typedef struct ng_fuzz_settings {
  ng_fuzz_options opt; /* engine, flags, limits (no allocator) */
  size_t fail_at;      /* allocation to fail (1-based); 0 none */
  int fail_after;      /* 1: fail every allocation from fail_at on */
  int events;          /* 1: parse through the event API */
} ng_fuzz_settings;

/* One output made from a good document through the failing allocator (a
 * write, XML's text content): a string of len + 1 bytes. */
typedef struct ng_fuzz_output {
  const char *name; /* as reported: "write" */
  int (*make)(const void *doc, const ng_alloc *alc, char **out, size_t *len);
} ng_fuzz_output;

/*
 * A format as the options harness sees it: its documents, options and
 * parses are those of f; below, what only this harness needs.
 */
typedef struct ng_fuzz_optformat {
  const ng_fuzz_format *f; /* options, parse, documents */
  int entity_limit; /* 1: the header has a max_entity_expansion byte */
  /* Sets o to the defaults with what bits 0-5 of the header's first byte
   * choose (engine, flags, ...). */
  void (*decode)(ng_fuzz_options *o, unsigned bits);
  /* What the limits measure in a document. */
  void (*extent)(const void *doc, ng_fuzz_extent *ext);
  /* A successful document of size input bytes respects l: 0 or -1. */
  int (*check_limits)(const void *doc, const ng_limits *l, size_t size);
  int (*copy)(const void *doc, const ng_alloc *alc, void **copy);
  ng_fuzz_output outputs[3]; /* ended by a NULL name */
  /* Parses through the event API under o into the format's checking
   * sink: stores the result, returns -1 after reporting a malformed
   * stream (or what else the format checks there), else 0. */
  int (*events)(const ng_fuzz_options *o, const uint8_t *data, size_t size,
                int *rc, ng_error *err);
  /* Adjusts the options of the DOM parse the events are compared with
   * (NULL: the same options). */
  void (*events_dom)(ng_fuzz_options *o);
} ng_fuzz_optformat;

/* Header bytes an options harness of format f consumes. */
size_t ng_fuzz_settings_bytes(const ng_fuzz_optformat *f);

/*
 * Header layout, NG_FUZZ_SETTINGS_BYTES + f->entity_limit bytes:
 *   [0] bits 0-5 the format's (f->decode), 6 event API, 7 fail every
 *       allocation from fail_at on
 *   [1] max_depth   [2] max_stack (x4 KiB)   [3] max_input
 *   [4] max_string  [5] max_memory (x1 KiB)
 *   [6] max_entity_expansion, when f->entity_limit
 *   then fail_at, 2 bytes little endian
 */
void ng_fuzz_decode_settings(const ng_fuzz_optformat *f, ng_fuzz_reader *r,
                             ng_fuzz_settings *s);

/* Header bytes of a format without the entity byte (stack_tasks has a
 * header of the same length). */
#define NG_FUZZ_SETTINGS_BYTES 8

/*
 * The options harness behind <format>_options.c: decodes the settings,
 * parses the rest of the input through the counting allocator (DOM or
 * events), and checks that an injected failure comes back as NG_ENOMEM,
 * that limits only cut a parse short (ng_fuzz_check_limited against the
 * same options unlimited), that a good document respects its limits and
 * survives copy and outputs under failing allocations, that the event API
 * gives the DOM's result, and that nothing leaks. 0, or -1 after
 * reporting.
 */
int ng_fuzz_run_options(const ng_fuzz_optformat *f, const uint8_t *data,
                        size_t size);

#endif /* NG_FUZZ_FUZZ_H */
