#include "services/lab/lab_service.hpp"

#include "services/lab/lab_reachability.hpp"
#include "services/method_table.hpp"

namespace smharden::services {
namespace lab {
namespace {

// Answers through the run's other methods, so it must see the registry they fill.
class lab_service final : public service {
 public:
  std::string name() const override { return "lab"; }
  void register_methods(registry& r) override;
  const registry& methods() const { return *methods_; }

 private:
  const registry* methods_ = nullptr;
};

json http(lab_service& self, const json& p) { return reach_http(self.methods(), p); }
json smtp_relay(lab_service& self, const json& p) { return reach_smtp_relay(self.methods(), p); }

const method_entry<lab_service> lab_method_table[] = {
    {"lab.reach.http",
     access::read_only,
     "what a client at `from` gets for an HTTP GET of `url` on this lab: the SmarterMail site's bindings (a loopback "
     "binding answers only the server), the Windows Firewall (block wins; loopback is not filtered), IIS ipSecurity "
     "(its deny action is the answer) and, with `admin_login`, the administrator's login-by-IP; what the lab cannot "
     "decide is `ok: false` with the reason",
     {"`{url, from, expect_status? ([200, 302]), admin_login? (false), admin? (the primary administrator)}`",
      "`{ok, url, from, answered, status (null when nothing answered), site?, path: [why], error?}`", ""},
     &http},
    {"lab.reach.smtp_relay",
     access::read_only,
     "whether a sender at `from` may relay through this lab without SMTP authentication: the Windows Firewall on "
     "port 25, Allow Relay and the whitelist's SMTP auth bypass entries",
     {"`{from}`", "`{ok, from, path: [why], error?}`", ""},
     &smtp_relay},
};

void lab_service::register_methods(registry& r) {
  methods_ = &r;
  add_methods(r, *this, lab_method_table);
}

}  // namespace
}  // namespace lab

std::unique_ptr<service> make_lab_service(const target& t, service_env& /*env*/) {
  if (t.kind != target_kind::lab) return nullptr;
  return std::make_unique<lab::lab_service>();
}

}  // namespace smharden::services
