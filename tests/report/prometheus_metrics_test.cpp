// The Prometheus textfile: every line parses as the text exposition format
// (HELP, TYPE gauge, samples with escaped label values), one compliance gauge per
// step, counts by status and severity.
#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <string>
#include <vector>

#include "hostile_text.hpp"
#include "report/report_writers.hpp"
#include "sample_report.hpp"

using smharden::core::render_prometheus;
using smharden::test::every_status_report;

namespace {

struct sample {
  std::string name;
  std::map<std::string, std::string> labels;  ///< unescaped values
  double value = 0;
};

/// Parses the exposition text strictly; FAILs on any line that is not HELP, TYPE gauge or a sample.
std::vector<sample> parse(const std::string& text) {
  static const std::regex help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) [^\n]*)");
  static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) gauge)");
  static const std::regex line(R"(([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (-?[0-9]+(\.[0-9]+)?))");
  static const std::regex label(R"re(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$))re");
  REQUIRE_FALSE(text.empty());
  REQUIRE(text.back() == '\n');
  REQUIRE(text.rfind("\xef\xbb\xbf", 0) == std::string::npos);
  REQUIRE(text.find('\r') == std::string::npos);
  std::vector<sample> out;
  std::string typed;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string l = text.substr(start, end - start);
    start = end + 1;
    std::smatch m;
    INFO(l);
    if (std::regex_match(l, m, help)) continue;
    if (std::regex_match(l, m, type)) {
      typed = m[1];
      continue;
    }
    REQUIRE(std::regex_match(l, m, line));
    sample s{m[1], {}, std::stod(m[3])};
    CHECK(s.name == typed);  // samples follow their family's TYPE line
    std::string labels = m[2];
    for (std::smatch lm; !labels.empty(); labels = lm.suffix()) {
      REQUIRE(std::regex_search(labels, lm, label, std::regex_constants::match_continuous));
      std::string value;
      const std::string raw = lm[2];
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\\') {
          ++i;
          value.push_back(raw[i] == 'n' ? '\n' : raw[i]);
        } else {
          value.push_back(raw[i]);
        }
      }
      s.labels[lm[1]] = value;
    }
    out.push_back(s);
  }
  return out;
}

std::vector<sample> named(const std::vector<sample>& all, const std::string& name) {
  std::vector<sample> out;
  for (const auto& s : all) {
    if (s.name == name) out.push_back(s);
  }
  return out;
}

}  // namespace

TEST_CASE("prometheus metrics: a compliance gauge per step", "[report][metrics]") {
  const auto r = every_status_report();
  const auto all = parse(render_prometheus(r));
  const auto compliant = named(all, "smharden_step_compliant");
  REQUIRE(compliant.size() == r.steps.size());
  std::map<std::string, double> by_step;
  for (const auto& s : compliant) {
    CHECK(s.labels.at("profile") == "baseline");
    CHECK(s.labels.at("severity") == "high");
    by_step[s.labels.at("step")] = s.value;
  }
  CHECK(by_step == std::map<std::string, double>{{"ok-step", 1},
                                                 {"drift-step", 0},
                                                 {"applied-step", 1},
                                                 {"failed-step", 0},
                                                 {"blocked-step", 0},
                                                 {"skipped-step", 0},
                                                 {"waived-step", 0},
                                                 {"error-step", 0}});
  const auto status = named(all, "smharden_step_status");
  CHECK(status.size() == r.steps.size() * 8);
  for (const auto& s : status) {
    if (s.labels.at("step") == "drift-step") CHECK(s.value == (s.labels.at("status") == "drift" ? 1 : 0));
  }
}

TEST_CASE("prometheus metrics: counts by status and severity, exit code and finish time", "[report][metrics]") {
  const auto all = parse(render_prometheus(every_status_report()));
  const auto steps = named(all, "smharden_steps");
  REQUIRE(steps.size() == 8);
  for (const auto& s : steps) CHECK(s.value == 1);
  std::map<std::string, double> open, waived;
  for (const auto& s : named(all, "smharden_findings")) {
    (s.labels.at("waived") == "true" ? waived : open)[s.labels.at("severity")] = s.value;
  }
  CHECK(open == std::map<std::string, double>{{"critical", 0}, {"high", 1}, {"medium", 0}, {"low", 0}, {"info", 0}});
  CHECK(waived == std::map<std::string, double>{{"critical", 0}, {"high", 0}, {"medium", 0}, {"low", 1}, {"info", 0}});
  const auto exit_code = named(all, "smharden_run_exit_code");
  REQUIRE(exit_code.size() == 1);
  CHECK(exit_code[0].value == 3);
  CHECK(exit_code[0].labels.at("mode") == "check");
  const auto finished = named(all, "smharden_run_finished_timestamp_seconds");
  REQUIRE(finished.size() == 1);
  CHECK(finished[0].value == 1796282702.0);  // 2026-12-03T07:25:02Z
}

TEST_CASE("prometheus metrics: label values are escaped, no timestamp when the time is unreadable",
          "[report][metrics]") {
  auto r = every_status_report();
  r.profile = std::string("C:\\profiles\\\"x\"\n") + smharden::test::hostile_markup;
  r.finished_at = "yesterday";
  const std::string text = render_prometheus(r);
  const auto all = parse(text);
  CHECK(named(all, "smharden_run_finished_timestamp_seconds").empty());
  const std::string profile = named(all, "smharden_steps").at(0).labels.at("profile");
  CHECK(profile.rfind("C:\\profiles\\\"x\"\\x0a<script>", 0) == 0);  // newline shown as \x0a, quotes kept
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    CHECK(((b >= 0x20 && b != 0x7f) || c == '\n'));
  }
}
