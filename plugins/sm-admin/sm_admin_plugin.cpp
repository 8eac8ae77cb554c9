// sm-admin: "Locking down administrator users".
#include <smharden/plugin.hpp>

#include "admin_policy.hpp"
#include "smharden_manifest.hpp"

namespace {

class sm_admin_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    for (const auto& f : plan_for(ctx).findings) ctx.report(f);
  }

  void apply(smharden::context& ctx) override {
    const auto p = plan_for(ctx);
    for (const auto& c : p.changes) {
      const auto result = ctx.call("smartermail.admin.security.set", c.params);
      if (result.value("changed", false)) {
        ctx.record({"login-ip:" + c.username, "restricted login access by IP for " + c.username, c.before,
                    {{"restrict_login_by_ip", true}, {"ip_rules", c.params["ip_rules"]}}});
      }
    }
    for (const auto& f : p.findings) {
      if (!f.automated) ctx.warn(f.title + " (not automated)");
    }
    if (!p.refusal.empty()) throw std::runtime_error(p.refusal);
  }

 private:
  static smharden::sm_admin::plan plan_for(smharden::context& ctx) {
    return smharden::sm_admin::make_plan(ctx.call("smartermail.admins.list"), ctx.params(), ctx.management_cidrs());
  }
};

}  // namespace

SMHARDEN_PLUGIN(sm_admin_plugin, smharden_manifest_json)
