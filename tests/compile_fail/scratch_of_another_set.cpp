// A scratch declared for another set (32-bit words, for a 16-bit set) is a
// compile error that names the mistake, not "no matching function".
#include <nybble/select.hpp>

#include <cstdint>
#include <optional>
#include <span>

struct socket : nybble::kind<1> {};
using abi16 = nybble::basic_layout<std::uint16_t, 3, 12, 15>;
using kinds16 = nybble::kind_set<abi16, socket>;
using kinds32 = nybble::kind_set<nybble::canonical_abi_layout, socket>;

struct host {
  std::uint16_t select(std::span<const std::uint16_t>) { return 0; }
  std::optional<std::uint16_t> select(std::span<const std::uint16_t>, std::uint32_t) { return std::nullopt; }
  void drop_pollable(std::uint16_t) {}
  std::uint16_t subscribe(kinds16::handle<socket>) { return 1; }
};

bool waits(host& h, std::span<const std::uint16_t> handles) {
#ifdef NYBBLE_COMPILE_FAIL
  nybble::inline_scratch<8, kinds32> scratch;
#else
  nybble::inline_scratch<8, kinds16> scratch;
#endif
  return nybble::lower_select<kinds16>(handles, nybble::timeout::none(), h, scratch).has_value();
}
