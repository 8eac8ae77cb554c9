#include "run/run_lock.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/atomic_file.hpp"
#include "base/errors.hpp"
#include "runtime/state_dir.hpp"

#ifdef _WIN32
#include <windows.h>
#else
#include <unistd.h>
#endif

namespace smharden::core {
namespace {

using nlohmann::json;

constexpr auto poll_interval = std::chrono::milliseconds(100);

std::int64_t own_pid() {
#ifdef _WIN32
  return static_cast<std::int64_t>(GetCurrentProcessId());
#else
  return static_cast<std::int64_t>(::getpid());
#endif
}

/// Where the local machine's lock lives: one folder for every state folder on the machine.
std::filesystem::path machine_lock_dir() {
#ifdef _WIN32
  const char* v = std::getenv("ProgramData");
  return std::filesystem::path(v != nullptr && *v != '\0' ? v : "C:\\ProgramData") / "smharden" / "locks";
#else
  return "/var/lock/smharden";
#endif
}

/// A holder that is still writing its record is read again a few times before it is reported unknown.
lock_holder read_holder_settled(const std::filesystem::path& file) {
  lock_holder h;
  for (int attempt = 0; attempt < 10; ++attempt) {
    h = read_lock_holder(file);
    if (h.known) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return h;
}

}  // namespace

std::string lock_holder::describe() const {
  if (!known) return "a run that has not written its details yet";
  return fmt::format("pid {}, {} run {}, started {}", pid, command.empty() ? "a" : command, run_id, started_at);
}

lock_holder read_lock_holder(const std::filesystem::path& file) {
  lock_holder h;
  std::string text;
  try {
    text = util::read_file(file);
  } catch (const std::exception&) {
    return h;
  }
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("pid") || !j["pid"].is_number_integer()) return h;
  h.known = true;
  h.pid = j["pid"].get<std::int64_t>();
  const auto text_of = [&j](const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string("?");
  };
  h.run_id = text_of("run_id");
  h.command = text_of("command");
  h.started_at = text_of("started_at");
  return h;
}

std::optional<std::filesystem::path> target_lock_file(const services::target& target) {
  switch (target.kind) {
    case services::target_kind::lab:
      return target.root / ".smharden-run.lock";
    case services::target_kind::local:
      return machine_lock_dir() / "local.lock";
    case services::target_kind::offline:
      return std::nullopt;
  }
  return std::nullopt;
}

run_lock_settings lock_settings(const run_context& ctx, std::string run_id, std::string command,
                                std::chrono::seconds wait) {
  run_lock_settings s;
  s.state_dir = ctx.state_dir;
  s.run_id = std::move(run_id);
  s.command = std::move(command);
  s.wait = wait;
  s.cancel = &ctx.cancel;
  audit_log* log = &ctx.log;
  s.on_wait = [log](const std::string& line) { log->write(SMH_LOG_WARN, line); };
  return s;
}

run_lock::run_lock(run_lock_settings settings)
    : settings_(std::move(settings)), deadline_(std::chrono::steady_clock::now() + settings_.wait) {
  std::filesystem::create_directories(settings_.state_dir);
  take(settings_.state_dir / "run.lock", fmt::format("the state folder {}", settings_.state_dir.string()));
}

void run_lock::lock_target(const services::target& target) {
  const auto file = target_lock_file(target);
  if (!file) return;
  std::error_code ec;
  // A lab's lock is in the lab's own folder, which exists; the machine-wide folder may not yet.
  if (target.kind == services::target_kind::local) std::filesystem::create_directories(file->parent_path(), ec);
  if (ec) {
    throw runtime_error(fmt::format("cannot create {} for the run lock of {}: {}", file->parent_path().string(),
                                    target.describe(), ec.message()));
  }
  take(*file, fmt::format("the target {}", target.describe()));
}

void run_lock::take(const std::filesystem::path& file, const std::string& what) {
  for (;;) {
    if (auto lock = os_file_lock::try_lock(file)) {
      lock->write_record(json{{"pid", own_pid()},
                              {"run_id", settings_.run_id},
                              {"command", settings_.command},
                              {"started_at", utc_now_iso()},
                              {"state_dir", settings_.state_dir.string()}}
                             .dump() +
                         "\n");
      held_.push_back(std::move(lock));
      return;
    }
    const bool cancelled = settings_.cancel != nullptr && settings_.cancel->load();
    if (cancelled || std::chrono::steady_clock::now() >= deadline_) {
      const lock_holder holder = read_holder_settled(file);
      const std::string waited = cancelled ? std::string("Interrupted while waiting for it.")
                                 : settings_.wait.count() > 0
                                     ? fmt::format("Still held after waiting {} s.", settings_.wait.count())
                                     : std::string("Pass --wait-lock SECONDS to wait for it to finish.");
      throw runtime_error(
          fmt::format("{} refused: another smharden run is changing {} ({}; lock file {}); nothing was changed. {}",
                      settings_.command, what, holder.describe(), file.string(), waited));
    }
    if (!told_waiting_ && settings_.on_wait) {
      told_waiting_ = true;
      settings_.on_wait(fmt::format("waiting up to {} s for the run lock of {}, held by {}", settings_.wait.count(),
                                    what, read_holder_settled(file).describe()));
    }
    std::this_thread::sleep_for(poll_interval);
  }
}

}  // namespace smharden::core
