// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// lowering/poll_clock.hpp: below <nybble/poll.hpp>. What both wait models of
// lower_poll share beyond lower_select's steps: the clock side of a poll (each
// deadline's offset, the timeout's, the one wake its clock wait is for) and the
// move that keeps the packed list of words dense. Not for adapters to name.
#ifndef NYBBLE_LOWERING_POLL_CLOCK_HPP
#define NYBBLE_LOWERING_POLL_CLOCK_HPP

#include <nybble/host.hpp>
#include <nybble/wait.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace nybble::detail {

// The clock of one poll, counted from the call's start: each deadline entry
// becomes an offset (a duration as it is; an absolute deadline as the host's
// ns_until, its only clock read), the timeout too. One clock wait, made once
// for the earliest offset, is the only thing that moves this clock: when it
// fires, at least that much time has passed, and every deadline at or before
// it is reported. A deadline that came later during the same wait is left for
// the next call, as the earliest one alone could wake this one.
class poll_clock {
public:
  template <class Host, class Entry, std::size_t N>
  constexpr void start(Host& host, timeout wait_for, std::span<const Entry> entries,
                       std::array<std::uint64_t, N>& offsets) {
    if (!wait_for.is_none()) {
      has_timeout_ = true;
      timeout_offset_ = std::uint64_t{wait_for.milliseconds()} * ns_per_ms;
    }
    for (std::size_t i = 0; i < entries.size() && i < N; ++i) { // N >= entries.size(): lower_poll checked it
      if (entries[i].is_deadline()) {
        const deadline d = entries[i].when();
        offsets[i] = d.absolute ? static_cast<std::uint64_t>(host.ns_until(d)) : d.ns;
      }
    }
  }

  // The clock wait made for `wake` fired: that much time has passed.
  constexpr void fired(std::uint64_t wake) noexcept { elapsed_ = wake > elapsed_ ? wake : elapsed_; }

  // Marks ready each deadline entry whose offset has passed (and that is not
  // reported yet); answers how many.
  template <class Entry, std::size_t N>
  [[nodiscard]] constexpr std::size_t report_passed(std::span<const Entry> entries,
                                                    const std::array<std::uint64_t, N>& offsets,
                                                    std::span<poll_report> reports) const noexcept {
    std::size_t passed = 0;
    for (std::size_t i = 0; i < entries.size() && i < N; ++i) { // N >= entries.size(): lower_poll checked it
      if (entries[i].is_deadline() && reports[i].state == poll_state::not_ready && offsets[i] <= elapsed_) {
        reports[i].state = poll_state::ready;
        ++passed;
      }
    }
    return passed;
  }

  // The offset the clock wait ends at: the earliest deadline not reported yet,
  // or the timeout; nullopt when there is none (wait for a handle alone).
  template <class Entry, std::size_t N>
  [[nodiscard]] constexpr std::optional<std::uint64_t> next_wake(std::span<const Entry> entries,
                                                                 const std::array<std::uint64_t, N>& offsets,
                                                                 std::span<const poll_report> reports) const noexcept {
    std::optional<std::uint64_t> wake;
    if (has_timeout_) {
      wake = timeout_offset_;
    }
    for (std::size_t i = 0; i < entries.size() && i < N; ++i) { // N >= entries.size(): lower_poll checked it
      if (entries[i].is_deadline() && reports[i].state == poll_state::not_ready) {
        wake = wake && *wake < offsets[i] ? *wake : offsets[i];
      }
    }
    return wake;
  }

  [[nodiscard]] constexpr bool timed_out() const noexcept { return has_timeout_ && elapsed_ >= timeout_offset_; }

private:
  static constexpr std::uint64_t ns_per_ms = 1'000'000;
  std::uint64_t elapsed_ = 0;
  std::uint64_t timeout_offset_ = 0;
  bool has_timeout_ = false;
};

// The packed list stays dense: the last packed word (and its entry) moves to
// position `to`, whose word left the list.
template <class Scratch>
constexpr void move_last_into(Scratch& scratch, std::size_t to, std::size_t last) noexcept {
  scratch.guest_words[to] = scratch.guest_words[last];
  scratch.entry_of[to] = scratch.entry_of[last];
}

// Marks the entry of a packed position ready, once; answers 1 when it was not yet.
template <class Scratch>
[[nodiscard]] constexpr std::size_t report_ready(const Scratch& scratch, std::size_t position,
                                                 std::span<poll_report> reports) noexcept {
  poll_report& r = reports[scratch.entry_of[position]];
  if (r.state == poll_state::ready) {
    return 0;
  }
  r.state = poll_state::ready;
  return 1;
}

// A packed word whose handle a re-arm found done (rearm answered true): its
// entry is reported, and it leaves the list (and the guard), the last word
// taking its place. Answers what report_ready answers.
template <class Scratch, class Waits>
[[nodiscard]] constexpr std::size_t report_done(Scratch& scratch, Waits& waits, std::size_t position,
                                                std::span<poll_report> reports) noexcept {
  const std::size_t newly = report_ready(scratch, position, reports);
  move_last_into(scratch, position, waits.size() - 1);
  waits.remove_disarmed(position);
  return newly;
}

// How one round of a poll's wait ends, in either wait model: once the clock
// wait (made for `wake`) fired, the deadlines that have come are reported, and
// with nothing reported a timeout that has passed answers 0; anything reported
// is the answer. nullopt: wait another round (the clock wait goes on).
template <class Entry, std::size_t N>
[[nodiscard]] constexpr std::optional<std::size_t>
end_of_round(poll_clock& clock, std::optional<std::uint64_t> clock_fired_at, std::span<const Entry> entries,
             const std::array<std::uint64_t, N>& offsets, std::span<poll_report> reports, std::size_t reported) {
  if (clock_fired_at) {
    clock.fired(*clock_fired_at);
    reported += clock.report_passed(entries, offsets, reports);
    if (reported == 0 && clock.timed_out()) {
      return std::size_t{0};
    }
  }
  if (reported > 0) {
    return reported;
  }
  return std::nullopt;
}

} // namespace nybble::detail

#endif // NYBBLE_LOWERING_POLL_CLOCK_HPP
