// Hostile input through the real CLI: every refusal is an exit code and a
// message naming the file and the place, never a crash, a hang or a value
// that silently changes meaning.
#include <sys/stat.h>
#include <sys/types.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <string>

#include "base/atomic_file.hpp"
#include "cli_lab.hpp"
#include "cli_runner.hpp"

using smharden::test::cli_lab;
using smharden::test::cli_result;

namespace {

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// A safety net, not a timing assertion: a hung child is killed so the test fails instead of hanging.
bool kill_if_hung(pid_t pid) {
  static thread_local auto started = std::chrono::steady_clock::now();
  static thread_local pid_t watched = 0;
  if (pid != watched) {
    watched = pid;
    started = std::chrono::steady_clock::now();
  }
  if (std::chrono::steady_clock::now() - started < std::chrono::minutes(2)) return true;
  ::kill(pid, SIGKILL);
  return false;
}

}  // namespace

TEST_CASE("cli: a FIFO or /dev/zero as --profile fails at once with exit 2", "[cli][limits]") {
  cli_lab lab("smharden-cli-fifo");
  const auto fifo = lab.root() / "profile.json";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  for (const std::string& profile : {fifo.string(), std::string("/dev/zero")}) {
    const cli_result r = lab.cli().run({"check", "--profile", profile, "--target", lab.target()}, {}, kill_if_hung);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(profile + ": expected a readable profile file, found a") != std::string::npos);
  }
  const cli_result v = lab.cli().run({"validate", "/dev/zero"}, {}, kill_if_hung);
  CHECK(v.exit_code == 2);
}

TEST_CASE("cli: a profile nested 20 000 levels deep is refused, not a crash", "[cli][limits]") {
  cli_lab lab("smharden-cli-deep");
  const auto profile = lab.write("deep.json", R"({"vars": {"a": )" + nested(20000) +
                                                  R"(}, "steps": {"accounts": {"params": {"user_name": "${a}"}}}})");
  for (const char* command : {"validate", "check", "apply"}) {
    std::vector<std::string> args = {command};
    if (std::string(command) == "validate") {
      args.push_back(profile.string());
    } else {
      args.insert(args.end(), {"--profile", profile.string(), "--target", lab.target()});
      if (std::string(command) == "apply") args.push_back("--yes");
    }
    const cli_result r = lab.cli().run(args);
    INFO(command << ": " << r.err);
    CHECK(r.signal == 0);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(profile.string() + ": /vars/a/0/0/0") != std::string::npos);
  }
}

TEST_CASE("cli: a variable referring to itself is refused, no user named ${a} is created", "[cli][limits]") {
  cli_lab lab("smharden-cli-selfvar");
  const auto profile = lab.write(
      "self.json",
      R"({"vars": {"a": "${a}"}, "steps": {"accounts": {"params": {"user_name": "${a}", "password_secret": "pw"}}}})");
  const cli_result r = lab.cli().run({"apply", "--yes", "--profile", profile.string(), "--target", lab.target()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("found a cycle: a -> a") != std::string::npos);
  CHECK(smharden::util::read_file(lab.lab() / "windows" / "state.json").find("${a}") == std::string::npos);
}

TEST_CASE("cli: a NUL in a user name is refused before anything runs", "[cli][limits]") {
  cli_lab lab("smharden-cli-nul");
  const auto profile = lab.write(
      "nul.json", R"({"steps": {"accounts": {"params": {"user_name": "svc\u0000evil", "password_secret": "pw"}}}})");
  const cli_result r = lab.cli().run({"apply", "--yes", "--profile", profile.string(), "--target", lab.target()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("/steps/accounts/params/user_name: expected text without control characters, found a string "
                   "with U+0000 at character 4") != std::string::npos);
  CHECK(r.err.find('\0') == std::string::npos);
}

TEST_CASE("cli: numbers out of their field's range are refused by the schema", "[cli][limits]") {
  cli_lab lab("smharden-cli-numbers", {}, false);
  struct example {
    const char* step;
    const char* params;
    const char* pointer;
  };
  for (
      const example& e : {
          example{"iis-ip", R"({"dynamic": {"deny_by_concurrent_requests": {"max_concurrent_requests": 4294967296}}})",
                  "/steps/iis-ip/params/dynamic/deny_by_concurrent_requests/max_concurrent_requests"},
          example{"iis-ip", R"({"dynamic": {"deny_by_request_rate": {"request_interval_ms": 99999999999}}})",
                  "/steps/iis-ip/params/dynamic/deny_by_request_rate/request_interval_ms"},
          example{
              "sm-ids",
              R"({"rules": [{"type": "harvesting", "time_frame_minutes": 2147483648, "threshold": 1, "block_minutes": 1}]})",
              "/steps/sm-ids/params/rules/0/time_frame_minutes"},
          example{
              "sm-ids",
              R"({"rules": [{"type": "harvesting", "time_frame_minutes": 1, "threshold": 4294967296, "block_minutes": 1}]})",
              "/steps/sm-ids/params/rules/0/threshold"},
          example{"sm-version", R"({"min_build": "100.0.10000000000"})", "/steps/sm-version/params/min_build"},
          example{"iis-ip", nullptr, "/steps/iis-ip/params/allow"},
      }) {
    std::string params = e.params != nullptr ? e.params : "";
    if (e.params == nullptr) {  // 10 001 allow entries: one more than iis-ip takes
      params = R"({"allow": ["10.0.0.1")";
      for (int i = 0; i < 10000; ++i) params += R"(, "10.0.0.1")";
      params += "]}";
    }
    const auto profile =
        lab.write("n.json", std::string(R"({"steps": {")") + e.step + R"(": {"params": )" + params + "}}}");
    const cli_result r = lab.cli().run({"validate", profile.string()});
    INFO(params.substr(0, 200) << "\n" << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(profile.string() + ": " + e.pointer + ": expected") != std::string::npos);
  }
}

TEST_CASE("cli: iis-ip applies its largest allow list, every entry written once, and checks compliant after",
          "[cli][limits]") {
  cli_lab lab("smharden-cli-allow-10k");
  std::string allow;
  for (int i = 0; i < 10000; ++i) {
    allow += (i != 0 ? ", \"" : "\"") + std::to_string(10 + i / 65536) + "." + std::to_string((i / 256) % 256) + "." +
             std::to_string(i % 256) + ".1\"";
  }
  const auto profile = lab.write("allow.json", R"({"steps": {"iis-ip": {"params": {"allow": [)" + allow +
                                                   R"(], "deny": [], "dynamic": {"manage": false}}}}})");
  const cli_result applied =
      lab.cli().run({"apply", "--yes", "--profile", profile.string(), "--target", lab.target()}, {}, kill_if_hung);
  INFO(applied.err.substr(0, 2000));
  REQUIRE(applied.exit_code == 0);
  const std::string config = smharden::util::read_file(lab.lab() / "iis" / "applicationHost.config");
  std::size_t entries = 0;
  for (std::size_t at = config.find("<add ipAddress="); at != std::string::npos;
       at = config.find("<add ipAddress=", at + 1)) {
    ++entries;
  }
  CHECK(entries == 10000);
  const cli_result again = lab.cli().run({"check", "--profile", profile.string(), "--target", lab.target()});
  CHECK(again.exit_code == 0);
}

TEST_CASE("cli: 1e400 in a profile and a deep target file name the file and the place", "[cli][limits]") {
  cli_lab lab("smharden-cli-1e400", {}, false);
  const auto profile = lab.write("big.json", R"({"steps": {"sm-version": {"params": {"x": 1e400}}}})");
  const cli_result r = lab.cli().run({"validate", profile.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(profile.string() + ": /steps/sm-version/params/x, line 1") != std::string::npos);
  CHECK(r.err.find("json.exception") == std::string::npos);

  lab.init_lab();
  const auto target = lab.write("target.json", R"({"kind": "lab", "root": "lab", "x": )" + nested(100000) + "}");
  const auto ok = lab.write("ok.json", R"({"steps": {"sm-version": {}}})");
  const cli_result t = lab.cli().run({"check", "--profile", ok.string(), "--target", target.string()});
  INFO(t.err);
  CHECK(t.signal == 0);
  CHECK(t.exit_code == 2);
  CHECK(t.err.find(target.string() + ": /x/0/0/0") != std::string::npos);
}
