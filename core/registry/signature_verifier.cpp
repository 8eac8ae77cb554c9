// Authenticode exists only on Windows: elsewhere a required signature cannot
// be proven, so every module is refused.
#ifndef _WIN32

#include "registry/signature_verifier.hpp"

namespace smharden::core {
namespace {

class no_authenticode final : public signature_verifier {
 public:
  std::string problem(const std::filesystem::path&) const override {
    return "Authenticode signatures can only be verified on Windows";
  }
};

}  // namespace

std::shared_ptr<const signature_verifier> os_signature_verifier() { return std::make_shared<no_authenticode>(); }

}  // namespace smharden::core

#endif
