/*
 * bench/suite_json_dom.c - the DOM: writer throughput against peers, and
 * every DOM operation on documents nested 10,000,000 deep.
 *
 * Writer (case "write:<file>"): each subject serializes a DOM parsed once
 * beforehand to compact text in memory and frees the text; nestguard also
 * pretty, and streamed to a sink that discards. MB/s are of the input
 * file's size, so the numbers line up with the parse tables. Peers: cJSON
 * (cJSON_PrintUnformatted), jansson (json_dumps, JSON_COMPACT), RapidJSON
 * (Writer<StringBuffer>), simdjson (to_string).
 * DOM operations (case "dom:<file>"): copy (and free the copy), equality
 * against that copy, walk, in MB/s of the input size.
 * Files: ../shared/bench-data/json/{twitter,canada,citm_catalog}.json, else
 * a generated document.
 *
 * Deep (cases "deep_{arrays,objects,mixed}_1e7", 1e6 with NG_BENCH_QUICK):
 * the document is parsed once (max_depth 0); then walk, pointer lookup of
 * the innermost value, equality against a copy, compact write to memory,
 * pretty write streamed (about 1.3 GB), and copy + free, in ms. Free alone
 * is timed once.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <jansson.h>

#include "bench.h"
#include "nestguard.h"
#include "nestguard/json.h"
#include "peers/json_writer_peers.h"

#define SUITE "json_dom"

/* ------------------------------------------------------------ peers */

static void *cjson_load(const char *data, size_t len) {
  return cJSON_ParseWithLength(data, len);
}

static int cjson_write(void *dom, size_t *out_len) {
  char *s = cJSON_PrintUnformatted(dom);
  if (s == NULL)
    return 1;
  *out_len = strlen(s);
  cJSON_free(s);
  return 0;
}

static void cjson_free(void *dom) { cJSON_Delete(dom); }

static void *jansson_load(const char *data, size_t len) {
  json_error_t err;
  return json_loadb(data, len, 0, &err);
}

static int jansson_write(void *dom, size_t *out_len) {
  char *s = json_dumps(dom, JSON_COMPACT | JSON_ENCODE_ANY);
  if (s == NULL)
    return 1;
  *out_len = strlen(s);
  free(s);
  return 0;
}

static void jansson_free(void *dom) { json_decref(dom); }

static const ng_wpeer writer_peers[] = {
    {"cjson", cjson_load, cjson_write, cjson_free},
    {"jansson", jansson_load, jansson_write, jansson_free},
    {"rapidjson", ng__wpeer_rapidjson_load, ng__wpeer_rapidjson_write,
     ng__wpeer_rapidjson_free},
    {"simdjson", ng__wpeer_simdjson_load, ng__wpeer_simdjson_write,
     ng__wpeer_simdjson_free},
};

#define N_PEERS (sizeof writer_peers / sizeof writer_peers[0])

/* ---------------------------------------------------------- subjects */

typedef struct ctx {
  const ng_json_value *root;  /* nestguard DOM */
  const ng_json_value *other; /* an equal copy, for equality */
  const char *ptr;            /* pointer for lookups */
  size_t ptr_len;
  const ng_wpeer *peer; /* peer subjects */
  void *peer_dom;
} ctx;

static int null_sink(void *ud, const char *data, size_t len) {
  (void)data;
  *(size_t *)ud += len;
  return 0;
}

static int run_write(void *ud, unsigned flags) {
  const ctx *c = ud;
  char *out;
  size_t len;
  int rc = ng_json_write(c->root, flags, NULL, &out, &len);

  if (rc == NG_OK)
    free(out);
  return rc;
}

static int run_write_compact(void *ud) { return run_write(ud, 0); }

static int run_write_pretty(void *ud) {
  return run_write(ud, NG_JSON_WRITE_PRETTY);
}

static int run_write_cb(void *ud) {
  const ctx *c = ud;
  size_t n = 0;
  return ng_json_write_cb(c->root, 0, null_sink, &n);
}

static int run_write_cb_pretty(void *ud) {
  const ctx *c = ud;
  size_t n = 0;
  return ng_json_write_cb(c->root, NG_JSON_WRITE_PRETTY, null_sink, &n);
}

static int run_copy(void *ud) {
  const ctx *c = ud;
  ng_json_doc *doc;
  int rc = ng_json_copy(c->root, NULL, &doc);

  if (rc == NG_OK)
    ng_json_doc_free(doc);
  return rc;
}

static int run_equal(void *ud) {
  const ctx *c = ud;
  return ng_json_equal(c->root, c->other) ? 0 : 1;
}

static int count_node(void *ud, const ng_json_value *v, size_t depth) {
  (void)v;
  (void)depth;
  ++*(size_t *)ud;
  return 0;
}

static int run_walk(void *ud) {
  const ctx *c = ud;
  size_t n = 0;
  return ng_json_walk(c->root, count_node, NULL, &n) == 0 && n > 0 ? 0 : 1;
}

static int run_pointer(void *ud) {
  const ctx *c = ud;
  const ng_json_value *out;
  return ng_json_pointer(c->root, c->ptr, c->ptr_len, &out);
}

static int run_peer(void *ud) {
  const ctx *c = ud;
  size_t len = 0;
  return c->peer->write(c->peer_dom, &len) != 0 || len == 0;
}

/* ------------------------------------------------------------ files */

static ng_json_doc *parse_all(const char *data, size_t len) {
  ng_json_options opt;
  ng_json_doc *doc = NULL;

  ng_json_options_default(&opt);
  opt.limits.max_depth = 0;
  if (ng_json_parse(data, len, &opt, &doc, NULL) != NG_OK)
    return NULL;
  return doc;
}

static void file_cases(const char *name, const char *data, size_t len) {
  ng_bench_subject subj[4 + N_PEERS];
  ctx cx[4 + N_PEERS];
  ng_json_doc *doc = parse_all(data, len), *copy = NULL;
  char kase[96];
  size_t i, n = 0;

  if (doc == NULL || ng_json_copy(ng_json_doc_root(doc), NULL, &copy)) {
    printf("json_dom: %s does not parse; skipped\n", name);
    ng_json_doc_free(doc);
    return;
  }
  memset(cx, 0, sizeof cx);
  for (i = 0; i < 4 + N_PEERS; i++) {
    cx[i].root = ng_json_doc_root(doc);
    cx[i].other = ng_json_doc_root(copy);
  }
  subj[n] = (ng_bench_subject){"nestguard", run_write_compact, &cx[n]};
  n++;
  subj[n] = (ng_bench_subject){"nestguard-pretty", run_write_pretty, &cx[n]};
  n++;
  subj[n] = (ng_bench_subject){"nestguard-stream", run_write_cb, &cx[n]};
  n++;
  for (i = 0; i < N_PEERS; i++) {
    cx[n].peer = &writer_peers[i];
    cx[n].peer_dom = writer_peers[i].load(data, len);
    if (cx[n].peer_dom == NULL)
      continue;
    subj[n] = (ng_bench_subject){writer_peers[i].name, run_peer, &cx[n]};
    n++;
  }
  snprintf(kase, sizeof kase, "write:%s", name);
  ng_bench_compare(SUITE, kase, subj, n, len, 2, 0);
  for (i = 3; i < n; i++)
    cx[i].peer->free(cx[i].peer_dom);

  n = 0;
  subj[n++] = (ng_bench_subject){"copy", run_copy, &cx[0]};
  subj[n++] = (ng_bench_subject){"equal", run_equal, &cx[0]};
  subj[n++] = (ng_bench_subject){"walk", run_walk, &cx[0]};
  snprintf(kase, sizeof kase, "dom:%s", name);
  ng_bench_compare(SUITE, kase, subj, n, len, 2, 0);
  ng_json_doc_free(copy);
  ng_json_doc_free(doc);
}

/* About `target` bytes of mixed records, for machines without the files. */
static char *generate_doc(size_t target, size_t *len) {
  size_t cap = target + 1024, n = 0, i = 0;
  char *s = malloc(cap);

  if (s == NULL)
    return NULL;
  s[n++] = '[';
  while (n + 300 < target) {
    n += (size_t)snprintf(
        s + n, cap - n,
        "%s{\"id\":%zu,\"name\":\"r\\u00e9cord \\\"%zu\\\"\",\"x\":%zu.%03zu,"
        "\"y\":-%zue-7,\"ok\":true,\"tags\":[\"a\",\"b\\n\",null],"
        "\"geo\":[[1.5,-0.25],[1e10,2E-5]]}",
        i ? "," : "", i, i, i % 997, i % 1000, i * 13);
    i++;
  }
  s[n++] = ']';
  *len = n;
  return s;
}

/* ------------------------------------------------------------- deep */

/* The shapes: level i is an array, an object (member "k"), or arrays and
 * objects alternating; the innermost container is empty. */
static int level_is_object(int shape, size_t i) {
  return shape == 1 || (shape == 2 && (i & 1));
}

static char *generate_deep(int shape, size_t depth, size_t *len) {
  char *s = malloc(depth * 6 + 1);
  size_t i, n = 0;

  if (s == NULL)
    return NULL;
  for (i = 0; i < depth; i++) {
    int obj = level_is_object(shape, i);
    s[n++] = obj ? '{' : '[';
    if (obj && i + 1 < depth) {
      memcpy(s + n, "\"k\":", 4);
      n += 4;
    }
  }
  for (i = depth; i-- > 0;)
    s[n++] = level_is_object(shape, i) ? '}' : ']';
  *len = n;
  return s;
}

/* "/0/k/..." to the innermost container. */
static char *deep_pointer(int shape, size_t depth, size_t *len) {
  char *p = malloc(2 * depth);
  size_t i;

  if (p == NULL)
    return NULL;
  for (i = 0; i + 1 < depth; i++) {
    p[2 * i] = '/';
    p[2 * i + 1] = level_is_object(shape, i) ? 'k' : '0';
  }
  *len = 2 * (depth - 1);
  return p;
}

static void deep_case(int shape, size_t depth, const char *exp) {
  static const char *const names[] = {"arrays", "objects", "mixed"};
  ng_bench_subject subj[6];
  ng_json_doc *doc = NULL, *copy = NULL;
  char kase[64], *text, *ptr = NULL;
  size_t len, n = 0;
  double t0;
  ctx cx;

  snprintf(kase, sizeof kase, "deep_%s_%s", names[shape], exp);
  text = generate_deep(shape, depth, &len);
  if (text != NULL)
    doc = parse_all(text, len);
  free(text);
  if (doc == NULL || ng_json_copy(ng_json_doc_root(doc), NULL, &copy) != 0 ||
      (ptr = deep_pointer(shape, depth, &cx.ptr_len)) == NULL) {
    printf("json_dom: %s could not be built; skipped\n", kase);
    goto out;
  }
  cx.root = ng_json_doc_root(doc);
  cx.other = ng_json_doc_root(copy);
  cx.ptr = ptr;
  subj[n++] = (ng_bench_subject){"walk", run_walk, &cx};
  subj[n++] = (ng_bench_subject){"pointer", run_pointer, &cx};
  subj[n++] = (ng_bench_subject){"equal", run_equal, &cx};
  subj[n++] = (ng_bench_subject){"write", run_write_compact, &cx};
  subj[n++] =
      (ng_bench_subject){"write_pretty_stream", run_write_cb_pretty, &cx};
  subj[n++] = (ng_bench_subject){"copy+free", run_copy, &cx};
  ng_bench_compare(SUITE, kase, subj, n, 0, 1, 5);
  t0 = ng_bench_now_ns();
  ng_json_doc_free(copy);
  copy = NULL;
  ng_bench_record(SUITE, kase, "free", "time", (ng_bench_now_ns() - t0) / 1e6,
                  "ms");
out:
  free(ptr);
  ng_json_doc_free(copy);
  ng_json_doc_free(doc);
}

NG_BENCH_SUITE(json_dom, 30) {
  static const char *const files[] = {"json/twitter.json", "json/canada.json",
                                      "json/citm_catalog.json"};
  size_t i, len, found = 0;
  int shape;

  for (i = 0; i < 3; i++) {
    char *data = ng_bench_load(files[i], &len);
    if (data == NULL)
      continue;
    found++;
    file_cases(files[i] + 5, data, len);
    free(data);
  }
  if (found == 0) {
    char *data = generate_doc((size_t)4 << 20, &len);
    if (data != NULL)
      file_cases("generated_4MB", data, len);
    free(data);
  }
  for (shape = 0; shape < 3; shape++) {
    if (ng_bench_quick())
      deep_case(shape, 1000000, "1e6");
    else
      deep_case(shape, 10000000, "1e7");
  }
}
