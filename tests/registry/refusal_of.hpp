// Why the registry refused a module file (the trust and lock tests).
#pragma once

#include <filesystem>
#include <string>

#include "registry/plugin_registry.hpp"

namespace trust_test {

/// The registry's reason for refusing `file`, or "(not refused)".
inline std::string refusal_of(const smharden::core::plugin_registry& reg, const std::filesystem::path& file) {
  for (const auto& r : reg.refusals()) {
    if (r.file == file) return r.reason;
  }
  return "(not refused)";
}

}  // namespace trust_test
