// What the engine does with a step's findings: waivers, and whether anything
// is left that apply can fix.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "profile/profile.hpp"

namespace smharden::core {

/// Marks findings covered by an active waiver ("waived": {reason, expires}); an expired waiver adds
/// a notice. Returns the number of findings left unwaived.
std::size_t apply_waivers(const std::string& step, nlohmann::json& findings, const std::vector<waiver>& waivers,
                          const std::string& today, std::set<std::string>& notices);

/// What is wrong with the types of a finding a plugin emitted ("id", "title",
/// "severity", "remediation" strings, "automated" a boolean; "current" and
/// "desired" any JSON), or "" when nothing is. E.g. `field "automated" must be
/// true or false, found "yes"`.
std::string finding_type_error(const nlohmann::json& finding);

/// The same for a change ("id" and "description" strings; "before", "after" any JSON).
std::string change_type_error(const nlohmann::json& change);

/// Unwaived findings that the plugin can fix (not "automated": false).
std::size_t count_automatable(const nlohmann::json& findings);

}  // namespace smharden::core
