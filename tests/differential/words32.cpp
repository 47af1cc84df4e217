// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// 32-bit words: every dispatch path against the model (see dispatch.hpp).
#include "dispatch.hpp"

#include <cstdint>
#include <utility>

using namespace nybble_tests::differential;

TEST_CASE("32-bit words, 1 to 8 kind bits, kind field below the invalid bit on top") {
  check_layouts<kind_below_invalid_top, std::uint32_t>(std::make_integer_sequence<unsigned, 8>{});
}
