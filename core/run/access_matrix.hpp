// The access matrix of a run: for each audience of the profile and each
// surface of the server, whether the audience reaches the surface before the
// run and after it. Steps that restrict access tell the host's access guard
// what their layer (IIS bindings, IIS IP restrictions, SmarterMail login by
// IP, ...) allows before and after; a cell is the conjunction of the layers
// that spoke for it, and "unknown" when none did or one could not say.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace smharden::core {

enum class reach { yes, no, unknown };

const char* to_string(reach r);

/// The surfaces, in report order: webmail (the public bindings),
/// activesync_mapi, port_9998, admin_login, smtp_relay.
const std::vector<std::string>& access_surfaces();

/// The surfaces an audience needs (an apply that takes one away is refused).
const std::vector<std::string>& surfaces_needed_by(const std::string& audience);

class access_matrix {
 public:
  /// `audiences`: guard.access.audiences' answer; audiences with no address are left out.
  explicit access_matrix(const nlohmann::json& audiences);

  /// Declared audiences in report order, with their addresses (relay apps: their addresses).
  const std::vector<std::pair<std::string, std::vector<std::string>>>& audiences() const { return audiences_; }

  /// What `layer` (a step id) says about `audience` on `surface`. A later record of the same layer
  /// (the verify after an apply) replaces only `after`: `before` stays what the first record saw.
  void record(const std::string& layer, const std::string& audience, const std::string& surface, reach before,
              reach after);

  /// {"audiences": [...], "surfaces": [...], "cells": [{"audience","surface","before","after"}]}
  nlohmann::json to_json() const;

 private:
  struct layer_cell {
    reach before = reach::unknown;
    reach after = reach::unknown;
  };
  std::vector<std::pair<std::string, std::vector<std::string>>> audiences_;
  /// (audience, surface) -> layer -> cell
  std::map<std::pair<std::string, std::string>, std::map<std::string, layer_cell>> cells_;
};

}  // namespace smharden::core
