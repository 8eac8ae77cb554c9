// iis-identity policy (pure): the SmarterMail site's application pool runs
// as the dedicated service user (identityType SpecificUser), with a password
// that IIS stores encrypted (or a lab marker), in a pool of its own.
#pragma once

#include <smharden/plugin.hpp>

#include <optional>
#include <string>
#include <vector>

namespace smharden::iis_identity {

struct plan {
  std::vector<finding> findings;
  /// Params for iis.app_pool.set_identity when a change is needed.
  std::optional<json> set_identity;
  /// Why apply must not act (e.g. the pool is shared with other sites).
  std::optional<std::string> refusal;
  std::vector<change> changes;
};

/// ".\\user", "user" and "USER" name the same local account; "DOMAIN\\user" does not.
bool same_account(const std::string& a, const std::string& b);

/// `pool`: iis.app_pool.get's answer for the site's pool; `site`: iis.site.find's answer.
/// `rotation_requested`: run.rotation.status says a password rotation wants this step's part.
plan make_plan(const json& params, const json& site, const json& pool, bool rotation_requested = false);

}  // namespace smharden::iis_identity
