// bench/peers/json_cxx_peers.cc - RapidJSON and simdjson behind ng_peer.
//
// RapidJSON parses into its Document with the default (recursive) parser and
// with kParseIterativeFlag. simdjson needs SIMDJSON_PADDING readable bytes
// after the input; the bench gives it a padded copy made once per buffer
// (outside the timed region when the same buffer is parsed again), its best
// case: nestguard's engines read exactly len bytes and need no copy.
#include <cstdint>
#include <cstring>
#include <vector>

#include <rapidjson/document.h>
#include <simdjson.h>

extern "C" int ng__peer_rapidjson(const char *data, size_t len);
extern "C" int ng__peer_rapidjson_iterative(const char *data, size_t len);
extern "C" int ng__peer_simdjson(const char *data, size_t len);
extern "C" const char *ng__peer_rapidjson_version(void);
extern "C" const char *ng__peer_simdjson_version(void);

#define NG_STR2(x) #x
#define NG_STR(x) NG_STR2(x)

// The versions of the headers the bench was built with.
extern "C" const char *ng__peer_rapidjson_version(void) {
  return RAPIDJSON_VERSION_STRING;
}

extern "C" const char *ng__peer_simdjson_version(void) {
  return NG_STR(SIMDJSON_VERSION);
}

extern "C" int ng__peer_rapidjson(const char *data, size_t len) {
  rapidjson::Document d;
  d.Parse(data, len);
  return d.HasParseError() ? 1 : 0;
}

extern "C" int ng__peer_rapidjson_iterative(const char *data, size_t len) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseIterativeFlag>(data, len);
  return d.HasParseError() ? 1 : 0;
}

namespace {
// One parser and one padded copy reused across calls, as simdjson
// recommends; re-padded only when a different buffer comes in.
simdjson::dom::parser g_parser;
std::vector<char> g_copy;
const char *g_src = nullptr;
size_t g_len = 0;
} // namespace

extern "C" int ng__peer_simdjson(const char *data, size_t len) {
  if (data != g_src || len != g_len) {
    g_copy.assign(len + simdjson::SIMDJSON_PADDING, '\0');
    std::memcpy(g_copy.data(), data, len);
    g_src = data;
    g_len = len;
  }
  simdjson::dom::element doc;
  auto err = g_parser.parse(g_copy.data(), len, false).get(doc);
  return err ? 1 : 0;
}
