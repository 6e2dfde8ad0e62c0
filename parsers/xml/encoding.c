/*
 * parsers/xml/encoding.c - which encoding an XML document is in, and its
 * text as UTF-8 (see encoding.h).
 *
 * Sections: names; Appendix F detection; the declaration scanner; the
 * decision; the transcoder (UTF-16, 8-bit, iconv); the one-shot input.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../common/lines.h"
#include "../common/stream.h"
#include "encoding.h"

/* ------------------------------------------------------------- names */

/* Canonical names, indexed by NG__XML_ENC_* ("" for NONE and ICONV). */
static const char *const enc_canonical[] = {
    "",         "UTF-8",      "UTF-16",   "UTF-16LE",
    "UTF-16BE", "ISO-8859-1", "US-ASCII", ""};

/*
 * Names read natively, matched case-insensitively. Every other EncName goes
 * to iconv, which knows many more aliases of the same encodings but would
 * decode them through a slower path.
 */
static const struct {
  const char *name;
  int kind;
} enc_alias[] = {
    {"UTF-8", NG__XML_ENC_UTF8},
    {"UTF8", NG__XML_ENC_UTF8},
    {"UTF-16", NG__XML_ENC_UTF16},
    {"UTF16", NG__XML_ENC_UTF16},
    {"UCS-2", NG__XML_ENC_UTF16},
    {"ISO-10646-UCS-2", NG__XML_ENC_UTF16},
    {"UTF-16LE", NG__XML_ENC_UTF16LE},
    {"UTF16LE", NG__XML_ENC_UTF16LE},
    {"UCS-2LE", NG__XML_ENC_UTF16LE},
    {"UTF-16BE", NG__XML_ENC_UTF16BE},
    {"UTF16BE", NG__XML_ENC_UTF16BE},
    {"UCS-2BE", NG__XML_ENC_UTF16BE},
    {"ISO-8859-1", NG__XML_ENC_LATIN1},
    {"ISO_8859-1", NG__XML_ENC_LATIN1},
    {"ISO8859-1", NG__XML_ENC_LATIN1},
    {"LATIN1", NG__XML_ENC_LATIN1},
    {"L1", NG__XML_ENC_LATIN1},
    {"ISO-IR-100", NG__XML_ENC_LATIN1},
    {"CP819", NG__XML_ENC_LATIN1},
    {"IBM819", NG__XML_ENC_LATIN1},
    {"CSISOLATIN1", NG__XML_ENC_LATIN1},
    {"US-ASCII", NG__XML_ENC_ASCII},
    {"ASCII", NG__XML_ENC_ASCII},
    {"ANSI_X3.4-1968", NG__XML_ENC_ASCII},
    {"ANSI_X3.4-1986", NG__XML_ENC_ASCII},
    {"ISO646-US", NG__XML_ENC_ASCII},
    {"ISO-IR-6", NG__XML_ENC_ASCII},
    {"US", NG__XML_ENC_ASCII},
    {"IBM367", NG__XML_ENC_ASCII},
    {"CP367", NG__XML_ENC_ASCII},
    {"CSASCII", NG__XML_ENC_ASCII},
};

/* ASCII-only case folding: names must not depend on the C locale. */
static int ascii_upper(int c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }

static int ascii_alpha(int c) {
  return ascii_upper(c) >= 'A' && ascii_upper(c) <= 'Z';
}

/* True when s[0..n) is alias (upper case) but for case. */
static int name_eq(const char *alias, const char *s, size_t n) {
  size_t i;

  for (i = 0; i < n; i++)
    if (alias[i] == '\0' || alias[i] != ascii_upper((unsigned char)s[i]))
      return 0;
  return alias[n] == '\0';
}

/* EncName ::= [A-Za-z] ([A-Za-z0-9._] | '-')*  (XML 1.0 production 81) */
static int is_encname(const char *s, size_t n) {
  size_t i;
  int c;

  if (n == 0 || !ascii_alpha((unsigned char)s[0]))
    return 0;
  for (i = 1; i < n; i++) {
    c = (unsigned char)s[i];
    if (!ascii_alpha(c) && !(c >= '0' && c <= '9') && c != '.' && c != '_' &&
        c != '-')
      return 0;
  }
  return 1;
}

/* Sets *enc to a native kind with its canonical name. */
static void enc_set(ng__xml_enc *enc, int kind) {
  enc->kind = kind;
  strcpy(enc->name, enc_canonical[kind]);
}

int ng__xml_enc_name(ng__xml_enc *enc, const char *s, size_t n) {
  size_t i;

  enc_set(enc, NG__XML_ENC_NONE);
  if (n >= sizeof enc->name || !is_encname(s, n))
    return NG_EENCODING;
  for (i = 0; i < sizeof enc_alias / sizeof enc_alias[0]; i++) {
    if (name_eq(enc_alias[i].name, s, n)) {
      enc_set(enc, enc_alias[i].kind);
      return NG_OK;
    }
  }
  enc->kind = NG__XML_ENC_ICONV;
  memcpy(enc->name, s, n);
  enc->name[n] = '\0';
  return NG_OK;
}

const char *ng__xml_enc_bad_char(const ng__xml_enc *enc) {
  switch (enc->kind) {
  case NG__XML_ENC_UTF16LE:
  case NG__XML_ENC_UTF16BE:
    return "invalid UTF-16 (an unpaired surrogate or a cut last unit)";
  case NG__XML_ENC_ASCII:
    return "a byte above 0x7F in US-ASCII";
  case NG__XML_ENC_ICONV:
    return "a byte sequence invalid in the declared encoding";
  default:
    return "invalid UTF-8";
  }
}

/* ------------------------------------------------- Appendix F detection */

/*
 * XML 1.0 Appendix F, F.1: the byte order marks, then the ways "<?xm"
 * looks in each family without one. First match wins, so the UCS-4 marks
 * come before the UTF-16 marks they begin with ("FE FF ## ##" in the
 * appendix means anything but 00 00).
 */
static const struct {
  unsigned char b[4]; /* the bytes */
  unsigned char n;    /* how many of them to compare */
  unsigned char bom;  /* bytes of byte order mark among them */
  unsigned char fam;  /* NG__XML_FAM_* */
} enc_sig[] = {
    {{0x00, 0x00, 0xFE, 0xFF}, 4, 4, NG__XML_FAM_UCS4_1234},
    {{0xFF, 0xFE, 0x00, 0x00}, 4, 4, NG__XML_FAM_UCS4_4321},
    {{0x00, 0x00, 0xFF, 0xFE}, 4, 4, NG__XML_FAM_UCS4_2143},
    {{0xFE, 0xFF, 0x00, 0x00}, 4, 4, NG__XML_FAM_UCS4_3412},
    {{0xFE, 0xFF, 0, 0}, 2, 2, NG__XML_FAM_UTF16BE},
    {{0xFF, 0xFE, 0, 0}, 2, 2, NG__XML_FAM_UTF16LE},
    {{0xEF, 0xBB, 0xBF, 0}, 3, 3, NG__XML_FAM_UTF8},
    {{0x00, 0x00, 0x00, 0x3C}, 4, 0, NG__XML_FAM_UCS4_1234},
    {{0x3C, 0x00, 0x00, 0x00}, 4, 0, NG__XML_FAM_UCS4_4321},
    {{0x00, 0x00, 0x3C, 0x00}, 4, 0, NG__XML_FAM_UCS4_2143},
    {{0x00, 0x3C, 0x00, 0x00}, 4, 0, NG__XML_FAM_UCS4_3412},
    {{0x00, 0x3C, 0x00, 0x3F}, 4, 0, NG__XML_FAM_UTF16BE},
    {{0x3C, 0x00, 0x3F, 0x00}, 4, 0, NG__XML_FAM_UTF16LE},
    {{0x3C, 0x3F, 0x78, 0x6D}, 4, 0, NG__XML_FAM_ASCII},
    {{0x4C, 0x6F, 0xA7, 0x94}, 4, 0, NG__XML_FAM_EBCDIC},
};

int ng__xml_detect(const unsigned char *data, size_t len, size_t *bom) {
  size_t i;

  for (i = 0; i < sizeof enc_sig / sizeof enc_sig[0]; i++) {
    if (len >= enc_sig[i].n && memcmp(data, enc_sig[i].b, enc_sig[i].n) == 0) {
      *bom = enc_sig[i].bom;
      return enc_sig[i].fam;
    }
  }
  *bom = 0; /* "Other": UTF-8 without an encoding declaration */
  return NG__XML_FAM_UTF8;
}

/* ------------------------------------------------ declaration scanner */

/*
 * Reads code units of the detected family (1 or 2 bytes) and keeps the XML
 * line and line start of the next one (CR, LF and CR LF end a line). Every
 * scan stops at the first unit it cannot read, so `cut` (a unit was looked
 * for past the end) means that what the scan concluded rests on where the
 * input ends: more bytes may change it.
 */
typedef struct decl_scan {
  const unsigned char *p; /* the input */
  size_t len;             /* its bytes */
  size_t w;               /* bytes per code unit */
  int be;                 /* 2-byte units are big-endian */
  size_t i;               /* offset of the next unit */
  size_t line;            /* XML line of offset i */
  size_t ls;              /* offset where that line starts */
  int cr;                 /* the last unit was CR */
  int cut;                /* a unit past the end was looked for */
} decl_scan;

/* Starts a scan of p[0..len) at offset bom, on line 1, in the units of
 * family fam: 2-byte units for UTF-16, bytes for every other family. */
static void scan_init(decl_scan *sc, const unsigned char *p, size_t len,
                      int fam, size_t bom) {
  memset(sc, 0, sizeof *sc);
  sc->p = p;
  sc->len = len;
  sc->w = fam == NG__XML_FAM_UTF16LE || fam == NG__XML_FAM_UTF16BE ? 2 : 1;
  sc->be = fam == NG__XML_FAM_UTF16BE;
  sc->i = bom;
  sc->line = 1;
  sc->ls = bom;
}

/* The unit at offset i, or -1 if the input ends before it does. */
static long scan_unit(const decl_scan *sc, size_t i) {
  const unsigned char *u;

  if (i > sc->len || sc->len - i < sc->w)
    return -1;
  u = sc->p + i;
  if (sc->w == 1)
    return u[0];
  return sc->be ? (long)u[0] << 8 | u[1] : (long)u[1] << 8 | u[0];
}

static long scan_peek(decl_scan *sc) {
  long c = scan_unit(sc, sc->i);

  sc->cut |= c < 0;
  return c;
}

/* Counts unit c, which ends at original offset `end`, into *line, the
 * line's start *ls and *cr (c is CR): CR, LF and CR LF end a line. */
static void line_step(size_t *line, size_t *ls, int *cr, long c, size_t end) {
  if (c == '\r' || (c == '\n' && !*cr))
    ++*line;
  if (c == '\r' || c == '\n')
    *ls = end;
  *cr = c == '\r';
}

/* Steps over unit c (the one at sc->i), counting line ends. */
static void scan_next(decl_scan *sc, long c) {
  sc->i += sc->w;
  line_step(&sc->line, &sc->ls, &sc->cr, c, sc->i);
}

/* Steps over the ASCII string lit if the input has it here. */
static int scan_lit(decl_scan *sc, const char *lit) {
  for (; *lit != '\0'; lit++) {
    if (scan_peek(sc) != (unsigned char)*lit)
      return 0;
    scan_next(sc, (unsigned char)*lit);
  }
  return 1;
}

/* Skips S (production 3); returns the units skipped. */
static size_t scan_space(decl_scan *sc) {
  size_t n = 0;
  long c;

  while ((c = scan_peek(sc)) == ' ' || c == '\t' || c == '\r' || c == '\n') {
    scan_next(sc, c);
    n++;
  }
  return n;
}

/* A pseudo-attribute name: true if it is "encoding"; *n gets its units. */
static int scan_word(decl_scan *sc, size_t *n) {
  static const char want[] = "encoding";
  int same = 1;
  long c;

  for (*n = 0; (c = scan_peek(sc)) >= 0 && c < 0x80 && ascii_alpha((int)c);
       ++*n) {
    if (*n >= sizeof want - 1 || want[*n] != c)
      same = 0;
    scan_next(sc, c);
  }
  return same && *n == sizeof want - 1;
}

/* A quoted value: [*start, *end) inside the quotes; 0 if unterminated. */
static int scan_value(decl_scan *sc, size_t *start, size_t *end) {
  long q = scan_peek(sc), c;

  if (q != '"' && q != '\'')
    return 0;
  scan_next(sc, q);
  *start = sc->i;
  while ((c = scan_peek(sc)) != q) {
    if (c < 0)
      return 0;
    scan_next(sc, c);
  }
  *end = sc->i;
  scan_next(sc, q);
  return 1;
}

/* Canonicalises the name in units [start, end). */
static int scan_name(const decl_scan *sc, size_t start, size_t end,
                     ng__xml_enc *enc) {
  char buf[NG__XML_ENC_NAME_MAX];
  size_t n = 0, i;
  long c;

  for (i = start; i < end; i += sc->w) {
    if (n == sizeof buf)
      return ng__xml_enc_name(enc, buf, n); /* too long: NG_EENCODING */
    c = scan_unit(sc, i);
    buf[n++] = c >= 0 && c < 0x80 ? (char)c : ' '; /* ' ': not an EncName */
  }
  return ng__xml_enc_name(enc, buf, n);
}

void ng__xml_rawpos_init(ng__xml_rawpos *r, int family, size_t bom) {
  memset(r, 0, sizeof *r);
  r->line = 1;
  r->ls = bom;
  r->w = family == NG__XML_FAM_UTF16LE || family == NG__XML_FAM_UTF16BE;
  r->be = family == NG__XML_FAM_UTF16BE;
}

/* 2-byte units: a unit cut by a chunk's end waits for its second byte. */
static void rawpos_units(ng__xml_rawpos *r, const unsigned char *p, size_t n) {
  size_t i = 0;
  long c;

  for (; i < n; i++) {
    if (!r->half) {
      r->odd = p[i];
      r->half = 1;
      continue;
    }
    c = r->be ? (long)r->odd << 8 | p[i] : (long)p[i] << 8 | r->odd;
    r->half = 0;
    line_step(&r->line, &r->ls, &r->cr, c, r->off + i + 1);
  }
}

void ng__xml_rawpos_feed(ng__xml_rawpos *r, const unsigned char *p, size_t n) {
  size_t after, lines;

  if (n == 0)
    return;
  if (r->w) {
    rawpos_units(r, p, n);
  } else {
    lines = ng__lines_count((const char *)p, n, 1, r->cr, &after);
    r->line += lines;
    if (after != 0)
      r->ls = r->off + after;
    r->cr = p[n - 1] == '\r';
  }
  r->off += n;
}

void ng__xml_rawpos_at(const ng__xml_rawpos *r, const unsigned char *p,
                       size_t n, size_t k, size_t *line, size_t *col) {
  ng__xml_rawpos at = *r;
  size_t off = r->off + k;

  ng__xml_rawpos_feed(&at, p, k);
  if (at.half && k < n) /* the unit cut at off counts, as a whole */
    ng__xml_rawpos_feed(&at, p + k, 1);
  *line = at.line;
  *col = off > at.ls ? 1 + off - at.ls : 1;
}

void ng__xml_raw_linecol(const unsigned char *data, size_t len, size_t off,
                         size_t *line, size_t *col) {
  ng__xml_rawpos r;
  size_t bom;
  int fam = ng__xml_detect(data, len, &bom);

  ng__xml_rawpos_init(&r, fam, bom);
  ng__xml_rawpos_at(&r, data, len, off < len ? off : len, line, col);
}

/*
 * Finds encoding="..." in an XML declaration at the start (after the BOM)
 * and fills s->has_decl, name_* and declared. Whatever does not look like
 * a declaration's pseudo-attributes ends the search without a name: the
 * lexer reports malformed declarations. Returns NG_OK, or NG_EENCODING
 * when the name found is not a valid EncName. A scan cut by the end
 * (sc->cut) stops before any name.
 */
static int scan_decl(decl_scan *sc, ng__xml_sniff *s) {
  size_t n, start = 0, end = 0, line, ls;
  int is_enc = 0;

  if (!scan_lit(sc, "<?xml") || scan_space(sc) == 0)
    return NG_OK;
  s->has_decl = 1;
  do {
    is_enc = scan_word(sc, &n);
    scan_space(sc);
    if (n == 0 || !scan_lit(sc, "="))
      return NG_OK;
    scan_space(sc);
    line = sc->line;
    ls = sc->ls;
    if (!scan_value(sc, &start, &end))
      return NG_OK;
  } while (!is_enc && scan_space(sc) > 0);
  if (!is_enc)
    return NG_OK;
  s->name_off = start;
  s->name_len = end - start;
  s->name_line = line;
  s->name_col = 1 + start - ls;
  return scan_name(sc, start, end, &s->declared);
}

/* scan_decl in the family's code units; NG__SUSPENDED when more input may
 * follow (more) and the scan was cut by the end of p[0..len). */
static int sniff_decl(const unsigned char *p, size_t len, int more,
                      ng__xml_sniff *s) {
  decl_scan sc;
  int rc;

  if (s->family != NG__XML_FAM_UTF8 && s->family != NG__XML_FAM_ASCII &&
      s->family != NG__XML_FAM_UTF16LE && s->family != NG__XML_FAM_UTF16BE)
    return NG_OK;
  scan_init(&sc, p, len, s->family, s->bom);
  rc = scan_decl(&sc, s);
  return more && sc.cut ? NG__SUSPENDED : rc;
}

/* ----------------------------------------------------------- decision */

/* Fills *err for code at the declared name (at_name) or at offset 0. */
static int enc_fail(ng_error *err, int code, const ng__xml_sniff *s,
                    int at_name, const char *msg) {
  if (err == NULL)
    return code;
  ng__error_at(err, code, NULL, 0, 0, 0, msg);
  if (at_name) {
    err->offset = s->name_off;
    err->line = s->name_line;
    err->column = s->name_col;
  }
  return code;
}

/* The declared name against what the bytes say (`what`). */
static int enc_contradiction(ng_error *err, const ng__xml_sniff *s,
                             const char *what) {
  char msg[128];

  snprintf(msg, sizeof msg, "encoding \"%s\" contradicts %s", s->declared.name,
           what);
  return enc_fail(err, NG_EENCODING, s, 1, msg);
}

/* Opens iconv for name; on failure reports it (at the name, or at 0). */
static int enc_iconv_open(const char *name, iconv_t *cd, ng_error *err,
                          const ng__xml_sniff *s, int at_name) {
  char msg[128];

  *cd = iconv_open("UTF-8", name);
  if (*cd != (iconv_t)-1)
    return NG_OK;
  if (errno == ENOMEM)
    return enc_fail(err, NG_ENOMEM, s, 0, NULL);
  snprintf(msg, sizeof msg, "unsupported encoding \"%s\"", name);
  return enc_fail(err, NG_EENCODING, s, at_name, msg);
}

/* True when iconv decodes p[0..n) to exactly the same bytes. */
static int decodes_to_itself(iconv_t cd, const unsigned char *p, size_t n) {
  char in[64], out[256], *ip, *op;
  size_t k, il, ol;

  for (; n > 0; p += k, n -= k) {
    k = n < sizeof in ? n : sizeof in;
    memcpy(in, p, k);
    ip = in;
    il = k;
    op = out;
    ol = sizeof out;
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || sizeof out - ol != k ||
        memcmp(out, p, k) != 0)
      return 0;
  }
  return 1;
}

/*
 * An iconv name in the 8-bit family: iconv must know it, and the
 * declaration up to the name's closing quote (which was read as ASCII)
 * must mean the same in it: this rejects UTF-32, EBCDIC, ... names.
 */
static int enc_check_iconv(const unsigned char *p, ng__xml_sniff *s,
                           ng_error *err) {
  iconv_t cd;
  int rc, same;

  rc = enc_iconv_open(s->declared.name, &cd, err, s, 1);
  if (rc != NG_OK)
    return rc;
  same = decodes_to_itself(cd, p, s->name_off + s->name_len + 1);
  iconv_close(cd);
  if (!same)
    return enc_contradiction(err, s, "the bytes of the declaration");
  return NG_OK;
}

/* UTF-16 by BOM or by the bytes of "<?": the declaration may only agree. */
static int decide_utf16(ng__xml_sniff *s, ng_error *err) {
  int order = s->family == NG__XML_FAM_UTF16LE ? NG__XML_ENC_UTF16LE
                                               : NG__XML_ENC_UTF16BE;
  int d = s->declared.kind;

  if (d == NG__XML_ENC_NONE && s->bom == 0)
    return enc_fail(err, NG_EENCODING, s, 0,
                    "UTF-16 without a byte order mark needs an encoding "
                    "declaration");
  if (d != NG__XML_ENC_NONE && d != NG__XML_ENC_UTF16 && d != order)
    return enc_contradiction(err, s,
                             s->bom != 0 ? "the UTF-16 byte order mark"
                                         : "the UTF-16 bytes of the "
                                           "declaration");
  enc_set(&s->enc, order);
  return NG_OK;
}

/* "<?xm" in 8-bit bytes: anything ASCII-compatible, UTF-8 if undeclared. */
static int decide_8bit(const unsigned char *p, ng__xml_sniff *s,
                       ng_error *err) {
  int d = s->declared.kind;

  if (d == NG__XML_ENC_NONE) {
    enc_set(&s->enc, NG__XML_ENC_UTF8);
    return NG_OK;
  }
  if (d == NG__XML_ENC_UTF16 || d == NG__XML_ENC_UTF16LE ||
      d == NG__XML_ENC_UTF16BE)
    return enc_contradiction(err, s, "the 8-bit bytes of the declaration");
  s->enc = s->declared;
  return d == NG__XML_ENC_ICONV ? enc_check_iconv(p, s, err) : NG_OK;
}

static int decide_detected(const unsigned char *p, ng__xml_sniff *s,
                           ng_error *err) {
  int d = s->declared.kind;

  s->skip = s->bom;
  switch (s->family) {
  case NG__XML_FAM_UTF8:
    if (d != NG__XML_ENC_NONE && d != NG__XML_ENC_UTF8)
      return enc_contradiction(err, s, "the UTF-8 byte order mark");
    enc_set(&s->enc, NG__XML_ENC_UTF8);
    return NG_OK;
  case NG__XML_FAM_ASCII:
    return decide_8bit(p, s, err);
  case NG__XML_FAM_UTF16LE:
  case NG__XML_FAM_UTF16BE:
    return decide_utf16(s, err);
  case NG__XML_FAM_EBCDIC:
    return enc_fail(err, NG_EENCODING, s, 0, "EBCDIC input is not supported");
  default:
    return enc_fail(err, NG_EENCODING, s, 0,
                    "UCS-4/UTF-32 input is not supported");
  }
}

/* The caller's encoding wins; only its own BOM is skipped. */
static int decide_forced(const ng__xml_enc *force, ng__xml_sniff *s,
                         ng_error *err) {
  int fam = s->family, k, rc;
  iconv_t cd;

  s->enc = *force;
  if (force->kind == NG__XML_ENC_UTF16)
    enc_set(&s->enc, fam == NG__XML_FAM_UTF16LE ? NG__XML_ENC_UTF16LE
                                                : NG__XML_ENC_UTF16BE);
  k = s->enc.kind;
  s->skip = 0;
  if ((k == NG__XML_ENC_UTF8 && fam == NG__XML_FAM_UTF8) ||
      (k == NG__XML_ENC_UTF16LE && fam == NG__XML_FAM_UTF16LE) ||
      (k == NG__XML_ENC_UTF16BE && fam == NG__XML_FAM_UTF16BE))
    s->skip = s->bom;
  if (k != NG__XML_ENC_ICONV)
    return NG_OK;
  rc = enc_iconv_open(s->enc.name, &cd, err, s, 0);
  if (rc == NG_OK)
    iconv_close(cd);
  return rc;
}

int ng__xml_decide(const unsigned char *data, size_t len, int more,
                   const ng__xml_enc *force, ng__xml_sniff *s, ng_error *err) {
  int rc;

  memset(s, 0, sizeof *s);
  s->family = ng__xml_detect(data, len, &s->bom);
  if (more && len < 4) /* a longer BOM or byte pattern may follow */
    return NG__SUSPENDED;
  rc = sniff_decl(data, len, more, s);
  if (rc == NG__SUSPENDED)
    return rc;
  if (force != NULL && force->kind != NG__XML_ENC_NONE)
    rc = decide_forced(force, s, err); /* the declaration is only told */
  else if (rc != NG_OK)
    rc = enc_fail(err, NG_EENCODING, s, 1, "invalid encoding name");
  else
    rc = decide_detected(data, s, err);
  if (rc == NG_OK)
    ng_error_clear(err);
  return rc;
}

/* --------------------------------------------------------- transcoder */

/* tc_put's stand-in for "not decodable": emitted as the byte 0xFF. */
#define TC_BAD 0x110000UL

/* ic_step's answer when the window is an incomplete character. */
#define TC_MORE (-1)

/* Decoded bytes of the character led by byte b (stray bytes, 0xFF: 1). */
static size_t utf8_len(unsigned b) {
  return b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : b < 0xF8 ? 4 : 1;
}

/* UTF-16: 4-byte characters were pairs, 0xFF an odd byte, others units. */
static void step_utf16(const unsigned char *dec, size_t unit, size_t *orig_n,
                       size_t *dec_n) {
  (void)unit;
  *dec_n = utf8_len(dec[0]);
  *orig_n = dec[0] == 0xFF ? 1 : *dec_n == 4 ? 4 : 2;
}

/* ISO-8859-1 and US-ASCII: one byte per character. */
static void step_byte(const unsigned char *dec, size_t unit, size_t *orig_n,
                      size_t *dec_n) {
  (void)unit;
  *dec_n = utf8_len(dec[0]);
  *orig_n = 1;
}

/* iconv: the run's bytes per character, stored with its checkpoint. */
static void step_iconv(const unsigned char *dec, size_t unit, size_t *orig_n,
                       size_t *dec_n) {
  *dec_n = utf8_len(dec[0]);
  *orig_n = unit;
}

int ng__xml_tc_init(ng__xml_tc *tc, const ng__xml_enc *enc, size_t base,
                    const ng_alloc *alc) {
  ng__offmap_step step;

  memset(tc, 0, sizeof *tc);
  tc->cd = (iconv_t)-1;
  switch (enc->kind) {
  case NG__XML_ENC_UTF16LE:
  case NG__XML_ENC_UTF16BE:
    step = step_utf16;
    break;
  case NG__XML_ENC_LATIN1:
  case NG__XML_ENC_ASCII:
    step = step_byte;
    break;
  case NG__XML_ENC_ICONV:
    step = step_iconv;
    tc->cd = iconv_open("UTF-8", enc->name);
    if (tc->cd == (iconv_t)-1)
      return errno == ENOMEM ? NG_ENOMEM : NG_EENCODING;
    break;
  default:
    return NG_EINVAL;
  }
  tc->kind = enc->kind;
  tc->alc = alc;
  tc->pos = base;
  ng__offmap_init(&tc->map, alc, base, step);
  return NG_OK;
}

/* Room for n more bytes of text (doubling, at least 256). */
static int tc_reserve(ng__xml_tc *tc, size_t n) {
  size_t want, cap;
  unsigned char *b;

  if (tc->cap - tc->len >= n)
    return NG_OK;
  if (ng__size_add(tc->len, n, &want) != NG_OK)
    return NG_ENOMEM;
  for (cap = tc->cap < 256 ? 256 : tc->cap; cap < want; cap *= 2)
    if (cap > SIZE_MAX / 2)
      return NG_ENOMEM;
  b = ng__realloc(tc->alc, tc->out, tc->cap, cap);
  if (b == NULL)
    return NG_ENOMEM;
  tc->out = b;
  tc->cap = cap;
  return NG_OK;
}

/*
 * Writes code point c (below 0x110000; a surrogate gets its 3-byte form;
 * TC_BAD the byte 0xFF) at d, which has room for 4 bytes; returns the
 * bytes written.
 */
NG_INLINE size_t put_utf8(unsigned char *d, unsigned long c) {
  if (c < 0x80) {
    d[0] = (unsigned char)c;
    return 1;
  }
  if (c < 0x800) {
    d[0] = (unsigned char)(0xC0 | c >> 6);
    d[1] = (unsigned char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    d[0] = (unsigned char)(0xE0 | c >> 12);
    d[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
    d[2] = (unsigned char)(0x80 | (c & 0x3F));
    return 3;
  }
  if (c < TC_BAD) {
    d[0] = (unsigned char)(0xF0 | c >> 18);
    d[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
    d[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
    d[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
  }
  d[0] = 0xFF;
  return 1;
}

/*
 * Appends code point c (as put_utf8) for the character at original offset
 * orig, adding a checkpoint first when one is due. The slow path: the bulk
 * loops below inline the same steps.
 */
static int tc_put(ng__xml_tc *tc, unsigned long c, size_t orig) {
  if (ng__offmap_due(&tc->map, tc->len) &&
      ng__offmap_add(&tc->map, tc->len, orig, 0) != NG_OK)
    return NG_ENOMEM;
  if (tc_reserve(tc, 4) != NG_OK)
    return NG_ENOMEM;
  tc->len += put_utf8(tc->out + tc->len, c);
  return NG_OK;
}

/* One UTF-16 code unit u at original offset off. */
static int u16_unit(ng__xml_tc *tc, unsigned u, size_t off) {
  unsigned long c;
  unsigned hi = tc->hi;

  if (hi != 0) {
    tc->hi = 0;
    if (u >= 0xDC00 && u <= 0xDFFF) {
      c = 0x10000 + ((unsigned long)(hi - 0xD800) << 10) + (u - 0xDC00);
      return tc_put(tc, c, tc->hi_off);
    }
    if (tc_put(tc, hi, tc->hi_off) != NG_OK) /* unpaired high surrogate */
      return NG_ENOMEM;
  }
  if (u >= 0xD800 && u <= 0xDBFF) {
    tc->hi = u;
    tc->hi_off = off;
    return NG_OK;
  }
  return tc_put(tc, u, off); /* BMP, or an unpaired low surrogate */
}

/* Input bytes the bulk loops decode per output reservation. */
#define TC_BLOCK 65536

/*
 * Whole units of in[0..n) (n even), a block at a time: room for the block's
 * worst case (3 bytes per unit, plus a held high surrogate) is reserved
 * once and the cursor lives in locals, which stores through out could
 * otherwise force the compiler to reload from *tc. Surrogates, and a unit
 * after a held high surrogate, go through u16_unit.
 */
static int u16_bulk(ng__xml_tc *tc, const unsigned char *in, size_t n, int be) {
  size_t i = 0, k, len, pos = tc->pos;
  unsigned char *out;
  unsigned u;
  int rc = NG_OK;

  for (; rc == NG_OK && i < n; tc->len = len, tc->pos = pos) {
    k = n - i < TC_BLOCK ? n - i : TC_BLOCK;
    if (tc_reserve(tc, 2 * k + 8) != NG_OK)
      return NG_ENOMEM;
    out = tc->out;
    len = tc->len;
    for (; k > 0; k -= 2, i += 2, pos += 2) {
      u = be ? (unsigned)in[i] << 8 | in[i + 1]
             : (unsigned)in[i + 1] << 8 | in[i];
      if (tc->hi != 0 || (u >= 0xD800 && u <= 0xDFFF)) {
        tc->len = len;
        rc = u16_unit(tc, u, pos);
        len = tc->len;
        if (rc != NG_OK)
          break;
        continue;
      }
      if (ng__offmap_due(&tc->map, len) &&
          (rc = ng__offmap_add(&tc->map, len, pos, 0)) != NG_OK)
        break;
      len += put_utf8(out + len, u);
    }
  }
  return rc;
}

static int u16_feed(ng__xml_tc *tc, const unsigned char *in, size_t n,
                    int final) {
  int be = tc->kind == NG__XML_ENC_UTF16BE, rc = NG_OK;
  size_t i = 0;

  if (tc->npend == 1 && n > 0) { /* a unit cut by the last chunk's end */
    rc = u16_unit(tc, be ? tc->pend[0] << 8 | in[0] : in[0] << 8 | tc->pend[0],
                  tc->pos);
    tc->npend = 0;
    tc->pos += 2;
    i = 1;
  }
  if (rc == NG_OK && n - i >= 2)
    rc = u16_bulk(tc, in + i, (n - i) & ~(size_t)1, be);
  if (rc != NG_OK)
    return rc;
  if ((n - i) % 2 != 0) {
    tc->pend[0] = in[n - 1];
    tc->npend = 1;
  }
  if (final && tc->hi != 0) { /* a high surrogate ends the input */
    rc = tc_put(tc, tc->hi, tc->hi_off);
    tc->hi = 0;
  }
  if (final && rc == NG_OK && tc->npend != 0) {
    tc->npend = 0;
    rc = tc_put(tc, TC_BAD, tc->pos++); /* odd trailing byte */
  }
  return rc;
}

/* ISO-8859-1 and US-ASCII, a block at a time like u16_bulk. */
static int byte_feed(ng__xml_tc *tc, const unsigned char *in, size_t n) {
  int ascii = tc->kind == NG__XML_ENC_ASCII;
  size_t i = 0, k, len, pos = tc->pos;
  unsigned char *out;
  int rc = NG_OK;

  for (; rc == NG_OK && i < n; tc->len = len, tc->pos = pos) {
    k = n - i < TC_BLOCK ? n - i : TC_BLOCK;
    if (tc_reserve(tc, 2 * k) != NG_OK)
      return NG_ENOMEM;
    out = tc->out;
    len = tc->len;
    for (; k > 0; k--, i++, pos++) {
      if (ng__offmap_due(&tc->map, len) &&
          (rc = ng__offmap_add(&tc->map, len, pos, 0)) != NG_OK)
        break;
      if (in[i] < 0x80)
        out[len++] = in[i];
      else
        len += put_utf8(out + len, ascii ? TC_BAD : in[i]);
    }
  }
  return rc;
}

/*
 * Appends what iconv made of o original bytes at tc->pos. The map gets a
 * checkpoint where the original bytes per character change (the run's
 * unit), after bytes that made no character (shift sequences), and when one
 * is due; several characters from one step map to its first byte (all but
 * the last take no original bytes).
 */
static int ic_emit(ng__xml_tc *tc, const unsigned char *out, size_t d,
                   size_t o) {
  size_t orig = tc->pos, last;
  int rc = NG_OK;

  tc->pos += o;
  if (d == 0) {
    tc->force_cp = 1;
    return NG_OK;
  }
  for (last = d - 1; last > 0 && (out[last] & 0xC0) == 0x80; last--)
    ;
  if (last > 0) {
    rc = ng__offmap_add(&tc->map, tc->len, orig, 0);
    if (rc == NG_OK)
      rc = ng__offmap_add(&tc->map, tc->len + last, orig, o);
  } else if (tc->force_cp || o != tc->unit ||
             ng__offmap_due(&tc->map, tc->len)) {
    rc = ng__offmap_add(&tc->map, tc->len, orig, o);
  }
  if (rc != NG_OK || tc_reserve(tc, d) != NG_OK)
    return NG_ENOMEM;
  tc->unit = o;
  tc->force_cp = 0;
  memcpy(tc->out + tc->len, out, d);
  tc->len += d;
  return NG_OK;
}

/*
 * Converts the shortest prefix of win[0..wn) that iconv consumes and sets
 * *used to its length. A byte iconv rejects, or a window that stays
 * incomplete when no more input can come (more == 0) or when it is full,
 * becomes 0xFF for one byte. Returns NG_OK, NG_ENOMEM or TC_MORE.
 */
static int ic_step(ng__xml_tc *tc, unsigned char *win, size_t wn, int more,
                   size_t *used) {
  unsigned char out[64];
  char *ip, *op;
  size_t k, il, ol;

  for (k = 1; k <= wn; k++) {
    ip = (char *)win;
    il = k;
    op = (char *)out;
    ol = sizeof out;
    if (iconv(tc->cd, &ip, &il, &op, &ol) == (size_t)-1 && il == k) {
      if (errno == EINVAL)
        continue; /* incomplete: try one byte more */
      break;      /* EILSEQ: not a character */
    }
    *used = k - il;
    return ic_emit(tc, out, sizeof out - ol, k - il);
  }
  if (k > wn && more && wn < sizeof tc->pend)
    return TC_MORE;
  *used = 1;
  return ic_emit(tc, (const unsigned char *)"\xFF", 1, 1);
}

/* Emits what iconv held back for composition, and a final checkpoint. */
static int ic_flush(ng__xml_tc *tc) {
  unsigned char out[64];
  char *op = (char *)out;
  size_t ol = sizeof out;
  int rc = NG_OK;

  iconv(tc->cd, NULL, NULL, &op, &ol);
  if (ol != sizeof out)
    rc = ic_emit(tc, out, sizeof out - ol, 0);
  if (rc == NG_OK && tc->force_cp)
    rc = ng__offmap_add(&tc->map, tc->len, tc->pos, tc->unit);
  return rc;
}

/*
 * Each character is converted alone, from a window of the carried bytes
 * followed by the next input bytes, so that chunk boundaries change nothing.
 */
static int ic_feed(ng__xml_tc *tc, const unsigned char *in, size_t n,
                   int final) {
  unsigned char win[sizeof tc->pend];
  size_t i = 0, take, wn, used = 0;
  int rc;

  for (;;) {
    take = sizeof win - tc->npend;
    take = take < n - i ? take : n - i;
    wn = tc->npend + take;
    if (wn == 0)
      break;
    memcpy(win, tc->pend, tc->npend);
    if (take > 0)
      memcpy(win + tc->npend, in + i, take);
    rc = ic_step(tc, win, wn, !final || i + take < n, &used);
    if (rc == TC_MORE) { /* all of the rest is one incomplete character */
      memcpy(tc->pend, win, wn);
      tc->npend = wn;
      return NG_OK;
    }
    if (rc != NG_OK)
      return rc;
    if (used < tc->npend) {
      memmove(tc->pend, tc->pend + used, tc->npend - used);
      tc->npend -= used;
    } else {
      i += used - tc->npend;
      tc->npend = 0;
    }
  }
  return final ? ic_flush(tc) : NG_OK;
}

int ng__xml_tc_feed(ng__xml_tc *tc, const void *in, size_t n, int final) {
  int rc;

  if (tc->done)
    return NG_ESTATE;
  if (in == NULL && n > 0)
    return NG_EINVAL;
  if (tc->kind == NG__XML_ENC_UTF16LE || tc->kind == NG__XML_ENC_UTF16BE)
    rc = u16_feed(tc, in, n, final);
  else if (tc->kind == NG__XML_ENC_ICONV)
    rc = ic_feed(tc, in, n, final);
  else
    rc = byte_feed(tc, in, n);
  tc->done = final;
  return rc;
}

int ng__xml_tc_restart(ng__xml_tc *tc) {
  tc->len = 0;
  tc->map.n = 0; /* the checkpoints' memory is kept */
  return ng__offmap_add(&tc->map, 0, tc->hi != 0 ? tc->hi_off : tc->pos,
                        tc->unit);
}

void ng__xml_tc_free(ng__xml_tc *tc) {
  if (tc->out != NULL)
    ng__free(tc->alc, tc->out, tc->cap);
  tc->out = NULL;
  tc->len = 0;
  tc->cap = 0;
  ng__offmap_free(&tc->map);
  if (tc->cd != (iconv_t)-1)
    iconv_close(tc->cd);
  tc->cd = (iconv_t)-1;
}

/* ---------------------------------------------------- one-shot input */

/* Transcodes p[0..len) after the BOM into in. */
static int input_transcode(const unsigned char *p, size_t len,
                           ng__xml_input *in) {
  ng__xml_tc tc;
  size_t skip = in->sniff.skip;
  int rc;

  rc = ng__xml_tc_init(&tc, &in->sniff.enc, skip, in->alc);
  if (rc != NG_OK)
    return rc;
  rc = ng__xml_tc_feed(&tc, len > skip ? p + skip : NULL, len - skip, 1);
  if (rc == NG_OK) { /* the text and the map move to in */
    in->buf = tc.out;
    in->cap = tc.cap;
    in->len = tc.len;
    in->map = tc.map;
    if (tc.out != NULL)
      in->text = tc.out;
    tc.out = NULL;
    ng__offmap_init(&tc.map, in->alc, 0, NULL);
  }
  ng__xml_tc_free(&tc);
  return rc;
}

int ng__xml_input_open(const void *data, size_t len, const ng__xml_enc *force,
                       const ng_alloc *alc, ng__xml_input *in, ng_error *err) {
  const unsigned char *p = data;
  int rc;

  memset(in, 0, sizeof *in);
  in->text = (const unsigned char *)"";
  in->alc = alc;
  ng__offmap_init(&in->map, alc, 0, NULL);
  if (p == NULL && len > 0)
    return ng__error_at(err, NG_EINVAL, NULL, 0, 0, 0, NULL);
  rc = ng__xml_decide(p, len, 0, force, &in->sniff, err);
  if (rc != NG_OK)
    return rc;
  if (in->sniff.enc.kind == NG__XML_ENC_UTF8) { /* read in place */
    ng__offmap_init(&in->map, alc, in->sniff.skip, NULL);
    if (len > 0)
      in->text = p + in->sniff.skip;
    in->len = len - in->sniff.skip;
    return NG_OK;
  }
  rc = input_transcode(p, len, in);
  if (rc != NG_OK)
    return ng__error_at(err, rc, NULL, 0, 0, 0, NULL);
  return NG_OK;
}

void ng__xml_input_close(ng__xml_input *in) {
  if (in->buf != NULL)
    ng__free(in->alc, in->buf, in->cap);
  in->buf = NULL;
  in->cap = 0;
  in->len = 0;
  in->text = (const unsigned char *)"";
  ng__offmap_free(&in->map);
}
