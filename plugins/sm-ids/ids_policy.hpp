// sm-ids policy (pure): for each rule the profile names (by type), the
// server has a blocking rule of that type at least as strict: threshold no
// higher, time frame no shorter, block time no shorter (or exactly equal in
// "exact" comparison). Apply edits the first blocking rule of that type, or
// adds one, and writes the whole rule list in one call.
#pragma once

#include <smharden/plugin.hpp>

#include <vector>

namespace smharden::sm_ids {

struct plan {
  std::vector<finding> findings;
  bool changed = false;
  json rules;  ///< the full rule list for smartermail.ids.rules.set (when changed)
  std::vector<change> changes;
};

/// The guide's rule (the manifest's default): Password Brute Force by IP, 5 failures / 30 min -> block 1440 min.
json default_rules();

/// True when `have` satisfies `want` under `comparison` ("at_least_as_strict" | "exact").
bool satisfies(const json& have, const json& want, const std::string& comparison);

/// `current` is the answer of smartermail.ids.rules.get.
plan make_plan(const json& current, const json& params);

}  // namespace smharden::sm_ids
