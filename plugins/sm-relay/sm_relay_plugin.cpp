// sm-relay: "Disable SMTP open relay".
#include <access-common/access_guard.hpp>
#include <sm-common/audiences.hpp>
#include <smharden/plugin.hpp>

#include "relay_access.hpp"
#include "relay_policy.hpp"
#include "smharden_manifest.hpp"

namespace {

using smharden::json;

struct observed_plan {
  json relay;
  json whitelist;
  smharden::sm_relay::plan plan;
};

observed_plan plan_for(const smharden::context& ctx) {
  const auto audiences = smharden::sm_common::audiences(ctx);
  observed_plan o{ctx.call("smartermail.relay.get"), ctx.call("smartermail.whitelist.get"), {}};
  o.plan = smharden::sm_relay::make_plan(o.relay, o.whitelist, ctx.params(), audiences["relay_apps"]);
  return o;
}

// The host's access guard for who relays without authentication (null: a host without guard.access.check).
json access_guard(const smharden::context& ctx, const observed_plan& o) {
  return smharden::access_common::check_access(ctx, smharden::sm_relay::access_request(o.relay, o.whitelist, o.plan));
}

class sm_relay_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    const auto o = plan_for(ctx);
    access_guard(ctx, o);  // a check records the access matrix; only apply refuses
    for (const auto& f : o.plan.findings) ctx.report(f);
  }

  void apply(smharden::context& ctx) override {
    const auto o = plan_for(ctx);
    const auto& p = o.plan;
    if (p.allow_relay || !p.whitelist_upserts.empty()) {
      smharden::access_common::refuse_access_loss(access_guard(ctx, o), "sm-relay");
    }
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
