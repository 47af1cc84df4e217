// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <nybble/layout.hpp>

#include "constexpr_check.hpp"
#include "kinds.hpp"

#include <doctest/doctest.h>

#include <bit>
#include <cstdint>

using nybble::basic_layout;
using nybble::canonical_abi_layout;
using nybble_tests::layout16;
using nybble_tests::layout64;

namespace {

// The fields must partition the word, whatever the word size.
template <class L>
constexpr bool fields_partition_the_word() {
  using word = typename L::word_type;
  EXPECT((L::kind_mask & L::invalid_mask) == 0);
  EXPECT((L::kind_mask & L::payload_mask) == 0);
  EXPECT((L::invalid_mask & L::payload_mask) == 0);
  EXPECT((L::generation_mask & (L::kind_mask | L::invalid_mask | L::payload_mask)) == 0);
  EXPECT(static_cast<word>(L::kind_mask | L::invalid_mask | L::generation_mask | L::payload_mask) ==
         static_cast<word>(~word{0}));
  EXPECT(L::handle_mask == static_cast<word>(L::payload_mask | L::generation_mask));
  EXPECT(std::popcount(L::kind_mask) == static_cast<int>(L::kind_bits));
  EXPECT(std::popcount(L::invalid_mask) == 1);
  EXPECT(std::popcount(L::generation_mask) == static_cast<int>(L::generation_bits));
  EXPECT(std::countr_zero(L::kind_mask) == static_cast<int>(L::kind_shift));
  EXPECT(std::countr_zero(L::invalid_mask) == static_cast<int>(L::invalid_bit));
  EXPECT(L::has_generation == (L::generation_bits != 0));
  if constexpr (L::has_generation) {
    EXPECT(std::countr_zero(L::generation_mask) == static_cast<int>(L::generation_shift));
    EXPECT(L::max_generation == (std::uintmax_t{1} << L::generation_bits) - 1U);
  } else {
    EXPECT(L::generation_mask == 0 && L::max_generation == 0);
  }
  return true;
}

constexpr bool canonical_layout_is_the_reference_layout() {
  using L = canonical_abi_layout;
  EXPECT(L::word_bits == 32);
  EXPECT(L::kind_mask == 0x7000'0000U);
  EXPECT(L::invalid_mask == 0x8000'0000U);
  EXPECT(L::payload_mask == 0x0FFF'FFFFU);
  EXPECT(L::max_tag == 7);
  return fields_partition_the_word<L>();
}

constexpr bool sixteen_and_sixty_four_bit_layouts_derive_their_masks() {
  EXPECT(layout16::word_bits == 16);
  EXPECT(layout16::kind_mask == 0x7000U);
  EXPECT(layout16::invalid_mask == 0x8000U);
  EXPECT(layout16::payload_mask == 0x0FFFU);
  EXPECT(layout64::word_bits == 64);
  EXPECT(layout64::kind_mask == 0x7000'0000'0000'0000ULL);
  EXPECT(layout64::invalid_mask == 0x8000'0000'0000'0000ULL);
  EXPECT(layout64::payload_mask == 0x0FFF'FFFF'FFFF'FFFFULL);
  EXPECT(fields_partition_the_word<layout16>());
  EXPECT(fields_partition_the_word<layout64>());
  return true;
}

// Fields need not sit at the top: a tag in the low bits leaves a payload with a hole.
constexpr bool low_kind_field_leaves_the_rest_as_payload() {
  using L = basic_layout<std::uint32_t, 2, 0, 31>;
  EXPECT(L::kind_mask == 0x3U);
  EXPECT(L::payload_mask == 0x7FFF'FFFCU);
  EXPECT(L::max_tag == 3);
  EXPECT(!L::fits_payload(0x1U));
  EXPECT(L::fits_payload(0x4U));
  EXPECT(L::tag_of(L::with_tag(0x4U, 3)) == 3);
  return fields_partition_the_word<L>();
}

// A generation field, at every word size, between the kind field and the
// payload (as generational_abi_layout has it) or below the payload.
constexpr bool generation_fields_partition_the_word_at_every_size() {
  using L = nybble::generational_abi_layout;
  EXPECT(L::generation_mask == 0x0FF0'0000U && L::payload_mask == 0x000F'FFFFU && L::max_generation == 255);
  EXPECT(L::kind_mask == canonical_abi_layout::kind_mask && L::invalid_mask == canonical_abi_layout::invalid_mask);
  EXPECT(!canonical_abi_layout::has_generation &&
         canonical_abi_layout::handle_mask == canonical_abi_layout::payload_mask);
  EXPECT(fields_partition_the_word<L>());
  using g8 = basic_layout<std::uint8_t, 2, 5, 7, 2, 3>; // invalid 7, kind 5..6, generation 3..4, payload 0..2
  EXPECT(g8::generation_mask == 0x18U && g8::payload_mask == 0x07U && g8::max_generation == 3);
  EXPECT(fields_partition_the_word<g8>());
  using g16 = basic_layout<std::uint16_t, 3, 12, 15, 4, 8>;
  EXPECT(g16::generation_mask == 0x0F00U && g16::payload_mask == 0x00FFU);
  EXPECT(fields_partition_the_word<g16>());
  using g64 = basic_layout<std::uint64_t, 3, 60, 63, 16, 44>;
  EXPECT(g64::generation_mask == 0x0FFF'F000'0000'0000ULL && g64::payload_mask == 0x0000'0FFF'FFFF'FFFFULL);
  EXPECT(fields_partition_the_word<g64>());
  using low = basic_layout<std::uint32_t, 3, 28, 31, 4, 0>; // the generation in the lowest bits
  EXPECT(low::generation_mask == 0xFU && low::payload_mask == 0x0FFF'FFF0U);
  EXPECT(fields_partition_the_word<low>());
  return true;
}

using generational8 = basic_layout<std::uint8_t, 2, 5, 7, 2, 3>;
using generational64 = basic_layout<std::uint64_t, 3, 60, 63, 16, 44>;

// generation_of and with_generation round-trip, and leave the other fields alone.
template <class L>
constexpr bool generations_round_trip() {
  using word = typename L::word_type;
  for (std::uintmax_t generation : {std::uintmax_t{0}, std::uintmax_t{1}, L::max_generation}) {
    for (const word payload : {word{0}, word{1}, static_cast<word>(L::payload_mask)}) {
      const word stamped = L::with_tag(L::with_generation(payload, generation), L::max_tag);
      EXPECT(L::generation_of(stamped) == generation);
      EXPECT(L::payload_of(stamped) == payload);
      EXPECT(L::tag_of(stamped) == L::max_tag);
      EXPECT(!L::is_invalid(stamped));
      EXPECT(!L::fits_payload(stamped)); // it carries a tag
    }
  }
  EXPECT(!L::fits_payload(L::generation_mask)); // an index reaching into the generation field does not fit
  return true;
}

template <class L>
constexpr bool word_operations_round_trip() {
  using word = typename L::word_type;
  const word largest_payload = L::payload_mask;
  for (std::uintmax_t tag = 0; tag <= L::max_tag; ++tag) {
    for (const word payload : {word{0}, word{1}, word{0x155}, largest_payload}) {
      EXPECT(L::fits_payload(payload));
      const word tagged = L::with_tag(payload, tag);
      EXPECT(L::tag_of(tagged) == tag);
      EXPECT(L::payload_of(tagged) == payload);
      EXPECT(L::dispatch_tag_of(tagged) == tag);
      EXPECT(!L::is_invalid(tagged));
    }
  }
  EXPECT(!L::fits_payload(L::kind_mask));
  EXPECT(!L::fits_payload(L::invalid_mask));
  EXPECT(L::is_invalid(static_cast<word>(~word{0})));
  EXPECT(L::is_invalid(static_cast<word>(~word{1})));
  EXPECT(L::is_invalid(L::invalid_mask));
  // A sentinel is dispatched as untagged, whatever its other bits say.
  EXPECT(L::dispatch_tag_of(static_cast<word>(~word{0})) == 0);
  EXPECT(L::dispatch_tag_of(static_cast<word>(L::invalid_mask | L::kind_mask)) == 0);
  EXPECT(!L::is_invalid(static_cast<word>(L::kind_mask | L::payload_mask)));
  // payload_of keeps the payload bits only: neither the kind field nor the invalid bit.
  EXPECT(L::payload_of(static_cast<word>(~word{0})) == L::payload_mask);
  EXPECT(L::payload_of(static_cast<word>(L::invalid_mask | 5U)) == (5U & L::payload_mask));
  return true;
}

// dispatch_tag_of reads the kind field, or 0 for a sentinel, for every 16-bit
// word, against a shift and a mask of its own; with the invalid bit at the top and
// with it below the kind field.
template <class L>
constexpr bool the_dispatch_tag_is_the_kind_field_or_zero_for_every_word() {
  static_assert(L::word_bits == 16);
  for (std::uint32_t w = 0; w <= 0xFFFFU; ++w) {
    const auto word = static_cast<std::uint16_t>(w);
    const std::uintmax_t field = (w >> L::kind_shift) & ((1U << L::kind_bits) - 1U);
    const bool invalid = ((w >> L::invalid_bit) & 1U) != 0;
    EXPECT(L::dispatch_tag_of(word) == (invalid ? 0 : field));
  }
  return true;
}
using layout16_invalid_below = basic_layout<std::uint16_t, 3, 4, 2>;
using layout16_invalid_lowest = basic_layout<std::uint16_t, 2, 14, 0>;

template <class L>
constexpr bool the_dispatch_tag_is_the_tag_or_zero_for_a_sentinel() {
  using word = typename L::word_type;
  for (std::uintmax_t tag = 0; tag <= L::max_tag; ++tag) {
    for (const word payload : {word{0}, word{1}, static_cast<word>(L::payload_mask)}) {
      const word tagged = L::with_tag(payload, tag);
      EXPECT(L::dispatch_tag_of(tagged) == tag);
      EXPECT(L::dispatch_tag_of(static_cast<word>(tagged | L::invalid_mask)) == 0);
    }
  }
  return true;
}

constexpr bool the_layout_concept_accepts_layouts_only() {
  EXPECT(nybble::layout<canonical_abi_layout>);
  EXPECT(nybble::layout<layout16>);
  EXPECT(nybble::layout<layout64>);
  EXPECT(!nybble::layout<int>);
  EXPECT(!nybble::layout<std::uint32_t>);
  return true;
}

// null_word and tombstone_word: two distinct sentinels, whatever bit is the invalid one.
template <class L>
constexpr bool the_named_sentinels_are_sentinels() {
  EXPECT(L::is_invalid(L::null_word) && L::is_invalid(L::tombstone_word));
  EXPECT(L::null_word != L::tombstone_word);
  EXPECT(L::null_word == static_cast<typename L::word_type>(~typename L::word_type{0}));
  if constexpr (std::is_same_v<L, canonical_abi_layout>) {
    EXPECT(L::null_word == 0xFFFF'FFFFU && L::tombstone_word == 0xFFFF'FFFEU);
  }
  return true;
}

} // namespace

CONSTEXPR_TEST_CASE(canonical_layout_is_the_reference_layout)
CONSTEXPR_TEST_CASE(sixteen_and_sixty_four_bit_layouts_derive_their_masks)
CONSTEXPR_TEST_CASE(low_kind_field_leaves_the_rest_as_payload)
CONSTEXPR_TEST_CASE(generation_fields_partition_the_word_at_every_size)
CONSTEXPR_TEST_CASE(generations_round_trip<nybble::generational_abi_layout>)
CONSTEXPR_TEST_CASE(generations_round_trip<generational8>)
CONSTEXPR_TEST_CASE(generations_round_trip<generational64>)
CONSTEXPR_TEST_CASE(word_operations_round_trip<nybble::generational_abi_layout>)
CONSTEXPR_TEST_CASE(word_operations_round_trip<canonical_abi_layout>)
CONSTEXPR_TEST_CASE(word_operations_round_trip<layout16>)
CONSTEXPR_TEST_CASE(word_operations_round_trip<layout64>)
// 65,536 words per layout: proven at compile time for one placement (each costs
// the compiler seconds), run for the other two.
CONSTEXPR_TEST_CASE(the_dispatch_tag_is_the_kind_field_or_zero_for_every_word<layout16>)
TEST_CASE("the_dispatch_tag_is_the_kind_field_or_zero_for_every_word<layout16_invalid_below>") {
  CHECK(the_dispatch_tag_is_the_kind_field_or_zero_for_every_word<layout16_invalid_below>());
}
TEST_CASE("the_dispatch_tag_is_the_kind_field_or_zero_for_every_word<layout16_invalid_lowest>") {
  CHECK(the_dispatch_tag_is_the_kind_field_or_zero_for_every_word<layout16_invalid_lowest>());
}
CONSTEXPR_TEST_CASE(the_dispatch_tag_is_the_tag_or_zero_for_a_sentinel<canonical_abi_layout>)
CONSTEXPR_TEST_CASE(the_dispatch_tag_is_the_tag_or_zero_for_a_sentinel<layout64>)
CONSTEXPR_TEST_CASE(the_layout_concept_accepts_layouts_only)
CONSTEXPR_TEST_CASE(the_named_sentinels_are_sentinels<canonical_abi_layout>)
CONSTEXPR_TEST_CASE(the_named_sentinels_are_sentinels<layout16>)
CONSTEXPR_TEST_CASE(the_named_sentinels_are_sentinels<layout64>)
CONSTEXPR_TEST_CASE(the_named_sentinels_are_sentinels<layout16_invalid_lowest>)
