/*
 * fuzz/fuzz_json.c - JSON harness helpers (see fuzz_json.h).
 *
 * Everything here is an oracle: nothing may hide a failure of the code
 * under test. Walks over documents use ng_json_walk (iterative), so
 * checks work at any depth the parsers accept.
 */
#include "fuzz_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Line and column of offset as error.h defines them for JSON. */
static int line_col(const uint8_t *d, size_t size, size_t off, size_t *line,
                    size_t *col) {
  size_t i, start = 0;

  (void)size;
  *line = 1;
  for (i = 0; i < off; i++)
    if (d[i] == '\n') {
      (*line)++;
      start = i + 1;
    }
  *col = off - start + 1;
  return 0;
}

int ng_fuzz_check_result(const char *who, const uint8_t *data, size_t size,
                         int rc, const ng_json_doc *doc, const ng_error *err) {
  if (rc == NG_OK && doc != NULL && ng_json_doc_root(doc) == NULL) {
    ng_fuzz_fail("%s: NG_OK with a document without a root", who);
    return -1;
  }
  return ng_fuzz_check_outcome(who, data, size, rc, doc != NULL, err, line_col);
}

/* ------------------------------------------------------ document walks */

static int stat_enter(void *ud, const ng_json_value *v, size_t depth) {
  ng_fuzz_docstat *st = ud;

  st->nodes++;
  if (v->flags & NG_JSON__KEY)
    st->members++;
  if ((v->flags & NG_JSON__KEY) && ng_json_key_len(v) > st->max_string)
    st->max_string = ng_json_key_len(v);
  if (v->type == NG_JSON_STRING && (uint32_t)ng_json_len(v) > st->max_string)
    st->max_string = (uint32_t)ng_json_len(v);
  if (v->type == NG_JSON_ARRAY || v->type == NG_JSON_OBJECT) {
    st->containers++;
    if (depth + 1 > st->depth)
      st->depth = depth + 1;
  }
  return 0;
}

void ng_fuzz_doc_stat(const ng_json_value *root, ng_fuzz_docstat *st) {
  memset(st, 0, sizeof *st);
  (void)ng_json_walk(root, stat_enter, NULL, st);
}

/* Appends "/token" for child c of p, escaping ~ and / in keys. */
static int path_step(ng_fuzz_buf *b, const ng_json_value *p,
                     const ng_json_value *c) {
  const ng_json_value *s;
  char num[32];
  size_t i = 0;

  if (ng_fuzz_put(b, "/", 1) != 0)
    return -1;
  if (p->type == NG_JSON_ARRAY) {
    for (s = ng_json_first(p); s != NULL && s != c; s = ng_json_next(s))
      i++;
    snprintf(num, sizeof num, "%zu", i);
    return ng_fuzz_put(b, num, strlen(num));
  }
  for (i = 0; i < ng_json_key_len(c); i++) {
    const char *k = ng_json_key(c, NULL);
    const char *esc = k[i] == '~' ? "~0" : k[i] == '/' ? "~1" : 0;
    if (esc ? ng_fuzz_put(b, esc, 2) : ng_fuzz_put(b, k + i, 1))
      return -1;
  }
  return 0;
}

/* 1 when member c of object p has an earlier sibling with the same key:
 * a pointer through c then resolves to that sibling (RFC 6901 leaves
 * duplicates open; nestguard takes the first), so c is not addressable. */
static int shadowed(const ng_json_value *p, const ng_json_value *c) {
  const ng_json_value *s;

  if (p->type != NG_JSON_OBJECT)
    return 0;
  for (s = ng_json_first(p); s != NULL && s != c; s = ng_json_next(s))
    if (ng_json_key_len(s) == ng_json_key_len(c) &&
        memcmp(ng_json_key(s, NULL), ng_json_key(c, NULL),
               ng_json_key_len(c)) == 0)
      return 1;
  return 0;
}

/*
 * Builds v's pointer into b: ancestors collected, then written root-down.
 * Returns 0, 1 if v sits below a shadowed duplicate key, -1 on no memory.
 */
static int path_of(ng_fuzz_buf *b, const ng_json_value *v) {
  const ng_json_value **chain = NULL, *x;
  size_t n = 0, i;
  int rc = 0;

  for (x = v; ng_json_parent(x) != NULL; x = ng_json_parent(x))
    n++;
  b->n = 0;
  if (n == 0)
    return 0;
  chain = malloc(n * sizeof *chain);
  if (chain == NULL)
    return -1;
  for (i = n, x = v; ng_json_parent(x) != NULL; x = ng_json_parent(x))
    chain[--i] = x;
  for (i = 0; i < n && rc == 0; i++)
    rc = shadowed(ng_json_parent(chain[i]), chain[i])
             ? 1
             : path_step(b, ng_json_parent(chain[i]), chain[i]);
  free(chain);
  return rc;
}

typedef struct ptr_walk {
  const ng_json_value *root;
  size_t every, seen, checked, max;
  ng_fuzz_buf buf;
  int bad;
} ptr_walk;

static int ptr_enter(void *ud, const ng_json_value *v, size_t depth) {
  ptr_walk *w = ud;
  const ng_json_value *r = NULL;
  int rc;

  (void)depth;
  if (w->seen++ % w->every != 0 || w->checked >= w->max)
    return 0;
  w->checked++;
  if (path_of(&w->buf, v) != 0)
    return 0; /* shadowed by a duplicate key, or no memory: skip */
  rc = ng_json_pointer(w->root, w->buf.n ? w->buf.p : "", w->buf.n, &r);
  if (rc != NG_OK || r != v) {
    ng_fuzz_fail("pointer \"%.*s\": %s, found %p, want %p",
                 (int)(w->buf.n > 200 ? 200 : w->buf.n),
                 w->buf.n ? w->buf.p : "", ng_err_name(rc), (const void *)r,
                 (const void *)v);
    w->bad = 1;
    return 1;
  }
  return 0;
}

int ng_fuzz_check_pointers(const ng_json_value *root, size_t max) {
  ng_fuzz_docstat st;
  ptr_walk w;

  ng_fuzz_doc_stat(root, &st);
  memset(&w, 0, sizeof w);
  w.root = root;
  w.max = max;
  w.every = st.nodes / (max ? max : 1) + 1;
  (void)ng_json_walk(root, ptr_enter, NULL, &w);
  free(w.buf.p);
  return w.bad ? -1 : 0;
}

#define EV_OBJ 1u /* the level is an object */
#define EV_KEY 2u /* object level: a key was seen, its value is due */


static int ev_bad(ng_fuzz_events *ev, const char *why) {
  return ng_fuzz_sink_bad(&ev->sink, why);
}

static int ev_tick(ng_fuzz_events *ev) { return ng_fuzz_sink_tick(&ev->sink); }

/* A value (scalar or container start) arrives at the current level. */
static void ev_value(ng_fuzz_events *ev) {
  unsigned char *top;

  if (ev->sp == 0)
    return;
  top = &ev->stk[ev->sp - 1];
  if (*top & EV_OBJ) {
    if (!(*top & EV_KEY))
      ev_bad(ev, "value in an object without a key");
    *top &= (unsigned char)~EV_KEY;
  }
}

/* One more level on the stack: 0, or -1 when out of memory. */
static int ev_grow(ng_fuzz_events *ev) {
  void *stk = ev->stk;

  if (ng_fuzz_grow_to(&stk, &ev->cap, ev->sp + 1, 1) != 0)
    return -1;
  ev->stk = stk;
  return 0;
}

static int ev_start(ng_fuzz_events *ev, unsigned kind) {
  ev->starts++;
  ev_value(ev);
  if (ev->sp == ev->cap && ev_grow(ev) != 0)
    return ev_bad(ev, "harness out of memory");
  ev->stk[ev->sp++] = (unsigned char)kind;
  return ev_tick(ev);
}

static int ev_end(ng_fuzz_events *ev, unsigned kind) {
  ev->ends++;
  if (ev->sp == 0) {
    ev_bad(ev, "end without start");
    return ev_tick(ev);
  }
  if ((ev->stk[ev->sp - 1] & EV_OBJ) != kind)
    ev_bad(ev, "end of the wrong kind");
  if (ev->stk[ev->sp - 1] & EV_KEY)
    ev_bad(ev, "object ends after a key");
  ev->sp--;
  return ev_tick(ev);
}

static int ev_start_object(void *ud) { return ev_start(ud, EV_OBJ); }
static int ev_start_array(void *ud) { return ev_start(ud, 0); }
static int ev_end_object(void *ud) { return ev_end(ud, EV_OBJ); }
static int ev_end_array(void *ud) { return ev_end(ud, 0); }

static int ev_key(void *ud, const char *key, size_t len) {
  ng_fuzz_events *ev = ud;

  ev->keys++;
  if (key == NULL && len > 0)
    ev_bad(ev, "NULL key");
  if (ev->sp == 0 || !(ev->stk[ev->sp - 1] & EV_OBJ) ||
      (ev->stk[ev->sp - 1] & EV_KEY))
    ev_bad(ev, "key outside an object or twice");
  else
    ev->stk[ev->sp - 1] |= EV_KEY;
  return ev_tick(ev);
}

static int ev_scalar(void *ud, const ng_json_value *v) {
  ng_fuzz_events *ev = ud;

  ev->scalars++;
  ev_value(ev);
  if (v == NULL || v->type < NG_JSON_NULL || v->type > NG_JSON_STRING)
    ev_bad(ev, "scalar of a bad type");
  else if (v->type == NG_JSON_STRING && v->as.s[(uint32_t)ng_json_len(v)] != '\0')
    ev_bad(ev, "string not NUL-terminated");
  return ev_tick(ev);
}

void ng_fuzz_events_init(ng_fuzz_events *ev, ng_json_events *cb,
                         size_t stop_at) {
  memset(ev, 0, sizeof *ev);
  ev->sink.stop_at = stop_at;
  *cb = (ng_json_events){.start_object = ev_start_object,
                         .end_object = ev_end_object,
                         .start_array = ev_start_array,
                         .end_array = ev_end_array,
                         .key = ev_key,
                         .scalar = ev_scalar,
                         .ud = ev};
}

void ng_fuzz_events_free(ng_fuzz_events *ev) {
  free(ev->stk);
  ev->stk = NULL;
}

/* ------------------------------------------------------ per-engine oracle */

/* Events of a parsed document must match its DOM, count for count. */
static int events_match_dom(const char *who, const ng_fuzz_events *ev,
                            const ng_json_value *root) {
  ng_fuzz_docstat st;

  ng_fuzz_doc_stat(root, &st);
  if (ev->starts != st.containers || ev->ends != st.containers ||
      ev->scalars != st.nodes - st.containers || ev->keys != st.members ||
      ev->sp != 0) {
    ng_fuzz_fail("%s: events %zu starts %zu ends %zu scalars %zu keys, DOM "
                 "%zu containers %zu nodes %zu members",
                 who, ev->starts, ev->ends, ev->scalars, ev->keys,
                 st.containers, st.nodes, st.members);
    return -1;
  }
  return 0;
}

/* Parses through the event API and compares with the DOM parse. */
static int json_events(const char *who, const ng_fuzz_options *o,
                       const uint8_t *data, size_t size, int rc_dom,
                       const ng_error *err_dom, const void *doc) {
  ng_fuzz_events ev;
  ng_json_events cb;
  ng_error err;
  int rc, ret = 0;

  ng_fuzz_events_init(&ev, &cb, 0);
  rc = ng_json_parse_events(ng_fuzz_chars(data, size), size, &o->json, &cb,
                            &err);
  ret = ng_fuzz_check_events(who, &ev.sink, rc, &err, rc_dom, err_dom);
  if (ret > 0)
    ret = events_match_dom(who, &ev, ng_json_doc_root(doc));
  ng_fuzz_events_free(&ev);
  return ret;
}

/* ------------------------------------------------- the JSON format */

static const char *json_engine_name(int e) {
  return ng_json_engine_name((ng_json_engine)e);
}

static void json_options(ng_fuzz_options *o, int e, const ng_alloc *alc) {
  ng_json_options_default(&o->json);
  o->json.engine = (ng_json_engine)e;
  o->json.alc = alc;
}

static ng_limits *json_limits(ng_fuzz_options *o) { return &o->json.limits; }

static const ng_alloc **json_alc(ng_fuzz_options *o) { return &o->json.alc; }

static int json_parse(const ng_fuzz_options *o, const uint8_t *data,
                      size_t size, void **doc, ng_error *err) {
  ng_json_doc *d = NULL;
  int rc = ng_json_parse(ng_fuzz_chars(data, size), size, &o->json, &d, err);

  *doc = d;
  return rc;
}

static int json_check_result(const char *who, const uint8_t *data, size_t size,
                             int rc, const void *doc, const ng_error *err) {
  return ng_fuzz_check_result(who, data, size, rc, doc, err);
}

static size_t json_depth(const void *doc) {
  ng_fuzz_docstat st;

  ng_fuzz_doc_stat(ng_json_doc_root(doc), &st);
  return st.depth;
}

static int json_equal(const void *a, const void *b) {
  return ng_json_equal(ng_json_doc_root(a), ng_json_doc_root(b));
}

static int json_check_doc(const char *who, size_t size, const void *doc) {
  (void)who;
  (void)size;
  (void)doc;
  return 0; /* depth and self-equality are checked for every format */
}

static void json_free(void *doc) { ng_json_doc_free(doc); }

static int json_feed(void *s, const char *data, size_t len, ng_error *err) {
  return ng_json_stream_feed(s, data, len, err);
}

static int json_finish(void *s, void **doc, ng_error *err) {
  ng_json_doc *d = NULL;
  int rc = ng_json_stream_finish(s, &d, err);

  *doc = d;
  return rc;
}

const ng_fuzz_format ng_fuzz_json = {
    .engine_name = json_engine_name,
    .options = json_options,
    .limits = json_limits,
    .alc = json_alc,
    .parse = json_parse,
    .check_result = json_check_result,
    .check_doc = json_check_doc,
    .events = json_events,
    .depth = json_depth,
    .equal = json_equal,
    .free = json_free,
    .feed = json_feed,
    .finish = json_finish,
};
