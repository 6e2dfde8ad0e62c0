/*
 * parsers/xml/api.c - ng_xml_parse, ng_xml_parse_events, options, and the
 * DOM builder as an engine sink.
 *
 * A parse: check the arguments and max_input, open the input (encoding
 * decided, text as UTF-8 with its offset map: encoding.h), set up the
 * lexer, the sink (DOM builder or user events) and the parse context over
 * the decoded text, run the chosen engine, free whatever was built on
 * failure, and map the error's position back to the original input.
 */
#include <string.h>

#include "../common/usercall.h"
#include "builder.h"
#include "encoding.h"
#include "engine.h"

/* ------------------------------------------------------------- options */

void ng_xml_options_default(ng_xml_options *opt) {
  memset(opt, 0, sizeof *opt);
  opt->engine = NG_XML_ITERATIVE;
  opt->flags = 0;
  ng_limits_default(&opt->limits);
  opt->alc = NULL;
}

static const char *const engine_names[NG_XML_ENGINE_COUNT] = {
    "iterative", "recursive", "trampoline", "lalr"};

const char *ng_xml_engine_name(ng_xml_engine e) {
  if ((unsigned)e >= NG_XML_ENGINE_COUNT)
    return NULL;
  return engine_names[e];
}

int ng_xml_engine_from_name(const char *name, ng_xml_engine *out) {
  unsigned i;

  if (name == NULL || out == NULL)
    return NG_EINVAL;
  for (i = 0; i < NG_XML_ENGINE_COUNT; i++)
    if (strcmp(name, engine_names[i]) == 0) {
      *out = (ng_xml_engine)i;
      return NG_OK;
    }
  return NG_EINVAL;
}

/* ------------------------------------------------------ the DOM sink */

/* Namespaces off (ns NULL): every name is in no namespace. */
static int dom_start(void *self, const ng__xml_token *t,
                     const ng__xml_ns *ns) {
  ng__xml_builder *b = self;
  size_t i;
  int rc = ns != NULL ? ng__xml_build_start(b, t->name, t->name_len,
                                            ns->el.uri, ns->el.uri_len)
                      : ng__xml_build_start(b, t->name, t->name_len, NULL, 0);

  for (i = 0; rc == NG_OK && i < t->nattrs; i++)
    rc = ng__xml_build_attr(b, t->attrs[i].name, t->attrs[i].name_len,
                            t->attrs[i].value, t->attrs[i].value_len,
                            ns != NULL ? ns->attrs[i].uri : NULL,
                            ns != NULL ? ns->attrs[i].uri_len : 0);
  return rc != NG_OK ? rc : ng__xml_build_start_done(b);
}

static int dom_end(void *self, const ng__xml_token *t, const ng__xml_ns *ns) {
  (void)t;
  (void)ns;
  return ng__xml_build_end(self);
}

static int dom_misc(void *self, const ng__xml_token *t) {
  ng__xml_builder *b = self;

  switch (t->kind) {
  case NG__XT_TEXT:
  case NG__XT_CDATA:
    if (t->flags & NG__XTF_SCRATCH)
      return ng__xml_build_text(b, t->data, t->data_len,
                                t->kind == NG__XT_CDATA);
    return ng__xml_build_text_kept(b, t->data, t->data_len,
                                   t->kind == NG__XT_CDATA);
  case NG__XT_COMMENT:
    return ng__xml_build_comment(b, t->data, t->data_len);
  case NG__XT_PI:
    return ng__xml_build_pi(b, t->name, t->name_len, t->data, t->data_len);
  case NG__XT_DOCTYPE:
    return ng__xml_build_doctype(b, t->name, t->name_len, t->pubid,
                                 t->pubid_len, t->sysid, t->sysid_len);
  default: /* SKIPPED: an external entity leaves no trace in the DOM */
    return NG_OK;
  }
}

static int dom_finish(void *self) { return ng__xml_build_finish(self); }

const ng__xml_sink_ops ng__xml_dom_ops = {dom_start, dom_end, dom_misc,
                                          dom_finish};

/* -------------------------------------------------------------- engines */

int ng__xml_run(ng__xml_parser *p) {
  switch (p->opt->engine) {
  case NG_XML_ITERATIVE:
    return ng__xml_run_iterative(p);
  case NG_XML_RECURSIVE:
    return ng__xml_run_recursive(p);
  case NG_XML_TRAMPOLINE:
    return ng__xml_run_trampoline(p);
  case NG_XML_LALR:
    return ng__xml_run_lalr(p);
  }
  return ng__perr_at(&p->c.perr, NG_EINVAL, 0, 0, "unknown engine");
}

/* Checks the options; NG_OK or NG_EINVAL recorded in err (may be NULL). */
static int check_options(const ng_xml_options *opt, const char *data,
                         size_t len, ng_error *err) {
  const char *why = NULL;
  int code = NG_EINVAL;
  size_t off = 0;

  ng_error_clear(err);
  if (data == NULL && len != 0)
    why = "NULL input";
  else if ((unsigned)opt->engine >= NG_XML_ENGINE_COUNT)
    why = "unknown engine";
  else if ((opt->flags & ~(unsigned)NG__XML_PARSE_FLAGS) != 0)
    why = "unknown flags";
  else if (opt->limits.max_input != 0 && len > opt->limits.max_input) {
    why = "input longer than max_input";
    code = NG_EINPUTLIMIT;
    off = opt->limits.max_input;
  }
  if (why == NULL)
    return NG_OK;
  ng__error_at(err, code, data != NULL ? data : "", data != NULL ? len : 0,
               off, 0, why);
  if (err != NULL && code == NG_EINPUTLIMIT)
    ng__xml_raw_linecol((const unsigned char *)data, len, off, &err->line,
                        &err->column);
  return code;
}

/* A parse in progress: the input, the engine's context, the allocator. */
typedef struct run {
  ng__xml_input in;   /* decoded text and offset map */
  ng__xml_parser p;   /* context over the decoded text */
  ng__xml_ns ns;      /* namespace stage (p.ns points here when on) */
  ng_error local;     /* errors against the decoded text */
  ng__alc_guard guard; /* the user's allocator, guarded */
} run;

/*
 * Opens the input and sets up r->p (lexer, limits) with the guarded
 * allocator. On failure returns the code with *err filled (nothing to
 * release).
 */
static int setup(run *r, const char *data, size_t len,
                 const ng_xml_options *opt, ng_error *err) {
  const ng_alloc *alc;
  int rc = check_options(opt, data, len, err);

  if (rc != NG_OK)
    return rc;
  memset(&r->p, 0, sizeof r->p);
  alc = ng__alc_guard_init(&r->guard, opt->alc, opt->limits.user_stack);
  rc = ng__xml_input_open(data, len, NULL, alc, &r->in, err);
  if (rc != NG_OK)
    return rc;
  ng__parse_init(&r->p.c, (const char *)r->in.text,
                 r->in.len, &opt->limits, &r->local);
  r->p.c.alc = alc;
  r->p.opt = opt;
  ng__gstack_init(&r->p.names, alc, r->p.names_inl, sizeof r->p.names_inl);
  ng__xml_lexer_init(&r->p.lx, r->in.text, r->in.len, &opt->limits, alc);
  ng__xml_ns_init(&r->ns, (const char *)r->in.text, r->in.len, alc);
  if (opt->flags & NG_XML_NAMESPACES)
    r->p.ns = &r->ns;
  return NG_OK;
}

/* The message of error rc: the engine's (msg, "" for the code's text),
 * or for bytes a transcoder could not decode, what they were. */
static const char *bad_char_msg(const run *r, int rc, const char *msg) {
  if (rc == NG_EUTF8 && r->in.sniff.enc.kind != NG__XML_ENC_UTF8)
    return ng__xml_enc_bad_char(&r->in.sniff.enc);
  return msg[0] != '\0' ? msg : NULL;
}

/* Releases the lexer and the input; maps an error rc to the original
 * input into *err (may be NULL). Returns rc. */
static int teardown(run *r, int rc, ng_error *err) {
  char msg[sizeof r->local.msg];

  if (rc != NG_OK && err != NULL) {
    memcpy(msg, r->local.msg, sizeof msg);
    ng__offmap_error(err, rc, &r->in.map, r->in.text, r->local.offset,
                     r->local.depth, bad_char_msg(r, rc, msg));
  }
  ng__gstack_free(&r->p.names);
  ng__xml_ns_free(&r->ns);
  ng__xml_lexer_free(&r->p.lx);
  ng__xml_input_close(&r->in);
  return rc;
}

/* ------------------------------------------------------------- parsing */

int ng_xml_parse(const char *data, size_t len, const ng_xml_options *opt,
                 ng_xml_doc **out, ng_error *err) {
  ng_xml_options def;
  ng__xml_builder b;
  ng_xml_doc *doc;
  run r;
  int rc;

  if (opt == NULL) {
    ng_xml_options_default(&def);
    opt = &def;
  }
  if (out == NULL) {
    ng_error_clear(err);
    return ng__error_at(err, NG_EINVAL, NULL, 0, 0, 0, "NULL out");
  }
  *out = NULL;
  rc = setup(&r, data, len, opt, err);
  if (rc != NG_OK)
    return rc;
  doc = ng__xml_doc_new(opt->alc, opt->limits.max_memory);
  if (doc == NULL)
    return teardown(&r, ng__parse_fail(&r.p.c, NG_ENOMEM, 0, NULL), err);
  /* The document keeps the user's hook; the parse calls it guarded. */
  ng__doc_parse_alc(&doc->base, r.p.c.alc);
  ng__xml_builder_init(&b, doc, ng__xml_build_flags(opt->flags), r.p.c.alc);
  r.p.sink.ops = &ng__xml_dom_ops;
  r.p.sink.self = &b;
  rc = ng__xml_run(&r.p);
  ng__xml_builder_free(&b);
  ng__doc_parse_alc(&doc->base, NULL);
  if (rc != NG_OK) {
    ng_xml_doc_free(doc);
    return teardown(&r, rc, err);
  }
  *out = doc;
  return teardown(&r, NG_OK, err);
}

int ng_xml_parse_events(const char *data, size_t len,
                        const ng_xml_options *opt, const ng_xml_events *ev,
                        ng_error *err) {
  static const ng_xml_events none = {NULL, NULL, NULL, NULL, NULL,
                                     NULL, NULL, NULL, NULL, NULL};
  ng_xml_options def;
  ng__xml_evsink s;
  run r;
  int rc;

  if (opt == NULL) {
    ng_xml_options_default(&def);
    opt = &def;
  }
  rc = setup(&r, data, len, opt, err);
  if (rc != NG_OK)
    return rc;
  ng__xml_evsink_init(&s, ev != NULL ? ev : &none, r.p.c.alc,
                      opt->limits.user_stack);
  r.p.sink = ng__xml_evsink_sink(&s);
  rc = ng__xml_run(&r.p);
  ng__xml_evsink_free(&s);
  return teardown(&r, rc, err);
}
