#include "services/smartermail/ids_block_methods.hpp"

#include <fmt/format.h>

#include <smharden/common/ip_range.hpp>

#include "services/method_table.hpp"

namespace smharden::services::smartermail {
namespace {

/// The address to unblock: one IP address, written as SmarterMail lists it.
std::string address_param(const json& params) {
  const std::string address = require_string(params, "address");
  const auto range = common::parse_ip_range(address);
  if (!range || range->first != range->last) {
    throw service_error("invalid_params",
                        fmt::format("\"{}\" is not one IP address (IDS blocks are per address)", address));
  }
  return address;
}

bool same_address(const std::string& listed, const std::string& address) {
  if (listed == address) return true;
  const auto a = common::parse_ip_range(listed);
  const auto b = common::parse_ip_range(address);
  return a && b && *a == *b;
}

json public_view(json block) {
  block.erase("api");
  return block;
}

json blocks_get(smartermail_service& self, const json& /*params*/) {
  json out = json::array();
  const json blocks = self.settings().ids_blocks()["blocks"];
  for (const auto& b : blocks) out.push_back(public_view(b));
  return {{"blocks", out}};
}

json unblock(smartermail_service& self, const json& params) {
  settings_client& settings = self.settings();
  const std::string address = address_param(params);
  json lifted = json::array();
  json api_blocks = json::array();
  const json blocks = settings.ids_blocks()["blocks"];
  for (const auto& b : blocks) {
    if (!same_address(b.value("ip", ""), address)) continue;
    lifted.push_back(public_view(b));
    api_blocks.push_back(b["api"]);  // sent back as listed, like the server's own UI
  }
  if (api_blocks.empty()) return {{"changed", false}, {"lifted", lifted}};
  settings.unblock(api_blocks);
  const json after = settings.ids_blocks(/*fresh=*/true)["blocks"];
  for (const auto& b : after) {
    if (same_address(b.value("ip", ""), address)) {
      throw service_error("failed", fmt::format("SmarterMail accepted the unblock of {} but still lists a block "
                                                "({}); unblock it in Settings > Security > IDS Blocks (Current "
                                                "Blocks) and check the route map entry ids.blocks.unblock",
                                                address, public_view(b).dump()));
    }
  }
  return {{"changed", true}, {"lifted", lifted}};
}

undo_record undo_unblock(smartermail_service& /*self*/, const json& params) {
  undo_record u;  // no call: an IDS block is made by the server when an address trips a rule again
  u.description = fmt::format(
      "an IDS block of {} is not restored by rollback: the server blocks the address "
      "again if it trips an IDS rule",
      params.value("address", std::string("?")));
  return u;
}

const method_entry<smartermail_service> ids_block_methods[] = {
    {"smartermail.ids.blocks.get",
     access::read_only,
     "the current IDS blocks (Settings > Security > IDS Blocks)",
     {"–", "`{\"blocks\": [{ip, block_type, protocol, rule, seconds_left}]}`", ""},
     &blocks_get},
    {"smartermail.ids.unblock",
     access::mutating,
     "lifts every IDS block of one address (`smharden smartermail unblock`)",
     {"`{address}`: one IP address", "`{changed, lifted: [{ip, block_type, protocol, rule, seconds_left}]}`",
      "none: a lifted block is not restored (the server blocks the address again if it trips a rule)"},
     &unblock,
     &undo_unblock},
};

}  // namespace

void register_ids_block_methods(registry& r, smartermail_service& self) { add_methods(r, self, ids_block_methods); }

}  // namespace smharden::services::smartermail
