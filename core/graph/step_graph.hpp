// Ordering and selection of a run's steps from the plugins' declared
// dependencies. Pure logic: no plugin code runs here, so a cycle or a
// missing dependency is reported before anything touches the target.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace smharden::core {

struct dependency {
  std::string id;
  std::string range;  ///< semver range, "*" when any version will do
};

/// What the graph needs to know about one plugin (from its manifest).
struct plugin_node {
  std::string id;
  std::string version;
  std::vector<dependency> requires_;  ///< hard: must be present, in range, and run before
  std::vector<std::string> after;     ///< order only, when present
  std::vector<std::string> tags;
};

/// Orders `steps` (ids in profile order) with Kahn's algorithm: an edge
/// dep -> step for every `requires_` and present `after`; ties are broken by
/// profile position, then id. Throws graph_error for: a step whose plugin is
/// not in `plugins`; a required plugin that is missing ("service requires
/// accounts >=1.0.0, which is not installed") or out of range (naming both
/// versions); a cycle, reported as a path "a -> b -> a".
/// Required plugins that are installed but not in `steps` are added to the
/// order (so their compliance can be checked) right before their first user.
std::vector<std::string> order_steps(const std::vector<std::string>& steps,
                                     const std::map<std::string, plugin_node>& plugins);

struct selection {
  std::vector<std::string> only;  ///< empty = every step
  std::vector<std::string> skip;
  std::vector<std::string> tags;  ///< a step is selected if it has any of these (empty = no filter)
  bool with_deps = false;         ///< pull in everything the selection requires, transitively
};

/// The selected subset of `ordered` (order kept). Throws usage_error for an
/// --only/--skip id that is not a step of the run.
std::set<std::string> select_steps(const std::vector<std::string>& ordered,
                                   const std::map<std::string, plugin_node>& plugins, const selection& sel);

/// Every step `id` requires, transitively (not including `id`).
std::set<std::string> transitive_requires(const std::string& id, const std::map<std::string, plugin_node>& plugins);

/// The graph as Graphviz DOT or Mermaid text (solid edges for requires,
/// dashed for after), nodes in `ordered` order.
std::string to_dot(const std::vector<std::string>& ordered, const std::map<std::string, plugin_node>& plugins);
std::string to_mermaid(const std::vector<std::string>& ordered, const std::map<std::string, plugin_node>& plugins);

}  // namespace smharden::core
