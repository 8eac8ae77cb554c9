// rights: "Logon as a Service".
#include <smharden/plugin.hpp>

#include "rights_policy.hpp"
#include "smharden_manifest.hpp"

namespace {

using smharden::json;

class rights_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    const json params = smharden::rights::with_defaults(ctx.params());
    const json held = ctx.call("windows.rights.get", {{"account", params["user_name"]}});
    for (const auto& f : smharden::rights::make_plan(params, held).findings) ctx.report(f);
  }

  void apply(smharden::context& ctx) override {
    const json params = smharden::rights::with_defaults(ctx.params());
    const std::string name = params["user_name"].get<std::string>();
    const json held = ctx.call("windows.rights.get", {{"account", name}});
    const auto p = smharden::rights::make_plan(params, held);
    if (p.account_missing) {
      throw smharden::service_error(SMH_ERR_FAILED, "rights", "not_found",
                                    "the account " + name + " does not exist; run the accounts step first");
    }
    for (const auto& r : p.grant) ctx.call("windows.rights.grant", {{"account", name}, {"right", r}});
    for (const auto& r : p.revoke) ctx.call("windows.rights.revoke", {{"account", name}, {"right", r}});
    for (const auto& c : p.changes) ctx.record(c);
  }
};

}  // namespace

SMHARDEN_PLUGIN(rights_plugin, smharden_manifest_json)
