/*
 * parsers/json/events.c - the sink behind ng_json_parse_events: forwards
 * each event to the user's callbacks.
 *
 * Strings are decoded into one scratch buffer that grows as needed (through
 * the parse's allocator) and is reused, so a callback sees a NUL-terminated
 * copy valid only during the call. Scalars are passed as a transient node
 * on the C stack. A NULL callback skips the event, including the decoding.
 * A nonzero return from a callback becomes NG_ECANCELED.
 */
#include <string.h>

#include "builder.h"

void ng__json_evsink_init(ng__json_evsink *s, const ng_json_events *ev,
                          const ng__json_lexer *lx, const ng_alloc *alc) {
  s->ev = ev;
  s->lx = lx;
  s->buf = NULL;
  s->cap = 0;
  s->alc = alc;
}

void ng__json_evsink_free(ng__json_evsink *s) {
  ng__free(s->alc, s->buf, s->cap);
  s->buf = NULL;
  s->cap = 0;
}

/* Decodes STRING token t into the scratch buffer. NG_OK or NG_ENOMEM. */
static int ev_decode(ng__json_evsink *s, const ng__json_token *t) {
  size_t need = t->slen + 1, cap;
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
  ng__json_decode_string(s->lx, t, s->buf);
  return NG_OK;
}

static int ev_start(void *self, int kind, const void *tok) {
  const ng_json_events *ev = ((ng__json_evsink *)self)->ev;
  int (*fn)(void *) =
      kind == NG__SINK_ARRAY ? ev->start_array : ev->start_object;

  (void)tok;
  return fn != NULL && fn(ev->ud) != 0 ? NG_ECANCELED : NG_OK;
}

static int ev_end(void *self, int kind, const void *tok) {
  const ng_json_events *ev = ((ng__json_evsink *)self)->ev;
  int (*fn)(void *) = kind == NG__SINK_ARRAY ? ev->end_array : ev->end_object;

  (void)tok;
  return fn != NULL && fn(ev->ud) != 0 ? NG_ECANCELED : NG_OK;
}

static int ev_key(void *self, const void *tok) {
  ng__json_evsink *s = self;
  const ng__json_token *t = tok;
  int rc;

  if (s->ev->key == NULL)
    return NG_OK;
  rc = ev_decode(s, t);
  if (rc != NG_OK)
    return rc;
  return s->ev->key(s->ev->ud, s->buf, t->slen) != 0 ? NG_ECANCELED : NG_OK;
}

static int ev_scalar(void *self, const void *tok) {
  ng__json_evsink *s = self;
  const ng__json_token *t = tok;
  ng_json_value v;
  int rc;

  if (s->ev->scalar == NULL)
    return NG_OK;
  memset(&v, 0, sizeof v);
  v.flags = NG_JSON__LAST; /* a root: no container, no siblings */
  switch (t->kind) {
  case NG__JT_STRING:
    if (t->slen > UINT32_MAX) /* json.h: a node's string is under 4 GiB */
      return NG_ESTRLIMIT;
    rc = ev_decode(s, t);
    if (rc != NG_OK)
      return rc;
    v.type = NG_JSON_STRING;
    v.as.s = s->buf;
    v.len = (uint32_t)t->slen;
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
  return s->ev->scalar(s->ev->ud, &v) != 0 ? NG_ECANCELED : NG_OK;
}

static const ng__sink_ops evsink_ops = {ev_start, ev_end, ev_key, ev_scalar};

ng__sink ng__json_evsink_sink(ng__json_evsink *s) {
  ng__sink k;
  k.ops = &evsink_ops;
  k.self = s;
  return k;
}
