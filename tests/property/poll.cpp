// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Seeded random poll scenarios over both wait models and both refusal
// policies (see poll_scenario.hpp for the laws they check). A few seeds are
// proven at compile time; thousands run at run time.
#include "poll_scenario.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <span>

namespace {

using namespace nybble_tests::poll_scenario; // the scenario, its hosts, failure and report
using nybble_tests::select_scenario::run_seed;
using nybble_tests::select_scenario::run_seeds;
using nybble_tests::select_scenario::tally;

constexpr std::size_t scenario_bytes = 96;

template <class Host, nybble::on_refusal Refusals>
constexpr report run_bytes(std::span<const std::uint8_t> bytes) {
  return run<Host, Refusals>(bytes);
}

template <class Host, nybble::on_refusal Refusals>
constexpr bool seeds_hold_at_compile_time(std::uint64_t first, std::uint64_t count) {
  for (std::uint64_t seed = first; seed < first + count; ++seed) {
    if (run_seed<scenario_bytes>(seed, run_bytes<Host, Refusals>).broken != failure::none) {
      return false;
    }
  }
  return true;
}

static_assert(seeds_hold_at_compile_time<host, nybble::on_refusal::report_entry>(1, 3));
static_assert(seeds_hold_at_compile_time<async_host, nybble::on_refusal::fail_call>(1, 3));

template <class Host, nybble::on_refusal Refusals>
void check_seeds(const char* what) {
  constexpr std::uint64_t seeds = 10000;
  const tally t = run_seeds<scenario_bytes>(1, seeds, run_bytes<Host, Refusals>);
  for (std::uint64_t i = 0; i < std::min<std::uint64_t>(t.failures, t.first_failing_seeds.size()); ++i) {
    MESSAGE(doctest::String(what) << ": seed " << t.first_failing_seeds[i] << " broke law "
                                  << static_cast<int>(t.first_broken_laws[i]));
  }
  MESSAGE(doctest::String(what) << ": refused " << t.paths[0] << ", ready " << t.paths[1] << ", timed out "
                                << t.paths[2]);
  CHECK(t.failures == 0);
  CHECK(t.paths[1] >= seeds / 10);
  CHECK(t.paths[2] >= seeds / 100);
}

} // namespace

TEST_CASE("random poll scenarios keep every law") {
  check_seeds<host, nybble::on_refusal::report_entry>("pollables, refusals reported");
  check_seeds<host, nybble::on_refusal::fail_call>("pollables, refusals fail the call");
  check_seeds<async_host, nybble::on_refusal::report_entry>("waitable sets, refusals reported");
  check_seeds<async_host, nybble::on_refusal::fail_call>("waitable sets, refusals fail the call");
}
