// Looking up findings by id in a plugin policy's result (the plugin policy tests).
#pragma once

#include <smharden/plugin.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace smharden::test {

/// The ids of `findings`, in order.
inline std::vector<std::string> ids(const std::vector<smharden::finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.id);
  return out;
}

inline bool has_finding(const std::vector<smharden::finding>& findings, const std::string& id) {
  return std::any_of(findings.begin(), findings.end(), [&](const smharden::finding& f) { return f.id == id; });
}

/// The finding `id` of `findings`, or nullptr.
inline const smharden::finding* find(const std::vector<smharden::finding>& findings, const std::string& id) {
  for (const auto& f : findings) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

}  // namespace smharden::test
