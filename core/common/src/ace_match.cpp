#include <smharden/common/ace_match.hpp>

#include <array>
#include <utility>

#include <smharden/common/account_names.hpp>

namespace smharden::common {
namespace {

constexpr std::uint32_t generic_read = 0x80000000u;
constexpr std::uint32_t generic_write = 0x40000000u;
constexpr std::uint32_t generic_execute = 0x20000000u;
constexpr std::uint32_t generic_all = 0x10000000u;
constexpr std::uint32_t file_generic_read = 0x120089u;
constexpr std::uint32_t file_generic_write = 0x120116u;
constexpr std::uint32_t file_generic_execute = 0x1200A0u;

constexpr std::array<std::pair<std::uint32_t, const char*>, 5> flag_names{{
    {ace_flag::object_inherit, "OI"},
    {ace_flag::container_inherit, "CI"},
    {ace_flag::no_propagate, "NP"},
    {ace_flag::inherit_only, "IO"},
    {ace_flag::inherited, "ID"},
}};

constexpr std::array<std::pair<std::uint32_t, const char*>, 3> mask_names{{
    {access_mask::full_control, "full_control"},
    {access_mask::modify, "modify"},
    {access_mask::read_execute, "read_execute"},
}};

// The ACE applies to the folder itself and reaches every subfolder and file.
bool applies_here_and_below(const ace& entry, std::uint32_t inheritance) {
  if ((entry.flags & ace_flag::inherit_only) != 0) return false;
  if ((entry.flags & inheritance) != inheritance) return false;
  return inheritance == 0 || (entry.flags & ace_flag::no_propagate) == 0;
}

}  // namespace

std::uint32_t map_generic_file_rights(std::uint32_t mask) {
  std::uint32_t out = mask & ~(generic_read | generic_write | generic_execute | generic_all);
  if ((mask & generic_read) != 0) out |= file_generic_read;
  if ((mask & generic_write) != 0) out |= file_generic_write;
  if ((mask & generic_execute) != 0) out |= file_generic_execute;
  if ((mask & generic_all) != 0) out |= access_mask::full_control;
  return out;
}

bool ace_satisfies(const ace& entry, const ace_requirement& req) {
  return entry.type == ace_type::allow && iequals(entry.sid, req.sid) &&
         (map_generic_file_rights(entry.mask) & req.mask) == req.mask && applies_here_and_below(entry, req.inheritance);
}

ace_evaluation evaluate_aces(const std::vector<ace>& aces, const ace_requirement& req) {
  ace_evaluation ev;
  std::uint32_t denied_mask = 0;
  for (std::size_t i = 0; i < aces.size(); ++i) {
    const ace& entry = aces[i];
    if (!iequals(entry.sid, req.sid)) continue;
    const std::uint32_t mask = map_generic_file_rights(entry.mask);
    if (entry.type == ace_type::deny) {
      // A deny that reaches the folder or anything below it takes rights away.
      denied_mask |= mask;
    } else if (applies_here_and_below(entry, req.inheritance)) {
      ev.effective_mask |= mask;
      ev.granting.push_back(i);
    }
  }
  ev.denied = (denied_mask & req.mask) != 0;
  ev.granted = !ev.denied && (ev.effective_mask & req.mask) == req.mask;
  return ev;
}

std::vector<std::string> ace_flag_names(std::uint32_t flags) {
  std::vector<std::string> out;
  for (const auto& [bit, name] : flag_names) {
    if ((flags & bit) != 0) out.emplace_back(name);
  }
  return out;
}

bool parse_ace_flag_name(const std::string& name, std::uint32_t& bit) {
  for (const auto& [b, n] : flag_names) {
    if (iequals(name, n)) {
      bit = b;
      return true;
    }
  }
  return false;
}

std::string access_mask_name(std::uint32_t mask) {
  for (const auto& [m, n] : mask_names) {
    if (m == mask) return n;
  }
  return "";
}

bool parse_access_mask_name(const std::string& name, std::uint32_t& mask) {
  for (const auto& [m, n] : mask_names) {
    if (iequals(name, n)) {
      mask = m;
      return true;
    }
  }
  return false;
}

}  // namespace smharden::common
