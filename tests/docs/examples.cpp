// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The code of README.md and docs/*.md, compiled and checked, so the documents
// cannot drift from the library. Keep each block as the document shows it.
#include <nybble.hpp>
#include <nybble/select.hpp>
#include <nybble/testing.hpp>

#include "constexpr_check.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <span>

// README.md, "Your first adapter": the same code over three layouts, the layout
// line alone changed.
namespace first_adapter_canonical {
using first_adapter_layout = nybble::canonical_abi_layout;
#include "first_adapter.hpp"
} // namespace first_adapter_canonical
namespace first_adapter_16 {
using first_adapter_layout = nybble::basic_layout<std::uint16_t, 3, 12, 15>;
#include "first_adapter.hpp"
} // namespace first_adapter_16
namespace first_adapter_64 {
using first_adapter_layout = nybble::basic_layout<std::uint64_t, 3, 60, 63>;
#include "first_adapter.hpp"
} // namespace first_adapter_64

TEST_CASE("README's first adapter, over 32-, 16- and 64-bit words") {
  CHECK(first_adapter_canonical::first_adapter_works());
  CHECK(first_adapter_16::first_adapter_works());
  CHECK(first_adapter_64::first_adapter_works());
}

namespace {

// docs/testing.md, "Setting up"
struct cache_entry : nybble::kind<1> {};
struct http_cache_entry : nybble::kind<3> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, http_cache_entry>;

using host = nybble::testing::typed_host<kinds, nybble::testing::subscribes<cache_entry>,
                                         nybble::testing::steps<http_cache_entry>>;
using nybble::testing::readiness;

// docs/testing.md, "Asserting"
constexpr bool select_wakes_on_the_page() {
  host h;
  const std::array<std::uint32_t, 3> list{
      h.add_pollable(readiness::at_ms(100)), h.add<cache_entry>(readiness::at_ms(40)).to_abi(),
      h.add<http_cache_entry>({readiness::at_ms(10), readiness::at_ms(25)}).to_abi()};
  nybble::inline_scratch<3> scratch;
  const auto r = nybble::lower_select<kinds>(list, nybble::timeout::none(), h, scratch);
  return r && r->index() == 2         // the caller's index
         && h.virtual_time_ms() == 25 // after both steps
         && h.live_pollables() == 1   // only the guest's own is left
         && h.trap_count() == 0 && h.count_calls(nybble::testing::call::step) == 3;
}

// README.md, "Your first adapter": steps 2 and 3, and the layout figures of docs/layout.md
constexpr bool first_adapter_steps_hold() {
  const auto entry = nybble::handle<cache_entry>::from_payload(5);
  EXPECT(entry.has_value() && entry->to_abi() == 0x1000'0005U);
  EXPECT(nybble::handle<cache_entry>::from_payload(0x1000'0000U).error() == nybble::errc::payload_overflow);
  const auto back = nybble::decode<cache_entry, kinds>(0x1000'0005U);
  EXPECT(back && back->payload() == 5U);
  EXPECT(nybble::decode<cache_entry, kinds>(0x3000'0005U).error() == nybble::errc::wrong_kind);
  EXPECT(nybble::decode<cache_entry, kinds>(0x6000'0005U).error() == nybble::errc::unknown_kind);
  EXPECT(nybble::canonical_abi_layout::payload_mask == 0x0FFF'FFFFU);
  EXPECT(nybble::basic_layout<std::uint16_t, 3, 12, 15>::payload_mask == 0x0FFF);
  return true;
}

// README.md, "Testing your adapter"
using readme_host = nybble::testing::typed_host<kinds, nybble::testing::subscribes<cache_entry>,
                                                nybble::testing::steps<http_cache_entry>>;
constexpr bool select_wakes_on_the_entry() {
  readme_host h;
  const std::array<std::uint32_t, 2> list{h.add_pollable(readiness::never()),
                                          h.add<cache_entry>(readiness::at_ms(5)).to_abi()};
  nybble::inline_scratch<2> scratch;
  auto r = nybble::lower_select<kinds>(list, nybble::timeout::none(), h, scratch);
  return r && r->index() == 1 && h.live_pollables() == 1 && h.trap_count() == 0;
}

} // namespace

CONSTEXPR_TEST_CASE(select_wakes_on_the_page)
CONSTEXPR_TEST_CASE(first_adapter_steps_hold)
CONSTEXPR_TEST_CASE(select_wakes_on_the_entry)
