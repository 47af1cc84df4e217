// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// select.hpp: the lowerings of a guest's select and is_ready onto a host: WASI
// 0.2's pollables or, for a host of waitable sets, the Component Model's async
// ABI (WASI 0.3). Each reads as its steps (validate, arm, wait); the steps live
// in <nybble/lowering/>, and docs/architecture.md walks through them.
//
//   nybble::inline_scratch<64, kinds> scratch;
//   const auto ready = nybble::lower_select<kinds>(words, nybble::timeout::from_guest(ms), host, scratch);
#ifndef NYBBLE_SELECT_HPP
#define NYBBLE_SELECT_HPP

#include <nybble/config.hpp>
#include <nybble/detail/handle.hpp>
#include <nybble/generations.hpp>
#include <nybble/host.hpp>
#include <nybble/kind_set.hpp>
#include <nybble/lowering/arm.hpp>
#include <nybble/lowering/host_checks.hpp>
#include <nybble/lowering/pollables.hpp>
#include <nybble/lowering/validate.hpp>
#include <nybble/lowering/waitable_sets.hpp>
#include <nybble/result.hpp>
#include <nybble/wait.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

namespace nybble {

// Waits until one of the guest's handles is ready, or the timeout passes, and
// answers its index in guest_handles. scratch holds at least
// guest_handles.size() words: the armed waitables, at the guest's positions.
// Every word is validated before any host call; every waitable the lowering
// made is disarmed exactly once, whichever way it returns; the guest's own
// handles are never dropped. Timeouts: see docs/host.md ("Timeouts").
// Errors: empty_select (no handles, no timeout), capacity_exceeded (scratch
// shorter than the list, or a list longer than select_outcome::max_handles),
// invalid_handle, unknown_kind, not_waitable (validate_word), host_index_out_of_range
// (the host answered outside the list), or the errc the host's subscribe, step
// or start_wait answered.
// A set whose layout has a generation field takes the adapter's
// generation_table as a last argument: every word is checked against it after
// the checks above (stale_handle), before any host call, and the host is
// given indices only (so the guest's list is always copied, untagged words too).
template <class Set, class Host, class Generations = detail::no_generations>
[[nodiscard]] NYBBLE_INLINE_LOWERING constexpr result<select_outcome>
lower_select(std::span<const typename Set::word_type> guest_handles, timeout wait_for, Host& host,
             std::span<typename Set::word_type> scratch, const Generations& generations = Generations{}) {
  detail::check_select_host<Host, Set>();
  detail::check_generations_argument<Set, Generations>();
  const std::size_t count = guest_handles.size();

  const result<bool> any_tagged = detail::validate_select<Set, Host>(guest_handles, scratch.size(), wait_for);
  if (!any_tagged) {
    return any_tagged.error();
  }
  if (const result<void> out = detail::validate_generations<Set>(guest_handles, generations); !out) {
    return out.error();
  }

  // Nothing tagged: the guest's own span, one host call; words with a
  // generation field are stripped to indices first, into the scratch. (A host
  // of waitable sets starts a wait for every word, untagged ones too.)
  if constexpr (!detail::uses_waitable_sets<Set, Host>) {
    if (!*any_tagged) {
      if constexpr (Set::layout_type::has_generation) {
        return detail::wait_once(host, detail::strip_generations<Set>(guest_handles, scratch), wait_for);
      } else {
        return detail::wait_once(host, guest_handles, wait_for);
      }
    }
    NYBBLE_ASSUME(count != 0); // a word is tagged; spares a test for zero in each loop below
  }

  detail::armed_waits<Set, Host> waits{host, guest_handles, scratch};
  const result<std::size_t> first_ready_now = waits.arm_all();
  if (!first_ready_now) {
    return first_ready_now.error();
  }
  if (*first_ready_now < count) { // nothing to wait on: ready
    return select_outcome::ready_at(static_cast<std::uint32_t>(*first_ready_now));
  }

  if constexpr (detail::uses_waitable_sets<Set, Host>) {
    return detail::wait_on_waitable_set<Set>(host, waits, wait_for);
  } else {
    return detail::wait_on_pollables<Set>(host, waits, wait_for);
  }
}

// The same, with an inline_scratch: a scratch declared for another set (of
// another word size) is a compile error that says so, where the conversion to
// a span would only fail to match.
template <class Set, class Host, std::size_t Capacity, class WordOrSet, class Generations = detail::no_generations>
[[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr result<select_outcome>
lower_select(std::span<const typename Set::word_type> guest_handles, timeout wait_for, Host& host,
             inline_scratch<Capacity, WordOrSet>& scratch, const Generations& generations = Generations{}) {
  constexpr bool same_words =
      std::is_same_v<typename inline_scratch<Capacity, WordOrSet>::word_type, typename Set::word_type>;
  static_assert(same_words, "nybble::lower_select<Set>: the scratch holds words of another type than Set's: "
                            "declare it nybble::inline_scratch<N, Set> with the same kind set.");
  if constexpr (same_words) {
    return lower_select<Set>(guest_handles, wait_for, host, scratch.span(), generations);
  } else {
    return errc::capacity_exceeded; // not reached: the static_assert stops the build
  }
}

// Whether a select over this one handle would return at once, without
// waiting: arm, ask the host without waiting, disarm; a handle whose wait may
// take another round (a stepping kind, a started wait) loops while each round
// has fired, so the answer is true only when every remaining step is ready.
// Errors, before any host call: word_out_of_range (a value the set's word
// cannot hold), then as validate_word, then stale_handle (a layout with a
// generation field: the generation table, as for lower_select); then the errc
// the host's subscribe, step or start_wait answered.
template <class Set, class Host, detail::integer Word, class Generations = detail::no_generations>
[[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr result<bool>
lower_is_ready(Word guest_value, Host& host, const Generations& generations = Generations{}) {
  detail::check_is_ready_host<Host, Set>();
  detail::check_generations_argument<Set, Generations>();
  const result<typename Set::word_type> guest_handle = detail::narrow<typename Set::word_type>(guest_value);
  if (!guest_handle) {
    return guest_handle.error();
  }
  if (const result<void> accepted = detail::validate_word<Set, Host>(*guest_handle); !accepted) {
    return accepted.error();
  }
  if (const result<void> out = detail::validate_generations<Set>(std::span{&*guest_handle, 1}, generations); !out) {
    return out.error();
  }
  for (;;) {
    const auto armed = detail::arm<Set>(host, *guest_handle);
    if (!armed) {
      return armed.error();
    }
    if (!armed->has_value()) {
      return true;
    }
    bool fired = false;
    if constexpr (detail::uses_waitable_sets<Set, Host>) {
      fired = detail::started_wait_has_fired<Set>(host, **armed);
    } else {
      fired = detail::pollable_has_fired<Set>(host, **armed);
    }
    const bool done = detail::owns_waitable<Set, Host>(*guest_handle) &&
                      detail::disarm<Set>(host, *guest_handle, **armed) == detail::disarmed::done;
    if (!fired || !detail::may_take_another_wait<Set, Host>(*guest_handle) || done) {
      return fired;
    }
  }
}

} // namespace nybble

#endif // NYBBLE_SELECT_HPP
