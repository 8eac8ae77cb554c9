#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "base/atomic_file.hpp"
#include "base/errors.hpp"
#include "service_lab.hpp"
#include "services/smartermail/smartermail_service.hpp"

namespace fs = std::filesystem;
using namespace smharden::services;
using json = nlohmann::json;

namespace {

/// A fresh SmarterMail lab and the smartermail service over it.
struct lab_fixture : smharden::test::service_lab {
  target t;

  lab_fixture() : service_lab("smharden-sm"), t(make_target(target_kind::lab)) {
    seed_smartermail_lab(dir.path());
    attach(make_smartermail_service(t, env));
  }
  json file(const std::string& name) {
    return json::parse(smharden::util::read_file(dir.path() / "smartermail" / (name + ".json")));
  }
};

}  // namespace

TEST_CASE("a fresh lab holds a relaxed SmarterMail install in the API's shapes", "[smartermail][lab]") {
  lab_fixture f;
  CHECK(f.call("smartermail.version.get")["build"] == "100.0.9400");
  const json admins = f.call("smartermail.admins.list")["admins"];
  REQUIRE(admins.size() == 1);
  CHECK(admins[0]["username"] == "admin");
  CHECK(admins[0]["primary"] == true);
  CHECK(admins[0]["two_factor"] == false);
  CHECK(admins[0]["restrict_login_by_ip"] == false);
  CHECK(f.call("smartermail.relay.get")["allow_relay"] == "local_domains");
  const json rules = f.call("smartermail.ids.rules.get")["rules"];
  const auto bf = std::find_if(rules.begin(), rules.end(), [](const json& r) {
    return r["type"] == "password_brute_force_by_ip" && r["action"] == "block";
  });
  REQUIRE(bf != rules.end());
  CHECK((*bf)["threshold"] == 25);  // relaxed compared with the guide's 5
  CHECK(f.call("smartermail.extensions.get")["inbound"].size() > 0);
  const json white = f.call("smartermail.whitelist.get")["entries"];
  CHECK(std::any_of(white.begin(), white.end(), [](const json& e) { return e["smtp_auth_bypass"] == true; }));
  // The files use the API's names, not smharden's.
  CHECK(f.file("administrators")["admins"][0].contains("isPrimaryAdmin"));
  CHECK(f.file("ip-access-whitelist").contains("ipAccessList"));
  CHECK(f.file("smtp-in")["settings"].contains("allowRelay"));
  CHECK(f.file("version")["version"] == "100.0.9400");
}

TEST_CASE("every mutating smartermail method has an undo that restores the snapshot", "[smartermail][lab]") {
  lab_fixture f;
  const auto replay = [&](const undo_record& u) {
    for (const auto& c : u.calls) f.call(c["method"].get<std::string>(), c["params"]);
  };

  SECTION("relay") {
    const undo_record u = f.undo("smartermail.relay.set", {{"allow_relay", "nobody"}});
    CHECK(f.call("smartermail.relay.set", {{"allow_relay", "nobody"}})["changed"] == true);
    CHECK(f.call("smartermail.relay.get")["allow_relay"] == "nobody");
    CHECK(f.file("smtp-in")["settings"]["allowRelay"] == 0);
    CHECK(f.call("smartermail.relay.set", {{"allow_relay", "nobody"}})["changed"] == false);
    replay(u);
    CHECK(f.call("smartermail.relay.get")["allow_relay"] == "local_domains");
  }
  SECTION("admin security") {
    const json p = {{"username", "admin"},
                    {"restrict_login_by_ip", true},
                    {"ip_rules", {{{"name", "office"}, {"ip", "192.0.2.0/24"}}}}};
    const undo_record u = f.undo("smartermail.admin.security.set", p);
    CHECK(f.call("smartermail.admin.security.set", p)["changed"] == true);
    const json a = f.call("smartermail.admin.security.get", {{"username", "admin"}});
    CHECK(a["restrict_login_by_ip"] == true);
    CHECK(a["ip_rules"][0]["ip"] == "192.0.2.0/24");
    replay(u);
    CHECK(f.call("smartermail.admin.security.get", {{"username", "admin"}})["restrict_login_by_ip"] == false);
    CHECK_THROWS_AS(f.call("smartermail.admin.security.get", {{"username", "nobody"}}), service_error);
  }
  SECTION("IDS rules: edit, add, delete, and back") {
    const json before = f.call("smartermail.ids.rules.get")["rules"];
    json rules = before;
    rules[1]["threshold"] = 5;
    rules.erase(rules.size() - 1);
    rules.push_back({{"type", "internal_spammer"},
                     {"action", "block"},
                     {"time_frame_minutes", 10},
                     {"threshold", 100},
                     {"block_minutes", 60},
                     {"service", "Smtp"},
                     {"description", "new"}});
    const undo_record u = f.undo("smartermail.ids.rules.set", {{"rules", rules}});
    CHECK(f.call("smartermail.ids.rules.set", {{"rules", rules}})["changed"] == true);
    const json after = f.call("smartermail.ids.rules.get")["rules"];
    CHECK(after.size() == before.size());
    CHECK(after[1]["threshold"] == 5);
    CHECK(after.back()["type"] == "internal_spammer");
    replay(u);
    json restored = f.call("smartermail.ids.rules.get")["rules"];
    std::multiset<std::string> a, b;
    for (auto r : before) a.insert((r.erase("id"), r).dump());
    for (auto r : restored) b.insert((r.erase("id"), r).dump());
    CHECK(a == b);
  }
  SECTION("extensions") {
    const undo_record u = f.undo("smartermail.extensions.set", {{"outbound", {".exe", "BAT"}}});
    CHECK(f.call("smartermail.extensions.set", {{"outbound", {".exe", "BAT"}}})["changed"] == true);
    CHECK(f.call("smartermail.extensions.get")["outbound"] == json({".exe", ".bat"}));
    CHECK(f.file("extension-blacklists")["settings"]["outboundBlacklist"] == json({"exe", "bat"}));
    CHECK(f.call("smartermail.extensions.set", {{"outbound", {"bat", "exe"}}})["changed"] == false);
    replay(u);
    CHECK(f.call("smartermail.extensions.get")["outbound"].empty());
    CHECK_THROWS_AS(f.call("smartermail.extensions.set", {{"attachments", json::array()}}), service_error);
  }
  SECTION("whitelist") {
    const json p = {{"upsert",
                     {{{"ip", "203.0.113.25"}, {"smtp_auth_bypass", false}},
                      {{"ip", "192.0.2.7"}, {"description", "new"}, {"services", {"smtp"}}}}},
                    {"remove", {"198.51.100.0/28"}}};
    const undo_record u = f.undo("smartermail.whitelist.set", p);
    const json r = f.call("smartermail.whitelist.set", p);
    CHECK(r["changed"] == true);
    CHECK(r["saved"] == 2);
    CHECK(r["removed"] == 1);
    json entries = f.call("smartermail.whitelist.get")["entries"];
    const auto find = [&](const std::string& ip) {
      return std::find_if(entries.begin(), entries.end(), [&](const json& e) { return e["ip"] == ip; });
    };
    REQUIRE(find("203.0.113.25") != entries.end());
    CHECK((*find("203.0.113.25"))["smtp_auth_bypass"] == false);
    CHECK((*find("203.0.113.25"))["description"] == "Old scanner relay");  // untouched fields kept
    CHECK(find("192.0.2.7") != entries.end());
    CHECK(find("198.51.100.0/28") == entries.end());
    replay(u);
    entries = f.call("smartermail.whitelist.get")["entries"];
    CHECK((*find("203.0.113.25"))["smtp_auth_bypass"] == true);
    CHECK(find("192.0.2.7") == entries.end());
    CHECK(find("198.51.100.0/28") != entries.end());
  }
  // The engine is told before each lab file is first written, once per file.
  std::set<fs::path> unique(f.announced.begin(), f.announced.end());
  CHECK(unique.size() == f.announced.size());
}

TEST_CASE("read-only methods are declared read-only", "[smartermail][lab]") {
  lab_fixture f;
  for (const method* m : f.registry.all()) {
    INFO(m->name);
    const auto ends_with = [&](const std::string& suffix) {
      return m->name.size() > suffix.size() &&
             m->name.compare(m->name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    const bool writes = ends_with(".set") || ends_with(".unblock");  // the verbs of the mutating methods
    CHECK((m->kind == access::mutating) == writes);
  }
}

TEST_CASE("the probe reports every mapped route on a lab", "[smartermail][lab][probe]") {
  lab_fixture f;
  const json report = probe_routes(f.t, f.env);
  CHECK(report["backend"] == "lab");
  CHECK(report["build"] == "100.0.9400");
  int probed = 0;
  for (const auto& row : report["routes"]) {
    if (row["probed"] == true && row["route"].get<std::string>().rfind("auth.", 0) != 0) {
      ++probed;
      INFO(row.dump());
      CHECK(row["answered"] == true);
      CHECK(row["shape_ok"] == true);
    }
  }
  CHECK(probed == 8);
}

TEST_CASE("smartermail target settings are validated with a clear message", "[smartermail][config]") {
  target t;
  t.kind = target_kind::local;
  service_env env;
  t.config = {{"smartermail", {{"url", "http://mail.example.com"}}}};
  CHECK_THROWS_WITH(make_smartermail_service(t, env),
                    Catch::Contains("/smartermail/url") && Catch::Contains("https://"));
  t.config = {{"smartermail", {{"url", "https://mail.example.com"}, {"passwrd", "x"}}}};
  CHECK_THROWS_WITH(make_smartermail_service(t, env), Catch::Contains("/smartermail/passwrd"));
  t.config = {{"smartermail", {{"url", "https://mail.example.com"}, {"pin_sha256", "abc"}}}};
  CHECK_THROWS_WITH(make_smartermail_service(t, env), Catch::Contains("pin_sha256"));
  t.config = {{"smartermail", {{"url", "https://mail.example.com"}, {"ca_file", "/no/such/ca.pem"}}}};
  CHECK_THROWS_WITH(make_smartermail_service(t, env), Catch::Contains("ca_file"));
  t.config = {{"smartermail", {{"url", "http://127.0.0.1:9998"}}}};
  CHECK_NOTHROW(make_smartermail_service(t, env));  // loopback may be plain http; nothing is sent yet
}
