// Checks a module's Authenticode signature before it is loaded (Windows,
// when the target file sets "require_signed_plugins": true).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

namespace smharden::core {

class signature_verifier {
 public:
  virtual ~signature_verifier() = default;
  /// Empty when `file` carries a valid, trusted signature; otherwise why not
  /// (e.g. "not signed", "the signature is not valid (0x80096010)").
  virtual std::string problem(const std::filesystem::path& file) const = 0;
};

/// WinVerifyTrust on Windows. Elsewhere there is no Authenticode, so every
/// module is refused: requiring signatures fails closed.
std::shared_ptr<const signature_verifier> os_signature_verifier();

}  // namespace smharden::core
