// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// libFuzzer target: random handle lists, host scripts and timeouts through
// lower_select, under ASan and UBSan. Any broken law (see select_scenario.hpp)
// traps, which libFuzzer reports with the input that caused it.
#include "select_scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto f = nybble_tests::select_scenario::run(std::span<const std::uint8_t>{data, size}).broken;
  if (f != nybble_tests::select_scenario::failure::none) {
    std::fprintf(stderr, "lower_select broke law %d\n", static_cast<int>(f));
    __builtin_trap();
  }
  return 0;
}
