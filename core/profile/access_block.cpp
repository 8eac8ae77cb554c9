#include "profile/access_block.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <smharden/common/ip_range.hpp>
#include <vector>

#include "base/did_you_mean.hpp"
#include "base/errors.hpp"
#include "profile/problem_text.hpp"

namespace smharden::core {
namespace {

const std::vector<std::string> access_keys = {"management", "webmail_users", "mail_clients", "relay_apps"};
const std::vector<std::string> relay_app_keys = {"address", "name"};

void check_keys(const std::string& file, const ordered_json& object, const std::string& pointer,
                const std::vector<std::string>& allowed, const char* what) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    const std::string suggestion = closest_match(key, allowed);
    throw_problem(file, pointer_append(pointer, key),
                  fmt::format("one of the {} keys ({})", what, fmt::join(allowed, ", ")), fmt::format("\"{}\"", key),
                  suggestion.empty() ? "remove the key" : fmt::format("rename it to \"{}\", or remove it", suggestion));
  }
}

void check_address(const std::string& file, const std::string& pointer, const ordered_json& value) {
  if (!value.is_string() || !common::parse_ip_network(value.get<std::string>())) {
    throw_problem(
        file, pointer, "an IPv4 or IPv6 address or CIDR block (e.g. \"203.0.113.0/24\", \"0.0.0.0/0\", \"::/0\")",
        describe_typed(value),
        "write an address, optionally with a /prefix (IPv4 octets 0-255 without leading zeros, prefix up to /32 "
        "for IPv4 or /128 for IPv6)");
  }
}

void check_address_list(const std::string& file, const std::string& pointer, const ordered_json& list) {
  if (!list.is_array()) {
    throw_problem(file, pointer, "an array of addresses or CIDR blocks", describe_typed(list),
                  "write [\"203.0.113.0/24\"], or [] for nobody");
  }
  for (std::size_t i = 0; i < list.size(); ++i) check_address(file, fmt::format("{}/{}", pointer, i), list[i]);
}

void check_relay_apps(const std::string& file, const ordered_json& list) {
  const std::string pointer = "/access/relay_apps";
  const char* fix = "write [{\"address\": \"198.51.100.10\", \"name\": \"CRM\"}]";
  if (!list.is_array()) throw_problem(file, pointer, "an array of relay applications", describe_typed(list), fix);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = fmt::format("{}/{}", pointer, i);
    const ordered_json& app = list[i];
    if (!app.is_object()) throw_problem(file, at, "an object {\"address\", \"name\"}", describe_typed(app), fix);
    check_keys(file, app, at, relay_app_keys, "relay application");
    if (!app.contains("address")) {
      throw_problem(file, at + "/address", "the address the application sends from", "nothing",
                    "add \"address\": \"198.51.100.10\"");
    }
    check_address(file, at + "/address", app["address"]);
    if (app.contains("name") && (!app["name"].is_string() || app["name"].get<std::string>().empty())) {
      throw_problem(file, at + "/name", "a non-empty name for the application", describe_typed(app["name"]),
                    "write \"name\": \"CRM\", or remove \"name\"");
    }
  }
}

}  // namespace

void check_access_block(const std::string& file, const ordered_json& block) {
  if (!block.is_object()) {
    throw_problem(file, "/access", "an object of audiences", describe_typed(block),
                  "write \"access\": {\"management\": [...], \"webmail_users\": [...], \"mail_clients\": [...], "
                  "\"relay_apps\": [...]}");
  }
  check_keys(file, block, "/access", access_keys, "access");
  for (const char* key : {"management", "webmail_users", "mail_clients"}) {
    if (block.contains(key)) check_address_list(file, pointer_append("/access", key), block[key]);
  }
  if (block.contains("relay_apps")) check_relay_apps(file, block["relay_apps"]);
}

void merge_access_block(access_audiences& into, const ordered_json& block) {
  if (block.contains("management")) into.management = block["management"].get<std::vector<std::string>>();
  if (block.contains("webmail_users")) into.webmail_users = block["webmail_users"].get<std::vector<std::string>>();
  if (block.contains("mail_clients")) into.mail_clients = block["mail_clients"].get<std::vector<std::string>>();
  if (block.contains("relay_apps")) {
    into.relay_apps.clear();
    for (const auto& app : block["relay_apps"]) {
      const std::string address = app["address"].get<std::string>();
      into.relay_apps.push_back({address, app.contains("name") ? app["name"].get<std::string>() : address});
    }
  }
}

nlohmann::json audiences_json(const access_audiences& access, const std::vector<std::string>& management) {
  nlohmann::json apps = nlohmann::json::array();
  for (const relay_app& app : access.relay_apps) apps.push_back({{"address", app.address}, {"name", app.name}});
  return {{"management", management},
          {"webmail_users", access.webmail_users},
          {"mail_clients", access.mail_clients},
          {"relay_apps", std::move(apps)}};
}

std::vector<std::string> profile::management_audience() const {
  std::vector<std::string> out = management_cidrs;
  for (const std::string& entry : access.management) {
    if (std::find(out.begin(), out.end(), entry) == out.end()) out.push_back(entry);
  }
  return out;
}

}  // namespace smharden::core
