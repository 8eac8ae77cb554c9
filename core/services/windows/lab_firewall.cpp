#include "services/windows/lab_firewall.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "base/errors.hpp"
#include "base/json_reader.hpp"
#include "services/windows/lab_backend_support.hpp"

namespace smharden::services::windows {
namespace {

using json = nlohmann::json;

std::string string_key(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) throw std::invalid_argument(fmt::format("\"{}\" must be a string", key));
  return it->get<std::string>();
}

}  // namespace

json rule_to_json(const common::firewall_rule& r) {
  return {{"name", r.name},
          {"group", r.group},
          {"enabled", r.enabled},
          {"direction", r.direction},
          {"action", r.action},
          {"protocol", r.protocol},
          {"local_ports", r.local_ports},
          {"remote_addresses", r.remote_addresses}};
}

common::firewall_rule rule_from_json(const json& j) {
  if (!j.is_object()) throw std::invalid_argument("a rule must be an object");
  for (const auto& [key, value] : j.items()) {
    static const char* const known[] = {"name",   "group",    "enabled",     "direction",
                                        "action", "protocol", "local_ports", "remote_addresses"};
    if (std::none_of(std::begin(known), std::end(known), [&k = key](const char* n) { return k == n; })) {
      throw std::invalid_argument(fmt::format("unknown key \"{}\"", key));
    }
  }
  common::firewall_rule r;
  r.name = string_key(j, "name");
  r.group = j.contains("group") ? string_key(j, "group") : "";
  if (j.contains("enabled")) {
    if (!j["enabled"].is_boolean()) throw std::invalid_argument("\"enabled\" must be true or false");
    r.enabled = j["enabled"].get<bool>();
  }
  r.direction = string_key(j, "direction");
  r.action = string_key(j, "action");
  r.protocol = string_key(j, "protocol");
  r.local_ports = string_key(j, "local_ports");
  r.remote_addresses = string_key(j, "remote_addresses");
  if (const std::string why = common::rule_problem(r); !why.empty()) throw std::invalid_argument(why);
  return r;
}

lab_firewall::lab_firewall(std::filesystem::path file, bool writable, before_file_write_fn before,
                           file_written_fn after)
    : file_(std::move(file)), writable_(writable), writes_(std::move(before), std::move(after)) {}

std::string lab_firewall::not_modelled_reason() const {
  return fmt::format(
      "this lab does not model its Windows Firewall ({} is missing; a lab made by an older smharden): "
      "its rules are unknown, not open; re-create the lab with `smharden lab init` to model them",
      file_.string());
}

std::optional<std::vector<common::firewall_rule>> lab_firewall::rules() const {
  if (!std::filesystem::exists(file_)) return std::nullopt;
  json doc;
  try {
    doc = core::read_json_file(file_, core::json_read_options{core::target_json_limits, core::json_blame::data});
  } catch (const core::error& e) {
    lab::fail("failed", fmt::format("{}; or re-create the lab with `smharden lab init`", e.what()));
  }
  if (!doc.is_object() || !doc.contains("rules") || !doc["rules"].is_array()) {
    lab::fail("failed", fmt::format("{}: the top level must be {{\"rules\": [...]}}; re-create the lab with "
                                    "`smharden lab init`",
                                    file_.string()));
  }
  std::vector<common::firewall_rule> out;
  for (std::size_t i = 0; i < doc["rules"].size(); ++i) {
    try {
      out.push_back(rule_from_json(doc["rules"][i]));
    } catch (const std::exception& e) {
      lab::fail("failed", fmt::format("{}: /rules/{}: {}; fix the rule or re-create the lab with `smharden lab init`",
                                      file_.string(), i, e.what()));
    }
  }
  return out;
}

std::vector<common::firewall_rule> lab_firewall::load_for_write(const char* operation) const {
  if (!writable_)
    lab::fail("refused", fmt::format("{}: this target's firewall is read-only (offline copy)", operation));
  auto current = rules();
  if (!current) lab::fail("unavailable", fmt::format("{}: {}", operation, not_modelled_reason()));
  return *current;
}

void lab_firewall::put_rule(const common::firewall_rule& rule) {
  if (const std::string why = common::rule_problem(rule); !why.empty()) {
    lab::fail("invalid_params", fmt::format("firewall rule \"{}\": {}", rule.name, why));
  }
  auto all = load_for_write("put firewall rule");
  const auto same = [&](const common::firewall_rule& r) { return r.name == rule.name; };
  const auto at = std::find_if(all.begin(), all.end(), same);
  if (at == all.end()) {
    all.push_back(rule);
  } else {
    *at = rule;
    all.erase(std::remove_if(std::next(at), all.end(), same), all.end());
  }
  save(all);
}

void lab_firewall::remove_rule(const std::string& name) {
  auto all = load_for_write("remove firewall rule");
  const auto before = all.size();
  all.erase(std::remove_if(all.begin(), all.end(), [&](const common::firewall_rule& r) { return r.name == name; }),
            all.end());
  if (all.size() != before) save(all);
}

void lab_firewall::save(const std::vector<common::firewall_rule>& rules) { writes_.write(file_, serialize(rules)); }

std::string lab_firewall::serialize(const std::vector<common::firewall_rule>& rules) {
  json list = json::array();
  for (const auto& r : rules) list.push_back(rule_to_json(r));
  return json{{"rules", list}}.dump(2) + "\n";
}

std::vector<common::firewall_rule> lab_firewall::fresh_rules() {
  struct seed {
    const char* name;
    const char* group;
    const char* port;
  };
  static const seed seeds[] = {
      {"World Wide Web Services (HTTP Traffic-In)", "World Wide Web Services (HTTP)", "80"},
      {"World Wide Web Services (HTTPS Traffic-In)", "Secure World Wide Web Services (HTTPS)", "443"},
      {"SmarterMail Web Interface (TCP-In)", "SmarterMail", "9998"},
      {"SmarterMail SMTP (TCP-In)", "SmarterMail", "25"},
      {"SmarterMail SMTP Submission (TCP-In)", "SmarterMail", "587"},
      {"SmarterMail POP3 (TCP-In)", "SmarterMail", "110"},
      {"SmarterMail POP3S (TCP-In)", "SmarterMail", "995"},
      {"SmarterMail IMAP (TCP-In)", "SmarterMail", "143"},
      {"SmarterMail IMAPS (TCP-In)", "SmarterMail", "993"},
  };
  std::vector<common::firewall_rule> out;
  for (const auto& s : seeds) {
    common::firewall_rule r;
    r.name = s.name;
    r.group = s.group;
    r.local_ports = s.port;
    out.push_back(r);
  }
  return out;
}

}  // namespace smharden::services::windows
