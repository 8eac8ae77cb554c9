// The Windows Event Log writer: one spdlog win_eventlog_sink per event id
// (the sink reports every entry under the id it was made with), the level as
// the entry's type (Information, Warning, Error).
#include <windows.h>

#include <spdlog/details/log_msg.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/win_eventlog_sink.h>

#include <map>
#include <mutex>

#include "runtime/event_log.hpp"

namespace smharden::core {
namespace {

spdlog::level::level_enum to_event_log_level(smh_log_level level) {
  switch (level) {
    case SMH_LOG_DEBUG:
    case SMH_LOG_INFO:
      return spdlog::level::info;
    case SMH_LOG_WARN:
      return spdlog::level::warn;
    default:
      return spdlog::level::err;
  }
}

class windows_event_log final : public event_log_writer {
 public:
  void write(const event_log_entry& e) noexcept override {
    try {
      std::lock_guard<std::mutex> lock(mutex_);
      auto& sink = sinks_[e.id];
      if (!sink) {
        sink = std::make_shared<spdlog::sinks::win_eventlog_sink_mt>(event_log_source, static_cast<WORD>(e.id));
        // The text alone, without the end of line spdlog adds for files.
        sink->set_formatter(std::make_unique<spdlog::pattern_formatter>("%v", spdlog::pattern_time_type::local, ""));
      }
      sink->log(spdlog::details::log_msg(event_log_source, to_event_log_level(e.level), e.text));
    } catch (...) {
      // The source may not be registered, or the log full: the audit log file still has the entry.
    }
  }

 private:
  std::mutex mutex_;
  std::map<event_id, std::shared_ptr<spdlog::sinks::win_eventlog_sink_mt>> sinks_;
};

}  // namespace

std::unique_ptr<event_log_writer> make_windows_event_log() { return std::make_unique<windows_event_log>(); }

}  // namespace smharden::core
