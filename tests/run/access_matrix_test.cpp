// guard.access.check and the access matrix: which audience loses which
// surface, when an apply refuses, and what the matrix shows before -> after.
#include <catch2/catch.hpp>

#include "run/access_guard.hpp"
#include "run/access_matrix.hpp"
#include "services/service_registry.hpp"

using json = nlohmann::json;
using smharden::core::access_guard_settings;
using smharden::core::access_matrix;
using smharden::core::check_surface_access;

namespace {

const json audiences = {{"management", {"203.0.113.0/24"}},
                        {"webmail_users", {"0.0.0.0/0", "::/0"}},
                        {"mail_clients", json::array()},
                        {"relay_apps", {{{"address", "198.51.100.10"}, {"name", "CRM"}}}}};

json surfaces(const json& before, const json& after, std::initializer_list<const char*> names) {
  json out = json::object();
  for (const char* n : names) out[n] = {{"before", before}, {"after", after}};
  return {{"step", "iis-bindings"}, {"surfaces", out}};
}

const json everyone = {{"default", "allow"}};
const json loopback_only = {{"allow", {"127.0.0.1", "::1"}}, {"default", "deny"}};

std::string cell(const json& matrix, const std::string& audience, const std::string& surface) {
  for (const json& c : matrix["cells"]) {
    if (c["audience"] == audience && c["surface"] == surface) {
      return c["before"].get<std::string>() + "->" + c["after"].get<std::string>();
    }
  }
  return "absent";
}

}  // namespace

TEST_CASE("access guard: an apply that takes webmail from the webmail users is refused, naming them", "[access]") {
  access_matrix matrix(audiences);
  access_guard_settings s;
  s.enforce = true;
  const json r = check_surface_access(surfaces(everyone, loopback_only, {"webmail", "port_9998"}), matrix, s);
  CHECK(r["ok"] == false);
  REQUIRE(r["losses"].size() == 1);
  CHECK(r["losses"][0]["audience"] == "webmail_users");
  CHECK(r["losses"][0]["surface"] == "webmail");
  CHECK(r["losses"][0]["ranges"] == json({"0.0.0.0/0", "::/0"}));
  const std::string message = r["message"];
  CHECK_THAT(message, Catch::StartsWith("refused: step iis-bindings would take webmail from webmail_users"));
  CHECK_THAT(message, Catch::Contains("--allow-access-change"));
  // port_9998 is not a surface the webmail users need: its loss is in the matrix, not a refusal.
  const json m = matrix.to_json();
  CHECK(m["audiences"] == json({"management", "webmail_users", "relay_apps"}));  // mail_clients not declared
  CHECK(cell(m, "webmail_users", "webmail") == "yes->no");
  CHECK(cell(m, "webmail_users", "port_9998") == "yes->no");
  CHECK(cell(m, "management", "admin_login") == "unknown->unknown");  // no layer spoke for it
  CHECK(cell(m, "relay_apps", "smtp_relay") == "unknown->unknown");
}

TEST_CASE("access guard: --allow-access-change lets it go on and records it, check only notes it", "[access]") {
  std::vector<std::string> overrides, notices;
  access_matrix matrix(audiences);
  access_guard_settings s;
  s.enforce = true;
  s.allow_access_change = true;
  s.record_override = [&](const std::string& w) { overrides.push_back(w); };
  const json r = check_surface_access(surfaces(everyone, loopback_only, {"webmail"}), matrix, s);
  CHECK(r["ok"] == true);
  CHECK(r["overridden"] == true);
  REQUIRE(overrides.size() == 1);
  CHECK_THAT(overrides[0], Catch::StartsWith("access guard overridden by --allow-access-change: step iis-bindings"));

  access_guard_settings check_mode;
  check_mode.notice = [&](const std::string& w) { notices.push_back(w); };
  const json c = check_surface_access(surfaces(everyone, loopback_only, {"webmail"}), matrix, check_mode);
  CHECK(c["ok"] == true);
  REQUIRE(notices.size() == 1);
  CHECK_THAT(notices[0], Catch::StartsWith("apply would refuse: step iis-bindings would take webmail"));
}

TEST_CASE("access guard: management keeps admin login when the rules allow it, loses it otherwise", "[access]") {
  access_matrix matrix(audiences);
  access_guard_settings s;
  s.enforce = true;
  const json keep = {{"allow", {"203.0.113.0/24"}}, {"default", "deny"}};
  json req = surfaces(everyone, keep, {"admin_login"});
  req["step"] = "sm-admin";
  CHECK(check_surface_access(req, matrix, s)["ok"] == true);
  CHECK(cell(matrix.to_json(), "management", "admin_login") == "yes->yes");
  CHECK(cell(matrix.to_json(), "webmail_users", "admin_login") == "yes->no");

  const json cut = {{"allow", {"203.0.113.0/25"}}, {"default", "deny"}};
  req["surfaces"]["admin_login"]["after"] = cut;
  req["step"] = "other";
  const json r = check_surface_access(req, matrix, s);
  CHECK(r["ok"] == false);
  CHECK(r["losses"][0]["ranges"] == json({"203.0.113.0/24"}));
  // --allow-lockout-risk overrides a loss of the management audience only.
  s.allow_lockout_risk = true;
  CHECK(check_surface_access(req, matrix, s)["overridden"] == true);
  CHECK(check_surface_access(surfaces(everyone, loopback_only, {"webmail"}), matrix, s)["ok"] == false);
}

TEST_CASE("access matrix: layers combine, the first before stays, unknown is never yes", "[access]") {
  access_matrix matrix(audiences);
  access_guard_settings s;
  s.enforce = true;
  json a = surfaces(everyone, everyone, {"webmail"});
  check_surface_access(a, matrix, s);
  CHECK(cell(matrix.to_json(), "webmail_users", "webmail") == "yes->yes");
  json b = surfaces(everyone, {{"unknown", "a domain entry"}}, {"webmail"});
  b["step"] = "iis-ip";
  const json r = check_surface_access(b, matrix, s);
  CHECK(r["ok"] == false);  // nothing proves the webmail users keep it
  CHECK(cell(matrix.to_json(), "webmail_users", "webmail") == "yes->unknown");
  // The verify after an apply records the new state as both before and after: the first before stays
  // ("yes", not the new "no"), and the layer's "no" decides over the other layer's "unknown".
  check_surface_access(surfaces(loopback_only, loopback_only, {"webmail"}), matrix, s);
  CHECK(cell(matrix.to_json(), "webmail_users", "webmail") == "yes->no");
}

TEST_CASE("access guard: bad params are errors naming the place", "[access]") {
  access_matrix matrix(audiences);
  access_guard_settings s;
  using smharden::services::service_error;
  CHECK_THROWS_AS(check_surface_access(json::object(), matrix, s), service_error);
  const json imap = {{"step", "x"}, {"surfaces", {{"imap", {{"before", everyone}, {"after", everyone}}}}}};
  CHECK_THROWS_WITH(check_surface_access(imap, matrix, s), Catch::Contains("surfaces/imap: not a surface"));
  json no_after = {{"step", "x"}, {"surfaces", {{"webmail", {{"before", everyone}}}}}};
  CHECK_THROWS_WITH(check_surface_access(no_after, matrix, s), Catch::Contains("\"after\" is missing"));
  json no_step = {{"surfaces", json::object()}};
  CHECK_THROWS_WITH(check_surface_access(no_step, matrix, s), Catch::Contains("\"step\" is missing"));
}
