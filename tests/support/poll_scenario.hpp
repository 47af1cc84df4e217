// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// One random poll scenario, built from bytes, run and checked, over either
// wait model and either refusal policy: guest pollables, entries of each kind
// (stepping ones too), deadlines past and future, sentinels, forged and
// unwaitable words, with and without a timeout. The laws:
//  * fail_call: a list with a refused word answers its first refusal, with no
//    host call; report_entry: each refused entry is reported with its errc;
//  * nothing is left alive that the lowering made, and nothing traps;
//  * every entry reported ready is ready when the call returns, and every
//    tagged entry or deadline not reported is not (every ready entry, not one);
//  * 0 (the timeout) only when nothing is ready, and no call outlasts its timeout.
// Shared by the seeded property test and the libFuzzer target.
#ifndef NYBBLE_TESTS_POLL_SCENARIO_HPP
#define NYBBLE_TESTS_POLL_SCENARIO_HPP

#include "select_scenario.hpp"

#include <nybble/poll.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>

namespace nybble_tests::poll_scenario {

using namespace nybble_tests::select_fixture;
using nybble_tests::select_scenario::byte_reader;
using nybble_tests::select_scenario::failure;
using nybble_tests::select_scenario::path;
using nybble_tests::select_scenario::report;
using entry = nybble::poll_entry<kinds>;
using async_host = nybble::testing::typed_host<kinds, nybble::testing::waitable_sets>;
using nybble::poll_state;

constexpr std::uint64_t ns_per_ms = 1'000'000;
constexpr std::size_t max_entries = 8;

// Readiness now, at a time or never. Not after_polls: a resource the test host
// makes ready by being polled becomes ready during the call's last look, which
// would blur "every entry ready when the call returns was reported".
constexpr readiness poll_readiness(byte_reader& in) {
  switch (in.next(3)) {
  case 0:
    return readiness::now();
  case 1:
    return readiness::at_ms(in.next(60));
  default:
    return readiness::never();
  }
}

template <class Host, nybble::on_refusal Refusals>
constexpr report run(std::span<const std::uint8_t> bytes) {
  byte_reader in{bytes};
  Host h;
  h.advance_ms(in.next(20));
  std::array<entry, max_entries> list{};
  std::array<std::optional<nybble::errc>, max_entries> refusal{};
  std::array<std::uint64_t, max_entries> instant{};
  std::array<bool, max_entries> past_at_start{};
  const std::size_t count = in.next(max_entries + 1);
  std::optional<nybble::errc> first_refusal;
  for (std::size_t i = 0; i < count; ++i) {
    switch (in.next(8)) {
    case 0:
      list[i] = entry::of_word(h.add_pollable(poll_readiness(in)));
      break;
    case 1:
      list[i] = entry::of_word(h.template add<cache_entry>(poll_readiness(in)).to_guest());
      break;
    case 2: {
      const readiness a = poll_readiness(in);
      list[i] = entry::of_word(h.template add<http_cache_entry>({a, poll_readiness(in)}).to_guest());
      break;
    }
    case 3:
    case 4: {
      const bool absolute = in.next(2) == 0;
      const std::uint64_t ns = in.next(60) * ns_per_ms + (in.next(3) == 0 ? 1U : 0U); // some between milliseconds
      list[i] = entry::of_deadline(nybble::deadline{in.next(2), ns, absolute});
      instant[i] = absolute ? ns : h.now_ns() + ns;
      past_at_start[i] = instant[i] <= h.now_ns();
      break;
    }
    case 5:
      list[i] = entry::of_word(in.next(2) == 0 ? invalid_sentinel : sentinel_over_pollable);
      refusal[i] = nybble::errc::invalid_handle;
      break;
    case 6:
      list[i] = entry::of_word(forged_word);
      refusal[i] = nybble::errc::unknown_kind;
      break;
    default:
      list[i] = entry::of_word(h.template add<body>().to_guest());
      refusal[i] = nybble::errc::not_waitable;
      break;
    }
    first_refusal = first_refusal ? first_refusal : refusal[i];
  }
  const nybble::timeout wait_for = in.next(2) == 0 ? nybble::timeout::ms(in.next(50)) : nybble::timeout::none();
  const bool waits_forever = wait_for.is_none() && [&] {
    for (std::size_t i = 0; i < count; ++i) { // with nothing that can ever be ready, skip: a runtime blocks forever
      if (list[i].is_deadline() || refusal[i]) {
        return false;
      }
    }
    return true;
  }();
  if (waits_forever || (count == 0 && wait_for.is_none())) {
    return {failure::none, path::refused};
  }

  const std::size_t pollables_before = h.live_pollables();
  const std::uint64_t start = h.virtual_time_ms();
  h.clear_log();
  nybble::poll_scratch<max_entries, kinds> scratch;
  std::array<nybble::poll_report, max_entries> out{};
  const auto r = nybble::lower_poll<kinds, Refusals>(std::span<const entry>{list}.first(count), wait_for, h, scratch,
                                                     std::span<nybble::poll_report>{out});

  if (Refusals == nybble::on_refusal::fail_call && first_refusal) {
    if (r != *first_refusal) {
      return {failure::wrong_refusal, path::refused};
    }
    return {h.call_count() == 0 ? failure::none : failure::host_called_on_refusal, path::refused};
  }
  const path taken = !r ? path::host_refused : *r == 0 ? path::timed_out : path::ready;
  if (h.trap_count() != 0) {
    // A select without a timeout that nothing can wake blocks forever: a trap, and no answer to judge.
    const bool blocked = h.traps()[0].reason == nybble::testing::trap::blocked_forever;
    return {blocked && wait_for.is_none() ? failure::none : failure::unexpected_trap, taken};
  }
  if (!r) {
    return {failure::unexpected_error, taken};
  }
  if (h.live_pollables() != pollables_before) {
    return {failure::leaked_pollable, taken};
  }
  if constexpr (requires { h.live_waitables(); }) {
    if (h.live_waitables() != 0 || h.live_waitable_sets() != 0) {
      return {failure::leaked_pollable, taken};
    }
  }
  const std::uint64_t now_ns = h.now_ns();
  std::size_t reported = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const nybble::poll_report& got = out[i];
    if (refusal[i]) {
      if (got.state != poll_state::refused || got.error != *refusal[i]) {
        return {failure::wrong_refusal, taken};
      }
      ++reported;
      continue;
    }
    bool ready = true; // a guest pollable: the host answered it; not judged here
    if (list[i].is_deadline()) {
      ready = instant[i] <= now_ns;
      // One clock wait, for the earliest deadline: one that came during it may
      // wait for the next call; one already past, or one that came before a
      // timeout the call answered, may not.
      const bool must_report =
          past_at_start[i] ||
          (*r == 0 && !wait_for.is_none() && instant[i] <= start * ns_per_ms + wait_for.milliseconds() * ns_per_ms);
      if (got.state != poll_state::ready && must_report) {
        return {failure::index_not_ready, taken};
      }
      if (got.state != poll_state::ready) {
        continue;
      }
    } else {
      static_cast<void>(nybble::visit<kinds>(list[i].guest_word(), [&]<class K>(kinds::handle<K> handle) {
        if constexpr (!std::is_same_v<K, nybble::untagged>) {
          ready = h.is_done(handle);
        }
      }));
    }
    if (got.state == poll_state::ready) {
      ++reported;
      if (!ready) {
        return {failure::index_not_ready, taken};
      }
    } else if (ready &&
               (list[i].is_deadline() || !nybble::visit<kinds>(list[i].guest_word(), [](auto hh) {
                                            return std::is_same_v<typename decltype(hh)::kind_type, nybble::untagged>;
                                          }).value_or(true))) {
      return {failure::index_not_ready, taken}; // ready, and not reported
    }
  }
  if (reported != *r) {
    return {failure::unexpected_error, taken};
  }
  if (!wait_for.is_none() && h.virtual_time_ms() - start > wait_for.milliseconds()) {
    return {failure::outlasted_timeout, taken};
  }
  return {failure::none, taken};
}

} // namespace nybble_tests::poll_scenario

#endif
