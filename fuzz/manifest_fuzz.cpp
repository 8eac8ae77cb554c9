// The plugin manifest validator: parse_manifest() of the input (NUL-terminated
// as a plugin exports it); an accepted manifest must round-trip through
// to_json() and its params schema must be usable by the params validator.
#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

#include "base/errors.hpp"
#include "fuzz_support.hpp"
#include "profile/profile.hpp"
#include "registry/plugin_manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fz = smharden::fuzz;
  namespace core = smharden::core;
  const std::string text(reinterpret_cast<const char*>(data), size);
  core::plugin_manifest m;
  try {
    m = core::parse_manifest(text.c_str());
  } catch (const std::invalid_argument&) {
    return 0;
  }
  const auto again = core::parse_manifest(m.to_json().dump().c_str());
  if (again.to_json() != m.to_json()) fz::property_failed("an accepted manifest changes through to_json()");
  (void)m.node();
  (void)core::severity_rank(m.severity);

  // The host checks a profile's params against the manifest's schema.
  core::profile p;
  core::step_config step;
  step.id = m.id;
  step.file = "fuzz.json";
  step.pointer = "/steps/" + m.id;
  step.params = core::ordered_json::object();
  p.steps.push_back(step);
  try {
    core::validate_params(p, {{m.id, m.params_schema}});
    (void)core::apply_schema_defaults(nlohmann::json::object(), m.params_schema);
  } catch (const core::error&) {
  }
  return 0;
}
