// The real Windows backend: local users (NetUser*), local groups
// (NetLocalGroup*), account rights (LSA), folder ACLs
// (Get/SetNamedSecurityInfoW, SetEntriesInAclW) and services (SCM).
// Compiled only for _WIN32. UTF-8 at the interface, UTF-16 to Windows.
// Read operations open everything with query-only access and change nothing.
#pragma once

#ifdef _WIN32

#include <memory>

#include "services/windows/win32/service_wait.hpp"
#include "services/windows/windows_backend.hpp"

namespace smharden::services::windows::win32 {

class win32_backend final : public windows_backend {
 public:
  explicit win32_backend(service_wait_limits limits = {});

  std::string kind() const override { return "win32"; }
  bool writable() const override { return true; }
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

 private:
  service_wait_limits limits_;
};

}  // namespace smharden::services::windows::win32

#endif  // _WIN32
