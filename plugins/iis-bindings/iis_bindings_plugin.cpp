// iis-bindings: "Disabling bindings or ports".
#include <access-common/access_guard.hpp>
#include <iis-common/site_lookup.hpp>
#include <smharden/plugin.hpp>

#include "binding_policy.hpp"
#include "smharden_manifest.hpp"

namespace {

using smharden::json;

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
    const auto p = smharden::iis_bindings::make_plan(ctx.params(), (*site)["bindings"]);
    access_guard(ctx, (*site)["bindings"], p);  // a check records the access matrix; only apply refuses
    for (const auto& f : p.findings) ctx.report(f);
  }

  void apply(smharden::context& ctx) override {
    const auto site = *smharden::iis_common::find_site(ctx);
    const auto p = smharden::iis_bindings::make_plan(ctx.params(), site["bindings"]);
    if (!p.bindings) return;
    smharden::access_common::refuse_access_loss(access_guard(ctx, site["bindings"], p), "iis-bindings");
    ctx.call("iis.bindings.set", {{"site", site["name"]}, {"bindings", *p.bindings}});
    for (const auto& c : p.changes) ctx.record(c);
  }
};

}  // namespace

SMHARDEN_PLUGIN(iis_bindings_plugin, smharden_manifest_json)
