// windows.service.* and windows.random.password: one function per method and
// per undo.
#include <fmt/format.h>
#include <smharden/common/account_names.hpp>

#include "services/windows/os_random.hpp"
#include "services/windows/password_generator.hpp"
#include "services/windows/smartermail_location.hpp"
#include "services/windows/windows_method_support.hpp"

namespace smharden::services::windows {
namespace {

using self_t = windows_service;

json service_get(self_t& self, const json& p) {
  check_params(p, "windows.service.get", {"name"});
  const auto s = self.backend().get_service(require_string(p, "name"));
  if (!s) return json{{"exists", false}};
  return service_to_json(*s);
}

json service_set_logon(self_t& self, const json& p) {
  const std::string m = "windows.service.set_logon";
  check_params(p, m, {"name", "account", "password_secret"});
  const std::string name = require_string(p, "name");
  const std::string account = require_string(p, "account");
  const auto secret = optional_string(p, "password_secret");
  std::optional<std::string> password;
  if (common::is_passwordless_service_account(account)) {
    password = std::string();
  } else if (secret) {
    password = self.resolve_secret(*secret, m.c_str());
  } else {
    const auto current = self.backend().get_service(name);
    if (!current || !common::same_account(current->account, account, self.backend().computer_name())) {
      throw service_error("invalid_params", fmt::format("{}: the account {} needs its password: pass the name "
                                                        "of a secret in \"password_secret\"",
                                                        m, account));
    }
  }
  self.backend().set_service_logon(name, account, password);
  return json{{"name", name}, {"account", account}};
}

undo_record undo_service_set_logon(self_t& self, const json& p) {
  undo_record rec;
  const std::string name = require_string(p, "name");
  const auto s = self.backend().get_service(name);
  if (!s) return rec;
  json params = {{"name", s->name}, {"account", s->account}};
  if (!common::is_passwordless_service_account(s->account)) {
    const std::string secret = previous_secret_name("service_password", s->name);
    params["password_secret"] = secret;
    rec.needs_secrets.push_back(secret);
  }
  rec.calls.push_back(call("windows.service.set_logon", params));
  rec.description = fmt::format("set service {} to log on as {} again", s->name, s->account);
  return rec;
}

// Undo of a stop or start: the opposite call, only when the service was in `only_if` before.
undo_record state_undo(self_t& self, const json& p, service_state only_if, const char* method, const char* verb) {
  undo_record rec;
  const auto s = self.backend().get_service(require_string(p, "name"));
  if (!s || s->state != only_if) return rec;
  rec.calls.push_back(call(method, {{"name", s->name}}));
  rec.description = fmt::format("{} service {} again", verb, s->name);
  return rec;
}

json service_stop(self_t& self, const json& p) {
  check_params(p, "windows.service.stop", {"name"});
  self.backend().stop_service(require_string(p, "name"));
  return json{{"state", "stopped"}};
}

undo_record undo_service_stop(self_t& self, const json& p) {
  return state_undo(self, p, service_state::running, "windows.service.start", "start");
}

json service_start(self_t& self, const json& p) {
  check_params(p, "windows.service.start", {"name"});
  self.backend().start_service(require_string(p, "name"));
  return json{{"state", "running"}};
}

undo_record undo_service_start(self_t& self, const json& p) {
  return state_undo(self, p, service_state::stopped, "windows.service.stop", "stop");
}

json service_restart(self_t& self, const json& p) {
  check_params(p, "windows.service.restart", {"name"});
  const std::string name = require_string(p, "name");
  self.backend().stop_service(name);
  self.backend().start_service(name);
  return json{{"state", "running"}};
}

undo_record undo_service_restart(self_t& /*self*/, const json& /*p*/) {
  undo_record rec;
  rec.description = "a restart is not undone";
  return rec;
}

json random_password(self_t& /*self*/, const json& p) {
  const std::string m = "windows.random.password";
  check_params(p, m, {"length"});
  const std::uint64_t length = opt_uint(p, "length").value_or(24);
  if (length < min_password_length || length > max_password_length) {
    throw service_error("invalid_params",
                        fmt::format("{}: \"length\" must be {}..{}", m, min_password_length, max_password_length));
  }
  return json{{"password", generate_password(static_cast<std::size_t>(length), os_random_bytes)}};
}

json smartermail_locate(self_t& self, const json& p) {
  check_params(p, "windows.smartermail.locate", {});
  std::vector<service_info> services;
  for (const auto& name : self.backend().service_names()) {
    if (const auto s = self.backend().get_service(name)) services.push_back(*s);
  }
  const auto found = find_smartermail_services(services);
  json candidates = json::array();
  for (const auto& f : found) {
    candidates.push_back(
        {{"service_name", f.service_name}, {"install_dir", f.install_dir}, {"binary_path", f.binary_path}});
  }
  if (found.size() != 1) return json{{"found", false}, {"candidates", candidates}};
  json out = candidates[0];
  out["found"] = true;
  out["candidates"] = candidates;
  return out;
}

const method_entry<windows_service> service_method_table[] = {
    {"windows.service.get",
     access::read_only,
     "a Windows service",
     {"`{name}`", "`{exists, name, display_name, account, binary_path, state, start_type}`", ""},
     &service_get},
    {"windows.service.set_logon",
     access::mutating,
     "set the account a service logs on as",
     {"`{name, account, password_secret?}` (the secret is required unless the account is LocalSystem, "
      "LocalService, NetworkService, `NT SERVICE\\x` or unchanged)",
      "`{name, account}`",
      "`windows.service.set_logon` with the previous account; a previous custom account needs "
      "`previous_service_password_<service>`"},
     &service_set_logon,
     &undo_service_set_logon},
    {"windows.service.stop",
     access::mutating,
     "stop a service and wait until it has stopped",
     {"`{name}`", "`{state: \"stopped\"}`", "`windows.service.start` if it was running"},
     &service_stop,
     &undo_service_stop},
    {"windows.service.start",
     access::mutating,
     "start a service and wait until it runs",
     {"`{name}`", "`{state: \"running\"}`", "`windows.service.stop` if it was stopped"},
     &service_start,
     &undo_service_start},
    {"windows.service.restart",
     access::mutating,
     "stop then start a service (the engine's batched restart)",
     {"`{name}`", "`{state: \"running\"}`", "none (a restart is not undone)"},
     &service_restart,
     &undo_service_restart},
    {"windows.smartermail.locate",
     access::read_only,
     "SmarterMail's Windows service and install folder, from the service whose executable (its ImagePath) is "
     "<install>\\Service\\MailService.exe",
     {"`{}`",
      "`{found, service_name?, install_dir?, binary_path?, candidates: [{service_name, install_dir, binary_path}]}`; "
      "`found` is false when no service or more than one runs MailService.exe",
      ""},
     &smartermail_locate},
    {"windows.random.password",
     access::read_only,
     "a strong random password from the OS CSPRNG (getrandom / BCryptGenRandom), returned only to the calling "
     "plugin and never logged (read-only calls are not journaled)",
     {"`{length? (24; 16..127)}`", "`{password}`", ""},
     &random_password},
};

}  // namespace

std::span<const method_entry<windows_service>> service_methods() { return service_method_table; }

}  // namespace smharden::services::windows
