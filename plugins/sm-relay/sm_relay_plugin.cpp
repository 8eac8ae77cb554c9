// sm-relay: "Disable SMTP open relay".
#include <smharden/plugin.hpp>

#include "relay_policy.hpp"
#include "smharden_manifest.hpp"

namespace {

smharden::sm_relay::plan plan_for(smharden::context& ctx) {
  return smharden::sm_relay::make_plan(ctx.call("smartermail.relay.get"), ctx.call("smartermail.whitelist.get"),
                                       ctx.params());
}

class sm_relay_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    for (const auto& f : plan_for(ctx).findings) ctx.report(f);
  }

  void apply(smharden::context& ctx) override {
    const auto p = plan_for(ctx);
    bool relay_changed = false, bypass_changed = false;
    if (p.allow_relay) {
      relay_changed = ctx.call("smartermail.relay.set", {{"allow_relay", *p.allow_relay}}).value("changed", false);
    }
    if (!p.bypass_clears.empty()) {  // one call for all entries: the service writes only the changed ones
      bypass_changed = ctx.call("smartermail.whitelist.set", {{"upsert", p.bypass_clears}}).value("changed", false);
    }
    for (const auto& c : p.changes) {
      if ((c.id == "allow-relay" && relay_changed) || (c.id != "allow-relay" && bypass_changed)) ctx.record(c);
    }
  }
};

}  // namespace

SMHARDEN_PLUGIN(sm_relay_plugin, smharden_manifest_json)
