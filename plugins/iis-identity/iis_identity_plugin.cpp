// iis-identity: "IIS proxy site custom user".
#include <iis-common/site_lookup.hpp>
#include <smharden/common/secret_env_name.hpp>
#include <smharden/plugin.hpp>

#include "identity_policy.hpp"
#include "smharden_manifest.hpp"

namespace {

using smharden::json;

// run.rotation.status: does this run rotate the service password, and is this step's part still to do?
bool rotation_requested(smharden::context& ctx) {
  return ctx.call("run.rotation.status", json::object()).value("requested", false);
}

class iis_identity_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    const auto site = smharden::iis_common::find_site(ctx);
    if (!site) return;
    const json pool = ctx.call("iis.app_pool.get", {{"name", (*site)["app_pool"]}});
    for (const auto& f :
         smharden::iis_identity::make_plan(ctx.params(), *site, pool, rotation_requested(ctx)).findings) {
      ctx.report(f);
    }
  }

  void apply(smharden::context& ctx) override {
    const json site = *smharden::iis_common::find_site(ctx);
    const json pool = ctx.call("iis.app_pool.get", {{"name", site["app_pool"]}});
    const auto p = smharden::iis_identity::make_plan(ctx.params(), site, pool, rotation_requested(ctx));
    if (p.refusal) throw smharden::service_error(SMH_ERR_REFUSED, "iis-identity", "refused", "refusing: " + *p.refusal);
    if (!p.set_identity) return;
    const std::string secret = (*p.set_identity)["password_secret"].get<std::string>();
    if (!ctx.secret(secret)) {
      throw smharden::service_error(
          SMH_ERR_REFUSED, "iis-identity", "refused",
          "the secret \"" + secret + "\" (the password of " + (*p.set_identity)["user_name"].get<std::string>() +
              ") is not available: run the accounts step in the same apply, or supply it (environment " +
              smharden::common::secret_env_name(secret) + ", or --secret-file " + secret + "=PATH)");
    }
    ctx.call("iis.app_pool.set_identity", *p.set_identity);
    for (const auto& c : p.changes) ctx.record(c);
    if (ctx.params().value("recycle", true)) ctx.request_restart("app_pool", pool["name"].get<std::string>());
  }
};

}  // namespace

SMHARDEN_PLUGIN(iis_identity_plugin, smharden_manifest_json)
