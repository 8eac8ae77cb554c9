// windows.account.lookup, windows.user.*, windows.groups.*: one function per
// method and per undo.
#include <fmt/format.h>
#include <smharden/common/account_names.hpp>

#include "services/windows/user_flags.hpp"
#include "services/windows/windows_method_support.hpp"

namespace smharden::services::windows {
namespace {

using self_t = windows_service;

json account_lookup(self_t& self, const json& p) {
  check_params(p, "windows.account.lookup", {"name"});
  const auto ref = self.backend().lookup_account(require_string(p, "name"));
  if (!ref) return json{{"exists", false}};
  return json{{"exists", true}, {"domain", ref->domain}, {"name", ref->name}, {"sid", ref->sid}};
}

json user_get(self_t& self, const json& p) {
  check_params(p, "windows.user.get", {"name"});
  const auto u = self.backend().get_user(require_string(p, "name"));
  if (!u) return json{{"exists", false}};
  return user_to_json(*u, self.backend().user_groups(u->name));
}

json user_create(self_t& self, const json& p) {
  const std::string m = "windows.user.create";
  check_params(
      p, m, {"name", "password_secret", "description", "password_never_expires", "disabled", "must_change_password"});
  new_user u;
  u.name = require_string(p, "name");
  u.description = optional_string(p, "description").value_or("");
  user_flag_state st;
  st.password_never_expires = optional_bool(p, "password_never_expires").value_or(true);
  st.disabled = optional_bool(p, "disabled").value_or(false);
  u.flags = encode_user_flags(0, st);
  u.password_expired = optional_bool(p, "must_change_password").value_or(false);
  u.password = self.resolve_secret(require_string(p, "password_secret"), m.c_str());
  self.backend().create_user(u);
  return json{{"created", u.name}};
}

undo_record undo_user_create(self_t& /*self*/, const json& p) {
  undo_record rec;
  const std::string name = require_string(p, "name");
  rec.calls.push_back(call("windows.user.delete", {{"name", name}}));
  rec.description = fmt::format("delete the local user {} created by this run", name);
  return rec;
}

json update_user(self_t& self, const json& p) {
  const std::string m = "windows.user.update";
  check_params(p, m, {"name", "description", "password_never_expires", "disabled", "must_change_password"});
  const std::string name = require_string(p, "name");
  const auto u = self.backend().get_user(name);
  if (!u) throw service_error("not_found", fmt::format("{}: no local user {}", m, name));
  user_update upd;
  upd.description = optional_string(p, "description");
  user_flag_state st = decode_user_flags(u->flags, u->password_expired);
  const auto never_expires = optional_bool(p, "password_never_expires");
  const auto disabled = optional_bool(p, "disabled");
  if (never_expires || disabled) {
    if (never_expires) st.password_never_expires = *never_expires;
    if (disabled) st.disabled = *disabled;
    upd.flags = encode_user_flags(u->flags, st);
  }
  upd.password_expired = optional_bool(p, "must_change_password");
  self.backend().update_user(name, upd);
  return json{{"updated", u->name}};
}

undo_record undo_update_user(self_t& self, const json& p) {
  undo_record rec;
  const std::string name = require_string(p, "name");
  const auto u = self.backend().get_user(name);
  if (!u) return rec;  // the call itself will fail with not_found
  const user_flag_state st = decode_user_flags(u->flags, u->password_expired);
  json back = {{"name", u->name}};
  if (p.contains("description")) back["description"] = u->description;
  if (p.contains("password_never_expires")) back["password_never_expires"] = st.password_never_expires;
  if (p.contains("disabled")) back["disabled"] = st.disabled;
  if (p.contains("must_change_password")) back["must_change_password"] = st.must_change_password;
  rec.calls.push_back(call("windows.user.update", back));
  rec.description = fmt::format("restore the previous settings of local user {}", u->name);
  return rec;
}

json user_set_password(self_t& self, const json& p) {
  const std::string m = "windows.user.set_password";
  check_params(p, m, {"name", "password_secret"});
  const std::string name = require_string(p, "name");
  self.backend().set_password(name, self.resolve_secret(require_string(p, "password_secret"), m.c_str()));
  return json{{"password_set", name}};
}

undo_record undo_user_set_password(self_t& /*self*/, const json& p) {
  undo_record rec;
  const std::string name = require_string(p, "name");
  const std::string secret = previous_secret_name("password", name);
  rec.calls.push_back(call("windows.user.set_password", {{"name", name}, {"password_secret", secret}}));
  rec.needs_secrets.push_back(secret);
  rec.description = fmt::format(
      "set the previous password of local user {} again (Windows cannot read it back: supply it as secret {})", name,
      secret);
  return rec;
}

json user_delete(self_t& self, const json& p) {
  check_params(p, "windows.user.delete", {"name"});
  const std::string name = require_string(p, "name");
  self.backend().delete_user(name);
  return json{{"deleted", name}};
}

undo_record undo_user_delete(self_t& self, const json& p) {
  undo_record rec;
  const auto u = self.backend().get_user(require_string(p, "name"));
  if (!u) return rec;
  const user_flag_state st = decode_user_flags(u->flags, u->password_expired);
  const std::string secret = previous_secret_name("password", u->name);
  rec.calls.push_back(call("windows.user.create", {{"name", u->name},
                                                   {"password_secret", secret},
                                                   {"description", u->description},
                                                   {"password_never_expires", st.password_never_expires},
                                                   {"disabled", st.disabled},
                                                   {"must_change_password", st.must_change_password}}));
  for (const auto& g : self.backend().user_groups(u->name)) {
    if (common::iequals(g, "Users")) continue;  // a new user joins Users by itself
    rec.calls.push_back(call("windows.groups.add_member", {{"group", g}, {"account", u->name}}));
  }
  rec.needs_secrets.push_back(secret);
  rec.description = fmt::format(
      "re-create local user {} (with a new SID: rights and ACEs granted to the old SID are not restored)", u->name);
  return rec;
}

json groups_members(self_t& self, const json& p) {
  check_params(p, "windows.groups.members", {"group"});
  const std::string group = require_string(p, "group");
  return json{{"group", group}, {"members", self.backend().group_members(group)}};
}

json groups_add_member(self_t& self, const json& p) {
  check_params(p, "windows.groups.add_member", {"group", "account"});
  self.backend().add_group_member(require_string(p, "group"), require_string(p, "account"));
  return json{{"added", true}};
}

undo_record undo_groups_add_member(self_t& /*self*/, const json& p) {
  undo_record rec;
  rec.calls.push_back(call("windows.groups.remove_member",
                           {{"group", require_string(p, "group")}, {"account", require_string(p, "account")}}));
  rec.description = fmt::format("remove {} from {}", p["account"].get<std::string>(), p["group"].get<std::string>());
  return rec;
}

json groups_remove_member(self_t& self, const json& p) {
  check_params(p, "windows.groups.remove_member", {"group", "account"});
  self.backend().remove_group_member(require_string(p, "group"), require_string(p, "account"));
  return json{{"removed", true}};
}

undo_record undo_groups_remove_member(self_t& /*self*/, const json& p) {
  undo_record rec;
  rec.calls.push_back(call("windows.groups.add_member",
                           {{"group", require_string(p, "group")}, {"account", require_string(p, "account")}}));
  rec.description = fmt::format("add {} to {} again", p["account"].get<std::string>(), p["group"].get<std::string>());
  return rec;
}

const method_entry<windows_service> account_method_table[] = {
    {"windows.account.lookup",
     access::read_only,
     "resolve an account name or SID",
     {"`{name}`", "`{exists, domain, name, sid}`", ""},
     &account_lookup},
    {"windows.user.get",
     access::read_only,
     "a local user",
     {"`{name}`",
      "`{exists, name, sid, description, full_name, flags, password_never_expires, disabled, locked_out, "
      "must_change_password, groups}`",
      ""},
     &user_get},
    {"windows.user.create",
     access::mutating,
     "create a local user",
     {"`{name, password_secret, description?, password_never_expires? (true), disabled? (false), "
      "must_change_password? (false)}`",
      "`{created}`", "`windows.user.delete`"},
     &user_create,
     &undo_user_create},
    {"windows.user.update",
     access::mutating,
     "change a local user's settings",
     {"`{name, description?, password_never_expires?, disabled?, must_change_password?}`", "`{updated}`",
      "`windows.user.update` with the previous values of the given fields"},
     &update_user,
     &undo_update_user},
    {"windows.user.set_password",
     access::mutating,
     "reset a local user's password",
     {"`{name, password_secret}`", "`{password_set}`",
      "`windows.user.set_password` with secret `previous_password_<user>` (needs_secrets)"},
     &user_set_password,
     &undo_user_set_password},
    {"windows.user.delete",
     access::mutating,
     "delete a local user",
     {"`{name}`", "`{deleted}`",
      "`windows.user.create` (a new SID) + `windows.groups.add_member` per group; needs `previous_password_<user>`"},
     &user_delete,
     &undo_user_delete},
    {"windows.groups.members",
     access::read_only,
     "members of a local group",
     {"`{group}`", "`{group, members: [\"DOMAIN\\\\name\"]}`", ""},
     &groups_members},
    {"windows.groups.add_member",
     access::mutating,
     "add an account to a local group",
     {"`{group, account}`", "`{added}`", "`windows.groups.remove_member`"},
     &groups_add_member,
     &undo_groups_add_member},
    {"windows.groups.remove_member",
     access::mutating,
     "remove an account from a local group",
     {"`{group, account}`", "`{removed}`", "`windows.groups.add_member`"},
     &groups_remove_member,
     &undo_groups_remove_member},
};

}  // namespace

std::span<const method_entry<windows_service>> account_methods() { return account_method_table; }

}  // namespace smharden::services::windows
