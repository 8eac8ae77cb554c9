// iis-ip: "Restricting webmail to specific IPs".
#include <access-common/access_guard.hpp>
#include <iis-common/site_lookup.hpp>
#include <smharden/plugin.hpp>

#include "ip_policy.hpp"
#include "smharden_manifest.hpp"

namespace {

using smharden::json;

// The host's access guard for the site's IP restrictions (null: a host without guard.access.check).
json access_guard(const smharden::context& ctx, const smharden::iis_ip::plan& p) {
  if (p.access_request.is_null()) return nullptr;
  return smharden::access_common::check_access(ctx, p.access_request);
}

smharden::iis_ip::plan plan_for(const smharden::context& ctx, const std::string& site) {
  const json q = {{"site", site}};
  return smharden::iis_ip::make_plan(ctx.params(), ctx.management_cidrs(), ctx.call("iis.modules.get"),
                                     ctx.call("iis.ip_security.get", q), ctx.call("iis.dynamic_ip_security.get", q));
}

class iis_ip_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    const auto site = smharden::iis_common::find_site(ctx);
    if (!site) return;
    const auto p = plan_for(ctx, (*site)["name"].get<std::string>());
    access_guard(ctx, p);  // a check records the access matrix; only apply refuses
    for (const auto& f : p.findings) ctx.report(f);
  }

  void apply(smharden::context& ctx) override {
    const std::string site = (*smharden::iis_common::find_site(ctx))["name"].get<std::string>();
    const auto p = plan_for(ctx, site);
    if (p.feature_missing) {
      throw smharden::service_error(SMH_ERR_REFUSED, "iis-ip", "refused",
                                    "IIS \"IP and Domain Restrictions\" is not installed on this server; install it "
                                    "(Install-WindowsFeature Web-IP-Security) and run apply again");
    }
    if (p.ip_security_set) {
      // The host's guard has the last word where it can (it honours --allow-lockout-risk);
      // the plan's own guard also refuses a default deny when no management range is known.
      std::string why;
      bool overridden = false;
      try {
        const json g = ctx.call("guard.management_access.check", p.guard_request);
        overridden = g.value("overridden", false);
        if (!g.value("ok", false)) why = g.value("message", "the host's lockout guard refused");
      } catch (const smharden::service_error& e) {
        if (e.code() != "not_found") throw;  // an older host without guard.*: the plan's guard alone
      }
      if (why.empty() && !overridden) {
        for (const auto& r : p.refusals) why += (why.empty() ? "" : "; ") + r;
      }
      if (!why.empty()) {
        throw smharden::service_error(SMH_ERR_REFUSED, "iis-ip", "refused",
                                      "refusing to change the IP restrictions of site \"" + site + "\": " + why);
      }
      smharden::access_common::refuse_access_loss(access_guard(ctx, p), "iis-ip");
    }
    if (p.ip_security_set) {
      json params = *p.ip_security_set;
      params["site"] = site;
      ctx.call("iis.ip_security.set", params);
    }
    if (p.dynamic_set) {
      json params = *p.dynamic_set;
      params["site"] = site;
      ctx.call("iis.dynamic_ip_security.set", params);
    }
    for (const auto& c : p.changes) ctx.record(c);
  }
};

}  // namespace

SMHARDEN_PLUGIN(iis_ip_plugin, smharden_manifest_json)
