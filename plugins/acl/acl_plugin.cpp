// acl: "Grant Modify access".
#include <smharden/plugin.hpp>

#include "acl_policy.hpp"
#include "smharden_manifest.hpp"

namespace {

using smharden::json;

struct observed {
  json account;
  std::vector<json> acls;
};

// params with "folders" = the effective list (the detected install folder first), and the
// finding when the install folder is wanted but unknown.
json resolve_folders(smharden::context& ctx, std::optional<smharden::finding>& unknown) {
  json params = smharden::acl::with_defaults(ctx.params());
  json located = nullptr;
  if (params["include_install_dir"].get<bool>() && params["install_dir"].get<std::string>().empty()) {
    located = ctx.call("windows.smartermail.locate");
  }
  auto list = smharden::acl::effective_folders(params, located);
  params["folders"] = list.folders;
  unknown = std::move(list.install_dir_unknown);
  return params;
}

observed observe(smharden::context& ctx, const json& params) {
  observed o;
  o.account = ctx.call("windows.account.lookup", {{"name", params["user_name"]}});
  for (const auto& folder : params["folders"]) o.acls.push_back(ctx.call("windows.acl.get", {{"path", folder}}));
  return o;
}

class acl_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    std::optional<smharden::finding> unknown;
    const json params = resolve_folders(ctx, unknown);
    if (unknown) ctx.report(*unknown);
    const observed o = observe(ctx, params);
    for (const auto& f : smharden::acl::make_plan(params, o.account, o.acls).findings) ctx.report(f);
  }

  void apply(smharden::context& ctx) override {
    std::optional<smharden::finding> unknown;
    const json params = resolve_folders(ctx, unknown);
    const observed o = observe(ctx, params);
    const auto p = smharden::acl::make_plan(params, o.account, o.acls);
    if (!p.grant.empty() && !o.account.value("exists", false)) {
      throw smharden::service_error(
          SMH_ERR_FAILED, "acl", "not_found",
          "the account " + params["user_name"].get<std::string>() + " does not exist; run the accounts step first");
    }
    // Grant by SID: the name may be ambiguous (a domain user of the same name).
    for (const auto& folder : p.grant) {
      ctx.call("windows.acl.grant", {{"path", folder},
                                     {"trustee", o.account["sid"]},
                                     {"rights", params["rights"]},
                                     {"inheritance", {"OI", "CI"}}});
    }
    for (const auto& c : p.changes) ctx.record(c);
  }
};

}  // namespace

SMHARDEN_PLUGIN(acl_plugin, smharden_manifest_json)
