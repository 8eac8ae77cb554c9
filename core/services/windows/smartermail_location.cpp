#include "services/windows/smartermail_location.hpp"

#include <smharden/common/account_names.hpp>

namespace smharden::services::windows {
namespace {

bool ends_with_ci(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && common::iequals(s.substr(s.size() - tail.size()), tail);
}

}  // namespace

std::string image_executable(const std::string& image_path) {
  std::string s = image_path;
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  if (!s.empty() && s.front() == '"') {
    const auto close = s.find('"', 1);
    return close == std::string::npos ? s.substr(1) : s.substr(1, close - 1);
  }
  for (std::size_t at = 0; at + 4 <= s.size(); ++at) {
    if (common::iequals(s.substr(at, 4), ".exe") && (at + 4 == s.size() || s[at + 4] == ' ')) {
      return s.substr(0, at + 4);
    }
  }
  const auto space = s.find(' ');
  return space == std::string::npos ? s : s.substr(0, space);
}

std::optional<std::string> smartermail_install_dir(const std::string& image_path) {
  std::string exe = image_executable(image_path);
  for (char& c : exe) {
    if (c == '/') c = '\\';
  }
  const std::string tail = "\\Service\\MailService.exe";
  if (!ends_with_ci(exe, tail) || exe.size() == tail.size()) return std::nullopt;
  return exe.substr(0, exe.size() - tail.size());
}

std::vector<smartermail_service> find_smartermail_services(const std::vector<service_info>& services) {
  std::vector<smartermail_service> out;
  for (const auto& s : services) {
    if (const auto dir = smartermail_install_dir(s.binary_path)) out.push_back({s.name, *dir, s.binary_path});
  }
  return out;
}

}  // namespace smharden::services::windows
