// Context `host_asserts`: assertions written next to a host, over a host that
// subscribes nothing and steps HTTP cache entries.
#include <nybble.hpp>

#include <cstdint>
#include <optional>
#include <span>

struct http_cache_entry : nybble::kind<3> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, http_cache_entry>;

struct my_host {
  std::uint32_t select(std::span<const std::uint32_t> pollables);
  std::optional<std::uint32_t> select(std::span<const std::uint32_t> pollables, std::uint32_t ms);
  void drop_pollable(std::uint32_t pollable);
  std::optional<std::uint32_t> step(kinds::handle<http_cache_entry> h);
};

//@BLOCK@
