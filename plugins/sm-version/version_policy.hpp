// sm-version policy (pure): builds before the minimum (100.0.9511 by
// default: CVE-2026-23760, the unauthenticated admin password reset) are a
// critical finding. Upgrading is not automated.
#pragma once

#include <smharden/plugin.hpp>

#include <array>
#include <optional>
#include <vector>

namespace smharden::sm_version {

/// "100.0.9511", "100.0.8930.39839", "9504 (Jan 8, 2026)" -> {100, 0, build, revision};
/// a bare build number means 100.0.<build>. nullopt when there is no number.
std::optional<std::array<long long, 4>> parse_build(const std::string& text);

std::vector<finding> check(const json& version, const json& params);

}  // namespace smharden::sm_version
