// guard.access.check: each step that restricts access says what its layer
// allows on each surface before and after it applies; the guard proves, per
// audience of the profile, that no audience loses a surface it needs, and
// records every cell in the run's access matrix.
#include <fmt/format.h>

#include <algorithm>
#include <smharden/common/access_proof.hpp>
#include <string>
#include <vector>

#include "run/access_guard.hpp"
#include "services/method_table.hpp"

namespace smharden::core {
namespace {

using nlohmann::json;
using services::service_error;

struct layer_policy {
  bool known = false;
  common::access_policy policy;
};

layer_policy policy_of(const json& surface, const char* key, const std::string& where) {
  if (!surface.contains(key)) {
    throw service_error("invalid_params",
                        fmt::format("{}: \"{}\" is missing; give a policy or {{\"unknown\": \"why\"}}", where, key));
  }
  const json& p = surface[key];
  if (!p.is_object()) throw service_error("invalid_params", fmt::format("{}/{}: expected an object", where, key));
  if (p.contains("unknown")) return {};
  return {true, access_policy_from_params(p)};
}

std::vector<common::written_range> audience_ranges(const std::string& audience,
                                                   const std::vector<std::string>& addresses) {
  std::vector<common::written_range> out;
  for (const std::string& a : addresses) {
    auto r = common::parse_written_range(a);
    if (!r) throw service_error("invalid_params", fmt::format("audience {}: \"{}\" is not an address", audience, a));
    out.push_back(std::move(*r));
  }
  return out;
}

struct evaluation {
  reach state = reach::unknown;
  std::vector<common::excluded_range> excluded;
};

evaluation evaluate(const std::vector<common::written_range>& ranges, const layer_policy& layer) {
  if (!layer.known) return {};
  evaluation e;
  e.excluded = common::find_excluded(ranges, layer.policy);
  e.state = e.excluded.empty() ? reach::yes : reach::no;
  return e;
}

bool was_excluded(const evaluation& before, const std::string& range) {
  return std::any_of(before.excluded.begin(), before.excluded.end(),
                     [&](const common::excluded_range& e) { return e.range == range; });
}

// The audience's ranges the step takes away from a surface it needs: excluded after and not before. An "after"
// the step cannot tell loses every range (nothing proves it is kept).
json loss_of(const std::string& audience, const std::string& surface, const std::vector<std::string>& addresses,
             const evaluation& before, const evaluation& after) {
  json loss = {{"audience", audience}, {"surface", surface}, {"ranges", json::array()}, {"reasons", json::array()}};
  if (after.state == reach::unknown) {
    if (before.state == reach::unknown) return nullptr;  // nothing known either way: the matrix says unknown
    loss["ranges"] = addresses;
    loss["reasons"].push_back("the step cannot tell what it leaves reachable");
    return loss;
  }
  for (const auto& e : after.excluded) {
    if (was_excluded(before, e.range)) continue;
    loss["ranges"].push_back(e.range);
    loss["reasons"].push_back(e.range + " is " + e.reason);
  }
  return loss["ranges"].empty() ? json(nullptr) : loss;
}

std::string loss_text(const json& losses) {
  std::vector<std::string> parts;
  for (const json& l : losses) {
    std::vector<std::string> reasons = l["reasons"].get<std::vector<std::string>>();
    parts.push_back(fmt::format("{} from {} ({})", l["surface"].get<std::string>(), l["audience"].get<std::string>(),
                                fmt::join(reasons, "; ")));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

bool only_management(const json& losses) {
  return std::all_of(losses.begin(), losses.end(), [](const json& l) { return l["audience"] == "management"; });
}

}  // namespace

json check_surface_access(const json& params, access_matrix& matrix, const access_guard_settings& settings) {
  if (!params.is_object() || !params.contains("surfaces") || !params["surfaces"].is_object()) {
    throw service_error("invalid_params",
                        "expected {\"surfaces\": {\"<surface>\": {\"before\": ..., \"after\": ...}}}");
  }
  std::string step = params.value("step", std::string());
  if (step.empty() && settings.current_step) step = settings.current_step();
  if (step.empty()) throw service_error("invalid_params", "\"step\" is missing: name the step that asks");
  const std::string layer_name = params.value("what", std::string());
  const std::string what = layer_name.empty() ? "step " + step : fmt::format("step {} ({})", step, layer_name);
  const auto& known = access_surfaces();

  json out = {{"step", step}, {"losses", json::array()}, {"cells", json::array()}, {"overridden", false}};
  for (const auto& [surface, layer] : params["surfaces"].items()) {
    if (std::find(known.begin(), known.end(), surface) == known.end()) {
      throw service_error("invalid_params",
                          fmt::format("surfaces/{}: not a surface; use one of {}", surface, fmt::join(known, ", ")));
    }
    const std::string where = "surfaces/" + surface;
    if (!layer.is_object()) throw service_error("invalid_params", where + ": expected {\"before\", \"after\"}");
    const layer_policy before = policy_of(layer, "before", where);
    const layer_policy after = policy_of(layer, "after", where);
    for (const auto& [audience, addresses] : matrix.audiences()) {
      const auto ranges = audience_ranges(audience, addresses);
      const evaluation b = evaluate(ranges, before);
      const evaluation a = evaluate(ranges, after);
      matrix.record(step, audience, surface, b.state, a.state);
      out["cells"].push_back({{"audience", audience},
                              {"surface", surface},
                              {"before", to_string(b.state)},
                              {"after", to_string(a.state)}});
      const auto& needs = surfaces_needed_by(audience);
      if (std::find(needs.begin(), needs.end(), surface) == needs.end()) continue;
      if (json loss = loss_of(audience, surface, addresses, b, a); !loss.is_null()) out["losses"].push_back(loss);
    }
  }
  const json& losses = out["losses"];
  if (losses.empty()) {
    out["ok"] = true;
    out["message"] = fmt::format("{} keeps every audience's access", what);
  } else if (!settings.enforce) {
    out["ok"] = true;
    out["message"] = fmt::format("apply would refuse: {} would take {}", what, loss_text(losses));
    if (settings.notice) settings.notice(out["message"].get<std::string>());
  } else if (settings.allow_access_change || (settings.allow_lockout_risk && only_management(losses))) {
    out["ok"] = true;
    out["overridden"] = true;
    out["message"] = fmt::format("access guard overridden by {}: {} takes {}",
                                 settings.allow_access_change ? "--allow-access-change" : "--allow-lockout-risk", what,
                                 loss_text(losses));
    if (settings.record_override) settings.record_override(out["message"].get<std::string>());
  } else {
    out["ok"] = false;
    out["message"] = fmt::format(
        "refused: {} would take {}; keep that access, correct the profile's \"access\" audiences, or pass "
        "--allow-access-change to apply anyway",
        what, loss_text(losses));
  }
  return out;
}

}  // namespace smharden::core
