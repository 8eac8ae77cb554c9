// The one rule for the environment variable that supplies a secret.
#include <catch2/catch.hpp>

#include <smharden/common/secret_env_name.hpp>

using smharden::common::secret_env_name;

TEST_CASE("secret names become SMHARDEN_SECRET_ plus the upper-cased name", "[secrets]") {
  // The names the docs and the baseline profile use.
  CHECK(secret_env_name("smartermail_password") == "SMHARDEN_SECRET_SMARTERMAIL_PASSWORD");
  CHECK(secret_env_name("service_password") == "SMHARDEN_SECRET_SERVICE_PASSWORD");
  CHECK(secret_env_name("churn_password") == "SMHARDEN_SECRET_CHURN_PASSWORD");
  CHECK(secret_env_name("smartermail_totp_seed") == "SMHARDEN_SECRET_SMARTERMAIL_TOTP_SEED");
  CHECK(secret_env_name("Svc2") == "SMHARDEN_SECRET_SVC2");
}

TEST_CASE("every character other than an ASCII letter or digit becomes an underscore", "[secrets]") {
  CHECK(secret_env_name("iis-pool.password") == "SMHARDEN_SECRET_IIS_POOL_PASSWORD");
  // Characters no shell accepts in a variable name: the host reads the same name the message gives.
  CHECK(secret_env_name("db:admin/pw") == "SMHARDEN_SECRET_DB_ADMIN_PW");
  CHECK(secret_env_name("pass word") == "SMHARDEN_SECRET_PASS_WORD");
  CHECK(secret_env_name("p\xc3\xa4ss") == "SMHARDEN_SECRET_P__SS");  // UTF-8 letters are two bytes, two '_'
  CHECK(secret_env_name("") == "SMHARDEN_SECRET_");
}
