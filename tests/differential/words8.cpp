// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// 8-bit words: every dispatch path against the model (see dispatch.hpp).
#include "dispatch.hpp"

#include <cstdint>
#include <utility>

using namespace nybble_tests::differential;

// The quick matrix (the test command's) stops at 5 kind bits; the full one
// (tools/test --full, which CI runs) goes to 6.
constexpr unsigned max_kind_bits = NYBBLE_DIFFERENTIAL_FULL ? 6 : 5;

TEST_CASE("8-bit words, 1 to 5 (full: 6) kind bits, kind field below the invalid bit on top") {
  check_layouts<kind_below_invalid_top, std::uint8_t>(std::make_integer_sequence<unsigned, max_kind_bits>{});
}

TEST_CASE("8-bit words with a generation field (see check_generational_layouts)") {
  check_generational_layouts<std::uint8_t>();
}
