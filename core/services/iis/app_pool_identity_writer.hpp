// Sets an application pool's custom identity (SpecificUser) on the running
// server through IIS itself, which encrypts the password with the machine's
// WAS key: smharden cannot produce that ciphertext, and a clear-text password
// in applicationHost.config is what the hardening guide forbids.
#pragma once

#include <memory>
#include <string>

namespace smharden::services::iis {

class app_pool_identity_writer {
 public:
  app_pool_identity_writer() = default;
  app_pool_identity_writer(const app_pool_identity_writer&) = delete;
  app_pool_identity_writer& operator=(const app_pool_identity_writer&) = delete;
  virtual ~app_pool_identity_writer() = default;

  /// Writes identityType="SpecificUser", userName and the encrypted password of
  /// app pool `pool` into applicationHost.config and commits. `password` is
  /// passed to IIS only: never logged, copied into an error, or kept.
  /// Throws service_error: not_found (no such pool), unavailable (no IIS
  /// configuration API on this machine), failed (IIS refused).
  virtual void set_specific_user(const std::string& pool, const std::string& user, const std::string& password) = 0;
};

/// Windows: the IIS administration COM API (Microsoft.ApplicationHost.WritableAdminManager,
/// late-bound through IDispatch because MinGW ships no ahadmin.h). Elsewhere: nullptr.
std::unique_ptr<app_pool_identity_writer> make_ahadmin_identity_writer();

}  // namespace smharden::services::iis
