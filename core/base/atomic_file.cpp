#include "base/atomic_file.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <random>
#include <system_error>

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

#include "base/durable_write.hpp"

namespace smharden::util {
namespace {

std::filesystem::path temp_path_for(const std::filesystem::path& path) {
  std::random_device rd;
  const auto tag = std::to_string(rd());
  return path.parent_path() / ("." + path.filename().string() + ".smharden-" + tag + ".tmp");
}

[[noreturn]] void fail(const std::filesystem::path& path, const char* what) {
  throw std::system_error(errno, std::generic_category(), std::string(what) + " " + path.string());
}

#ifdef _WIN32
void write_and_replace(const std::filesystem::path& tmp, const std::filesystem::path& path, std::string_view content,
                       bool /*owner_only: the folder's ACL decides on Windows*/ = false) {
  HANDLE h = CreateFileW(tmp.wstring().c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    throw std::system_error(static_cast<int>(GetLastError()), std::system_category(), "cannot create " + tmp.string());
  }
  DWORD written = 0;
  const BOOL ok = WriteFile(h, content.data(), static_cast<DWORD>(content.size()), &written, nullptr) &&
                  written == content.size() && FlushFileBuffers(h);
  const DWORD err = GetLastError();
  CloseHandle(h);
  if (!ok) {
    DeleteFileW(tmp.wstring().c_str());
    throw std::system_error(static_cast<int>(err), std::system_category(), "cannot write " + tmp.string());
  }
  if (!MoveFileExW(tmp.wstring().c_str(), path.wstring().c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
    const DWORD move_err = GetLastError();
    DeleteFileW(tmp.wstring().c_str());
    throw std::system_error(static_cast<int>(move_err), std::system_category(), "cannot replace " + path.string());
  }
}
#else
void write_and_replace(const std::filesystem::path& tmp, const std::filesystem::path& path, std::string_view content,
                       bool owner_only = false) {
  // O_EXCL: a file planted at the temporary name is never written through; the mode is set at creation.
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, owner_only ? 0600 : 0644);
  if (fd < 0) fail(tmp, "cannot create");
  int err = write_all_and_sync(fd, content);
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err != 0) {
    ::unlink(tmp.c_str());
    errno = err;
    fail(tmp, "cannot write");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    fail(path, "cannot replace");
  }
  sync_folder(path.parent_path());
}
#endif

}  // namespace

void write_file_atomic(const std::filesystem::path& path, std::string_view content) {
  write_and_replace(temp_path_for(path), path, content);
}

void write_private_file_atomic(const std::filesystem::path& path, std::string_view content) {
  write_and_replace(temp_path_for(path), path, content, true);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot read");
  // One read of the whole file (a 10 MB applicationHost.config is read several times a run);
  // the loop after it catches a file that grew since its size was taken.
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  std::string out(ec ? 0 : static_cast<std::size_t>(size), '\0');
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  out.resize(static_cast<std::size_t>(in.gcount()));
  std::array<char, 65536> chunk{};
  while (in && (in.read(chunk.data(), chunk.size()), in.gcount() > 0)) {
    out.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) fail(path, "cannot read");
  return out;
}

}  // namespace smharden::util
