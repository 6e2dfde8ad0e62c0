/*
 * fuzz/json_lexer.c - the lexer's two paths against each other.
 *
 * Every engine lexes through ng__json_next (and ng__json_next_after_value,
 * which tests ',' and ']' first): hand-written loops for
 * whitespace, string bodies and numbers, the re2c automaton for the rest.
 * ng__json_lex runs the automaton alone and is the reference. This target
 * lexes each input with both, token by token, under every lexer flag
 * combination and with and without a small max_string, so a fast loop that
 * drifts from the grammar (a byte it lets through, an error it names at the
 * wrong offset, a number it converts differently) is a crash here even when
 * all four engines agree, because they share the fast path.
 *
 * Oracles, per token: both paths give the same kind, offset, span, decoded
 * length, flags, number type and bits, or error code and offsets; tokens
 * follow each other and lie inside the input; a string's decoded length is
 * its body length unless it holds escapes, and then smaller; a double is
 * finite; EOF is at the input length; an error is reported at or after its
 * token's start and no further than the input length.
 */
#include "fuzz_json.h"

#include <math.h>
#include <string.h>

#include "../parsers/json/lexer.h"

#define LX_TOKENS 100000 /* tokens compared per pass at most */

/* Checks one token on its own; pos is where the previous one ended.
 * Returns 0, or -1 after reporting. */
static int lx_check(const ng__json_token *t, size_t pos, size_t size) {
  switch (t->kind) {
  case NG__JT_ERROR:
    if (t->off >= pos && t->err_off >= t->off && t->err_off <= size)
      return 0;
    ng_fuzz_fail("lexer: error %s at %zu (token %zu, after %zu) outside "
                 "the input of %zu",
                 ng_err_name(t->code), t->err_off, t->off, pos, size);
    return -1;
  case NG__JT_EOF:
    if (t->off == size)
      return 0;
    ng_fuzz_fail("lexer: EOF at %zu of %zu", t->off, size);
    return -1;
  default:
    break;
  }
  if (t->off < pos || t->len == 0 || t->off + t->len > size) {
    ng_fuzz_fail("lexer: token [%zu, +%zu) after %zu in %zu bytes", t->off,
                 t->len, pos, size);
    return -1;
  }
  if (t->kind == NG__JT_STRING &&
      ((t->flags & NG__JTF_ESCAPED) ? t->slen >= t->len - 2
                                    : t->slen != t->len - 2)) {
    ng_fuzz_fail("lexer: string at %zu decodes %zu of %zu bytes (flags %u)",
                 t->off, t->slen, t->len - 2, t->flags);
    return -1;
  }
  if (t->kind == NG__JT_NUMBER && t->ntype == NG_JSON_DOUBLE &&
      !isfinite(t->num.d)) {
    ng_fuzz_fail("lexer: number at %zu is not finite", t->off);
    return -1;
  }
  return 0;
}

/* One pass: both paths over data, token by token. */
static int lx_pass(const uint8_t *data, size_t size, unsigned flags,
                   size_t max_string) {
  ng__json_lexer a, b;
  ng__json_token ta, tb;
  size_t n, pos = 0;
  const char *p = ng_fuzz_chars(data, size);

  ng__json_lexer_init(&a, p, size, flags, max_string);
  ng__json_lexer_init(&b, p, size, flags, max_string);
  for (n = 0; n < LX_TOKENS; n++) {
    memset(&ta, 0, sizeof ta);
    memset(&tb, 0, sizeof tb);
    /* Engines call the after-value variant where a value ended; both
     * must match the automaton wherever they are called: alternate. */
    if ((n ^ flags) & 1)
      ng__json_next_after_value(&a, &ta);
    else
      ng__json_next(&a, &ta);
    ng__json_lex(&b, &tb);
    if (!ng__json_token_same(&ta, &tb)) {
      ng_fuzz_fail("lexer (flags %u, max_string %zu): token %zu: fast path "
                   "%s at %zu (+%zu, %s), automaton %s at %zu (+%zu, %s)",
                   flags, max_string, n, ng__json_token_name(ta.kind), ta.off,
                   ta.len, ta.kind == NG__JT_ERROR ? ng_err_name(ta.code) : "-",
                   ng__json_token_name(tb.kind), tb.off, tb.len,
                   tb.kind == NG__JT_ERROR ? ng_err_name(tb.code) : "-");
      return -1;
    }
    if (lx_check(&ta, pos, size) != 0)
      return -1;
    if (ta.kind == NG__JT_EOF || ta.kind == NG__JT_ERROR)
      return 0;
    pos = ta.off + ta.len;
  }
  return 0;
}

int ng_fuzz_json_lexer(const uint8_t *data, size_t size) {
  static const unsigned flag_sets[] = {
      0, NG_JSON_BIGINT_REJECT, NG_JSON_ALLOW_LONE_SURROGATES,
      NG_JSON_BIGINT_REJECT | NG_JSON_ALLOW_LONE_SURROGATES};
  size_t i, small = 1 + size % 16; /* max_string that strings often pass */

  for (i = 0; i < sizeof flag_sets / sizeof flag_sets[0]; i++) {
    if (lx_pass(data, size, flag_sets[i], 0) != 0 ||
        lx_pass(data, size, flag_sets[i], small) != 0)
      return -1;
  }
  return 0;
}

NG_FUZZ_ENTRY(ng_fuzz_json_lexer)
