// The services of one target for one run, with the method registry they fill.
// Built once per run (apply, check, rollback, a probe); ends every service's
// run (logout, close handles) when it goes away.
#pragma once

#include <functional>

#include "run/run_context.hpp"
#include "run/run_observer.hpp"
#include "services/service.hpp"

namespace smharden::core {

using extra_services_hook = std::function<void(services::service_list&, services::service_env&)>;

class target_session {
 public:
  /// Builds the services for `t`. `extra` adds services beyond the target's own (tests).
  /// Throws core::error when the target's services cannot be created.
  target_session(const services::target& t, services::service_env env, const extra_services_hook& extra = {});
  ~target_session();
  target_session(const target_session&) = delete;
  target_session& operator=(const target_session&) = delete;

  const services::registry& methods() const noexcept { return methods_; }
  /// For methods the run itself provides (e.g. the access guard).
  services::registry& methods() noexcept { return methods_; }

  /// A step (or a rollback group) finished: make in-memory changes durable. Throws on failure.
  void commit_step();
  /// A step failed: drop its uncommitted in-memory changes.
  void discard_step();

 private:
  services::service_env env_;  // the services keep a reference: it lives as long as they do
  services::service_list services_;
  services::registry methods_;
};

/// Gives `env` the run's secrets: lookup, registration of values a service
/// learns (tokens), and redaction of text a service prints itself.
void lend_secrets(services::service_env& env, secret_store& secrets, const redactor& redact);

/// What every session of a run lends its services: the secrets (lend_secrets), the audit `log`,
/// the state folder and the run's folder (empty when the session does not write). File writes are neither journaled nor
/// refused until journal_writes or refuse_writes says which.
services::service_env session_env(secret_store& secrets, const redactor& redact, audit_log& log,
                                  std::filesystem::path state_dir, std::filesystem::path run_dir = {});

/// Every file write of the session announced to `observer` (null: not journaled) under the step
/// that `step` names at the time of the write.
void journal_writes(services::service_env& env, run_observer* observer, const std::string& step);

/// Every file write of the session refused: "`who` does not write (file)".
void refuse_writes(services::service_env& env, const std::string& who);

/// The environment of a session that only reads the target (the health probe, the route probe).
services::service_env read_only_env(const run_context& ctx, const std::string& who);

}  // namespace smharden::core
