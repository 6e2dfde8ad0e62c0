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

const unsigned char *ng__xml_name_end(const unsigned char *p,
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

int ng__xml_scan_ref(const unsigned char *p, const unsigned char *lim,
                     ng__xml_ref *r) {
  const unsigned char *cur = p, *mar;
  int cut = 0;

  /*!re2c
    "&#" dec+ ";"       { return ref_char(r, p, p + 2, cur, 10); }
    "&#x" hex+ ";"      { return ref_char(r, p, p + 3, cur, 16); }
    "&" name ";"        { return ref_name(r, p, cur); }
    "&#" dec+ | "&#x" hex+ {
      return ref_fail(r, cut ? NG_EEOF : NG_ESYNTAX, cut ? lim : cur,
                      "expected ';' after a character reference");
    }
    "&#" | "&#x" {
      return ref_fail(r, cut ? NG_EEOF : NG_ESYNTAX, cut ? lim : cur,
                      "expected a digit in a character reference");
    }
    "&" name {
      return ref_fail(r, cut ? NG_EEOF : ng__xml_char_code(cur, lim, NG_ESYNTAX),
                      cut ? lim : cur, "expected ';' after an entity name");
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

/* Little-endian GNU C: 16 bytes at a time with the compiler's generic
 * vectors (SSE2, NEON...; no platform code here). */
#if (defined(__GNUC__) || defined(__clang__)) &&                               \
    defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NG__XVEC 1
typedef unsigned char ng__xv16 __attribute__((vector_size(16)));
typedef uint64_t ng__xv2x64 __attribute__((vector_size(16)));
#endif

/*
 * Skips bytes that need no attention: ASCII other than c1, c2, c3, CR and
 * the C0 controls (TAB and LF are skipped). Stops at the first byte that
 * needs a look (or lim).
 */
static inline const unsigned char *skip_plain(const unsigned char *p,
                                              const unsigned char *lim,
                                              unsigned char c1,
                                              unsigned char c2,
                                              unsigned char c3) {
#ifdef NG__XVEC
  while (lim - p >= 16) {
    ng__xv16 v, m;
    ng__xv2x64 w;
    memcpy(&v, p, 16);
    m = (ng__xv16)((v == c1) | (v == c2) | (v == c3) | (v == '\r') |
                   (v >= 0x80) | ((v < 0x20) & (v != '\t') & (v != '\n')));
    memcpy(&w, &m, 16);
    if (w[0] != 0)
      return p + (__builtin_ctzll(w[0]) >> 3);
    if (w[1] != 0)
      return p + 8 + (__builtin_ctzll(w[1]) >> 3);
    p += 16;
  }
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
    return span_fail(s, -n, p, n == -NG_EUTF8 ? "invalid UTF-8"
                                              : "character not allowed");
  *cr |= *p == '\r';
  *pp = p + n;
  return NG_OK;
}

/* Scans from p to the first occurrence of close[0..n) (n is 2 or 3),
 * checking every character; the body [s->a, s->b) ends there, s->end
 * after the close. */
static int scan_to(ng__xml_span *s, const unsigned char *p,
                   const unsigned char *lim, const char *close, size_t n) {
  unsigned char c0 = (unsigned char)close[0];
  int cr = 0, rc;

  for (;;) {
    p = skip_plain(p, lim, c0, c0, c0);
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
  if (is_xml_name(q, e))
    return span_fail(s, NG_ESYNTAX, q, "the PI target 'xml' is reserved");
  if (e < lim && *e == '?' && e + 1 < lim && e[1] == '>') {
    s->c = s->d = e;
    s->end = e + 2;
    s->code = NG_OK;
    return NG_OK;
  }
  if (e == lim || (*e == '?' && e + 1 == lim))
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
