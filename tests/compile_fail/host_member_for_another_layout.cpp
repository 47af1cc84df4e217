// A host member written for another layout must not make a kind silently
// unwaitable: lower_select refuses to compile and names the kind.
#include <nybble/select.hpp>

#include <cstdint>
#include <optional>
#include <span>

struct socket : nybble::kind<1> {};
using abi16 = nybble::basic_layout<std::uint16_t, 3, 12, 15>;
using kinds = nybble::kind_set<abi16, socket>;

struct host {
  std::uint16_t select(std::span<const std::uint16_t>) { return 0; }
  std::optional<std::uint16_t> select(std::span<const std::uint16_t>, std::uint32_t) { return std::nullopt; }
  void drop_pollable(std::uint16_t) {}
#ifdef NYBBLE_COMPILE_FAIL
  std::uint16_t subscribe(nybble::handle<socket, nybble::canonical_abi_layout>) {
    return 1;
  } // the canonical layout: 32-bit words
#else
  std::uint16_t subscribe(nybble::handle<socket, abi16>) { return 1; }
#endif
};

bool waits(host& h, std::span<const std::uint16_t> handles, std::span<std::uint16_t> scratch) {
  return nybble::lower_select<kinds>(handles, nybble::timeout::none(), h, scratch).has_value();
}
