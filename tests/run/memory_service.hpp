// An in-memory service for engine tests: test.kv.get (read-only),
// test.kv.set and test.kv.delete (mutating, with undo). Restarts go to the
// lab's own windows.service.restart.
#pragma once

#include <map>
#include <string>

#include "services/service.hpp"

namespace smharden::test {

struct memory_state {
  std::map<std::string, std::string> values;
  int sets = 0;
};

class memory_service final : public services::service {
 public:
  explicit memory_service(memory_state& state) : state_(state) {}
  std::string name() const override { return "test"; }
  void register_methods(services::registry& r) override {
    using services::json;
    r.add({"test.kv.get",
           services::access::read_only,
           "read a value",
           [this](const json& p) {
             const auto key = services::require_string(p, "key");
             const auto it = state_.values.find(key);
             return it == state_.values.end() ? json{{"value", nullptr}} : json{{"value", it->second}};
           },
           {}});
    r.add({"test.kv.set", services::access::mutating, "write a value",
           [this](const json& p) {
             ++state_.sets;
             state_.values[services::require_string(p, "key")] = services::require_string(p, "value");
             return json::object();
           },
           [this](const json& p) {
             services::undo_record u;
             const auto key = services::require_string(p, "key");
             const auto it = state_.values.find(key);
             if (it != state_.values.end()) {
               u.calls.push_back({{"method", "test.kv.set"}, {"params", {{"key", key}, {"value", it->second}}}});
             } else {
               u.calls.push_back({{"method", "test.kv.delete"}, {"params", {{"key", key}}}});
             }
             u.description = "restore " + key;
             return u;
           }});
    r.add({"test.kv.delete", services::access::mutating, "remove a value",
           [this](const json& p) {
             state_.values.erase(services::require_string(p, "key"));
             return json::object();
           },
           [this](const json& p) {
             services::undo_record u;
             const auto key = services::require_string(p, "key");
             if (const auto it = state_.values.find(key); it != state_.values.end()) {
               u.calls.push_back({{"method", "test.kv.set"}, {"params", {{"key", key}, {"value", it->second}}}});
             }
             return u;
           }});
  }

 private:
  memory_state& state_;
};

}  // namespace smharden::test
