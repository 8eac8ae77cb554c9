// Profiles an attacker or a careless generator might write: too deep, too
// large, long extends chains, many vars and waivers, variables that refer to
// themselves, waivers for steps that do not exist, control characters.
#include <catch2/catch.hpp>
#include <string>

#include "base/errors.hpp"
#include "profile/profile.hpp"
#include "temp_profiles.hpp"

using namespace smharden::core;
using smharden::test::temp_profiles;

namespace {

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

}  // namespace

TEST_CASE("a profile nested 20 000 levels deep is refused with its pointer", "[profile][limits]") {
  temp_profiles t;
  t.write("deep.json", R"({"vars": {"v": )" + nested(20000) + R"(}, "steps": {"x": {"params": {"a": "${v}"}}}})");
  const std::string message = t.load_error("deep.json");
  CHECK(message.find(t.path("deep.json") + ": /vars/v/0/0/") == 0);
  CHECK(message.find("expected JSON nested at most 64 levels deep") != std::string::npos);
  // An extended base is read with the same limit.
  t.write("leaf.json", R"({"extends": "deep.json"})");
  CHECK(t.load_error("leaf.json").find(t.path("deep.json") + ": /vars/v/0") == 0);
}

TEST_CASE("nesting built from variables is bounded too", "[profile][limits]") {
  temp_profiles t;
  // Each variable adds 30 levels; one alone is fine, together they pass the limit.
  const std::string thirty = std::string(30, '[') + "\"${v%}\"" + std::string(30, ']');
  std::string vars = R"("v0": 1)";
  for (int i = 1; i <= 5; ++i) {
    std::string level = thirty;
    level.replace(level.find('%'), 1, std::to_string(i - 1));
    vars += ", \"v" + std::to_string(i) + "\": " + level;
  }
  t.write("built.json", "{\"vars\": {" + vars + R"(}, "steps": {"x": {"params": {"a": "${v5}"}}}})");
  CHECK(t.load_error("built.json") ==
        t.path("built.json") +
            ": /steps/x/params/a: expected params nested at most 64 levels deep once variables are substituted, "
            "found deeper nesting. Fix: use variables that hold flatter values");
  t.write("fine.json", "{\"vars\": {" + vars + R"(}, "steps": {"x": {"params": {"a": "${v2}"}}}})");
  CHECK(t.load_error("fine.json").empty());
}

TEST_CASE("1e400 in a profile names the file and the place", "[profile][limits]") {
  temp_profiles t;
  t.write("big.json", "{\"steps\": {\"x\": {\"params\": {\"n\": 1e400}}}}");
  CHECK(t.load_error("big.json") ==
        t.path("big.json") +
            ": /steps/x/params/n, line 1, column 38: expected a number within the range of a double (about ±1.8e308), "
            "found 1e400. Fix: write a smaller number");
}

TEST_CASE("a FIFO, a device or a folder as a profile is refused at once", "[profile][limits]") {
  temp_profiles t;
  CHECK_THROWS_WITH(load_profile("/dev/zero"),
                    "/dev/zero: expected a readable profile file, found a device. Fix: check the path and the file's "
                    "permissions");
  t.write("leaf.json", R"({"extends": "/dev/zero"})");
  CHECK(t.load_error("leaf.json") ==
        "/dev/zero: expected a readable profile file, found a device. Fix: check the path and the file's permissions");
  t.write("sub/x.json", "{}");
  CHECK(t.load_error("sub").find("found a folder") != std::string::npos);
}

TEST_CASE("a variable that refers to itself is an error showing the cycle", "[profile][limits][vars]") {
  temp_profiles t;
  t.write("self.json", R"({"vars": {"a": "${a}"}, "steps": {"accounts": {"params": {"user_name": "${a}"}}}})");
  CHECK(t.load_error("self.json") ==
        t.path("self.json") +
            ": /vars/a: expected variables that do not refer to themselves, found a cycle: a -> a. Fix: give one of "
            "these variables a value without \"${...}\", or write \"$${\" for a literal \"${\"");
  t.write("loop.json",
          R"({"vars": {"a": "x-${b}", "b": "${c}", "c": "${a}"}, "steps": {"s": {"params": {"p": "${a}"}}}})");
  CHECK(t.load_error("loop.json").find("found a cycle: a -> b -> c -> a") != std::string::npos);
  // A variable may use another one; each resolves once.
  t.write("ok.json", R"({"vars": {"user": "svc", "home": "C:\\Users\\${user}", "both": ["${home}", "${user}"]},
                          "steps": {"s": {"params": {"p": "${both}", "q": "${home}\\x"}}}})");
  const profile p = load_profile(t.path("ok.json"));
  CHECK(p.find_step("s")->params["p"] == ordered_json::parse(R"(["C:\\Users\\svc", "svc"])"));
  CHECK(p.find_step("s")->params["q"] == "C:\\Users\\svc\\x");
  // Variables unused by any step are checked only when used.
  t.write("unused.json", R"({"vars": {"a": "${a}"}, "steps": {"s": {}}})");
  CHECK(t.load_error("unused.json").empty());
}

TEST_CASE("a chain of variables longer than the limit is refused", "[profile][limits][vars]") {
  temp_profiles t;
  std::string vars = R"("v0": "end")";
  for (int i = 1; i <= 40; ++i) vars += ", \"v" + std::to_string(i) + "\": \"${v" + std::to_string(i - 1) + "}\"";
  t.write("chain.json", "{\"vars\": {" + vars + R"(}, "steps": {"s": {"params": {"p": "${v40}"}}}})");
  CHECK(t.load_error("chain.json").find("expected variables that refer to other variables at most 16 deep") !=
        std::string::npos);
  t.write("short.json", "{\"vars\": {" + vars + R"(}, "steps": {"s": {"params": {"p": "${v15}"}}}})");
  CHECK(load_profile(t.path("short.json")).find_step("s")->params["p"] == "end");
}

TEST_CASE("a waiver for a step the profile does not have is an error with a suggestion", "[profile][limits]") {
  temp_profiles t;
  t.write("base.json", R"({"steps": {"accounts": {}, "iis-ip": {}}})");
  t.write("w.json", R"({"extends": "base.json",
      "waivers": [{"step": "accounts", "reason": "r", "expires": "2099-01-01"},
                  {"step": "iis-pi", "reason": "r", "expires": "2099-01-01"}]})");
  CHECK(t.load_error("w.json") ==
        t.path("w.json") +
            ": /waivers/1/step: expected the id of a step of this profile (or of one it extends), found a string "
            "\"iis-pi\". Fix: correct the step id, add the step, or remove the waiver. Did you mean \"iis-ip\"?");
}

TEST_CASE("long chains, many vars and many waivers load", "[profile][limits]") {
  temp_profiles t;
  // 2 000 links (each link once: the loop check is a lookup, not a search).
  t.write("link0.json", R"({"vars": {"v": 0}, "steps": {"s": {"params": {"p": "${v}"}}}})");
  for (int i = 1; i < 2000; ++i) {
    t.write("link" + std::to_string(i) + ".json",
            "{\"extends\": \"link" + std::to_string(i - 1) + ".json\", \"vars\": {\"v\": " + std::to_string(i) + "}}");
  }
  const profile chained = load_profile(t.path("link1999.json"));
  CHECK(chained.chain.size() == 2000);
  CHECK(chained.find_step("s")->params["p"] == 1999);

  std::string vars = "\"v0\": 0";
  std::string params = "\"p0\": \"${v0}\"";
  for (int i = 1; i < 40000; ++i) {
    vars += ", \"v" + std::to_string(i) + "\": " + std::to_string(i);
    params += ", \"p" + std::to_string(i) + "\": \"${v" + std::to_string(i) + "}\"";
  }
  t.write("vars.json", "{\"vars\": {" + vars + "}, \"steps\": {\"s\": {\"params\": {" + params + "}}}}");
  const profile many = load_profile(t.path("vars.json"));
  CHECK(many.vars.size() == 40000);
  CHECK(many.find_step("s")->params["p39999"] == 39999);

  std::string waivers = R"({"step": "s", "reason": "r", "expires": "2099-01-01"})";
  for (int i = 1; i < 50000; ++i) waivers += R"(, {"step": "s", "reason": "r", "expires": "2099-01-01"})";
  t.write("waivers.json", R"({"steps": {"s": {}}, "waivers": [)" + waivers + "]}");
  CHECK(load_profile(t.path("waivers.json")).waivers.size() == 50000);
}

TEST_CASE("a profile larger than 10 MiB is refused before it is parsed", "[profile][limits]") {
  temp_profiles t;
  t.write("huge.json", R"({"description": ")" + std::string(11U << 20U, 'x') + "\"}");
  CHECK(t.load_error("huge.json") ==
        t.path("huge.json") +
            ": expected a JSON file of at most 10 MiB, found 11534355 bytes. Fix: check that this "
            "is the intended file; smharden refuses larger input (a large profile can be split "
            "into profiles that extend one another)");
}

TEST_CASE("control characters in params are refused for every plugin", "[profile][limits]") {
  temp_profiles t;
  t.write("nul.json",
          R"({"steps": {"any-plugin": {"params": {"user_name": "svc\u0000x", "list": ["ok", "a\u001b[31m"],
                                                  "map": {"k\u0085": 1}, "tab": "a\tb", "fine": "Ünïcödé"}}}})");
  const profile p = load_profile(t.path("nul.json"));
  const nlohmann::json open_schema = nlohmann::json::parse(R"({"type": "object"})");
  std::string message;
  try {
    validate_params(p, {{"any-plugin", open_schema}});
  } catch (const profile_error& e) {
    message = e.what();
  }
  const std::string file = t.path("nul.json");
  CHECK(message.find(file + ": /steps/any-plugin/params/user_name: expected text without control characters, found "
                            "a string with U+0000 at character 4. Fix: remove the control character") !=
        std::string::npos);
  CHECK(message.find("/params/list/1: expected text without control characters, found a string with U+001B at "
                     "character 2") != std::string::npos);
  CHECK(message.find("/params/map/k\\u0085: expected text without control characters, found a key with U+0085") !=
        std::string::npos);
  CHECK(message.find("/params/tab:") != std::string::npos);
  CHECK(message.find("/params/fine") == std::string::npos);
  CHECK(message.find('\0') == std::string::npos);
  CHECK(message.find('\x1b') == std::string::npos);
}
