// rights policy (pure): which account rights to grant or revoke.
#pragma once

#include <smharden/plugin.hpp>

#include <string>
#include <vector>

namespace smharden::rights {

struct plan {
  std::vector<finding> findings;
  std::vector<std::string> grant;
  std::vector<std::string> revoke;
  std::vector<change> changes;
  /// The account does not exist (yet): apply cannot act; the accounts step creates it.
  bool account_missing = false;
};

json with_defaults(const json& params);

/// `rights`: windows.rights.get's answer for params.user_name.
plan make_plan(const json& params, const json& rights);

}  // namespace smharden::rights
