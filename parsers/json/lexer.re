/*
 * parsers/json/lexer.re - the JSON lexer (re2c specification).
 *
 * Generated at build time into build/gen/parsers/json/lexer.c. The token
 * grammar lives in the re2c blocks below; two kinds of hand-written code
 * sit beside them:
 *   - fast loops (whitespace, the plain ASCII run of a string body, the
 *     number scan) used by ng__json_next; ng__json_lex uses the automaton
 *     alone, and the tests require both to give identical tokens;
 *   - diagnosis helpers that run only after a rule has failed, to name the
 *     exact error: which byte, and whether the input merely ended early
 *     (NG_EEOF at len) or holds a wrong byte.
 *
 * Bounds: the input has no sentinel. YYPEEK returns 0 at the end without
 * reading, and re2c's end-of-input rule ($, re2c:eof = 0) tells the real end
 * apart from a NUL byte (which is data, and invalid everywhere in JSON).
 * The automaton never advances past `lim`.
 */
#include <string.h>

#include "lexer.h"
#include "number.h"

/*!re2c
  re2c:api = custom;
  re2c:api:style = free-form;
  re2c:define:YYCTYPE = "unsigned char";
  re2c:define:YYPEEK = "(cur < lim ? *cur : 0)";
  re2c:define:YYSKIP = "++cur;";
  re2c:define:YYBACKUP = "mar = cur;";
  re2c:define:YYRESTORE = "cur = mar;";
  re2c:define:YYLESSTHAN = "lim <= cur";
  re2c:yyfill:enable = 0;
  re2c:eof = 0;

  hex   = [0-9a-fA-F];
  hi    = "\\u" [dD] [89abAB] hex hex;
  lo    = "\\u" [dD] [c-fC-F] hex hex;
  u1    = "\\u" "00" [0-7] hex;
  u2    = "\\u" "00" [89a-fA-F] hex | "\\u" "0" [1-7] hex hex;
  u3    = "\\u" "0" [89a-fA-F] hex hex
        | "\\u" ([1-9a-cA-CeEfF] hex | [dD] [0-7]) hex hex;

  utf8  = [\xC2-\xDF] [\x80-\xBF]
        | "\xE0" [\xA0-\xBF] [\x80-\xBF]
        | [\xE1-\xEC\xEE\xEF] [\x80-\xBF] [\x80-\xBF]
        | "\xED" [\x80-\x9F] [\x80-\xBF]
        | "\xF0" [\x90-\xBF] [\x80-\xBF] [\x80-\xBF]
        | [\xF1-\xF3] [\x80-\xBF] [\x80-\xBF] [\x80-\xBF]
        | "\xF4" [\x80-\x8F] [\x80-\xBF] [\x80-\xBF];

  plain = [\x20-\x21\x23-\x5B\x5D-\x7F];

  int   = "-"? ("0" | [1-9] [0-9]*);
  frac  = "." [0-9]+;
  exp   = [eE] [+-]? [0-9]+;
*/

void ng__json_lexer_init(ng__json_lexer *lx, const char *data, size_t len,
                         unsigned flags, size_t max_string) {
  static const unsigned char empty[1] = {0};

  if (data == NULL) { /* keeps pointer arithmetic within one object */
    data = (const char *)empty;
    len = 0;
  }
  lx->beg = (const unsigned char *)data;
  lx->cur = lx->beg;
  lx->end = lx->beg + len;
  lx->flags = (uint16_t)(flags & (NG_JSON_BIGINT_REJECT |
                                  NG_JSON_ALLOW_LONE_SURROGATES));
  lx->max_string = ng_limit_clamp(max_string, SIZE_MAX);
  lx->partial = 0;
  lx->resume = 0;
}

/* ---------------------------------------------------------- token setup */

static inline int tok_simple(ng__json_lexer *lx, ng__json_token *t, int kind,
                             const unsigned char *start,
                             const unsigned char *cur) {
  t->kind = kind;
  t->flags = 0;
  t->off = (size_t)(start - lx->beg);
  t->len = (size_t)(cur - start);
  lx->cur = cur;
  return kind;
}

/* An ERROR token for the token at `start`, failing at byte `at`. */
static int tok_error(ng__json_lexer *lx, ng__json_token *t,
                     const unsigned char *start, const unsigned char *at,
                     int code, const char *msg) {
  t->kind = NG__JT_ERROR;
  t->flags = 0;
  t->off = (size_t)(start - lx->beg);
  t->len = 0;
  t->err_off = (size_t)(at - lx->beg);
  t->code = code;
  t->msg = msg;
  lx->cur = at;
  return NG__JT_ERROR;
}

/* The token at `start` reaches the end of a partial buffer: NG__JT_MORE,
 * the cursor back at the token (lexer.h). */
static int tok_more(ng__json_lexer *lx, ng__json_token *t,
                    const unsigned char *start) {
  t->kind = NG__JT_MORE;
  t->flags = 0;
  t->off = (size_t)(start - lx->beg);
  t->len = 0;
  lx->cur = start;
  return NG__JT_MORE;
}

/* The token could not be completed at byte `at`: NG_EEOF when that is the
 * end of input (NG__JT_MORE when more may follow), else `code`. */
static int tok_cut(ng__json_lexer *lx, ng__json_token *t,
                   const unsigned char *start, const unsigned char *at,
                   int code, const char *msg) {
  if (at >= lx->end) {
    if (lx->partial)
      return tok_more(lx, t, start);
    return tok_error(lx, t, start, lx->end, NG_EEOF, NULL);
  }
  return tok_error(lx, t, start, at, code, msg);
}

/* An error for the token at `start` found at `at`, whose bytes up to `cur`
 * might read differently once more input follows: at the end of a partial
 * buffer it is NG__JT_MORE. */
static int tok_bad(ng__json_lexer *lx, ng__json_token *t,
                   const unsigned char *start, const unsigned char *at,
                   const unsigned char *cur, int code, const char *msg) {
  if (lx->partial && cur >= lx->end)
    return tok_more(lx, t, start);
  return tok_error(lx, t, start, at, code, msg);
}

/* ------------------------------------------------------------ diagnosis */

static inline int is_hex(unsigned char c) {
  return (unsigned)(c - '0') < 10u || (unsigned)((c | 0x20) - 'a') < 6u;
}

static unsigned hex4(const unsigned char *p) {
  unsigned v = 0, i, c;
  for (i = 0; i < 4; i++) {
    c = p[i];
    v = v * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  return v;
}

/*
 * The escape at p (a backslash) matched no valid rule. Finds the first byte
 * that breaks it: end of input there -> EEOF; a bad escape character or hex
 * digit -> EESCAPE at p; a surrogate that is not part of a valid pair ->
 * ESURROGATE at p.
 */
static int diagnose_escape(ng__json_lexer *lx, ng__json_token *t,
                           const unsigned char *start,
                           const unsigned char *p) {
  const unsigned char *lim = lx->end;
  unsigned i, cp;

  if (p + 1 >= lim)
    return tok_cut(lx, t, start, lim, 0, NULL);
  if (p[1] != 'u')
    return tok_error(lx, t, start, p, NG_EESCAPE, "invalid escape");
  for (i = 2; i < 6; i++) {
    if (p + i >= lim)
      return tok_cut(lx, t, start, lim, 0, NULL);
    if (!is_hex(p[i]))
      return tok_error(lx, t, start, p, NG_EESCAPE,
                       "invalid \\u escape: expected 4 hex digits");
  }
  cp = hex4(p + 2);
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    /* A high surrogate needs \u DC00-DFFF right after it. */
    static const char want[] = "\\u";
    for (i = 6; i < 12; i++) {
      int ok;
      if (p + i >= lim)
        return tok_cut(lx, t, start, lim, 0, NULL);
      if (i < 8)
        ok = p[i] == (unsigned char)want[i - 6];
      else if (i == 8)
        ok = (p[i] | 0x20) == 'd';
      else if (i == 9)
        ok = (unsigned)((p[i] | 0x20) - 'c') < 4u;
      else
        ok = is_hex(p[i]);
      if (!ok)
        break;
    }
    return tok_error(lx, t, start, p, NG_ESURROGATE,
                     "high surrogate without a low surrogate");
  }
  return tok_error(lx, t, start, p, NG_ESURROGATE,
                   "low surrogate without a high surrogate");
}

/*
 * The byte at p (>= 0x80) starts no valid UTF-8 sequence. If every byte up
 * to the end of input is a valid continuation, the input just ended early
 * (EEOF); otherwise EUTF8 at p.
 */
static int diagnose_utf8(ng__json_lexer *lx, ng__json_token *t,
                         const unsigned char *start,
                         const unsigned char *p) {
  const unsigned char *lim = lx->end;
  unsigned c = p[0], n, i, lo2 = 0x80, hi2 = 0xBF;

  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    n = 3;
  else if (c >= 0xF0 && c <= 0xF4)
    n = 4;
  else
    return tok_error(lx, t, start, p, NG_EUTF8, "invalid UTF-8 lead byte");
  if (c == 0xE0)
    lo2 = 0xA0;
  else if (c == 0xED)
    hi2 = 0x9F;
  else if (c == 0xF0)
    lo2 = 0x90;
  else if (c == 0xF4)
    hi2 = 0x8F;
  for (i = 1; i < n; i++) {
    unsigned lo = i == 1 ? lo2 : 0x80, hi = i == 1 ? hi2 : 0xBF;
    if (p + i >= lim)
      return tok_cut(lx, t, start, lim, 0, NULL);
    if (p[i] < lo || p[i] > hi)
      break;
  }
  return tok_error(lx, t, start, p, NG_EUTF8,
                   c == 0xED ? "UTF-8 encoded surrogate"
                   : c == 0xE0 || c == 0xF0 ? "overlong UTF-8"
                   : c == 0xF4 ? "UTF-8 beyond U+10FFFF"
                               : "invalid UTF-8 continuation");
}

/* ------------------------------------------------------------- strings */

/* Little-endian SWAR: which of 8 bytes are '"', '\\', < 0x20 or >= 0x80;
 * the lowest flagged byte is always a real one. */
#define NG__ONES ((uint64_t)0x0101010101010101u)
#define NG__HIGHS ((uint64_t)0x8080808080808080u)

static inline uint64_t special8(uint64_t v) {
  uint64_t q = v ^ (NG__ONES * '"'), b = v ^ (NG__ONES * '\\');
  uint64_t zq = (q - NG__ONES) & ~q, zb = (b - NG__ONES) & ~b;
  uint64_t ctl = (v - NG__ONES * 0x20) & ~v;
  return (zq | zb | ctl | v) & NG__HIGHS;
}

/* Skips plain string bytes (0x20-0x7F but '"' and '\\') from p: 16 at a
 * time with the compiler's generic vectors (lexer.h), 8 at a time with SWAR
 * otherwise, then byte by byte. `keys`: the first byte that stops a step
 * found by predicted branches (ng__v16_first_branchy), for keys, whose
 * lengths recur; else by its flags' ctz, for values, whose lengths vary. */
NG_INLINE const unsigned char *skip_plain(const unsigned char *p,
                                          const unsigned char *lim,
                                          int keys) {
#ifdef NG__VECTORS
  while (lim - p >= 16) {
    ng__v16 v, m;
    unsigned n;
    memcpy(&v, p, 16);
    /* < 0x20 or >= 0x80 is one signed compare: the latter are negative */
    m = (ng__v16)((v == '"') | (v == '\\') | ((ng__vs16)v < 0x20));
    n = keys ? ng__v16_first_branchy(m) : ng__v16_first(m);
    p += n;
    if (n < 16)
      return p;
  }
  if (lim - p >= 8) {
    uint64_t v, m;
    memcpy(&v, p, 8);
    m = special8(v);
    if (m != 0)
      return p + (__builtin_ctzll(m) >> 3);
    p += 8;
  }
#endif
  while (p < lim && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
    p++;
  return p;
}

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80), or 0 when
 * it is invalid or cut by the end (the automaton then names the error). */
static inline size_t utf8_len(const unsigned char *p,
                              const unsigned char *lim) {
  unsigned c = p[0], lo = 0x80, hi = 0xBF;
  size_t n, i;

#ifdef NG__VECTORS /* little-endian GNU C: one 4-byte load, no loop */
  if (lim - p >= 4) {
    uint32_t v, x;
    memcpy(&v, p, 4);
    if ((v & 0xC0E0u) == 0x80C0u) /* 110xxxxx 10xxxxxx */
      return c >= 0xC2 ? 2 : 0;
    if ((v & 0xC0C0F0u) == 0x8080E0u) { /* 1110xxxx 10xxxxxx 10xxxxxx */
      x = (v & 0x0Fu) << 6 | (v >> 8 & 0x3Fu); /* code point >> 6 */
      return x >= 0x20 && (x < 0x360 || x >= 0x380) ? 3 : 0;
    }
    if ((v & 0xC0C0C0F8u) == 0x808080F0u) { /* 11110xxx + 3 x 10xxxxxx */
      x = (v & 0x07u) << 6 | (v >> 8 & 0x3Fu); /* code point >> 12 */
      return x >= 0x10 && x <= 0x10F ? 4 : 0;
    }
    return 0;
  }
#endif

  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    n = 3;
  else if (c >= 0xF0 && c <= 0xF4)
    n = 4;
  else
    return 0;
  if ((size_t)(lim - p) < n)
    return 0;
  if (c == 0xE0)
    lo = 0xA0;
  else if (c == 0xED)
    hi = 0x9F;
  else if (c == 0xF0)
    lo = 0x90;
  else if (c == 0xF4)
    hi = 0x8F;
  if (p[1] < lo || p[1] > hi)
    return 0;
  for (i = 2; i < n; i++)
    if ((p[i] & 0xC0) != 0x80)
      return 0;
  return n;
}

#ifdef NG__VECTORS
/* Five 3-byte characters per 16-byte step while they come in a row: the
 * bytes against the pattern 1110xxxx 10xxxxxx 10xxxxxx x 5 (the 16th byte
 * is not looked at), and a lead byte E0 or ED (the only leads that can
 * start an overlong or a surrogate) sends the step to the loop below,
 * which checks the code point. Whole characters before the first byte off
 * the pattern are skipped; the loop below goes on from there. */
static inline const unsigned char *skip_utf8_3x5(const unsigned char *p,
                                                 const unsigned char *lim) {
  static const ng__v16 mask = {0xF0, 0xC0, 0xC0, 0xF0, 0xC0, 0xC0,
                               0xF0, 0xC0, 0xC0, 0xF0, 0xC0, 0xC0,
                               0xF0, 0xC0, 0xC0, 0x00};
  static const ng__v16 want = {0xE0, 0x80, 0x80, 0xE0, 0x80, 0x80,
                               0xE0, 0x80, 0x80, 0xE0, 0x80, 0x80,
                               0xE0, 0x80, 0x80, 0x00};
  ng__v16 v;
  unsigned n;

  while (lim - p >= 16) {
    memcpy(&v, p, 16);
    n = ng__v16_run((ng__v16)(((v & mask) == want) & (v != 0xE0) &
                              (v != 0xED)));
    if (n < 15) /* whole characters before the first byte off the run */
      return p + n / 3 * 3;
    p += 15;
  }
  return p;
}
#endif

/* Skips a run of valid 3-byte UTF-8 sequences (CJK text, most symbols)
 * from p, one 4-byte load and one test per character: 1110xxxx 10xxxxxx
 * 10xxxxxx whose code point is neither overlong (< U+0800) nor a
 * surrogate (U+D800-DFFF). Stops at anything else, 4 bytes from the end
 * at the latest. */
static inline const unsigned char *skip_utf8_3(const unsigned char *p,
                                               const unsigned char *lim) {
#ifdef NG__VECTORS /* little-endian GNU C */
  uint32_t v, x;

  p = skip_utf8_3x5(p, lim);
  while (lim - p >= 4) {
    memcpy(&v, p, 4);
    x = (v & 0x0Fu) << 6 | (v >> 8 & 0x3Fu); /* code point >> 6 */
    if ((v & 0xC0C0F0u) != 0x8080E0u || x < 0x20 || x - 0x360 < 0x20)
      break;
    p += 3;
  }
#else
  (void)lim;
#endif
  return p;
}

/* Skips a run of valid non-ASCII UTF-8 from p (a byte >= 0x80), 3-byte
 * characters in runs. Out of line: the vector constants of the runs are
 * then loaded only for strings that have non-ASCII text, not for every
 * string (most keys are ASCII). Returns p when p starts no valid sequence
 * (the automaton names the error). */
static NG_NOINLINE const unsigned char *skip_utf8(const unsigned char *p,
                                                  const unsigned char *lim) {
  const unsigned char *q;
  size_t n;

  while (p < lim && *p >= 0x80) {
    if ((*p & 0xF0) == 0xE0 && (q = skip_utf8_3(p, lim)) != p) {
      p = q;
      continue;
    }
    if ((n = utf8_len(p, lim)) == 0)
      return p;
    p += n;
  }
  return p;
}

/* Skips string bytes that need no decoding: plain ASCII and valid UTF-8
 * sequences. Stops at a quote, backslash, control byte, invalid UTF-8 or
 * the end, which the automaton handles. keys: as skip_plain's. */
NG_INLINE const unsigned char *skip_text(const unsigned char *p,
                                         const unsigned char *lim, int keys) {
  const unsigned char *q;

  for (;;) {
    p = skip_plain(p, lim, keys);
    if (p == lim || *p < 0x80 || (q = skip_utf8(p, lim)) == p)
      return p;
    p = q;
  }
}

/* A string cut by a partial window's end at `at`, valid up to there and
 * its escapes saving `shrink` bytes so far: where the next window lexes it
 * on from (lx->resume; past 4 GiB it is lexed again from its start, which
 * gives the same token), and shrink in the NG__JT_MORE token (lexer.h). */
static int str_more(ng__json_lexer *lx, ng__json_token *t,
                    const unsigned char *start, const unsigned char *at,
                    size_t shrink) {
  size_t n = (size_t)(at - start);

  lx->resume = n <= UINT32_MAX ? (uint32_t)n : 0;
  tok_more(lx, t, start);
  t->slen = shrink;
  return NG__JT_MORE;
}

/* The string at `start` failed at `seq` with `kind` (its token made):
 * when the bytes before `seq` already decode to more than max_string,
 * the string is NG_ESTRLIMIT at its start instead, whatever error or end
 * of input follows. A stream gives up a string at its carry's bound
 * (stream.c carry_bound) without the bytes after it, so the one-shot
 * parse must not depend on them either. Cut at seq (NG__JT_MORE): valid up
 * to there, resumable. */
static int str_fail(ng__json_lexer *lx, ng__json_token *t,
                    const unsigned char *start, const unsigned char *seq,
                    size_t shrink, int kind) {
  if (kind == NG__JT_MORE)
    return str_more(lx, t, start, seq, shrink);
  if (kind == NG__JT_ERROR &&
      (size_t)(seq - start) - 1 - shrink > lx->max_string)
    return tok_error(lx, t, start, start, NG_ESTRLIMIT,
                     "string longer than max_string");
  return kind;
}

/*
 * Lexes a string whose opening quote is at `start`, from `cur` on (the
 * bytes between need no decoding). `fast` selects the hand-written
 * plain-run loop (the caller's skip_text stopped at cur); the automaton
 * also accepts plain runs, so both give the same token. The decoded
 * length is the raw length minus what each escape saves ("shrink"), which
 * starts at what the escapes before cur save (a cut string lexed on).
 */
static int lex_string(ng__json_lexer *lx, ng__json_token *t,
                      const unsigned char *start, const unsigned char *cur,
                      int fast, size_t shrink) {
  const unsigned char *lim = lx->end, *mar, *seq;

  if (cur == lim && lx->partial) /* cut by the window: resumable */
    return str_more(lx, t, start, cur, shrink);
  for (;; cur = fast ? skip_text(cur, lim, 0) : cur) {
    seq = cur;
    /*!re2c
      ["]        { break; }
      plain+     { continue; }
      utf8       { continue; }
      "\\" ["\\/bfnrt] { shrink += 1; continue; }
      u1         { shrink += 5; continue; }
      u2         { shrink += 4; continue; }
      u3         { shrink += 3; continue; }
      hi lo      { shrink += 8; continue; }
      hi | lo    {
        if (!(lx->flags & NG_JSON_ALLOW_LONE_SURROGATES))
          return str_fail(lx, t, start, seq, shrink,
                          diagnose_escape(lx, t, start, seq));
        shrink += 3;
        continue;
      }
      "\\"       {
        return str_fail(lx, t, start, seq, shrink,
                        diagnose_escape(lx, t, start, seq));
      }
      [\x00-\x1F] {
        return str_fail(lx, t, start, seq, shrink,
                        tok_error(lx, t, start, seq, NG_ECTRL,
                                  "raw control character in string"));
      }
      [\x80-\xFF] {
        return str_fail(lx, t, start, seq, shrink,
                        diagnose_utf8(lx, t, start, seq));
      }
      $          {
        return str_fail(lx, t, start, seq, shrink,
                        tok_cut(lx, t, start, lim, 0, NULL));
      }
    */
  }
  tok_simple(lx, t, NG__JT_STRING, start, cur);
  t->flags = shrink != 0 ? NG__JTF_ESCAPED : 0; /* each escape saves some */
  t->slen = t->len - 2 - shrink;
  if (t->slen > lx->max_string)
    return tok_error(lx, t, start, start, NG_ESTRLIMIT,
                     "string longer than max_string");
  return NG__JT_STRING;
}

/* ------------------------------------------------------------- numbers */

/* A number token spans [start, cur): converts it. */
static int number_done(ng__json_lexer *lx, ng__json_token *t,
                       const unsigned char *start,
                       const unsigned char *cur) {
  int rc;

  if (lx->partial && cur >= lx->end) /* more digits may follow */
    return tok_more(lx, t, start);
  rc = ng__json_number((const char *)start, (size_t)(cur - start), lx->flags,
                       t);
  if (rc != NG_OK)
    return tok_error(lx, t, start, start, rc,
                     "number out of range");
  return tok_simple(lx, t, NG__JT_NUMBER, start, cur);
}

/* ------------------------------------------------------- the automaton */

int ng__json_lex(ng__json_lexer *lx, ng__json_token *t) {
  const unsigned char *cur = lx->cur, *lim = lx->end, *start;

  for (;;) {
    start = cur;
    /*!re2c
      [ \t\n\r]+ { continue; }
      "{"        { return tok_simple(lx, t, NG__JT_LBRACE, start, cur); }
      "}"        { return tok_simple(lx, t, NG__JT_RBRACE, start, cur); }
      "["        { return tok_simple(lx, t, NG__JT_LBRACKET, start, cur); }
      "]"        { return tok_simple(lx, t, NG__JT_RBRACKET, start, cur); }
      ":"        { return tok_simple(lx, t, NG__JT_COLON, start, cur); }
      ","        { return tok_simple(lx, t, NG__JT_COMMA, start, cur); }
      "true"     { return tok_simple(lx, t, NG__JT_TRUE, start, cur); }
      "false"    { return tok_simple(lx, t, NG__JT_FALSE, start, cur); }
      "null"     { return tok_simple(lx, t, NG__JT_NULL, start, cur); }
      ["]        { return lex_string(lx, t, start, cur, 0, 0); }
      int frac? exp? { return number_done(lx, t, start, cur); }

      "t" "r"? "u"? | "f" ("a" ("l" "s"?)?)? | "n" ("u" "l"?)? {
        return tok_cut(lx, t, start, cur, NG_ESYNTAX,
                       "invalid literal (expected true, false or null)");
      }
      "-"? "0" [0-9] {
        return tok_bad(lx, t, start, cur - 1, cur, NG_ENUMBER,
                       "leading zero in number");
      }
      "-"        {
        return tok_cut(lx, t, start, cur, NG_ENUMBER,
                       "expected a digit after '-'");
      }
      int "."    {
        return tok_cut(lx, t, start, cur, NG_ENUMBER,
                       "expected a digit after '.'");
      }
      int frac? [eE] [+-]? {
        return tok_cut(lx, t, start, cur, NG_ENUMBER,
                       "expected a digit in the exponent");
      }
      [+.] [0-9] {
        return tok_error(lx, t, start, start, NG_ENUMBER,
                         "number must start with '-' or a digit");
      }
      *          { /* at a partial end, "+" may become "+1" */
        return tok_bad(lx, t, start, start, cur, NG_ESYNTAX,
                       "unexpected character");
      }
      $          {
        if (lx->partial)
          return tok_more(lx, t, lim);
        t->kind = NG__JT_EOF;
        t->flags = 0;
        t->off = (size_t)(lim - lx->beg);
        t->len = 0;
        lx->cur = lim;
        return NG__JT_EOF;
      }
    */
  }
}

/* ------------------------------------------------------- the fast path */

/* Accumulates the digits at p into *w (wrapping past 19 digits: the caller
 * counts digits and redoes long numbers carefully); returns the end. Eight
 * at a time while they fill 8 bytes, then byte by byte: the end is a branch,
 * well predicted where lengths repeat (integers, say ids). */
static inline const unsigned char *digits(const unsigned char *p,
                                          const unsigned char *lim,
                                          uint64_t *w) {
  uint64_t acc = *w;
#ifdef NG__JSON_SWAR
  uint64_t v;
  while (lim - p >= 8) {
    memcpy(&v, p, 8);
    if (ng__json_nondigit8(v) != 0)
      break;
    acc = acc * 100000000u + ng__json_value8(v - NG__ONES * '0');
    p += 8;
  }
#endif
  for (; p < lim && (unsigned)(*p - '0') < 10u; p++)
    acc = acc * 10 + (unsigned)(*p - '0');
  *w = acc;
  return p;
}

/* digits() with the first 16 bytes taken without a loop or a branch on
 * the length: the end comes from the flags. Lengths of fractions vary from
 * one number to the next (canada.json: 14 or 15 digits), and a loop exit
 * mispredicted that often cost more than waiting for the data. */
NG_INLINE const unsigned char *digits16(const unsigned char *p,
                                        const unsigned char *lim,
                                        uint64_t *w) {
#ifdef NG__JSON_SWAR
  uint64_t a, b, ma, mb, acc = *w;
  if (lim - p >= 16) {
    memcpy(&a, p, 8);
    ma = ng__json_nondigit8(a);
    a -= NG__ONES * '0';
    if (ma != 0)
      return ng__json_fold_last(p, a, ma, acc, w);
    memcpy(&b, p + 8, 8);
    mb = ng__json_nondigit8(b);
    b -= NG__ONES * '0';
    acc = acc * 100000000u + ng__json_value8(a);
    if (mb != 0)
      return ng__json_fold_last(p + 8, b, mb, acc, w);
    *w = acc * 100000000u + ng__json_value8(b);
    p += 16;
  }
#endif
  return digits(p, lim, w);
}

#define NG__DIGIT(x) ((x) < lim && (unsigned)(*(x) - '0') < 10u)
#define NG__EXP(x) ((x) < lim && (*(x) | 0x20) == 'e')

/*
 * The number at `start` (its sign `neg`) from p on, after its integer
 * part, whose digits are w: the fraction, the exponent and the conversion
 * of scan_number below (same results). Also where direct.h's inline
 * integers go on (ng__json_number_rest).
 */
NG_INLINE const unsigned char *scan_rest(const ng__json_lexer *lx,
                                         ng__json_token *t,
                                         const unsigned char *start,
                                         const unsigned char *p, uint64_t w,
                                         int neg, int *rcp) {
  const unsigned char *lim = lx->end;
  uint64_t u;
  long q = 0;
  int nd, rc;
  double d;

  if (p < lim && *p == '.') {
    const unsigned char *f = ++p;
    p = digits16(p, lim, &w);
    if (p == f)
      return NULL;
    q = f - p;
    nd = (int)(p - start) - neg - 1; /* all but the sign and the dot */
  } else {
    nd = (int)(p - start) - neg;
    if (!NG__EXP(p)) { /* an integer */
      if (nd > 18 || (neg && w == 0))
        goto text;
      t->ntype = NG_JSON_INT;
      t->num.i = neg ? -(int64_t)w : (int64_t)w;
      return p;
    }
  }
  if (NG__EXP(p)) {
    const unsigned char *x;
    long e = 0;
    int eneg = 0;
    p++;
    if (p < lim && (*p == '+' || *p == '-'))
      eneg = *p++ == '-';
    if (!NG__DIGIT(p))
      return NULL;
    for (x = p; NG__DIGIT(p); p++)
      if (e < 100000000) /* saturate; long exponents go the careful way */
        e = e * 10 + (*p - '0');
    if (p - x > 9)
      nd = 99; /* huge exponent: leave it to the careful path */
    q += eneg ? -e : e;
  }
  if (nd > 19)
    goto text;
  /* Choose the exact path or Eisel-Lemire by the digit count, not by w:
   * the count is steadier from one number to the next (a branch on w
   * would follow every 16/17-digit change in, say, coordinates). */
  if (NG_UNLIKELY(!(nd <= 15 || w == 0 ? ng__json_decimal_fast(w, q, &d)
                                       : ng__json_decimal_lemire(w, q, &d)))) {
    rc = ng__json_decimal(w, q, neg, (const char *)start, (size_t)(p - start),
                          t);
    goto done;
  }
  memcpy(&u, &d, sizeof u);
  t->ntype = NG_JSON_DOUBLE;
  t->num.u = u | (uint64_t)neg << 63; /* -d: d is +0 or positive */
  return p;
text: /* over 19 digits, an integer of 19, -0, or a huge exponent */
  rc = ng__json_number((const char *)start, (size_t)(p - start), lx->flags, t);
done:
  *rcp = rc;
  return p;
}

/*
 * Number scan and conversion by hand, in one pass: accepts exactly the
 * grammar `int frac? exp?`, accumulating the significand. On any deviation
 * it lets the automaton lex (and name the error of) the same token; beyond
 * 19 digits, or with an exponent over 9 digits, it lets ng__json_number
 * convert the text. Stores ntype and num in *t (nothing else) and returns
 * the number's end with NG_OK in *rcp, or NG_EBIGNUM there when it is out
 * of range; NULL for "use the automaton".
 */
NG_INLINE const unsigned char *scan_number(const ng__json_lexer *lx,
                                           ng__json_token *t,
                                           const unsigned char *start,
                                           int *rcp) {
  const unsigned char *p = start, *lim = lx->end;
  uint64_t w;
  int neg = 0;

  if (*p == '-') { /* a branch: p must not wait for the byte */
    neg = 1;
    p++;
  }
  if (!NG__DIGIT(p))
    return NULL;
  w = (unsigned)(*p++ - '0');
  if (w == 0) {
    if (NG__DIGIT(p))
      return NULL;
  } else if (NG__DIGIT(p)) {
    /* Integer parts are mostly short: three digits byte by byte (their
     * ends are well predicted); a longer one (ids, say) goes on from the
     * fourth digit 16 at a time. */
    w = w * 10 + (unsigned)(*p++ - '0');
    if (NG__DIGIT(p)) {
      w = w * 10 + (unsigned)(*p++ - '0');
      if (NG__DIGIT(p))
        p = digits16(p, lim, &w);
    }
  }
  return scan_rest(lx, t, start, p, w, neg, rcp);
}
#undef NG__EXP
#undef NG__DIGIT

/* The number token at `start`, or -1 for "use the automaton". */
static inline int lex_number(ng__json_lexer *lx, ng__json_token *t,
                             const unsigned char *start) {
  int rc = NG_OK;
  const unsigned char *p = scan_number(lx, t, start, &rc);

  if (p == NULL)
    return -1;
  if (NG_UNLIKELY(rc != NG_OK))
    return tok_error(lx, t, start, start, rc, "number out of range");
  return tok_simple(lx, t, NG__JT_NUMBER, start, p);
}

/* The string at `start` needs no decoding up to p, where skip_text
 * stopped. Without escapes it ends at a quote there: its token is made
 * here, without the automaton's frame. */
NG_INLINE int string_at(ng__json_lexer *lx, ng__json_token *t,
                        const unsigned char *start, const unsigned char *p) {
  if (NG_LIKELY(p < lx->end && *p == '"' &&
                (size_t)(p - start) - 1 <= lx->max_string)) {
    tok_simple(lx, t, NG__JT_STRING, start, p + 1);
    t->slen = t->len - 2;
    return NG__JT_STRING;
  }
  return lex_string(lx, t, start, p, 1, 0);
}

int ng__json_next_string(ng__json_lexer *lx, ng__json_token *t) {
  const unsigned char *start = lx->cur;

  return string_at(lx, t, start, skip_text(start + 1, lx->end, 0));
}

/* The string at the window's start, cut by the previous window's end
 * after lx->resume valid bytes whose escapes save t->slen (lexer.h):
 * lexed on from there. */
static NG_NOINLINE int resume_string(ng__json_lexer *lx,
                                      ng__json_token *t) {
  const unsigned char *start = lx->beg;
  const unsigned char *p = skip_text(start + lx->resume, lx->end, 0);
  size_t shrink = t->slen;

  lx->resume = 0;
  lx->cur = start;
  if (shrink != 0)
    return lex_string(lx, t, start, p, 1, shrink);
  return string_at(lx, t, start, p);
}

/* ng__json_string_end and ng__json_key_end (lexer.h), one inline body. */
NG_INLINE const unsigned char *string_end(ng__json_lexer *lx,
                                          ng__json_token *t, int keys) {
  const unsigned char *start = lx->cur;
  const unsigned char *p = skip_text(start + 1, lx->end, keys);
  size_t n = (size_t)(p - start) - 1;

  if (NG_LIKELY(p < lx->end && *p == '"' && n <= lx->max_string &&
                n <= UINT32_MAX))
    return p + 1;
  lex_string(lx, t, start, p, 1, 0);
  return NULL;
}

const unsigned char *ng__json_string_end(ng__json_lexer *lx,
                                         ng__json_token *t) {
  return string_end(lx, t, 0);
}

const unsigned char *ng__json_key_end(ng__json_lexer *lx, ng__json_token *t) {
  return string_end(lx, t, 1);
}

const unsigned char *ng__json_number_end(ng__json_lexer *lx,
                                         ng__json_token *t) {
  int rc = NG_OK;
  const unsigned char *p = scan_number(lx, t, lx->cur, &rc);

  if (NG_LIKELY(p != NULL && rc == NG_OK))
    return p;
  ng__json_next_number(lx, t);
  return NULL;
}

const unsigned char *ng__json_number_rest(ng__json_lexer *lx,
                                          ng__json_token *t,
                                          const unsigned char *p,
                                          uint64_t w) {
  int rc = NG_OK;
  const unsigned char *start = lx->cur;

  p = scan_rest(lx, t, start, p, w, *start == '-', &rc);
  if (NG_LIKELY(p != NULL && rc == NG_OK))
    return p;
  ng__json_next_number(lx, t);
  return NULL;
}

int ng__json_next_number(ng__json_lexer *lx, ng__json_token *t) {
  int kind = lex_number(lx, t, lx->cur);

  if (kind >= 0)
    return kind;
  return ng__json_lex(lx, t); /* malformed: the automaton names the error */
}

int ng__json_next_slow(ng__json_lexer *lx, ng__json_token *t) {
  const unsigned char *cur = lx->cur, *lim = lx->end;

  cur = ng__json_skip_ws(cur, lim);
  lx->cur = cur;
  if (NG_UNLIKELY(cur == lim)) { /* or parked there by a window (lexer.h) */
    if (lx->resume != 0)
      return resume_string(lx, t);
    /* a partial window's end: whatever follows is the next window's */
    return lx->partial ? tok_more(lx, t, cur) : ng__json_lex(lx, t);
  }
  switch (*cur) {
  case '"':
    return ng__json_next_string(lx, t);
  case ',':
    return tok_simple(lx, t, NG__JT_COMMA, cur, cur + 1);
  case ':':
    return tok_simple(lx, t, NG__JT_COLON, cur, cur + 1);
  case '[':
    return tok_simple(lx, t, NG__JT_LBRACKET, cur, cur + 1);
  case ']':
    return tok_simple(lx, t, NG__JT_RBRACKET, cur, cur + 1);
  case '{':
    return tok_simple(lx, t, NG__JT_LBRACE, cur, cur + 1);
  case '}':
    return tok_simple(lx, t, NG__JT_RBRACE, cur, cur + 1);
  case '-': case '0': case '1': case '2': case '3': case '4':
  case '5': case '6': case '7': case '8': case '9':
    return ng__json_next_number(lx, t);
  case 't':
    if (lim - cur >= 4 && memcmp(cur, "true", 4) == 0)
      return tok_simple(lx, t, NG__JT_TRUE, cur, cur + 4);
    break;
  case 'f':
    if (lim - cur >= 5 && memcmp(cur, "false", 5) == 0)
      return tok_simple(lx, t, NG__JT_FALSE, cur, cur + 5);
    break;
  case 'n':
    if (lim - cur >= 4 && memcmp(cur, "null", 4) == 0)
      return tok_simple(lx, t, NG__JT_NULL, cur, cur + 4);
    break;
  default:
    break;
  }
  return ng__json_lex(lx, t);
}

/* ------------------------------------------------------------ decoding */

static char *put_utf8(char *d, unsigned cp) {
  if (cp < 0x80) {
    *d++ = (char)cp;
  } else if (cp < 0x800) {
    *d++ = (char)(0xC0 | cp >> 6);
    *d++ = (char)(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) { /* lone surrogates too (WTF-8) */
    *d++ = (char)(0xE0 | cp >> 12);
    *d++ = (char)(0x80 | (cp >> 6 & 0x3F));
    *d++ = (char)(0x80 | (cp & 0x3F));
  } else {
    *d++ = (char)(0xF0 | cp >> 18);
    *d++ = (char)(0x80 | (cp >> 12 & 0x3F));
    *d++ = (char)(0x80 | (cp >> 6 & 0x3F));
    *d++ = (char)(0x80 | (cp & 0x3F));
  }
  return d;
}

/* Decodes the escape at s (a backslash, validated) into d; advances both. */
static const unsigned char *decode_escape(const unsigned char *s,
                                          const unsigned char *end,
                                          char **dp) {
  unsigned cp, lo;
  char *d = *dp;

  switch (s[1]) {
  case 'b': *d++ = '\b'; break;
  case 'f': *d++ = '\f'; break;
  case 'n': *d++ = '\n'; break;
  case 'r': *d++ = '\r'; break;
  case 't': *d++ = '\t'; break;
  case 'u':
    cp = hex4(s + 2);
    s += 6;
    if (cp >= 0xD800 && cp <= 0xDBFF && end - s >= 6 && s[0] == '\\' &&
        s[1] == 'u' && (lo = hex4(s + 2)) >= 0xDC00 && lo <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      s += 6;
    }
    *dp = put_utf8(d, cp);
    return s;
  default: /* '"', '\\', '/' stand for themselves */
    *d++ = (char)s[1];
    break;
  }
  *dp = d;
  return s + 2;
}

void ng__json_decode_escaped(const ng__json_lexer *lx,
                             const ng__json_token *t, char *dst) {
  const unsigned char *s = lx->beg + t->off + 1, *end = s + t->len - 2, *bs;
  size_t n;

  while (s < end) {
    bs = memchr(s, '\\', (size_t)(end - s));
    n = (size_t)((bs == NULL ? end : bs) - s);
    memcpy(dst, s, n);
    dst += n;
    if (bs == NULL)
      break;
    s = decode_escape(bs, end, &dst);
  }
  *dst = '\0';
}

const char *ng__json_token_name(int kind) {
  static const char *const names[NG__JT_COUNT] = {
      "end of input", "'{'",   "'}'",    "'['",  "']'",
      "':'",          "','",   "string", "number", "'true'",
      "'false'",      "'null'", "invalid token"};
  return kind >= 0 && kind < NG__JT_COUNT ? names[kind] : "token";
}
