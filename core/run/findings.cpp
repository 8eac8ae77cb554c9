#include "run/findings.hpp"

#include <fmt/format.h>

namespace smharden::core {

std::size_t apply_waivers(const std::string& step, nlohmann::json& findings, const std::vector<waiver>& waivers,
                          const std::string& today, std::set<std::string>& notices) {
  std::size_t open = 0;
  for (auto& f : findings) {
    const std::string fid = f.value("id", "");
    bool waived = false;
    for (const auto& w : waivers) {
      if (w.step != step || (w.finding && *w.finding != fid)) continue;
      if (w.active_on(today)) {
        f["waived"] = {{"reason", w.reason}, {"expires", w.expires}};
        waived = true;
        break;
      }
      notices.insert(fmt::format("waiver for {}{} ({}{}) expired on {}; the finding counts again", step,
                                 w.finding ? "/" + *w.finding : "", w.file, w.pointer, w.expires));
    }
    if (!waived) ++open;
  }
  return open;
}

std::size_t count_automatable(const nlohmann::json& findings) {
  std::size_t n = 0;
  for (const auto& f : findings) {
    if (!f.contains("waived") && f.value("automated", true)) ++n;
  }
  return n;
}

}  // namespace smharden::core
