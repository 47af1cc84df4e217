// A set whose layout has a generation field cannot be lowered without the
// adapter's generation table: a stale word would reach the host.
#include <nybble/select.hpp>

#include <optional>
#include <span>
struct cache_entry : nybble::kind<1> {};
using kinds = nybble::kind_set<nybble::generational_abi_layout, cache_entry>;

struct host {
  std::uint32_t select(std::span<const std::uint32_t>) { return 0; }
  std::optional<std::uint32_t> select(std::span<const std::uint32_t>, std::uint32_t) { return std::nullopt; }
  std::uint32_t subscribe(kinds::handle<cache_entry>) { return 1; }
  void drop_pollable(std::uint32_t) {}
};

bool waits(host& h, std::span<const std::uint32_t> handles, std::span<std::uint32_t> scratch,
           const nybble::generation_table<kinds>& generations) {
#ifdef NYBBLE_COMPILE_FAIL
  static_cast<void>(generations);
  return nybble::lower_select<kinds>(handles, nybble::timeout::none(), h, scratch).has_value();
#else
  return nybble::lower_select<kinds>(handles, nybble::timeout::none(), h, scratch, generations).has_value();
#endif
}
