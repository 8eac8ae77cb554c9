#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

#include "base/text_escape.hpp"
#include "report/report_writers.hpp"

namespace smharden::core {

std::string render_access_matrix(const nlohmann::json& matrix) {
  using nlohmann::json;
  if (!matrix.is_object() || matrix.value("audiences", json::array()).empty()) return "";
  const json surfaces = matrix.value("surfaces", json::array());
  std::map<std::pair<std::string, std::string>, std::string> text;  // (audience, surface) -> "yes" or "yes -> no"
  for (const json& c : matrix.value("cells", json::array())) {
    const std::string before = c.value("before", "unknown");
    const std::string after = c.value("after", "unknown");
    text[{c.value("audience", ""), c.value("surface", "")}] = before == after ? before : before + " -> " + after;
  }
  std::size_t first = std::string("audience").size();
  for (const json& a : matrix["audiences"]) first = std::max(first, a.get<std::string>().size());
  std::vector<std::size_t> widths;
  for (const json& s : surfaces) {
    std::size_t w = s.get<std::string>().size();
    for (const auto& [key, value] : text) {
      if (key.second == s.get<std::string>()) w = std::max(w, value.size());
    }
    widths.push_back(w);
  }
  std::string out = "access (audience x surface, before -> after):\n";
  std::string line = fmt::format("  {:<{}}", "audience", first);
  for (std::size_t i = 0; i < surfaces.size(); ++i)
    line += fmt::format("  {:<{}}", surfaces[i].get<std::string>(), widths[i]);
  out += line + "\n";
  for (const json& a : matrix["audiences"]) {
    line = fmt::format("  {:<{}}", util::escape_control(a.get<std::string>()), first);
    for (std::size_t i = 0; i < surfaces.size(); ++i) {
      const auto it = text.find({a.get<std::string>(), surfaces[i].get<std::string>()});
      line += fmt::format("  {:<{}}", it == text.end() ? "unknown" : util::escape_control(it->second), widths[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace smharden::core
