/*
 * bench/peers/json_writer_peers.h - peer JSON writers behind one C shape.
 *
 * For the DOM suite: each peer parses a document into its own DOM once
 * (load), then serializes that DOM to compact text in memory and discards
 * the text (write), the part being timed. Linked only into the bench.
 */
#ifndef NG_BENCH_JSON_WRITER_PEERS_H
#define NG_BENCH_JSON_WRITER_PEERS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ng_wpeer {
  const char *name;                            /* subject name */
  void *(*load)(const char *data, size_t len); /* DOM, or NULL */
  int (*write)(void *dom, size_t *out_len);    /* 0 on success */
  void (*free)(void *dom);
} ng_wpeer;

/* RapidJSON (Writer<StringBuffer>) and simdjson (to_string), in C++. */
void *ng__wpeer_rapidjson_load(const char *data, size_t len);
int ng__wpeer_rapidjson_write(void *dom, size_t *out_len);
void ng__wpeer_rapidjson_free(void *dom);
void *ng__wpeer_simdjson_load(const char *data, size_t len);
int ng__wpeer_simdjson_write(void *dom, size_t *out_len);
void ng__wpeer_simdjson_free(void *dom);

#ifdef __cplusplus
}
#endif
#endif /* NG_BENCH_JSON_WRITER_PEERS_H */
