// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef NYBBLE_SELECT_HPP
#define NYBBLE_SELECT_HPP

#include <nybble/handle.hpp>
#include <nybble/kind.hpp>
#include <nybble/result.hpp>

#include <array>
#include <bit>
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

namespace detail {
// The word of a kind set, or the word type itself.
template <class WordOrSet>
struct scratch_word {
  using type = WordOrSet;
};
template <kind_set_type Set>
struct scratch_word<Set> {
  using type = typename Set::word_type;
};
} // namespace detail

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

// The host's members, one concept each, so that a missing one can be named.
template <class Host, class Word>
concept host_with_select = requires(Host& host, std::span<const Word> pollables) {
  { host.select(pollables) } -> std::convertible_to<std::uint64_t>;
};
template <class Host, class Word>
concept host_with_timed_select = requires(Host& host, std::span<const Word> pollables, std::uint32_t ms) {
  {static_cast<bool>(host.select(pollables, ms))};
  { *host.select(pollables, ms) } -> std::convertible_to<std::uint64_t>;
};
template <class Host, class Word>
concept host_with_drop_pollable = requires(Host& host, Word pollable) {
  host.drop_pollable(pollable);
};
template <class Host, class Word>
concept host_with_is_ready = requires(Host& host, Word pollable) {
  { host.is_ready(pollable) } -> std::convertible_to<bool>;
};
template <class Host>
concept host_with_clock = requires(Host& host) {
  { host.now_ms() } -> std::convertible_to<std::uint64_t>;
};
namespace detail {
// What subscribe may return: the new pollable's word, or result<word> for a host
// whose typed side may hand out an index the word cannot hold (it answers an
// errc instead, having dropped that pollable itself). No wider integer: it
// would be narrowed onto another pollable.
template <class R, class Word>
concept new_pollable = std::same_as<R, Word> || std::same_as<R, result<Word>> ||
    (std::unsigned_integral<R> && !std::same_as<R, bool> && sizeof(R) <= sizeof(Word));
// What step may return: std::optional<word>, or result<std::optional<word>>, likewise.
template <class R, class Word>
concept next_pollable = std::same_as<R, std::optional<Word>> || std::same_as<R, result<std::optional<Word>>>;
} // namespace detail

template <class Host, class Kind, class Layout>
concept host_subscribes = requires(Host& host, handle<Kind, Layout> h) {
  { host.subscribe(h) } -> detail::new_pollable<typename Layout::word_type>;
};
template <class Host, class Kind, class Layout>
concept host_steps = requires(Host& host, handle<Kind, Layout> h) {
  { host.step(h) } -> detail::next_pollable<typename Layout::word_type>;
};

// A host lower_select can work with, for the words of Set.
template <class Host, class Set>
concept select_host = kind_set_type<Set> && host_with_select<Host, typename Set::word_type> &&
    host_with_timed_select<Host, typename Set::word_type> && host_with_drop_pollable<Host, typename Set::word_type>;

// A host lower_is_ready can work with, for the words of Set.
template <class Host, class Set>
concept is_ready_host = kind_set_type<Set> && host_with_is_ready<Host, typename Set::word_type> &&
    host_with_drop_pollable<Host, typename Set::word_type>;

// How the host turns a handle of Kind into something to wait on.
enum class wait_model : std::uint8_t { untagged, subscribe, step, none };

// A kind declared unwaitable is `none` whatever the host offers; a waitable kind
// for which the host has neither member is `none` too, and refused at compile
// time by lower_select and lower_is_ready.
template <class Host, class Kind, class Layout>
inline constexpr wait_model wait_model_of = std::is_same_v<Kind, untagged>        ? wait_model::untagged
                                            : !Kind::waitable                     ? wait_model::none
                                            : host_steps<Host, Kind, Layout>      ? wait_model::step
                                            : host_subscribes<Host, Kind, Layout> ? wait_model::subscribe
                                                                                  : wait_model::none;

namespace detail {

// Whether a validated word (never a sentinel) needs translating.
template <class Set>
[[nodiscard]] constexpr bool is_tagged(typename Set::word_type word) noexcept {
  return (word & Set::layout_type::kind_mask) != 0;
}

// The wait model of a guest word, or the error that refuses it.
template <class Set, class Host>
[[nodiscard]] constexpr result<wait_model> wait_model_of_word(typename Set::word_type word) noexcept {
  if (Set::layout_type::is_invalid(word)) {
    return errc::invalid_handle;
  }
  if (!is_tagged<Set>(word)) {
    return wait_model::untagged;
  }
  wait_model model = wait_model::none;
  const bool known = Set::with_kind_of_tag(Set::layout_type::tag_of(word), [&]<class K>(std::type_identity<K>) {
    model = wait_model_of<Host, K, typename Set::layout_type>;
  });
  if (!known) {
    return errc::unknown_kind;
  }
  if (model == wait_model::none) {
    return errc::not_pollable;
  }
  return model;
}

// Calls f(handle<K>) for a tagged word that validation has already accepted.
template <class Set, class Host, class F>
constexpr void with_tagged_handle(typename Set::word_type word, F&& f) {
  using layout_type = typename Set::layout_type;
  Set::with_kind_of_tag(layout_type::tag_of(word), [&]<class K>(std::type_identity<K>) {
    if constexpr (!std::is_same_v<K, untagged>) {
      f(handle_access::make<handle<K, layout_type>>(layout_type::payload_of(word)));
    }
  });
}

// Whether the host steps any kind of the set: without one, a select never re-arms.
template <class Set, class Host>
inline constexpr bool some_kind_steps = [] {
  bool steps = false;
  Set::for_each_kind([&]<class K>(std::type_identity<K>) {
    steps = steps || wait_model_of<Host, K, typename Set::layout_type> == wait_model::step;
  });
  return steps;
}();

// One bit for every tag the layout's kind field can hold (all 64 when it holds more).
template <class Layout>
inline constexpr std::uint64_t every_tag_mask = Layout::max_tag >= 63 ? ~std::uint64_t{0}
                                                                      : (std::uint64_t{1} << (Layout::max_tag + 1)) - 1;

// One bit per tag that lower_select must refuse: no kind of the set has it, or
// the kind is declared unwaitable. Needs Set::has_tag_bitmask.
template <class Set, class Host>
inline constexpr std::uint64_t refused_tags = [] {
  using layout_type = typename Set::layout_type;
  std::uint64_t refused = every_tag_mask<layout_type> & ~Set::tag_bitmask;
  Set::for_each_kind([&]<class K>(std::type_identity<K>) {
    if (wait_model_of<Host, K, layout_type> == wait_model::none) {
      refused |= std::uint64_t{1} << (K::tag % 64);
    }
  });
  return refused;
}();

// When the refused tags are exactly those from some tag up (the usual case:
// kinds numbered 1..k, all of them waitable), that tag; otherwise 0.
template <class Set, class Host>
inline constexpr std::uintmax_t refused_from_tag = [] {
  constexpr std::uint64_t refused = refused_tags<Set, Host>;
  for (std::uintmax_t t = 1; t <= Set::layout_type::max_tag && t < 64; ++t) {
    const std::uint64_t from_t = ~((std::uint64_t{1} << t) - 1);
    if (refused == (from_t & every_tag_mask<typename Set::layout_type>)) {
      return t;
    }
  }
  return std::uintmax_t{0};
}();

// Whether a tag of the set names a kind the host can wait on.
template <class Set, class Host>
[[nodiscard]] constexpr bool tag_is_waitable(std::uintmax_t tag) noexcept {
  if constexpr (refused_from_tag<Set, Host> != 0) {
    return tag < refused_from_tag<Set, Host>;
  } else {
    return ((refused_tags<Set, Host> >> (tag % 64)) & 1U) == 0;
  }
}

// Whether a word is refused can be read from its kind field's bits alone: the
// refused tags are exactly those with one of refused_field_bits set (none
// refused, or every tag from a power of two up, as with kinds numbered 1..3).
template <class Set, class Host>
inline constexpr bool refusal_is_a_bit_test = Set::has_tag_bitmask &&
                                              (refused_tags<Set, Host> == 0 ||
                                               (refused_from_tag<Set, Host> != 0 &&
                                                std::has_single_bit(refused_from_tag<Set, Host>)));

// The kind-field bits that only refused tags have, where refusal_is_a_bit_test.
template <class Set, class Host>
inline constexpr typename Set::word_type refused_field_bits = [] {
  using layout_type = typename Set::layout_type;
  using word = typename Set::word_type;
  if constexpr (refused_tags<Set, Host> == 0) {
    return word{0};
  } else {
    const word first_refused_field = layout_type::with_tag(0, refused_from_tag<Set, Host>);
    return static_cast<word>(layout_type::kind_mask & ~static_cast<word>(first_refused_field - 1U));
  }
}();

// Below this many words (one vector of u32 on most targets), a list is read
// by a plain loop.
inline constexpr std::size_t short_list = 4;

// Whether compilers may vectorise a loop over words for this target. Without
// vector instructions (WebAssembly without SIMD) there is no set-up to avoid,
// and a second copy of the loop would only add code.
inline constexpr bool loops_may_vectorise =
#if defined(__wasm__) && !defined(__wasm_simd128__)
    false;
#else
    true;
#endif

// Calls f(word) for every word, in order. The two loops are the same on
// purpose: the first one's bound is known to be small, so compilers emit it
// without the set-up of a vectorised loop, which the second one pays once.
template <class Word, class F>
constexpr void scan_words(std::span<const Word> words, F&& f) {
  if (loops_may_vectorise && words.size() < short_list) {
    for (const Word w : words) {
      f(w);
    }
  } else {
    for (const Word w : words) {
      f(w);
    }
  }
}

// Checks every word of the list; answers a word that is nonzero when any is
// tagged, or the error for the first word that is refused: an invalid sentinel,
// an unknown tag, a kind that cannot be waited on (no host call is made before
// this has passed). The common case is one pass with no branch per word, which
// compilers vectorise: the kind fields and invalid bits OR-ed together, then one
// test of the refused bits; where the refused tags are not such bits, a compare
// with the first refused tag. Other sets use a bit per tag seen. Only a refused
// list is scanned again, to name its error.
template <class Set, class Host>
[[nodiscard]] constexpr result<typename Set::word_type>
validate_handles(std::span<const typename Set::word_type> handles) noexcept {
  using layout_type = typename Set::layout_type;
  using word = typename Set::word_type;
  constexpr word invalid_mask = layout_type::invalid_mask;
  if constexpr (refusal_is_a_bit_test<Set, Host>) {
    constexpr auto read_bits = static_cast<word>(layout_type::kind_mask | invalid_mask);
    word fields = 0;
    scan_words(handles, [&](word w) { fields |= static_cast<word>(w & read_bits); });
    if ((fields & static_cast<word>(refused_field_bits<Set, Host> | invalid_mask)) == 0) {
      return fields;
    }
  } else if constexpr (refused_from_tag<Set, Host> != 0) {
    constexpr word first_refused_field = layout_type::with_tag(0, refused_from_tag<Set, Host>);
    word fields = 0;
    word refused = 0;
    scan_words(handles, [&](word w) {
      const auto field = static_cast<word>(w & layout_type::kind_mask);
      fields |= field;
      refused |= static_cast<word>((w & invalid_mask) | (field >= first_refused_field ? 1U : 0U));
    });
    if (refused == 0) {
      return fields;
    }
  } else if constexpr (Set::has_tag_bitmask) {
    std::uint64_t tags_seen = 0;
    word invalid = 0;
    scan_words(handles, [&](word w) {
      tags_seen |= std::uint64_t{1} << layout_type::tag_of(w);
      invalid |= static_cast<word>(w & invalid_mask);
    });
    if ((tags_seen & refused_tags<Set, Host>) == 0 && invalid == 0) {
      return static_cast<word>((tags_seen & ~std::uint64_t{1}) != 0 ? 1U : 0U);
    }
  }
  if constexpr (Set::has_tag_bitmask) {
    // A refused list: name the first refused word's error. (Compares with
    // constants rather than a lookup in the refused mask, which compilers would
    // load into a register on the common path, before the list is known bad.)
    for (const auto w : handles) {
      if (layout_type::is_invalid(w)) {
        return errc::invalid_handle;
      }
      const std::uintmax_t tag = layout_type::tag_of(w);
      if (!Set::contains_tag(tag)) {
        return errc::unknown_kind;
      }
      if (!tag_is_waitable<Set, Host>(tag)) {
        return errc::not_pollable;
      }
    }
    return word{0}; // not reached: some word was refused
  }
  word any_tagged = 0;
  for (const auto w : handles) {
    const auto model = wait_model_of_word<Set, Host>(w);
    if (!model) {
      return model.error();
    }
    any_tagged |= static_cast<word>(*model != wait_model::untagged ? 1U : 0U);
  }
  return any_tagged;
}

// Calls made through these templates stay dependent on the handle's kind, so a
// discarded branch for a kind the host cannot step never names host.step. Both
// answer a result, whichever of the allowed types the host returns.
template <class Host, class Handle>
[[nodiscard]] constexpr result<std::optional<typename Handle::word_type>> host_step(Host& host, Handle h) {
  return host.step(h);
}
template <class Host, class Handle>
[[nodiscard]] constexpr result<typename Handle::word_type> host_subscribe(Host& host, Handle h) {
  using word = typename Handle::word_type;
  using returned = decltype(host.subscribe(h));
  if constexpr (std::is_same_v<returned, result<word>>) {
    return host.subscribe(h);
  } else {
    return static_cast<word>(host.subscribe(h)); // an unsigned type no wider than the word
  }
}

// Whether the host can wait on handles of Kind, or need not (declared unwaitable).
template <class Kind, class Layout, class Host>
inline constexpr bool host_waits_on_kind_or_kind_is_unwaitable =
    !Kind::waitable || host_steps<Host, Kind, Layout> || host_subscribes<Host, Kind, Layout>;

// Kind and Layout are template arguments so that the diagnostic names them.
template <class Host, class Kind, class Layout>
constexpr void check_host_waits_on() {
  static_assert(host_waits_on_kind_or_kind_is_unwaitable<Kind, Layout, Host>,
                "nybble: the Host has neither subscribe(nybble::handle<Kind, Layout>) -> word nor "
                "step(nybble::handle<Kind, Layout>) -> std::optional<word> for this kind of the set (Kind and Layout "
                "are named below). Write one for exactly that handle type (a member taking a handle of another "
                "layout does not match), or declare the kind nybble::unwaitable_kind<Tag> if it cannot be waited on.");
}

template <class Host, class Set>
constexpr void check_host_waits_on_every_kind() {
  Set::for_each_kind([]<class K>(std::type_identity<K>) {
    if constexpr (!std::is_same_v<K, untagged>) {
      check_host_waits_on<Host, K, typename Set::layout_type>();
    }
  });
}

template <class Host, class Set>
constexpr void check_select_host() {
  using word = typename Set::word_type;
  static_assert(kind_set_type<Set>, "nybble::lower_select<Set>: Set must be a nybble::kind_set.");
  static_assert(host_with_select<Host, word>,
                "nybble::lower_select: the Host lacks the member select(std::span<const word>) -> index.");
  static_assert(host_with_timed_select<Host, word>,
                "nybble::lower_select: the Host lacks the member select(std::span<const word>, std::uint32_t ms) "
                "-> std::optional<index>.");
  static_assert(host_with_drop_pollable<Host, word>,
                "nybble::lower_select: the Host lacks the member drop_pollable(word); the lowering must drop every "
                "pollable it creates.");
  check_host_waits_on_every_kind<Host, Set>();
}

} // namespace detail

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
  const result<word> validated = detail::validate_handles<Set, Host>(guest_handles);
  if (!validated) {
    return validated.error();
  }
  const bool any_tagged = *validated != 0;

  // Drops every pollable the lowering holds for positions [0, end), except the
  // one at `keep` (already dropped). Untagged words are the guest's: never dropped.
  constexpr std::size_t keep_none = std::numeric_limits<std::size_t>::max();
  const auto drop_created = [&](std::size_t end, std::size_t keep) {
    if (!any_tagged) {
      return;
    }
    for (std::size_t i = 0; i < end; ++i) {
      if (i != keep && detail::is_tagged<Set>(guest_handles[i])) {
        host.drop_pollable(scratch[i]);
      }
    }
  };

  // Nothing to translate: the caller's own span, one host call.
  if (!any_tagged) {
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

  std::span<const word> pollables = guest_handles;
  std::uint64_t deadline = 0;
  if (any_tagged) {
    // One deadline for every wait of a select that may re-arm (needs a clock).
    if constexpr (host_with_clock<Host> && detail::some_kind_steps<Set, Host>) {
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
      detail::with_tagged_handle<Set, Host>(w, [&]<class K>(handle<K, typename Set::layout_type> h) {
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
    pollables = scratch.first(count);
  }

  // Wait until a handle is ready, re-arming stepping handles as they advance.
  bool first_wait = true;
  for (;;) {
    std::uint64_t fired = 0;
    if (wait_for.is_none()) {
      fired = host.select(pollables);
    } else {
      std::uint32_t remaining = wait_for.milliseconds();
      if constexpr (host_with_clock<Host> && detail::some_kind_steps<Set, Host>) {
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
        detail::with_tagged_handle<Set, Host>(w, [&]<class K>(handle<K, typename Set::layout_type> h) {
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
  using word = typename Set::word_type;
  static_assert(kind_set_type<Set>, "nybble::lower_is_ready<Set>: Set must be a nybble::kind_set.");
  static_assert(host_with_is_ready<Host, word>,
                "nybble::lower_is_ready: the Host lacks the member is_ready(word pollable) -> bool.");
  static_assert(host_with_drop_pollable<Host, word>,
                "nybble::lower_is_ready: the Host lacks the member drop_pollable(word); the lowering must drop "
                "every pollable it creates.");
  detail::check_host_waits_on_every_kind<Host, Set>();

  if (!detail::fits_in<word>(guest_value)) {
    return errc::invalid_handle;
  }
  const auto guest_handle = static_cast<word>(guest_value);
  const auto model = detail::wait_model_of_word<Set, Host>(guest_handle);
  if (!model) {
    return model.error();
  }
  if (*model == wait_model::untagged) {
    return static_cast<bool>(host.is_ready(guest_handle));
  }
  result<bool> ready = false;
  detail::with_tagged_handle<Set, Host>(guest_handle, [&]<class K>(handle<K, typename Set::layout_type> h) {
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
