/*
 * parsers/xml/encoding.h - the input layer under the XML lexer: which
 * encoding a document is in, and its text as UTF-8.
 *
 * 1. Detection (XML 1.0 Fifth Edition, Appendix F): the byte order mark or
 *    the first four bytes give a family. UTF-8, UTF-16 and 8-bit
 *    ASCII-compatible families are read; UCS-4/UTF-32 (every byte order,
 *    with or without a BOM) and EBCDIC are NG_EENCODING unless the caller
 *    forces an encoding (then iconv decodes, e.g. "UTF-32LE" or "IBM037").
 * 2. The XML declaration's encoding="..." is read in the detected family
 *    without a full parser (the lexer parses the declaration properly
 *    later): only the name, its offset and its XML line and column.
 * 3. Decision (section 4.3.3): the declaration must agree with the BOM or
 *    byte pattern; a contradiction, an invalid name or a name iconv cannot
 *    open is NG_EENCODING at the name. A caller's forced encoding stands
 *    for external information (HTTP charset): it wins and nothing is
 *    checked against it.
 * 4. Transcoding to UTF-8, incremental: UTF-16LE/BE, ISO-8859-1 and
 *    US-ASCII natively, any other name through iconv(3). UTF-8 input is
 *    read in place (zero copy, BOM skipped). The transcoder never fails on
 *    bad input, only on NG_ENOMEM: what it cannot decode becomes bytes the
 *    UTF-8 lexer rejects (EUTF8) at the same decoded position, and the
 *    offset map (parsers/common/offmap.h) leads back to the original
 *    byte. Line ends are not normalised and the Char production is not
 *    checked here: the lexer does both, so every encoding of a document
 *    gives the same error codes.
 *
 * iconv_open allocates through libc, not through the ng_alloc hook.
 */
#ifndef NG_PARSERS_XML_ENCODING_H
#define NG_PARSERS_XML_ENCODING_H

#include <iconv.h>
#include <stddef.h>

#include "../common/offmap.h"

/* Encodings (ng__xml_enc.kind). */
enum {
  NG__XML_ENC_NONE = 0, /* none declared / no override */
  NG__XML_ENC_UTF8,     /* read in place */
  NG__XML_ENC_UTF16,    /* byte order from the BOM or the first bytes */
  NG__XML_ENC_UTF16LE,
  NG__XML_ENC_UTF16BE,
  NG__XML_ENC_LATIN1, /* ISO-8859-1 */
  NG__XML_ENC_ASCII,  /* US-ASCII: bytes >= 0x80 are errors */
  NG__XML_ENC_ICONV   /* any other name, through iconv(3) */
};

/* Room for an encoding name and its NUL. */
#define NG__XML_ENC_NAME_MAX 64

typedef struct ng__xml_enc {
  int kind;                        /* NG__XML_ENC_* */
  char name[NG__XML_ENC_NAME_MAX]; /* canonical ("UTF-8"), or the iconv
                                      name as written; "" for NONE */
} ng__xml_enc;

/*
 * Sets *enc from the name s[0..n) (not NUL-terminated). Names match
 * case-insensitively: UTF-8/UTF8; UTF-16/UTF16/UCS-2/ISO-10646-UCS-2
 * (UTF16); UTF-16LE, UTF-16BE and the UTF16LE/UCS-2LE forms; ISO-8859-1
 * with its aliases (latin1, l1, ISO_8859-1, ISO8859-1, ISO-IR-100, CP819,
 * IBM819, csISOLatin1); US-ASCII with its aliases (ASCII, ANSI_X3.4-1968,
 * ANSI_X3.4-1986, ISO646-US, ISO-IR-6, US, IBM367, CP367, csASCII). Any
 * other valid name is NG__XML_ENC_ICONV; whether iconv can open it is
 * checked later. Returns NG_OK, or NG_EENCODING (*enc is NONE) when s is
 * not an EncName ([A-Za-z] [A-Za-z0-9._-]*) or is too long.
 */
int ng__xml_enc_name(ng__xml_enc *enc, const char *s, size_t n);

/*
 * The message for NG_EUTF8 in a document decoded from enc: what the
 * transcoder's marker bytes stand for there ("invalid UTF-8" for UTF-8).
 */
const char *ng__xml_enc_bad_char(const ng__xml_enc *enc);

/* Families told by Appendix F from the first bytes. */
enum {
  NG__XML_FAM_UTF8 = 0,  /* UTF-8 BOM, or nothing recognised: UTF-8 */
  NG__XML_FAM_ASCII,     /* 3C 3F 78 6D: an ASCII-compatible encoding */
  NG__XML_FAM_UTF16LE,   /* FF FE, or 3C 00 3F 00 */
  NG__XML_FAM_UTF16BE,   /* FE FF, or 00 3C 00 3F */
  NG__XML_FAM_UCS4_1234, /* 00 00 FE FF, or 00 00 00 3C */
  NG__XML_FAM_UCS4_4321, /* FF FE 00 00, or 3C 00 00 00 */
  NG__XML_FAM_UCS4_2143, /* 00 00 FF FE, or 00 00 3C 00 */
  NG__XML_FAM_UCS4_3412, /* FE FF 00 00, or 00 3C 00 00 */
  NG__XML_FAM_EBCDIC     /* 4C 6F A7 94 */
};

/*
 * The Appendix F family of data[0..len) (len may be under 4: only the BOMs
 * that fit are recognised); *bom gets the byte order mark's length (0, 2, 3
 * or 4). A UCS-4 BOM wins over the UTF-16 BOM it starts with.
 */
int ng__xml_detect(const unsigned char *data, size_t len, size_t *bom);

/*
 * XML line and byte column of original offset off in data[0..len), before
 * any decoding: code units of the detected family (UTF-16 by pairs, else
 * bytes), CR, LF and CR LF each ending a line, column 1 the first byte
 * after a BOM. For positions found before the text is decoded (max_input).
 */
void ng__xml_raw_linecol(const unsigned char *data, size_t len, size_t off,
                         size_t *line, size_t *col);

/*
 * The same positions over input fed in chunks (a stream's max_input, the
 * bytes before the chunk being gone): init with the family and BOM length
 * of the input's first bytes, feed every byte in order (the BOM too).
 */
typedef struct ng__xml_rawpos {
  size_t off;        /* original bytes fed */
  size_t line;       /* XML line of the next unit */
  size_t ls;         /* original offset where that line starts */
  int w;             /* 2-byte units (UTF-16), else bytes */
  int be;            /* 2-byte units are big-endian */
  int cr;            /* the last unit was CR */
  int half;          /* a unit's first byte came without its second */
  unsigned char odd; /*   that byte */
} ng__xml_rawpos;

void ng__xml_rawpos_init(ng__xml_rawpos *r, int family, size_t bom);

/* Counts p[0..n), the bytes that follow those fed. */
void ng__xml_rawpos_feed(ng__xml_rawpos *r, const unsigned char *p, size_t n);

/* Line and column of original offset r->off + k, where p[0..n) (k <= n)
 * follows the bytes fed, as ng__xml_raw_linecol gives them on the whole
 * input; r is not changed. */
void ng__xml_rawpos_at(const ng__xml_rawpos *r, const unsigned char *p,
                       size_t n, size_t k, size_t *line, size_t *col);

/* What the first bytes say and what was decided (ng__xml_decide). */
typedef struct ng__xml_sniff {
  int family;           /* NG__XML_FAM_* */
  size_t bom;           /* length of the byte order mark, 0 if none */
  int has_decl;         /* an XML declaration starts the document */
  size_t name_off;      /* original offset of the encoding name */
  size_t name_len;      /* its original bytes; 0: no encoding declared */
  size_t name_line;     /* XML line and byte column of name_off */
  size_t name_col;      /*   (column 1 is the first byte after a BOM) */
  ng__xml_enc declared; /* the declared name, canonical; NONE if none */
  ng__xml_enc enc;      /* decision: never NONE or UTF16 */
  size_t skip;          /* original bytes before the text: a skipped BOM */
} ng__xml_sniff;

/*
 * Detects, reads the declaration and decides the encoding of
 * data[0..len). more says that further bytes may follow (a stream's first
 * window): when the first 4 bytes or the declaration, as far as the
 * decision reads it, are cut by len, the answer is NG__SUSPENDED
 * (parsers/common/stream.h; *err untouched): call again with more bytes.
 * Any other answer is the one the whole input gives, for every len. Without
 * more, data is the whole input (a declaration cut short reads as having
 * no encoding). force (NULL or kind
 * NONE: none) overrides detection and declaration: a BOM of the forced
 * encoding is skipped, anything else is decoded as forced, and for UTF16
 * the byte order comes from the BOM or first bytes (big-endian otherwise).
 * Without force:
 *  - no declared encoding: UTF-8 (BOM or not), UTF-16 with its BOM; UTF-16
 *    without BOM is an error at offset 0;
 *  - the UTF-8 BOM admits only UTF-8; a UTF-16 BOM or UTF-16 byte pattern
 *    only UTF-16 and the UTF-16LE/BE of its byte order; the 8-bit pattern
 *    no UTF-16 name, and an iconv name only if the declaration up to the
 *    closing quote of the name decodes to the same bytes in it;
 *  - UCS-4 and EBCDIC families are errors at offset 0.
 * Errors: NG_EENCODING (an invalid, unsupported or contradicted name at
 * the name's offset, line and column; else at offset 0), NG_ENOMEM. *err
 * (may be NULL) is filled on error, cleared on success; *s is always filled
 * as far as detection went.
 */
int ng__xml_decide(const unsigned char *data, size_t len, int more,
                   const ng__xml_enc *force, ng__xml_sniff *s, ng_error *err);

/*
 * Incremental transcoder to UTF-8. Feed the input (after any BOM) in chunks
 * of any size; a code unit, surrogate pair or multibyte character cut by a
 * chunk boundary is kept until the next feed, so every split of the input
 * gives the same text and the same offset map. Bad input becomes:
 *  - an unpaired UTF-16 surrogate: its 3-byte form ED A0..BF xx;
 *  - an odd trailing byte (UTF-16), a byte iconv rejects (EILSEQ) or that
 *    ends the input in the middle of a character, a US-ASCII byte >= 0x80:
 *    the byte 0xFF.
 * ISO-8859-1 and US-ASCII map every original byte to one character, UTF-16
 * every code unit or pair; iconv characters are found by feeding iconv the
 * shortest prefix it converts (exact for stateless and shift-state
 * encodings; for those that hold a character back to compose it with the
 * next, such as CP1255, a character maps to the byte that released it).
 */
typedef struct ng__xml_tc {
  int kind;               /* NG__XML_ENC_*: UTF16LE/BE, LATIN1, ASCII, ICONV */
  const ng_alloc *alc;    /* allocator of out and map; NULL: libc */
  unsigned char *out;     /* the UTF-8 text so far, owned; NULL if none */
  size_t len;             /* bytes of text */
  size_t cap;             /* bytes allocated at out */
  ng__offmap map;         /* text offsets -> original offsets */
  size_t pos;             /* original offset of the next byte to decode */
  unsigned char pend[16]; /* bytes of a character cut by a chunk end */
  size_t npend;           /* bytes in pend */
  unsigned hi;            /* UTF-16: a high surrogate awaiting its pair */
  size_t hi_off;          /*   its original offset */
  iconv_t cd;             /* ICONV: the converter; (iconv_t)-1 otherwise */
  size_t unit;            /* ICONV: original bytes per char of this run */
  int force_cp;           /* ICONV: next char needs a checkpoint */
  int done;               /* final data was fed */
} ng__xml_tc;

/*
 * Prepares tc for enc (UTF16LE, UTF16BE, LATIN1, ASCII or ICONV) whose
 * first byte to be fed sits at original offset `base` (the BOM length).
 * Allocates nothing but iconv's converter. Returns NG_OK, NG_EINVAL (UTF8,
 * UTF16 or NONE: not transcoded), NG_EENCODING (iconv cannot open the name)
 * or NG_ENOMEM; on error there is nothing to free.
 */
int ng__xml_tc_init(ng__xml_tc *tc, const ng__xml_enc *enc, size_t base,
                    const ng_alloc *alc);

/*
 * Decodes in[0..n) (in may be NULL when n is 0) and appends the UTF-8 to
 * tc->out; final says no more input follows (a cut character then becomes
 * 0xFF, a lone high surrogate its 3-byte form). Returns NG_OK, NG_ESTATE
 * after a final feed, or NG_ENOMEM (tc may then only be freed).
 */
int ng__xml_tc_feed(ng__xml_tc *tc, const void *in, size_t n, int final);

/*
 * Push parsing: forgets the text and map decoded so far (keeping their
 * memory), so that the next feed's text starts at out[0], with a
 * checkpoint at 0 for the character it begins with. NG_OK or NG_ENOMEM.
 */
int ng__xml_tc_restart(ng__xml_tc *tc);

/* Releases the text, the map and the converter. */
void ng__xml_tc_free(ng__xml_tc *tc);

/* One-shot: a whole document as UTF-8 with its offset map. */
typedef struct ng__xml_input {
  const unsigned char *text; /* the UTF-8 text, never NULL */
  size_t len;                /* its bytes */
  ng__offmap map;            /* text offsets -> offsets in the data */
  ng__xml_sniff sniff;       /* family, declaration, decision */
  unsigned char *buf;        /* the owned text; NULL when read in place */
  size_t cap;                /* bytes allocated at buf */
  const ng_alloc *alc;       /* allocator of buf and map; NULL: libc */
} ng__xml_input;

/*
 * Decides the encoding of data[0..len) (see ng__xml_decide; force may be
 * NULL) and provides its text: in place for UTF-8 (text = data + BOM),
 * transcoded otherwise. data may be NULL when len is 0. Returns NG_OK,
 * NG_EINVAL (data NULL with len > 0), NG_EENCODING or NG_ENOMEM, filling
 * *err (may be NULL; ENOMEM is reported at offset 0). On error *in holds
 * nothing to release; closing it anyway is harmless.
 */
int ng__xml_input_open(const void *data, size_t len, const ng__xml_enc *force,
                       const ng_alloc *alc, ng__xml_input *in, ng_error *err);

/* Releases what ng__xml_input_open allocated; in may be zeroed. */
void ng__xml_input_close(ng__xml_input *in);

#endif /* NG_PARSERS_XML_ENCODING_H */
