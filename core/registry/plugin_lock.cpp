#include "registry/plugin_lock.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "base/atomic_file.hpp"

namespace smharden::core {
namespace {

namespace fs = std::filesystem;

bool is_module(const fs::path& p) {
#ifdef _WIN32
  return p.extension() == ".dll";
#else
  return p.extension() == ".so";
#endif
}

bool is_sha256_hex(const std::string& s) {
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

constexpr const char* relock_fix = "if this module is the one you installed, verify it and run `smharden plugins lock`";

}  // namespace

std::vector<fs::path> plugin_modules_in(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec) && is_module(entry.path())) files.push_back(fs::absolute(entry.path()));
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string file_sha256(const fs::path& file) { return util::sha256_hex(util::read_file(file)); }

std::optional<plugin_lock> read_plugin_lock(const fs::path& dir) {
  plugin_lock lock;
  lock.file = dir / plugin_lock_file_name;
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(lock.file, ec))) return std::nullopt;
  auto bad = [&](const std::string& what) {
    return std::invalid_argument(
        fmt::format("plugin lock file {}: {}; write it again with `smharden plugins lock`", lock.file.string(), what));
  };
  std::string text;
  try {
    text = util::read_file(lock.file);
  } catch (const std::exception& e) {
    throw bad(fmt::format("cannot be read ({})", e.what()));
  }
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) throw bad("not a JSON object");
  if (doc.value("format", std::string()) != plugin_lock_format) {
    throw bad(fmt::format("/format must be \"{}\"", plugin_lock_format));
  }
  const auto modules = doc.find("modules");
  if (modules == doc.end() || !modules->is_object()) throw bad("/modules must be an object of file name -> SHA-256");
  for (const auto& [name, hash] : modules->items()) {
    if (!hash.is_string() || !is_sha256_hex(hash.get<std::string>())) {
      throw bad(fmt::format("/modules/{} must be a SHA-256 in lower-case hex (64 digits)", name));
    }
    lock.sha256.emplace(name, hash.get<std::string>());
  }
  return lock;
}

std::string render_plugin_lock(const std::map<std::string, std::string>& sha256) {
  nlohmann::ordered_json doc = {{"format", plugin_lock_format}, {"modules", nlohmann::ordered_json::object()}};
  for (const auto& [name, hash] : sha256) doc["modules"][name] = hash;
  return doc.dump(2) + "\n";
}

std::string lock_mismatch(const plugin_lock& lock, const fs::path& module) {
  std::string actual;
  try {
    actual = file_sha256(module);
  } catch (const std::exception& e) {
    return fmt::format("cannot be hashed to compare with the plugin lock file {} ({})", lock.file.string(), e.what());
  }
  const auto it = lock.sha256.find(module.filename().string());
  if (it == lock.sha256.end()) {
    return fmt::format("not listed in the plugin lock file {} (actual sha256 {}); {}", lock.file.string(), actual,
                       relock_fix);
  }
  if (it->second != actual) {
    return fmt::format("does not match the plugin lock file {}: expected sha256 {}, actual {}; {}", lock.file.string(),
                       it->second, actual, relock_fix);
  }
  return {};
}

}  // namespace smharden::core
