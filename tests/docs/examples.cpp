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

// docs/testing.md and README.md's "Testing your adapter", over the same three layouts.
namespace testing_examples_canonical {
using testing_examples_layout = nybble::canonical_abi_layout;
#include "testing_examples.hpp"
} // namespace testing_examples_canonical
namespace testing_examples_16 {
using testing_examples_layout = nybble::basic_layout<std::uint16_t, 3, 12, 15>;
#include "testing_examples.hpp"
} // namespace testing_examples_16
namespace testing_examples_64 {
using testing_examples_layout = nybble::basic_layout<std::uint64_t, 3, 60, 63>;
#include "testing_examples.hpp"
} // namespace testing_examples_64

TEST_CASE("docs/testing.md and the README's test, over 32-, 16- and 64-bit words") {
  CHECK(testing_examples_canonical::select_wakes_on_the_page());
  CHECK(testing_examples_canonical::select_wakes_on_the_entry());
  CHECK(testing_examples_16::select_wakes_on_the_page());
  CHECK(testing_examples_16::select_wakes_on_the_entry());
  CHECK(testing_examples_64::select_wakes_on_the_page());
  CHECK(testing_examples_64::select_wakes_on_the_entry());
}

namespace {

// README.md, "Your first adapter": the figures of step 2 and 3, and of docs/layout.md
struct cache_entry : nybble::kind<1> {};
struct http_cache_entry : nybble::kind<3> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, http_cache_entry>;

constexpr bool first_adapter_steps_hold() {
  const auto entry = kinds::handle<cache_entry>::from_payload(5);
  EXPECT(entry.has_value() && entry->to_abi() == 0x1000'0005U);
  EXPECT(kinds::handle<cache_entry>::from_payload(0x1000'0000U).error() == nybble::errc::payload_overflow);
  const auto back = nybble::decode<cache_entry, kinds>(0x1000'0005U);
  EXPECT(back && back->payload() == 5U);
  EXPECT(nybble::decode<cache_entry, kinds>(0x3000'0005U).error() == nybble::errc::wrong_kind);
  EXPECT(nybble::decode<cache_entry, kinds>(0x6000'0005U).error() == nybble::errc::unknown_kind);
  EXPECT(nybble::canonical_abi_layout::payload_mask == 0x0FFF'FFFFU);
  EXPECT(nybble::basic_layout<std::uint16_t, 3, 12, 15>::payload_mask == 0x0FFF);
  return true;
}

} // namespace

CONSTEXPR_TEST_CASE(first_adapter_steps_hold)
