// The fleet report as one self-contained HTML page: the summary across hosts with charts, a row
// per host and a row per step across hosts. Built from the single-run page's pieces (html_page,
// html_escape, svg_bar_chart); every host name and every string from a host's report is escaped.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "report/field_text.hpp"
#include "report/fleet_report.hpp"
#include "report/html_escape.hpp"
#include "report/html_page.hpp"
#include "report/svg_bar_chart.hpp"

namespace smharden::core {
namespace {

using oj = nlohmann::ordered_json;

/// A field as text whatever its JSON type (hosts' reports are data, not a contract kept).
int count_of(const oj& counts, const std::string& key) {
  const auto it = counts.find(key);
  return it != counts.end() && it->is_number_integer() ? it->get<int>() : 0;
}

bool needs_attention(const std::string& status) {
  return status == "error" || status == "failed" || status == "blocked" || status == "drift";
}

/// A chart and a table of `counts` (status or severity -> number), in the order of `keys`.
std::string count_block(const char* id, const char* title, const char* what, const std::vector<std::string>& keys,
                        const oj& counts, bool severities) {
  std::vector<chart_bar> bars;
  std::string rows;
  for (const auto& k : keys) {
    const int n = count_of(counts, k);
    bars.push_back({k, n, severities ? severity_colour(k) : status_colour(k)});
    rows += severities ? fmt::format(
                             "<tr data-severity=\"{0}\"><td><span class=\"sev sev-{0}\">{0}</span></td>"
                             "<td class=\"num\">{1}</td></tr>\n",
                             html_escape(k), n)
                       : fmt::format(
                             "<tr class=\"status-{0}\"><td><span class=\"badge\">{0}</span></td>"
                             "<td class=\"num\">{1}</td></tr>\n",
                             html_escape(k), n);
  }
  return fmt::format(
      "<div>{}\n<table id=\"{}\"><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>\n{}</tbody></table>"
      "</div>\n",
      svg_bar_chart(title, bars), id, severities ? "Severity" : "Status", what, rows);
}

std::string counts_text(const oj& counts, const std::vector<std::string>& statuses) {
  std::string out;
  for (const auto& s : statuses) {
    if (const int n = count_of(counts, s); n > 0) {
      out += fmt::format("{}<span class=\"status-{}\">{} {}</span>", out.empty() ? "" : ", ", html_escape(s), n,
                         html_escape(s));
    }
  }
  return out.empty() ? std::string("none") : out;
}

std::string summary_section(const oj& summary, const std::vector<std::string>& statuses) {
  std::vector<std::string> severities;
  for (const auto& [sev, n] : summary.at("open_findings_by_severity").items()) severities.push_back(sev);
  std::string severity_rows;
  for (const auto& [sev, counts] : summary.at("steps_by_severity").items()) {
    severity_rows +=
        fmt::format("<tr data-severity=\"{0}\"><td><span class=\"sev sev-{0}\">{0}</span></td><td>{1}</td></tr>\n",
                    html_escape(sev), counts_text(counts, statuses));
  }
  return fmt::format(
      "<section id=\"summary\"><h2>Summary</h2>\n<div class=\"summary\">\n{}{}{}</div>\n"
      "<table id=\"steps-by-severity\"><thead><tr><th>Severity</th><th>Steps across hosts</th></tr></thead>"
      "<tbody>\n{}</tbody></table></section>\n",
      count_block("hosts-summary", "Hosts by status", "Hosts", statuses, summary.at("hosts_by_status"), false),
      count_block("status-summary", "Steps across hosts by status", "Steps", statuses, summary.at("steps_by_status"),
                  false),
      count_block("severity-summary", "Open findings by severity", "Open findings", severities,
                  summary.at("open_findings_by_severity"), true),
      severity_rows);
}

/// The steps of one host that need attention, with their reason and open findings.
std::string attention_list(const oj& report) {
  std::string items;
  for (const auto& step : report.value("steps", oj::array())) {
    const std::string status = text_of(step, "status");
    if (!needs_attention(status)) continue;
    std::string findings;
    for (const auto& f : step.value("findings", oj::array())) {
      if (f.is_object() && f.contains("waived")) continue;
      findings += fmt::format("<li class=\"finding\">{}</li>", html_escape(text_of(f, "title")));
    }
    const std::string reason = text_of(step, "reason");
    items += fmt::format(
        "<li class=\"status-{0}\" data-step=\"{1}\"><span class=\"badge\">{0}</span> <code>{1}</code>{2}{3}</li>\n",
        html_escape(status), html_escape(text_of(step, "id")),
        reason.empty() ? "" : fmt::format("<div class=\"reason\">{}</div>", html_escape(reason)),
        findings.empty() ? "" : "<ul class=\"findings\">" + findings + "</ul>");
  }
  return items.empty() ? std::string() : "<ul class=\"changes attention\">\n" + items + "</ul>";
}

std::string host_row(const oj& host, const std::vector<std::string>& statuses) {
  const oj& report = host.at("report");
  oj counts = oj::object();
  for (const auto& step : report.value("steps", oj::array())) {
    const std::string s = text_of(step, "status");
    counts[s] = count_of(counts, s) + 1;
  }
  const std::string status = text_of(host, "status");
  return fmt::format(
      "<tr class=\"host status-{0}\" data-host=\"{1}\" data-status=\"{0}\"><td><code>{1}</code></td>"
      "<td><span class=\"badge\">{0}</span></td><td>{2}</td><td>{3}</td><td class=\"num\">{4}</td><td>{5}</td>"
      "<td>{6}</td></tr>\n",
      html_escape(status), html_escape(text_of(host, "host")), html_escape(text_of(report, "mode")),
      html_escape(text_of(report, "target")), html_escape(text_of(report, "exit_code")), counts_text(counts, statuses),
      attention_list(report));
}

std::string step_row(const oj& step, const std::vector<std::string>& statuses) {
  std::string hosts;
  for (const auto& [status, names] : step.at("hosts").items()) {
    std::string list;
    for (const auto& name : names)
      list += fmt::format("{}<code>{}</code>", list.empty() ? "" : ", ", html_escape(name.get<std::string>()));
    hosts +=
        fmt::format("<div class=\"status-{0}\"><span class=\"badge\">{0}</span> {1}</div>", html_escape(status), list);
  }
  const std::string severity = text_of(step, "severity");
  return fmt::format(
      "<tr class=\"fleet-step\" data-step=\"{0}\"><td><code>{0}</code><div>{1}</div></td>"
      "<td><span class=\"sev sev-{2}\">{2}</span></td><td>{3}</td><td>{4}</td></tr>\n",
      html_escape(text_of(step, "id")), html_escape(text_of(step, "title")), html_escape(severity),
      counts_text(step.at("counts"), statuses), hosts.empty() ? "all compliant" : hosts);
}

}  // namespace

std::string render_fleet_html(const oj& fleet) {
  std::vector<std::string> statuses;
  for (const auto& s : fleet.at("statuses")) statuses.push_back(s.get<std::string>());
  const oj& summary = fleet.at("summary");
  std::string host_rows, step_rows;
  for (const auto& h : fleet.at("hosts")) host_rows += host_row(h, statuses);
  for (const auto& s : summary.at("by_step")) step_rows += step_row(s, statuses);
  const std::string body = fmt::format(
      "<header><h1>smharden fleet report</h1>\n<dl class=\"meta\">\n<dt>Hosts</dt><dd id=\"host-count\">{}</dd>\n"
      "<dt>Generated</dt><dd>{}</dd>\n</dl></header>\n{}"
      "<section id=\"hosts\"><h2>Hosts</h2>\n<table id=\"hosts-table\"><thead><tr><th>Host</th><th>Status</th>"
      "<th>Mode</th><th>Target</th><th>Exit code</th><th>Steps</th><th>Steps that need attention</th></tr>"
      "</thead><tbody>\n{}</tbody></table></section>\n"
      "<section id=\"steps\"><h2>Steps across hosts</h2>\n<table id=\"fleet-steps-table\"><thead><tr><th>Step</th>"
      "<th>Severity</th><th>Hosts</th><th>Hosts not compliant</th></tr></thead><tbody>\n{}</tbody></table>"
      "</section>\n",
      summary.at("hosts").get<std::size_t>(), html_escape(text_of(fleet, "generated_at")),
      summary_section(summary, statuses), host_rows, step_rows);
  return html_page("smharden fleet report", body);
}

}  // namespace smharden::core
