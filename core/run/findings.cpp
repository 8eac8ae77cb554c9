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

namespace {

std::string field_type_error(const nlohmann::json& object, std::initializer_list<const char*> strings,
                             std::initializer_list<const char*> booleans) {
  for (const char* key : strings) {
    const auto it = object.find(key);
    if (it != object.end() && !it->is_string()) {
      return fmt::format("field \"{}\" must be a string, found {}", key,
                         it->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
  }
  for (const char* key : booleans) {
    const auto it = object.find(key);
    if (it != object.end() && !it->is_boolean()) {
      return fmt::format("field \"{}\" must be true or false, found {}", key,
                         it->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
  }
  return "";
}

}  // namespace

std::string finding_type_error(const nlohmann::json& finding) {
  return field_type_error(finding, {"id", "title", "severity", "remediation"}, {"automated"});
}

std::string change_type_error(const nlohmann::json& change) {
  return field_type_error(change, {"id", "description"}, {});
}

std::size_t count_automatable(const nlohmann::json& findings) {
  std::size_t n = 0;
  for (const auto& f : findings) {
    if (!f.contains("waived") && f.value("automated", true)) ++n;
  }
  return n;
}

}  // namespace smharden::core
