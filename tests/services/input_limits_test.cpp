// Numbers keep their meaning and target data is read with limits: the IIS and
// SmarterMail services refuse a value their field cannot hold instead of
// truncating it, sm-version fails closed, and deep or huge target files,
// SmarterMail lab files and Windows state are refused with the file and place.
#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <string>

#include "base/atomic_file.hpp"
#include "base/errors.hpp"
#include "service_lab.hpp"
#include "services/iis/iis_service.hpp"
#include "services/smartermail/smartermail_service.hpp"
#include "services/target.hpp"
#include "services/windows/windows_service.hpp"
#include "sm-version/version_policy.hpp"

namespace fs = std::filesystem;
using namespace smharden::services;
using json = nlohmann::json;

namespace {

std::string message_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

struct iis_lab : smharden::test::service_lab {
  fs::path file;
  iis_lab() : service_lab("smharden-iis-numbers"), file(dir.path() / "iis" / "applicationHost.config") {
    fs::create_directories(file.parent_path());
    smharden::util::write_file_atomic(file, std::string(iis::lab_template()));
    attach(make_iis_service(make_target(target_kind::lab), env));
  }
  json dynamic() { return call("iis.dynamic_ip_security.get", {{"site", "SmarterMail"}}); }
};

struct sm_lab : smharden::test::service_lab {
  sm_lab() : service_lab("smharden-sm-numbers") {
    seed_smartermail_lab(dir.path());
    attach(make_smartermail_service(make_target(target_kind::lab), env));
  }
};

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

}  // namespace

TEST_CASE("iis: a dynamic limit beyond uint32 is refused, not written as 0", "[services][numbers][iis]") {
  iis_lab f;
  const json before = f.dynamic();
  for (const json& n : {json(4294967296ULL), json(2147483648LL * 4), json(-1), json(18446744073709551615ULL)}) {
    const std::string message = message_of([&] {
      f.call("iis.dynamic_ip_security.set",
             {{"site", "SmarterMail"}, {"deny_by_concurrent_requests", {{"max_concurrent_requests", n}}}});
    });
    INFO(n.dump());
    CHECK(message.find("\"max_concurrent_requests\" must be an integer from 0 to 4294967295") != std::string::npos);
  }
  CHECK(f.dynamic() == before);
  // The largest value IIS can hold is written and read back exactly.
  f.call("iis.dynamic_ip_security.set",
         {{"site", "SmarterMail"}, {"deny_by_request_rate", {{"max_requests", 4294967295ULL}}}});
  CHECK(f.dynamic()["deny_by_request_rate"]["max_requests"] == 4294967295ULL);
}

TEST_CASE("iis: ssl_flags beyond uint32 is refused", "[services][numbers][iis]") {
  iis_lab f;
  const std::string message = message_of([&] {
    f.call("iis.bindings.set",
           {{"site", "SmarterMail"},
            {"bindings",
             json::array({{{"protocol", "http"}, {"binding_information", "*:80:"}, {"ssl_flags", 4294967296ULL}}})}});
  });
  CHECK(message.find("ssl_flags must be an integer from 0 to 4294967295") != std::string::npos);
}

TEST_CASE("smartermail: IDS numbers beyond a 32-bit int are refused, not wrapped", "[services][numbers][smartermail]") {
  sm_lab f;
  const json before = f.call("smartermail.ids.rules.get")["rules"];
  for (const json& n : {json(4294967296ULL), json(2147483648LL), json(-5)}) {
    json rule = {
        {"type", "password_brute_force_by_ip"}, {"time_frame_minutes", n}, {"threshold", 5}, {"block_minutes", 60}};
    const std::string message = message_of([&] {
      f.call("smartermail.ids.rules.set", {{"rules", json::array({rule})}});
    });
    INFO(n.dump());
    CHECK(message.find("\"time_frame_minutes\" must be an integer from 0 to 2147483647") != std::string::npos);
  }
  CHECK(f.call("smartermail.ids.rules.get")["rules"] == before);
  json rule = {{"type", "password_brute_force_by_ip"},
               {"time_frame_minutes", 2147483647},
               {"threshold", 5},
               {"block_minutes", 60}};
  f.call("smartermail.ids.rules.set", {{"rules", json::array({rule})}});
  const json after = f.call("smartermail.ids.rules.get")["rules"];
  CHECK(std::any_of(after.begin(), after.end(), [](const json& r) { return r["time_frame_minutes"] == 2147483647; }));
}

TEST_CASE("sm-version: a minimum that cannot be compared is a finding, never compliant", "[services][numbers]") {
  using smharden::sm_version::check;
  const json vulnerable = {{"build", "100.0.9400"}};
  CHECK(check(vulnerable, {{"min_build", "100.0.9511"}}).front().id == "outdated-build");
  for (const char* minimum : {"100.0.10000000000", "99999999999", "100.0.1000000001.1"}) {
    const auto findings = check(vulnerable, {{"min_build", minimum}});
    INFO(minimum);
    REQUIRE(findings.size() == 1);
    CHECK(findings.front().id == "unreadable-minimum");
    CHECK(findings.front().severity == "critical");
  }
  CHECK(check({{"build", "100.0.9511"}}, {{"min_build", "100.0.9511"}}).empty());
}

TEST_CASE("a deep or huge target file is refused with the file and the place", "[services][limits]") {
  smharden::test::temp_dir d;
  d.write("target.json", R"({"kind": "lab", "iis": )" + nested(50000) + "}");
  const std::string message = message_of([&] { parse_target("offline:" + d.path().string()); });
  CHECK(message.find((d.path() / "target.json").string() + ": /iis/0/0/") == 0);
  CHECK(message.find("expected JSON nested at most 128 levels deep") != std::string::npos);
  CHECK_THROWS_AS(parse_target("offline:" + d.path().string()), smharden::core::profile_error);
}

TEST_CASE("deep SmarterMail lab data is refused, not a crash", "[services][limits]") {
  sm_lab f;
  smharden::util::write_file_atomic(f.dir.path() / "smartermail" / "ids-rules.json",
                                    R"({"rules": )" + nested(30000) + "}");
  const std::string message = message_of([&] { f.call("smartermail.ids.rules.get"); });
  CHECK(message.find("ids-rules.json: /rules/0/0/") != std::string::npos);
  CHECK(message.find("expected JSON nested at most 128 levels deep") != std::string::npos);
  smharden::util::write_file_atomic(f.dir.path() / "smartermail" / "version.json", R"({"version": 1e400})");
  CHECK(message_of([&] {
          f.call("smartermail.version.get");
        }).find("version.json: /version, line 1, column 17: expected a number within the range of a double") !=
        std::string::npos);
}

TEST_CASE("a deep Windows state is refused, not a crash", "[services][limits]") {
  smharden::test::service_lab f("smharden-win-limits");
  windows::seed_windows_lab(f.dir.path());
  smharden::util::write_file_atomic(f.dir.path() / "windows" / "state.json",
                                    R"({"format": 1, "users": )" + nested(100000) + "}");
  f.attach(windows::make_windows_service(f.make_target(target_kind::lab), f.env));
  const std::string message = message_of([&] { f.call("windows.user.get", {{"name", "svc"}}); });
  CHECK(message.find("state.json: /users/0/0/") != std::string::npos);
  CHECK(message.find("expected JSON nested at most 128 levels deep") != std::string::npos);
}
