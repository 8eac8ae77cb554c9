// Does a folder's DACL already give a trustee what the guide asks for
// (Modify, inherited by subfolders and files)? Pure logic shared by both
// backends and the acl plugin; it looks only at ACEs for the trustee's own
// SID (access through groups is not counted, as the guide grants the user directly).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <smharden/common/ace.hpp>

namespace smharden::common {

struct ace_requirement {
  std::string sid;  ///< the trustee's SID string
  std::uint32_t mask = access_mask::modify;
  /// Inheritance bits the granting ACEs must carry (OI|CI: subfolders and files).
  std::uint32_t inheritance = ace_flag::object_inherit | ace_flag::container_inherit;
};

struct ace_evaluation {
  /// Union of the (generic-mapped) masks of allow ACEs for the SID that apply to
  /// the folder itself and carry the required inheritance without NP.
  std::uint32_t effective_mask = 0;
  bool granted = false;  ///< effective_mask covers the requirement and nothing denies it
  bool denied = false;   ///< a deny ACE for the SID removes part of the required mask
  /// Indices (into the DACL) of the allow ACEs counted in effective_mask.
  std::vector<std::size_t> granting;
};

/// GENERIC_READ/WRITE/EXECUTE/ALL bits mapped to their file-specific rights.
std::uint32_t map_generic_file_rights(std::uint32_t mask);

/// Does this one ACE alone satisfy the requirement?
bool ace_satisfies(const ace& entry, const ace_requirement& req);

/// Evaluates the whole DACL for the requirement.
ace_evaluation evaluate_aces(const std::vector<ace>& aces, const ace_requirement& req);

/// "OI", "CI", "NP", "IO", "ID" for the set bits, in that order.
std::vector<std::string> ace_flag_names(std::uint32_t flags);
/// Inverse of ace_flag_names; returns false on an unknown name.
bool parse_ace_flag_name(const std::string& name, std::uint32_t& bit);

/// "full_control", "modify", "read_execute", or "" for other masks.
std::string access_mask_name(std::uint32_t mask);
/// Inverse of access_mask_name; returns false on an unknown name.
bool parse_access_mask_name(const std::string& name, std::uint32_t& mask);

}  // namespace smharden::common
