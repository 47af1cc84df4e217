// Every kind of the set is waited on by subscribe or step, or declared unwaitable.
#include <nybble/select.hpp>

#include <cstdint>
#include <optional>
#include <span>

struct cache_entry : nybble::kind<1> {};
#ifdef NYBBLE_COMPILE_FAIL
struct body : nybble::kind<2> {}; // the host has no member for it, and it does not say it is unwaitable
#else
struct body : nybble::unwaitable_kind<2> {};
#endif
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, body>;

struct host {
  std::uint32_t select(std::span<const std::uint32_t>) { return 0; }
  std::optional<std::uint32_t> select(std::span<const std::uint32_t>, std::uint32_t) { return std::nullopt; }
  bool is_ready(std::uint32_t) { return true; }
  void drop_pollable(std::uint32_t) {}
  std::uint32_t subscribe(kinds::handle<cache_entry>) { return 1; }
};

bool ready(host& h, std::uint32_t word) { return nybble::lower_is_ready<kinds>(word, h).value_or(false); }
