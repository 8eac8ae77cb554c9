#include "run/mutation_gate.hpp"

#include <catch2/catch.hpp>

#include "recording_observer.hpp"

using nlohmann::json;
using smharden::core::mutation_gate;
using smharden::services::access;
using smharden::services::method;
using smharden::services::service_error;
using smharden::services::undo_record;
using smharden::test::recording_observer;

namespace {

/// A mutating method over one integer: set {value} returns the old value; undo sets it back.
method setter(int& state, std::vector<std::string>& calls, bool throws = false) {
  method m;
  m.name = "test.value.set";
  m.kind = access::mutating;
  m.invoke = [&state, &calls, throws](const json& p) {
    calls.push_back("invoke " + p.dump());
    if (throws) throw service_error("failed", "the target refused");
    const int old = state;
    state = p.at("value").get<int>();
    return json{{"old", old}};
  };
  m.undo = [&state](const json&) {
    undo_record u;
    u.calls = json::array({{{"method", "test.value.set"}, {"params", {{"value", state}}}}});
    u.description = "value back to " + std::to_string(state);
    return u;
  };
  return m;
}

}  // namespace

TEST_CASE("gate: the undo record is journaled before the call, from the state before it", "[run][gate]") {
  int state = 1;
  std::vector<std::string> calls;
  const method m = setter(state, calls);
  recording_observer obs;
  mutation_gate gate(&obs);
  const json result = gate.call("step-a", m, {{"value", 7}});
  CHECK(result == json{{"old", 1}});
  CHECK(state == 7);
  REQUIRE(obs.events.size() == 2);
  CHECK(obs.events[0] ==
        R"(before step-a test.value.set {"value":7} undo [{"method":"test.value.set","params":{"value":1}}])");
  CHECK(obs.events[1] == "after step-a test.value.set ok");
}

TEST_CASE("gate: a call that throws still gets its outcome record, then the error goes on", "[run][gate]") {
  int state = 1;
  std::vector<std::string> calls;
  const method m = setter(state, calls, true);
  recording_observer obs;
  mutation_gate gate(&obs);
  CHECK_THROWS_AS(gate.call("engine", m, {{"value", 2}}), service_error);
  REQUIRE(obs.events.size() == 2);
  CHECK(obs.events[0].rfind("before engine test.value.set", 0) == 0);
  CHECK(obs.events[1] == "after engine test.value.set failed");
}

TEST_CASE("gate: when the journal refuses the record, the call does not run", "[run][gate]") {
  int state = 1;
  std::vector<std::string> calls;
  const method m = setter(state, calls);
  recording_observer obs;
  obs.refuse = true;
  mutation_gate gate(&obs);
  CHECK_THROWS_AS(gate.call("step-a", m, {{"value", 9}}), service_error);
  CHECK(calls.empty());
  CHECK(state == 1);
  CHECK(obs.events.empty());
}

TEST_CASE("gate: a method without an undo function is journaled with an empty undo", "[run][gate]") {
  int state = 0;
  std::vector<std::string> calls;
  method m = setter(state, calls);
  m.undo = nullptr;
  recording_observer obs;
  mutation_gate gate(&obs);
  gate.call("engine", m, {{"value", 3}});
  REQUIRE_FALSE(obs.events.empty());
  CHECK(obs.events[0] == R"(before engine test.value.set {"value":3} undo [])");
}
