/*
 * tests/test_json_lexer.c - the JSON lexer: tokens, strings, numbers,
 * bounds, and agreement of the fast path (ng__json_next) with the re2c
 * automaton alone (ng__json_lex) on every input.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../parsers/json/lexer.h"
#include "support/corpus.h"
#include "support/testenv.h"

/* ------------------------------------------------------------ helpers */

static int slow_build(void) {
  return ng_test_valgrind() || ng_test_sanitized();
}

/* xorshift64: deterministic pseudo-random numbers. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* Lexes s[0..n) and returns the first token (whitespace skipped). */
static ng__json_token lex1(const char *s, size_t n, unsigned flags) {
  ng__json_lexer lx;
  ng__json_token t;
  memset(&t, 0, sizeof t);
  ng__json_lexer_init(&lx, s, n, flags, 0);
  ng__json_next(&lx, &t);
  return t;
}

#define LEX1(lit) lex1(lit, sizeof(lit) - 1, 0)

/*
 * Lexes data with both paths side by side and fails on the first token
 * that differs. Returns the number of tokens.
 */
static size_t compare_paths(const char *data, size_t n, unsigned flags,
                            size_t max_string) {
  ng__json_lexer a, b;
  ng__json_token ta, tb;
  size_t count = 0;

  ng__json_lexer_init(&a, data, n, flags, max_string);
  ng__json_lexer_init(&b, data, n, flags, max_string);
  for (;;) {
    memset(&ta, 0, sizeof ta);
    memset(&tb, 0, sizeof tb);
    if (count & 1) /* both fast entries, token by token */
      ng__json_next_after_value(&a, &ta);
    else
      ng__json_next(&a, &ta);
    ng__json_lex(&b, &tb);
    if (!ng__json_token_same(&ta, &tb)) {
      fprintf(stderr, "paths differ at token %zu: kind %d/%d off %zu/%zu\n",
              count, ta.kind, tb.kind, ta.off, tb.off);
      fail();
    }
    count++;
    if (ta.kind == NG__JT_EOF || ta.kind == NG__JT_ERROR)
      return count;
  }
}

/* -------------------------------------------------------------- tokens */

static void test_punctuation_and_literals(void **state) {
  static const char in[] = " {\t}\n[\r]:, true false null ";
  static const int kinds[] = {NG__JT_LBRACE,   NG__JT_RBRACE, NG__JT_LBRACKET,
                              NG__JT_RBRACKET, NG__JT_COLON,  NG__JT_COMMA,
                              NG__JT_TRUE,     NG__JT_FALSE,  NG__JT_NULL,
                              NG__JT_EOF};
  static const size_t offs[] = {1, 3, 5, 7, 8, 9, 11, 16, 22, 27};
  ng__json_lexer lx;
  ng__json_token t;
  size_t i;

  (void)state;
  ng__json_lexer_init(&lx, in, sizeof in - 1, 0, 0);
  for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    assert_int_equal(ng__json_next(&lx, &t), kinds[i]);
    assert_int_equal(t.off, offs[i]);
  }
  /* EOF repeats. */
  assert_int_equal(ng__json_next(&lx, &t), NG__JT_EOF);
  assert_int_equal(t.off, sizeof in - 1);
  assert_string_equal(ng__json_token_name(NG__JT_COLON), "':'");
  assert_string_equal(ng__json_token_name(99), "token");
}

static void test_empty_and_null_input(void **state) {
  ng__json_token t;
  (void)state;
  t = lex1(NULL, 0, 0);
  assert_int_equal(t.kind, NG__JT_EOF);
  assert_int_equal(t.off, 0);
  t = lex1(" \n\t\r", 4, 0);
  assert_int_equal(t.kind, NG__JT_EOF);
  assert_int_equal(t.off, 4);
}

typedef struct err_case {
  const char *in;
  size_t len; /* 0: strlen */
  int code;
  size_t err_off;
} err_case;

static void check_errors(const err_case *c, size_t n, unsigned flags) {
  size_t i;
  for (i = 0; i < n; i++) {
    size_t len = c[i].len ? c[i].len : strlen(c[i].in);
    ng__json_token t = lex1(c[i].in, len, flags);
    if (t.kind != NG__JT_ERROR || t.code != c[i].code ||
        t.err_off != c[i].err_off) {
      fprintf(stderr, "case %zu: kind %d code %s at %zu, want %s at %zu\n", i,
              t.kind, ng_err_name(t.code), t.err_off, ng_err_name(c[i].code),
              c[i].err_off);
      fail();
    }
    assert_non_null(t.msg != NULL || t.code == NG_EEOF ? "" : NULL);
    compare_paths(c[i].in, len, flags, 0);
  }
}

static void test_bad_tokens(void **state) {
  static const err_case cases[] = {
      {"tru", 0, NG_EEOF, 3},         {"trux", 0, NG_ESYNTAX, 3},
      {"t", 0, NG_EEOF, 1},           {"nul", 0, NG_EEOF, 3},
      {"nulL", 0, NG_ESYNTAX, 3},     {"fals", 0, NG_EEOF, 4},
      {"falsy", 0, NG_ESYNTAX, 4},    {"True", 0, NG_ESYNTAX, 0},
      {"NaN", 0, NG_ESYNTAX, 0},      {"Infinity", 0, NG_ESYNTAX, 0},
      {"'a'", 0, NG_ESYNTAX, 0},      {"\x00", 1, NG_ESYNTAX, 0},
      {"  \x00 1", 5, NG_ESYNTAX, 2}, {"\xC3\xA9", 0, NG_ESYNTAX, 0},
      {"/* c */", 0, NG_ESYNTAX, 0},  {"\f1", 0, NG_ESYNTAX, 0},
  };
  (void)state;
  check_errors(cases, sizeof cases / sizeof cases[0], 0);
}

/* ------------------------------------------------------------- strings */

typedef struct str_case {
  const char *in;  /* the JSON string token */
  size_t in_len;   /* 0: strlen */
  const char *out; /* decoded bytes */
  size_t out_len;  /* 0: strlen */
} str_case;

static void check_strings(const str_case *c, size_t n, unsigned flags) {
  size_t i;
  for (i = 0; i < n; i++) {
    size_t len = c[i].in_len ? c[i].in_len : strlen(c[i].in);
    size_t olen = c[i].out_len ? c[i].out_len : strlen(c[i].out);
    ng__json_lexer lx;
    ng__json_token t;
    char *dst;

    ng__json_lexer_init(&lx, c[i].in, len, flags, 0);
    if (ng__json_next(&lx, &t) != NG__JT_STRING) {
      fprintf(stderr, "case %zu: kind %d code %s\n", i, t.kind,
              t.kind == NG__JT_ERROR ? ng_err_name(t.code) : "-");
      fail();
    }
    assert_int_equal(t.off, 0);
    assert_int_equal(t.len, len);
    assert_int_equal(t.slen, olen);
    assert_int_equal(!!(t.flags & NG__JTF_ESCAPED),
                     memchr(c[i].in, '\\', len) != NULL);
    dst = malloc(t.slen + 1);
    assert_non_null(dst);
    memset(dst, 0x55, t.slen + 1);
    ng__json_decode_string(&lx, &t, dst);
    assert_memory_equal(dst, c[i].out, olen);
    assert_int_equal(dst[olen], '\0');
    free(dst);
    compare_paths(c[i].in, len, flags, 0);
  }
}

static void test_string_decoding(void **state) {
  static const str_case cases[] = {
      {"\"\"", 0, "", 0},
      {"\"abc\"", 0, "abc", 0},
      {"\"abcd\"", 0, "abcd", 0},
      {"\"abcdefg\"", 0, "abcdefg", 0},
      {"\"abcdefgh\"", 0, "abcdefgh", 0},
      {"\"abcdefghi\"", 0, "abcdefghi", 0},
      {"\"abcdefghijklmno\"", 0, "abcdefghijklmno", 0},
      {"\"abcdefghijklmnop\"", 0, "abcdefghijklmnop", 0},
      {"\"abcdefghijklmnopq\"", 0, "abcdefghijklmnopq", 0},
      {"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", 0, "\"\\/\b\f\n\r\t", 0},
      {"\"\\u0041\\u00e9\\u20AC\"", 0, "A\xC3\xA9\xE2\x82\xAC", 0},
      {"\"\\u0000x\"", 0, "\0x", 2},
      {"\"\\u007f\\u0080\\u07FF\\u0800\\uFFFF\"", 0,
       "\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF", 0},
      {"\"\\ud83d\\ude00\"", 0, "\xF0\x9F\x98\x80", 0},
      {"\"\\uD800\\uDC00\\uDBFF\\uDFFF\"", 0,
       "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF", 0},
      {"\"\\uD7FF\\uE000\"", 0, "\xED\x9F\xBF\xEE\x80\x80", 0},
      {"\"h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF\"", 0,
       "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF", 0},
      {"\"\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF\"", 0,
       "\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF", 0},
      {"\"\x7F del is fine\"", 0, "\x7F del is fine", 0},
      {"\"long plain run of ascii text spanning several words!\"", 0,
       "long plain run of ascii text spanning several words!", 0},
  };
  (void)state;
  check_strings(cases, sizeof cases / sizeof cases[0], 0);
}

static void test_lone_surrogates_allowed(void **state) {
  static const str_case cases[] = {
      {"\"\\uD800\"", 0, "\xED\xA0\x80", 0},
      {"\"\\uDFFF\"", 0, "\xED\xBF\xBF", 0},
      {"\"a\\uD800b\"", 0,
       "a\xED\xA0\x80"
       "b",
       0},
      {"\"\\uD800\\uD800\"", 0, "\xED\xA0\x80\xED\xA0\x80", 0},
      {"\"\\uDC00\\uD800\"", 0, "\xED\xB0\x80\xED\xA0\x80", 0},
      {"\"\\uD800\\u0041\"", 0,
       "\xED\xA0\x80"
       "A",
       0},
      {"\"\\uD83D\\uDE00\"", 0, "\xF0\x9F\x98\x80", 0},
  };
  static const err_case still_bad[] = {
      {"\"\\uD800\\uDC0\"", 0, NG_EESCAPE, 7},
      {"\"\\uD800", 0, NG_EEOF, 7},
  };
  (void)state;
  check_strings(cases, sizeof cases / sizeof cases[0],
                NG_JSON_ALLOW_LONE_SURROGATES);
  check_errors(still_bad, 2, NG_JSON_ALLOW_LONE_SURROGATES);
}

static void test_string_errors(void **state) {
  static const err_case cases[] = {
      /* unterminated, or cut inside an escape or a sequence: EEOF */
      {"\"abc", 0, NG_EEOF, 4},
      {"\"", 0, NG_EEOF, 1},
      {"\"\\", 0, NG_EEOF, 2},
      {"\"\\u12", 0, NG_EEOF, 5},
      {"\"\\uD800\\u", 0, NG_EEOF, 9},
      {"\"\\uD800\\uDC", 0, NG_EEOF, 11},
      {"\"\\uD800", 0, NG_EEOF, 7},
      {"\"\xC3", 0, NG_EEOF, 2},
      {"\"\xE2\x82", 0, NG_EEOF, 3},
      {"\"\xF0\x9F\x98", 0, NG_EEOF, 4},
      /* escapes */
      {"\"\\x\"", 0, NG_EESCAPE, 1},
      {"\"ab\\'\"", 0, NG_EESCAPE, 3},
      {"\"\\U0041\"", 0, NG_EESCAPE, 1},
      {"\"\\u12G4\"", 0, NG_EESCAPE, 1},
      {"\"\\u123\"", 0, NG_EESCAPE, 1},
      {"\"\\\x00\"", 4, NG_EESCAPE, 1},
      /* surrogates */
      {"\"\\uD800\"", 0, NG_ESURROGATE, 1},
      {"\"x\\uDBFF y\"", 0, NG_ESURROGATE, 2},
      {"\"\\uDC00\"", 0, NG_ESURROGATE, 1},
      {"\"\\uDFFF\\uD800\"", 0, NG_ESURROGATE, 1},
      {"\"\\uD800\\uD800\"", 0, NG_ESURROGATE, 1},
      {"\"\\uD800\\u0041\"", 0, NG_ESURROGATE, 1},
      {"\"\\uD800\\n\"", 0, NG_ESURROGATE, 1},
      {"\"\\uD800\\uDC0\"", 0, NG_ESURROGATE, 1},
      /* raw control characters, including NUL and DEL's neighbours */
      {"\"a\x01\"", 0, NG_ECTRL, 2},
      {"\"a\nb\"", 0, NG_ECTRL, 2},
      {"\"\t\"", 0, NG_ECTRL, 1},
      {"\"ab\x00\"", 4, NG_ECTRL, 3},
      {"\"\x1F\"", 0, NG_ECTRL, 1},
      {"\"0123456789abcdef\x1F\"", 0, NG_ECTRL, 17},
      /* UTF-8 */
      {"\"\x80\"", 0, NG_EUTF8, 1},
      {"\"\xBF\"", 0, NG_EUTF8, 1},
      {"\"\xC0\x80\"", 0, NG_EUTF8, 1},         /* overlong NUL */
      {"\"\xC1\xBF\"", 0, NG_EUTF8, 1},         /* overlong */
      {"\"\xE0\x80\x80\"", 0, NG_EUTF8, 1},     /* overlong */
      {"\"\xE0\x9F\xBF\"", 0, NG_EUTF8, 1},     /* overlong */
      {"\"\xF0\x80\x80\x80\"", 0, NG_EUTF8, 1}, /* overlong */
      {"\"\xF0\x8F\xBF\xBF\"", 0, NG_EUTF8, 1}, /* overlong */
      {"\"\xED\xA0\x80\"", 0, NG_EUTF8, 1},     /* encoded surrogate */
      {"\"\xED\xBF\xBF\"", 0, NG_EUTF8, 1},     /* encoded surrogate */
      {"\"\xF4\x90\x80\x80\"", 0, NG_EUTF8, 1}, /* > U+10FFFF */
      {"\"\xF5\x80\x80\x80\"", 0, NG_EUTF8, 1},
      {"\"\xFF\"", 0, NG_EUTF8, 1},
      {"\"\xC3\"", 0, NG_EUTF8, 1}, /* truncated, not at end */
      {"\"\xC3"
       "A\"",
       0, NG_EUTF8, 1},
      {"\"\xE2\x82\"", 0, NG_EUTF8, 1},
      {"\"abc\xE2\x28\xA1\"", 0, NG_EUTF8, 4},
      {"\"abcdefghij\xF0\x9F\x98\"", 0, NG_EUTF8, 11},
      /* a run of 3-byte characters (skipped one test per character)
       * ending in each invalid form, and in an unfinished one */
      {"\"\xE6\x97\xA5\xE6\x9C\xAC\xE0\x9F\xBF\"", 0, NG_EUTF8, 7},
      {"\"\xE6\x97\xA5\xE6\x9C\xAC\xED\xA0\x80\"", 0, NG_EUTF8, 7},
      {"\"\xE6\x97\xA5\xE6\x9C\xAC\xE6\x9C\x41\"", 0, NG_EUTF8, 7},
      {"\"\xE6\x97\xA5\xE6\x9C\xAC\xE6\xC0\xAC\"", 0, NG_EUTF8, 7},
      {"\"\xE6\x97\xA5\xE6\x9C\xAC\xE6\x9C", 0, NG_EEOF, 9},
  };
  (void)state;
  check_errors(cases, sizeof cases / sizeof cases[0], 0);
}

/* A run of k 3-byte characters (the scanner takes five per 16-byte step)
 * and then one sequence of each kind, valid or not, with more of the run
 * after it: the token or error of the automaton, wherever the 16-byte
 * steps fall (0-2 bytes of whitespace before the string). */
static void test_utf8_runs(void **state) {
  static const struct {
    const char *seq; /* what follows the run */
    int ok;          /* 1: valid, the string goes on */
  } tails[] = {
      {"\xE0\xA0\x80", 1},     {"\xED\x9F\xBF", 1},  {"\xEF\xBF\xBF", 1},
      {"\xE0\x9F\xBF", 0},     {"\xED\xA0\x80", 0},  {"\xE6\x9C\x41", 0},
      {"\xE6\xC0\xAC", 0},     {"\xE6\x41\xAC", 0},  {"A", 1},
      {"\xC3\xA9", 1},         {"\xF0\x9F\x98\x80", 1}, {"\x80", 0},
      {"\xF4\x90\x80\x80", 0}, {"\"", 1},            {"\\n", 1},
  };
  char buf[128];
  size_t k, i, pad, n, t0, run;
  (void)state;
  for (k = 0; k <= 12; k++)
    for (i = 0; i < sizeof tails / sizeof tails[0]; i++)
      for (pad = 0; pad < 3; pad++)
        for (run = 0; run <= 6; run += 6) {
          ng__json_token t;
          n = 0;
          memset(buf, ' ', pad);
          n = pad;
          buf[n++] = '"';
          for (t0 = 0; t0 < k; t0++, n += 3)
            memcpy(buf + n, "\xE6\x97\xA5", 3);
          memcpy(buf + n, tails[i].seq, strlen(tails[i].seq));
          n += strlen(tails[i].seq);
          for (t0 = 0; t0 < run; t0++, n += 3)
            memcpy(buf + n, "\xE6\x9C\xAC", 3);
          buf[n++] = '"';
          t = lex1(buf, n, 0);
          if (tails[i].ok) {
            assert_int_equal(t.kind, NG__JT_STRING);
          } else {
            assert_int_equal(t.kind, NG__JT_ERROR);
            assert_int_equal(t.code, NG_EUTF8);
            assert_int_equal(t.err_off, pad + 1 + 3 * k);
          }
          compare_paths(buf, n, 0, 0);
          compare_paths(buf, n - 1, 0, 0); /* the closing quote cut */
        }
}

/* The DOM's direct entries ng__json_string_end and ng__json_key_end on
 * the string at s + at: the end of a plain string, else NULL and the
 * automaton's token. */
static void check_string_end(const char *s, size_t n, size_t at) {
  const unsigned char *(*const ends[2])(ng__json_lexer *,
                                        ng__json_token *) = {
      ng__json_string_end, ng__json_key_end};
  ng__json_lexer lx, ref;
  ng__json_token t, tr;
  const unsigned char *q;
  int i;

  ng__json_lexer_init(&ref, s, n, 0, 0);
  ref.cur = ref.beg + at;
  memset(&tr, 0, sizeof tr);
  ng__json_lex(&ref, &tr);
  for (i = 0; i < 2; i++) {
    ng__json_lexer_init(&lx, s, n, 0, 0);
    lx.cur = lx.beg + at;
    memset(&t, 0, sizeof t);
    q = ends[i](&lx, &t);
    if (tr.kind == NG__JT_STRING && tr.flags == 0) {
      assert_non_null(q);
      assert_int_equal(q - lx.beg, tr.off + tr.len);
    } else {
      assert_null(q);
      assert_true(ng__json_token_same(&t, &tr));
    }
  }
}

/* The string scan takes 16 bytes a step and finds the first byte that
 * stops a plain run by a ctz or by branches on its flags (keys, the
 * DOM's direct path: ng__json_key_end): a string of plain bytes
 * with one stop (a quote, a backslash escape, a control byte, a valid or
 * a broken UTF-8 sequence) at every position of the first three steps,
 * whatever their alignment (0-15 bytes of whitespace before the string),
 * and the string cut there by the end: the token or error of the
 * automaton, and a plain string ends at its quote, on both paths. */
static void test_string_stops(void **state) {
  static const char *const stops[] = {"\"",       "\\n",  "\x01", "\x1f",
                                      "\xC3\xA9", "\x80", "\xE6\x97\xA5",
                                      "\x7f\""};
  char buf[96];
  size_t pad, at, s, n, sl;
  (void)state;
  for (pad = 0; pad < 16; pad++)
    for (at = 0; at <= 48; at++)
      for (s = 0; s < sizeof stops / sizeof stops[0]; s++) {
        memset(buf, ' ', pad);
        buf[pad] = '"';
        memset(buf + pad + 1, 'a', at);
        sl = strlen(stops[s]);
        memcpy(buf + pad + 1 + at, stops[s], sl);
        n = pad + 1 + at + sl;
        memcpy(buf + n, "bc\"", 3);
        n += 3;
        if (s == 0) {
          ng__json_token t = lex1(buf, n, 0);
          assert_int_equal(t.kind, NG__JT_STRING);
          assert_int_equal(t.off, pad);
          assert_int_equal(t.len, at + 2);
        }
        compare_paths(buf, n, 0, 0);
        compare_paths(buf, pad + 1 + at + sl, 0, 0); /* cut after the stop */
        compare_paths(buf, pad + 1 + at, 0, 0);      /* cut at the stop */
        check_string_end(buf, n, pad);
        check_string_end(buf, pad + 1 + at + sl, pad);
        check_string_end(buf, pad + 1 + at, pad);
      }
}

/* Text mixing ASCII and 3-byte characters, which the scanner takes in
 * 16-byte steps of plain bytes and of five 3-byte characters (skip_plain,
 * skip_utf8_3x5 in lexer.re), and byte by byte: u characters of a mix,
 * then one sequence of each kind, valid or not, then more of the mix; at
 * every alignment (0-15 bytes of whitespace), so that the sequence and
 * the characters before it fall at every position of a step and across
 * its end. The token or error of the automaton on both paths, for the
 * whole input and for every prefix of it (the buffer's end anywhere). */
static void test_utf8_mixed(void **state) {
  static const char *const tails[] = {
      "\xE0\xA0\x80", "\xED\x9F\xBF", "\xED\xA0\x80",     "\xE0\x9F\xBF",
      "\xE6\x97",     "\xE6\x41",     "\xC3\xA9",         "\xF0\x9F\x98\x80",
      "\x80",         "\xC0\x80",     "\xF4\x90\x80\x80", "\xFF",
      "\"",           "\\n",          "\x01",             "\xE6\xC0\xAC"};
  char buf[160];
  size_t pad, u, i, k, n, start;
  (void)state;
  for (pad = 0; pad < 16; pad++)
    for (u = 0; u <= 24; u++)
      for (i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        memset(buf, ' ', pad);
        start = pad;
        n = pad;
        buf[n++] = '"';
        for (k = 0; k < u + 12; k++) {
          if (k == u) {
            memcpy(buf + n, tails[i], strlen(tails[i]));
            n += strlen(tails[i]);
          }
          if (k % 3 == 1) {
            buf[n++] = 'a';
          } else {
            memcpy(buf + n, "\xE6\x97\xA5", 3);
            n += 3;
          }
        }
        buf[n++] = '"';
        for (k = start + 1; k <= n; k++) {
          if (slow_build() && k != n && k % 7 != 0)
            continue; /* valgrind, sanitizers: some prefixes */
          compare_paths(buf, k, 0, 0);
          check_string_end(buf, k, start);
        }
      }
}

static void test_string_limit(void **state) {
  static const char in[] = "  \"abcd\\u00e9\"";
  ng__json_lexer lx;
  ng__json_token t;
  (void)state;
  /* Decoded length 6 ("abcd" + 2-byte e-acute): 6 passes, 5 fails. */
  ng__json_lexer_init(&lx, in, sizeof in - 1, 0, 6);
  assert_int_equal(ng__json_next(&lx, &t), NG__JT_STRING);
  assert_int_equal(t.slen, 6);
  ng__json_lexer_init(&lx, in, sizeof in - 1, 0, 5);
  assert_int_equal(ng__json_next(&lx, &t), NG__JT_ERROR);
  assert_int_equal(t.code, NG_ESTRLIMIT);
  assert_int_equal(t.err_off, 2);
  assert_int_equal(compare_paths(in, sizeof in - 1, 0, 5), 1);
  /* Without escapes (the scanner's own exit), the same boundary. */
  ng__json_lexer_init(&lx, " \"abcdef\"", 9, 0, 6);
  assert_int_equal(ng__json_next(&lx, &t), NG__JT_STRING);
  assert_int_equal(t.slen, 6);
  ng__json_lexer_init(&lx, " \"abcdef\"", 9, 0, 5);
  assert_int_equal(ng__json_next(&lx, &t), NG__JT_ERROR);
  assert_int_equal(t.code, NG_ESTRLIMIT);
  assert_int_equal(t.err_off, 1);
}

/* ------------------------------------------------------------- numbers */

typedef struct num_case {
  const char *in;
  ng_json_type type;
  int64_t i;
  uint64_t u;
  double d;
} num_case;

static void check_number(const char *in, size_t n, unsigned flags,
                         const ng__json_token *want) {
  ng__json_token t = lex1(in, n, flags);
  if (t.kind != NG__JT_NUMBER || t.ntype != want->ntype ||
      (t.ntype == NG_JSON_DOUBLE
           ? memcmp(&t.num.d, &want->num.d, sizeof t.num.d) != 0
           : t.num.u != want->num.u)) {
    fprintf(stderr, "%.*s: kind %d type %d (%.17g / %lld)\n", (int)n, in,
            t.kind, (int)t.ntype, t.num.d, (long long)t.num.i);
    fail();
  }
  assert_int_equal(t.len, n);
  compare_paths(in, n, flags, 0);
}

static void test_number_values(void **state) {
  static const num_case cases[] = {
      {"0", NG_JSON_INT, 0, 0, 0},
      {"-1", NG_JSON_INT, -1, 0, 0},
      {"123456789", NG_JSON_INT, 123456789, 0, 0},
      {"9223372036854775807", NG_JSON_INT, INT64_MAX, 0, 0},
      {"-9223372036854775808", NG_JSON_INT, INT64_MIN, 0, 0},
      {"9223372036854775808", NG_JSON_UINT, 0, 9223372036854775808u, 0},
      {"18446744073709551615", NG_JSON_UINT, 0, UINT64_MAX, 0},
      {"18446744073709551616", NG_JSON_DOUBLE, 0, 0, 18446744073709551616.0},
      {"-9223372036854775809", NG_JSON_DOUBLE, 0, 0, -9223372036854775809.0},
      {"100000000000000000000000", NG_JSON_DOUBLE, 0, 0, 1e23},
      {"-0", NG_JSON_DOUBLE, 0, 0, -0.0},
      {"-0.0", NG_JSON_DOUBLE, 0, 0, -0.0},
      {"0.0", NG_JSON_DOUBLE, 0, 0, 0.0},
      {"0e0", NG_JSON_DOUBLE, 0, 0, 0.0},
      {"1.5", NG_JSON_DOUBLE, 0, 0, 1.5},
      {"-2.25e2", NG_JSON_DOUBLE, 0, 0, -225.0},
      {"1E+2", NG_JSON_DOUBLE, 0, 0, 100.0},
      {"1e-2", NG_JSON_DOUBLE, 0, 0, 0.01},
      {"0.1", NG_JSON_DOUBLE, 0, 0, 0.1},
      {"1e22", NG_JSON_DOUBLE, 0, 0, 1e22},
      {"1e23", NG_JSON_DOUBLE, 0, 0, 1e23},
      {"9007199254740993.0", NG_JSON_DOUBLE, 0, 0, 9007199254740992.0},
      {"9007199254740995.0", NG_JSON_DOUBLE, 0, 0, 9007199254740996.0},
      {"1.7976931348623157e308", NG_JSON_DOUBLE, 0, 0, 1.7976931348623157e308},
      {"1.7976931348623158e308", NG_JSON_DOUBLE, 0, 0, 1.7976931348623157e308},
      {"2.2250738585072014e-308", NG_JSON_DOUBLE, 0, 0,
       2.2250738585072014e-308},
      {"2.2250738585072011e-308", NG_JSON_DOUBLE, 0, 0,
       2.2250738585072011e-308},
      {"4.9406564584124654e-324", NG_JSON_DOUBLE, 0, 0,
       4.9406564584124654e-324},
      {"2.4703282292062328e-324", NG_JSON_DOUBLE, 0, 0,
       4.9406564584124654e-324},
      {"2.4703282292062327e-324", NG_JSON_DOUBLE, 0, 0, 0.0},
      {"1e-400", NG_JSON_DOUBLE, 0, 0, 0.0},
      {"-1e-400", NG_JSON_DOUBLE, 0, 0, -0.0},
      {"0.000000000000000000000000000001", NG_JSON_DOUBLE, 0, 0, 1e-30},
      {"123456789012345678901234567890e-10", NG_JSON_DOUBLE, 0, 0,
       12345678901234567890.1234567890},
      {"1e00000000000000000000000000001", NG_JSON_DOUBLE, 0, 0, 10.0},
      {"0e99999999999999999999", NG_JSON_DOUBLE, 0, 0, 0.0},
      {"1e-99999999999999999999", NG_JSON_DOUBLE, 0, 0, 0.0},
      {"3.14159265358979323846264338327950288", NG_JSON_DOUBLE, 0, 0,
       3.14159265358979323846264338327950288},
      {"-65.613616999999977", NG_JSON_DOUBLE, 0, 0, -65.613616999999977},
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ng__json_token w;
    memset(&w, 0, sizeof w);
    w.ntype = cases[i].type;
    if (w.ntype == NG_JSON_INT)
      w.num.i = cases[i].i;
    else if (w.ntype == NG_JSON_UINT)
      w.num.u = cases[i].u;
    else
      w.num.d = cases[i].d;
    check_number(cases[i].in, strlen(cases[i].in), 0, &w);
  }
}

/* A long exact halfway case: 2^-1074 * 1.5 written out needs 767 digits
 * after "0.", and only the last digits decide the rounding. */
static void test_number_long_digits(void **state) {
  char buf[1200];
  size_t n;
  double ref;
  ng__json_token w;
  (void)state;
  /* 1 followed by 800 zeros and a 1, times 10^-800: just above 1. */
  buf[0] = '1';
  buf[1] = '.';
  memset(buf + 2, '0', 800);
  buf[802] = '1';
  n = 803;
  memset(&w, 0, sizeof w);
  w.ntype = NG_JSON_DOUBLE;
  w.num.d = 1.0;
  check_number(buf, n, 0, &w);
  /* 2^53 + 1 followed by many zeros then a 1: above the tie, rounds up. */
  n = (size_t)snprintf(buf, sizeof buf, "9007199254740993.");
  memset(buf + n, '0', 900);
  n += 900;
  buf[n++] = '1';
  ref = 9007199254740994.0;
  w.num.d = ref;
  check_number(buf, n, 0, &w);
  /* The same without the final 1 is an exact tie: to even (down). */
  w.num.d = 9007199254740992.0;
  check_number(buf, n - 1, 0, &w);
}

static void test_number_errors(void **state) {
  static const err_case cases[] = {
      {"-", 0, NG_EEOF, 1},
      {"-x", 0, NG_ENUMBER, 1},
      {"- 1", 0, NG_ENUMBER, 1},
      {"01", 0, NG_ENUMBER, 1},
      {"-01", 0, NG_ENUMBER, 2},
      {"00", 0, NG_ENUMBER, 1},
      {"2.", 0, NG_EEOF, 2},
      {"2.x", 0, NG_ENUMBER, 2},
      {"2.e3", 0, NG_ENUMBER, 2},
      {".5", 0, NG_ENUMBER, 0},
      {"+1", 0, NG_ENUMBER, 0},
      {"1e", 0, NG_EEOF, 2},
      {"1e+", 0, NG_EEOF, 3},
      {"1ex", 0, NG_ENUMBER, 2},
      {"1.5E-", 0, NG_EEOF, 5},
      {"1.5E-a", 0, NG_ENUMBER, 5},
      {"-.5", 0, NG_ENUMBER, 1},
      {"1e400", 0, NG_EBIGNUM, 0},
      {"-1e400", 0, NG_EBIGNUM, 0},
      {"1.8e308", 0, NG_EBIGNUM, 0},
      {" 123e99999999999999", 0, NG_EBIGNUM, 1},
  };
  static const err_case bigint[] = {
      {"18446744073709551616", 0, NG_EBIGNUM, 0},
      {"-9223372036854775809", 0, NG_EBIGNUM, 0},
      {"123456789012345678901234567890", 0, NG_EBIGNUM, 0},
  };
  ng__json_token w;
  (void)state;
  check_errors(cases, sizeof cases / sizeof cases[0], 0);
  check_errors(bigint, sizeof bigint / sizeof bigint[0], NG_JSON_BIGINT_REJECT);
  /* The flag leaves integers in range and doubles alone. */
  memset(&w, 0, sizeof w);
  w.ntype = NG_JSON_UINT;
  w.num.u = UINT64_MAX;
  check_number("18446744073709551615", 20, NG_JSON_BIGINT_REJECT, &w);
  w.ntype = NG_JSON_DOUBLE;
  w.num.d = 1e30;
  check_number("1e30", 4, NG_JSON_BIGINT_REJECT, &w);
}

/* A number followed by other bytes ends where the grammar ends. */
static void test_number_boundaries(void **state) {
  ng__json_lexer lx;
  ng__json_token t;
  static const char in[] = "12,-3]4.5e1}0 7";
  static const size_t lens[] = {2, 2, 5, 1, 1};
  size_t i = 0;
  (void)state;
  ng__json_lexer_init(&lx, in, sizeof in - 1, 0, 0);
  while (ng__json_next(&lx, &t) != NG__JT_EOF) {
    if (t.kind == NG__JT_NUMBER)
      assert_int_equal(t.len, lens[i++]);
  }
  assert_int_equal(i, 5);
  compare_paths(in, sizeof in - 1, 0, 0);
}

/* Random doubles and random digit strings agree with strtod (glibc's is
 * correctly rounded). */
/* Integers of every length up to 18 digits (the ones that are INT on
 * either sign), random digits, then the end or a byte that ends them:
 * value and length exact (the scanner takes a fourth digit on 16 at a
 * time). */
static void test_number_integer_lengths(void **state) {
  static const char *const tails[] = {"", ",", "]", " ", "}"};
  char buf[48];
  int nd, k, i, p;
  size_t j;
  (void)state;
  for (nd = 1; nd <= 18; nd++)
    for (k = 0; k < 200; k++)
      for (j = 0; j < sizeof tails / sizeof tails[0]; j++) {
        ng__json_token t;
        p = 0;
        if (k & 1)
          buf[p++] = '-';
        buf[p++] = (char)((nd == 1 ? '0' : '1') + rnd() % (nd == 1 ? 10 : 9));
        for (i = 1; i < nd; i++)
          buf[p++] = (char)('0' + rnd() % 10);
        memcpy(buf + p, tails[j], strlen(tails[j]));
        t = lex1(buf, (size_t)p + strlen(tails[j]), 0);
        assert_int_equal(t.kind, NG__JT_NUMBER);
        assert_int_equal(t.len, (size_t)p);
        buf[p] = '\0';
        if (strcmp(buf, "-0") == 0)
          continue; /* a DOUBLE, -0.0 */
        assert_int_equal(t.ntype, NG_JSON_INT);
        assert_true(t.num.i == strtoll(buf, NULL, 10));
      }
}

static void test_number_random_vs_strtod(void **state) {
  long n = slow_build() ? 20000 : 400000, k;
  char buf[160];
  (void)state;
  for (k = 0; k < n; k++) {
    int len, mode = (int)(rnd() % 4);
    ng__json_token t;
    double ref;
    if (mode == 0) {
      uint64_t bits = rnd();
      double d;
      memcpy(&d, &bits, sizeof d);
      if (!isfinite(d))
        continue;
      len = snprintf(buf, sizeof buf, "%.*e", (int)(rnd() % 18), d);
    } else if (mode == 1) {
      int nd = 1 + (int)(rnd() % 24), p = 0, i;
      if (rnd() & 1)
        buf[p++] = '-';
      buf[p++] = (char)('1' + rnd() % 9);
      for (i = 1; i < nd; i++)
        buf[p++] = (char)('0' + rnd() % 10);
      buf[p++] = '.';
      buf[p++] = (char)('0' + rnd() % 10);
      len = p + snprintf(buf + p, sizeof buf - (size_t)p, "e%d",
                         (int)(rnd() % 660) - 340);
    } else if (mode == 2) { /* near a tie between two doubles */
      uint64_t bits = rnd() & 0x7FEFFFFFFFFFFFFFu;
      double d, up;
      memcpy(&d, &bits, sizeof d);
      up = nextafter(d, INFINITY);
      len = snprintf(buf, sizeof buf, "%.24Le",
                     ((long double)d + (long double)up) / 2);
    } else {
      len =
          snprintf(buf, sizeof buf, "%llu.%llue%d",
                   (unsigned long long)(rnd() >> (rnd() % 64)),
                   (unsigned long long)(rnd() % 1000), (int)(rnd() % 40) - 20);
    }
    ref = strtod(buf, NULL);
    t = lex1(buf, (size_t)len, 0);
    if (isinf(ref)) {
      assert_int_equal(t.kind, NG__JT_ERROR);
      assert_int_equal(t.code, NG_EBIGNUM);
      continue;
    }
    if (t.kind != NG__JT_NUMBER || t.ntype != NG_JSON_DOUBLE ||
        memcmp(&t.num.d, &ref, sizeof ref) != 0) {
      fprintf(stderr, "%s: got %.17g want %.17g\n", buf, t.num.d, ref);
      fail();
    }
  }
}

/* Every double's shortest round-trip text and its 17-digit text parse
 * back to the same bits (sampled). */
static void test_number_roundtrip(void **state) {
  long n = slow_build() ? 20000 : 300000, k;
  char buf[64];
  (void)state;
  for (k = 0; k < n; k++) {
    uint64_t bits = rnd();
    double d;
    int len;
    ng__json_token t;
    memcpy(&d, &bits, sizeof d);
    if (!isfinite(d))
      continue;
    len = snprintf(buf, sizeof buf, "%.17g", d);
    if (strchr(buf, '.') == NULL && strchr(buf, 'e') == NULL)
      continue; /* integral: lexes as an integer */
    t = lex1(buf, (size_t)len, 0);
    assert_int_equal(t.kind, NG__JT_NUMBER);
    assert_memory_equal(&t.num.d, &d, sizeof d);
  }
}

/* -------------------------------------------------------------- bounds */

/*
 * Places each input at the very end of a page followed by an inaccessible
 * page, then lexes every prefix of it to the end: any read past the
 * caller's length faults.
 */
static void test_never_reads_past_end(void **state) {
  static const char *const inputs[] = {
      "[1,2.5e10,-0,\"ab\\u00e9\\ud83d\\ude00\",true,false,null,{\"k\":[]}]",
      "\"\xF0\x9F\x98\x80\xE2\x82\xAC\xC3\xA9 abcdefghijklmnop\"",
      "123456789012345678901234567890.123456789e-12",
      "\"\\uD800\\uDC00\" tru fals nul -",
      "  \t\r\n  \"0123456789abcdef",
  };
  long page = sysconf(_SC_PAGESIZE);
  char *map;
  size_t i, cut;
  (void)state;
  map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  assert_true(map != MAP_FAILED);
  assert_int_equal(mprotect(map + page, (size_t)page, PROT_NONE), 0);
  for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
    size_t n = strlen(inputs[i]);
    for (cut = 0; cut <= n; cut++) {
      char *at = map + page - cut;
      memcpy(at, inputs[i], cut);
      compare_paths(at, cut, 0, 0);
      compare_paths(at, cut, NG_JSON_ALLOW_LONE_SURROGATES, 0);
    }
  }
  munmap(map, (size_t)page * 2);
}

/*
 * Whitespace before a token in runs of every length up to 70 (the scan
 * takes 32 bytes a step, then 16): a newline and spaces, with one other byte (a
 * tab, a CR, a control byte, a quote) at every position. Both paths must
 * agree, and the token after a run of pure whitespace is where it is.
 */
static void test_whitespace_runs(void **state) {
  static const char odd[] = {'\t', '\r', '\n', '\x01', '\x0b', '"'};
  char buf[80];
  size_t len, at, o;
  (void)state;
  for (len = 0; len <= 70; len++) {
    memset(buf, ' ', len);
    buf[0] = '\n';
    memcpy(buf + len, "12", 2);
    assert_int_equal(lex1(buf, len + 2, 0).off, len);
    compare_paths(buf, len + 2, 0, 0);
    compare_paths(buf, len, 0, 0); /* the run reaches the end */
    for (at = 0; at < len; at++)
      for (o = 0; o < sizeof odd; o++) {
        char keep = buf[at];
        buf[at] = odd[o];
        compare_paths(buf, len + 2, 0, 0);
        buf[at] = keep;
      }
  }
}

/* ---------------------------------------------------------- agreement */

/* Random byte soup biased towards JSON: both paths agree on every token. */
static void test_paths_agree_random(void **state) {
  static const char *const atoms[] = {"[",
                                      "]",
                                      "{",
                                      "}",
                                      ":",
                                      ",",
                                      " ",
                                      "\n",
                                      "true",
                                      "false",
                                      "null",
                                      "tru",
                                      "\"",
                                      "\\",
                                      "\\u",
                                      "D83D",
                                      "DE00",
                                      "\\n",
                                      "0",
                                      "-",
                                      "1",
                                      ".",
                                      "e",
                                      "E",
                                      "+",
                                      "9",
                                      "00",
                                      "\xC3\xA9",
                                      "\xE2\x82\xAC",
                                      "\xF0\x9F\x98\x80",
                                      "\xC3",
                                      "\x80",
                                      "\xED\xA0\x80",
                                      "\x01",
                                      "\x00",
                                      "abcdefgh",
                                      "12345678",
                                      "123456789012345678901",
                                      "\xF4\x90\x80\x80"};
  size_t na = sizeof atoms / sizeof atoms[0];
  long n = slow_build() ? 3000 : 60000, k;
  char buf[256];
  (void)state;
  for (k = 0; k < n; k++) {
    size_t len = 0, parts = 1 + rnd() % 24, j;
    for (j = 0; j < parts; j++) {
      const char *a = atoms[rnd() % na];
      size_t al = a[0] == '\0' ? 1 : strlen(a);
      if (len + al >= sizeof buf)
        break;
      memcpy(buf + len, a, al);
      len += al;
    }
    compare_paths(buf, len, 0, 0);
    compare_paths(buf, len, NG_JSON_ALLOW_LONE_SURROGATES, 3);
    compare_paths(buf, len, NG_JSON_BIGINT_REJECT, 0);
  }
}

/* Every corpus file and the benchmark documents (when present). */
static void test_paths_agree_files(void **state) {
  static const char *const dirs[] = {"corpus/json",
                                     "../shared/bench-data/json"};
  size_t d, i, total = 0;
  (void)state;
  for (d = 0; d < 2; d++) {
    ng_corpus c;
    if (ng_corpus_load(&c, dirs[d]) != 0)
      continue;
    for (i = 0; i < c.n; i++)
      total += compare_paths(c.files[i].data, c.files[i].len, 0, 0);
    ng_corpus_free(&c);
  }
  assert_true(total > 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_punctuation_and_literals),
      cmocka_unit_test(test_empty_and_null_input),
      cmocka_unit_test(test_bad_tokens),
      cmocka_unit_test(test_string_decoding),
      cmocka_unit_test(test_lone_surrogates_allowed),
      cmocka_unit_test(test_string_errors),
      cmocka_unit_test(test_utf8_runs),
      cmocka_unit_test(test_string_stops),
      cmocka_unit_test(test_utf8_mixed),
      cmocka_unit_test(test_string_limit),
      cmocka_unit_test(test_number_values),
      cmocka_unit_test(test_number_long_digits),
      cmocka_unit_test(test_number_errors),
      cmocka_unit_test(test_number_boundaries),
      cmocka_unit_test(test_number_integer_lengths),
      cmocka_unit_test(test_number_random_vs_strtod),
      cmocka_unit_test(test_number_roundtrip),
      cmocka_unit_test(test_never_reads_past_end),
      cmocka_unit_test(test_whitespace_runs),
      cmocka_unit_test(test_paths_agree_random),
      cmocka_unit_test(test_paths_agree_files),
  };
  return cmocka_run_group_tests_name("json_lexer", tests, NULL, NULL);
}
