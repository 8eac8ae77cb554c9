// acl policy (pure): which folders lack an inherited Modify grant for the
// service user. The ACE evaluation itself is the common library's
// (smharden/common/ace_match.hpp), shared with the windows service.
#pragma once

#include <smharden/plugin.hpp>

#include <optional>
#include <string>
#include <vector>

namespace smharden::acl {

struct plan {
  std::vector<finding> findings;
  /// Folders that need the grant (apply calls windows.acl.grant for each).
  std::vector<std::string> grant;
  std::vector<change> changes;
};

json with_defaults(const json& params);

/// The folders to check: SmarterMail's install folder first (params.install_dir, else the
/// install_dir of `located`, windows.smartermail.locate's answer, when include_install_dir),
/// then params.folders; duplicates (case-insensitive, either slash) dropped.
struct folder_list {
  std::vector<std::string> folders;
  /// The install folder is wanted but was neither given nor detected.
  std::optional<finding> install_dir_unknown;
};
folder_list effective_folders(const json& params, const json& located);

/// `account`: windows.account.lookup of params.user_name; `acls`: windows.acl.get
/// for each of params.folders, in order.
plan make_plan(const json& params, const json& account, const std::vector<json>& acls);

}  // namespace smharden::acl
