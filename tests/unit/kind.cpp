// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <nybble/kind_set.hpp>

#include "constexpr_check.hpp"
#include "kinds.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <type_traits>

using namespace nybble_tests;
using nybble::canonical_abi_layout;
using nybble::kind_set;
using nybble::untagged;

namespace {

struct largest_tag_kind : nybble::kind<7> {};
struct not_a_kind {};

constexpr bool kinds_are_types_that_name_their_tag() {
  EXPECT(cache_entry::tag == 1);
  EXPECT(untagged::tag == 0);
  EXPECT(nybble::resource_kind<cache_entry>);
  EXPECT(nybble::resource_kind<untagged>);
  EXPECT(!nybble::resource_kind<not_a_kind>);
  EXPECT(!nybble::resource_kind<int>);
  return true;
}

constexpr bool untagged_is_always_a_member() {
  using empty = kind_set<canonical_abi_layout>;
  EXPECT(empty::size == 1);
  EXPECT(empty::contains<untagged>);
  EXPECT(!empty::contains<cache_entry>);
  EXPECT(empty::contains_tag(0));
  EXPECT(!empty::contains_tag(1));
  EXPECT(canonical_kinds::size == 3);
  EXPECT(canonical_kinds::contains<untagged>);
  return true;
}

constexpr bool membership_by_type_and_by_tag() {
  EXPECT(canonical_kinds::contains<cache_entry>);
  EXPECT(canonical_kinds::contains<replace_entry>);
  EXPECT(!canonical_kinds::contains<http_cache_entry>);
  EXPECT(canonical_kinds::contains_tag(1));
  EXPECT(canonical_kinds::contains_tag(2));
  for (std::uintmax_t tag = 3; tag <= 7; ++tag) {
    EXPECT(!canonical_kinds::contains_tag(tag));
  }
  EXPECT(!canonical_kinds::contains_tag(1U << 20));
  return true;
}

constexpr bool the_largest_tag_the_field_holds_is_accepted() {
  using set = kind_set<canonical_abi_layout, largest_tag_kind>;
  EXPECT(set::contains_tag(7));
  using set16 = kind_set<layout16, largest_tag_kind>;
  EXPECT(set16::contains<largest_tag_kind>);
  return true;
}

constexpr bool for_each_kind_visits_untagged_first_then_the_listed_order() {
  std::array<std::uintmax_t, 4> seen{};
  std::size_t count = 0;
  kinds16::for_each_kind([&]<class K>(std::type_identity<K>) { seen[count++] = K::tag; });
  EXPECT(count == 4);
  EXPECT(seen == std::array<std::uintmax_t, 4>{0, 1, 2, 3});
  return true;
}

constexpr bool with_kind_of_tag_dispatches_to_the_matching_type() {
  for (std::uintmax_t tag = 0; tag <= 7; ++tag) {
    std::uintmax_t reached = 99;
    const bool found =
        canonical_kinds::with_kind_of_tag(tag, [&]<class K>(std::type_identity<K>) { reached = K::tag; });
    EXPECT(found == (tag <= 2));
    EXPECT(reached == (found ? tag : 99));
  }
  return true;
}

constexpr bool member_aliases_name_layout_and_word() {
  EXPECT(std::is_same_v<canonical_kinds::layout_type, canonical_abi_layout>);
  EXPECT(std::is_same_v<canonical_kinds::word_type, std::uint32_t>);
  EXPECT(std::is_same_v<kinds16::word_type, std::uint16_t>);
  EXPECT(std::is_same_v<kinds64::word_type, std::uint64_t>);
  EXPECT(nybble::any_kind_set<canonical_kinds>);
  EXPECT(!nybble::any_kind_set<canonical_abi_layout>);
  return true;
}

// Tags {1, 2, 5}: membership must not be read past the layout's field (a mask
// of tags shifted by 64 or more is undefined; 8 + 5 and 64 + 1 alias).
constexpr bool regression_contains_tag_beyond_the_layout_on_a_gapped_set() {
  struct t1 : nybble::kind<1> {};
  struct t2 : nybble::kind<2> {};
  struct t5 : nybble::kind<5> {};
  using gapped = kind_set<canonical_abi_layout, t1, t2, t5>;
  for (std::uintmax_t tag = 0; tag <= 7; ++tag) {
    EXPECT(gapped::contains_tag(tag) == (tag == 0 || tag == 1 || tag == 2 || tag == 5));
  }
  for (const std::uintmax_t beyond :
       {std::uintmax_t{8}, std::uintmax_t{13}, std::uintmax_t{63}, std::uintmax_t{64}, std::uintmax_t{65},
        std::uintmax_t{69}, std::uintmax_t{128 + 5}, ~std::uintmax_t{0}}) {
    EXPECT(!gapped::contains_tag(beyond));
    EXPECT(!gapped::with_kind_of_tag(beyond, [](auto) {}));
  }
  // The largest values: no kind field holds them, so the dispatch may use them
  // as the labels of the switch cases past the last kind; none may match.
  for (std::uintmax_t below_max = 0; below_max < 40; ++below_max) {
    EXPECT(!gapped::with_kind_of_tag(~std::uintmax_t{0} - below_max, [](auto) {}));
    EXPECT(!gapped::contains_tag(~std::uintmax_t{0} - below_max));
  }
  return true;
}

constexpr bool unwaitable_kinds_are_kinds_that_say_so() {
  struct body : nybble::unwaitable_kind<4> {};
  EXPECT(nybble::resource_kind<body>);
  EXPECT(body::tag == 4);
  EXPECT(!body::waitable);
  EXPECT(cache_entry::waitable);
  EXPECT(untagged::waitable);
  EXPECT((kind_set<canonical_abi_layout, cache_entry, body>::contains_tag(4)));
  return true;
}

} // namespace

CONSTEXPR_TEST_CASE(kinds_are_types_that_name_their_tag)
CONSTEXPR_TEST_CASE(untagged_is_always_a_member)
CONSTEXPR_TEST_CASE(membership_by_type_and_by_tag)
CONSTEXPR_TEST_CASE(the_largest_tag_the_field_holds_is_accepted)
CONSTEXPR_TEST_CASE(for_each_kind_visits_untagged_first_then_the_listed_order)
CONSTEXPR_TEST_CASE(with_kind_of_tag_dispatches_to_the_matching_type)
CONSTEXPR_TEST_CASE(member_aliases_name_layout_and_word)
CONSTEXPR_TEST_CASE(regression_contains_tag_beyond_the_layout_on_a_gapped_set)
CONSTEXPR_TEST_CASE(unwaitable_kinds_are_kinds_that_say_so)
