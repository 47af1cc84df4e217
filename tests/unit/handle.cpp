// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <nybble/kind_set.hpp>

#include "constexpr_check.hpp"
#include "kinds.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

using namespace nybble_tests;
using nybble::decode;
using nybble::decode_nullable;
using nybble::errc;
// The handles of the canonical set, named as adapters name them.
template <class K>
using handle = canonical_kinds::handle<K>;
using nybble::kind_of;
using nybble::untagged;
using nybble::visit;
using nybble::visit_nullable;

namespace {

template <class Set, class K>
using handle_in = typename Set::template handle<K>;

template <class Set>
constexpr bool from_payload_tags_and_payload_strips() {
  using L = typename Set::layout_type;
  using word = typename Set::word_type;
  const auto h = handle_in<Set, cache_entry>::from_payload(5);
  EXPECT(h.has_value());
  EXPECT(h->payload() == 5);
  EXPECT(h->to_guest() == static_cast<word>(L::with_tag(5, 1)));
  EXPECT(!h->is_invalid());
  const auto largest = handle_in<Set, replace_entry>::from_payload(L::payload_mask);
  EXPECT(largest->to_guest() == static_cast<word>(L::payload_mask | L::with_tag(0, 2)));
  // Untagged handles are their own ABI word.
  const auto pollable = handle_in<Set, untagged>::from_payload(9);
  EXPECT(pollable->to_guest() == 9);
  return true;
}

template <class Set>
constexpr bool from_payload_refuses_a_payload_in_the_tag_bits() {
  using L = typename Set::layout_type;
  using word = typename Set::word_type;
  EXPECT(handle_in<Set, cache_entry>::from_payload(L::kind_mask).error() == errc::payload_overflow);
  EXPECT(handle_in<Set, cache_entry>::from_payload(static_cast<word>(L::payload_mask + 1)).error() ==
         errc::payload_overflow);
  EXPECT(handle_in<Set, untagged>::from_payload(L::with_tag(1, 1)).error() == errc::payload_overflow);
  return true;
}

// A live handle is one call with one check: from_payload, decode and visit
// refuse a sentinel; null(), decode_nullable and visit_nullable are the
// explicit ways to carry one where an ABI allows "no handle".
template <class Set>
constexpr bool sentinels_are_refused_where_a_live_handle_is_read() {
  using L = typename Set::layout_type;
  using word = typename Set::word_type;
  const auto null = handle_in<Set, cache_entry>::null();
  EXPECT(null.is_invalid());
  EXPECT(null.to_guest() == L::null_word);
  EXPECT(null.payload() == L::null_word);
  EXPECT(!handle_in<Set, cache_entry>::from_payload(word{1}).value().is_invalid());
  for (const word sentinel : {static_cast<word>(~word{0}), static_cast<word>(~word{1}), L::invalid_mask}) {
    EXPECT(handle_in<Set, cache_entry>::from_payload(sentinel) == errc::payload_overflow);
    EXPECT(decode<cache_entry, Set>(sentinel) == errc::invalid_handle);
    EXPECT(decode<untagged, Set>(sentinel) == errc::invalid_handle);
    int calls = 0;
    EXPECT(visit<Set>(sentinel, [&](auto) { ++calls; }) == errc::invalid_handle);
    EXPECT(calls == 0);
    EXPECT(kind_of<Set>(sentinel) == std::uintmax_t{0});
  }
  return true;
}

constexpr bool wide_payloads_survive_in_sixty_four_bit_words() {
  const std::uint64_t payload = 0x0123'4567'89AB'CDEFULL;
  const auto h = *handle_in<kinds64, http_cache_entry>::from_payload(payload);
  EXPECT(h.to_guest() == (payload | (3ULL << 60)));
  EXPECT(decode<http_cache_entry, kinds64>(h.to_guest())->payload() == payload);
  return true;
}

constexpr bool handles_order_by_payload() {
  const auto a = *handle<cache_entry>::from_payload(1);
  const auto b = *handle<cache_entry>::from_payload(2);
  EXPECT(a < b);
  EXPECT(a != b);
  EXPECT(a == *handle<cache_entry>::from_payload(1));
  return true;
}

// Handles of different kinds are unrelated: nothing converts one into another.
static_assert(!std::is_convertible_v<handle<cache_entry>, handle<replace_entry>>);
static_assert(!std::is_constructible_v<handle<cache_entry>, handle<replace_entry>>);
static_assert(!std::is_assignable_v<handle<cache_entry>&, handle<replace_entry>>);
static_assert(!std::is_assignable_v<handle<untagged>&, handle<cache_entry>>);
static_assert(!std::is_constructible_v<handle<cache_entry>, std::uint32_t>);
static_assert(!std::is_convertible_v<std::uint32_t, handle<cache_entry>>);
static_assert(std::is_trivially_copyable_v<handle<cache_entry>>);
static_assert(sizeof(handle<cache_entry>) == sizeof(std::uint32_t));
static_assert(sizeof(kinds16::handle<cache_entry>) == sizeof(std::uint16_t));
static_assert(std::is_same_v<handle<cache_entry>::kind_type, cache_entry>);
static_assert(std::is_same_v<handle<cache_entry>::layout_type, nybble::canonical_abi_layout>);
static_assert(std::is_same_v<kinds64::handle<cache_entry>::word_type, std::uint64_t>);

// --- Regressions -------------------------------------------------------------

// An index is checked before it is converted to the word: a 32-bit index never
// becomes a 16-bit handle to another resource, a negative one never wraps.
constexpr bool regression_from_payload_checks_the_index_before_narrowing() {
  using entry16 = handle_in<kinds16, cache_entry>;
  EXPECT(entry16::from_payload(std::uint32_t{0x1'0005}).error() == errc::payload_overflow);
  EXPECT(entry16::from_payload(std::uint64_t{0x1'0000'0005}).error() == errc::payload_overflow);
  EXPECT(entry16::from_payload(-1).error() == errc::payload_overflow);
  EXPECT(entry16::from_payload(std::int64_t{-65531}).error() == errc::payload_overflow);
  EXPECT(entry16::from_payload(std::uint32_t{0x0FFF})->payload() == 0x0FFF);
  EXPECT(entry16::from_payload(std::uint8_t{5})->to_guest() == 0x1005);
  EXPECT(entry16::from_payload(std::uint32_t{0x1000}).error() == errc::payload_overflow); // tag bits
  // A sentinel is no host index (null() is the sentinel), and a wider value that merely looks like one neither.
  EXPECT(entry16::from_payload(std::uint16_t{0xFFFF}).error() == errc::payload_overflow);
  EXPECT(entry16::from_payload(std::uint32_t{0xFFFF}).error() == errc::payload_overflow);
  EXPECT(entry16::from_payload(std::uint32_t{0xFFFF'FFFF}).error() == errc::payload_overflow);
  EXPECT(handle<cache_entry>::from_payload(std::uint64_t{0x1'0000'0001}).error() == errc::payload_overflow);
  EXPECT(handle<cache_entry>::from_payload(std::int8_t{-1}).error() == errc::payload_overflow);
  return true;
}

} // namespace

CONSTEXPR_TEST_CASE(from_payload_tags_and_payload_strips<canonical_kinds>)
CONSTEXPR_TEST_CASE(from_payload_tags_and_payload_strips<kinds16>)
CONSTEXPR_TEST_CASE(from_payload_tags_and_payload_strips<kinds64>)
CONSTEXPR_TEST_CASE(from_payload_refuses_a_payload_in_the_tag_bits<canonical_kinds>)
CONSTEXPR_TEST_CASE(from_payload_refuses_a_payload_in_the_tag_bits<kinds16>)
CONSTEXPR_TEST_CASE(from_payload_refuses_a_payload_in_the_tag_bits<kinds64>)
CONSTEXPR_TEST_CASE(sentinels_are_refused_where_a_live_handle_is_read<canonical_kinds>)
CONSTEXPR_TEST_CASE(sentinels_are_refused_where_a_live_handle_is_read<kinds16>)
CONSTEXPR_TEST_CASE(sentinels_are_refused_where_a_live_handle_is_read<kinds64>)
CONSTEXPR_TEST_CASE(wide_payloads_survive_in_sixty_four_bit_words)
CONSTEXPR_TEST_CASE(handles_order_by_payload)
CONSTEXPR_TEST_CASE(regression_from_payload_checks_the_index_before_narrowing)
