// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Seeded random select scenarios (see select_scenario.hpp for the laws they
// check). A few seeds are proven at compile time; thousands run at run time.
// Set NYBBLE_PROPERTY_SEED to replay another seed range.
#include "select_scenario.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <cstdlib>

namespace {

using namespace nybble_tests::select_scenario;

constexpr std::size_t scenario_bytes = 96;

[[nodiscard]] constexpr report run_seed(std::uint64_t seed) {
  std::array<std::uint8_t, scenario_bytes> bytes{};
  seeded_bytes{seed}.fill(bytes);
  return run(bytes);
}

constexpr bool seeds_hold_at_compile_time(std::uint64_t first, std::uint64_t count) {
  for (std::uint64_t seed = first; seed < first + count; ++seed) {
    if (run_seed(seed).broken != failure::none) {
      return false;
    }
  }
  return true;
}

static_assert(seeds_hold_at_compile_time(1, 12));

} // namespace

TEST_CASE("random select scenarios keep every law") {
  std::uint64_t first = 1;
  if (const char* env = std::getenv("NYBBLE_PROPERTY_SEED")) {
    first = std::strtoull(env, nullptr, 10);
  }
  constexpr std::uint64_t seeds = 20000;
  std::uint64_t failures = 0;
  std::array<std::uint64_t, 4> paths{};
  for (std::uint64_t seed = first; seed < first + seeds; ++seed) {
    const report r = run_seed(seed);
    ++paths[static_cast<std::size_t>(r.taken)];
    if (r.broken != failure::none) {
      if (failures < 5) {
        MESSAGE("seed " << seed << " broke law " << static_cast<int>(r.broken));
      }
      ++failures;
    }
  }
  MESSAGE("refused " << paths[0] << ", ready " << paths[1] << ", timed out " << paths[2] << ", host refused "
                     << paths[3]);
  CHECK(failures == 0);
  // The generator must reach every path often, or the laws above were barely tried.
  for (const std::uint64_t taken : paths) {
    CHECK(taken >= seeds / 50);
  }
}

TEST_CASE("the scenario checker notices a broken law") {
  // A checker that can never fail proves nothing: a hand-made leak must be seen.
  nybble_tests::select_fixture::host h;
  const auto entry = h.add<nybble_tests::select_fixture::cache_entry>();
  const auto before = h.live_pollables();
  static_cast<void>(h.subscribe(entry));
  CHECK(h.live_pollables() == before + 1);
}
