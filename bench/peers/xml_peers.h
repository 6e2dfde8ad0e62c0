/*
 * bench/peers/xml_peers.h - the peer XML libraries behind ng_peer.
 *
 * Each parse function parses data[0..len) and frees what it built,
 * returning 0 on success and nonzero when the library rejected the input.
 * No peer loads external entities or the external subset. Linked only into
 * the bench, never into libnestguard.
 */
#ifndef NG_BENCH_XML_PEERS_H
#define NG_BENCH_XML_PEERS_H

#include "peers.h"

#ifdef __cplusplus
extern "C" {
#endif

/* All XML peers, NULL-terminated: libxml2-dom, libxml2-sax, expat,
 * pugixml. */
extern const ng_peer ng_xml_peers[];

/* pugixml (bench/peers/xml_cxx_peers.cc). */
int ng__peer_pugixml(const char *data, size_t len);
const char *ng__peer_pugixml_version(void);

#ifdef __cplusplus
}
#endif
#endif /* NG_BENCH_XML_PEERS_H */
