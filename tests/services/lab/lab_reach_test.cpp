// lab.reach.http and lab.reach.smtp_relay over a whole fresh lab: each layer
// (bindings, Windows Firewall, IIS ipSecurity, SmarterMail login-by-IP, Allow
// Relay and the whitelist) changes the answer, and what the lab cannot decide
// is a failed answer that says so, never a pass.
#include <catch2/catch.hpp>

#include "service_lab.hpp"
#include "services/lab/lab_service.hpp"

using namespace smharden;
using json = nlohmann::json;

namespace {

/// Every service of a fresh lab, registered as a run registers them.
struct whole_lab : test::service_lab {
  services::service_list all;

  whole_lab() : service_lab("smharden-lab-reach") {
    services::init_lab(dir.path() / "lab");
    services::target t;
    t.kind = services::target_kind::lab;
    t.root = dir.path() / "lab";
    all = services::make_services(t, env);
    for (auto& s : all) s->register_methods(registry);
  }

  json http(const std::string& url, const std::string& from, json extra = json::object()) {
    extra["url"] = url;
    extra["from"] = from;
    return call("lab.reach.http", extra);
  }
  json relay(const std::string& from) { return call("lab.reach.smtp_relay", {{"from", from}}); }
  void firewall_rule(const std::string& name, const std::string& action, const std::string& port,
                     const std::string& remote) {
    call("windows.firewall.rules.set", {{"rule",
                                         {{"name", name},
                                          {"group", "smharden"},
                                          {"direction", "in"},
                                          {"action", action},
                                          {"protocol", "tcp"},
                                          {"local_ports", port},
                                          {"remote_addresses", remote}}}});
  }
};

}  // namespace

TEST_CASE("lab.reach.http: a fresh lab answers public webmail from anywhere, 127.0.0.1 only on the server",
          "[lab][reach]") {
  whole_lab lab;
  const json pub = lab.http("https://mail.example.test/", "192.0.2.200");
  INFO(pub.dump(2));
  CHECK(pub["ok"] == true);
  CHECK(pub["status"] == 200);
  CHECK(pub["site"] == "SmarterMail");
  CHECK(lab.http("http://mail.example.test:9998/", "2001:db8::200")["ok"] == true);

  const json local = lab.http("http://127.0.0.1:9998/", "192.0.2.200");
  CHECK(local["ok"] == false);
  CHECK(local["answered"] == false);
  CHECK_THAT(local["error"].get<std::string>(), Catch::Contains("only the server itself"));
  CHECK(lab.http("http://127.0.0.1:9998/", "127.0.0.1")["ok"] == true);

  // No site for that host on 443: HTTP.sys answers 400; nothing at all on 8443: no answer.
  const json other = lab.http("https://intranet.example.test/", "192.0.2.200");
  CHECK(other["status"] == 400);
  CHECK(other["ok"] == false);
  const json closed = lab.http("https://mail.example.test:8443/", "127.0.0.1");
  CHECK(closed["answered"] == false);
  CHECK_THAT(closed["error"].get<std::string>(), Catch::Contains("nothing listens"));
}

TEST_CASE("lab.reach.http: a loopback binding answers only the server", "[lab][reach]") {
  whole_lab lab;
  lab.call("iis.bindings.set", {{"site", "SmarterMail"},
                                {"bindings", {{{"protocol", "http"}, {"binding_information", "127.0.0.1:9998:"}}}}});
  CHECK(lab.http("http://127.0.0.1:9998/", "127.0.0.1")["ok"] == true);
  const json remote = lab.http("http://mail.example.test:9998/", "203.0.113.200");
  CHECK(remote["ok"] == false);
  CHECK_THAT(remote["error"].get<std::string>(), Catch::Contains("nothing listens"));
  // The public webmail host is gone as well: another site still has 443 for its own name.
  CHECK(lab.http("https://mail.example.test/", "203.0.113.200")["status"] == 400);
}

TEST_CASE("lab.reach.http: the Windows Firewall decides first, a block wins, loopback is not filtered",
          "[lab][reach]") {
  whole_lab lab;
  lab.firewall_rule("no-9998", "block", "9998", "192.0.2.0/24");
  const json blocked = lab.http("http://mail.example.test:9998/", "192.0.2.200");
  CHECK(blocked["ok"] == false);
  CHECK(blocked["answered"] == false);
  CHECK_THAT(blocked["error"].get<std::string>(), Catch::Contains("Windows Firewall drops TCP port 9998"));
  CHECK(lab.http("http://mail.example.test:9998/", "198.51.100.7")["ok"] == true);
  CHECK(lab.http("http://127.0.0.1:9998/", "127.0.0.1")["ok"] == true);

  // A rule the lab cannot resolve decides nothing: the answer fails and says why.
  lab.firewall_rule("subnet", "allow", "443", "LocalSubnet");
  const json unsure = lab.http("https://mail.example.test/", "198.51.100.7");
  CHECK(unsure["ok"] == false);
  CHECK_THAT(unsure["error"].get<std::string>(), Catch::Contains("the lab cannot decide"));
}

TEST_CASE("lab.reach.http: IIS ipSecurity answers with its deny action, first matching entry wins", "[lab][reach]") {
  whole_lab lab;
  lab.call("iis.ip_security.set",
           {{"site", "SmarterMail"},
            {"allow_unlisted", false},
            {"deny_action", "NotFound"},
            {"entries",
             {{{"ip_address", "203.0.113.66"}, {"allowed", false}},
              {{"ip_address", "203.0.113.0"}, {"subnet_mask", "255.255.255.0"}, {"allowed", true}},
              {{"ip_address", "127.0.0.1"}, {"allowed", true}}}}});
  CHECK(lab.http("https://mail.example.test/", "203.0.113.200")["ok"] == true);
  const json first = lab.http("https://mail.example.test/", "203.0.113.66");
  CHECK(first["status"] == 404);
  CHECK(first["ok"] == false);
  const json unlisted = lab.http("https://mail.example.test/", "192.0.2.200");
  CHECK(unlisted["status"] == 404);
  CHECK_THAT(unlisted["error"].get<std::string>(), Catch::Contains("denyAction NotFound"));
  CHECK(lab.http("https://mail.example.test/", "192.0.2.200", {{"expect_status", {200, 404}}})["ok"] == false);

  lab.call("iis.ip_security.set", {{"site", "SmarterMail"}, {"deny_action", "AbortRequest"}});
  const json dropped = lab.http("https://mail.example.test/", "192.0.2.200");
  CHECK(dropped["answered"] == false);
  CHECK(dropped["status"].is_null());
}

TEST_CASE("lab.reach.http: an administrator's login-by-IP decides the admin sign-in", "[lab][reach]") {
  whole_lab lab;
  const json login = {{"admin_login", true}};
  CHECK(lab.http("https://mail.example.test/", "192.0.2.200", login)["ok"] == true);
  lab.call("smartermail.admin.security.set", {{"username", "admin"},
                                              {"restrict_login_by_ip", true},
                                              {"ip_rules", {{{"name", "office"}, {"ip", "203.0.113.0/24"}}}}});
  CHECK(lab.http("https://mail.example.test/", "203.0.113.200", login)["ok"] == true);
  const json outside = lab.http("https://mail.example.test/", "192.0.2.200", login);
  CHECK(outside["ok"] == false);
  CHECK(outside["status"] == 200);  // the login page answers; the sign-in is refused
  CHECK_THAT(outside["error"].get<std::string>(), Catch::Contains("refuses administrator admin's sign-in"));
  // Without admin_login the page itself is all that is asked.
  CHECK(lab.http("https://mail.example.test/", "192.0.2.200")["ok"] == true);
  CHECK(lab.http("https://mail.example.test/", "192.0.2.200", {{"admin_login", true}, {"admin", "nobody"}})["ok"] ==
        false);
}

TEST_CASE("lab.reach.smtp_relay: Allow Relay and the whitelist's SMTP auth bypass", "[lab][reach]") {
  whole_lab lab;
  // A fresh lab relays for its local domains: who may relay without authentication is unknown.
  const json fresh = lab.relay("198.51.100.10");
  CHECK(fresh["ok"] == false);
  CHECK_THAT(fresh["error"].get<std::string>(), Catch::Contains("the lab cannot decide"));

  lab.call("smartermail.relay.set", {{"allow_relay", "nobody"}});
  lab.call("smartermail.whitelist.set",
           {{"upsert",
             {{{"ip", "198.51.100.10"}, {"description", "CRM"}, {"services", {"smtp"}}, {"smtp_auth_bypass", true}}}}});
  const json app = lab.relay("198.51.100.10");
  INFO(app.dump(2));
  CHECK(app["ok"] == true);
  const json stranger = lab.relay("192.0.2.200");
  CHECK(stranger["ok"] == false);
  CHECK_THAT(stranger["error"].get<std::string>(), Catch::Contains("makes 192.0.2.200 authenticate"));

  lab.firewall_rule("no-smtp", "block", "25", "198.51.100.0/24");
  CHECK_THAT(lab.relay("198.51.100.10")["error"].get<std::string>(), Catch::Contains("drops TCP port 25"));

  lab.call("smartermail.relay.set", {{"allow_relay", "anyone"}});
  CHECK(lab.relay("192.0.2.200")["ok"] == true);
}

TEST_CASE("lab.reach.*: bad params are refused", "[lab][reach]") {
  whole_lab lab;
  CHECK_THROWS_AS(lab.http("https://mail.example.test/", "192.0.2.0/24"), services::service_error);
  CHECK_THROWS_AS(lab.http("ftp://mail.example.test/", "192.0.2.1"), services::service_error);
  CHECK_THROWS_AS(lab.relay("mail.example.test"), services::service_error);
}

TEST_CASE("the lab service exists only on a lab target", "[lab][reach]") {
  services::service_env env;
  services::target local;
  local.kind = services::target_kind::offline;
  local.root = "/nonexistent";
  CHECK(services::make_lab_service(local, env) == nullptr);
}

TEST_CASE("iis.bindings.on_port: every site's bindings on one port, nothing else", "[lab][reach][iis]") {
  whole_lab lab;
  const json on443 = lab.call("iis.bindings.on_port", {{"port", 443}});
  CHECK(on443["bindings"] ==
        json({{{"site", "mysite.tbd"}, {"protocol", "https"}, {"binding_information", "*:443:mysite.tbd"}},
              {{"site", "SmarterMail"}, {"protocol", "https"}, {"binding_information", "*:443:mail.example.test"}}}));
  CHECK(lab.call("iis.bindings.on_port", {{"port", 9998}})["bindings"].size() == 1);
  CHECK(lab.call("iis.bindings.on_port", {{"port", 8443}})["bindings"].empty());
  CHECK_THROWS_AS(lab.call("iis.bindings.on_port", {{"port", 70000}}), services::service_error);
  CHECK_THROWS_AS(lab.call("iis.bindings.on_port", {{"port", "443"}}), services::service_error);
}
