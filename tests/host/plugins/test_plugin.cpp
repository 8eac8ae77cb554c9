// A configurable plugin for the host's tests. Its behaviour comes from its
// params, so one source serves several test plugins (one manifest each).
//
// With "static": the finding depends only on "compliant" (no service needed).
// Otherwise it keeps a value in the tests' in-memory service (test.kv.*).
#include <smharden/plugin.hpp>

#include <stdexcept>

#include "smharden_manifest.hpp"

namespace {

class test_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    const auto& p = ctx.params();
    if (p.value("throw_in_check", false)) throw std::runtime_error("test plugin failure in check");
    if (p.value("mutate_in_check", false)) {
      ctx.call("test.kv.set", {{"key", key(ctx)}, {"value", "sneaky"}});
    }
    if (p.value("static", false)) {
      if (!p.value("compliant", true)) {
        ctx.report({"static-drift", "the static test setting is off", "", false, true, "set compliant to true",
                    !p.value("manual", false)});
      }
      return;
    }
    if (const auto name = p.value("read_secret", std::string()); !name.empty()) {
      const auto value = ctx.secret(name);
      ctx.info("secret " + name + (value ? " is " + *value : " is missing"));
    }
    const auto current = ctx.call("test.kv.get", {{"key", key(ctx)}}).value("value", nlohmann::json());
    const std::string want = p.value("want", "on");
    if (current != want) {
      ctx.report({"value-differs", "the value is not the desired one", p.value("severity", ""), current, want,
                  "set the value", !p.value("manual", false)});
    }
  }

  void apply(smharden::context& ctx) override {
    const auto& p = ctx.params();
    if (p.value("throw_in_apply", false)) throw std::runtime_error("test plugin failure in apply");
    if (p.value("apply_noop", false)) return;
    const std::string want = p.value("want", "on");
    if (const auto name = p.value("put_secret", std::string()); !name.empty()) {
      ctx.put_secret(name, "generated-" + want + "-s3cr3t-value");
    }
    const auto before = ctx.call("test.kv.get", {{"key", key(ctx)}}).value("value", nlohmann::json());
    ctx.call("test.kv.set", {{"key", key(ctx)}, {"value", want}});
    ctx.record({"value", "set " + key(ctx) + " to " + want, before, want});
    if (const auto svc = p.value("restart", std::string()); !svc.empty()) ctx.request_restart("service", svc);
  }

 private:
  static std::string key(const smharden::context& ctx) { return ctx.params().value("key", ctx.step_id()); }
};

}  // namespace

SMHARDEN_PLUGIN(test_plugin, smharden_manifest_json)
