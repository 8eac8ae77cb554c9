#include "runtime/audit_log.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "base/text_escape.hpp"

namespace smharden::core {
namespace {

spdlog::level::level_enum to_spdlog(smh_log_level level) {
  switch (level) {
    case SMH_LOG_DEBUG:
      return spdlog::level::debug;
    case SMH_LOG_INFO:
      return spdlog::level::info;
    case SMH_LOG_WARN:
      return spdlog::level::warn;
    default:
      return spdlog::level::err;
  }
}

}  // namespace

audit_log::audit_log(const redactor& redact, const std::filesystem::path& file, smh_log_level console_level)
    : redact_(redact), file_(file) {
  std::vector<spdlog::sink_ptr> sinks;
  auto console = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  console->set_level(to_spdlog(console_level));
  console->set_pattern("smharden: %l: %v");
  sinks.push_back(console);
  if (!file.empty()) {
    std::filesystem::create_directories(file.parent_path());
    auto f = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file.string(), /*truncate=*/false);
    f->set_level(spdlog::level::debug);
    f->set_formatter(
        std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc));
    sinks.push_back(f);
  }
  logger_ = std::make_shared<spdlog::logger>("smharden", sinks.begin(), sinks.end());
  logger_->set_level(spdlog::level::debug);
  logger_->flush_on(spdlog::level::debug);
}

audit_log::~audit_log() {
  try {
    logger_->flush();
  } catch (...) {
  }
}

void audit_log::write(smh_log_level level, const std::string& message) noexcept {
  try {
    // One entry, one line: a message can neither forge entries nor drive the terminal.
    logger_->log(to_spdlog(level), util::escape_control(redact_.apply(message)));
  } catch (...) {
  }
}

void audit_log::record(const std::string& mode, const std::string& run_id, const std::string& type,
                       const nlohmann::json& fields) noexcept {
  if (!event_log_) return;
  try {
    auto entry = event_log_entry_for(mode, run_id, type, fields);
    if (!entry) return;
    entry->text = util::escape_control(redact_.apply(entry->text));
    event_log_->write(*entry);
  } catch (...) {
  }
}

}  // namespace smharden::core
