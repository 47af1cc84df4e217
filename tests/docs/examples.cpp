// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The figures the documents quote (words, masks, errcs), checked. The documents'
// code blocks themselves are compiled and run as they stand by doc_blocks.py.
#include <nybble.hpp>
#include <nybble/select.hpp>
#include <nybble/testing.hpp>

#include "constexpr_check.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <span>

namespace {

// README.md, "Your first adapter": the figures of step 2 and 3, and of docs/layout.md
struct cache_entry : nybble::kind<1> {};
struct http_cache_entry : nybble::kind<3> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, http_cache_entry>;

constexpr bool first_adapter_steps_hold() {
  const auto entry = kinds::handle<cache_entry>::from_payload(5);
  EXPECT(entry.has_value() && entry->to_guest() == 0x1000'0005U);
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
