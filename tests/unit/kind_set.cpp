// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// kind_set.hpp: reading guest words through a set (kind_of, decode, visit and
// their nullable twins).
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

// A word's generation rides along: decode and visit keep it (to_guest gives the
// word back), payload() is the index alone.
template <class Set>
constexpr bool reads_keep_the_generation_and_strip_it_from_the_payload() {
  using L = typename Set::layout_type;
  const auto word = L::with_tag(L::with_generation(9, L::max_generation), 1);
  const auto entry = decode<cache_entry, Set>(word);
  EXPECT(entry.has_value() && entry->payload() == 9 && entry->generation() == L::max_generation);
  EXPECT(entry->to_guest() == word);
  EXPECT(decode_nullable<cache_entry, Set>(word) == *entry);
  EXPECT(decode<replace_entry, Set>(word) == errc::wrong_kind);
  const auto untagged_word = L::with_generation(9, 1);
  const auto seen = visit<Set>(untagged_word, [](auto h) {
    return kind_and_payload{decltype(h)::kind_type::tag,
                            static_cast<std::uint64_t>(h.payload() | h.generation() << 32)};
  });
  EXPECT(seen == kind_and_payload{0, 9 | std::uint64_t{1} << 32});
  EXPECT(visit<Set>(word, [word](auto h) { return h.to_guest() == word; }) == true);
  // A sentinel has no generation, and its payload is itself.
  EXPECT(decode_nullable<cache_entry, Set>(L::null_word)->payload() == L::null_word);
  EXPECT(decode_nullable<cache_entry, Set>(L::null_word)->generation() == 0);
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
CONSTEXPR_TEST_CASE(the_nullable_reads_pass_sentinels_through_verbatim<generational_kinds>)
CONSTEXPR_TEST_CASE(decode_inverts_to_guest<generational_kinds>)
CONSTEXPR_TEST_CASE(decode_inverts_to_guest<generational_kinds16>)
CONSTEXPR_TEST_CASE(decode_names_wrong_and_unknown_kinds<generational_kinds16>)
CONSTEXPR_TEST_CASE(visit_calls_the_visitor_with_the_words_kind<generational_kinds>)
CONSTEXPR_TEST_CASE(reads_keep_the_generation_and_strip_it_from_the_payload<generational_kinds>)
CONSTEXPR_TEST_CASE(reads_keep_the_generation_and_strip_it_from_the_payload<generational_kinds16>)
CONSTEXPR_TEST_CASE(visit_does_not_call_the_visitor_for_a_forged_tag)
CONSTEXPR_TEST_CASE(regression_a_forged_tag_in_a_wide_contiguous_set_reaches_no_visitor)
CONSTEXPR_TEST_CASE(regression_words_wider_than_the_layout_are_refused_not_truncated)
CONSTEXPR_TEST_CASE(regression_a_void_visitor_sees_a_sentinel_as_untagged)
CONSTEXPR_TEST_CASE(regression_kind_of_and_decode_with_more_than_sixty_four_tags)

TEST_CASE("visit forwards a run-time visitor's side effects") {
  std::uint32_t closed = 0;
  const auto r = visit<canonical_kinds>(0x2000'0042U, [&](auto h) { closed = h.payload(); });
  CHECK(r.has_value());
  CHECK(closed == 0x42U);
}
