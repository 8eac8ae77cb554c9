#include "registry/path_trust.hpp"

#include <fmt/format.h>

#include <set>
#include <system_error>

#include <smharden/common/account_names.hpp>
#include <smharden/common/ace_match.hpp>

namespace smharden::core {
namespace {

namespace fs = std::filesystem;

// Windows rights (winnt.h) that change a file or folder, or its permissions.
constexpr std::uint32_t file_write_data = 0x2;   // also FILE_ADD_FILE on a folder
constexpr std::uint32_t file_append_data = 0x4;  // also FILE_ADD_SUBDIRECTORY
constexpr std::uint32_t file_write_ea = 0x10;
constexpr std::uint32_t file_delete_child = 0x40;
constexpr std::uint32_t delete_right = 0x10000;
constexpr std::uint32_t write_dac = 0x40000;
constexpr std::uint32_t write_owner = 0x80000;

constexpr const char* owner_rights_sid = "S-1-3-4";
constexpr const char* creator_owner_sid = "S-1-3-0";
constexpr const char* creator_group_sid = "S-1-3-1";

std::string shell_quote(const fs::path& p) {
  std::string out = "'";
  for (char c : p.string()) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool is_admin_sid(const std::string& sid) {
  return common::iequals(sid, well_known_sid::administrators) || common::iequals(sid, well_known_sid::system) ||
         common::iequals(sid, well_known_sid::trusted_installer);
}

}  // namespace

std::string trust_problem::describe() const { return fmt::format("{}: {} (fix: {})", path.string(), what, fix); }

std::vector<trust_problem> check_plugin_path(const path_inspector& inspector, const fs::path& file) {
  std::vector<trust_problem> out;
  std::set<fs::path> seen;
  auto check_chain = [&](fs::path p, path_role role) {
    for (;;) {
      if (seen.insert(p).second) {
        if (auto problem = inspector.inspect(p, role)) out.push_back(std::move(*problem));
      }
      const fs::path parent = p.parent_path();
      if (parent.empty() || parent == p) return;
      p = parent;
      role = role == path_role::file ? path_role::folder : path_role::ancestor;
    }
  };
  std::error_code ec;
  const fs::path given = fs::absolute(file, ec).lexically_normal();
  const fs::path real = ec ? fs::path() : fs::canonical(given, ec);
  const fs::path folder = ec ? fs::path() : fs::canonical(given.parent_path(), ec);
  if (ec) {
    out.push_back({file, fmt::format("cannot be resolved ({})", ec.message()), "check that the path exists"});
    return out;
  }
  check_chain(real, path_role::file);
  // A symbolic link: the folder holding the link decides where it points.
  if (folder != real.parent_path()) check_chain(folder, path_role::folder);
  return out;
}

std::optional<trust_problem> posix_write_problem(const fs::path& p, const posix_facts& facts, std::uint32_t runner_uid,
                                                 path_role role) {
  if (facts.uid != 0 && facts.uid != runner_uid) {
    return trust_problem{
        p, fmt::format("owned by uid {}, neither root nor the user running smharden (uid {})", facts.uid, runner_uid),
        fmt::format("chown root {}", shell_quote(p))};
  }
  const bool group_writes = (facts.mode & 020) != 0;
  const bool others_write = (facts.mode & 02) != 0;
  if (!group_writes && !others_write) return std::nullopt;
  // Like /tmp: others may add entries, but cannot rename or remove this one.
  if (role == path_role::ancestor && facts.is_dir && (facts.mode & 01000) != 0) return std::nullopt;
  const std::string who = others_write ? "others" : fmt::format("members of group {}", facts.gid);
  return trust_problem{p, fmt::format("mode {:04o}: {} can write", facts.mode & 07777, who),
                       fmt::format("chmod go-w {}", shell_quote(p))};
}

std::optional<trust_problem> dacl_write_problem(const fs::path& p, const dacl_facts& facts,
                                                const std::string& runner_sid, path_role role) {
  const std::string quoted = "\"" + p.string() + "\"";
  if (!is_admin_sid(facts.owner_sid) && !common::iequals(facts.owner_sid, runner_sid)) {
    return trust_problem{
        p,
        fmt::format("owned by {}, neither an administrator (Administrators, SYSTEM, TrustedInstaller) nor the user "
                    "running smharden",
                    facts.owner_sid.empty() ? "nobody" : facts.owner_sid),
        fmt::format("icacls {} /setowner *{}", quoted, well_known_sid::administrators)};
  }
  if (facts.null_dacl) {
    return trust_problem{p, "no DACL: everyone can write", fmt::format("icacls {} /reset", quoted)};
  }
  std::uint32_t changing = file_delete_child | delete_right | write_dac | write_owner;
  if (role != path_role::ancestor) changing |= file_write_data | file_append_data | file_write_ea;
  for (std::size_t i = 0; i < facts.aces.size(); ++i) {
    const common::ace& a = facts.aces[i];
    if (a.type != common::ace_type::allow || (a.flags & common::ace_flag::inherit_only) != 0) continue;
    if (is_admin_sid(a.sid) || common::iequals(a.sid, facts.owner_sid) || common::iequals(a.sid, owner_rights_sid) ||
        common::iequals(a.sid, creator_owner_sid) || common::iequals(a.sid, creator_group_sid)) {
      continue;
    }
    const std::uint32_t rights = common::map_generic_file_rights(a.mask) & changing;
    if (rights == 0) continue;
    const bool inherited = (a.flags & common::ace_flag::inherited) != 0;
    const std::string who = a.trustee.empty() || a.trustee == a.sid ? a.sid : fmt::format("{} ({})", a.trustee, a.sid);
    return trust_problem{
        p, fmt::format("ACE {} lets {} write (rights 0x{:X}{})", i, who, rights, inherited ? ", inherited" : ""),
        inherited ? fmt::format("icacls {} /inheritance:d && icacls {} /remove:g *{}", quoted, quoted, a.sid)
                  : fmt::format("icacls {} /remove:g *{}", quoted, a.sid)};
  }
  return std::nullopt;
}

}  // namespace smharden::core
