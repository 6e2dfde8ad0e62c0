/*
 * tests/test_core.c - errors, version, limits, allocator hook, arena, and
 * the stream positions of parsers/common (line counting).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../parsers/common/lines.h"
#include "../parsers/common/stream.h"
#include "../parsers/common/vec.h"
#include "nestguard.h"
#include "support/failalloc.h"

/* Internal helper under test. */
int ng__error_at(ng_error *err, int code, const char *input, size_t len,
                 size_t offset, size_t depth, const char *msg);

static void test_error_names_and_texts(void **state) {
  (void)state;
  assert_int_equal(NG_OK, 0);
  assert_string_equal(ng_err_name(NG_EDEPTH), "EDEPTH");
  assert_string_equal(ng_err_name(NG_ESTACK), "ESTACK");
  assert_string_equal(ng_strerror(NG_ENOMEM), "out of memory");
  assert_string_equal(ng_strerror(NG_OK), "success");
  assert_string_equal(ng_strerror(-7), "unknown error");
  assert_string_equal(ng_err_name(9999), "UNKNOWN");
}

/* Every code in the map has a distinct value, name and text. */
static void test_error_map_distinct(void **state) {
  static const int codes[] = {
#define CODE(name, value, text) NG_##name,
      NG_ERRNO_MAP(CODE)
#undef CODE
  };
  size_t n = sizeof codes / sizeof codes[0], i, j;
  (void)state;
  for (i = 0; i < n; i++) {
    assert_string_not_equal(ng_err_name(codes[i]), "UNKNOWN");
    for (j = i + 1; j < n; j++) {
      assert_int_not_equal(codes[i], codes[j]);
      assert_string_not_equal(ng_strerror(codes[i]), ng_strerror(codes[j]));
    }
  }
}

static void test_error_position(void **state) {
  const char in[] = "[1,\n  2,\n  x]";
  ng_error e;
  (void)state;
  memset(&e, 0x55, sizeof e);
  assert_int_equal(
      ng__error_at(&e, NG_ESYNTAX, in, sizeof in - 1, 11, 1, "unexpected 'x'"),
      NG_ESYNTAX);
  assert_int_equal(e.code, NG_ESYNTAX);
  assert_int_equal(e.offset, 11);
  assert_int_equal(e.line, 3);
  assert_int_equal(e.column, 3);
  assert_int_equal(e.depth, 1);
  assert_string_equal(e.msg, "unexpected 'x'");
  /* Offset 0 is line 1 column 1; an offset past the end is clamped. */
  ng__error_at(&e, NG_EEOF, in, sizeof in - 1, 0, 0, NULL);
  assert_int_equal(e.line, 1);
  assert_int_equal(e.column, 1);
  assert_string_equal(e.msg, "unexpected end of input");
  ng__error_at(&e, NG_EEOF, in, sizeof in - 1, 1000, 0, NULL);
  assert_int_equal(e.offset, sizeof in - 1);
  /* A NULL error record is allowed. */
  assert_int_equal(ng__error_at(NULL, NG_EEOF, in, 3, 1, 0, NULL), NG_EEOF);
  ng_error_clear(&e);
  assert_int_equal(e.code, 0);
  assert_int_equal(e.line, 0);
}

static void test_error_msg_truncated(void **state) {
  char long_msg[300];
  ng_error e;
  (void)state;
  memset(long_msg, 'a', sizeof long_msg - 1);
  long_msg[sizeof long_msg - 1] = '\0';
  ng__error_at(&e, NG_ESYNTAX, "x", 1, 0, 0, long_msg);
  assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
}

static void test_version(void **state) {
  (void)state;
  assert_int_equal(ng_version(), NG_VERSION_HEX);
  assert_string_equal(ng_version_string(), NG_VERSION_STRING);
}

static void test_limits(void **state) {
  ng_limits l;
  (void)state;
  ng_limits_default(&l);
  assert_int_equal(l.max_depth, 10000);
  assert_int_equal(l.max_stack, (size_t)1 << 30);
  assert_int_equal(ng_limit_clamp(0, 77), 77);
  assert_int_equal(ng_limit_clamp(5, 77), 5);
  assert_int_equal(ng_limit_clamp(78, 77), 77);
}

static void test_libc_alloc(void **state) {
  const ng_alloc *a = ng_alloc_libc();
  char *p;
  (void)state;
  p = a->malloc(a->ctx, 16);
  assert_non_null(p);
  memset(p, 7, 16);
  p = a->realloc(a->ctx, p, 16, 4096);
  assert_non_null(p);
  assert_int_equal(p[15], 7);
  a->free(a->ctx, p, 4096);
}

static void test_arena_alignment_and_growth(void **state) {
  ng_arena a;
  size_t i;
  (void)state;
  ng_arena_init(&a, NULL, 0);
  for (i = 0; i < 10000; i++) {
    size_t align = (size_t)1 << (i % 7); /* 1 .. 64 */
    char *p = ng_arena_alloc(&a, 1 + i % 300, align);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % align, 0);
    memset(p, 0xab, 1 + i % 300);
  }
  assert_true(ng_arena_used(&a) > 0);
  assert_true(ng_arena_sys(&a) >= ng_arena_used(&a));
  assert_true(ng_arena_peak(&a) >= ng_arena_sys(&a));
  ng_arena_free(&a);
  assert_int_equal(ng_arena_sys(&a), 0);
}

static void test_arena_large_block(void **state) {
  ng_arena a;
  char *small, *big;
  (void)state;
  ng_arena_init(&a, NULL, 0);
  small = ng_arena_alloc(&a, 8, 8);
  big = ng_arena_alloc(&a, 1 << 20, 16);
  assert_non_null(small);
  assert_non_null(big);
  memset(big, 1, 1 << 20);
  assert_true(ng_arena_sys(&a) >= (1 << 20));
  ng_arena_free(&a);
}

/* A size hint makes the first chunk that big (the JSON parser's input
 * length); a smaller hint changes nothing. libc, so no page rounding. */
static void test_arena_size_hint(void **state) {
  ng_arena a;
  (void)state;
  ng_arena_init(&a, ng_alloc_libc(), 0);
  ng__arena_size_hint(&a, 100000);
  ng__arena_size_hint(&a, 10);
  assert_non_null(ng_arena_alloc(&a, 1, 1));
  assert_int_equal(ng_arena_sys(&a), 100000);
  ng_arena_free(&a);
  ng_arena_init(&a, ng_alloc_libc(), 0);
  assert_non_null(ng_arena_alloc(&a, 1, 1));
  assert_true(ng_arena_sys(&a) < 100000);
  ng_arena_free(&a);
}

/* With the default allocator, chunks from 64 KiB on are whole 2 MiB pages;
 * a cap still holds to the byte. */
static void test_arena_pages(void **state) {
  ng_arena a;
  size_t i, total = 0;
  char *p;
  (void)state;
  ng_arena_init(&a, NULL, 0);
  for (i = 0; i < 4096; i++) { /* 4 MiB in 1 KiB blocks */
    p = ng_arena_alloc(&a, 1024, 8);
    assert_non_null(p);
    memset(p, (int)i, 1024);
    if (i == 127) /* 128 KiB: 4-32 KiB from malloc, then 2 MiB of pages */
      assert_true(ng_arena_sys(&a) >= ((size_t)2 << 20) &&
                  ng_arena_sys(&a) < ((size_t)2 << 20) + (64 << 10));
  }
  assert_true(ng_arena_sys(&a) >= ((size_t)4 << 20));
  ng_arena_free(&a);

  ng_arena_init(&a, NULL, (size_t)3 << 20);
  while ((p = ng_arena_alloc(&a, 4096, 8)) != NULL) {
    p[4095] = 1;
    total += 4096;
  }
  assert_int_equal(a.err, NG_EMEMLIMIT);
  assert_true(ng_arena_sys(&a) <= ((size_t)3 << 20));
  /* At most one block and a header lost per chunk (about 9 chunks). */
  assert_true(total >= ((size_t)3 << 20) - 10 * (4096 + 64));
  ng_arena_free(&a);
}

/* A freed large chunk is handed to the next arena (no fresh zeroed pages);
 * after ng_memory_trim the cache is empty and allocation still works. */
static void test_arena_pages_cache(void **state) {
  ng_arena a;
  char *first, *again;
  (void)state;
  ng_memory_trim();
  ng_arena_init(&a, NULL, 0);
  first = ng_arena_alloc(&a, (size_t)1 << 20, 64); /* a pages chunk */
  assert_non_null(first);
  memset(first, 0x5a, (size_t)1 << 20);
  ng_arena_free(&a);
  ng_arena_init(&a, NULL, 0);
  again = ng_arena_alloc(&a, (size_t)1 << 20, 64);
  assert_ptr_equal(again, first);
  ng_arena_free(&a);
  ng_memory_trim();
  ng_arena_init(&a, NULL, 0);
  again = ng_arena_alloc(&a, (size_t)1 << 20, 64);
  assert_non_null(again);
  again[0] = 1;
  ng_arena_free(&a);
  ng_memory_trim();
}

static void test_arena_reset_keeps_newest(void **state) {
  ng_failalloc fa;
  ng_arena a;
  int i;
  (void)state;
  ng_failalloc_init(&fa, 0);
  ng_arena_init(&a, &fa.alc, 0);
  for (i = 0; i < 100; i++)
    assert_non_null(ng_arena_alloc(&a, 1000, 8));
  assert_true(fa.live_blocks > 1);
  ng_arena_reset(&a);
  assert_int_equal(fa.live_blocks, 1);
  assert_int_equal(ng_arena_used(&a), 0);
  /* The kept chunk serves the next allocation without the allocator. */
  fa.calls = 0;
  assert_non_null(ng_arena_alloc(&a, 100, 8));
  assert_int_equal(fa.calls, 0);
  ng_arena_free(&a);
  assert_int_equal(fa.live_blocks, 0);
  assert_int_equal(fa.live_bytes, 0);
}

static void test_arena_cap(void **state) {
  ng_arena a;
  size_t total = 0;
  void *p;
  (void)state;
  ng_arena_init(&a, NULL, 10000);
  /* 96 is a multiple of the alignment, so no padding between blocks. */
  while ((p = ng_arena_alloc(&a, 96, 8)) != NULL)
    total += 96;
  assert_int_equal(a.err, NG_EMEMLIMIT);
  assert_true(ng_arena_sys(&a) <= 10000);
  /* The cap is used nearly to the byte: per chunk, at most one header and
   * one request's worth are lost (two chunks: 4096 + the 5904 left). */
  assert_true(total >= 10000 - 2 * (16 + 96));
  /* Over-cap requests keep failing the same way, cleanly. */
  assert_null(ng_arena_alloc(&a, 5000, 8));
  assert_int_equal(a.err, NG_EMEMLIMIT);
  ng_arena_free(&a);
}

/* ng__arena_alloc_small (a node's allocation) places every block where
 * ng_arena_alloc does, through chunk ends, a cap and a first allocation
 * without a chunk: two arenas fed the same requests stay in step. */
static void test_arena_small_same_as_alloc(void **state) {
  ng_arena a, b;
  size_t i, size, align;
  char *p, *q;
  (void)state;
  ng_arena_init(&a, ng_alloc_libc(), 50000);
  ng_arena_init(&b, ng_alloc_libc(), 50000);
  for (i = 0;; i++) {
    size = 1 + (i * 7919) % 4096;
    if (i % 3 == 0)
      size = 24;
    align = (size_t)1 << (i % 5); /* 1 to 16: malloc's chunks agree */
    p = ng_arena_alloc(&a, size, align);
    q = ng__arena_alloc_small(&b, size, align);
    if (p == NULL) {
      assert_null(q);
      break;
    }
    assert_non_null(q);
    assert_int_equal((uintptr_t)p % align, 0);
    assert_int_equal(p - (char *)a.chunks, q - (char *)b.chunks);
    assert_int_equal(ng_arena_used(&a), ng_arena_used(&b));
    assert_int_equal(ng_arena_sys(&a), ng_arena_sys(&b));
  }
  assert_int_equal(a.err, NG_EMEMLIMIT);
  assert_int_equal(b.err, NG_EMEMLIMIT);
  assert_true(i > 20); /* several chunks were crossed */
  ng_arena_free(&a);
  ng_arena_free(&b);
}

static void test_arena_bad_align_and_overflow(void **state) {
  ng_arena a;
  (void)state;
  ng_arena_init(&a, NULL, 0);
  assert_null(ng_arena_alloc(&a, 8, 3));
  assert_int_equal(a.err, NG_EINVAL);
  assert_null(ng_arena_alloc(&a, SIZE_MAX - 8, 8));
  assert_int_equal(a.err, NG_ENOMEM);
  ng_arena_free(&a);
}

/* An arena workload for the failure sweep: many sizes across chunks. */
static int arena_workload(void *arg, const ng_alloc *alc) {
  ng_arena a;
  int i, rc = 0;
  (void)arg;
  ng_arena_init(&a, alc, 0);
  for (i = 0; i < 2000; i++) {
    char *p = ng_arena_alloc(&a, (size_t)(i % 97) * 13 + 1, 8);
    if (p == NULL) {
      rc = a.err;
      break;
    }
    p[0] = (char)i;
  }
  if (rc == 0)
    ng_arena_reset(&a);
  ng_arena_free(&a);
  return rc;
}

static void test_arena_failure_injection(void **state) {
  long runs;
  (void)state;
  runs = ng_failalloc_sweep(arena_workload, NULL, 1000);
  /* 2000 allocations of ~640 bytes span several doubling chunks. */
  assert_true(runs >= 5);
}

/* The sweep itself must catch an op that leaks on its error path. */
static int leaky_workload(void *arg, const ng_alloc *alc) {
  void *a = alc->malloc(alc->ctx, 10), *b;
  (void)arg;
  if (a == NULL)
    return NG_ENOMEM;
  b = alc->malloc(alc->ctx, 10);
  if (b == NULL)
    return NG_ENOMEM; /* leaks a */
  alc->free(alc->ctx, b, 10);
  alc->free(alc->ctx, a, 10);
  return 0;
}

static void test_failalloc_detects_leak(void **state) {
  (void)state;
  assert_int_equal(ng_failalloc_sweep(leaky_workload, NULL, 10), -1);
}

/* Byte-at-a-time positions: what ng__spos_advance must equal. */
static void ref_advance(ng__spos *p, const char *s, size_t n) {
  size_t i;

  for (i = 0; i < n; i++, p->off++) {
    if (s[i] == '\r' && p->crlf) {
      p->line++;
      p->col = 1;
    } else if (s[i] == '\n') {
      p->line += !(p->crlf && p->cr);
      p->col = 1;
    } else {
      p->col++;
    }
    p->cr = s[i] == '\r';
  }
}

/* Runs of other bytes, of LF and others, of CR, LF and others (long
 * enough for the vector steps and, taken whole, the counters' folding),
 * cut at random points: both kinds of lines give the byte-at-a-time
 * positions, piece by piece and whole. */
static void test_stream_positions(void **state) {
  static char s[9000];
  static const char alphabet[] = "\r\n\r\nab";
  unsigned seed = 12345;
  ng__spos a, b;
  size_t at, n, len, i, after;
  int round, crlf;
  (void)state;

  for (round = 0; round < 200; round++) {
    len = round < 100 ? (size_t)round : sizeof s - (size_t)round;
    for (i = 0; i < len; i++) {
      seed = seed * 1103515245u + 12345u;
      s[i] = round % 3 == 0   ? (char)('a' + (seed >> 16) % 3)
             : round % 3 == 1 ? "\nab"[(seed >> 16) % 3] /* no CR */
                              : alphabet[(seed >> 16) % (sizeof alphabet - 1)];
    }
    for (crlf = 0; crlf < 2; crlf++) {
      ng__spos_init(&a);
      ng__spos_init(&b);
      a.crlf = b.crlf = crlf;
      for (at = 0; at < len; at += n) {
        seed = seed * 1103515245u + 12345u;
        n = 1 + (seed >> 16) % (round % 2 == 0 ? 700 : 4); /* or tiny */
        n = n < len - at ? n : len - at;
        ng__spos_advance(&a, s + at, n);
        ref_advance(&b, s + at, n);
        assert_int_equal(a.off, b.off);
        assert_int_equal(a.line, b.line);
        assert_int_equal(a.col, b.col);
        assert_int_equal(a.cr, b.cr);
      }
      ng__spos_init(&a); /* whole, from the second byte */
      a.crlf = crlf;
      a.cr = len > 0 && s[0] == '\r';
      b = a;
      ng__spos_advance(&a, s + 1, len - (len > 0));
      ref_advance(&b, s + 1, len - (len > 0));
      assert_memory_equal(&a, &b, sizeof a);
    }
  }
  assert_int_equal(ng__lines_count("\n\r\n\n", 4, 0, 1, &after), 3);
  assert_int_equal(after, 4);
  assert_int_equal(ng__lines_count("\n\r\n\n", 4, 1, 1, &after), 2);
  assert_int_equal(after, 4);
  assert_int_equal(ng__lines_count("\nab", 3, 1, 1, &after), 0);
  assert_int_equal(after, 1);
}

/* ng__lines_count a byte at a time, as lines.h words it. */
static size_t ref_lines(const char *s, size_t n, int crlf, int cr,
                        size_t *after) {
  size_t i, k = 0;

  *after = 0;
  for (i = 0; i < n; i++) {
    if (s[i] == '\r' && crlf) {
      k++;
      *after = i + 1;
    } else if (s[i] == '\n') {
      k += !(crlf && cr);
      *after = i + 1;
    }
    cr = s[i] == '\r';
  }
  return k;
}

/* s[0..n) counted by every way there is here, both kinds of lines, with
 * and without a CR before: each gives ref_lines's count and end. */
static void check_lines(const char *s, size_t n) {
  size_t k, want, after, want_after;
  int path, crlf, cr;

  for (path = NG__LINES_BYTES; path <= ng__lines_best(); path++)
    for (crlf = 0; crlf < 2; crlf++)
      for (cr = 0; cr < 2; cr++) {
        want = ref_lines(s, n, crlf, cr, &want_after);
        k = ng__lines_count_by(path, s, n, crlf, cr, &after);
        if (k != want || after != want_after)
          fail_msg("path %d, %zu bytes, crlf %d, cr %d: %zu lines end %zu, "
                   "not %zu end %zu",
                   path, n, crlf, cr, k, after, want, want_after);
      }
}

/* The buffer's bytes: mode 0 others, LFs and CRs at random; 1 LFs and
 * others; 2 LFs only (every counter full); 3 CR LF pairs; 4 CRs and LFs
 * one in 90. */
static void fill_lines(char *s, size_t n, int mode, unsigned *seed) {
  static const char *const kinds[] = {"\r\n\r\nab", "\nab", "\n", "\r\n", NULL};
  size_t i;
  unsigned r;

  for (i = 0; i < n; i++) {
    *seed = *seed * 1103515245u + 12345u;
    r = *seed >> 16;
    if (kinds[mode] == NULL)
      s[i] = r % 90 == 0 ? '\n' : r % 90 == 1 ? '\r' : 'a';
    else if (mode == 3)
      s[i] = "\r\n"[i % 2];
    else
      s[i] = kinds[mode][r % strlen(kinds[mode])];
  }
}

/* Every way of counting lines (the AVX2 one where the CPU has it, vec.h's
 * vectors, bytes) against the byte-at-a-time reference: runs of 0..300
 * bytes at offsets around 16-, 32- and 64-byte steps, runs past the
 * counters' folds, and one line end at each place of a run. */
static void test_lines_paths(void **state) {
  static char s[70100];
  static const size_t offs[] = {0, 1, 15, 16, 17, 31, 32, 33, 63};
  static const size_t longs[] = {1000,  3968,  3969,  4096,  4097,
                                 8161,  16127, 16128, 16129, 16255,
                                 16256, 16257, 16449, 70000};
  unsigned seed = 2024;
  size_t n, o, p;
  int mode;
  (void)state;

#ifdef NG__VECTORS
  assert_true(ng__lines_best() >= NG__LINES_VEC);
#endif
#ifdef NG__AVX2
  if (__builtin_cpu_supports("avx2"))
    assert_int_equal(ng__lines_best(), NG__LINES_AVX2);
#endif
  for (mode = 0; mode < 5; mode++) {
    fill_lines(s, sizeof s, mode, &seed);
    for (o = 0; o < sizeof offs / sizeof *offs; o++)
      for (n = 0; n <= 300; n++)
        check_lines(s + offs[o], n);
    for (o = 0; o < sizeof longs / sizeof *longs; o++) {
      check_lines(s, longs[o]);
      check_lines(s + 1, longs[o]);
    }
  }
  memset(s, 'a', 300);
  for (n = 17; n <= 300; n += n < 140 ? 1 : 39)
    for (p = 0; p < n; p++) {
      s[p] = '\n';
      check_lines(s, n);
      s[p] = '\r';
      check_lines(s, n);
      s[p] = 'a';
    }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_error_names_and_texts),
      cmocka_unit_test(test_error_map_distinct),
      cmocka_unit_test(test_error_position),
      cmocka_unit_test(test_error_msg_truncated),
      cmocka_unit_test(test_version),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_libc_alloc),
      cmocka_unit_test(test_arena_alignment_and_growth),
      cmocka_unit_test(test_arena_large_block),
      cmocka_unit_test(test_arena_size_hint),
      cmocka_unit_test(test_arena_pages),
      cmocka_unit_test(test_arena_pages_cache),
      cmocka_unit_test(test_arena_reset_keeps_newest),
      cmocka_unit_test(test_arena_cap),
      cmocka_unit_test(test_arena_small_same_as_alloc),
      cmocka_unit_test(test_arena_bad_align_and_overflow),
      cmocka_unit_test(test_arena_failure_injection),
      cmocka_unit_test(test_failalloc_detects_leak),
      cmocka_unit_test(test_stream_positions),
      cmocka_unit_test(test_lines_paths),
  };
  return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
