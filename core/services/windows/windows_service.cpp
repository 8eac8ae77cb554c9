#include "services/windows/windows_service.hpp"

#include <fmt/format.h>
#include <smharden/common/secret_env_name.hpp>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <utility>

#include "services/windows/account_names.hpp"
#include "services/windows/ace_match.hpp"
#include "services/windows/lab_backend.hpp"
#include "services/windows/os_random.hpp"
#include "services/windows/password_generator.hpp"
#include "services/windows/user_flags.hpp"
#include "util/atomic_file.hpp"

namespace smharden::services::windows {
namespace {

using json = nlohmann::json;

// ---- params ------------------------------------------------------------------

void check_params(const json& params, const std::string& method, std::initializer_list<const char*> allowed) {
  if (!params.is_object()) throw service_error("invalid_params", method + ": params must be a JSON object");
  for (const auto& [key, value] : params.items()) {
    if (key == "password" || key == "new_password") {
      throw service_error("invalid_params",
                          method +
                              ": passwords are never passed as values (params are journaled); supply the "
                              "password as a secret and pass its name in \"password_secret\"");
    }
    if (std::none_of(allowed.begin(), allowed.end(), [&k = key](const char* a) { return k == a; })) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      throw service_error("invalid_params",
                          fmt::format("{}: unknown parameter \"{}\" (allowed: {})", method, key, list));
    }
  }
}

std::optional<std::string> opt_string(const json& p, const char* key) {
  const auto it = p.find(key);
  if (it == p.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw service_error("invalid_params", fmt::format("parameter \"{}\" must be a string", key));
  return it->get<std::string>();
}

std::optional<bool> opt_bool(const json& p, const char* key) {
  const auto it = p.find(key);
  if (it == p.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean())
    throw service_error("invalid_params", fmt::format("parameter \"{}\" must be true or false", key));
  return it->get<bool>();
}

std::optional<std::uint64_t> opt_uint(const json& p, const char* key) {
  const auto it = p.find(key);
  if (it == p.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || (!it->is_number_unsigned() && it->get<std::int64_t>() < 0)) {
    throw service_error("invalid_params", fmt::format("parameter \"{}\" must be a non-negative integer", key));
  }
  return it->is_number_unsigned() ? it->get<std::uint64_t>() : static_cast<std::uint64_t>(it->get<std::int64_t>());
}

json call(const std::string& method, json params) { return {{"method", method}, {"params", std::move(params)}}; }

// ---- JSON shapes -----------------------------------------------------------------

json user_to_json(const user_info& u, const std::vector<std::string>& groups) {
  const user_flag_state st = decode_user_flags(u.flags, u.password_expired);
  return {{"exists", true},
          {"name", u.name},
          {"sid", u.sid},
          {"description", u.description},
          {"full_name", u.full_name},
          {"flags", u.flags},
          {"password_never_expires", st.password_never_expires},
          {"disabled", st.disabled},
          {"locked_out", st.locked_out},
          {"must_change_password", st.must_change_password},
          {"groups", groups}};
}

json ace_to_json(const ace& a) {
  json j = {{"type", a.type == ace_type::allow ? "allow" : "deny"},
            {"trustee", a.trustee},
            {"sid", a.sid},
            {"mask", a.mask},
            {"flags", ace_flag_names(a.flags)},
            {"inherited", (a.flags & ace_flag::inherited) != 0}};
  const std::string rights = access_mask_name(a.mask);
  if (!rights.empty()) j["rights"] = rights;
  return j;
}

json service_to_json(const service_info& s) {
  return {{"exists", true},
          {"name", s.name},
          {"display_name", s.display_name},
          {"account", s.account},
          {"binary_path", s.binary_path},
          {"state", to_string(s.state)},
          {"start_type", to_string(s.start_type)}};
}

// The params that make windows.acl.grant re-create `a`.
json grant_params_for(const std::string& path, const ace& a) {
  std::vector<std::string> inheritance = ace_flag_names(a.flags & ~ace_flag::inherited);
  return {{"path", path},
          {"trustee", a.sid},
          {"mask", a.mask},
          {"inheritance", inheritance},
          {"type", a.type == ace_type::allow ? "allow" : "deny"}};
}

ace ace_from_params(const json& p, const std::string& method) {
  ace a;
  a.trustee = require_string(p, "trustee");
  const auto rights = opt_string(p, "rights");
  const auto mask = opt_uint(p, "mask");
  if (rights.has_value() == mask.has_value()) {
    throw service_error("invalid_params", method +
                                              ": give exactly one of \"rights\" (full_control, modify, "
                                              "read_execute) or \"mask\" (an access mask number)");
  }
  if (rights) {
    if (!parse_access_mask_name(*rights, a.mask)) {
      throw service_error("invalid_params", fmt::format("{}: \"rights\" must be full_control, modify or "
                                                        "read_execute, found \"{}\"",
                                                        method, *rights));
    }
  } else {
    if (*mask == 0 || *mask > 0xFFFFFFFFu)
      throw service_error("invalid_params", method + ": \"mask\" must be 1..2^32-1");
    a.mask = static_cast<std::uint32_t>(*mask);
  }
  a.flags = ace_flag::object_inherit | ace_flag::container_inherit;
  if (const auto it = p.find("inheritance"); it != p.end()) {
    if (!it->is_array())
      throw service_error("invalid_params", method + ": \"inheritance\" must be an array like [\"OI\", \"CI\"]");
    a.flags = 0;
    for (const auto& f : *it) {
      std::uint32_t bit = 0;
      if (!f.is_string() || !parse_ace_flag_name(f.get<std::string>(), bit) || bit == ace_flag::inherited) {
        throw service_error("invalid_params",
                            fmt::format("{}: unknown inheritance flag {} (use OI, CI, NP, IO)", method, f.dump()));
      }
      a.flags |= bit;
    }
  }
  const std::string type = opt_string(p, "type").value_or("allow");
  if (type != "allow" && type != "deny") {
    throw service_error("invalid_params", method + ": \"type\" must be \"allow\" or \"deny\"");
  }
  a.type = type == "allow" ? ace_type::allow : ace_type::deny;
  return a;
}

void validate_right_name(const std::string& right, const std::string& method) {
  const auto ends_with = [&](std::string_view suffix) {
    return right.size() > suffix.size() && right.compare(right.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (right.rfind("Se", 0) != 0 || !(ends_with("Right") || ends_with("Privilege"))) {
    throw service_error("invalid_params", fmt::format("{}: \"{}\" is not an account right name (e.g. "
                                                      "SeServiceLogonRight)",
                                                      method, right));
  }
}

using invoke_fn = std::function<json(const json&)>;
using undo_fn = std::function<undo_record(const json&)>;

// Every exception leaves as a service_error with a stable code.
template <class Fn>
auto guarded(const std::string& method, Fn fn) {
  return [method, fn = std::move(fn)](const json& p) {
    try {
      return fn(p);
    } catch (const service_error&) {
      throw;
    } catch (const json::exception& e) {
      throw service_error("invalid_params", fmt::format("{}: {}", method, e.what()));
    } catch (const std::exception& e) {
      throw service_error("failed", fmt::format("{}: {}", method, e.what()));
    }
  };
}

}  // namespace

std::string previous_secret_name(const std::string& what, const std::string& object) {
  std::string out = "previous_" + what + "_";
  for (const char c : object) {
    out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                                                       : '_';
  }
  return out;
}

windows_service::windows_service(std::unique_ptr<windows_backend> backend, service_env& env,
                                 std::string unavailable_reason)
    : backend_(std::move(backend)), env_(env), unavailable_reason_(std::move(unavailable_reason)) {}

windows_backend& windows_service::backend() const {
  if (!backend_) {
    throw service_error("unavailable",
                        unavailable_reason_.empty() ? "no Windows backend for this target" : unavailable_reason_);
  }
  return *backend_;
}

std::string windows_service::resolve_secret(const std::string& secret_name, const char* method) const {
  std::optional<std::string> value = env_.secret ? env_.secret(secret_name) : std::nullopt;
  if (!value) {
    throw service_error("invalid_params",
                        fmt::format("{}: the secret \"{}\" was not supplied (set the environment variable {} or put "
                                    "it in a --secret-file)",
                                    method, secret_name, common::secret_env_name(secret_name)));
  }
  return *value;
}

void windows_service::register_methods(registry& r) {
  const auto add_read = [&](const std::string& name, const std::string& summary, invoke_fn fn) {
    r.add(method{name, access::read_only, summary, guarded(name, std::move(fn)), nullptr});
  };
  const auto add_write = [&](const std::string& name, const std::string& summary, invoke_fn fn, undo_fn undo) {
    r.add(method{name, access::mutating, summary, guarded(name, std::move(fn)), guarded(name, std::move(undo))});
  };

  // ---- accounts -------------------------------------------------------------------
  add_read("windows.account.lookup", "Resolve an account name or SID: {name} -> {exists, domain, name, sid}",
           [this](const json& p) {
             check_params(p, "windows.account.lookup", {"name"});
             const auto ref = backend().lookup_account(require_string(p, "name"));
             if (!ref) return json{{"exists", false}};
             return json{{"exists", true}, {"domain", ref->domain}, {"name", ref->name}, {"sid", ref->sid}};
           });

  // ---- users ------------------------------------------------------------------------
  add_read("windows.user.get",
           "A local user: {name} -> {exists, sid, description, flags, password_never_expires, disabled, "
           "must_change_password, groups}",
           [this](const json& p) {
             check_params(p, "windows.user.get", {"name"});
             const auto u = backend().get_user(require_string(p, "name"));
             if (!u) return json{{"exists", false}};
             return user_to_json(*u, backend().user_groups(u->name));
           });

  add_write(
      "windows.user.create",
      "Create a local user: {name, password_secret, description?, password_never_expires? (true), disabled? "
      "(false), must_change_password? (false)}",
      [this](const json& p) {
        const std::string m = "windows.user.create";
        check_params(
            p, m,
            {"name", "password_secret", "description", "password_never_expires", "disabled", "must_change_password"});
        new_user u;
        u.name = require_string(p, "name");
        u.description = opt_string(p, "description").value_or("");
        user_flag_state st;
        st.password_never_expires = opt_bool(p, "password_never_expires").value_or(true);
        st.disabled = opt_bool(p, "disabled").value_or(false);
        u.flags = encode_user_flags(0, st);
        u.password_expired = opt_bool(p, "must_change_password").value_or(false);
        u.password = resolve_secret(require_string(p, "password_secret"), m.c_str());
        backend().create_user(u);
        return json{{"created", u.name}};
      },
      [](const json& p) {
        undo_record rec;
        const std::string name = require_string(p, "name");
        rec.calls.push_back(call("windows.user.delete", {{"name", name}}));
        rec.description = fmt::format("delete the local user {} created by this run", name);
        return rec;
      });

  add_write(
      "windows.user.update",
      "Change a local user: {name, description?, password_never_expires?, disabled?, must_change_password?}",
      [this](const json& p) {
        const std::string m = "windows.user.update";
        check_params(p, m, {"name", "description", "password_never_expires", "disabled", "must_change_password"});
        const std::string name = require_string(p, "name");
        const auto u = backend().get_user(name);
        if (!u) throw service_error("not_found", fmt::format("{}: no local user {}", m, name));
        user_update upd;
        upd.description = opt_string(p, "description");
        user_flag_state st = decode_user_flags(u->flags, u->password_expired);
        const auto never_expires = opt_bool(p, "password_never_expires");
        const auto disabled = opt_bool(p, "disabled");
        if (never_expires || disabled) {
          if (never_expires) st.password_never_expires = *never_expires;
          if (disabled) st.disabled = *disabled;
          upd.flags = encode_user_flags(u->flags, st);
        }
        upd.password_expired = opt_bool(p, "must_change_password");
        backend().update_user(name, upd);
        return json{{"updated", u->name}};
      },
      [this](const json& p) {
        undo_record rec;
        const std::string name = require_string(p, "name");
        const auto u = backend().get_user(name);
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
      });

  add_write(
      "windows.user.set_password", "Reset a local user's password: {name, password_secret}",
      [this](const json& p) {
        const std::string m = "windows.user.set_password";
        check_params(p, m, {"name", "password_secret"});
        const std::string name = require_string(p, "name");
        backend().set_password(name, resolve_secret(require_string(p, "password_secret"), m.c_str()));
        return json{{"password_set", name}};
      },
      [](const json& p) {
        undo_record rec;
        const std::string name = require_string(p, "name");
        const std::string secret = previous_secret_name("password", name);
        rec.calls.push_back(call("windows.user.set_password", {{"name", name}, {"password_secret", secret}}));
        rec.needs_secrets.push_back(secret);
        rec.description = fmt::format(
            "set the previous password of local user {} again (Windows cannot read it back: supply it as secret {})",
            name, secret);
        return rec;
      });

  add_write(
      "windows.user.delete", "Delete a local user: {name}",
      [this](const json& p) {
        check_params(p, "windows.user.delete", {"name"});
        const std::string name = require_string(p, "name");
        backend().delete_user(name);
        return json{{"deleted", name}};
      },
      [this](const json& p) {
        undo_record rec;
        const auto u = backend().get_user(require_string(p, "name"));
        if (!u) return rec;
        const user_flag_state st = decode_user_flags(u->flags, u->password_expired);
        const std::string secret = previous_secret_name("password", u->name);
        rec.calls.push_back(call("windows.user.create", {{"name", u->name},
                                                         {"password_secret", secret},
                                                         {"description", u->description},
                                                         {"password_never_expires", st.password_never_expires},
                                                         {"disabled", st.disabled},
                                                         {"must_change_password", st.must_change_password}}));
        for (const auto& g : backend().user_groups(u->name)) {
          if (iequals(g, "Users")) continue;  // a new user joins Users by itself
          rec.calls.push_back(call("windows.groups.add_member", {{"group", g}, {"account", u->name}}));
        }
        rec.needs_secrets.push_back(secret);
        rec.description = fmt::format(
            "re-create local user {} (with a new SID: rights and ACEs granted to the old SID are not restored)",
            u->name);
        return rec;
      });

  // ---- groups -----------------------------------------------------------------------
  add_read("windows.groups.members", "Members of a local group: {group} -> {group, members: [\"DOMAIN\\\\name\"]}",
           [this](const json& p) {
             check_params(p, "windows.groups.members", {"group"});
             const std::string group = require_string(p, "group");
             return json{{"group", group}, {"members", backend().group_members(group)}};
           });

  add_write(
      "windows.groups.add_member", "Add an account to a local group: {group, account}",
      [this](const json& p) {
        check_params(p, "windows.groups.add_member", {"group", "account"});
        backend().add_group_member(require_string(p, "group"), require_string(p, "account"));
        return json{{"added", true}};
      },
      [](const json& p) {
        undo_record rec;
        rec.calls.push_back(call("windows.groups.remove_member",
                                 {{"group", require_string(p, "group")}, {"account", require_string(p, "account")}}));
        rec.description =
            fmt::format("remove {} from {}", p["account"].get<std::string>(), p["group"].get<std::string>());
        return rec;
      });

  add_write(
      "windows.groups.remove_member", "Remove an account from a local group: {group, account}",
      [this](const json& p) {
        check_params(p, "windows.groups.remove_member", {"group", "account"});
        backend().remove_group_member(require_string(p, "group"), require_string(p, "account"));
        return json{{"removed", true}};
      },
      [](const json& p) {
        undo_record rec;
        rec.calls.push_back(call("windows.groups.add_member",
                                 {{"group", require_string(p, "group")}, {"account", require_string(p, "account")}}));
        rec.description =
            fmt::format("add {} to {} again", p["account"].get<std::string>(), p["group"].get<std::string>());
        return rec;
      });

  // ---- rights -----------------------------------------------------------------------
  add_read(
      "windows.rights.get", "Account rights held directly: {account} -> {exists, sid, rights}", [this](const json& p) {
        check_params(p, "windows.rights.get", {"account"});
        const std::string account = require_string(p, "account");
        const auto ref = backend().lookup_account(account);
        if (!ref) return json{{"account", account}, {"exists", false}, {"rights", json::array()}};
        return json{
            {"account", account}, {"exists", true}, {"sid", ref->sid}, {"rights", backend().account_rights(ref->sid)}};
      });

  const auto holds = [this](const std::string& account, const std::string& right) {
    const auto ref = backend().lookup_account(account);
    if (!ref) return false;
    const auto rights = backend().account_rights(ref->sid);
    return std::find(rights.begin(), rights.end(), right) != rights.end();
  };

  add_write(
      "windows.rights.grant", "Grant an account right: {account, right}",
      [this](const json& p) {
        const std::string m = "windows.rights.grant";
        check_params(p, m, {"account", "right"});
        const std::string right = require_string(p, "right");
        validate_right_name(right, m);
        backend().grant_right(require_string(p, "account"), right);
        return json{{"granted", right}};
      },
      [holds](const json& p) {
        undo_record rec;
        const std::string account = require_string(p, "account");
        const std::string right = require_string(p, "right");
        if (holds(account, right)) return rec;
        rec.calls.push_back(call("windows.rights.revoke", {{"account", account}, {"right", right}}));
        rec.description = fmt::format("revoke {} from {}", right, account);
        return rec;
      });

  add_write(
      "windows.rights.revoke", "Revoke an account right: {account, right}",
      [this](const json& p) {
        const std::string m = "windows.rights.revoke";
        check_params(p, m, {"account", "right"});
        const std::string right = require_string(p, "right");
        validate_right_name(right, m);
        backend().revoke_right(require_string(p, "account"), right);
        return json{{"revoked", right}};
      },
      [holds](const json& p) {
        undo_record rec;
        const std::string account = require_string(p, "account");
        const std::string right = require_string(p, "right");
        if (!holds(account, right)) return rec;
        rec.calls.push_back(call("windows.rights.grant", {{"account", account}, {"right", right}}));
        rec.description = fmt::format("grant {} to {} again", right, account);
        return rec;
      });

  // ---- folder ACLs ------------------------------------------------------------------
  add_read("windows.acl.get",
           "A folder's DACL: {path} -> {exists, path, inheritance_protected, aces: [{type, trustee, sid, mask, "
           "rights?, flags, inherited}]}",
           [this](const json& p) {
             check_params(p, "windows.acl.get", {"path"});
             const std::string path = require_string(p, "path");
             try {
               const folder_acl acl = backend().get_acl(path);
               json aces = json::array();
               for (const auto& a : acl.aces) aces.push_back(ace_to_json(a));
               return json{{"exists", true},
                           {"path", acl.path},
                           {"inheritance_protected", acl.inheritance_protected},
                           {"aces", aces}};
             } catch (const service_error& e) {
               if (e.code() != "not_found") throw;
               return json{{"exists", false}, {"path", path}, {"aces", json::array()}};
             }
           });

  // The explicit ACEs of the trustee on `path`, and how to re-create them.
  const auto restore_calls = [this](const std::string& path, const std::string& sid) {
    json calls = json::array();
    folder_acl acl;
    try {
      acl = backend().get_acl(path);
    } catch (const service_error& e) {
      if (e.code() == "not_found") return calls;  // the call itself fails and changes nothing
      throw;
    }
    for (const auto& a : acl.aces) {
      if ((a.flags & ace_flag::inherited) == 0 && iequals(a.sid, sid)) {
        calls.push_back(call("windows.acl.grant", grant_params_for(path, a)));
      }
    }
    return calls;
  };

  add_write(
      "windows.acl.grant",
      "Add an explicit ACE: {path, trustee, rights (modify|read_execute|full_control) | mask, inheritance? "
      "([\"OI\",\"CI\"]), type? (allow|deny)}",
      [this](const json& p) {
        const std::string m = "windows.acl.grant";
        check_params(p, m, {"path", "trustee", "rights", "mask", "inheritance", "type"});
        const std::string path = require_string(p, "path");
        const ace a = ace_from_params(p, m);
        backend().grant_ace(path, a);
        return json{{"granted", ace_to_json(a)}};
      },
      [this, restore_calls](const json& p) {
        undo_record rec;
        const std::string path = require_string(p, "path");
        const std::string trustee = require_string(p, "trustee");
        const auto ref = backend().lookup_account(trustee);
        if (!ref) return rec;  // the call fails with not_found and changes nothing
        rec.calls.push_back(call("windows.acl.revoke", {{"path", path}, {"trustee", ref->sid}}));
        for (auto& c : restore_calls(path, ref->sid)) rec.calls.push_back(std::move(c));
        rec.description = fmt::format("restore the explicit ACEs of {} on {}", trustee, path);
        return rec;
      });

  add_write(
      "windows.acl.revoke", "Remove every explicit ACE of a trustee: {path, trustee}",
      [this](const json& p) {
        check_params(p, "windows.acl.revoke", {"path", "trustee"});
        backend().revoke_aces(require_string(p, "path"), require_string(p, "trustee"));
        return json{{"revoked", true}};
      },
      [this, restore_calls](const json& p) {
        undo_record rec;
        const std::string path = require_string(p, "path");
        const std::string trustee = require_string(p, "trustee");
        const auto ref = backend().lookup_account(trustee);
        if (!ref) return rec;
        rec.calls = restore_calls(path, ref->sid);
        rec.description = fmt::format("grant the removed ACEs of {} on {} again", trustee, path);
        return rec;
      });

  // ---- services ---------------------------------------------------------------------
  add_read("windows.service.get",
           "A Windows service: {name} -> {exists, account, state, start_type, display_name, binary_path}",
           [this](const json& p) {
             check_params(p, "windows.service.get", {"name"});
             const auto s = backend().get_service(require_string(p, "name"));
             if (!s) return json{{"exists", false}};
             return service_to_json(*s);
           });

  add_write(
      "windows.service.set_logon",
      "Set the account a service logs on as: {name, account, password_secret? (required unless the account is "
      "LocalSystem/LocalService/NetworkService/NT SERVICE\\\\x or unchanged)}",
      [this](const json& p) {
        const std::string m = "windows.service.set_logon";
        check_params(p, m, {"name", "account", "password_secret"});
        const std::string name = require_string(p, "name");
        const std::string account = require_string(p, "account");
        const auto secret = opt_string(p, "password_secret");
        std::optional<std::string> password;
        if (is_passwordless_service_account(account)) {
          password = std::string();
        } else if (secret) {
          password = resolve_secret(*secret, m.c_str());
        } else {
          const auto current = backend().get_service(name);
          if (!current || !same_account(current->account, account, backend().computer_name())) {
            throw service_error("invalid_params", fmt::format("{}: the account {} needs its password: pass the name "
                                                              "of a secret in \"password_secret\"",
                                                              m, account));
          }
        }
        backend().set_service_logon(name, account, password);
        return json{{"name", name}, {"account", account}};
      },
      [this](const json& p) {
        undo_record rec;
        const std::string name = require_string(p, "name");
        const auto s = backend().get_service(name);
        if (!s) return rec;
        json params = {{"name", s->name}, {"account", s->account}};
        if (!is_passwordless_service_account(s->account)) {
          const std::string secret = previous_secret_name("service_password", s->name);
          params["password_secret"] = secret;
          rec.needs_secrets.push_back(secret);
        }
        rec.calls.push_back(call("windows.service.set_logon", params));
        rec.description = fmt::format("set service {} to log on as {} again", s->name, s->account);
        return rec;
      });

  const auto state_undo = [this](const json& p, service_state only_if, const char* method, const char* verb) {
    undo_record rec;
    const auto s = backend().get_service(require_string(p, "name"));
    if (!s || s->state != only_if) return rec;
    rec.calls.push_back(call(method, {{"name", s->name}}));
    rec.description = fmt::format("{} service {} again", verb, s->name);
    return rec;
  };

  add_write(
      "windows.service.stop", "Stop a service and wait until it has stopped: {name}",
      [this](const json& p) {
        check_params(p, "windows.service.stop", {"name"});
        backend().stop_service(require_string(p, "name"));
        return json{{"state", "stopped"}};
      },
      [state_undo](const json& p) { return state_undo(p, service_state::running, "windows.service.start", "start"); });

  add_write(
      "windows.service.start", "Start a service and wait until it runs: {name}",
      [this](const json& p) {
        check_params(p, "windows.service.start", {"name"});
        backend().start_service(require_string(p, "name"));
        return json{{"state", "running"}};
      },
      [state_undo](const json& p) { return state_undo(p, service_state::stopped, "windows.service.stop", "stop"); });

  add_write(
      "windows.service.restart", "Stop then start a service (the engine's batched restart): {name}",
      [this](const json& p) {
        check_params(p, "windows.service.restart", {"name"});
        const std::string name = require_string(p, "name");
        backend().stop_service(name);
        backend().start_service(name);
        return json{{"state", "running"}};
      },
      [](const json&) {
        undo_record rec;
        rec.description = "a restart is not undone";
        return rec;
      });

  // ---- randomness -------------------------------------------------------------------
  add_read("windows.random.password",
           "A strong random password from the OS CSPRNG, returned only to the caller: {length? (24)} -> {password}",
           [](const json& p) {
             const std::string m = "windows.random.password";
             check_params(p, m, {"length"});
             const std::uint64_t length = opt_uint(p, "length").value_or(24);
             if (length < min_password_length || length > max_password_length) {
               throw service_error("invalid_params", fmt::format("{}: \"length\" must be {}..{}", m,
                                                                 min_password_length, max_password_length));
             }
             return json{{"password", generate_password(static_cast<std::size_t>(length), os_random_bytes)}};
           });
}

std::unique_ptr<service> make_windows_service(const target& t, service_env& env) {
  const auto state_file = t.root / "windows" / "state.json";
  switch (t.kind) {
    case target_kind::lab: {
      lab_backend::options o;
      o.state_file = state_file;
      o.writable = true;
      o.before_write = env.before_file_write;
      o.missing_hint = fmt::format("create the lab with `smharden lab init {}`", t.root.string());
      return std::make_unique<windows_service>(std::make_unique<lab_backend>(std::move(o)), env);
    }
    case target_kind::offline: {
      if (!std::filesystem::exists(state_file)) {
        return std::make_unique<windows_service>(
            nullptr, env,
            fmt::format("the offline target {} has no windows/state.json: users, rights, folder ACLs and services "
                        "cannot be read from a copy of config files",
                        t.root.string()));
      }
      lab_backend::options o;
      o.state_file = state_file;
      o.writable = false;
      return std::make_unique<windows_service>(std::make_unique<lab_backend>(std::move(o)), env);
    }
    case target_kind::local:
#ifdef _WIN32
      return std::make_unique<windows_service>(make_win32_backend(), env);
#else
      return std::make_unique<windows_service>(
          nullptr, env, "the local target needs Windows (this build is not for Windows); use --target lab:DIR");
#endif
  }
  return std::make_unique<windows_service>(nullptr, env, "unknown target kind");
}

void seed_windows_lab(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir / "windows");
  util::write_file_atomic(dir / "windows" / "state.json", lab_backend::serialize(lab_backend::fresh_state()));
}

}  // namespace smharden::services::windows
