/*
 * parsers/json/lexer.h - the JSON lexer shared by every engine.
 *
 * Strict RFC 8259 / ECMA-404. The token grammar is an re2c specification
 * (parsers/json/lexer.re, generated into build/gen/parsers/json/lexer.c);
 * hand-written loops beside it take the hot paths (whitespace, string
 * bodies, digits) and must agree with it (tests/test_json_lexer.c checks
 * ng__json_next against ng__json_lex on every corpus and generated input).
 *
 * Input is (pointer, length): the buffer has no padding and no terminator,
 * is never read at or past `end` and never written; NUL bytes are data (and,
 * being invalid everywhere in JSON, always an error).
 *
 * The lexer does all the checking that belongs to single tokens, so errors
 * are identical whatever engine drives it:
 *  - strings: escapes (all of \" \\ \/ \b \f \n \r \t \uXXXX), surrogate
 *    pairs (a lone surrogate is NG_ESURROGATE unless
 *    NG_JSON_ALLOW_LONE_SURROGATES), UTF-8 validity (overlongs, encoded
 *    surrogates, > U+10FFFF, truncated sequences: NG_EUTF8), raw bytes
 *    0x00-0x1F (NG_ECTRL), max_string on the decoded length (NG_ESTRLIMIT);
 *  - numbers: the exact grammar (NG_ENUMBER for -01, 2., .5, 1e, +1, -),
 *    conversion to INT / UINT / DOUBLE (correctly rounded), doubles beyond
 *    the finite range and, with NG_JSON_BIGINT_REJECT, integers beyond
 *    uint64 are NG_EBIGNUM;
 *  - literals true / false / null exactly; anything else that cannot start
 *    a token is NG_ESYNTAX.
 * A token cut short by the end of input is NG_EEOF at offset `len`.
 *
 * Push parsing (partial buffers): when more input may follow the buffer,
 * a token cut by its end (a string, an escape, a UTF-8 sequence, a number
 * or literal the automaton sees cut) and the end itself are NG__JT_MORE
 * instead, with the cursor left at the token's start: the caller brings
 * more bytes and lexes the same token again from there. Errors found
 * before the end are final. A number or literal that merely reaches the
 * end might go on: the caller ends a partial buffer before any trailing
 * run of bytes that could continue one (ng__json_partial_len), so the
 * fast scanners never meet that case and keep the one-shot hot paths.
 * A string cut that way is not scanned again from its start: the lexer
 * keeps how far its bytes are valid (lx->resume) and what its escapes
 * save so far (in the NG__JT_MORE token's slen), and the next window,
 * which must start at that string, lexes it on from there when it is
 * given the same token.
 *
 * Usage, one token at a time (no lookahead is ever needed):
 *
 *   ng__json_lexer lx;
 *   ng__json_token t;
 *   ng__json_lexer_init(&lx, data, len, opt->flags, max_string);
 *   while (ng__json_next(&lx, &t) > NG__JT_EOF && t.kind != NG__JT_ERROR)
 *     ...;
 *
 * After an ERROR token the lexer position is unspecified: stop. After EOF,
 * further calls return EOF again.
 */
#ifndef NG_PARSERS_JSON_LEXER_H
#define NG_PARSERS_JSON_LEXER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "nestguard/json.h"
#include "internal.h"
#include "../common/vec.h"

/* ----------------------------------------------------------- token kinds
 * Stable order: the LALR engine maps them to lemon's TK_* codes, and
 * NG__JT_EOF is 0 as lemon's end-of-input is 0.
 */
typedef enum ng__jtok {
  NG__JT_EOF = 0,  /* end of input; off == len */
  NG__JT_LBRACE,   /* { */
  NG__JT_RBRACE,   /* } */
  NG__JT_LBRACKET, /* [ */
  NG__JT_RBRACKET, /* ] */
  NG__JT_COLON,    /* : */
  NG__JT_COMMA,    /* , */
  NG__JT_STRING,   /* "..." valid; slen and flags describe the decoding */
  NG__JT_NUMBER,   /* valid and converted: ntype and num */
  NG__JT_TRUE,     /* true */
  NG__JT_FALSE,    /* false */
  NG__JT_NULL,     /* null */
  NG__JT_ERROR,    /* lexical error: code, err_off, msg */
  NG__JT_MORE      /* partial input only: the token at off (or the end)
                      touches the end of the buffer and may go on in the
                      next chunk; lx->cur stays at off. Never a grammar
                      token (not counted in NG__JT_COUNT) */
} ng__jtok;

#define NG__JT_COUNT 13

/* Token flags. */
/* STRING: has escapes, so the decoded bytes differ from the raw body. */
#define NG__JTF_ESCAPED 0x1u

/*
 * One token. Offsets are byte offsets from the start of input. For a STRING
 * the token spans both quotes: the raw body is input[off+1 .. off+len-1)
 * and decodes to exactly slen bytes (slen == len - 2 when not ESCAPED).
 * What only one kind carries shares its bytes with the other kinds' (every
 * stream holds a token: 48 bytes instead of 64); read a field only for its
 * kind.
 */
typedef struct ng__json_token {
  int kind;           /* an ng__jtok */
  unsigned flags;     /* NG__JTF_* */
  size_t off;         /* first byte of the token (EOF: the input length) */
  size_t len;         /* bytes the token spans in the input (EOF/ERROR: 0) */
  union {             /* what the kind carries: one of */
    size_t slen;      /* STRING: decoded length in bytes, without a NUL;
                         MORE, a string cut: what its escapes save */
    union {
      int64_t i;
      uint64_t u;
      double d;
    } num;            /* NUMBER: the value, per ntype */
    size_t err_off;   /* ERROR: the offending byte (>= off), where the error
                         is reported; len when input ended inside the token */
  };
  union {
    ng_json_type ntype; /* NUMBER: NG_JSON_INT, NG_JSON_UINT or
                           NG_JSON_DOUBLE */
    int code;           /* ERROR: the NG_E* code */
  };
  const char *msg;    /* ERROR: static text for ng_error.msg */
} ng__json_token;

/* ----------------------------------------------------------- the lexer */

typedef struct ng__json_lexer {
  const unsigned char *beg; /* input start */
  const unsigned char *cur; /* next byte to read */
  const unsigned char *end; /* one past the last byte; never read */
  size_t max_string;        /* decoded bytes allowed in one string */
  uint32_t resume;          /* push parsing: the string cut by the end
                               (NG__JT_MORE) is valid in its first
                               `resume` bytes; 0: none (or past 4 GiB:
                               lexed again from its start) */
  uint16_t flags;           /* NG_JSON_BIGINT_REJECT,
                               NG_JSON_ALLOW_LONE_SURROGATES */
  unsigned char partial;    /* more input may follow `end` (push parsing):
                               a token that reaches it is NG__JT_MORE */
} ng__json_lexer;

/*
 * Starts lexing data[0..len). flags: the ng_json_options flags (only the
 * ones above matter). max_string: the raw option value, 0 = unlimited.
 * data may be NULL when len is 0.
 */
void ng__json_lexer_init(ng__json_lexer *lx, const char *data, size_t len,
                         unsigned flags, size_t max_string);

/*
 * The length to lex of a partial buffer data[0..len): without its trailing
 * run of bytes that could continue a number or a literal (digits, letters,
 * '.', '+', '-'), which the lexer then reaches as the buffer's end and
 * reads again, complete, with the next chunk. The last 16 bytes are
 * classified at once where there are vectors (the run mostly ends there:
 * a word of text a chunk cut), then a byte at a time.
 */
/* Whether byte c could continue a number or a literal. */
static inline int ng__json_continues(unsigned char c) {
  return (unsigned)(c - '0') < 10u || (unsigned)((c | 0x20) - 'a') < 26u ||
         c == '.' || c == '+' || c == '-';
}

static inline size_t ng__json_partial_len(const char *data, size_t len) {
  unsigned char c;

  if (len == 0 || (unsigned char)data[len - 1] < '+') /* below all of them: */
    return len; /* whitespace or '"', where pretty-printed chunks mostly end */
#ifdef NG__VECTORS
  if (len >= 16) {
    ng__v16 v, m;
    memcpy(&v, data + len - 16, 16);
    m = (ng__v16)(((ng__v16)(v - '0') < 10) |
                  ((ng__v16)((v | 0x20) - 'a') < 26) | (v == '.') |
                  (v == '+') | (v == '-'));
    if (ng__v16_any(~m))
      return len - 15 + ng__v16_last(~m);
    len -= 16;
  }
#endif
  while (len > 0) {
    c = (unsigned char)data[len - 1];
    if (!ng__json_continues(c))
      break;
    len--;
  }
  return len;
}

/*
 * Moves the lexer to a new buffer data[0..len) of the same input (push
 * parsing, parsers/json/stream.c): offsets of later tokens count from
 * data. partial: more input may follow (see NG__JT_MORE); 0 for the last
 * buffer, where the end is the end of input. len is then already cut by
 * ng__json_partial_len. After a string was cut (lx->resume), data must
 * start at that string: the cursor is parked at the end, so that the next
 * read takes the slow path, which lexes the string on where it was cut
 * (with the token of the cut: its slen).
 */
static inline void ng__json_lexer_window(ng__json_lexer *lx, const char *data,
                                         size_t len, int partial) {
  lx->beg = (const unsigned char *)data;
  lx->end = lx->beg + len;
  lx->cur = lx->resume != 0 ? lx->end : lx->beg;
  lx->partial = (unsigned char)partial;
}

/*
 * Lexes the next token into *t with the re2c automaton only (reference
 * path; slower). Returns t->kind. Skips whitespace (space, \t, \n, \r).
 */
int ng__json_lex(ng__json_lexer *lx, ng__json_token *t);

/*
 * Lexes the next token into *t. Identical results to ng__json_lex, faster:
 * punctuation right at the cursor inline (below), strings and numbers
 * right at the cursor by their hand-written scanners, anything else
 * (whitespace first, literals, errors, the end) through ng__json_next_slow,
 * with the automaton as fallback. Returns t->kind.
 */
int ng__json_next_slow(ng__json_lexer *lx, ng__json_token *t);

/* The scanners ng__json_next dispatches to: the byte at lx->cur is '"'
 * (string) or '-' or a digit (number). */
int ng__json_next_string(ng__json_lexer *lx, ng__json_token *t);
int ng__json_next_number(ng__json_lexer *lx, ng__json_token *t);

/*
 * The DOM's direct path (direct.h), which reads the common values without
 * a token. The byte at lx->cur is '"' (string) or '-' or a digit (number).
 * When the value is plain (a string without escapes, of at most max_string
 * and under 4 GiB bytes; a number in range), they return its end and
 * leave lx->cur and *t alone, but for a number's ntype and num in *t.
 * Otherwise they lex its token into *t as ng__json_next_string and
 * ng__json_next_number would, move the cursor as those do, and return
 * NULL.
 */
const unsigned char *ng__json_string_end(ng__json_lexer *lx,
                                         ng__json_token *t);
/* ng__json_string_end for a member key: the same results, its scan tuned
 * to lengths that recur (skip_plain in lexer.re). */
const unsigned char *ng__json_key_end(ng__json_lexer *lx, ng__json_token *t);
const unsigned char *ng__json_number_end(ng__json_lexer *lx,
                                         ng__json_token *t);

/* Flags the bytes of v that end a plain run: '"', '\\', below 0x20 and
 * from 0x80 (negative as signed bytes). */
#ifdef NG__VECTORS
static inline ng__v16 ng__json_v16_special(ng__v16 v) {
  return (ng__v16)((v == '"') | (v == '\\') | ((ng__vs16)v < 0x20));
}
#endif

/*
 * ng__json_key_end's (keys) or ng__json_string_end's result for a plain
 * ASCII string of at most 31 bytes at lx->cur (its quote), 32 more bytes
 * of input after it: the byte after its closing quote, without the call;
 * NULL for any other string, which those then take (twitter.json: 13,345
 * keys, about 75 instructions each through the call). A key's first stop
 * is found by predicted branches, as ng__json_key_end does (an object's
 * keys recur): with the count of trailing zeros instead, citm_catalog
 * took 18 % longer than through the call, though 10 % fewer instructions.
 */
static inline const unsigned char *ng__json_short_string(
    const ng__json_lexer *lx, int keys) {
#ifdef NG__VECTORS
  const unsigned char *c = lx->cur;
  ng__v16 v, m;
  unsigned i;

  if (lx->end - c <= 32)
    return NULL;
  memcpy(&v, c + 1, 16);
  m = ng__json_v16_special(v);
  if (ng__v16_any(m)) {
    i = keys ? ng__v16_first_branchy(m) : ng__v16_first(m);
  } else {
    memcpy(&v, c + 17, 16);
    m = ng__json_v16_special(v);
    if (!ng__v16_any(m))
      return NULL;
    i = 16 + ng__v16_first(m);
  }
  if (c[1 + i] != '"' || i > lx->max_string)
    return NULL;
  return c + 2 + i;
#else
  (void)lx;
  (void)keys;
  return NULL;
#endif
}

/* ng__json_number_end for the number at lx->cur whose integer part
 * ng__json_int_end read: its digits' value w, p the byte after them. */
const unsigned char *ng__json_number_rest(ng__json_lexer *lx,
                                          ng__json_token *t,
                                          const unsigned char *p,
                                          uint64_t w);

/* The one-byte token `kind` at p (== lx->cur): fills t, moves past it. */
static inline int ng__json_punct(ng__json_lexer *lx, ng__json_token *t,
                                 const unsigned char *p, int kind) {
  t->kind = kind;
  t->flags = 0;
  t->off = (size_t)(p - lx->beg);
  t->len = 1;
  lx->cur = p + 1;
  return kind;
}

/* JSON's four whitespace bytes. */
static inline int ng__json_is_ws(unsigned char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

#ifdef NG__VECTORS
/* 0xFF for each of JSON's four whitespace bytes in v. */
static inline ng__v16 ng__json_ws16(ng__v16 v) {
  return (ng__v16)((v == ' ') | (v == '\n') | (v == '\r') | (v == '\t'));
}
#endif

/*
 * Whitespace before a token, inline: pretty-printed input puts a newline
 * and an indentation before almost every token, which 32-byte steps that
 * look only for newlines and spaces skip (one step for most indentations;
 * 16 bytes cost as many instructions when they are the whole run, but
 * more when they are not); a tab, a CR or any other byte below '!' where
 * they stop sends the rest to 16-byte steps that test all four whitespace
 * bytes. A single byte (": ") is tested first, without the vector. Within
 * 16 bytes of the end (where a push parser's window ends at every chunk,
 * mostly inside an indentation), its first and last 8 bytes in one
 * vector, overlapping; byte by byte under 8: no read past `end`.
 * Forced inline: the compiler would otherwise make a call of it. Returns
 * the first byte that is not whitespace, or end.
 */
NG_INLINE const unsigned char *ng__json_skip_ws(const unsigned char *p,
                                               const unsigned char *end) {
#ifdef NG__VECTORS
  if (end - p >= 2 && p[1] > ' ') /* one byte, as in ": " */
    return p + ng__json_is_ws(*p);
  while (end - p >= 32) { /* newlines and spaces: two compares a vector */
    ng__v16 v, u;
    unsigned n;
    memcpy(&v, p, 16);
    memcpy(&u, p + 16, 16);
    n = ng__v32_run((ng__v16)((v == ' ') | (v == '\n')),
                    (ng__v16)((u == ' ') | (u == '\n')));
    p += n;
    if (n < 32) {
      if (*p > ' ')
        return p;
      break; /* a tab, a CR or a control byte: the four compares */
    }
  }
  while (end - p >= 16) {
    ng__v16 v;
    unsigned n;
    memcpy(&v, p, 16);
    n = ng__v16_run(ng__json_ws16(v));
    p += n;
    if (n < 16)
      return p;
  }
  if (end - p >= 8) { /* the rest's first and last 8 bytes, overlapping */
    uint64_t x, y;
    unsigned n;
    memcpy(&x, p, 8);
    memcpy(&y, end - 8, 8);
    n = ng__v16_run(ng__json_ws16((ng__v16)(ng__v2x64){x, y}));
    return n < 8 ? p + n : end - (16 - n);
  }
#endif
  while (p < end && ng__json_is_ws(*p))
    p++;
  return p;
}

/* ------------------------------------------------ digits 8 at a time
 * Little-endian loads: the first byte is the lowest. ng__json_nondigit8
 * flags (high bit) the first byte of v that is not an ASCII digit: the
 * bytes before it are digits, so no carry or borrow reaches it; flags
 * above it mean nothing, and no flag means eight digits. ng__json_value8
 * takes digit values (bytes 0..9), the first byte the most significant:
 * pairs first, then two products put pairs 0 and 2, and 1 and 3, in place
 * in the high half (no carries: the sum is < 10^8). The number scan
 * (lexer.re) and the DOM's inline integers (ng__json_int_end) use them,
 * forced inline (gcc made calls of them in the recursive engine).
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NG__JSON_SWAR 1
NG_INLINE uint64_t ng__json_nondigit8(uint64_t v) {
  const uint64_t ones = 0x0101010101010101u;
  return ((v + ones * 0x46) | (v - ones * '0')) & ones * 0x80;
}

NG_INLINE uint64_t ng__json_value8(uint64_t x) {
  const uint64_t pairs02 = 0x000000FF000000FFu;
  x = x * 10 + (x >> 8); /* byte 2i: digits 2i and 2i+1 as 0..99 */
  return ((x & pairs02) * (100 + ((uint64_t)1000000 << 32)) +
          ((x >> 16) & pairs02) * (1 + ((uint64_t)10000 << 32))) >>
         32;
}

static const uint64_t ng__json_pow10_u8[8] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};

/* The end of a run of digits: the n < 8 digits at p, before the byte that
 * m flags (bit 8n + 7); v holds the 8 bytes less '0' each. The n go to the
 * top bytes, zeros above them (leading zeros), by 64 - 8n in two steps so
 * that n == 0 is defined: one fold whatever n, no loop exit to mispredict.
 * Stores acc followed by them in *w, returns p + n. Forced inline: gcc
 * made a call of it, a third of its cost. */
NG_INLINE const unsigned char *ng__json_fold_last(const unsigned char *p,
                                                uint64_t v, uint64_t m,
                                                uint64_t acc, uint64_t *w) {
  unsigned b = (unsigned)__builtin_ctzll(m);
  v = (v << 8) << (63 - b);
  *w = acc * ng__json_pow10_u8[b >> 3] + ng__json_value8(v);
  return p + (b >> 3);
}
#endif

/*
 * The integer part of the number at c ('-' or a digit), for the DOM's
 * direct path (direct.h): 1 to 18 digits without a leading zero, read
 * from 19 bytes at the first digit that lie before `end` (so the byte
 * after the digits is among them, and never at a push parser's cut). As
 * the number scanner reads it: three digits byte by byte (their ends are
 * well predicted, and most integer parts end there), the rest with at
 * most two 8-byte loads and no loop. Stores their value in *w and returns
 * the byte after them, which may be anything (the caller tells an integer
 * from a fraction or an exponent). NULL for anything else, which the
 * scanner then takes whole: no digit, a leading zero, 19 digits or more,
 * the end of the buffer near.
 */
NG_INLINE const unsigned char *ng__json_int_end(const unsigned char *c,
                                                const unsigned char *end,
                                                uint64_t *w) {
#ifdef NG__JSON_SWAR
  const uint64_t zeros = 0x0101010101010101u * '0';
  const unsigned char *p = c + (*c == '-');
  uint64_t acc, a, b, ma, mb;
  unsigned d;

  if (end - p < 19 || (acc = (unsigned)(p[0] - '0')) > 9)
    return NULL;
  if ((d = (unsigned)(p[1] - '0')) > 9 || acc == 0) {
    *w = acc;
    return d > 9 ? p + 1 : NULL; /* "0" then a digit: NULL */
  }
  acc = acc * 10 + d;
  if ((d = (unsigned)(p[2] - '0')) > 9) {
    *w = acc;
    return p + 2;
  }
  acc = acc * 10 + d;
  memcpy(&a, p + 3, 8);
  ma = ng__json_nondigit8(a);
  a -= zeros;
  if (ma != 0)
    return ng__json_fold_last(p + 3, a, ma, acc, w);
  memcpy(&b, p + 11, 8);
  if ((mb = ng__json_nondigit8(b)) == 0)
    return NULL;
  return ng__json_fold_last(p + 11, b - zeros, mb,
                            acc * 100000000u + ng__json_value8(a), w);
#else
  (void)c;
  (void)end;
  (void)w;
  return NULL;
#endif
}

static inline int ng__json_next(ng__json_lexer *lx, ng__json_token *t) {
  const unsigned char *p = lx->cur;
  int kind;

  if (NG_UNLIKELY(p >= lx->end))
    return ng__json_next_slow(lx, t);
  if (*p <= ' ') {
    lx->cur = p = ng__json_skip_ws(p, lx->end);
    if (NG_UNLIKELY(p >= lx->end))
      return ng__json_next_slow(lx, t);
  }
  switch (*p) {
  case ',':
    kind = NG__JT_COMMA;
    break;
  case ':':
    kind = NG__JT_COLON;
    break;
  case ']':
    kind = NG__JT_RBRACKET;
    break;
  case '}':
    kind = NG__JT_RBRACE;
    break;
  case '[':
    kind = NG__JT_LBRACKET;
    break;
  case '{':
    kind = NG__JT_LBRACE;
    break;
  case '"':
    return ng__json_next_string(lx, t);
  case '-':
  case '0':
  case '1':
  case '2':
  case '3':
  case '4':
  case '5':
  case '6':
  case '7':
  case '8':
  case '9':
    return ng__json_next_number(lx, t);
  default:
    return ng__json_next_slow(lx, t);
  }
  return ng__json_punct(lx, t, p, kind);
}

/*
 * ng__json_next where a value just ended: the next token is most often ','
 * and otherwise a closing bracket, so those are tested first with plain
 * branches, which predict runs of values better than the byte dispatch.
 * Same results as ng__json_next.
 */
static inline int ng__json_next_after_value(ng__json_lexer *lx,
                                            ng__json_token *t) {
  const unsigned char *p = lx->cur;

  if (NG_LIKELY(p < lx->end && *p == ','))
    return ng__json_punct(lx, t, p, NG__JT_COMMA);
  if (p < lx->end && *p == ']')
    return ng__json_punct(lx, t, p, NG__JT_RBRACKET);
  return ng__json_next(lx, t);
}

/*
 * Writes the decoded bytes of STRING token t to dst[0..t->slen) and a NUL
 * at dst[t->slen]: dst needs t->slen + 1 bytes. Cannot fail (the lexer has
 * validated the token). A lone surrogate allowed by the flag becomes its
 * 3-byte generalized UTF-8 (WTF-8) form. Inline for strings without
 * escapes (a copy); ng__json_decode_escaped decodes the others.
 */
void ng__json_decode_escaped(const ng__json_lexer *lx,
                             const ng__json_token *t, char *dst);

/* Copies the n bytes at s to dst and a NUL after them. Short strings (most
 * keys) with two overlapping fixed-size copies inside the body, instead of
 * a call to memcpy. */
static inline void ng__json_copy_raw(char *dst, const unsigned char *s,
                                     size_t n) {
  if (n >= 8 && n <= 16) {
    memcpy(dst, s, 8);
    memcpy(dst + n - 8, s + n - 8, 8);
  } else if (n >= 4 && n < 8) {
    memcpy(dst, s, 4);
    memcpy(dst + n - 4, s + n - 4, 4);
  } else {
    memcpy(dst, s, n);
  }
  dst[n] = '\0';
}

static inline void ng__json_decode_string(const ng__json_lexer *lx,
                                          const ng__json_token *t, char *dst) {
  if (NG_UNLIKELY(t->flags & NG__JTF_ESCAPED)) {
    ng__json_decode_escaped(lx, t, dst);
    return;
  }
  ng__json_copy_raw(dst, lx->beg + t->off + 1, t->len - 2);
}

/* The raw body of STRING token t (between the quotes), len - 2 bytes. */
static inline const char *ng__json_string_raw(const ng__json_lexer *lx,
                                              const ng__json_token *t) {
  return (const char *)lx->beg + t->off + 1;
}

/*
 * Converts the number text p[0..n), which must match the JSON number
 * grammar, with the lexer's rules: an integer that fits int64 is INT, one
 * that fits uint64 is UINT, anything else (fraction, exponent, "-0", larger
 * integers) is DOUBLE, correctly rounded. Stores ntype/num in *t and returns
 * NG_OK, or NG_EBIGNUM (a double that would be infinite; an integer beyond
 * uint64 under NG_JSON_BIGINT_REJECT). Exposed for tests.
 */
int ng__json_number(const char *p, size_t n, unsigned flags, ng__json_token *t);

/*
 * The double nearest to (neg ? -1 : 1) * w * 10^q, for a number whose text
 * p[0..n) has at most 19 significant digits, all of them in w. Stores a
 * DOUBLE in *t; NG_OK or NG_EBIGNUM (infinite). The text is the fallback's
 * input when the fast paths cannot decide. Used by the lexer's fused scan.
 */
int ng__json_decimal(uint64_t w, long q, int neg, const char *p, size_t n,
                     ng__json_token *t);

/* Short name of a token kind for messages: "'{'", "string", "end of input". */
const char *ng__json_token_name(int kind);

/* Nonzero when a and b are the same token: kind, position and what the
 * kind carries (error code and offset; decoded length and flags; number
 * type and bits). How the tests and the fuzzer compare the two paths. */
static inline int ng__json_token_same(const ng__json_token *a,
                                      const ng__json_token *b) {
  if (a->kind != b->kind || a->off != b->off)
    return 0;
  switch (a->kind) {
  case NG__JT_ERROR:
    return a->code == b->code && a->err_off == b->err_off;
  case NG__JT_STRING:
    return a->len == b->len && a->slen == b->slen && a->flags == b->flags;
  case NG__JT_NUMBER:
    return a->len == b->len && a->ntype == b->ntype &&
           memcmp(&a->num, &b->num, sizeof a->num) == 0;
  default:
    return a->len == b->len;
  }
}

#endif /* NG_PARSERS_JSON_LEXER_H */
