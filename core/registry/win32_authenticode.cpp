// WinVerifyTrust with WINTRUST_ACTION_GENERIC_VERIFY_V2: the module's embedded
// Authenticode signature must be valid and chain to a trusted root.
#ifdef _WIN32

#include <windows.h>
// after windows.h, which they need
#include <softpub.h>
#include <wintrust.h>

#include <fmt/format.h>

#include "registry/signature_verifier.hpp"

namespace smharden::core {
namespace {

std::string describe(LONG status) {
  switch (static_cast<DWORD>(status)) {
    case static_cast<DWORD>(TRUST_E_NOSIGNATURE):
      return "not signed (TRUST_E_NOSIGNATURE)";
    case static_cast<DWORD>(TRUST_E_SUBJECT_FORM_UNKNOWN):
      return "not a file Authenticode can sign (TRUST_E_SUBJECT_FORM_UNKNOWN)";
    case static_cast<DWORD>(TRUST_E_BAD_DIGEST):
      return "the signature does not match the file's contents (TRUST_E_BAD_DIGEST)";
    case static_cast<DWORD>(CERT_E_UNTRUSTEDROOT):
      return "signed by a certificate that does not chain to a trusted root (CERT_E_UNTRUSTEDROOT)";
    case static_cast<DWORD>(CERT_E_EXPIRED):
      return "the signing certificate has expired (CERT_E_EXPIRED)";
    case static_cast<DWORD>(CERT_E_REVOKED):
      return "the signing certificate is revoked (CERT_E_REVOKED)";
    case static_cast<DWORD>(TRUST_E_EXPLICIT_DISTRUST):
      return "the signer is explicitly distrusted (TRUST_E_EXPLICIT_DISTRUST)";
    default:
      return fmt::format("the signature is not valid (WinVerifyTrust 0x{:08X})", static_cast<DWORD>(status));
  }
}

class authenticode_verifier final : public signature_verifier {
 public:
  std::string problem(const std::filesystem::path& file) const override {
    const std::wstring path = file.wstring();
    WINTRUST_FILE_INFO file_info{};
    file_info.cbStruct = sizeof(file_info);
    file_info.pcwszFilePath = path.c_str();
    WINTRUST_DATA data{};
    data.cbStruct = sizeof(data);
    data.dwUIChoice = WTD_UI_NONE;
    data.fdwRevocationChecks = WTD_REVOKE_NONE;
    data.dwUnionChoice = WTD_CHOICE_FILE;
    data.pFile = &file_info;
    data.dwStateAction = WTD_STATEACTION_VERIFY;
    GUID action = WINTRUST_ACTION_GENERIC_VERIFY_V2;
    const LONG status = WinVerifyTrust(static_cast<HWND>(INVALID_HANDLE_VALUE), &action, &data);
    data.dwStateAction = WTD_STATEACTION_CLOSE;
    WinVerifyTrust(static_cast<HWND>(INVALID_HANDLE_VALUE), &action, &data);
    return status == ERROR_SUCCESS ? std::string() : describe(status);
  }
};

}  // namespace

std::shared_ptr<const signature_verifier> os_signature_verifier() { return std::make_shared<authenticode_verifier>(); }

}  // namespace smharden::core

#endif
