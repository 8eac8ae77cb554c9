// The atomic file writer: a write creates or replaces the whole file, leaves
// no temporary file behind, and on failure leaves the target as it was.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <system_error>

#include "base/atomic_file.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using smharden::test::temp_dir;
using smharden::util::read_file;
using smharden::util::write_file_atomic;

namespace {

std::size_t entries_in(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST_CASE("atomic_file: a write creates the file with exactly the bytes given", "[base][atomic_file]") {
  const temp_dir dir("smharden-base");
  const auto file = dir.path() / "settings.json";
  const std::string bytes("{\"a\": 1}\r\n\0tail", 15);
  write_file_atomic(file, bytes);
  CHECK(read_file(file) == bytes);
  CHECK(fs::file_size(file) == bytes.size());
  CHECK(entries_in(dir.path()) == 1);  // no temporary file left beside it

  write_file_atomic(dir.path() / "empty", "");
  CHECK(fs::exists(dir.path() / "empty"));
  CHECK(read_file(dir.path() / "empty").empty());
}

TEST_CASE("atomic_file: a write replaces the whole file, longer or shorter", "[base][atomic_file]") {
  const temp_dir dir("smharden-base");
  const auto file = dir.path() / "applicationHost.config";
  write_file_atomic(file, std::string(200000, 'x'));
  CHECK(read_file(file).size() == 200000);  // more than one read chunk
  write_file_atomic(file, "short");
  CHECK(read_file(file) == "short");
  write_file_atomic(file, "a little longer");
  CHECK(read_file(file) == "a little longer");
  CHECK(entries_in(dir.path()) == 1);
}

TEST_CASE("atomic_file: a failed write throws, names the file, and leaves the target unchanged",
          "[base][atomic_file]") {
  const temp_dir dir("smharden-base");

  SECTION("the folder does not exist") {
    const auto file = dir.path() / "missing" / "f.json";
    try {
      write_file_atomic(file, "x");
      FAIL("expected std::system_error");
    } catch (const std::system_error& e) {
      CHECK_THAT(e.what(), Catch::Contains("cannot create") && Catch::Contains((dir.path() / "missing").string()));
    }
    CHECK_FALSE(fs::exists(dir.path() / "missing"));
  }
  SECTION("the target is a folder: the rename fails and the temporary file is removed") {
    const auto target = dir.path() / "config";
    fs::create_directory(target);
    dir.write("config/inside.txt", "kept");
    try {
      write_file_atomic(target, "new bytes");
      FAIL("expected std::system_error");
    } catch (const std::system_error& e) {
      CHECK_THAT(e.what(), Catch::Contains("cannot replace") && Catch::Contains(target.string()));
    }
    CHECK(fs::is_directory(target));
    CHECK(read_file(target / "inside.txt") == "kept");
    CHECK(entries_in(dir.path()) == 1);  // the temporary file did not stay behind
  }
}

TEST_CASE("atomic_file: read_file of a missing file throws naming the path", "[base][atomic_file]") {
  const temp_dir dir("smharden-base");
  const auto file = dir.path() / "nope.txt";
  try {
    (void)read_file(file);
    FAIL("expected std::system_error");
  } catch (const std::system_error& e) {
    CHECK_THAT(e.what(), Catch::Contains("cannot read") && Catch::Contains(file.string()));
  }
}
