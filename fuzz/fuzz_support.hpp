// Shared by the libFuzzer harnesses: a private scratch folder per process and
// the split of one input into several documents.
#pragma once
#include <unistd.h>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace smharden::fuzz {

/// A folder under $TMPDIR (or /tmp) that lives as long as the process.
inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/smharden-fuzz-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
    return std::filesystem::path(pattern);
  }();
  return dir;
}

inline void write_file(const std::filesystem::path& file, std::string_view bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::perror("write");
    std::abort();
  }
}

/// Splits `data` at every line that is exactly `separator` (e.g. "----"):
/// one fuzz input carries several files or answers.
inline std::vector<std::string_view> split_documents(const uint8_t* data, size_t size, std::string_view separator) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const std::string marker = "\n" + std::string(separator) + "\n";
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    const size_t at = all.find(marker, start);
    if (at == std::string_view::npos) {
      parts.push_back(all.substr(start));
      return parts;
    }
    parts.push_back(all.substr(start, at - start));
    start = at + marker.size();
  }
}

/// A finding that is not a crash: a harness's property does not hold.
[[noreturn]] inline void property_failed(const char* what) {
  std::fprintf(stderr, "smharden fuzz: property failed: %s\n", what);
  std::abort();
}

}  // namespace smharden::fuzz
