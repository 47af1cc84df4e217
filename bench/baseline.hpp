// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// What an adapter author writes without nybble, and what the benchmarks
// measure nybble against: masks and shifts by hand, a switch on the tag, and a
// select lowering in the reference adapter's style (scan for tagged handles,
// copy into a scratch array, subscribe, call the host, drop). The baselines
// check what nybble checks (forged tags, overflowing payloads), answering with
// plain status codes, so that the comparison is of equal work.
#ifndef NYBBLE_BENCH_BASELINE_HPP
#define NYBBLE_BENCH_BASELINE_HPP

#include <nybble.hpp>
#include <nybble/select.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace bench {

struct cache_entry : nybble::kind<1> {};
struct replace_entry : nybble::kind<2> {};
struct http_cache_entry : nybble::kind<3> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, replace_entry, http_cache_entry>;
// The same kinds with an 8-bit generation field: what stripping and checking it costs.
using generational_kinds =
    nybble::kind_set<nybble::generational_abi_layout, cache_entry, replace_entry, http_cache_entry>;

// A host that costs little and the same for both sides: it reads every word it
// is given, answers the last index, and counts what it is asked to do.
struct counting_host {
  std::uint32_t step_result = 0x0100'0000U;
  std::uint64_t checksum = 0;
  std::uint64_t drops = 0;

  std::uint32_t select(std::span<const std::uint32_t> pollables) {
    for (const std::uint32_t p : pollables) {
      checksum += p;
    }
    return static_cast<std::uint32_t>(pollables.size() - 1);
  }
  std::optional<std::uint32_t> select(std::span<const std::uint32_t> pollables, std::uint32_t) {
    return select(pollables);
  }
  void drop_pollable(std::uint32_t p) {
    checksum ^= p;
    ++drops;
  }
  // One typed function per resource type, as a runtime has one import each. Their
  // bodies differ, as imports do: identical bodies would let the compiler fold a
  // hand-written switch on the tag away, which no real host allows.
  std::uint32_t subscribe_cache_entry(std::uint32_t index) { return step_result + index; }
  std::uint32_t subscribe_replace_entry(std::uint32_t index) { return (step_result + index) ^ 0x1U; }
  std::uint32_t subscribe_http_cache_entry(std::uint32_t index) { return (step_result + index) ^ 0x2U; }

  // nybble calls the same functions, through the typed handles.
  std::uint32_t subscribe(kinds::handle<cache_entry> h) { return subscribe_cache_entry(h.payload()); }
  std::uint32_t subscribe(kinds::handle<replace_entry> h) { return subscribe_replace_entry(h.payload()); }
  std::uint32_t subscribe(kinds::handle<http_cache_entry> h) { return subscribe_http_cache_entry(h.payload()); }
  std::uint32_t subscribe(generational_kinds::handle<cache_entry> h) { return subscribe_cache_entry(h.payload()); }
  std::uint32_t subscribe(generational_kinds::handle<replace_entry> h) { return subscribe_replace_entry(h.payload()); }
  std::uint32_t subscribe(generational_kinds::handle<http_cache_entry> h) {
    return subscribe_http_cache_entry(h.payload());
  }
};

namespace hand {

constexpr std::uint32_t payload_mask = 0x0FFF'FFFFU;
constexpr std::uint32_t tag_shift = 28;
constexpr std::uint32_t invalid_bit = 0x8000'0000U;
constexpr std::uint32_t known_tags = 3; // cache, replace, http-cache

enum status : std::uint32_t { ok = 0, badf = 8, inval = 28 };

// Encode: tag a typed index, refusing one that uses the tag bits.
inline bool encode(std::uint32_t payload, std::uint32_t tag, std::uint32_t& out) {
  if ((payload & invalid_bit) != 0) {
    out = payload;
    return true;
  }
  if ((payload & ~payload_mask) != 0) {
    return false;
  }
  out = payload | (tag << tag_shift);
  return true;
}

// Decode a cache entry: 1 ok, 0 wrong kind, -1 unknown kind.
inline int decode_cache_entry(std::uint32_t word, std::uint32_t& payload) {
  if ((word & invalid_bit) != 0) {
    payload = word;
    return 1;
  }
  const std::uint32_t tag = (word >> tag_shift) & 7U;
  if (tag != 1) {
    return tag <= known_tags ? 0 : -1;
  }
  payload = word & payload_mask;
  return 1;
}

// Dispatch on the tag, as visit does.
template <class F>
inline bool dispatch(std::uint32_t word, F&& on_kind) {
  if ((word & invalid_bit) != 0) {
    on_kind(0U, word);
    return true;
  }
  switch ((word >> tag_shift) & 7U) {
  case 0:
    on_kind(0U, word);
    return true;
  case 1:
    on_kind(1U, word & payload_mask);
    return true;
  case 2:
    on_kind(2U, word & payload_mask);
    return true;
  case 3:
    on_kind(3U, word & payload_mask);
    return true;
  default:
    return false;
  }
}

// The reference adapter's select lowering, with its aborts turned into status
// codes: BADF for a forged tag, INVAL for a host index outside the list.
// Returns a status; `ready` is the index or 0xFFFF'FFFF.
template <class Host>
inline std::uint32_t select(std::span<const std::uint32_t> handles, std::uint32_t timeout_ms, Host& host,
                            std::span<std::uint32_t> scratch, std::uint32_t& ready) {
  if (handles.empty() && timeout_ms == 0) {
    return inval;
  }
  if (scratch.size() < handles.size()) {
    return inval;
  }
  bool any_tagged = false;
  for (const std::uint32_t w : handles) {
    if ((w & invalid_bit) == 0 && (w >> tag_shift) != 0) {
      if ((w >> tag_shift) > known_tags) {
        return badf;
      }
      any_tagged = true;
    }
  }
  std::span<const std::uint32_t> pollables = handles;
  if (any_tagged) {
    for (std::size_t i = 0; i < handles.size(); ++i) {
      const std::uint32_t w = handles[i];
      const std::uint32_t tag = (w & invalid_bit) == 0 ? w >> tag_shift : 0;
      switch (tag) {
      case 1:
        scratch[i] = host.subscribe_cache_entry(w & payload_mask);
        break;
      case 2:
        scratch[i] = host.subscribe_replace_entry(w & payload_mask);
        break;
      case 3:
        scratch[i] = host.subscribe_http_cache_entry(w & payload_mask);
        break;
      default:
        scratch[i] = w;
        break;
      }
    }
    pollables = scratch.first(handles.size());
  }
  std::uint32_t index = 0;
  if (timeout_ms == 0) {
    index = host.select(pollables);
  } else {
    const auto r = host.select(pollables, timeout_ms);
    index = r ? *r : 0xFFFF'FFFFU;
  }
  if (any_tagged) {
    for (std::size_t i = 0; i < handles.size(); ++i) {
      const std::uint32_t w = handles[i];
      if ((w & invalid_bit) == 0 && (w >> tag_shift) != 0) {
        host.drop_pollable(scratch[i]);
      }
    }
  }
  // The reference adapter maps the index back through a bounds-checked lookup,
  // which aborts on an index outside the list; here that is a status too.
  if (index != 0xFFFF'FFFFU && index >= handles.size()) {
    return inval;
  }
  ready = index;
  return ok;
}

} // namespace hand

// The same operations through nybble.
namespace with_nybble {

inline bool encode(std::uint32_t payload, std::uint32_t& out) {
  const auto h = kinds::handle<cache_entry>::from_payload(payload);
  if (!h) {
    return false;
  }
  out = h->to_guest();
  return true;
}

// The nullable reads: the hand-written code passes a sentinel on, as they do.
inline int decode_cache_entry(std::uint32_t word, std::uint32_t& payload) {
  const auto h = nybble::decode_nullable<cache_entry, kinds>(word);
  if (h) {
    payload = h->payload();
    return 1;
  }
  return h.error() == nybble::errc::wrong_kind ? 0 : -1;
}

template <class F>
inline bool dispatch(std::uint32_t word, F&& on_kind) {
  return nybble::visit_nullable<kinds>(
             word, [&]<class K>(kinds::handle<K> h) { on_kind(static_cast<std::uint32_t>(K::tag), h.payload()); })
      .has_value();
}

} // namespace with_nybble

// A guest's handle list of n words, `tagged_percent` of them tagged (cache,
// replace and http-cache entries in turn), the rest untagged pollables.
inline void make_handles(std::span<std::uint32_t> out, unsigned tagged_percent) {
  const std::size_t n = out.size();
  for (std::size_t i = 0; i < n; ++i) {
    const bool tagged = (i * 100) / n < tagged_percent ? true : false;
    const std::uint32_t index = static_cast<std::uint32_t>(i + 1);
    out[i] = tagged ? (index | ((static_cast<std::uint32_t>(i % 3) + 1U) << 28U)) : index;
  }
}

// A mix of words for encode/decode/visit: every kind, sentinels and forged tags.
inline std::uint32_t mixed_word(std::uint32_t i) {
  const std::uint32_t x = (i * 2654435761U) ^ (i >> 3U);
  switch (x % 8U) {
  case 0:
    return 0xFFFF'FFFFU;
  case 1:
    return (x & 0x0FFF'FFFFU) | 0x5000'0000U; // forged
  default:
    return (x & 0x0FFF'FFFFU) | ((x % 4U) << 28U);
  }
}

} // namespace bench

#endif
