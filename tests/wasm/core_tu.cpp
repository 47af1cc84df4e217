// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A translation unit that uses every core header, built for wasm32-wasi with
// -nostdlib -fno-exceptions -fno-rtti and linked into a module with no libc:
// the core needs nothing at run time beyond what it inlines.
#include <nybble.hpp>

#include <cstdint>

namespace {
struct cache_entry : nybble::kind<1> {};
struct replace_entry : nybble::kind<2> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, replace_entry>;
} // namespace

// Returns the payload of a cache entry, or 0x8000'0000 | errc.
extern "C" __attribute__((export_name("cache_entry_payload"))) std::uint32_t cache_entry_payload(std::uint32_t word) {
  const auto h = nybble::decode<cache_entry, kinds>(word);
  return h ? h->payload() : 0x8000'0000U | static_cast<std::uint32_t>(h.error());
}

extern "C" __attribute__((export_name("tag_replace_entry"))) std::uint32_t tag_replace_entry(std::uint32_t payload) {
  const auto h = kinds::handle<replace_entry>::from_payload(payload);
  return h ? h->to_abi() : nybble::canonical_abi_layout::null_word;
}

extern "C" __attribute__((export_name("kind_tag"))) std::uint32_t kind_tag(std::uint32_t word) {
  const auto r =
      nybble::visit<kinds>(word, [](auto h) { return static_cast<std::uint32_t>(decltype(h)::kind_type::tag); });
  return r.value_or(0xFFU);
}

static_assert(nybble::decode<cache_entry, kinds>(0x1000'0007U)->payload() == 7U);
