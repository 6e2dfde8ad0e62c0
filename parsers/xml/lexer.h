/*
 * parsers/xml/lexer.h - the XML lexer's character layer: what a byte
 * sequence in the decoded text is (XML 1.0 Fifth Edition).
 *
 * The text is UTF-8 from the input layer (encoding.h): (pointer, length),
 * no padding, no terminator, never written. Every function here reads
 * [p, lim) only and reports, for what it cannot accept, an error code and
 * the byte it is about:
 *   NG_EUTF8   bytes that are not UTF-8 (overlong forms, encoded
 *              surrogates, beyond U+10FFFF, bad or missing continuation
 *              bytes, including a sequence cut by the end of the text);
 *   NG_ECHAR   UTF-8 for a code point the Char production forbids (C0
 *              controls but TAB, LF and CR; U+FFFE, U+FFFF), or a
 *              character a Name may not start or go on with;
 *   NG_ESYNTAX anything else the grammar does not allow there;
 *   NG_EEOF    the construct is cut by lim. Callers turn this into their
 *              own code: the end of the document (NG_EEOF), or the end of
 *              an entity's replacement text (NG_EENTITY).
 * The Name rules (which of ECHAR and ESYNTAX) follow corpus/xml: a
 * character that is a Char but no NameChar is ECHAR when it is not ASCII
 * (`<a×b/>`, U+00A0 as a separator); an ASCII one is the grammar's error
 * (`< a>`, `&a b;`); a NameChar that cannot start a Name is ECHAR
 * (`<1a/>`, `<-a/>`).
 *
 * Name scanning and references are re2c automata in UTF-8 mode
 * (lexer.re); the Char test is hand-written, with an inline ASCII path.
 */
#ifndef NG_PARSERS_XML_LEXER_H
#define NG_PARSERS_XML_LEXER_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* ------------------------------------------------------------ Chars */

/* True when code point cp is a Char ([2]). */
static inline int ng__xml_is_char(uint32_t cp) {
  return cp < 0xD800 ? cp >= 0x20 || cp == 0x9 || cp == 0xA || cp == 0xD
                     : (cp >= 0xE000 && cp <= 0xFFFD) ||
                           (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* White space ([3] S): space, TAB, LF, CR. */
static inline int ng__xml_is_space(unsigned c) {
  return c == 0x20 || c == 0x9 || c == 0xA || c == 0xD;
}

/*
 * The character at p (p < lim) when it is not ASCII: its length (2 to 4)
 * and code point in *cp, or -NG_EUTF8 (not UTF-8, cut by lim included) or
 * -NG_ECHAR (U+FFFE, U+FFFF).
 */
int ng__xml_char_slow(const unsigned char *p, const unsigned char *lim,
                      uint32_t *cp);

/*
 * The Char at p: its length (1 to 4) with its code point in *cp, 0 when
 * p == lim, or -NG_EUTF8 / -NG_ECHAR as above (an ASCII control other than
 * TAB, LF, CR is -NG_ECHAR).
 */
static inline int ng__xml_char(const unsigned char *p, const unsigned char *lim,
                               uint32_t *cp) {
  if (p >= lim)
    return 0;
  if (*p < 0x80) {
    *cp = *p;
    return *p >= 0x20 || ng__xml_is_space(*p) ? 1 : -NG_ECHAR;
  }
  return ng__xml_char_slow(p, lim, cp);
}

/* Appends the UTF-8 form of cp (a Char) to d, returns the end. */
static inline unsigned char *ng__xml_put_utf8(unsigned char *d, uint32_t cp) {
  if (cp < 0x80) {
    *d++ = (unsigned char)cp;
  } else if (cp < 0x800) {
    *d++ = (unsigned char)(0xC0 | cp >> 6);
    *d++ = (unsigned char)(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *d++ = (unsigned char)(0xE0 | cp >> 12);
    *d++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    *d++ = (unsigned char)(0x80 | (cp & 0x3F));
  } else {
    *d++ = (unsigned char)(0xF0 | cp >> 18);
    *d++ = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
    *d++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    *d++ = (unsigned char)(0x80 | (cp & 0x3F));
  }
  return d;
}

/* ------------------------------------------------------------ Names */

/* The end of the Name ([5]) at p: p itself when no NameStartChar is there.
 * Longest match; reads nothing at or past lim. */
const unsigned char *ng__xml_name_end(const unsigned char *p,
                                      const unsigned char *lim);

/* The end of the Nmtoken ([7], NameChar+) at p; p when there is none. */
const unsigned char *ng__xml_nmtoken_end(const unsigned char *p,
                                         const unsigned char *lim);

/*
 * Why no Name starts at p: NG_EEOF (p == lim), NG_EUTF8, NG_ECHAR (not a
 * Char; a NameChar that cannot start a Name; any other non-ASCII
 * character) or NG_ESYNTAX (other ASCII).
 */
int ng__xml_name_code(const unsigned char *p, const unsigned char *lim);

/*
 * The code for a character at p that the grammar does not accept there,
 * where it expected ASCII markup: NG_EEOF at lim, NG_EUTF8, NG_ECHAR for a
 * non-Char and for a non-ASCII character that is no NameChar, else
 * `code` (the grammar's: NG_ESYNTAX, NG_EATTR...).
 */
int ng__xml_char_code(const unsigned char *p, const unsigned char *lim,
                      int code);

/* ------------------------------------------------------- references */

enum {
  NG__XML_REF_CHAR = 1, /* &#...; or &#x...; a legal Char: cp */
  NG__XML_REF_NAME      /* &Name; : name, name_len */
};

/* A reference at '&': what ng__xml_scan_ref found. */
typedef struct ng__xml_ref {
  int kind;                  /* NG__XML_REF_*, or 0 on error */
  uint32_t cp;               /* CHAR: the character */
  const unsigned char *name; /* NAME: the entity name */
  size_t name_len;           /* its bytes */
  const unsigned char *end;  /* after the ';' */
  int code;                  /* error: NG_ESYNTAX, NG_ECHAR (an illegal
                                character reference, or a bad Name
                                character), NG_EUTF8, NG_EEOF (cut) */
  const unsigned char *at;   /* error: the byte it is about (the '&' for
                                an illegal character reference) */
  const char *msg;           /* error: static text */
} ng__xml_ref;

/*
 * Scans the reference whose '&' is at p ([66] CharRef, [68] EntityRef):
 * decimal or lower-case-x hexadecimal digits, any count of leading zeros,
 * values beyond U+10FFFF saturated (so never wrapped into a legal one).
 * Returns r->kind (0 on error).
 */
int ng__xml_scan_ref(const unsigned char *p, const unsigned char *lim,
                     ng__xml_ref *r);

/* ---------------------------------------- comments, PIs, CDATA sections */

/* What a markup scanner found. */
typedef struct ng__xml_span {
  const unsigned char *a, *b; /* comment or CDATA body; PI target */
  const unsigned char *c, *d; /* PI data (after the white space that
                                 follows the target; c == d: none) */
  const unsigned char *end;   /* after the construct */
  int cr;                     /* a CR occurs in [a, b) or [c, d) */
  int code;                   /* error: NG_ESYNTAX, NG_ECHAR, NG_EUTF8,
                                 NG_EEOF (cut by lim) */
  const unsigned char *at;    /* error: where */
  const char *msg;            /* error: static text */
} ng__xml_span;

/*
 * Each scans one construct from its first byte p and returns NG_OK or the
 * error (also in s->code), validating every character:
 *  - a comment, p at "<!--" ([15]): "--" only in the closing "-->", which
 *    a '-' may not precede;
 *  - a processing instruction, p at "<?" ([16]): a Name target, not
 *    "xml" in any case ([17]), then "?>" or white space and data;
 *  - a CDATA section, p at "<![CDATA[" ([18]): up to the first "]]>".
 */
int ng__xml_scan_comment(const unsigned char *p, const unsigned char *lim,
                         ng__xml_span *s);
int ng__xml_scan_pi(const unsigned char *p, const unsigned char *lim,
                    ng__xml_span *s);
int ng__xml_scan_cdata(const unsigned char *p, const unsigned char *lim,
                       ng__xml_span *s);

/*
 * Copies src[0..n) to dst with line ends normalised (section 2.11: CR LF
 * and a lone CR become LF); returns the bytes written (at most n).
 */
size_t ng__xml_copy_lines(unsigned char *dst, const unsigned char *src,
                          size_t n);

#endif /* NG_PARSERS_XML_LEXER_H */
