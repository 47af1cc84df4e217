// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A first adapter, put together as README.md's "Your first adapter, step by
// step" builds it, for the consumer projects to build and run. (The README's
// own blocks are compiled as they stand by tests/docs/doc_blocks.py.)
// Included once per layout, inside a namespace that names `first_adapter_layout`.
//
// Needs <nybble.hpp>, <nybble/testing.hpp>, <array>, <cstdint> and <span>.

// Step 1
struct cache_entry : nybble::kind<1> {};
struct http_cache_entry : nybble::kind<3> {};
using kinds = nybble::kind_set<first_adapter_layout, cache_entry, http_cache_entry>;
using word = kinds::word_type;

// The module ABI's statuses, and the typed side: the test host.
enum class status : std::uint32_t { ok = 0, inval = 2, badf = 3 };
[[nodiscard]] constexpr status status_of(nybble::errc e) noexcept {
  return e == nybble::errc::empty_select || e == nybble::errc::capacity_exceeded ? status::inval : status::badf;
}
using typed_host = nybble::testing::typed_host<kinds, nybble::testing::subscribes<cache_entry>,
                                               nybble::testing::steps<http_cache_entry>>;

// Step 2: a lookup hands the guest a tagged word.
[[nodiscard]] constexpr status cache_lookup(typed_host& runtime, word* out) {
  const auto index_from_runtime = runtime.add<cache_entry>(nybble::testing::readiness::at_ms(5)).payload();
  const auto entry = kinds::handle<cache_entry>::from_payload(index_from_runtime);
  if (!entry)
    return status::inval;   // the index does not fit the payload: payload_overflow
  *out = entry->to_guest(); // a word: e.g. 0x1000'0005
  return status::ok;
}

// Step 3: a call for one kind decodes; a close shared by several kinds visits.
[[nodiscard]] constexpr status cache_is_entry(word guest_word) {
  const auto h = nybble::decode<cache_entry, kinds>(guest_word);
  if (!h)
    return status::badf; // wrong_kind, unknown_kind or word_out_of_range
  return h->payload() != 0 ? status::ok : status::inval;
}
[[nodiscard]] constexpr status close(typed_host& runtime, word guest_word) {
  const auto drop = [&](auto h) { runtime.drop(h); };
  const auto closed = nybble::visit<kinds>(guest_word, [&]<class K>(kinds::handle<K> h) { drop(h); });
  return closed ? status::ok : status::badf;
}

// Step 4: select, lowered onto the typed side.
[[nodiscard]] constexpr status select(typed_host& host, std::span<const word> guest_handles, std::uint32_t ms,
                                      std::uint32_t* ready) {
  nybble::inline_scratch<64, kinds> scratch;
  const auto r = nybble::lower_select<kinds>(guest_handles, nybble::timeout::from_guest(ms), host, scratch);
  if (!r)
    return status_of(r.error());
  *ready = r->to_guest(); // an index into guest_handles, or 0xFFFF'FFFF
  return status::ok;
}

// Step 5: prove it, at compile time and at run time.
[[nodiscard]] constexpr bool first_adapter_works() {
  typed_host runtime;
  word entry = 0;
  if (cache_lookup(runtime, &entry) != status::ok || cache_is_entry(entry) != status::ok)
    return false;
  const word timer = runtime.add_pollable(nybble::testing::readiness::at_ms(50));
  const std::array<word, 2> handles{timer, entry};
  std::uint32_t ready = 0;
  if (select(runtime, handles, 0, &ready) != status::ok || ready != 1)
    return false;
  const word forged = static_cast<word>(kinds::layout_type::with_tag(1, 6));
  if (select(runtime, std::array<word, 1>{forged}, 0, &ready) != status::badf)
    return false;
  if (close(runtime, forged) != status::badf || close(runtime, entry) != status::ok)
    return false;
  return runtime.trap_count() == 0 && runtime.live_resources() == 0 && runtime.live_pollables() == 1 &&
         runtime.virtual_time_ms() == 5;
}
static_assert(first_adapter_works());
