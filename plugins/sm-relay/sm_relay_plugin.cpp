// sm-relay: "Disable SMTP open relay".
#include <sm-common/audiences.hpp>
#include <smharden/plugin.hpp>

#include "relay_policy.hpp"
#include "smharden_manifest.hpp"

namespace {

smharden::sm_relay::plan plan_for(smharden::context& ctx) {
  const auto audiences = smharden::sm_common::audiences(ctx);
  return smharden::sm_relay::make_plan(ctx.call("smartermail.relay.get"), ctx.call("smartermail.whitelist.get"),
                                       ctx.params(), audiences["relay_apps"]);
}

class sm_relay_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    for (const auto& f : plan_for(ctx).findings) ctx.report(f);
  }

  void apply(smharden::context& ctx) override {
    const auto p = plan_for(ctx);
    bool relay_changed = false, whitelist_changed = false;
    // The relay apps' entries first: closing the relay must not cut an app off, even for a moment.
    if (!p.whitelist_upserts.empty()) {  // one call for all entries: the service writes only the changed ones
      whitelist_changed =
          ctx.call("smartermail.whitelist.set", {{"upsert", p.whitelist_upserts}}).value("changed", false);
    }
    if (p.allow_relay) {
      relay_changed = ctx.call("smartermail.relay.set", {{"allow_relay", *p.allow_relay}}).value("changed", false);
    }
    for (const auto& c : p.changes) {
      if ((c.id == "allow-relay" && relay_changed) || (c.id != "allow-relay" && whitelist_changed)) ctx.record(c);
    }
    for (const auto& f : p.findings) {
      if (!f.automated) ctx.warn(f.title + " (not automated)");
    }
  }
};

}  // namespace

SMHARDEN_PLUGIN(sm_relay_plugin, smharden_manifest_json)
