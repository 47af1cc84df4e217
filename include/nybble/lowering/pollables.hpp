// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// lowering/pollables.hpp: below <nybble/select.hpp> and <nybble/poll.hpp>. The
// wait model of a host with pollables (WASI 0.2): for a select, host selects
// over the armed waitables, one deadline across re-armed steps; for a poll,
// host polls over them and one clock pollable. Not for adapters to name.
#ifndef NYBBLE_LOWERING_POLLABLES_HPP
#define NYBBLE_LOWERING_POLLABLES_HPP

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

// One host select: the index the host answered, or nullopt for a timeout.
template <class Host, class Word>
[[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr std::optional<std::uint64_t>
host_select(Host& host, std::span<const Word> pollables, timeout wait_for) {
  if (wait_for.is_none()) {
    return static_cast<std::uint64_t>(host.select(pollables));
  }
  const auto ready = host.select(pollables, wait_for.milliseconds());
  if (!ready) {
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(*ready);
}

// One host select over a list the lowering does not own (nothing tagged).
template <class Host, class Word>
[[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr result<select_outcome>
wait_once(Host& host, std::span<const Word> pollables, timeout wait_for) {
  const std::optional<std::uint64_t> fired = host_select(host, pollables, wait_for);
  if (!fired) {
    return select_outcome::timeout_expired();
  }
  if (*fired >= pollables.size()) {
    return errc::host_index_out_of_range;
  }
  return select_outcome::ready_at(static_cast<std::uint32_t>(*fired));
}

// The wait of lower_select on pollables: host selects over the armed waitables
// until one fires for a handle that is ready, re-arming stepping handles as
// they advance. The guard drops what is armed when the caller returns.
template <class Set, class Host>
[[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr result<select_outcome>
wait_on_pollables(Host& host, armed_waits<Set, Host>& waits, timeout wait_for) {
  // One deadline for every wait of a select that may re-arm (needs a clock).
  constexpr bool keeps_deadline = host_with_clock<Host> && some_kind_steps<Set, Host>;
  std::uint64_t deadline = 0;
  if constexpr (keeps_deadline) {
    if (!wait_for.is_none()) {
      deadline = static_cast<std::uint64_t>(host.now_ms()) + wait_for.milliseconds();
    }
  }
  const std::span<const typename Set::word_type> waitables = waits.waitables();
  for (bool first_wait = true;; first_wait = false) {
    timeout this_wait = wait_for;
    if constexpr (keeps_deadline) {
      if (!first_wait && !wait_for.is_none()) { // the first wait has the whole timeout: no clock call needed
        const auto now = static_cast<std::uint64_t>(host.now_ms());
        this_wait = timeout::ms(now >= deadline ? 0U : static_cast<std::uint32_t>(deadline - now));
      }
    }
    const std::optional<std::uint64_t> fired = host_select(host, waitables, this_wait);
    if (!fired) {
      return select_outcome::timeout_expired();
    }
    if (*fired >= waitables.size()) {
      return errc::host_index_out_of_range;
    }
    const auto index = static_cast<std::size_t>(*fired);
    if (!may_take_another_wait<Set, Host>(waits.guest(index))) {
      return select_outcome::ready_at(static_cast<std::uint32_t>(index));
    }
    const result<bool> ready_now = waits.rearm(index);
    if (!ready_now) {
      return ready_now.error();
    }
    if (*ready_now) {
      return select_outcome::ready_at(static_cast<std::uint32_t>(index));
    }
  }
}

// Whether one armed pollable has fired, without waiting.
template <class Set, class Host>
[[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr bool pollable_has_fired(Host& host, typename Set::word_type pollable) {
  return static_cast<bool>(host.is_ready(pollable));
}

// The clock pollable of one poll, made once for the earliest offset and
// dropped when the poll returns.
template <class Host, class Word>
class clock_pollable {
public:
  constexpr clock_pollable(Host& on_host, std::optional<std::uint64_t> wake) : host_{on_host} {
    if (wake) {
      pollable_ = host_.subscribe_duration(*wake);
      made_ = true;
    }
  }
  clock_pollable(const clock_pollable&) = delete;
  clock_pollable& operator=(const clock_pollable&) = delete;
  clock_pollable(clock_pollable&&) = delete;
  clock_pollable& operator=(clock_pollable&&) = delete;
  NYBBLE_INLINE_FOR_SIZE constexpr ~clock_pollable() {
    if (made_) {
      host_.drop_pollable(pollable_);
    }
  }
  [[nodiscard]] constexpr bool made() const noexcept { return made_; }
  [[nodiscard]] constexpr Word pollable() const noexcept { return pollable_; }

private:
  Host& host_;
  Word pollable_ = 0;
  bool made_ = false;
};

// The indices one host poll answered, largest first: a word whose handle is
// done leaves its position to the last word, which has been looked at then.
constexpr void sort_largest_first(std::span<std::uint32_t> indices) noexcept {
  for (std::size_t i = 1; i < indices.size(); ++i) {
    const std::uint32_t v = indices[i];
    std::size_t j = i;
    for (; j > 0 && indices[j - 1] < v; --j) {
      indices[j] = indices[j - 1];
    }
    indices[j] = v;
  }
}

// The wait of lower_poll on pollables: host polls over the armed waitables and
// one clock pollable (for the earliest deadline or the timeout, or for no time
// at all once something is reported), until some entry is reported or the
// timeout passes. A fired waitable of a handle that may take another wait is
// re-armed; one whose handle is done leaves the list.
template <class Set, class Host, class Scratch, class Entry>
[[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr result<std::size_t>
poll_on_pollables(Host& host, armed_waits<Set, Host>& waits, Scratch& scratch, poll_clock& clock,
                  std::span<const Entry> entries, std::span<poll_report> reports, std::size_t reported) {
  using word = typename Set::word_type;
  // The armed waitable at position f fired: its entry is reported, or its handle re-armed.
  const auto take_fired = [&](std::size_t f) -> result<void> {
    if (!may_take_another_wait<Set, Host>(scratch.guest_words[f])) {
      reported += report_ready(scratch, f, reports);
      return {};
    }
    const result<bool> done = waits.rearm(f);
    if (!done) {
      return done.error();
    }
    if (*done) {
      reported += report_done(scratch, waits, f, reports);
    }
    return {};
  };
  // Something is reported already: one look at the rest. A host that answers
  // is_ready looks at one or two waitables that way, in fewer calls than a
  // poll beside a clock pollable for no time (which it makes, polls and drops).
  if constexpr (host_with_is_ready<Host, word>) {
    if (reported > 0 && waits.size() <= 2) {
      for (std::size_t f = waits.size(); f-- > 0;) {
        if (host.is_ready(scratch.waitables[f])) {
          if (const result<void> taken = take_fired(f); !taken) {
            return taken.error();
          }
        }
      }
      return reported;
    }
  }
  const std::optional<std::uint64_t> wake =
      reported > 0 ? std::optional<std::uint64_t>{0} : clock.next_wake(entries, scratch.offsets, reports);
  if (waits.size() == 0 && (reported > 0 || !wake)) {
    return reported; // nothing to look at
  }
  // The clock pollable sits after the armed waitables, which only shrink; it moves down with them.
  const clock_pollable<Host, word> clock_wait{host, wake};
  for (;;) {
    const std::size_t armed = waits.size();
    if (clock_wait.made()) {
      scratch.waitables[armed] = clock_wait.pollable();
    }
    const std::size_t listed = armed + (clock_wait.made() ? 1U : 0U);
    std::size_t fired_count = 0;
    if constexpr (host_with_block<Host, word>) {
      if (listed == 1) {
        host.block(scratch.waitables[0]); // one pollable: no list to send, none to answer
        scratch.fired[0] = 0;
        fired_count = 1;
      }
    }
    if (fired_count == 0) {
      fired_count = static_cast<std::size_t>(host.poll(std::span<const word>{scratch.waitables}.first(listed),
                                                       std::span<std::uint32_t>{scratch.fired}.first(listed)));
    }
    if (fired_count > listed) {
      return errc::host_index_out_of_range;
    }
    const std::span<std::uint32_t> fired = std::span<std::uint32_t>{scratch.fired}.first(fired_count);
    sort_largest_first(fired);
    std::optional<std::uint64_t> clock_fired_at;
    for (const std::uint32_t f : fired) {
      if (f >= listed) {
        return errc::host_index_out_of_range;
      }
      if (f == armed) {
        clock_fired_at = wake;
      } else if (const result<void> taken = take_fired(f); !taken) {
        return taken.error();
      }
    }
    if (const auto answer = end_of_round(clock, clock_fired_at, entries, scratch.offsets, reports, reported)) {
      return *answer;
    }
  }
}

} // namespace nybble::detail

#endif // NYBBLE_LOWERING_POLLABLES_HPP
