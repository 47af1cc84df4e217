// Context `wide_host`: a member of a host whose typed side numbers pollables
// with 32-bit indices under 16-bit words.
#include <nybble.hpp>

#include <cstdint>
#include <optional>
#include <span>

using abi16 = nybble::basic_layout<std::uint16_t, 3, 12, 15>;
struct socket : nybble::kind<1> {};
using kinds16 = nybble::kind_set<abi16, socket>;

std::uint32_t socket_subscribe(std::uint16_t socket_index);
void pollable_drop(std::uint32_t pollable);

struct wide_host {
  std::uint16_t select(std::span<const std::uint16_t> pollables);
  std::optional<std::uint16_t> select(std::span<const std::uint16_t> pollables, std::uint32_t ms);
  void drop_pollable(std::uint16_t pollable);
  //@BLOCK@
};
static_assert(nybble::select_host<wide_host, kinds16>);
static_assert(nybble::wait_model_of<wide_host, socket, abi16> == nybble::wait_model::subscribe);
