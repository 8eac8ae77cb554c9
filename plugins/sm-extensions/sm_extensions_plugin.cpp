// sm-extensions: "Restricting uploadable extensions".
#include <smharden/plugin.hpp>

#include "extensions_policy.hpp"
#include "smharden_manifest.hpp"

namespace {

class sm_extensions_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    const auto p = smharden::sm_extensions::make_plan(ctx.call("smartermail.extensions.get"), ctx.params());
    for (const auto& f : p.findings) ctx.report(f);
  }

  void apply(smharden::context& ctx) override {
    const auto p = smharden::sm_extensions::make_plan(ctx.call("smartermail.extensions.get"), ctx.params());
    if (p.lists.empty()) return;
    if (ctx.call("smartermail.extensions.set", p.lists).value("changed", false)) {
      for (const auto& c : p.changes) ctx.record(c);
    }
  }
};

}  // namespace

SMHARDEN_PLUGIN(sm_extensions_plugin, smharden_manifest_json)
