#include <fmt/format.h>

#include "report/html_escape.hpp"
#include "report/report_writers.hpp"

namespace smharden::core {
namespace {

// XML text and attribute values: the HTML escaping (its &#39; is valid XML too).
std::string xml_escape(std::string_view raw) { return html_escape(raw); }

/// One <testsuite> element; `host` (when not empty) prefixes its name.
std::string testsuite(const run_report& r, const std::string& host) {
  int failures = 0, errors = 0, skipped = 0;
  std::string cases;
  for (const auto& s : r.steps) {
    std::string body;
    switch (s.status) {
      case step_status::drift:
      case step_status::failed:
      case step_status::blocked: {
        ++failures;
        std::string detail;
        for (const auto& f : s.findings) {
          if (f.contains("waived")) continue;
          detail +=
              fmt::format("[{}] {}: current {} desired {}\n", f.value("severity", ""), f.value("title", ""),
                          f.value("current", nlohmann::json()).dump(), f.value("desired", nlohmann::json()).dump());
        }
        body = fmt::format("<failure message=\"{}\">{}</failure>",
                           xml_escape(std::string(to_string(s.status)) + (s.reason.empty() ? "" : ": " + s.reason)),
                           xml_escape(detail));
        break;
      }
      case step_status::error:
        ++errors;
        body = fmt::format("<error message=\"{}\"/>", xml_escape(s.reason));
        break;
      case step_status::skipped:
        ++skipped;
        body = fmt::format("<skipped message=\"{}\"/>", xml_escape(s.reason));
        break;
      default:
        break;
    }
    cases += fmt::format("    <testcase classname=\"smharden.{}\" name=\"{}\" time=\"{:.3f}\">{}</testcase>\n",
                         xml_escape(r.profile), xml_escape(s.id), static_cast<double>(s.duration_ms) / 1000.0, body);
  }
  // Operator overrides (e.g. --allow-insecure-plugins) as suite properties, for the audit.
  std::string properties;
  for (const auto& o : r.overrides) {
    properties += fmt::format("      <property name=\"override\" value=\"{}\"/>\n", xml_escape(o));
  }
  if (!properties.empty()) properties = "    <properties>\n" + properties + "    </properties>\n";
  return fmt::format(
      "  <testsuite name=\"{}smharden {} {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" "
      "timestamp=\"{}\">\n{}{}  </testsuite>\n",
      host.empty() ? "" : xml_escape(host) + ": ", xml_escape(r.mode), xml_escape(r.profile), r.steps.size(), failures,
      errors, skipped, xml_escape(r.started_at), properties, cases);
}

const char* const junit_head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
const char* const junit_tail = "</testsuites>\n";

}  // namespace

std::string render_junit(const run_report& r) { return junit_head + testsuite(r, "") + junit_tail; }

std::string render_junit(const std::vector<std::pair<std::string, run_report>>& hosts) {
  std::string suites;
  for (const auto& [host, report] : hosts) suites += testsuite(report, host);
  return junit_head + suites + junit_tail;
}

}  // namespace smharden::core
