// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// lowering/pollables.hpp: below <nybble/select.hpp>. The wait model of a host
// with pollables (WASI 0.2): host selects over the armed waitables, one
// deadline across re-armed steps. Not for adapters to name.
#ifndef NYBBLE_LOWERING_POLLABLES_HPP
#define NYBBLE_LOWERING_POLLABLES_HPP

#include <nybble/config.hpp>
#include <nybble/host.hpp>
#include <nybble/lowering/arm.hpp>
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

} // namespace nybble::detail

#endif // NYBBLE_LOWERING_POLLABLES_HPP
