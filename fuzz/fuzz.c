/*
 * fuzz/fuzz.c - shared harness helpers (see fuzz.h).
 *
 * Everything here is an oracle or a decoder: nothing may hide a failure of
 * the code under test. What is JSON's alone is fuzz_json.c, XML's
 * fuzz_xml.c; the oracles here reach a format through its hooks.
 */
#include "fuzz.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned long ng_fuzz_failures;

/* A message for stderr, printed on the thread's own stack. */
typedef struct fz_msg {
  const char *prefix;
  const char *fmt;
  va_list ap;
} fz_msg;

/* The format was checked where it was written: ng_fuzz_log and
 * ng_fuzz_fail carry the printf format attribute. */
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
static int fz_print(void *arg) {
  fz_msg *m = arg;

  fputs(m->prefix, stderr);
  vfprintf(stderr, m->fmt, m->ap);
  fflush(stderr);
  return 0;
}
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic pop
#endif

/* Oracles fail and traces print inside tasks too, on a 2 KiB task base or
 * at the end of a segment: stdio needs more stack than that (printing
 * there overran a task's base and corrupted the heap in a queue replay),
 * so the printing runs on the system stack. Outside tasks the call is
 * direct. */
static void fz_vlog(const char *prefix, const char *fmt, va_list ap) {
  fz_msg m;

  m.prefix = prefix;
  m.fmt = fmt;
  va_copy(m.ap, ap);
  (void)ng_stack_call_system(fz_print, &m);
  va_end(m.ap);
}

void ng_fuzz_log(const char *fmt, ...) {
  va_list ap;

  va_start(ap, fmt);
  fz_vlog("", fmt, ap);
  va_end(ap);
}

void ng_fuzz_fail(const char *fmt, ...) {
  va_list ap;

  va_start(ap, fmt);
  fz_vlog("nestguard-fuzz: ", fmt, ap);
  va_end(ap);
  ng_fuzz_log("\n");
#ifndef NG_FUZZ_NO_ABORT
  /* Replays of whole queues (fuzz/run) set this to see every failure. */
  if (getenv("NG_FUZZ_CONTINUE") == NULL)
    abort();
#endif
  ng_fuzz_failures++;
}

const char *ng_fuzz_chars(const uint8_t *data, size_t size) {
  return size == 0 || data == NULL ? "" : (const char *)data;
}

/* The length of the chunk at offset at (< size), from the input's byte
 * *i (counted on) and the hash, as ng_fuzz_feed describes. */
static size_t fz_chunk(const uint8_t *data, size_t size, uint64_t hash,
                       size_t feeds, size_t *i, size_t at) {
  size_t m = 1 + (size_t)(hash >> 16) % 64 + (feeds != 0 ? size / feeds : 0);
  size_t v = data[(*i)++ % size] ^ (uint8_t)(hash >> 8);
  size_t n = 1 + (m <= 256 ? v % m : v * (m / 256));

  return n < size - at ? n : size - at;
}

int ng_fuzz_feed(const ng_fuzz_format *f, void *s, const uint8_t *data,
                 size_t size, uint64_t hash, size_t feeds, void **doc,
                 ng_error *err) {
  size_t at = 0, i = 0, n;
  int rc = NG_OK;

  *doc = NULL;
  while (at < size && rc == NG_OK) {
    n = fz_chunk(data, size, hash, feeds, &i, at);
    rc = f->feed(s, ng_fuzz_chars(data, size) + at, n, err);
    at += n;
  }
  return rc == NG_OK ? f->finish(s, doc, err) : rc;
}

uint64_t ng_fuzz_hash(const uint8_t *d, size_t n) {
  uint64_t h = 1469598103934665603ull;
  size_t i;

  for (i = 0; i < n; i++)
    h = (h ^ d[i]) * 1099511628211ull;
  return h;
}

const char *ng_fuzz_error_str(const ng_error *e, char *buf, size_t n) {
  snprintf(buf, n, "%s@%zu (line %zu col %zu depth %zu: %s)",
           ng_err_name(e->code), e->offset, e->line, e->column, e->depth,
           e->msg);
  return buf;
}

int ng_fuzz_same_error(const ng_error *a, const ng_error *b) {
  return a->code == b->code && a->offset == b->offset && a->line == b->line &&
         a->column == b->column && a->depth == b->depth;
}

int ng_fuzz_check_outcome(const char *who, const uint8_t *data, size_t size,
                          int rc, int have_doc, const ng_error *err,
                          ng_fuzz_linecol linecol) {
  size_t line, col;
  char b[160];

  if (rc == NG_OK) {
    if (!have_doc) {
      ng_fuzz_fail("%s: NG_OK without a document/root", who);
      return -1;
    }
    if (err != NULL && err->code != NG_OK) {
      ng_fuzz_fail("%s: NG_OK but err says %s", who,
                   ng_fuzz_error_str(err, b, sizeof b));
      return -1;
    }
    return 0;
  }
  if (have_doc) {
    ng_fuzz_fail("%s: error %s but a document was returned", who,
                 ng_err_name(rc));
    return -1;
  }
  if (strcmp(ng_err_name(rc), "UNKNOWN") == 0) {
    ng_fuzz_fail("%s: unknown error code %d", who, rc);
    return -1;
  }
  if (err == NULL)
    return 0;
  if (err->code != rc || err->offset > size) {
    ng_fuzz_fail("%s: returned %s, err says %s (input %zu bytes)", who,
                 ng_err_name(rc), ng_fuzz_error_str(err, b, sizeof b), size);
    return -1;
  }
  if (linecol(data, size, err->offset, &line, &col) != 0)
    return 0; /* no independent recomputation for this input */
  if (err->line != line || err->column != col) {
    ng_fuzz_fail("%s: %s but offset %zu is line %zu col %zu", who,
                 ng_fuzz_error_str(err, b, sizeof b), err->offset, line, col);
    return -1;
  }
  return 0;
}

int ng_fuzz_check_alloc(const char *who, const ng_failalloc *fa) {
  if (fa->live_blocks != 0 || fa->size_mismatch) {
    ng_fuzz_fail("%s: %zu blocks (%zu bytes) leaked, size mismatch %d", who,
                 fa->live_blocks, fa->live_bytes, fa->size_mismatch);
    return -1;
  }
  return 0;
}

static const char *outcome_str(int rc, const ng_error *e, char *buf, size_t n) {
  return rc == NG_OK ? "OK" : ng_fuzz_error_str(e, buf, n);
}

int ng_fuzz_check_agree(const char *who, const char *la, int rca,
                        const ng_error *ea, const char *lb, int rcb,
                        const ng_error *eb, int same_doc) {
  char a[160], b[160];

  if (rca == rcb && (rca == NG_OK ? same_doc : ng_fuzz_same_error(ea, eb)))
    return 0;
  ng_fuzz_fail("%s: %s %s, %s %s%s", who, la, outcome_str(rca, ea, a, sizeof a),
               lb, outcome_str(rcb, eb, b, sizeof b),
               rca == NG_OK && rcb == NG_OK ? " (documents differ)" : "");
  return -1;
}

int ng_fuzz_check_events(const char *who, const ng_fuzz_sink *k, int rc,
                         const ng_error *err, int rc_dom,
                         const ng_error *err_dom) {
  if (k->bad) {
    ng_fuzz_fail("%s: malformed events: %s", who, k->why);
    return -1;
  }
  if (ng_fuzz_check_agree(who, "events gave", rc, err, "DOM gave", rc_dom,
                          err_dom, 1) != 0)
    return -1;
  return rc == NG_OK;
}

int ng_fuzz_check_stop(const char *name, size_t k, size_t total, int rc,
                       const ng_error *err, size_t count) {
  char a[160];

  if (rc == NG_ECANCELED && count == k)
    return 0;
  ng_fuzz_fail("differential: %s stopped at event %zu of %zu gave %s "
               "after %zu events",
               name, k, total, outcome_str(rc, err, a, sizeof a), count);
  return -1;
}

int ng_fuzz_check_unlimited(const char *who, int rc, const ng_error *err,
                            const ng_error *edepth, size_t depth) {
  char a[160];

  if (rc == NG_EDEPTH || (rc != NG_OK && err->offset < edepth->offset)) {
    ng_fuzz_fail("%s: unlimited depth gave %s after EDEPTH@%zu", who,
                 ng_fuzz_error_str(err, a, sizeof a), edepth->offset);
    return -1;
  }
  if (rc == NG_OK && depth <= NG_DEFAULT_MAX_DEPTH) {
    ng_fuzz_fail("%s: EDEPTH by default, but the document is only %zu deep",
                 who, depth);
    return -1;
  }
  return 0;
}

int ng_fuzz_limit_of(int rc, const ng_limits *l, size_t *value) {
  switch (rc) {
  case NG_EDEPTH:
    *value = l->max_depth;
    return 1;
  case NG_ESTACK:
    *value = l->max_stack;
    return 1;
  case NG_EINPUTLIMIT:
    *value = l->max_input;
    return 1;
  case NG_ESTRLIMIT:
    *value = l->max_string;
    return 1;
  case NG_EMEMLIMIT:
    *value = l->max_memory;
    return 1;
  case NG_EENTITYLIMIT:
    *value = l->max_entity_expansion;
    return 1;
  default:
    return 0;
  }
}

int ng_fuzz_check_enomem(const char *op, int rc, const ng_failalloc *fa) {
  if (fa->failed == 0 || rc == NG_ENOMEM)
    return 0;
  ng_fuzz_fail("options: allocation %zu failed during %s, which returned "
               "%s",
               fa->fail_at ? fa->fail_at : fa->fail_after, op, ng_err_name(rc));
  return -1;
}

int ng_fuzz_check_step(const char *op, int rc, const ng_failalloc *fa,
                       size_t failed_before) {
  if (fa->failed != failed_before)
    return ng_fuzz_check_enomem(op, rc, fa) != 0 ? -1 : 1;
  if (rc == NG_OK)
    return 0;
  ng_fuzz_fail("options: %s failed: %s", op, ng_err_name(rc));
  return -1;
}

/* A limit error when the unlimited parse succeeded: must be real. */
static int limit_real(int rc, const ng_limits *l, const ng_fuzz_extent *ext) {
  if (rc == NG_EDEPTH && ext->depth <= l->max_depth) {
    ng_fuzz_fail("options: EDEPTH with max_depth %zu, document is %zu deep",
                 l->max_depth, ext->depth);
    return -1;
  }
  if (rc == NG_ESTRLIMIT && ext->max_string != (size_t)-1 &&
      ext->max_string <= l->max_string) {
    ng_fuzz_fail("options: ESTRLIMIT with max_string %zu, longest is %zu",
                 l->max_string, ext->max_string);
    return -1;
  }
  return 0;
}

/* Limits that need no setting to fire: the machine stack, and XML's
 * amplification ratio, which applies whatever max_entity_expansion is. */
static int limit_unset(int rc) {
  return rc == NG_ESTACK || rc == NG_EENTITYLIMIT;
}

int ng_fuzz_check_limited(const ng_limits *l, size_t n, int rc,
                          const ng_error *err, int rrc, const ng_error *rerr,
                          const ng_fuzz_extent *ext, int same_doc) {
  size_t lim = 0;
  char a[160], b[160];
  int is_limit = ng_fuzz_limit_of(rc, l, &lim);

  if (is_limit && lim == 0 && !limit_unset(rc)) {
    ng_fuzz_fail("options: %s although that limit is not set", ng_err_name(rc));
    return -1;
  }
  if ((l->max_input && n > l->max_input) != (rc == NG_EINPUTLIMIT)) {
    ng_fuzz_fail("options: %zu bytes, max_input %zu, result %s", n,
                 l->max_input, ng_err_name(rc));
    return -1;
  }
  if (rrc == NG_ENOMEM || rrc == NG_ESTACK)
    return 0; /* the unlimited parse hit the machine's limits: no verdict */
  if (rrc == NG_OK) {
    if (rc == NG_OK && !same_doc) {
      ng_fuzz_fail("options: limited and unlimited documents differ");
      return -1;
    }
    if (rc != NG_OK && !is_limit) {
      ng_fuzz_fail("options: %s, unlimited parse succeeds",
                   ng_fuzz_error_str(err, a, sizeof a));
      return -1;
    }
    return rc != NG_OK ? limit_real(rc, l, ext) : 0;
  }
  if (rc == NG_OK || (!is_limit && !ng_fuzz_same_error(err, rerr)) ||
      (is_limit && rc != NG_EINPUTLIMIT && err->offset > rerr->offset)) {
    ng_fuzz_fail("options: limited %s, unlimited %s",
                 rc == NG_OK ? "OK" : ng_fuzz_error_str(err, a, sizeof a),
                 ng_fuzz_error_str(rerr, b, sizeof b));
    return -1;
  }
  return 0;
}

int ng_fuzz_put(ng_fuzz_buf *b, const char *s, size_t n) {
  void *p = b->p;

  if (ng_fuzz_grow(&p, &b->cap, b->n + n, 1) != 0)
    return -1;
  b->p = p;
  if (n > 0)
    memcpy(b->p + b->n, s, n);
  b->n += n;
  return 0;
}

int ng_fuzz_buf_sink(void *ud, const char *data, size_t len) {
  ng_fuzz_buf *b = ud;

  if (ng_fuzz_put(b, data, len) == 0)
    return 0;
  b->oom = 1;
  return 1;
}

int ng_fuzz_same_bytes(const char *what, const char *a, size_t na,
                       const char *b, size_t nb) {
  if (na == nb && (na == 0 || memcmp(a, b, na) == 0))
    return 0;
  ng_fuzz_fail("%s: %zu bytes \"%.*s\" vs %zu bytes \"%.*s\"", what, na,
               (int)(na > 120 ? 120 : na), a, nb, (int)(nb > 120 ? 120 : nb),
               b);
  return -1;
}

/* -------------------------------------------------------- byte decoding */

uint8_t ng_fuzz_byte(ng_fuzz_reader *r) {
  uint8_t b;

  if (r->n == 0)
    return 0;
  b = r->p[0];
  r->p++;
  r->n--;
  return b;
}

size_t ng_fuzz_limit(uint8_t b, size_t unit) {
  size_t m = b & 63u, e = b >> 6;

  if (b == 0)
    return 0;
  if (m == 0)
    m = 64;
  return m * ((size_t)1 << (4 * e)) * unit;
}

size_t ng_fuzz_settings_bytes(const ng_fuzz_optformat *f) {
  return NG_FUZZ_SETTINGS_BYTES + (f->entity_limit ? 1 : 0);
}

void ng_fuzz_decode_settings(const ng_fuzz_optformat *f, ng_fuzz_reader *r,
                             ng_fuzz_settings *s) {
  uint8_t b0 = ng_fuzz_byte(r), lo, hi;
  ng_limits *l;

  memset(s, 0, sizeof *s);
  f->decode(&s->opt, b0 & 63u);
  l = f->f->limits(&s->opt);
  s->events = (b0 >> 6) & 1u;
  s->fail_after = (b0 >> 7) & 1u;
  l->max_depth = ng_fuzz_limit(ng_fuzz_byte(r), 1);
  l->max_stack = ng_fuzz_limit(ng_fuzz_byte(r), 4096);
  l->max_input = ng_fuzz_limit(ng_fuzz_byte(r), 1);
  l->max_string = ng_fuzz_limit(ng_fuzz_byte(r), 1);
  l->max_memory = ng_fuzz_limit(ng_fuzz_byte(r), 1024);
  if (f->entity_limit)
    l->max_entity_expansion = ng_fuzz_limit(ng_fuzz_byte(r), 1);
  lo = ng_fuzz_byte(r);
  hi = ng_fuzz_byte(r);
  s->fail_at = (size_t)lo | ((size_t)hi << 8);
}

void ng_fuzz_arm(ng_failalloc *fa, size_t fail_at, int after) {
  ng_failalloc_init(fa, after ? 0 : fail_at);
  if (after)
    fa->fail_after = fail_at;
}

/* --------------------------------------------------------- event checks */

int ng_fuzz_sink_bad(ng_fuzz_sink *k, const char *why) {
  if (!k->bad)
    snprintf(k->why, sizeof k->why, "%s (event %zu)", why, k->count);
  k->bad = 1;
  return 0;
}

int ng_fuzz_grow_to(void **p, size_t *cap, size_t need, size_t each) {
  size_t c = *cap ? *cap : 64;
  void *q;

  while (c < need)
    c *= 2;
  q = realloc(*p, c * each);
  if (q == NULL)
    return -1;
  *p = q;
  *cap = c;
  return 0;
}
/* --------------------------------------------------- per-engine oracle */

/* Runs fn(arg) inside a task of a scheduler of its own. Returns 0 when
 * fn ran, 1 when the harness had no memory for it (skip), -1 after
 * reporting a join failure. */
static int run_in_task(const char *who, int (*fn)(void *), void *arg) {
  ng_sched_opts so;
  ng_sched *sched;
  ng_task *task;
  int jr;

  /* A scheduler per call: a thread may have only one, and the stack
   * harness creates its own. */
  memset(&so, 0, sizeof so);
  so.no_sigaltstack = 1;
  if (ng_sched_new(&sched, &so) != NG_OK)
    return 1; /* harness out of memory: skip */
  if (ng_task_spawn(sched, &task, fn, arg, NULL) != NG_OK) {
    ng_sched_free(sched);
    return 1;
  }
  if (ng_task_join(task, &jr) != NG_OK) {
    ng_fuzz_fail("%s: task running the parse could not be joined", who);
    ng_sched_free(sched);
    return -1;
  }
  ng_sched_free(sched);
  return 0;
}

/* One parse of the per-engine oracle, as a task function can run it. */
typedef struct task_parse {
  const ng_fuzz_format *f;
  ng_fuzz_options opt; /* the engine, default limits */
  const uint8_t *data;
  size_t size;
  void *doc;
  ng_error err;
  int rc;
} task_parse;

static int task_parse_fn(void *arg) {
  task_parse *t = arg;

  t->rc = t->f->parse(&t->opt, t->data, t->size, &t->doc, &t->err);
  return 0;
}

/*
 * The recursive engine inside a task: a task starts on a 2 KiB base, so
 * the parse grows onto segments after a few levels (on the 8 MiB main
 * thread stack it would not need any below ~100,000 levels), and switches
 * back at every unwind. It must give the thread-stack result.
 */
static int engine_in_task(const char *who, const task_parse *main_parse) {
  task_parse t = *main_parse;
  int ret, ran;

  t.doc = NULL;
  *t.f->alc(&t.opt) = NULL;
  ran = run_in_task(who, task_parse_fn, &t);
  if (ran != 0)
    return ran < 0 ? -1 : 0;
  ret = ng_fuzz_check_agree(
      who, "in a task", t.rc, &t.err, "on the thread stack", main_parse->rc,
      &main_parse->err, t.rc == NG_OK && t.f->equal(main_parse->doc, t.doc));
  t.f->free(t.doc);
  return ret;
}

/* Unlimited-depth parse of an input that broke the default max_depth. */
static int engine_deep(const char *who, const task_parse *p) {
  const ng_fuzz_format *f = p->f;
  ng_fuzz_options opt = p->opt;
  void *doc = NULL;
  ng_error err;
  int rc, ret;

  f->limits(&opt)->max_depth = 0;
  rc = f->parse(&opt, p->data, p->size, &doc, &err);
  ret = f->check_result(who, p->data, p->size, rc, doc, &err);
  if (ret == 0)
    ret = ng_fuzz_check_unlimited(who, rc, &err, &p->err,
                                  rc == NG_OK ? f->depth(doc) : 0);
  f->free(doc);
  return ret;
}

/* The checks of a successful parse with default limits. */
static int engine_doc(const char *who, const task_parse *p) {
  size_t depth = p->f->depth(p->doc);

  if (depth > NG_DEFAULT_MAX_DEPTH) {
    ng_fuzz_fail("%s: document %zu deep passed max_depth %d", who, depth,
                 NG_DEFAULT_MAX_DEPTH);
    return -1;
  }
  if (!p->f->equal(p->doc, p->doc)) {
    ng_fuzz_fail("%s: document not equal to itself", who);
    return -1;
  }
  return p->f->check_doc(who, p->size, p->doc);
}

int ng_fuzz_engine(const ng_fuzz_format *f, int e, const uint8_t *data,
                   size_t size) {
  const char *who = f->engine_name(e);
  task_parse p;
  ng_failalloc fa;
  int ret, deep;

  ng_failalloc_init(&fa, 0);
  memset(&p, 0, sizeof p);
  p.f = f;
  f->options(&p.opt, e, &fa.alc);
  p.data = data;
  p.size = size;
  p.rc = f->parse(&p.opt, data, size, &p.doc, &p.err);
  ret = f->check_result(who, data, size, p.rc, p.doc, &p.err);
  if (ret == 0 && p.rc == NG_OK)
    ret = engine_doc(who, &p);
  if (ret == 0)
    ret = f->events(who, &p.opt, data, size, p.rc, &p.err, p.doc);
  deep = p.rc == NG_EDEPTH || (p.rc == NG_OK && f->depth(p.doc) >= 8);
  if (ret == 0 && deep && strcmp(who, "recursive") == 0)
    ret = engine_in_task(who, &p);
  f->free(p.doc);
  if (ret == 0)
    ret = ng_fuzz_check_alloc(who, &fa);
  if (ret == 0 && p.rc == NG_EDEPTH)
    ret = engine_deep(who, &p);
  return ret == 0 ? ng_fuzz_check_alloc(who, &fa) : ret;
}

/* ---------------------------------------------------- options harness */

/* A limited result (rc, doc, err) against the same options unlimited,
 * parsed with libc. */
static int opts_compare(const ng_fuzz_optformat *f, const ng_fuzz_options *o,
                        const ng_limits *l, const uint8_t *data, size_t n,
                        int rc, const void *doc, const ng_error *err) {
  ng_fuzz_options un = *o;
  ng_fuzz_extent ext = {0, 0};
  void *ref = NULL;
  ng_error rerr;
  int rrc, ret;

  memset(f->f->limits(&un), 0, sizeof *l);
  *f->f->alc(&un) = NULL;
  rrc = f->f->parse(&un, data, n, &ref, &rerr);
  if (rrc == NG_OK)
    f->extent(ref, &ext);
  ret = ng_fuzz_check_limited(l, n, rc, err, rrc, &rerr, &ext,
                              rc == NG_OK && rrc == NG_OK &&
                                  f->f->equal(ref, doc));
  f->f->free(ref);
  return ret;
}

/* Copy and the outputs of a good document through the failing allocator:
 * each step succeeds, or stops the checks with NG_ENOMEM. */
static int opts_after(const ng_fuzz_optformat *f, const void *doc,
                      ng_failalloc *fa) {
  const ng_fuzz_output *o;
  void *copy = NULL;
  char *out = NULL;
  size_t len = 0, before = fa->failed;
  int rc, step;

  rc = f->copy(doc, &fa->alc, &copy);
  step = ng_fuzz_check_step("copy", rc, fa, before);
  if (step == 0 && !f->f->equal(doc, copy)) {
    ng_fuzz_fail("options: copy gave a different DOM");
    step = -1;
  }
  f->f->free(copy);
  for (o = f->outputs; o->name != NULL && step == 0; o++) {
    rc = o->make(doc, &fa->alc, &out, &len);
    step = ng_fuzz_check_step(o->name, rc, fa, before);
    if (step == 0)
      fa->alc.free(fa->alc.ctx, out, len + 1);
  }
  return step < 0 ? -1 : 0;
}

static int opts_dom(const ng_fuzz_optformat *f, ng_fuzz_options *o,
                    const uint8_t *data, size_t n, ng_failalloc *fa) {
  const ng_limits *l = f->f->limits(o);
  void *doc = NULL;
  ng_error err;
  int rc, ret;

  rc = f->f->parse(o, data, n, &doc, &err);
  ret = f->f->check_result("options", data, n, rc, doc, &err);
  if (ret == 0)
    ret = ng_fuzz_check_enomem("parse", rc, fa);
  if (ret == 0 && fa->failed == 0)
    ret = opts_compare(f, o, l, data, n, rc, doc, &err);
  if (ret == 0 && rc == NG_OK)
    ret = f->check_limits(doc, l, n);
  if (ret == 0 && rc == NG_OK)
    ret = opts_after(f, doc, fa);
  f->f->free(doc);
  return ret;
}

/* The event API under the same settings, compared with the DOM parse
 * (memory caps aside: they count DOM bytes, which events do not build). */
static int opts_events(const ng_fuzz_optformat *f, const ng_fuzz_options *o,
                       const uint8_t *data, size_t n, ng_failalloc *fa) {
  ng_fuzz_options dom = *o;
  void *doc = NULL;
  ng_error err, derr;
  int rc, drc;

  if (f->events(o, data, n, &rc, &err) != 0)
    return -1;
  if (fa->failed != 0)
    return ng_fuzz_check_enomem("parse_events", rc, fa);
  *f->f->alc(&dom) = NULL;
  if (f->events_dom != NULL)
    f->events_dom(&dom);
  drc = f->f->parse(&dom, data, n, &doc, &derr);
  f->f->free(doc);
  if (rc == NG_EMEMLIMIT || drc == NG_EMEMLIMIT)
    return 0;
  return ng_fuzz_check_agree("options", "events gave", rc, &err, "DOM gave",
                             drc, &derr, 1);
}

int ng_fuzz_run_options(const ng_fuzz_optformat *f, const uint8_t *data,
                        size_t size) {
  ng_fuzz_reader r = {data, size};
  ng_fuzz_settings s;
  ng_failalloc fa;
  int ret;

  if (size < ng_fuzz_settings_bytes(f))
    return 0;
  ng_fuzz_decode_settings(f, &r, &s);
  ng_fuzz_arm(&fa, s.fail_at, s.fail_after);
  *f->f->alc(&s.opt) = &fa.alc;
  if (s.events)
    ret = opts_events(f, &s.opt, r.p, r.n, &fa);
  else
    ret = opts_dom(f, &s.opt, r.p, r.n, &fa);
  return ret == 0 ? ng_fuzz_check_alloc("options", &fa) : ret;
}
