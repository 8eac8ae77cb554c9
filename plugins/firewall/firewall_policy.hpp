// firewall policy (pure): which addresses Windows Firewall lets reach the
// SmarterMail admin ports now, the rules of smharden's group "smharden" that
// keep them to loopback and management, and the proof that management still
// reaches every port after those rules are in place.
#pragma once

#include <smharden/common/firewall_rules.hpp>
#include <smharden/plugin.hpp>

#include <optional>
#include <string>
#include <vector>

namespace smharden::firewall_step {

inline constexpr const char* rule_group = "smharden";
inline constexpr const char* allow_rule_name = "smharden: admin ports from loopback and management";
inline constexpr const char* block_rule_name = "smharden: admin ports from other addresses";

struct observed {
  json listing;                         ///< windows.firewall.rules.list
  std::vector<std::string> management;  ///< the management audience (addresses, CIDRs, ranges)
};

struct plan {
  std::vector<finding> findings;
  /// Why apply must refuse (not modelled, no management range, management would lose a port).
  std::vector<std::string> refusals;
  /// Own rules to remove (stale names), then rules to put, allow before block.
  std::vector<std::string> remove;
  std::vector<common::firewall_rule> put;
  /// One guard.management_access.check request per port, for the rules after apply.
  std::vector<json> guard_requests;
  /// guard.access.check request for surface port_9998 (null when 9998 is not restricted).
  json access_request;
  std::vector<change> changes;
};

json with_defaults(const json& params);

/// The management audience: guard.access.audiences' "management" when the host
/// answered it (`audiences` not null), else the call context's management_cidrs;
/// plus the step's own "management" param. Duplicates dropped, order kept.
std::vector<std::string> management_audience(const json& audiences, const json& context_cidrs, const json& params);

/// The ports the step restricts: "ports" then "admin_ports", sorted, without duplicates.
std::vector<int> restricted_ports(const json& params);

/// The rules of group "smharden" that restrict `ports` to loopback and `management`.
/// Throws std::invalid_argument naming a management entry that does not parse.
std::vector<common::firewall_rule> desired_rules(const std::vector<int>& ports,
                                                 const std::vector<std::string>& management);

plan make_plan(const json& params, const observed& o);

}  // namespace smharden::firewall_step
