// A host of waitable sets (the async ABI) starts a wait for every word,
// untagged ones too: a host without start_wait for untagged handles is a
// compile error that names the kind.
#include <nybble/select.hpp>

#include <cstdint>
#include <optional>
#include <span>

struct entry : nybble::kind<1> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, entry>;

struct host {
  std::uint32_t new_waitable_set() { return 1; }
  void join(std::uint32_t, std::uint32_t) {}
  std::uint32_t wait(std::uint32_t) { return 0; }
  std::optional<std::uint32_t> poll(std::uint32_t) { return std::nullopt; }
  void drop_waitable_set(std::uint32_t) {}
  std::uint32_t start_timeout(std::uint32_t) { return 2; }
  void end_timeout(std::uint32_t) {}
  std::optional<std::uint32_t> start_wait(kinds::handle<entry>) { return std::nullopt; }
  bool end_wait(kinds::handle<entry>, std::uint32_t) { return true; }
#ifndef NYBBLE_COMPILE_FAIL
  std::optional<std::uint32_t> start_wait(kinds::handle<nybble::untagged>) { return std::nullopt; }
  bool end_wait(kinds::handle<nybble::untagged>, std::uint32_t) { return true; }
#endif
};

bool waits(host& h, std::span<const std::uint32_t> handles, std::span<std::uint32_t> scratch) {
  return nybble::lower_select<kinds>(handles, nybble::timeout::none(), h, scratch).has_value();
}
