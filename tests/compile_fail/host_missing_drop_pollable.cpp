// lower_select needs a host that can drop the pollables it makes.
#include <nybble/select.hpp>

#include <optional>
#include <span>
struct cache_entry : nybble::kind<1> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry>;

struct host {
  std::uint32_t select(std::span<const std::uint32_t>) { return 0; }
  std::optional<std::uint32_t> select(std::span<const std::uint32_t>, std::uint32_t) { return std::nullopt; }
  std::uint32_t subscribe(kinds::handle<cache_entry>) { return 1; }
#ifndef NYBBLE_COMPILE_FAIL
  void drop_pollable(std::uint32_t) {}
#endif
};

bool waits(host& h, std::span<const std::uint32_t> handles, std::span<std::uint32_t> scratch) {
  return nybble::lower_select<kinds>(handles, nybble::timeout::none(), h, scratch).has_value();
}
