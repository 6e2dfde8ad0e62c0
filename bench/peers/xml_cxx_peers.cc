// bench/peers/xml_cxx_peers.cc - pugixml behind ng_peer.
//
// load_buffer with parse_default: pugixml copies the buffer and parses it
// in place into its DOM. It skips the DOCTYPE (parse_doctype is off by
// default) and expands only the predefined and character references, so
// an entity attack's references stay as text: nothing to expand, nothing
// to reject.
#include <cstdio>

#include <pugixml.hpp>

#include "xml_peers.h"

extern "C" const char *ng__peer_pugixml_version(void) {
  static char buf[16];
  if (buf[0] == '\0')
    std::snprintf(buf, sizeof buf, "%d.%d", PUGIXML_VERSION / 1000,
                  PUGIXML_VERSION % 1000 / 10);
  return buf;
}

extern "C" int ng__peer_pugixml(const char *data, size_t len) {
  pugi::xml_document doc;
  pugi::xml_parse_result res =
      doc.load_buffer(data, len, pugi::parse_default, pugi::encoding_auto);
  return res ? 0 : 1;
}
