#include "runtime/redactor.hpp"

namespace smharden::core {

void redactor::add(std::string_view secret) {
  if (secret.size() < 4) return;
  std::lock_guard lock(mutex_);
  secrets_.emplace(secret);
}

std::string redactor::apply(std::string_view text) const {
  std::string out(text);
  std::lock_guard lock(mutex_);
  for (const auto& s : secrets_) {
    for (std::size_t pos = out.find(s); pos != std::string::npos; pos = out.find(s, pos + 3)) {
      out.replace(pos, s.size(), "***");
    }
  }
  return out;
}

}  // namespace smharden::core
