// `smharden smartermail probe --target …`: read-only check of the route map
// against a server (or lab): its build and, per mapped route, whether it
// answers in the expected shape. Exit 0 when every probed route does, 3 when
// some do not, 1 when the server cannot be reached or the sign-in fails.
#include <fmt/format.h>

#include <iostream>

#include "base/errors.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "run/route_probe.hpp"

namespace smharden::cli {

void add_smartermail_command(CLI::App& app, cli_context& ctx) {
  auto* sm = app.add_subcommand("smartermail", "SmarterMail API helpers");
  sm->require_subcommand(1);
  auto* probe = sm->add_subcommand(
      "probe", "Check the route map against a server: its build and which mapped routes answer (read-only)");
  static std::string target_spec;
  static std::string format = "text";
  probe->add_option("--target", target_spec, "local, lab:DIR, offline:DIR or a target .json file");
  probe->add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));
  probe->callback([&ctx] {
    const services::target t = ctx.resolve_target(target_spec);
    const nlohmann::json report = core::run_route_probe(ctx.run_context_without_plugins(), t);
    const auto& summary = report["summary"];
    const bool all_ok = summary["shape_ok"] == summary["read_routes_probed"];
    const bool reached = summary["answered"].get<int>() > 0;
    if (format == "json") {
      std::cout << report.dump(2) << "\n";
    } else {
      std::cout << fmt::format("SmarterMail probe of {} ({} backend)\nbuild: {}\n\n", report.value("target", ""),
                               report.value("backend", ""),
                               report["build"].is_string() ? report["build"].get<std::string>() : "unknown");
      for (const auto& row : report["routes"]) {
        std::string state = "-";
        if (row.value("probed", false)) {
          state = !row.value("answered", false) ? "NO ANSWER" : row.value("shape_ok", true) ? "ok" : "SHAPE DIFFERS";
        }
        std::cout << fmt::format("  {:<22} {:<4} {:<55} {:<10} {}\n", row["route"].get<std::string>(),
                                 row["method"].get<std::string>(), row["path"].get<std::string>(),
                                 row["verified"].get<bool>() ? "verified" : "unverified", state);
        if (row.contains("message")) std::cout << "      " << row["message"].get<std::string>() << "\n";
      }
      std::cout << fmt::format(
          "\n{} of {} read routes answered as mapped. Override entries in target.json "
          "(\"smartermail\": {{\"routes\"|\"fields\"|\"values\": ...}}); see "
          "docs/plugins/smartermail.md.\n",
          summary["shape_ok"].get<int>(), summary["read_routes_probed"].get<int>());
    }
    command_exit_code() = all_ok    ? 0
                          : reached ? static_cast<int>(core::exit_code::drift)
                                    : static_cast<int>(core::exit_code::runtime);
  });
}

}  // namespace smharden::cli
