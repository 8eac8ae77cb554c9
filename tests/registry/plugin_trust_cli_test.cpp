// Plugin trust as an operator meets it: a refused plugin stops the command
// with exit 2 and the fix; the override is in every report and the audit log;
// `plugins lock` pins the modules; require_signed_plugins in a target file.
#include <catch2/catch.hpp>

#include <fstream>

#include "base/atomic_file.hpp"
#include "cli_lab.hpp"
#include "trust_folder.hpp"

using trust_test::trust_folder;
namespace fs = std::filesystem;

namespace {

struct trust_cli {
  trust_folder plugins;
  smharden::test::cli_lab home{"smharden-trust-cli", plugins.dir};
  std::string profile = home.write("trust.json", R"({"name": "trust", "steps": {"trust-probe": {}}})").string();

  smharden::test::cli_result check(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"check", "--profile", profile, "--target", home.target(), "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return home.cli().run(args);
  }
  std::string audit_log() const { return smharden::util::read_file(home.state() / "logs" / "smharden.log"); }
};

}  // namespace

TEST_CASE("cli trust: a 0777 plugin folder with a 0666 plugin file stops the run with exit 2 and the fix",
          "[cli][trust]") {
  trust_cli t;
  fs::permissions(t.plugins.dir, fs::perms(0777));
  fs::permissions(t.plugins.module, fs::perms(0666));
  const auto r = t.check();
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());  // no report: nothing ran
  CHECK_THAT(r.err, Catch::Contains("refused to load 1 untrusted plugin module(s); nothing was run"));
  CHECK_THAT(r.err, Catch::Contains(t.plugins.module.string() + ": mode 0666: others can write (fix: chmod go-w"));
  CHECK_THAT(r.err, Catch::Contains(t.plugins.dir.string() + ": mode 0777: others can write (fix: chmod go-w"));
  CHECK_THAT(r.err, Catch::Contains("--allow-insecure-plugins"));
  // Said once on the console (the audit log has it too).
  const std::string line = t.plugins.module.string() + ": mode 0666";
  CHECK(r.err.find(line) == r.err.rfind(line));
  // Every command that loads plugins refuses the same way.
  CHECK(t.home.cli().run({"list"}).exit_code == 2);
  CHECK(t.home.cli().run({"validate", t.profile}).exit_code == 2);
  CHECK_THAT(t.audit_log(), Catch::Contains("refused: not trusted"));
}

TEST_CASE("cli trust: --allow-insecure-plugins runs and records which plugin and why in every report", "[cli][trust]") {
  trust_cli t;
  fs::permissions(t.plugins.dir, fs::perms(0777));
  const std::string junit = (t.home.root() / "report.xml").string();
  const std::string text = (t.home.root() / "report.txt").string();
  const auto r = t.check({"--report", junit, "--report", text});
  REQUIRE(r.exit_code == 2);  // without the override
  const auto ok = t.home.cli().run({"--allow-insecure-plugins", "check", "--profile", t.profile, "--target",
                                    t.home.target(), "--format", "json", "--report", junit, "--report", text});
  REQUIRE(ok.exit_code == 0);
  const auto report = ok.out_json();
  const std::string expected = "--allow-insecure-plugins: loaded " + t.plugins.module.string() + " although " +
                               t.plugins.dir.string() + ": mode 0777: others can write";
  REQUIRE(report["overrides"].size() == 1);
  CHECK_THAT(report["overrides"][0].get<std::string>(), Catch::StartsWith(expected));
  REQUIRE(report["insecure_plugins"].size() == 1);
  CHECK(report["insecure_plugins"][0]["file"] == t.plugins.module.string());
  CHECK_THAT(report["insecure_plugins"][0]["reason"].get<std::string>(), Catch::Contains("mode 0777"));
  CHECK_THAT(smharden::util::read_file(junit), Catch::Contains("<property name=\"override\" value=\"" + expected));
  CHECK_THAT(smharden::util::read_file(text), Catch::Contains("override: " + expected));
  CHECK_THAT(t.audit_log(),
             Catch::Contains("plugin " + t.plugins.module.string() + " loaded insecurely (--allow-insecure-plugins)"));
}

TEST_CASE("cli trust: plugins lock pins the modules, a changed module is refused until locked again",
          "[cli][trust][lock]") {
  trust_cli t;
  const auto lock = t.home.cli().run({"plugins", "lock", t.plugins.dir.string()});
  REQUIRE(lock.exit_code == 0);
  const fs::path lock_file = t.plugins.dir / "smharden-plugins.lock";
  CHECK_THAT(lock.out, Catch::Contains("locked 1 module(s) in " + lock_file.string()));
  CHECK((fs::status(lock_file).permissions() & fs::perms::all) == fs::perms(0644));
  CHECK(t.check().exit_code == 0);

  t.plugins.tamper();
  const auto refused = t.check();
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains(t.plugins.module.string() + ": does not match the plugin lock file " +
                                          lock_file.string() + ": expected sha256 ") &&
                              Catch::Contains("run `smharden plugins lock`"));
  // The override does not unpin.
  CHECK(t.home.cli().run({"--allow-insecure-plugins", "list"}).exit_code == 2);

  REQUIRE(t.home.cli().run({"plugins", "lock", t.plugins.dir.string()}).exit_code == 0);
  CHECK(t.check().exit_code == 0);
}

TEST_CASE("cli trust: plugins lock refuses to pin an untrusted folder or a folder without modules",
          "[cli][trust][lock]") {
  trust_cli t;
  fs::permissions(t.plugins.dir, fs::perms(0777));
  const auto r = t.home.cli().run({"plugins", "lock", t.plugins.dir.string()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("mode 0777: others can write"));
  CHECK_FALSE(fs::exists(t.plugins.dir / "smharden-plugins.lock"));
  const auto empty = t.home.cli().run({"plugins", "lock", t.home.root().string()});
  CHECK(empty.exit_code == 2);
  CHECK_THAT(empty.err, Catch::Contains("no plugin modules in this folder"));
  CHECK(t.home.cli().run({"plugins", "lock", (t.home.root() / "nowhere").string()}).exit_code == 2);
}

TEST_CASE("cli trust: require_signed_plugins in the target file refuses unsigned plugins", "[cli][trust]") {
  trust_cli t;
  const fs::path target_file = t.home.lab() / "target.json";
  auto config = nlohmann::json::parse(smharden::util::read_file(target_file));
  config["require_signed_plugins"] = true;
  smharden::test::write_json(target_file, config);
  const auto r = t.check();
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains(t.plugins.module.string() + ": require_signed_plugins is set") &&
                        Catch::Contains("Authenticode signatures can only be verified on Windows"));

  config["require_signed_plugins"] = "yes";
  smharden::test::write_json(target_file, config);
  const auto bad = t.check();
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("/require_signed_plugins must be true or false, found \"yes\""));

  config["require_signed_plugins"] = false;
  smharden::test::write_json(target_file, config);
  CHECK(t.check().exit_code == 0);
}
