// The plugin lock file: pinned modules load, a changed or unlisted one is
// refused naming the lock file, both hashes and the fix; the lock file itself
// must be trusted.
#include <catch2/catch.hpp>

#include "base/atomic_file.hpp"
#include "refusal_of.hpp"
#include "registry/plugin_lock.hpp"
#include "registry/plugin_registry.hpp"
#include "trust_folder.hpp"

using namespace smharden::core;
using trust_test::refusal_of;
using trust_test::trust_folder;
namespace fs = std::filesystem;

namespace {

fs::path lock_of(const trust_folder& f) { return f.dir / plugin_lock_file_name; }

void write_lock(const trust_folder& f) {
  smharden::test::write_file(lock_of(f), render_plugin_lock({{f.module.filename().string(), file_sha256(f.module)}}));
  fs::permissions(lock_of(f), fs::perms(0644));
}

}  // namespace

TEST_CASE("lock: the lock file lists each module's SHA-256 and reads back", "[registry][lock]") {
  trust_folder f;
  write_lock(f);
  const auto lock = read_plugin_lock(f.dir);
  REQUIRE(lock);
  CHECK(lock->file == lock_of(f));
  CHECK(lock->sha256.at(f.module.filename().string()) ==
        smharden::util::sha256_hex(smharden::util::read_file(TRUST_PLUGIN)));
  CHECK(lock_mismatch(*lock, f.module).empty());
  CHECK_FALSE(read_plugin_lock(f.tmp.path()));
}

TEST_CASE("lock: a module matching the lock file loads", "[registry][lock]") {
  trust_folder f;
  write_lock(f);
  plugin_registry reg;
  reg.load_from({f.dir});
  CHECK(reg.refusals().empty());
  CHECK(reg.find("trust-probe") != nullptr);
}

TEST_CASE("lock: a changed module is refused with the expected and actual hash and the fix", "[registry][lock]") {
  trust_folder f;
  write_lock(f);
  const std::string expected = file_sha256(f.module);
  f.tamper();
  const std::string actual = file_sha256(f.module);
  REQUIRE(expected != actual);
  plugin_registry reg;
  reg.load_from({f.dir});
  CHECK(reg.find("trust-probe") == nullptr);
  CHECK(reg.refused_untrusted());
  CHECK(refusal_of(reg, f.module) ==
        "does not match the plugin lock file " + lock_of(f).string() + ": expected sha256 " + expected + ", actual " +
            actual + "; if this module is the one you installed, verify it and run `smharden plugins lock`");
  // The override is about who can write, not about what was pinned.
  plugin_trust_options trust;
  trust.allow_insecure = true;
  plugin_registry overridden(trust);
  overridden.load_from({f.dir});
  CHECK(overridden.find("trust-probe") == nullptr);
}

TEST_CASE("lock: a module the lock file does not list is refused", "[registry][lock]") {
  trust_folder f;
  write_lock(f);
  const fs::path extra = f.dir / "smh-extra.so";
  fs::copy_file(f.module, extra);
  fs::permissions(extra, fs::perms(0644));
  plugin_registry reg;
  reg.load_from({f.dir});
  CHECK(reg.find("trust-probe") != nullptr);
  CHECK_THAT(refusal_of(reg, extra),
             Catch::StartsWith("not listed in the plugin lock file " + lock_of(f).string() + " (actual sha256 ") &&
                 Catch::Contains("smharden plugins lock"));
}

TEST_CASE("lock: a lock file others can write is refused like a module", "[registry][lock]") {
  trust_folder f;
  write_lock(f);
  fs::permissions(lock_of(f), fs::perms(0666));
  plugin_registry reg;
  reg.load_from({f.dir});
  CHECK(reg.find("trust-probe") == nullptr);
  CHECK_THAT(refusal_of(reg, f.module), Catch::Contains(lock_of(f).string() + ": mode 0666: others can write"));
}

TEST_CASE("lock: a damaged lock file refuses the folder's modules, naming it", "[registry][lock]") {
  trust_folder f;
  smharden::test::write_file(lock_of(f), R"({"format": "smharden-plugin-lock/1", "modules": {"x.so": "abc"}})");
  plugin_registry reg;
  reg.load_from({f.dir});
  CHECK(reg.find("trust-probe") == nullptr);
  CHECK(refusal_of(reg, f.module) == "plugin lock file " + lock_of(f).string() +
                                         ": /modules/x.so must be a SHA-256 in lower-case hex (64 digits); write it "
                                         "again with `smharden plugins lock`");
  smharden::test::write_file(lock_of(f), "[]");
  plugin_registry again;
  again.load_from({f.dir});
  CHECK_THAT(refusal_of(again, f.module), Catch::Contains("not a JSON object"));
}
