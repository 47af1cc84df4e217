// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// libFuzzer target: random poll entries, host scripts and timeouts through
// lower_poll, over either wait model and either refusal policy (the first
// byte chooses), under ASan and UBSan. Any broken law (see poll_scenario.hpp)
// traps, which libFuzzer reports with the input that caused it.
#include "poll_scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace nybble_tests::poll_scenario;
  if (size == 0) {
    return 0;
  }
  const std::span<const std::uint8_t> rest{data + 1, size - 1};
  using nybble::on_refusal;
  nybble_tests::select_scenario::report r{};
  switch (data[0] % 4) {
  case 0:
    r = run<host, on_refusal::report_entry>(rest);
    break;
  case 1:
    r = run<host, on_refusal::fail_call>(rest);
    break;
  case 2:
    r = run<async_host, on_refusal::report_entry>(rest);
    break;
  default:
    r = run<async_host, on_refusal::fail_call>(rest);
    break;
  }
  if (r.broken != nybble_tests::select_scenario::failure::none) {
    std::fprintf(stderr, "lower_poll broke law %d\n", static_cast<int>(r.broken));
    __builtin_trap();
  }
  return 0;
}
