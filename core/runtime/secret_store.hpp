// Where secrets come from: secrets a step put earlier in the run, files named
// with --secret-file NAME=PATH, a value read from stdin (--secret-stdin NAME),
// and the environment (SMHARDEN_SECRET_<NAME>, upper-cased, '-' -> '_').
// Never from profiles or argv. Every value is registered with the redactor.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

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
  std::optional<std::string> get(const std::string& name) const;
  /// Every value read so far (files, stdin, put), for handing them to a run's worker process over a pipe.
  const std::map<std::string, std::string>& values() const noexcept { return values_; }

  static std::string env_name(const std::string& name);

 private:
  redactor& redactor_;
  std::map<std::string, std::string> values_;
};

}  // namespace smharden::core
