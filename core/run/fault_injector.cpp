#include "run/fault_injector.hpp"

#include <atomic>

namespace smharden::journal {
namespace {

std::atomic<const fault_injector*> installed{nullptr};

}  // namespace

void install_fault_injector(const fault_injector* injector) noexcept { installed.store(injector); }

const fault_injector* installed_fault_injector() noexcept { return installed.load(); }

}  // namespace smharden::journal
