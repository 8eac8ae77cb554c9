#include "services/windows/lab_backend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <sstream>

#include "base/atomic_file.hpp"
#include "services/windows/account_names.hpp"
#include "services/windows/ace_match.hpp"
#include "services/windows/os_random.hpp"

namespace smharden::services::windows {
namespace {

using json = nlohmann::json;

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

[[noreturn]] void fail(const std::string& code, const std::string& message) { throw service_error(code, message); }

std::string to_hex(const std::string& bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += digits[b >> 4];
    out += digits[b & 0xF];
  }
  return out;
}

// A user keeps one salt for its life, and a service's logon password is hashed
// with its account's salt, so the SCM check "is this the user's password"
// is a comparison of two hashes.
std::string salt_of(const json& stored) {
  if (stored.is_object() && stored.contains("salt") && stored["salt"].is_string()) {
    return stored["salt"].get<std::string>();
  }
  return to_hex(os_random_bytes(16));
}

json password_hash(const std::string& password, const std::string& salt) {
  return {{"salt", salt}, {"sha256", util::sha256_hex(salt + ":" + password)}};
}

bool same_password_hash(const json& a, const json& b) {
  const auto complete = [](const json& h) {
    return h.is_object() && h.contains("salt") && h.contains("sha256") && h["salt"].is_string() &&
           h["sha256"].is_string();
  };
  return complete(a) && complete(b) && a["salt"] == b["salt"] && a["sha256"] == b["sha256"];
}

// A Windows-like default policy: at least 8 characters from 3 of the 4 classes.
bool meets_password_policy(const std::string& password) {
  if (password.size() < 8) return false;
  int upper = 0, lower = 0, digit = 0, other = 0;
  for (const char c : password) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isupper(u)) {
      upper = 1;
    } else if (std::islower(u)) {
      lower = 1;
    } else if (std::isdigit(u)) {
      digit = 1;
    } else {
      other = 1;
    }
  }
  return upper + lower + digit + other >= 3;
}

void validate_user_name(const std::string& name) {
  static constexpr std::string_view forbidden = "\"/\\[]:;|=,+*?<>@";
  if (name.empty() || name.size() > 20 || name.find_first_of(forbidden) != std::string::npos ||
      name.find_first_not_of(" .") == std::string::npos) {
    fail("invalid_params",
         fmt::format("\"{}\" is not a valid local user name (1-20 characters, none of \"/\\[]:;|=,+*?<>@, not only "
                     "dots or spaces) (NERR_BadUsername 2202)",
                     name));
  }
}

// Windows paths compare case-insensitively, with either slash, without a trailing one.
std::string normalize_path(const std::string& path) {
  std::string out = path;
  std::replace(out.begin(), out.end(), '/', '\\');
  while (out.size() > 3 && out.back() == '\\') out.pop_back();
  return out;
}

json* find_ci(json& object, const std::string& key) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (iequals(it.key(), key)) return &it.value();
  }
  return nullptr;
}

std::string key_ci(const json& object, const std::string& key) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (iequals(it.key(), key)) return it.key();
  }
  return "";
}

service_state parse_state(const std::string& s) {
  for (const auto v :
       {service_state::stopped, service_state::start_pending, service_state::stop_pending, service_state::running,
        service_state::continue_pending, service_state::pause_pending, service_state::paused}) {
    if (s == to_string(v)) return v;
  }
  throw std::invalid_argument("unknown service state \"" + s + "\"");
}

service_start_type parse_start_type(const std::string& s) {
  for (const auto v : {service_start_type::boot, service_start_type::system, service_start_type::automatic,
                       service_start_type::demand, service_start_type::disabled}) {
    if (s == to_string(v)) return v;
  }
  throw std::invalid_argument("unknown start type \"" + s + "\"");
}

json ace_to_state(const ace& a) {
  return {{"type", a.type == ace_type::allow ? "allow" : "deny"},
          {"sid", a.sid},
          {"mask", a.mask},
          {"flags", ace_flag_names(a.flags)}};
}

ace ace_from_state(const json& j) {
  ace a;
  a.type = j.at("type").get<std::string>() == "deny" ? ace_type::deny : ace_type::allow;
  a.sid = j.at("sid").get<std::string>();
  a.mask = j.at("mask").get<std::uint32_t>();
  for (const auto& f : j.at("flags")) {
    std::uint32_t bit = 0;
    if (!parse_ace_flag_name(f.get<std::string>(), bit)) throw std::invalid_argument("unknown ACE flag " + f.dump());
    a.flags |= bit;
  }
  return a;
}

// Checks the shape of a loaded state so later accesses cannot hit a wrong type.
void validate_state(const json& s) {
  const auto need = [&](bool ok, const std::string& where) {
    if (!ok) throw std::invalid_argument(where);
  };
  need(s.is_object(), "the top level must be an object");
  need(s.value("format", 0) == state_format, fmt::format("/format must be {}", state_format));
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

lab_backend::lab_backend(options opts) : opts_(std::move(opts)) {}

json& lab_backend::state() const {
  if (state_) return *state_;
  const auto& file = opts_.state_file;
  if (!std::filesystem::exists(file)) {
    fail("unavailable", fmt::format("no Windows state at {}{}", file.string(),
                                    opts_.missing_hint.empty() ? "" : "; " + opts_.missing_hint));
  }
  json parsed;
  try {
    parsed = json::parse(util::read_file(file));
  } catch (const json::parse_error& e) {
    fail("failed",
         fmt::format("{}: not valid JSON ({}); re-create the lab with `smharden lab init`", file.string(), e.what()));
  } catch (const std::system_error& e) {
    fail("unavailable", fmt::format("cannot read {}: {}", file.string(), e.what()));
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

void lab_backend::save() {
  if (!backed_up_) {
    if (opts_.before_write) opts_.before_write(opts_.state_file);
    backed_up_ = true;
  }
  util::write_file_atomic(opts_.state_file, serialize(*state_));
}

std::string lab_backend::computer_name() const { return state()["computer_name"].get<std::string>(); }

std::optional<account_ref> lab_backend::lookup_account(const std::string& text) const {
  const json& s = state();
  const std::string computer = s["computer_name"].get<std::string>();
  const auto by_sid = [&](const std::string& sid) -> std::optional<account_ref> {
    for (const auto& [name, u] : s["users"].items()) {
      if (iequals(u["sid"].get<std::string>(), sid)) return account_ref{computer, name, u["sid"].get<std::string>()};
    }
    for (const auto& [name, g] : s["groups"].items()) {
      if (iequals(g["sid"].get<std::string>(), sid)) return account_ref{"BUILTIN", name, g["sid"].get<std::string>()};
    }
    for (const auto& w : wellknown_accounts) {
      if (iequals(w.sid, sid)) return account_ref{w.domain, w.name, w.sid};
    }
    return std::nullopt;
  };
  if (is_sid_string(text)) return by_sid(text);
  const std::string builtin = builtin_service_account(text);
  const account_name parsed = parse_account_name(builtin.empty() ? text : builtin);
  const bool any = parsed.domain.empty();
  if (any || is_local_domain(parsed.domain, computer)) {
    for (const auto& [name, u] : s["users"].items()) {
      if (iequals(name, parsed.name)) return account_ref{computer, name, u["sid"].get<std::string>()};
    }
  }
  if (any || iequals(parsed.domain, "BUILTIN") || is_local_domain(parsed.domain, computer)) {
    for (const auto& [name, g] : s["groups"].items()) {
      if (iequals(name, parsed.name)) return account_ref{"BUILTIN", name, g["sid"].get<std::string>()};
    }
  }
  for (const auto& w : wellknown_accounts) {
    if (iequals(w.name, parsed.name) && (any || iequals(w.domain, parsed.domain))) {
      return account_ref{w.domain, w.name, w.sid};
    }
  }
  return std::nullopt;
}

std::optional<user_info> lab_backend::get_user(const std::string& name) const {
  json& s = state();
  const account_name parsed = parse_account_name(name);
  if (!parsed.domain.empty() && !is_local_domain(parsed.domain, s["computer_name"].get<std::string>())) {
    return std::nullopt;
  }
  const std::string key = key_ci(s["users"], parsed.name);
  if (key.empty()) return std::nullopt;
  const json& u = s["users"][key];
  user_info info;
  info.name = key;
  info.sid = u["sid"].get<std::string>();
  info.description = u.value("description", "");
  info.full_name = u.value("full_name", "");
  info.flags = u["flags"].get<std::uint32_t>();
  info.password_expired = u.value("password_expired", false);
  return info;
}

void lab_backend::create_user(const new_user& user) {
  require_writable("create user");
  json& s = state();
  validate_user_name(user.name);
  if (!key_ci(s["users"], user.name).empty() || !key_ci(s["groups"], user.name).empty()) {
    fail("conflict", fmt::format("the account {} already exists (NERR_UserExists 2224)", user.name));
  }
  if (!meets_password_policy(user.password)) {
    fail("invalid_params",
         fmt::format("the password for {} does not meet the password policy (NERR_PasswordTooShort 2245)", user.name));
  }
  const auto rid = s["next_rid"].get<std::uint64_t>();
  const std::string sid = fmt::format("{}-{}", s["machine_sid"].get<std::string>(), rid);
  s["next_rid"] = rid + 1;
  s["users"][user.name] = {{"sid", sid},
                           {"description", user.description},
                           {"full_name", ""},
                           {"flags", user.flags | user_flag::script},
                           {"password_expired", user.password_expired},
                           {"password", password_hash(user.password, salt_of(json()))}};
  // Windows puts every new local user in Users.
  if (json* users = find_ci(s["groups"], "Users")) (*users)["members"].push_back(sid);
  save();
}

void lab_backend::update_user(const std::string& name, const user_update& update) {
  require_writable("update user");
  const auto info = get_user(name);
  if (!info) fail("not_found", fmt::format("no local user {} (NERR_UserNotFound 2221)", name));
  json& u = state()["users"][info->name];
  if (update.flags) u["flags"] = *update.flags | user_flag::script;
  if (update.description) u["description"] = *update.description;
  if (update.password_expired) u["password_expired"] = *update.password_expired;
  save();
}

void lab_backend::set_password(const std::string& name, const std::string& password) {
  require_writable("set password");
  const auto info = get_user(name);
  if (!info) fail("not_found", fmt::format("no local user {} (NERR_UserNotFound 2221)", name));
  if (!meets_password_policy(password)) {
    fail("invalid_params",
         fmt::format("the password for {} does not meet the password policy (NERR_PasswordTooShort 2245)", name));
  }
  json& u = state()["users"][info->name];
  u["password"] = password_hash(password, salt_of(u.value("password", json())));
  save();
}

void lab_backend::delete_user(const std::string& name) {
  require_writable("delete user");
  const auto info = get_user(name);
  if (!info) fail("not_found", fmt::format("no local user {} (NERR_UserNotFound 2221)", name));
  json& s = state();
  for (auto& [group, g] : s["groups"].items()) {
    auto& members = g["members"];
    members.erase(std::remove_if(members.begin(), members.end(),
                                 [&](const json& m) { return iequals(m.get<std::string>(), info->sid); }),
                  members.end());
  }
  // Like Windows, the user's rights and ACEs stay behind as orphaned SIDs.
  s["users"].erase(info->name);
  save();
}

std::vector<std::string> lab_backend::group_members(const std::string& group) const {
  json& s = state();
  const account_name parsed = parse_account_name(group);
  const json* g = find_ci(s["groups"], parsed.name);
  if (g == nullptr) fail("not_found", fmt::format("no local group {} (NERR_GroupNotFound 2220)", group));
  std::vector<std::string> out;
  for (const auto& m : (*g)["members"]) {
    const auto sid = m.get<std::string>();
    const auto ref = lookup_account(sid);
    out.push_back(ref ? (ref->domain.empty() ? ref->name : ref->domain + "\\" + ref->name) : sid);
  }
  return out;
}

std::vector<std::string> lab_backend::user_groups(const std::string& user) const {
  const auto info = get_user(user);
  if (!info) fail("not_found", fmt::format("no local user {} (NERR_UserNotFound 2221)", user));
  std::vector<std::string> out;
  for (const auto& [name, g] : state()["groups"].items()) {
    for (const auto& m : g["members"]) {
      if (iequals(m.get<std::string>(), info->sid)) out.push_back(name);
    }
  }
  return out;
}

void lab_backend::add_group_member(const std::string& group, const std::string& account) {
  require_writable("add group member");
  json* g = find_ci(state()["groups"], parse_account_name(group).name);
  if (g == nullptr) fail("not_found", fmt::format("no local group {} (NERR_GroupNotFound 2220)", group));
  const auto ref = lookup_account(account);
  if (!ref) fail("not_found", fmt::format("the account {} does not exist (ERROR_NO_SUCH_MEMBER 1387)", account));
  for (const auto& m : (*g)["members"]) {
    if (iequals(m.get<std::string>(), ref->sid)) {
      fail("conflict", fmt::format("{} is already in {} (ERROR_MEMBER_IN_ALIAS 1378)", account, group));
    }
  }
  (*g)["members"].push_back(ref->sid);
  save();
}

void lab_backend::remove_group_member(const std::string& group, const std::string& account) {
  require_writable("remove group member");
  json* g = find_ci(state()["groups"], parse_account_name(group).name);
  if (g == nullptr) fail("not_found", fmt::format("no local group {} (NERR_GroupNotFound 2220)", group));
  const auto ref = lookup_account(account);
  const std::string sid = ref ? ref->sid : account;
  auto& members = (*g)["members"];
  const auto it =
      std::find_if(members.begin(), members.end(), [&](const json& m) { return iequals(m.get<std::string>(), sid); });
  if (it == members.end()) {
    fail("not_found", fmt::format("{} is not in {} (ERROR_MEMBER_NOT_IN_ALIAS 1377)", account, group));
  }
  members.erase(it);
  save();
}

std::vector<std::string> lab_backend::account_rights(const std::string& account) const {
  const auto ref = lookup_account(account);
  if (!ref) fail("not_found", fmt::format("the account {} does not exist (ERROR_NONE_MAPPED 1332)", account));
  std::vector<std::string> out;
  const json& rights = state()["rights"];
  const std::string key = key_ci(rights, ref->sid);
  if (!key.empty()) {
    for (const auto& r : rights[key]) out.push_back(r.get<std::string>());
  }
  return out;
}

void lab_backend::grant_right(const std::string& account, const std::string& right) {
  require_writable("grant right");
  const auto ref = lookup_account(account);
  if (!ref) fail("not_found", fmt::format("the account {} does not exist (ERROR_NONE_MAPPED 1332)", account));
  json& rights = state()["rights"];
  std::string key = key_ci(rights, ref->sid);
  if (key.empty()) {
    key = ref->sid;
    rights[key] = json::array();
  }
  std::vector<std::string> list = rights[key].get<std::vector<std::string>>();
  if (std::find(list.begin(), list.end(), right) != list.end()) return;  // LsaAddAccountRights ignores held rights
  list.push_back(right);
  std::sort(list.begin(), list.end());
  rights[key] = list;
  save();
}

void lab_backend::revoke_right(const std::string& account, const std::string& right) {
  require_writable("revoke right");
  const auto ref = lookup_account(account);
  if (!ref) fail("not_found", fmt::format("the account {} does not exist (ERROR_NONE_MAPPED 1332)", account));
  json& rights = state()["rights"];
  const std::string key = key_ci(rights, ref->sid);
  if (key.empty()) return;
  std::vector<std::string> list = rights[key].get<std::vector<std::string>>();
  const auto it = std::find(list.begin(), list.end(), right);
  if (it == list.end()) return;
  list.erase(it);
  if (list.empty()) {
    rights.erase(key);
  } else {
    rights[key] = list;
  }
  save();
}

folder_acl lab_backend::get_acl(const std::string& path) const {
  json& s = state();
  const std::string norm = normalize_path(path);
  const std::string key = key_ci(s["folders"], norm);
  if (key.empty()) fail("not_found", fmt::format("the folder {} does not exist (ERROR_FILE_NOT_FOUND 2)", path));
  const json& f = s["folders"][key];
  folder_acl acl;
  acl.path = key;
  acl.inheritance_protected = f.value("inheritance_protected", false);
  for (const auto& j : f["aces"]) {
    ace a = ace_from_state(j);
    const auto ref = lookup_account(a.sid);
    a.trustee = ref ? (ref->domain.empty() ? ref->name : ref->domain + "\\" + ref->name) : a.sid;
    acl.aces.push_back(std::move(a));
  }
  return acl;
}

void lab_backend::grant_ace(const std::string& path, const ace& entry) {
  require_writable("grant ACE");
  folder_acl acl = get_acl(path);
  std::string sid = entry.sid;
  if (sid.empty()) {
    const auto ref = lookup_account(entry.trustee);
    if (!ref) fail("not_found", fmt::format("the account {} does not exist (ERROR_NONE_MAPPED 1332)", entry.trustee));
    sid = ref->sid;
  }
  const std::uint32_t flags = entry.flags & ~ace_flag::inherited;
  bool merged = false;
  if (entry.type == ace_type::allow) {
    for (auto& a : acl.aces) {
      if (a.type == ace_type::allow && (a.flags & ace_flag::inherited) == 0 && a.flags == flags &&
          iequals(a.sid, sid)) {
        a.mask |= entry.mask;
        merged = true;
        break;
      }
    }
  }
  if (!merged) acl.aces.push_back(ace{entry.type, "", sid, entry.mask, flags});
  // Canonical DACL order: explicit deny, explicit allow, inherited.
  std::stable_sort(acl.aces.begin(), acl.aces.end(), [](const ace& a, const ace& b) {
    const auto rank = [](const ace& x) {
      if ((x.flags & ace_flag::inherited) != 0) return 2;
      return x.type == ace_type::deny ? 0 : 1;
    };
    return rank(a) < rank(b);
  });
  json aces = json::array();
  for (const auto& a : acl.aces) aces.push_back(ace_to_state(a));
  state()["folders"][acl.path]["aces"] = std::move(aces);
  save();
}

void lab_backend::revoke_aces(const std::string& path, const std::string& trustee) {
  require_writable("revoke ACE");
  const folder_acl acl = get_acl(path);
  std::string sid = trustee;
  if (!is_sid_string(trustee)) {
    const auto ref = lookup_account(trustee);
    if (!ref) fail("not_found", fmt::format("the account {} does not exist (ERROR_NONE_MAPPED 1332)", trustee));
    sid = ref->sid;
  }
  json aces = json::array();
  bool removed = false;
  for (const auto& a : acl.aces) {
    if ((a.flags & ace_flag::inherited) == 0 && iequals(a.sid, sid)) {
      removed = true;
      continue;
    }
    aces.push_back(ace_to_state(a));
  }
  if (!removed) return;
  state()["folders"][acl.path]["aces"] = std::move(aces);
  save();
}

std::optional<service_info> lab_backend::get_service(const std::string& name) const {
  json& s = state();
  const std::string key = key_ci(s["services"], name);
  if (key.empty()) return std::nullopt;
  const json& j = s["services"][key];
  service_info info;
  info.name = key;
  info.display_name = j.value("display_name", key);
  info.account = j["account"].get<std::string>();
  info.binary_path = j.value("binary_path", "");
  info.state = parse_state(j.value("state", "stopped"));
  info.start_type = parse_start_type(j.value("start_type", "demand"));
  return info;
}

void lab_backend::set_service_logon(const std::string& name, const std::string& account,
                                    const std::optional<std::string>& password) {
  require_writable("set service logon");
  const auto info = get_service(name);
  if (!info) fail("not_found", fmt::format("no service {} (ERROR_SERVICE_DOES_NOT_EXIST 1060)", name));
  const bool passwordless = is_passwordless_service_account(account);
  if (!passwordless && !get_user(account)) {
    fail("not_found", fmt::format("{} is not a local account the service can log on as "
                                  "(ERROR_INVALID_SERVICE_ACCOUNT 1057)",
                                  account));
  }
  json& s = state();
  json& j = s["services"][info->name];
  j["account"] = account;
  if (passwordless) {
    j["password"] = nullptr;
  } else if (password) {
    const auto user = get_user(account);
    j["password"] = password_hash(*password, salt_of(s["users"][user->name].value("password", json())));
  }
  save();
}

void lab_backend::stop_service(const std::string& name) {
  require_writable("stop service");
  const auto info = get_service(name);
  if (!info) fail("not_found", fmt::format("no service {} (ERROR_SERVICE_DOES_NOT_EXIST 1060)", name));
  if (info->state == service_state::stopped) return;
  state()["services"][info->name]["state"] = to_string(service_state::stopped);
  save();
}

void lab_backend::start_service(const std::string& name) {
  require_writable("start service");
  const auto info = get_service(name);
  if (!info) fail("not_found", fmt::format("no service {} (ERROR_SERVICE_DOES_NOT_EXIST 1060)", name));
  if (info->state == service_state::running) return;
  if (info->start_type == service_start_type::disabled) {
    fail("failed", fmt::format("the service {} is disabled (ERROR_SERVICE_DISABLED 1058)", name));
  }
  const json& j = state()["services"][info->name];
  if (!is_passwordless_service_account(info->account)) {
    // What the SCM checks when it logs the service on (LOGON32_LOGON_SERVICE).
    const auto user = get_user(info->account);
    const auto logon_failed = [&](const std::string& why) {
      fail("failed", fmt::format("the service {} could not log on as {}: {} (ERROR_SERVICE_LOGON_FAILED 1069)", name,
                                 info->account, why));
    };
    if (!user) logon_failed("no such user");
    if ((user->flags & user_flag::account_disabled) != 0) logon_failed("the account is disabled");
    if (user->password_expired) logon_failed("the password has expired (must change at next logon)");
    std::vector<std::string> held = account_rights(user->sid);
    for (const auto& group : user_groups(user->name)) {
      for (auto& r : account_rights("BUILTIN\\" + group)) held.push_back(std::move(r));
    }
    const auto has = [&](const char* right) { return std::find(held.begin(), held.end(), right) != held.end(); };
    if (has(deny_service_logon_right)) logon_failed("the account holds SeDenyServiceLogonRight");
    if (!has(service_logon_right)) logon_failed("the account lacks SeServiceLogonRight (Log on as a service)");
    if (!same_password_hash(j.value("password", json()), state()["users"][user->name].value("password", json()))) {
      logon_failed("the service's stored password is not the account's password");
    }
  }
  state()["services"][info->name]["state"] = to_string(service_state::running);
  save();
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
