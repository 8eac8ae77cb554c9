#include "run/access_matrix.hpp"

namespace smharden::core {
namespace {

using nlohmann::json;

const std::vector<std::string> audience_order = {"management", "webmail_users", "mail_clients", "relay_apps"};

// Every layer must let the audience through: one "no" decides; without a "no", one "unknown" does.
reach conjunction(reach a, reach b) {
  if (a == reach::no || b == reach::no) return reach::no;
  if (a == reach::unknown || b == reach::unknown) return reach::unknown;
  return reach::yes;
}

}  // namespace

const char* to_string(reach r) {
  switch (r) {
    case reach::yes:
      return "yes";
    case reach::no:
      return "no";
    case reach::unknown:
      break;
  }
  return "unknown";
}

const std::vector<std::string>& access_surfaces() {
  static const std::vector<std::string> surfaces = {"webmail", "activesync_mapi", "port_9998", "admin_login",
                                                    "smtp_relay"};
  return surfaces;
}

const std::vector<std::string>& surfaces_needed_by(const std::string& audience) {
  static const std::map<std::string, std::vector<std::string>> needs = {
      {"management", {"admin_login"}},
      {"webmail_users", {"webmail"}},
      {"mail_clients", {"activesync_mapi"}},
      {"relay_apps", {"smtp_relay"}},
  };
  static const std::vector<std::string> none;
  const auto it = needs.find(audience);
  return it == needs.end() ? none : it->second;
}

access_matrix::access_matrix(const json& audiences) {
  for (const std::string& name : audience_order) {
    std::vector<std::string> addresses;
    for (const json& entry : audiences.value(name, json::array())) {
      if (entry.is_string()) addresses.push_back(entry.get<std::string>());
      if (entry.is_object() && entry.contains("address")) addresses.push_back(entry["address"].get<std::string>());
    }
    if (!addresses.empty()) audiences_.emplace_back(name, std::move(addresses));
  }
}

void access_matrix::record(const std::string& layer, const std::string& audience, const std::string& surface,
                           reach before, reach after) {
  auto& layers = cells_[{audience, surface}];
  const auto seen = layers.find(layer);
  // The first record of a layer is from before the run changed anything; later ones (the verify after an apply) only
  // update what it allows after.
  if (seen != layers.end()) {
    seen->second.after = after;
  } else {
    layers[layer] = {before, after};
  }
}

json access_matrix::to_json() const {
  json out = {{"audiences", json::array()}, {"surfaces", access_surfaces()}, {"cells", json::array()}};
  for (const auto& [audience, addresses] : audiences_) {
    out["audiences"].push_back(audience);
    for (const std::string& surface : access_surfaces()) {
      reach before = reach::unknown;
      reach after = reach::unknown;
      const auto it = cells_.find({audience, surface});
      if (it != cells_.end() && !it->second.empty()) {
        before = after = reach::yes;
        for (const auto& [layer, cell] : it->second) {
          before = conjunction(before, cell.before);
          after = conjunction(after, cell.after);
        }
      }
      out["cells"].push_back(
          {{"audience", audience}, {"surface", surface}, {"before", to_string(before)}, {"after", to_string(after)}});
    }
  }
  return out;
}

}  // namespace smharden::core
