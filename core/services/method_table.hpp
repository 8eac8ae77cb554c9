// How every service publishes its methods: a table of named functions, each
// with its documentation (docs/services.md is generated from these tables),
// registered by one helper that gives every method the same error mapping.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "services/service_registry.hpp"

namespace smharden::services {

/// One row of a service's method table. `Self` is the service the functions work on.
template <class Self>
struct method_entry {
  const char* name;
  access kind;
  const char* summary;
  method_doc doc;
  json (*invoke)(Self& self, const json& params);
  /// Required for mutating methods: the undo record for `params`, computed before the call.
  undo_record (*undo)(Self& self, const json& params) = nullptr;
};

/// Call from a catch block: rethrows the current exception as a service_error. A service_error
/// passes unchanged; a JSON type or range error (a param of the wrong shape, a missing key) becomes
/// invalid_params; any other std::exception becomes failed. Both messages start with `method_name`.
[[noreturn]] void rethrow_as_service_error(std::string_view method_name);

/// An optional string param: nullopt when absent or null; invalid_params when not a string.
std::optional<std::string> optional_string(const json& params, const char* key);
/// An optional boolean param: nullopt when absent or null; invalid_params when not true or false.
std::optional<bool> optional_bool(const json& params, const char* key);

/// Adds every row of `table` to `r`, bound to `self` (which must outlive the registry's use).
template <class Self>
void add_methods(registry& r, Self& self, std::span<const method_entry<Self>> table) {
  for (const method_entry<Self>& e : table) {
    method m;
    m.name = e.name;
    m.kind = e.kind;
    m.summary = e.summary;
    m.doc = e.doc;
    m.invoke = [name = std::string(e.name), &self, fn = e.invoke](const json& p) -> json {
      try {
        return fn(self, p);
      } catch (...) {
        rethrow_as_service_error(name);
      }
    };
    if (e.undo != nullptr) {
      m.undo = [name = std::string(e.name), &self, fn = e.undo](const json& p) -> undo_record {
        try {
          return fn(self, p);
        } catch (...) {
          rethrow_as_service_error(name);
        }
      };
    }
    r.add(std::move(m));
  }
}

template <class Self, std::size_t N>
void add_methods(registry& r, Self& self, const method_entry<Self> (&table)[N]) {
  add_methods(r, self, std::span<const method_entry<Self>>(table));
}

}  // namespace smharden::services
