// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// testing/waitable_set_host.hpp: part of <nybble/testing.hpp>, which is the
// header to include. The front end of a host of waitable sets (the Component
// Model's async ABI, WASI 0.3): started waits, sets, clock waits.
#ifndef NYBBLE_TESTING_WAITABLE_SET_HOST_HPP
#define NYBBLE_TESTING_WAITABLE_SET_HOST_HPP

#include <nybble/handle.hpp>
#include <nybble/testing/host_core.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <type_traits>

namespace nybble::testing {

template <class Set, class... Options>
class waitable_set_host : public host_core<Set, Options...> {
  using core = host_core<Set, Options...>;
  static_assert(((!detail::is_wait_option<Options>)&&...),
                "nybble::testing::typed_host: with waitable_sets every waitable kind is started (start_wait); "
                "subscribes<K> and steps<K> belong to a host with pollables.");
  using core::allocate;
  using core::check;
  using core::now_;
  using core::raise;
  using core::record;
  using core::release;
  using core::table_;
  using core::waitable_set_type;
  using core::waitable_type;
  using typename core::layout_type;

public:
  using typename core::word_type;

  // Untagged words and every kind declared waitable.
  template <class K>
  static constexpr bool kind_starts = K::waitable;

  // --- The async ABI (option waitable_sets) -------------------------------------
  //
  // A started wait is a waitable (a subtask, as an async call in flight) that
  // watches the resource's current step; it has an event once that step is
  // ready. end_wait drops it and answers whether every step is done. Sets and
  // waitables live in the same table as resources, so a waitable used after it
  // was ended, joined after it was dropped, or a resource word where a waitable
  // goes, traps (invalid_handle, wrong_kind); a set dropped with members traps
  // (drop_set_with_members).

  template <class Kind>
  requires kind_starts<Kind>
  [[nodiscard]] constexpr std::optional<word_type> start_wait(handle<Kind, layout_type> h) noexcept {
    std::optional<word_type> waitable;
    // Steps that are done are passed (the call returns at once); the first one that is not gets a waitable.
    if (check(h.payload(), Kind::tag) && table_.advance(h.payload(), now_)) {
      waitable = make_waitable(h.payload());
    }
    record(call::start_wait, h.payload(), waitable.value_or(0));
    return waitable;
  }

  template <class Kind>
  requires kind_starts<Kind>
  [[nodiscard]] constexpr bool end_wait(handle<Kind, layout_type> h, word_type waitable) noexcept {
    bool done = false;
    if (check(h.payload(), Kind::tag) && check(waitable, waitable_type)) {
      release(waitable); // leaves its set; a completion is kept: the step's readiness is the resource's
      done = table_.is_done(h.payload(), now_);
    }
    record(call::end_wait, waitable, done ? 1U : 0U);
    return done;
  }

  [[nodiscard]] constexpr std::uint32_t new_waitable_set() noexcept {
    const word_type set = allocate(waitable_set_type);
    record(call::new_waitable_set, set, 0);
    return static_cast<std::uint32_t>(set);
  }

  constexpr void join(word_type waitable, std::uint32_t set) noexcept {
    record(call::join, waitable, set);
    if (check(waitable, waitable_type) && (set == 0 || check(static_cast<word_type>(set), waitable_set_type))) {
      table_.move_to_set(waitable, static_cast<word_type>(set));
    }
  }

  // Blocks until a member has an event: the first ready member; with none, the
  // clock moves to the earliest scripted time among them. A set nothing can wake
  // traps as blocked_forever (and answers 0).
  [[nodiscard]] constexpr word_type wait(std::uint32_t set) noexcept {
    word_type fired = 0;
    if (check(static_cast<word_type>(set), waitable_set_type)) {
      fired = table_.first_ready_member(static_cast<word_type>(set), now_);
      if (fired == 0) {
        if (const auto wake = table_.earliest_member_wake(static_cast<word_type>(set))) {
          now_ = *wake;
          fired = table_.first_ready_member(static_cast<word_type>(set), now_);
        } else {
          raise(trap::blocked_forever, set);
        }
      }
    }
    record(call::wait, set, fired);
    return fired;
  }

  [[nodiscard]] constexpr std::optional<word_type> poll(std::uint32_t set) noexcept {
    std::optional<word_type> fired;
    if (check(static_cast<word_type>(set), waitable_set_type)) {
      if (const word_type member = table_.first_ready_member(static_cast<word_type>(set), now_); member != 0) {
        fired = member;
      }
    }
    record(call::poll, set, fired.value_or(0));
    return fired;
  }

  constexpr void drop_waitable_set(std::uint32_t set) noexcept {
    record(call::drop_waitable_set, set, 0);
    if (!check(static_cast<word_type>(set), waitable_set_type)) {
      return;
    }
    if (table_.members_of(static_cast<word_type>(set)) > 0) {
      raise(trap::drop_set_with_members, set);
      return;
    }
    release(static_cast<word_type>(set));
  }

  // A clock wait, as wasi:clocks/monotonic-clock@0.3.0 wait-for: an event at now + ms.
  [[nodiscard]] constexpr word_type start_timeout(std::uint32_t milliseconds) noexcept {
    const word_type waitable = allocate(waitable_type);
    if (waitable != 0) {
      static_cast<void>(table_.add_step(waitable, readiness::at_ms(now_ + milliseconds)));
    }
    record(call::start_timeout, waitable, milliseconds);
    return waitable;
  }

  // A clock wait, as wasi:clocks/monotonic-clock@0.3.0 wait-for: an event once
  // ns nanoseconds have passed on the virtual clock.
  [[nodiscard]] constexpr word_type start_for(std::uint64_t ns) noexcept requires core::has_clock {
    const word_type waitable = allocate(waitable_type);
    if (waitable != 0) {
      static_cast<void>(table_.add_step(waitable, readiness::at_ms(core::ms_reaching(core::now_ns() + ns))));
    }
    record(call::start_for, waitable, ns);
    return waitable;
  }

  constexpr void end_timeout(word_type waitable) noexcept {
    record(call::end_timeout, waitable, 0);
    if (check(waitable, waitable_type)) {
      release(waitable);
    }
  }

  // The live waitables (started waits and clock waits) and waitable sets.
  [[nodiscard]] constexpr std::size_t live_waitables() const noexcept {
    return table_.count_live([](std::uintmax_t type) { return type == waitable_type; });
  }
  [[nodiscard]] constexpr std::size_t live_waitable_sets() const noexcept {
    return table_.count_live([](std::uintmax_t type) { return type == waitable_set_type; });
  }

private:
  constexpr word_type make_waitable(word_type resource) noexcept {
    const word_type waitable = table_.make_pollable(resource, waitable_type);
    if (waitable == 0) {
      raise(trap::table_full, 0);
    }
    return waitable;
  }
};

} // namespace nybble::testing

#endif // NYBBLE_TESTING_WAITABLE_SET_HOST_HPP
