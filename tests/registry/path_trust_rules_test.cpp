// The trust rules on fabricated facts: POSIX modes and owners, Windows owners
// and DACLs (the Windows rule runs here on Linux), and the walk from a module
// up to the file-system root.
#include <catch2/catch.hpp>

#include <map>

#include "registry/path_trust.hpp"

using namespace smharden::core;
using smharden::common::ace;
using smharden::common::ace_type;
namespace ace_flag = smharden::common::ace_flag;

namespace {

std::string what_of(const std::optional<trust_problem>& p) { return p ? p->what : "(trusted)"; }
std::string fix_of(const std::optional<trust_problem>& p) { return p ? p->fix : "(trusted)"; }

posix_facts dir(std::uint32_t mode, std::uint32_t uid = 0) { return {mode, uid, 0, true}; }
posix_facts file(std::uint32_t mode, std::uint32_t uid = 0) { return {mode, uid, 0, false}; }

constexpr const char* users = "S-1-5-32-545";
constexpr const char* authenticated_users = "S-1-5-11";
constexpr const char* everyone = "S-1-1-0";
constexpr const char* operator_sid = "S-1-5-21-1-2-3-1001";
constexpr std::uint32_t modify = 0x1301BF;
constexpr std::uint32_t full = 0x1F01FF;
constexpr std::uint32_t read_execute = 0x1200A9;

// C:\Program Files\smharden\plugins as Windows sets it up.
std::vector<ace> program_files_aces() {
  return {
      {ace_type::allow, "", well_known_sid::trusted_installer, full, ace_flag::inherited},
      {ace_type::allow, "", well_known_sid::system, full, ace_flag::inherited},
      {ace_type::allow, "", well_known_sid::administrators, full, ace_flag::inherited},
      {ace_type::allow, "", users, read_execute, ace_flag::inherited},
      {ace_type::allow, "", "S-1-3-0", 0x10000000, ace_flag::inherit_only | ace_flag::inherited},
  };
}

}  // namespace

TEST_CASE("posix rule: root-owned 0755 folders and 0644 files are trusted", "[registry][trust]") {
  CHECK_FALSE(posix_write_problem("/opt/p", dir(0755), 0, path_role::folder));
  CHECK_FALSE(posix_write_problem("/opt/p/x.so", file(0644), 0, path_role::file));
  CHECK_FALSE(posix_write_problem("/opt", dir(0755), 0, path_role::ancestor));
  // The user running smharden may own them.
  CHECK_FALSE(posix_write_problem("/home/op/p", dir(0700, 1000), 1000, path_role::folder));
}

TEST_CASE("posix rule: a plugin folder 0777 and plugin file 0666 are refused with the chmod fix", "[registry][trust]") {
  const auto folder = posix_write_problem("/opt/p", dir(0777), 0, path_role::folder);
  CHECK(what_of(folder) == "mode 0777: others can write");
  CHECK(fix_of(folder) == "chmod go-w '/opt/p'");
  const auto module = posix_write_problem("/opt/p/x.so", file(0666), 0, path_role::file);
  CHECK(what_of(module) == "mode 0666: others can write");
  CHECK(module->describe() == "/opt/p/x.so: mode 0666: others can write (fix: chmod go-w '/opt/p/x.so')");
  CHECK(what_of(posix_write_problem("/opt/p", posix_facts{0775, 0, 50, true}, 0, path_role::folder)) ==
        "mode 0775: members of group 50 can write");
  CHECK(what_of(posix_write_problem("/opt/p/x.so", file(0602), 0, path_role::file)) == "mode 0602: others can write");
  CHECK(fix_of(posix_write_problem("/opt/it's", dir(0777), 0, path_role::folder)) == "chmod go-w '/opt/it'\\''s'");
}

TEST_CASE("posix rule: a sticky world-writable folder is trusted only above the plugin folder", "[registry][trust]") {
  CHECK_FALSE(posix_write_problem("/tmp", dir(01777), 0, path_role::ancestor));
  CHECK(what_of(posix_write_problem("/tmp", dir(01777), 0, path_role::folder)) == "mode 1777: others can write");
  CHECK(what_of(posix_write_problem("/srv", dir(0777), 0, path_role::ancestor)) == "mode 0777: others can write");
  // Sticky but owned by someone else: that owner can chmod it and rename what is inside.
  CHECK_THAT(what_of(posix_write_problem("/tmp", dir(01777, 1000), 0, path_role::ancestor)),
             Catch::Contains("owned by uid 1000"));
}

TEST_CASE("posix rule: an owner other than root or the user running smharden is refused", "[registry][trust]") {
  const auto p = posix_write_problem("/opt/p/x.so", file(0644, 1000), 0, path_role::file);
  CHECK(what_of(p) == "owned by uid 1000, neither root nor the user running smharden (uid 0)");
  CHECK(fix_of(p) == "chown root '/opt/p/x.so'");
  CHECK(what_of(posix_write_problem("/opt/p", dir(0755, 1001), 1000, path_role::folder)) ==
        "owned by uid 1001, neither root nor the user running smharden (uid 1000)");
}

TEST_CASE("dacl rule: the default Program Files permissions are trusted", "[registry][trust]") {
  dacl_facts f{well_known_sid::trusted_installer, false, program_files_aces()};
  for (auto role : {path_role::file, path_role::folder, path_role::ancestor}) {
    CHECK_FALSE(dacl_write_problem("C:\\Program Files\\smharden\\plugins", f, operator_sid, role));
  }
  // The owner's own full control is fine; so is the user running smharden as owner.
  f.owner_sid = operator_sid;
  f.aces.push_back({ace_type::allow, "", operator_sid, full, 0});
  CHECK_FALSE(dacl_write_problem("C:\\p", f, operator_sid, path_role::folder));
}

TEST_CASE("dacl rule: write access for Users, Everyone or Authenticated Users is refused with the icacls fix",
          "[registry][trust]") {
  dacl_facts f{well_known_sid::administrators, false, program_files_aces()};
  f.aces.push_back({ace_type::allow, "BUILTIN\\Users", users, modify, 0});
  const auto p = dacl_write_problem("C:\\p\\x.dll", f, operator_sid, path_role::file);
  CHECK(what_of(p) == "ACE 5 lets BUILTIN\\Users (S-1-5-32-545) write (rights 0x10016)");
  CHECK(fix_of(p) == "icacls \"C:\\p\\x.dll\" /remove:g *S-1-5-32-545");

  // GENERIC_WRITE counts as write; an inherited grant is fixed by breaking inheritance first.
  dacl_facts g{
      well_known_sid::administrators, false, {{ace_type::allow, "", everyone, 0x40000000, ace_flag::inherited}}};
  const auto q = dacl_write_problem("C:\\p", g, operator_sid, path_role::folder);
  CHECK_THAT(what_of(q), Catch::Contains("S-1-1-0") && Catch::Contains("inherited"));
  CHECK(fix_of(q) == "icacls \"C:\\p\" /inheritance:d && icacls \"C:\\p\" /remove:g *S-1-1-0");

  // Taking ownership or changing permissions is as good as writing.
  dacl_facts h{well_known_sid::administrators, false, {{ace_type::allow, "", users, 0x80000, 0}}};
  CHECK_THAT(what_of(dacl_write_problem("C:\\p", h, operator_sid, path_role::ancestor)),
             Catch::Contains("rights 0x80000"));
}

TEST_CASE("dacl rule: creating folders in C:\\ is allowed above the plugin folder, not in it", "[registry][trust]") {
  // C:\ lets Authenticated Users create folders (FILE_ADD_SUBDIRECTORY) and
  // modify what they create (an inherit-only ACE).
  dacl_facts f{well_known_sid::trusted_installer, false, program_files_aces()};
  f.aces.push_back({ace_type::allow, "", authenticated_users, 0x4, 0});
  f.aces.push_back({ace_type::allow, "", authenticated_users, modify,
                    ace_flag::object_inherit | ace_flag::container_inherit | ace_flag::inherit_only});
  CHECK_FALSE(dacl_write_problem("C:\\", f, operator_sid, path_role::ancestor));
  CHECK_THAT(what_of(dacl_write_problem("C:\\plugins", f, operator_sid, path_role::folder)),
             Catch::Contains("S-1-5-11") && Catch::Contains("rights 0x4"));
  // Deleting children of an ancestor is not.
  f.aces.push_back({ace_type::allow, "", users, 0x40, 0});
  CHECK_THAT(what_of(dacl_write_problem("C:\\", f, operator_sid, path_role::ancestor)), Catch::Contains("rights 0x40"));
}

TEST_CASE("dacl rule: a foreign owner and a NULL DACL are refused, a deny ACE does not excuse an allow",
          "[registry][trust]") {
  dacl_facts f{users, false, program_files_aces()};
  const auto p = dacl_write_problem("C:\\p", f, operator_sid, path_role::folder);
  CHECK_THAT(what_of(p), Catch::StartsWith("owned by S-1-5-32-545"));
  CHECK(fix_of(p) == "icacls \"C:\\p\" /setowner *S-1-5-32-544");
  dacl_facts n{well_known_sid::administrators, true, {}};
  CHECK(what_of(dacl_write_problem("C:\\p", n, operator_sid, path_role::folder)) == "no DACL: everyone can write");
  dacl_facts d{well_known_sid::administrators,
               false,
               {{ace_type::deny, "", users, modify, 0}, {ace_type::allow, "", users, modify, 0}}};
  CHECK_THAT(what_of(dacl_write_problem("C:\\p", d, operator_sid, path_role::folder)), Catch::Contains("ACE 1"));
}

namespace {

// Records what it is asked, and refuses the paths it is told to.
class fake_inspector final : public path_inspector {
 public:
  std::map<std::string, std::string> refuse;
  mutable std::vector<std::pair<std::filesystem::path, path_role>> asked;

  std::optional<trust_problem> inspect(const std::filesystem::path& p, path_role role) const override {
    asked.emplace_back(p, role);
    if (const auto it = refuse.find(p.string()); it != refuse.end()) return trust_problem{p, it->second, "fix it"};
    return std::nullopt;
  }
};

}  // namespace

TEST_CASE("the walk checks the module, its folder and every folder up to the root", "[registry][trust]") {
  fake_inspector inspector;
  inspector.refuse["/"] = "the root is writable";
  const auto problems = check_plugin_path(inspector, TRUST_PLUGIN);
  const auto real = std::filesystem::canonical(TRUST_PLUGIN);
  REQUIRE(inspector.asked.size() >= 3);
  CHECK(inspector.asked[0] == std::make_pair(real, path_role::file));
  CHECK(inspector.asked[1] == std::make_pair(real.parent_path(), path_role::folder));
  CHECK(inspector.asked.back() == std::make_pair(std::filesystem::path("/"), path_role::ancestor));
  CHECK(inspector.asked.size() == static_cast<std::size_t>(std::distance(real.begin(), real.end())));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].describe() == "/: the root is writable (fix: fix it)");
}

TEST_CASE("the walk of a missing module is a problem, not a pass", "[registry][trust]") {
  fake_inspector inspector;
  const auto problems = check_plugin_path(inspector, "/nonexistent-smharden-folder/x.so");
  REQUIRE(problems.size() == 1);
  CHECK_THAT(problems[0].what, Catch::Contains("cannot be resolved"));
}
