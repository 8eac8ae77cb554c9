// sm-ids: "Enhancing IDS rules".
#include <sm-common/audiences.hpp>
#include <smharden/plugin.hpp>

#include "ids_policy.hpp"
#include "ids_whitelist.hpp"
#include "smharden_manifest.hpp"

namespace {

smharden::sm_ids::whitelist_plan whitelist_plan_for(smharden::context& ctx) {
  if (!ctx.params().value("whitelist_brute_force_bypass", true)) return {};
  return smharden::sm_ids::make_whitelist_plan(ctx.call("smartermail.whitelist.get"),
                                               smharden::sm_common::audiences(ctx));
}

class sm_ids_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    for (const auto& f : smharden::sm_ids::make_plan(ctx.call("smartermail.ids.rules.get"), ctx.params()).findings) {
      ctx.report(f);
    }
    for (const auto& f : whitelist_plan_for(ctx).findings) ctx.report(f);
  }

  void apply(smharden::context& ctx) override {
    // The bypass first: tighter rules must not lock out the operator while they are applied.
    const auto w = whitelist_plan_for(ctx);
    if (!w.upserts.empty() && ctx.call("smartermail.whitelist.set", {{"upsert", w.upserts}}).value("changed", false)) {
      for (const auto& c : w.changes) ctx.record(c);
    }
    for (const auto& f : w.findings) {
      if (!f.automated) ctx.warn(f.title + " (not automated)");
    }
    const auto p = smharden::sm_ids::make_plan(ctx.call("smartermail.ids.rules.get"), ctx.params());
    if (!p.changed) return;
    if (ctx.call("smartermail.ids.rules.set", {{"rules", p.rules}}).value("changed", false)) {
      for (const auto& c : p.changes) ctx.record(c);
    }
  }
};

}  // namespace

SMHARDEN_PLUGIN(sm_ids_plugin, smharden_manifest_json)
