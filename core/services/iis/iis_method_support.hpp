// What the iis.* method functions share: param readers (bad or missing params
// are invalid_params), the shapes of bindings and ipSecurity entries, and the
// two method tables iis_service registers.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "services/iis/iis_model.hpp"
#include "services/iis/iis_service.hpp"
#include "services/method_table.hpp"

namespace smharden::services::iis {

/// `value` when it is an integer an IIS uint attribute can hold (0 to 4294967295), else nullopt.
std::optional<std::uint32_t> uint32_value(const json& value);
/// The parameter as a uint attribute value; throws invalid_params when out of that range.
std::optional<std::uint32_t> optional_uint(const json& params, const char* key);

/// A required string param that must be one of `allowed` (case-insensitive); returns its spelling in `allowed`.
template <size_t N>
std::string require_enum(const json& params, const char* key, const char* const (&allowed)[N]) {
  const std::string v = require_string(params, key);
  for (const char* a : allowed) {
    if (iequals(v, a)) return a;
  }
  std::vector<std::string> names(std::begin(allowed), std::end(allowed));
  throw service_error("invalid_params",
                      fmt::format("parameter \"{}\" is \"{}\"; expected one of {}", key, v, fmt::join(names, ", ")));
}

const char* bool_text(bool b);

/// A binding param {protocol, binding_information, ssl_flags?}, checked (http/https: "IP:port:host").
json binding_params(const json& b);

/// An ipSecurity entry param {ip_address | domain_name, subnet_mask?, allowed?}, with its defaults.
json entry_params(const json& e);

/// Now in UTC as yyyymmddThhmmssmmmZ (history copies, the lab's recycle log).
std::string utc_stamp();

/// iis.config.info, iis.sites.list, iis.site.*, iis.app_pool.*
std::span<const method_entry<iis_service>> site_and_pool_methods();
/// iis.bindings.*, iis.modules.get, iis.ip_security.*, iis.dynamic_ip_security.*, iis.section.restore
std::span<const method_entry<iis_service>> security_methods();
/// iis.headers.*, iis.hsts.*
std::span<const method_entry<iis_service>> header_methods();

}  // namespace smharden::services::iis
