#include <filesystem>

#include "base/ascii_lower.hpp"
#include "report/report_writers.hpp"

namespace smharden::core {

std::string render_for_file(const run_report& report, const std::string& file) {
  const std::string ext = util::ascii_lower(std::filesystem::path(file).extension().string());
  if (ext == ".json") return to_json(report).dump(2) + "\n";
  if (ext == ".xml") return render_junit(report);
  if (ext == ".html" || ext == ".htm") return render_html(report);
  if (ext == ".sarif") return render_sarif(report);
  return render_text(report, false, true);
}

}  // namespace smharden::core
