// Finding SmarterMail's service and install folder from the services'
// executables (ImagePath), and windows.smartermail.locate on the lab.
#include <catch2/catch.hpp>
#include <map>

#include "lab_fixture.hpp"
#include "services/windows/smartermail_location.hpp"

using namespace smharden::services::windows;
using json = nlohmann::json;
using LabState = smharden::services::windows::lab_backend;

TEST_CASE("the executable of an ImagePath: quoted, unquoted with spaces, with arguments", "[windows][locate]") {
  CHECK(image_executable("\"C:\\Program Files (x86)\\SmarterTools\\SmarterMail\\Service\\MailService.exe\"") ==
        "C:\\Program Files (x86)\\SmarterTools\\SmarterMail\\Service\\MailService.exe");
  CHECK(image_executable("\"C:\\a b\\x.exe\" -k run") == "C:\\a b\\x.exe");
  CHECK(image_executable("C:\\Program Files\\SM\\Service\\MailService.exe -service") ==
        "C:\\Program Files\\SM\\Service\\MailService.exe");
  CHECK(image_executable("C:\\Windows\\system32\\svchost.exe -k iissvcs") == "C:\\Windows\\system32\\svchost.exe");
}

TEST_CASE("the install folder is the parent of Service\\MailService.exe, any case or slash", "[windows][locate]") {
  CHECK(smartermail_install_dir("\"D:\\SM\\Service\\MailService.exe\"") == "D:\\SM");
  CHECK(smartermail_install_dir("d:/sm/service/mailservice.exe") == "d:\\sm");
  CHECK_FALSE(smartermail_install_dir("D:\\SM\\MailService.exe"));
  CHECK_FALSE(smartermail_install_dir("C:\\Windows\\system32\\svchost.exe -k iissvcs"));
  CHECK_FALSE(smartermail_install_dir("\\Service\\MailService.exe"));
}

TEST_CASE("every service running MailService.exe is a candidate", "[windows][locate]") {
  std::vector<service_info> services(3);
  services[0].name = "W3SVC";
  services[0].binary_path = "C:\\Windows\\system32\\svchost.exe -k iissvcs";
  services[1].name = "SmarterMail";
  services[1].binary_path = "\"E:\\Mail\\SmarterMail\\Service\\MailService.exe\"";
  services[2].name = "SmarterMail2";
  services[2].binary_path = "F:\\SM2\\Service\\MailService.exe";
  const auto found = find_smartermail_services(services);
  REQUIRE(found.size() == 2);
  CHECK(found[0].service_name == "SmarterMail");
  CHECK(found[0].install_dir == "E:\\Mail\\SmarterMail");
  CHECK(found[1].install_dir == "F:\\SM2");
}

namespace {

// A lab whose SmarterMail service is replaced by `services` (name -> ImagePath).
json locate_with(const std::map<std::string, std::string>& services) {
  json state = LabState::fresh_state();
  const json svc = state["services"]["SmarterMail"];
  state["services"].erase("SmarterMail");
  for (const auto& [name, path] : services) {
    state["services"][name] = svc;
    state["services"][name]["binary_path"] = path;
  }
  smharden::test::windows_lab lab(smharden::services::target_kind::lab, false);
  std::filesystem::create_directories(lab.state_file().parent_path());
  smharden::util::write_file_atomic(lab.state_file(), LabState::serialize(state));
  return lab.call("windows.smartermail.locate");
}

}  // namespace

TEST_CASE("windows.smartermail.locate on the lab: the recorded service and folder, renamed, none, two",
          "[windows][locate]") {
  smharden::test::windows_lab lab;
  const json r = lab.call("windows.smartermail.locate");
  CHECK(r["found"] == true);
  CHECK(r["service_name"] == "SmarterMail");
  CHECK(r["install_dir"] == "C:\\Program Files (x86)\\SmarterTools\\SmarterMail");

  const json renamed = locate_with({{"SM100", "\"D:\\SmarterMail 100\\Service\\MailService.exe\""}});
  CHECK(renamed["found"] == true);
  CHECK(renamed["service_name"] == "SM100");
  CHECK(renamed["install_dir"] == "D:\\SmarterMail 100");

  const json none = locate_with({});
  CHECK(none["found"] == false);
  CHECK(none["candidates"].empty());

  const json two =
      locate_with({{"SM1", "D:\\A\\Service\\MailService.exe"}, {"SM2", "D:\\B\\Service\\MailService.exe"}});
  CHECK(two["found"] == false);  // ambiguous: the steps ask the operator to name it
  CHECK(two["candidates"].size() == 2);
}
