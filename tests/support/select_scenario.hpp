// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// One random select scenario, built from bytes, run and checked. Shared by the
// seeded property test and the libFuzzer target, so both check the same laws:
//  * a refused list is refused with the right errc and no host call at all;
//  * no pollable leaks, and every pollable made is dropped exactly once;
//  * the index is in range and names a handle that really is ready;
//  * with a clock, no select outlasts its timeout;
//  * an invalid sentinel is refused like a forged word, never passed on;
//  * the only trap is a select without timeout that nothing can wake.
#ifndef NYBBLE_TESTS_SELECT_SCENARIO_HPP
#define NYBBLE_TESTS_SELECT_SCENARIO_HPP

#include "select_fixture.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace nybble_tests::select_scenario {

using namespace select_fixture;

// Reads bytes as small numbers; past the end, zeros.
class byte_reader {
public:
  constexpr explicit byte_reader(std::span<const std::uint8_t> bytes) noexcept : bytes_{bytes} {}
  [[nodiscard]] constexpr std::uint32_t next(std::uint32_t bound) noexcept {
    const std::uint32_t b = position_ < bytes_.size() ? bytes_[position_] : 0U;
    ++position_;
    return bound == 0 ? 0 : b % bound;
  }

private:
  std::span<const std::uint8_t> bytes_;
  std::size_t position_ = 0;
};

// A deterministic generator for the seeded property test: xorshift64*.
class seeded_bytes {
public:
  constexpr explicit seeded_bytes(std::uint64_t seed) noexcept : state_{seed | 1U} {}
  template <std::size_t N>
  constexpr void fill(std::array<std::uint8_t, N>& out) noexcept {
    for (auto& b : out) {
      state_ ^= state_ >> 12U;
      state_ ^= state_ << 25U;
      state_ ^= state_ >> 27U;
      b = static_cast<std::uint8_t>((state_ * 0x2545'F491'4F6C'DD1DULL) >> 56U);
    }
  }

private:
  std::uint64_t state_;
};

enum class failure : std::uint8_t {
  none,
  wrong_refusal, // a refused list got the wrong errc, or a valid list was refused
  host_called_on_refusal,
  leaked_pollable,
  pollable_not_dropped_once,
  index_out_of_range,
  index_not_ready,
  outlasted_timeout,
  unexpected_trap,
  unexpected_error,
};

// Which way the lowering answered: lets a test show it covered every path.
enum class path : std::uint8_t { refused, ready, timed_out, host_refused };

struct report {
  failure broken;
  path taken;
};

[[nodiscard]] constexpr readiness read_readiness(byte_reader& in) noexcept {
  switch (in.next(4)) {
  case 0:
    return readiness::now();
  case 1:
    return readiness::after_polls(in.next(3));
  case 2:
    return readiness::at_ms(in.next(60));
  default:
    return readiness::never();
  }
}

// The laws an answer keeps, whatever the host: a host that trapped answers
// host_index_out_of_range (its select could not answer), a select without a
// timeout does not time out, the index is in range and names a handle that is
// done, and no select outlasts its timeout.
template <class Host>
[[nodiscard]] constexpr failure judge_answer(const nybble::result<nybble::select_outcome>& r,
                                             std::span<const word> guest_list, nybble::timeout wait_for, const Host& h,
                                             std::uint64_t start, bool host_trapped) noexcept {
  if (!r.has_value()) {
    return r.error() == nybble::errc::host_index_out_of_range && host_trapped ? failure::none
                                                                              : failure::unexpected_error;
  }
  if (r->timed_out()) {
    if (wait_for.is_none()) {
      return failure::unexpected_error;
    }
  } else {
    if (r->index() >= guest_list.size()) {
      return failure::index_out_of_range;
    }
    if (nybble::visit<kinds>(guest_list[r->index()], [&](auto handle) { return h.is_done(handle); }) != true) {
      return failure::index_not_ready;
    }
  }
  if (!wait_for.is_none() && h.virtual_time_ms() - start > wait_for.milliseconds()) {
    return failure::outlasted_timeout;
  }
  return failure::none;
}

// Runs a scenario per seed, from `first`, and counts the laws broken and the paths taken.
struct tally {
  std::uint64_t failures = 0;
  std::array<std::uint64_t, 4> paths{};
  std::array<std::uint64_t, 5> first_failing_seeds{};
  std::array<failure, 5> first_broken_laws{};
};
template <std::size_t Bytes, class Scenario>
[[nodiscard]] constexpr report run_seed(std::uint64_t seed, Scenario scenario) {
  std::array<std::uint8_t, Bytes> bytes{};
  seeded_bytes{seed}.fill(bytes);
  return scenario(std::span<const std::uint8_t>{bytes});
}
template <std::size_t Bytes, class Scenario>
[[nodiscard]] tally run_seeds(std::uint64_t first, std::uint64_t count, Scenario scenario) {
  tally t;
  for (std::uint64_t seed = first; seed < first + count; ++seed) {
    const report r = run_seed<Bytes>(seed, scenario);
    ++t.paths[static_cast<std::size_t>(r.taken)];
    if (r.broken != failure::none) {
      if (t.failures < t.first_failing_seeds.size()) {
        t.first_failing_seeds[t.failures] = seed;
        t.first_broken_laws[t.failures] = r.broken;
      }
      ++t.failures;
    }
  }
  return t;
}

// The lowering under test. The checker's own test passes broken ones instead.
struct nybble_lowering {
  [[nodiscard]] constexpr nybble::result<nybble::select_outcome>
  operator()(std::span<const word> guest_list, nybble::timeout wait_for, host& h, std::span<word> scratch) const {
    return nybble::lower_select<kinds>(guest_list, wait_for, h, scratch);
  }
};

// Runs one scenario; reports what went wrong (failure::none) and the path taken.
template <class Lowering = nybble_lowering>
[[nodiscard]] constexpr report run(std::span<const std::uint8_t> bytes, Lowering lower = {}) noexcept {
  byte_reader in{bytes};
  host h;

  // The resources: guest pollables, entries of each kind, stepping entries.
  std::array<word, 4> pollables{};
  std::array<word, 4> entries{};
  std::array<word, 3> stepping{};
  for (auto& p : pollables) {
    p = h.add_pollable(read_readiness(in));
  }
  for (auto& e : entries) {
    e = in.next(2) == 0 ? h.add<cache_entry>(read_readiness(in)).to_guest()
                        : h.add<replace_entry>(read_readiness(in)).to_guest();
  }
  for (auto& s : stepping) {
    const std::uint32_t steps = 1 + in.next(3);
    const readiness a = read_readiness(in);
    const readiness b = read_readiness(in);
    const readiness c = read_readiness(in);
    s = steps == 1   ? h.add<http_cache_entry>({a}).to_guest()
        : steps == 2 ? h.add<http_cache_entry>({a, b}).to_guest()
                     : h.add<http_cache_entry>({a, b, c}).to_guest();
  }
  const word body_word = h.add<body>().to_guest();

  // The guest's list, and what the lowering must say about it before any host call.
  constexpr std::size_t max_list = 10;
  std::array<word, max_list> list{};
  const std::size_t count = in.next(max_list + 1);
  std::optional<nybble::errc> refusal;
  for (std::size_t i = 0; i < count; ++i) {
    word w = 0;
    switch (in.next(16)) {
    case 0:
    case 1:
    case 2:
    case 3:
      w = pollables[in.next(4)];
      break;
    case 4:
    case 5:
    case 6:
    case 7:
      w = entries[in.next(4)];
      break;
    case 8:
    case 9:
    case 10:
    case 11:
      w = stepping[in.next(3)];
      break;
    case 12: {
      const std::uint32_t which = in.next(3);
      w = which == 0 ? invalid_sentinel : which == 1 ? other_sentinel : sentinel_over_pollable;
      refusal = refusal ? refusal : nybble::errc::invalid_handle;
      break;
    }
    case 13:
      w = ((5U + in.next(3)) << 28U) | in.next(8); // tags 5..7: forged
      refusal = refusal ? refusal : nybble::errc::unknown_kind;
      break;
    case 14:
      w = body_word;
      refusal = refusal ? refusal : nybble::errc::not_waitable;
      break;
    default:
      w = in.next(4) == 0 ? unknown_pollable : pollables[0]; // a stale word: the host refuses it
      break;
    }
    list[i] = w;
  }
  const nybble::timeout wait_for = in.next(3) == 0 ? nybble::timeout::none() : nybble::timeout::ms(in.next(80));
  const std::size_t scratch_size = in.next(8) == 0 ? in.next(static_cast<std::uint32_t>(count) + 1) : count;
  if (count == 0 && wait_for.is_none()) {
    refusal = nybble::errc::empty_select;
  } else if (count > 0 && scratch_size < count) {
    refusal = nybble::errc::capacity_exceeded;
  }

  std::array<word, max_list> scratch{};
  const std::size_t pollables_before = h.live_pollables();
  const std::uint64_t start = h.virtual_time_ms();
  const auto guest_list = std::span<const word>{list}.first(count);
  const auto r = lower(guest_list, wait_for, h, std::span<word>{scratch}.first(scratch_size));

  if (refusal) {
    if (r.has_value() || r.error() != *refusal) {
      return {failure::wrong_refusal, path::refused};
    }
    return {h.call_count() == 0 ? failure::none : failure::host_called_on_refusal, path::refused};
  }
  const path taken = !r.has_value() ? path::host_refused : r->timed_out() ? path::timed_out : path::ready;
  if (h.live_pollables() != pollables_before) {
    return {failure::leaked_pollable, taken};
  }
  // Each made pollable was dropped exactly once: made == dropped and no leak
  // (the host traps on a second drop of the same index).
  if (h.count_calls(nybble::testing::call::drop_pollable) !=
      h.count_calls(nybble::testing::call::subscribe) + h.count_calls(nybble::testing::call::step) - [&] {
        std::size_t finished_steps = 0; // steps answered nullopt made nothing
        for (const auto& c : h.calls()) {
          finished_steps += c.what == nybble::testing::call::step && c.argument == 0 ? 1 : 0;
        }
        return finished_steps;
      }()) {
    return {failure::pollable_not_dropped_once, taken};
  }
  bool host_trapped = false;
  for (const auto& t : h.traps()) {
    const bool blocked_allowed = t.reason == nybble::testing::trap::blocked_forever && wait_for.is_none();
    const bool stale_refused = t.reason == nybble::testing::trap::invalid_handle && t.word == unknown_pollable;
    if (!blocked_allowed && !stale_refused) {
      return {failure::unexpected_trap, taken};
    }
    host_trapped = true;
  }
  return {judge_answer(r, guest_list, wait_for, h, start, host_trapped), taken};
}

} // namespace nybble_tests::select_scenario

#endif
