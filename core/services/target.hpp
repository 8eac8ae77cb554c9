// What a run works on: the local Windows server, an offline copy of a
// server's config files (read-only: an auditor's evidence), or a lab (a
// simulated fresh SmarterMail install).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace smharden::services {

enum class target_kind { local, offline, lab };

struct target {
  target_kind kind = target_kind::lab;
  /// The lab or offline folder; empty for `local`.
  std::filesystem::path root;
  /// The folder's `target.json` (or the file named by --target FILE.json):
  /// per-service settings such as {"smartermail": {"url": ...}}. Never holds secrets.
  nlohmann::json config = nlohmann::json::object();

  /// e.g. "lab:/var/lib/smharden/lab".
  std::string describe() const;
  /// Settings object of one service ("windows", "iis", "smartermail"), {} when absent.
  nlohmann::json service_config(const std::string& service) const;
  /// The target file's "require_signed_plugins" (false when absent): on
  /// Windows, load only plugins with a valid Authenticode signature. Throws
  /// smharden::core::profile_error when it is not true or false.
  bool require_signed_plugins() const;
};

const char* to_string(target_kind kind);

/// Parses --target: "local", "lab:DIR", "offline:DIR", or a path to a target JSON file whose
/// "kind" is "local", "lab" or "offline" (lab and offline with "root", relative to the file).
/// Throws smharden::core::usage_error on a bad spec, core::profile_error on a bad target file.
target parse_target(const std::string& spec);

/// Throws core::usage_error (exit 2) when `command` (apply, rollback) would change a read-only
/// target: an offline copy.
void require_changeable(const target& t, const std::string& command);

}  // namespace smharden::services
