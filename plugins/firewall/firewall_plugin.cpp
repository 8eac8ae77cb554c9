// firewall: "restrict port 9998 in the Windows firewall".
#include <access-common/access_guard.hpp>
#include <smharden/plugin.hpp>

#include "firewall_policy.hpp"
#include "smharden_manifest.hpp"

namespace {

using smharden::json;
namespace step = smharden::firewall_step;

bool unknown_method(const smharden::service_error& e) {
  return e.code() == "not_found" || e.code() == "unknown_method";
}

step::observed observe(const smharden::context& ctx) {
  step::observed o;
  json audiences = nullptr;
  try {
    audiences = ctx.call("guard.access.audiences");
  } catch (const smharden::service_error& e) {
    if (!unknown_method(e)) throw;  // a host without audiences: the context's management_cidrs
  }
  o.management = step::management_audience(audiences, ctx.management_cidrs(), ctx.params());
  o.listing = ctx.call("windows.firewall.rules.list");
  return o;
}

step::plan plan_for(const smharden::context& ctx) {
  try {
    return step::make_plan(ctx.params(), observe(ctx));
  } catch (const std::invalid_argument& e) {
    throw smharden::service_error(SMH_ERR_INVALID_ARGUMENT, "firewall", "invalid_params", e.what());
  }
}

// The host's guard has the last word (it honours --allow-lockout-risk).
std::string guard_refusal(const smharden::context& ctx, const step::plan& p) {
  for (const auto& request : p.guard_requests) {
    try {
      const json g = ctx.call("guard.management_access.check", request);
      if (!g.value("ok", false) && !g.value("overridden", false)) {
        return g.value("message", "the host's lockout guard refused");
      }
    } catch (const smharden::service_error& e) {
      if (!unknown_method(e)) throw;  // an older host without guard.*: the plan's own proof alone
    }
  }
  return {};
}

// The host's access guard for who reaches TCP 9998 (null: 9998 not restricted, or a host without the guard).
json access_guard(const smharden::context& ctx, const step::plan& p) {
  if (p.access_request.is_null()) return nullptr;
  return smharden::access_common::check_access(ctx, p.access_request);
}

class firewall_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    const auto p = plan_for(ctx);
    access_guard(ctx, p);  // a check records the access matrix; only apply refuses
    for (const auto& f : p.findings) ctx.report(f);
  }

  void apply(smharden::context& ctx) override {
    const auto p = plan_for(ctx);
    std::string why;
    for (const auto& r : p.refusals) why += (why.empty() ? "" : "; ") + r;
    if (why.empty() && p.put.empty() && p.remove.empty()) return;
    if (why.empty()) why = guard_refusal(ctx, p);
    if (!why.empty()) {
      throw smharden::service_error(SMH_ERR_REFUSED, "firewall", "refused",
                                    "refusing to change the Windows Firewall rules: " + why);
    }
    smharden::access_common::refuse_access_loss(access_guard(ctx, p), "firewall");
    // Allow before block: management never loses a port between two calls.
    for (const auto& r : p.put) {
      ctx.call("windows.firewall.rules.set", {{"rule",
                                               {{"name", r.name},
                                                {"group", r.group},
                                                {"enabled", r.enabled},
                                                {"direction", r.direction},
                                                {"action", r.action},
                                                {"protocol", r.protocol},
                                                {"local_ports", r.local_ports},
                                                {"remote_addresses", r.remote_addresses}}}});
    }
    for (const auto& name : p.remove) ctx.call("windows.firewall.rules.remove", {{"name", name}});
    for (const auto& c : p.changes) ctx.record(c);
  }
};

}  // namespace

SMHARDEN_PLUGIN(firewall_plugin, smharden_manifest_json)
