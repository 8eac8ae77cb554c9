#include "runtime/secret_store.hpp"

#include <fmt/format.h>
#include <smharden/common/secret_env_name.hpp>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/ascii_lower.hpp"
#include "base/errors.hpp"

#ifndef _WIN32
extern char** environ;
#endif

namespace smharden::core {

secret_store::secret_store(redactor& r) : redactor_(r) {
  // Redact every secret the environment offers, read or not.
#ifndef _WIN32
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    if (entry.rfind("SMHARDEN_SECRET_", 0) != 0) continue;
    const auto eq = entry.find('=');
    if (eq != std::string_view::npos && !is_identity_name(entry.substr(0, eq))) redactor_.add(entry.substr(eq + 1));
  }
#endif
}

std::string secret_store::env_name(const std::string& name) { return common::secret_env_name(name); }

void secret_store::add_file(const std::string& name, const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw usage_error(fmt::format("--secret-file {}={}: cannot read the file", name, file.string()));
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string value = ss.str();
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  add_value(name, std::move(value));
}

bool secret_store::is_identity_name(std::string_view name) {
  const std::string n = util::ascii_lower(name);
  const auto ends_with = [&n](std::string_view tail) {
    return n.size() >= tail.size() && n.compare(n.size() - tail.size(), tail.size(), tail) == 0;
  };
  return ends_with("username") || ends_with("user_name") || ends_with("_user") || n == "user";
}

void secret_store::note_sensitive(std::string_view value) { redactor_.add(value); }

void secret_store::add_value(const std::string& name, std::string value) {
  if (!is_identity_name(name)) redactor_.add(value);
  values_[name] = std::move(value);
}

void secret_store::put(const std::string& name, std::string value) { add_value(name, std::move(value)); }

std::optional<std::string> secret_store::get(const std::string& name) const {
  if (const auto it = values_.find(name); it != values_.end()) return it->second;
  if (const char* env = std::getenv(env_name(name).c_str()); env != nullptr) {
    if (!is_identity_name(name)) redactor_.add(env);
    return std::string(env);
  }
  return std::nullopt;
}

}  // namespace smharden::core
