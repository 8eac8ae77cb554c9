// DOT and Mermaid text for `smharden graph`. Edges point in run order
// (dependency -> dependent): solid for requires, dashed for after.
#include <fmt/format.h>

#include <algorithm>

#include "graph/step_graph.hpp"

namespace smharden::core {
namespace {

struct edge {
  std::string from, to;
  bool is_after;
  std::string range;  ///< requires only; "" when any version
};

std::vector<edge> edges_between(const std::vector<std::string>& ordered,
                                const std::map<std::string, plugin_node>& plugins) {
  std::set<std::string> present(ordered.begin(), ordered.end());
  std::vector<edge> out;
  for (const std::string& id : ordered) {
    auto it = plugins.find(id);
    if (it == plugins.end()) continue;
    std::set<std::string> required;
    for (const dependency& dep : it->second.requires_) {
      if (!present.count(dep.id)) continue;
      required.insert(dep.id);
      out.push_back({dep.id, id, false, dep.range == "*" ? "" : dep.range});
    }
    for (const std::string& a : it->second.after) {
      if (present.count(a) && !required.count(a)) out.push_back({a, id, true, ""});
    }
  }
  return out;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string version_of(const std::string& id, const std::map<std::string, plugin_node>& plugins) {
  auto it = plugins.find(id);
  return it == plugins.end() ? std::string() : it->second.version;
}

// Mermaid labels: quotes become the #quot; entity.
std::string mermaid_text(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"') {
      out += "#quot;";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string to_dot(const std::vector<std::string>& ordered, const std::map<std::string, plugin_node>& plugins) {
  std::string out = "digraph smharden {\n  rankdir=LR;\n  node [shape=box];\n";
  for (const std::string& id : ordered) {
    std::string version = version_of(id, plugins);
    out += fmt::format("  {} [label={}];\n", quoted(id), quoted(version.empty() ? id : id + " " + version));
  }
  for (const edge& e : edges_between(ordered, plugins)) {
    std::vector<std::string> attrs;
    if (e.is_after) attrs.emplace_back("style=dashed");
    if (!e.range.empty()) attrs.push_back("label=" + quoted(e.range));
    std::string joined;
    for (const auto& a : attrs) joined += (joined.empty() ? "" : ", ") + a;
    out += fmt::format("  {} -> {}{};\n", quoted(e.from), quoted(e.to), joined.empty() ? "" : " [" + joined + "]");
  }
  return out + "}\n";
}

std::string to_mermaid(const std::vector<std::string>& ordered, const std::map<std::string, plugin_node>& plugins) {
  // Node ids are n0, n1, ... because plugin ids may contain '-', which Mermaid reads as an edge.
  std::map<std::string, std::size_t> index;
  std::string out = "flowchart LR\n";
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    index[ordered[i]] = i;
    std::string version = version_of(ordered[i], plugins);
    out += fmt::format("  n{}[\"{}\"]\n", i, mermaid_text(version.empty() ? ordered[i] : ordered[i] + " " + version));
  }
  for (const edge& e : edges_between(ordered, plugins)) {
    std::string arrow = e.is_after ? "-.->" : "-->";
    std::string label = e.range.empty() ? "" : "|\"" + mermaid_text(e.range) + "\"|";
    out += fmt::format("  n{} {}{} n{}\n", index.at(e.from), arrow, label, index.at(e.to));
  }
  return out;
}

}  // namespace smharden::core
