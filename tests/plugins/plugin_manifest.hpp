// A plugin's manifest.json from the source tree (the plugin policy tests).
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace smharden::test {

/// plugins/<id>/manifest.json, parsed.
inline nlohmann::json plugin_manifest(const std::string& id) {
  std::ifstream in(std::string(SMHARDEN_SOURCE_DIR) + "/plugins/" + id + "/manifest.json");
  return nlohmann::json::parse(in);
}

}  // namespace smharden::test
