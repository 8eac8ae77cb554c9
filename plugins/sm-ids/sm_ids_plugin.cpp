// sm-ids: "Enhancing IDS rules".
#include <smharden/plugin.hpp>

#include "ids_policy.hpp"
#include "smharden_manifest.hpp"

namespace {

class sm_ids_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    for (const auto& f : smharden::sm_ids::make_plan(ctx.call("smartermail.ids.rules.get"), ctx.params()).findings) {
      ctx.report(f);
    }
  }

  void apply(smharden::context& ctx) override {
    const auto p = smharden::sm_ids::make_plan(ctx.call("smartermail.ids.rules.get"), ctx.params());
    if (!p.changed) return;
    if (ctx.call("smartermail.ids.rules.set", {{"rules", p.rules}}).value("changed", false)) {
      for (const auto& c : p.changes) ctx.record(c);
    }
  }
};

}  // namespace

SMHARDEN_PLUGIN(sm_ids_plugin, smharden_manifest_json)
