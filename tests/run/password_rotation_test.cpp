// The host's side of a service password rotation: which steps it covers, the
// pending-rotation file (owner-only, read back as written), which journaled
// changes rollback keeps, and run.rotation.status.
#include <catch2/catch.hpp>

#include <filesystem>

#include "base/atomic_file.hpp"
#include "base/errors.hpp"
#include "run/password_rotation.hpp"
#include "temp_dir.hpp"

#ifndef _WIN32
#include <sys/stat.h>
#endif

using nlohmann::json;
namespace rotation = smharden::core::rotation;

namespace {

smharden::core::run_plan plan_with(const std::vector<std::string>& steps, const std::vector<std::string>& selected) {
  smharden::core::run_plan plan;
  for (const auto& id : steps) {
    plan.nodes[id].id = id;
    plan.params[id] = {{"password_secret", "service_password"}};
    plan.order.push_back(id);
  }
  plan.params["accounts"]["generated_password_length"] = 32;
  plan.selected.insert(selected.begin(), selected.end());
  return plan;
}

}  // namespace

TEST_CASE("rotation: the scope is the profile's accounts, service and iis-identity, all selected", "[run][rotation]") {
  const auto all = plan_with({"accounts", "rights", "acl", "service", "iis-identity"},
                             {"accounts", "rights", "acl", "service", "iis-identity"});
  const rotation::scope s = rotation::scope_of(all);
  CHECK(s.steps == std::vector<std::string>{"accounts", "service", "iis-identity"});
  CHECK(s.secret == "service_password");
  CHECK(s.password_length == 32);

  // A server without IIS: the rotation covers what the profile has.
  CHECK(rotation::scope_of(plan_with({"accounts", "service"}, {"accounts", "service"})).steps ==
        std::vector<std::string>{"accounts", "service"});

  // A partial selection would leave three different passwords: refused, naming the fix.
  CHECK_THROWS_WITH(rotation::scope_of(plan_with({"accounts", "service", "iis-identity"}, {"accounts", "service"})),
                    Catch::Contains("iis-identity is not selected") && Catch::Contains("--rotate-service-password"));
  CHECK_THROWS_AS(rotation::scope_of(plan_with({"service", "iis-identity"}, {"service", "iis-identity"})),
                  smharden::core::usage_error);

  auto split = all;
  split.params["iis-identity"]["password_secret"] = "pool_password";
  CHECK_THROWS_WITH(rotation::scope_of(split), Catch::Contains("pool_password") && Catch::Contains("same"));
}

TEST_CASE("rotation: the pending file is owner-only and reads back what was written", "[run][rotation]") {
  smharden::test::temp_dir dir("smharden-rotation");
  const auto state = dir.path() / "state";
  CHECK_FALSE(rotation::read_pending(state));
  rotation::pending p{"20261203T120000Z-abcdef", "service_password", "N3w-P4ss\"word\\with:odd;bytes\x01", "now"};
  rotation::write_pending(state, p);
  const auto file = rotation::pending_file(state);
  REQUIRE(std::filesystem::exists(file));
#ifndef _WIN32
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
#endif
  // No temporary file is left beside it.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(state)) ++entries;
  CHECK(entries == 1);
  const auto back = rotation::read_pending(state);
  REQUIRE(back);
  CHECK(back->password == p.password);
  CHECK(back->secret == p.secret);
  CHECK(back->run_id == p.run_id);
  // Overwritten atomically (a rerun never writes a second password, but the write must be safe).
  p.password = "Other-Password-123!";
  rotation::write_pending(state, p);
  CHECK(rotation::read_pending(state)->password == "Other-Password-123!");

  rotation::remove_pending(state);
  CHECK_FALSE(rotation::read_pending(state));
  CHECK_NOTHROW(rotation::remove_pending(state));

  smharden::util::write_file_atomic(file, "{\"secret\": 3}");
  CHECK_THROWS_WITH(rotation::read_pending(state), Catch::Contains("damaged"));
  smharden::util::write_file_atomic(file, R"({"secret": "s", "password_hex": "zz"})");
  CHECK_THROWS_WITH(rotation::read_pending(state), Catch::Contains("damaged"));
}

TEST_CASE("rotation: the refusal of a plain apply names the run and the command that finishes it", "[run][rotation]") {
  const std::string text = rotation::pending_refusal({"RUN-1", "service_password", "secret-value", "now"});
  CHECK_THAT(text, Catch::Contains("RUN-1") && Catch::Contains("smharden apply --rotate-service-password"));
  CHECK(text.find("secret-value") == std::string::npos);
}

TEST_CASE("rotation: rollback keeps exactly the changes that carried the password", "[run][rotation]") {
  CHECK(rotation::carries_password("accounts", "windows.user.set_password"));
  CHECK(rotation::carries_password("accounts", "windows.user.create"));
  CHECK(rotation::carries_password("service", "windows.service.set_logon"));
  CHECK(rotation::carries_password("iis-identity", "iis.app_pool.set_identity"));
  CHECK_FALSE(rotation::carries_password("accounts", "windows.user.update"));
  CHECK_FALSE(rotation::carries_password("accounts", "windows.groups.remove_member"));
  CHECK_FALSE(rotation::carries_password("rights", "windows.rights.grant"));
  CHECK_FALSE(rotation::carries_password("iis-ip", "iis.app_pool.set_identity"));
  CHECK_FALSE(rotation::carries_password("engine", "windows.service.restart"));
}

TEST_CASE("rotation: run.rotation.status answers for the calling step and takes no params", "[run][rotation]") {
  smharden::services::registry methods;
  bool requested = true;
  rotation::register_status_method(methods, [&] { return json{{"requested", requested}, {"password_secret", "s"}}; });
  const auto* m = methods.find("run.rotation.status");
  REQUIRE(m != nullptr);
  CHECK(m->kind == smharden::services::access::read_only);
  CHECK(m->invoke(json::object())["requested"] == true);
  requested = false;
  CHECK(m->invoke(nullptr)["requested"] == false);
  CHECK_THROWS_AS(m->invoke(json{{"x", 1}}), smharden::services::service_error);
}
