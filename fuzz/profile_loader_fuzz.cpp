// The profile loader: load_profile() on a chain of up to four files in a
// scratch folder. The input is p0.json; "\n----\n" lines start p1.json, p2.json,
// p3.json, which the others can name in "extends". Every problem must come out
// as a smharden error (profile_error and friends); anything else escapes and
// libFuzzer reports it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/errors.hpp"
#include "fuzz_support.hpp"
#include "profile/profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fz = smharden::fuzz;
  const auto parts = fz::split_documents(data, size, "----");
  if (parts.size() > 4) return -1;
  const auto& dir = fz::scratch_dir();
  for (size_t i = 0; i < 4; ++i) {
    const auto file = dir / ("p" + std::to_string(i) + ".json");
    if (i < parts.size()) {
      fz::write_file(file, parts[i]);
    } else {
      std::filesystem::remove(file);
    }
  }
  try {
    const smharden::core::profile p = smharden::core::load_profile(dir / "p0.json");
    // What later stages read of a loaded profile.
    for (const auto& s : p.steps) (void)s.params.dump();
    for (const auto& w : p.waivers) (void)w.active_on("2026-01-01");
    (void)p.vars.dump();
    (void)p.health.dump();
  } catch (const smharden::core::error&) {
  }
  return 0;
}
