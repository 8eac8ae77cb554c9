// sm-ids whitelist policy (pure): the management and relay-app addresses are
// on SmarterMail's whitelist with the Brute Force (IDS) bypass, so a few
// mistyped passwords never lock the operator or an application out. Set only
// where the server's whitelist entries carry that field; elsewhere a manual
// finding says how. Private and loopback addresses are skipped (the IDS never
// blocks them); ranges wider than a /16 (IPv4) or /48 (IPv6) are refused.
#pragma once

#include <smharden/plugin.hpp>

#include <string>
#include <vector>

namespace smharden::sm_ids {

struct whitelist_plan {
  std::vector<finding> findings;
  json upserts = json::array();  ///< for smartermail.whitelist.set
  std::vector<change> changes;
};

/// `whitelist` is the answer of smartermail.whitelist.get; `audiences` as sm_common::audiences
/// (management and relay_apps are used).
whitelist_plan make_whitelist_plan(const json& whitelist, const json& audiences);

/// What an operator does when a legitimate address is blocked anyway (in the IDS findings).
std::string recovery_text();

}  // namespace smharden::sm_ids
