// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Seeded random select scenarios over a host of waitable sets (the async ABI),
// with the laws of select_scenario.hpp as they read there:
//  * a refused list is refused with the right errc and no host call at all;
//  * nothing is left: no waitable, no set, no clock wait; every wait started
//    was ended exactly once (a second end would trap as invalid_handle);
//  * the index is in range and names a handle that really is ready;
//  * no select outlasts its timeout; a zero timeout never waits;
//  * the only trap is a select without timeout that nothing can wake.
#include "select_scenario.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace {

using namespace nybble_tests::select_scenario;
using async_host = nybble::testing::typed_host<kinds, nybble::testing::waitable_sets>;
using nybble::testing::call;

[[nodiscard]] constexpr report run_async(std::span<const std::uint8_t> bytes) noexcept {
  byte_reader in{bytes};
  async_host h;

  std::array<word, 3> untagged{};
  std::array<word, 4> entries{};
  std::array<word, 3> stepping{};
  for (auto& u : untagged) {
    u = h.add_pollable(read_readiness(in)); // a body: untagged, and started like every kind
  }
  for (auto& e : entries) {
    e = in.next(2) == 0 ? h.add<cache_entry>(read_readiness(in)).to_guest()
                        : h.add<replace_entry>(read_readiness(in)).to_guest();
  }
  for (auto& s : stepping) {
    const readiness a = read_readiness(in);
    const readiness b = read_readiness(in);
    s = in.next(2) == 0 ? h.add<http_cache_entry>({a}).to_guest() : h.add<http_cache_entry>({a, b}).to_guest();
  }
  const word unwaitable = h.add<body>().to_guest();

  constexpr std::size_t max_list = 8;
  std::array<word, max_list> list{};
  const std::size_t count = in.next(max_list + 1);
  std::optional<nybble::errc> refusal;
  for (std::size_t i = 0; i < count; ++i) {
    switch (in.next(12)) {
    case 0:
    case 1:
    case 2:
      list[i] = untagged[in.next(3)];
      break;
    case 3:
    case 4:
    case 5:
      list[i] = entries[in.next(4)];
      break;
    case 6:
    case 7:
    case 8:
      list[i] = stepping[in.next(3)];
      break;
    case 9:
      list[i] = in.next(2) == 0 ? invalid_sentinel : sentinel_over_pollable;
      refusal = refusal ? refusal : nybble::errc::invalid_handle;
      break;
    case 10:
      list[i] = ((5U + in.next(3)) << 28U) | in.next(8);
      refusal = refusal ? refusal : nybble::errc::unknown_kind;
      break;
    default:
      list[i] = unwaitable;
      refusal = refusal ? refusal : nybble::errc::not_waitable;
      break;
    }
  }
  const std::uint32_t timeout_choice = in.next(4);
  const nybble::timeout wait_for = timeout_choice == 0   ? nybble::timeout::none()
                                   : timeout_choice == 1 ? nybble::timeout::ms(0)
                                                         : nybble::timeout::ms(in.next(80));
  if (count == 0 && wait_for.is_none()) {
    refusal = nybble::errc::empty_select;
  }

  std::array<word, max_list> scratch{};
  h.clear_log();
  const std::uint64_t start = h.virtual_time_ms();
  const auto guest_list = std::span<const word>{list}.first(count);
  const auto r = nybble::lower_select<kinds>(guest_list, wait_for, h, std::span<word>{scratch}.first(count));

  if (refusal) {
    if (r.has_value() || r.error() != *refusal) {
      return {failure::wrong_refusal, path::refused};
    }
    return {h.call_count() == 0 ? failure::none : failure::host_called_on_refusal, path::refused};
  }
  const path taken = !r.has_value() ? path::host_refused : r->timed_out() ? path::timed_out : path::ready;
  std::size_t started = 0;
  for (const auto& c : h.calls()) {
    started += c.what == call::start_wait && c.argument != 0 ? 1U : 0U;
  }
  if (h.live_waitables() != 0 || h.live_waitable_sets() != 0 || h.log_overflowed() ||
      started != h.count_calls(call::end_wait) ||
      h.count_calls(call::new_waitable_set) != h.count_calls(call::drop_waitable_set)) {
    return {failure::leaked_pollable, taken};
  }
  bool blocked = false;
  for (const auto& t : h.traps()) {
    if (t.reason != nybble::testing::trap::blocked_forever || !wait_for.is_none()) {
      return {failure::unexpected_trap, taken};
    }
    blocked = true; // a wait nothing can wake: the host answers no waitable of the set
  }
  if (const failure broken = judge_answer(r, guest_list, wait_for, h, start, blocked); broken != failure::none) {
    return {broken, taken};
  }
  // A zero timeout polls: it never waits.
  if (!wait_for.is_none() && wait_for.milliseconds() == 0 && h.count_calls(call::wait) != 0) {
    return {failure::outlasted_timeout, taken};
  }
  return {failure::none, taken};
}

constexpr std::size_t scenario_bytes = 64;

constexpr bool seeds_hold_at_compile_time(std::uint64_t first, std::uint64_t count) {
  for (std::uint64_t seed = first; seed < first + count; ++seed) {
    if (run_seed<scenario_bytes>(seed, run_async).broken != failure::none) {
      return false;
    }
  }
  return true;
}
static_assert(seeds_hold_at_compile_time(1, 8));

} // namespace

TEST_CASE("random selects over waitable sets keep every law") {
  constexpr std::uint64_t seeds = 10000;
  const tally t = run_seeds<scenario_bytes>(1, seeds, run_async);
  for (std::uint64_t i = 0; i < std::min<std::uint64_t>(t.failures, t.first_failing_seeds.size()); ++i) {
    MESSAGE("seed " << t.first_failing_seeds[i] << " broke law " << static_cast<int>(t.first_broken_laws[i]));
  }
  MESSAGE("refused " << t.paths[0] << ", ready " << t.paths[1] << ", timed out " << t.paths[2] << ", host refused "
                     << t.paths[3]);
  CHECK(t.failures == 0);
  for (std::size_t p = 0; p < 3; ++p) { // refused, ready, timed out: each often
    CHECK(t.paths[p] >= seeds / 50);
  }
}
