#include <fmt/format.h>

#include <iostream>

#include "base/errors.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "graph/step_graph.hpp"
#include "run/run_plan.hpp"

namespace smharden::cli {
namespace {

struct info_options {
  std::string format = "text";
  std::string id;
  std::string profile_file;
};

void list_plugins(cli_context& ctx, const info_options& o) {
  const auto& reg = ctx.registry();
  if (o.format == "json") {
    nlohmann::ordered_json out = {{"plugins", nlohmann::ordered_json::array()},
                                  {"refused", nlohmann::ordered_json::array()}};
    for (const auto* p : reg.plugins()) {
      out["plugins"].push_back({{"id", p->manifest().id},
                                {"version", p->manifest().version},
                                {"title", p->manifest().title},
                                {"tags", p->manifest().tags},
                                {"os_access", p->manifest().os_access},
                                {"file", p->file().string()}});
    }
    for (const auto& r : reg.refusals()) out["refused"].push_back({{"file", r.file.string()}, {"reason", r.reason}});
    std::cout << out.dump(2) << "\n";
    return;
  }
  for (const auto* p : reg.plugins()) {
    std::string tags;
    for (const auto& t : p->manifest().tags) tags += (tags.empty() ? "" : ",") + t;
    std::cout << fmt::format("{:<15} {:<8} {}{}{}\n", p->manifest().id, p->manifest().version, p->manifest().title,
                             tags.empty() ? "" : "  [" + tags + "]",
                             p->manifest().os_access ? "  (calls the OS directly)" : "");
  }
  for (const auto& r : reg.refusals()) std::cout << fmt::format("refused {}: {}\n", r.file.string(), r.reason);
  if (reg.plugins().empty())
    std::cout << "no plugins found (search path: beside the binary, --plugin-dir, SMHARDEN_PLUGIN_PATH)\n";
}

void describe_plugin(cli_context& ctx, const info_options& o) {
  const auto* p = ctx.registry().find(o.id);
  if (p == nullptr)
    throw core::usage_error(fmt::format("describe {}: no such plugin; `smharden list` shows the installed ones", o.id));
  const auto& m = p->manifest();
  if (o.format == "json") {
    std::cout << m.to_json().dump(2) << "\n";
    return;
  }
  std::cout << fmt::format("{} {} — {}\n", m.id, m.version, m.title);
  if (!m.section.empty()) std::cout << fmt::format("guide section: {}\n", m.section);
  if (!m.description.empty()) std::cout << m.description << "\n";
  for (const auto& d : m.requires_) std::cout << fmt::format("requires: {} {}\n", d.id, d.range);
  for (const auto& a : m.after) std::cout << fmt::format("runs after: {}\n", a);
  std::cout << fmt::format("default severity: {}\nfile: {}\n", m.severity, p->file().string());
  if (m.os_access) std::cout << "calls the OS directly (not only through smharden's services)\n";
  std::cout << "params (JSON Schema):\n" << m.params_schema.dump(2) << "\n";
}

core::run_plan load_plan(cli_context& ctx, const std::string& file) {
  return core::plan_run(ctx.registry(), core::load_profile(profile_argument(file)), {});
}

}  // namespace

void add_info_commands(CLI::App& app, cli_context& ctx) {
  static info_options o;
  auto* list = app.add_subcommand("list", "List the installed plugins (and any refused module, with the reason)");
  list->add_option("--format", o.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  list->callback([&ctx] { list_plugins(ctx, o); });

  auto* describe = app.add_subcommand("describe", "Show a plugin's manifest and params schema");
  describe->add_option("ID", o.id, "Plugin id")->required();
  describe->add_option("--format", o.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  describe->callback([&ctx] { describe_plugin(ctx, o); });

  auto* validate = app.add_subcommand("validate", "Validate a profile (and its extends chain) against the plugins");
  validate->add_option("PROFILE", o.profile_file, "Profile: a shipped profile's name (baseline) or a file")->required();
  validate->callback([&ctx] {
    const auto plan = load_plan(ctx, o.profile_file);
    std::string order;
    for (const auto& id : plan.order) order += (order.empty() ? "" : " -> ") + id;
    std::cout << fmt::format("{}: valid ({} steps: {})\n", o.profile_file, plan.order.size(), order);
  });

  auto* graph = app.add_subcommand("graph", "Print the profile's step graph as Graphviz DOT or Mermaid");
  graph->add_option("--profile", o.profile_file, "Profile: a shipped profile's name (baseline) or a file")->required();
  static std::string graph_format = "dot";
  graph->add_option("--format", graph_format, "dot or mermaid")->check(CLI::IsMember({"dot", "mermaid"}));
  graph->callback([&ctx] {
    const auto plan = load_plan(ctx, o.profile_file);
    std::cout << (graph_format == "dot" ? core::to_dot(plan.order, plan.nodes)
                                        : core::to_mermaid(plan.order, plan.nodes));
  });
}

}  // namespace smharden::cli
