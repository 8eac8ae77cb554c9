// Modules the registry must refuse, one per REFUSAL_KIND. Each is built
// from this file with a different definition, without the C++ wrapper, so
// that the table can be wrong on purpose.
#include <smharden/plugin_abi.h>

#include <cstddef>

namespace {

[[maybe_unused]] smh_status create(smh_plugin_instance** out) {
  *out = nullptr;
  return SMH_OK;
}
[[maybe_unused]] smh_status run(smh_plugin_instance*, const smh_call_context_v1*) { return SMH_OK; }
[[maybe_unused]] const char* last_error(smh_plugin_instance*) { return ""; }
[[maybe_unused]] void destroy(smh_plugin_instance*) {}

#if defined(REFUSAL_BAD_MANIFEST)
[[maybe_unused]] const char* const manifest = R"({"id": "bad-manifest", "version": "one", "title": "x"})";
#elif defined(REFUSAL_DUPLICATE)
[[maybe_unused]] const char* const manifest = R"({"id": "tp-alpha", "version": "1.0.0", "title": "A second tp-alpha"})";
#else
[[maybe_unused]] const char* const manifest = R"({"id": "refused-module", "version": "1.0.0", "title": "x"})";
#endif

[[maybe_unused]] smh_plugin_v1 make_table() {
  smh_plugin_v1 t{sizeof(smh_plugin_v1), SMH_ABI_MAJOR, SMH_ABI_MINOR, 0, manifest, &create, &run, &run,
                  &last_error,           &destroy};
#if defined(REFUSAL_MAJOR_FIELD)
  t.abi_major = SMH_ABI_MAJOR + 1;
#elif defined(REFUSAL_NEWER_MINOR)
  t.abi_minor = SMH_ABI_MINOR + 1;
#elif defined(REFUSAL_SHORT_TABLE)
  t.struct_size = offsetof(smh_plugin_v1, last_error);
#elif defined(REFUSAL_RESERVED_NONZERO)
  t.reserved0 = 7;
#endif
  return t;
}

}  // namespace

#if defined(REFUSAL_NO_ENTRY)
extern "C" SMH_EXPORT int smharden_something_else(void) { return 1; }
#elif defined(REFUSAL_MAJOR_SYMBOL)
extern "C" SMH_EXPORT const smh_plugin_v1* smharden_plugin_v2(void) {
  static const smh_plugin_v1 t = make_table();
  return &t;
}
#else
extern "C" SMH_EXPORT const smh_plugin_v1* smharden_plugin_v1(void) {
  static const smh_plugin_v1 t = make_table();
  return &t;
}
#endif
