#include <smharden/plugin_abi.h>

#include <catch2/catch.hpp>
#include <cstddef>

extern "C" uint32_t smharden_test_c_table_size(void);

// Append-only: these offsets are the ABI. A change here breaks every
// plugin built before it.
TEST_CASE("ABI v1 layout is pinned", "[abi]") {
  CHECK(offsetof(smh_plugin_v1, struct_size) == 0);
  CHECK(offsetof(smh_plugin_v1, abi_major) == 4);
  CHECK(offsetof(smh_plugin_v1, abi_minor) == 8);
  CHECK(offsetof(smh_plugin_v1, manifest_json) == 16);
  CHECK(offsetof(smh_plugin_v1, create) == 24);
  CHECK(offsetof(smh_plugin_v1, check) == 32);
  CHECK(offsetof(smh_plugin_v1, apply) == 40);
  CHECK(offsetof(smh_plugin_v1, last_error) == 48);
  CHECK(offsetof(smh_plugin_v1, destroy) == 56);
  CHECK(sizeof(smh_plugin_v1) == 64);

  CHECK(offsetof(smh_call_context_v1, host) == 16);
  CHECK(offsetof(smh_call_context_v1, step_id) == 24);
  CHECK(offsetof(smh_call_context_v1, mode) == 32);
  CHECK(offsetof(smh_call_context_v1, params_json) == 40);
  CHECK(offsetof(smh_call_context_v1, management_cidrs_json) == 48);
  CHECK(offsetof(smh_call_context_v1, call_service) == 56);
  CHECK(offsetof(smh_call_context_v1, request_restart) == 120);
  CHECK(sizeof(smh_call_context_v1) == 128);
}

TEST_CASE("C and C++ compilers agree on the plugin table size", "[abi]") {
  CHECK(smharden_test_c_table_size() == sizeof(smh_plugin_v1));
}

TEST_CASE("SMH_HAS_MEMBER guards members a smaller struct does not have", "[abi]") {
  smh_call_context_v1 ctx{};
  ctx.struct_size = static_cast<uint32_t>(offsetof(smh_call_context_v1, progress));
  CHECK(SMH_HAS_MEMBER(smh_call_context_v1, &ctx, put_secret));
  CHECK_FALSE(SMH_HAS_MEMBER(smh_call_context_v1, &ctx, progress));
  CHECK_FALSE(SMH_HAS_MEMBER(smh_call_context_v1, &ctx, request_restart));
  const smh_call_context_v1* none = nullptr;
  CHECK_FALSE(SMH_HAS_MEMBER(smh_call_context_v1, none, host));
}
