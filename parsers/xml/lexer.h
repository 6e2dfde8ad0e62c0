/*
 * parsers/xml/lexer.h - the XML lexer shared by every engine (XML 1.0
 * Fifth Edition), and its character layer.
 *
 * The text is UTF-8 from the input layer (encoding.h): (pointer, length),
 * no padding, no terminator, never written; NUL bytes are data (and never
 * a Char). The token grammar is an re2c specification (lexer.re, generated
 * into build/gen/parsers/xml/lexer.c); hand-written loops beside it take
 * character data, attribute values and the bodies of comments, PIs and
 * CDATA sections.
 *
 * A pull lexer: ng__xml_next returns ONE STRUCTURAL TOKEN at a time, and
 * does all the checking that belongs to tokens, so every engine gives the
 * same errors. It tracks the document's position itself (prolog, content
 * of the root element, epilog), because what a byte means depends on it:
 * character data before the root is NG_ESYNTAX and anything but comments,
 * PIs and white space after it NG_ETRAILING, both reported by the lexer.
 * Engines check the order of tokens with XML's grammar table (grammar.c,
 * ng__xml_grammar), match end tags with start tags (NG_ETAGMISMATCH: the
 * lexer gives the names) and count depth.
 *
 * Tokens (ng__xml_token):
 *  - XMLDECL   only at offset 0: version ('1.' digits), encoding (EncName
 *              syntax; which encoding is the input layer's business),
 *              standalone;
 *  - DOCTYPE   name and ids; the internal subset is parsed inside this
 *              token (dtd.c) into the lexer's tables. A DOCTYPE where none
 *              may be (a second one, in content) comes unparsed with
 *              NG__XTF_MISPLACED, for the grammar to reject, and the
 *              lexer stops (NG_ESYNTAX there if called again);
 *  - START     element name and attributes in the lexer's attribute array:
 *              values normalised (3.3.3, references expanded, DTD types),
 *              unique names (NG_EATTR), DTD defaults appended; NG__XTF_EMPTY
 *              for <a/> (no END follows);
 *  - END       the name;
 *  - TEXT      character data with character and predefined references
 *              expanded and line ends normalised; ']]>' is NG_ESYNTAX. A run
 *              of character data is cut into several TEXT tokens only where
 *              an entity reference (other than the predefined ones) starts
 *              or where its replacement text ends: text before &e;, each
 *              run of e's text, text after are separate tokens (never
 *              empty; push parsing will add a buffer's end as a third
 *              point). Data is in the text or the DTD's tables, or in
 *              the lexer's scratch buffer (NG__XTF_SCRATCH);
 *  - CDATA, COMMENT ('--' inside is NG_ESYNTAX), PI (target and data; the
 *              target 'xml' in any case is NG_ESYNTAX);
 *  - SKIPPED   a reference in content to an external parsed entity, or to
 *              an undeclared one where that is no error (ng__xml_dtd_
 *              lenient): the name;
 *  - EOF, ERROR (code, err_off, msg; the lexer stops: later calls return
 *              the same token).
 * Positions are offsets and lengths in the decoded text. A token read from
 * an entity's replacement text carries NG__XTF_ENTITY and the offset and
 * length of the outermost reference in the document; so do errors found
 * there.
 *
 * Entities. A reference in content to an internal entity pushes its
 * replacement text on the lexer's input stack, lexed as content: markup in
 * it must nest (an element started in it ends in it and vice versa, a tag,
 * comment, PI, CDATA section or reference must end before the text does:
 * NG_EENTITY), WFC No Recursion is checked with the entity's `open` mark,
 * and references nest at most budget.max_depth deep. Before any byte of an
 * expansion, the reference is charged the entity's full expanded size
 * (dtd.h): max_entity_expansion and the amplification ratio are both
 * NG_EENTITYLIMIT at the reference. Defaults: ng_limits' 1 MiB, 100x past
 * 8 MiB read (NG__XML_AMP_*), 256 levels (NG__XML_ENTITY_DEPTH); the
 * caller may change lx->budget after init. Attribute values expand entity
 * references the same way (dtd.h, ng__xml_attval); the bytes of DTD
 * default values added to start tags count against the ratio.
 *
 * Push parsing. Every token is lexed from its first byte with no
 * state but the mode, the open-element count and the input stack, and
 * nothing is consumed before a token is complete. A token cut by the end
 * of the document text fails with NG_EEOF at the text's length (from
 * cut() in lexer.re, or from dtd.c inside a DOCTYPE or an attribute
 * value), leaving lx->cur at its first byte and the mode it was lexed in
 * in lx->prev_mode: that is the refill point. A push front end will, for
 * a buffer that is not the last, append input there and lex the token
 * again; nothing before it has changed but a DOCTYPE's tables, which it
 * frees first. (Inside replacement text a cut is NG_EENTITY and final.)
 * A name, PI target or pseudo-attribute is never judged before the byte
 * after it is seen, so every prefix of a well-formed document lexes
 * without error or fails with NG_EEOF, except one cut inside a UTF-8
 * sequence, which is NG_EUTF8 (corpus/xml: decoding first): a push front
 * end hands the lexer whole characters (the transcoder of encoding.h
 * keeps a cut one back) or treats NG_EUTF8 at the buffer's end alike.
 *
 * Character layer. Every function below reads [p, lim) only and reports,
 * for what it cannot accept, an error code and the byte it is about:
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
 */
#ifndef NG_PARSERS_XML_LEXER_H
#define NG_PARSERS_XML_LEXER_H

#include <stddef.h>
#include <stdint.h>

#include "../common/parse.h"
#include "dtd.h"
#include "internal.h"
#include "nestguard/limits.h"

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
 * Skips bytes of an attribute value that need no normalising: ASCII from
 * 0x20 on but '<', '&' and `quote` (0: none). Returns the first other
 * byte, or lim. 16 bytes at a time where the compiler has vectors.
 */
const unsigned char *ng__xml_skip_attr(const unsigned char *p,
                                       const unsigned char *lim,
                                       unsigned char quote);

/*
 * Copies src[0..n) to dst with line ends normalised (section 2.11: CR LF
 * and a lone CR become LF); returns the bytes written (at most n).
 */
size_t ng__xml_copy_lines(unsigned char *dst, const unsigned char *src,
                          size_t n);

/* ------------------------------------------------------- token kinds
 * Stable order (a lemon grammar may map them); NG__XT_EOF is 0.
 */
typedef enum ng__xtok {
  NG__XT_EOF = 0, /* end of input; off is the text's length */
  NG__XT_XMLDECL, /* <?xml version=... ?> at offset 0 */
  NG__XT_DOCTYPE, /* <!DOCTYPE ...> with its internal subset */
  NG__XT_START,   /* start tag or empty-element tag */
  NG__XT_END,     /* end tag */
  NG__XT_TEXT,    /* character data, references expanded */
  NG__XT_CDATA,   /* a CDATA section's content */
  NG__XT_COMMENT, /* a comment's text */
  NG__XT_PI,      /* a processing instruction */
  NG__XT_SKIPPED, /* an entity reference that is not expanded */
  NG__XT_ERROR    /* code, err_off, msg */
} ng__xtok;

#define NG__XT_COUNT 11

/* Token flags. */
#define NG__XTF_EMPTY 0x1u     /* START: <a/>, no END follows */
#define NG__XTF_ENTITY 0x2u    /* read from an entity's replacement text */
#define NG__XTF_MISPLACED 0x4u /* DOCTYPE where none may be: not parsed */
#define NG__XTF_SCRATCH 0x8u   /* TEXT, CDATA, COMMENT, PI: data is a copy
                                  in the lexer's scratch, valid until the
                                  next call; without it data lies in the
                                  text or the DTD's tables, valid until
                                  ng__xml_lexer_free */

/* One attribute of a START token, in the lexer's array. */
typedef struct ng__xml_tattr {
  const char *name; /* qualified name as written */
  size_t name_len;
  const char *value; /* normalised value (not NUL-terminated) */
  size_t value_len;
  int defaulted; /* 1: added from an ATTLIST default */
  size_t voff;   /* internal: value offset in the scratch while the
                    tag is read */
} ng__xml_tattr;

/*
 * One token. Pointers are valid until the next call (names, values and
 * data point into the text, the DTD's tables or the lexer's scratch).
 */
typedef struct ng__xml_token {
  int kind;         /* an ng__xtok */
  unsigned flags;   /* NG__XTF_* */
  size_t off;       /* first byte (in an entity: of the outermost
                       reference; EOF: the text's length) */
  size_t len;       /* bytes spanned (ERROR, EOF: 0) */
  const char *name; /* START, END: element; PI: target; DOCTYPE:
                       root type; SKIPPED: entity name */
  size_t name_len;
  const char *data; /* TEXT, CDATA, COMMENT: content; PI: data ("":
                       none) */
  size_t data_len;
  const ng__xml_tattr *attrs; /* START: attributes, document order, then
                                 defaults */
  size_t nattrs;
  const char *pubid; /* DOCTYPE: public id or NULL */
  size_t pubid_len;
  const char *sysid; /* DOCTYPE: system id or NULL */
  size_t sysid_len;
  const char *version; /* XMLDECL: "1.0"... */
  size_t version_len;
  const char *encoding; /* XMLDECL: the name, or NULL */
  size_t encoding_len;
  int standalone;  /* XMLDECL: 1 yes, 0 no, -1 not given */
  int code;        /* ERROR: the NG_E* code */
  size_t err_off;  /* ERROR: where (= off) */
  const char *msg; /* ERROR: static text, or NULL */
} ng__xml_token;

/* ---------------------------------------------------------- the lexer */

/* Where the lexer is in the document. */
enum {
  NG__XM_PROLOG = 0, /* before the root element */
  NG__XM_CONTENT,    /* inside it */
  NG__XM_EPILOG,     /* after it */
  NG__XM_DONE,       /* EOF or ERROR returned: `last` again */
  NG__XM_TEXT        /* push parsing: inside it, at character data cut
                        by the last window's end (resume), then CONTENT */
};

/* An entity frame of the input stack: the replacement text of `ent` is
 * being read; the frame below (the document, or another entity) resumes
 * at cur, lim. */
typedef struct ng__xml_frame {
  const unsigned char *cur; /* the frame below: where it resumes */
  const unsigned char *lim; /* the frame below: its end */
  ng__xml_entity *ent;      /* the entity read in this frame */
  size_t open;              /* elements open when it was pushed */
  int covered;              /* references in it are paid for */
} ng__xml_frame;

typedef struct ng__xml_lexer {
  const unsigned char *doc; /* the document text */
  const unsigned char *end; /* one past its last byte; never read */
  const unsigned char *cur; /* next byte of the top frame */
  const unsigned char *lim; /* end of the top frame */
  int mode;                 /* NG__XM_* */
  int seen_doctype;         /* a DOCTYPE was read */
  int standalone;           /* the XML declaration said yes */
  size_t open;              /* elements open */
  ng__xml_buf frames;       /* ng__xml_frame[] of the open entities */
  size_t nent;              /* entity frames open (0: the document) */
  size_t ref_off;           /* nent > 0: the outermost reference */
  size_t ref_len;
  ng__xml_dtd *dtd;      /* tables of the DOCTYPE, or NULL */
  ng__xml_budget budget; /* expansion limits (may be changed after
                            init) */
  ng__xml_buf text;      /* data that had to be copied */
  ng__xml_buf vals;      /* attribute values that had to be copied */
  ng__xml_buf attrs;     /* ng__xml_tattr[] of the START token */
  size_t nattrs;
  ng__xml_buf ahash;   /* uint32_t[]: attribute name hash (tags with
                          many attributes) */
  size_t ahcap;        /* slots of ahash in use by this tag */
  size_t max_string;   /* names, values, data; SIZE_MAX: none */
  size_t max_memory;   /* the DTD tables' arena; 0: none */
  uint64_t seed;       /* of the attribute hash */
  const ng_alloc *alc; /* every buffer and the tables */
  ng__xml_token last;  /* the token `DONE` repeats: its kind, flags,
                          span and error (the rest zero) */
  int prev_mode;       /* the mode before DONE (a push front end
                          resumes there after more input) */
  int partial;         /* push parsing: more input may follow `end`, so
                          a token (character data included) or the EOF
                          that reaches it is cut (NG_EEOF) */
  size_t base;         /* push parsing: offset of `doc` in the whole
                          decoded text (0: doc is its start) */
  uint64_t mark_key;   /* partial: 1 + the offset in the text of the */
  uint64_t mark_used;  /*   last token that charged the budget, and */
  uint64_t mark_extra; /*   budget.used and .extra before it (a cut of
                          that token restores them) */
  size_t resume;       /* partial: character data cut by the window's end
                          with nothing to copy: its first bytes, judged
                          the same with more input after them, that the
                          next window need not scan again (mode TEXT) */
} ng__xml_lexer;

/*
 * Starts lexing text[0..len) (text may be NULL when len is 0) under lim
 * (NULL: ng_limits_default's): max_string, max_memory (DTD tables) and
 * max_entity_expansion are read. alc (NULL: libc) serves every buffer.
 * Allocates nothing.
 */
void ng__xml_lexer_init(ng__xml_lexer *lx, const unsigned char *text,
                        size_t len, const ng_limits *lim, const ng_alloc *alc);

/*
 * Lexes the next token into *t and returns its kind. Errors are ERROR
 * tokens: syntax (ESYNTAX, EEOF, ETRAILING, EUTF8, ECHAR, EATTR, EENTITY),
 * limits (ESTRLIMIT, EENTITYLIMIT, EMEMLIMIT) and NG_ENOMEM.
 */
int ng__xml_next(ng__xml_lexer *lx, ng__xml_token *t);

/*
 * Push parsing: lexing goes on in text[0..len), the rest of the input from
 * the refill point on (lx->cur of the cut, or the start), at offset `base`
 * of the whole text; partial: more input may follow it. After a cut the
 * lexer resumes in the mode it stopped in, without the tables of a
 * DOCTYPE it was cut in. Offsets of later tokens count from text.
 */
void ng__xml_lexer_window(ng__xml_lexer *lx, const unsigned char *text,
                          size_t len, int partial, size_t base);

/* Releases every buffer and the DTD tables. */
void ng__xml_lexer_free(ng__xml_lexer *lx);

/* Short name of a token kind for messages: "a start tag"... */
const char *ng__xml_token_name(int kind);

/* ------------------------------------------------- the grammar table */

/* XML's expect states (parse.h): where the engines are in the document. */
enum {
  NG__XX_PROLOG = 0, /* before DOCTYPE and root: XMLDECL (the lexer
                        gives it only first), Misc, DOCTYPE, the root */
  NG__XX_DOCTYPE,    /* after the DOCTYPE: Misc or the root */
  NG__XX_CONTENT,    /* inside the root element */
  NG__XX_EPILOG,     /* after it: Misc and the end */
  NG__XX_COUNT
};

/* Acceptable token kinds per state (bit 1u << NG__XT_*). */
extern const unsigned ng__xml_expect_mask[NG__XX_COUNT];

/* The table for ng__parse_unexpected. want_eof is -1: trailing data is
 * named by the lexer (NG_ETRAILING), since Misc may follow the root;
 * want_first is -1: a document without a root element is NG_EEOF. */
extern const ng__grammar ng__xml_grammar;

#endif /* NG_PARSERS_XML_LEXER_H */
