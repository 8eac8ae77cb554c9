#include "base/json_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "base/errors.hpp"

#ifndef _WIN32
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace smharden::core {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(json_blame blame, const std::string& message) {
  if (blame == json_blame::profile) throw profile_error(message);
  throw runtime_error(message);
}

std::string size_text(std::size_t bytes) {
  if (bytes >= (1U << 20U) && bytes % (1U << 20U) == 0) return fmt::format("{} MiB", bytes >> 20U);
  return fmt::format("{} bytes", bytes);
}

[[noreturn]] void too_large(const std::string& display, std::size_t max_bytes, const std::string& found,
                            json_blame blame) {
  fail(blame, fmt::format("{}: expected a JSON file of at most {}, found {}. Fix: check that this is the intended "
                          "file; smharden refuses larger input{}",
                          display, size_text(max_bytes), found,
                          blame == json_blame::profile ? " (a large profile can be split into profiles that extend "
                                                         "one another)"
                                                       : ""));
}

[[noreturn]] void not_readable(const std::string& display, const std::string& what, const std::string& found,
                               json_blame blame) {
  fail(blame, fmt::format("{}: expected a readable {} file, found {}. Fix: check the path and the file's permissions",
                          display, what, found));
}

#ifndef _WIN32
std::string file_type_name(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "something that is not a regular file";
}

class fd_closer {
 public:
  explicit fd_closer(int fd) : fd_(fd) {}
  fd_closer(const fd_closer&) = delete;
  fd_closer& operator=(const fd_closer&) = delete;
  ~fd_closer() { ::close(fd_); }

 private:
  int fd_;
};
#endif

// Builds the document like nlohmann's DOM parser, but refuses nesting beyond
// the limit, names the JSON pointer of every problem, and appends object
// members in constant time (ordered_json's own insert searches the object).
template <class BasicJson>
class bounded_builder {
 public:
  using number_integer_t = typename BasicJson::number_integer_t;
  using number_unsigned_t = typename BasicJson::number_unsigned_t;
  using number_float_t = typename BasicJson::number_float_t;
  using string_t = typename BasicJson::string_t;
  using binary_t = typename BasicJson::binary_t;

  bounded_builder(std::string_view text, const std::string& source, const json_read_options& options)
      : text_(text), source_(source), options_(options) {}

  BasicJson take() { return std::move(root_); }

  bool null() { return put(BasicJson(nullptr)); }
  bool boolean(bool v) { return put(BasicJson(v)); }
  bool number_integer(number_integer_t v) { return put(BasicJson(v)); }
  bool number_unsigned(number_unsigned_t v) { return put(BasicJson(v)); }
  bool number_float(number_float_t v, const string_t& /*text*/) { return put(BasicJson(v)); }
  bool string(string_t& v) { return put(BasicJson(std::move(v))); }
  bool binary(binary_t& v) { return put(BasicJson(std::move(v))); }

  bool start_object(std::size_t /*size*/) { return open(BasicJson::object(), false); }
  bool start_array(std::size_t /*size*/) { return open(BasicJson::array(), true); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(string_t& k) {
    frame& top = frames_.back();
    top.key = k;
    auto& members = top.value->template get_ref<typename BasicJson::object_t&>();
    if (!top.keys.insert(k).second) {
      if (options_.refuse_duplicate_keys) {
        fail(options_.blame, fmt::format("{}: {}: expected each key once per object, found {} a second time. Fix: "
                                         "merge the two entries into one (JSON keeps only the last)",
                                         source_, pointer(), BasicJson(k).dump()));
      }
      pending_ = &(*top.value)[k];  // the last one wins, as in any JSON parser
      return true;
    }
    if constexpr (std::is_same_v<BasicJson, nlohmann::ordered_json>) {
      members.emplace_back(std::move(k), BasicJson());
      pending_ = &members.back().second;
    } else {
      pending_ = &members.emplace(std::move(k), BasicJson()).first->second;
    }
    return true;
  }

  bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception& e) {
    const auto [line, column] = line_and_column(position);
    if (e.id == 406) {  // a number outside the range of a double, e.g. 1e400
      fail(options_.blame,
           fmt::format("{}: {}line {}, column {}: expected a number within the range of a double (about ±1.8e308), "
                       "found {}. Fix: write a smaller number",
                       source_, at_pointer(), line, column, options_.quote_input ? token : "a larger one"));
    }
    // nlohmann's text: "[json.exception.parse_error.101] parse error at line 3, column 5: <detail>".
    std::string detail = e.what();
    static const std::regex prefix(R"(^.*?at line \d+, column \d+: )");
    detail = options_.quote_input ? std::regex_replace(detail, prefix, "", std::regex_constants::format_first_only)
                                  : std::string("something else");
    fail(options_.blame, fmt::format("{}: line {}, column {}: expected valid JSON, found {}. Fix: correct the JSON at "
                                     "that position (a missing or trailing comma, or a missing quote, is the usual "
                                     "cause)",
                                     source_, line, column, detail));
  }

 private:
  struct frame {
    BasicJson* value;
    bool is_array;
    std::size_t count = 0;  ///< elements so far (arrays)
    std::string key;        ///< the current key (objects)
    std::unordered_set<std::string> keys;
  };

  bool put(BasicJson&& v) { return place(std::move(v)) != nullptr; }

  BasicJson* place(BasicJson&& v) {
    if (frames_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    frame& top = frames_.back();
    if (top.is_array) {
      ++top.count;
      auto& items = top.value->template get_ref<typename BasicJson::array_t&>();
      items.push_back(std::move(v));
      return &items.back();
    }
    *pending_ = std::move(v);
    return pending_;
  }

  bool open(BasicJson&& empty, bool is_array) {
    if (frames_.size() >= options_.limits.max_depth) {
      fail(options_.blame,
           fmt::format("{}: {}: expected JSON nested at most {} levels deep, found deeper nesting. Fix: flatten "
                       "the structure; nothing smharden reads needs more levels",
                       source_, pointer_of_next(), options_.limits.max_depth));
    }
    BasicJson* value = place(std::move(empty));
    frames_.push_back(frame{value, is_array, 0, {}, {}});
    return true;
  }

  bool close() {
    frames_.pop_back();
    return true;
  }

  std::string pointer() const {
    std::string out;
    for (const frame& f : frames_) {
      out += '/';
      out += f.is_array ? std::to_string(f.count == 0 ? 0 : f.count - 1) : json_pointer_token(f.key);
    }
    return out;
  }

  // The pointer of the value about to be added (its array index is not counted yet).
  std::string pointer_of_next() const {
    if (frames_.empty() || !frames_.back().is_array) return pointer().empty() ? "/" : pointer();
    std::string out;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
      const frame& f = frames_[i];
      out += '/';
      out += f.is_array ? std::to_string(f.count == 0 ? 0 : f.count - 1) : json_pointer_token(f.key);
    }
    return out + "/" + std::to_string(frames_.back().count);
  }

  std::string at_pointer() const { return frames_.empty() ? "" : pointer_of_next() + ", "; }

  std::pair<std::size_t, std::size_t> line_and_column(std::size_t position) const {
    const std::size_t end = std::min(position, text_.size());
    std::size_t line = 1, line_start = 0;
    for (std::size_t i = 0; i < end; ++i) {
      if (text_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    return {line, end - line_start};
  }

  std::string_view text_;
  const std::string& source_;
  const json_read_options& options_;
  BasicJson root_;
  BasicJson* pending_ = nullptr;
  std::vector<frame> frames_;
};

template <class BasicJson>
BasicJson parse_bounded(std::string_view text, const std::string& source, const json_read_options& options) {
  if (text.size() > options.limits.max_bytes) {
    too_large(source, options.limits.max_bytes, fmt::format("{} bytes", text.size()), options.blame);
  }
  bounded_builder<BasicJson> builder(text, source, options);
  BasicJson::sax_parse(text.begin(), text.end(), &builder);
  return builder.take();
}

}  // namespace

std::string read_regular_file(const fs::path& file, std::size_t max_bytes, json_blame blame,
                              const std::string& display_name, const std::string& what) {
  const std::string display = display_name.empty() ? file.string() : display_name;
  std::string out;
#ifdef _WIN32
  std::error_code ec;
  const fs::file_status status = fs::status(file, ec);
  if (ec || !fs::exists(status)) not_readable(display, what, "no such file", blame);
  if (!fs::is_regular_file(status)) {
    not_readable(display, what, fs::is_directory(status) ? "a folder" : "something that is not a regular file", blame);
  }
  const auto size = fs::file_size(file, ec);
  if (!ec && size > max_bytes) too_large(display, max_bytes, fmt::format("{} bytes", size), blame);
  std::ifstream in(file, std::ios::binary);
  if (!in) not_readable(display, what, "a file that cannot be read", blame);
  std::vector<char> chunk(65536);
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())), in.gcount() > 0) {
    out.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (out.size() > max_bytes) too_large(display, max_bytes, "a file that keeps growing", blame);
  }
  if (in.bad()) not_readable(display, what, "a file that cannot be read", blame);
#else
  // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it unread.
  const int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int err = errno;
    not_readable(display, what,
                 err == ENOENT ? "no such file" : fmt::format("a file that cannot be read ({})", std::strerror(err)),
                 blame);
  }
  fd_closer closer(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) not_readable(display, what, "a file that cannot be read", blame);
  if (!S_ISREG(st.st_mode)) not_readable(display, what, file_type_name(st.st_mode), blame);
  if (static_cast<unsigned long long>(st.st_size) > max_bytes) {
    too_large(display, max_bytes, fmt::format("{} bytes", st.st_size), blame);
  }
  out.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  for (;;) {
    if (got == out.size()) {
      if (out.size() > max_bytes) too_large(display, max_bytes, "a file that keeps growing", blame);
      out.resize(std::min(out.size() + 65536, max_bytes + 1));
      if (got == out.size()) too_large(display, max_bytes, "a file that keeps growing", blame);
    }
    const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) not_readable(display, what, fmt::format("a file that cannot be read ({})", std::strerror(errno)), blame);
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
#endif
  return out;
}

nlohmann::json parse_json(std::string_view text, const std::string& source, const json_read_options& options) {
  return parse_bounded<nlohmann::json>(text, source, options);
}

nlohmann::ordered_json parse_ordered_json(std::string_view text, const std::string& source,
                                          const json_read_options& options) {
  return parse_bounded<nlohmann::ordered_json>(text, source, options);
}

nlohmann::json read_json_file(const fs::path& file, const json_read_options& options, const std::string& display) {
  const std::string name = display.empty() ? file.string() : display;
  return parse_json(read_regular_file(file, options.limits.max_bytes, options.blame, name, options.what), name,
                    options);
}

nlohmann::ordered_json read_ordered_json_file(const fs::path& file, const json_read_options& options,
                                              const std::string& display) {
  const std::string name = display.empty() ? file.string() : display;
  return parse_ordered_json(read_regular_file(file, options.limits.max_bytes, options.blame, name, options.what), name,
                            options);
}

std::string json_pointer_token(const std::string& token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace smharden::core
