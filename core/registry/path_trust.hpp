// Who else can write a plugin? The host loads a module only when the module,
// its folder and every folder above them up to the file-system root can be
// written by nobody but their owner and the administrators (root on POSIX;
// Administrators, SYSTEM and TrustedInstaller on Windows), and every owner is
// an administrator or the user running smharden. The OS facts come from a
// path_inspector, so the rules are tested with fabricated modes and ACLs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <smharden/common/ace.hpp>

namespace smharden::core {

/// What a path is to the plugin being loaded.
enum class path_role {
  file,      ///< the module itself, or the plugin lock file
  folder,    ///< the folder holding the module
  ancestor,  ///< a folder above it (up to the file-system root)
};

/// Why a path is not trusted, and the command that fixes it.
struct trust_problem {
  std::filesystem::path path;
  std::string what;  ///< e.g. "mode 0777: others can write"
  std::string fix;   ///< e.g. "chmod go-w '/opt/plugins'"

  /// "/opt/plugins: mode 0777: others can write (fix: chmod go-w '/opt/plugins')"
  std::string describe() const;
};

/// Reads a path's owner and permissions from the OS and applies the rules.
class path_inspector {
 public:
  virtual ~path_inspector() = default;
  /// The problem with `p` in `role`, or nullopt when only its owner and the
  /// administrators can write it. A path that cannot be read is a problem.
  virtual std::optional<trust_problem> inspect(const std::filesystem::path& p, path_role role) const = 0;
};

/// The inspector of this OS: POSIX mode and owner, or the Windows owner and DACL.
std::shared_ptr<const path_inspector> os_path_inspector();

/// Checks `file`, its folder and every folder above it, following symbolic
/// links: the folder holding the entry and the real file's chain are both
/// checked. Returns every problem found, nearest the file first.
std::vector<trust_problem> check_plugin_path(const path_inspector& inspector, const std::filesystem::path& file);

// ---- POSIX rule ---------------------------------------------------------------

struct posix_facts {
  std::uint32_t mode = 0;  ///< st_mode permission bits (07777)
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  bool is_dir = false;
};

/// The POSIX rule. Owner: root or `runner_uid`. No group or other write bit,
/// except on an ancestor folder with the sticky bit (like /tmp): there others
/// can add entries but cannot rename or remove the one smharden relies on.
std::optional<trust_problem> posix_write_problem(const std::filesystem::path& p, const posix_facts& facts,
                                                 std::uint32_t runner_uid, path_role role);

// ---- Windows rule -------------------------------------------------------------

namespace well_known_sid {
inline constexpr const char* administrators = "S-1-5-32-544";
inline constexpr const char* system = "S-1-5-18";
inline constexpr const char* trusted_installer = "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464";
}  // namespace well_known_sid

struct dacl_facts {
  std::string owner_sid;
  bool null_dacl = false;  ///< no DACL at all: everyone has full access
  std::vector<common::ace> aces;
};

/// The Windows rule. Owner: Administrators, SYSTEM, TrustedInstaller or
/// `runner_sid`. No allow ACE that applies to the object may give anyone else
/// a right that changes it: write/append data, write extended attributes,
/// delete, delete child, change permissions or take ownership. On an ancestor
/// folder, creating files and subfolders is allowed (C:\ lets users create
/// folders), as they cannot replace the one smharden relies on.
std::optional<trust_problem> dacl_write_problem(const std::filesystem::path& p, const dacl_facts& facts,
                                                const std::string& runner_sid, path_role role);

}  // namespace smharden::core
