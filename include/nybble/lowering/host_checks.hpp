// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// lowering/host_checks.hpp: below <nybble/select.hpp>. The compile-time checks
// that a host has every member a lowering calls, each message naming the
// member (and the kind) it lacks. Not for adapters to name.
#ifndef NYBBLE_LOWERING_HOST_CHECKS_HPP
#define NYBBLE_LOWERING_HOST_CHECKS_HPP

#include <nybble/host.hpp>
#include <nybble/kind_set.hpp>

#include <type_traits>

namespace nybble::detail {

// Kind and Layout are template arguments so that the diagnostic names them.
// The decision is wait_model_of's; only the message depends on the host.
template <class Host, class Kind, class Layout>
constexpr void check_host_waits_on() {
  constexpr bool waits = !Kind::waitable || wait_model_of<Host, Kind, Layout> != wait_model::unwaitable;
  if constexpr (host_with_waitable_sets<Host, typename Layout::word_type>) {
    static_assert(waits,
                  "nybble: the Host waits on waitable sets (the async ABI) but has no start_wait(nybble::handle<Kind, "
                  "Layout>) -> std::optional<word> and end_wait(nybble::handle<Kind, Layout>, word) -> bool for this "
                  "kind of the set (Kind and Layout are named below; untagged words are started too). Write them for "
                  "exactly that handle type, or declare the kind nybble::unwaitable_kind<Tag>.");
  } else {
    static_assert(waits,
                  "nybble: the Host has neither subscribe(nybble::handle<Kind, Layout>) -> word nor "
                  "step(nybble::handle<Kind, Layout>) -> std::optional<word> for this kind of the set (Kind and "
                  "Layout are named below). Write one for exactly that handle type (a member taking a handle of "
                  "another layout does not match), or declare the kind nybble::unwaitable_kind<Tag> if it cannot be "
                  "waited on.");
  }
}

template <class Host, class Set>
constexpr void check_host_waits_on_every_kind() {
  Set::for_each_kind([]<class K>(std::type_identity<K>) { check_host_waits_on<Host, K, typename Set::layout_type>(); });
}

template <class Host, class Set>
constexpr void check_select_host() {
  static_assert(any_kind_set<Set>, "nybble::lower_select<Set>: Set must be a nybble::kind_set.");
  using word = typename Set::word_type;
  if constexpr (!host_with_waitable_sets<Host, word>) {
    static_assert(host_with_select<Host, word>,
                  "nybble::lower_select: the Host lacks the member select(std::span<const word>) -> index (or, for "
                  "the async ABI, the waitable-set members of nybble::host_with_waitable_sets).");
    static_assert(host_with_timed_select<Host, word>,
                  "nybble::lower_select: the Host lacks the member select(std::span<const word>, std::uint32_t ms) "
                  "-> std::optional<index>.");
    static_assert(host_with_drop_pollable<Host, word>,
                  "nybble::lower_select: the Host lacks the member drop_pollable(word); the lowering must drop every "
                  "pollable it creates.");
  }
  check_host_waits_on_every_kind<Host, Set>();
}

template <class Host, class Set>
constexpr void check_is_ready_host() {
  static_assert(any_kind_set<Set>, "nybble::lower_is_ready<Set>: Set must be a nybble::kind_set.");
  using word = typename Set::word_type;
  if constexpr (!host_with_waitable_sets<Host, word>) {
    static_assert(host_with_is_ready<Host, word>,
                  "nybble::lower_is_ready: the Host lacks the member is_ready(word pollable) -> bool (or, for the "
                  "async ABI, the waitable-set members of nybble::host_with_waitable_sets).");
    static_assert(host_with_drop_pollable<Host, word>,
                  "nybble::lower_is_ready: the Host lacks the member drop_pollable(word); the lowering must drop "
                  "every pollable it creates.");
  }
  check_host_waits_on_every_kind<Host, Set>();
}

template <class Host, class Set>
constexpr void check_poll_host() {
  static_assert(any_kind_set<Set>, "nybble::lower_poll<Set>: Set must be a nybble::kind_set.");
  using word = typename Set::word_type;
  static_assert(host_with_deadlines<Host>,
                "nybble::lower_poll: the Host lacks ns_until(nybble::deadline) -> std::uint64_t (how long until an "
                "absolute deadline passes, read on the clock it names).");
  if constexpr (host_with_waitable_sets<Host, word>) {
    static_assert(host_with_start_for<Host, word>,
                  "nybble::lower_poll: the Host waits on waitable sets but lacks start_for(std::uint64_t ns) -> "
                  "waitable (a clock wait for a duration, as wasi:clocks@0.3.0 wait-for), ended by end_timeout.");
  } else {
    static_assert(host_with_poll<Host, word>,
                  "nybble::lower_poll: the Host lacks the member poll(std::span<const word>, std::span<std::uint32_t> "
                  "ready) -> count (WASI 0.2's poll: every ready index), or, for the async ABI, the waitable-set "
                  "members of nybble::host_with_waitable_sets.");
    static_assert(host_with_drop_pollable<Host, word>,
                  "nybble::lower_poll: the Host lacks the member drop_pollable(word); the lowering must drop every "
                  "pollable it creates.");
    static_assert(host_with_subscribe_duration<Host, word>,
                  "nybble::lower_poll: the Host lacks the member subscribe_duration(std::uint64_t ns) -> pollable (a "
                  "clock pollable, as wasi:clocks@0.2 subscribe-duration).");
  }
  check_host_waits_on_every_kind<Host, Set>();
}

} // namespace nybble::detail

#endif // NYBBLE_LOWERING_HOST_CHECKS_HPP
