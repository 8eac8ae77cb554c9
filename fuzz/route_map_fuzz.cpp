// The SmarterMail route map: a whole map document (route_map::from_json) and a
// target's overrides of the built-in map (apply_overrides). Whatever is
// accepted must be usable: every route, field and value can be read and every
// route's URL built.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "base/errors.hpp"
#include "fuzz_support.hpp"
#include "services/smartermail/route_map.hpp"

namespace sm = smharden::services::smartermail;

namespace {

void use_every_entry(const sm::route_map& map) {
  const auto& doc = map.document();
  for (const auto& [key, entry] : doc["routes"].items()) {
    const sm::route r = map.get(key);
    sm::path_args args;
    for (size_t i = 0; i < r.path.size(); ++i) {
      if (r.path[i] != '{') continue;
      const size_t end = r.path.find('}', i);
      if (end == std::string::npos) break;  // url_path must refuse it (below)
      args[r.path.substr(i + 1, end - i - 1)] = "a b/c";
    }
    try {
      (void)map.url_path(r, args);
    } catch (const std::logic_error&) {
      smharden::fuzz::property_failed("an accepted route map holds a route whose URL cannot be built");
    }
  }
  for (const auto& [key, entry] : doc["fields"].items()) (void)map.field(key);
  for (const auto& [key, entry] : doc["values"].items()) {
    const auto& v = map.value(key);
    const auto dot = key.find('.');
    if (dot != std::string::npos) (void)map.member_for(key.substr(0, dot), v);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const sm::json doc = sm::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return -1;
  try {
    use_every_entry(sm::route_map::from_json(doc, "fuzz.json"));
  } catch (const smharden::core::error&) {
  }
  try {
    auto map = sm::route_map::embedded();
    map.apply_overrides(doc, "target.json");
    use_every_entry(map);
  } catch (const smharden::core::error&) {
  }
  return 0;
}
