#include "services/windows/lab_backend_support.hpp"

#include <algorithm>
#include <smharden/common/account_names.hpp>
#include <smharden/common/ace_match.hpp>
#include <stdexcept>

#include "base/atomic_file.hpp"
#include "base/hex.hpp"
#include "services/service_registry.hpp"
#include "services/windows/os_random.hpp"

namespace smharden::services::windows::lab {
namespace {}  // namespace

void fail(const std::string& code, const std::string& message) { throw service_error(code, message); }

std::string salt_of(const json& stored) {
  if (stored.is_object() && stored.contains("salt") && stored["salt"].is_string()) {
    return stored["salt"].get<std::string>();
  }
  return util::hex_encode(os_random_bytes(16));
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

std::string normalize_path(const std::string& path) {
  std::string out = path;
  std::replace(out.begin(), out.end(), '/', '\\');
  while (out.size() > 3 && out.back() == '\\') out.pop_back();
  return out;
}

json* find_ci(json& object, const std::string& key) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (common::iequals(it.key(), key)) return &it.value();
  }
  return nullptr;
}

std::string key_ci(const json& object, const std::string& key) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (common::iequals(it.key(), key)) return it.key();
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
          {"flags", common::ace_flag_names(a.flags)}};
}

ace ace_from_state(const json& j) {
  ace a;
  a.type = j.at("type").get<std::string>() == "deny" ? ace_type::deny : ace_type::allow;
  a.sid = j.at("sid").get<std::string>();
  a.mask = j.at("mask").get<std::uint32_t>();
  for (const auto& f : j.at("flags")) {
    std::uint32_t bit = 0;
    if (!common::parse_ace_flag_name(f.get<std::string>(), bit))
      throw std::invalid_argument("unknown ACE flag " + f.dump());
    a.flags |= bit;
  }
  return a;
}

}  // namespace smharden::services::windows::lab
