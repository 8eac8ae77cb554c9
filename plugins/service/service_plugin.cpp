// service: "Set SmarterMail to use the new user".
#include <smharden/plugin.hpp>

#include "service_policy.hpp"
#include "smharden_manifest.hpp"

namespace {

using smharden::json;
namespace step = smharden::service_step;

// The step's params with service_name detected when empty, and what detection answered.
json resolved_params(smharden::context& ctx, json& located) {
  const json params = step::with_defaults(ctx.params());
  if (!params["service_name"].get<std::string>().empty()) return params;
  located = ctx.call("windows.smartermail.locate");
  return step::resolve_service_name(params, located);
}

step::observed observe(smharden::context& ctx, const json& params, const json& located) {
  step::observed o;
  o.located = located;
  if (params["service_name"].get<std::string>().empty()) return o;
  o.service = ctx.call("windows.service.get", {{"name", params["service_name"]}});
  if (o.service.value("exists", false)) {
    o.current_account = ctx.call("windows.account.lookup", {{"name", o.service["account"]}});
  }
  o.desired_account = ctx.call("windows.account.lookup", {{"name", step::logon_name(params)}});
  o.password_available = ctx.secret(params["password_secret"].get<std::string>()).has_value();
  o.rotation_requested = ctx.call("run.rotation.status", json::object()).value("requested", false);
  return o;
}

class service_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    json located = nullptr;
    const json params = resolved_params(ctx, located);
    for (const auto& f : step::make_plan(params, observe(ctx, params, located)).findings) ctx.report(f);
  }

  void apply(smharden::context& ctx) override {
    json located = nullptr;
    const json params = resolved_params(ctx, located);
    const auto o = observe(ctx, params, located);
    const auto p = step::make_plan(params, o);
    if (!p.set_logon) return;
    if (!o.password_available) {
      throw smharden::service_error(
          SMH_ERR_REFUSED, "service", "refused",
          "cannot change the logon account: " + step::how_to_supply(params["password_secret"].get<std::string>(),
                                                                    params["user_name"].get<std::string>()));
    }
    ctx.call("windows.service.set_logon", *p.set_logon);
    for (const auto& c : p.changes) ctx.record(c);
    // The engine restarts once at the end of the run (stop, start), never inline.
    if (params["restart"].get<bool>()) ctx.request_restart("service", (*p.set_logon)["name"].get<std::string>());
  }
};

}  // namespace

SMHARDEN_PLUGIN(service_plugin, smharden_manifest_json)
