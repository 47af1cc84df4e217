// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef NYBBLE_HANDLE_HPP
#define NYBBLE_HANDLE_HPP

#include <nybble/detail/handle.hpp>
#include <nybble/kind.hpp>
#include <nybble/layout.hpp>
#include <nybble/result.hpp>

#include <compare>
#include <concepts>
#include <cstdint>
#include <type_traits>

namespace nybble {

// handle<Kind, Layout> is one resource handle of a known kind. It stores the
// payload: the index the typed (component) side knows the resource by.
//
// * to_abi() is the word for the untyped side: the payload with Kind's tag in
//   the kind field. For `untagged` it is the payload itself.
// * payload() is the word for the typed side.
// * An invalid sentinel (the layout's invalid bit set) is a handle of every
//   kind; from_payload, to_abi and payload pass it through verbatim.
//
// Handles of different kinds are unrelated types: no conversion between them
// exists, so a cache entry cannot reach a call that wants a pollable. The only
// way from an untyped word to a handle is decode() or visit(), which check the tag.
//
// There is no default layout: code names its handles through its kind_set
// (`kinds::handle<K>`), which carries the layout, so a handle of one layout
// can never be written where a set of another layout is meant.
template <class Kind, layout Layout>
class handle {
  static_assert(resource_kind<Kind>, "nybble::handle: Kind must derive from nybble::kind<Tag>, as in "
                                     "'struct my_kind : nybble::kind<1> {};'.");
  static_assert(detail::tag_fits_layout<Kind, Kind::tag, Layout::max_tag>,
                "nybble::handle: the kind's tag is too large for the layout's kind field.");

public:
  using kind_type = Kind;
  using layout_type = Layout;
  using word_type = typename Layout::word_type;

  // Wraps the typed side's index, of any integer type. Fails with
  // payload_overflow when the index does not fit the payload bits: it uses the
  // bits the layout reserves for the kind, or it is negative or wider than the
  // word (the value is checked before any conversion, so a wide index never
  // wraps onto another resource). The word's own invalid sentinels are kept.
  template <detail::integer Index>
  [[nodiscard]] static constexpr result<handle> from_payload(Index index) noexcept {
    if (!detail::fits_in<word_type>(index)) {
      return errc::payload_overflow;
    }
    const auto payload = static_cast<word_type>(index);
    if (Layout::is_invalid(payload) || Layout::fits_payload(payload)) {
      return handle{payload};
    }
    return errc::payload_overflow;
  }

  [[nodiscard]] constexpr word_type to_abi() const noexcept {
    return Layout::is_invalid(word_) ? word_ : Layout::with_tag(word_, Kind::tag);
  }
  [[nodiscard]] constexpr word_type payload() const noexcept { return word_; }
  [[nodiscard]] constexpr bool is_invalid() const noexcept { return Layout::is_invalid(word_); }

  [[nodiscard]] friend constexpr bool operator==(handle, handle) noexcept = default;
  [[nodiscard]] friend constexpr std::strong_ordering operator<=>(handle, handle) noexcept = default;

private:
  friend struct detail::handle_access;

  constexpr explicit handle(word_type payload) noexcept : word_{payload} {}

  word_type word_;
};

// The tag of an untyped word, checked against the set. Invalid sentinels
// answer 0: they are passed on as untagged words. The word may be of any
// integer type; a value the set's word cannot hold is errc::word_out_of_range.
template <class Set, detail::integer Word>
requires kind_set_type<Set>
[[nodiscard]] constexpr result<std::uintmax_t> kind_of(Word value) noexcept {
  if (!detail::fits_in<typename Set::word_type>(value)) {
    return errc::word_out_of_range;
  }
  const auto word = static_cast<typename Set::word_type>(value);
  const std::uintmax_t tag = Set::layout_type::dispatch_tag_of(word);
  if (!Set::contains_tag(tag)) {
    return errc::unknown_kind;
  }
  return tag;
}

// Reads an untyped word as a handle of Kind. Errors: unknown_kind when the tag
// is no kind of Set (a forged word), wrong_kind when it is another kind of Set.
// An invalid sentinel decodes, verbatim, as a handle of any kind. The word may
// be of any integer type; a value the set's word cannot hold is
// errc::word_out_of_range (it is never truncated onto another handle).
template <class Kind, class Set, detail::integer Word>
[[nodiscard]] constexpr result<handle<Kind, typename Set::layout_type>> decode(Word value) noexcept {
  static_assert(kind_set_type<Set>, "nybble::decode<Kind, Set>: Set must be a nybble::kind_set.");
  static_assert(detail::kind_is_member_of_set<Kind, Set>,
                "nybble::decode<Kind, Set>: Kind is not a member of Set; add it to the kind_set.");
  using layout_type = typename Set::layout_type;
  using handle_type = handle<Kind, layout_type>;
  using word_type = typename Set::word_type;
  if (!detail::fits_in<word_type>(value)) {
    return errc::word_out_of_range;
  }
  const auto word = static_cast<word_type>(value);
  // One path for the sentinel and the match, with the payload kept by a mask,
  // so that compilers can make a loop of decodes branch-free (and vectorise it)
  // as they do hand-written masks (bench/README.md, "Encode, decode, visit").
  // The kind field is compared where it lies.
  const bool invalid = layout_type::is_invalid(word);
  const word_type kept_bits = invalid ? static_cast<word_type>(~word_type{0}) : layout_type::payload_mask;
  if (invalid || (word & layout_type::kind_mask) == layout_type::with_tag(0, Kind::tag)) {
    return detail::handle_access::make<handle_type>(static_cast<word_type>(word & kept_bits));
  }
  return Set::contains_tag(layout_type::tag_of(word)) ? errc::wrong_kind : errc::unknown_kind;
}

// Calls f(handle<K>) with the typed handle of the word's kind K: untagged
// (invalid sentinels included) or one of Set's kinds. Returns f's result
// wrapped in result<>, or errc::unknown_kind for a forged tag, in which case f
// is not called. f must accept a handle of every kind of Set and return the
// same type for each. The word may be of any integer type; a value the set's
// word cannot hold is errc::word_out_of_range, and f is not called.
template <class Set, detail::integer Word, class F>
requires kind_set_type<Set>
constexpr auto visit(Word value, F&& f) -> result<detail::visit_return_t<Set, F>> {
  using layout_type = typename Set::layout_type;
  using return_type = detail::visit_return_t<Set, F>;
  using result_type = result<return_type>;
  constexpr bool takes_every_kind = [] {
    bool takes = true;
    Set::for_each_kind(
        [&]<class K>(std::type_identity<K>) { takes = detail::check_visitor_takes<F, K, layout_type>() && takes; });
    return takes;
  }();
  if constexpr (!takes_every_kind) {
    return result_type{errc::wrong_kind}; // not reached: check_visitor_takes stops the build
  } else {
    constexpr bool returns_alike = [] {
      bool alike = true;
      Set::for_each_kind([&]<class K>(std::type_identity<K>) {
        alike = alike && std::is_same_v<std::invoke_result_t<F&, handle<K, layout_type>>, return_type>;
      });
      return alike;
    }();
    static_assert(returns_alike, "nybble::visit: the visitor must return the same type for every kind of the set.");

    if (!detail::fits_in<typename Set::word_type>(value)) {
      return result_type{errc::word_out_of_range};
    }
    const auto word = static_cast<typename Set::word_type>(value);
    const auto call = [&]<class K>(std::type_identity<K>, typename Set::word_type payload) {
      return f(detail::handle_access::make<handle<K, layout_type>>(payload));
    };
    // The tag is looked up once and the handle made without checking again. An
    // invalid sentinel is dispatched as tag 0: untagged words, sentinels included,
    // are visited verbatim, so both take the same branch.
    const auto payload_for = [word]<class K>(std::type_identity<K>) {
      return std::is_same_v<K, untagged> ? word : layout_type::payload_of(word);
    };
    if constexpr (std::is_void_v<return_type>) {
      const bool known =
          Set::with_kind_of_tag(layout_type::dispatch_tag_of(word),
                                [&]<class K>(std::type_identity<K> kind) { call(kind, payload_for(kind)); });
      return known ? result_type{} : result_type{errc::unknown_kind};
    } else {
      result_type out = errc::unknown_kind; // kept when no kind of the set has the tag
      Set::with_kind_of_tag(layout_type::dispatch_tag_of(word),
                            [&]<class K>(std::type_identity<K> kind) { out = call(kind, payload_for(kind)); });
      return out;
    }
  }
}

} // namespace nybble

#endif // NYBBLE_HANDLE_HPP
