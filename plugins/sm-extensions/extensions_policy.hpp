// sm-extensions policy (pure): the inbound, outbound, upload and
// file-system-restriction blacklists contain the profile's extensions
// (mode "ensure": at least these; "exact": exactly these).
#pragma once

#include <smharden/plugin.hpp>

#include <vector>

namespace smharden::sm_extensions {

/// The baseline list (server-side executable and script types), the
/// manifest's default; justified in docs/plugins/smartermail.md.
const std::vector<std::string>& baseline_extensions();

struct plan {
  std::vector<finding> findings;
  json lists = json::object();  ///< params for smartermail.extensions.set (only lists that change)
  std::vector<change> changes;
};

/// ".EXE", "exe", "*.exe" -> ".exe"; empty when not an extension.
std::string normalize(const std::string& text);

/// `current` is the answer of smartermail.extensions.get.
plan make_plan(const json& current, const json& params);

}  // namespace smharden::sm_extensions
