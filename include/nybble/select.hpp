// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef NYBBLE_SELECT_HPP
#define NYBBLE_SELECT_HPP

#include <nybble/detail/select.hpp>
#include <nybble/handle.hpp>
#include <nybble/host.hpp>
#include <nybble/kind.hpp>
#include <nybble/result.hpp>
#include <nybble/wait.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

namespace nybble {

// Lowers a module-ABI select over Set's handles onto the typed host: WASI
// 0.2's pollables (the host's select takes pollables only and traps on
// anything else) or, for a host of waitable sets, the Component Model's async
// ABI (WASI 0.3). The host is described by the concepts of <nybble/host.hpp>;
// how it waits on each kind is wait_model_of.
//
// guest_handles: the guest's words. scratch: at least guest_handles.size()
// words, where the armed waitables are kept, at the caller's positions. The
// steps:
//  validate  every word is checked before any host call (detail::refusal_of);
//  nothing tagged
//            (pollables) guest_handles itself goes to one host select, no copy;
//  arm       each handle gets its waitable, in the caller's order: an untagged
//            word is passed through (pollables), a tagged one is subscribed or
//            stepped, and with waitable sets every word's wait is started. A
//            handle ready at once (a step or start of nullopt) is answered with
//            no wait;
//  wait      the host waits (select; or one waitable set holding every wait
//            and the timeout's clock wait, polled for a zero timeout). A handle
//            whose waitable fires but is not done is released and armed again,
//            and the wait goes on. The index returned is into guest_handles.
//            Every waitable the lowering made is dropped or ended exactly once,
//            and a set it made dropped, whichever way it returns
//            (detail::armed_waits, detail::waitable_set_guard).
// Timeouts: waitable sets hold one clock wait for the whole select. Pollables:
// with a host clock (now_ms), one deadline holds across every wait of a
// multi-step select; without one, each wait of a multi-step select is given
// the whole timeout again (the host cannot tell nybble how long it waited), so
// a select that re-arms k times may wait up to k + 1 timeouts.
// Errors: empty_select (no handles, no timeout), capacity_exceeded (scratch
// shorter than the list, or a list longer than select_outcome::max_handles),
// invalid_handle (an invalid sentinel), unknown_kind (a forged tag),
// not_waitable (a kind declared unwaitable), host_index_out_of_range (the host
// answered an index outside the list, or a waitable not in the set), or
// whatever errc the host's subscribe, step or start_wait answered.
template <class Set, class Host>
[[nodiscard]] NYBBLE_INLINE_LOWERING constexpr result<select_outcome>
lower_select(std::span<const typename Set::word_type> guest_handles, timeout wait_for, Host& host,
             std::span<typename Set::word_type> scratch) {
  detail::check_select_host<Host, Set>();
  const std::size_t count = guest_handles.size();

  // Validate: the list's length, then every word.
  const result<bool> any_tagged = detail::validate_select<Set, Host>(guest_handles, scratch.size(), wait_for);
  if (!any_tagged) {
    return any_tagged.error();
  }

  // Nothing tagged: the caller's own span, one host call. (A host of waitable
  // sets starts a wait for every word, untagged ones too.)
  if constexpr (!detail::uses_waitable_sets<Set, Host>) {
    if (!*any_tagged) {
      return detail::wait_once(host, guest_handles, wait_for);
    }
    // A word is tagged, so the list is not empty. Said to the optimiser, which
    // otherwise tests the length for zero again in the arm loop, the wait and
    // the guard's drop (bench/README.md, "lower_select against the
    // hand-written lowering").
    NYBBLE_ASSUME(count != 0);
  }

  // Arm.
  detail::armed_waits<Set, Host> waits{host, guest_handles, scratch};
  const result<std::size_t> first_ready_now = waits.arm_all();
  if (!first_ready_now) {
    return first_ready_now.error();
  }
  if (*first_ready_now < count) { // a first step of nullopt: ready, no wait
    return select_outcome::ready_at(static_cast<std::uint32_t>(*first_ready_now));
  }

  // Wait.
  if constexpr (detail::uses_waitable_sets<Set, Host>) {
    return detail::wait_on_waitable_set<Set>(host, waits, wait_for);
  } else {
    return detail::wait_until_ready<Set>(host, waits, wait_for);
  }
}

// The same, with an inline_scratch as the scratch: a scratch declared for
// another set (of another word size) is a compile error that says so, where
// the conversion to a span would only fail to match.
template <class Set, class Host, std::size_t Capacity, class WordOrSet>
[[nodiscard]] NYBBLE_INLINE_STEP constexpr result<select_outcome>
lower_select(std::span<const typename Set::word_type> guest_handles, timeout wait_for, Host& host,
             inline_scratch<Capacity, WordOrSet>& scratch) {
  constexpr bool same_words =
      std::is_same_v<typename inline_scratch<Capacity, WordOrSet>::word_type, typename Set::word_type>;
  static_assert(same_words, "nybble::lower_select<Set>: the scratch holds words of another type than Set's: "
                            "declare it nybble::inline_scratch<N, Set> with the same kind set.");
  if constexpr (same_words) {
    return lower_select<Set>(guest_handles, wait_for, host, scratch.span());
  } else {
    return errc::capacity_exceeded; // not reached: the static_assert stops the build
  }
}

// Whether a select over this one handle would return at once, without waiting:
// arm, ask the host (is_ready; with waitable sets, a poll of a set holding the
// one wait), release; a stepping kind (and a started wait) loops while each step
// is ready, so the answer is true only when every remaining step is ready (the
// reference adapter looked at one step only). Errors, before any host call:
// word_out_of_range (a value the set's word cannot hold), invalid_handle,
// unknown_kind, not_waitable; then whatever errc the host's subscribe or step
// answered.
template <class Set, class Host, detail::integer Word>
[[nodiscard]] NYBBLE_INLINE_STEP constexpr result<bool> lower_is_ready(Word guest_value, Host& host) {
  detail::check_is_ready_host<Host, Set>();
  using word = typename Set::word_type;

  if (!detail::fits_in<word>(guest_value)) {
    return errc::word_out_of_range;
  }
  const auto guest_handle = static_cast<word>(guest_value);
  if (const errc reason = detail::refusal_of<Set, Host>(guest_handle); reason != errc{}) {
    return reason;
  }
  for (;;) {
    const auto armed = detail::arm<Set>(host, guest_handle);
    if (!armed) {
      return armed.error();
    }
    if (!armed->has_value()) {
      return true;
    }
    const bool fired = detail::has_fired<Set>(host, **armed);
    const bool done =
        detail::owns_waitable<Set, Host>(guest_handle) && detail::release<Set>(host, guest_handle, **armed);
    if (!fired || !detail::rearms<Set, Host>(guest_handle) || done) {
      return fired;
    }
  }
}

} // namespace nybble

#endif // NYBBLE_SELECT_HPP
