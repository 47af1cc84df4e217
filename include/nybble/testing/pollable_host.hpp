// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// testing/pollable_host.hpp: part of <nybble/testing.hpp>, which is the header
// to include. The front end of a host with pollables (WASI 0.2): select, timed
// select, poll (every ready index), is_ready, drop_pollable, and subscribe or
// step per kind.
#ifndef NYBBLE_TESTING_POLLABLE_HOST_HPP
#define NYBBLE_TESTING_POLLABLE_HOST_HPP

#include <nybble/handle.hpp>
#include <nybble/testing/host_core.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>

namespace nybble::testing {

template <class Set, class... Options>
class pollable_host : public host_core<Set, Options...> {
  using core = host_core<Set, Options...>;
  using core::check;
  using core::last_timeout_ms_;
  using core::make_pollable;
  using core::now_;
  using core::raise;
  using core::record;
  using core::record_select;
  using core::release;
  using core::table_;
  using typename core::layout_type;
  using typename core::table;

public:
  using typename core::word_type;

  template <class K>
  static constexpr bool kind_subscribes = (std::is_same_v<Options, subscribes<K>> || ...);
  template <class K>
  static constexpr bool kind_steps = (std::is_same_v<Options, steps<K>> || ...);

  [[nodiscard]] constexpr std::uint64_t select(std::span<const word_type> pollables) noexcept {
    record_select(call::select, pollables);
    if (!all_pollables(pollables)) {
      return pollables.size();
    }
    if (const auto ready = first_ready(pollables)) {
      return *ready;
    }
    const auto wake = table_.earliest_wake(pollables);
    if (!wake) {
      raise(trap::blocked_forever, pollables.empty() ? 0 : pollables[0]);
      return pollables.size();
    }
    now_ = *wake;
    return first_ready(pollables).value_or(pollables.size());
  }

  [[nodiscard]] constexpr std::optional<std::uint64_t> select(std::span<const word_type> pollables,
                                                              std::uint32_t timeout_ms) noexcept {
    record_select(call::select_with_timeout, pollables);
    last_timeout_ms_ = timeout_ms;
    if (!all_pollables(pollables)) {
      return pollables.size();
    }
    if (const auto ready = first_ready(pollables)) {
      return *ready;
    }
    const std::uint64_t deadline = now_ + timeout_ms;
    const auto wake = table_.earliest_wake(pollables);
    if (!wake || *wake > deadline) {
      now_ = deadline;
      return std::nullopt;
    }
    now_ = *wake;
    return first_ready(pollables);
  }

  // WASI 0.2's poll: waits until at least one pollable is ready (the virtual
  // clock moves to the earliest wake) and writes the index of every ready one,
  // in order, into `ready`, as a runtime answers list<u32>; answers how many
  // (at most ready.size(): a runtime's list has no such bound, so a test gives
  // room for every index). An empty list, or one nothing can wake, never
  // returns: the trap blocked_forever, and 0.
  [[nodiscard]] constexpr std::size_t poll(std::span<const word_type> pollables,
                                           std::span<std::uint32_t> ready) noexcept {
    record_select(call::poll_pollables, pollables);
    if (!all_pollables(pollables)) {
      return 0;
    }
    std::size_t count = every_ready(pollables, ready);
    if (count == 0) {
      const auto wake = table_.earliest_wake(pollables);
      if (!wake) {
        raise(trap::blocked_forever, pollables.empty() ? 0 : pollables[0]);
        return 0;
      }
      now_ = *wake;
      count = every_ready(pollables, ready);
    }
    return count;
  }

  // WASI 0.2's pollable.block: waits until the one pollable is ready, as poll
  // does for a list of one (a pollable nothing can wake: the trap
  // blocked_forever).
  constexpr void block(word_type pollable) noexcept {
    record(call::block, pollable, 0);
    const std::array<word_type, 1> one{pollable};
    if (!all_pollables(one) || table_.poll(pollable, now_)) {
      return;
    }
    const auto wake = table_.earliest_wake(std::span<const word_type>{one});
    if (!wake) {
      raise(trap::blocked_forever, pollable);
      return;
    }
    now_ = *wake;
  }

  // A clock pollable, as WASI 0.2's monotonic-clock.subscribe-duration: ready
  // once ns nanoseconds have passed on the virtual clock.
  [[nodiscard]] constexpr word_type subscribe_duration(std::uint64_t ns) noexcept requires core::has_clock {
    const word_type pollable = core::allocate(table::pollable_type);
    if (pollable != 0) {
      static_cast<void>(table_.add_step(pollable, readiness::at_ms(core::ms_reaching(core::now_ns() + ns))));
    }
    record(call::subscribe_duration, pollable, ns);
    return pollable;
  }

  [[nodiscard]] constexpr bool is_ready(word_type pollable) noexcept {
    const bool ready = check(pollable, table::pollable_type) && table_.poll(pollable, now_);
    record(call::is_ready, pollable, ready ? 1U : 0U);
    return ready;
  }

  constexpr void drop_pollable(word_type pollable) noexcept {
    record(call::drop_pollable, pollable, 0);
    if (check(pollable, table::pollable_type)) {
      release(pollable);
    }
  }

  template <class Kind>
  requires kind_subscribes<Kind>
  [[nodiscard]] constexpr word_type subscribe(handle<Kind, layout_type> h) noexcept {
    word_type pollable = 0;
    if (check(h.payload(), Kind::tag)) {
      pollable = make_pollable(h.payload());
    }
    record(call::subscribe, h.payload(), pollable);
    return pollable;
  }

  template <class Kind>
  requires kind_steps<Kind>
  [[nodiscard]] constexpr std::optional<word_type> step(handle<Kind, layout_type> h) noexcept {
    std::optional<word_type> pollable;
    // Steps that are done are passed; the first one that is not gets a pollable.
    if (check(h.payload(), Kind::tag) && table_.advance(h.payload(), now_)) {
      pollable = make_pollable(h.payload());
    }
    record(call::step, h.payload(), pollable.value_or(0));
    return pollable;
  }

private:
  [[nodiscard]] constexpr std::optional<std::uint64_t> first_ready(std::span<const word_type> pollables) noexcept {
    std::optional<std::uint64_t> ready;
    for (std::size_t i = 0; i < pollables.size(); ++i) {
      if (table_.poll(pollables[i], now_) && !ready) {
        ready = i;
      }
    }
    return ready;
  }

  // Polls every pollable once; writes the ready ones' indices, as many as fit.
  [[nodiscard]] constexpr std::size_t every_ready(std::span<const word_type> pollables,
                                                  std::span<std::uint32_t> ready) noexcept {
    std::size_t count = 0;
    for (std::size_t i = 0; i < pollables.size(); ++i) {
      if (table_.poll(pollables[i], now_) && count < ready.size()) {
        ready[count++] = static_cast<std::uint32_t>(i);
      }
    }
    return count;
  }

  [[nodiscard]] constexpr bool all_pollables(std::span<const word_type> pollables) noexcept {
    bool all = true;
    for (const word_type p : pollables) {
      all = check(p, table::pollable_type) && all;
    }
    return all;
  }
};

} // namespace nybble::testing

#endif // NYBBLE_TESTING_POLLABLE_HOST_HPP
