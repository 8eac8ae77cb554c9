// The host reads a secret from the environment variable that every message
// names (common::secret_env_name), whatever characters the secret's name has.
#include <catch2/catch.hpp>

#include <cstdlib>  // setenv, unsetenv (POSIX; the host tests run on Linux)

#include <smharden/common/secret_env_name.hpp>

#include "runtime/redactor.hpp"
#include "runtime/secret_store.hpp"

TEST_CASE("the host reads a secret from the variable that messages name", "[secrets]") {
  for (const std::string name : {"service_password", "iis-pool.password", "db:admin/pw"}) {
    INFO(name);
    const std::string variable = smharden::common::secret_env_name(name);
    CHECK(smharden::core::secret_store::env_name(name) == variable);
    REQUIRE(setenv(variable.c_str(), "Value-from-env-1", 1) == 0);
    smharden::core::redactor redactor;
    const smharden::core::secret_store store(redactor);
    CHECK(store.get(name) == std::optional<std::string>("Value-from-env-1"));
    CHECK(redactor.apply("x Value-from-env-1 y") == "x *** y");
    unsetenv(variable.c_str());
    CHECK_FALSE(store.get(name));
  }
}
