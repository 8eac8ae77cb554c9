// A SmarterMail server that echoes the bearer token and the password in its
// error messages: `smartermail probe`'s report shows neither, and the user name
// (not a secret) still prints in full.
#include <catch2/catch.hpp>
#include <regex>

#include "emulator.hpp"
#include "run/target_session.hpp"
#include "runtime/redactor.hpp"
#include "runtime/secret_store.hpp"
#include "services/smartermail/smartermail_service.hpp"

using smharden::testing::fault;
using smharden::testing::sm_emulator;

TEST_CASE("redaction: the route probe's report hides tokens and passwords the server echoes") {
  sm_emulator emu;
  emu.add_account("admin", "Echoed-Pa55word");
  emu.inject("*", fault::echo_secrets, 100);

  smharden::core::redactor redact;
  smharden::core::secret_store secrets(redact);
  secrets.add_value("smartermail_username", "admin");
  secrets.add_value("smartermail_password", "Echoed-Pa55word");
  smharden::services::service_env env;
  smharden::core::lend_secrets(env, secrets, redact);

  smharden::services::target t;
  t.kind = smharden::services::target_kind::lab;
  t.root = "/labs/echo";
  t.config = {{"smartermail", {{"url", emu.base_url()}}}};
  const nlohmann::json report = smharden::services::probe_routes(t, env);
  const std::string text = report.dump();

  CHECK(report["summary"]["answered"] == 0);  // every read answered 400
  CHECK_THAT(text, Catch::Contains("Bad request (token ***, password ***)"));
  CHECK_THAT(text, !Catch::Contains("Echoed-Pa55word"));
  CHECK_FALSE(std::regex_search(text, std::regex("at-[0-9]+|rt-[0-9]+")));  // the emulator's token shapes
  CHECK_THAT(text, Catch::Contains("/sysadmin/"));
  CHECK_THAT(text, !Catch::Contains("sys***"));
  // The same values are gone from anything else the run prints.
  CHECK(redact.apply("Authorization: Bearer at-1") == "Authorization: Bearer ***");
}
