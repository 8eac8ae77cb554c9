// The POSIX path_inspector: lstat() owner and mode, judged by posix_write_problem.
#ifndef _WIN32

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "registry/path_trust.hpp"

namespace smharden::core {
namespace {

class posix_path_inspector final : public path_inspector {
 public:
  std::optional<trust_problem> inspect(const std::filesystem::path& p, path_role role) const override {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) {
      const int err = errno;
      return trust_problem{p, fmt::format("cannot be inspected ({})", std::strerror(err)),
                           "check that it exists and that smharden may read it"};
    }
    const posix_facts facts{static_cast<std::uint32_t>(st.st_mode & 07777), static_cast<std::uint32_t>(st.st_uid),
                            static_cast<std::uint32_t>(st.st_gid), S_ISDIR(st.st_mode)};
    return posix_write_problem(p, facts, static_cast<std::uint32_t>(::geteuid()), role);
  }
};

}  // namespace

std::shared_ptr<const path_inspector> os_path_inspector() { return std::make_shared<posix_path_inspector>(); }

}  // namespace smharden::core

#endif
