#include "graph/step_graph.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <queue>
#include <tuple>

#include "base/did_you_mean.hpp"
#include "base/errors.hpp"
#include "graph/semver.hpp"

namespace smharden::core {
namespace {

using sort_key = std::pair<std::size_t, std::string>;  // (profile position, id)

// Checks every `requires_` of `node` and returns one line per problem.
void check_requirements(const plugin_node& node, const std::map<std::string, plugin_node>& plugins,
                        std::vector<std::string>& problems) {
  for (const dependency& dep : node.requires_) {
    const std::string range = dep.range.empty() ? "*" : dep.range;
    auto it = plugins.find(dep.id);
    if (it == plugins.end()) {
      problems.push_back(
          fmt::format("{} requires {} {}, which is not installed. Fix: install the {} plugin, or "
                      "remove {} from the profile",
                      node.id, dep.id, range, dep.id, node.id));
      continue;
    }
    std::string why;
    if (!valid_range(range, &why)) {
      problems.push_back(
          fmt::format("{} requires {} \"{}\", which is not a valid version range ({}). Fix: correct "
                      "the plugin's manifest",
                      node.id, dep.id, range, why));
      continue;
    }
    auto installed = semver::parse(it->second.version);
    if (!installed || !satisfies(*installed, range)) {
      problems.push_back(
          fmt::format("{} requires {} {}, but {} {} is installed. Fix: install a version of {} that "
                      "matches {}",
                      node.id, dep.id, range, dep.id, it->second.version, dep.id, range));
    }
  }
}

// Finds one cycle among `remaining` (nodes Kahn could not order) and returns
// it as "a -> b -> a", where "x -> y" means x requires or runs after y.
std::string find_cycle(const std::vector<std::string>& remaining,
                       const std::map<std::string, std::vector<std::string>>& deps_of) {
  std::set<std::string> left(remaining.begin(), remaining.end());
  std::map<std::string, int> colour;  // 0 unvisited, 1 on stack, 2 done
  std::vector<std::string> stack;
  std::vector<std::string> cycle;

  std::function<bool(const std::string&)> visit = [&](const std::string& n) {
    colour[n] = 1;
    stack.push_back(n);
    auto it = deps_of.find(n);
    if (it != deps_of.end()) {
      for (const std::string& d : it->second) {
        if (!left.count(d)) continue;
        if (colour[d] == 1) {
          auto start = std::find(stack.begin(), stack.end(), d);
          cycle.assign(start, stack.end());
          return true;
        }
        if (colour[d] == 0 && visit(d)) return true;
      }
    }
    stack.pop_back();
    colour[n] = 2;
    return false;
  };
  for (const std::string& n : remaining) {
    if (colour[n] == 0 && visit(n)) break;
  }
  if (cycle.empty())
    return fmt::format("{}", fmt::join(remaining, ", "));  // unreachable: Kahn left nodes, so a cycle exists
  cycle.push_back(cycle.front());
  return fmt::format("{}", fmt::join(cycle, " -> "));
}

}  // namespace

std::vector<std::string> order_steps(const std::vector<std::string>& steps,
                                     const std::map<std::string, plugin_node>& plugins) {
  std::vector<std::string> problems;
  std::map<std::string, std::size_t> position;  // node set of the run -> sort position

  for (std::size_t i = 0; i < steps.size(); ++i) {
    const std::string& id = steps[i];
    if (!plugins.count(id)) {
      std::vector<std::string> known;
      known.reserve(plugins.size());
      for (const auto& [k, v] : plugins) known.push_back(k);
      problems.push_back(
          fmt::format("step {} has no installed plugin of that id. Fix: install it, or remove it from "
                      "the profile (`smharden list` shows installed plugins){}",
                      id, did_you_mean(id, known)));
      continue;
    }
    position.emplace(id, i);
  }
  if (!problems.empty()) throw graph_error(fmt::format("{}", fmt::join(problems, "\n")));

  // Pull in installed requirements that the profile does not list, at the
  // position of their first user, so they sort right before it.
  std::function<void(const std::string&, std::size_t)> add_requirements = [&](const std::string& id, std::size_t pos) {
    for (const dependency& dep : plugins.at(id).requires_) {
      if (!plugins.count(dep.id) || position.count(dep.id)) continue;
      position.emplace(dep.id, pos);
      add_requirements(dep.id, pos);
    }
  };
  for (const std::string& id : steps) add_requirements(id, position.at(id));

  // Problems are listed in run order (profile position, then id).
  std::vector<sort_key> by_position;
  by_position.reserve(position.size());
  for (const auto& [id, pos] : position) by_position.emplace_back(pos, id);
  std::sort(by_position.begin(), by_position.end());
  for (const auto& [pos, id] : by_position) check_requirements(plugins.at(id), plugins, problems);
  if (!problems.empty()) throw graph_error(fmt::format("{}", fmt::join(problems, "\n")));

  // Edges dep -> user. deps_of keeps, per node, what it waits for (sorted for a deterministic cycle search).
  std::map<std::string, std::vector<std::string>> users_of, deps_of;
  std::map<std::string, std::size_t> in_degree;
  for (const auto& [id, pos] : position) in_degree[id] = 0;
  auto key_of = [&](const std::string& id) { return sort_key{position.at(id), id}; };
  for (const auto& [id, pos] : position) {
    const plugin_node& node = plugins.at(id);
    std::set<std::string> deps;
    for (const dependency& dep : node.requires_) deps.insert(dep.id);
    for (const std::string& a : node.after) {
      if (position.count(a)) deps.insert(a);  // "after" only orders plugins that take part in the run
    }
    for (const std::string& dep : deps) {
      users_of[dep].push_back(id);
      deps_of[id].push_back(dep);
      ++in_degree[id];
    }
  }
  for (auto& [id, list] : deps_of) {
    std::sort(list.begin(), list.end(), [&](const auto& a, const auto& b) { return key_of(a) < key_of(b); });
  }

  std::priority_queue<sort_key, std::vector<sort_key>, std::greater<>> ready;
  for (const auto& [id, degree] : in_degree) {
    if (degree == 0) ready.push(key_of(id));
  }
  std::vector<std::string> ordered;
  while (!ready.empty()) {
    std::string id = ready.top().second;
    ready.pop();
    ordered.push_back(id);
    for (const std::string& user : users_of[id]) {
      if (--in_degree[user] == 0) ready.push(key_of(user));
    }
  }

  if (ordered.size() != position.size()) {
    std::vector<std::string> remaining;
    for (const auto& [id, degree] : in_degree) {
      if (degree > 0) remaining.push_back(id);
    }
    std::sort(remaining.begin(), remaining.end(), [&](const auto& a, const auto& b) { return key_of(a) < key_of(b); });
    throw graph_error(
        fmt::format("dependency cycle: {} (x -> y: x requires or runs after y). Fix: remove one of "
                    "these \"requires\"/\"after\" entries",
                    find_cycle(remaining, deps_of)));
  }
  return ordered;
}

std::set<std::string> transitive_requires(const std::string& id, const std::map<std::string, plugin_node>& plugins) {
  std::set<std::string> out;
  std::vector<std::string> todo{id};
  while (!todo.empty()) {
    std::string current = todo.back();
    todo.pop_back();
    auto it = plugins.find(current);
    if (it == plugins.end()) continue;
    for (const dependency& dep : it->second.requires_) {
      if (dep.id != id && out.insert(dep.id).second) todo.push_back(dep.id);
    }
  }
  return out;
}

std::set<std::string> select_steps(const std::vector<std::string>& ordered,
                                   const std::map<std::string, plugin_node>& plugins, const selection& sel) {
  const std::set<std::string> in_run(ordered.begin(), ordered.end());
  std::vector<std::string> problems;
  auto check_ids = [&](const std::vector<std::string>& ids, const char* flag) {
    for (const std::string& id : ids) {
      if (!in_run.count(id)) {
        problems.push_back(fmt::format("{} {}: not a step of this run (steps: {}){}", flag, id,
                                       fmt::join(ordered, ", "), did_you_mean(id, ordered)));
      }
    }
  };
  check_ids(sel.only, "--only");
  check_ids(sel.skip, "--skip");
  if (!problems.empty()) throw usage_error(fmt::format("{}", fmt::join(problems, "\n")));

  std::set<std::string> selected;
  for (const std::string& id : ordered) {
    if (!sel.only.empty() && std::find(sel.only.begin(), sel.only.end(), id) == sel.only.end()) continue;
    if (!sel.tags.empty()) {
      auto it = plugins.find(id);
      if (it == plugins.end()) continue;
      const auto& tags = it->second.tags;
      bool tagged = std::any_of(sel.tags.begin(), sel.tags.end(), [&](const std::string& t) {
        return std::find(tags.begin(), tags.end(), t) != tags.end();
      });
      if (!tagged) continue;
    }
    selected.insert(id);
  }
  if (sel.with_deps) {
    std::set<std::string> deps;
    for (const std::string& id : selected) {
      for (const std::string& dep : transitive_requires(id, plugins)) {
        if (in_run.count(dep)) deps.insert(dep);
      }
    }
    selected.insert(deps.begin(), deps.end());
  }
  // An explicit --skip wins over --with-deps: the engine then blocks the
  // dependents if the skipped step is not compliant.
  for (const std::string& id : sel.skip) selected.erase(id);
  return selected;
}

}  // namespace smharden::core
