// <nybble/host.hpp> alone: the host concepts and wait_model_of.
#include <cstdint>
#include <nybble/host.hpp>
#include <optional>
#include <span>
struct entry : nybble::kind<1> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, entry>;
struct host {
  std::uint64_t select(std::span<const std::uint32_t>) { return 0; }
  std::optional<std::uint64_t> select(std::span<const std::uint32_t>, std::uint32_t) { return 0; }
  void drop_pollable(std::uint32_t) {}
  std::optional<std::uint32_t> step(kinds::handle<entry>) { return std::nullopt; }
};
static_assert(nybble::select_host<host, kinds> && !nybble::is_ready_host<host, kinds>);
static_assert(nybble::wait_model_of<host, entry, nybble::canonical_abi_layout> == nybble::wait_model::step);
int main() { return nybble::host_with_clock<host> ? 1 : 0; }
