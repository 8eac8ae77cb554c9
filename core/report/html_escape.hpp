// Text smharden did not write itself, made safe for HTML: control characters and
// invalid UTF-8 become visible escapes (base/text_escape), then the markup
// characters become entities, so it is safe in element content and in quoted
// attribute values alike.
#pragma once

#include <string>
#include <string_view>

namespace smharden::core {

std::string html_escape(std::string_view raw);

}  // namespace smharden::core
