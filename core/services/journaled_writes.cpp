#include "services/journaled_writes.hpp"

#include "base/atomic_file.hpp"
#include "services/service.hpp"

namespace smharden::services {

journaled_writes::journaled_writes(before_file_write_fn before, file_written_fn written)
    : before_(std::move(before)), written_(std::move(written)) {}

journaled_writes::journaled_writes(const service_env& env) : env_(&env) {}

const before_file_write_fn& journaled_writes::before() const {
  return env_ != nullptr ? env_->before_file_write : before_;
}

const file_written_fn& journaled_writes::written() const { return env_ != nullptr ? env_->file_written : written_; }

void journaled_writes::announce(const std::filesystem::path& file) {
  if (announced_.count(file) != 0) return;
  if (before()) before()(file);
  announced_.insert(file);
}

void journaled_writes::report(const std::filesystem::path& file, std::string_view bytes) const {
  if (written()) written()(file, util::sha256_hex(bytes));
}

void journaled_writes::report_from_disk(const std::filesystem::path& file) const noexcept {
  if (!written()) return;
  try {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec) && !ec) {
      written()(file, std::nullopt);
    } else {
      report(file, util::read_file(file));
    }
  } catch (const std::exception&) {
    // Unreadable now: announced again, the journal takes its content as unknown and reads it itself.
    try {
      if (before()) before()(file);
    } catch (const std::exception&) {
    }
  }
}

void journaled_writes::write(const std::filesystem::path& file, std::string_view bytes) {
  announce(file);
  util::write_file_atomic(file, bytes);
  report(file, bytes);
}

void journaled_writes::remove(const std::filesystem::path& file) {
  announce(file);
  std::filesystem::remove(file);
  if (written()) written()(file, std::nullopt);
}

}  // namespace smharden::services
