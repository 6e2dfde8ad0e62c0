/*
 * parsers/json/events.c - the sink behind ng_json_parse_events: forwards
 * each event to the user's callbacks.
 *
 * Strings are decoded into one scratch buffer that grows as needed (through
 * the parse's allocator) and is reused, so a callback sees a NUL-terminated
 * copy valid only during the call. Scalars are passed as a transient node
 * on the C stack. A NULL callback skips the event, including the decoding.
 * A nonzero return from a callback becomes NG_ECANCELED. Every callback
 * runs through ng_stack_call_user with the parse's budget (usercall.h).
 */
#include <string.h>

#include "../common/usercall.h"
#include "builder.h"

void ng__json_evsink_init(ng__json_evsink *s, const ng_json_events *ev,
                          const ng__json_lexer *lx, const ng_alloc *alc,
                          size_t budget) {
  s->ev = *ev;
  s->lx = lx;
  s->buf = NULL;
  s->cap = 0;
  s->alc = alc;
  s->budget = budget;
}

/* One callback call, packed for ng_stack_call_user. */
typedef struct ev_call {
  const ng_json_events *ev;
  int (*plain)(void *ud);    /* start/end callbacks; else key or scalar */
  const char *key;           /* key text */
  size_t len;                /* its length */
  const ng_json_value *v;    /* scalar */
} ev_call;

static int ev_call_run(void *arg) {
  const ev_call *c = arg;
  if (c->plain != NULL)
    return c->plain(c->ev->ud);
  if (c->v != NULL)
    return c->ev->scalar(c->ev->ud, c->v);
  return c->ev->key(c->ev->ud, c->key, c->len);
}

/* Runs the call where user code has its budget; NG_OK or NG_ECANCELED. */
static int ev_user(const ng__json_evsink *s, ev_call *c) {
  return ng_stack_call_user(ev_call_run, c, s->budget) != 0
             ? NG_ECANCELED
             : NG_OK;
}

void ng__json_evsink_free(ng__json_evsink *s) {
  ng__free(s->alc, s->buf, s->cap);
  s->buf = NULL;
  s->cap = 0;
}

/* Decodes STRING token t into the scratch buffer. NG_OK or NG_ENOMEM. */
static int ev_decode(ng__json_evsink *s, const ng__json_token *t,
                     size_t at) {
  size_t need = t->slen + 1 + at, cap;
  char *nb;

  if (need > s->cap) {
    cap = s->cap < 256 ? 256 : s->cap;
    while (cap < need)
      cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    nb = ng__realloc(s->alc, s->buf, s->cap, cap);
    if (nb == NULL)
      return NG_ENOMEM;
    s->buf = nb;
    s->cap = cap;
  }
  ng__json_decode_string(s->lx, t, s->buf + at);
  return NG_OK;
}

/* A start or end callback fn, unless NULL. */
static int ev_plain(const ng__json_evsink *s, int (*fn)(void *)) {
  ev_call c = {&s->ev, fn, NULL, 0, NULL};
  return fn != NULL ? ev_user(s, &c) : NG_OK;
}

static int ev_start(void *self, int kind, const void *tok) {
  const ng__json_evsink *s = self;

  (void)tok;
  return ev_plain(s, kind == NG__JK_ARRAY ? s->ev.start_array
                                            : s->ev.start_object);
}

static int ev_end(void *self, int kind, const void *tok) {
  const ng__json_evsink *s = self;

  (void)tok;
  return ev_plain(s, kind == NG__JK_ARRAY ? s->ev.end_array
                                            : s->ev.end_object);
}

static int ev_key(void *self, const void *tok) {
  ng__json_evsink *s = self;
  const ng__json_token *t = tok;
  ev_call c = {&s->ev, NULL, NULL, 0, NULL};
  int rc;

  if (s->ev.key == NULL)
    return NG_OK;
  rc = ev_decode(s, t, 0);
  if (rc != NG_OK)
    return rc;
  c.key = s->buf;
  c.len = t->slen;
  return ev_user(s, &c);
}

static int ev_scalar(void *self, const void *tok) {
  ng__json_evsink *s = self;
  const ng__json_token *t = tok;
  ng_json_value v;
  ev_call c = {&s->ev, NULL, NULL, 0, NULL};
  int rc;

  if (s->ev.scalar == NULL)
    return NG_OK;
  memset(&v, 0, sizeof v);
  v.flags = NG_JSON__LAST; /* a root: no container, no siblings */
  switch (t->kind) {
  case NG__JT_STRING:
    if (t->slen > UINT32_MAX) /* json.h: a node's string is under 4 GiB */
      return NG_ESTRLIMIT;
    rc = ev_decode(s, t, 4); /* json.h: the length before the bytes */
    if (rc != NG_OK)
      return rc;
    v.type = NG_JSON_STRING;
    v.as.s = s->buf + 4;
    memcpy(s->buf, &(uint32_t){(uint32_t)t->slen}, 4);
    break;
  case NG__JT_NUMBER:
    v.type = (uint8_t)t->ntype;
    if (t->ntype == NG_JSON_DOUBLE)
      v.as.d = t->num.d;
    else if (t->ntype == NG_JSON_INT)
      v.as.i = t->num.i;
    else
      v.as.u = t->num.u;
    break;
  case NG__JT_TRUE:
  case NG__JT_FALSE:
    v.type = NG_JSON_BOOL;
    v.as.b = t->kind == NG__JT_TRUE;
    break;
  default:
    v.type = NG_JSON_NULL;
    break;
  }
  c.v = &v;
  return ev_user(s, &c);
}

static const ng__json_sink_ops evsink_ops = {ev_start, ev_end, ev_key, ev_scalar};

ng__json_sink ng__json_evsink_sink(ng__json_evsink *s) {
  ng__json_sink k;
  k.ops = &evsink_ops;
  k.self = s;
  return k;
}
