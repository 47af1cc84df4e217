// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// 64-bit words: every dispatch path against the model (see dispatch.hpp).
#include "dispatch.hpp"

#include <cstdint>
#include <utility>

using namespace nybble_tests::differential;

// The quick matrix (the test command's) stops at 5 kind bits (6, and with it
// three and four switch blocks, in 32-bit words); the full one
// (tools/test --full, which CI runs) goes to 8.
constexpr unsigned max_kind_bits = NYBBLE_DIFFERENTIAL_FULL ? 8 : 5;

TEST_CASE("64-bit words, 1 to 5 (full: 8) kind bits, kind field lowest and the invalid bit on top") {
  check_layouts<kind_lowest_invalid_top, std::uint64_t>(std::make_integer_sequence<unsigned, max_kind_bits>{});
}

TEST_CASE("64-bit words with a generation field (see check_generational_layouts)") {
  check_generational_layouts<std::uint64_t>();
}
