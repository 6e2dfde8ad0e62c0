/*
 * tests/test_json_dom.c - DOM operations: accessors, JSON Pointer,
 * equality, copy, walk, writer, double formatting; each at 10,000,000
 * nesting levels on an 8 MiB thread stack; allocation failure sweeps.
 *
 * Documents are built by hand through the builder's node primitives
 * (parsers/json/builder.h, the tb_* helpers below), so these tests do not
 * depend on any parser.
 * NG_VALGRIND=1 scales the deep tests to 1e5 levels, NG_SANITIZED=1 to 1e6;
 * NG_TSAN=1 (make check-tsan, ~15x slower) to 1e5, and the random doubles
 * as valgrind does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <valgrind/memcheck.h>

#include "nestguard.h"
#include "nestguard/json.h"
#include "nestguard/stack.h"
#include "support/corpus.h"
#include "support/failalloc.h"
#include "../parsers/json/builder.h"
#include "../parsers/json/dom.h"
#include "support/testenv.h"
#include "support/membuf.h"

/* ------------------------------------------------------------ helpers */

/* Aborts the test (cmocka-style) when a node cannot be made. */
static ng_json_value *ok_node(ng_json_value *v) {
  assert_non_null(v);
  return v;
}

/*
 * A document built by hand, node by node in document order (json.h), on
 * the builder's primitives: tb_open/tb_close around a container's
 * children, a key (k, klen; k NULL: none) before each member of an object.
 * A node's pointer is valid until the next node is added (the array may
 * move), and for good once tb_done has returned the document.
 */
typedef struct tb {
  ng_json_doc *doc;
  ng__json_builder b;
} tb;

#define NOKEY NULL, 0

static void tb_init(tb *t, const ng_alloc *alc, size_t max_memory) {
  t->doc = ng__json_doc_new(alc, max_memory);
  assert_non_null(t->doc);
  ng__json_builder_init(&t->b, t->doc, NULL, NG_JSON_DUP_KEEP, alc);
}

/* A node of `type` (payload zero), after its key; NULL on failure. */
static ng_json_value *tb_node(tb *t, const char *k, size_t klen, int type) {
  ng_json_value *v;
  char *kp;

  if (k != NULL) {
    if (klen > UINT32_MAX) {
      t->doc->base.arena.err = NG_ESTRLIMIT;
      return NULL;
    }
    kp = ng__json_key_room(&t->b, (uint32_t)klen);
    if (kp == NULL)
      return NULL;
    memcpy(kp, k, klen);
    kp[klen] = '\0';
  }
  if (type == NG_JSON_ARRAY || type == NG_JSON_OBJECT)
    return ng__json_build_open(&t->b, type == NG_JSON_ARRAY ? NG__JK_ARRAY
                                                             : NG__JK_OBJECT);
  v = ng__json_build_node(&t->b, (uint8_t)type);
  if (v != NULL)
    v->as.u = 0;
  return v;
}

static ng_json_value *tb_open(tb *t, const char *k, size_t klen, int type) {
  return tb_node(t, k, klen, type);
}

static void tb_close(tb *t) { ng__json_build_close(&t->b); }

/* tb_int, tb_uint, tb_dbl, tb_bool: a scalar node with its value. */
#define TB_SCALAR(name, ctype, field, type)                                    \
  static ng_json_value *name(tb *t, const char *k, size_t klen, ctype x) {    \
    ng_json_value *v = tb_node(t, k, klen, type);                              \
    if (v != NULL)                                                             \
      v->as.field = x;                                                         \
    return v;                                                                  \
  }
TB_SCALAR(tb_int, int64_t, i, NG_JSON_INT)
TB_SCALAR(tb_uint, uint64_t, u, NG_JSON_UINT)
TB_SCALAR(tb_dbl, double, d, NG_JSON_DOUBLE)
TB_SCALAR(tb_bool, bool, b, NG_JSON_BOOL)
#undef TB_SCALAR

static ng_json_value *tb_null(tb *t, const char *k, size_t klen) {
  return tb_node(t, k, klen, NG_JSON_NULL);
}

/* A string s[0..n); NG_ESTRLIMIT (the document's error) from 4 GiB. */
static ng_json_value *tb_str(tb *t, const char *k, size_t klen, const char *s,
                             size_t n) {
  ng_json_value *v;
  char *p;

  if (n > UINT32_MAX) {
    t->doc->base.arena.err = NG_ESTRLIMIT;
    return NULL;
  }
  v = tb_node(t, k, klen, NG_JSON_STRING);
  if (v == NULL || (p = ng__json_string_room(&t->b, (uint32_t)n)) == NULL)
    return NULL;
  if (n != 0)
    memcpy(p, s, n);
  p[n] = '\0';
  v->as.s = p;
  return v;
}

/* Closes what is open and hands the document over. */
static ng_json_doc *tb_done(tb *t) {
  while (t->b.cur != NULL)
    tb_close(t);
  ng__json_builder_free(&t->b);
  return t->doc;
}

#define KEY(s) s, sizeof(s) - 1
#define STR(t, s) ok_node(tb_str(t, NOKEY, s, sizeof(s) - 1))

/*
 * {"a": [1, -2, 18446744073709551615, 0.5, true, false, null],
 *  "s": "x\"\\\n\u0000y", "": {}, "e": [], "d": -0.0, "b": {"c": "é"}}
 */
static ng_json_doc *make_sample(const ng_alloc *alc) {
  tb t;

  tb_init(&t, alc, 0);
  ok_node(tb_open(&t, NOKEY, NG_JSON_OBJECT));
  ok_node(tb_open(&t, KEY("a"), NG_JSON_ARRAY));
  ok_node(tb_int(&t, NOKEY, 1));
  ok_node(tb_int(&t, NOKEY, -2));
  ok_node(tb_uint(&t, NOKEY, UINT64_MAX));
  ok_node(tb_dbl(&t, NOKEY, 0.5));
  ok_node(tb_bool(&t, NOKEY, true));
  ok_node(tb_bool(&t, NOKEY, false));
  ok_node(tb_null(&t, NOKEY));
  tb_close(&t);
  ok_node(tb_str(&t, KEY("s"), "x\"\\\n\0y", 6));
  ok_node(tb_open(&t, KEY(""), NG_JSON_OBJECT));
  tb_close(&t);
  ok_node(tb_open(&t, KEY("e"), NG_JSON_ARRAY));
  tb_close(&t);
  ok_node(tb_dbl(&t, KEY("d"), -0.0));
  ok_node(tb_open(&t, KEY("b"), NG_JSON_OBJECT));
  ok_node(tb_str(&t, KEY("c"), "\xc3\xa9", 2));
  return tb_done(&t);
}

static const char sample_compact[] =
    "{\"a\":[1,-2,18446744073709551615,0.5,true,false,null],"
    "\"s\":\"x\\\"\\\\\\n\\u0000y\",\"\":{},\"e\":[],\"d\":-0.0,"
    "\"b\":{\"c\":\"\xc3\xa9\"}}";

static const char sample_pretty[] = "{\n"
                                    "  \"a\": [\n"
                                    "    1,\n"
                                    "    -2,\n"
                                    "    18446744073709551615,\n"
                                    "    0.5,\n"
                                    "    true,\n"
                                    "    false,\n"
                                    "    null\n"
                                    "  ],\n"
                                    "  \"s\": \"x\\\"\\\\\\n\\u0000y\",\n"
                                    "  \"\": {},\n"
                                    "  \"e\": [],\n"
                                    "  \"d\": -0.0,\n"
                                    "  \"b\": {\n"
                                    "    \"c\": \"\xc3\xa9\"\n"
                                    "  }\n"
                                    "}";

/* Writes v with ng_json_write (libc) and compares with the expected text;
 * also checks that ng_json_write_cb produces the same bytes. */
static void expect_text(const ng_json_value *v, unsigned flags,
                        const char *want, size_t want_len) {
  membuf m = {0};
  char *out;
  size_t len;

  assert_int_equal(ng_json_write(v, flags, NULL, &out, &len), NG_OK);
  assert_int_equal(len, want_len);
  assert_memory_equal(out, want, want_len);
  assert_int_equal(out[len], '\0');
  free(out);
  assert_int_equal(ng_json_write_cb(v, flags, mem_sink, &m), NG_OK);
  assert_int_equal(m.len, want_len);
  assert_memory_equal(m.p, want, want_len);
  free(m.p);
}

#define EXPECT_TEXT(v, flags, lit) expect_text(v, flags, lit, sizeof(lit) - 1)

/* ------------------------------------------------ document, accessors */

static void test_doc_basics(void **state) {
  ng_failalloc fa;
  ng_json_doc *doc;
  size_t before;
  tb t;
  (void)state;
  assert_null(ng_json_doc_root(NULL));
  assert_int_equal(ng_json_doc_memory(NULL), 0);
  ng_json_doc_free(NULL);

  ng_failalloc_init(&fa, 0);
  tb_init(&t, &fa.alc, 0);
  doc = t.doc;
  assert_null(ng_json_doc_root(doc));
  before = ng_json_doc_memory(doc);
  assert_true(before > 0);
  assert_int_equal(before, fa.live_bytes); /* only the struct so far */
  ok_node(tb_int(&t, NOKEY, 7));
  assert_ptr_equal(tb_done(&t), doc);
  assert_int_equal(ng_json_doc_root(doc)->as.i, 7);
  assert_int_equal(ng_json_doc_memory(doc), fa.live_bytes);
  assert_true(ng_json_doc_memory(doc) > before);
  ng_json_doc_free(doc);
  assert_int_equal(fa.live_blocks, 0);
  assert_false(fa.size_mismatch);

  /* Allocation failure of the struct itself. */
  ng_failalloc_init(&fa, 1);
  assert_null(ng__json_doc_new(&fa.alc, 0));
  assert_int_equal(fa.live_blocks, 0);
}

/* A memory cap makes constructors fail with NG_EMEMLIMIT, not NG_ENOMEM. */
static void test_doc_memory_cap(void **state) {
  static char big[5000];
  ng_json_doc *doc;
  size_t i;
  tb t;
  (void)state;
  tb_init(&t, NULL, 8192);
  ok_node(tb_open(&t, NOKEY, NG_JSON_ARRAY));
  for (i = 0; i < 1000; i++)
    if (tb_int(&t, NOKEY, (int64_t)i) == NULL)
      break;
  assert_true(i < 1000);
  assert_int_equal(ng__json_doc_err(t.doc), NG_EMEMLIMIT);
  assert_null(tb_str(&t, NOKEY, big, sizeof big));
  assert_int_equal(ng__json_doc_err(t.doc), NG_EMEMLIMIT);
  doc = tb_done(&t);
  assert_true(ng_json_doc_memory(doc) <= 8192 + sizeof(struct ng_json_doc));
  ng_json_doc_free(doc);
}

/*
 * The node's sizes are 32-bit (json.h): a string or key of 4 GiB or more is
 * NG_ESTRLIMIT, never a wrapped length (a document's 2^32nd node, which
 * would need 64 GiB, is NG_EMEMLIMIT in ng__json_build_grow). The length checks
 * come before any byte is read, so the tokens below claim sizes their (tiny)
 * input does not have.
 */
static void test_sizes_are_32_bit(void **state) {
  static const char text[] = "\"ab\"";
  ng_json_doc *doc = ng__json_doc_new(NULL, 0);
  ng__json_lexer lx;
  ng__json_builder b;
  ng__json_token t;
  (void)state;
  assert_non_null(doc);
  ng__json_lexer_init(&lx, text, sizeof text - 1, 0, 0);
  ng__json_builder_init(&b, doc, &lx, NG_JSON_DUP_KEEP, NULL);
  assert_int_equal(ng__json_build_start(&b, NG__JK_OBJECT), NG_OK);
  memset(&t, 0, sizeof t);
  t.kind = NG__JT_STRING;
  t.off = 0;
  t.len = sizeof text - 1;
  t.slen = (size_t)UINT32_MAX + 1;
  assert_int_equal(ng__json_build_key(&b, &t), NG_ESTRLIMIT);
  t.slen = 2;
  assert_int_equal(ng__json_build_key(&b, &t), NG_OK);
  t.slen = (size_t)UINT32_MAX + 1;
  assert_int_equal(ng__json_build_scalar(&b, NG__JT_STRING, &t), NG_ESTRLIMIT);
  ng__json_builder_free(&b);
  ng_json_doc_free(doc);
}

static void test_accessors(void **state) {
  ng_json_doc *doc = make_sample(NULL);
  ng_json_value *root = ng_json_doc_root(doc), *a, *v;
  (void)state;
  assert_int_equal(ng_json_size(root), 6);
  assert_int_equal(ng_json_size(NULL), 0);
  a = ng_json_get(root, KEY("a"));
  assert_non_null(a);
  assert_int_equal(a->type, NG_JSON_ARRAY);
  assert_ptr_equal(ng_json_parent(a), root);
  assert_int_equal(ng_json_size(a), 7);
  assert_int_equal(ng_json_at(a, 0)->as.i, 1);
  assert_int_equal(ng_json_at(a, 2)->as.u, UINT64_MAX);
  assert_int_equal(ng_json_at(a, 6)->type, NG_JSON_NULL);
  assert_null(ng_json_at(a, 7));
  assert_null(ng_json_at(a, SIZE_MAX));
  assert_null(ng_json_at(NULL, 0));
  assert_int_equal(ng_json_size(ng_json_at(a, 0)), 0); /* scalar */
  assert_null(ng_json_at(ng_json_at(a, 0), 0));
  /* Members are children in order; at() works on objects too. */
  assert_ptr_equal(ng_json_at(root, 0), a);
  v = ng_json_get(root, KEY(""));
  assert_non_null(v);
  assert_int_equal(v->type, NG_JSON_OBJECT);
  assert_int_equal(ng_json_size(v), 0);
  assert_int_equal(ng_json_len(ng_json_get(root, KEY("s"))), 6);
  assert_null(ng_json_get(root, KEY("zz")));
  assert_ptr_equal(ng_json_get(root, "a", 0), v); /* the key "" */
  assert_null(ng_json_get(a, KEY("a")));          /* not an object */
  assert_null(ng_json_get(NULL, KEY("a")));
  assert_null(ng_json_get(root, NULL, 1));
  ng_json_doc_free(doc);
}

/* ------------------------------------------------------- JSON Pointer */

/* The example document of RFC 6901 section 5, plus a NUL-byte key and
 * a duplicate key. */
static ng_json_doc *make_rfc6901(void) {
  static const char *const keys[] = {"",     "a/b",  "c%d", "e^f", "g|h",
                                     "i\\j", "k\"l", " ",   "m~n"};
  size_t i;
  tb t;

  tb_init(&t, NULL, 0);
  ok_node(tb_open(&t, NOKEY, NG_JSON_OBJECT));
  ok_node(tb_open(&t, KEY("foo"), NG_JSON_ARRAY));
  STR(&t, "bar");
  STR(&t, "baz");
  tb_close(&t);
  for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
    ok_node(tb_int(&t, keys[i], strlen(keys[i]), (int64_t)i));
  ok_node(tb_int(&t, KEY("n\0ul"), 100));
  ok_node(tb_int(&t, KEY("~1"), 101));
  ok_node(tb_int(&t, KEY("foo"), 102));
  return tb_done(&t);
}

static const ng_json_value *ptr_ok(const ng_json_value *root, const char *p,
                                   size_t len) {
  const ng_json_value *out = NULL;

  assert_int_equal(ng_json_pointer(root, p, len, &out), NG_OK);
  assert_non_null(out);
  return out;
}

static int ptr_rc(const ng_json_value *root, const char *p, size_t len) {
  const ng_json_value *out = root;
  int rc = ng_json_pointer(root, p, len, &out);

  assert_null(out); /* cleared on failure */
  return rc;
}

#define PTR(root, lit) ptr_ok(root, lit, sizeof(lit) - 1)
#define PTR_RC(root, lit) ptr_rc(root, lit, sizeof(lit) - 1)

static void test_pointer_rfc6901(void **state) {
  ng_json_doc *doc = make_rfc6901();
  const ng_json_value *r = ng_json_doc_root(doc),
                      *foo = ng_json_get(r, KEY("foo"));
  (void)state;
  assert_ptr_equal(PTR(r, ""), r);
  assert_ptr_equal(PTR(r, "/foo"), foo); /* first of duplicate keys */
  assert_string_equal(PTR(r, "/foo/0")->as.s, "bar");
  assert_string_equal(PTR(r, "/foo/1")->as.s, "baz");
  assert_int_equal(PTR(r, "/")->as.i, 0);
  assert_int_equal(PTR(r, "/a~1b")->as.i, 1);
  assert_int_equal(PTR(r, "/c%d")->as.i, 2);
  assert_int_equal(PTR(r, "/e^f")->as.i, 3);
  assert_int_equal(PTR(r, "/g|h")->as.i, 4);
  assert_int_equal(PTR(r, "/i\\j")->as.i, 5);
  assert_int_equal(PTR(r, "/k\"l")->as.i, 6);
  assert_int_equal(PTR(r, "/ ")->as.i, 7);
  assert_int_equal(PTR(r, "/m~0n")->as.i, 8);
  assert_int_equal(PTR(r, "/n\0ul")->as.i, 100); /* NUL is data */
  /* "~01" is "~1" literally: ~0 first, never a second unescape. */
  assert_int_equal(PTR(r, "/~01")->as.i, 101);
  /* Pointers relative to a subtree. */
  assert_string_equal(PTR(foo, "/1")->as.s, "baz");
  assert_ptr_equal(PTR(foo, ""), foo);
  ng_json_doc_free(doc);
}

static void test_pointer_errors(void **state) {
  ng_json_doc *doc = make_rfc6901();
  const ng_json_value *r = ng_json_doc_root(doc), *out = NULL;
  (void)state;
  /* Malformed: no leading '/', bad or truncated escapes. */
  assert_int_equal(PTR_RC(r, "foo"), NG_EINVAL);
  assert_int_equal(PTR_RC(r, "#/foo"), NG_EINVAL);
  assert_int_equal(PTR_RC(r, "/~2"), NG_EINVAL);
  assert_int_equal(PTR_RC(r, "/m~"), NG_EINVAL);
  assert_int_equal(PTR_RC(r, "/foo/~"), NG_EINVAL);
  /* Malformed even past a missing member: checked before lookup. */
  assert_int_equal(PTR_RC(r, "/nope/~x"), NG_EINVAL);
  /* Array indices: decimal, no leading zeros or signs, in range. */
  assert_int_equal(PTR_RC(r, "/foo/01"), NG_ENOTFOUND);
  assert_int_equal(PTR_RC(r, "/foo/00"), NG_ENOTFOUND);
  assert_int_equal(PTR_RC(r, "/foo/-"), NG_ENOTFOUND);
  assert_int_equal(PTR_RC(r, "/foo/2"), NG_ENOTFOUND);
  assert_int_equal(PTR_RC(r, "/foo/-1"), NG_ENOTFOUND);
  assert_int_equal(PTR_RC(r, "/foo/+1"), NG_ENOTFOUND);
  assert_int_equal(PTR_RC(r, "/foo/ 1"), NG_ENOTFOUND);
  assert_int_equal(PTR_RC(r, "/foo/1 "), NG_ENOTFOUND);
  assert_int_equal(PTR_RC(r, "/foo/"), NG_ENOTFOUND);
  assert_int_equal(PTR_RC(r, "/foo/1e0"), NG_ENOTFOUND);
  assert_int_equal(PTR_RC(r, "/foo/99999999999999999999999999"), NG_ENOTFOUND);
  assert_int_equal(PTR_RC(r, "/foo/0/x"), NG_ENOTFOUND); /* into a string */
  assert_int_equal(PTR_RC(r, "/nope"), NG_ENOTFOUND);
  assert_int_equal(PTR_RC(r, "/m~1n"), NG_ENOTFOUND); /* "m/n" */
  assert_int_equal(PTR_RC(r, "/n"), NG_ENOTFOUND);    /* prefix of "n\0ul" */
  assert_int_equal(PTR_RC(r, "//"), NG_ENOTFOUND);    /* "" is an int */
  /* Bad arguments. */
  assert_int_equal(ng_json_pointer(NULL, "", 0, &out), NG_EINVAL);
  assert_int_equal(ng_json_pointer(r, "", 0, NULL), NG_EINVAL);
  assert_int_equal(ng_json_pointer(r, NULL, 1, &out), NG_EINVAL);
  assert_int_equal(ng_json_pointer(r, NULL, 0, &out), NG_OK);
  assert_ptr_equal(out, r);
  ng_json_doc_free(doc);
}

/* ----------------------------------------------------------- equality */

static void test_equal_scalars(void **state) {
  const ng_json_value *i1, *u1, *d1, *z, *nz, *nan1, *nan2, *s1, *s2, *s3, *t,
      *f, *n, *a;
  ng_json_doc *doc;
  tb b;
  (void)state;
  tb_init(&b, NULL, 0);
  ok_node(tb_open(&b, NOKEY, NG_JSON_ARRAY));
  ok_node(tb_int(&b, NOKEY, 1));
  ok_node(tb_uint(&b, NOKEY, 1));
  ok_node(tb_dbl(&b, NOKEY, 1.0));
  ok_node(tb_dbl(&b, NOKEY, 0.0));
  ok_node(tb_dbl(&b, NOKEY, -0.0));
  ok_node(tb_dbl(&b, NOKEY, NAN));
  ok_node(tb_dbl(&b, NOKEY, -NAN));
  ok_node(tb_str(&b, NOKEY, "a\0b", 3));
  ok_node(tb_str(&b, NOKEY, "a\0c", 3));
  ok_node(tb_str(&b, NOKEY, "a", 1));
  ok_node(tb_bool(&b, NOKEY, true));
  ok_node(tb_bool(&b, NOKEY, false));
  ok_node(tb_null(&b, NOKEY));
  ok_node(tb_int(&b, NOKEY, 1));         /* 13 */
  ok_node(tb_int(&b, NOKEY, 2));         /* 14 */
  ok_node(tb_dbl(&b, NOKEY, 1.0));       /* 15 */
  ok_node(tb_dbl(&b, NOKEY, -0.0));      /* 16 */
  ok_node(tb_str(&b, NOKEY, "a\0b", 3)); /* 17 */
  ok_node(tb_null(&b, NOKEY));           /* 18 */
  doc = tb_done(&b);
  a = ng_json_doc_root(doc);
  i1 = ng_json_at(a, 0);
  u1 = ng_json_at(a, 1);
  d1 = ng_json_at(a, 2);
  z = ng_json_at(a, 3);
  nz = ng_json_at(a, 4);
  nan1 = ng_json_at(a, 5);
  nan2 = ng_json_at(a, 6);
  s1 = ng_json_at(a, 7);
  s2 = ng_json_at(a, 8);
  s3 = ng_json_at(a, 9);
  t = ng_json_at(a, 10);
  f = ng_json_at(a, 11);
  n = ng_json_at(a, 12);
  /* Numbers compare by type and value. */
  assert_false(ng_json_equal(i1, u1));
  assert_false(ng_json_equal(i1, d1));
  assert_true(ng_json_equal(i1, ng_json_at(a, 13)));
  assert_false(ng_json_equal(i1, ng_json_at(a, 14)));
  assert_true(ng_json_equal(d1, ng_json_at(a, 15)));
  /* -0.0 is not 0.0; NaN is itself (reflexive, for copies). */
  assert_false(ng_json_equal(z, nz));
  assert_true(ng_json_equal(nz, ng_json_at(a, 16)));
  assert_true(ng_json_equal(nan1, nan1));
  assert_true(ng_json_equal(nan1, nan2));
  assert_false(ng_json_equal(nan1, z));
  /* Strings by bytes, NUL included; length counts. */
  assert_false(ng_json_equal(s1, s2));
  assert_false(ng_json_equal(s1, s3));
  assert_true(ng_json_equal(s1, ng_json_at(a, 17)));
  assert_false(ng_json_equal(t, f));
  assert_false(ng_json_equal(n, f));
  assert_true(ng_json_equal(n, ng_json_at(a, 18)));
  assert_true(ng_json_equal(NULL, NULL));
  assert_false(ng_json_equal(n, NULL));
  assert_false(ng_json_equal(NULL, n));
  ng_json_doc_free(doc);
}

static void test_equal_trees(void **state) {
  ng_json_doc *a = make_sample(NULL), *b = make_sample(NULL), *c;
  ng_json_value *ra = ng_json_doc_root(a), *rb = ng_json_doc_root(b), *x, *y,
                *rc;
  char *key;
  tb t;
  (void)state;
  assert_true(ng_json_equal(ra, rb));
  assert_true(ng_json_equal(ra, ra));
  /* A leaf changes deep inside. */
  x = ng_json_at(ng_json_get(rb, KEY("a")), 3);
  x->as.d = 0.25;
  assert_false(ng_json_equal(ra, rb));
  x->as.d = 0.5;
  assert_true(ng_json_equal(ra, rb));
  /* A key changes (same length, same value). */
  x = ng_json_get(ng_json_get(rb, KEY("b")), KEY("c"));
  key = (char *)(uintptr_t)ng_json_key(x, NULL);
  *key = 'C';
  assert_false(ng_json_equal(ra, rb));
  *key = 'c';
  /* One document of pairs to compare:
   * [{"p":1,"q":2}, {"q":2,"p":1}, [1], {"0":1}, [1], [1,1], [[]], [[1]],
   *  {"c":"é"}] */
  tb_init(&t, NULL, 0);
  ok_node(tb_open(&t, NOKEY, NG_JSON_ARRAY));
  ok_node(tb_open(&t, NOKEY, NG_JSON_OBJECT));
  ok_node(tb_int(&t, KEY("p"), 1));
  ok_node(tb_int(&t, KEY("q"), 2));
  tb_close(&t);
  ok_node(tb_open(&t, NOKEY, NG_JSON_OBJECT));
  ok_node(tb_int(&t, KEY("q"), 2));
  ok_node(tb_int(&t, KEY("p"), 1));
  tb_close(&t);
  ok_node(tb_open(&t, NOKEY, NG_JSON_ARRAY));
  ok_node(tb_int(&t, NOKEY, 1));
  tb_close(&t);
  ok_node(tb_open(&t, NOKEY, NG_JSON_OBJECT));
  ok_node(tb_int(&t, KEY("0"), 1));
  tb_close(&t);
  ok_node(tb_open(&t, NOKEY, NG_JSON_ARRAY));
  ok_node(tb_int(&t, NOKEY, 1));
  tb_close(&t);
  ok_node(tb_open(&t, NOKEY, NG_JSON_ARRAY));
  ok_node(tb_int(&t, NOKEY, 1));
  ok_node(tb_int(&t, NOKEY, 1));
  tb_close(&t);
  ok_node(tb_open(&t, NOKEY, NG_JSON_ARRAY));
  ok_node(tb_open(&t, NOKEY, NG_JSON_ARRAY));
  tb_close(&t);
  tb_close(&t);
  ok_node(tb_open(&t, NOKEY, NG_JSON_ARRAY));
  ok_node(tb_open(&t, NOKEY, NG_JSON_ARRAY));
  ok_node(tb_int(&t, NOKEY, 1));
  tb_close(&t);
  tb_close(&t);
  ok_node(tb_open(&t, NOKEY, NG_JSON_OBJECT));
  ok_node(tb_str(&t, KEY("c"), "\xc3\xa9", 2));
  c = tb_done(&t);
  rc = ng_json_doc_root(c);
  /* Member order matters. */
  assert_false(ng_json_equal(ng_json_at(rc, 0), ng_json_at(rc, 1)));
  /* Arrays and objects with the same children differ; so does a child
   * count, and a missing tail even when the count lies. */
  x = ng_json_at(rc, 2);
  assert_false(ng_json_equal(x, ng_json_at(rc, 3)));
  assert_true(ng_json_equal(x, ng_json_at(rc, 4)));
  y = ng_json_at(rc, 5);
  assert_false(ng_json_equal(x, y));
  assert_false(ng_json_equal(y, x));
  y->as.c.len = 1; /* corrupt count: the spans still decide */
  assert_false(ng_json_equal(x, y));
  assert_false(ng_json_equal(y, x));
  y->as.c.len = 2;
  /* [[]] vs [[1]]: same top count, different depth below. */
  assert_false(ng_json_equal(ng_json_at(rc, 6), ng_json_at(rc, 7)));
  assert_false(ng_json_equal(ng_json_at(rc, 7), ng_json_at(rc, 6)));
  /* A member subtree equals an equal root: its own key is not compared. */
  x = ng_json_get(ra, KEY("b"));
  y = ng_json_at(rc, 8);
  assert_true(ng_json_equal(x, y));
  assert_true(ng_json_equal(y, x));
  ng_json_doc_free(a);
  ng_json_doc_free(b);
  ng_json_doc_free(c);
}

/* --------------------------------------------------------------- copy */

static void test_copy(void **state) {
  ng_json_doc *src = make_sample(NULL), *dst = NULL, *sub = NULL;
  ng_failalloc fa;
  ng_json_value *b;
  (void)state;
  ng_failalloc_init(&fa, 0);
  assert_int_equal(ng_json_copy(ng_json_doc_root(src), &fa.alc, &dst), NG_OK);
  assert_non_null(dst);
  assert_true(ng_json_equal(ng_json_doc_root(src), ng_json_doc_root(dst)));
  assert_ptr_not_equal(ng_json_doc_root(src), ng_json_doc_root(dst));
  assert_null(ng_json_parent(ng_json_doc_root(dst)));
  assert_int_equal(ng_json_doc_memory(dst), fa.live_bytes);
  /* The copy owns its strings: the source can go first. */
  b = ng_json_get(ng_json_doc_root(src), KEY("b"));
  assert_int_equal(ng_json_copy(b, NULL, &sub), NG_OK);
  ng_json_doc_free(src);
  assert_null(
      ng_json_key(ng_json_doc_root(sub), NULL)); /* a copied member: a root */
  assert_null(ng_json_parent(ng_json_doc_root(sub)));
  EXPECT_TEXT(ng_json_doc_root(sub), 0, "{\"c\":\"\xc3\xa9\"}");
  EXPECT_TEXT(ng_json_doc_root(dst), 0, sample_compact);
  ng_json_doc_free(dst);
  ng_json_doc_free(sub);
  assert_int_equal(fa.live_blocks, 0);
  assert_false(fa.size_mismatch);
  /* Scalars, and bad arguments. */
  {
    tb t;
    tb_init(&t, NULL, 0);
    ok_node(tb_dbl(&t, NOKEY, NAN));
    src = tb_done(&t);
  }
  assert_int_equal(ng_json_copy(ng_json_doc_root(src), NULL, &dst), NG_OK);
  assert_true(ng_json_equal(ng_json_doc_root(src), ng_json_doc_root(dst)));
  ng_json_doc_free(dst);
  dst = (ng_json_doc *)src;
  assert_int_equal(ng_json_copy(NULL, NULL, &dst), NG_EINVAL);
  assert_null(dst);
  assert_int_equal(ng_json_copy(ng_json_doc_root(src), NULL, NULL), NG_EINVAL);
  ng_json_doc_free(src);
}

/* --------------------------------------------------------------- walk */

typedef struct trace {
  char s[256];
  size_t n;
  size_t stop_at; /* nonzero: enter returns 42 at this node */
  size_t nodes;
} trace;

static int tr_enter(void *ud, const ng_json_value *v, size_t depth) {
  trace *t = ud;
  static const char tc[] = "?nbiudsao";

  t->nodes++;
  t->n += (size_t)snprintf(t->s + t->n, sizeof t->s - t->n, "%c%zu",
                           tc[v->type], depth);
  return t->nodes == t->stop_at ? 42 : 0;
}

static int tr_leave(void *ud, const ng_json_value *v, size_t depth) {
  trace *t = ud;

  t->n += (size_t)snprintf(t->s + t->n, sizeof t->s - t->n, "%c%zu",
                           v->type == NG_JSON_ARRAY ? ']' : '}', depth);
  return 0;
}

static void test_walk(void **state) {
  ng_json_doc *doc = make_sample(NULL);
  trace t = {0};
  (void)state;
  assert_int_equal(ng_json_walk(ng_json_doc_root(doc), tr_enter, tr_leave, &t),
                   0);
  assert_string_equal(t.s, "o0a1i2i2u2d2b2b2n2]1s1o1}1a1]1d1o1s2}1}0");
  /* Enter only; leave only; stop early with the callback's value. */
  memset(&t, 0, sizeof t);
  assert_int_equal(ng_json_walk(ng_json_doc_root(doc), tr_enter, NULL, &t), 0);
  assert_int_equal(t.nodes, 15);
  memset(&t, 0, sizeof t);
  assert_int_equal(ng_json_walk(ng_json_doc_root(doc), NULL, tr_leave, &t), 0);
  assert_string_equal(t.s, "]1}1]1}1}0");
  memset(&t, 0, sizeof t);
  t.stop_at = 3;
  assert_int_equal(ng_json_walk(ng_json_doc_root(doc), tr_enter, tr_leave, &t),
                   42);
  assert_string_equal(t.s, "o0a1i2");
  /* A subtree walk stays inside it and starts at depth 0. */
  memset(&t, 0, sizeof t);
  assert_int_equal(ng_json_walk(ng_json_get(ng_json_doc_root(doc), KEY("b")),
                                tr_enter, tr_leave, &t),
                   0);
  assert_string_equal(t.s, "o0s1}0");
  memset(&t, 0, sizeof t);
  assert_int_equal(ng_json_walk(ng_json_get(ng_json_doc_root(doc), KEY("s")),
                                tr_enter, tr_leave, &t),
                   0);
  assert_string_equal(t.s, "s0");
  assert_int_equal(ng_json_walk(NULL, tr_enter, tr_leave, &t), NG_EINVAL);
  ng_json_doc_free(doc);
}

/* ------------------------------------------------------------- writer */

static void test_write_sample(void **state) {
  ng_json_doc *doc = make_sample(NULL);
  (void)state;
  EXPECT_TEXT(ng_json_doc_root(doc), 0, sample_compact);
  EXPECT_TEXT(ng_json_doc_root(doc), NG_JSON_WRITE_PRETTY, sample_pretty);
  /* A member subtree is written without its key. */
  EXPECT_TEXT(ng_json_get(ng_json_doc_root(doc), KEY("a")), 0,
              "[1,-2,18446744073709551615,0.5,true,false,null]");
  EXPECT_TEXT(ng_json_get(ng_json_doc_root(doc), KEY("")), NG_JSON_WRITE_PRETTY,
              "{}");
  ng_json_doc_free(doc);
}

static void test_write_strings(void **state) {
  char all[32], want[300];
  size_t i, n = 0;
  ng_json_doc *doc;
  ng_json_value *r;
  tb t;
  (void)state;
  /* Every control character, in order. */
  for (i = 0; i < 32; i++)
    all[i] = (char)i;
  want[n++] = '"';
  for (i = 0; i < 32; i++) {
    static const char *const sh[] = {
        [8] = "\\b", [9] = "\\t", [10] = "\\n", [12] = "\\f", [13] = "\\r"};
    if (i < 14 && sh[i] != NULL)
      n += (size_t)sprintf(want + n, "%s", sh[i]);
    else
      n += (size_t)sprintf(want + n, "\\u%04zx", i);
  }
  want[n++] = '"';
  tb_init(&t, NULL, 0);
  ok_node(tb_open(&t, NOKEY, NG_JSON_ARRAY));
  ok_node(tb_str(&t, NOKEY, all, 32));
  STR(&t, "\"\\/\x7f\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
  STR(&t, "");
  STR(&t, "\xed\x95\x9c|\xed\xa0\x80|\xed\xbf\xbf|\xed");
  ok_node(tb_open(&t, NOKEY, NG_JSON_OBJECT));
  ok_node(tb_null(&t, KEY("k\n\"\0")));
  doc = tb_done(&t);
  r = ng_json_doc_root(doc);
  expect_text(ng_json_at(r, 0), 0, want, n);
  /* Quote, backslash, slash (not escaped), DEL, UTF-8 kept as is. */
  EXPECT_TEXT(ng_json_at(r, 1), 0,
              "\"\\\"\\\\/\x7f\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
  EXPECT_TEXT(ng_json_at(r, 2), 0, "\"\"");
  /* U+D55C (ED 95 9C) is an ordinary character; ED A0 80 (U+D800) and
   * ED BF BF (U+DFFF) are surrogates in WTF-8 and get escaped; a
   * truncated ED at the end stays a byte. */
  EXPECT_TEXT(ng_json_at(r, 3), 0, "\"\xed\x95\x9c|\\ud800|\\udfff|\xed\"");
  /* Keys are escaped the same way. */
  EXPECT_TEXT(ng_json_at(r, 4), 0, "{\"k\\n\\\"\\u0000\":null}");
  EXPECT_TEXT(ng_json_at(r, 4), NG_JSON_WRITE_PRETTY,
              "{\n  \"k\\n\\\"\\u0000\": null\n}");
  ng_json_doc_free(doc);
}

/* Strings and runs longer than the stream buffer (256 bytes) go straight
 * to the sink; the result is the same. */
static void test_write_long_string(void **state) {
  ng_json_doc *doc;
  size_t n = 100000, i, k = 0;
  char *s = malloc(n), *want = malloc(n * 2 + 2);
  tb t;
  (void)state;
  assert_non_null(s);
  assert_non_null(want);
  want[k++] = '"';
  for (i = 0; i < n; i++) {
    s[i] = (i % 1000 == 999) ? '\n' : (char)('a' + i % 26);
    if (s[i] == '\n') {
      want[k++] = '\\';
      want[k++] = 'n';
    } else {
      want[k++] = s[i];
    }
  }
  want[k++] = '"';
  tb_init(&t, NULL, 0);
  ok_node(tb_str(&t, NOKEY, s, n));
  doc = tb_done(&t);
  expect_text(ng_json_doc_root(doc), 0, want, k);
  free(s);
  free(want);
  ng_json_doc_free(doc);
}

/* Writes the one-scalar document the tb_* call `make` builds in t. */
#define SCALAR_TEXT(make, lit)                                                 \
  do {                                                                         \
    ng_json_doc *d_;                                                           \
    tb_init(&t, NULL, 0);                                                      \
    ok_node(make);                                                             \
    d_ = tb_done(&t);                                                          \
    EXPECT_TEXT(ng_json_doc_root(d_), 0, lit);                                 \
    ng_json_doc_free(d_);                                                      \
  } while (0)

static void test_write_numbers(void **state) {
  tb t;
  (void)state;
  SCALAR_TEXT(tb_int(&t, NOKEY, 0), "0");
  SCALAR_TEXT(tb_int(&t, NOKEY, INT64_MIN), "-9223372036854775808");
  SCALAR_TEXT(tb_int(&t, NOKEY, INT64_MAX), "9223372036854775807");
  SCALAR_TEXT(tb_uint(&t, NOKEY, 9223372036854775808u), "9223372036854775808");
  SCALAR_TEXT(tb_uint(&t, NOKEY, UINT64_MAX), "18446744073709551615");
#define D(x, lit) SCALAR_TEXT(tb_dbl(&t, NOKEY, x), lit)
  D(0.0, "0.0");
  D(-0.0, "-0.0");
  D(2.0, "2.0");
  D(-2.0, "-2.0");
  D(0.1, "0.1");
  D(0.5, "0.5");
  D(1.0 / 3, "0.3333333333333333");
  D(100.0, "100.0");
  D(123.456, "123.456");
  D(1e15, "1000000000000000.0");
  D(9007199254740992.0, "9007199254740992.0");
  D(1e16, "1e16");
  D(1.2345678901234568e17, "1.2345678901234568e17");
  D(1e300, "1e300");
  D(1e23, "1e23");
  D(0.0001, "0.0001");
  D(0.00001, "1e-5");
  D(1.5e-7, "1.5e-7");
  D(1.7976931348623157e308, "1.7976931348623157e308");
  D(2.2250738585072014e-308, "2.2250738585072014e-308");
  D(1e-320, "1e-320");
  D(5e-324, "5e-324");
  D(-5e-324, "-5e-324");
#undef D
}

/* Non-finite doubles have no JSON text: NG_EINVAL, nothing returned. */
static void test_write_nonfinite(void **state) {
  double bad[] = {NAN, INFINITY, -INFINITY};
  char *out = (char *)"x";
  size_t len = 9, i;
  membuf m = {0};
  ng_json_doc *doc;
  ng_json_value *a;
  tb t;
  (void)state;
  for (i = 0; i < 3; i++) {
    tb_init(&t, NULL, 0);
    ok_node(tb_open(&t, NOKEY, NG_JSON_ARRAY));
    ok_node(tb_int(&t, NOKEY, 1));
    ok_node(tb_dbl(&t, NOKEY, bad[i]));
    doc = tb_done(&t);
    a = ng_json_doc_root(doc);
    assert_int_equal(ng_json_write(a, 0, NULL, &out, &len), NG_EINVAL);
    assert_null(out);
    assert_int_equal(len, 0);
    assert_int_equal(ng_json_write_cb(a, NG_JSON_WRITE_PRETTY, mem_sink, &m),
                     NG_EINVAL);
    ng_json_doc_free(doc);
  }
  free(m.p);
}

static void test_write_args_and_cancel(void **state) {
  ng_json_doc *doc = make_sample(NULL);
  char *out;
  size_t len;
  membuf m = {0};
  ng_json_value bogus;
  (void)state;
  assert_int_equal(ng_json_write(NULL, 0, NULL, &out, &len), NG_EINVAL);
  assert_int_equal(ng_json_write(ng_json_doc_root(doc), 0, NULL, NULL, &len),
                   NG_EINVAL);
  assert_int_equal(ng_json_write(ng_json_doc_root(doc), 0x80, NULL, &out, &len),
                   NG_EINVAL);
  assert_int_equal(ng_json_write_cb(ng_json_doc_root(doc), 0, NULL, NULL),
                   NG_EINVAL);
  assert_int_equal(ng_json_write_cb(NULL, 0, mem_sink, &m), NG_EINVAL);
  assert_int_equal(ng_json_write_cb(ng_json_doc_root(doc), 2, mem_sink, &m),
                   NG_EINVAL);
  /* len may be NULL. */
  assert_int_equal(ng_json_write(ng_json_doc_root(doc), 0, NULL, &out, NULL),
                   NG_OK);
  assert_string_equal(out, "{\"a\":[1,-2,18446744073709551615,0.5,true,"
                           "false,null],\"s\":\"x\\\"\\\\\\n\\u0000y\","
                           "\"\":{},\"e\":[],\"d\":-0.0,\"b\":{\"c\":"
                           "\"\xc3\xa9\"}}");
  free(out);
  /* The sink stops the write: the first call already. */
  m.stop_after = 1;
  assert_int_equal(ng_json_write_cb(ng_json_doc_root(doc), 0, mem_sink, &m),
                   NG_ECANCELED);
  assert_int_equal(m.calls, 1);
  free(m.p);
  /* An invalid node type is refused. */
  memset(&bogus, 0, sizeof bogus);
  bogus.type = (ng_json_type)99;
  assert_int_equal(ng_json_write(&bogus, 0, NULL, &out, &len), NG_EINVAL);
  ng_json_doc_free(doc);
}

/* A sink that stops after n calls, over a long output (many flushes). */
static void test_write_cancel_midway(void **state) {
  ng_json_doc *doc;
  ng_json_value *a;
  membuf m = {0};
  size_t i;
  tb t;
  (void)state;
  tb_init(&t, NULL, 0);
  ok_node(tb_open(&t, NOKEY, NG_JSON_ARRAY));
  for (i = 0; i < 5000; i++)
    ok_node(tb_dbl(&t, NOKEY, (double)i / 7));
  doc = tb_done(&t);
  a = ng_json_doc_root(doc);
  m.stop_after = 10;
  assert_int_equal(ng_json_write_cb(a, NG_JSON_WRITE_PRETTY, mem_sink, &m),
                   NG_ECANCELED);
  assert_int_equal(m.calls, 10);
  assert_true(m.len > 9 * 128); /* nine full-ish buffers went out */
  free(m.p);
  ng_json_doc_free(doc);
}

/* -------------------------------------------------------------- dtoa */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* Significant digits of a decimal text, and the exponent of the first. */
static size_t sig_digits(const char *s, char *dig, int *ex) {
  const char *e = strpbrk(s, "eE");
  size_t n = 0, before = 0;
  int lead = 0, seen_point = 0;

  for (; *s != '\0' && s != e; s++) {
    if (*s == '.') {
      seen_point = 1;
    } else if (*s >= '0' && *s <= '9') {
      if (n == 0 && *s == '0') {
        lead += seen_point;
        continue;
      }
      dig[n++] = *s;
      before += !seen_point;
    }
  }
  while (n > 1 && dig[n - 1] == '0')
    n--;
  dig[n] = '\0';
  *ex = (before > 0 ? (int)before - 1 : -lead - 1) + (e ? atoi(e + 1) : 0);
  return n;
}

/*
 * Checks ng__json_dtoa(d) against printf/strtod: it reads back as d, it
 * re-parses as a double (has '.' or 'e'), and it is no longer than the
 * shortest correctly rounded %.{p}e that reads back; when as long, it has
 * the same digits (the nearest; both round ties to even).
 */
static void check_dtoa(double d) {
  char buf[NG__JSON_NUM_MAX + 1], ref[40], md[24], od[24];
  size_t n = ng__json_dtoa(d, buf), mn, on;
  int p, me, oe;
  double back;

  assert_true(n > 0 && n <= NG__JSON_NUM_MAX);
  buf[n] = '\0';
  back = strtod(buf, NULL);
  if (memcmp(&back, &d, sizeof d) != 0)
    fail_msg("%a wrote %s which reads back as %a", d, buf, back);
  if (strpbrk(buf, ".e") == NULL)
    fail_msg("%s does not read back as a double", buf);
  if (d == 0)
    return;
  for (p = 1; p < 17; p++) {
    snprintf(ref, sizeof ref, "%.*e", p - 1, d);
    if (strtod(ref, NULL) == d)
      break;
  }
  snprintf(ref, sizeof ref, "%.*e", p - 1, d);
  mn = sig_digits(buf, md, &me);
  on = sig_digits(ref, od, &oe);
  if (mn > on || (mn == on && (strcmp(md, od) != 0 || me != oe)))
    fail_msg("%a: wrote %s, shortest is %s", d, buf, ref);
}

static void test_dtoa(void **state) {
  static const double fixed[] = {0.1,
                                 0.2,
                                 0.3,
                                 1e-320,
                                 1.7976931348623157e308,
                                 5e-324,
                                 1e300,
                                 2.0,
                                 1e23,
                                 9007199254740993.0,
                                 1e16,
                                 1e15,
                                 1e21,
                                 1e22,
                                 0.0001,
                                 0.00001,
                                 2.2250738585072014e-308,
                                 2.225073858507201e-308,
                                 1.0 / 3,
                                 9.5,
                                 5e-310,
                                 4.35e-322,
                                 123456789012345678.0,
                                 0.3e-7,
                                 299792458.0,
                                 6.02214076e23};
  size_t i, n = ng_test_valgrind() ? 10000 : 50000;
  int e;
  (void)state;
  for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
    check_dtoa(fixed[i]);
    check_dtoa(-fixed[i]);
  }
  /* Every binade edge and its neighbours (irregular spacing at 2^e). */
  for (e = -1074; e <= 1023; e++) {
    double d = ldexp(1.0, e);
    check_dtoa(d);
    check_dtoa(nextafter(d, 0));
    if (e < 1023)
      check_dtoa(nextafter(d, INFINITY));
  }
  /* The smallest subnormals, one by one. */
  for (i = 1; i < 2000; i++) {
    uint64_t b = i;
    double d;
    memcpy(&d, &b, sizeof d);
    check_dtoa(d);
  }
  /* Random bit patterns (all exponents), and short decimals. */
  for (i = 0; i < n; i++) {
    uint64_t b = rng();
    double d;
    char s[40];
    memcpy(&d, &b, sizeof d);
    if (isfinite(d))
      check_dtoa(d);
    snprintf(s, sizeof s, "%llue%d", (unsigned long long)(rng() % 10000000),
             (int)(rng() % 600) - 300);
    check_dtoa(strtod(s, NULL));
  }
  /* Integers: exact below 2^53, shortest above. */
  for (i = 0; i < n / 10; i++) {
    check_dtoa((double)(rng() >> (rng() % 64)));
  }
}

static void test_itoa(void **state) {
  char buf[NG__JSON_NUM_MAX + 1], ref[32];
  size_t i, n;
  (void)state;
  for (i = 0; i < 100000; i++) {
    int64_t v = (int64_t)(rng() >> (rng() % 64));
    if (i & 1)
      v = -v;
    n = ng__json_itoa(v, buf);
    buf[n] = '\0';
    snprintf(ref, sizeof ref, "%lld", (long long)v);
    assert_string_equal(buf, ref);
  }
  n = ng__json_itoa(INT64_MIN, buf);
  buf[n] = '\0';
  assert_string_equal(buf, "-9223372036854775808");
  n = ng__json_utoa(0, buf);
  buf[n] = '\0';
  assert_string_equal(buf, "0");
}

/* ------------------------------------------------- failure injection */

/* A document whose copy and text need many allocations: 400 members,
 * strings, nested arrays. */
static ng_json_doc *make_wide(void) {
  char key[32];
  size_t i;
  tb t;

  tb_init(&t, NULL, 0);
  ok_node(tb_open(&t, NOKEY, NG_JSON_OBJECT));
  for (i = 0; i < 400; i++) {
    snprintf(key, sizeof key, "member-%zu", i);
    ok_node(tb_open(&t, key, strlen(key), NG_JSON_ARRAY));
    ok_node(tb_dbl(&t, NOKEY, (double)i / 3));
    STR(&t, "a string with \"escapes\"\t and some length");
    ok_node(tb_open(&t, NOKEY, NG_JSON_ARRAY));
    ok_node(tb_int(&t, NOKEY, -(int64_t)i));
    tb_close(&t);
    tb_close(&t);
  }
  return tb_done(&t);
}

static int op_copy(void *arg, const ng_alloc *alc) {
  const ng_json_value *src = arg;
  static ng_json_doc sentinel;
  ng_json_doc *doc = &sentinel; /* must be reset to NULL on failure */
  int rc = ng_json_copy(src, alc, &doc);

  if (rc != NG_OK)
    return doc == NULL ? rc : -1;
  rc = ng_json_equal(src, ng_json_doc_root(doc)) ? 0 : -1;
  ng_json_doc_free(doc);
  return rc;
}

static int op_write(void *arg, const ng_alloc *alc, unsigned flags) {
  const ng_json_value *v = arg;
  char *out, *ref;
  size_t len, ref_len;
  int rc = ng_json_write(v, flags, alc, &out, &len);

  if (rc != NG_OK)
    return out == NULL && len == 0 ? rc : -1;
  /* Same bytes as an unconstrained write. */
  if (ng_json_write(v, flags, NULL, &ref, &ref_len) != NG_OK)
    return -1;
  rc = (len == ref_len && memcmp(out, ref, len) == 0) ? 0 : -1;
  free(ref);
  alc->free(alc->ctx, out, len + 1); /* the documented size */
  return rc;
}

static int op_write_compact(void *arg, const ng_alloc *alc) {
  return op_write(arg, alc, 0);
}

static int op_write_pretty(void *arg, const ng_alloc *alc) {
  return op_write(arg, alc, NG_JSON_WRITE_PRETTY);
}

static void test_failalloc(void **state) {
  ng_json_doc *doc = make_wide();
  long runs;
  (void)state;
  runs = ng_failalloc_sweep(op_copy, ng_json_doc_root(doc), 1000);
  assert_true(runs >= 5); /* the doc struct and several arena chunks */
  runs = ng_failalloc_sweep(op_write_compact, ng_json_doc_root(doc), 1000);
  assert_true(runs >= 5); /* first buffer, growths, the final shrink */
  runs = ng_failalloc_sweep(op_write_pretty, ng_json_doc_root(doc), 1000);
  assert_true(runs >= 5);
  ng_json_doc_free(doc);
}

static ng_json_doc *build_chain(int sh, size_t depth);

/* The same over a 100,000-deep chain: failures deep inside a copy or a
 * write unwind without any per-level state to release. */
static void test_failalloc_deep(void **state) {
  ng_json_doc *doc = build_chain(2, 100000);
  long runs;
  (void)state;
  assert_non_null(doc);
  runs = ng_failalloc_sweep(op_copy, ng_json_doc_root(doc), 1000);
  assert_true(runs >= 10);
  runs = ng_failalloc_sweep(op_write_compact, ng_json_doc_root(doc), 1000);
  assert_true(runs >= 10);
  runs = ng_failalloc_sweep(op_write_pretty, ng_json_doc_root(doc), 1000);
  assert_true(runs >= 10);
  ng_json_doc_free(doc);
}

/* ------------------------------------------- round trips via the parser */

/* Parses text[0..len) with every limit lifted; fails the test on error. */
static ng_json_doc *parse_ok(const char *text, size_t len, unsigned flags) {
  ng_json_options opt;
  ng_json_doc *doc = NULL;
  ng_error err;
  int rc;

  ng_json_options_default(&opt);
  opt.limits.max_depth = 0;
  opt.flags = flags;
  rc = ng_json_parse(text, len, &opt, &doc, &err);
  if (rc != NG_OK)
    fail_msg("parse failed: %s at %zu (%s) in %.*s", ng_err_name(rc),
             err.offset, err.msg, (int)(len < 200 ? len : 200), text);
  return doc;
}

/*
 * parse -> write -> parse gives an equal DOM, compact and pretty; writing
 * the re-parsed DOM gives the same text again (the writer is a fixed
 * point); the compact and pretty texts parse to equal DOMs.
 */
static void round_trip(const char *text, size_t len, unsigned pflags) {
  ng_json_doc *a = parse_ok(text, len, pflags), *b;
  unsigned wf;

  for (wf = 0; wf <= NG_JSON_WRITE_PRETTY; wf++) {
    char *t1, *t2;
    size_t n1, n2;

    assert_int_equal(ng_json_write(ng_json_doc_root(a), wf, NULL, &t1, &n1),
                     NG_OK);
    b = parse_ok(t1, n1, pflags);
    if (!ng_json_equal(ng_json_doc_root(a), ng_json_doc_root(b)))
      fail_msg("round trip differs: %.*s -> %s", (int)len, text, t1);
    assert_int_equal(ng_json_write(ng_json_doc_root(b), wf, NULL, &t2, &n2),
                     NG_OK);
    assert_int_equal(n1, n2);
    assert_memory_equal(t1, t2, n1);
    free(t1);
    free(t2);
    ng_json_doc_free(b);
  }
  ng_json_doc_free(a);
}

#define ROUND_TRIP(lit) round_trip(lit, sizeof(lit) - 1, 0)

static void test_roundtrip_texts(void **state) {
  (void)state;
  ROUND_TRIP("null");
  ROUND_TRIP("[]");
  ROUND_TRIP("{}");
  ROUND_TRIP("\"\"");
  ROUND_TRIP("[true,false,null,0,-0,1,-1]");
  ROUND_TRIP("{\"a\":{\"b\":[1,[2,[3,{}]],[]]},\"a\":2,\"\":\"\"}");
  ROUND_TRIP("\"\\u0000\\u001f\\\"\\\\\\/\\b\\f\\n\\r\\t\\u007f\"");
  ROUND_TRIP("\"\\u00e9\\u20ac\\ud83d\\ude00 \xc3\xa9\xe2\x82\xac\xf0\x9f\x98"
             "\x80 \\uD55C\"");
  ROUND_TRIP("{\"k\\u0000ey\\n\":\"v\\u0000al\"}");
  ROUND_TRIP("[1e2,1E-2,1.5e+300,-0.0,0e0,123.456e-7]");
  ROUND_TRIP("  [ 1 , { \"x\" : [ ] } ]  ");
}

/* A lone surrogate parsed as WTF-8 is written as \uXXXX again. */
static void test_roundtrip_lone_surrogate(void **state) {
  static const char in[] = "[\"a\\ud800b\",\"\\udfff\"]";
  ng_json_doc *doc;
  (void)state;
  round_trip(in, sizeof in - 1, NG_JSON_ALLOW_LONE_SURROGATES);
  doc = parse_ok(in, sizeof in - 1, NG_JSON_ALLOW_LONE_SURROGATES);
  assert_memory_equal(ng_json_at(ng_json_doc_root(doc), 0)->as.s,
                      "a\xed\xa0\x80"
                      "b",
                      5);
  EXPECT_TEXT(ng_json_doc_root(doc), 0, "[\"a\\ud800b\",\"\\udfff\"]");
  ng_json_doc_free(doc);
}

/* Numbers keep their type and exact value through text. */
static void test_roundtrip_numbers(void **state) {
  static const char in[] =
      "[0.1,1e-320,1.7976931348623157e308,5e-324,-0.0,2.0,1e300,"
      "18446744073709551615,9223372036854775807,-9223372036854775808,"
      "9223372036854775808,18446744073709551616,-9223372036854775809,"
      "2.2250738585072014e-308,4.9406564584124654e-324,0.30000000000000004]";
  static const char out[] =
      "[0.1,1e-320,1.7976931348623157e308,5e-324,-0.0,2.0,1e300,"
      "18446744073709551615,9223372036854775807,-9223372036854775808,"
      "9223372036854775808,1.8446744073709552e19,-9.223372036854776e18,"
      "2.2250738585072014e-308,5e-324,0.30000000000000004]";
  static const ng_json_type types[] = {
      NG_JSON_DOUBLE, NG_JSON_DOUBLE, NG_JSON_DOUBLE, NG_JSON_DOUBLE,
      NG_JSON_DOUBLE, NG_JSON_DOUBLE, NG_JSON_DOUBLE, NG_JSON_UINT,
      NG_JSON_INT,    NG_JSON_INT,    NG_JSON_UINT,   NG_JSON_DOUBLE,
      NG_JSON_DOUBLE, NG_JSON_DOUBLE, NG_JSON_DOUBLE, NG_JSON_DOUBLE};
  ng_json_doc *doc = parse_ok(in, sizeof in - 1, 0);
  const ng_json_value *v;
  size_t i = 0;
  (void)state;
  for (v = ng_json_first(ng_json_doc_root(doc)); v != NULL;
       v = ng_json_next(v), i++)
    assert_int_equal(v->type, types[i]);
  assert_int_equal(i, sizeof types / sizeof types[0]);
  EXPECT_TEXT(ng_json_doc_root(doc), 0, out);
  round_trip(in, sizeof in - 1, 0);
  ng_json_doc_free(doc);
}

/* Random doubles (every exponent) through write and the parser's strtod:
 * the same bits come back. */
static void test_roundtrip_random_doubles(void **state) {
  ng_json_doc *doc, *back;
  ng_json_value *a, *x, *y;
  size_t i, n = ng_test_valgrind() || ng_test_tsan()
                    ? 5000
                    : 50000;
  char *text;
  size_t len;
  tb t;
  (void)state;
  tb_init(&t, NULL, 0);
  ok_node(tb_open(&t, NOKEY, NG_JSON_ARRAY));
  for (i = 0; i < n; i++) {
    uint64_t b = rng();
    double d;
    if (i % 4 == 1)
      b >>= 12; /* subnormals */
    memcpy(&d, &b, sizeof d);
    if (isfinite(d))
      ok_node(tb_dbl(&t, NOKEY, d));
  }
  doc = tb_done(&t);
  a = ng_json_doc_root(doc);
  assert_int_equal(ng_json_write(a, 0, NULL, &text, &len), NG_OK);
  back = parse_ok(text, len, 0);
  for (x = ng_json_first(a), y = ng_json_first(ng_json_doc_root(back));
       x != NULL; x = ng_json_next(x), y = ng_json_next(y)) {
    assert_non_null(y);
    assert_int_equal(y->type, NG_JSON_DOUBLE);
    if (memcmp(&x->as.d, &y->as.d, sizeof x->as.d) != 0)
      fail_msg("%a came back as %a", x->as.d, y->as.d);
  }
  assert_true(ng_json_equal(a, ng_json_doc_root(back)));
  free(text);
  ng_json_doc_free(back);
  ng_json_doc_free(doc);
}

/* Random valid UTF-8 (with controls, quotes, NUL, all sequence lengths). */
static size_t random_utf8(char *p, size_t max_chars) {
  size_t n = 0, k = rng() % (max_chars + 1), i;

  for (i = 0; i < k; i++) {
    uint32_t cp, r = (uint32_t)(rng() % 8);
    if (r < 3)
      cp = (uint32_t)(rng() % 0x80);
    else if (r < 5)
      cp = (uint32_t)(0x80 + rng() % (0x800 - 0x80));
    else if (r < 7)
      cp = (uint32_t)(0x800 + rng() % (0x10000 - 0x800));
    else
      cp = (uint32_t)(0x10000 + rng() % (0x110000 - 0x10000));
    if (cp >= 0xD800 && cp <= 0xDFFF)
      cp = '"';
    if (cp < 0x80) {
      p[n++] = (char)cp;
    } else if (cp < 0x800) {
      p[n++] = (char)(0xC0 | cp >> 6);
      p[n++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      p[n++] = (char)(0xE0 | cp >> 12);
      p[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
      p[n++] = (char)(0x80 | (cp & 0x3F));
    } else {
      p[n++] = (char)(0xF0 | cp >> 18);
      p[n++] = (char)(0x80 | (cp >> 12 & 0x3F));
      p[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
      p[n++] = (char)(0x80 | (cp & 0x3F));
    }
  }
  return n;
}

/* A random scalar node. */
static ng_json_value *random_scalar(tb *t, const char *k, size_t klen) {
  char s[64 * 4];
  uint64_t b = rng();
  double d;

  switch (rng() % 7) {
  case 0:
    return tb_null(t, k, klen);
  case 1:
    return tb_bool(t, k, klen, rng() & 1);
  case 2:
    return tb_int(t, k, klen,
                  (int64_t)(rng() >> (rng() % 64)) * ((rng() & 1) ? -1 : 1));
  case 3:
    return tb_uint(t, k, klen, (uint64_t)INT64_MAX + 1 + (rng() >> 1));
  case 4:
    memcpy(&d, &b, sizeof d);
    return tb_dbl(t, k, klen, isfinite(d) ? d : 0.5);
  default:
    return tb_str(t, k, klen, s, random_utf8(s, 64));
  }
}

/* A random tree of about n nodes, built iteratively: each new node goes
 * into a random open container; containers close at random. */
static ng_json_doc *random_doc(size_t n) {
  char key[32 * 4];
  size_t i, klen = 0;
  const char *k;
  tb t;

  tb_init(&t, NULL, 0);
  ok_node(tb_open(&t, NOKEY, (rng() & 1) ? NG_JSON_ARRAY : NG_JSON_OBJECT));
  for (i = 0; i < n; i++) {
    uint64_t r = rng() % 10;
    if (r < 2 && ng_json_parent(t.b.cur) != NULL) {
      tb_close(&t); /* O(1) */
      continue;
    }
    k = NULL;
    if (t.b.cur->type == NG_JSON_OBJECT) {
      klen = random_utf8(key, 8);
      k = key;
    }
    if (r < 5)
      ok_node(tb_open(&t, k, klen, (r & 1) ? NG_JSON_ARRAY : NG_JSON_OBJECT));
    else
      ok_node(random_scalar(&t, k, klen));
  }
  return tb_done(&t);
}

static void test_roundtrip_random_docs(void **state) {
  size_t i, rounds = ng_test_valgrind() ? 30 : 300;
  (void)state;
  for (i = 0; i < rounds; i++) {
    ng_json_doc *doc = random_doc(1 + rng() % 400), *cp;
    char *text;
    size_t len;
    assert_int_equal(ng_json_write(ng_json_doc_root(doc), (unsigned)(i & 1),
                                   NULL, &text, &len),
                     NG_OK);
    round_trip(text, len, 0);
    cp = parse_ok(text, len, 0);
    assert_true(ng_json_equal(ng_json_doc_root(doc), ng_json_doc_root(cp)));
    free(text);
    ng_json_doc_free(cp);
    ng_json_doc_free(doc);
  }
}

/* Reads a whole file; NULL when it is absent. */
static char *load_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *p = NULL;
  long n;

  if (f == NULL)
    return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
      fseek(f, 0, SEEK_SET) == 0 && (p = malloc((size_t)n + 1)) != NULL &&
      fread(p, 1, (size_t)n, f) != (size_t)n) {
    free(p);
    p = NULL;
  }
  fclose(f);
  if (p != NULL)
    *len = (size_t)n;
  return p;
}

/* The benchmark documents, when present; twitter.json is itself written
 * in this writer's pretty style, so it comes back byte for byte. */
static void test_roundtrip_bench_files(void **state) {
  static const char *const files[] = {"twitter.json", "citm_catalog.json",
                                      "canada.json"};
  const char *dir = getenv("NG_BENCH_DATA");
  char path[1024];
  size_t i, len, found = 0;
  (void)state;
  if (dir == NULL)
    dir = "../shared/bench-data";
  for (i = 0; i < 3; i++) {
    char *text;
    snprintf(path, sizeof path, "%s/json/%s", dir, files[i]);
    text = load_file(path, &len);
    if (text == NULL)
      continue;
    found++;
    round_trip(text, len, 0);
    if (i == 0) {
      ng_json_doc *doc = parse_ok(text, len, 0);
      expect_text(ng_json_doc_root(doc), NG_JSON_WRITE_PRETTY, text, len);
      ng_json_doc_free(doc);
    }
    free(text);
  }
  if (found == 0)
    print_message("bench-data not found under %s: skipped\n", dir);
}

/* Every y_ file of the shared corpus, when it is there. */
static void test_roundtrip_corpus(void **state) {
  ng_corpus c;
  size_t i, done = 0;
  (void)state;
  if (ng_corpus_load(&c, "corpus/json") != 0) {
    print_message("corpus/json not found: skipped\n");
    return;
  }
  for (i = 0; i < c.n; i++) {
    if (strncmp(c.files[i].name, "y_", 2) != 0)
      continue;
    round_trip(c.files[i].data, c.files[i].len, 0);
    done++;
  }
  print_message("%zu y_ files round-tripped\n", done);
  ng_corpus_free(&c);
}

/* ------------------------------------------------------ 1e7 nesting */

/*
 * The deep tests run in a thread with an explicit 8 MiB stack: any
 * recursion over 10^7 levels would overflow it at once (8 bytes a level
 * already needs 80 MB). cmocka's assertions cannot longjmp across threads,
 * so the thread records its first failure and the test reports it.
 */
typedef enum shape { SHAPE_ARRAYS, SHAPE_OBJECTS, SHAPE_MIXED } shape;

typedef struct deep {
  shape sh;
  size_t depth;   /* containers in the chain; the leaf is 1 deeper */
  int fail_line;  /* 0: all good */
  char what[128]; /* failure text */
  double ms[8];   /* timings, for the report */
} deep;

#define DCHECK(d, cond)                                                        \
  do {                                                                         \
    if (!(cond)) {                                                             \
      (d)->fail_line = __LINE__;                                               \
      snprintf((d)->what, sizeof(d)->what, "%s", #cond);                       \
      goto out;                                                                \
    }                                                                          \
  } while (0)

/* Container i (0-based from the root) of a shape. */
static ng_json_type level_type(int sh, size_t i) {
  if (sh == SHAPE_ARRAYS)
    return NG_JSON_ARRAY;
  if (sh == SHAPE_OBJECTS)
    return NG_JSON_OBJECT;
  return (i & 1) ? NG_JSON_OBJECT : NG_JSON_ARRAY;
}

/* depth containers, each the only child of the previous one (member "k"
 * in objects), and the integer 1 innermost. NULL on failure. */
static ng_json_doc *build_chain(int sh, size_t depth) {
  double t0 = ng_test_cpu_ms();
  ng_json_value *v;
  size_t i;
  tb t;

  t.doc = ng__json_doc_new(NULL, 0);
  if (t.doc == NULL)
    return NULL;
  ng__json_builder_init(&t.b, t.doc, NULL, NG_JSON_DUP_KEEP, NULL);
  t.b.hint = 2 * depth + 2; /* one reservation, as a parse makes */
  for (i = 0; i <= depth; i++) {
    int ty = i < depth ? (int)level_type(sh, i) : NG_JSON_INT;
    int member = t.b.cur != NULL && t.b.cur->type == NG_JSON_OBJECT;
    v = member ? tb_node(&t, "k", 1, ty) : tb_node(&t, NOKEY, ty);
    if (v == NULL)
      goto fail;
    if (i == depth)
      v->as.i = 1;
  }
  if (getenv("NG_DOM_VERBOSE"))
    fprintf(stderr, "build %.0f ms\n", ng_test_cpu_ms() - t0);
  return tb_done(&t);
fail:
  ng__json_builder_free(&t.b);
  ng_json_doc_free(t.doc);
  return NULL;
}

/*
 * A checksum of a byte stream that catches any changed, missing, extra or
 * moved byte with near certainty: the length and a Fletcher sum (s1 += b;
 * s2 += s1) in 16 interleaved lanes, lane = position mod 16, which
 * compiles to vector adds. Cheap enough for the ~1.3 GB of pretty text at
 * 10^7 levels, on the sink side and over the expected text.
 */
#define LANES 16

typedef struct hash {
  uint32_t s1[LANES], s2[LANES];
  size_t n; /* bytes seen */
} hash;

static void hash_byte(hash *s, size_t j, unsigned char b) {
  s->s1[j] += b + 1u;
  s->s2[j] += s->s1[j];
}

static void hash_bytes(hash *s, const char *p, size_t n) {
  uint32_t s1[LANES], s2[LANES];
  size_t i = 0, j;

  while (i < n && (s->n + i) % LANES != 0) { /* to a lane-0 position */
    hash_byte(s, (s->n + i) % LANES, (unsigned char)p[i]);
    i++;
  }
  memcpy(s1, s->s1, sizeof s1);
  memcpy(s2, s->s2, sizeof s2);
  for (; i + LANES <= n; i += LANES) {
    for (j = 0; j < LANES; j++) {
      s1[j] += (uint32_t)(unsigned char)p[i + j] + 1u;
      s2[j] += s1[j];
    }
  }
  memcpy(s->s1, s1, sizeof s1);
  memcpy(s->s2, s2, sizeof s2);
  for (; i < n; i++)
    hash_byte(s, (s->n + i) % LANES, (unsigned char)p[i]);
  s->n += n;
}

static bool hash_same(const hash *a, const hash *b) {
  return a->n == b->n && memcmp(a->s1, b->s1, sizeof a->s1) == 0 &&
         memcmp(a->s2, b->s2, sizeof a->s2) == 0;
}

static int hash_sink(void *ud, const char *p, size_t n) {
  hash_bytes(ud, p, n);
  return 0;
}

/* The expected text goes through a 64 KiB buffer, so the checksum sees
 * big blocks as it does from the writer's sink. */
typedef struct expect {
  hash h;
  size_t len;
  char buf[1 << 16];
} expect;

static void ex_put(expect *e, const char *p, size_t n) {
  if (e->len + n > sizeof e->buf) {
    hash_bytes(&e->h, e->buf, e->len);
    e->len = 0;
  }
  memcpy(e->buf + e->len, p, n);
  e->len += n;
}

static void ex_nl(expect *e, size_t depth) {
  static const char nl[] = "\n                                "
                           "                                ";
  ex_put(e, nl, 1 + 2 * (depth < 32 ? depth : 32));
}

/* The text the writer must produce for build_chain(sh, depth). */
static hash expected_chain(shape sh, size_t depth, bool pretty) {
  expect *e = calloc(1, sizeof *e);
  hash s;
  size_t i;

  memset(&s, 0xff, sizeof s); /* matches nothing if calloc failed */
  if (e == NULL)
    return s;
  for (i = 0; i <= depth; i++) {
    if (i > 0 && level_type(sh, i - 1) == NG_JSON_OBJECT)
      ex_put(e, pretty ? "\"k\": " : "\"k\":", pretty ? 5 : 4);
    if (i == depth) {
      ex_put(e, "1", 1);
      break;
    }
    ex_put(e, level_type(sh, i) == NG_JSON_ARRAY ? "[" : "{", 1);
    if (pretty)
      ex_nl(e, i + 1);
  }
  for (i = depth; i-- > 0;) {
    if (pretty)
      ex_nl(e, i);
    ex_put(e, level_type(sh, i) == NG_JSON_ARRAY ? "]" : "}", 1);
  }
  hash_bytes(&e->h, e->buf, e->len);
  s = e->h;
  free(e);
  return s;
}

/* "/0/k/0/k..." down to the leaf. */
static char *chain_pointer(shape sh, size_t depth, size_t *len) {
  char *p = malloc(2 * depth + 1);
  size_t i;

  if (p == NULL)
    return NULL;
  for (i = 0; i < depth; i++) {
    p[2 * i] = '/';
    p[2 * i + 1] = level_type(sh, i) == NG_JSON_ARRAY ? '0' : 'k';
  }
  *len = 2 * depth;
  return p;
}

typedef struct walk_count {
  size_t enters, leaves, max_depth, leaf_depth;
} walk_count;

static int wc_enter(void *ud, const ng_json_value *v, size_t depth) {
  walk_count *c = ud;
  c->enters++;
  if (depth > c->max_depth)
    c->max_depth = depth;
  if (v->type == NG_JSON_INT)
    c->leaf_depth = depth;
  return 0;
}

static int wc_leave(void *ud, const ng_json_value *v, size_t depth) {
  walk_count *c = ud;
  (void)v;
  (void)depth;
  c->leaves++;
  return 0;
}

static ng_json_value *chain_leaf(ng_json_value *v) {
  while (v->type == NG_JSON_ARRAY || v->type == NG_JSON_OBJECT)
    v = ng_json_first(v);
  return v;
}

/* Every DOM operation on one deep chain. */
static void *deep_main(void *arg) {
  deep *d = arg;
  ng_json_doc *doc = build_chain(d->sh, d->depth), *cp = NULL;
  ng_json_value *leaf, *mid;
  const ng_json_value *found;
  walk_count wc = {0};
  hash want, got;
  char *text = NULL, *ptr = NULL;
  size_t len, plen;
  double t;

  DCHECK(d, doc != NULL);
  leaf = chain_leaf(ng_json_doc_root(doc));
  DCHECK(d, leaf->type == NG_JSON_INT);
  /* size / at / get at the bottom. */
  mid = ng_json_parent(leaf);
  DCHECK(d, ng_json_size(mid) == 1);
  DCHECK(d, ng_json_at(mid, 0) == leaf);
  DCHECK(d, ng_json_get(mid, "k", 1) ==
                (mid->type == NG_JSON_OBJECT ? leaf : NULL));
  /* Pointer to the leaf. */
  ptr = chain_pointer(d->sh, d->depth, &plen);
  DCHECK(d, ptr != NULL);
  t = ng_test_cpu_ms();
  DCHECK(d, ng_json_pointer(ng_json_doc_root(doc), ptr, plen, &found) == NG_OK);
  d->ms[0] = ng_test_cpu_ms() - t;
  DCHECK(d, found == leaf);
  ptr[plen - 1] = '1'; /* the last step misses */
  DCHECK(d, ng_json_pointer(ng_json_doc_root(doc), ptr, plen, &found) ==
                NG_ENOTFOUND);
  /* Walk. */
  t = ng_test_cpu_ms();
  DCHECK(d, ng_json_walk(ng_json_doc_root(doc), wc_enter, wc_leave, &wc) == 0);
  d->ms[1] = ng_test_cpu_ms() - t;
  DCHECK(d, wc.enters == d->depth + 1 && wc.leaves == d->depth);
  DCHECK(d, wc.max_depth == d->depth && wc.leaf_depth == d->depth);
  /* Copy, then equality against the copy (a real lock-step walk). */
  t = ng_test_cpu_ms();
  DCHECK(d, ng_json_copy(ng_json_doc_root(doc), NULL, &cp) == NG_OK);
  d->ms[2] = ng_test_cpu_ms() - t;
  t = ng_test_cpu_ms();
  DCHECK(d, ng_json_equal(ng_json_doc_root(doc), ng_json_doc_root(cp)));
  d->ms[3] = ng_test_cpu_ms() - t;
  chain_leaf(ng_json_doc_root(cp))->as.i = 2;
  DCHECK(d, !ng_json_equal(ng_json_doc_root(doc), ng_json_doc_root(cp)));
  DCHECK(d, !ng_json_equal(ng_json_doc_root(cp), ng_json_doc_root(doc)));
  chain_leaf(ng_json_doc_root(cp))->as.i = 1;
  DCHECK(d, ng_json_equal(ng_json_doc_root(cp), ng_json_doc_root(doc)));
  /* Compact text into memory, checked byte for byte via the hash. */
  t = ng_test_cpu_ms();
  DCHECK(d, ng_json_write(ng_json_doc_root(cp), 0, NULL, &text, &len) == NG_OK);
  d->ms[4] = ng_test_cpu_ms() - t;
  want = expected_chain(d->sh, d->depth, false);
  memset(&got, 0, sizeof got);
  hash_bytes(&got, text, len);
  DCHECK(d, hash_same(&got, &want));
  /* Pretty text streamed (about 66 bytes a level with the capped indent). */
  want = expected_chain(d->sh, d->depth, true);
  memset(&got, 0, sizeof got);
  t = ng_test_cpu_ms();
  DCHECK(d, ng_json_write_cb(ng_json_doc_root(doc), NG_JSON_WRITE_PRETTY,
                             hash_sink, &got) == NG_OK);
  d->ms[5] = ng_test_cpu_ms() - t;
  DCHECK(d, hash_same(&got, &want));
  /* Free: O(chunks). */
  t = ng_test_cpu_ms();
  ng_json_doc_free(cp);
  cp = NULL;
  d->ms[6] = ng_test_cpu_ms() - t;
out:
  free(text);
  free(ptr);
  ng_json_doc_free(cp);
  ng_json_doc_free(doc);
  return NULL;
}

#define DEEP_STACK ((size_t)8 << 20)

/*
 * Runs deep_main on a thread whose 8 MiB stack we provide, painted with a
 * pattern, and returns the bytes of it the thread touched (the high-water
 * mark, thread start-up and TLS included).
 */
static size_t run_painted(deep *d) {
  pthread_attr_t attr;
  pthread_t th;
  unsigned char *stk;
  size_t i;

  assert_int_equal(posix_memalign((void **)&stk, 4096, DEEP_STACK), 0);
  memset(stk, 0xa5, DEEP_STACK);
  assert_int_equal(pthread_attr_init(&attr), 0);
  assert_int_equal(pthread_attr_setstack(&attr, stk, DEEP_STACK), 0);
  assert_int_equal(pthread_create(&th, &attr, deep_main, d), 0);
  assert_int_equal(pthread_join(th, NULL), 0);
  pthread_attr_destroy(&attr);
  /* valgrind marks a dead thread's stack inaccessible; the paint is what we
   * read, so declare it defined (a no-op outside valgrind). */
  VALGRIND_MAKE_MEM_DEFINED(stk, DEEP_STACK);
  for (i = 0; i < DEEP_STACK && stk[i] == 0xa5; i++)
    ;
  free(stk);
  return DEEP_STACK - i;
}

/*
 * Every operation at 1,000 levels, then at the full depth (10^7): the
 * second run must touch no more stack than the first (O(1) stack).
 */
static void run_deep(shape sh) {
  static const char *const names[] = {"arrays", "objects", "mixed"};
  size_t small_peak, peak;
  deep d;

  memset(&d, 0, sizeof d);
  d.sh = sh;
  d.depth = 1000;
  small_peak = run_painted(&d);
  if (d.fail_line != 0)
    fail_msg("%s, %zu levels: line %d: %s", names[sh], d.depth, d.fail_line,
             d.what);
  memset(&d, 0, sizeof d);
  d.sh = sh;
  d.depth = ng_test_deep_levels();
  peak = run_painted(&d);
  if (d.fail_line != 0)
    fail_msg("%s, %zu levels: line %d: %s", names[sh], d.depth, d.fail_line,
             d.what);
  print_message("%s x %zu: pointer %.0f ms, walk %.0f ms, copy %.0f ms, "
                "equal %.0f ms, write %.0f ms, pretty %.0f ms, free %.1f ms;"
                " stack %zu bytes (%zu at 1000 levels)\n",
                names[sh], d.depth, d.ms[0], d.ms[1], d.ms[2], d.ms[3], d.ms[4],
                d.ms[5], d.ms[6], peak, small_peak);
  assert_true(peak <= small_peak + 512); /* slack: libc paths may vary */
}

/* ------------------------------------------- inside a smallest task */

/*
 * Every DOM operation inside a lib/stack task with the smallest ceiling
 * (4 KiB; the task base has 2 KiB of checked stack). The operations never
 * call ng_stack_call, so the task must never grow; each callback (walk
 * enter/leave, write sink) checks with ng_stack_check that it still runs
 * within the checked base, and records how deep below the task function
 * it is.
 */
typedef struct task_job {
  ng_json_doc *doc;
  size_t depth;
  size_t low_stack; /* callbacks that found less than the red zone */
  size_t calls;
  uintptr_t entry;  /* frame address of task_main */
  uintptr_t lowest; /* lowest frame address of a callback */
  int fail_line;
} task_job;

static int tj_visit(void *ud, const ng_json_value *v, size_t depth) {
  task_job *j = ud;
  (void)v;
  (void)depth;
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  j->calls++;
  if (here < j->lowest)
    j->lowest = here;
  if (ng_stack_check() != NG_OK)
    j->low_stack++;
  return 0;
}

static int tj_sink(void *ud, const char *p, size_t n) {
  (void)p;
  (void)n;
  return tj_visit(ud, NULL, 0);
}

#define TCHECK(j, cond)                                                        \
  do {                                                                         \
    if (!(cond)) {                                                             \
      (j)->fail_line = __LINE__;                                               \
      goto out;                                                                \
    }                                                                          \
  } while (0)

static int task_main(void *arg) {
  task_job *j = arg;
  const ng_json_value *root = ng_json_doc_root(j->doc), *found;
  ng_json_doc *cp = NULL;
  char *text = NULL, *ptr = NULL;
  size_t len, plen;

  j->entry = j->lowest = (uintptr_t)__builtin_frame_address(0);
  TCHECK(j, ng_json_walk(root, tj_visit, tj_visit, j) == 0);
  TCHECK(j, ng_json_copy(root, NULL, &cp) == NG_OK);
  TCHECK(j, ng_json_equal(root, ng_json_doc_root(cp)));
  TCHECK(j, ng_json_write(root, 0, NULL, &text, &len) == NG_OK);
  TCHECK(j, len == 2 * j->depth + 1 + 4 * (j->depth / 2));
  TCHECK(j, ng_json_write_cb(ng_json_doc_root(cp), NG_JSON_WRITE_PRETTY,
                             tj_sink, j) == NG_OK);
  ptr = chain_pointer(SHAPE_MIXED, j->depth, &plen);
  TCHECK(j, ptr != NULL);
  TCHECK(j, ng_json_pointer(root, ptr, plen, &found) == NG_OK);
  TCHECK(j, found == chain_leaf(ng_json_doc_root(j->doc)));
out:
  free(ptr);
  free(text);
  ng_json_doc_free(cp);
  return j->fail_line;
}

static void test_deep_in_small_task(void **state) {
  ng_task_opts topts = {4096, 0};
  ng_task_stats st;
  ng_sched *s = NULL;
  ng_task *t = NULL;
  task_job j;
  int result = -1;
  (void)state;
  memset(&j, 0, sizeof j);
  j.depth = ng_test_deep_levels() / 10;
  j.doc = build_chain(SHAPE_MIXED, j.depth);
  assert_non_null(j.doc);
  assert_int_equal(ng_sched_new(&s, NULL), NG_OK);
  assert_int_equal(ng_task_spawn(s, &t, task_main, &j, &topts), NG_OK);
  assert_int_equal(ng_sched_run(s), NG_OK);
  ng_task_stats_get(t, &st);
  assert_int_equal(ng_task_join(t, &result), NG_OK);
  ng_sched_free(s);
  ng_json_doc_free(j.doc);
  if (result != 0)
    fail_msg("task failed at line %d", result);
  assert_true(j.calls > j.depth);   /* the callbacks ran */
  assert_int_equal(j.low_stack, 0); /* always a red zone to spare */
  assert_int_equal(st.grows, 0);    /* never left the 2 KiB base */
  assert_int_equal(st.segments, 0);
  /* The deepest callback frame (walk/write_cb + the callback) sits less
   * than 1 KiB below the task function (more under sanitizers). */
  assert_true(j.entry - j.lowest <
              (ng_test_sanitized() ? 4096u : 1024u));
  print_message("task, %zu levels: %zu callbacks within the 2 KiB task "
                "base; deepest callback %zu bytes below the task function\n",
                j.depth, j.calls, (size_t)(j.entry - j.lowest));
}

static void test_deep_arrays(void **state) {
  (void)state;
  run_deep(SHAPE_ARRAYS);
}

static void test_deep_objects(void **state) {
  (void)state;
  run_deep(SHAPE_OBJECTS);
}

static void test_deep_mixed(void **state) {
  (void)state;
  run_deep(SHAPE_MIXED);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_doc_basics),
      cmocka_unit_test(test_doc_memory_cap),
      cmocka_unit_test(test_accessors),
      cmocka_unit_test(test_sizes_are_32_bit),
      cmocka_unit_test(test_pointer_rfc6901),
      cmocka_unit_test(test_pointer_errors),
      cmocka_unit_test(test_equal_scalars),
      cmocka_unit_test(test_equal_trees),
      cmocka_unit_test(test_copy),
      cmocka_unit_test(test_walk),
      cmocka_unit_test(test_write_sample),
      cmocka_unit_test(test_write_strings),
      cmocka_unit_test(test_write_long_string),
      cmocka_unit_test(test_write_numbers),
      cmocka_unit_test(test_write_nonfinite),
      cmocka_unit_test(test_write_args_and_cancel),
      cmocka_unit_test(test_write_cancel_midway),
      cmocka_unit_test(test_dtoa),
      cmocka_unit_test(test_itoa),
      cmocka_unit_test(test_failalloc),
      cmocka_unit_test(test_failalloc_deep),
      cmocka_unit_test(test_roundtrip_texts),
      cmocka_unit_test(test_roundtrip_lone_surrogate),
      cmocka_unit_test(test_roundtrip_numbers),
      cmocka_unit_test(test_roundtrip_random_doubles),
      cmocka_unit_test(test_roundtrip_random_docs),
      cmocka_unit_test(test_roundtrip_bench_files),
      cmocka_unit_test(test_roundtrip_corpus),
      cmocka_unit_test(test_deep_arrays),
      cmocka_unit_test(test_deep_objects),
      cmocka_unit_test(test_deep_mixed),
      cmocka_unit_test(test_deep_in_small_task),
  };
  return cmocka_run_group_tests_name("json_dom", tests, NULL, NULL);
}
