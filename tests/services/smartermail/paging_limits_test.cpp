// Paged SmarterMail lists (whitelist, IDS blocks) against a server whose
// totals are huge, hostile or inconsistent: the client neither loops nor
// allocates without bound, and the error names the route.
#include <catch2/catch.hpp>

#include "services/smartermail/settings_client.hpp"

using namespace smharden::services::smartermail;
using smharden::services::service_error;

namespace {

/// Answers every ip-access / blocked-ips page with `page` entries and `total` as the count.
class scripted_backend final : public api_backend {
 public:
  scripted_backend(json total, std::size_t page) : total_(std::move(total)), page_(page) {}
  std::string kind() const override { return "lab"; }
  json call(const std::string& route_key, const path_args& /*args*/, const json& /*body*/) override {
    ++calls;
    json list = json::array();
    for (std::size_t i = 0; i < page_; ++i) list.push_back({{"ip", "192.0.2." + std::to_string(i % 250)}});
    if (route_key == "ip_access.list") return {{"totalCount", total_}, {"ipAccessList", list}, {"success", true}};
    return {{"count", total_}, {"ipBlocks", list}, {"success", true}};
  }
  std::size_t calls = 0;

 private:
  json total_;
  std::size_t page_;
};

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const service_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a hostile totalCount is refused before any loop, naming the route", "[smartermail][input]") {
  const route_map map = route_map::embedded();
  for (const json& total : {json(1e18), json(-1), json(9223372036854775807LL), json(2000000)}) {
    INFO(total.dump());
    scripted_backend api(total, 1);
    settings_client client(api, map);
    const std::string m = error_of([&] { client.whitelist(); });
    CHECK(m.find("settings/sysadmin/ip-access/true") != std::string::npos);
    CHECK(m.find("totalCount") != std::string::npos);
    CHECK(api.calls == 1);
  }
}

TEST_CASE("totals that do not add up are an error, not an endless loop", "[smartermail][input]") {
  const route_map map = route_map::embedded();
  SECTION("empty pages before the total is reached") {
    scripted_backend api(json(500000), 0);
    settings_client client(api, map);
    const std::string m = error_of([&] { client.whitelist(); });
    CHECK(m.find("do not add up") != std::string::npos);
    CHECK(m.find("ip-access") != std::string::npos);
    CHECK(api.calls == 1);
  }
  SECTION("more entries than the total") {
    scripted_backend api(json(2), 5);
    settings_client client(api, map);
    CHECK(error_of([&] { client.ids_blocks(); }).find("settings/sysadmin/blocked-ips") != std::string::npos);
  }
  SECTION("a total the pages never reach within the page cap") {
    scripted_backend api(json(900000), 1);  // one entry per page: 900000 pages
    settings_client client(api, map);
    const std::string m = error_of([&] { client.ids_blocks(); });
    CHECK(m.find("pages") != std::string::npos);
    CHECK(api.calls == static_cast<std::size_t>(settings_client::max_pages));
  }
  SECTION("a consistent total is read in full") {
    scripted_backend api(json(3), 3);
    settings_client client(api, map);
    CHECK(client.whitelist()["entries"].size() == 3);
    CHECK(api.calls == 1);
  }
}
