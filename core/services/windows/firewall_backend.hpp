// Windows Firewall rules, as one interface with two implementations: the lab
// backend (<lab>/windows/firewall.json) and the Win32 backend (the COM API
// INetFwPolicy2; _WIN32 only). The windows service publishes them as
// windows.firewall.rules.* (windows_firewall_methods.cpp) with their undo.
// Errors are services::service_error with the codes of windows_backend.hpp.
#pragma once

#include <memory>
#include <optional>
#include <smharden/common/firewall_rules.hpp>
#include <string>
#include <vector>

#include "services/service_registry.hpp"  // service_error

namespace smharden::services::windows {

/// The rule group of every rule smharden creates; the service refuses to change rules outside it.
inline constexpr const char* smharden_rule_group = "smharden";

class firewall_backend {
 public:
  firewall_backend() = default;
  firewall_backend(const firewall_backend&) = delete;
  firewall_backend& operator=(const firewall_backend&) = delete;
  virtual ~firewall_backend() = default;

  /// Every rule (both directions), or nullopt when this target does not model its
  /// firewall (a lab made before the firewall existed): never read as "open".
  virtual std::optional<std::vector<common::firewall_rule>> rules() const = 0;
  /// Why rules() is nullopt, with the fix.
  virtual std::string not_modelled_reason() const = 0;
  /// Replaces every rule named rule.name with `rule` (creates it when there is none).
  virtual void put_rule(const common::firewall_rule& rule) = 0;
  /// Removes every rule with this name; no-op when there is none.
  virtual void remove_rule(const std::string& name) = 0;
};

#ifdef _WIN32
/// Windows Firewall through INetFwPolicy2 (core/services/windows/win32/win32_firewall.cpp).
std::unique_ptr<firewall_backend> make_win32_firewall_backend();
#endif

}  // namespace smharden::services::windows
