// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef NYBBLE_SELECT_HPP
#define NYBBLE_SELECT_HPP

#include <nybble/detail/select.hpp>
#include <nybble/handle.hpp>
#include <nybble/kind.hpp>
#include <nybble/result.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <type_traits>

// Lowering a module-ABI select over mixed kinds to the component ABI, where
// select takes pollables only.
//
// The module ABI's select(handles, timeout) accepts any handle; the typed host's
// select accepts pollables and traps on anything else. lower_select translates:
// untagged words (pollables) go to the host as they are; each tagged word is
// turned into a pollable with the host's subscribe() or step(); the host waits;
// every pollable the lowering made is dropped; the ready index is the caller's
// own, since the translated list keeps the caller's order. Invalid sentinels are
// refused (errc::invalid_handle) before any host call: no component runtime can
// report an error for one (some trap, some alias another handle).
//
// The Host is the adapter's view of the typed side. It provides, as members:
//   select(std::span<const word>) -> index                       (waits, no timeout)
//   select(std::span<const word>, std::uint32_t ms) -> std::optional<index>
//   drop_pollable(word)
//   for each tagged kind K of the set declared with kind<Tag>, one of
//     subscribe(handle<K, L>) -> word                            (a new pollable)
//     step(handle<K, L>) -> std::optional<word>                  (nullopt: ready now)
//   (or result<word> and result<std::optional<word>>: a host whose typed side
//   numbers pollables with wider indices than the word answers an errc, such
//   as payload_overflow, for one that does not fit, after dropping it itself)
//   optionally now_ms() -> std::uint64_t (a monotonic clock)
//   and, for lower_is_ready, is_ready(word) -> bool.
// A kind without either member is a compile error that names the kind; a kind
// that cannot be waited on is declared unwaitable_kind<Tag> instead, and its
// handles are refused with errc::not_pollable. A kind that offers both subscribe
// and step is stepped: step is the finer protocol. Host members are expected not
// to throw; nybble is built without exceptions.
namespace nybble {

// A module-ABI timeout: none, or a number of milliseconds.
class timeout {
public:
  [[nodiscard]] static constexpr timeout none() noexcept { return timeout{false, 0}; }
  [[nodiscard]] static constexpr timeout ms(std::uint32_t milliseconds) noexcept { return timeout{true, milliseconds}; }
  // WITX encodes "no timeout" as 0.
  [[nodiscard]] static constexpr timeout from_witx(std::uint32_t milliseconds) noexcept {
    return milliseconds == 0 ? none() : ms(milliseconds);
  }

  [[nodiscard]] constexpr bool is_none() const noexcept { return !bounded_; }
  // Precondition: !is_none().
  [[nodiscard]] constexpr std::uint32_t milliseconds() const noexcept {
    NYBBLE_ASSERT(bounded_, "nybble::timeout::milliseconds() called on timeout::none()");
    return milliseconds_;
  }

  [[nodiscard]] friend constexpr bool operator==(timeout, timeout) noexcept = default;

private:
  constexpr timeout(bool bounded, std::uint32_t milliseconds) noexcept
      : bounded_{bounded}, milliseconds_{milliseconds} {}

  bool bounded_;
  std::uint32_t milliseconds_;
};

// What a select came back with: the index of a ready handle in the caller's
// list, or that the timeout expired.
class select_outcome {
public:
  // The module ABI's word for "timed out".
  static constexpr std::uint32_t witx_timed_out = 0xFFFF'FFFFU;

  [[nodiscard]] static constexpr select_outcome ready_at(std::uint32_t index) noexcept { return select_outcome{index}; }
  [[nodiscard]] static constexpr select_outcome timeout_expired() noexcept { return select_outcome{witx_timed_out}; }

  [[nodiscard]] constexpr bool timed_out() const noexcept { return word_ == witx_timed_out; }
  // Precondition: !timed_out().
  [[nodiscard]] constexpr std::uint32_t index() const noexcept {
    NYBBLE_ASSERT(!timed_out(), "nybble::select_outcome::index() called on a timeout");
    return word_;
  }
  // The index, or 0xFFFF'FFFF for a timeout, as the module ABI reports it.
  [[nodiscard]] constexpr std::uint32_t to_witx() const noexcept { return word_; }

  [[nodiscard]] friend constexpr bool operator==(select_outcome, select_outcome) noexcept = default;

private:
  constexpr explicit select_outcome(std::uint32_t word) noexcept : word_{word} {}

  std::uint32_t word_;
};

// Scratch space on the stack, for adapters that know their largest handle list:
// `nybble::inline_scratch<64, kinds>` holds 64 of the set's words (a word type
// may be named instead; the default is the canonical layout's 32-bit word).
// Converts to the std::span<word_type> that lower_select takes.
template <std::size_t Capacity, class WordOrSet = std::uint32_t>
class inline_scratch {
public:
  using word_type = typename detail::scratch_word<WordOrSet>::type;
  static_assert(std::unsigned_integral<word_type>,
                "nybble::inline_scratch<N, X>: X must be a kind_set or an unsigned word type.");
  static constexpr std::size_t capacity = Capacity;

  constexpr operator std::span<word_type>() noexcept { return words_; } // NOLINT(google-explicit-constructor)
  [[nodiscard]] constexpr std::span<word_type> span() noexcept { return words_; }

private:
  std::array<word_type, Capacity> words_{};
};

// A host lower_select can work with, for the words of Set: select with and
// without a timeout, and drop_pollable. (Whether it can wait on each kind is
// checked by lower_select itself, which names the kind it cannot.)
template <class Host, class Set>
concept select_host = kind_set_type<Set> && detail::host_with_select<Host, typename Set::word_type> &&
    detail::host_with_timed_select<Host, typename Set::word_type> &&
    detail::host_with_drop_pollable<Host, typename Set::word_type>;

// A host lower_is_ready can work with, for the words of Set: is_ready and drop_pollable.
template <class Host, class Set>
concept is_ready_host = kind_set_type<Set> && detail::host_with_is_ready<Host, typename Set::word_type> &&
    detail::host_with_drop_pollable<Host, typename Set::word_type>;

// How the host turns a handle of a kind into something to wait on: untagged
// words are waited on as they are; a kind is subscribed or stepped; `none` is a
// kind declared unwaitable_kind<Tag>, whose handles the lowerings refuse. A kind
// the host offers both members for is stepped. An adapter can pin this down:
//   static_assert(nybble::wait_model_of<my_host, http_cache_entry, layout> == nybble::wait_model::step);
using wait_model = detail::wait_model;
template <class Host, class Kind, class Layout>
inline constexpr wait_model wait_model_of = detail::wait_model_of<Host, Kind, Layout>;

// Lowers a module-ABI select over Set's handles to the host's typed select.
//
// guest_handles: the guest's words. scratch: at least guest_handles.size()
// words, where the translated list is built. The lowering checks everything it
// can before calling the host at all, and then:
//  1. with no tagged handle, passes guest_handles itself to one host select call;
//  2. otherwise subscribes (or steps) each tagged handle once, waits, and drops
//     every pollable it created exactly once, whichever way it returns;
//  3. a stepping handle whose pollable fires is stepped again: nullopt means
//     ready (its index is returned), a new pollable means the wait continues;
//     a first step() of nullopt is ready at once, with no wait;
//  4. the index returned is into guest_handles.
// Timeouts: with a host clock (now_ms), one deadline holds across every wait of
// a multi-step select. Without one, each wait of a multi-step select is given
// the whole timeout again (the host cannot tell nybble how long it waited), so
// a select that re-arms k times may wait up to k + 1 timeouts.
// Errors: empty_select (no handles, no timeout), capacity_exceeded (scratch
// shorter than the list, or a list longer than a u32 index can name),
// invalid_handle (an invalid sentinel), unknown_kind (a forged tag),
// not_pollable (a kind declared unwaitable), host_index_out_of_range (the host
// answered an index outside the list), or whatever errc the host's subscribe or
// step answered; in each case every pollable the lowering made is dropped.
template <class Set, class Host>
[[nodiscard]] constexpr result<select_outcome> lower_select(std::span<const typename Set::word_type> guest_handles,
                                                            timeout wait_for, Host& host,
                                                            std::span<typename Set::word_type> scratch) {
  detail::check_select_host<Host, Set>();
  using word = typename Set::word_type;
  const std::size_t count = guest_handles.size();

  // Validation: no host call happens before every check has passed. One compare
  // sends both rare cases, no handle and more than a u32 index can name, aside.
  if (count - 1 >= select_outcome::witx_timed_out) [[unlikely]] {
    if (count != 0) {
      return errc::capacity_exceeded;
    }
    if (wait_for.is_none()) {
      return errc::empty_select;
    }
  }
  if (scratch.size() < count) {
    return errc::capacity_exceeded;
  }
  const result<bool> validated = detail::validate_handles<Set, Host>(guest_handles);
  if (!validated) {
    return validated.error();
  }

  // Nothing to translate: the caller's own span, one host call.
  if (!*validated) {
    std::uint64_t fired = 0;
    if (wait_for.is_none()) {
      fired = host.select(guest_handles);
    } else {
      const auto ready = host.select(guest_handles, wait_for.milliseconds());
      if (!ready) {
        return select_outcome::timeout_expired();
      }
      fired = *ready;
    }
    if (fired >= count) {
      return errc::host_index_out_of_range;
    }
    return select_outcome::ready_at(static_cast<std::uint32_t>(fired));
  }

  // Drops every pollable the lowering holds for positions [0, end), except the
  // one at `keep` (already dropped). Untagged words are the guest's: never dropped.
  constexpr std::size_t keep_none = std::numeric_limits<std::size_t>::max();
  const auto drop_created = [&](std::size_t end, std::size_t keep) {
    for (std::size_t i = 0; i < end; ++i) {
      if (i != keep && detail::is_tagged<Set>(guest_handles[i])) {
        host.drop_pollable(scratch[i]);
      }
    }
  };

  std::uint64_t deadline = 0;
  // One deadline for every wait of a select that may re-arm (needs a clock).
  if constexpr (detail::host_with_clock<Host> && detail::some_kind_steps<Set, Host>) {
    if (!wait_for.is_none()) {
      deadline = static_cast<std::uint64_t>(host.now_ms()) + wait_for.milliseconds();
    }
  }
  // Arm: scratch[i] is the guest's word, or a pollable made for it.
  for (std::size_t i = 0; i < count; ++i) {
    const word w = guest_handles[i];
    if (!detail::is_tagged<Set>(w)) {
      scratch[i] = w;
      continue;
    }
    bool ready_now = false;
    errc refused{};
    detail::with_tagged_handle<Set>(w, [&]<class K>(handle<K, typename Set::layout_type> h) {
      if constexpr (wait_model_of<Host, K, typename Set::layout_type> == wait_model::step) {
        const auto pollable = detail::host_step(host, h);
        if (!pollable) {
          refused = pollable.error();
          return;
        }
        ready_now = !pollable->has_value();
        if (*pollable) {
          scratch[i] = **pollable;
        }
      } else if constexpr (wait_model_of<Host, K, typename Set::layout_type> == wait_model::subscribe) {
        const auto pollable = detail::host_subscribe(host, h);
        if (!pollable) {
          refused = pollable.error();
          return;
        }
        scratch[i] = *pollable;
      }
    });
    if (refused != errc{}) { // the host made nothing for this handle
      drop_created(i, keep_none);
      return refused;
    }
    if (ready_now) { // a first step of nullopt: ready, no wait
      drop_created(i, keep_none);
      return select_outcome::ready_at(static_cast<std::uint32_t>(i));
    }
  }
  const std::span<const word> pollables = scratch.first(count);

  // Wait until a handle is ready, re-arming stepping handles as they advance.
  bool first_wait = true;
  for (;;) {
    std::uint64_t fired = 0;
    if (wait_for.is_none()) {
      fired = host.select(pollables);
    } else {
      std::uint32_t remaining = wait_for.milliseconds();
      if constexpr (detail::host_with_clock<Host> && detail::some_kind_steps<Set, Host>) {
        if (!first_wait) { // the first wait has the whole timeout: no clock call needed
          const auto now = static_cast<std::uint64_t>(host.now_ms());
          remaining = now >= deadline ? 0U : static_cast<std::uint32_t>(deadline - now);
        }
      }
      const auto ready = host.select(pollables, remaining);
      if (!ready) {
        drop_created(count, keep_none);
        return select_outcome::timeout_expired();
      }
      fired = *ready;
    }
    first_wait = false;
    if (fired >= count) {
      drop_created(count, keep_none);
      return errc::host_index_out_of_range;
    }
    const auto index = static_cast<std::size_t>(fired);
    bool stepped = false;
    bool rearmed = false;
    errc refused{};
    if constexpr (detail::some_kind_steps<Set, Host>) {
      const word w = guest_handles[index];
      if (detail::is_tagged<Set>(w)) {
        detail::with_tagged_handle<Set>(w, [&]<class K>(handle<K, typename Set::layout_type> h) {
          if constexpr (wait_model_of<Host, K, typename Set::layout_type> == wait_model::step) {
            host.drop_pollable(scratch[index]);
            stepped = true;
            const auto next = detail::host_step(host, h);
            if (!next) {
              refused = next.error();
              return;
            }
            rearmed = next->has_value();
            if (*next) {
              scratch[index] = **next;
            }
          }
        });
      }
    }
    if (refused != errc{}) {
      drop_created(count, index); // this handle's pollable is gone already
      return refused;
    }
    if (!rearmed) {
      drop_created(count, stepped ? index : keep_none); // a finished step's pollable is gone already
      return select_outcome::ready_at(static_cast<std::uint32_t>(index));
    }
  }
}

// Whether a select over this one handle would return at once, without waiting.
// An untagged word is asked about as it is. A subscribing kind is subscribed,
// asked and dropped. A stepping kind is stepped while each step is ready, so
// the answer is true only when every remaining step is ready (the reference
// adapter looked at one step only). Errors, before any host call:
// invalid_handle (an invalid sentinel, or a value the set's word cannot hold),
// unknown_kind, not_pollable.
template <class Set, class Host, detail::integer Word>
[[nodiscard]] constexpr result<bool> lower_is_ready(Word guest_value, Host& host) {
  detail::check_is_ready_host<Host, Set>();
  using word = typename Set::word_type;

  if (!detail::fits_in<word>(guest_value)) {
    return errc::invalid_handle;
  }
  const auto guest_handle = static_cast<word>(guest_value);
  if (const errc reason = detail::refusal_of<Set, Host>(guest_handle); reason != errc{}) {
    return reason;
  }
  if (!detail::is_tagged<Set>(guest_handle)) {
    return static_cast<bool>(host.is_ready(guest_handle));
  }
  result<bool> ready = false;
  detail::with_tagged_handle<Set>(guest_handle, [&]<class K>(handle<K, typename Set::layout_type> h) {
    if constexpr (wait_model_of<Host, K, typename Set::layout_type> == wait_model::step) {
      for (;;) {
        const auto pollable = detail::host_step(host, h);
        if (!pollable) {
          ready = pollable.error();
          return;
        }
        if (!pollable->has_value()) {
          ready = true;
          return;
        }
        const bool step_ready = static_cast<bool>(host.is_ready(**pollable));
        host.drop_pollable(**pollable);
        if (!step_ready) {
          return;
        }
      }
    } else if constexpr (wait_model_of<Host, K, typename Set::layout_type> == wait_model::subscribe) {
      const auto pollable = detail::host_subscribe(host, h);
      if (!pollable) {
        ready = pollable.error();
        return;
      }
      ready = static_cast<bool>(host.is_ready(*pollable));
      host.drop_pollable(*pollable);
    }
  });
  return ready;
}

} // namespace nybble

#endif // NYBBLE_SELECT_HPP
