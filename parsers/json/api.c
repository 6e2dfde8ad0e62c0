/*
 * parsers/json/api.c - ng_json_parse, ng_json_parse_events and options.
 *
 * A parse: check arguments and max_input, set up the lexer, the sink
 * (DOM builder or user events) and the parse context, run the chosen
 * engine, and on failure free whatever was built.
 */
#include <string.h>

#include "../common/usercall.h"
#include "builder.h"
#include "direct.h"
#include "engine.h"
#include "lalr_driver.h"

/* ------------------------------------------------------------- options */

/* Every bit ng_json_options.flags may hold; others are NG_EINVAL. */
#define NG__JSON_PARSE_FLAGS                                                   \
  (NG_JSON_BIGINT_REJECT | NG_JSON_ALLOW_LONE_SURROGATES)

/* Largest first arena chunk sized from the input's length. */
#define NG__JSON_ARENA_HINT_MAX ((size_t)64 << 20)

void ng_json_options_default(ng_json_options *opt) {
  memset(opt, 0, sizeof *opt);
  opt->engine = NG_JSON_ITERATIVE;
  opt->dupkeys = NG_JSON_DUP_KEEP;
  opt->flags = 0;
  ng_limits_default(&opt->limits);
  opt->alc = NULL;
}

static const char *const engine_names[NG_JSON_ENGINE_COUNT] = {
    "iterative", "recursive", "trampoline", "lalr"};

const char *ng_json_engine_name(ng_json_engine e) {
  if ((unsigned)e >= NG_JSON_ENGINE_COUNT)
    return NULL;
  return engine_names[e];
}

int ng_json_engine_from_name(const char *name, ng_json_engine *out) {
  unsigned i;

  if (name == NULL || out == NULL)
    return NG_EINVAL;
  for (i = 0; i < NG_JSON_ENGINE_COUNT; i++)
    if (strcmp(name, engine_names[i]) == 0) {
      *out = (ng_json_engine)i;
      return NG_OK;
    }
  return NG_EINVAL;
}

/* -------------------------------------------------------------- engines */

int ng__json_run(ng__json_parser *p) {
  p->direct = ng__json_direct_serves(p); /* a stream's doc_begin sets it */
  switch (p->engine) {
  case NG_JSON_ITERATIVE:
    return ng__json_run_iterative(p);
  case NG_JSON_RECURSIVE:
    return ng__json_run_recursive(p);
  case NG_JSON_TRAMPOLINE:
    return ng__json_run_trampoline(p);
  case NG_JSON_LALR:
    return ng__json_run_lalr(p);
  }
  return ng__perr_at(&p->c.perr, NG_EINVAL, 0, 0, "unknown engine");
}

int ng__json_parser_init(ng__json_parser *p, const char *data, size_t len,
                         const ng_json_options *opt, ng_error *err) {
  memset(p, 0, sizeof *p);
  ng__parse_init(&p->c, data, len, &opt->limits, err);
  p->resume = NG__JR_START;
  if ((unsigned)opt->engine >= NG_JSON_ENGINE_COUNT)
    return ng__perr_at(&p->c.perr, NG_EINVAL, 0, 0, "unknown engine");
  p->engine = (unsigned char)opt->engine;
  if ((unsigned)opt->dupkeys > NG_JSON_DUP_LAST)
    return ng__perr_at(&p->c.perr, NG_EINVAL, 0, 0, "unknown dupkeys");
  p->dupkeys = (unsigned char)opt->dupkeys;
  if ((opt->flags & ~NG__JSON_PARSE_FLAGS) != 0)
    return ng__perr_at(&p->c.perr, NG_EINVAL, 0, 0, "unknown flags");
  return NG_OK;
}

void ng__json_engine_release(ng__json_parser *p) {
  ng__gstack_free(&p->st);
  if (p->engine == NG_JSON_LALR && p->lalr != NULL)
    ng__json_lalr_release(p->lalr);
}

/*
 * Checks the arguments common to both entry points and sets up p (lexer,
 * limits, error record). Returns NG_OK or the recorded error.
 */
static int setup(ng__json_parser *p, const char *data, size_t len,
                 const ng_json_options *opt, ng_error *err) {
  int rc;

  if ((rc = ng__json_parser_init(p, data, len, opt, err)) != NG_OK)
    return rc;
  if (data == NULL && len != 0)
    return ng__perr_at(&p->c.perr, NG_EINVAL, 0, 0, "NULL input");
  if (opt->limits.max_input != 0 && len > opt->limits.max_input)
    return ng__perr_at(&p->c.perr, NG_EINPUTLIMIT, opt->limits.max_input, 0,
                       "input longer than max_input");
  ng__json_lexer_init(&p->lx, data, len, opt->flags, opt->limits.max_string);
  return NG_OK;
}

/* ------------------------------------------------------------- parsing */

int ng_json_parse(const char *data, size_t len, const ng_json_options *opt,
                  ng_json_doc **out, ng_error *err) {
  ng_json_options def;
  ng__json_parser p;
  unsigned char inl[256]; /* the engines' stack, while shallow */
  ng__json_builder b;
  ng__alc_guard guard;
  ng_json_doc *doc;
  int rc;

  if (opt == NULL) {
    ng_json_options_default(&def);
    opt = &def;
  }
  if (out == NULL) {
    ng_error_clear(err);
    return ng__error_at(err, NG_EINVAL, NULL, 0, 0, 0, "NULL out");
  }
  *out = NULL;
  rc = setup(&p, data, len, opt, err);
  if (rc != NG_OK)
    return rc;
  doc = ng__json_doc_new(opt->alc, opt->limits.max_memory);
  if (doc == NULL)
    return ng__perr_at(&p.c.perr, NG_ENOMEM, 0, 0, NULL);
  /* The arena holds strings and keys only (the nodes have their array):
   * the first chunk holds about half the input's length (up to 64 MiB;
   * input that is mostly whitespace must not reserve much more than it
   * needs). */
  ng__arena_size_hint(&doc->base.arena, len / 2 < NG__JSON_ARENA_HINT_MAX
                                            ? len / 2
                                            : NG__JSON_ARENA_HINT_MAX);
  /* While the parse runs, the user's hook is called through the guard;
   * the document keeps the hook itself. */
  p.c.alc = ng__alc_guard_init(&guard, opt->alc, opt->limits.user_stack);
  ng__doc_parse_alc(&doc->base, p.c.alc);
  ng__json_builder_init(&b, doc, &p.lx, opt->dupkeys, p.c.alc);
  /* A value takes a byte at least and is separated from the next by one:
   * at most about len / 2 nodes (a mapped array only populates what it
   * uses). */
  b.hint = len / 2 + 2;
  p.sink = ng__json_builder_sink(&b);
  ng__gstack_init(&p.st, p.c.alc, inl, sizeof inl);
  rc = ng__json_run(&p);
  ng__json_builder_free(&b);
  ng__doc_parse_alc(&doc->base, NULL);
  if (rc != NG_OK) {
    ng_json_doc_free(doc);
    return rc;
  }
  *out = doc;
  return NG_OK;
}

int ng_json_parse_events(const char *data, size_t len,
                         const ng_json_options *opt, const ng_json_events *ev,
                         ng_error *err) {
  static const ng_json_events none = {NULL, NULL, NULL, NULL, NULL, NULL, NULL};
  ng_json_options def;
  ng__json_parser p;
  unsigned char inl[256]; /* the engines' stack, while shallow */
  ng__json_evsink s;
  ng__alc_guard guard;
  int rc;

  if (opt == NULL) {
    ng_json_options_default(&def);
    opt = &def;
  }
  rc = setup(&p, data, len, opt, err);
  if (rc != NG_OK)
    return rc;
  p.c.alc = ng__alc_guard_init(&guard, opt->alc, opt->limits.user_stack);
  ng__json_evsink_init(&s, ev != NULL ? ev : &none, &p.lx, p.c.alc,
                       opt->limits.user_stack);
  p.sink = ng__json_evsink_sink(&s);
  ng__gstack_init(&p.st, p.c.alc, inl, sizeof inl);
  rc = ng__json_run(&p);
  ng__json_evsink_free(&s);
  return rc;
}
