// "code: message" of the service_error a call throws, or "no error": one string
// that the Wine tests can match both parts of.
#pragma once

#include <string>

#include "services/service_registry.hpp"

namespace smharden::test {

template <typename F>
std::string service_error_text(F&& f) {
  try {
    f();
  } catch (const services::service_error& e) {
    return e.code() + ": " + e.what();
  }
  return "no error";
}

}  // namespace smharden::test
