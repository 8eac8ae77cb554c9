// The four Windows steps through the real CLI on a lab: check, apply,
// re-apply, an administrator service user, a missing folder, and the
// generated password's absence from every file smharden wrote.
#include <catch2/catch.hpp>

#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "base/atomic_file.hpp"
#include "cli_lab.hpp"
#include "services/windows/lab_backend.hpp"
#include "services/windows/password_generator.hpp"

using json = nlohmann::json;
using smharden::test::cli_result;
using smharden::test::step_of;
namespace win = smharden::services::windows;

namespace {

const std::vector<std::string> windows_steps{"accounts", "rights", "acl", "service"};
constexpr const char* known_password = "Kn0wn!Passw0rd#Lab";

struct windows_cli {
  smharden::test::cli_lab home{"smharden-windows-cli"};
  std::filesystem::path lab_dir() const { return home.lab(); }
  std::filesystem::path state_dir() const { return home.state(); }
  std::filesystem::path windows_state() const { return lab_dir() / "windows" / "state.json"; }

  // The baseline's four Windows steps with the baseline's values, so the
  // test does not depend on the other plugins being built.
  std::string windows_profile() const {
    json baseline = json::parse(smharden::util::read_file(SMHARDEN_SOURCE_DIR "/profiles/baseline.json"));
    json steps = json::object();
    for (const auto& id : windows_steps) {
      REQUIRE(baseline["steps"].contains(id));
      steps[id] = baseline["steps"][id];
    }
    baseline["steps"] = steps;
    baseline["waivers"] = json::array();
    baseline.erase("$schema");
    return home.write("windows-baseline.json", baseline.dump(2)).string();
  }

  /// `globals` go before the subcommand (e.g. --secret-file NAME=PATH).
  cli_result run(const std::string& mode, std::vector<std::string> globals = {}) const {
    const std::string profile = windows_profile();
    std::vector<std::string> args{mode,
                                  "--profile",
                                  profile,
                                  "--target",
                                  "lab:" + lab_dir().string(),
                                  "--only",
                                  "accounts,rights,acl,service",
                                  "--format",
                                  "json"};
    if (mode == "apply") args.push_back("--yes");
    args.insert(args.begin(), globals.begin(), globals.end());
    return home.cli().run(args);
  }

  json state() const { return json::parse(smharden::util::read_file(windows_state())); }
  win::lab_backend backend() const {
    win::lab_backend::options o;
    o.state_file = windows_state();
    return win::lab_backend(o);
  }
};

std::set<std::string> finding_ids(const json& step) {
  std::set<std::string> out;
  for (const auto& f : step.value("findings", json::array())) out.insert(f.at("id").get<std::string>());
  return out;
}

// Every window of `length` password-alphabet characters in `text` whose
// salted hash matches `hash`: the password itself, wherever it was written.
bool contains_password(const std::string& text, const json& hash, std::size_t length) {
  const std::string salt = hash.at("salt").get<std::string>();
  const std::string want = hash.at("sha256").get<std::string>();
  const auto in_alphabet = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$*+-.:=?@^_~").find(c) != std::string_view::npos;
  };
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    run = in_alphabet(text[i]) ? run + 1 : 0;
    if (run >= length && smharden::util::sha256_hex(salt + ":" + text.substr(i + 1 - length, length)) == want) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("cli windows: a fresh install drifts on all four steps, apply fixes them once", "[windows][cli]") {
  windows_cli f;
  const auto state_before = smharden::util::read_file(f.windows_state());

  const auto check = f.run("check");
  CHECK(check.exit_code == 3);
  const json drift = check.out_json();
  for (const auto& id : windows_steps) {
    INFO(id);
    CHECK(step_of(drift, id).at("status") == "drift");
  }
  CHECK(finding_ids(step_of(drift, "accounts")) == std::set<std::string>{"user-missing"});
  CHECK(finding_ids(step_of(drift, "rights")) == std::set<std::string>{"account-missing"});
  CHECK(finding_ids(step_of(drift, "service")) == std::set<std::string>{"logon-account"});
  CHECK(smharden::util::read_file(f.windows_state()) == state_before);  // check writes nothing

  const auto apply = f.run("apply");
  INFO(apply.out << apply.err);
  CHECK(apply.exit_code == 0);
  const json applied = apply.out_json();
  for (const auto& id : windows_steps) {
    INFO(id);
    CHECK(step_of(applied, id).at("status") == "applied");
    CHECK_FALSE(step_of(applied, id).at("changes").empty());
  }
  REQUIRE(applied.at("restarts").size() == 1);
  CHECK(applied["restarts"][0]["kind"] == "service");
  CHECK(applied["restarts"][0]["name"] == "SmarterMail");

  // The lab now holds what the guide asks for, and the service really
  // started as the user (the lab checks the right and the password).
  auto b = f.backend();
  const auto user = b.get_user("smartermail-svc");
  REQUIRE(user);
  CHECK(user->description == "SmarterMail service account");
  CHECK((user->flags & win::user_flag::dont_expire_passwd) != 0);
  CHECK_FALSE(user->password_expired);
  CHECK(b.account_rights("smartermail-svc") == std::vector<std::string>{"SeServiceLogonRight"});
  const auto svc = b.get_service("SmarterMail");
  CHECK(svc->account == ".\\smartermail-svc");
  CHECK(svc->state == win::service_state::running);

  const auto recheck = f.run("check");
  CHECK(recheck.exit_code == 0);
  for (const auto& id : windows_steps) CHECK(step_of(recheck.out_json(), id).at("status") == "compliant");

  // Second apply: nothing to change, no restart, not a byte of state written.
  const auto state_after_first = smharden::util::read_file(f.windows_state());
  const auto again = f.run("apply");
  CHECK(again.exit_code == 0);
  const json second = again.out_json();
  for (const auto& id : windows_steps) {
    INFO(id);
    CHECK(step_of(second, id).at("status") == "compliant");
    CHECK(step_of(second, id).value("changes", json::array()).empty());
  }
  CHECK(second.at("restarts").empty());
  CHECK(smharden::util::read_file(f.windows_state()) == state_after_first);

  SECTION("the generated password appears in no file smharden wrote") {
    const json hash = f.state()["users"]["smartermail-svc"]["password"];
    REQUIRE(hash.contains("salt"));
    // The service's stored logon password is the user's: apply passed the generated one along.
    CHECK(f.state()["services"]["SmarterMail"]["password"] == hash);
    std::size_t files = 0;
    for (const auto& root : {f.state_dir(), f.lab_dir()}) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
        if (!e.is_regular_file()) continue;
        ++files;
        INFO(e.path());
        CHECK_FALSE(contains_password(smharden::util::read_file(e.path()), hash, 24));
      }
    }
    CHECK(files > 3);
    for (const auto* out : {&check, &apply, &recheck, &again}) {
      CHECK_FALSE(contains_password(out->out + out->err, hash, 24));
    }
  }
}

TEST_CASE("cli windows: a service user in Administrators is reported and removed", "[windows][cli]") {
  windows_cli f;
  {
    auto b = f.backend();
    win::new_user u;
    u.name = "smartermail-svc";
    u.password = known_password;
    u.description = "SmarterMail service account";
    b.create_user(u);
    b.add_group_member("Administrators", "smartermail-svc");
  }
  const auto check = f.run("check");
  CHECK(check.exit_code == 3);
  const json report = check.out_json();
  CHECK(finding_ids(step_of(report, "accounts")) == std::set<std::string>{"in-group:Administrators"});
  // The user exists and no password was supplied: the service step says how.
  const auto service_findings = finding_ids(step_of(report, "service"));
  CHECK(service_findings.count("password-needed") == 1);
  CHECK(check.out.find("SMHARDEN_SECRET_SERVICE_PASSWORD") != std::string::npos);

  const auto secret_file = f.home.root() / "service_password.txt";
  std::ofstream(secret_file) << known_password << "\n";
  const auto apply = f.run("apply", {"--secret-file", "service_password=" + secret_file.string()});
  INFO(apply.out << apply.err);
  CHECK(apply.exit_code == 0);
  auto b = f.backend();
  CHECK(b.user_groups("smartermail-svc") == std::vector<std::string>{"Users"});
  CHECK(b.group_members("Administrators") == std::vector<std::string>{"SMLAB\\Administrator"});
  CHECK(b.get_service("SmarterMail")->state == win::service_state::running);
  const auto recheck = f.run("check");
  CHECK(recheck.exit_code == 0);
  // The supplied password is as secret as a generated one.
  for (const auto& e : std::filesystem::recursive_directory_iterator(f.state_dir())) {
    if (e.is_regular_file()) CHECK(smharden::util::read_file(e.path()).find(known_password) == std::string::npos);
  }
  CHECK(smharden::util::read_file(f.windows_state()).find(known_password) == std::string::npos);
  CHECK(apply.out.find(known_password) == std::string::npos);
}

TEST_CASE("cli windows: a folder that does not exist is a clear finding, not a crash", "[windows][cli]") {
  windows_cli f;
  json s = f.state();
  s["folders"].erase("C:\\SmarterMail");
  smharden::util::write_file_atomic(f.windows_state(), s.dump(2));

  const auto check = f.run("check");
  CHECK(check.exit_code == 3);
  const json report = check.out_json();
  const json& acl = step_of(report, "acl");
  CHECK(acl.at("status") == "drift");
  CHECK(finding_ids(acl).count("folder-missing:C:\\SmarterMail") == 1);
  for (const auto& finding : acl.at("findings")) {
    if (finding.at("id") == "folder-missing:C:\\SmarterMail") {
      CHECK(finding.at("title").get<std::string>().find("does not exist") != std::string::npos);
      CHECK(finding.at("automated") == false);
    }
  }

  // Apply grants what it can, keeps reporting the missing folder for the
  // operator, blocks the service step, and the engine rolls the run back.
  const auto before_apply = smharden::util::read_file(f.windows_state());
  const auto apply = f.run("apply");
  INFO(apply.out << apply.err);
  CHECK(apply.exit_code == 4);
  const json applied = apply.out_json();
  CHECK(step_of(applied, "accounts").at("status") == "applied");
  CHECK(step_of(applied, "acl").at("status") == "drift");
  CHECK(finding_ids(step_of(applied, "acl")).count("folder-missing:C:\\SmarterMail") == 1);
  CHECK(step_of(applied, "service").at("status") == "blocked");
  CHECK(smharden::util::read_file(f.windows_state()) == before_apply);
}

TEST_CASE("cli windows: the password scanner finds a password it is given", "[windows][cli]") {
  // The control for the scan above: a hash of a known 24-character password.
  const std::string pw = "Ab3!Ab3!Ab3!Ab3!Ab3!Ab3!";
  const json hash = {{"salt", "00ff"}, {"sha256", smharden::util::sha256_hex("00ff:" + pw)}};
  CHECK(contains_password("{\"x\": \"" + pw + "\"}", hash, 24));
  CHECK(contains_password("log line " + pw + " end", hash, 24));
  CHECK_FALSE(contains_password("{\"x\": \"" + pw.substr(1) + "\"}", hash, 24));
}
