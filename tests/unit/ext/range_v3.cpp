// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include <nybble/ext/range_v3.hpp>

#include "kinds.hpp"

#include <doctest/doctest.h>

#include <range/v3/algorithm/equal.hpp>
#include <range/v3/range/concepts.hpp>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/take.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <vector>

using namespace nybble_tests;
using nybble::errc;
template <class K>
using handle = canonical_kinds::handle<K>;

namespace {

// Two cache entries, a replace entry, a pollable, a forged word and a sentinel.
const std::vector<std::uint32_t> words{0x1000'0001U, 0x2000'0002U, 0x0000'0003U,
                                       0x1000'0004U, 0x6000'0005U, nybble::canonical_abi_layout::null_word};

using decode_view =
    decltype(std::declval<std::span<const std::uint32_t>>() | nybble::views::decode<cache_entry, canonical_kinds>);
using of_kind_view =
    decltype(std::declval<std::span<const std::uint32_t>>() | nybble::views::of_kind<cache_entry, canonical_kinds>);
using to_guest_view = decltype(std::declval<std::span<const handle<cache_entry>>>() | nybble::views::to_guest);

// What each view is, and what it is not.
static_assert(ranges::view_<decode_view>);
static_assert(ranges::random_access_range<decode_view>);
static_assert(ranges::sized_range<decode_view>);
static_assert(!ranges::common_range<of_kind_view> || ranges::bidirectional_range<of_kind_view>);
static_assert(ranges::view_<of_kind_view>);
static_assert(ranges::bidirectional_range<of_kind_view>);
static_assert(!ranges::random_access_range<of_kind_view>);
static_assert(!ranges::sized_range<of_kind_view>);
static_assert(ranges::view_<to_guest_view>);
static_assert(ranges::random_access_range<to_guest_view>);
static_assert(ranges::sized_range<to_guest_view>);
static_assert(std::is_same_v<ranges::range_value_t<decode_view>, nybble::result<handle<cache_entry>>>);
static_assert(std::is_same_v<ranges::range_value_t<of_kind_view>, handle<cache_entry>>);
static_assert(std::is_same_v<ranges::range_value_t<to_guest_view>, std::uint32_t>);
// Words are not handles: payloads and to_abi take handles only.
template <class Range, class Adaptor>
concept pipes_into = requires(Range r, Adaptor a) {
  r | a;
};
static_assert(pipes_into<std::span<const handle<cache_entry>>, decltype(nybble::views::payloads)>);
static_assert(!pipes_into<std::span<const std::uint32_t>, decltype(nybble::views::payloads)>);
static_assert(!pipes_into<std::span<const std::uint32_t>, decltype(nybble::views::to_guest)>);
// Filtering caches its begin, so of_kind is not iterable through a const view.
static_assert(!ranges::range<const of_kind_view>);
static_assert(ranges::range<const decode_view>);

} // namespace

TEST_CASE("decode yields one result per word, errors included") {
  const auto results = words | nybble::views::decode<cache_entry, canonical_kinds> | ranges::to<std::vector>();
  CHECK(results.size() == words.size());
  if (!(results.size() == words.size())) {
    return; // the checks below would index past the end
  }
  CHECK(results[0]->payload() == 1U);
  CHECK(results[1].error() == errc::wrong_kind);
  CHECK(results[2].error() == errc::wrong_kind);
  CHECK(results[3]->payload() == 4U);
  CHECK(results[4].error() == errc::unknown_kind);
  CHECK(results[5].error() == errc::invalid_handle); // a sentinel names no live handle
}

TEST_CASE("of_kind keeps the words of one kind, as handles, and leaves sentinels out") {
  auto entries = words | nybble::views::of_kind<cache_entry, canonical_kinds> | nybble::views::payloads;
  CHECK(ranges::equal(entries, std::array<std::uint32_t, 2>{1U, 4U}));
  auto pollables = words | nybble::views::of_kind<nybble::untagged, canonical_kinds> | nybble::views::payloads;
  CHECK(ranges::equal(pollables, std::array<std::uint32_t, 1>{3U}));
}

TEST_CASE("to_guest and payloads are the two directions of translation") {
  const std::array<handle<replace_entry>, 3> handles{
      *handle<replace_entry>::from_payload(7), *handle<replace_entry>::from_payload(8), handle<replace_entry>::null()};
  CHECK(
      ranges::equal(handles | nybble::views::to_guest,
                    std::array<std::uint32_t, 3>{0x2000'0007U, 0x2000'0008U, nybble::canonical_abi_layout::null_word}));
  CHECK(ranges::equal(handles | nybble::views::payloads,
                      std::array<std::uint32_t, 3>{7U, 8U, nybble::canonical_abi_layout::null_word}));
  // Round trip: tag, then read back, then strip; "no handle" reads back as no live handle.
  const auto back = handles | nybble::views::to_guest | nybble::views::decode<replace_entry, canonical_kinds> |
                    ranges::to<std::vector>();
  CHECK(back.size() == handles.size());
  if (!(back.size() == handles.size())) {
    return; // the checks below would index past the end
  }
  CHECK(back[0] == handles[0]);
  CHECK(back[1] == handles[1]);
  CHECK(back[2] == errc::invalid_handle);
}

TEST_CASE("views compose over spans, vectors, arrays and other views") {
  const std::array<std::uint32_t, 4> array{0x1000'0009U, 0x1000'000AU, 0x0000'0001U, 0x1000'000BU};
  const std::span<const std::uint32_t> span{array};
  // Collected by a loop: ranges::to on this non-common range goes through range-v3's
  // common_iterator, which throws, and this test also builds without exceptions.
  std::vector<std::uint32_t> from_span;
  for (const std::uint32_t word :
       span | nybble::views::of_kind<cache_entry, canonical_kinds> | ranges::views::take(2) | nybble::views::to_guest) {
    from_span.push_back(word);
  }
  CHECK(from_span == std::vector<std::uint32_t>{0x1000'0009U, 0x1000'000AU});
  auto from_array = array | nybble::views::of_kind<cache_entry, canonical_kinds> | nybble::views::payloads;
  CHECK(ranges::distance(from_array) == 3);
  // 16-bit words: the views follow the set's layout.
  const std::vector<std::uint16_t> small{0x1001U, 0x3002U, 0x0003U};
  auto http = small | nybble::views::of_kind<http_cache_entry, kinds16> | nybble::views::payloads;
  CHECK(ranges::equal(http, std::array<std::uint16_t, 1>{2U}));
}
