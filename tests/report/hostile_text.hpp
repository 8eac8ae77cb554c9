// Text a hostile target could put in a report: markup that would run script or
// break out of an attribute, control characters, invalid UTF-8.
#pragma once

#include <string>

namespace smharden::test {

inline const std::string hostile_markup =
    std::string("<script>alert(1)</script>\"><img src=x onerror=alert(2)>'&amp;") + std::string("\x00\x1b[2J\x7f", 6) +
    "\xc2\x85" + "\xff" + "\t end";

}  // namespace smharden::test
