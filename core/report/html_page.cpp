#include "report/html_page.hpp"

#include <fmt/format.h>

#include <map>

#include "base/atomic_file.hpp"
#include "report/html_escape.hpp"
#include "report/html_report_assets.hpp"

namespace smharden::core {

std::string csp_hash(std::string_view text) {
  const std::string hex = util::sha256_hex(text);
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string b64;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
    b64 += alphabet[(n >> 18) & 63];
    b64 += alphabet[(n >> 12) & 63];
    b64 += i + 1 < bytes.size() ? alphabet[(n >> 6) & 63] : '=';
    b64 += i + 2 < bytes.size() ? alphabet[n & 63] : '=';
  }
  return "'sha256-" + b64 + "'";
}

const char* status_colour(const std::string& status) {
  static const std::map<std::string, const char*> colours = {
      {"compliant", "#1a7f37"}, {"applied", "#2da44e"}, {"drift", "#bf8700"}, {"waived", "#d4a72c"},
      {"failed", "#cf222e"},    {"blocked", "#a40e26"}, {"error", "#82071e"}, {"skipped", "#8c959f"}};
  const auto it = colours.find(status);
  return it == colours.end() ? "#57606a" : it->second;
}

const char* severity_colour(const std::string& severity) {
  static const std::map<std::string, const char*> colours = {
      {"critical", "#82071e"}, {"high", "#cf222e"}, {"medium", "#bf8700"}, {"low", "#57606a"}, {"info", "#8c959f"}};
  const auto it = colours.find(severity);
  return it == colours.end() ? "#6e7781" : it->second;
}

std::string html_page(std::string_view title, std::string_view body) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src {}; script-src {}\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>{}</title>\n<style>{}</style></head>\n<body>\n{}<footer>Written by smharden {}. This file is "
      "self-contained: it loads nothing.</footer>\n<script>{}</script>\n</body></html>\n",
      csp_hash(html_report_style), csp_hash(html_report_script), html_escape(title), html_report_style, body,
      SMHARDEN_VERSION, html_report_script);
}

}  // namespace smharden::core
