// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// <nybble.hpp> alone brings the whole core: layouts, kinds, results, handles
// and the select lowering.
#include <nybble.hpp>

#include "constexpr_check.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace {

struct entry : nybble::kind<1> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, entry>;

struct minimal_host {
  int live = 0;
  constexpr std::uint32_t select(std::span<const std::uint32_t>) { return 0; }
  constexpr std::optional<std::uint32_t> select(std::span<const std::uint32_t>, std::uint32_t) { return 0U; }
  constexpr void drop_pollable(std::uint32_t) { --live; }
  constexpr std::uint32_t subscribe(kinds::handle<entry>) {
    ++live;
    return 7;
  }
};

constexpr bool the_umbrella_brings_the_core() {
  const auto h = kinds::handle<entry>::from_payload(3);
  EXPECT(h.has_value() && h->to_guest() == 0x1000'0003U);
  EXPECT(nybble::decode<entry, kinds>(h->to_guest()) == *h);
  EXPECT(nybble::describe(nybble::errc::invalid_handle)[0] != '\0');
  minimal_host host;
  nybble::inline_scratch<1, kinds> scratch;
  const auto r =
      nybble::lower_select<kinds>(std::array<std::uint32_t, 1>{h->to_guest()}, nybble::timeout::none(), host, scratch);
  EXPECT(r.has_value() && r->index() == 0 && host.live == 0);
  return true;
}

} // namespace

CONSTEXPR_TEST_CASE(the_umbrella_brings_the_core)
