// The acl and service steps find SmarterMail where its Windows service says
// it is installed, and the profile can override both.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "base/atomic_file.hpp"
#include "cli_lab.hpp"

using json = nlohmann::json;
using smharden::test::step_of;

namespace {

struct locate_cli {
  smharden::test::cli_lab home{"smharden-locate-cli"};

  std::filesystem::path state_file() const { return home.lab() / "windows" / "state.json"; }

  // The lab's SmarterMail service renamed and installed elsewhere.
  void move_install(const std::string& service, const std::string& dir) const {
    json s = json::parse(smharden::util::read_file(state_file()));
    json svc = s["services"]["SmarterMail"];
    s["services"].erase("SmarterMail");
    svc["binary_path"] = "\"" + dir + "\\Service\\MailService.exe\"";
    s["services"][service] = svc;
    s["folders"][dir] = s["folders"]["C:\\SmarterMail"];
    smharden::util::write_file_atomic(state_file(), s.dump(2));
  }

  json check(const json& acl_params, const json& service_params) const {
    const json baseline =
        json::parse(smharden::util::read_file(smharden::test::source_dir() / "profiles/baseline.json"));
    json steps;
    for (const char* id : {"accounts", "rights", "acl", "service"}) steps[id] = baseline["steps"][id];
    for (const auto& [k, v] : acl_params.items()) steps["acl"]["params"][k] = v;
    for (const auto& [k, v] : service_params.items()) steps["service"]["params"][k] = v;
    const auto profile = home.write_json(
        "p.json",
        {{"name", "locate"}, {"vars", baseline["vars"]}, {"management_cidrs", json::array()}, {"steps", steps}});
    return home.cli()
        .run({"check", "--profile", profile.string(), "--target", home.target(), "--format", "json"})
        .out_json();
  }
};

std::vector<std::string> ids(const json& step) {
  std::vector<std::string> out;
  for (const auto& f : step.value("findings", json::array())) out.push_back(f["id"]);
  return out;
}

}  // namespace

TEST_CASE("cli locate: the baseline finds a renamed service and a moved install folder", "[windows][locate][cli]") {
  locate_cli f;
  f.move_install("SmarterMail100", "D:\\SmarterMail 100");
  const json r = f.check(json::object(), json::object());
  const auto acl = ids(step_of(r, "acl"));
  CHECK(std::find(acl.begin(), acl.end(), "missing-grant:D:\\SmarterMail 100") != acl.end());
  CHECK(std::find(acl.begin(), acl.end(), "install-dir-unknown") == acl.end());
  const json& service = step_of(r, "service");
  CHECK(ids(service) == std::vector<std::string>{"logon-account"});
  CHECK(service["findings"][0]["title"].get<std::string>().find("SmarterMail100 service") != std::string::npos);
}

TEST_CASE("cli locate: nothing detected is a manual finding, the profile's names override", "[windows][locate][cli]") {
  locate_cli f;
  f.move_install("SmarterMail100", "D:\\SmarterMail 100");
  json s = json::parse(smharden::util::read_file(f.state_file()));
  s["services"]["SmarterMail100"]["binary_path"] = "C:\\Other\\Mail.exe";
  smharden::util::write_file_atomic(f.state_file(), s.dump(2));

  const json unknown = f.check(json::object(), json::object());
  const auto acl = ids(step_of(unknown, "acl"));
  CHECK(std::find(acl.begin(), acl.end(), "install-dir-unknown") != acl.end());
  CHECK(ids(step_of(unknown, "service")) == std::vector<std::string>{"service-not-detected"});

  const json named = f.check({{"install_dir", "D:\\SmarterMail 100"}}, {{"service_name", "SmarterMail100"}});
  const auto acl2 = ids(step_of(named, "acl"));
  CHECK(std::find(acl2.begin(), acl2.end(), "missing-grant:D:\\SmarterMail 100") != acl2.end());
  CHECK(ids(step_of(named, "service")) == std::vector<std::string>{"logon-account"});
}
