#include "services/net/http_response_headers.hpp"

namespace smharden::services::net {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

void http_response_headers::add_line(std::string_view line) {
  line = trim(line);
  if (line.empty()) return;
  if (line.substr(0, 5) == "HTTP/") {  // a new answer: only the last one counts
    values_.clear();
    bytes_ = 0;
    truncated_ = false;
    return;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return;  // not a header line
  std::string name(trim(line.substr(0, colon)));
  for (char& c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  const std::string_view value = trim(line.substr(colon + 1));
  const bool known = values_.count(name) != 0;
  if ((!known && values_.size() >= max_headers) || bytes_ + name.size() + value.size() > max_bytes) {
    truncated_ = true;
    return;
  }
  bytes_ += name.size() + value.size();
  std::string& v = values_[name];
  if (known) v += ", ";
  v += value;
}

}  // namespace smharden::services::net
