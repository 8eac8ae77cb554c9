// Bytes as lowercase hexadecimal (digests, certificate pins, protected secrets).
#pragma once

#include <string>
#include <string_view>

namespace smharden::util {

std::string hex_encode(std::string_view bytes);

}  // namespace smharden::util
