// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Internals of <nybble/select.hpp>: what a host member must look like, how a
// kind is waited on, the validation of a guest's list, and the compile-time
// checks that name what a host lacks. Not for adapters to name.
#ifndef NYBBLE_DETAIL_SELECT_HPP
#define NYBBLE_DETAIL_SELECT_HPP

#include <nybble/handle.hpp>
#include <nybble/kind.hpp>
#include <nybble/result.hpp>

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>

namespace nybble::detail {

// The host's members, one concept each, so that the check of a missing one can name it.
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

template <class Host, class Kind, class Layout>
concept host_subscribes = requires(Host& host, handle<Kind, Layout> h) {
  { host.subscribe(h) } -> new_pollable<typename Layout::word_type>;
};
template <class Host, class Kind, class Layout>
concept host_steps = requires(Host& host, handle<Kind, Layout> h) {
  { host.step(h) } -> next_pollable<typename Layout::word_type>;
};

// How the host turns a handle of a kind into something to wait on (nybble::wait_model).
enum class wait_model : std::uint8_t { untagged, subscribe, step, none };

// A kind declared unwaitable is `none` whatever the host offers; a waitable kind
// for which the host has neither member is `none` too, and refused at compile
// time by the lowerings. A kind with both members is stepped: the finer protocol.
template <class Host, class Kind, class Layout>
inline constexpr wait_model wait_model_of =
    std::is_same_v<Kind, untagged>   ? wait_model::untagged
    : !Kind::waitable                ? wait_model::none
    : host_steps<Host, Kind, Layout> ? wait_model::step
                                     : (host_subscribes<Host, Kind, Layout> ? wait_model::subscribe : wait_model::none);

// The word of a kind set, or the word type itself (inline_scratch<N, WordOrSet>).
template <class WordOrSet>
struct scratch_word {
  using type = WordOrSet;
};
template <kind_set_type Set>
struct scratch_word<Set> {
  using type = typename Set::word_type;
};

// Whether a validated word (never a sentinel) needs translating.
template <class Set>
[[nodiscard]] constexpr bool is_tagged(typename Set::word_type word) noexcept {
  return (word & Set::layout_type::kind_mask) != 0;
}

// Calls f(handle<K>) for a tagged word that validation has already accepted.
template <class Set, class F>
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

// The smallest tag the lowering refuses (no kind of the set has it, or its kind
// cannot be waited on); past the layout's largest tag when it refuses none.
// With kinds numbered 1..k, all waitable, it is k + 1.
template <class Set, class Host>
inline constexpr std::uintmax_t first_refused_tag = [] {
  std::uintmax_t tag = 1;
  for (bool accepted = true; accepted && tag <= Set::layout_type::max_tag;) {
    accepted = false;
    Set::for_each_kind([&]<class K>(std::type_identity<K>) {
      accepted = accepted || (K::tag == tag && wait_model_of<Host, K, typename Set::layout_type> != wait_model::none);
    });
    tag += accepted ? 1U : 0U;
  }
  return tag;
}();

// Whether a tag of the set names untagged or a kind the host can wait on: every
// tag below first_refused_tag does; above it, one compare per waitable kind
// there (compares, not the dispatch switch: they are less code).
template <class Set, class Host>
[[nodiscard]] constexpr bool tag_is_waitable(std::uintmax_t tag) noexcept {
  if (tag < first_refused_tag<Set, Host>) {
    return true;
  }
  bool waitable = false;
  Set::for_each_kind([&]<class K>(std::type_identity<K>) {
    if constexpr (K::tag > first_refused_tag<Set, Host> &&
                  wait_model_of<Host, K, typename Set::layout_type> != wait_model::none) {
      waitable = waitable || tag == K::tag;
    }
  });
  return waitable;
}

// Why one guest word is refused (an invalid sentinel, an unknown tag, a kind
// that cannot be waited on), or errc{} when it is not. The word loop of
// validate_handles and lower_is_ready both ask it.
template <class Set, class Host>
[[nodiscard]] constexpr errc refusal_of(typename Set::word_type word) noexcept {
  using layout_type = typename Set::layout_type;
  if (layout_type::is_invalid(word)) {
    return errc::invalid_handle;
  }
  const std::uintmax_t tag = layout_type::tag_of(word);
  if (!Set::contains_tag(tag)) {
    return errc::unknown_kind;
  }
  if (!tag_is_waitable<Set, Host>(tag)) {
    return errc::not_pollable;
  }
  return errc{};
}

// Below this many words (one vector of u32 on most targets), the fast path of
// validate_handles reads the list with a loop of its own. Without vector
// instructions (WebAssembly without SIMD) there is no set-up to avoid, and a
// second copy of the loop would only add code.
inline constexpr std::size_t short_list = 4;
inline constexpr bool loops_may_vectorise =
#if defined(__wasm__) && !defined(__wasm_simd128__)
    false;
#else
    true;
#endif

// Checks every word of the list before any host call. Answers whether any word
// is tagged, or the error for the first refused word: an invalid sentinel, an
// unknown tag, a kind that cannot be waited on.
//
// The fast path reads the list once, with no branch per word, so that compilers
// vectorise it: it ORs together each word's kind field and invalid bit and tests
// the result once. A list passes when no word has the invalid bit or a tag at
// or above first_refused_tag; where that tag is a power of two, "at or above"
// is a bit of the kind field, so the OR alone decides; otherwise each field is
// compared with it. A list that does not pass (a tag at or above the first
// refused one may still be a kind of a gapped set) is read again word by word,
// which decides exactly and names the error.
template <class Set, class Host>
[[nodiscard]] constexpr result<bool> validate_handles(std::span<const typename Set::word_type> handles) noexcept {
  using layout_type = typename Set::layout_type;
  using word = typename Set::word_type;
  constexpr word invalid_mask = layout_type::invalid_mask;
  constexpr bool refuses_some_tag = first_refused_tag<Set, Host> <= layout_type::max_tag;
  constexpr word first_refused_field = refuses_some_tag ? layout_type::with_tag(0, first_refused_tag<Set, Host>) : 0;
  constexpr bool refusal_is_a_bit_test = !refuses_some_tag || std::has_single_bit(first_refused_tag<Set, Host>);
  // The kind-field bits that only refused tags have, where refusal_is_a_bit_test.
  constexpr word refused_field_bits =
      refuses_some_tag ? static_cast<word>(layout_type::kind_mask & ~static_cast<word>(first_refused_field - 1U))
                       : word{0};
  constexpr auto refused_bits = static_cast<word>(invalid_mask | refused_field_bits);

  word fields = 0;
  word refused = 0;
  const auto read = [&](word w) {
    if constexpr (refusal_is_a_bit_test) {
      fields |= static_cast<word>(w & (layout_type::kind_mask | invalid_mask));
    } else {
      const auto field = static_cast<word>(w & layout_type::kind_mask);
      fields |= field;
      refused |= static_cast<word>((w & invalid_mask) | (field >= first_refused_field ? 1U : 0U));
    }
  };
  // The two loops are the same on purpose: the first one's bound is known to be
  // small, so compilers emit it without the set-up of a vectorised loop.
  if (loops_may_vectorise && handles.size() < short_list) {
    for (const word w : handles) {
      read(w);
    }
  } else {
    for (const word w : handles) {
      read(w);
    }
  }
  if (refusal_is_a_bit_test ? (fields & refused_bits) == 0 : refused == 0) {
    return (fields & layout_type::kind_mask) != 0;
  }

  bool any_tagged = false;
  for (const word w : handles) {
    if (const errc reason = refusal_of<Set, Host>(w); reason != errc{}) {
      return reason;
    }
    any_tagged = any_tagged || is_tagged<Set>(w);
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
  if constexpr (std::is_same_v<decltype(host.subscribe(h)), result<word>>) {
    return host.subscribe(h);
  } else {
    return static_cast<word>(host.subscribe(h)); // an unsigned type no wider than the word
  }
}

// Kind and Layout are template arguments so that the diagnostic names them.
template <class Host, class Kind, class Layout>
constexpr void check_host_waits_on() {
  static_assert(!Kind::waitable || host_steps<Host, Kind, Layout> || host_subscribes<Host, Kind, Layout>,
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
  static_assert(kind_set_type<Set>, "nybble::lower_select<Set>: Set must be a nybble::kind_set.");
  using word = typename Set::word_type;
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

template <class Host, class Set>
constexpr void check_is_ready_host() {
  static_assert(kind_set_type<Set>, "nybble::lower_is_ready<Set>: Set must be a nybble::kind_set.");
  using word = typename Set::word_type;
  static_assert(host_with_is_ready<Host, word>,
                "nybble::lower_is_ready: the Host lacks the member is_ready(word pollable) -> bool.");
  static_assert(host_with_drop_pollable<Host, word>,
                "nybble::lower_is_ready: the Host lacks the member drop_pollable(word); the lowering must drop "
                "every pollable it creates.");
  check_host_waits_on_every_kind<Host, Set>();
}

} // namespace nybble::detail

#endif // NYBBLE_DETAIL_SELECT_HPP
