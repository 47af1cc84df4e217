// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// lowering/validate.hpp: below <nybble/select.hpp>. Which guest words a
// lowering accepts (validate_word, the rule), the check of a whole list
// before any host call (validate_select, its fast path), and, for a layout
// with a generation field, the generation table's check of every word. Not for
// adapters to name.
#ifndef NYBBLE_LOWERING_VALIDATE_HPP
#define NYBBLE_LOWERING_VALIDATE_HPP

#include <nybble/config.hpp>
#include <nybble/detail/kind_set.hpp>
#include <nybble/generations.hpp>
#include <nybble/host.hpp>
#include <nybble/kind_set.hpp>
#include <nybble/result.hpp>
#include <nybble/wait.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <utility>

namespace nybble::detail {

// Whether a validated word (never a sentinel) needs translating.
template <class Set>
[[nodiscard]] constexpr bool is_tagged(typename Set::word_type word) noexcept {
  return (word & Set::layout_type::kind_mask) != 0;
}

// Kind filters of detail::tag_is_accepted, both read off wait_model_of: the
// kinds the host can wait on (untagged included), and the kinds it steps.
template <class Host, class Layout>
struct waitable_with {
  template <class K>
  static constexpr bool keeps(std::type_identity<K> /*kind*/) noexcept {
    return wait_model_of<Host, K, Layout> != wait_model::unwaitable;
  }
};
template <class Host, class Layout>
struct stepped_by {
  template <class K>
  static constexpr bool keeps(std::type_identity<K> /*kind*/) noexcept {
    return wait_model_of<Host, K, Layout> == wait_model::step;
  }
};

// Whether the host waits on waitable sets (the async ABI) rather than on pollables.
template <class Set, class Host>
inline constexpr bool uses_waitable_sets = host_with_waitable_sets<Host, typename Set::word_type>;

// Whether the host steps any kind of the set: without one, a select never re-arms.
template <class Set, class Host>
inline constexpr bool some_kind_steps = Set::any_kind([]<class K>(std::type_identity<K> kind) {
  return stepped_by<Host, typename Set::layout_type>::keeps(kind);
});

// The smallest tag the lowering refuses (no kind of the set has it, or its kind
// cannot be waited on); past the layout's largest tag when it refuses none.
template <class Set, class Host>
inline constexpr std::uintmax_t first_refused_tag =
    first_unaccepted_tag<Set, waitable_with<Host, typename Set::layout_type>>;

// Whether one guest word is accepted, or why not: an invalid sentinel is
// invalid_handle, a tag no kind has unknown_kind, a kind the host cannot wait
// on not_waitable. This is the specification of the validation: the word loop
// of validate_select and lower_is_ready ask it, and the fast path of
// validate_select is an optimisation of it (tests/differential checks the two agree).
template <class Set, class Host>
[[nodiscard]] constexpr result<void> validate_word(typename Set::word_type word) noexcept {
  using layout_type = typename Set::layout_type;
  if (layout_type::is_invalid(word)) {
    return errc::invalid_handle;
  }
  const std::uintmax_t tag = layout_type::tag_of(word);
  if (!Set::contains_tag(tag)) {
    return errc::unknown_kind;
  }
  if (!tag_is_accepted<Set, waitable_with<Host, layout_type>>(tag)) {
    return errc::not_waitable;
  }
  return {};
}

// Lists of 1 to short_list words (one vector of u32 on most targets) are read
// word by word with no loop: that skips a vectorised loop's set-up and, since
// such a list is neither empty nor too long, the length checks too. Without
// vector instructions there is no set-up to skip, and the copy would only add code.
inline constexpr std::size_t short_list = 4;
inline constexpr bool loops_may_vectorise =
#if defined(__wasm__) && !defined(__wasm_simd128__)
    false;
#else
    true;
#endif

// The validation of lower_select, before any host call: the list's length
// (empty_select for no handle and no timeout, capacity_exceeded for a list
// longer than select_outcome::max_handles or than the scratch), then every
// word. Answers whether any word is tagged, or the error for the first refused
// word: an invalid sentinel, an unknown tag, a kind that cannot be waited on.
//
// The fast path reads the list once, with no branch per word, so that compilers
// vectorise it: it ORs together each word's kind field and invalid bit and
// tests the result once. A list passes when no word has the invalid bit or a tag at
// or above first_refused_tag; where that tag is a power of two, "at or above"
// is a bit of the kind field, so the OR alone decides; otherwise each field is
// compared with it. A list that does not pass (a tag at or above the first
// refused one may still be a kind of a gapped set) is read again word by word,
// which decides exactly and names the error.
template <class Set, class Host>
[[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr result<bool>
validate_select(std::span<const typename Set::word_type> handles, std::size_t scratch_size, timeout wait_for) noexcept {
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
  const auto read = [&](word w) NYBBLE_INLINE_FOR_SIZE {
    if constexpr (refusal_is_a_bit_test) {
      fields |= static_cast<word>(w & (layout_type::kind_mask | invalid_mask));
    } else {
      const auto field = static_cast<word>(w & layout_type::kind_mask);
      fields |= field;
      refused |= static_cast<word>((w & invalid_mask) | (field >= first_refused_field ? 1U : 0U));
    }
  };
  const std::size_t count = handles.size();
  // One compare sends every list but the short ones to the loop, and the rare
  // lengths (none, more than max_handles) aside within it.
  if (loops_may_vectorise && count - 1 < short_list) {
    // Word i is read while i < count; the fold stops at the first that is not.
    [&]<std::size_t... I>(std::index_sequence<I...>) NYBBLE_INLINE_FOR_SIZE {
      static_cast<void>(((I < count ? (read(handles[I]), true) : false) && ...));
    }
    (std::make_index_sequence<short_list>{});
  } else {
    if (count - 1 >= select_outcome::max_handles) [[unlikely]] {
      if (count != 0) {
        return errc::capacity_exceeded;
      }
      if (wait_for.is_none()) {
        return errc::empty_select;
      }
    }
    for (const word w : handles) {
      read(w);
    }
  }
  if (scratch_size < count) {
    return errc::capacity_exceeded;
  }
  if (refusal_is_a_bit_test ? (fields & refused_bits) == 0 : refused == 0) {
    return (fields & layout_type::kind_mask) != 0;
  }

  bool any_tagged = false;
  for (const word w : handles) {
    if (const result<void> accepted = validate_word<Set, Host>(w); !accepted) {
      return accepted.error();
    }
    any_tagged = any_tagged || is_tagged<Set>(w);
  }
  return any_tagged;
}

// What a lowering's generations parameter defaults to: a layout without a
// generation field has nothing to check.
struct no_generations {};

// The compile-time check of a lowering's generations argument: a layout with a
// generation field needs the adapter's table (or a stale word would reach the
// host), and a table must be of the lowering's own set.
template <class Set, class Generations>
constexpr void check_generations_argument() {
  if constexpr (Set::layout_type::has_generation) {
    static_assert(!std::is_same_v<Generations, no_generations>,
                  "nybble: the kind set's layout has a generation field: pass the lowering the "
                  "nybble::generation_table<Set> the adapter hands its words out of (the last argument), so that "
                  "a stale word is refused before any host call.");
    static_assert(std::is_same_v<Generations, no_generations> || std::is_same_v<Generations, generation_table<Set>>,
                  "nybble: the generation table is of another kind set than the lowering's.");
  } else {
    static_assert(std::is_same_v<Generations, no_generations>,
                  "nybble: a generation table was passed, but the kind set's layout has no generation field.");
  }
}

// Every word of a validated list (no sentinel, every tag a kind of the set)
// checked against the generation table: stale_handle when a word's handle is
// not out. One branch for the list, not one per word. Nothing to check
// without a generation field.
template <class Set, class Generations>
[[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr result<void>
validate_generations(std::span<const typename Set::word_type> words, const Generations& generations) noexcept {
  if constexpr (Set::layout_type::has_generation && !std::is_same_v<Generations, no_generations>) {
    bool all_out = true;
    for (const typename Set::word_type w : words) {
      all_out = generation_access::is_out_validated(generations, w) && all_out;
    }
    if (!all_out) {
      return errc::stale_handle;
    }
  } else {
    static_cast<void>(words);
    static_cast<void>(generations);
  }
  return {};
}

// The host's indices of a validated list of untagged words, in the scratch
// (at least as long: validate_select checked it).
template <class Set>
[[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr std::span<const typename Set::word_type>
strip_generations(std::span<const typename Set::word_type> words, std::span<typename Set::word_type> scratch) noexcept {
  for (std::size_t i = 0; i < words.size(); ++i) {
    scratch[i] = Set::layout_type::payload_of(words[i]);
  }
  return scratch.first(words.size());
}

} // namespace nybble::detail

#endif // NYBBLE_LOWERING_VALIDATE_HPP
