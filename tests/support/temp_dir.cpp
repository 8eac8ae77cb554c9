#include "temp_dir.hpp"

#include <unistd.h>

#include <fstream>
#include <random>
#include <stdexcept>

namespace smharden::test {

temp_dir::temp_dir(const std::string& prefix) {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto candidate = std::filesystem::temp_directory_path() /
                     (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    if (std::filesystem::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary folder");
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path temp_dir::write(const std::filesystem::path& relative, std::string_view text) const {
  const auto file = path_ / relative;
  write_file(file, text);
  return file;
}

std::filesystem::path temp_dir::write_json(const std::filesystem::path& relative, const nlohmann::json& doc) const {
  const auto file = path_ / relative;
  smharden::test::write_json(file, doc);
  return file;
}

void write_file(const std::filesystem::path& file, std::string_view text) {
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out.flush()) throw std::runtime_error("cannot write " + file.string());
}

void write_json(const std::filesystem::path& file, const nlohmann::json& doc) { write_file(file, doc.dump(2) + "\n"); }

}  // namespace smharden::test
