// Where secrets come from: secrets a step put earlier in the run, files named
// with --secret-file NAME=PATH, a value read from stdin (--secret-stdin NAME),
// and the environment (SMHARDEN_SECRET_<NAME>, upper-cased, '-' -> '_').
// Never from profiles or argv. Every value is registered with the redactor.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/redactor.hpp"

namespace smharden::core {

class secret_store {
 public:
  explicit secret_store(redactor& r);

  /// Reads the file now (trailing newline stripped). Throws usage_error when unreadable.
  void add_file(const std::string& name, const std::filesystem::path& file);
  void add_value(const std::string& name, std::string value);
  /// A secret handed over by a step for the rest of the run.
  void put(const std::string& name, std::string value);
  /// Not a named secret, but a value that must not be shown (a session token a
  /// server issued, a generated code): registered with the redactor only.
  void note_sensitive(std::string_view value);

  /// True for names of identities rather than secrets ("smartermail_username"):
  /// their values are looked up like secrets but not redacted (a user name is
  /// not a secret, and redacting "admin" would turn "sysadmin" into "sys***").
  static bool is_identity_name(std::string_view name);
  std::optional<std::string> get(const std::string& name) const;
  /// Every value read so far (files, stdin, put), for handing them to a run's worker process over a pipe.
  const std::map<std::string, std::string>& values() const noexcept { return values_; }

  static std::string env_name(const std::string& name);

 private:
  redactor& redactor_;
  std::map<std::string, std::string> values_;
};

}  // namespace smharden::core
