// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// lowering/waitable_sets.hpp: below <nybble/select.hpp> and <nybble/poll.hpp>.
// The wait model of a host of waitable sets (the Component Model's async ABI,
// WASI 0.3): the armed waits and one clock wait in one set, and the guard that
// empties and drops it; a select takes the first event, a poll drains every
// event there is. Not for adapters to name.
#ifndef NYBBLE_LOWERING_WAITABLE_SETS_HPP
#define NYBBLE_LOWERING_WAITABLE_SETS_HPP

#include <nybble/config.hpp>
#include <nybble/host.hpp>
#include <nybble/lowering/arm.hpp>
#include <nybble/lowering/poll_clock.hpp>
#include <nybble/result.hpp>
#include <nybble/wait.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace nybble::detail {

// The guard of a select's waitable set (the async ABI): the set, the armed
// waitables joined to it, and the clock wait of a timeout. When it goes, every
// member leaves the set, the set is dropped and the clock wait ended, before
// the armed waits themselves are ended (it lives inside their guard's scope):
// a set is never dropped with members, and no wait is ended while in a set.
template <class Set, class Host>
class waitable_set_guard {
  using word = typename Set::word_type;

public:
  constexpr waitable_set_guard(Host& on_host, armed_waits<Set, Host>& armed) noexcept
      : host_{on_host}, waits_{armed}, set_{static_cast<std::uint32_t>(on_host.new_waitable_set())} {
    for (std::size_t i = 0; i < waits_.waitables().size(); ++i) {
      host_.join(waits_.waitables()[i], set_);
    }
  }
  waitable_set_guard(const waitable_set_guard&) = delete;
  waitable_set_guard& operator=(const waitable_set_guard&) = delete;
  waitable_set_guard(waitable_set_guard&&) = delete;
  waitable_set_guard& operator=(waitable_set_guard&&) = delete;
  NYBBLE_INLINE_FOR_SIZE constexpr ~waitable_set_guard() {
    for (std::size_t i = 0; i < waits_.waitables().size(); ++i) {
      if (waits_.is_armed(i)) {
        host_.join(waits_.waitables()[i], 0);
      }
    }
    if (has_clock_wait_) {
      host_.join(clock_wait_, 0);
    }
    host_.drop_waitable_set(set_);
    if (has_clock_wait_) {
      host_.end_timeout(clock_wait_);
    }
  }

  // One clock wait for the whole select: re-arming a handle does not restart it.
  constexpr void start_clock_wait(std::uint32_t milliseconds) {
    clock_wait_ = host_.start_timeout(milliseconds);
    has_clock_wait_ = true;
    host_.join(clock_wait_, set_);
  }
  // A poll's clock wait, for a duration in nanoseconds; one per poll, too.
  constexpr void start_clock_wait_for(std::uint64_t ns) {
    clock_wait_ = host_.start_for(ns);
    has_clock_wait_ = true;
    host_.join(clock_wait_, set_);
  }
  // The clock wait fired: it leaves the set, so that a drain does not see it again.
  constexpr void leave_clock() { host_.join(clock_wait_, 0); }
  [[nodiscard]] constexpr bool is_clock_wait(word waitable) const noexcept {
    return has_clock_wait_ && clock_wait_ == waitable;
  }
  // guest[i]'s waitable leaves the set before its wait is ended, and joins it again once re-armed.
  constexpr void leave(std::size_t i) { host_.join(waits_.waitables()[i], 0); }
  constexpr void join(std::size_t i) { host_.join(waits_.waitables()[i], set_); }
  [[nodiscard]] constexpr std::uint32_t id() const noexcept { return set_; }

private:
  Host& host_;
  armed_waits<Set, Host>& waits_;
  std::uint32_t set_;
  word clock_wait_ = 0; // a word and a flag, not an optional: g++ 12 warns of the optional as maybe unset
  bool has_clock_wait_ = false;
};

// The wait of lower_select for the async ABI: the armed waits and the timeout's
// clock wait in one waitable set; wait (or, for a zero timeout, poll) until an
// event names a handle that is ready, re-arming a handle whose wait fired but
// is not done. The index is found by the waitable's position: the caller's.
template <class Set, class Host>
[[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr result<select_outcome>
wait_on_waitable_set(Host& host, armed_waits<Set, Host>& waits, timeout wait_for) {
  using word = typename Set::word_type;
  waitable_set_guard<Set, Host> set{host, waits};
  const bool polls = !wait_for.is_none() && wait_for.milliseconds() == 0;
  if (!wait_for.is_none() && !polls) {
    set.start_clock_wait(wait_for.milliseconds());
  }
  const std::span<const word> waitables = waits.waitables();
  for (;;) {
    word fired = 0;
    if (polls) {
      const std::optional<word> event = host.poll(set.id());
      if (!event) {
        return select_outcome::timeout_expired();
      }
      fired = *event;
    } else {
      fired = host.wait(set.id());
    }
    if (set.is_clock_wait(fired)) {
      return select_outcome::timeout_expired();
    }
    std::size_t index = 0;
    while (index < waitables.size() && waitables[index] != fired) { // every position is armed here
      ++index;
    }
    if (index == waitables.size()) {
      return errc::host_index_out_of_range; // the host answered a waitable that is not in the set
    }
    set.leave(index);
    const result<bool> ready_now = waits.rearm(index);
    if (!ready_now) {
      return ready_now.error();
    }
    if (*ready_now) {
      return select_outcome::ready_at(static_cast<std::uint32_t>(index));
    }
    set.join(index);
  }
}

// Whether one started wait has fired, without waiting: a poll of a set that
// holds it alone.
template <class Set, class Host>
[[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr bool started_wait_has_fired(Host& host,
                                                                           typename Set::word_type waitable) {
  const auto set = static_cast<std::uint32_t>(host.new_waitable_set());
  host.join(waitable, set);
  const auto event = host.poll(set);
  host.join(waitable, 0);
  host.drop_waitable_set(set);
  return event && *event == waitable;
}

// The position of a waitable among the armed ones, or the count when it is none of them.
template <class Word>
[[nodiscard]] constexpr std::size_t position_of(std::span<const Word> waitables, Word fired) noexcept {
  std::size_t index = 0;
  while (index < waitables.size() && waitables[index] != fired) {
    ++index;
  }
  return index;
}

// The wait of lower_poll for the async ABI: the armed waits and one clock wait
// (for the earliest deadline or the timeout, started once) in one set; one
// blocking wait, then every other event drained without blocking (only
// draining, once something is reported). A handle whose wait fired is ended
// and, unless it is done, started again and joined; one that is done leaves
// the list.
template <class Set, class Host, class Scratch, class Entry>
[[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr result<std::size_t>
poll_on_waitable_set(Host& host, armed_waits<Set, Host>& waits, Scratch& scratch, poll_clock& clock,
                     std::span<const Entry> entries, std::span<poll_report> reports, std::size_t reported) {
  using word = typename Set::word_type;
  const std::optional<std::uint64_t> wake =
      reported > 0 ? std::nullopt : clock.next_wake(entries, scratch.offsets, reports);
  if (waits.size() == 0 && (reported > 0 || !wake)) {
    return reported; // nothing to look at
  }
  waitable_set_guard<Set, Host> set{host, waits};
  if (wake) {
    set.start_clock_wait_for(*wake);
  }
  for (;;) {
    std::optional<std::uint64_t> clock_fired_at;
    std::optional<word> event = reported > 0 ? host.poll(set.id()) : std::optional<word>{host.wait(set.id())};
    while (event) {
      if (set.is_clock_wait(*event)) {
        clock_fired_at = wake;
        set.leave_clock();
      } else {
        const std::size_t i = position_of(waits.waitables(), *event);
        if (i == waits.waitables().size()) {
          return errc::host_index_out_of_range; // the host answered a waitable that is not in the set
        }
        set.leave(i);
        const result<bool> done = waits.rearm(i);
        if (!done) {
          return done.error();
        }
        if (*done) {
          reported += report_done(scratch, waits, i, reports);
        } else {
          set.join(i);
        }
      }
      event = host.poll(set.id());
    }
    if (const auto answer = end_of_round(clock, clock_fired_at, entries, scratch.offsets, reports, reported)) {
      return *answer;
    }
  }
}

} // namespace nybble::detail

#endif // NYBBLE_LOWERING_WAITABLE_SETS_HPP
