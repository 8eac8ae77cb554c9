// `smharden smartermail probe --target …`: read-only check of the route map
// against a server (or lab): its build and, per mapped route, whether it
// answers in the expected shape. Exit 0 when every probed route does, 3 when
// some do not, 1 when the server cannot be reached or the sign-in fails.
// `smharden smartermail unblock ADDRESS --target …`: lifts the IDS blocks of
// one address, journaled as a run of its own.
#include <fmt/format.h>

#include <iostream>

#include "base/errors.hpp"
#include "base/text_escape.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "run/route_probe.hpp"
#include "run/smartermail_unblock.hpp"

namespace smharden::cli {
namespace {

/// Text from the server, made safe for one terminal line: secrets redacted, control characters escaped.
std::string shown(cli_context& ctx, const nlohmann::json& value) {
  const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  return util::escape_control(ctx.redact.apply(text), util::escape_for::line);
}

void print_probe_text(cli_context& ctx, const nlohmann::json& report) {
  const auto& summary = report["summary"];
  std::cout << fmt::format("SmarterMail probe of {} ({} backend)\nbuild: {}\n\n",
                           shown(ctx, report.value("target", "")), shown(ctx, report.value("backend", "")),
                           report["build"].is_string() ? shown(ctx, report["build"]) : "unknown");
  for (const auto& row : report["routes"]) {
    std::string state = "-";
    if (row.value("probed", false)) {
      state = !row.value("answered", false) ? "NO ANSWER" : row.value("shape_ok", true) ? "ok" : "SHAPE DIFFERS";
    }
    std::cout << fmt::format("  {:<22} {:<4} {:<55} {:<10} {}\n", shown(ctx, row["route"]), shown(ctx, row["method"]),
                             shown(ctx, row["path"]), row["verified"].get<bool>() ? "verified" : "unverified", state);
    if (row.contains("message")) std::cout << "      " << shown(ctx, row["message"]) << "\n";
    if (row.contains("documented")) {
      const auto& d = row["documented"];
      std::string missing;
      for (const auto& f : d["fields_missing"]) missing += (missing.empty() ? "" : ", ") + shown(ctx, f);
      std::cout << "      server's API reference: " << (d["route"].get<bool>() ? "names the route" : "route not found")
                << (missing.empty() ? "" : "; fields not found: " + missing) << "\n";
    }
  }
  if (report.contains("documentation")) {
    for (const auto& page : report["documentation"]["pages"]) {
      std::cout << fmt::format("\nAPI reference {}: {}", shown(ctx, page["path"]),
                               page.value("read", false) ? std::string("read") : shown(ctx, page.value("error", "")));
    }
    std::cout << fmt::format("\n{} routes named with all their fields in the server's API reference.\n",
                             summary.value("documented_routes", 0));
  }
  std::cout << fmt::format(
      "\n{} of {} read routes answered as mapped. Override entries in target.json "
      "(\"smartermail\": {{\"routes\"|\"fields\"|\"values\": ...}}); see "
      "docs/plugins/smartermail.md.\n",
      summary["shape_ok"].get<int>(), summary["read_routes_probed"].get<int>());
}

void add_probe(CLI::App* sm, cli_context& ctx) {
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
      // JSON escapes control characters itself; the redaction is the probe's own (services::probe_routes).
      std::cout << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
      print_probe_text(ctx, report);
    }
    command_exit_code() = all_ok    ? 0
                          : reached ? static_cast<int>(core::exit_code::drift)
                                    : static_cast<int>(core::exit_code::runtime);
  });
}

void add_unblock(CLI::App* sm, cli_context& ctx) {
  auto* unblock = sm->add_subcommand(
      "unblock", "Lift SmarterMail's IDS blocks of one address (Settings > Security > IDS Blocks), journaled");
  static std::string address;
  static std::string target_spec;
  static std::string format = "text";
  static unsigned wait_lock = 0;
  unblock->add_option("ADDRESS", address, "the blocked IP address")->required();
  unblock->add_option("--target", target_spec, "local, lab:DIR or a target .json file (not offline)");
  unblock->add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));
  add_wait_lock(unblock, wait_lock);
  unblock->callback([&ctx] {
    const services::target t = ctx.resolve_target(target_spec);
    core::run_context run_ctx = ctx.run_context_without_plugins();
    const nlohmann::json report =
        core::run_smartermail_unblock(run_ctx, t, target_spec, address, std::chrono::seconds(wait_lock));
    if (format == "json") {
      std::cout << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      return;
    }
    if (!report.value("changed", false)) {
      std::cout << fmt::format("{} is not blocked by SmarterMail's IDS on {}; nothing changed (run {}).\n",
                               shown(ctx, address), shown(ctx, report["target"]), shown(ctx, report["run_id"]));
      return;
    }
    std::cout << fmt::format("Lifted {} IDS block(s) of {} on {} (run {}):\n", report["lifted"].size(),
                             shown(ctx, address), shown(ctx, report["target"]), shown(ctx, report["run_id"]));
    for (const auto& b : report["lifted"]) {
      std::cout << fmt::format("  {} {} {}\n", shown(ctx, b.value("block_type", nlohmann::json(""))),
                               shown(ctx, b.value("protocol", nlohmann::json(""))), shown(ctx, b.value("rule", "")));
    }
    std::cout << "To keep the address from being blocked again, whitelist it with the Brute Force bypass "
                 "(sm-ids does this for the management and relay-app addresses).\n";
  });
}

}  // namespace

void add_smartermail_command(CLI::App& app, cli_context& ctx) {
  auto* sm = app.add_subcommand("smartermail", "SmarterMail API helpers");
  sm->require_subcommand(1);
  add_probe(sm, ctx);
  add_unblock(sm, ctx);
}

}  // namespace smharden::cli
