#include "runtime/state_dir.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <random>

namespace smharden::core {
namespace {

std::tm utc_tm() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
#ifdef _WIN32
  gmtime_s(&tm, &now);
#else
  gmtime_r(&now, &tm);
#endif
  return tm;
}

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : nullptr;
}

}  // namespace

std::filesystem::path state_dir() {
  if (const char* v = env("SMHARDEN_STATE_DIR")) return v;
#ifdef _WIN32
  if (const char* v = env("ProgramData")) return std::filesystem::path(v) / "smharden";
  return "C:\\ProgramData\\smharden";
#else
  if (const char* v = env("XDG_STATE_HOME")) return std::filesystem::path(v) / "smharden";
  if (const char* v = env("HOME")) return std::filesystem::path(v) / ".local" / "state" / "smharden";
  return "/var/lib/smharden";
#endif
}

std::string new_run_id() {
  std::random_device rd;
  return fmt::format("{:%Y%m%dT%H%M%SZ}-{:06x}", utc_tm(), rd() & 0xFFFFFFU);
}

std::string utc_now_iso() { return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", utc_tm()); }

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace smharden::core
