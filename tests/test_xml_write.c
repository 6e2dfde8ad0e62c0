/*
 * tests/test_xml_write.c - the XML writer (compact and pretty output,
 * escaping, what it refuses, streaming and cancel), and every DOM
 * operation at 10,000,000 nesting levels: build, accessors, walk, text
 * content, copy, equality, both writers and free, on the main thread and
 * again inside a lib/stack task with the smallest ceiling (4 KiB), which
 * must never grow past its 2 KiB base; then failure sweeps over deep
 * build, copy and write.
 *
 * Output is compared with expected text byte for byte: whole strings for
 * small documents, a generator of the expected pieces for deep ones (the
 * streamed pretty text of 10^7 levels is about 1.4 GB). That a parse of
 * this text gives back an equal DOM is tested with the XML parser, in its
 * tests, since the parser is not part of the tree yet.
 * NG_VALGRIND=1 scales the deep tests to 1e5 levels, NG_SANITIZED=1 to 1e6.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nestguard.h"
#include "support/failalloc.h"
#include "support/xml_tb.h"
#include "support/testenv.h"

static const char sample_compact[] =
    "<!--pro--><?pi data?><!DOCTYPE r PUBLIC \"-//p\" \"s.dtd\">"
    "<r xmlns=\"urn:a\" xmlns:p=\"urn:p\" a=\"1\" p:b=\"x&quot;y\">"
    "<p:c>t1&amp;cdt2</p:c><e/><!--c--><?t?>tail</r><!--epi-->";

/* The root has text, so pretty output keeps it on one line. */
static const char sample_pretty[] =
    "<!--pro-->\n<?pi data?>\n<!DOCTYPE r PUBLIC \"-//p\" \"s.dtd\">\n"
    "<r xmlns=\"urn:a\" xmlns:p=\"urn:p\" a=\"1\" p:b=\"x&quot;y\">"
    "<p:c>t1&amp;cdt2</p:c><e/><!--c--><?t?>tail</r>\n<!--epi-->";

/* ------------------------------------------------------------- writer */

static void test_write_sample(void **state) {
  ng_xml_doc *doc = make_sample(NULL);
  ng_xml_node *d = ng_xml_doc_node(doc), *r = ng_xml_doc_root(doc);
  (void)state;
  EXPECT_TEXT(d, 0, sample_compact);
  EXPECT_TEXT(d, NG_XML_WRITE_PRETTY, sample_pretty);
  EXPECT_TEXT(d, NG_XML_WRITE_DECL,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
              "<!--pro--><?pi data?><!DOCTYPE r PUBLIC \"-//p\" \"s.dtd\">"
              "<r xmlns=\"urn:a\" xmlns:p=\"urn:p\" a=\"1\" p:b=\"x&quot;y\">"
              "<p:c>t1&amp;cdt2</p:c><e/><!--c--><?t?>tail</r><!--epi-->");
  /* A subtree is written alone (its namespace declarations stay on its
   * ancestors: the writer writes attributes, it adds none). */
  EXPECT_TEXT(child(r, 0), 0, "<p:c>t1&amp;cdt2</p:c>");
  EXPECT_TEXT(child(r, 1), NG_XML_WRITE_PRETTY, "<e/>");
  EXPECT_TEXT(child(r, 1), NG_XML_WRITE_PRETTY | NG_XML_WRITE_DECL,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<e/>");
  EXPECT_TEXT(child(r, 4), 0, "tail");
  ng_xml_doc_free(doc);
  /* An empty document writes nothing (or the declaration alone). */
  doc = ng__xml_doc_new(NULL, 0);
  assert_non_null(doc);
  EXPECT_TEXT(ng_xml_doc_node(doc), NG_XML_WRITE_PRETTY, "");
  EXPECT_TEXT(ng_xml_doc_node(doc), NG_XML_WRITE_PRETTY | NG_XML_WRITE_DECL,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
  ng_xml_doc_free(doc);
}

/* Pretty: element-only content is indented, mixed content is not. */
static void test_write_pretty(void **state) {
  ng_xml_doc *doc;
  tb t;
  (void)state;
  tb_init(&t, 0, NULL);
  COMMENT(&t, "top");
  START(&t, "a");
  ATTR(&t, "k", "v");
  DONE(&t);
  EMPTY(&t, "b");
  START(&t, "c");
  DONE(&t);
  START(&t, "d");
  DONE(&t);
  TEXT(&t, "x ");
  START(&t, "i"); /* inside mixed content: no indent at any depth */
  DONE(&t);
  EMPTY(&t, "j");
  END(&t);
  END(&t);
  COMMENT(&t, "k");
  PI(&t, "p", "q");
  END(&t);
  START(&t, "m");
  DONE(&t);
  CDATA(&t, "z");
  END(&t);
  END(&t);
  doc = tb_done(&t);
  EXPECT_TEXT(ng_xml_doc_node(doc), NG_XML_WRITE_PRETTY,
              "<!--top-->\n"
              "<a k=\"v\">\n"
              "  <b/>\n"
              "  <c>\n"
              "    <d>x <i><j/></i></d>\n"
              "    <!--k-->\n"
              "    <?p q?>\n"
              "  </c>\n"
              "  <m>z</m>\n"
              "</a>");
  EXPECT_TEXT(ng_xml_doc_root(doc), NG_XML_WRITE_PRETTY,
              "<a k=\"v\">\n"
              "  <b/>\n"
              "  <c>\n"
              "    <d>x <i><j/></i></d>\n"
              "    <!--k-->\n"
              "    <?p q?>\n"
              "  </c>\n"
              "  <m>z</m>\n"
              "</a>");
  EXPECT_TEXT(ng_xml_doc_node(doc), 0,
              "<!--top--><a k=\"v\"><b/><c><d>x <i><j/></i></d><!--k-->"
              "<?p q?></c><m>z</m></a>");
  ng_xml_doc_free(doc);
}

/* A one-node document: text, a comment... as builder calls. */
typedef int (*leaf_fn)(ng__xml_builder *b, const char *s, size_t n);

static int leaf_text(ng__xml_builder *b, const char *s, size_t n) {
  return ng__xml_build_text(b, s, n, 0);
}

static int leaf_cdata(ng__xml_builder *b, const char *s, size_t n) {
  return ng__xml_build_text(b, s, n, 1);
}

static int leaf_comment(ng__xml_builder *b, const char *s, size_t n) {
  return ng__xml_build_comment(b, s, n);
}

static int leaf_pi(ng__xml_builder *b, const char *s, size_t n) {
  return ng__xml_build_pi(b, L("t"), s, n);
}

static int leaf_attr(ng__xml_builder *b, const char *s, size_t n) {
  int rc = ng__xml_build_start(b, L("e"), NULL, 0);

  if (rc == NG_OK)
    rc = ng__xml_build_attr(b, L("a"), s, n, NULL, 0);
  if (rc == NG_OK)
    rc = ng__xml_build_start_done(b);
  return rc != NG_OK ? rc : ng__xml_build_end(b);
}

/* Writes the one-node document fn(s[0..n)) and compares with want (NULL:
 * the writers must refuse it). */
static void leaf_case(leaf_fn fn, const char *s, size_t n, const char *want) {
  ng_xml_doc *doc;
  tb t;

  tb_init(&t, NG__XML_BUILD_CDATA, NULL);
  OK(fn(&t.b, s, n));
  doc = tb_done(&t);
  if (want != NULL)
    expect_text(ng_xml_doc_node(doc), 0, want, strlen(want));
  else
    expect_einval(ng_xml_doc_node(doc));
  ng_xml_doc_free(doc);
}

#define LEAF(fn, lit, want) leaf_case(fn, lit, sizeof(lit) - 1, want)

static void test_write_escaping(void **state) {
  char all[32], want[400];
  size_t i;
  (void)state;
  /* Text: & < > and CR escaped, so "]]>" never appears; quotes, TAB, LF
   * and UTF-8 as they are. */
  LEAF(leaf_text, "a<b&c>d]]>e\rf\"g'h\ti\nj\xc3\xa9",
       "a&lt;b&amp;c&gt;d]]&gt;e&#xD;f\"g'h\ti\nj\xc3\xa9");
  /* Attribute values: & < " TAB LF CR escaped (normalisation keeps them),
   * > and ' as they are. */
  LEAF(leaf_attr, "a<b&c>d\"e'f\tg\nh\ri\xc3\xa9",
       "<e a=\"a&lt;b&amp;c>d&quot;e'f&#x9;g&#xA;h&#xD;i\xc3\xa9\"/>");
  LEAF(leaf_attr, "", "<e a=\"\"/>");
  /* Every other control character has no XML 1.0 form. */
  for (i = 0; i < 32; i++) {
    all[0] = 'a';
    all[1] = (char)i;
    if (i == '\t' || i == '\n' || i == '\r')
      continue;
    leaf_case(leaf_text, all, 2, NULL);
    leaf_case(leaf_attr, all, 2, NULL);
    leaf_case(leaf_comment, all, 2, NULL);
    leaf_case(leaf_cdata, all, 2, NULL);
    leaf_case(leaf_pi, all, 2, NULL);
  }
  /* Comments: no "--", no final '-', no CR (a parse would read LF). */
  LEAF(leaf_comment, " a-b <&> ]]> \t\n ", "<!-- a-b <&> ]]> \t\n -->");
  LEAF(leaf_comment, "", "<!---->");
  LEAF(leaf_comment, "a--b", NULL);
  LEAF(leaf_comment, "a-", NULL);
  LEAF(leaf_comment, "-", NULL);
  LEAF(leaf_comment, "a\rb", NULL);
  /* CDATA sections: anything but "]]>" and CR. */
  LEAF(leaf_cdata, "<&>]]", "<![CDATA[<&>]]]]>");
  LEAF(leaf_cdata, "a]]>b", NULL);
  LEAF(leaf_cdata, "a\rb", NULL);
  /* PIs: no "?>", no leading white space, no CR. */
  LEAF(leaf_pi, "a ?b> c?",
       "<?t a ?b> c?"
       "?>");
  LEAF(leaf_pi, "", "<?t?>");
  LEAF(leaf_pi, "a?>b", NULL);
  LEAF(leaf_pi, " a", NULL);
  LEAF(leaf_pi, "\ta", NULL);
  LEAF(leaf_pi, "\na", NULL);
  LEAF(leaf_pi, "a\r", NULL);
  /* NUL is data with its length, and has no XML form either. */
  LEAF(leaf_text, "a\0b", NULL);
  /* A long text with a control character far in. */
  memset(want, 'x', sizeof want);
  want[350] = '\x01';
  leaf_case(leaf_text, want, sizeof want, NULL);
}

static void doctype_case(const char *pub, const char *sys, const char *want) {
  ng_xml_doc *doc;
  tb t;

  tb_init(&t, 0, NULL);
  OK(ng__xml_build_doctype(&t.b, L("d:oc"), pub, pub ? strlen(pub) : 0, sys,
                           sys ? strlen(sys) : 0));
  EMPTY(&t, "d:oc");
  doc = tb_done(&t);
  if (want != NULL)
    expect_text(ng_xml_doc_node(doc), 0, want, strlen(want));
  else
    expect_einval(ng_xml_doc_node(doc));
  ng_xml_doc_free(doc);
}

static void test_write_doctype(void **state) {
  (void)state;
  doctype_case(NULL, NULL, "<!DOCTYPE d:oc><d:oc/>");
  doctype_case(NULL, "a.dtd", "<!DOCTYPE d:oc SYSTEM \"a.dtd\"><d:oc/>");
  doctype_case(NULL, "", "<!DOCTYPE d:oc SYSTEM \"\"><d:oc/>");
  doctype_case(NULL, "a\"b", "<!DOCTYPE d:oc SYSTEM 'a\"b'><d:oc/>");
  doctype_case(NULL, "a'b", "<!DOCTYPE d:oc SYSTEM \"a'b\"><d:oc/>");
  doctype_case("-//A//B", "u",
               "<!DOCTYPE d:oc PUBLIC \"-//A//B\" \"u\"><d:oc/>");
  doctype_case("p'q", "a\"b", "<!DOCTYPE d:oc PUBLIC \"p'q\" 'a\"b'><d:oc/>");
  doctype_case(NULL, "a\"b'c", NULL); /* no quote fits */
  doctype_case("p\"q", "u", NULL);    /* " is no PubidChar */
  doctype_case("p", NULL, NULL);      /* PUBLIC needs a system id */
  doctype_case(NULL, "a\rb", NULL);
  doctype_case("a\rb", "u", NULL);
}

static void test_write_args_and_cancel(void **state) {
  ng_xml_doc *doc = make_sample(NULL);
  ng_xml_node *d = ng_xml_doc_node(doc), bogus;
  membuf m = {0};
  char *out;
  size_t len;
  (void)state;
  assert_int_equal(ng_xml_write(NULL, 0, NULL, &out, &len), NG_EINVAL);
  assert_int_equal(ng_xml_write(d, 0, NULL, NULL, &len), NG_EINVAL);
  assert_int_equal(ng_xml_write(d, 0x4, NULL, &out, &len), NG_EINVAL);
  assert_null(out);
  assert_int_equal(ng_xml_write(d, 0x80000000u, NULL, &out, &len), NG_EINVAL);
  assert_int_equal(ng_xml_write_cb(d, 0, NULL, NULL), NG_EINVAL);
  assert_int_equal(ng_xml_write_cb(NULL, 0, mem_sink, &m), NG_EINVAL);
  assert_int_equal(ng_xml_write_cb(d, 0x10, mem_sink, &m), NG_EINVAL);
  assert_int_equal(m.calls, 0);
  /* len may be NULL. */
  OK(ng_xml_write(d, 0, NULL, &out, NULL));
  assert_string_equal(out, sample_compact);
  free(out);
  /* The sink stops the write at its first call. */
  m.stop_after = 1;
  assert_int_equal(ng_xml_write_cb(d, 0, mem_sink, &m), NG_ECANCELED);
  assert_int_equal(m.calls, 1);
  free(m.p);
  /* A node with an invalid type is refused. */
  memset(&bogus, 0, sizeof bogus);
  bogus.type = 99;
  bogus.flags = NG_XML__LAST;
  expect_einval(&bogus);
  ng_xml_doc_free(doc);
}

/* Long text and many nodes: runs longer than the 256-byte stream buffer
 * go straight to the sink, the result is the same; a sink that stops
 * midway stops the write. */
static void test_write_long(void **state) {
  size_t n = 100000, i, k = 0;
  char *s = malloc(n), *want = malloc(n * 5 + 16);
  membuf m = {0};
  ng_xml_doc *doc;
  tb t;
  (void)state;
  assert_non_null(s);
  assert_non_null(want);
  k += (size_t)sprintf(want, "<r>");
  for (i = 0; i < n; i++) {
    s[i] = (i % 1000 == 999) ? '<' : (char)('a' + i % 26);
    if (s[i] == '<')
      k += (size_t)sprintf(want + k, "&lt;");
    else
      want[k++] = s[i];
  }
  k += (size_t)sprintf(want + k, "</r>");
  tb_init(&t, 0, NULL);
  START(&t, "r");
  DONE(&t);
  OK(ng__xml_build_text(&t.b, s, n, 0));
  END(&t);
  doc = tb_done(&t);
  expect_text(ng_xml_doc_root(doc), 0, want, k);
  m.stop_after = 10;
  assert_int_equal(ng_xml_write_cb(ng_xml_doc_root(doc), 0, mem_sink, &m),
                   NG_ECANCELED);
  assert_int_equal(m.calls, 10);
  free(m.p);
  ng_xml_doc_free(doc);
  free(s);
  free(want);
}

/* -------------------------------------------------------------- deep */

/*
 * Deep documents, depth elements nested, each the only element child of
 * the one before:
 *   CHAIN  <a><a>...<a>x</a>...</a></a>
 *   RICH   <p:b xmlns:p="urn:p" k="v"><!--c--><p:b k="v"><!--c-->...
 *          <p:b k="v"><!--c-->x</p:b>t</p:b>...t</p:b>
 *          (namespaces on: every level has an attribute, a comment and,
 *          but the innermost, text after its child, so all is mixed)
 */
typedef enum shape { CHAIN, RICH } shape;

/* Builds the document through alc without cmocka (it runs in tasks):
 * NULL with *rc set on failure. */
static ng_xml_doc *build_deep(shape sh, size_t depth, const ng_alloc *alc,
                              int *rc) {
  ng_xml_doc *doc = ng__xml_doc_new(alc, 0);
  ng__xml_builder b;
  size_t i;

  *rc = NG_ENOMEM;
  if (doc == NULL)
    return NULL;
  ng__xml_builder_init(&b, doc, sh == RICH ? NG__XML_BUILD_NS : 0, alc);
  *rc = NG_OK;
#define TRY(call)                                                              \
  if (*rc == NG_OK)                                                            \
  *rc = (call)
  for (i = 0; i < depth && *rc == NG_OK; i++) {
    if (sh == CHAIN) {
      TRY(ng__xml_build_start(&b, L("a"), NULL, 0));
    } else {
      TRY(ng__xml_build_start(&b, L("p:b"), L("urn:p")));
      if (i == 0)
        TRY(ng__xml_build_attr(&b, L("xmlns:p"), L("urn:p"), L(XMLNS)));
      TRY(ng__xml_build_attr(&b, L("k"), L("v"), NULL, 0));
    }
    TRY(ng__xml_build_start_done(&b));
    if (sh == RICH)
      TRY(ng__xml_build_comment(&b, L("c")));
  }
  TRY(ng__xml_build_text(&b, L("x"), 0));
  for (i = 0; i < depth && *rc == NG_OK; i++) {
    if (sh == RICH && i != 0)
      TRY(ng__xml_build_text(&b, L("t"), 0));
    TRY(ng__xml_build_end(&b));
  }
  TRY(ng__xml_build_finish(&b));
#undef TRY
  ng__xml_builder_free(&b);
  if (*rc != NG_OK) {
    ng_xml_doc_free(doc);
    return NULL;
  }
  return doc;
}

/*
 * The text the writers must make of build_deep(sh, depth), as a sequence
 * of pieces: a sink compares what it receives with them, so even 1.4 GB
 * of streamed text is checked byte for byte without being stored.
 */
typedef struct gen {
  shape sh;
  size_t depth;
  bool pretty;  /* CHAIN's pretty text (RICH is all mixed: compact) */
  size_t step;  /* index of the next piece */
  char buf[96]; /* the current piece */
  size_t len;   /* its bytes; 0 after the last */
  size_t off;   /* bytes of it matched */
  bool bad;     /* a difference was seen */
  void *probe;  /* stack probe for sinks in tasks (struct deep), or NULL */
} gen;

/* A newline and the indent of level lv (two spaces, 32 levels at most). */
static size_t gen_indent(char *p, size_t lv) {
  size_t n = 2 * (lv < 32 ? lv : 32);

  p[0] = '\n';
  memset(p + 1, ' ', n);
  return n + 1;
}

static size_t gen_chain(const gen *g, size_t s, char *p) {
  size_t d = g->depth, n;

  if (s + 1 < d) { /* open level s */
    memcpy(p, "<a>", 3);
    return 3 + (g->pretty ? gen_indent(p + 3, s + 1) : 0);
  }
  if (s + 1 == d) {
    memcpy(p, "<a>x</a>", 8);
    return 8;
  }
  if (s >= 2 * d - 1)
    return 0;
  n = g->pretty ? gen_indent(p, 2 * d - 2 - s) : 0; /* close that level */
  memcpy(p + n, "</a>", 4);
  return n + 4;
}

static size_t gen_rich(const gen *g, size_t s, char *p) {
  static const char first[] = "<p:b xmlns:p=\"urn:p\" k=\"v\"><!--c-->";
  static const char open[] = "<p:b k=\"v\"><!--c-->";
  size_t d = g->depth;

  if (s == 0) {
    memcpy(p, first, sizeof first - 1);
    return sizeof first - 1;
  }
  if (s < d) {
    memcpy(p, open, sizeof open - 1);
    return sizeof open - 1;
  }
  if (s == d) {
    memcpy(p, "x</p:b>", 7);
    return 7;
  }
  if (s >= 2 * d)
    return 0;
  memcpy(p, "t</p:b>", 7);
  return 7;
}

static void gen_start(gen *g, shape sh, size_t depth, bool pretty) {
  memset(g, 0, sizeof *g);
  g->sh = sh;
  g->depth = depth;
  g->pretty = pretty && sh == CHAIN;
}

/* Matches p[0..n) against the pieces; false at the first difference. */
static bool gen_match(gen *g, const char *p, size_t n) {
  size_t k;

  while (n != 0 && !g->bad) {
    if (g->off == g->len) {
      g->len = g->sh == CHAIN ? gen_chain(g, g->step, g->buf)
                              : gen_rich(g, g->step, g->buf);
      g->step++;
      g->off = 0;
      if (g->len == 0) {
        g->bad = true; /* more text than expected */
        break;
      }
    }
    k = g->len - g->off < n ? g->len - g->off : n;
    if (memcmp(g->buf + g->off, p, k) != 0)
      g->bad = true;
    g->off += k;
    p += k;
    n -= k;
  }
  return !g->bad;
}

/* Were all the pieces matched, and nothing else? */
static bool gen_complete(gen *g) {
  char tail[96];

  return !g->bad && g->off == g->len &&
         (g->sh == CHAIN ? gen_chain(g, g->step, tail)
                         : gen_rich(g, g->step, tail)) == 0;
}

/* One deep run: what it checks, what it measured. */
typedef struct deep {
  shape sh;
  size_t depth;
  int fail_line;    /* 0: all good */
  const char *what; /* the failed check */
  double ms[10];    /* timings, for the report */
  size_t enters;    /* walk: nodes entered */
  size_t leaves;    /* walk: nodes left */
  size_t max_depth; /* walk: deepest depth seen */
  size_t stop_at;   /* walk: enter stops at this node (1-based) */
  uintptr_t entry;  /* in a task: frame of the task function */
  uintptr_t lowest; /* lowest frame of a callback */
  size_t low_stack; /* callbacks that found less than the red zone */
  size_t calls;     /* callbacks made */
} deep;

/* Every callback records where it runs: under a task, it must still be
 * within the task's checked base with a red zone to spare. */
static void probe(deep *d) {
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);

  d->calls++;
  if (d->lowest == 0 || here < d->lowest)
    d->lowest = here;
  if (ng_stack_check() != NG_OK)
    d->low_stack++;
}

static int dw_enter(void *ud, const ng_xml_node *n, size_t depth) {
  deep *d = ud;

  (void)n;
  probe(d);
  d->enters++;
  if (depth > d->max_depth)
    d->max_depth = depth;
  return d->enters == d->stop_at ? -5 : 0;
}

static int dw_leave(void *ud, const ng_xml_node *n, size_t depth) {
  deep *d = ud;

  (void)n;
  (void)depth;
  probe(d);
  d->leaves++;
  return 0;
}

static int gen_sink(void *ud, const char *p, size_t n) {
  gen *g = ud;

  if (g->probe != NULL)
    probe(g->probe);
  return gen_match(g, p, n) ? 0 : 1;
}

/* The innermost element (the last one with an element child chain). */
static ng_xml_node *innermost(const ng_xml_doc *doc) {
  ng_xml_node *v = ng_xml_doc_root(doc), *c;

  for (;;) {
    for (c = ng_xml_first(v); c != NULL && c->type != NG_XML_ELEMENT;
         c = ng_xml_next(c))
      ;
    if (c == NULL)
      return v;
    v = c;
  }
}

/* Its last child: the text "x". */
static ng_xml_node *last_child(const ng_xml_node *el) {
  ng_xml_node *c = ng_xml_first(el);

  while (ng_xml_next(c) != NULL)
    c = ng_xml_next(c);
  return c;
}

#define DCHECK(d, cond)                                                        \
  do {                                                                         \
    if (!(cond)) {                                                             \
      (d)->fail_line = __LINE__;                                               \
      (d)->what = #cond;                                                       \
      goto out;                                                                \
    }                                                                          \
  } while (0)

/* Is the text content what the shape holds: "x", then D-1 "t" (RICH)? */
static bool text_ok(const deep *d, const char *s, size_t len) {
  size_t i, want = d->sh == CHAIN ? 1 : d->depth;

  if (len != want || s[0] != 'x' || s[len] != '\0')
    return false;
  for (i = 1; i < len; i++)
    if (s[i] != 't')
      return false;
  return true;
}

/* The accessors at the bottom of the document. */
static bool bottom_ok(const deep *d, const ng_xml_doc *doc) {
  const ng_xml_node *in = innermost(doc), *leaf = last_child(in);
  size_t len;

  if (leaf->type != NG_XML_TEXT || ng_xml_parent(leaf) != in ||
      ng_xml_first(in) == NULL || ng_xml_data(leaf, &len) == NULL || len != 1)
    return false;
  if (d->sh == CHAIN)
    return ng_xml_attr_count(in) == 0 && ng_xml_name(in, &len)[0] == 'a';
  return ng_xml_attr_count(in) == 1 &&
         ng_xml_attr_get(in, L("k")) == ng_xml_attr_at(in, 0) &&
         ng_xml_attr_get_ns(in, NULL, 0, L("k")) == ng_xml_attr_at(in, 0) &&
         ng_xml_ns_uri(in, &len) != NULL && len == 5 &&
         ng_xml_prefix(in, &len) != NULL && len == 1 &&
         ng_xml_first(in)->type == NG_XML_COMMENT;
}

/*
 * Every operation on one deep document, made here (on whatever stack this
 * runs on). Records the first failed check in d and returns its line.
 */
static int deep_ops(deep *d) {
  ng_xml_doc *doc = NULL, *cp = NULL;
  ng_xml_node *leaf;
  char *text = NULL, *tc = NULL;
  size_t len, nodes = d->sh == CHAIN ? d->depth + 2 : 3 * d->depth + 1;
  double t = ng_test_cpu_ms();
  gen g;
  int rc;

  doc = build_deep(d->sh, d->depth, NULL, &rc);
  d->ms[0] = ng_test_cpu_ms() - t;
  DCHECK(d, doc != NULL);
  DCHECK(d, bottom_ok(d, doc));
  /* Walk: every node once, at its depth; a stop deep inside. */
  t = ng_test_cpu_ms();
  DCHECK(d, ng_xml_walk(ng_xml_doc_node(doc), dw_enter, dw_leave, d) == 0);
  d->ms[1] = ng_test_cpu_ms() - t;
  DCHECK(d, d->enters == nodes && d->leaves == d->depth + 1);
  DCHECK(d, d->max_depth == d->depth + 1);
  d->enters = d->leaves = 0;
  d->stop_at = d->sh == CHAIN ? d->depth + 2 : 2 * d->depth + 2; /* "x" */
  DCHECK(d, ng_xml_walk(ng_xml_doc_node(doc), dw_enter, dw_leave, d) == -5);
  DCHECK(d, d->enters == d->stop_at && d->leaves == 0);
  /* Text content of the whole document. */
  t = ng_test_cpu_ms();
  DCHECK(d,
         ng_xml_text_content(ng_xml_doc_node(doc), NULL, &tc, &len) == NG_OK);
  d->ms[2] = ng_test_cpu_ms() - t;
  DCHECK(d, text_ok(d, tc, len));
  /* Copy, and equality against it: a real lock-step walk. */
  t = ng_test_cpu_ms();
  DCHECK(d, ng_xml_copy(ng_xml_doc_node(doc), NULL, &cp) == NG_OK);
  d->ms[3] = ng_test_cpu_ms() - t;
  t = ng_test_cpu_ms();
  DCHECK(d, ng_xml_equal(ng_xml_doc_node(doc), ng_xml_doc_node(cp)));
  d->ms[4] = ng_test_cpu_ms() - t;
  leaf = last_child(innermost(cp));
  *(char *)(uintptr_t)leaf->as.s = 'y'; /* a test may change its copy */
  DCHECK(d, !ng_xml_equal(ng_xml_doc_node(doc), ng_xml_doc_node(cp)));
  DCHECK(d, !ng_xml_equal(ng_xml_doc_root(cp), ng_xml_doc_root(doc)));
  *(char *)(uintptr_t)leaf->as.s = 'x';
  DCHECK(d, ng_xml_equal(ng_xml_doc_root(cp), ng_xml_doc_root(doc)));
  /* Compact text into memory, checked piece by piece. */
  t = ng_test_cpu_ms();
  DCHECK(d, ng_xml_write(ng_xml_doc_node(cp), 0, NULL, &text, &len) == NG_OK);
  d->ms[5] = ng_test_cpu_ms() - t;
  gen_start(&g, d->sh, d->depth, false);
  DCHECK(d, gen_match(&g, text, len) && gen_complete(&g));
  /* Pretty text streamed (about 1.4 GB for a 10^7 chain), and compact. */
  gen_start(&g, d->sh, d->depth, true);
  g.probe = d;
  t = ng_test_cpu_ms();
  DCHECK(d, ng_xml_write_cb(ng_xml_doc_node(doc), NG_XML_WRITE_PRETTY, gen_sink,
                            &g) == NG_OK);
  d->ms[6] = ng_test_cpu_ms() - t;
  DCHECK(d, gen_complete(&g));
  gen_start(&g, d->sh, d->depth, false);
  g.probe = d;
  DCHECK(d, ng_xml_write_cb(ng_xml_doc_root(doc), 0, gen_sink, &g) == NG_OK);
  DCHECK(d, gen_complete(&g));
  /* Free: O(chunks). */
  t = ng_test_cpu_ms();
  ng_xml_doc_free(cp);
  cp = NULL;
  d->ms[7] = ng_test_cpu_ms() - t;
out:
  free(text);
  free(tc);
  ng_xml_doc_free(cp);
  ng_xml_doc_free(doc);
  return d->fail_line;
}

static void report(const deep *d, const char *where) {
  static const char *const names[] = {"chain", "rich"};

  if (d->fail_line != 0)
    fail_msg("%s x %zu %s: line %d: %s", names[d->sh], d->depth, where,
             d->fail_line, d->what);
  print_message("%s x %zu %s: build %.0f ms, walk %.0f, text %.0f, copy %.0f,"
                " equal %.0f, write %.0f, pretty %.0f, free %.1f\n",
                names[d->sh], d->depth, where, d->ms[0], d->ms[1], d->ms[2],
                d->ms[3], d->ms[4], d->ms[5], d->ms[6], d->ms[7]);
}

/* Every operation at full depth on the main thread's own stack. */
static void test_deep_chain(void **state) {
  deep d;
  (void)state;
  memset(&d, 0, sizeof d);
  d.sh = CHAIN;
  d.depth = ng_test_deep_levels();
  deep_ops(&d);
  report(&d, "main thread");
}

static void test_deep_rich(void **state) {
  deep d;
  (void)state;
  memset(&d, 0, sizeof d);
  d.sh = RICH;
  d.depth = ng_test_deep_levels() / 10;
  deep_ops(&d);
  report(&d, "main thread");
}

/* ------------------------------------------- inside a smallest task */

static int task_main(void *arg) {
  deep *d = arg;

  d->entry = (uintptr_t)__builtin_frame_address(0);
  return deep_ops(d);
}

/*
 * deep_ops inside a task with the smallest ceiling (4 KiB; the base has
 * 2 KiB of checked stack), spawned with `flags` (0: the shared stacks,
 * NG_TASK_PRIVATE: its own base). Nothing here calls ng_stack_call, so
 * the task must never grow: the DOM code runs in O(1) stack at any depth,
 * and every callback finds a red zone below it.
 */
static void run_in_task(shape sh, size_t depth, unsigned flags) {
  ng_task_opts topts = {4096, flags};
  ng_task_stats st;
  ng_sched *s = NULL;
  ng_task *t = NULL;
  int result = -1;
  deep d;

  memset(&d, 0, sizeof d);
  d.sh = sh;
  d.depth = depth;
  assert_int_equal(ng_sched_new(&s, NULL), NG_OK);
  assert_int_equal(ng_task_spawn(s, &t, task_main, &d, &topts), NG_OK);
  assert_int_equal(ng_sched_run(s), NG_OK);
  ng_task_stats_get(t, &st);
  assert_int_equal(ng_task_join(t, &result), NG_OK);
  ng_sched_free(s);
  report(&d, flags & NG_TASK_PRIVATE ? "in a private task" : "in a task");
  assert_int_equal(result, 0);
  assert_true(d.calls > d.depth); /* the callbacks ran */
  assert_int_equal(d.low_stack, 0);
  assert_int_equal(st.grows, 0); /* never left the 2 KiB base */
  assert_int_equal(st.segments, 0);
  assert_true(d.entry - d.lowest <
              (ng_test_sanitized() ? 4096u : 1024u));
  print_message("deepest callback %zu bytes below the task function\n",
                (size_t)(d.entry - d.lowest));
}

static void test_deep_in_small_task(void **state) {
  (void)state;
  run_in_task(CHAIN, ng_test_deep_levels(), 0);
  run_in_task(RICH, ng_test_deep_levels() / 10, NG_TASK_PRIVATE);
}

/* ---------------------------------------------- deep failure sweeps */

static int op_build_deep(void *arg, const ng_alloc *alc) {
  ng_xml_doc *doc;
  int rc;

  doc = build_deep(RICH, *(const size_t *)arg, alc, &rc);
  if (doc == NULL)
    return rc;
  ng_xml_doc_free(doc);
  return 0;
}

static int op_copy_deep(void *arg, const ng_alloc *alc) {
  ng_xml_doc *doc;
  int rc = ng_xml_copy(arg, alc, &doc);

  if (rc != NG_OK)
    return doc == NULL ? rc : -1;
  rc = ng_xml_equal(arg, ng_xml_doc_node(doc)) ? 0 : -1;
  ng_xml_doc_free(doc);
  return rc;
}

static int op_write_deep(void *arg, const ng_alloc *alc) {
  char *out;
  size_t len;
  int rc = ng_xml_write(arg, NG_XML_WRITE_PRETTY, alc, &out, &len);

  if (rc != NG_OK)
    return out == NULL ? rc : -1;
  alc->free(alc->ctx, out, len + 1);
  return 0;
}

/* Failures deep inside a build, a copy or a write unwind without any
 * per-level state to release. */
static void test_failalloc_deep(void **state) {
  size_t depth = 100000;
  ng_xml_doc *doc;
  long runs;
  int rc;
  (void)state;
  runs = ng_failalloc_sweep(op_build_deep, &depth, 1000);
  assert_true(runs >= 10);
  doc = build_deep(RICH, depth, NULL, &rc);
  assert_non_null(doc);
  runs = ng_failalloc_sweep(op_copy_deep, ng_xml_doc_node(doc), 1000);
  assert_true(runs >= 10);
  runs = ng_failalloc_sweep(op_write_deep, ng_xml_doc_node(doc), 1000);
  assert_true(runs >= 10);
  ng_xml_doc_free(doc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_write_sample),
      cmocka_unit_test(test_write_pretty),
      cmocka_unit_test(test_write_escaping),
      cmocka_unit_test(test_write_doctype),
      cmocka_unit_test(test_write_args_and_cancel),
      cmocka_unit_test(test_write_long),
      cmocka_unit_test(test_deep_chain),
      cmocka_unit_test(test_deep_rich),
      cmocka_unit_test(test_deep_in_small_task),
      cmocka_unit_test(test_failalloc_deep),
  };
  return cmocka_run_group_tests_name("xml_write", tests, NULL, NULL);
}
