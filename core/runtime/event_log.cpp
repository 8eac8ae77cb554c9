#include "runtime/event_log.hpp"

#include <fmt/format.h>

namespace smharden::core {
namespace {

using nlohmann::json;

/// Entries stay far below the Event Log's limit of 31,839 characters per string.
constexpr std::size_t max_text = 8 * 1024;

std::string text_of(const json& fields, const char* key) {
  const auto it = fields.find(key);
  if (it == fields.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

event_log_entry entry(event_id id, smh_log_level level, std::string text) {
  if (text.size() > max_text) text = text.substr(0, max_text) + " [...]";
  return {id, level, std::move(text)};
}

/// "accounts, service, iis-identity" from the rotation record's step list.
std::string step_list(const json& f) {
  const auto it = f.find("steps");
  if (it == f.end() || !it->is_array()) return "";
  std::string out;
  for (const json& s : *it) out += (out.empty() ? "" : ", ") + (s.is_string() ? s.get<std::string>() : s.dump());
  return out;
}

std::optional<event_log_entry> apply_entry(const std::string& run_id, const std::string& type, const json& f) {
  if (type == "rotation_start") {
    // The password itself is never in the record; the secret's name and where the password came from are.
    return entry(
        event_id::rotation_started, SMH_LOG_INFO,
        fmt::format("smharden apply {}: service password rotation of secret {} started in steps {} "
                    "(password {}, rotation begun by run {})",
                    run_id, text_of(f, "secret"), step_list(f), text_of(f, "password_from"), text_of(f, "started_by")));
  }
  if (type == "rotation_end") {
    return entry(event_id::rotation_completed, SMH_LOG_INFO,
                 fmt::format("smharden apply {}: service password rotation of secret {} completed in steps {}", run_id,
                             text_of(f, "secret"), step_list(f)));
  }
  if (type == "run_start") {
    return entry(event_id::apply_started, SMH_LOG_INFO,
                 fmt::format("smharden apply {} started: profile {}, target {}", run_id, text_of(f, "profile"),
                             text_of(f, "target")));
  }
  if (type == "run_end") {
    const std::string outcome = text_of(f, "outcome");
    const std::string text = fmt::format("smharden apply {} ended: {} (exit code {})", run_id, outcome,
                                         f.value("exit_code", json(nullptr)).dump());
    if (outcome == "ok") return entry(event_id::apply_ended, SMH_LOG_INFO, text);
    if (outcome == "drift") return entry(event_id::apply_ended_with_drift, SMH_LOG_WARN, text);
    std::string why = text_of(f, "error");
    return entry(event_id::apply_failed, SMH_LOG_ERROR, why.empty() ? text : text + ": " + why);
  }
  return std::nullopt;
}

std::optional<event_log_entry> rollback_entry(const std::string& run_id, const std::string& type, const json& f) {
  if (type == "run_start") {
    return entry(event_id::rollback_started, SMH_LOG_INFO,
                 fmt::format("smharden rollback {} of run {} started ({}): target {}", run_id, text_of(f, "rolls_back"),
                             text_of(f, "reason"), text_of(f, "target")));
  }
  if (type == "run_end") {
    const std::string outcome = text_of(f, "outcome");
    const std::string text = fmt::format("smharden rollback {} ended: {}", run_id, outcome);
    if (outcome == "rolled_back") return entry(event_id::rollback_ended, SMH_LOG_INFO, text);
    return entry(event_id::rollback_incomplete, SMH_LOG_ERROR,
                 text + "; run `smharden rollback --last` again after fixing the cause");
  }
  return std::nullopt;
}

}  // namespace

std::optional<event_log_entry> event_log_entry_for(const std::string& mode, const std::string& run_id,
                                                   const std::string& type, const json& fields) {
  if (type == "override") {
    return entry(event_id::override_used, SMH_LOG_WARN,
                 fmt::format("smharden {} {}: override: {}", mode, run_id, text_of(fields, "what")));
  }
  if (type == "mutation") {
    const std::string description = text_of(fields, "description");
    return entry(event_id::change_made, SMH_LOG_INFO,
                 fmt::format("smharden {} {}: change {} in step {}: {}{}", mode, run_id, fields.value("seq", 0),
                             text_of(fields, "step"), text_of(fields, "method"),
                             description.empty() ? "" : " (undo: " + description + ")"));
  }
  if (type == "mutation_done") {
    if (fields.value("ok", true)) return std::nullopt;
    return entry(event_id::change_failed, SMH_LOG_WARN,
                 fmt::format("smharden {} {}: change {} failed", mode, run_id, fields.value("seq", 0)));
  }
  if (mode == "apply") return apply_entry(run_id, type, fields);
  if (mode == "rollback") return rollback_entry(run_id, type, fields);
  return std::nullopt;
}

#ifndef _WIN32
std::unique_ptr<event_log_writer> make_windows_event_log() { return nullptr; }
#endif

}  // namespace smharden::core
