// iis-bindings: "Disabling bindings or ports".
#include <iis-common/site_lookup.hpp>
#include <smharden/plugin.hpp>

#include "binding_policy.hpp"
#include "smharden_manifest.hpp"

namespace {

class iis_bindings_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    const auto site = smharden::iis_common::find_site(ctx);
    if (!site) return;
    for (const auto& f : smharden::iis_bindings::make_plan(ctx.params(), (*site)["bindings"]).findings) ctx.report(f);
  }

  void apply(smharden::context& ctx) override {
    const auto site = *smharden::iis_common::find_site(ctx);
    const auto p = smharden::iis_bindings::make_plan(ctx.params(), site["bindings"]);
    if (!p.bindings) return;
    ctx.call("iis.bindings.set", {{"site", site["name"]}, {"bindings", *p.bindings}});
    for (const auto& c : p.changes) ctx.record(c);
  }
};

}  // namespace

SMHARDEN_PLUGIN(iis_bindings_plugin, smharden_manifest_json)
