// iis-bindings behind the firewall (pure): a loopback binding such as
// "127.0.0.1:9998:" keeps the management audience off the port too. With
// "catch_all_behind_firewall", the step binds "*:9998:" instead, but only when
// the Windows Firewall already proves that nobody but loopback and the
// management audience reaches that port; otherwise the loopback binding stays.
#pragma once

#include <smharden/plugin.hpp>

#include <string>
#include <vector>

namespace smharden::iis_bindings {

struct widening {
  json params;                     ///< the step's params with the proven loopback bindings widened
  std::vector<std::string> notes;  ///< why a loopback binding stays (for the run's log)
};

/// `management`: the profile's management audience; `listing`: windows.firewall.rules.list's answer
/// (null when the target has none). Params without "catch_all_behind_firewall": true come back as they are.
widening widen_behind_firewall(const json& params, const std::vector<std::string>& management, const json& listing);

}  // namespace smharden::iis_bindings
