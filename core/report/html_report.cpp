#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <vector>

#include "report/field_text.hpp"
#include "report/html_access_matrix.hpp"
#include "report/html_escape.hpp"
#include "report/html_page.hpp"
#include "report/report_writers.hpp"
#include "report/svg_bar_chart.hpp"

namespace smharden::core {
namespace {

using nlohmann::json;

const std::vector<std::string> severity_order = {"critical", "high", "medium", "low", "info"};

std::string dump(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string value_html(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "<span class=\"value none\">(none)</span>";
  return fmt::format("<span class=\"value\">{}</span>",
                     html_escape(it->is_string() ? it->get<std::string>() : dump(*it)));
}

std::string severity_of(const json& finding, const step_result& s) {
  const std::string sev = text_of(finding, "severity");
  return sev.empty() ? s.severity : sev;
}

std::string finding_html(const json& f, const step_result& s) {
  if (!f.is_object()) return fmt::format("<li class=\"finding\">{}</li>\n", html_escape(dump(f)));
  const std::string sev = severity_of(f, s);
  const bool waived = f.contains("waived");
  std::string out =
      fmt::format("<li class=\"finding{}\" data-finding=\"{}\"><span class=\"sev sev-{}\">{}</span> {}<br>\n",
                  waived ? " waived" : "", html_escape(text_of(f, "id")), html_escape(sev), html_escape(sev),
                  html_escape(text_of(f, "title")));
  out += fmt::format("<span class=\"cmp\">{} &rarr; {}</span>\n", value_html(f, "current"), value_html(f, "desired"));
  if (const std::string fix = text_of(f, "remediation"); !fix.empty()) {
    const auto automated = f.find("automated");
    const bool manual = automated != f.end() && automated->is_boolean() && !automated->get<bool>();
    out += fmt::format("<div class=\"fix\">{}: {}</div>\n", manual ? "manual" : "fix", html_escape(fix));
  }
  if (waived) {
    const json& w = f["waived"];
    out += fmt::format("<div class=\"waiver\">waived until {}: {}</div>\n", html_escape(text_of(w, "expires")),
                       html_escape(text_of(w, "reason")));
  }
  return out + "</li>\n";
}

std::string step_row(const step_result& s) {
  const std::string status = to_string(s.status);
  std::string findings, changes;
  for (const auto& f : s.findings) findings += finding_html(f, s);
  for (const auto& c : s.changes) {
    changes +=
        fmt::format("<li class=\"change\">{}</li>\n", html_escape(c.is_object() ? text_of(c, "description") : dump(c)));
  }
  return fmt::format(
      "<tr class=\"step status-{0}\" data-step=\"{1}\" data-status=\"{0}\">"
      "<td><span class=\"badge\">{0}</span></td>"
      "<td><code>{1}</code><div>{2}</div>{3}{4}</td><td><span class=\"sev sev-{5}\">{5}</span></td>"
      "<td>{6}</td><td>{7}</td><td class=\"num\">{8}</td></tr>\n",
      status, html_escape(s.id), html_escape(s.title),
      s.reason.empty() ? "" : fmt::format("<div class=\"reason\">{}</div>", html_escape(s.reason)),
      s.os_access ? "<div class=\"reason\">calls the OS directly</div>" : "", html_escape(s.severity),
      findings.empty() ? "" : "<ul class=\"findings\">\n" + findings + "</ul>",
      changes.empty() ? "" : "<ul class=\"changes\">\n" + changes + "</ul>", s.duration_ms);
}

struct severity_count {
  int open = 0;
  int waived = 0;
};

std::string summary_section(const run_report& r) {
  std::vector<chart_bar> status_bars;
  std::string status_rows;
  for (const auto& [status, n] : r.summary()) {
    status_bars.push_back({status, n, status_colour(status)});
    status_rows += fmt::format(
        "<tr class=\"status-{0}\"><td><span class=\"badge\">{0}</span></td>"
        "<td class=\"num\">{1}</td></tr>\n",
        status, n);
  }
  std::map<std::string, severity_count> by_severity;
  for (const auto& sev : severity_order) by_severity[sev];
  for (const auto& s : r.steps) {
    if (!findings_still_open(s.status)) continue;
    for (const auto& f : s.findings) {
      auto& count = by_severity[severity_of(f, s)];
      ++(f.is_object() && f.contains("waived") ? count.waived : count.open);
    }
  }
  std::vector<std::string> severities = severity_order;
  for (const auto& [sev, n] : by_severity) {
    if (std::find(severities.begin(), severities.end(), sev) == severities.end()) severities.push_back(sev);
  }
  std::vector<chart_bar> severity_bars;
  std::string severity_rows;
  for (const auto& sev : severities) {
    const severity_count& n = by_severity[sev];
    severity_bars.push_back({sev, n.open, severity_colour(sev)});
    severity_rows += fmt::format(
        "<tr data-severity=\"{0}\"><td><span class=\"sev sev-{0}\">{0}</span></td><td class=\"num\">{1}</td>"
        "<td class=\"num\">{2}</td></tr>\n",
        html_escape(sev), n.open, n.waived);
  }
  return fmt::format(
      "<section id=\"summary\"><h2>Summary</h2>\n<div class=\"summary\">\n<div>{}\n"
      "<table id=\"status-summary\"><thead><tr><th>Status</th><th>Steps</th></tr></thead><tbody>\n{}"
      "</tbody></table></div>\n<div>{}\n<table id=\"severity-summary\"><thead><tr><th>Severity</th>"
      "<th>Open findings</th><th>Waived findings</th></tr></thead><tbody>\n{}</tbody></table></div>\n</div>"
      "</section>\n",
      svg_bar_chart("Steps by status", status_bars), status_rows,
      svg_bar_chart("Open findings by severity", severity_bars), severity_rows);
}

std::string waivers_section(const run_report& r) {
  std::string rows;
  for (const auto& s : r.steps) {
    for (const auto& f : s.findings) {
      if (!f.is_object() || !f.contains("waived")) continue;
      const json& w = f["waived"];
      rows += fmt::format(
          "<tr class=\"waiver-row\"><td><code>{}</code></td><td>{}</td><td><span class=\"sev sev-{}\">{}</span>"
          "</td><td>{}</td><td>{}</td></tr>\n",
          html_escape(s.id), html_escape(text_of(f, "title")), html_escape(severity_of(f, s)),
          html_escape(severity_of(f, s)), html_escape(text_of(w, "reason")), html_escape(text_of(w, "expires")));
    }
  }
  if (rows.empty()) return "<section id=\"waivers\"><h2>Waivers</h2><p>No finding is waived.</p></section>\n";
  return "<section id=\"waivers\"><h2>Waivers</h2>\n<table id=\"waivers-table\"><thead><tr><th>Step</th>"
         "<th>Finding</th><th>Severity</th><th>Reason</th><th>Expires</th></tr></thead><tbody>\n" +
         rows + "</tbody></table></section>\n";
}

std::string list_section(const char* id, const char* title, const std::vector<std::string>& items) {
  if (items.empty()) return {};
  std::string out = fmt::format("<section id=\"{}\"><h2>{}</h2><ul>\n", id, title);
  for (const auto& i : items) out += fmt::format("<li>{}</li>\n", html_escape(i));
  return out + "</ul></section>\n";
}

std::string details_section(const run_report& r) {
  std::vector<std::string> restarts;
  for (const auto& x : r.restarts) {
    restarts.push_back(
        fmt::format("{} {}: {}{}", x.kind, x.name, x.status, x.message.empty() ? "" : " — " + x.message));
  }
  std::string out = list_section("restarts", "Restarts", restarts) + list_section("notices", "Notices", r.notices) +
                    list_section("overrides", "Overrides", r.overrides);
  std::string extras;
  for (const auto& [key, value] : r.extra.items()) {
    if (key == "access_matrix") continue;
    extras += fmt::format("<details><summary>{}</summary><pre>{}</pre></details>\n", html_escape(key),
                          html_escape(value.dump(2, ' ', false, json::error_handler_t::replace)));
  }
  if (!extras.empty()) out += "<section id=\"run-details\"><h2>Run details</h2>\n" + extras + "</section>\n";
  return out;
}

std::string header(const run_report& r) {
  std::string chain;
  for (const auto& file : r.profile_chain) chain += (chain.empty() ? "" : " &rarr; ") + html_escape(file);
  return fmt::format(
      "<header><h1>smharden {} report</h1>\n<dl class=\"meta\">\n<dt>Profile</dt><dd>{}</dd>\n"
      "<dt>Profile files</dt><dd>{}</dd>\n<dt>Target</dt><dd>{}</dd>\n<dt>Run</dt><dd>{}</dd>\n"
      "<dt>Started</dt><dd>{}</dd>\n<dt>Finished</dt><dd>{}</dd>\n<dt>Exit code</dt><dd id=\"exit-code\">{}</dd>\n"
      "</dl></header>\n",
      html_escape(r.mode), html_escape(r.profile), chain, html_escape(r.target), html_escape(r.run_id),
      html_escape(r.started_at), html_escape(r.finished_at), r.exit_code);
}

}  // namespace

std::string render_html(const run_report& r) {
  std::string steps;
  for (const auto& s : r.steps) steps += step_row(s);
  std::string access;
  if (const auto it = r.extra.find("access_matrix"); it != r.extra.end()) {
    access =
        "<section id=\"access\"><h2>Access matrix</h2>\n<p>Who can reach each surface, before &rarr; after "
        "this run.</p>\n" +
        html_access_matrix(*it);
    if (r.extra.value("access_change_allowed", false)) {
      access += "<p class=\"override\">Access changes were allowed for this run (--allow-access-change).</p>\n";
    }
    access += "</section>\n";
  }
  const std::string body = fmt::format(
      "{}{}<section id=\"steps\"><h2>Steps</h2>\n<p class=\"filter\" id=\"attention-filter\" hidden><label><input "
      "type=\"checkbox\" id=\"only-attention\"> Only steps that need attention</label> <span id=\"steps-shown\">"
      "</span></p>\n<table id=\"steps-table\"><thead><tr><th>Status</th><th>Step</th><th>Severity</th>"
      "<th>Findings (current &rarr; desired)</th><th>Changes</th><th>ms</th></tr></thead><tbody>\n{}</tbody>"
      "</table></section>\n{}{}{}",
      header(r), summary_section(r), steps, waivers_section(r), access, details_section(r));
  return html_page(fmt::format("smharden {} report: {}", r.mode, r.profile), body);
}

}  // namespace smharden::core
