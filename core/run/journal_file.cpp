#include "run/journal_file.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "base/durable_write.hpp"
#include "base/errors.hpp"
#include "base/json_reader.hpp"

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

namespace smharden::journal {
namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
  throw core::runtime_error(fmt::format("journal {}: {}", file.string(), what));
}

}  // namespace

journal_writer::journal_writer(const std::filesystem::path& file) : file_(file) {
#ifdef _WIN32
  HANDLE h = CreateFileW(file.wstring().c_str(), FILE_APPEND_DATA, FILE_SHARE_READ, nullptr, OPEN_ALWAYS,
                         FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) fail(file, fmt::format("cannot open for appending (error {})", GetLastError()));
  handle_ = h;
#else
  fd_ = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0) fail(file, fmt::format("cannot open for appending ({})", std::strerror(errno)));
  // The new directory entry must survive a crash too.
  util::sync_folder(file.parent_path());
#endif
}

journal_writer::~journal_writer() {
#ifdef _WIN32
  if (handle_ != nullptr) CloseHandle(static_cast<HANDLE>(handle_));
#else
  if (fd_ >= 0) ::close(fd_);
#endif
}

void journal_writer::write_all(const std::string& bytes) {
#ifdef _WIN32
  DWORD done = 0;
  if (!WriteFile(static_cast<HANDLE>(handle_), bytes.data(), static_cast<DWORD>(bytes.size()), &done, nullptr) ||
      done != bytes.size()) {
    fail(file_, fmt::format("cannot write (error {})", GetLastError()));
  }
  if (!FlushFileBuffers(static_cast<HANDLE>(handle_))) {
    fail(file_, fmt::format("cannot flush to disk (error {})", GetLastError()));
  }
#else
  if (const int err = util::write_all_and_sync(fd_, bytes); err != 0) {
    fail(file_, fmt::format("cannot write to disk ({})", std::strerror(err)));
  }
#endif
}

void journal_writer::append(const json& record) {
  // dump() escapes control characters, so a record is always exactly one line.
  write_all(record.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
  ++written_;
}

void journal_writer::append_torn_for_test(const json& record) {
  const std::string line = record.dump(-1, ' ', false, json::error_handler_t::replace);
  write_all(line.substr(0, line.size() / 2));
}

journal_contents read_journal(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) fail(file, "cannot read (does the run folder still exist?)");
  const std::string text = core::read_regular_file(file, core::own_json_limits.max_bytes, core::json_blame::data);
  journal_contents out;
  std::size_t pos = 0;
  std::size_t line_no = 0;
  while (pos < text.size()) {
    ++line_no;
    const std::size_t nl = text.find('\n', pos);
    const bool last = nl == std::string::npos || nl + 1 == text.size();
    const std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    if (line.empty()) continue;
    json record;
    try {
      record = core::parse_json(line, fmt::format("{} line {}", file.string(), line_no),
                                core::json_read_options{core::own_json_limits});
    } catch (const core::error&) {
      record = json();  // torn or damaged: judged below
    }
    const bool complete = nl != std::string::npos;
    if (!complete || !record.is_object()) {
      if (last) {
        out.torn_tail = true;
        break;
      }
      fail(file, fmt::format("line {} is not a JSON object although later lines follow; the journal was damaged "
                             "after it was written (restore it from a backup or roll back by hand)",
                             line_no));
    }
    out.records.push_back(std::move(record));
  }
  return out;
}

}  // namespace smharden::journal
