// sm-admin: "Locking down administrator users".
#include <access-common/access_guard.hpp>
#include <sm-common/audiences.hpp>
#include <smharden/common/ip_range.hpp>
#include <smharden/plugin.hpp>

#include <algorithm>

#include "admin_access.hpp"
#include "admin_policy.hpp"
#include "smharden_manifest.hpp"

namespace {

// The host's access guard for the login restriction (null: a host without guard.access.check).
smharden::json access_guard(const smharden::context& ctx, const smharden::json& admins,
                            const smharden::sm_admin::plan& p) {
  return smharden::access_common::check_access(ctx, smharden::sm_admin::access_request(admins, p));
}

class sm_admin_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    const auto admins = ctx.call("smartermail.admins.list");
    const auto p = plan_for(ctx, admins);
    access_guard(ctx, admins, p);  // a check records the access matrix; only apply refuses
    for (const auto& f : p.findings) ctx.report(f);
  }

  void apply(smharden::context& ctx) override {
    const auto admins = ctx.call("smartermail.admins.list");
    const auto p = plan_for(ctx, admins);
    if (!p.changes.empty()) {
      smharden::access_common::refuse_access_loss(access_guard(ctx, admins, p), "sm-admin");
    }
    for (const auto& c : p.changes) {
      const auto result = ctx.call("smartermail.admin.security.set", c.params);
      if (result.value("changed", false)) {
        ctx.record({"login-ip:" + c.username,
                    "restricted login access by IP for " + c.username,
                    c.before,
                    {{"restrict_login_by_ip", true}, {"ip_rules", c.params["ip_rules"]}}});
      }
    }
    for (const auto& f : p.findings) {
      if (!f.automated) ctx.warn(f.title + " (not automated)");
    }
    if (!p.refusal.empty()) throw std::runtime_error(p.refusal);
  }

 private:
  static smharden::sm_admin::plan plan_for(smharden::context& ctx, const smharden::json& admins) {
    namespace policy = smharden::sm_admin;
    const smharden::json management = smharden::sm_common::audiences(ctx)["management"];
    const auto rules = policy::effective_rules(ctx.params(), management);
    smharden::json guard = nullptr;
    const bool parseable = std::all_of(rules.begin(), rules.end(), [](const smharden::json& r) {
      return smharden::common::parse_ip_range(r.value("ip", "")).has_value();
    });
    if (ctx.params().value("restrict_login_by_ip", true) && !rules.empty() && parseable) {
      // The host's lockout guard: honours --allow-lockout-risk and records the override.
      guard = ctx.call("guard.management_access.check", policy::guard_request(rules));
    }
    return policy::make_plan(admins, ctx.params(), management, guard);
  }
};

}  // namespace

SMHARDEN_PLUGIN(sm_admin_plugin, smharden_manifest_json)
