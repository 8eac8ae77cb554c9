#include "services/iis/iis_method_support.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <limits>

namespace smharden::services::iis {
namespace {

// "IP:port:host"; IP is *, a dotted IPv4 address, or a bracketed IPv6 address.
void validate_binding_information(std::string_view protocol, std::string_view info) {
  if (protocol != "http" && protocol != "https") return;  // net.tcp etc. have other shapes
  size_t colon = 0;
  if (info.starts_with('[')) {
    const size_t close = info.find(']');
    colon = close == std::string_view::npos ? std::string_view::npos : close + 1;
  } else {
    colon = info.find(':');
  }
  const size_t second = colon == std::string_view::npos ? colon : info.find(':', colon + 1);
  const std::string_view port =
      second == std::string_view::npos ? std::string_view() : info.substr(colon + 1, second - colon - 1);
  if (colon == 0 || colon >= info.size() || info[colon] != ':' || second == std::string_view::npos || port.empty() ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw service_error("invalid_params",
                        fmt::format("binding_information \"{}\" is not IP:port:host (e.g. \"127.0.0.1:9998:\" or "
                                    "\"*:443:mail.example.com\")",
                                    info));
  }
}

}  // namespace

const char* bool_text(bool b) { return b ? "true" : "false"; }

std::optional<std::uint32_t> uint32_value(const json& value) {
  if (value.is_number_unsigned()) {
    const auto v = value.get<std::uint64_t>();
    if (v <= std::numeric_limits<std::uint32_t>::max()) return static_cast<std::uint32_t>(v);
  } else if (value.is_number_integer()) {
    const auto v = value.get<std::int64_t>();
    if (v >= 0 && v <= std::int64_t{std::numeric_limits<std::uint32_t>::max()}) return static_cast<std::uint32_t>(v);
  }
  return std::nullopt;
}

std::optional<std::uint32_t> optional_uint(const json& params, const char* key) {
  const auto it = params.find(key);
  if (it == params.end() || it->is_null()) return std::nullopt;
  const auto v = uint32_value(*it);
  if (!v) {
    throw service_error("invalid_params",
                        fmt::format("parameter \"{}\" must be an integer from 0 to 4294967295 (IIS stores it as a "
                                    "uint), found {}",
                                    key, it->dump()));
  }
  return v;
}

json binding_params(const json& b) {
  if (!b.is_object())
    throw service_error("invalid_params", "each binding must be an object {protocol, binding_information}");
  json out = {{"protocol", require_string(b, "protocol")},
              {"binding_information", require_string(b, "binding_information")}};
  validate_binding_information(out["protocol"].get<std::string>(), out["binding_information"].get<std::string>());
  if (b.contains("ssl_flags") && !b["ssl_flags"].is_null()) {
    if (!uint32_value(b["ssl_flags"]))
      throw service_error("invalid_params",
                          "ssl_flags must be an integer from 0 to 4294967295 (IIS stores it as a uint)");
    out["ssl_flags"] = b["ssl_flags"];
  }
  return out;
}

std::string utc_stamp() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  return fmt::format("{:%Y%m%dT%H%M%S}{:03d}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(now)), ms);
}

json entry_params(const json& e) {
  if (!e.is_object()) throw service_error("invalid_params", "each ip_security entry must be an object");
  json out = {{"ip_address", e.value("ip_address", "")},
              {"subnet_mask", e.value("subnet_mask", "255.255.255.255")},
              {"domain_name", e.value("domain_name", "")},
              {"allowed", e.value("allowed", false)}};
  if (out["ip_address"].get<std::string>().empty() == out["domain_name"].get<std::string>().empty()) {
    throw service_error("invalid_params", "each ip_security entry needs exactly one of ip_address or domain_name");
  }
  return out;
}

}  // namespace smharden::services::iis
