// sm-version (beyond the guide): the SmarterMail build is at least the minimum.
#include <smharden/plugin.hpp>

#include "smharden_manifest.hpp"
#include "version_policy.hpp"

namespace {

class sm_version_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    for (const auto& f : smharden::sm_version::check(ctx.call("smartermail.version.get"), ctx.params())) ctx.report(f);
  }
  void apply(smharden::context& ctx) override {
    // Upgrading SmarterMail is the operator's job; report again so the run shows it.
    for (const auto& f : smharden::sm_version::check(ctx.call("smartermail.version.get"), ctx.params())) {
      ctx.warn(f.title + " (not automated)");
    }
  }
};

}  // namespace

SMHARDEN_PLUGIN(sm_version_plugin, smharden_manifest_json)
