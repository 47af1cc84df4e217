// <nybble/select.hpp> alone: lower_select and lower_is_ready.
#include <array>
#include <cstdint>
#include <nybble/select.hpp>
#include <optional>
#include <span>
struct entry : nybble::kind<1> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, entry>;
struct host {
  int live = 0;
  std::uint64_t select(std::span<const std::uint32_t>) { return 1; }
  std::optional<std::uint64_t> select(std::span<const std::uint32_t>, std::uint32_t) { return std::nullopt; }
  void drop_pollable(std::uint32_t) { --live; }
  bool is_ready(std::uint32_t) { return true; }
  std::uint32_t subscribe(kinds::handle<entry>) { return static_cast<std::uint32_t>(++live); }
};
int main() {
  host h;
  const std::array<std::uint32_t, 2> guest{5, 0x1000'0007U};
  nybble::inline_scratch<2, kinds> scratch;
  const auto ready = nybble::lower_select<kinds>(guest, nybble::timeout::none(), h, scratch);
  const auto now = nybble::lower_is_ready<kinds>(0x1000'0007U, h);
  return ready && ready->index() == 1 && now == true && h.live == 0 ? 0 : 1;
}
