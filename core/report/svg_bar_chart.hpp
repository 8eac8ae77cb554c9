// A horizontal bar chart as inline SVG (no script, no external resource), for
// the HTML report's summary.
#pragma once

#include <string>
#include <vector>

namespace smharden::core {

struct chart_bar {
  std::string label;
  int value = 0;
  std::string colour;  ///< a CSS colour smharden chose, never report data
};

/// `title` names the chart for screen readers; labels are escaped here.
std::string svg_bar_chart(const std::string& title, const std::vector<chart_bar>& bars);

}  // namespace smharden::core
