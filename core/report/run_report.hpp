// The result of one run, as every report format sees it.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace smharden::core {

enum class step_status { compliant, drift, applied, failed, blocked, skipped, waived, error };

const char* to_string(step_status s);

/// False when a step's findings no longer stand after the run: the step was compliant, was skipped,
/// or its findings were fixed (applied). Waived findings of the other statuses still stand.
bool findings_still_open(step_status s);

struct step_result {
  std::string id;
  std::string title;
  std::string plugin_version;
  std::string severity;  ///< the step's effective default severity
  step_status status = step_status::skipped;
  /// One line explaining a blocked/skipped/failed/error status (empty otherwise).
  std::string reason;
  /// Each: id, severity, title, current, desired, remediation, automated,
  /// and "waived": {"reason", "expires"} when a waiver covers it.
  nlohmann::json findings = nlohmann::json::array();
  nlohmann::json changes = nlohmann::json::array();
  std::int64_t duration_ms = 0;
  bool os_access = false;  ///< the plugin declares that it calls the OS directly
};

struct restart_result {
  std::string kind;  ///< service | app_pool
  std::string name;
  std::string status;  ///< done | pending | failed
  std::string message;
};

struct run_report {
  std::string run_id;
  std::string mode;                        ///< check | apply | rollback
  std::string started_at;                  ///< ISO 8601 UTC
  std::string finished_at;                 ///< ISO 8601 UTC
  std::string target;                      ///< target description (no secrets)
  std::string profile;                     ///< profile name
  std::vector<std::string> profile_chain;  ///< files, base first
  std::vector<step_result> steps;
  std::vector<restart_result> restarts;
  /// Expired waivers and other notices the operator should read.
  std::vector<std::string> notices;
  /// Operator overrides recorded for the audit (e.g. --allow-lockout-risk).
  std::vector<std::string> overrides;
  nlohmann::json extra = nlohmann::json::object();  ///< journal, rollback, health details
  int exit_code = 0;

  std::map<std::string, int> summary() const;
};

}  // namespace smharden::core
