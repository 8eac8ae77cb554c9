// `apply --rotate-service-password` through the real CLI on a lab: the service
// user, the service's logon and the app pool end with one new password (the
// lab keeps a salted hash of each), the journal records the rotation and never
// the password, a rollback keeps the rotation, and a run killed at every point
// of the rotation is completed by the next `apply --rotate-service-password`
// with the pending password, after which the service starts.
#include <signal.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <regex>

#include "base/atomic_file.hpp"
#include "cli_lab.hpp"
#include "lab_files.hpp"

using nlohmann::json;
using smharden::test::cli_result;
using smharden::test::step_of;
using std::filesystem::path;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> rotation_steps = {"accounts", "service", "iis-identity"};

json rotation_profile() {
  const path baseline = smharden::test::source_dir() / "profiles" / "baseline.json";
  std::ifstream in(baseline);
  const json base = json::parse(in);
  json steps = json::object();
  for (const char* id : {"accounts", "rights", "acl", "service", "iis-identity"}) steps[id] = base["steps"][id];
  return {{"name", "rotation"}, {"vars", base["vars"]}, {"management_cidrs", json::array()}, {"steps", steps}};
}

/// What the lab holds for the three passwords.
struct lab_passwords {
  json user;         ///< {salt, sha256}
  json service;      ///< {salt, sha256}
  std::string pool;  ///< the app pool's password attribute (a marker with lab-sha256=)
  std::string service_state;
};

lab_passwords read_passwords(const path& lab) {
  const json state = json::parse(smharden::util::read_file(lab / "windows" / "state.json"));
  lab_passwords out;
  out.user = state["users"]["smartermail-svc"].value("password", json());
  for (const auto& [name, svc] : state["services"].items()) {
    if (svc.value("account", "") == ".\\smartermail-svc") {
      out.service = svc.value("password", json());
      out.service_state = svc.value("state", "");
    }
  }
  const std::string config = smharden::util::read_file(lab / "iis" / "applicationHost.config");
  std::smatch m;
  if (std::regex_search(config, m, std::regex(R"(userName="\.\\smartermail-svc" password="([^"]*)\")"))) {
    out.pool = m[1];
  }
  return out;
}

bool user_hash_is(const json& stored, const std::string& password) {
  return stored.is_object() &&
         stored.value("sha256", "") == smharden::util::sha256_hex(stored.value("salt", "") + ":" + password);
}

/// All three hold `password`.
void require_all_hold(const path& lab, const std::string& password) {
  const lab_passwords now = read_passwords(lab);
  INFO("user " << now.user << " service " << now.service << " pool " << now.pool);
  CHECK(user_hash_is(now.user, password));
  CHECK(user_hash_is(now.service, password));
  CHECK(now.service == now.user);
  CHECK(now.pool.find("lab-sha256=" + smharden::util::sha256_hex("lab-app-pool:" + password) + "]") !=
        std::string::npos);
}

std::string pending_password(const path& state) {
  const json doc = json::parse(smharden::util::read_file(state / "rotation-pending.json"));
  REQUIRE(doc["protection"] == "none");  // Linux: the file's 0600 mode protects it
  const std::string hex = doc["password_hex"];
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

std::size_t count_type(const std::vector<json>& records, const std::string& type) {
  std::size_t n = 0;
  for (const auto& r : records) n += r.value("type", "") == type ? 1 : 0;
  return n;
}

struct rotation_lab {
  smharden::test::cli_lab home{"smharden-rotation"};
  path profile = home.write_json("rotation.json", rotation_profile());
  std::map<std::string, std::string> env;

  std::vector<std::string> apply_args(bool rotate) const {
    std::vector<std::string> a = {"apply",     "--yes",          "--format", "json",
                                  "--profile", profile.string(), "--target", home.target()};
    if (rotate) a.emplace_back("--rotate-service-password");
    return a;
  }
  cli_result apply(bool rotate, const std::map<std::string, std::string>& extra = {}) const {
    auto e = env;
    e.insert(extra.begin(), extra.end());
    return home.cli().run(apply_args(rotate), e);
  }
};

}  // namespace

TEST_CASE("rotate: user, service logon and app pool get one new password, journaled without it, and rollback keeps it",
          "[run][rotation][cli]") {
  rotation_lab r;
  const cli_result first = r.apply(false);
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  const lab_passwords before = read_passwords(r.home.lab());
  REQUIRE(before.user.is_object());
  REQUIRE(before.service == before.user);
  REQUIRE(before.service_state == "running");

  // A check is refused with the flag (it never changes anything); without it the hardened lab complies.
  const cli_result refused_check = r.home.cli().run(
      {"check", "--profile", r.profile.string(), "--target", r.home.target(), "--rotate-service-password"});
  CHECK(refused_check.exit_code == 2);
  CHECK_THAT(refused_check.err, Catch::Contains("never changes anything"));

  // Generated password: the user's and the service's hashes agree, all three changed.
  const cli_result generated = r.apply(true);
  INFO(generated.out << generated.err);
  REQUIRE(generated.exit_code == 0);
  const json g = generated.out_json();
  for (const auto& id : rotation_steps) {
    INFO(id);
    CHECK(step_of(g, id)["status"] == "applied");
    bool found = false;
    for (const auto& f : step_of(g, id)["findings"]) found = found || f["id"] == "password-rotation";
    CHECK(found);
  }
  CHECK(g["rotation"]["complete"] == true);
  CHECK(g["rotation"]["password_from"] == "generated");
  const lab_passwords after_generated = read_passwords(r.home.lab());
  CHECK(after_generated.user != before.user);
  CHECK(after_generated.service == after_generated.user);
  CHECK(after_generated.pool != before.pool);
  CHECK(after_generated.service_state == "running");  // the restart logged the service on with it
  CHECK_FALSE(fs::exists(r.home.state() / "rotation-pending.json"));

  // The operator's secret: all three hold exactly it, nothing written shows it.
  const std::string chosen = "Rotated-Secret-Value-42!xyz";
  r.home.write("pw.txt", chosen);
  const cli_result supplied = r.apply(true, {{"SMHARDEN_SECRET_SERVICE_PASSWORD", chosen}});
  INFO(supplied.out << supplied.err);
  REQUIRE(supplied.exit_code == 0);
  const json s = supplied.out_json();
  CHECK(s["rotation"]["password_from"] == "supplied");
  require_all_hold(r.home.lab(), chosen);
  const auto records = smharden::test::journal_records(r.home.state(), s["run_id"]);
  CHECK(count_type(records, "rotation_start") == 1);
  CHECK(count_type(records, "rotation_end") == 1);
  CHECK(supplied.out.find(chosen) == std::string::npos);
  CHECK(supplied.err.find(chosen) == std::string::npos);
  for (const auto& entry : fs::recursive_directory_iterator(r.home.state())) {
    if (!entry.is_regular_file()) continue;
    INFO(entry.path());
    CHECK(smharden::util::read_file(entry.path()).find(chosen) == std::string::npos);
  }

  // A rotation that also fixes another setting: rollback undoes that one and keeps the password.
  json state = json::parse(smharden::util::read_file(r.home.lab() / "windows" / "state.json"));
  state["users"]["smartermail-svc"]["description"] = "changed by hand";
  smharden::util::write_file_atomic(r.home.lab() / "windows" / "state.json", state.dump(2));
  const cli_result mixed = r.apply(true);
  INFO(mixed.out << mixed.err);
  REQUIRE(mixed.exit_code == 0);
  const lab_passwords rotated = read_passwords(r.home.lab());
  const cli_result rb = r.home.cli().run({"rollback", "--last", "--format", "json"});
  INFO(rb.out << rb.err);
  REQUIRE(rb.exit_code == 0);
  const json rj = rb.out_json();
  CHECK(rj["rotation_kept"].size() == 3);
  CHECK_THAT(rj["notices"].dump(), Catch::Contains("rotated the service password"));
  const lab_passwords after_rollback = read_passwords(r.home.lab());
  CHECK(after_rollback.user == rotated.user);
  CHECK(after_rollback.service == rotated.user);
  CHECK(after_rollback.pool == rotated.pool);
  CHECK(after_rollback.service_state == "running");
  state = json::parse(smharden::util::read_file(r.home.lab() / "windows" / "state.json"));
  CHECK(state["users"]["smartermail-svc"]["description"] == "changed by hand");
}

TEST_CASE("rotate: a run killed at every point of the rotation is completed by the next one", "[run][rotation][cli]") {
  rotation_lab r;
  const cli_result first = r.apply(false);
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  const path hardened = r.home.root() / "hardened";
  fs::copy(r.home.lab(), hardened, fs::copy_options::recursive);
  const auto fresh_lab = [&] {
    fs::remove_all(r.home.lab());
    fs::copy(hardened, r.home.lab(), fs::copy_options::recursive);
  };

  // The reference rotation: where its records and calls fall.
  const cli_result reference = r.apply(true);
  INFO(reference.out << reference.err);
  REQUIRE(reference.exit_code == 0);
  const auto records = smharden::test::journal_records(r.home.state(), reference.out_json()["run_id"]);
  struct point {
    std::string what, variable;
    std::size_t n = 0;
  };
  std::vector<point> points;
  std::size_t mutations = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const json& rec = records[i];
    const std::string type = rec.value("type", "");
    if (type == "rotation_start") {
      points.push_back({"after the pending file is written", "SMHARDEN_TEST_KILL_AFTER_JOURNAL_WRITES", i + 1});
    } else if (type == "rotation_end") {
      points.push_back(
          {"after the app pool, before the pending file is removed", "SMHARDEN_TEST_KILL_AFTER_JOURNAL_WRITES", i + 1});
    } else if (type == "mutation") {
      ++mutations;
      const std::string method = rec.value("method", "");
      if (method == "windows.user.set_password" || method == "windows.service.set_logon" ||
          method == "iis.app_pool.set_identity") {
        points.push_back({"after " + method, "SMHARDEN_TEST_KILL_AFTER_MUTATIONS", mutations});
      }
    }
  }
  REQUIRE(points.size() == 5);

  smharden::test::cli_runner host({}, r.home.state());
  host.use_executable(smharden::test::smharden_test_host_exe());
  for (const auto& p : points) {
    INFO("kill " << p.what << " (" << p.variable << "=" << p.n << ")");
    fresh_lab();
    const lab_passwords before = read_passwords(r.home.lab());
    const cli_result killed = host.run(r.apply_args(true), {{p.variable, std::to_string(p.n)}});
    INFO(killed.out << killed.err);
    REQUIRE(killed.signal == SIGKILL);
    REQUIRE(smharden::test::unparseable_files(r.home.lab()).empty());
    const std::string pending = pending_password(r.home.state());
    CHECK(pending.size() >= 16);

    // A plain apply is refused while the rotation is pending, and changes nothing.
    const auto lab_now = smharden::test::lab_hashes(r.home.lab());
    const cli_result plain = r.apply(false);
    CHECK(plain.exit_code == 2);
    CHECK_THAT(plain.err, Catch::Contains("--rotate-service-password"));
    CHECK(smharden::test::lab_hashes(r.home.lab()) == lab_now);
    // A check says so too, and changes nothing either.
    const cli_result check =
        r.home.cli().run({"check", "--format", "json", "--profile", r.profile.string(), "--target", r.home.target()});
    CHECK_THAT(check.out, Catch::Contains("has not finished") && Catch::Contains("--rotate-service-password"));
    CHECK(smharden::test::lab_hashes(r.home.lab()) == lab_now);

    const cli_result rerun = r.apply(true);
    INFO(rerun.out << rerun.err);
    REQUIRE(rerun.exit_code == 0);
    const json rj = rerun.out_json();
    CHECK(rj["rotation"]["password_from"] == "pending");
    CHECK(rj["rotation"]["complete"] == true);
    require_all_hold(r.home.lab(), pending);
    CHECK(read_passwords(r.home.lab()).user != before.user);
    CHECK(read_passwords(r.home.lab()).service_state == "running");
    CHECK_FALSE(fs::exists(r.home.state() / "rotation-pending.json"));
    const auto rerun_records = smharden::test::journal_records(r.home.state(), rj["run_id"]);
    CHECK(count_type(rerun_records, "rotation_end") == 1);
    for (const auto& rec : rerun_records) CHECK(rec.dump().find(pending) == std::string::npos);
  }

  // A crash of the worker alone: the supervisor rolls the run back automatically, which keeps what
  // the rotation set and leaves the pending file; the next rotation completes it.
  const auto at_service = std::find_if(points.begin(), points.end(), [](const point& p) {
    return p.what.find("windows.service.set_logon") != std::string::npos;
  });
  REQUIRE(at_service != points.end());
  fresh_lab();
  const cli_result crashed = host.run(r.apply_args(true), {{at_service->variable, std::to_string(at_service->n)},
                                                           {"SMHARDEN_TEST_KILL_WORKER_ONLY", "1"}});
  INFO(crashed.out << crashed.err);
  REQUIRE(crashed.signal == 0);
  CHECK(crashed.exit_code == 4);
  const json cj = crashed.out_json();
  // Nothing else changed in the run: the automatic rollback has nothing to undo and says what it kept.
  CHECK_THAT(cj["rollback"]["notices"].dump(), Catch::Contains("rotated the service password"));
  CHECK(cj["rollback"]["rotation_kept"].size() >= 2);  // the user and the service's logon
  const std::string pending = pending_password(r.home.state());
  const lab_passwords kept = read_passwords(r.home.lab());
  CHECK(user_hash_is(kept.user, pending));
  CHECK(user_hash_is(kept.service, pending));
  const cli_result rerun = r.apply(true);
  INFO(rerun.out << rerun.err);
  REQUIRE(rerun.exit_code == 0);
  require_all_hold(r.home.lab(), pending);
  CHECK(read_passwords(r.home.lab()).service_state == "running");
  CHECK_FALSE(fs::exists(r.home.state() / "rotation-pending.json"));
}

TEST_CASE("rotate: the removed reset_password and update_password are refused, naming the flag",
          "[run][rotation][cli]") {
  smharden::test::cli_lab home{"smharden-rotation-params", {}, false};
  for (const auto& [step, param] : std::vector<std::pair<std::string, std::string>>{
           {"accounts", "reset_password"}, {"iis-identity", "update_password"}}) {
    INFO(step << "." << param);
    json profile = rotation_profile();
    profile["steps"][step]["params"][param] = true;
    const path file = home.write_json("old.json", profile);
    const cli_result r = home.cli().run({"validate", file.string()});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(param) && Catch::Contains("--rotate-service-password"));
  }
}
