/*
 * parsers/common/parse.c - the shared decisions of parse.h.
 */
#include "parse.h"

#include <stdio.h>

void ng__parse_init(ng__parse *c, const char *input, size_t len,
                    const ng_limits *lim, ng_error *err) {
  ng__perr_init(&c->perr, err, input, len);
  ng__depth_init(&c->depth, lim->max_depth);
  c->alc = NULL;
  c->max_stack = ng_limit_clamp(lim->max_stack, NG_MAX_STACK);
  c->user_stack = lim->user_stack;
}

int ng__parse_unexpected(ng__parse *c, const ng__grammar *g, int want, int kind,
                         size_t off, int code, size_t err_off,
                         const char *msg) {
  size_t depth = c->depth.cur;
  char text[96];

  if (want == g->want_eof)
    return ng__perr_at(&c->perr, NG_ETRAILING, off, depth, NULL);
  if (kind == g->tok_error)
    return ng__perr_at(&c->perr, code, err_off, depth, msg);
  if (kind == g->tok_eof)
    return ng__perr_at(&c->perr,
                       want == g->want_first && depth == 0 ? NG_EEMPTY
                                                           : NG_EEOF,
                       off, depth, NULL);
  snprintf(text, sizeof text, "expected %s, found %s", g->expect_text[want],
           g->token_name(kind));
  return ng__perr_at(&c->perr, NG_ESYNTAX, off, depth, text);
}

int ng__parse_fail(ng__parse *c, int code, size_t off, const char *msg) {
  return ng__perr_at(&c->perr, code, off, c->depth.cur, msg);
}

int ng__grammar_state_of(const ng__grammar *g, unsigned set, int fallback) {
  int w;

  for (w = 0; w < g->nstates; w++)
    if (g->expect[w] == set)
      return w;
  return fallback;
}
