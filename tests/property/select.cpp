// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Seeded random select scenarios (see select_scenario.hpp for the laws they
// check). A few seeds are proven at compile time; thousands run at run time.
// Set NYBBLE_PROPERTY_SEED to replay another seed range.
#include "select_scenario.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>

namespace {

using namespace nybble_tests::select_scenario;

constexpr std::size_t scenario_bytes = 96;

[[nodiscard]] constexpr report run_bytes(std::span<const std::uint8_t> bytes) { return run(bytes); }

constexpr bool seeds_hold_at_compile_time(std::uint64_t first, std::uint64_t count) {
  for (std::uint64_t seed = first; seed < first + count; ++seed) {
    if (run_seed<scenario_bytes>(seed, run_bytes).broken != failure::none) {
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
  const tally t = run_seeds<scenario_bytes>(first, seeds, run_bytes);
  for (std::uint64_t i = 0; i < std::min<std::uint64_t>(t.failures, t.first_failing_seeds.size()); ++i) {
    MESSAGE("seed " << t.first_failing_seeds[i] << " broke law " << static_cast<int>(t.first_broken_laws[i]));
  }
  MESSAGE("refused " << t.paths[0] << ", ready " << t.paths[1] << ", timed out " << t.paths[2] << ", host refused "
                     << t.paths[3]);
  CHECK(t.failures == 0);
  // The generator must reach every path often, or the laws above were barely tried.
  for (const std::uint64_t taken : t.paths) {
    CHECK(taken >= seeds / 50);
  }
}

// A checker that can never fail proves nothing: each broken lowering below must
// be caught, with the law it breaks, on some of the same seeds.
namespace {

using nybble_tests::select_fixture::host;
using nybble_tests::select_fixture::word;

// Forwards the guest's words untranslated, as a naive adapter does.
struct forwards_untranslated {
  nybble::result<nybble::select_outcome> operator()(std::span<const word> list, nybble::timeout t, host& h,
                                                    std::span<word>) const {
    if (list.empty()) {
      return t.is_none() ? nybble::result<nybble::select_outcome>{nybble::errc::empty_select}
                         : nybble::select_outcome::timeout_expired();
    }
    const auto ready = t.is_none() ? std::optional<std::uint64_t>{h.select(list)} : h.select(list, t.milliseconds());
    return ready ? nybble::select_outcome::ready_at(static_cast<std::uint32_t>(*ready))
                 : nybble::select_outcome::timeout_expired();
  }
};

// The real lowering, then one pollable more that nobody drops.
struct leaks_a_pollable {
  nybble::result<nybble::select_outcome> operator()(std::span<const word> list, nybble::timeout t, host& h,
                                                    std::span<word> scratch) const {
    const auto r = nybble::lower_select<nybble_tests::select_fixture::kinds>(list, t, h, scratch);
    if (r && !list.empty()) {
      static_cast<void>(h.add_pollable(readiness::never()));
    }
    return r;
  }
};

// The real lowering, answering index 0 whatever was ready.
struct answers_index_zero {
  nybble::result<nybble::select_outcome> operator()(std::span<const word> list, nybble::timeout t, host& h,
                                                    std::span<word> scratch) const {
    const auto r = nybble::lower_select<nybble_tests::select_fixture::kinds>(list, t, h, scratch);
    return r && !r->timed_out() ? nybble::select_outcome::ready_at(0) : r;
  }
};

template <class Lowering>
std::array<std::uint64_t, 10> failures_of(Lowering lowering) {
  std::array<std::uint64_t, 10> seen{};
  for (std::uint64_t seed = 1; seed <= 2000; ++seed) {
    std::array<std::uint8_t, scenario_bytes> bytes{};
    seeded_bytes{seed}.fill(bytes);
    ++seen[static_cast<std::size_t>(run(bytes, lowering).broken)];
  }
  return seen;
}

constexpr auto at(failure f) { return static_cast<std::size_t>(f); }

} // namespace

TEST_CASE("the scenario checker notices a broken law") {
  const auto naive = failures_of(forwards_untranslated{});
  CHECK(naive[at(failure::unexpected_trap)] > 0); // a cache entry handed to select as a pollable
  CHECK(naive[at(failure::wrong_refusal)] > 0);   // forged words and sentinels were not refused
  const auto leaky = failures_of(leaks_a_pollable{});
  CHECK(leaky[at(failure::leaked_pollable)] > 0);
  const auto zero = failures_of(answers_index_zero{});
  CHECK(zero[at(failure::index_not_ready)] > 0);
  // And the real lowering breaks none.
  CHECK(failures_of(nybble_lowering{})[at(failure::none)] == 2000);
}
