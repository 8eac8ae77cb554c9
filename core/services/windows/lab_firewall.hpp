// The firewall of a lab target: <lab>/windows/firewall.json,
// {"rules": [{name, group, enabled, direction, action, protocol, local_ports,
// remote_addresses}]}. A lab without the file (made by an older smharden)
// does not model its firewall.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

#include "services/journaled_writes.hpp"
#include "services/windows/firewall_backend.hpp"

namespace smharden::services::windows {

class lab_firewall final : public firewall_backend {
 public:
  lab_firewall(std::filesystem::path file, bool writable, before_file_write_fn before, file_written_fn after);

  std::optional<std::vector<common::firewall_rule>> rules() const override;
  std::string not_modelled_reason() const override;
  void put_rule(const common::firewall_rule& rule) override;
  void remove_rule(const std::string& name) override;

  /// The rules of a fresh SmarterMail server: inbound allow from anywhere for
  /// 80, 443, 9998, 25, 587, 110, 995, 143, 993.
  static std::vector<common::firewall_rule> fresh_rules();
  /// The exact bytes of the file for `rules`.
  static std::string serialize(const std::vector<common::firewall_rule>& rules);

 private:
  std::vector<common::firewall_rule> load_for_write(const char* operation) const;
  void save(const std::vector<common::firewall_rule>& rules);

  std::filesystem::path file_;
  bool writable_;
  journaled_writes writes_;
};

nlohmann::json rule_to_json(const common::firewall_rule& r);
/// Throws std::invalid_argument naming the key for a wrong shape.
common::firewall_rule rule_from_json(const nlohmann::json& j);

}  // namespace smharden::services::windows
