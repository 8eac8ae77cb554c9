#include "emulator.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <ctime>

#include "services/smartermail/totp.hpp"

namespace smharden::testing {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string iso8601(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

/// "settings/sysadmin/ip-access/{whitelist}" -> regex and the placeholder names.
std::pair<std::string, std::vector<std::string>> to_regex(const std::string& base, const std::string& path) {
  std::string out = base;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < path.size();) {
    if (path[i] == '{') {
      const auto end = path.find('}', i);
      names.push_back(path.substr(i + 1, end - i - 1));
      out += "([^/]+)";
      i = end + 1;
    } else {
      if (std::string("\\^$.|?*+()[]{}").find(path[i]) != std::string::npos) out.push_back('\\');
      out.push_back(path[i++]);
    }
  }
  return {out, names};
}

}  // namespace

sm_emulator::sm_emulator(emulator_options options)
    : map_(sm::route_map::embedded()), options_(std::move(options)), state_(map_, {}) {
  if (options_.https) {
    server_ =
        std::make_unique<httplib::SSLServer>(options_.cert_file.string().c_str(), options_.key_file.string().c_str());
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  if (!server_->is_valid()) throw std::runtime_error("emulator: server setup failed (certificate?)");
  server_->set_keep_alive_max_count(100000);
  register_routes();
  port_ = server_->bind_to_any_port("127.0.0.1");  // loopback only
  if (port_ <= 0) throw std::runtime_error("emulator: cannot bind 127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

sm_emulator::~sm_emulator() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string sm_emulator::base_url() const {
  return fmt::format("{}://127.0.0.1:{}", options_.https ? "https" : "http", port_);
}

void sm_emulator::add_account(const std::string& username, const std::string& password, two_factor_style style,
                              const std::string& seed) {
  std::lock_guard lock(mutex_);
  accounts_[lower(username)] = account{password, style, seed};
}

void sm_emulator::inject(const std::string& route_key, fault f, int times, std::chrono::milliseconds latency) {
  std::lock_guard lock(mutex_);
  faults_.push_back({route_key, f, times, latency});
}

void sm_emulator::set_error_style(error_style style) {
  std::lock_guard lock(mutex_);
  options_.errors = style;
}

void sm_emulator::expire_tokens() {
  std::lock_guard lock(mutex_);
  for (auto& s : sessions_) s.expires = std::chrono::system_clock::now() - std::chrono::seconds(1);
}

std::size_t sm_emulator::count(const std::string& route_key) const {
  std::lock_guard lock(mutex_);
  const auto it = counts_.find(route_key);
  return it == counts_.end() ? 0 : it->second;
}

std::size_t sm_emulator::total() const {
  std::lock_guard lock(mutex_);
  return total_;
}

std::size_t sm_emulator::failed_logins() const {
  std::lock_guard lock(mutex_);
  return failed_logins_;
}

void sm_emulator::reset_counts() {
  std::lock_guard lock(mutex_);
  counts_.clear();
  total_ = 0;
}

void sm_emulator::set_documentation(const std::string& path, const std::string& text) {
  std::lock_guard lock(mutex_);
  documentation_[path] = text;
}

void sm_emulator::with_state(const std::function<void(sm::lab_store&)>& fn) {
  std::lock_guard lock(mutex_);
  fn(state_);
}

json sm_emulator::issue_tokens(const std::string& username, const std::string& client_id, bool step) {
  // One token per (user, clientId): a new sign-in replaces the previous one.
  sessions_.erase(std::remove_if(sessions_.begin(), sessions_.end(),
                                 [&](const session& s) { return s.username == username && s.client_id == client_id; }),
                  sessions_.end());
  session s;
  s.username = username;
  s.client_id = client_id;
  s.access = fmt::format("{}-{}", step ? "step" : "at", next_token_);
  s.refresh = step ? "" : fmt::format("rt-{}", next_token_);
  ++next_token_;
  s.step = step;
  s.expires = std::chrono::system_clock::now() + (step ? std::chrono::seconds(600) : options_.token_lifetime);
  sessions_.push_back(s);
  return {{map_.field("token.access"), s.access},
          {map_.field("token.refresh"), s.refresh},
          {map_.field("token.access_expiration"), iso8601(s.expires)},
          {"username", username},
          {"isAdmin", true}};
}

bool sm_emulator::code_ok(const account& a, const std::string& code) const {
  const auto key = sm::base32_decode(a.seed);
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return code == sm::totp(key, now) || code == sm::totp(key, now - 30);
}

void sm_emulator::register_routes() {
  server_->Get(R"(/Documentation/.*)", [this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex_);
    ++counts_["documentation"];
    ++total_;
    const auto it = documentation_.find(req.path);
    if (it == documentation_.end()) {
      res.status = 404;
      return;
    }
    res.status = 200;
    res.set_content(it->second, "text/html");
  });
  const std::string base = map_.document()["base_path"].get<std::string>();
  for (const auto& [key_ref, entry] : map_.document()["routes"].items()) {
    const std::string key = key_ref;
    const sm::route r = map_.get(key);
    auto [pattern, names] = to_regex(base, r.path);
    auto handler = [this, key, r, names = names](const httplib::Request& req, httplib::Response& res) {
      std::unique_lock lock(mutex_);
      ++counts_[key];
      ++total_;
      const auto reply = [&](int status, json body) {
        res.status = status;
        res.set_content(body.dump(), "application/json");
      };
      const auto error = [&](int status, const std::string& message) {
        if (options_.errors == error_style::body) {
          reply(200, {{"success", false}, {"resultCode", status}, {"message", message}});
        } else {
          reply(status, {{"success", false}, {"resultCode", status}, {"message", message}});
        }
      };
      // Fault injection.
      bool drop_body = false;
      bool echo_secrets = false;
      for (auto it = faults_.begin(); it != faults_.end(); ++it) {
        if (it->route != key && it->route != "*") continue;
        const pending_fault f = *it;
        if (--it->times <= 0) faults_.erase(it);
        switch (f.kind) {
          case fault::latency:
            lock.unlock();
            std::this_thread::sleep_for(f.latency);
            lock.lock();
            break;
          case fault::status_500:
            return reply(500, {{"success", false}, {"message", "Internal Server Error"}});
          case fault::drop_connection:
            res.set_content_provider(1000, "application/json",
                                     [](size_t, size_t, httplib::DataSink&) { return false; });
            return;
          case fault::success_false:
            return reply(200, {{"success", false}, {"resultCode", 200}, {"message", "Simulated failure"}});
          case fault::drop_body:
            drop_body = true;
            break;
          case fault::echo_secrets:
            echo_secrets = true;
            break;
        }
        break;
      }
      json body = json::object();
      if (!req.body.empty()) {
        body = json::parse(req.body, nullptr, false);
        if (body.is_discarded()) return error(400, "The request body is not JSON");
      }
      std::string bearer;
      const std::string auth = req.get_header_value("Authorization");
      if (auth.rfind("Bearer ", 0) == 0) bearer = auth.substr(7);
      const auto find_session = [&](bool step) -> session* {
        for (auto& s : sessions_) {
          if (s.access == bearer && s.step == step && s.expires > std::chrono::system_clock::now()) return &s;
        }
        return nullptr;
      };

      if (key == "auth.login") {
        const std::string user = lower(body.value(map_.field("login.username"), ""));
        const std::string client = body.value(map_.field("login.client_id"), "");
        const auto it = accounts_.find(user);
        if (it == accounts_.end() || it->second.password != body.value(map_.field("login.password"), "")) {
          ++failed_logins_;
          return error(401, "USERNAME_OR_PASSWORD_INCORRECT");
        }
        const account& a = it->second;
        const std::string code = body.value(map_.field("login.two_factor_code"), "");
        if (a.style != two_factor_style::none) {
          if (!code.empty()) {  // both current and older builds accept the code in the sign-in request
            if (!code_ok(a, code)) {
              ++failed_logins_;
              return error(401, "INVALID_TWO_FACTOR_CODE");
            }
          } else if (a.style == two_factor_style::legacy) {
            return reply(401, {{"success", false}, {"message", "TWO_FACTOR_REQUIRED|rfc6238|" + user}});
          } else {
            json tokens = issue_tokens(user, client, /*step=*/true);
            tokens["success"] = true;
            tokens["message"] = "TWO_FACTOR_REQUIRED|rfc6238|" + user;
            return reply(200, tokens);
          }
        }
        json tokens = issue_tokens(user, client, false);
        tokens["success"] = true;
        return reply(200, tokens);
      }
      if (key == "auth.two_factor") {
        session* s = find_session(true);
        if (s == nullptr) return error(401, "INVALID_TOKEN");
        const std::string user = s->username;
        const std::string client = s->client_id;
        s->expires = std::chrono::system_clock::now() - std::chrono::seconds(1);  // single use
        if (!code_ok(accounts_[user], body.value(map_.field("two_factor.code"), ""))) {
          ++failed_logins_;
          return error(401, "INVALID_TWO_FACTOR_CODE");
        }
        json tokens = issue_tokens(user, client, false);
        tokens["success"] = true;
        return reply(200, tokens);
      }
      if (key == "auth.refresh") {
        const std::string token = body.value(map_.field("refresh.token"), "");
        for (auto& s : sessions_) {
          if (!s.step && !s.refresh.empty() && s.refresh == token) {
            const std::string user = s.username;
            const std::string client = s.client_id;
            json tokens = issue_tokens(user, client, false);  // rotates: the old refresh token dies
            tokens["success"] = true;
            return reply(200, tokens);
          }
        }
        return error(401, "INVALID_REFRESH_TOKEN");
      }
      session* s = find_session(false);
      if (s == nullptr) {
        if (find_session(true) != nullptr) return error(403, "Forbidden");
        return reply(401, {{"success", false}, {"message", "Unauthorized"}});
      }
      if (key == "auth.logout") {
        const std::string user = s->username;
        const std::string client = s->client_id;
        sessions_.erase(std::remove_if(sessions_.begin(), sessions_.end(),
                                       [&](const session& x) { return x.username == user && x.client_id == client; }),
                        sessions_.end());
        return reply(200, {{"success", true}});
      }
      if (echo_secrets) {
        return error(400, "Bad request (token " + bearer + ", password " + accounts_[s->username].password + ")");
      }
      if (drop_body && !r.read) return reply(200, {{"success", true}, {"resultCode", 200}});
      sm::path_args args;
      for (std::size_t i = 0; i < names.size() && i + 1 < req.matches.size(); ++i) args[names[i]] = req.matches[i + 1];
      try {
        reply(200, state_.handle(key, args, body));
      } catch (const sm::lab_error& e) {
        error(e.status(), e.what());
      }
    };
    if (r.method == "GET") {
      server_->Get(pattern, handler);
    } else {
      server_->Post(pattern, handler);
    }
  }
}

}  // namespace smharden::testing
