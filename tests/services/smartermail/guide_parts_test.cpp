// The guide's SmarterMail parts over the rest backend and the emulator: relay
// apps whitelisted with SMTP Auth Bypass, management whitelisted with the
// Brute Force bypass, both undone by their undo records; IDS blocks lifted.
#include <catch2/catch.hpp>

#include <map>

#include "emulator.hpp"
#include "services/smartermail/rest_api.hpp"
#include "services/smartermail/smartermail_service.hpp"
#include "sm-ids/ids_whitelist.hpp"
#include "sm-relay/relay_policy.hpp"

using namespace smharden::services;
using namespace smharden::services::smartermail;
using smharden::testing::sm_emulator;

namespace {

struct rest_client {
  std::unique_ptr<smartermail_service> svc;
  registry reg;

  explicit rest_client(const std::string& url) {
    transport_options tls;
    tls.timeout = std::chrono::milliseconds(5000);
    rest_options o;
    o.base_url = url;
    auto backend = std::make_unique<rest_api>(
        route_map::embedded(), o, make_native_transport(tls),
        [](const std::string& name) -> std::optional<std::string> {
          if (name == "smartermail_username") return "admin";
          if (name == "smartermail_password") return "pw-123456";
          return std::nullopt;
        },
        [](const std::string&) {});
    svc = std::make_unique<smartermail_service>(std::move(backend), route_map::embedded());
    svc->register_methods(reg);
  }
  json call(const std::string& name, const json& params = json::object()) { return reg.find(name)->invoke(params); }
  /// Replays the undo record of `name` computed before the call, as rollback would.
  void undo(const undo_record& u) {
    for (const auto& c : u.calls) call(c["method"].get<std::string>(), c["params"]);
  }
};

json entry_of(const json& whitelist, const std::string& ip) {
  for (const auto& e : whitelist["entries"]) {
    if (e["ip"] == ip) return e;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("rest: relay apps get an SMTP Auth Bypass entry, undone by its undo record", "[smartermail][rest]") {
  sm_emulator emu;
  emu.add_account("admin", "pw-123456");
  rest_client c(emu.base_url());
  const json apps = {{{"address", "198.51.100.10"}, {"name", "CRM"}}};
  const auto p = smharden::sm_relay::make_plan(c.call("smartermail.relay.get"), c.call("smartermail.whitelist.get"),
                                               json::object(), apps);
  REQUIRE(p.whitelist_upserts.size() == 1);
  const json params = {{"upsert", p.whitelist_upserts}};
  const undo_record u = c.reg.find("smartermail.whitelist.set")->undo(params);
  CHECK(c.call("smartermail.whitelist.set", params)["changed"] == true);
  const json added = entry_of(c.call("smartermail.whitelist.get"), "198.51.100.10");
  REQUIRE(added.is_object());
  CHECK(added["smtp_auth_bypass"] == true);
  CHECK(added["services"] == json({"smtp"}));
  // Compliant now; the old scanner entry still bypasses auth and is reported.
  const auto again = smharden::sm_relay::make_plan({{"allow_relay", "nobody"}}, c.call("smartermail.whitelist.get"),
                                                   json::object(), apps);
  CHECK(again.whitelist_upserts.empty());
  CHECK(std::any_of(again.findings.begin(), again.findings.end(),
                    [](const auto& f) { return f.id == "relay-closed-bypass-open"; }));
  c.undo(u);
  CHECK(entry_of(c.call("smartermail.whitelist.get"), "198.51.100.10").is_null());
}

TEST_CASE("rest: management gets the Brute Force bypass where entries carry the field", "[smartermail][rest]") {
  sm_emulator emu;
  emu.add_account("admin", "pw-123456");
  rest_client c(emu.base_url());
  const json audiences = {{"management", {"203.0.113.0/24", "10.1.0.0/16", "0.0.0.0/0"}},
                          {"relay_apps", {{{"address", "198.51.100.0/28"}, {"name", "partner"}}}}};
  const auto p = smharden::sm_ids::make_whitelist_plan(c.call("smartermail.whitelist.get"), audiences);
  // 10.1.0.0/16 is internal (never blocked); 0.0.0.0/0 is refused as too wide.
  REQUIRE(p.upserts.size() == 2);
  CHECK(p.upserts[0] == json({{"ip", "203.0.113.0/24"},
                              {"description", "smharden management"},
                              {"services", json::array()},
                              {"brute_force_bypass", true}}));
  CHECK(p.upserts[1] == json({{"ip", "198.51.100.0/28"}, {"brute_force_bypass", true}}));  // the existing entry
  CHECK(std::any_of(p.findings.begin(), p.findings.end(),
                    [](const auto& f) { return f.id == "brute-force-bypass:0.0.0.0/0" && !f.automated; }));
  const json params = {{"upsert", p.upserts}};
  const undo_record u = c.reg.find("smartermail.whitelist.set")->undo(params);
  c.call("smartermail.whitelist.set", params);
  const json after = c.call("smartermail.whitelist.get");
  CHECK(entry_of(after, "198.51.100.0/28")["brute_force_bypass"] == true);
  CHECK(entry_of(after, "198.51.100.0/28")["spam_bypass"] == true);  // other fields kept
  CHECK(smharden::sm_ids::make_whitelist_plan(after, audiences).upserts.empty());
  c.undo(u);
  const json undone = c.call("smartermail.whitelist.get");
  CHECK(entry_of(undone, "203.0.113.0/24").is_null());
  CHECK(entry_of(undone, "198.51.100.0/28")["brute_force_bypass"] == false);
}

TEST_CASE("a server whose entries lack the Brute Force field gets a manual finding, no write",
          "[smartermail][policy]") {
  const json white = {{"entries", {{{"ip", "127.0.0.1"}, {"brute_force_bypass", nullptr}}}}};
  const auto p = smharden::sm_ids::make_whitelist_plan(white, {{"management", {"203.0.113.7"}}});
  CHECK(p.upserts.empty());
  REQUIRE(p.findings.size() == 1);
  CHECK_FALSE(p.findings[0].automated);
  CHECK(p.findings[0].remediation.find("Brute Force") != std::string::npos);
}

TEST_CASE("rest: unblock lifts every IDS block of one address through blocked-ips / unblock-ips",
          "[smartermail][rest]") {
  sm_emulator emu;
  emu.add_account("admin", "pw-123456");
  emu.with_state([](lab_store& s) {
    s.document("ids-blocks")["ipBlocks"] = {
        {{"ip", "203.0.113.50"}, {"blockType", "BruteForce"}, {"protocol", "Smtp"}, {"ruleDescription", "r1"}},
        {{"ip", "203.0.113.50"}, {"blockType", "DOS"}, {"protocol", "Imap"}, {"ruleDescription", "r2"}},
        {{"ip", "203.0.113.51"}, {"blockType", "BruteForce"}, {"protocol", "Smtp"}, {"ruleDescription", "r3"}}};
  });
  rest_client c(emu.base_url());
  CHECK(c.call("smartermail.ids.blocks.get")["blocks"].size() == 3);
  const json result = c.call("smartermail.ids.unblock", {{"address", "203.0.113.50"}});
  CHECK(result["changed"] == true);
  CHECK(result["lifted"].size() == 2);
  CHECK(emu.count("ids.blocks.unblock") == 1);
  const json left = c.call("smartermail.ids.blocks.get")["blocks"];
  REQUIRE(left.size() == 1);
  CHECK(left[0]["ip"] == "203.0.113.51");
  CHECK(c.call("smartermail.ids.unblock", {{"address", "203.0.113.50"}})["changed"] == false);
  CHECK(emu.count("ids.blocks.unblock") == 1);
  CHECK_THROWS_WITH(c.call("smartermail.ids.unblock", {{"address", "203.0.113.0/24"}}),
                    Catch::Contains("not one IP address"));
  // A server that accepts the unblock and keeps the block is caught by the read-back.
  emu.inject("ids.blocks.unblock", smharden::testing::fault::drop_body);
  CHECK_THROWS_WITH(c.call("smartermail.ids.unblock", {{"address", "203.0.113.51"}}), Catch::Contains("still lists"));
}

TEST_CASE("rest: the probe reads the server's API reference and reports per route what it documents",
          "[smartermail][rest][probe]") {
  sm_emulator emu;
  emu.add_account("admin", "pw-123456");
  // The index names the IP access routes with their fields; the controller page names the IDS block
  // routes but not every field, and nothing names the (unpublished) IDS rule routes.
  emu.set_documentation("/Documentation/api",
                        "<h2>POST /api/v1/settings/sysadmin/ip-access/{whitelist}</h2> showHoneypot searchParams "
                        "skip take search sortField sortDescending totalCount ipAccessList ip description smtp pop "
                        "imap xmpp disabledGreylisting bypass spam_bypass bruteForceBypass");
  emu.set_documentation("/Documentation/detail/SmarterMail.Web.Api.SystemAdminSettingsController",
                        "<pre>settings/sysadmin/blocked-ips: search sortType ascending startindex count ipBlocks ip "
                        "blockType protocol ruleDescription</pre>");
  rest_client c(emu.base_url());
  const json report = probe(c.svc->api(), c.svc->routes());
  CHECK(report["documentation"]["available"] == true);
  CHECK(report["documentation"]["pages"].size() == 2);
  std::map<std::string, json> rows;
  for (const auto& row : report["routes"]) rows[row["route"].get<std::string>()] = row;
  CHECK(rows["ip_access.list"]["documented"]["route"] == true);
  CHECK(rows["ip_access.list"]["documented"]["fields_missing"] == json::array());
  CHECK(rows["ids.blocks.list"]["documented"]["route"] == true);
  CHECK(rows["ids.blocks.list"]["documented"]["fields_missing"] == json({"secondsLeftOnBlock"}));
  CHECK(rows["ids.rules.list"]["documented"]["route"] == false);
  CHECK(report["summary"]["documented_routes"] == 1);
  CHECK(emu.count("documentation") == 2);
}

TEST_CASE("rest: a server without the reference pages leaves the probe's route checks intact",
          "[smartermail][rest][probe]") {
  sm_emulator emu;
  emu.add_account("admin", "pw-123456");
  rest_client c(emu.base_url());
  const json report = probe(c.svc->api(), c.svc->routes());
  CHECK(report["documentation"]["available"] == false);
  CHECK(report["documentation"]["pages"][0]["error"].get<std::string>().find("404") != std::string::npos);
  CHECK(report["summary"]["shape_ok"].get<int>() > 0);
  for (const auto& row : report["routes"]) CHECK_FALSE(row.contains("documented"));
}
