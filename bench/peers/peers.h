/*
 * bench/peers/peers.h - the peer JSON libraries behind one C signature.
 *
 * Each function parses data[0..len) into the library's own DOM and frees
 * it, returning 0 on success and nonzero when the library rejected the
 * input. Linked only into the bench (and differential tests), never into
 * libnestguard.
 */
#ifndef NG_BENCH_PEERS_H
#define NG_BENCH_PEERS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ng_peer {
  const char *name; /* subject name in results.tsv */
  int (*parse)(const char *data, size_t len);
  const char *(*version)(void); /* the library's version ("1.7.15"); peers
                                   of one library share the function */
} ng_peer;

/* All JSON peers, NULL-terminated. */
extern const ng_peer ng_json_peers[];

#ifdef __cplusplus
}
#endif
#endif /* NG_BENCH_PEERS_H */
