/*
 * parsers/xml/lexer.re - the XML lexer (re2c specification).
 *
 * Generated at build time into build/gen/parsers/xml/lexer.c. The re2c
 * blocks run in UTF-8 mode: character classes are code points, `*` is
 * one byte that starts no rule. Hand-written loops sit beside them where
 * a byte-at-a-time automaton would be slow (runs of characters inside
 * comments, PIs, CDATA sections) and where the work is checking UTF-8 and
 * the Char production rather than recognising markup.
 *
 * Bounds: the text has no sentinel. YYPEEK returns 0 at lim without
 * reading and notes that the automaton reached lim (`cut`): when a rule
 * then fails, the construct was cut short by the end of the text rather
 * than broken by a wrong byte. The automata never advance past lim.
 */
#include <string.h>

#include "lexer.h"

#include "../common/vec.h"

/*!re2c
  re2c:api = custom;
  re2c:api:style = free-form;
  re2c:encoding:utf8 = 1;
  re2c:define:YYCTYPE = "unsigned char";
  re2c:define:YYPEEK = "(cur < lim ? *cur : (cut = 1, 0))";
  re2c:define:YYSKIP = "++cur;";
  re2c:define:YYBACKUP = "mar = cur;";
  re2c:define:YYRESTORE = "cur = mar;";
  re2c:define:YYLESSTHAN = "lim <= cur";
  re2c:yyfill:enable = 0;
  re2c:eof = 0;

  // [4] NameStartChar, [4a] NameChar (Fifth Edition).
  nsc  = [:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D]
       | [\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF]
       | [\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF];
  nc   = nsc | [-.0-9\u00B7\u0300-\u036F\u203F-\u2040];
  name = nsc nc*;
  dec  = [0-9];
  hex  = [0-9a-fA-F];
*/

/* ------------------------------------------------------------ Chars */

int ng__xml_char_slow(const unsigned char *p, const unsigned char *lim,
                      uint32_t *cp) {
  unsigned c = p[0], lo = 0x80, hi = 0xBF, b;
  size_t n, i, avail = (size_t)(lim - p);
  uint32_t v;

  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    v = c & 0x0F;
    lo = c == 0xE0 ? 0xA0 : 0x80; /* no overlong form */
    hi = c == 0xED ? 0x9F : 0xBF; /* no surrogate */
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    v = c & 0x07;
    lo = c == 0xF0 ? 0x90 : 0x80; /* no overlong form */
    hi = c == 0xF4 ? 0x8F : 0xBF; /* nothing past U+10FFFF */
  } else {
    return -NG_EUTF8;
  }
  for (i = 1; i < n; i++) {
    if (i >= avail)
      return -NG_EUTF8; /* cut by the end: bytes that are not UTF-8 */
    b = p[i];
    if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF))
      return -NG_EUTF8;
    v = v << 6 | (b & 0x3F);
  }
  *cp = v;
  return v == 0xFFFE || v == 0xFFFF ? -NG_ECHAR : (int)n;
}

size_t ng__xml_copy_lines(unsigned char *dst, const unsigned char *src,
                          size_t n) {
  unsigned char *d = dst;
  const unsigned char *cr, *end = src + n;

  while ((cr = memchr(src, '\r', (size_t)(end - src))) != NULL) {
    memcpy(d, src, (size_t)(cr - src));
    d += cr - src;
    *d++ = '\n';
    src = cr + 1 < end && cr[1] == '\n' ? cr + 2 : cr + 1;
  }
  memcpy(d, src, (size_t)(end - src));
  return (size_t)(d - dst) + (size_t)(end - src);
}

/* ------------------------------------------------------------ Names */

/* ASCII name characters: 1 NameChar, 2 NameStartChar too. */
static const unsigned char ascii_name[128] = {
    ['-'] = 1, ['.'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
    ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, [':'] = 2, ['_'] = 2,
    ['A'] = 2, ['B'] = 2, ['C'] = 2, ['D'] = 2, ['E'] = 2, ['F'] = 2, ['G'] = 2,
    ['H'] = 2, ['I'] = 2, ['J'] = 2, ['K'] = 2, ['L'] = 2, ['M'] = 2, ['N'] = 2,
    ['O'] = 2, ['P'] = 2, ['Q'] = 2, ['R'] = 2, ['S'] = 2, ['T'] = 2, ['U'] = 2,
    ['V'] = 2, ['W'] = 2, ['X'] = 2, ['Y'] = 2, ['Z'] = 2, ['a'] = 2, ['b'] = 2,
    ['c'] = 2, ['d'] = 2, ['e'] = 2, ['f'] = 2, ['g'] = 2, ['h'] = 2, ['i'] = 2,
    ['j'] = 2, ['k'] = 2, ['l'] = 2, ['m'] = 2, ['n'] = 2, ['o'] = 2, ['p'] = 2,
    ['q'] = 2, ['r'] = 2, ['s'] = 2, ['t'] = 2, ['u'] = 2, ['v'] = 2, ['w'] = 2,
    ['x'] = 2, ['y'] = 2, ['z'] = 2,
};

/* ascii_name as "is a NameChar" over every byte value (0 from 0x80). */
static const unsigned char name8[256] = {
    ['-'] = 1, ['.'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
    ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, [':'] = 1, ['_'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
    ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
    ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
    ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1,
    ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
    ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
    ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1,
    ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

/* The automaton for a Name that does not start with ASCII. */
static const unsigned char *name_end_utf8(const unsigned char *p,
                                          const unsigned char *lim) {
  const unsigned char *cur = p, *mar;
  int cut = 0;

  (void)cut;
  /*!re2c
    name { return cur; }
    *    { return p; }
    $    { return p; }
  */
}

/* ASCII names (most of them) through the table; the automata take over
 * at the first other byte, so both read the same language. */
const unsigned char *ng__xml_name_end(const unsigned char *p,
                                      const unsigned char *lim) {
  const unsigned char *q = p;

  if (q == lim || *q >= 0x80)
    return q == lim ? q : name_end_utf8(q, lim);
  if (ascii_name[*q] != 2)
    return p;
  for (q++; q < lim && name8[*q]; q++)
    ;
  return q < lim && *q >= 0x80 ? ng__xml_nmtoken_end(q, lim) : q;
}

const unsigned char *ng__xml_nmtoken_end(const unsigned char *p,
                                         const unsigned char *lim) {
  const unsigned char *cur = p, *mar;
  int cut = 0;

  (void)cut;
  /*!re2c
    nc+ { return cur; }
    *   { return p; }
    $   { return p; }
  */
}

int ng__xml_name_code(const unsigned char *p, const unsigned char *lim) {
  uint32_t cp;
  int n;

  if (p >= lim)
    return NG_EEOF;
  n = ng__xml_char(p, lim, &cp);
  if (n < 0)
    return -n;
  if (*p < 0x80 && ng__xml_nmtoken_end(p, lim) == p)
    return NG_ESYNTAX; /* '>', ' ', '&'...: the grammar's error */
  return NG_ECHAR;     /* a digit, '-', '.', or not ASCII */
}

int ng__xml_char_code(const unsigned char *p, const unsigned char *lim,
                      int code) {
  uint32_t cp;
  int n;

  if (p >= lim)
    return NG_EEOF;
  n = ng__xml_char(p, lim, &cp);
  if (n < 0)
    return -n;
  if (*p < 0x80 || ng__xml_nmtoken_end(p, lim) != p)
    return code;
  return NG_ECHAR;
}

/* ------------------------------------------------------- references */

static int ref_fail(ng__xml_ref *r, int code, const unsigned char *at,
                    const char *msg) {
  r->kind = 0;
  r->code = code;
  r->at = at;
  r->msg = msg;
  return 0;
}

/* The character reference p[0..end) ("&#...;" or "&#x...;"), its digits
 * from d. Values saturate past U+10FFFF. */
static int ref_char(ng__xml_ref *r, const unsigned char *p,
                    const unsigned char *d, const unsigned char *end,
                    unsigned base) {
  uint32_t v = 0;
  unsigned c;

  for (; d < end - 1; d++) {
    c = *d <= '9' ? (unsigned)(*d - '0') : (unsigned)((*d | 0x20) - 'a' + 10);
    v = v * base + c;
    if (v > 0x10FFFF)
      v = 0x110000;
  }
  if (!ng__xml_is_char(v))
    return ref_fail(r, NG_ECHAR, p,
                    "character reference to a character that is not a Char");
  r->kind = NG__XML_REF_CHAR;
  r->cp = v;
  r->end = end;
  return NG__XML_REF_CHAR;
}

static int ref_name(ng__xml_ref *r, const unsigned char *p,
                    const unsigned char *end) {
  r->kind = NG__XML_REF_NAME;
  r->name = p + 1;
  r->name_len = (size_t)(end - p - 2);
  r->end = end;
  return NG__XML_REF_NAME;
}

/* The code for the byte at p where a reference's digits or ';' were
 * due: NG_EEOF at lim, the character's own error, else NG_ESYNTAX. */
static int stop_code(const unsigned char *p, const unsigned char *lim) {
  uint32_t cp;
  int n = ng__xml_char(p, lim, &cp);

  return n == 0 ? NG_EEOF : n < 0 ? -n : NG_ESYNTAX;
}

int ng__xml_scan_ref(const unsigned char *p, const unsigned char *lim,
                     ng__xml_ref *r) {
  const unsigned char *cur = p, *mar;
  int cut = 0;

  (void)cut;
  /*!re2c
    "&#" dec+ ";"       { return ref_char(r, p, p + 2, cur, 10); }
    "&#x" hex+ ";"      { return ref_char(r, p, p + 3, cur, 16); }
    "&" name ";"        { return ref_name(r, p, cur); }
    "&#" dec+ | "&#x" hex+ {
      return ref_fail(r, stop_code(cur, lim), cur,
                      "expected ';' after a character reference");
    }
    "&#" | "&#x" {
      return ref_fail(r, stop_code(cur, lim), cur,
                      "expected a digit in a character reference");
    }
    "&" name {
      return ref_fail(r, ng__xml_char_code(cur, lim, NG_ESYNTAX), cur,
                      "expected ';' after an entity name");
    }
    "&" {
      return ref_fail(r, ng__xml_name_code(cur, lim), cur,
                      "expected a name or '#' after '&'");
    }
    * { return ref_fail(r, NG_ESYNTAX, p, "expected '&'"); }
    $ { return ref_fail(r, NG_EEOF, lim, NULL); }
  */
}

/* ------------------------------------- comments, PIs, CDATA sections */

#ifdef NG__VECTORS /* little-endian GNU C: 16 bytes at a time */
/* The bytes of v skip_plain stops at: 0xFF each. */
static inline ng__v16 plain_stops(ng__v16 v, unsigned char c1,
                                  unsigned char c2, unsigned char c3) {
  /* signed, bytes from 0x80 are below 0x20 too; so is CR */
  ng__v16 m = (ng__v16)((ng__vs16)v < 0x20) & (v != '\t') & (v != '\n');
  return m | (ng__v16)((v == c1) | (v == c2) | (v == c3));
}
#endif

/*
 * Skips bytes that need no attention: ASCII other than c1, c2, c3, CR and
 * the C0 controls (TAB and LF are skipped). Stops at the first byte that
 * needs a look (or lim). The bytes from lo (at most p) on are readable,
 * and from lx->doc on when lx (may be NULL) reads its document frame: the
 * last 16 before lim are then read at once, where a window's end cuts a
 * run short (push parsing) more often than not.
 */
NG_INLINE const unsigned char *
skip_plain(const ng__xml_lexer *lx, const unsigned char *lo,
           const unsigned char *p, const unsigned char *lim, unsigned char c1,
           unsigned char c2, unsigned char c3) {
#ifdef NG__VECTORS
  static const ng__v16 idx = {0, 1, 2,  3,  4,  5,  6,  7,
                              8, 9, 10, 11, 12, 13, 14, 15};
  ng__v16 v, m;
  unsigned n;

  for (; lim - p >= 16; p += 16) {
    memcpy(&v, p, 16);
    if ((n = ng__v16_first(plain_stops(v, c1, c2, c3))) < 16)
      return p + n;
  }
  if (p < lim && lx != NULL && lx->nent == 0)
    lo = lx->doc;
  if (p < lim && lim - lo >= 16) { /* the tail, in the last 16 bytes */
    memcpy(&v, lim - 16, 16);
    m = plain_stops(v, c1, c2, c3) &
        (ng__v16)(idx >= (unsigned char)(16 - (lim - p)));
    return lim - 16 + ng__v16_first(m);
  }
#else
  (void)lx;
  (void)lo;
#endif
  while (p < lim && *p < 0x80 && *p != c1 && *p != c2 && *p != c3 &&
         (*p >= 0x20 ? 1 : *p == '\t' || *p == '\n'))
    p++;
  return p;
}

static int span_fail(ng__xml_span *s, int code, const unsigned char *at,
                     const char *msg) {
  s->code = code;
  s->at = at;
  s->msg = msg;
  return code;
}

/*
 * Moves past the byte at *pp that skip_plain stopped at when it is not
 * `stop`: a CR (noted in *cr), TAB, LF or a valid non-ASCII Char. Returns
 * NG_OK, or the error for a bad character.
 */
static int step_char(ng__xml_span *s, const unsigned char **pp,
                     const unsigned char *lim, int *cr) {
  const unsigned char *p = *pp;
  uint32_t cp;
  int n = ng__xml_char(p, lim, &cp);

  if (n < 0)
    return span_fail(
        s, -n, p, n == -NG_EUTF8 ? "invalid UTF-8" : "character not allowed");
  *cr |= *p == '\r';
  *pp = p + n;
  return NG_OK;
}

/* Scans from p to the first occurrence of close[0..n) (n is 2 or 3),
 * checking every character; the body [s->a, s->b) ends there, s->end
 * after the close. */
static int scan_to(ng__xml_span *s, const unsigned char *p,
                   const unsigned char *lim, const char *close, size_t n) {
  const unsigned char *lo = p;
  unsigned char c0 = (unsigned char)close[0];
  int cr = 0, rc;

  for (;;) {
    p = skip_plain(NULL, lo, p, lim, c0, c0, c0);
    if (p == lim)
      return span_fail(s, NG_EEOF, lim, NULL);
    if (*p == c0) {
      if ((size_t)(lim - p) >= n && memcmp(p, close, n) == 0)
        break;
      p++;
      continue;
    }
    if ((rc = step_char(s, &p, lim, &cr)) != NG_OK)
      return rc;
  }
  s->b = p;
  s->end = p + n;
  s->cr |= cr;
  s->code = NG_OK;
  return NG_OK;
}

int ng__xml_scan_comment(const unsigned char *p, const unsigned char *lim,
                         ng__xml_span *s) {
  const unsigned char *q;
  int rc;

  s->a = p + 4; /* after "<!--" */
  s->c = s->d = NULL;
  s->cr = 0;
  if ((rc = scan_to(s, s->a, lim, "--", 2)) != NG_OK)
    return rc;
  q = s->b;
  if (lim - q < 3)
    return span_fail(s, NG_EEOF, lim, NULL);
  if (q[2] != '>')
    return span_fail(s, NG_ESYNTAX, q, "'--' inside a comment");
  s->end = q + 3;
  return NG_OK;
}

int ng__xml_scan_cdata(const unsigned char *p, const unsigned char *lim,
                       ng__xml_span *s) {
  s->a = p + 9; /* after "<![CDATA[" */
  s->c = s->d = NULL;
  s->cr = 0;
  return scan_to(s, s->a, lim, "]]>", 3);
}

/* True when the Name [a, b) is "xml" in any case ([17] PITarget). */
static int is_xml_name(const unsigned char *a, const unsigned char *b) {
  return b - a == 3 && (a[0] | 0x20) == 'x' && (a[1] | 0x20) == 'm' &&
         (a[2] | 0x20) == 'l';
}

int ng__xml_scan_pi(const unsigned char *p, const unsigned char *lim,
                    ng__xml_span *s) {
  const unsigned char *q = p + 2, *e; /* after "<?" */
  const unsigned char *body;
  int rc;

  s->cr = 0;
  e = ng__xml_name_end(q, lim);
  if (e == q)
    return span_fail(s, ng__xml_name_code(q, lim), q,
                     "expected a PI target name after '<?'");
  s->a = q;
  s->b = e;
  if (e == lim) /* the target may go on ("xml-..."): not judged yet */
    return span_fail(s, NG_EEOF, lim, NULL);
  if (is_xml_name(q, e))
    return span_fail(s, NG_ESYNTAX, q, "the PI target 'xml' is reserved");
  if (*e == '?' && e + 1 < lim && e[1] == '>') {
    s->c = s->d = e;
    s->end = e + 2;
    s->code = NG_OK;
    return NG_OK;
  }
  if (*e == '?' && e + 1 == lim)
    return span_fail(s, NG_EEOF, lim, NULL);
  if (!ng__xml_is_space(*e))
    return span_fail(s, ng__xml_char_code(e, lim, NG_ESYNTAX), e,
                     "expected white space or '?>' after the PI target");
  for (body = e; body < lim && ng__xml_is_space(*body); body++)
    s->cr |= *body == '\r';
  s->c = body;
  rc = scan_to(s, body, lim, "?>", 2);
  s->d = s->b;
  s->b = e;
  return rc;
}

/* =================================================================== */
/*                              the lexer                              */
/* =================================================================== */

void ng__xml_lexer_init(ng__xml_lexer *lx, const unsigned char *text,
                        size_t len, const ng_limits *lim, const ng_alloc *alc) {
  static const unsigned char empty[1] = {0};
  ng_limits def;

  if (text == NULL) { /* keeps pointer arithmetic within one object */
    text = empty;
    len = 0;
  }
  if (lim == NULL) {
    ng_limits_default(&def);
    lim = &def;
  }
  memset(lx, 0, sizeof *lx);
  lx->doc = text;
  lx->end = text + len;
  lx->cur = text;
  lx->lim = lx->end;
  lx->mode = NG__XM_PROLOG;
  ng__xml_buf_init(&lx->frames, alc);
  ng__xml_buf_init(&lx->text, alc);
  ng__xml_buf_init(&lx->vals, alc);
  ng__xml_buf_init(&lx->attrs, alc);
  ng__xml_buf_init(&lx->ahash, alc);
  ng__xml_budget_init(&lx->budget, lim->max_entity_expansion);
  lx->max_string = ng_limit_clamp(lim->max_string, SIZE_MAX);
  lx->max_memory = lim->max_memory;
  lx->seed = (uint64_t)(uintptr_t)lx * 0x9E3779B97F4A7C15u;
  lx->alc = alc;
}

/* Push parsing: before the token at lx->cur (in the document) charges the
 * budget, keeps what it was, for a cut of that token to undo. */
static void budget_mark(ng__xml_lexer *lx) {
  uint64_t key;

  if (NG_LIKELY(!lx->partial) || lx->nent != 0)
    return;
  key = lx->base + (uint64_t)(lx->cur - lx->doc) + 1;
  if (key != lx->mark_key) {
    lx->mark_key = key;
    lx->mark_used = lx->budget.used;
    lx->mark_extra = lx->budget.extra;
  }
}

void ng__xml_lexer_window(ng__xml_lexer *lx, const unsigned char *text,
                          size_t len, int partial, size_t base) {
  static const unsigned char empty[1] = {0};

  if (text == NULL)
    text = empty;
  lx->doc = text;
  lx->end = text + len;
  lx->cur = text;
  lx->lim = lx->end;
  lx->partial = partial;
  lx->base = base;
  lx->budget.base = base;
  if (lx->mode == NG__XM_DONE) { /* a cut: the token is lexed again */
    lx->mode = lx->resume != 0 ? NG__XM_TEXT : lx->prev_mode;
    if (lx->mark_key == lx->base + (uint64_t)(lx->cur - lx->doc) + 1) {
      lx->budget.used = lx->mark_used; /* what it charged is undone */
      lx->budget.extra = lx->mark_extra;
    }
  }
  if (!lx->seen_doctype && lx->dtd != NULL) { /* cut inside the DOCTYPE */
    ng__xml_dtd_free(lx->dtd);
    lx->dtd = NULL;
  }
}

void ng__xml_lexer_free(ng__xml_lexer *lx) {
  ng__xml_buf_free(&lx->frames);
  ng__xml_buf_free(&lx->text);
  ng__xml_buf_free(&lx->vals);
  ng__xml_buf_free(&lx->attrs);
  ng__xml_buf_free(&lx->ahash);
  ng__xml_dtd_free(lx->dtd);
  lx->dtd = NULL;
}

/* ---------------------------------------------------------- tokens */

static ng__xml_frame *frames(const ng__xml_lexer *lx) {
  return (ng__xml_frame *)(void *)lx->frames.p;
}

static ng__xml_tattr *attrs(const ng__xml_lexer *lx) {
  return (ng__xml_tattr *)(void *)lx->attrs.p;
}

/* Fills t as `kind` spanning [s, e) of the top frame (in an entity: the
 * outermost reference) and moves the cursor to e. */
static int tok(ng__xml_lexer *lx, ng__xml_token *t, int kind,
               const unsigned char *s, const unsigned char *e) {
  t->kind = kind;
  if (NG_LIKELY(lx->nent == 0)) {
    t->flags = 0;
    t->off = (size_t)(s - lx->doc);
    t->len = (size_t)(e - s);
  } else {
    t->flags = NG__XTF_ENTITY;
    t->off = lx->ref_off;
    t->len = lx->ref_len;
  }
  lx->cur = e;
  return kind;
}

/* The last token: EOF or ERROR, returned again from now on. Only what
 * is read of such a token is kept: not the whole token at every cut of a
 * stream's window. */
static int last(ng__xml_lexer *lx, ng__xml_token *t) {
  size_t k;

  for (k = 0; k < lx->nent; k++) /* after an error inside entities */
    frames(lx)[k].ent->open = 0;
  lx->nent = 0;
  lx->prev_mode = lx->mode;
  lx->mode = NG__XM_DONE;
  lx->last.kind = t->kind;
  lx->last.flags = t->flags;
  lx->last.off = t->off;
  lx->last.len = t->len;
  lx->last.code = t->code;
  lx->last.err_off = t->err_off;
  lx->last.msg = t->msg;
  return t->kind;
}

static int fail_off(ng__xml_lexer *lx, ng__xml_token *t, int code, size_t off,
                    const char *msg) {
  t->kind = NG__XT_ERROR;
  t->flags = 0;
  t->off = off;
  t->len = 0;
  t->code = code;
  t->err_off = off;
  t->msg = msg;
  return last(lx, t);
}

/*
 * The construct at hand is cut by the end of the top frame: NG_EEOF at
 * the end of the document, NG_EENTITY at the end of replacement text
 * (4.3.2: markup must begin and end in the same entity). The one place
 * where the document's end is decided: a push parser asks for more input
 * here.
 */
static int cut(ng__xml_lexer *lx, ng__xml_token *t) {
  if (lx->nent != 0)
    return fail_off(lx, t, NG_EENTITY, lx->ref_off,
                    "markup not complete within the entity's replacement "
                    "text");
  return fail_off(lx, t, NG_EEOF, (size_t)(lx->end - lx->doc), NULL);
}

/* An error about the byte at `at` of the top frame. */
static int fail(ng__xml_lexer *lx, ng__xml_token *t, int code,
                const unsigned char *at, const char *msg) {
  if (code == NG_EEOF)
    return cut(lx, t);
  if (code == NG_EUTF8)
    msg = "invalid UTF-8";
  return fail_off(lx, t, code,
                  lx->nent != 0 ? lx->ref_off : (size_t)(at - lx->doc), msg);
}

static int no_mem(ng__xml_lexer *lx, ng__xml_token *t,
                  const unsigned char *at) {
  return fail(lx, t, NG_ENOMEM, at, NULL);
}

static int too_long(ng__xml_lexer *lx, ng__xml_token *t,
                    const unsigned char *at) {
  return fail(lx, t, NG_ESTRLIMIT, at, "longer than max_string");
}

static int eof(ng__xml_lexer *lx, ng__xml_token *t) {
  if (NG_UNLIKELY(lx->partial))
    return cut(lx, t);
  t->kind = NG__XT_EOF;
  t->flags = 0;
  t->off = (size_t)(lx->end - lx->doc);
  t->len = 0;
  return last(lx, t);
}

/* ------------------------------------------------------ the input stack */

static int top_covered(const ng__xml_lexer *lx) {
  return lx->nent != 0 && frames(lx)[lx->nent - 1].covered;
}

/* Offset into the document for the amplification ratio. */
static uint64_t direct(const ng__xml_lexer *lx, const unsigned char *p) {
  return lx->nent != 0 ? lx->ref_off : (uint64_t)(p - lx->doc);
}

/*
 * Opens internal entity x, referenced at [ref, end): No Recursion, the
 * nesting depth and the budget are checked first; nothing is read unless
 * all pass. Returns -1 (go on lexing) or an ERROR token.
 */
static int push(ng__xml_lexer *lx, ng__xml_token *t, ng__xml_entity *x,
                const unsigned char *ref, const unsigned char *end) {
  int covered = top_covered(lx);
  ng__xml_frame *f;
  uint64_t cost;

  if (x->open || (x->flags & NG__XML_EF_RECURSIVE))
    return fail(lx, t, NG_EENTITY, ref,
                "recursive entity reference (WFC: No Recursion)");
  if (lx->nent >= lx->budget.max_depth)
    return fail(lx, t, NG_EENTITYLIMIT, ref,
                "entity references nested too deep");
  if (!covered) {
    cost = x->flags & NG__XML_EF_PENDING ? x->text_len : x->expanded;
    if (ng__xml_budget_charge(&lx->budget, cost, direct(lx, end)) != NG_OK)
      return fail(lx, t, NG_EENTITYLIMIT, ref,
                  "entity expansion exceeds the limit");
  }
  lx->frames.len = lx->nent * sizeof *f;
  if (ng__xml_buf_grow(&lx->frames, sizeof *f) != NG_OK)
    return no_mem(lx, t, ref);
  if (lx->nent == 0) {
    lx->ref_off = (size_t)(ref - lx->doc);
    lx->ref_len = (size_t)(end - ref);
  }
  f = &frames(lx)[lx->nent++];
  f->cur = end;
  f->lim = lx->lim;
  f->ent = x;
  f->open = lx->open;
  f->covered = covered || !(x->flags & NG__XML_EF_PENDING);
  lx->cur = (const unsigned char *)x->text;
  lx->lim = lx->cur + x->text_len;
  x->open = 1;
  return -1;
}

/* The end of the top entity's text: elements opened in it must be closed
 * (4.3.2). Returns -1 (go on lexing) or an ERROR token. */
static int pop(ng__xml_lexer *lx, ng__xml_token *t) {
  ng__xml_frame *f = &frames(lx)[lx->nent - 1];

  if (lx->open != f->open)
    return fail(lx, t, NG_EENTITY, lx->cur,
                "element started in an entity's replacement text and not "
                "ended in it");
  f->ent->open = 0;
  lx->cur = f->cur;
  lx->lim = f->lim;
  lx->nent--;
  return -1;
}

/* ------------------------------------------------------------ markup */

/* What starts at '<'. */
enum {
  MK_START,   /* '<' NameStartChar */
  MK_END,     /* "</" */
  MK_COMMENT, /* "<!--" */
  MK_CDATA,   /* "<![CDATA[" */
  MK_DOCTYPE, /* "<!DOCTYPE" */
  MK_PI,      /* "<?" */
  MK_XMLDECL, /* "<?xml" S */
  MK_BANG,    /* "<!" and nothing known */
  MK_BAD,     /* '<' and no name */
  MK_CUT      /* the text ends before it is known */
};

static int markup_kind(const unsigned char *p, const unsigned char *lim) {
  const unsigned char *cur = p, *mar;
  int cut = 0;

  if (lim - p >= 2 && p[1] == '/') /* the common cases without the DFA */
    return MK_END;
  if (lim - p >= 2 && p[1] < 0x80 && ascii_name[p[1]] == 2)
    return MK_START;
  /*!re2c
    "<?xml" [ \t\r\n] { return MK_XMLDECL; }
    "<?"              { return MK_PI; }
    "<!--"            { return MK_COMMENT; }
    "<![CDATA["       { return MK_CDATA; }
    "<!DOCTYPE"       { return MK_DOCTYPE; }
    "</"              { return MK_END; }
    "<" nsc           { return MK_START; }
    "<!"              { return cut ? MK_CUT : MK_BANG; }
    "<"               { return p + 1 == lim ? MK_CUT : MK_BAD; }
    *                 { return MK_BAD; }
    $                 { return MK_CUT; }
  */
}

/* A comment, PI or CDATA section scanned into s (rc its result). */
static int span_tok(ng__xml_lexer *lx, ng__xml_token *t, int kind,
                    const unsigned char *p, int rc, const ng__xml_span *s) {
  const unsigned char *a = kind == NG__XT_PI ? s->c : s->a;
  const unsigned char *b = kind == NG__XT_PI ? s->d : s->b;
  size_t n = (size_t)(b - a);
  int copy;

  if (rc != NG_OK)
    return fail(lx, t, s->code, s->at, s->msg);
  if (n > lx->max_string || (size_t)(s->b - s->a) > lx->max_string)
    return too_long(lx, t, p);
  t->data = (const char *)a;
  t->data_len = n;
  copy = s->cr && lx->nent == 0 && n != 0; /* the document's line ends */
  if (copy) {
    lx->text.len = 0;
    if (ng__xml_buf_grow(&lx->text, n) != NG_OK)
      return no_mem(lx, t, p);
    t->data = (const char *)lx->text.p;
    t->data_len = ng__xml_copy_lines(lx->text.p, a, n);
  }
  if (kind == NG__XT_PI) {
    t->name = (const char *)s->a;
    t->name_len = (size_t)(s->b - s->a);
  }
  tok(lx, t, kind, p, s->end);
  t->flags |= copy ? NG__XTF_SCRATCH : 0;
  return kind;
}

static int lex_comment(ng__xml_lexer *lx, ng__xml_token *t,
                       const unsigned char *p) {
  ng__xml_span s;
  return span_tok(lx, t, NG__XT_COMMENT, p,
                  ng__xml_scan_comment(p, lx->lim, &s), &s);
}

static int lex_pi(ng__xml_lexer *lx, ng__xml_token *t, const unsigned char *p) {
  ng__xml_span s;
  return span_tok(lx, t, NG__XT_PI, p, ng__xml_scan_pi(p, lx->lim, &s), &s);
}

static int lex_cdata(ng__xml_lexer *lx, ng__xml_token *t,
                     const unsigned char *p) {
  ng__xml_span s;
  return span_tok(lx, t, NG__XT_CDATA, p, ng__xml_scan_cdata(p, lx->lim, &s),
                  &s);
}

/* A DOCTYPE where none may be: the grammar rejects it, and the lexer
 * stops (a caller that goes on gets NG_ESYNTAX there). */
static int misplaced(ng__xml_lexer *lx, ng__xml_token *t,
                     const unsigned char *p) {
  ng__xml_token e;

  t->name = NULL;
  t->name_len = 0;
  t->pubid = t->sysid = NULL;
  t->pubid_len = t->sysid_len = 0;
  tok(lx, t, NG__XT_DOCTYPE, p, p + 9);
  t->flags |= NG__XTF_MISPLACED;
  fail(lx, &e, NG_ESYNTAX, p, "a DOCTYPE is allowed only before the root");
  return NG__XT_DOCTYPE;
}

/*
 * In a stream, a start tag or DOCTYPE cut by a window's end is lexed again
 * from its '<' with the next window: a tag's attribute values expanded
 * again, a DOCTYPE's subset declared again. So that a construct fed in
 * small chunks does not cost its length (times its expansion) at every
 * feed, it waits, without being lexed, while the window certainly does not
 * hold its end, but only up to CUT_WAIT bytes (and max_string, so that the
 * carry's bound is never reached first): a construct the lexer would
 * reject early is then lexed, and fails where the one-shot parse fails,
 * at a bounded cost.
 */
#define CUT_WAIT ((size_t)4096)

/* True when the construct at p may be lexed: lim - p is over the wait. */
static int waited(const ng__xml_lexer *lx, const unsigned char *p) {
  size_t n = (size_t)(lx->lim - p);

  return n > CUT_WAIT || n > lx->max_string;
}

/* True when the DOCTYPE at p may end before lim: a '>' before any '[',
 * or a ']' followed by S? '>' after it (quotes are not followed: a false
 * end only means lexing now). */
static int doctype_in_window(const unsigned char *p, const unsigned char *lim) {
  const unsigned char *gt = memchr(p, '>', (size_t)(lim - p));
  const unsigned char *sq = memchr(p, '[', (size_t)(lim - p)), *q;

  if (gt == NULL || sq == NULL || gt < sq)
    return gt != NULL;
  for (q = sq; (q = memchr(q, ']', (size_t)(lim - q))) != NULL;) {
    for (q++; q < lim && ng__xml_is_space(*q); q++)
      ;
    if (q < lim && *q == '>')
      return 1;
  }
  return 0;
}

/* The document type declaration at p, its subset into lx->dtd. */
static int lex_doctype(ng__xml_lexer *lx, ng__xml_token *t,
                       const unsigned char *p) {
  ng__xml_doctype_decl dt;
  ng__xml_derr e;
  int rc;

  if (NG_UNLIKELY(lx->partial) && lx->nent == 0 && !waited(lx, p) &&
      !doctype_in_window(p, lx->lim))
    return cut(lx, t);
  budget_mark(lx);
  rc = ng__xml_dtd_new(&lx->dtd, lx->alc, lx->max_memory, &lx->budget,
                       lx->standalone);
  if (rc != NG_OK)
    return no_mem(lx, t, p);
  rc = ng__xml_dtd_doctype(lx->dtd, lx->doc, (size_t)(lx->end - lx->doc),
                           (size_t)(p - lx->doc), &dt, &e);
  if (rc != NG_OK)
    return fail_off(lx, t, e.code, e.off, e.msg);
  if (dt.name_len > lx->max_string)
    return too_long(lx, t, p);
  lx->seen_doctype = 1;
  t->name = dt.name;
  t->name_len = dt.name_len;
  t->pubid = dt.pubid;
  t->pubid_len = dt.pubid_len;
  t->sysid = dt.sysid;
  t->sysid_len = dt.sysid_len;
  return tok(lx, t, NG__XT_DOCTYPE, p, lx->doc + dt.end);
}

/* ------------------------------------------------ the XML declaration */

/*!re2c
  ws      = [ \t\r\n]+;
  eq      = ws? "=" ws?;
  vnum    = "1." [0-9]+;
  encname = [A-Za-z] [A-Za-z0-9._\-]*;
  yesno   = "yes" | "no";
*/

/* What a part of the declaration is. */
enum { D_NO, D_YES, D_BAD };

/* [24] VersionInfo at p. */
static int decl_version(const unsigned char *p, const unsigned char *lim,
                        const unsigned char **end, int *cutp) {
  const unsigned char *cur = p, *mar;
  int cut = 0;

  /*!re2c
    ws "version" eq (["] vnum ["] | ['] vnum [']) { *end = cur; return D_YES; }
    * { *cutp = cut; return D_BAD; }
    $ { *cutp = 1; return D_BAD; }
  */
}

/* [80] EncodingDecl at p: D_NO when it does not start there. */
static int decl_encoding(const unsigned char *p, const unsigned char *lim,
                         const unsigned char **end, int *cutp) {
  const unsigned char *cur = p, *mar;
  int cut = 0;

  /*!re2c
    ws "encoding" eq (["] encname ["] | ['] encname [']) {
      *end = cur;
      return D_YES;
    }
    ws "encoding" { *cutp = cut; return D_BAD; }
    * { *cutp = cut; return D_NO; }
    $ { *cutp = 1; return D_NO; }
  */
}

/* [32] SDDecl at p: D_NO when it does not start there. */
static int decl_standalone(const unsigned char *p, const unsigned char *lim,
                           const unsigned char **end, int *cutp) {
  const unsigned char *cur = p, *mar;
  int cut = 0;

  /*!re2c
    ws "standalone" eq (["] yesno ["] | ['] yesno [']) {
      *end = cur;
      return D_YES;
    }
    ws "standalone" { *cutp = cut; return D_BAD; }
    * { *cutp = cut; return D_NO; }
    $ { *cutp = 1; return D_NO; }
  */
}

/* S? '?>' at p. */
static int decl_close(const unsigned char *p, const unsigned char *lim,
                      const unsigned char **end, int *cutp) {
  const unsigned char *cur = p, *mar;
  int cut = 0;

  (void)mar;
  /*!re2c
    ws? "?>" { *end = cur; return D_YES; }
    * { *cutp = cut; return D_BAD; }
    $ { *cutp = 1; return D_BAD; }
  */
}

/* The value of a pseudo-attribute [p, end) that ends with its quote. */
static void decl_value(const unsigned char *p, const unsigned char *end,
                       const char **v, size_t *n) {
  const unsigned char *open = memchr(p, end[-1], (size_t)(end - 1 - p));

  *v = (const char *)open + 1;
  *n = (size_t)(end - 1 - (open + 1));
}

static int decl_fail(ng__xml_lexer *lx, ng__xml_token *t, int cut_,
                     const unsigned char *at, const char *msg) {
  return cut_ ? cut(lx, t) : fail(lx, t, NG_ESYNTAX, at, msg);
}

/* [23] XMLDecl at p (offset 0): "<?xml" S already seen. */
static int lex_xmldecl(ng__xml_lexer *lx, ng__xml_token *t,
                       const unsigned char *p) {
  const unsigned char *q = p + 5, *e = NULL, *lim = lx->lim;
  int c = 0, r;

  t->encoding = NULL;
  t->encoding_len = 0;
  t->standalone = -1;
  if (decl_version(q, lim, &e, &c) != D_YES)
    return decl_fail(lx, t, c, q,
                     "expected version=\"1.x\" first in the "
                     "XML declaration");
  decl_value(q, e, &t->version, &t->version_len);
  if ((r = decl_encoding(e, lim, &q, &c)) == D_BAD || (r == D_NO && c))
    return decl_fail(lx, t, c, e, "invalid encoding declaration");
  if (r == D_YES) {
    decl_value(e, q, &t->encoding, &t->encoding_len);
    e = q;
  }
  if ((r = decl_standalone(e, lim, &q, &c)) == D_BAD || (r == D_NO && c))
    return decl_fail(lx, t, c, e, "standalone must be \"yes\" or \"no\"");
  if (r == D_YES) {
    t->standalone = q[-2] == 's'; /* ...yes" or ...no" */
    e = q;
  }
  if (decl_close(e, lim, &q, &c) != D_YES)
    return decl_fail(lx, t, c, e, "expected '?>' to end the XML declaration");
  lx->standalone = t->standalone == 1;
  return tok(lx, t, NG__XT_XMLDECL, p, q);
}

/* ---------------------------------------------------------- attributes */

/* Tags with more attributes than this find duplicates through a hash. */
#define NG__XML_LINEAR_ATTRS 8

static uint32_t *ahash(const ng__xml_lexer *lx) {
  return (uint32_t *)(void *)lx->ahash.p;
}

static size_t ahash_cap(const ng__xml_lexer *lx) { return lx->ahcap; }

/* The hash slot of name[0..n): the one holding it, or an empty one. */
static uint32_t *ahash_slot(const ng__xml_lexer *lx, const char *name,
                            size_t n) {
  size_t mask = ahash_cap(lx) - 1;
  size_t i = (size_t)ng__xml_hash(lx->seed, name, n) & mask;
  const ng__xml_tattr *a;
  uint32_t *h = ahash(lx);

  for (; h[i] != 0; i = (i + 1) & mask) {
    a = &attrs(lx)[h[i] - 1];
    if (a->name_len == n && memcmp(a->name, name, n) == 0)
      break;
  }
  return &h[i];
}

/* True when the tag has an attribute name[0..n) already. */
NG_INLINE int attr_seen(const ng__xml_lexer *lx, const char *name, size_t n) {
  const ng__xml_tattr *a = attrs(lx);
  size_t i;

  if (lx->nattrs <= NG__XML_LINEAR_ATTRS) {
    for (i = 0; i < lx->nattrs; i++)
      if (a[i].name_len == n && a[i].name[0] == name[0] &&
          memcmp(a[i].name, name, n) == 0)
        return 1;
    return 0;
  }
  return *ahash_slot(lx, name, n) != 0;
}

/*
 * Indexes attributes [from, nattrs); from 0 (the first time in a tag)
 * starts a table sized for them, and one that would be over half full is
 * rebuilt twice as large. The table in use is sized by this tag alone (a
 * large tag before does not make later ones clear more). NG_OK or
 * NG_ENOMEM.
 */
static int ahash_add(ng__xml_lexer *lx, size_t from) {
  size_t cap = from == 0 ? 0 : lx->ahcap, i;

  if (cap < 2 * lx->nattrs) {
    for (cap = 32; cap < 4 * lx->nattrs; cap *= 2)
      ;
    lx->ahash.len = 0;
    if (ng__xml_buf_grow(&lx->ahash, cap * sizeof(uint32_t)) != NG_OK)
      return NG_ENOMEM;
    lx->ahcap = cap;
    memset(lx->ahash.p, 0, cap * sizeof(uint32_t));
    from = 0;
  }
  for (i = from; i < lx->nattrs; i++)
    *ahash_slot(lx, attrs(lx)[i].name, attrs(lx)[i].name_len) =
        (uint32_t)(i + 1);
  return NG_OK;
}

/* Appends an attribute (its name unseen) to the tag's array. */
NG_INLINE int attr_add(ng__xml_lexer *lx, const ng__xml_tattr *a) {
  size_t n = lx->nattrs;

  if (NG_UNLIKELY(n >= UINT32_MAX - 1))
    return NG_ENOMEM;
  lx->attrs.len = n * sizeof *a;
  if (ng__xml_buf_put(&lx->attrs, a, sizeof *a) != NG_OK)
    return NG_ENOMEM;
  lx->nattrs = n + 1;
  if (NG_UNLIKELY(lx->nattrs > NG__XML_LINEAR_ATTRS))
    return ahash_add(lx, lx->nattrs == NG__XML_LINEAR_ATTRS + 1 ? 0 : n);
  return NG_OK;
}

/* Skips value bytes that need no normalisation: ASCII but the quote,
 * '<', '&' and controls (TAB, LF, CR become spaces). Stops at the first
 * other byte or lim. */
static inline const unsigned char *skip_value(const unsigned char *p,
                                              const unsigned char *lim,
                                              unsigned char quote) {
#ifdef NG__VECTORS
  while (lim - p >= 16) {
    ng__v16 v, m;
    unsigned n;
    memcpy(&v, p, 16);
    m = (ng__v16)((ng__vs16)v < 0x20) | /* from 0x80 too: signed */
        (ng__v16)((v == quote) | (v == '<') | (v == '&'));
    if ((n = ng__v16_first(m)) < 16)
      return p + n;
    p += 16;
  }
#endif
  while (p < lim && *p >= 0x20 && *p < 0x80 && *p != quote && *p != '<' &&
         *p != '&')
    p++;
  return p;
}

const unsigned char *ng__xml_skip_attr(const unsigned char *p,
                                       const unsigned char *lim,
                                       unsigned char quote) {
  return skip_value(p, lim, quote);
}

/* The end of the plain part of a value from v: plain ASCII and valid
 * non-ASCII Chars. */
static const unsigned char *plain_value(const unsigned char *v,
                                        const unsigned char *lim,
                                        unsigned char quote) {
  uint32_t cp;
  int n;

  for (;;) {
    v = skip_value(v, lim, quote);
    if (v == lim || *v < 0x80 || (n = ng__xml_char_slow(v, lim, &cp)) < 0)
      return v;
    v += n;
  }
}

/* True when a tokenized value [v, e) would change when collapsed. */
static int collapses(const unsigned char *v, const unsigned char *e) {
  if (v < e && (*v == ' ' || e[-1] == ' '))
    return 1;
  for (; v + 1 < e; v++)
    if (v[0] == ' ' && v[1] == ' ')
      return 1;
  return 0;
}

/* The value at *qp (its quote) into a: in place when nothing in it needs
 * normalising, else through ng__xml_attval into lx->vals (a->voff). */
static int attr_value(ng__xml_lexer *lx, ng__xml_token *t,
                      const unsigned char **qp, int collapse,
                      ng__xml_tattr *a) {
  const unsigned char *v = *qp + 1, *e;
  unsigned char quote = **qp;
  ng__xml_src src;
  ng__xml_derr err = {NG_OK, 0, NULL};
  size_t from = lx->vals.len;

  e = plain_value(v, lx->lim, quote);
  if (e < lx->lim && *e == quote && !(collapse && collapses(v, e))) {
    a->value = (const char *)v;
    a->value_len = (size_t)(e - v);
    *qp = e + 1;
    return NG_OK;
  }
  src.doc = lx->doc;
  src.doc_len = (size_t)(lx->end - lx->doc);
  src.in_doc = lx->nent == 0;
  src.ref_off = lx->ref_off;
  src.depth = lx->nent;
  src.covered = top_covered(lx);
  budget_mark(lx);
  if (ng__xml_attval(lx->dtd, &src, &v, lx->lim, quote, collapse, &lx->vals,
                     &err) != NG_OK)
    return fail_off(lx, t, err.code, err.off, err.msg);
  a->value = NULL; /* in lx->vals, which may move: fixed up at the end */
  a->voff = from;
  a->value_len = lx->vals.len - from;
  *qp = v;
  return NG_OK;
}

/* True when attribute an[0..n) of element el[0..en) is declared with a
 * type other than CDATA: its value is collapsed. */
static int tokenized(const ng__xml_lexer *lx, const unsigned char *el,
                     size_t en, const unsigned char *an, size_t n) {
  const ng__xml_attdef *d;

  if (lx->dtd == NULL || !ng__xml_dtd_has_attlists(lx->dtd))
    return 0;
  d = ng__xml_dtd_attdef(lx->dtd, (const char *)el, en, (const char *)an, n);
  return d != NULL && d->type != NG__XML_ATT_CDATA;
}

/* [41] Attribute at *qp, of element el[0..en). */
static int lex_attr(ng__xml_lexer *lx, ng__xml_token *t,
                    const unsigned char *el, size_t en,
                    const unsigned char **qp) {
  const unsigned char *q = *qp, *lim = lx->lim, *an = q, *ae;
  ng__xml_tattr a;
  int rc;

  if ((ae = ng__xml_name_end(q, lim)) == q)
    return fail(lx, t,
                *q == '=' || *q == '"' || *q == '\''
                    ? NG_EATTR
                    : ng__xml_name_code(q, lim),
                q, "expected an attribute name");
  if (ae == lim) /* the name may go on: judge it only when complete */
    return cut(lx, t);
  a.name = (const char *)an;
  a.name_len = (size_t)(ae - an);
  a.defaulted = 0;
  a.voff = 0;
  if (attr_seen(lx, a.name, a.name_len))
    return fail(lx, t, NG_EATTR, an,
                "duplicate attribute (WFC: Unique Att Spec)");
  for (q = ae; q < lim && ng__xml_is_space(*q); q++)
    ;
  if (q == lim || *q != '=')
    return fail(lx, t, ng__xml_char_code(q, lim, NG_EATTR), q,
                "expected '=' after an attribute name");
  for (q++; q < lim && ng__xml_is_space(*q); q++)
    ;
  if (q == lim || (*q != '"' && *q != '\''))
    return fail(lx, t, ng__xml_char_code(q, lim, NG_EATTR), q,
                "expected a quoted attribute value");
  if ((rc = attr_value(lx, t, &q, tokenized(lx, el, en, an, a.name_len), &a)) !=
      NG_OK)
    return rc;
  if (a.name_len > lx->max_string || a.value_len > lx->max_string)
    return too_long(lx, t, an);
  if (attr_add(lx, &a) != NG_OK)
    return no_mem(lx, t, an);
  *qp = q;
  return NG_OK;
}

/* Appends the DTD's defaults for attributes the tag did not give; their
 * bytes count against the amplification ratio. */
static int add_defaults(ng__xml_lexer *lx, ng__xml_token *t,
                        const unsigned char *p, const unsigned char *el,
                        size_t en) {
  const ng__xml_attdef *d;
  ng__xml_tattr a;

  if (lx->dtd == NULL || !ng__xml_dtd_has_attlists(lx->dtd))
    return NG_OK;
  for (d = ng__xml_dtd_defaults(lx->dtd, (const char *)el, en); d != NULL;
       d = d->next_default) {
    if (attr_seen(lx, d->name, d->name_len))
      continue;
    budget_mark(lx);
    if (ng__xml_budget_extra(&lx->budget, d->name_len + d->value_len,
                             direct(lx, p)) != NG_OK)
      return fail(lx, t, NG_EENTITYLIMIT, p,
                  "attribute defaults exceed the amplification limit");
    a.name = d->name;
    a.name_len = d->name_len;
    a.value = d->value;
    a.value_len = d->value_len;
    a.defaulted = 1;
    a.voff = 0;
    if (attr_add(lx, &a) != NG_OK)
      return no_mem(lx, t, p);
  }
  return NG_OK;
}

/* --------------------------------------------------------------- tags */

#ifdef NG__VECTORS
/* Whether a '<' stands in the 64 bytes after p (the window has more):
 * where most start tags are followed by the next tag (80 % of nes96.xml's),
 * found without memchr's call at every start tag of a stream. */
static inline int lt_near(const unsigned char *p) {
  ng__v16 a, b, c, d;

  memcpy(&a, p + 1, 16);
  memcpy(&b, p + 17, 16);
  memcpy(&c, p + 33, 16);
  memcpy(&d, p + 49, 16);
  return ng__v16_any((ng__v16)((a == '<') | (b == '<') | (c == '<') |
                               (d == '<')));
}

/* The 64 bytes at v[0..4): bit i set when byte i is c. */
static inline uint64_t bytes_eq(const ng__v16 *v, unsigned char c) {
  return (uint64_t)ng__v16_bits((ng__v16)(v[0] == c)) |
         (uint64_t)ng__v16_bits((ng__v16)(v[1] == c)) << 16 |
         (uint64_t)ng__v16_bits((ng__v16)(v[2] == c)) << 32 |
         (uint64_t)ng__v16_bits((ng__v16)(v[3] == c)) << 48;
}

/*
 * One block's '>' and quotes (bit masks, what was seen shifted out), quote
 * the quote open where it starts (0: none): 1 when a '>' stands outside
 * quotes; else 0, with *quote the quote open after it. The quotes are
 * followed a pair at a time.
 */
NG_INLINE int gt_in_block(uint64_t gt, uint64_t dq, uint64_t sq,
                          unsigned char *quote) {
  uint64_t ev = dq | sq | gt, bit, close = 0;

  if (*quote != 0) { /* closed in this block, or open after it */
    if ((close = *quote == '"' ? dq : sq) == 0)
      return 0;
    close &= 0 - close;
    ev &= ~(close | (close - 1));
    *quote = 0;
  }
  for (; ev != 0; ev &= ~(close | (close - 1))) {
    bit = ev & (0 - ev);
    if (gt & bit)
      return 1;
    close = (dq & bit ? dq : sq) & ~(bit | (bit - 1));
    if (close == 0) { /* open after this block */
      *quote = dq & bit ? '"' : '\'';
      return 0;
    }
    close &= 0 - close;
  }
  return 0;
}

/*
 * Whether a '>' stands after p, before lim, outside quotes: the window's
 * bytes 64 at a time (its last 64, those already seen shifted out, where
 * fewer remain). lim - p >= 2; the window holds 64 bytes.
 */
static int gt_unquoted(const unsigned char *p, const unsigned char *lim) {
  const unsigned char *b;
  unsigned char quote = 0;
  uint64_t gt;
  unsigned sh;
  ng__v16 v[4];

  for (p++; p < lim; p = b + 64) {
    b = lim - p >= 64 ? p : lim - 64;
    sh = (unsigned)(p - b);
    memcpy(v, b, 64);
    gt = bytes_eq(v, '>') >> sh;
    if (gt == 0 && b + 64 == lim) /* none before lim */
      return 0;
    if (gt_in_block(gt, bytes_eq(v, '"') >> sh, bytes_eq(v, '\'') >> sh,
                    &quote))
      return 1;
  }
  return 0;
}

/*
 * tag_in_window where the window ends within 64 bytes of p and holds the
 * 64 bytes before its end: the same answer from bit masks of those bytes,
 * the ones up to p shifted out. Out of line: inlined, it made lex_start's
 * own path longer (nes96.xml in 64-byte chunks, 10 instructions a feed
 * more).
 */
static NG_NOINLINE int tag_in_last64(const unsigned char *p,
                                     const unsigned char *lim) {
  unsigned sh = (unsigned)(p + 1 - (lim - 64)); /* 1..63: lim - p >= 2 */
  unsigned char quote = 0;
  uint64_t gt;
  ng__v16 v[4];

  memcpy(v, lim - 64, 64);
  if (bytes_eq(v, '<') >> sh != 0)
    return 1;
  if ((gt = bytes_eq(v, '>') >> sh) == 0)
    return 0;
  return gt_in_block(gt, bytes_eq(v, '"') >> sh, bytes_eq(v, '\'') >> sh,
                     &quote);
}
#endif

/* True when the start tag at p may end before lim: a '<' after it (where
 * lexing stops, with an error if not after the tag's end), or a '>'
 * outside quotes. lx reads its document frame, from lx->doc. */
static int tag_in_window(const ng__xml_lexer *lx, const unsigned char *p,
                         const unsigned char *lim) {
  const unsigned char *gt;
  unsigned char quote = 0;
  size_t n;

#ifdef NG__VECTORS
  if (lim - p > 64 && lt_near(p))
    return 1;
  if (lim - p <= 64 && lim - lx->doc >= 64)
    return tag_in_last64(p, lim);
#else
  (void)lx;
#endif
  n = (size_t)(lim - ++p);
  if (memchr(p, '<', n) != NULL)
    return 1;
  if ((gt = memchr(p, '>', n)) == NULL)
    return 0;
  if (memchr(p, '"', (size_t)(gt - p)) == NULL &&
      memchr(p, '\'', (size_t)(gt - p)) == NULL)
    return 1;
#ifdef NG__VECTORS
  if (lim - lx->doc >= 64)
    return gt_unquoted(p - 1, lim);
#endif
  for (; p < lim; p++) {
    if (quote != 0)
      quote = *p == quote ? 0 : quote;
    else if (*p == '"' || *p == '\'')
      quote = *p;
    else if (*p == '>')
      return 1;
  }
  return 0;
}

/*
 * Whether a stream's start tag at p waits for more input. One that does
 * not begin the window is lexed at once where more than 64 bytes follow
 * it, as most tags end there: one that does not is lexed in vain this
 * once, since it then begins the next window, where it waits while
 * tag_in_window says no (and it has not waited long: waited).
 */
static inline int tag_waits(const ng__xml_lexer *lx, const unsigned char *p,
                            const unsigned char *lim) {
  if (p != lx->doc && lim - p > 64)
    return 0;
  return !waited(lx, p) && !tag_in_window(lx, p, lim);
}

/* [40] STag / [44] EmptyElemTag at p ('<' and a NameStartChar). */
static int lex_start(ng__xml_lexer *lx, ng__xml_token *t,
                     const unsigned char *p) {
  const unsigned char *lim = lx->lim, *el = p + 1, *q, *s;
  ng__xml_tattr *a;
  size_t en, i;
  int empty, rc;

  if (NG_UNLIKELY(lx->partial) && lx->nent == 0 && tag_waits(lx, p, lim))
    return cut(lx, t);
  q = ng__xml_name_end(el, lim);
  en = (size_t)(q - el);
  lx->nattrs = 0;
  lx->vals.len = 0;
  for (;;) {
    for (s = q; q < lim && ng__xml_is_space(*q); q++)
      ;
    if (q == lim || (*q == '/' && q + 1 == lim))
      return cut(lx, t);
    if ((empty = *q == '/') || *q == '>')
      break;
    if (q == s)
      return fail(lx, t,
                  ng__xml_name_end(q, lim) > q
                      ? NG_EATTR
                      : ng__xml_char_code(q, lim, NG_ESYNTAX),
                  q, "expected white space, '/>' or '>' in a start tag");
    if ((rc = lex_attr(lx, t, el, en, &q)) != NG_OK)
      return rc;
  }
  if (empty && q[1] != '>')
    return fail(lx, t, NG_ESYNTAX, q + 1, "expected '>' after '/'");
  if (en > lx->max_string)
    return too_long(lx, t, p);
  if ((rc = add_defaults(lx, t, p, el, en)) != NG_OK)
    return rc;
  /* Values that all normalised to nothing leave vals.p NULL: "". */
  for (i = 0, a = attrs(lx); i < lx->nattrs; i++)
    if (a[i].value == NULL)
      a[i].value =
          lx->vals.p != NULL ? (const char *)lx->vals.p + a[i].voff : "";
  t->name = (const char *)el;
  t->name_len = en;
  t->attrs = a;
  t->nattrs = lx->nattrs;
  if (!empty)
    lx->open++;
  if (lx->mode == NG__XM_PROLOG)
    lx->mode = empty ? NG__XM_EPILOG : NG__XM_CONTENT;
  tok(lx, t, NG__XT_START, p, q + 1 + empty);
  t->flags |= empty ? NG__XTF_EMPTY : 0;
  return NG__XT_START;
}

/* [42] ETag at p ("</"). */
static int lex_end(ng__xml_lexer *lx, ng__xml_token *t,
                   const unsigned char *p) {
  const unsigned char *lim = lx->lim, *el = p + 2, *e, *q;

  if ((e = ng__xml_name_end(el, lim)) == el)
    return fail(lx, t, ng__xml_name_code(el, lim), el,
                "expected a name after '</'");
  for (q = e; q < lim && ng__xml_is_space(*q); q++)
    ;
  if (q == lim || *q != '>')
    return fail(lx, t, ng__xml_char_code(q, lim, NG_ESYNTAX), q,
                "expected '>' at the end of an end tag");
  if (lx->nent != 0 && lx->open == frames(lx)[lx->nent - 1].open)
    return fail(lx, t, NG_EENTITY, p,
                "end tag in an entity's replacement text for an element "
                "started outside it");
  if ((size_t)(e - el) > lx->max_string)
    return too_long(lx, t, p);
  if (--lx->open == 0)
    lx->mode = NG__XM_EPILOG;
  t->name = (const char *)el;
  t->name_len = (size_t)(e - el);
  return tok(lx, t, NG__XT_END, p, q + 1);
}

/* ------------------------------------------------------ character data */

/* A reference in content to a general entity (not predefined) at p. */
static int lex_ref(ng__xml_lexer *lx, ng__xml_token *t, const unsigned char *p,
                   const ng__xml_ref *r) {
  ng__xml_entity *x =
      ng__xml_dtd_find(lx->dtd, (const char *)r->name, r->name_len, 0);

  if (x == NULL && !ng__xml_dtd_lenient(lx->dtd))
    return fail(lx, t, NG_EENTITY, p,
                "undeclared entity (WFC: Entity Declared)");
  if (x != NULL && x->kind == NG__XML_ENT_UNPARSED)
    return fail(lx, t, NG_EENTITY, p,
                "reference to an unparsed entity (WFC: Parsed Entity)");
  if (x == NULL || x->kind == NG__XML_ENT_EXTERNAL) {
    t->name = (const char *)r->name;
    t->name_len = r->name_len;
    return tok(lx, t, NG__XT_SKIPPED, p, r->end);
  }
  return push(lx, t, x, p, r->end);
}

/* Appends [s, e) to the scratch (the text became a copy). */
static int keep(ng__xml_lexer *lx, const unsigned char *s,
                const unsigned char *e) {
  return ng__xml_buf_put(&lx->text, s, (size_t)(e - s));
}

/* The TEXT token [start, p), copied into lx->text when `copy`. */
NG_INLINE int text_tok(ng__xml_lexer *lx, ng__xml_token *t,
                     const unsigned char *start, const unsigned char *seg,
                     const unsigned char *p, int copy) {
  if (copy && keep(lx, seg, p) != NG_OK)
    return no_mem(lx, t, start);
  t->data = copy ? (const char *)lx->text.p : (const char *)start;
  t->data_len = copy ? lx->text.len : (size_t)(p - start);
  if (t->data_len > lx->max_string)
    return too_long(lx, t, start);
  tok(lx, t, NG__XT_TEXT, start, p);
  t->flags |= copy ? NG__XTF_SCRATCH : 0;
  return NG__XT_TEXT;
}

/*
 * Character data from start, cut by the window's end at p (push parsing):
 * when nothing in it was copied (no reference, no CR), every byte but the
 * last two was judged on bytes within the window (a ']' looks two ahead,
 * a character is whole: the stream trims a cut one), as it will be with
 * more input after them; the next window's scan of this token starts at
 * the first character among the last two bytes (lx->resume).
 */
static int text_cut(ng__xml_lexer *lx, ng__xml_token *t,
                    const unsigned char *start, const unsigned char *p,
                    int copy) {
  size_t n = (size_t)(p - start);

  if (!copy && n > 2) {
    for (n -= 2; n > 0 && (start[n] & 0xC0) == 0x80; n--)
      ;
    lx->resume = n;
  }
  return cut(lx, t);
}

/*
 * Character data from start ([14] CharData with [67] References): up to
 * '<', the end of the frame, or an entity reference that is not a
 * predefined one (a reference first: that reference). The plain runs are
 * skipped 16 bytes at a time; a character or predefined reference, or a
 * CR of the document, turns the token into a copy in lx->text. One loop
 * for the hot path, hence its length.
 */
NG_INLINE int lex_text(ng__xml_lexer *lx, ng__xml_token *t,
                     const unsigned char *start, const unsigned char *p) {
  const unsigned char *lim = lx->lim, *seg = start;
  int copy = 0, n;
  ng__xml_ref r;
  uint32_t cp;

  lx->text.len = 0;
  for (;;) {
    p = skip_plain(lx, start, p, lim, '<', '&', ']');
    if (NG_UNLIKELY(p == lim) && lx->partial && lx->nent == 0)
      return text_cut(lx, t, start, p, copy); /* it may go on */
    if (p == lim || *p == '<')
      break;
    if (*p == ']') {
      if (lim - p >= 3 && p[1] == ']' && p[2] == '>')
        return fail(lx, t, NG_ESYNTAX, p, "']]>' in character data");
      p++;
    } else if (*p == '&') {
      if (!ng__xml_scan_ref(p, lim, &r))
        return fail(lx, t, r.code, r.at, r.msg);
      cp = r.kind == NG__XML_REF_CHAR
               ? r.cp
               : (uint32_t)ng__xml_predefined((const char *)r.name, r.name_len);
      if (cp == 0) {
        if (p > start)
          break; /* the text ends before the reference */
        return lex_ref(lx, t, p, &r);
      }
      if (keep(lx, seg, p) != NG_OK || ng__xml_buf_grow(&lx->text, 4) != NG_OK)
        return no_mem(lx, t, p);
      lx->text.len = (size_t)(ng__xml_put_utf8(lx->text.p + lx->text.len, cp) -
                              lx->text.p);
      p = seg = r.end;
      copy = 1;
    } else if (*p == '\r' && lx->nent == 0) { /* 2.11, the document's */
      if (keep(lx, seg, p) != NG_OK || keep(lx, (const unsigned char *)"\n",
                                            (const unsigned char *)"\n" + 1))
        return no_mem(lx, t, p);
      p += p + 1 < lim && p[1] == '\n' ? 2 : 1;
      seg = p;
      copy = 1;
    } else if ((n = ng__xml_char(p, lim, &cp)) > 0) {
      p += n;
    } else {
      return fail(lx, t, -n, p, "character not allowed in content");
    }
  }
  return text_tok(lx, t, start, seg, p, copy);
}

/* ------------------------------------------------------------ content */

static int content_markup(ng__xml_lexer *lx, ng__xml_token *t,
                          const unsigned char *p) {
  switch (markup_kind(p, lx->lim)) {
  case MK_START:
    return lex_start(lx, t, p);
  case MK_END:
    return lex_end(lx, t, p);
  case MK_COMMENT:
    return lex_comment(lx, t, p);
  case MK_PI:
  case MK_XMLDECL: /* only at offset 0: a PI, whose target is reserved */
    return lex_pi(lx, t, p);
  case MK_CDATA:
    return lex_cdata(lx, t, p);
  case MK_DOCTYPE:
    return misplaced(lx, t, p);
  case MK_BANG:
    return fail(lx, t, NG_ESYNTAX, p,
                "expected '<!--' or '<![CDATA[' after '<!'");
  case MK_CUT:
    return cut(lx, t);
  default:
    return fail(lx, t, ng__xml_name_code(p + 1, lx->lim), p + 1,
                "expected a name after '<'");
  }
}

/* [43] content: the next token inside the root element. */
static int lex_content(ng__xml_lexer *lx, ng__xml_token *t) {
  const unsigned char *p = lx->cur;

  if (NG_UNLIKELY(p == lx->lim))
    return lx->nent != 0 ? pop(lx, t) : eof(lx, t);
  if (*p == '<')
    return content_markup(lx, t, p);
  return lex_text(lx, t, p, p);
}

/* Mode TEXT: the character data at the window's start, cut by the last
 * one's end, from what that one scanned on (text_cut). */
static NG_NOINLINE int lex_text_again(ng__xml_lexer *lx, ng__xml_token *t) {
  size_t n = lx->resume;

  lx->mode = NG__XM_CONTENT;
  lx->resume = 0;
  return lex_text(lx, t, lx->cur, lx->cur + n);
}

/* ------------------------------------------------------ prolog, epilog */

/* Character data or a reference before or after the root element. */
static int misc_stray(ng__xml_lexer *lx, ng__xml_token *t,
                      const unsigned char *p) {
  uint32_t cp;
  int n = ng__xml_char(p, lx->lim, &cp);

  if (n < 0)
    return fail(lx, t, -n, p, "character not allowed");
  if (lx->mode == NG__XM_EPILOG)
    return fail(lx, t, NG_ETRAILING, p,
                "only comments, PIs and white space may follow the root "
                "element");
  return fail(lx, t, NG_ESYNTAX, p, "character data before the root element");
}

/* Markup in the prolog that may only appear in content. */
static int misc_prolog(ng__xml_lexer *lx, ng__xml_token *t,
                       const unsigned char *p, int kind) {
  switch (kind) {
  case MK_START:
    return lex_start(lx, t, p);
  case MK_DOCTYPE:
    return lx->seen_doctype ? misplaced(lx, t, p) : lex_doctype(lx, t, p);
  case MK_END:
    return fail(lx, t, NG_ESYNTAX, p, "end tag before the root element");
  case MK_CDATA:
    return fail(lx, t, NG_ESYNTAX, p, "CDATA section before the root element");
  case MK_BANG:
    return fail(lx, t, NG_ESYNTAX, p,
                "expected '<!--' or '<!DOCTYPE' after '<!'");
  default:
    return fail(lx, t, ng__xml_name_code(p + 1, lx->lim), p + 1,
                "expected a name after '<'");
  }
}

/* [27] Misc, the XML declaration, the DOCTYPE and the root's start tag
 * before the root; Misc after it. Always in the document frame. */
static int lex_misc(ng__xml_lexer *lx, ng__xml_token *t) {
  const unsigned char *p = lx->cur, *lim = lx->lim;
  int kind;

  while (p < lim && ng__xml_is_space(*p))
    p++;
  lx->cur = p;
  if (p == lim)
    return eof(lx, t);
  if (*p != '<')
    return misc_stray(lx, t, p);
  kind = markup_kind(p, lim);
  if (kind == MK_COMMENT)
    return lex_comment(lx, t, p);
  if (kind == MK_XMLDECL && p == lx->doc && lx->base == 0)
    return lex_xmldecl(lx, t, p);
  if (kind == MK_PI || kind == MK_XMLDECL)
    return lex_pi(lx, t, p);
  if (kind == MK_CUT)
    return cut(lx, t);
  if (lx->mode == NG__XM_EPILOG)
    return fail(lx, t, NG_ETRAILING, p,
                "only comments, PIs and white space may follow the root "
                "element");
  return misc_prolog(lx, t, p, kind);
}

int ng__xml_next(ng__xml_lexer *lx, ng__xml_token *t) {
  int k;

  do {
    if (NG_LIKELY(lx->mode == NG__XM_CONTENT))
      k = lex_content(lx, t);
    else if (lx->mode == NG__XM_DONE)
      return *t = lx->last, t->kind;
    else if (lx->mode == NG__XM_TEXT)
      k = lex_text_again(lx, t);
    else
      k = lex_misc(lx, t);
  } while (k < 0);
  return k;
}

const char *ng__xml_token_name(int kind) {
  static const char *const names[NG__XT_COUNT] = {
      "end of input",
      "the XML declaration",
      "a DOCTYPE",
      "a start tag",
      "an end tag",
      "character data",
      "a CDATA section",
      "a comment",
      "a processing instruction",
      "an unexpanded entity reference",
      "invalid token"};
  return kind >= 0 && kind < NG__XT_COUNT ? names[kind] : "token";
}
