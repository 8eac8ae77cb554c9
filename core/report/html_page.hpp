// The frame every smharden HTML page shares: the inline stylesheet and script of
// html_report_assets.hpp, allowed by a Content-Security-Policy of their hashes
// only, so nothing a report's data injects could run or load anything.
#pragma once

#include <string>
#include <string_view>

namespace smharden::core {

/// A CSP source for an inline element: 'sha256-' and the base64 of its SHA-256.
std::string csp_hash(std::string_view text);

/// The colour of a step or host status, and of a severity, in the pages' charts (never report data).
const char* status_colour(const std::string& status);
const char* severity_colour(const std::string& severity);

/// A whole self-contained page. `title` is text (escaped here); `body` is markup the caller built,
/// with every string it did not write itself already escaped (html_escape).
std::string html_page(std::string_view title, std::string_view body);

}  // namespace smharden::core
