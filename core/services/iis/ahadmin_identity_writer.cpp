// The IIS administration COM API, late-bound: the calls IIS's own
// Configuration Editor scripts make (iis-docs, processModel sample6.js):
//   mgr = WritableAdminManager; mgr.CommitPath = "MACHINE/WEBROOT/APPHOST"
//   pools = mgr.GetAdminSection("system.applicationHost/applicationPools", path).Collection
//   pm = pools.Item(i).ChildElements.Item("processModel")
//   pm.Properties.Item("identityType" | "userName" | "password").Value = ...
//   mgr.CommitChanges()
// IIS encrypts the password on commit with the WAS-only provider.
#include "services/iis/app_pool_identity_writer.hpp"

#ifdef _WIN32

#include <windows.h>
// after windows.h, which they need
#include <objbase.h>
#include <oleauto.h>

#include <fmt/format.h>

#include <cstdint>
#include <utility>
#include <vector>

#include "services/service_registry.hpp"
#include "services/win32_text.hpp"

namespace smharden::services::iis {
namespace {

constexpr const wchar_t* apphost_path = L"MACHINE/WEBROOT/APPHOST";

[[noreturn]] void fail(const std::string& code, const std::string& what, HRESULT hr, const std::string& detail = {}) {
  throw service_error(code, fmt::format("IIS configuration API: {} (HRESULT 0x{:08X}{}{})", what,
                                        static_cast<std::uint32_t>(hr), detail.empty() ? "" : ": ", detail));
}

/// A VARIANT that clears itself; a BSTR it holds is wiped first when it carried a secret.
class variant {
 public:
  variant() { VariantInit(&v_); }
  explicit variant(const std::wstring& text, bool secret = false) : secret_(secret) {
    VariantInit(&v_);
    v_.vt = VT_BSTR;
    v_.bstrVal = SysAllocStringLen(text.data(), static_cast<UINT>(text.size()));
    if (v_.bstrVal == nullptr) fail("failed", "out of memory", E_OUTOFMEMORY);
  }
  explicit variant(std::int32_t n) {
    VariantInit(&v_);
    v_.vt = VT_I4;
    v_.lVal = n;
  }
  variant(const variant&) = delete;
  variant& operator=(const variant&) = delete;
  ~variant() {
    if (secret_ && v_.vt == VT_BSTR && v_.bstrVal != nullptr) {
      SecureZeroMemory(v_.bstrVal, SysStringByteLen(v_.bstrVal));
    }
    VariantClear(&v_);
  }
  VARIANT* get() { return &v_; }
  const VARIANT& ref() const { return v_; }

 private:
  VARIANT v_;
  bool secret_ = false;
};

/// An owned IDispatch reference.
class dispatch {
 public:
  dispatch() = default;
  explicit dispatch(IDispatch* p) : p_(p) {}
  dispatch(dispatch&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  dispatch& operator=(dispatch&& o) noexcept {
    if (this != &o) {
      reset();
      p_ = std::exchange(o.p_, nullptr);
    }
    return *this;
  }
  dispatch(const dispatch&) = delete;
  dispatch& operator=(const dispatch&) = delete;
  ~dispatch() { reset(); }
  IDispatch* get() const { return p_; }
  IDispatch** out() {
    reset();
    return &p_;
  }

  /// Invokes member `name`; `args` in call order. `what` names the call in errors (never a value).
  void invoke(const wchar_t* name, WORD flags, std::vector<VARIANT*> args, VARIANT* result, const std::string& what) {
    DISPID id = 0;
    LPOLESTR member = const_cast<LPOLESTR>(name);
    HRESULT hr = p_->GetIDsOfNames(IID_NULL, &member, 1, LOCALE_USER_DEFAULT, &id);
    if (FAILED(hr)) fail("failed", what + ": no such member", hr);
    std::vector<VARIANTARG> reversed;  // IDispatch takes the arguments last first
    for (auto it = args.rbegin(); it != args.rend(); ++it) reversed.push_back(**it);
    DISPPARAMS params{reversed.data(), nullptr, static_cast<UINT>(reversed.size()), 0};
    DISPID named = DISPID_PROPERTYPUT;
    if ((flags & DISPATCH_PROPERTYPUT) != 0) {
      params.rgdispidNamedArgs = &named;
      params.cNamedArgs = 1;
    }
    EXCEPINFO info{};
    hr = p_->Invoke(id, IID_NULL, LOCALE_USER_DEFAULT, flags, &params, result, &info, nullptr);
    // The copies in `reversed` share the callers' BSTRs: only the callers free them.
    SecureZeroMemory(reversed.data(), reversed.size() * sizeof(VARIANTARG));
    if (FAILED(hr)) {
      std::string detail;
      if (info.bstrDescription != nullptr) detail = win32::to_utf8(info.bstrDescription);
      SysFreeString(info.bstrDescription);
      SysFreeString(info.bstrSource);
      SysFreeString(info.bstrHelpFile);
      if (hr == DISP_E_EXCEPTION && info.scode != 0) hr = info.scode;
      fail("failed", what, hr, detail);
    }
  }

  dispatch get_object(const wchar_t* name, std::vector<VARIANT*> args, const std::string& what) {
    variant out;
    invoke(name, DISPATCH_METHOD | DISPATCH_PROPERTYGET, std::move(args), out.get(), what);
    if (out.ref().vt != VT_DISPATCH || out.ref().pdispVal == nullptr) fail("failed", what + ": not an object", E_FAIL);
    IDispatch* p = out.ref().pdispVal;
    p->AddRef();
    return dispatch(p);
  }

 private:
  void reset() {
    if (p_ != nullptr) p_->Release();
    p_ = nullptr;
  }
  IDispatch* p_ = nullptr;
};

/// COM for this thread, undone on exit (unless the thread had it already in another mode).
class com_apartment {
 public:
  com_apartment() : hr_(CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED)) {
    if (FAILED(hr_) && hr_ != RPC_E_CHANGED_MODE) fail("unavailable", "COM could not be initialized", hr_);
  }
  com_apartment(const com_apartment&) = delete;
  com_apartment& operator=(const com_apartment&) = delete;
  ~com_apartment() {
    if (SUCCEEDED(hr_)) CoUninitialize();
  }

 private:
  HRESULT hr_;
};

std::string string_value(dispatch& property, const std::string& what) {
  variant v;
  property.invoke(L"Value", DISPATCH_PROPERTYGET, {}, v.get(), what);
  if (v.ref().vt != VT_BSTR) return {};
  return win32::to_utf8(v.ref().bstrVal, SysStringLen(v.ref().bstrVal));
}

bool same_name(const std::string& a, const std::string& b) {
  return CompareStringOrdinal(win32::to_wide(a, "pool name").c_str(), -1, win32::to_wide(b, "pool name").c_str(), -1,
                              TRUE) == CSTR_EQUAL;
}

class ahadmin_identity_writer final : public app_pool_identity_writer {
 public:
  void set_specific_user(const std::string& pool, const std::string& user, const std::string& password) override {
    com_apartment com;
    CLSID clsid{};
    HRESULT hr = CLSIDFromProgID(L"Microsoft.ApplicationHost.WritableAdminManager", &clsid);
    if (FAILED(hr)) {
      fail("unavailable",
           "Microsoft.ApplicationHost.WritableAdminManager is not registered (is IIS installed on this server?)", hr);
    }
    dispatch manager;
    hr = CoCreateInstance(clsid, nullptr, CLSCTX_INPROC_SERVER, IID_IDispatch, reinterpret_cast<void**>(manager.out()));
    if (FAILED(hr))
      fail("unavailable", "cannot create the WritableAdminManager (run smharden as an administrator)", hr);

    variant commit_path{std::wstring(apphost_path)};
    manager.invoke(L"CommitPath", DISPATCH_PROPERTYPUT, {commit_path.get()}, nullptr, "setting CommitPath");
    variant section_name{std::wstring(L"system.applicationHost/applicationPools")};
    variant section_path{std::wstring(apphost_path)};
    dispatch section = manager.get_object(L"GetAdminSection", {section_name.get(), section_path.get()},
                                          "opening system.applicationHost/applicationPools");
    dispatch pools = section.get_object(L"Collection", {}, "reading the application pool list");

    variant count;
    pools.invoke(L"Count", DISPATCH_PROPERTYGET, {}, count.get(), "counting application pools");
    if (FAILED(VariantChangeType(count.get(), count.get(), 0, VT_I4))) fail("failed", "pool count", E_FAIL);
    dispatch element;
    for (std::int32_t i = 0; i < count.ref().lVal && element.get() == nullptr; ++i) {
      variant index{i};
      dispatch candidate = pools.get_object(L"Item", {index.get()}, "reading an application pool");
      variant key{std::wstring(L"name")};
      dispatch name = candidate.get_object(L"GetPropertyByName", {key.get()}, "reading a pool's name");
      if (same_name(string_value(name, "reading a pool's name"), pool)) element = std::move(candidate);
    }
    if (element.get() == nullptr) {
      throw service_error("not_found", fmt::format("IIS has no application pool named \"{}\"", pool));
    }
    dispatch children = element.get_object(L"ChildElements", {}, "reading the pool's child elements");
    variant pm_name{std::wstring(L"processModel")};
    dispatch process_model = children.get_object(L"Item", {pm_name.get()}, "opening processModel");
    dispatch properties = process_model.get_object(L"Properties", {}, "reading processModel's attributes");

    auto set = [&](const wchar_t* attribute, variant& value, const std::string& what) {
      variant name{std::wstring(attribute)};
      dispatch property = properties.get_object(L"Item", {name.get()}, what);
      property.invoke(L"Value", DISPATCH_PROPERTYPUT, {value.get()}, nullptr, what);
    };
    variant type{std::wstring(L"SpecificUser")};
    set(L"identityType", type, "setting identityType");
    variant user_value{win32::to_wide(user, "user_name")};
    set(L"userName", user_value, "setting userName");
    std::wstring wide_password = win32::to_wide(password, "the app pool password");
    variant password_value{wide_password, true};
    win32::wipe(wide_password);
    set(L"password", password_value, "setting the password");
    manager.invoke(L"CommitChanges", DISPATCH_METHOD, {}, nullptr, "committing to applicationHost.config");
  }
};

}  // namespace

std::unique_ptr<app_pool_identity_writer> make_ahadmin_identity_writer() {
  return std::make_unique<ahadmin_identity_writer>();
}

}  // namespace smharden::services::iis

#else

namespace smharden::services::iis {

std::unique_ptr<app_pool_identity_writer> make_ahadmin_identity_writer() { return nullptr; }

}  // namespace smharden::services::iis

#endif
