// iis-bindings: "Disabling bindings or ports".
#include <access-common/access_guard.hpp>
#include <iis-common/site_lookup.hpp>
#include <smharden/plugin.hpp>

#include "binding_policy.hpp"
#include "firewall_widening.hpp"
#include "smharden_manifest.hpp"

namespace {

using smharden::json;

bool unknown_method(const smharden::service_error& e) {
  return e.code() == "not_found" || e.code() == "unknown_method";
}

// The step's params with "catch_all_behind_firewall" resolved against the profile's management audience
// and the target's firewall rules as they are now (the firewall step runs before this one).
json effective_params(const smharden::context& ctx) {
  const json& params = ctx.params();
  if (!params.value("catch_all_behind_firewall", false)) return params;
  json audiences = nullptr;
  try {
    audiences = ctx.call("guard.access.audiences");
  } catch (const smharden::service_error& e) {
    if (!unknown_method(e)) throw;  // a host without audiences: the context's management_cidrs
  }
  std::vector<std::string> management;
  const json list = audiences.is_object() ? audiences.value("management", json::array()) : ctx.management_cidrs();
  for (const json& m : list) {
    if (m.is_string()) management.push_back(m.get<std::string>());
  }
  json listing = nullptr;
  if (!management.empty()) {
    try {
      listing = ctx.call("windows.firewall.rules.list");
    } catch (const smharden::service_error& e) {
      if (!unknown_method(e) && e.code() != "unavailable") throw;  // unknown rules prove nothing: loopback stays
    }
  }
  auto w = smharden::iis_bindings::widen_behind_firewall(params, management, listing);
  for (const auto& note : w.notes) ctx.warn(note);
  return std::move(w.params);
}

// The host's access guard for the bindings after this step (null: a host without guard.access.check).
json access_guard(const smharden::context& ctx, const json& current, const smharden::iis_bindings::plan& p) {
  return smharden::access_common::check_access(
      ctx, smharden::iis_bindings::access_request(current, p.bindings ? *p.bindings : current));
}

class iis_bindings_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    const auto site = smharden::iis_common::find_site(ctx);
    if (!site) return;
    const auto p = smharden::iis_bindings::make_plan(effective_params(ctx), (*site)["bindings"]);
    access_guard(ctx, (*site)["bindings"], p);  // a check records the access matrix; only apply refuses
    for (const auto& f : p.findings) ctx.report(f);
  }

  void apply(smharden::context& ctx) override {
    const auto site = *smharden::iis_common::find_site(ctx);
    const auto p = smharden::iis_bindings::make_plan(effective_params(ctx), site["bindings"]);
    if (!p.bindings) return;
    smharden::access_common::refuse_access_loss(access_guard(ctx, site["bindings"], p), "iis-bindings");
    ctx.call("iis.bindings.set", {{"site", site["name"]}, {"bindings", *p.bindings}});
    for (const auto& c : p.changes) ctx.record(c);
  }
};

}  // namespace

SMHARDEN_PLUGIN(iis_bindings_plugin, smharden_manifest_json)
