// Requests and time for check and apply of the four sm steps (sm-admin,
// sm-ids, sm-extensions, sm-relay) over the rest backend against the
// emulator on loopback, with an IP whitelist of 5,000 entries.
// Targets: one login per run, check <= 8 requests, no request per list entry.
#include <fmt/format.h>

#include <chrono>

#include "emulator.hpp"
#include "services/smartermail/rest_api.hpp"
#include "services/smartermail/smartermail_service.hpp"
#include "sm-admin/admin_policy.hpp"
#include "sm-extensions/extensions_policy.hpp"
#include "sm-ids/ids_policy.hpp"
#include "sm-relay/relay_policy.hpp"

using namespace smharden::services;
using namespace smharden::services::smartermail;
using json = nlohmann::json;

namespace {

const json mgmt = {"127.0.0.1/32"};
const json relay_params = {{"remove_unlisted_bypass", true}};
const json admin_params = {{"require_two_factor", false}};

struct run {
  std::unique_ptr<smartermail_service> svc;
  registry reg;
  explicit run(const std::string& url) {
    rest_options o;
    o.base_url = url;
    auto api = std::make_unique<rest_api>(
        route_map::embedded(), o, make_native_transport({}),
        [](const std::string& n) -> std::optional<std::string> {
          if (n == "smartermail_username") return std::string("admin");
          if (n == "smartermail_password") return std::string("bench-password");
          return std::nullopt;
        },
        nullptr);
    svc = std::make_unique<smartermail_service>(std::move(api), route_map::embedded());
    svc->register_methods(reg);
  }
  json call(const std::string& m, const json& p = json::object()) { return reg.find(m)->invoke(p); }
};

std::size_t check_steps(run& r) {
  std::size_t findings = 0;
  findings += smharden::sm_admin::make_plan(r.call("smartermail.admins.list"), admin_params, mgmt).findings.size();
  findings += smharden::sm_ids::make_plan(r.call("smartermail.ids.rules.get"), json::object()).findings.size();
  findings += smharden::sm_extensions::make_plan(r.call("smartermail.extensions.get"), json::object()).findings.size();
  findings +=
      smharden::sm_relay::make_plan(r.call("smartermail.relay.get"), r.call("smartermail.whitelist.get"), relay_params)
          .findings.size();
  return findings;
}

void apply_steps(run& r) {
  for (const auto& c : smharden::sm_admin::make_plan(r.call("smartermail.admins.list"), admin_params, mgmt).changes) {
    r.call("smartermail.admin.security.set", c.params);
  }
  const auto ids = smharden::sm_ids::make_plan(r.call("smartermail.ids.rules.get"), json::object());
  if (ids.changed) r.call("smartermail.ids.rules.set", {{"rules", ids.rules}});
  const auto ext = smharden::sm_extensions::make_plan(r.call("smartermail.extensions.get"), json::object());
  if (!ext.lists.empty()) r.call("smartermail.extensions.set", ext.lists);
  const auto relay =
      smharden::sm_relay::make_plan(r.call("smartermail.relay.get"), r.call("smartermail.whitelist.get"), relay_params);
  if (relay.allow_relay) r.call("smartermail.relay.set", {{"allow_relay", *relay.allow_relay}});
  if (!relay.whitelist_upserts.empty()) r.call("smartermail.whitelist.set", {{"upsert", relay.whitelist_upserts}});
}

struct figures {
  std::size_t requests = 0, logins = 0, list_requests = 0, findings = 0;
  double ms = 0;
};

template <class Fn>
figures measure(smharden::testing::sm_emulator& emu, Fn&& fn) {
  emu.reset_counts();
  const auto start = std::chrono::steady_clock::now();
  run r(emu.base_url());
  figures f;
  f.findings = fn(r);
  r.svc->end_run();
  f.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  f.requests = emu.total();
  f.logins = emu.count("auth.login");
  f.list_requests = emu.count("ip_access.list");
  return f;
}

}  // namespace

int main() {
  smharden::testing::sm_emulator emu;
  emu.add_account("admin", "bench-password");
  constexpr int entries = 5000;
  emu.with_state([](lab_store& s) {
    json& list = s.document("ip-access-whitelist")["ipAccessList"];
    const int to_add = entries - static_cast<int>(list.size());
    for (int i = 0; i < to_add; ++i) {
      // Every 500th entry has SMTP Auth Bypass, so apply has 10 entries to fix.
      list.push_back({{"ip", fmt::format("100.{}.{}.{}", 64 + i / 65536, (i / 256) % 256, i % 256)},
                      {"protocolMask", 15},
                      {"description", fmt::format("customer {}", i)},
                      {"smtp", true},
                      {"pop", true},
                      {"imap", true},
                      {"xmpp", true},
                      {"disabledGreylisting", false},
                      {"bypass", i % 500 == 0},
                      {"spam_bypass", false}});
    }
    fmt::print("whitelist entries: {}\n", list.size());
  });

  const figures check = measure(emu, [](run& r) { return check_steps(r); });
  const figures apply = measure(emu, [](run& r) {
    check_steps(r);  // the engine checks before it applies
    apply_steps(r);
    return check_steps(r);  // and verifies after
  });
  const figures reapply = measure(emu, [](run& r) {
    check_steps(r);
    apply_steps(r);
    return check_steps(r);
  });

  fmt::print("{:<28} {:>9} {:>7} {:>14} {:>9} {:>10}\n", "run (4 sm steps)", "requests", "logins", "list requests",
             "findings", "time ms");
  const auto row = [](const char* name, const figures& f) {
    fmt::print("{:<28} {:>9} {:>7} {:>14} {:>9} {:>10.1f}\n", name, f.requests, f.logins, f.list_requests, f.findings,
               f.ms);
  };
  row("check (drifted server)", check);
  row("apply + verify", apply);
  row("re-apply (compliant)", reapply);

  bool ok = true;
  const auto target = [&ok](bool met, const std::string& what) {
    fmt::print("target {:<52} {}\n", what, met ? "met" : "MISSED");
    ok = ok && met;
  };
  target(check.logins == 1 && apply.logins == 1 && reapply.logins == 1, "one login per run");
  target(check.requests <= 8, fmt::format("check <= 8 requests (was {})", check.requests));
  target(check.list_requests == 1, "no N+1: one whitelist request for 5,000 entries");
  target(apply.findings == 0 && reapply.findings == 0, "compliant after apply");
  return ok ? 0 : 1;
}
