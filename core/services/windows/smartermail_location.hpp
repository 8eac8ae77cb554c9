// Where SmarterMail is installed, read from its Windows service: the service
// whose executable (the ImagePath of its registry entry, as the SCM returns
// it) is <install>\Service\MailService.exe. Pure logic shared by both
// backends' windows.smartermail.locate.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "services/windows/windows_types.hpp"

namespace smharden::services::windows {

/// The executable of an ImagePath: "\"C:\\a b\\x.exe\" -k y" -> "C:\\a b\\x.exe"; unquoted: up to the first
/// ".exe" followed by a space or the end.
std::string image_executable(const std::string& image_path);

/// The install folder when the executable is <dir>\Service\MailService.exe (any case), else nullopt.
std::optional<std::string> smartermail_install_dir(const std::string& image_path);

struct smartermail_service {
  std::string service_name;
  std::string install_dir;
  std::string binary_path;
};

/// Every service that runs SmarterMail's MailService.exe, in the order given.
std::vector<smartermail_service> find_smartermail_services(const std::vector<service_info>& services);

}  // namespace smharden::services::windows
