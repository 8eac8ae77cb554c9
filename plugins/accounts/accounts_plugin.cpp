// accounts: "Create a new windows user".
#include <smharden/plugin.hpp>

#include "accounts_policy.hpp"
#include "smharden_manifest.hpp"

namespace {

using smharden::json;

class accounts_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    const json params = smharden::accounts::with_defaults(ctx.params());
    const json user = ctx.call("windows.user.get", {{"name", params["user_name"]}});
    for (const auto& f : smharden::accounts::make_plan(params, user, rotation_requested(ctx)).findings) ctx.report(f);
  }

  void apply(smharden::context& ctx) override {
    const json params = smharden::accounts::with_defaults(ctx.params());
    const std::string name = params["user_name"].get<std::string>();
    const std::string secret = params["password_secret"].get<std::string>();
    const json user = ctx.call("windows.user.get", {{"name", name}});
    const auto p = smharden::accounts::make_plan(params, user, rotation_requested(ctx));

    if (p.create_user) ensure_password_secret(ctx, params, secret);
    if (p.set_password && !ctx.secret(secret)) {
      // The host puts the rotation's password before any step runs.
      throw smharden::service_error(SMH_ERR_REFUSED, "accounts", "refused",
                                    "the rotation's password (secret \"" + secret + "\") is not available");
    }
    if (p.create_user) {
      ctx.call("windows.user.create", {{"name", name},
                                       {"password_secret", secret},
                                       {"description", params["description"]},
                                       {"password_never_expires", true},
                                       {"must_change_password", false},
                                       {"disabled", false}});
    } else if (p.set_password) {
      ctx.call("windows.user.set_password", {{"name", name}, {"password_secret", secret}});
    }
    for (const auto& c : p.calls) ctx.call(c.method, c.params);
    for (const auto& c : p.changes) ctx.record(c);
  }

 private:
  // run.rotation.status: does this run rotate the service password, and is this step's part still to do?
  static bool rotation_requested(smharden::context& ctx) {
    return ctx.call("run.rotation.status", json::object()).value("requested", false);
  }

  // The password comes from the operator's secret or, failing that, from the
  // host's CSPRNG; either way it reaches the service only by secret name.
  static void ensure_password_secret(smharden::context& ctx, const json& params, const std::string& secret) {
    if (ctx.secret(secret)) return;
    const json generated = ctx.call("windows.random.password", {{"length", params["generated_password_length"]}});
    ctx.put_secret(secret, generated.at("password").get<std::string>());
    ctx.info("generated a random password for " + params["user_name"].get<std::string>() + " as secret \"" + secret +
             "\" (not shown, not stored)");
  }
};

}  // namespace

SMHARDEN_PLUGIN(accounts_plugin, smharden_manifest_json)
