#include "services/windows/lab_backend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <smharden/common/account_names.hpp>

#include "base/atomic_file.hpp"
#include "base/errors.hpp"
#include "base/json_reader.hpp"
#include "services/windows/lab_backend_support.hpp"

namespace smharden::services::windows {
namespace {

using json = nlohmann::json;
using namespace lab;

constexpr int state_format = 1;

// Accounts every Windows machine resolves, besides local users and groups.
struct wellknown_account {
  const char* domain;
  const char* name;
  const char* sid;
};
constexpr std::array<wellknown_account, 10> wellknown_accounts{{
    {"NT AUTHORITY", "SYSTEM", "S-1-5-18"},
    {"NT AUTHORITY", "LOCAL SERVICE", "S-1-5-19"},
    {"NT AUTHORITY", "NETWORK SERVICE", "S-1-5-20"},
    {"NT AUTHORITY", "Authenticated Users", "S-1-5-11"},
    {"NT AUTHORITY", "INTERACTIVE", "S-1-5-4"},
    {"NT AUTHORITY", "SERVICE", "S-1-5-6"},
    {"", "Everyone", "S-1-1-0"},
    {"", "CREATOR OWNER", "S-1-3-0"},
    {"NT SERVICE", "ALL SERVICES", "S-1-5-80-0"},
    {"NT SERVICE", "TrustedInstaller", "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"},
}};

// Checks the shape of a loaded state so later accesses cannot hit a wrong type.
void validate_state(const json& s) {
  const auto need = [&](bool ok, const std::string& where) {
    if (!ok) throw std::invalid_argument(where);
  };
  need(s.is_object(), "the top level must be an object");
  need(s.value("format", 0LL) == state_format, fmt::format("/format must be {}", state_format));
  need(s.contains("computer_name") && s["computer_name"].is_string(), "/computer_name must be a string");
  need(s.contains("machine_sid") && s["machine_sid"].is_string(), "/machine_sid must be a string");
  need(s.contains("next_rid") && s["next_rid"].is_number_unsigned(), "/next_rid must be a number");
  for (const char* key : {"users", "groups", "rights", "folders", "services"}) {
    need(s.contains(key) && s[key].is_object(), fmt::format("/{} must be an object", key));
  }
  for (const auto& [name, u] : s["users"].items()) {
    const std::string at = "/users/" + name;
    need(u.is_object() && u.contains("sid") && u["sid"].is_string(), at + "/sid must be a string");
    need(u.contains("flags") && u["flags"].is_number_unsigned(), at + "/flags must be a number");
    need(u.value("description", json("")).is_string(), at + "/description must be a string");
    need(u.value("password_expired", json(false)).is_boolean(), at + "/password_expired must be a boolean");
  }
  for (const auto& [name, g] : s["groups"].items()) {
    need(g.is_object() && g.contains("sid") && g["sid"].is_string() && g.contains("members") && g["members"].is_array(),
         "/groups/" + name + " needs sid (string) and members (array of SIDs)");
  }
  for (const auto& [sid, rights] : s["rights"].items()) {
    need(rights.is_array(), "/rights/" + sid + " must be an array of right names");
  }
  for (const auto& [path, f] : s["folders"].items()) {
    need(f.is_object() && f.contains("aces") && f["aces"].is_array(), "/folders/" + path + "/aces must be an array");
    for (const auto& a : f["aces"]) (void)ace_from_state(a);
  }
  for (const auto& [name, svc] : s["services"].items()) {
    const std::string at = "/services/" + name;
    need(svc.is_object() && svc.contains("account") && svc["account"].is_string(), at + "/account must be a string");
    (void)parse_state(svc.value("state", "stopped"));
    (void)parse_start_type(svc.value("start_type", "demand"));
  }
}

}  // namespace

lab_backend::lab_backend(options opts) : opts_(std::move(opts)), writes_(opts_.before_write, opts_.after_write) {}

json& lab_backend::state() const {
  if (state_) return *state_;
  const auto& file = opts_.state_file;
  if (!std::filesystem::exists(file)) {
    fail("unavailable", fmt::format("no Windows state at {}{}", file.string(),
                                    opts_.missing_hint.empty() ? "" : "; " + opts_.missing_hint));
  }
  json parsed;
  try {
    parsed = core::read_json_file(file, core::json_read_options{core::target_json_limits, core::json_blame::data});
  } catch (const core::error& e) {
    fail("failed", fmt::format("{}; or re-create the lab with `smharden lab init`", e.what()));
  }
  try {
    validate_state(parsed);
  } catch (const std::exception& e) {
    fail("failed", fmt::format("{}: {}; re-create the lab with `smharden lab init`", file.string(), e.what()));
  }
  state_ = std::move(parsed);
  return *state_;
}

void lab_backend::require_writable(const char* operation) const {
  if (!opts_.writable) {
    fail("refused", fmt::format("{}: this target's Windows state is read-only (offline copy)", operation));
  }
  (void)state();
}

std::string lab_backend::serialize(const json& s) { return s.dump(2) + "\n"; }

void lab_backend::save() { writes_.write(opts_.state_file, serialize(*state_)); }

std::string lab_backend::computer_name() const { return state()["computer_name"].get<std::string>(); }

std::optional<account_ref> lab_backend::lookup_account(const std::string& text) const {
  const json& s = state();
  const std::string computer = s["computer_name"].get<std::string>();
  const auto by_sid = [&](const std::string& sid) -> std::optional<account_ref> {
    for (const auto& [name, u] : s["users"].items()) {
      if (common::iequals(u["sid"].get<std::string>(), sid))
        return account_ref{computer, name, u["sid"].get<std::string>()};
    }
    for (const auto& [name, g] : s["groups"].items()) {
      if (common::iequals(g["sid"].get<std::string>(), sid))
        return account_ref{"BUILTIN", name, g["sid"].get<std::string>()};
    }
    for (const auto& w : wellknown_accounts) {
      if (common::iequals(w.sid, sid)) return account_ref{w.domain, w.name, w.sid};
    }
    return std::nullopt;
  };
  if (common::is_sid_string(text)) return by_sid(text);
  const std::string builtin = common::builtin_service_account(text);
  const common::account_name parsed = common::parse_account_name(builtin.empty() ? text : builtin);
  const bool any = parsed.domain.empty();
  if (any || common::is_local_domain(parsed.domain, computer)) {
    for (const auto& [name, u] : s["users"].items()) {
      if (common::iequals(name, parsed.name)) return account_ref{computer, name, u["sid"].get<std::string>()};
    }
  }
  if (any || common::iequals(parsed.domain, "BUILTIN") || common::is_local_domain(parsed.domain, computer)) {
    for (const auto& [name, g] : s["groups"].items()) {
      if (common::iequals(name, parsed.name)) return account_ref{"BUILTIN", name, g["sid"].get<std::string>()};
    }
  }
  for (const auto& w : wellknown_accounts) {
    if (common::iequals(w.name, parsed.name) && (any || common::iequals(w.domain, parsed.domain))) {
      return account_ref{w.domain, w.name, w.sid};
    }
  }
  return std::nullopt;
}

json lab_backend::fresh_state() {
  const std::string machine_sid = "S-1-5-21-3623811015-3361044348-30300820";
  const std::string admin_sid = machine_sid + "-500";
  const std::string guest_sid = machine_sid + "-501";
  const json inherited_default_acl = json::array({
      {{"type", "allow"}, {"sid", "S-1-5-18"}, {"mask", access_mask::full_control}, {"flags", {"OI", "CI", "ID"}}},
      {{"type", "allow"}, {"sid", "S-1-5-32-544"}, {"mask", access_mask::full_control}, {"flags", {"OI", "CI", "ID"}}},
      {{"type", "allow"}, {"sid", "S-1-5-32-545"}, {"mask", access_mask::read_execute}, {"flags", {"OI", "CI", "ID"}}},
  });
  json s = {
      {"format", state_format},
      {"computer_name", "SMLAB"},
      {"machine_sid", machine_sid},
      {"next_rid", 1001},
      {"users",
       {{"Administrator",
         {{"sid", admin_sid},
          {"description", "Built-in account for administering the computer/domain"},
          {"full_name", ""},
          {"flags", user_flag::script | user_flag::normal_account | user_flag::dont_expire_passwd},
          {"password_expired", false},
          {"password", {{"set", true}}}}},
        {"Guest",
         {{"sid", guest_sid},
          {"description", "Built-in account for guest access to the computer/domain"},
          {"full_name", ""},
          {"flags", user_flag::script | user_flag::account_disabled | user_flag::passwd_not_required |
                        user_flag::passwd_cant_change | user_flag::normal_account | user_flag::dont_expire_passwd},
          {"password_expired", false},
          {"password", nullptr}}}}},
      {"groups",
       {{"Administrators",
         {{"sid", "S-1-5-32-544"},
          {"description", "Administrators have complete and unrestricted access to the computer/domain"},
          {"members", {admin_sid}}}},
        {"Users",
         {{"sid", "S-1-5-32-545"},
          {"description", "Users are prevented from making accidental or intentional system-wide changes"},
          {"members", {"S-1-5-4", "S-1-5-11"}}}},
        {"Guests",
         {{"sid", "S-1-5-32-546"},
          {"description", "Guests have the same access as members of the Users group by default"},
          {"members", {guest_sid}}}},
        {"IIS_IUSRS",
         {{"sid", "S-1-5-32-568"},
          {"description", "Built-in group used by Internet Information Services."},
          {"members", json::array()}}}}},
      {"rights",
       {{"S-1-5-32-544",
         {"SeBackupPrivilege", "SeInteractiveLogonRight", "SeNetworkLogonRight", "SeRemoteInteractiveLogonRight",
          "SeRestorePrivilege", "SeSecurityPrivilege"}},
        {"S-1-5-32-545", {"SeInteractiveLogonRight", "SeNetworkLogonRight"}},
        {"S-1-5-80-0", {"SeServiceLogonRight"}}}},
      {"folders",
       {{"C:\\Program Files (x86)\\SmarterTools\\SmarterMail",
         {{"inheritance_protected", false}, {"aces", inherited_default_acl}}},
        {"C:\\SmarterMail", {{"inheritance_protected", false}, {"aces", inherited_default_acl}}}}},
      {"services",
       {{"SmarterMail",
         {{"display_name", "SmarterMail"},
          {"account", "LocalSystem"},
          {"binary_path", "\"C:\\Program Files (x86)\\SmarterTools\\SmarterMail\\Service\\MailService.exe\""},
          {"state", "running"},
          {"start_type", "auto"},
          {"password", nullptr}}},
        {"W3SVC",
         {{"display_name", "World Wide Web Publishing Service"},
          {"account", "LocalSystem"},
          {"binary_path", "C:\\Windows\\system32\\svchost.exe -k iissvcs"},
          {"state", "running"},
          {"start_type", "auto"},
          {"password", nullptr}}}}},
  };
  return s;
}

}  // namespace smharden::services::windows
