// What a hostile or broken SmarterMail server (or target.json) can send: numbers
// out of range, impossible dates, overrides of the wrong type. Each is refused
// with a service or profile error, never read as some other value.
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <string>

#include "base/errors.hpp"
#include "services/smartermail/api_backend.hpp"
#include "services/smartermail/rest_api.hpp"
#include "services/smartermail/settings_client.hpp"
#include "services/smartermail/smartermail_service.hpp"

using namespace smharden::services::smartermail;
using smharden::services::service_error;
using smharden::services::target;

namespace {

/// Answers every call of a route with a fixed body.
class canned_api final : public api_backend {
 public:
  explicit canned_api(std::map<std::string, json> answers) : answers_(std::move(answers)) {}
  std::string kind() const override { return "canned"; }
  json call(const std::string& route_key, const path_args&, const json&) override {
    const auto it = answers_.find(route_key);
    if (it == answers_.end()) throw service_error("not_found", route_key);
    return it->second;
  }

 private:
  std::map<std::string, json> answers_;
};

json ids_answer(const json& threshold) {
  return {{"rules", json::array({{{"id", "r1"}, {"type", 1}, {"occurencesBeforeTrigger", threshold}}})}};
}

json threshold_read_from(const json& threshold) {
  const route_map map = route_map::embedded();
  canned_api api({{"ids.rules.list", ids_answer(threshold)}});
  settings_client client(api, map);
  return client.ids_rules()["rules"][0]["threshold"];
}

target with_overrides(const json& smartermail) {
  target t;
  t.kind = smharden::services::target_kind::lab;
  t.root = "/labs/one";
  t.config = {{"smartermail", smartermail}};
  return t;
}

}  // namespace

TEST_CASE("whole numbers from the server keep their value or are refused", "[smartermail][input]") {
  CHECK(threshold_read_from(12) == 12);
  CHECK(threshold_read_from("12") == 12);
  CHECK(threshold_read_from(12.0) == 12);
  CHECK(threshold_read_from(nullptr) == 0);
  CHECK(threshold_read_from(-9223372036854775807LL - 1) == -9223372036854775807LL - 1);
  for (const json& bad :
       {json(1e300), json(-1e300), json(9223372036854775808.0), json(12.5), json(18446744073709551615ULL),
        json("99999999999999999999"), json("12abc"), json("x"), json::array({1}), json(true)}) {
    INFO(bad.dump());
    CHECK_THROWS_AS(threshold_read_from(bad), service_error);
  }
  CHECK_THROWS_WITH(threshold_read_from(1e300),
                    Catch::Contains("occurencesBeforeTrigger") && Catch::Contains("whole number"));
}

TEST_CASE("token expiry dates outside what the clock holds are no expiry", "[smartermail][input]") {
  using std::chrono::system_clock;
  const auto when = parse_iso8601("2026-01-08T12:34:56.789Z");
  REQUIRE(when);
  CHECK(system_clock::to_time_t(*when) == 1767875696);
  CHECK(parse_iso8601("2026-01-08T12:34:56+01:00"));
  // Past 2262 system_clock's nanoseconds overflow; seconds beyond any minute, hours beyond a day.
  CHECK_FALSE(parse_iso8601("9999-12-31T23:59:59Z"));
  CHECK_FALSE(parse_iso8601("2026-01-08T12:34:1e300Z"));
  CHECK_FALSE(parse_iso8601("2026-01-08T12:34:nanZ"));
  CHECK_FALSE(parse_iso8601("2026-13-08T12:34:56Z"));
  CHECK_FALSE(parse_iso8601("2026-01-08T99:34:56Z"));
  CHECK_FALSE(parse_iso8601("2026-01-08T12:34:56+99:00"));
  CHECK_FALSE(parse_iso8601("1969-12-31T23:59:59Z"));
}

TEST_CASE("route overrides of the wrong type are profile errors naming the pointer", "[smartermail][routes][input]") {
  CHECK_THROWS_WITH(route_map_for(with_overrides({{"routes", {{"ids.rules.list", {{"verified", "yes"}}}}}})),
                    Catch::Contains("/routes/ids.rules.list/verified"));
  CHECK_THROWS_WITH(route_map_for(with_overrides({{"fields", {{"ids_rule.threshold", {{"source", 7}}}}}})),
                    Catch::Contains("/fields/ids_rule.threshold/source"));
  CHECK_THROWS_AS(route_map_for(with_overrides({{"values", {{"allow_relay.nobody", {{"verified", 1}}}}}})),
                  smharden::core::profile_error);
}

TEST_CASE("route paths with broken or foreign placeholders are refused", "[smartermail][routes][input]") {
  for (const char* path : {"settings/{username", "settings/{}", "settings/{a{b}}", "settings/}x{"}) {
    INFO(path);
    CHECK_THROWS_WITH(route_map_for(with_overrides({{"routes", {{"admin.get", {{"path", path}}}}}})),
                      Catch::Contains("/routes/admin.get/path"));
  }
  // An override must keep the placeholders smharden fills in: {username} for admin.get, none for version.get.
  CHECK_THROWS_WITH(route_map_for(with_overrides({{"routes", {{"admin.get", {{"path", "admins/{name}"}}}}}})),
                    Catch::Contains("{username}"));
  CHECK_THROWS_WITH(route_map_for(with_overrides({{"routes", {{"version.get", {{"path", "v/{x}"}}}}}})),
                    Catch::Contains("none"));
  const route_map moved =
      route_map_for(with_overrides({{"routes", {{"admin.get", {{"path", "admins/{username}/x"}}}}}}));
  CHECK(moved.url_path(moved.get("admin.get"), {{"username", "a b"}}) == "/api/v1/admins/a%20b/x");

  json doc = route_map::embedded().document();
  doc["routes"]["version.get"]["path"] = "settings/{unclosed";
  CHECK_THROWS_WITH(route_map::from_json(doc, "routes.json"), Catch::Contains("/routes/version.get/path"));
}
