// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// libFuzzer target: random histories of opens and closes over a host that
// reuses freed indices, then live and stale words through lower_select and
// lower_is_ready, under ASan and UBSan. Any broken law (see stale_scenario.hpp)
// traps, which libFuzzer reports with the input that caused it.
#include "stale_scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using scenario = nybble_tests::stale_scenario::over<nybble::generational_abi_layout>;
  const auto f = scenario::run(std::span<const std::uint8_t>{data, size}).broken;
  if (f != nybble_tests::select_scenario::failure::none) {
    std::fprintf(stderr, "a stale-handle law broke: %d\n", static_cast<int>(f));
    __builtin_trap();
  }
  return 0;
}
