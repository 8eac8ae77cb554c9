// A plugin that is always compliant: the plugin trust tests copy it into
// folders with chosen owners and modes and see whether the host loads it.
#include <smharden/plugin.hpp>

#include "smharden_manifest.hpp"

namespace {

class trust_probe final : public smharden::plugin {
 public:
  void check(smharden::context&) override {}
  void apply(smharden::context&) override {}
};

}  // namespace

SMHARDEN_PLUGIN(trust_probe, smharden_manifest_json)
