// windows.rights.* and windows.acl.*: one function per method and per undo.
#include <fmt/format.h>

#include <algorithm>
#include <smharden/common/account_names.hpp>

#include "services/windows/windows_method_support.hpp"

namespace smharden::services::windows {
namespace {

using self_t = windows_service;

// ---- rights -----------------------------------------------------------------------

bool holds(self_t& self, const std::string& account, const std::string& right) {
  const auto ref = self.backend().lookup_account(account);
  if (!ref) return false;
  const auto rights = self.backend().account_rights(ref->sid);
  return std::find(rights.begin(), rights.end(), right) != rights.end();
}

json rights_get(self_t& self, const json& p) {
  check_params(p, "windows.rights.get", {"account"});
  const std::string account = require_string(p, "account");
  const auto ref = self.backend().lookup_account(account);
  if (!ref) return json{{"account", account}, {"exists", false}, {"rights", json::array()}};
  return json{
      {"account", account}, {"exists", true}, {"sid", ref->sid}, {"rights", self.backend().account_rights(ref->sid)}};
}

json rights_grant(self_t& self, const json& p) {
  const std::string m = "windows.rights.grant";
  check_params(p, m, {"account", "right"});
  const std::string right = require_string(p, "right");
  validate_right_name(right, m);
  self.backend().grant_right(require_string(p, "account"), right);
  return json{{"granted", right}};
}

undo_record undo_rights_grant(self_t& self, const json& p) {
  undo_record rec;
  const std::string account = require_string(p, "account");
  const std::string right = require_string(p, "right");
  if (holds(self, account, right)) return rec;
  rec.calls.push_back(call("windows.rights.revoke", {{"account", account}, {"right", right}}));
  rec.description = fmt::format("revoke {} from {}", right, account);
  return rec;
}

json rights_revoke(self_t& self, const json& p) {
  const std::string m = "windows.rights.revoke";
  check_params(p, m, {"account", "right"});
  const std::string right = require_string(p, "right");
  validate_right_name(right, m);
  self.backend().revoke_right(require_string(p, "account"), right);
  return json{{"revoked", right}};
}

undo_record undo_rights_revoke(self_t& self, const json& p) {
  undo_record rec;
  const std::string account = require_string(p, "account");
  const std::string right = require_string(p, "right");
  if (!holds(self, account, right)) return rec;
  rec.calls.push_back(call("windows.rights.grant", {{"account", account}, {"right", right}}));
  rec.description = fmt::format("grant {} to {} again", right, account);
  return rec;
}

// ---- folder ACLs ------------------------------------------------------------------

json acl_get(self_t& self, const json& p) {
  check_params(p, "windows.acl.get", {"path"});
  const std::string path = require_string(p, "path");
  try {
    const folder_acl acl = self.backend().get_acl(path);
    json aces = json::array();
    for (const auto& a : acl.aces) aces.push_back(ace_to_json(a));
    return json{
        {"exists", true}, {"path", acl.path}, {"inheritance_protected", acl.inheritance_protected}, {"aces", aces}};
  } catch (const service_error& e) {
    if (e.code() != "not_found") throw;
    return json{{"exists", false}, {"path", path}, {"aces", json::array()}};
  }
}

// The explicit ACEs of the trustee on `path`, and how to re-create them.
json restore_calls(self_t& self, const std::string& path, const std::string& sid) {
  json calls = json::array();
  folder_acl acl;
  try {
    acl = self.backend().get_acl(path);
  } catch (const service_error& e) {
    if (e.code() == "not_found") return calls;  // the call itself fails and changes nothing
    throw;
  }
  for (const auto& a : acl.aces) {
    if ((a.flags & ace_flag::inherited) == 0 && common::iequals(a.sid, sid)) {
      calls.push_back(call("windows.acl.grant", grant_params_for(path, a)));
    }
  }
  return calls;
}

json acl_grant(self_t& self, const json& p) {
  const std::string m = "windows.acl.grant";
  check_params(p, m, {"path", "trustee", "rights", "mask", "inheritance", "type"});
  const std::string path = require_string(p, "path");
  const ace a = ace_from_params(p, m);
  self.backend().grant_ace(path, a);
  return json{{"granted", ace_to_json(a)}};
}

undo_record undo_acl_grant(self_t& self, const json& p) {
  undo_record rec;
  const std::string path = require_string(p, "path");
  const std::string trustee = require_string(p, "trustee");
  const auto ref = self.backend().lookup_account(trustee);
  if (!ref) return rec;  // the call fails with not_found and changes nothing
  rec.calls.push_back(call("windows.acl.revoke", {{"path", path}, {"trustee", ref->sid}}));
  for (auto& c : restore_calls(self, path, ref->sid)) rec.calls.push_back(std::move(c));
  rec.description = fmt::format("restore the explicit ACEs of {} on {}", trustee, path);
  return rec;
}

json acl_revoke(self_t& self, const json& p) {
  check_params(p, "windows.acl.revoke", {"path", "trustee"});
  self.backend().revoke_aces(require_string(p, "path"), require_string(p, "trustee"));
  return json{{"revoked", true}};
}

undo_record undo_acl_revoke(self_t& self, const json& p) {
  undo_record rec;
  const std::string path = require_string(p, "path");
  const std::string trustee = require_string(p, "trustee");
  const auto ref = self.backend().lookup_account(trustee);
  if (!ref) return rec;
  rec.calls = restore_calls(self, path, ref->sid);
  rec.description = fmt::format("grant the removed ACEs of {} on {} again", trustee, path);
  return rec;
}

const method_entry<windows_service> acl_method_table[] = {
    {"windows.rights.get",
     access::read_only,
     "the account rights an account holds directly",
     {"`{account}`", "`{account, exists, sid, rights}`", ""},
     &rights_get},
    {"windows.rights.grant",
     access::mutating,
     "grant an account right (e.g. SeServiceLogonRight)",
     {"`{account, right}`", "`{granted}`", "`windows.rights.revoke`, or none when the account holds it already"},
     &rights_grant,
     &undo_rights_grant},
    {"windows.rights.revoke",
     access::mutating,
     "revoke an account right",
     {"`{account, right}`", "`{revoked}`", "`windows.rights.grant`, or none when the account does not hold it"},
     &rights_revoke,
     &undo_rights_revoke},
    {"windows.acl.get",
     access::read_only,
     "a folder's DACL (`exists: false` for a missing folder)",
     {"`{path}`",
      "`{exists, path, inheritance_protected, aces: [{type, trustee, sid, mask, rights?, flags: "
      "[\"OI\",\"CI\",\"NP\",\"IO\",\"ID\"], inherited}]}`",
      ""},
     &acl_get},
    {"windows.acl.grant",
     access::mutating,
     "add an explicit ACE; allow merges into an explicit ACE with the same flags (GRANT_ACCESS)",
     {"`{path, trustee, rights (modify, read_execute, full_control) | mask, inheritance? ([\"OI\",\"CI\"]), "
      "type? (allow, deny)}`",
      "`{granted: ace}`",
      "`windows.acl.revoke` of the trustee's explicit ACEs, then `windows.acl.grant` of its previous ones"},
     &acl_grant,
     &undo_acl_grant},
    {"windows.acl.revoke",
     access::mutating,
     "remove every explicit ACE of a trustee (REVOKE_ACCESS)",
     {"`{path, trustee}`", "`{revoked}`", "`windows.acl.grant` of each removed ACE"},
     &acl_revoke,
     &undo_acl_revoke},
};

}  // namespace

std::span<const method_entry<windows_service>> rights_and_acl_methods() { return acl_method_table; }

}  // namespace smharden::services::windows
