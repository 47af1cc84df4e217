// Context `adapter`: a block that is the body of one of an adapter's module-ABI
// functions. The function's parameters are what the documents' blocks name; it
// answers a status. main() calls it with a live cache entry, a ready list and a
// timeout, and the block must answer status::ok.
#include <nybble.hpp>
#include <nybble/testing.hpp>

#include "doc_layout.hpp"

#include <array>
#include <cstdint>
#include <span>

struct cache_entry : nybble::kind<1> {};
struct replace_entry : nybble::kind<2> {};
struct http_cache_entry : nybble::kind<3> {};
using kinds = nybble::kind_set<doc_layout, cache_entry, replace_entry, http_cache_entry>;
using word = kinds::word_type;

enum class status : std::uint32_t { ok = 0, inval = 2, badf = 3 };
[[nodiscard]] constexpr status status_of(nybble::errc e) noexcept {
  return e == nybble::errc::empty_select || e == nybble::errc::capacity_exceeded ? status::inval : status::badf;
}
using typed_host =
    nybble::testing::typed_host<kinds, nybble::testing::subscribes<cache_entry>,
                                nybble::testing::subscribes<replace_entry>, nybble::testing::steps<http_cache_entry>>;

// The typed side's calls the blocks make.
constexpr void typed_cache_get(word /*index*/) noexcept {}
template <class K>
[[nodiscard]] constexpr status drop(kinds::handle<K> /*h*/) noexcept {
  return status::ok;
}

[[nodiscard]] constexpr status doc_block([[maybe_unused]] typed_host& host, [[maybe_unused]] word index_from_runtime,
                                         [[maybe_unused]] word typed_index, [[maybe_unused]] word guest_word,
                                         [[maybe_unused]] std::span<const word> guest_handles,
                                         [[maybe_unused]] std::uint32_t ms, [[maybe_unused]] word* out,
                                         [[maybe_unused]] std::uint32_t* ready) {
  //@BLOCK@
  return status::ok;
}

int main() {
  typed_host host;
  const auto entry = host.add<cache_entry>(nybble::testing::readiness::now());
  const std::array<word, 2> list{host.add_pollable(nybble::testing::readiness::never()), entry.to_guest()};
  word out = 0;
  std::uint32_t ready = 0;
  const status s = doc_block(host, 5, 7, entry.to_guest(), list, 10, &out, &ready);
  return s == status::ok && host.trap_count() == 0 && host.live_pollables() == 1 ? 0 : 1;
}
