// SmarterMail API response parsing: the rest backend's sign-in and every
// settings read, over a transport whose answers are the fuzz input. Answers are
// separated by "\n----\n" lines; an answer may start with "HTTP <status>\n"
// (200 otherwise). The first answer is the sign-in's. Every problem with an
// answer must come out as a service_error (or a smharden error); anything
// else escapes and libFuzzer reports it.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/errors.hpp"
#include "fuzz_support.hpp"
#include "services/smartermail/http_transport.hpp"
#include "services/smartermail/rest_api.hpp"
#include "services/smartermail/settings_client.hpp"

namespace sm = smharden::services::smartermail;

namespace {

class scripted_transport final : public sm::http_transport {
 public:
  explicit scripted_transport(std::vector<std::string_view> answers) : answers_(std::move(answers)) {}

  sm::http_response send(const sm::http_request& /*request*/) override {
    if (next_ >= answers_.size()) throw sm::transport_error(sm::transport_failure::dropped, "no more answers");
    std::string_view text = answers_[next_++];
    sm::http_response r;
    r.status = 200;
    if (text.size() >= 9 && text.substr(0, 5) == "HTTP " && text[8] == '\n') {
      r.status = (text[5] - '0') * 100 + (text[6] - '0') * 10 + (text[7] - '0');
      text.remove_prefix(9);
    }
    r.body = std::string(text);
    return r;
  }

 private:
  std::vector<std::string_view> answers_;
  size_t next_ = 0;
};

template <typename F>
void expect_service_errors(F&& read) {
  try {
    (void)read();
  } catch (const smharden::services::service_error&) {
  } catch (const smharden::core::error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto answers = smharden::fuzz::split_documents(data, size, "----");
  if (answers.size() > 16) return -1;
  static const sm::route_map map = sm::route_map::embedded();
  sm::rest_options options;
  options.base_url = "https://mail.example.test";
  options.read_attempts = 2;
  options.backoff = std::chrono::milliseconds(0);
  options.sleep = [](std::chrono::milliseconds) {};
  options.clock = [] { return std::chrono::system_clock::time_point(std::chrono::hours(24 * 365 * 56)); };
  auto secrets = [](const std::string& name) -> std::optional<std::string> {
    if (name == "smartermail_username") return "admin";
    if (name == "smartermail_password") return "fuzz-password";
    if (name == "smartermail_totp_seed") return "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    return std::nullopt;
  };
  sm::rest_api api(map, options, std::make_unique<scripted_transport>(answers), secrets, nullptr);
  sm::settings_client client(api, map);
  expect_service_errors([&] { return client.version(); });
  expect_service_errors([&] { return client.admins(); });
  expect_service_errors([&] { return client.ids_rules(); });
  expect_service_errors([&] { return client.extensions(); });
  expect_service_errors([&] { return client.relay(); });
  expect_service_errors([&] { return client.whitelist(); });
  api.end_run();
  return 0;
}
