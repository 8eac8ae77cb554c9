// The IIS steps through the real CLI and plugin modules, on a lab and on an
// offline copy of the public IIS 10 sample: drift -> apply -> compliant ->
// re-apply changes nothing (file bytes identical), rollback restores the
// original bytes, the lockout refusal, a config without a SmarterMail site.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "base/atomic_file.hpp"
#include "cli_runner.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using smharden::test::cli_result;
using smharden::test::step_of;

namespace {

const std::string source = SMHARDEN_SOURCE_DIR;
const std::string iis_steps = "iis-identity,iis-bindings,iis-ip";

struct cli {
  smharden::test::temp_dir work{"smharden-iis-cli"};
  smharden::test::cli_runner smh;  // the plugins beside the binary, a fresh state folder

  cli_result run(const std::vector<std::string>& args) const { return smh.run(args); }
  json report(std::vector<std::string> args) {
    const cli_result r = run(args);
    INFO(r.err);
    json j = json::parse(r.out, nullptr, false);
    REQUIRE_FALSE(j.is_discarded());
    j["exit_code"] = r.exit_code;
    return j;
  }
};

bool has_finding(const json& s, const std::string& id) {
  for (const json& f : s.value("findings", json::array())) {
    if (f["id"] == id) return true;
  }
  return false;
}

size_t files_in(const fs::path& dir) {
  if (!fs::exists(dir)) return 0;
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("cli: lab drift -> apply -> compliant -> re-apply changes nothing -> rollback", "[iis][cli]") {
  cli c;
  const fs::path lab = c.work.path() / "lab";
  REQUIRE(c.run({"lab", "init", lab.string()}).exit_code == 0);
  const fs::path config = lab / "iis" / "applicationHost.config";
  const std::string original = smharden::util::read_file(config);
  // The baseline with its dynamic IP limits sized (five clients per address fit them), so that apply writes them.
  const fs::path sized = c.work.path() / "sized.json";
  smharden::util::write_file_atomic(
      sized, json({{"extends", source + "/profiles/baseline.json"},
                   {"steps", {{"iis-ip", {{"params", {{"dynamic", {{"sized_for", {{"clients_per_address", 5}}}}}}}}}}}})
                 .dump());
  const std::vector<std::string> common = {"--profile",           sized.string(), "--target",
                                           "lab:" + lab.string(), "--only",       iis_steps,
                                           "--with-deps",         "--format",     "json"};
  auto with = [&](std::vector<std::string> head) {
    head.insert(head.end(), common.begin(), common.end());
    return head;
  };

  const json before = c.report(with({"check"}));
  CHECK(before["exit_code"] == 3);
  CHECK(step_of(before, "iis-identity")["status"] == "drift");
  CHECK(has_finding(step_of(before, "iis-identity"), "identity-type"));
  CHECK(has_finding(step_of(before, "iis-bindings"), "binding-unexpected:http/*:9998:"));
  CHECK(step_of(before, "iis-ip")["status"] == "drift");
  CHECK(smharden::util::read_file(config) == original);  // check changes nothing

  const json applied = c.report(with({"apply", "--yes"}));
  CHECK(applied["exit_code"] == 0);
  for (const char* id : {"iis-identity", "iis-bindings", "iis-ip"}) CHECK(step_of(applied, id)["status"] == "applied");
  const std::string after_apply = smharden::util::read_file(config);
  CHECK(after_apply.find(R"(bindingInformation="127.0.0.1:9998:")") != std::string::npos);
  CHECK(after_apply.find(R"(<denyByConcurrentRequests enabled="true" maxConcurrentRequests="10")") !=
        std::string::npos);
  CHECK(after_apply.find(R"(password="[set-by-smharden:secret:service_password;lab-sha256=)") != std::string::npos);
  CHECK(files_in(config.parent_path() / "history") == 1);
  CHECK(smharden::util::read_file(config.parent_path() / "recycle.log").find("recycle SmarterMail") !=
        std::string::npos);

  const json compliant = c.report(with({"check"}));
  CHECK(compliant["exit_code"] == 0);
  for (const char* id : {"iis-identity", "iis-bindings", "iis-ip"})
    CHECK(step_of(compliant, id)["status"] == "compliant");

  const auto mtime = fs::last_write_time(config);
  const json again = c.report(with({"apply", "--yes"}));
  CHECK(again["exit_code"] == 0);
  CHECK(smharden::util::read_file(config) == after_apply);
  CHECK(fs::last_write_time(config) == mtime);
  CHECK(files_in(config.parent_path() / "history") == 1);

  // Roll back the first apply: the undo records restore the original bytes.
  const json history = json::parse(c.run({"history", "--format", "json"}).out);
  std::string first_run;
  for (const json& r : history["runs"]) {
    if (r["mode"] == "apply" && r["mutations"].get<int>() > 0) first_run = r["id"];
  }
  REQUIRE_FALSE(first_run.empty());
  const cli_result rb = c.run({"rollback", first_run});
  INFO(rb.out << rb.err);
  CHECK(rb.exit_code == 0);
  CHECK(smharden::util::read_file(config) == original);
  // The apply's history copy went with the apply; the rollback kept its own: the config as it found it.
  REQUIRE(files_in(config.parent_path() / "history") == 1);
  CHECK(smharden::util::read_file(fs::directory_iterator(config.parent_path() / "history")->path()) == after_apply);
}

TEST_CASE("cli: default deny that excludes a management range is refused, nothing written", "[iis][cli][lockout]") {
  cli c;
  const fs::path lab = c.work.path() / "lab";
  REQUIRE(c.run({"lab", "init", lab.string()}).exit_code == 0);
  const fs::path profile = c.work.path() / "lockout.json";
  smharden::util::write_file_atomic(profile, json{{"name", "lockout-test"},
                                                  {"extends", source + "/profiles/strict.json"},
                                                  {"management_cidrs", {"198.51.100.0/24"}}}
                                                 .dump());
  const fs::path config = lab / "iis" / "applicationHost.config";
  const std::string original = smharden::util::read_file(config);
  const std::vector<std::string> args = {"--profile", profile.string(), "--target", "lab:" + lab.string(),
                                         "--only",    "iis-ip",         "--format", "json"};

  std::vector<std::string> check_args = {"check"};
  check_args.insert(check_args.end(), args.begin(), args.end());
  const json checked = c.report(check_args);
  CHECK(has_finding(step_of(checked, "iis-ip"), "lockout-guard"));
  CHECK(has_finding(step_of(checked, "iis-ip"), "default-action"));

  std::vector<std::string> apply_args = {"apply", "--yes"};
  apply_args.insert(apply_args.end(), args.begin(), args.end());
  const json refused = c.report(apply_args);
  CHECK(refused["exit_code"] == 4);
  const json s = step_of(refused, "iis-ip");
  CHECK(s["status"] == "failed");
  CHECK(s.dump().find("198.51.100.0/24") != std::string::npos);
  CHECK(smharden::util::read_file(config) == original);
  CHECK(files_in(config.parent_path() / "history") == 0);

  // The strict profile's own ranges are allowed: the same apply goes through.
  std::vector<std::string> strict_args = {
      "apply",  "--yes",    "--profile", source + "/profiles/strict.json", "--target", "lab:" + lab.string(), "--only",
      "iis-ip", "--format", "json"};
  const json ok = c.report(strict_args);
  CHECK(ok["exit_code"] == 0);
  CHECK(smharden::util::read_file(config).find(R"(<ipSecurity allowUnlisted="false">)") != std::string::npos);
}

TEST_CASE("cli: an offline copy without a SmarterMail site gives a clear finding", "[iis][cli][sample]") {
  cli c;
  const fs::path copy = c.work.path() / "offline";
  fs::create_directories(copy);
  fs::copy_file(source + "/tests/fixtures/iis/applicationHost.iis10-sample.config", copy / "applicationHost.config");
  const json r = c.report({"check", "--profile", source + "/profiles/baseline.json", "--target",
                           "offline:" + copy.string(), "--only", "iis-bindings,iis-ip", "--format", "json"});
  CHECK(r["exit_code"] == 3);
  for (const char* id : {"iis-bindings", "iis-ip"}) {
    const json s = step_of(r, id);
    REQUIRE(has_finding(s, "site-not-found"));
    CHECK(s.dump().find("install_dir") != std::string::npos);
  }
}

TEST_CASE("cli: a truncated applicationHost.config is refused with its position and left untouched", "[iis][cli]") {
  cli c;
  const fs::path lab = c.work.path() / "lab";
  REQUIRE(c.run({"lab", "init", lab.string()}).exit_code == 0);
  const fs::path config = lab / "iis" / "applicationHost.config";
  const std::string original = smharden::util::read_file(config);
  const std::string truncated = original.substr(0, original.size() * 2 / 3);
  smharden::util::write_file_atomic(config, truncated);
  const cli_result r = c.run({"apply", "--yes", "--profile", source + "/profiles/baseline.json", "--target",
                              "lab:" + lab.string(), "--only", "iis-bindings", "--format", "json"});
  CHECK(r.exit_code != 0);
  CHECK((r.out + r.err).find("applicationHost.config:") != std::string::npos);
  CHECK((r.out + r.err).find("not well-formed XML") != std::string::npos);
  CHECK(smharden::util::read_file(config) == truncated);
}
