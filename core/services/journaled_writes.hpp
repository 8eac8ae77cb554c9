// How a service writes the files it owns so that the run's journal can keep
// them: a file is announced before its first write in the run (the journal
// backs it up), and every write or removal is reported after it with the
// sha256 of the bytes now in the file, so the journal records a file's state
// without reading it again.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace smharden::services {

struct service_env;

/// Before the first write of a file in the run. Throws when the backup cannot be made (then do not write).
using before_file_write_fn = std::function<void(const std::filesystem::path&)>;
/// After every write of a file: the sha256 of its bytes now, nullopt when it was removed.
using file_written_fn = std::function<void(const std::filesystem::path&, const std::optional<std::string>&)>;

class journaled_writes {
 public:
  journaled_writes(before_file_write_fn before, file_written_fn written);
  /// Through the run's environment, read at each write (it outlives the service).
  explicit journaled_writes(const service_env& env);

  /// Before `file` changes (also when a tool the service calls writes it); once per file.
  void announce(const std::filesystem::path& file);
  /// After `file` changed: it now holds `bytes`.
  void report(const std::filesystem::path& file, std::string_view bytes) const;
  /// After a tool the service called wrote `file` (or failed part-way): reads it back and reports
  /// it. One that cannot be read is announced again: the journal reads it at the step's end.
  void report_from_disk(const std::filesystem::path& file) const noexcept;
  /// Announces, writes `bytes` atomically, reports.
  void write(const std::filesystem::path& file, std::string_view bytes);
  /// Announces, removes, reports the removal.
  void remove(const std::filesystem::path& file);

 private:
  const before_file_write_fn& before() const;
  const file_written_fn& written() const;

  const service_env* env_ = nullptr;
  before_file_write_fn before_;
  file_written_fn written_;
  std::set<std::filesystem::path> announced_;
};

}  // namespace smharden::services
