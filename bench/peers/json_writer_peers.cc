// bench/peers/json_writer_peers.cc - RapidJSON and simdjson serializers for
// the DOM suite (see json_writer_peers.h). Each keeps its parsed DOM alive
// between writes; a write builds the compact text in memory and drops it.
#include <cstring>
#include <new>
#include <string>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <simdjson.h>

#include "json_writer_peers.h"

extern "C" void *ng__wpeer_rapidjson_load(const char *data, size_t len) {
  auto *d = new (std::nothrow) rapidjson::Document();
  if (d == nullptr)
    return nullptr;
  d->Parse(data, len);
  if (d->HasParseError()) {
    delete d;
    return nullptr;
  }
  return d;
}

extern "C" int ng__wpeer_rapidjson_write(void *dom, size_t *out_len) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  if (!static_cast<rapidjson::Document *>(dom)->Accept(w))
    return 1;
  *out_len = sb.GetSize();
  return 0;
}

extern "C" void ng__wpeer_rapidjson_free(void *dom) {
  delete static_cast<rapidjson::Document *>(dom);
}

namespace {
// A parser owns its document; one per loaded DOM.
struct sj_dom {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
};
} // namespace

extern "C" void *ng__wpeer_simdjson_load(const char *data, size_t len) {
  auto *s = new (std::nothrow) sj_dom();
  if (s == nullptr)
    return nullptr;
  simdjson::padded_string copy(data, len);
  if (s->parser.parse(copy).get(s->root) != simdjson::SUCCESS) {
    delete s;
    return nullptr;
  }
  return s;
}

extern "C" int ng__wpeer_simdjson_write(void *dom, size_t *out_len) {
  std::string text = simdjson::to_string(static_cast<sj_dom *>(dom)->root);
  *out_len = text.size();
  return text.empty() ? 1 : 0;
}

extern "C" void ng__wpeer_simdjson_free(void *dom) {
  delete static_cast<sj_dom *>(dom);
}
