#include "report/svg_bar_chart.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "report/html_escape.hpp"

namespace smharden::core {

std::string svg_bar_chart(const std::string& title, const std::vector<chart_bar>& bars) {
  constexpr int label_width = 110, bar_space = 300, row = 26, bar_height = 18, width = label_width + bar_space + 50;
  int largest = 1;
  for (const auto& b : bars) largest = std::max(largest, b.value);
  const int height = std::max<int>(1, static_cast<int>(bars.size())) * row + 4;
  std::string out = fmt::format(
      "<svg class=\"chart\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\">"
      "<title>{2}</title>\n",
      width, height, html_escape(title));
  int y = 2;
  for (const auto& b : bars) {
    const int length = b.value == 0 ? 0 : std::max(2, b.value * bar_space / largest);
    out += fmt::format(
        "<g class=\"bar\" data-label=\"{0}\" data-value=\"{1}\">"
        "<text x=\"0\" y=\"{2}\" font-size=\"13\">{0}</text>"
        "<rect x=\"{3}\" y=\"{4}\" width=\"{5}\" height=\"{6}\" fill=\"{7}\"/>"
        "<text x=\"{8}\" y=\"{2}\" font-size=\"13\">{1}</text></g>\n",
        html_escape(b.label), b.value, y + 14, label_width, y, length, bar_height, html_escape(b.colour),
        label_width + length + 6);
    y += row;
  }
  return out + "</svg>";
}

}  // namespace smharden::core
