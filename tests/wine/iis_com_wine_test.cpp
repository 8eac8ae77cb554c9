// The IIS configuration COM API path (app pool passwords) against the real
// COM runtime, under Wine: Wine has no IIS, so the WritableAdminManager is not
// registered. What runs for real is COM start-up, the ProgID lookup and the
// error a server without IIS gives; the writes themselves need a Windows
// server with IIS and are tested on Linux against a stand-in (tests/services/iis).
#include <windows.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>
#include <string>

#include "base/atomic_file.hpp"
#include "service_error_text.hpp"
#include "services/iis/app_pool_identity_writer.hpp"
#include "services/iis/iis_service.hpp"
#include "services/service_registry.hpp"

using namespace smharden::services;
using smharden::test::service_error_text;

TEST_CASE("IIS COM API: without IIS the app pool password is refused as unavailable, naming IIS") {
  auto writer = iis::make_ahadmin_identity_writer();
  REQUIRE(writer != nullptr);
  const std::string error =
      service_error_text([&] { writer->set_specific_user("SmarterMail", ".\\smartermail-svc", "Pw-1"); });
  INFO(error);
  CHECK(error.rfind("unavailable: ", 0) == 0);
  CHECK(error.find("WritableAdminManager") != std::string::npos);
  CHECK(error.find("Pw-1") == std::string::npos);
}

TEST_CASE("IIS COM API: a local target's set_identity goes to IIS and leaves the file as it was") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("smharden-iis-com-" + std::to_string(GetCurrentProcessId()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "applicationHost.config";
  const std::string original(iis::lab_template());
  smharden::util::write_file_atomic(file, original);
  service_env env;
  int journaled = 0;
  env.before_file_write = [&](const std::filesystem::path&) { ++journaled; };
  env.secret = [](const std::string&) -> std::optional<std::string> { return std::string("Pw-2"); };
  env.log = [](const std::string&) {};
  target t;
  t.kind = target_kind::local;
  t.config = {{"iis", {{"config", file.string()}}}};
  iis::iis_service svc(t, env);
  registry reg;
  svc.register_methods(reg);
  const std::string error = service_error_text([&] {
    reg.find("iis.app_pool.set_identity")
        ->invoke({{"name", "SmarterMail"},
                  {"identity_type", "SpecificUser"},
                  {"user_name", ".\\smartermail-svc"},
                  {"password_secret", "service_password"}});
  });
  INFO(error);
  CHECK(error.rfind("unavailable: ", 0) == 0);
  CHECK(error.find("Pw-2") == std::string::npos);
  CHECK(journaled == 2);  // the config and its history copy, before IIS was asked
  CHECK(smharden::util::read_file(file) == original);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}
