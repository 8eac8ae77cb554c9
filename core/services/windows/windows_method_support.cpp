#include "services/windows/windows_method_support.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <smharden/common/ace_match.hpp>

#include "services/windows/user_flags.hpp"

namespace smharden::services::windows {

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
            {"flags", common::ace_flag_names(a.flags)},
            {"inherited", (a.flags & ace_flag::inherited) != 0}};
  const std::string rights = common::access_mask_name(a.mask);
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
  std::vector<std::string> inheritance = common::ace_flag_names(a.flags & ~ace_flag::inherited);
  return {{"path", path},
          {"trustee", a.sid},
          {"mask", a.mask},
          {"inheritance", inheritance},
          {"type", a.type == ace_type::allow ? "allow" : "deny"}};
}

ace ace_from_params(const json& p, const std::string& method) {
  ace a;
  a.trustee = require_string(p, "trustee");
  const auto rights = optional_string(p, "rights");
  const auto mask = opt_uint(p, "mask");
  if (rights.has_value() == mask.has_value()) {
    throw service_error("invalid_params", method +
                                              ": give exactly one of \"rights\" (full_control, modify, "
                                              "read_execute) or \"mask\" (an access mask number)");
  }
  if (rights) {
    if (!common::parse_access_mask_name(*rights, a.mask)) {
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
      if (!f.is_string() || !common::parse_ace_flag_name(f.get<std::string>(), bit) || bit == ace_flag::inherited) {
        throw service_error("invalid_params",
                            fmt::format("{}: unknown inheritance flag {} (use OI, CI, NP, IO)", method, f.dump()));
      }
      a.flags |= bit;
    }
  }
  const std::string type = optional_string(p, "type").value_or("allow");
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

}  // namespace smharden::services::windows
