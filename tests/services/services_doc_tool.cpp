// Writes or checks docs/services.md's generated method catalogue:
//   smharden-services-doc --write docs/services.md
//   smharden-services-doc --check docs/services.md   (exit 1 when the file is out of date)
// scripts/update-services-doc builds and runs it.
#include <exception>
#include <iostream>
#include <string>

#include "base/atomic_file.hpp"
#include "services_doc.hpp"

int main(int argc, char** argv) {
  const std::string mode = argc == 3 ? argv[1] : "";
  if (mode != "--write" && mode != "--check") {
    std::cerr << "usage: smharden-services-doc --write|--check PATH/docs/services.md\n";
    return 2;
  }
  try {
    const std::string path = argv[2];
    const std::string doc = smharden::util::read_file(path);
    const std::string generated = smharden::test::regenerate(doc, smharden::test::lab_catalog());
    if (mode == "--write") {
      if (generated != doc) smharden::util::write_file_atomic(path, generated);
      return 0;
    }
    if (generated != doc) {
      std::cerr << path << " is out of date with the service method tables; run scripts/update-services-doc\n";
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "smharden-services-doc: " << e.what() << "\n";
    return 1;
  }
}
