// The Windows backend of a lab target: a simulated Windows server whose
// users, groups, rights, folder ACLs and services live in one JSON file
// (`<lab>/windows/state.json`). Behaves like the Win32 calls it stands for
// (error codes, built-in accounts, service logon needing the right and the
// password) so plugins meet the same answers as on a real server.
// Passwords are never stored: only a salted SHA-256 (to check a service's
// logon password against the user's) or a "set" marker.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "services/journaled_writes.hpp"
#include "services/windows/windows_backend.hpp"

namespace smharden::services::windows {

class lab_backend final : public windows_backend {
 public:
  struct options {
    std::filesystem::path state_file;
    /// False: every mutating operation throws service_error("refused") (offline targets).
    bool writable = true;
    /// Before and after every write of state_file (the run's journal: backup, sha256 of the bytes).
    before_file_write_fn before_write;
    file_written_fn after_write;
    /// Why the state is missing, for the "unavailable" message (e.g. "run smharden lab init DIR").
    std::string missing_hint;
  };

  explicit lab_backend(options opts);

  std::string kind() const override { return "lab"; }
  bool writable() const override { return opts_.writable; }
  std::string computer_name() const override;

  std::optional<account_ref> lookup_account(const std::string& name) const override;

  std::optional<user_info> get_user(const std::string& name) const override;
  void create_user(const new_user& user) override;
  void update_user(const std::string& name, const user_update& update) override;
  void set_password(const std::string& name, const std::string& password) override;
  void delete_user(const std::string& name) override;

  std::vector<std::string> group_members(const std::string& group) const override;
  std::vector<std::string> user_groups(const std::string& user) const override;
  void add_group_member(const std::string& group, const std::string& account) override;
  void remove_group_member(const std::string& group, const std::string& account) override;

  std::vector<std::string> account_rights(const std::string& account) const override;
  void grant_right(const std::string& account, const std::string& right) override;
  void revoke_right(const std::string& account, const std::string& right) override;

  folder_acl get_acl(const std::string& path) const override;
  void grant_ace(const std::string& path, const ace& entry) override;
  void revoke_aces(const std::string& path, const std::string& trustee) override;

  std::optional<service_info> get_service(const std::string& name) const override;
  std::vector<std::string> service_names() const override;
  void set_service_logon(const std::string& name, const std::string& account,
                         const std::optional<std::string>& password) override;
  void stop_service(const std::string& name) override;
  void start_service(const std::string& name) override;

  /// The Windows state of a just-installed SmarterMail server (see docs/plugins/windows.md).
  static nlohmann::json fresh_state();
  /// The exact bytes written for `state` (sorted keys, 2-space indent, final newline).
  static std::string serialize(const nlohmann::json& state);

 private:
  nlohmann::json& state() const;
  void require_writable(const char* operation) const;
  void save();

  options opts_;
  journaled_writes writes_;
  mutable std::optional<nlohmann::json> state_;
};

}  // namespace smharden::services::windows
