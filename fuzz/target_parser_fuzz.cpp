// The target parser: parse_target() of a target file (the whole input), and of
// a lab folder holding it as target.json.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/errors.hpp"
#include "fuzz_support.hpp"
#include "services/target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fz = smharden::fuzz;
  const auto& dir = fz::scratch_dir();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto file = dir / "target.json";
  fz::write_file(file, text);
  for (const std::string& spec : {file.string(), "lab:" + dir.string()}) {
    try {
      const smharden::services::target t = smharden::services::parse_target(spec);
      (void)t.describe();
      for (const char* service : {"windows", "iis", "smartermail", "net"}) (void)t.service_config(service).dump();
    } catch (const smharden::core::error&) {
    }
  }
  return 0;
}
