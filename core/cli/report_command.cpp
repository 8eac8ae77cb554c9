#include <fmt/format.h>

#include <iostream>

#include "base/atomic_file.hpp"
#include "base/errors.hpp"
#include "cli/commands.hpp"
#include "report/fleet_report.hpp"
#include "runtime/state_dir.hpp"

namespace smharden::cli {
namespace {

struct merge_options {
  std::vector<std::string> inputs;
  std::vector<std::string> reports;
  std::string format = "text";
};

/// The fleet report in the format of `file`'s extension; any other is refused before any input is read.
std::string render_fleet_for_file(const nlohmann::ordered_json* fleet, const std::string& file) {
  const auto ext = std::filesystem::path(file).extension().string();
  if (ext != ".json" && ext != ".txt" && ext != ".xml" && ext != ".html") {
    throw core::usage_error(
        fmt::format("--report {}: a fleet report is written as .json, .html, .xml (JUnit) or .txt; name the file "
                    "accordingly",
                    file));
  }
  if (fleet == nullptr) return {};
  if (ext == ".json") return fleet->dump(2) + "\n";
  if (ext == ".xml") return core::render_fleet_junit(*fleet);
  if (ext == ".html") return core::render_fleet_html(*fleet);
  return core::render_fleet_text(*fleet);
}

void merge_reports(const merge_options& o) {
  for (const auto& file : o.reports) render_fleet_for_file(nullptr, file);
  std::vector<core::fleet_host> hosts;
  hosts.reserve(o.inputs.size());
  for (const auto& input : o.inputs) hosts.push_back(core::read_host_report(input));
  const auto fleet = core::merge_fleet(hosts, core::utc_now_iso());
  std::cout << (o.format == "json" ? fleet.dump(2) + "\n" : core::render_fleet_text(fleet));
  std::cout.flush();
  for (const auto& file : o.reports) {
    try {
      util::write_file_atomic(file, render_fleet_for_file(&fleet, file));
    } catch (const std::exception& e) {
      throw core::runtime_error(fmt::format("--report {}: {}", file, e.what()));
    }
  }
}

}  // namespace

void add_report_command(CLI::App& app, cli_context& /*ctx*/) {
  auto* report = app.add_subcommand("report", "Work with reports smharden wrote");
  report->require_subcommand(1);
  static merge_options o;
  auto* merge = report->add_subcommand(
      "merge",
      "Merge the JSON run reports of many hosts into one fleet report; each host is named after its file "
      "(web01.json -> web01)");
  merge->add_option("REPORT", o.inputs, "A run report written by check or apply (--report FILE.json)")->required();
  merge->add_option("--report", o.reports,
                    "Also write the fleet report to FILE (.json, .html = one self-contained page, .xml = JUnit, .txt); "
                    "repeatable");
  merge->add_option("--format", o.format, "Console output: text or json")->check(CLI::IsMember({"text", "json"}));
  merge->callback([] { merge_reports(o); });
}

}  // namespace smharden::cli
