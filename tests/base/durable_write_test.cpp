// The durable write steps: every byte written then fsync'ed, errors returned
// as errno values (never thrown), and a best-effort folder fsync.
#include <fcntl.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cerrno>
#include <string>

#include "base/atomic_file.hpp"
#include "base/durable_write.hpp"
#include "temp_dir.hpp"

using smharden::test::temp_dir;
using smharden::util::sync_folder;
using smharden::util::write_all_and_sync;

TEST_CASE("durable_write: all bytes reach the file and the call returns 0", "[base][durable_write]") {
  const temp_dir dir("smharden-base");
  const auto file = dir.path() / "journal.jsonl";
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(fd >= 0);
  std::string bytes(3 * 1024 * 1024 + 7, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>('a' + i % 26);
  CHECK(write_all_and_sync(fd, bytes) == 0);
  CHECK(write_all_and_sync(fd, "\n") == 0);  // appends
  ::close(fd);
  CHECK(smharden::util::read_file(file) == bytes + "\n");
}

TEST_CASE("durable_write: a write or fsync that fails returns its errno", "[base][durable_write]") {
  const temp_dir dir("smharden-base");
  const auto file = dir.path() / "read-only";
  dir.write("read-only", "before");

  SECTION("a descriptor open for reading only") {
    const int fd = ::open(file.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    CHECK(write_all_and_sync(fd, "x") == EBADF);
    ::close(fd);
    CHECK(smharden::util::read_file(file) == "before");
  }
  SECTION("a closed descriptor") {
    const int fd = ::open(file.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    ::close(fd);
    CHECK(write_all_and_sync(fd, "x") == EBADF);
  }
  SECTION("a pipe takes the bytes but cannot be fsync'ed") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    CHECK(write_all_and_sync(fds[1], "hello") == EINVAL);
    char buf[8] = {};
    CHECK(::read(fds[0], buf, sizeof buf) == 5);
    CHECK(std::string(buf, 5) == "hello");
    ::close(fds[0]);
    ::close(fds[1]);
  }
}

TEST_CASE("durable_write: sync_folder is best effort and never throws", "[base][durable_write]") {
  const temp_dir dir("smharden-base");
  dir.write("entry", "x");
  CHECK_NOTHROW(sync_folder(dir.path()));
  CHECK_NOTHROW(sync_folder(dir.path() / "no-such-folder"));
  CHECK_NOTHROW(sync_folder(dir.path() / "entry"));  // not a folder
  CHECK_NOTHROW(sync_folder({}));                    // the current folder
  CHECK(smharden::util::read_file(dir.path() / "entry") == "x");
}
