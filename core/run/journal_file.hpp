// The run journal on disk: runs/<run_id>/journal.jsonl, one JSON object per
// line. Every append is flushed to the disk (fsync / FlushFileBuffers) before
// it returns, so a record that the engine acted on survives a crash. A
// process killed mid-write leaves at most one torn last line, which readers
// skip.
#pragma once

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace smharden::journal {

using json = nlohmann::json;

/// Appends records durably. Not copyable; closes the file on destruction.
class journal_writer {
 public:
  /// Opens (creating) `file` for appending. Throws core::runtime_error naming the file.
  explicit journal_writer(const std::filesystem::path& file);
  ~journal_writer();
  journal_writer(const journal_writer&) = delete;
  journal_writer& operator=(const journal_writer&) = delete;

  /// Writes `record` as one line and flushes it to the disk. Throws
  /// core::runtime_error when the bytes cannot be made durable.
  void append(const json& record);
  /// Test hook: writes the first half of the record's line and no newline
  /// (what a kill in the middle of a write leaves behind).
  void append_torn_for_test(const json& record);

  const std::filesystem::path& file() const noexcept { return file_; }
  std::size_t records_written() const noexcept { return written_; }

 private:
  void write_all(const std::string& bytes);

  std::filesystem::path file_;
  std::size_t written_ = 0;
#ifdef _WIN32
  void* handle_ = nullptr;
#else
  int fd_ = -1;
#endif
};

struct journal_contents {
  std::vector<json> records;
  /// The last line was incomplete (no newline, or not valid JSON) and was skipped.
  bool torn_tail = false;
};

/// Reads a journal. A torn last line is skipped (torn_tail = true); an
/// invalid line anywhere else throws core::runtime_error naming the file and
/// line, because the journal was damaged by something other than a crash.
journal_contents read_journal(const std::filesystem::path& file);

}  // namespace smharden::journal
