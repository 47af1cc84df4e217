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

template <class Set>
constexpr bool the_nullable_reads_pass_sentinels_through_verbatim() {
  using L = typename Set::layout_type;
  using word = typename Set::word_type;
  for (const word sentinel : {static_cast<word>(~word{0}), static_cast<word>(~word{1}), L::invalid_mask}) {
    EXPECT(decode_nullable<cache_entry, Set>(sentinel)->payload() == sentinel);
    EXPECT(decode_nullable<replace_entry, Set>(sentinel)->to_guest() == sentinel);
    EXPECT(decode_nullable<untagged, Set>(sentinel)->is_invalid());
    const auto seen = visit_nullable<Set>(sentinel, [sentinel](auto h) {
      return decltype(h)::kind_type::tag == 0 && h.payload() == sentinel && h.is_invalid();
    });
    EXPECT(seen == true);
  }
  // Every other word reads as the live calls read it.
  const auto entry_word = L::with_tag(3, 1);
  EXPECT(decode_nullable<cache_entry, Set>(entry_word) == decode<cache_entry, Set>(entry_word));
  EXPECT(decode_nullable<replace_entry, Set>(entry_word) == errc::wrong_kind);
  EXPECT(decode_nullable<untagged, Set>(L::with_tag(3, L::max_tag)) == errc::unknown_kind);
  EXPECT(visit_nullable<Set>(entry_word, [](auto h) { return decltype(h)::kind_type::tag; }) == std::uintmax_t{1});
  return true;
}

template <class Set>
constexpr bool decode_inverts_to_guest() {
  using L = typename Set::layout_type;
  using word = typename Set::word_type;
  for (const word payload : {word{0}, word{1}, word{77}, L::payload_mask}) {
    const auto entry = *handle_in<Set, cache_entry>::from_payload(payload);
    EXPECT(decode<cache_entry, Set>(entry.to_guest()) == entry);
    const auto replace = *handle_in<Set, replace_entry>::from_payload(payload);
    EXPECT(decode<replace_entry, Set>(replace.to_guest()) == replace);
    const auto plain = *handle_in<Set, untagged>::from_payload(payload);
    EXPECT(decode<untagged, Set>(plain.to_guest()) == plain);
  }
  return true;
}

template <class Set>
constexpr bool decode_names_wrong_and_unknown_kinds() {
  using L = typename Set::layout_type;
  const auto entry_word = L::with_tag(3, 1);
  EXPECT(decode<replace_entry, Set>(entry_word).error() == errc::wrong_kind);
  EXPECT(decode<untagged, Set>(entry_word).error() == errc::wrong_kind);
  EXPECT(decode<cache_entry, Set>(3).error() == errc::wrong_kind);
  for (std::uintmax_t forged = Set::size; forged <= L::max_tag; ++forged) {
    const auto forged_word = L::with_tag(3, forged);
    EXPECT(decode<cache_entry, Set>(forged_word).error() == errc::unknown_kind);
    EXPECT(decode<untagged, Set>(forged_word).error() == errc::unknown_kind);
    EXPECT(kind_of<Set>(forged_word).error() == errc::unknown_kind);
  }
  return true;
}

// The visitor reports which kind it was called with and the payload it saw.
struct kind_and_payload {
  std::uintmax_t tag;
  std::uint64_t payload;
  friend constexpr bool operator==(kind_and_payload, kind_and_payload) = default;
};

template <class Set>
constexpr bool visit_calls_the_visitor_with_the_words_kind() {
  using L = typename Set::layout_type;
  const auto report = [](auto h) {
    return kind_and_payload{decltype(h)::kind_type::tag, static_cast<std::uint64_t>(h.payload())};
  };
  EXPECT(visit<Set>(L::with_tag(11, 0), report) == kind_and_payload{0, 11});
  EXPECT(visit<Set>(L::with_tag(12, 1), report) == kind_and_payload{1, 12});
  EXPECT(visit<Set>(L::with_tag(13, 2), report) == kind_and_payload{2, 13});
  EXPECT(visit<Set>(L::invalid_mask, report) == errc::invalid_handle);
  EXPECT(visit_nullable<Set>(L::invalid_mask, report) == kind_and_payload{0, L::invalid_mask});
  return true;
}

constexpr bool visit_does_not_call_the_visitor_for_a_forged_tag() {
  int calls = 0;
  const auto r = visit<canonical_kinds>(0x5000'0001U, [&](auto) { ++calls; });
  EXPECT(r.error() == errc::unknown_kind);
  EXPECT(calls == 0);
  const auto ok = visit<canonical_kinds>(0x1000'0001U, [&](auto) { ++calls; });
  EXPECT(ok.has_value());
  EXPECT(calls == 1);
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

// Tags 1..16 in a 5-bit field: 17 kinds with untagged, past the switch, so the
// tag is found by a search. A forged tag (17..31) must reach no visitor.
using layout5 = nybble::basic_layout<std::uint32_t, 5, 26, 31>;
template <std::uintmax_t Tag>
struct numbered : nybble::kind<Tag> {};
template <std::size_t... I>
auto sixteen_kinds(std::index_sequence<I...>) -> nybble::kind_set<layout5, numbered<I + 1>...>;
using kinds5 = decltype(sixteen_kinds(std::make_index_sequence<16>{}));

constexpr bool regression_a_forged_tag_in_a_wide_contiguous_set_reaches_no_visitor() {
  for (std::uintmax_t tag = 17; tag <= layout5::max_tag; ++tag) {
    const std::uint32_t forged = layout5::with_tag(5, tag);
    int calls = 0;
    EXPECT(visit<kinds5>(forged, [&](auto) { ++calls; }) == errc::unknown_kind);
    EXPECT(visit<kinds5>(forged, [&](auto h) { return h.payload(); }) == errc::unknown_kind);
    EXPECT(calls == 0);
    EXPECT(kind_of<kinds5>(forged) == errc::unknown_kind);
    EXPECT(decode<numbered<16>, kinds5>(forged) == errc::unknown_kind);
    EXPECT(!kinds5::with_kind_of_tag(tag, [&](auto) { ++calls; }));
    EXPECT(calls == 0);
  }
  // Every real tag still reaches its own kind.
  for (std::uintmax_t tag = 0; tag <= 16; ++tag) {
    const auto seen = visit<kinds5>(layout5::with_tag(5, tag), [](auto h) { return decltype(h)::kind_type::tag; });
    EXPECT(seen == tag);
  }
  return true;
}

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

// A guest word wider than the set's word is no handle of it: refused, not truncated.
constexpr bool regression_words_wider_than_the_layout_are_refused_not_truncated() {
  const std::uint32_t wide = 0x1'1005; // 0x1005 (cache entry 5) once truncated to 16 bits
  EXPECT(decode<cache_entry, kinds16>(wide) == errc::word_out_of_range);
  EXPECT(kind_of<kinds16>(wide) == errc::word_out_of_range);
  int calls = 0;
  EXPECT(visit<kinds16>(wide, [&](auto) { ++calls; }) == errc::word_out_of_range);
  EXPECT(calls == 0);
  EXPECT(decode<cache_entry, kinds16>(-1) == errc::word_out_of_range);
  EXPECT(decode<cache_entry, kinds16>(std::uint32_t{0x1005})->payload() == 5);
  EXPECT(decode<cache_entry, canonical_kinds>(std::uint64_t{0x1'1000'0005}) == errc::word_out_of_range);
  // A negative value of a type narrower than the word would sign-extend onto a
  // sentinel: refused before that, not read as "no handle".
  EXPECT(kind_of<canonical_kinds>(std::int8_t{-1}) == errc::word_out_of_range);
  EXPECT(decode_nullable<cache_entry, canonical_kinds>(std::int16_t{-1}) == errc::word_out_of_range);
  EXPECT(visit_nullable<canonical_kinds>(-1, [](auto) { return 0; }) == errc::word_out_of_range);
  return true;
}

// A visitor that returns nothing still sees a sentinel as an untagged handle
// (visit_nullable), and is not called for one by visit.
constexpr bool regression_a_void_visitor_sees_a_sentinel_as_untagged() {
  using L = nybble::canonical_abi_layout;
  for (const std::uint32_t sentinel : {L::null_word, L::tombstone_word, L::invalid_mask | 1U, 0xD000'0001U}) {
    std::uintmax_t tag = 99;
    std::uint32_t payload = 0;
    const auto r = visit_nullable<canonical_kinds>(sentinel, [&](auto h) {
      tag = decltype(h)::kind_type::tag;
      payload = h.payload();
    });
    EXPECT(r.has_value());
    EXPECT(visit<canonical_kinds>(sentinel, [&](auto) { tag = 98; }) == errc::invalid_handle);
    EXPECT(tag == 0);
    EXPECT(payload == sentinel);
  }
  return true;
}

// 127 tags: more than a 64-bit mask of tags holds (100 must not alias 36).
using layout7 = nybble::basic_layout<std::uint32_t, 7, 24, 31>;
using kinds7 = nybble::kind_set<layout7, numbered<1>, numbered<2>, numbered<100>>;

constexpr bool regression_kind_of_and_decode_with_more_than_sixty_four_tags() {
  for (std::uintmax_t tag = 0; tag <= layout7::max_tag; ++tag) {
    const std::uint32_t w = layout7::with_tag(9, tag);
    const bool member = tag == 0 || tag == 1 || tag == 2 || tag == 100;
    EXPECT(kind_of<kinds7>(w) == (member ? nybble::result<std::uintmax_t>{tag} : errc::unknown_kind));
    const auto d = decode<numbered<100>, kinds7>(w);
    EXPECT(tag == 100 ? d.has_value() && d->payload() == 9 : d == (member ? errc::wrong_kind : errc::unknown_kind));
    // 64 + 36 = 100: a mask that wrapped at 64 would take 36 for 100.
    EXPECT(kinds7::contains_tag(tag) == member);
  }
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
CONSTEXPR_TEST_CASE(the_nullable_reads_pass_sentinels_through_verbatim<canonical_kinds>)
CONSTEXPR_TEST_CASE(the_nullable_reads_pass_sentinels_through_verbatim<kinds16>)
CONSTEXPR_TEST_CASE(the_nullable_reads_pass_sentinels_through_verbatim<kinds64>)
CONSTEXPR_TEST_CASE(decode_inverts_to_guest<canonical_kinds>)
CONSTEXPR_TEST_CASE(decode_inverts_to_guest<kinds16>)
CONSTEXPR_TEST_CASE(decode_inverts_to_guest<kinds64>)
CONSTEXPR_TEST_CASE(decode_names_wrong_and_unknown_kinds<canonical_kinds>)
CONSTEXPR_TEST_CASE(decode_names_wrong_and_unknown_kinds<kinds16>)
CONSTEXPR_TEST_CASE(decode_names_wrong_and_unknown_kinds<kinds64>)
CONSTEXPR_TEST_CASE(visit_calls_the_visitor_with_the_words_kind<canonical_kinds>)
CONSTEXPR_TEST_CASE(visit_calls_the_visitor_with_the_words_kind<kinds16>)
CONSTEXPR_TEST_CASE(visit_calls_the_visitor_with_the_words_kind<kinds64>)
CONSTEXPR_TEST_CASE(visit_does_not_call_the_visitor_for_a_forged_tag)
CONSTEXPR_TEST_CASE(wide_payloads_survive_in_sixty_four_bit_words)
CONSTEXPR_TEST_CASE(handles_order_by_payload)
CONSTEXPR_TEST_CASE(regression_a_forged_tag_in_a_wide_contiguous_set_reaches_no_visitor)
CONSTEXPR_TEST_CASE(regression_from_payload_checks_the_index_before_narrowing)
CONSTEXPR_TEST_CASE(regression_words_wider_than_the_layout_are_refused_not_truncated)
CONSTEXPR_TEST_CASE(regression_a_void_visitor_sees_a_sentinel_as_untagged)
CONSTEXPR_TEST_CASE(regression_kind_of_and_decode_with_more_than_sixty_four_tags)

TEST_CASE("visit forwards a run-time visitor's side effects") {
  std::uint32_t closed = 0;
  const auto r = visit<canonical_kinds>(0x2000'0042U, [&](auto h) { closed = h.payload(); });
  CHECK(r.has_value());
  CHECK(closed == 0x42U);
}
