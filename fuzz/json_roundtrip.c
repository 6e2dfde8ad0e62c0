/*
 * fuzz/json_roundtrip.c - parse -> write -> parse must give the same DOM.
 *
 * For every input the default engine accepts:
 *   - compact output re-parses to an equal DOM, and writing that DOM again
 *     gives the same bytes (the writer is a fixed point after one pass);
 *   - pretty output re-parses to an equal DOM and its compact form is the
 *     same as the first compact output;
 *   - the streaming writer (ng_json_write_cb) produces the same bytes;
 *   - a deep copy is equal, and copying through a counting allocator
 *     leaks nothing;
 *   - JSON Pointer lookup finds sampled nodes by their RFC 6901 paths, and
 *     a pointer made of the input's bytes gives OK, EINVAL or ENOTFOUND;
 *   - ng_json_walk enters every node and leaves every container once, and
 *     stops with the callback's value; ng_json_size/at/get agree with the
 *     child lists; ng_json_equal is symmetric, values written alike are
 *     equal, and a container never equals its own child.
 * Numbers must round-trip with their type (INT/UINT/DOUBLE) and value,
 * which is what ng_json_equal compares.
 */
#include "fuzz_json.h"

#include <stdlib.h>
#include <string.h>

static int is_box(const ng_json_value *v) {
  return v->type == NG_JSON_ARRAY || v->type == NG_JSON_OBJECT;
}

/* Re-parses text and checks it equals root; returns the new doc or NULL. */
static ng_json_doc *rt_reparse(const char *what, const char *text, size_t len,
                               const ng_json_value *root) {
  ng_json_options opt;
  ng_json_doc *doc = NULL;
  ng_error err;
  char e[160];
  int rc;

  ng_json_options_default(&opt);
  opt.limits.max_depth = 0; /* pretty output is no deeper, but be sure */
  rc = ng_json_parse(text, len, &opt, &doc, &err);
  if (rc != NG_OK) {
    ng_fuzz_fail("roundtrip: %s output does not parse: %s; output starts "
                 "\"%.*s\"",
                 what, ng_fuzz_error_str(&err, e, sizeof e),
                 (int)(len > 200 ? 200 : len), text);
    return NULL;
  }
  if (!ng_json_equal(root, ng_json_doc_root(doc))) {
    ng_fuzz_fail("roundtrip: %s output parses to a different DOM; output "
                 "starts \"%.*s\"",
                 what, (int)(len > 200 ? 200 : len), text);
    ng_json_doc_free(doc);
    return NULL;
  }
  return doc;
}

/* Compact: re-parse, fixed point, streaming writer. */
static int rt_compact(const ng_json_value *root, char **out, size_t *len) {
  ng_json_doc *again;
  ng_fuzz_buf sink = {NULL, 0, 0, 0};
  char *out2 = NULL;
  size_t len2 = 0;
  int rc, ret = -1;

  rc = ng_json_write(root, 0, NULL, out, len);
  if (rc != NG_OK) {
    ng_fuzz_fail("roundtrip: compact write failed: %s", ng_err_name(rc));
    *out = NULL;
    return -1;
  }
  again = rt_reparse("compact", *out, *len, root);
  if (again == NULL)
    return -1;
  rc = ng_json_write(ng_json_doc_root(again), 0, NULL, &out2, &len2);
  if (rc != NG_OK)
    ng_fuzz_fail("roundtrip: second write failed: %s", ng_err_name(rc));
  else if (ng_fuzz_same_bytes("roundtrip: write(parse(write(x))) != write(x)",
                              *out, *len, out2, len2) == 0) {
    rc = ng_json_write_cb(root, 0, ng_fuzz_buf_sink, &sink);
    if (rc != NG_OK && !sink.oom)
      ng_fuzz_fail("roundtrip: write_cb failed: %s", ng_err_name(rc));
    else if (rc != NG_OK || ng_fuzz_same_bytes("roundtrip: write_cb != write",
                                               *out, *len, sink.p, sink.n) == 0)
      ret = 0;
  }
  free(sink.p);
  free(out2);
  ng_json_doc_free(again);
  return ret;
}

/* Pretty: re-parse, and its compact form equals the compact output. */
static int rt_pretty(const ng_json_value *root, const char *compact,
                     size_t clen) {
  ng_json_doc *again;
  char *out = NULL, *out2 = NULL;
  size_t len = 0, len2 = 0;
  int rc, ret = -1;

  rc = ng_json_write(root, NG_JSON_WRITE_PRETTY, NULL, &out, &len);
  if (rc != NG_OK) {
    ng_fuzz_fail("roundtrip: pretty write failed: %s", ng_err_name(rc));
    return -1;
  }
  again = rt_reparse("pretty", out, len, root);
  if (again != NULL) {
    rc = ng_json_write(ng_json_doc_root(again), 0, NULL, &out2, &len2);
    if (rc != NG_OK)
      ng_fuzz_fail("roundtrip: compact of pretty failed: %s", ng_err_name(rc));
    else
      ret = ng_fuzz_same_bytes("roundtrip: compact(parse(pretty)) != compact",
                               compact, clen, out2, len2);
  }
  free(out);
  free(out2);
  ng_json_doc_free(again);
  return ret;
}

/* Deep copy through a counting allocator: equal, and freed completely. */
static int rt_copy(const ng_json_value *root) {
  ng_json_doc *copy = NULL;
  ng_failalloc fa;
  int rc, ret = 0;

  ng_failalloc_init(&fa, 0);
  rc = ng_json_copy(root, &fa.alc, &copy);
  if (rc != NG_OK) {
    ng_fuzz_fail("roundtrip: copy failed: %s", ng_err_name(rc));
    ret = -1;
  } else if (!ng_json_equal(root, ng_json_doc_root(copy))) {
    ng_fuzz_fail("roundtrip: copy differs from the original");
    ret = -1;
  }
  ng_json_doc_free(copy);
  return ret == 0 ? ng_fuzz_check_alloc("copy", &fa) : ret;
}

/* ------------------------------------------------------- DOM accessors */

typedef struct rt_walk {
  const ng_json_value *sample[16]; /* nodes picked for accessor checks */
  size_t n, every, seen;           /* picked / stride / visited */
  size_t enters, leaves, stop_at;  /* walk counts; stop enter # stop_at */
} rt_walk;

static int rt_enter(void *ud, const ng_json_value *v, size_t depth) {
  rt_walk *w = ud;

  (void)depth;
  if (w->seen++ % w->every == 0 && w->n < 16)
    w->sample[w->n++] = v;
  return ++w->enters == w->stop_at ? 7 : 0;
}

static int rt_leave(void *ud, const ng_json_value *v, size_t depth) {
  rt_walk *w = ud;

  (void)v;
  (void)depth;
  w->leaves++;
  return 0;
}

/* size/at/get of a node agree with its parent's child list. */
static int rt_accessors(const ng_json_value *v) {
  const ng_json_value *p = ng_json_parent(v), *c, *first = NULL;
  size_t i = 0, n = 0;

  for (c = is_box(v) ? ng_json_first(v) : NULL; c != NULL; c = ng_json_next(c))
    n++;
  if (ng_json_size(v) != n) {
    ng_fuzz_fail("roundtrip: ng_json_size %zu, %zu children", ng_json_size(v),
                 n);
    return -1;
  }
  if (p == NULL)
    return 0;
  for (c = ng_json_first(p); c != v; c = ng_json_next(c), i++)
    if (first == NULL && (v->flags & NG_JSON__KEY) &&
        ng_json_key_len(c) == ng_json_key_len(v) &&
        memcmp(ng_json_key(c, NULL), ng_json_key(v, NULL),
               ng_json_key_len(v)) == 0)
      first = c;
  if (ng_json_at(p, i) != v || ng_json_at(p, ng_json_size(p)) != NULL ||
      (p->type == NG_JSON_OBJECT &&
       ng_json_get(p, ng_json_key(v, NULL), ng_json_key_len(v)) !=
           (first ? first : v))) {
    ng_fuzz_fail("roundtrip: ng_json_at/ng_json_get disagree with the "
                 "child list at index %zu",
                 i);
    return -1;
  }
  return 0;
}

/* Equality is symmetric, and values written alike are equal. */
static int rt_equal_pair(const ng_json_value *a, const ng_json_value *b) {
  char *wa = NULL, *wb = NULL;
  size_t la = 0, lb = 0;
  int eq = ng_json_equal(a, b), ret = 0;

  if (eq != ng_json_equal(b, a)) {
    ng_fuzz_fail("roundtrip: ng_json_equal is not symmetric");
    return -1;
  }
  if (ng_json_write(a, 0, NULL, &wa, &la) == NG_OK &&
      ng_json_write(b, 0, NULL, &wb, &lb) == NG_OK && !eq && la == lb &&
      memcmp(wa, wb, la) == 0) {
    ng_fuzz_fail("roundtrip: \"%.*s\" written twice, values not equal",
                 (int)(la > 100 ? 100 : la), wa);
    ret = -1;
  }
  free(wa);
  free(wb);
  return ret;
}

/*
 * Walk counts (an enter per node, a leave per container), a walk stopped
 * at a chosen node, accessors of sampled nodes, equality among them, a
 * container never equal to its own child, and a pointer taken from the
 * input's bytes (malformed most of the time: must be EINVAL/ENOTFOUND).
 */
static int rt_dom(const ng_json_value *root, const uint8_t *data, size_t size) {
  ng_fuzz_docstat st;
  const ng_json_value *r = NULL;
  rt_walk w;
  size_t i;
  int rc;

  ng_fuzz_doc_stat(root, &st);
  memset(&w, 0, sizeof w);
  w.every = st.nodes / 16 + 1;
  rc = ng_json_walk(root, rt_enter, rt_leave, &w);
  if (rc != 0 || w.enters != st.nodes || w.leaves != st.containers) {
    ng_fuzz_fail("roundtrip: walk gave %d, %zu enters %zu leaves for %zu "
                 "nodes %zu containers",
                 rc, w.enters, w.leaves, st.nodes, st.containers);
    return -1;
  }
  w.enters = w.leaves = w.n = w.seen = 0;
  w.stop_at = 1 + size % st.nodes;
  rc = ng_json_walk(root, rt_enter, NULL, &w);
  if (rc != 7 || w.enters != w.stop_at) {
    ng_fuzz_fail("roundtrip: walk stopped at %zu gave %d after %zu", w.stop_at,
                 rc, w.enters);
    return -1;
  }
  for (i = 0; i < w.n; i++)
    if (rt_accessors(w.sample[i]) != 0 ||
        (i > 0 && rt_equal_pair(w.sample[i - 1], w.sample[i]) != 0))
      return -1;
  if (is_box(root) && ng_json_first(root) != NULL &&
      ng_json_equal(root, ng_json_first(root))) {
    ng_fuzz_fail("roundtrip: a container equals its own first child");
    return -1;
  }
  rc = ng_json_pointer(root, ng_fuzz_chars(data, size), size, &r);
  if ((rc != NG_OK && rc != NG_EINVAL && rc != NG_ENOTFOUND) ||
      (rc == NG_OK && r == NULL)) {
    ng_fuzz_fail("roundtrip: pointer from the input gave %s", ng_err_name(rc));
    return -1;
  }
  return 0;
}

int ng_fuzz_json_roundtrip(const uint8_t *data, size_t size) {
  ng_json_doc *doc = NULL;
  const ng_json_value *root;
  char *compact = NULL;
  size_t clen = 0;
  int rc, ret;

  rc = ng_json_parse(ng_fuzz_chars(data, size), size, NULL, &doc, NULL);
  if (rc != NG_OK)
    return 0; /* json_<engine> and json_differential check failures */
  root = ng_json_doc_root(doc);
  ret = rt_compact(root, &compact, &clen);
  if (ret == 0)
    ret = rt_pretty(root, compact, clen);
  if (ret == 0)
    ret = rt_copy(root);
  if (ret == 0)
    ret = ng_fuzz_check_pointers(root, 16);
  if (ret == 0)
    ret = rt_dom(root, data, size);
  free(compact);
  ng_json_doc_free(doc);
  return ret;
}

NG_FUZZ_ENTRY(ng_fuzz_json_roundtrip)
