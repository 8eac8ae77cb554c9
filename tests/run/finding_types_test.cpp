// The host type-checks what a plugin emits: a finding or change field of the
// wrong type is refused and makes the step an error naming the step and field.
#include <catch2/catch.hpp>
#include <string>

#include "run/findings.hpp"
#include "run/step_host.hpp"

using nlohmann::json;
using smharden::core::run_mode;
using smharden::core::step_host;
using smharden::core::step_host_shared;

namespace {

struct host_fixture {
  smharden::core::redactor redact;
  step_host_shared shared;
  host_fixture() { shared.redact = &redact; }
};

}  // namespace

TEST_CASE("findings: a field of the wrong type is a step error naming the step and the field") {
  host_fixture fx;
  step_host host(fx.shared, "sm-relay", run_mode::check, "high", json::object(), json::array());
  const auto& ctx = host.context();
  CHECK(ctx.emit_finding(ctx.host, R"({"id": "f1", "title": "ok", "automated": false})") == SMH_OK);
  CHECK(host.violation().empty());
  CHECK(ctx.emit_finding(ctx.host, R"({"id": "f2", "title": "t", "automated": "yes"})") == SMH_ERR_INVALID_ARGUMENT);
  CHECK_THAT(host.violation(), Catch::Contains("sm-relay") && Catch::Contains("f2") &&
                                   Catch::Contains("\"automated\" must be true or false") &&
                                   Catch::Contains("\"yes\""));
  CHECK(host.findings().size() == 1);  // the wrong one is not reported as if it were fine
}

TEST_CASE("findings: every typed field is checked") {
  CHECK(smharden::core::finding_type_error({{"id", "a"}, {"title", "t"}}).empty());
  CHECK(smharden::core::finding_type_error({{"id", "a"}, {"title", "t"}, {"current", {1, 2}}, {"desired", nullptr}})
            .empty());
  CHECK_THAT(smharden::core::finding_type_error({{"id", 7}, {"title", "t"}}), Catch::Contains("\"id\""));
  CHECK_THAT(smharden::core::finding_type_error({{"id", "a"}, {"title", {"x"}}}), Catch::Contains("\"title\""));
  CHECK_THAT(smharden::core::finding_type_error({{"id", "a"}, {"title", "t"}, {"severity", 3}}),
             Catch::Contains("\"severity\""));
  CHECK_THAT(smharden::core::finding_type_error({{"id", "a"}, {"title", "t"}, {"remediation", false}}),
             Catch::Contains("\"remediation\""));
  CHECK_THAT(smharden::core::finding_type_error({{"id", "a"}, {"title", "t"}, {"automated", 1}}),
             Catch::Contains("\"automated\""));
  CHECK_THAT(smharden::core::change_type_error({{"id", "c"}, {"description", 5}}), Catch::Contains("\"description\""));
}

TEST_CASE("changes: a field of the wrong type is a step error") {
  host_fixture fx;
  step_host host(fx.shared, "sm-ids", run_mode::apply, "high", json::object(), json::array());
  const auto& ctx = host.context();
  CHECK(ctx.emit_change(ctx.host, R"({"id": "c1", "description": ["not", "a", "string"]})") ==
        SMH_ERR_INVALID_ARGUMENT);
  CHECK_THAT(host.violation(), Catch::Contains("sm-ids") && Catch::Contains("\"description\""));
}
