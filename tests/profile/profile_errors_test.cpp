// Every way a profile can be wrong, with the exact message the user reads.
#include <catch2/catch.hpp>

#include "base/errors.hpp"
#include "profile/profile.hpp"
#include "profile_fixtures.hpp"
#include "temp_profiles.hpp"

using namespace smharden::core;
using smharden::test::fixture;
using smharden::test::fixtures;
using smharden::test::temp_profiles;

namespace {
std::string load_error(const std::filesystem::path& path) {
  try {
    load_profile(path);
  } catch (const profile_error& e) {
    CHECK(e.code() == exit_code::usage);
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("an extends loop is reported with the chain", "[profile][errors]") {
  const std::string expected_tail =
      ": /extends: expected an extends chain that ends in a profile without \"extends\", found a loop: "
      "a.json -> b.json -> a.json. Fix: remove or change \"extends\" in one of these files";
  CHECK(load_error(fixtures / "loop/a.json") == fixture("loop/b.json") + expected_tail);
  // Entering the loop from outside reports the loop itself.
  CHECK(load_error(fixtures / "loop/start.json") == fixture("loop/b.json") + expected_tail);
  CHECK(load_error(fixtures / "loop/self.json") ==
        fixture("loop/self.json") +
            ": /extends: expected an extends chain that ends in a profile without \"extends\", found a loop: "
            "self.json -> self.json. Fix: remove or change \"extends\" in one of these files");
}

TEST_CASE("invalid JSON is reported with line and column", "[profile][errors]") {
  CHECK(load_error(fixtures / "invalid_json.json") ==
        fixture("invalid_json.json") +
            ": line 4, column 34: expected valid JSON, found syntax error while parsing object key - unexpected '}'; "
            "expected string literal. Fix: correct the JSON at that position (a missing or trailing comma, or a "
            "missing quote, is the usual cause)");
}

TEST_CASE("missing files", "[profile][errors]") {
  temp_profiles t;
  CHECK(t.load_error("nope.json") == t.path("nope.json") +
                                         ": expected a readable profile file, found no such file. Fix: check the "
                                         "path and the file's permissions");
  t.write("leaf.json", R"({"extends": "../missing/base.json"})");
  CHECK(t.load_error("leaf.json") ==
        t.path("leaf.json") +
            ": /extends: expected the path of an existing profile, relative to this file, found "
            "\"../missing/base.json\" (" +
            (std::filesystem::path(t.path("leaf.json")).parent_path().parent_path() / "missing/base.json").string() +
            " does not exist). Fix: correct the path; it is relative to the folder of the file that says \"extends\"");
}

TEST_CASE("unknown keys are refused, with a suggestion when one is close", "[profile][errors]") {
  temp_profiles t;
  t.write("typo.json", R"({"name": "x", "stpes": {}})");
  CHECK(t.load_error("typo.json") ==
        t.path("typo.json") +
            ": /stpes: expected one of the profile keys ($schema, name, description, extends, vars, "
            "management_cidrs, steps, waivers, health, access), found \"stpes\". Fix: rename it to \"steps\" (did you "
            "mean "
            "\"steps\"?), or remove it");
  t.write("far.json", R"({"colour": "blue"})");
  CHECK(t.load_error("far.json").find(": /colour: expected one of the profile keys") != std::string::npos);
  CHECK(t.load_error("far.json").find("Fix: remove the key") != std::string::npos);

  t.write("step.json", R"({"steps": {"accounts": {"param": {}}}})");
  CHECK(t.load_error("step.json") ==
        t.path("step.json") +
            ": /steps/accounts/param: expected one of the step keys (enabled, "
            "severity, timeout_seconds, params), found \"param\". Fix: rename it to \"params\" (did you "
            "mean \"params\"?), or remove it");
}

TEST_CASE("values of the wrong type", "[profile][errors]") {
  temp_profiles t;
  t.write("root.json", "[1, 2]");
  CHECK(t.load_error("root.json") == t.path("root.json") +
                                         ": (root): expected a JSON object with \"steps\", found an array [1,2]. "
                                         "Fix: write the profile as { \"name\": ..., \"steps\": { ... } }");
  t.write("steps.json", R"({"steps": ["accounts"]})");
  CHECK(t.load_error("steps.json") ==
        t.path("steps.json") +
            ": /steps: expected an object of steps keyed by plugin id, found an array "
            "[\"accounts\"]. Fix: write \"steps\": { \"<plugin id>\": { \"params\": { ... } } }");
  t.write("enabled.json", R"({"steps": {"acl": {"enabled": "yes"}}})");
  CHECK(t.load_error("enabled.json") == t.path("enabled.json") +
                                            ": /steps/acl/enabled: expected true or false, found a string \"yes\". "
                                            "Fix: write true or false without quotes");
  t.write("severity.json", R"({"steps": {"acl": {"severity": "hgh"}}})");
  CHECK(t.load_error("severity.json") == t.path("severity.json") +
                                             ": /steps/acl/severity: expected one of info, low, medium, high, "
                                             "critical, found a string \"hgh\". Fix: use one of those severities. "
                                             "Did you mean \"high\"?");
  t.write("name.json", R"({"name": 7})");
  CHECK(t.load_error("name.json") == t.path("name.json") +
                                         ": /name: expected a string, found an integer 7. Fix: write the value in "
                                         "double quotes");
  t.write("params.json", R"({"steps": {"acl": {"params": "x"}}})");
  CHECK(t.load_error("params.json").find(": /steps/acl/params: expected an object of parameters, found a string") !=
        std::string::npos);
}

TEST_CASE("an undefined variable names the file that uses it and the pointer", "[profile][errors]") {
  temp_profiles t;
  t.write("base.json",
          R"({"vars": {"service_user": "svc"}, "steps": {"acl": {"params": {"paths": ["C:\\x", "${dat_dir}"]}}}})");
  t.write("leaf.json", R"({"extends": "base.json", "vars": {"data_dir": "D:\\data"}})");
  CHECK(t.load_error("leaf.json") ==
        t.path("base.json") +
            ": /steps/acl/params/paths/1: expected a variable defined in \"vars\", found \"${dat_dir}\", which uses "
            "the undefined variable \"dat_dir\". Fix: define \"dat_dir\" under \"vars\" in this profile or one it "
            "extends, or write \"$${\" for a literal \"${\". Did you mean \"data_dir\"?");
}

TEST_CASE("variables: whole-value references keep their type, embedded ones interpolate scalars", "[profile]") {
  temp_profiles t;
  t.write("vars.json", R"({
    "vars": {"n": 5, "flag": true, "obj": {"a": [1]}, "s": "txt", "empty": ""},
    "steps": {"x": {"params": {
      "n": "${n}", "flag": "${flag}", "obj": "${obj}", "mixed": "n=${n} flag=${flag} s=${s}${empty}",
      "escaped": "$${n} costs $$5", "deep": {"list": ["${s}", {"v": "${n}"}]}, "number": 3
    }}}})");
  profile p = load_profile(t.path("vars.json"));
  const auto& params = p.find_step("x")->params;
  CHECK(params["n"] == 5);
  CHECK(params["flag"] == true);
  CHECK(params["obj"] == ordered_json::parse(R"({"a": [1]})"));
  CHECK(params["mixed"] == "n=5 flag=true s=txt");
  CHECK(params["escaped"] == "${n} costs $$5");
  CHECK(params["deep"] == ordered_json::parse(R"({"list": ["txt", {"v": 5}]})"));
  CHECK(params["number"] == 3);
}

TEST_CASE("variable errors: object interpolated, unclosed reference, bad name", "[profile][errors]") {
  temp_profiles t;
  t.write("obj.json", R"({"vars": {"o": {"a": 1}}, "steps": {"x": {"params": {"p": "pre-${o}"}}}})");
  CHECK(t.load_error("obj.json") ==
        t.path("obj.json") +
            ": /steps/x/params/p: expected variable \"o\" to be a string, number or boolean when used inside a "
            "longer string, found an object {\"a\":1}. Fix: use the variable as the whole value (\"${name}\" alone "
            "keeps its type), or give it a scalar value");
  t.write("open.json", R"({"steps": {"x": {"params": {"p": "a ${b"}}}})");
  CHECK(t.load_error("open.json") == t.path("open.json") +
                                         ": /steps/x/params/p: expected \"}\" closing the \"${\", found \"a ${b\". "
                                         "Fix: close the reference as \"${name}\", or write \"$${\" for a literal "
                                         "\"${\"");
  t.write("name.json", R"({"steps": {"x": {"params": {"p": "${1st}"}}}})");
  CHECK(t.load_error("name.json").find(": /steps/x/params/p: expected a variable name") != std::string::npos);
  t.write("varname.json", R"({"vars": {"has space": 1}})");
  CHECK(t.load_error("varname.json").find(": /vars/has space: expected a variable name") != std::string::npos);
}

TEST_CASE("a leaf can remove a base param with null", "[profile]") {
  temp_profiles t;
  t.write("base.json", R"({"steps": {"x": {"params": {"keep": 1, "drop": 2, "nested": {"a": 1, "b": 2}}}}})");
  t.write("leaf.json",
          R"({"extends": "base.json", "steps": {"x": {"params": {"drop": null, "nested": {"b": null}}}}})");
  profile p = load_profile(t.path("leaf.json"));
  CHECK(p.find_step("x")->params == ordered_json::parse(R"({"keep": 1, "nested": {"a": 1}})"));
  CHECK_FALSE(p.find_step("x")->param_files.count("drop"));
}

TEST_CASE("waiver errors", "[profile][errors]") {
  temp_profiles t;
  auto waiver_error = [&](const std::string& waiver) {
    // A waiver names a step of the profile (an unknown step is its own error, tested elsewhere).
    t.write("w.json",
            R"({"steps": {"acl": {}}, "waivers": [{"step": "acl", "reason": "ok", "expires": "2026-01-01"}, )" +
                waiver + "]}");
    return t.load_error("w.json");
  };
  const std::string w = t.path("w.json");
  CHECK(waiver_error(R"({"step": "acl", "expires": "2026-01-01"})") ==
        w + ": /waivers/1/reason: expected a non-empty reason, found nothing. Fix: say why the deviation is accepted "
            "and who accepted it");
  CHECK(waiver_error(R"({"step": "acl", "reason": "  ", "expires": "2026-01-01"})") ==
        w + ": /waivers/1/reason: expected a non-empty reason, found a string \"  \". Fix: say why the deviation is "
            "accepted and who accepted it");
  CHECK(waiver_error(R"({"step": "acl", "reason": "r", "expires": "2026-02-30"})") ==
        w + ": /waivers/1/expires: expected a real calendar date YYYY-MM-DD, found a string \"2026-02-30\". Fix: "
            "write the last day the waiver applies, e.g. \"2026-12-31\"");
  CHECK(waiver_error(R"({"step": "acl", "reason": "r", "expires": "31/12/2026"})")
            .find("/waivers/1/expires: expected a real calendar date YYYY-MM-DD, found a string \"31/12/2026\"") !=
        std::string::npos);
  CHECK(waiver_error(R"({"step": "acl", "reason": "r", "expires": 20261231})")
            .find("/waivers/1/expires: expected an expiry date YYYY-MM-DD, found an integer 20261231") !=
        std::string::npos);
  CHECK(waiver_error(R"({"step": "acl", "reason": "r"})") ==
        w + ": /waivers/1/expires: expected an expiry date YYYY-MM-DD, found nothing. Fix: add \"expires\": "
            "\"YYYY-MM-DD\" (the last day it applies)");
  CHECK(waiver_error(R"({"reason": "r", "expires": "2026-01-01"})")
            .find("/waivers/1/step: expected the id of the step the waiver applies to, found nothing") !=
        std::string::npos);
  CHECK(waiver_error(R"({"step": "acl", "reason": "r", "expires": "2026-01-01", "until": "x"})")
            .find("/waivers/1/until: expected one of the waiver keys (step, finding, reason, expires)") !=
        std::string::npos);
  CHECK(waiver_error(R"({"step": "acl", "finding": "", "reason": "r", "expires": "2026-01-01"})")
            .find("/waivers/1/finding: expected a finding id, found a string \"\"") != std::string::npos);
  CHECK(waiver_error(R"({"step": "acl", "reason": "r", "expires": "2026-01-01"})").empty());
}

TEST_CASE("management_cidrs must be addresses or CIDR blocks", "[profile][errors]") {
  temp_profiles t;
  auto cidr_error = [&](const std::string& list) {
    t.write("c.json", R"({"management_cidrs": )" + list + "}");
    return t.load_error("c.json");
  };
  const std::string expected_middle =
      "expected an IPv4 or IPv6 address or CIDR block (e.g. \"203.0.113.0/24\", \"2001:db8::/32\"), found ";
  const std::string fix =
      ". Fix: write the address from which you manage the server, optionally with a /prefix (IPv4 octets 0-255 "
      "without leading zeros, prefix up to /32 for IPv4 or /128 for IPv6)";
  CHECK(cidr_error(R"(["10.0.0.0/8", "10.0.0.300/24"])") ==
        t.path("c.json") + ": /management_cidrs/1: " + expected_middle + "a string \"10.0.0.300/24\"" + fix);
  CHECK(cidr_error(R"(["10.0.0.0/33"])") ==
        t.path("c.json") + ": /management_cidrs/0: " + expected_middle + "a string \"10.0.0.0/33\"" + fix);
  CHECK(cidr_error(R"([5])") == t.path("c.json") + ": /management_cidrs/0: " + expected_middle + "an integer 5" + fix);
  CHECK_FALSE(cidr_error(R"(["fe80::1%eth0"])").empty());
  CHECK_FALSE(cidr_error(R"(["2001:db8::/129"])").empty());
  CHECK_FALSE(cidr_error(R"(["mail.example.com"])").empty());
  CHECK(cidr_error(R"("10.0.0.0/8")").find(": /management_cidrs: expected an array") != std::string::npos);
  CHECK(cidr_error(R"(["10.0.0.0/8", "192.0.2.1", "::1", "2001:db8::/32", "::ffff:192.0.2.1/128"])").empty());
}

TEST_CASE("a key given twice in one object is refused with its pointer", "[profile][errors]") {
  temp_profiles t;
  t.write("dup.json", R"({"steps": {"accounts": {"params": {}}, "acl": {}, "accounts": {"enabled": false}}})");
  CHECK(t.load_error("dup.json") == t.path("dup.json") +
                                        ": /steps/accounts: expected each key once per object, found \"accounts\" a "
                                        "second time. Fix: merge the two entries into one (JSON keeps only the last)");
  t.write("deep.json", R"({"steps": {"x": {"params": {"list": [1, {"a": 1}, [2], {"b": 1, "b": 2}]}}}})");
  CHECK(t.load_error("deep.json").find(": /steps/x/params/list/3/b: expected each key once per object") !=
        std::string::npos);
  t.write("same-name-elsewhere.json", R"({"steps": {"x": {"params": {"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}}}})");
  CHECK(t.load_error("same-name-elsewhere.json").empty());
}
