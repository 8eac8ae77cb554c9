#include "run/restarts.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

#include "recording_observer.hpp"
#include "run/restart_table.hpp"

using nlohmann::json;
using smharden::core::perform_restarts;
using smharden::core::restart_kind_of;
using smharden::core::restart_method_for;
using smharden::core::restart_request;
using smharden::core::restart_settings;
using smharden::services::access;
using smharden::services::registry;
using smharden::test::recording_observer;

namespace {

struct restart_fixture {
  smharden::core::redactor redact;
  smharden::core::audit_log log{redact, {}, SMH_LOG_ERROR};
  registry methods;
  std::vector<std::string> restarted;
  recording_observer obs;
  smharden::core::mutation_gate gate{&obs};

  explicit restart_fixture(bool service_fails = false) {
    methods.add({"windows.service.restart", access::mutating, "restart a service",
                 [this, service_fails](const json& p) {
                   if (service_fails) throw smharden::services::service_error("failed", "the service did not start");
                   restarted.push_back("service " + p.at("name").get<std::string>());
                   return json::object();
                 },
                 [](const json&) { return smharden::services::undo_record{}; }});
  }
  std::vector<smharden::core::restart_result> run(const std::vector<restart_request>& requests,
                                                  const restart_settings& settings = {}) {
    return perform_restarts(
        requests, [this]() -> const registry& { return methods; }, gate, settings, redact, log);
  }
};

}  // namespace

TEST_CASE("restart table: kinds and methods map both ways, unknown ones do not", "[run][restarts]") {
  CHECK(restart_method_for("service") == "windows.service.restart");
  CHECK(restart_method_for("app_pool") == "iis.app_pool.recycle");
  CHECK_FALSE(restart_method_for("machine"));
  CHECK(restart_kind_of("iis.app_pool.recycle") == "app_pool");
  CHECK(restart_kind_of("windows.service.restart") == "service");
  CHECK_FALSE(restart_kind_of("windows.service.set_logon"));
}

TEST_CASE("restarts: each service once, journaled as the engine's", "[run][restarts]") {
  restart_fixture f;
  const auto results = f.run({{"service", "SmarterMail", "service"}, {"service", "SmarterMail", "acl"}});
  REQUIRE(results.size() == 1);
  CHECK(results[0].status == "done");
  CHECK(f.restarted == std::vector<std::string>{"service SmarterMail"});
  REQUIRE(f.obs.events.size() == 2);
  CHECK(f.obs.events[1] == "after engine windows.service.restart ok");
}

TEST_CASE("restarts: a failed restart is reported and its outcome journaled", "[run][restarts]") {
  restart_fixture f(true);
  const auto results = f.run({{"service", "SmarterMail", "service"}});
  REQUIRE(results.size() == 1);
  CHECK(results[0].status == "failed");
  CHECK(results[0].message == "the service did not start");
  REQUIRE(f.obs.events.size() == 2);
  CHECK(f.obs.events[1] == "after engine windows.service.restart failed");
}

TEST_CASE("restarts: --no-restart, an interrupt and a missing method leave them pending or failed", "[run][restarts]") {
  restart_fixture f;
  restart_settings skip;
  skip.no_restart = true;
  skip.what = "the restored settings";
  auto results = f.run({{"service", "SmarterMail", "service"}}, skip);
  REQUIRE(results.size() == 1);
  CHECK(results[0].status == "pending");
  CHECK(results[0].message == "--no-restart: restart it yourself for the restored settings to take effect");

  const std::atomic<bool> stopped{true};
  restart_settings interrupted;
  interrupted.run_kind = "rollback";
  interrupted.cancel = &stopped;
  results = f.run({{"service", "SmarterMail", "service"}}, interrupted);
  CHECK(results.at(0).status == "pending");
  CHECK(results.at(0).message == "rollback interrupted before restarts");

  results = f.run({{"app_pool", "SmarterMail", "iis-identity"}});
  CHECK(results.at(0).status == "failed");
  CHECK(results.at(0).message == "no iis.app_pool.recycle on this target");
  CHECK(f.restarted.empty());
  CHECK(f.obs.events.empty());
}
