// The header lines of an HTTP answer, as net.http.probe reports them: names in
// lower case (HTTP compares them case-insensitively), a repeated header's
// values joined with ", ", only the final answer's headers (an interim
// "100 Continue" is dropped), and bounded: a server cannot make the report
// grow without end.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace smharden::services::net {

class http_response_headers {
 public:
  static constexpr std::size_t max_headers = 200;
  static constexpr std::size_t max_bytes = 64 * 1024;

  /// One line as received, with or without its CR LF. A status line ("HTTP/...") starts a new answer.
  void add_line(std::string_view line);
  const std::map<std::string, std::string>& values() const noexcept { return values_; }
  /// True when headers beyond max_headers or max_bytes were left out.
  bool truncated() const noexcept { return truncated_; }

 private:
  std::map<std::string, std::string> values_;
  std::size_t bytes_ = 0;
  bool truncated_ = false;
};

}  // namespace smharden::services::net
