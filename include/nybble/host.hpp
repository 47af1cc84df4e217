// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// host.hpp: the host contract, stated once as concepts, one per member
// (host_with_<member>), and wait_model_of, the one decision of how a host waits
// on a kind. The lowerings call the host through these and name the concept a
// host fails.
//
//   static_assert(nybble::wait_model_of<my_host, http_cache_entry, layout> == nybble::wait_model::step);
#ifndef NYBBLE_HOST_HPP
#define NYBBLE_HOST_HPP

#include <nybble/handle.hpp>
#include <nybble/kind.hpp>
#include <nybble/kind_set.hpp>
#include <nybble/result.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>

namespace nybble {

// select(std::span<const word>) -> index: waits, with no timeout, until one of
// the pollables is ready, and answers its index.
template <class Host, class Word>
concept host_with_select = requires(Host& host, std::span<const Word> pollables) {
  { host.select(pollables) } -> std::convertible_to<std::uint64_t>;
};

// select(std::span<const word>, std::uint32_t ms) -> std::optional<index>:
// the same, giving up after ms milliseconds (nullopt).
template <class Host, class Word>
concept host_with_timed_select = requires(Host& host, std::span<const Word> pollables, std::uint32_t ms) {
  {static_cast<bool>(host.select(pollables, ms))};
  { *host.select(pollables, ms) } -> std::convertible_to<std::uint64_t>;
};

// drop_pollable(word): the lowering drops every pollable it made.
template <class Host, class Word>
concept host_with_drop_pollable = requires(Host& host, Word pollable) {
  host.drop_pollable(pollable);
};

// is_ready(word) -> bool: whether a pollable is ready now, without waiting.
template <class Host, class Word>
concept host_with_is_ready = requires(Host& host, Word pollable) {
  { host.is_ready(pollable) } -> std::convertible_to<bool>;
};

// now_ms() -> std::uint64_t, optional: a monotonic clock. With one, a select
// that waits in several rounds (a stepping kind) keeps one deadline.
template <class Host>
concept host_with_clock = requires(Host& host) {
  { host.now_ms() } -> std::convertible_to<std::uint64_t>;
};

// What subscribe may return: the new pollable's word, or result<word> for a host
// whose component instance may hand out an index the word cannot hold (it answers an
// errc instead, having dropped that pollable itself). No wider integer: it
// would be narrowed onto another pollable.
template <class R, class Word>
concept subscribe_result = std::same_as<R, Word> || std::same_as<R, result<Word>> ||
    (std::unsigned_integral<R> && !std::same_as<R, bool> && sizeof(R) <= sizeof(Word));

// What step may return: std::optional<word> (nullopt: ready now, nothing to
// wait on), or result<std::optional<word>>, likewise.
template <class R, class Word>
concept step_result = std::same_as<R, std::optional<Word>> || std::same_as<R, result<std::optional<Word>>>;

// subscribe(handle<Kind, Layout>) -> word: a new pollable for the handle. The
// member must take exactly the set's handle type: one written for another
// layout does not match, and the lowerings then name the kind.
template <class Host, class Kind, class Layout>
concept host_with_subscribe = requires(Host& host, handle<Kind, Layout> h) {
  { host.subscribe(h) } -> subscribe_result<typename Layout::word_type>;
};

// step(handle<Kind, Layout>) -> std::optional<word>: a pollable for the
// handle's next step, or nullopt when every step is ready.
template <class Host, class Kind, class Layout>
concept host_with_step = requires(Host& host, handle<Kind, Layout> h) {
  { host.step(h) } -> step_result<typename Layout::word_type>;
};

// --- The Component Model's async ABI (WASI 0.3): waitable sets --------------
//
// A host of the async ABI has no pollables: a wait on a handle is *started*
// (an async call in flight: a subtask, or a pending future read) and the
// lowering waits on a waitable set. The lowering keeps waitables in the
// caller's scratch, so the host answers them as words of the set (a host whose
// instance may hand out a larger index answers result<...> with an errc for it,
// having ended that wait itself, as for subscribe); sets are the instance's i32
// handles.

// new_waitable_set() -> set; join(waitable, set) (set 0: leave it);
// wait(set) -> waitable (blocks until one member has an event; answers that
// member); poll(set) -> std::optional<waitable> (the same without blocking;
// nullopt when no member has one); drop_waitable_set(set) (the set must be
// empty); start_timeout(ms) -> waitable (a clock wait, as
// wasi:clocks/monotonic-clock@0.3.0 wait-for does); end_timeout(waitable).
template <class Host, class Word>
concept host_with_waitable_sets = requires(Host& host, Word waitable, std::uint32_t set, std::uint32_t ms) {
  { host.new_waitable_set() } -> std::convertible_to<std::uint32_t>;
  host.join(waitable, set);
  { host.wait(set) } -> std::same_as<Word>;
  { host.poll(set) } -> std::same_as<std::optional<Word>>;
  host.drop_waitable_set(set);
  { host.start_timeout(ms) } -> std::same_as<Word>;
  host.end_timeout(waitable);
};

// start_wait(handle<Kind, Layout>) -> std::optional<waitable>: starts a wait on
// the handle; nullopt when it is ready now (the host passes the steps that are
// done at once itself, as step() does). end_wait(handle, waitable) -> bool:
// the lowering is done with a wait it started, whether it fired or lost. The
// host cancels it if it is still pending, drops it, and keeps any completion in
// state of its own, so that a wait that lost a select is ready at the next
// select or is_ready that names its handle (nothing is lost). It answers
// whether the handle is now ready (every step done); false after a wait that
// fired means "start another". In this model every kind is waited on this
// way, untagged words included.
template <class Host, class Kind, class Layout>
concept host_with_start_wait = requires(Host& host, handle<Kind, Layout> h, typename Layout::word_type waitable) {
  { host.start_wait(h) } -> step_result<typename Layout::word_type>;
  { host.end_wait(h, waitable) } -> std::convertible_to<bool>;
};

// --- What lower_poll asks besides (<nybble/poll.hpp>) ---------------------------

// A clock entry of a poll: a time on one of the host's clocks (`clock` is the
// host's own id: preview1 numbers realtime 0 and monotonic 1), as an instant
// or as a duration from the call.
struct deadline {
  std::uint32_t clock = 0;
  std::uint64_t ns = 0;
  bool absolute = false;
  friend constexpr bool operator==(const deadline&, const deadline&) = default;
};

// poll(std::span<const word>, std::span<std::uint32_t> ready) -> count: WASI
// 0.2's poll: waits until at least one pollable is ready, and writes the index
// of every ready one into `ready` (at most ready.size() of them).
template <class Host, class Word>
concept host_with_poll = requires(Host& host, std::span<const Word> pollables, std::span<std::uint32_t> ready) {
  { host.poll(pollables, ready) } -> std::convertible_to<std::size_t>;
};

// block(word), optional: WASI 0.2's pollable.block, a wait on one pollable.
// With it, a poll whose wait is on one pollable alone (a sleep, one handle)
// blocks on it instead of polling a list of one.
template <class Host, class Word>
concept host_with_block = requires(Host& host, Word pollable) {
  host.block(pollable);
};

// ns_until(deadline) -> std::uint64_t: for an absolute deadline, how many
// nanoseconds from now until it passes on its clock (0: it has passed). The
// host alone knows its clocks; a deadline given as a duration needs no answer
// (the lowering reads no clock for it).
template <class Host>
concept host_with_deadlines = requires(Host& host, deadline d) {
  { host.ns_until(d) } -> std::convertible_to<std::uint64_t>;
};

// subscribe_duration(std::uint64_t ns) -> word: a pollable ready once ns
// nanoseconds have passed (WASI 0.2's monotonic-clock.subscribe-duration);
// the lowering drops it.
template <class Host, class Word>
concept host_with_subscribe_duration = requires(Host& host, std::uint64_t ns) {
  { host.subscribe_duration(ns) } -> std::same_as<Word>;
};

// start_for(std::uint64_t ns) -> waitable: a clock wait with an event once ns
// nanoseconds have passed (WASI 0.3's monotonic-clock.wait-for), ended by
// end_timeout.
template <class Host, class Word>
concept host_with_start_for = requires(Host& host, std::uint64_t ns) {
  { host.start_for(ns) } -> std::same_as<Word>;
};

// How the host turns a handle of a kind into something to wait on:
//   pass_through  untagged words, for a host with pollables: waited on as they are;
//   subscribe     host_with_subscribe: one pollable, ready when the resource is;
//   step          host_with_step: a pollable per step, re-armed until nullopt;
//   start         host_with_start_wait, for a host of waitable sets: a started
//                 wait per round, untagged words included;
//   unwaitable    a kind declared unwaitable_kind<Tag> (refused with
//                 errc::not_waitable), or a waitable kind the host has no member
//                 for (the lowerings make that a compile error naming the kind).
// A kind with both subscribe and step is stepped: the finer protocol.
enum class wait_model : std::uint8_t { pass_through, subscribe, step, start, unwaitable };

template <class Host, class Word>
concept host_with_pollables =
    host_with_select<Host, Word> && host_with_timed_select<Host, Word> && host_with_drop_pollable<Host, Word>;

template <class Host, class Kind, class Layout>
inline constexpr wait_model wait_model_of =
    !Kind::waitable ? wait_model::unwaitable
    : host_with_waitable_sets<Host, typename Layout::word_type>
        ? host_with_start_wait<Host, Kind, Layout> ? wait_model::start : wait_model::unwaitable
    : std::is_same_v<Kind, untagged>          ? wait_model::pass_through
    : host_with_step<Host, Kind, Layout>      ? wait_model::step
    : host_with_subscribe<Host, Kind, Layout> ? wait_model::subscribe
                                              : wait_model::unwaitable;

// A host lower_select can work with, for the words of Set: select with and
// without a timeout, and drop_pollable; or, for the async ABI, waitable sets.
// (Whether it can wait on each kind is checked by lower_select itself, which
// names the kind it cannot.)
template <class Host, class Set>
concept select_host = any_kind_set<Set> &&
    (host_with_waitable_sets<Host, typename Set::word_type> || host_with_pollables<Host, typename Set::word_type>);

// A host lower_is_ready can work with, for the words of Set: is_ready and
// drop_pollable; or, for the async ABI, waitable sets (it polls).
template <class Host, class Set>
concept is_ready_host = any_kind_set<Set> &&
    (host_with_waitable_sets<Host, typename Set::word_type> ||
     (host_with_is_ready<Host, typename Set::word_type> && host_with_drop_pollable<Host, typename Set::word_type>));

// A host lower_poll can work with, for the words of Set: poll, drop_pollable
// and subscribe_duration; or waitable sets and start_for; and, either way,
// ns_until for absolute deadlines.
template <class Host, class Set>
concept poll_host = any_kind_set<Set> && host_with_deadlines<Host> &&
    ((host_with_waitable_sets<Host, typename Set::word_type> && host_with_start_for<Host, typename Set::word_type>) ||
     (host_with_poll<Host, typename Set::word_type> && host_with_drop_pollable<Host, typename Set::word_type> &&
      host_with_subscribe_duration<Host, typename Set::word_type>));

} // namespace nybble

#endif // NYBBLE_HOST_HPP
