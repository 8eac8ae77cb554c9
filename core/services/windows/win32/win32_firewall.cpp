// Windows Firewall through its COM API: HNetCfg.FwPolicy2 (INetFwPolicy2),
// its Rules collection (INetFwRules) and INetFwRule. _WIN32 only; the mapping
// of its numbers and HRESULTs (firewall_codes.cpp) is tested on Linux.
#ifdef _WIN32

#include <windows.h>
#include <netfw.h>
#include <oleauto.h>

#include <fmt/format.h>

#include "services/windows/firewall_backend.hpp"
#include "services/windows/win32/firewall_codes.hpp"
#include "services/windows/win32/win32_util.hpp"

namespace smharden::services::windows {
namespace win32 {
namespace {

using common::firewall_rule;

void check(HRESULT hr, const char* api) {
  if (FAILED(hr)) {
    const auto m = describe_firewall_hresult(api, static_cast<std::uint32_t>(hr));
    throw service_error(m.code, m.message);
  }
}

template <class T>
class com_ptr {
 public:
  com_ptr() = default;
  com_ptr(const com_ptr&) = delete;
  com_ptr& operator=(const com_ptr&) = delete;
  ~com_ptr() {
    if (p_ != nullptr) p_->Release();
  }
  T** out() { return &p_; }
  T* get() const { return p_; }
  T* operator->() const { return p_; }

 private:
  T* p_ = nullptr;
};

class bstr {
 public:
  bstr() = default;
  explicit bstr(const std::string& s) : b_(SysAllocString(to_wide(s, "firewall rule text").c_str())) {
    if (b_ == nullptr) throw service_error("failed", "SysAllocString: out of memory");
  }
  bstr(const bstr&) = delete;
  bstr& operator=(const bstr&) = delete;
  ~bstr() { SysFreeString(b_); }
  BSTR get() const { return b_; }
  BSTR* out() { return &b_; }
  std::string str() const { return b_ == nullptr ? std::string() : to_utf8(b_, SysStringLen(b_)); }

 private:
  BSTR b_ = nullptr;
};

// COM for this thread while a call runs; a thread already in another apartment keeps it.
class com_scope {
 public:
  com_scope() : hr_(CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED)) {
    if (FAILED(hr_) && hr_ != RPC_E_CHANGED_MODE) check(hr_, "CoInitializeEx");
  }
  com_scope(const com_scope&) = delete;
  com_scope& operator=(const com_scope&) = delete;
  ~com_scope() {
    if (SUCCEEDED(hr_)) CoUninitialize();
  }

 private:
  HRESULT hr_;
};

void open_rules(com_ptr<INetFwPolicy2>& policy, com_ptr<INetFwRules>& rules) {
  check(CoCreateInstance(__uuidof(NetFwPolicy2), nullptr, CLSCTX_INPROC_SERVER, __uuidof(INetFwPolicy2),
                         reinterpret_cast<void**>(policy.out())),
        "CoCreateInstance(HNetCfg.FwPolicy2)");
  check(policy->get_Rules(rules.out()), "INetFwPolicy2::get_Rules");
}

firewall_rule read_rule(INetFwRule* r) {
  firewall_rule out;
  bstr name, group, ports, remote;
  VARIANT_BOOL enabled = VARIANT_FALSE;
  NET_FW_RULE_DIRECTION direction = NET_FW_RULE_DIR_IN;
  NET_FW_ACTION action = NET_FW_ACTION_BLOCK;
  LONG protocol = 0;
  check(r->get_Name(name.out()), "INetFwRule::get_Name");
  check(r->get_Grouping(group.out()), "INetFwRule::get_Grouping");
  check(r->get_Enabled(&enabled), "INetFwRule::get_Enabled");
  check(r->get_Direction(&direction), "INetFwRule::get_Direction");
  check(r->get_Action(&action), "INetFwRule::get_Action");
  check(r->get_Protocol(&protocol), "INetFwRule::get_Protocol");
  check(r->get_LocalPorts(ports.out()), "INetFwRule::get_LocalPorts");
  check(r->get_RemoteAddresses(remote.out()), "INetFwRule::get_RemoteAddresses");
  out.name = name.str();
  out.group = group.str();
  out.enabled = enabled != VARIANT_FALSE;
  // A value INetFwRule does not define stays visible as such: rule_problem() names it.
  out.direction = direction_name(direction).value_or(fmt::format("direction-{}", static_cast<long>(direction)));
  out.action = action_name(action).value_or(fmt::format("action-{}", static_cast<long>(action)));
  out.protocol = protocol_name(protocol);
  out.local_ports = any_if_empty(ports.str());
  out.remote_addresses = any_if_empty(remote.str());
  return out;
}

void write_rule(INetFwRule* r, const firewall_rule& rule) {
  check(r->put_Name(bstr(rule.name).get()), "INetFwRule::put_Name");
  check(r->put_Grouping(bstr(rule.group).get()), "INetFwRule::put_Grouping");
  check(r->put_Direction(static_cast<NET_FW_RULE_DIRECTION>(*direction_code(rule.direction))),
        "INetFwRule::put_Direction");
  check(r->put_Action(static_cast<NET_FW_ACTION>(*action_code(rule.action))), "INetFwRule::put_Action");
  check(r->put_Protocol(*protocol_code(rule.protocol)), "INetFwRule::put_Protocol");  // before the ports
  if (rule.protocol != "any") check(r->put_LocalPorts(bstr(rule.local_ports).get()), "INetFwRule::put_LocalPorts");
  check(r->put_RemoteAddresses(bstr(rule.remote_addresses).get()), "INetFwRule::put_RemoteAddresses");
  check(r->put_Profiles(NET_FW_PROFILE2_ALL), "INetFwRule::put_Profiles");
  check(r->put_Enabled(rule.enabled ? VARIANT_TRUE : VARIANT_FALSE), "INetFwRule::put_Enabled");
}

// INetFwRules::Remove removes one rule of that name; a name may be used by several.
void remove_all(INetFwRules* rules, const std::string& name) {
  const bstr b(name);
  for (int guard = 0; guard < 10000; ++guard) {
    com_ptr<INetFwRule> existing;
    if (FAILED(rules->Item(b.get(), existing.out()))) return;
    check(rules->Remove(b.get()), "INetFwRules::Remove");
  }
  throw service_error("failed", fmt::format("INetFwRules::Remove: the rule \"{}\" does not go away", name));
}

class win32_firewall final : public firewall_backend {
 public:
  std::optional<std::vector<firewall_rule>> rules() const override {
    com_scope com;
    com_ptr<INetFwPolicy2> policy;
    com_ptr<INetFwRules> rules;
    open_rules(policy, rules);
    com_ptr<IUnknown> unknown;
    check(rules->get__NewEnum(unknown.out()), "INetFwRules::get__NewEnum");
    com_ptr<IEnumVARIANT> items;
    check(unknown->QueryInterface(__uuidof(IEnumVARIANT), reinterpret_cast<void**>(items.out())),
          "QueryInterface(IEnumVARIANT)");
    std::vector<firewall_rule> out;
    while (true) {
      VARIANT v;
      VariantInit(&v);
      ULONG fetched = 0;
      const HRESULT hr = items->Next(1, &v, &fetched);
      check(hr, "IEnumVARIANT::Next");
      if (hr != S_OK || fetched == 0) break;
      com_ptr<INetFwRule> rule;
      const HRESULT q = v.vt == VT_DISPATCH && v.pdispVal != nullptr
                            ? v.pdispVal->QueryInterface(__uuidof(INetFwRule), reinterpret_cast<void**>(rule.out()))
                            : E_NOINTERFACE;
      VariantClear(&v);
      check(q, "QueryInterface(INetFwRule)");
      out.push_back(read_rule(rule.get()));
    }
    return out;
  }

  std::string not_modelled_reason() const override { return {}; }

  void put_rule(const firewall_rule& rule) override {
    if (const std::string why = common::rule_problem(rule); !why.empty()) {
      throw service_error("invalid_params", fmt::format("firewall rule \"{}\": {}", rule.name, why));
    }
    com_scope com;
    com_ptr<INetFwPolicy2> policy;
    com_ptr<INetFwRules> rules;
    open_rules(policy, rules);
    remove_all(rules.get(), rule.name);
    com_ptr<INetFwRule> fresh;
    check(CoCreateInstance(__uuidof(NetFwRule), nullptr, CLSCTX_INPROC_SERVER, __uuidof(INetFwRule),
                           reinterpret_cast<void**>(fresh.out())),
          "CoCreateInstance(HNetCfg.FWRule)");
    write_rule(fresh.get(), rule);
    check(rules->Add(fresh.get()), "INetFwRules::Add");
  }

  void remove_rule(const std::string& name) override {
    com_scope com;
    com_ptr<INetFwPolicy2> policy;
    com_ptr<INetFwRules> rules;
    open_rules(policy, rules);
    remove_all(rules.get(), name);
  }
};

}  // namespace
}  // namespace win32

std::unique_ptr<firewall_backend> make_win32_firewall_backend() { return std::make_unique<win32::win32_firewall>(); }

}  // namespace smharden::services::windows

#endif  // _WIN32
