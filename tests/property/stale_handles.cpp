// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Seeded random close-and-reopen scenarios (see stale_scenario.hpp for the
// laws they check). A few seeds are proven at compile time; thousands run at
// run time. Set NYBBLE_PROPERTY_SEED to replay another seed range.
#include "stale_scenario.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <span>

namespace {

using nybble_tests::select_scenario::failure;
using nybble_tests::select_scenario::report;
using nybble_tests::select_scenario::run_seed;
using nybble_tests::select_scenario::run_seeds;
using nybble_tests::select_scenario::tally;

constexpr std::size_t scenario_bytes = 128;

// Words of 32 bits (nybble::generational_abi_layout), 16 bits (a 4-bit
// generation) and 64 bits (a 16-bit generation).
using canonical = nybble_tests::stale_scenario::over<nybble::generational_abi_layout>;
using words16 = nybble_tests::stale_scenario::over<nybble::basic_layout<std::uint16_t, 3, 12, 15, 4, 8>>;
using words64 = nybble_tests::stale_scenario::over<nybble::basic_layout<std::uint64_t, 3, 60, 63, 16, 44>>;

template <class Scenario = canonical>
[[nodiscard]] constexpr report run_bytes(std::span<const std::uint8_t> bytes) {
  return Scenario::run(bytes);
}

template <class Scenario>
constexpr bool seeds_hold_at_compile_time(std::uint64_t first, std::uint64_t count) {
  for (std::uint64_t seed = first; seed < first + count; ++seed) {
    if (run_seed<scenario_bytes>(seed, run_bytes<Scenario>).broken != failure::none) {
      return false;
    }
  }
  return true;
}

static_assert(seeds_hold_at_compile_time<canonical>(1, 4));
static_assert(seeds_hold_at_compile_time<words16>(1, 2));
static_assert(seeds_hold_at_compile_time<words64>(1, 2));

// An adapter that trusts the index and ignores the generation: each word is
// re-stamped with whatever generation its slot holds now, so a stale word
// reaches the resource that has its index today. The laws must catch it.
struct ignores_generations {
  using kinds = canonical::kinds;
  using host = canonical::host;
  using table = canonical::table;
  using word = canonical::word;
  static constexpr std::size_t max_list = canonical::max_list;
  static word restamped(word w, const table& generations) {
    using layout = kinds::layout_type;
    for (std::uintmax_t g = 0; g <= layout::max_generation; ++g) {
      const word candidate = static_cast<word>((w & ~layout::generation_mask) | layout::with_generation(0, g));
      if (generations.check(candidate)) {
        return candidate;
      }
    }
    return w;
  }
  nybble::result<nybble::select_outcome> operator()(std::span<const word> list, nybble::timeout t, host& h,
                                                    std::span<word> scratch, const table& generations) const {
    std::array<word, max_list> current{};
    for (std::size_t i = 0; i < list.size(); ++i) {
      current[i] = restamped(list[i], generations);
    }
    return nybble::lower_select<kinds>(std::span<const word>{current}.first(list.size()), t, h, scratch, generations);
  }
  nybble::result<bool> operator()(word w, host& h, const table& generations) const {
    return nybble::lower_is_ready<kinds>(restamped(w, generations), h, generations);
  }
};

} // namespace

namespace {
template <class Scenario>
void check_seeds(std::uint64_t first, const char* what) {
  constexpr std::uint64_t seeds = 10000;
  const tally t = run_seeds<scenario_bytes>(first, seeds, run_bytes<Scenario>);
  for (std::uint64_t i = 0; i < std::min<std::uint64_t>(t.failures, t.first_failing_seeds.size()); ++i) {
    MESSAGE(doctest::String(what) << ": seed " << t.first_failing_seeds[i] << " broke law "
                                  << static_cast<int>(t.first_broken_laws[i]));
  }
  MESSAGE(doctest::String(what) << ": refused " << t.paths[0] << ", ready " << t.paths[1] << ", timed out "
                                << t.paths[2] << ", host refused " << t.paths[3]);
  CHECK(t.failures == 0);
  // Stale lists, lists answered ready and lists that timed out must each be common.
  CHECK(t.paths[0] >= seeds / 10);
  CHECK(t.paths[1] >= seeds / 10);
  CHECK(t.paths[2] >= seeds / 50);
}
} // namespace

TEST_CASE("random close-and-reopen scenarios keep every law, at every word size") {
  std::uint64_t first = 1;
  if (const char* env = std::getenv("NYBBLE_PROPERTY_SEED")) {
    first = std::strtoull(env, nullptr, 10);
  }
  check_seeds<canonical>(first, "32-bit words");
  check_seeds<words16>(first, "16-bit words");
  check_seeds<words64>(first, "64-bit words");
}

TEST_CASE("an adapter that ignores generations breaks the laws") {
  const tally t = run_seeds<scenario_bytes>(
      1, 2000, [](std::span<const std::uint8_t> bytes) { return canonical::run(bytes, ignores_generations{}); });
  MESSAGE("broken on " << t.failures << " of 2000 seeds");
  CHECK(t.failures >= 200);
  CHECK(t.first_broken_laws[0] == failure::wrong_refusal);
}
