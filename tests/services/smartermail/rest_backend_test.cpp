// The rest backend against the emulator over real HTTP(S) on 127.0.0.1.
#include <catch2/catch.hpp>

#include <filesystem>

#include "emulator.hpp"
#include "services/smartermail/rest_api.hpp"
#include "services/smartermail/smartermail_service.hpp"
#include "services/smartermail/totp.hpp"
#include "sm-admin/admin_policy.hpp"
#include "sm-extensions/extensions_policy.hpp"
#include "sm-ids/ids_policy.hpp"
#include "sm-relay/relay_policy.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace smharden::services;
using namespace smharden::services::smartermail;
using smharden::testing::emulator_options;
using smharden::testing::fault;
using smharden::testing::sm_emulator;
using smharden::testing::two_factor_style;

namespace {

const char* const password = "s3cret-Pa55";
const char* const seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// One run against the emulator: a rest_api, the service over it, its methods.
struct client {
  rest_api* api = nullptr;
  std::unique_ptr<smartermail_service> svc;
  registry reg;
  std::vector<std::string> log;

  client(const std::string& url, std::map<std::string, std::string> secrets, transport_options tls = {},
         std::function<std::chrono::system_clock::time_point()> clock = {}) {
    tls.timeout = std::chrono::milliseconds(5000);
    tls.connect_timeout = std::chrono::milliseconds(2000);
    rest_options o;
    o.base_url = url;
    o.backoff = std::chrono::milliseconds(1);
    if (clock) o.clock = std::move(clock);
    auto backend = std::make_unique<rest_api>(
        route_map::embedded(), o, make_native_transport(tls),
        [secrets](const std::string& name) -> std::optional<std::string> {
          const auto it = secrets.find(name);
          return it == secrets.end() ? std::nullopt : std::optional<std::string>(it->second);
        },
        [this](const std::string& line) { log.push_back(line); });
    api = backend.get();
    svc = std::make_unique<smartermail_service>(std::move(backend), route_map::embedded());
    svc->register_methods(reg);
  }
  json call(const std::string& name, const json& params = json::object()) { return reg.find(name)->invoke(params); }
};

std::map<std::string, std::string> admin_secrets() {
  return {{"smartermail_username", "admin"}, {"smartermail_password", password}};
}

std::size_t writes(const sm_emulator& emu) {
  std::size_t n = 0;
  for (const char* w : {"admin.save", "ids.rule.save", "ids.rule.delete", "extensions.save", "relay.save",
                        "ip_access.save", "ip_access.delete"}) {
    n += emu.count(w);
  }
  return n;
}

/// The four sm steps' check: every finding the policies report (2FA aside).
std::vector<std::string> check_all(client& c, const json& mgmt) {
  std::vector<std::string> ids;
  const auto add = [&](const std::vector<smharden::finding>& fs) {
    for (const auto& f : fs) ids.push_back(f.id);
  };
  add(smharden::sm_admin::make_plan(c.call("smartermail.admins.list"), {{"require_two_factor", false}}, mgmt).findings);
  add(smharden::sm_ids::make_plan(c.call("smartermail.ids.rules.get"), json::object()).findings);
  add(smharden::sm_extensions::make_plan(c.call("smartermail.extensions.get"), json::object()).findings);
  add(smharden::sm_relay::make_plan(c.call("smartermail.relay.get"), c.call("smartermail.whitelist.get"),
                                    {{"remove_unlisted_bypass", true}})
          .findings);
  return ids;
}

/// The four sm steps' apply, as the plugins do it.
void apply_all(client& c, const json& mgmt) {
  for (const auto& ch :
       smharden::sm_admin::make_plan(c.call("smartermail.admins.list"), {{"require_two_factor", false}}, mgmt)
           .changes) {
    c.call("smartermail.admin.security.set", ch.params);
  }
  const auto ids = smharden::sm_ids::make_plan(c.call("smartermail.ids.rules.get"), json::object());
  if (ids.changed) c.call("smartermail.ids.rules.set", {{"rules", ids.rules}});
  const auto ext = smharden::sm_extensions::make_plan(c.call("smartermail.extensions.get"), json::object());
  if (!ext.lists.empty()) c.call("smartermail.extensions.set", ext.lists);
  const auto relay = smharden::sm_relay::make_plan(c.call("smartermail.relay.get"), c.call("smartermail.whitelist.get"),
                                                   {{"remove_unlisted_bypass", true}});
  if (relay.allow_relay) c.call("smartermail.relay.set", {{"allow_relay", *relay.allow_relay}});
  if (!relay.whitelist_upserts.empty()) c.call("smartermail.whitelist.set", {{"upsert", relay.whitelist_upserts}});
}

}  // namespace

TEST_CASE("rest: drift -> apply -> compliant -> re-apply changes nothing, one login per run", "[smartermail][rest]") {
  sm_emulator emu;
  emu.add_account("admin", password);
  const json mgmt = {"127.0.0.1/32"};
  {
    client run(emu.base_url(), admin_secrets());
    const auto drift = check_all(run, mgmt);
    CHECK(drift.size() >= 4);
    CHECK(emu.count("auth.login") == 1);
    run.svc->end_run();
    CHECK(emu.count("auth.logout") == 1);
  }
  emu.reset_counts();
  {
    client run(emu.base_url(), admin_secrets());
    apply_all(run, mgmt);
    CHECK(writes(emu) > 0);
    CHECK(check_all(run, mgmt).empty());  // verify in the same run
    run.svc->end_run();
    CHECK(emu.count("auth.login") == 1);
    CHECK(emu.count("auth.logout") == 1);
  }
  emu.reset_counts();
  {
    client run(emu.base_url(), admin_secrets());
    CHECK(check_all(run, mgmt).empty());
    apply_all(run, mgmt);
    CHECK(writes(emu) == 0);  // re-apply of a compliant server changes nothing
    run.svc->end_run();
  }
  emu.with_state([](lab_store& s) {
    CHECK(s.document("smtp-in")["settings"]["allowRelay"] == 0);
    CHECK(s.document("administrators")["admins"][0]["restrictLoginByIp"] == true);
  });
}

TEST_CASE("rest: a rejected login fails once and is never retried", "[smartermail][rest]") {
  for (const auto style : {smharden::testing::error_style::http, smharden::testing::error_style::body}) {
    sm_emulator emu;
    emu.add_account("admin", password);
    emu.set_error_style(style);
    client run(emu.base_url(), {{"smartermail_username", "admin"}, {"smartermail_password", "wrong-guess-42"}});
    for (int i = 0; i < 3; ++i) {
      try {
        run.call("smartermail.relay.get");
        FAIL("expected a refused sign-in");
      } catch (const service_error& e) {
        CHECK(e.code() == "refused");
        CHECK(std::string(e.what()).find("wrong-guess-42") == std::string::npos);
        CHECK(std::string(e.what()).find("does not retry") != std::string::npos);
      }
    }
    run.svc->end_run();
    CHECK(emu.count("auth.login") == 1);
    CHECK(emu.failed_logins() == 1);
    CHECK(emu.total() == 1);  // nothing else was sent, not even a logout
    for (const auto& line : run.log) CHECK(line.find("wrong-guess-42") == std::string::npos);
  }
}

TEST_CASE("rest: missing credentials fail before anything is sent", "[smartermail][rest]") {
  sm_emulator emu;
  client run(emu.base_url(), {{"smartermail_username", "admin"}});
  CHECK_THROWS_WITH(run.call("smartermail.version.get"), Catch::Contains("smartermail_password"));
  CHECK(emu.total() == 0);
}

TEST_CASE("rest: two-factor sign-in, both styles", "[smartermail][rest][2fa]") {
  auto secrets = admin_secrets();
  secrets["smartermail_totp_seed"] = seed;
  SECTION("current builds: step token, then authenticate-two-factor-code") {
    sm_emulator emu;
    emu.add_account("admin", password, two_factor_style::step, seed);
    client run(emu.base_url(), secrets);
    CHECK(run.call("smartermail.version.get")["build"] == "100.0.9400");
    CHECK(emu.count("auth.login") == 1);
    CHECK(emu.count("auth.two_factor") == 1);
    CHECK(emu.failed_logins() == 0);
  }
  SECTION("older builds: 401, then the sign-in again with the code") {
    sm_emulator emu;
    emu.add_account("admin", password, two_factor_style::legacy, seed);
    client run(emu.base_url(), secrets);
    CHECK(run.call("smartermail.version.get")["build"] == "100.0.9400");
    CHECK(emu.count("auth.login") == 2);
    CHECK(emu.count("auth.two_factor") == 0);
    CHECK(emu.failed_logins() == 0);
  }
  SECTION("a code instead of the seed") {
    sm_emulator emu;
    emu.add_account("admin", password, two_factor_style::step, seed);
    auto with_code = admin_secrets();
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    with_code["smartermail_totp_code"] = totp(base32_decode(seed), now.count());
    client run(emu.base_url(), with_code);
    CHECK_NOTHROW(run.call("smartermail.relay.get"));
  }
  SECTION("no seed or code: refused after the first answer, nothing guessed") {
    sm_emulator emu;
    emu.add_account("admin", password, two_factor_style::step, seed);
    client run(emu.base_url(), admin_secrets());
    CHECK_THROWS_WITH(run.call("smartermail.relay.get"), Catch::Contains("smartermail_totp_seed"));
    CHECK_THROWS(run.call("smartermail.relay.get"));
    CHECK(emu.count("auth.login") == 1);
    CHECK(emu.count("auth.two_factor") == 0);
  }
}

TEST_CASE("rest: tokens are refreshed before they expire and after an early 401", "[smartermail][rest]") {
  sm_emulator emu;
  emu.add_account("admin", password);
  auto now = std::chrono::system_clock::now();
  client run(emu.base_url(), admin_secrets(), {}, [&now] { return now; });
  run.call("smartermail.relay.get");
  CHECK(emu.count("auth.refresh") == 0);
  now += std::chrono::minutes(14) + std::chrono::seconds(30);  // within a minute of the 15-minute expiry
  run.call("smartermail.version.get");
  CHECK(emu.count("auth.refresh") == 1);
  now = std::chrono::system_clock::now();
  run.call("smartermail.relay.get");
  CHECK(emu.count("auth.refresh") == 1);  // the refreshed token is good for another 15 minutes
  emu.expire_tokens();                    // e.g. the server restarted: 401, refresh once, send again
  CHECK(run.call("smartermail.extensions.get").contains("inbound"));
  CHECK(emu.count("auth.refresh") == 2);
  CHECK(emu.count("auth.login") == 1);
  run.svc->end_run();
  CHECK(emu.count("auth.logout") == 1);
}

TEST_CASE("rest: reads are retried on 5xx, timeouts and dropped connections, writes never", "[smartermail][rest]") {
  sm_emulator emu;
  emu.add_account("admin", password);
  client run(emu.base_url(), admin_secrets());
  run.call("smartermail.version.get");  // signed in

  emu.inject("relay.get", fault::status_500);
  CHECK(run.call("smartermail.relay.get")["allow_relay"] == "local_domains");
  CHECK(emu.count("relay.get") == 2);

  emu.inject("ids.rules.list", fault::drop_connection);
  CHECK(run.call("smartermail.ids.rules.get")["rules"].size() > 0);
  CHECK(emu.count("ids.rules.list") == 2);

  emu.inject("extensions.get", fault::status_500, 5);
  CHECK_THROWS_AS(run.call("smartermail.extensions.get"), service_error);
  CHECK(emu.count("extensions.get") == 3);  // bounded: three attempts

  emu.inject("relay.save", fault::status_500);
  try {
    run.call("smartermail.relay.set", {{"allow_relay", "nobody"}});
    FAIL("expected the write to fail");
  } catch (const service_error& e) {
    CHECK(e.code() == "unavailable");
  }
  CHECK(emu.count("relay.save") == 1);

  emu.inject("relay.save", fault::drop_connection);
  CHECK_THROWS_WITH(run.call("smartermail.relay.set", {{"allow_relay", "nobody"}}),
                    Catch::Contains("outcome is unknown"));
  CHECK(emu.count("relay.save") == 2);
}

TEST_CASE("rest: a read that outlives the timeout is retried", "[smartermail][rest]") {
  sm_emulator emu;
  emu.add_account("admin", password);
  transport_options tls;
  rest_options o;
  o.base_url = emu.base_url();
  o.backoff = std::chrono::milliseconds(1);
  tls.timeout = std::chrono::milliseconds(300);
  auto secrets = admin_secrets();
  rest_api api(
      route_map::embedded(), o, make_native_transport(tls),
      [&](const std::string& n) { return secrets.count(n) ? std::optional<std::string>(secrets[n]) : std::nullopt; },
      {});
  emu.inject("relay.get", fault::latency, 1, std::chrono::milliseconds(2000));
  CHECK(api.call("relay.get", {}, json::object()).contains("settings"));
  CHECK(emu.count("relay.get") == 2);
}

TEST_CASE("rest: 200 with success:false is an error, in both error styles", "[smartermail][rest]") {
  sm_emulator emu;
  emu.add_account("admin", password);
  client run(emu.base_url(), admin_secrets());
  emu.inject("relay.get", fault::success_false);
  CHECK_THROWS_WITH(run.call("smartermail.relay.get"), Catch::Contains("success:false"));
  CHECK(emu.count("relay.get") == 1);  // an answer, not a transient failure

  emu.set_error_style(smharden::testing::error_style::body);
  try {
    run.call("smartermail.admin.security.get", {{"username", "ghost"}});
    FAIL("expected an error");
  } catch (const service_error& e) {
    CHECK(e.code() == "failed");
    CHECK(std::string(e.what()).find("USER_NOT_FOUND") != std::string::npos);
  }
  emu.set_error_style(smharden::testing::error_style::http);
  CHECK_THROWS_AS(run.call("smartermail.admin.security.get", {{"username", "ghost"}}), service_error);
}

TEST_CASE("rest: a write the server silently drops is caught by the read-back", "[smartermail][rest]") {
  sm_emulator emu;
  emu.add_account("admin", password);
  client run(emu.base_url(), admin_secrets());
  emu.inject("relay.save", fault::drop_body);
  CHECK_THROWS_WITH(run.call("smartermail.relay.set", {{"allow_relay", "nobody"}}),
                    Catch::Contains("read-back differs"));
  emu.inject("ip_access.save", fault::drop_body);
  CHECK_THROWS_WITH(
      run.call("smartermail.whitelist.set", {{"upsert", {{{"ip", "203.0.113.25"}, {"smtp_auth_bypass", false}}}}}),
      Catch::Contains("read-back differs"));
  // Without the fault the same writes land.
  CHECK(run.call("smartermail.relay.set", {{"allow_relay", "nobody"}})["changed"] == true);
}

TEST_CASE("rest: TLS is verified, a CA file or a SHA-256 pin admits a self-signed server", "[smartermail][rest][tls]") {
  const smharden::test::temp_dir dir("smharden-smrest");
  const fs::path cert = dir.path() / "cert.pem";
  const fs::path key = dir.path() / "key.pem";
  const std::string fingerprint = smharden::testing::make_self_signed_certificate(cert, key);
  emulator_options o;
  o.https = true;
  o.cert_file = cert;
  o.key_file = key;
  sm_emulator emu(o);
  emu.add_account("admin", password);

  {
    client run(emu.base_url(), admin_secrets());
    try {
      run.call("smartermail.version.get");
      FAIL("expected a TLS failure");
    } catch (const service_error& e) {
      CHECK(e.code() == "unavailable");
    }
    CHECK(emu.total() == 0);  // the password never left the client
  }
  {
    transport_options tls;
    tls.ca_file = cert.string();
    client run(emu.base_url(), admin_secrets(), tls);
    CHECK(run.call("smartermail.version.get")["build"] == "100.0.9400");
  }
  {
    transport_options tls;
    tls.pin_sha256 = fingerprint;
    client run(emu.base_url(), admin_secrets(), tls);
    CHECK(run.call("smartermail.version.get")["build"] == "100.0.9400");
  }
  emu.reset_counts();
  {
    transport_options tls;
    tls.pin_sha256 = std::string(64, 'a');
    tls.ca_file = cert.string();  // a trusted chain does not excuse a pin mismatch
    client run(emu.base_url(), admin_secrets(), tls);
    CHECK_THROWS_WITH(run.call("smartermail.version.get"), Catch::Contains("pin_sha256"));
    CHECK(emu.total() == 0);
  }
}

TEST_CASE("rest: the probe signs in once and reports the mapped routes", "[smartermail][rest][probe]") {
  sm_emulator emu;
  emu.add_account("admin", password);
  client run(emu.base_url(), admin_secrets());
  const json report = probe(*run.api, run.api->routes());
  CHECK(report["backend"] == "rest");
  CHECK(report["build"] == "100.0.9400");
  CHECK(report["summary"]["answered"] == 8);
  CHECK(report["summary"]["shape_ok"] == 8);
  for (const auto& row : report["routes"]) {
    if (row["route"] == "auth.login") CHECK(row["answered"] == true);
  }
  CHECK(emu.count("auth.login") == 1);
  CHECK(writes(emu) == 0);  // read-only
}
