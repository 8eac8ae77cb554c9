// A backend that owns one kind of system state (Windows accounts and ACLs,
// applicationHost.config, the SmarterMail API) and publishes its methods to
// the registry. This folder is the only code in smharden that touches the
// system.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "services/journaled_writes.hpp"
#include "services/service_registry.hpp"
#include "services/target.hpp"

namespace smharden::services {

/// What the engine lends every service for one run. Owned by the engine;
/// outlives every service of the run.
struct service_env {
  /// Call before the first byte of a file changes; the engine keeps a backup
  /// and journals it. Throws when the backup cannot be made (then do not
  /// write). A later call for the same file says its content is unknown
  /// until the next file_written.
  before_file_write_fn before_file_write;
  /// Call after every write of such a file with the sha256 of the bytes now
  /// in it (nullopt: removed): the journal records it without reading the
  /// file. A file announced and not reported since is read at the step's end.
  /// journaled_writes does both.
  file_written_fn file_written;
  /// A named secret (environment, file, stdin, or put by an earlier step), or nullopt.
  std::function<std::optional<std::string>(const std::string&)> secret;
  /// Audit-log line (secrets are redacted by the sink).
  std::function<void(const std::string&)> log;
  /// A value the service learned that must never be shown (a session token the
  /// server issued, a generated TOTP code): redacted from every output from now on.
  std::function<void(const std::string&)> sensitive;
  /// Text with every known secret value replaced by "***" (for output a
  /// service builds itself, e.g. the route probe's report).
  std::function<std::string(const std::string&)> redact;
  /// The run's folder (journal, report, backups), empty in check mode.
  std::filesystem::path run_dir;
  /// The per-user state folder (logs, runs, default lab).
  std::filesystem::path state_dir;
};

class service {
 public:
  service() = default;
  service(const service&) = delete;
  service& operator=(const service&) = delete;
  virtual ~service() = default;

  virtual std::string name() const = 0;
  virtual void register_methods(registry& r) = 0;
  /// A step's apply succeeded: make its in-memory changes durable
  /// (atomically). Services that write through on every call do nothing.
  virtual void commit_step() {}
  /// A step failed: drop its uncommitted in-memory changes.
  virtual void discard_step() {}
  /// The run is over (logout, close handles). Must not throw.
  virtual void end_run() noexcept {}
};

using service_list = std::vector<std::unique_ptr<service>>;

/// Every service for `t`, ready to register. Defined in service_factory.cpp,
/// the one place that knows all backends.
service_list make_services(const target& t, service_env& env);

/// Writes a fresh lab (a just-installed SmarterMail on Windows) into `dir`.
/// Refuses a non-empty folder that is not already a lab.
void init_lab(const std::filesystem::path& dir);

}  // namespace smharden::services
