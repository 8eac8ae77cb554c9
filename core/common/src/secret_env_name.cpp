#include <smharden/common/secret_env_name.hpp>

namespace smharden::common {

std::string secret_env_name(std::string_view secret_name) {
  std::string out(secret_env_prefix);
  for (const char c : secret_name) {
    if (c >= 'a' && c <= 'z') {
      out.push_back(static_cast<char>(c - 'a' + 'A'));
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    } else {
      out.push_back('_');
    }
  }
  return out;
}

}  // namespace smharden::common
