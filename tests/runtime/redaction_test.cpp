// What is a secret: values from the secret store (but not user names), values a
// service learns (tokens), and values under keys that name a secret.
#include <catch2/catch.hpp>

#include "runtime/redactor.hpp"
#include "runtime/secret_masking.hpp"
#include "runtime/secret_store.hpp"

using smharden::core::redactor;
using smharden::core::secret_store;

TEST_CASE("redaction: a user name is looked up like a secret but not redacted") {
  redactor r;
  secret_store store(r);
  store.add_value("smartermail_username", "admin");
  store.add_value("smartermail_password", "Hunter2-pw");
  CHECK(store.get("smartermail_username") == "admin");
  CHECK(r.apply("GET /api/v1/settings/sysadmin/admin as admin") == "GET /api/v1/settings/sysadmin/admin as admin");
  CHECK(r.apply("password Hunter2-pw") == "password ***");
  CHECK(secret_store::is_identity_name("smartermail_username"));
  CHECK(secret_store::is_identity_name("SMARTERMAIL_USERNAME"));
  CHECK(secret_store::is_identity_name("iis_pool_user"));
  CHECK_FALSE(secret_store::is_identity_name("smartermail_password"));
  CHECK_FALSE(secret_store::is_identity_name("user_password"));
}

TEST_CASE("redaction: values a service learns are redacted from then on") {
  redactor r;
  secret_store store(r);
  CHECK(r.apply("Bearer eyJhbGciOi.token") == "Bearer eyJhbGciOi.token");
  store.note_sensitive("eyJhbGciOi.token");
  CHECK(r.apply("Bearer eyJhbGciOi.token") == "Bearer ***");
}

TEST_CASE("redaction: keys that hold a secret are masked whatever their spelling") {
  using smharden::journal::is_secret_value_key;
  for (const char* key : {"password", "accessToken", "access_token", "refreshToken", "Set-Cookie", "cookie",
                          "Authorization", "totp_code", "twoFactorCode", "TOTP_SEED"}) {
    INFO(key);
    CHECK(is_secret_value_key(key));
  }
  for (const char* key : {"password_secret", "username", "token_secret", "description"}) {
    INFO(key);
    CHECK_FALSE(is_secret_value_key(key));
  }
  redactor r;
  const nlohmann::json masked =
      smharden::journal::mask_secrets({{"accessToken", "abc"}, {"user", {{"refresh_token", "x"}}}, {"n", 1}}, r);
  CHECK(masked == nlohmann::json({{"accessToken", "***"}, {"user", {{"refresh_token", "***"}}}, {"n", 1}}));
}

#include <algorithm>
#include <fstream>
#include <sstream>

#include "runtime/audit_log.hpp"
#include "temp_dir.hpp"

TEST_CASE("audit log: secrets redacted, control characters escaped, one entry per line") {
  smharden::test::temp_dir dir{"smharden-audit"};
  redactor r;
  r.add("Hunter2-pw");
  {
    smharden::core::audit_log log(r, dir.path() / "audit.log", SMH_LOG_ERROR);
    log.write(SMH_LOG_INFO, "sign-in with Hunter2-pw\nsmharden: error: forged entry \x1b[2J");
  }
  std::ifstream in(dir.path() / "audit.log", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  CHECK_THAT(text, Catch::Contains("sign-in with ***\\x0asmharden: error: forged entry \\x1b[2J"));
  CHECK(std::count(text.begin(), text.end(), '\n') == 1);
  CHECK(text.find('\x1b') == std::string::npos);
}
