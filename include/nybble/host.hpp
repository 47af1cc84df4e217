// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef NYBBLE_HOST_HPP
#define NYBBLE_HOST_HPP

#include <nybble/handle.hpp>
#include <nybble/kind.hpp>
#include <nybble/result.hpp>

#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>

// The host contract, stated once. The Host is the adapter's view of the typed
// (component) side; the lowerings in <nybble/select.hpp> call it through these
// concepts, and their compile-time checks name the concept a host fails. Each
// concept is a noun phrase for the host that models it: host_with_<member>.
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
// whose typed side may hand out an index the word cannot hold (it answers an
// errc instead, having dropped that pollable itself). No wider integer: it
// would be narrowed onto another pollable.
template <class R, class Word>
concept new_pollable = std::same_as<R, Word> || std::same_as<R, result<Word>> ||
    (std::unsigned_integral<R> && !std::same_as<R, bool> && sizeof(R) <= sizeof(Word));

// What step may return: std::optional<word> (nullopt: ready now, nothing to
// wait on), or result<std::optional<word>>, likewise.
template <class R, class Word>
concept next_pollable = std::same_as<R, std::optional<Word>> || std::same_as<R, result<std::optional<Word>>>;

// subscribe(handle<Kind, Layout>) -> word: a new pollable for the handle. The
// member must take exactly the set's handle type: one written for another
// layout does not match, and the lowerings then name the kind.
template <class Host, class Kind, class Layout>
concept host_with_subscribe = requires(Host& host, handle<Kind, Layout> h) {
  { host.subscribe(h) } -> new_pollable<typename Layout::word_type>;
};

// step(handle<Kind, Layout>) -> std::optional<word>: a pollable for the
// handle's next step, or nullopt when every step is ready.
template <class Host, class Kind, class Layout>
concept host_with_step = requires(Host& host, handle<Kind, Layout> h) {
  { host.step(h) } -> next_pollable<typename Layout::word_type>;
};

// How the host turns a handle of a kind into something to wait on:
//   pass_through  untagged words: waited on as they are (they are pollables);
//   subscribe     host_with_subscribe: one pollable, ready when the handle is;
//   step          host_with_step: a pollable per step, re-armed until nullopt;
//   unwaitable    a kind declared unwaitable_kind<Tag> (its handles are refused
//                 with errc::not_waitable), or a kind for which the host has
//                 neither member (a compile error in the lowerings).
// A kind with both members is stepped: the finer protocol. An adapter can pin
// its kinds down:
//   static_assert(nybble::wait_model_of<my_host, http_cache_entry, layout> == nybble::wait_model::step);
enum class wait_model : std::uint8_t { pass_through, subscribe, step, unwaitable };

template <class Host, class Kind, class Layout>
inline constexpr wait_model wait_model_of = std::is_same_v<Kind, untagged>            ? wait_model::pass_through
                                            : !Kind::waitable                         ? wait_model::unwaitable
                                            : host_with_step<Host, Kind, Layout>      ? wait_model::step
                                            : host_with_subscribe<Host, Kind, Layout> ? wait_model::subscribe
                                                                                      : wait_model::unwaitable;

// A host lower_select can work with, for the words of Set: select with and
// without a timeout, and drop_pollable. (Whether it can wait on each kind is
// checked by lower_select itself, which names the kind it cannot.)
template <class Host, class Set>
concept select_host = kind_set_type<Set> && host_with_select<Host, typename Set::word_type> &&
    host_with_timed_select<Host, typename Set::word_type> && host_with_drop_pollable<Host, typename Set::word_type>;

// A host lower_is_ready can work with, for the words of Set: is_ready and drop_pollable.
template <class Host, class Set>
concept is_ready_host = kind_set_type<Set> && host_with_is_ready<Host, typename Set::word_type> &&
    host_with_drop_pollable<Host, typename Set::word_type>;

} // namespace nybble

#endif // NYBBLE_HOST_HPP
