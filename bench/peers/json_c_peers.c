/*
 * bench/peers/json_c_peers.c - cJSON, jansson and json-c behind ng_peer.
 *
 * Each peer parses with its default settings (its own depth caps apply: the
 * deep-nesting cases show them) and frees its DOM.
 *
 * jansson and json-c export functions of the same names (json_object_get,
 * json_object_iter_next, ...), so linking both into one process lets one
 * library's internal calls bind to the other's. json-c is therefore loaded
 * with dlopen(RTLD_LOCAL | RTLD_DEEPBIND): its symbols stay out of the
 * global scope and its own calls bind to itself.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <jansson.h>

#include "peers.h"

int ng__peer_rapidjson(const char *data, size_t len);
int ng__peer_rapidjson_iterative(const char *data, size_t len);
int ng__peer_simdjson(const char *data, size_t len);
const char *ng__peer_rapidjson_version(void);
const char *ng__peer_simdjson_version(void);

static int peer_cjson(const char *data, size_t len) {
  cJSON *v = cJSON_ParseWithLength(data, len);
  if (v == NULL)
    return 1;
  cJSON_Delete(v);
  return 0;
}

static int peer_jansson(const char *data, size_t len) {
  json_error_t err;
  json_t *v = json_loadb(data, len, 0, &err);
  if (v == NULL)
    return 1;
  json_decref(v);
  return 0;
}

/* The json-c entry points the bench uses, resolved once. */
static struct {
  int tried;
  void *(*tok_new_ex)(int depth);
  void *(*parse_ex)(void *tok, const char *str, int len);
  int (*get_error)(void *tok);
  int (*put)(void *obj);
  void (*tok_free)(void *tok);
  const char *(*version)(void);
} jc;

static int json_c_load(void) {
  void *h;

  if (jc.tried)
    return jc.put != NULL ? 0 : -1;
  jc.tried = 1;
  h = dlopen("libjson-c.so.5", RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
  if (h == NULL)
    return -1;
  *(void **)&jc.tok_new_ex = dlsym(h, "json_tokener_new_ex");
  *(void **)&jc.parse_ex = dlsym(h, "json_tokener_parse_ex");
  *(void **)&jc.get_error = dlsym(h, "json_tokener_get_error");
  *(void **)&jc.tok_free = dlsym(h, "json_tokener_free");
  *(void **)&jc.put = dlsym(h, "json_object_put");
  *(void **)&jc.version = dlsym(h, "json_c_version");
  if (!jc.tok_new_ex || !jc.parse_ex || !jc.get_error || !jc.tok_free)
    jc.put = NULL;
  return jc.put != NULL ? 0 : -1;
}

/* json-c with its default depth cap (JSON_TOKENER_DEFAULT_DEPTH, 32), as
 * json_tokener_parse() uses it; length-delimited input. */
static int peer_json_c(const char *data, size_t len) {
  void *tok, *v;
  int rc = 1;

  if (json_c_load() != 0 || len > (size_t)INT32_MAX)
    return 2;
  tok = jc.tok_new_ex(32);
  if (tok == NULL)
    return 1;
  v = jc.parse_ex(tok, data, (int)len);
  if (v != NULL && jc.get_error(tok) == 0) /* json_tokener_success */
    rc = 0;
  if (v != NULL)
    jc.put(v);
  jc.tok_free(tok);
  return rc;
}

static const char *cjson_version(void) { return cJSON_Version(); }

static const char *jansson_version(void) { return jansson_version_str(); }

/* The loaded json-c's own version, or "not loaded". */
static const char *json_c_version(void) {
  if (json_c_load() != 0 || jc.version == NULL)
    return "not loaded";
  return jc.version();
}

const ng_peer ng_json_peers[] = {
    {"cjson", peer_cjson, cjson_version},
    {"jansson", peer_jansson, jansson_version},
    {"json-c", peer_json_c, json_c_version},
    {"rapidjson", ng__peer_rapidjson, ng__peer_rapidjson_version},
    {"rapidjson-iterative", ng__peer_rapidjson_iterative,
     ng__peer_rapidjson_version},
    {"simdjson", ng__peer_simdjson, ng__peer_simdjson_version},
    {NULL, NULL, NULL},
};
