#include "report/html_access_matrix.hpp"

#include <fmt/format.h>

#include <map>
#include <utility>
#include <vector>

#include "report/html_escape.hpp"

namespace smharden::core {
namespace {

using nlohmann::json;

/// An audience or surface: a name, or an object naming itself by "name" or "id".
std::string name_of(const json& item) {
  if (item.is_string()) return item.get<std::string>();
  if (item.is_object()) {
    for (const char* key : {"name", "id"}) {
      if (const auto it = item.find(key); it != item.end() && it->is_string()) return it->get<std::string>();
    }
  }
  return item.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<std::string> names(const json& matrix, const char* key) {
  std::vector<std::string> out;
  if (const auto it = matrix.find(key); it != matrix.end() && it->is_array()) {
    for (const auto& item : *it) out.push_back(name_of(item));
  }
  return out;
}

/// "yes", "no" or "unknown": anything else smharden cannot vouch for is unknown.
std::string reach_of(const json& cell, const char* key) {
  const auto it = cell.find(key);
  if (it == cell.end() || !it->is_string()) return "unknown";
  const std::string v = it->get<std::string>();
  return v == "yes" || v == "no" ? v : "unknown";
}

}  // namespace

std::string html_access_matrix(const json& matrix) {
  if (!matrix.is_object()) return "<p class=\"warning\">The access matrix in this report is not readable.</p>\n";
  const std::vector<std::string> audiences = names(matrix, "audiences");
  const std::vector<std::string> surfaces = names(matrix, "surfaces");
  std::map<std::pair<std::string, std::string>, std::pair<std::string, std::string>> cells;
  if (const auto it = matrix.find("cells"); it != matrix.end() && it->is_array()) {
    for (const auto& c : *it) {
      if (!c.is_object()) continue;
      cells[{name_of(c.value("audience", json())), name_of(c.value("surface", json()))}] = {reach_of(c, "before"),
                                                                                            reach_of(c, "after")};
    }
  }
  std::string out = "<table id=\"access-matrix\" class=\"matrix\">\n<thead><tr><th>Audience</th>";
  for (const auto& s : surfaces) out += fmt::format("<th scope=\"col\">{}</th>", html_escape(s));
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& a : audiences) {
    out += fmt::format("<tr class=\"audience\"><th scope=\"row\">{}</th>", html_escape(a));
    for (const auto& s : surfaces) {
      const auto it = cells.find({a, s});
      const auto [before, after] =
          it == cells.end() ? std::pair<std::string, std::string>{"unknown", "unknown"} : it->second;
      const bool changed = before != after;
      out += fmt::format("<td class=\"reach reach-{}{}\" data-before=\"{}\" data-after=\"{}\">{}</td>", after,
                         changed ? " changed" : "", before, after,
                         changed ? fmt::format("{} &rarr; {}", before, after) : after);
    }
    out += "</tr>\n";
  }
  return out + "</tbody></table>\n";
}

}  // namespace smharden::core
