// A plugin's manifest: what it is, what it needs, and the schema of its
// params. Parsed from the JSON text the plugin exports; the host validates
// it before using the plugin for anything.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "graph/step_graph.hpp"

namespace smharden::core {

struct plugin_manifest {
  std::string id;
  std::string version;
  std::string title;
  std::string section;
  std::string description;
  std::vector<dependency> requires_;
  std::vector<std::string> after;
  std::vector<std::string> tags;
  std::string severity = "medium";
  nlohmann::json params_schema = nlohmann::json::object();
  bool os_access = false;
  /// "timeout_seconds": how long one check or apply call may take before the host kills the
  /// worker running it; 0 = the host's default (profiles may override per step).
  int timeout_seconds = 0;

  plugin_node node() const;
  nlohmann::json to_json() const;
};

/// Parses and validates manifest text. Throws std::invalid_argument with a
/// one-line reason ("manifest: /requires/0/version: \"1.x\" is not a semver range").
plugin_manifest parse_manifest(const char* text);

/// True for info|low|medium|high|critical.
bool valid_severity(const std::string& s);
/// Rank of a severity (info = 0 … critical = 4); -1 when invalid.
int severity_rank(const std::string& s);

}  // namespace smharden::core
