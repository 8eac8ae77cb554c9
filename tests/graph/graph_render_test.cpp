#include <catch2/catch.hpp>

#include "graph/step_graph.hpp"

using namespace smharden::core;

namespace {
std::map<std::string, plugin_node> sample() {
  std::map<std::string, plugin_node> p;
  p["accounts"] = {"accounts", "1.0.0", {}, {}, {}};
  p["rights"] = {"rights", "1.1.0", {{"accounts", "^1.0.0"}}, {}, {}};
  p["iis-ip"] = {"iis-ip", "1.0.0", {}, {}, {}};
  p["iis-bindings"] = {"iis-bindings", "1.0.0", {{"accounts", "*"}}, {"iis-ip", "absent"}, {}};
  return p;
}
}  // namespace

TEST_CASE("DOT output: nodes in run order, solid requires, dashed after", "[graph]") {
  auto p = sample();
  const auto order = order_steps({"accounts", "rights", "iis-ip", "iis-bindings"}, p);
  CHECK(to_dot(order, p) ==
        "digraph smharden {\n"
        "  rankdir=LR;\n"
        "  node [shape=box];\n"
        "  \"accounts\" [label=\"accounts 1.0.0\"];\n"
        "  \"rights\" [label=\"rights 1.1.0\"];\n"
        "  \"iis-ip\" [label=\"iis-ip 1.0.0\"];\n"
        "  \"iis-bindings\" [label=\"iis-bindings 1.0.0\"];\n"
        "  \"accounts\" -> \"rights\" [label=\"^1.0.0\"];\n"
        "  \"accounts\" -> \"iis-bindings\";\n"
        "  \"iis-ip\" -> \"iis-bindings\" [style=dashed];\n"
        "}\n");
}

TEST_CASE("Mermaid output uses safe node ids and dotted after-edges", "[graph]") {
  auto p = sample();
  const auto order = order_steps({"accounts", "rights", "iis-ip", "iis-bindings"}, p);
  CHECK(to_mermaid(order, p) ==
        "flowchart LR\n"
        "  n0[\"accounts 1.0.0\"]\n"
        "  n1[\"rights 1.1.0\"]\n"
        "  n2[\"iis-ip 1.0.0\"]\n"
        "  n3[\"iis-bindings 1.0.0\"]\n"
        "  n0 -->|\"^1.0.0\"| n1\n"
        "  n0 --> n3\n"
        "  n2 -.-> n3\n");
}
