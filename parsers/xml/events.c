/*
 * parsers/xml/events.c - the sink behind ng_xml_parse_events: forwards
 * each event to the user's callbacks.
 *
 * Names, data and values are passed straight from the token (valid during
 * the call only); a start tag's attributes are copied into one scratch
 * array of ng_xml_event_attr that grows through the parse's allocator and
 * is reused. With namespaces on, names carry the URIs the namespace
 * stage resolved (ns.h); start_element_ns and end_element_ns, when set,
 * replace start_element and end_element. A NULL callback skips its event.
 * A nonzero return from a callback becomes NG_ECANCELED. Every callback
 * runs through ng_stack_call_user with the parse's budget
 * (common/usercall.h), as in parsers/json/events.c.
 */
#include <string.h>

#include "../common/usercall.h"
#include "engine.h"

void ng__xml_evsink_init(ng__xml_evsink *s, const ng_xml_events *ev,
                         const ng_alloc *alc, size_t budget) {
  s->ev = ev;
  s->attrs = NULL;
  s->cap = 0;
  s->alc = alc;
  s->budget = budget;
}

void ng__xml_evsink_free(ng__xml_evsink *s) {
  ng__free(s->alc, s->attrs, s->cap * sizeof *s->attrs);
  s->attrs = NULL;
  s->cap = 0;
}

/* One callback call, packed for ng_stack_call_user. */
typedef struct ev_call {
  const ng__xml_evsink *s;
  const ng__xml_token *t; /* the event's token */
  const ng__xml_ns *ns;   /* its names resolved; NULL: namespaces off */
  int end;                /* START token: the end of an empty element */
} ev_call;

static int run_misc(const ng_xml_events *ev, const ng__xml_token *t) {
  switch (t->kind) {
  case NG__XT_TEXT:
  case NG__XT_CDATA:
    return ev->text(ev->ud, t->data, t->data_len, t->kind == NG__XT_CDATA);
  case NG__XT_COMMENT:
    return ev->comment(ev->ud, t->data, t->data_len);
  case NG__XT_PI:
    return ev->pi(ev->ud, t->name, t->name_len, t->data, t->data_len);
  case NG__XT_DOCTYPE:
    return ev->doctype(ev->ud, t->name, t->name_len, t->pubid, t->pubid_len,
                       t->sysid, t->sysid_len);
  default: /* NG__XT_SKIPPED */
    return ev->skipped_entity(ev->ud, t->name, t->name_len);
  }
}

/* The element name of a START or END token for the _ns callbacks. */
static void ev_name(const ev_call *c, ng_xml_event_name *n) {
  n->name = c->t->name;
  n->len = c->t->name_len;
  n->local = c->ns != NULL ? c->ns->el.local : 0;
  n->uri = c->ns != NULL ? c->ns->el.uri : NULL;
  n->uri_len = c->ns != NULL ? c->ns->el.uri_len : 0;
}

static int run_element(const ev_call *c) {
  const ng_xml_events *ev = c->s->ev;
  const ng__xml_token *t = c->t;
  ng_xml_event_name n;

  ev_name(c, &n);
  if (t->kind == NG__XT_START && !c->end)
    return ev->start_element_ns != NULL
               ? ev->start_element_ns(ev->ud, &n, c->s->attrs, t->nattrs)
               : ev->start_element(ev->ud, t->name, t->name_len, c->s->attrs,
                                   t->nattrs);
  return ev->end_element_ns != NULL
             ? ev->end_element_ns(ev->ud, &n)
             : ev->end_element(ev->ud, t->name, t->name_len);
}

static int ev_call_run(void *arg) {
  const ev_call *c = arg;

  if (c->t->kind == NG__XT_START || c->t->kind == NG__XT_END)
    return run_element(c);
  return run_misc(c->s->ev, c->t);
}

/* Runs the call where user code has its budget; NG_OK or NG_ECANCELED. */
static NG_NOINLINE int ev_user(const ng__xml_evsink *s, const ng__xml_token *t,
                   const ng__xml_ns *ns, int end) {
  ev_call c;

  c.s = s;
  c.t = t;
  c.ns = ns;
  c.end = end;
  return ng_stack_call_user(ev_call_run, &c, s->budget) != 0 ? NG_ECANCELED
                                                             : NG_OK;
}

/* Copies t's attributes, with their namespaces from ns (NULL: off), into
 * the scratch array. NG_OK or NG_ENOMEM. */
static int ev_attrs(ng__xml_evsink *s, const ng__xml_token *t,
                    const ng__xml_ns *ns) {
  size_t i, cap;
  ng_xml_event_attr *na;

  if (t->nattrs > s->cap) {
    cap = s->cap < 8 ? 8 : s->cap;
    while (cap < t->nattrs)
      cap = cap > SIZE_MAX / 2 / sizeof *na ? t->nattrs : cap * 2;
    if (cap > SIZE_MAX / sizeof *na)
      return NG_ENOMEM;
    na = ng__realloc(s->alc, s->attrs, s->cap * sizeof *na, cap * sizeof *na);
    if (na == NULL)
      return NG_ENOMEM;
    s->attrs = na;
    s->cap = cap;
  }
  for (i = 0; i < t->nattrs; i++) {
    s->attrs[i].name = t->attrs[i].name;
    s->attrs[i].name_len = t->attrs[i].name_len;
    /* An empty value may come as NULL from the lexer; callbacks get "". */
    s->attrs[i].value = t->attrs[i].value != NULL ? t->attrs[i].value : "";
    s->attrs[i].value_len = t->attrs[i].value_len;
    s->attrs[i].uri = ns != NULL ? ns->attrs[i].uri : NULL;
    s->attrs[i].uri_len = ns != NULL ? ns->attrs[i].uri_len : 0;
    s->attrs[i].local = ns != NULL ? ns->attrs[i].local : 0;
  }
  return NG_OK;
}

/* A start tag for a callback that is set. Kept out of ev_start, whose
 * early return then costs no stack frame when no callback is. */
static NG_NOINLINE int ev_start_call(ng__xml_evsink *s, const ng__xml_token *t,
                                     const ng__xml_ns *ns) {
  int rc = ev_attrs(s, t, ns);

  return rc != NG_OK ? rc : ev_user(s, t, ns, 0);
}

static int ev_start(void *self, const ng__xml_token *t,
                    const ng__xml_ns *ns) {
  ng__xml_evsink *s = self;

  if (s->ev->start_element == NULL && s->ev->start_element_ns == NULL)
    return NG_OK;
  return ev_start_call(s, t, ns);
}

static int ev_end(void *self, const ng__xml_token *t, const ng__xml_ns *ns) {
  const ng__xml_evsink *s = self;

  if (s->ev->end_element == NULL && s->ev->end_element_ns == NULL)
    return NG_OK;
  return ev_user(s, t, ns, 1);
}

static int ev_misc(void *self, const ng__xml_token *t) {
  const ng__xml_evsink *s = self;
  const ng_xml_events *ev = s->ev;
  int set;

  switch (t->kind) {
  case NG__XT_TEXT:
  case NG__XT_CDATA:
    set = ev->text != NULL;
    break;
  case NG__XT_COMMENT:
    set = ev->comment != NULL;
    break;
  case NG__XT_PI:
    set = ev->pi != NULL;
    break;
  case NG__XT_DOCTYPE:
    set = ev->doctype != NULL;
    break;
  default:
    set = ev->skipped_entity != NULL;
    break;
  }
  return set ? ev_user(s, t, NULL, 0) : NG_OK;
}

static int ev_finish(void *self) {
  (void)self;
  return NG_OK;
}

static const ng__xml_sink_ops evsink_ops = {ev_start, ev_end, ev_misc,
                                            ev_finish};

ng__xml_sink ng__xml_evsink_sink(ng__xml_evsink *s) {
  ng__xml_sink k;

  k.ops = &evsink_ops;
  k.self = s;
  return k;
}
