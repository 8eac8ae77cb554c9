// Every service maps a param of the wrong shape to invalid_params (not failed),
// through the one registration helper.
#include <catch2/catch.hpp>
#include <functional>
#include <string>

#include "run/access_guard.hpp"
#include "services/method_table.hpp"
#include "services/service.hpp"
#include "temp_dir.hpp"

using smharden::services::json;
using smharden::services::service_error;

namespace {

struct full_lab {
  smharden::test::temp_dir dir{"smharden-errors"};
  smharden::services::service_env env;
  smharden::services::service_list services;
  smharden::services::registry registry;

  full_lab() {
    smharden::services::init_lab(dir.path() / "lab");
    smharden::services::target t;
    t.kind = smharden::services::target_kind::lab;
    t.root = dir.path() / "lab";
    services = smharden::services::make_services(t, env);
    for (const auto& s : services) s->register_methods(registry);
    smharden::core::register_access_guard(registry, {{"192.0.2.0/24"}, false, {}});
  }

  // The error code of calling `method` with `params`, or "" when it succeeds.
  std::string code_of(const std::string& method, const json& params) {
    const auto* m = registry.find(method);
    REQUIRE(m != nullptr);
    try {
      m->invoke(params);
    } catch (const service_error& e) {
      return e.code();
    }
    return "";
  }
};

}  // namespace

TEST_CASE("a bad param is invalid_params in every service", "[services][errors]") {
  full_lab lab;
  // host: a parameter it does not take
  CHECK(lab.code_of("host.info", {{"verbose", true}}) == "invalid_params");
  CHECK(lab.code_of("host.info", json::object()).empty());
  // windows: a name that is not a string
  CHECK(lab.code_of("windows.user.get", {{"name", 5}}) == "invalid_params");
  // smartermail: an ip rule whose name is a number (a JSON type error inside the method)
  CHECK(lab.code_of("smartermail.admin.security.set", {{"username", "admin"},
                                                       {"restrict_login_by_ip", true},
                                                       {"ip_rules", {{{"name", 5}, {"ip", "10.0.0.1"}}}}}) ==
        "invalid_params");
  // iis: an ipSecurity entry whose address is a number (a JSON type error inside the method)
  CHECK(lab.code_of("iis.ip_security.set", {{"site", "SmarterMail"}, {"entries", {{{"ip_address", 5}}}}}) ==
        "invalid_params");
  // net: verify_tls that is not a boolean (fails before any request is made)
  CHECK(lab.code_of("net.http.probe", {{"url", "http://127.0.0.1:9/"}, {"verify_tls", "yes"}}) == "invalid_params");
  // guard (the run's): default that is neither allow nor deny
  CHECK(lab.code_of("guard.management_access.check", {{"allow", json::array()}, {"default", 3}}) == "invalid_params");
}

TEST_CASE("the registration helper keeps service errors and names the method in the others", "[services][errors]") {
  struct probe_target {
    std::function<json()> body;
  };
  static const smharden::services::method_entry<probe_target> table[] = {
      {"test.throws",
       smharden::services::access::read_only,
       "runs the body",
       {"–", "–", ""},
       [](probe_target& t, const json&) { return t.body(); }},
  };
  probe_target target;
  smharden::services::registry r;
  smharden::services::add_methods(r, target, table);
  const auto* m = r.find("test.throws");
  REQUIRE(m != nullptr);
  const auto error_of = [&](std::function<json()> body) -> std::pair<std::string, std::string> {
    target.body = std::move(body);
    try {
      m->invoke(json::object());
    } catch (const service_error& e) {
      return {e.code(), e.what()};
    }
    return {"", ""};
  };
  CHECK(error_of([]() -> json { throw service_error("conflict", "changed on disk"); }) ==
        std::pair<std::string, std::string>{"conflict", "changed on disk"});
  const auto type_error = error_of([] { return json(json{{"a", 1}}["a"].get<std::string>()); });
  CHECK(type_error.first == "invalid_params");
  CHECK_THAT(type_error.second, Catch::StartsWith("test.throws: "));
  const auto other = error_of([]() -> json { throw std::runtime_error("disk full"); });
  CHECK(other == std::pair<std::string, std::string>{"failed", "test.throws: disk full"});
}
