#include <fmt/format.h>

#include <chrono>
#include <ctime>

#include "profile/profile.hpp"

namespace smharden::core {

bool waiver::active_on(const std::string& today) const {
  // YYYY-MM-DD strings order like the dates they name.
  return today <= expires;
}

std::string utc_today() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
#ifdef _WIN32
  gmtime_s(&utc, &now);
#else
  gmtime_r(&now, &utc);
#endif
  return fmt::format("{:04}-{:02}-{:02}", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday);
}

bool valid_iso_date(const std::string& date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (date[i] < '0' || date[i] > '9') return false;
  }
  int year = std::stoi(date.substr(0, 4)), month = std::stoi(date.substr(5, 2)), day = std::stoi(date.substr(8, 2));
  std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                  std::chrono::day{static_cast<unsigned>(day)}};
  return ymd.ok();
}

const step_config* profile::find_step(const std::string& id) const {
  for (const step_config& s : steps) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

}  // namespace smharden::core
