// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// lowering/poll_clock.hpp: below <nybble/poll.hpp>. What both wait models of
// lower_poll share beyond lower_select's steps: the clock side of a poll (each
// deadline's instant, the timeout's, the one wake the next wait needs) and the
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

// The clock of one poll. Each deadline entry's instant is asked of the host
// once, when the poll starts; the timeout is an instant too. The host's clock
// is read then and after each wait that its clock wait ended.
class poll_clock {
public:
  template <class Host, class Entry, std::size_t N>
  constexpr void start(Host& host, timeout wait_for, std::span<const Entry> entries,
                       std::array<std::uint64_t, N>& instants) {
    bool has_deadline = !wait_for.is_none();
    for (const Entry& e : entries) {
      has_deadline = has_deadline || e.is_deadline();
    }
    if (!has_deadline) {
      return; // no clock call at all
    }
    now_ = static_cast<std::uint64_t>(host.now_ns());
    if (!wait_for.is_none()) {
      has_timeout_ = true;
      timeout_instant_ = now_ + std::uint64_t{wait_for.milliseconds()} * ns_per_ms;
    }
    for (std::size_t i = 0; i < entries.size() && i < N; ++i) { // N >= entries.size(): lower_poll checked it
      if (entries[i].is_deadline()) {
        instants[i] = static_cast<std::uint64_t>(host.instant_of(entries[i].when()));
      }
    }
  }

  // Reads the host's clock again, after a wait its clock wait ended.
  template <class Host>
  constexpr void read(Host& host) {
    now_ = static_cast<std::uint64_t>(host.now_ns());
  }

  // Marks ready each deadline entry whose instant has come (and that is not
  // reported yet); answers how many.
  template <class Entry, std::size_t N>
  [[nodiscard]] constexpr std::size_t report_passed(std::span<const Entry> entries,
                                                    const std::array<std::uint64_t, N>& instants,
                                                    std::span<poll_report> reports) const noexcept {
    std::size_t passed = 0;
    for (std::size_t i = 0; i < entries.size() && i < N; ++i) { // N >= entries.size(): lower_poll checked it
      if (entries[i].is_deadline() && reports[i].state == poll_state::not_ready && instants[i] <= now_) {
        reports[i].state = poll_state::ready;
        ++passed;
      }
    }
    return passed;
  }

  // The instant the next wait ends at: the earliest deadline not reported yet,
  // or the timeout; nullopt when there is none (wait for a handle alone).
  template <class Entry, std::size_t N>
  [[nodiscard]] constexpr std::optional<std::uint64_t> next_wake(std::span<const Entry> entries,
                                                                 const std::array<std::uint64_t, N>& instants,
                                                                 std::span<const poll_report> reports) const noexcept {
    std::optional<std::uint64_t> wake;
    if (has_timeout_) {
      wake = timeout_instant_;
    }
    for (std::size_t i = 0; i < entries.size() && i < N; ++i) { // N >= entries.size(): lower_poll checked it
      if (entries[i].is_deadline() && reports[i].state == poll_state::not_ready) {
        wake = wake && *wake < instants[i] ? *wake : instants[i];
      }
    }
    return wake;
  }

  [[nodiscard]] constexpr std::uint64_t now() const noexcept { return now_; }
  [[nodiscard]] constexpr bool timed_out() const noexcept { return has_timeout_ && now_ >= timeout_instant_; }

private:
  static constexpr std::uint64_t ns_per_ms = 1'000'000;
  std::uint64_t now_ = 0;
  std::uint64_t timeout_instant_ = 0;
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
// wait fired, the deadlines that have come are reported, and with nothing
// reported a timeout that has passed answers 0; anything reported is the
// answer. nullopt: wait another round.
template <class Host, class Entry, std::size_t N>
[[nodiscard]] constexpr std::optional<std::size_t>
end_of_round(Host& host, poll_clock& clock, bool clock_fired, std::span<const Entry> entries,
             const std::array<std::uint64_t, N>& instants, std::span<poll_report> reports, std::size_t reported) {
  if (clock_fired) {
    clock.read(host);
    reported += clock.report_passed(entries, instants, reports);
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
