// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// kind_set.hpp: the kinds one adapter hands out, over one layout, and reading a
// guest word through them: kind_of, decode (a live handle of one kind), visit
// (a live handle of whatever kind the word is), and decode_nullable and
// visit_nullable, which also answer the "no handle" sentinel.
//
//   using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, body>;
//   const nybble::result<kinds::handle<cache_entry>> entry = nybble::decode<cache_entry, kinds>(guest_word);
#ifndef NYBBLE_KIND_SET_HPP
#define NYBBLE_KIND_SET_HPP

#include <nybble/config.hpp>
#include <nybble/detail/handle.hpp>
#include <nybble/detail/kind_set.hpp>
#include <nybble/handle.hpp>
#include <nybble/kind.hpp>
#include <nybble/layout.hpp>
#include <nybble/result.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace nybble {

// `untagged` is always a member and need not (must not) be listed. Every check
// runs at compile time: tags non-zero, unique, and small enough for the
// layout's kind field. Code written for one set names everything through it,
// never the layout or the word again: `kinds::handle<cache_entry>`,
// `kinds::word_type`, `nybble::inline_scratch<64, kinds>`.
template <layout Layout, class... Kinds>
struct kind_set {
  using layout_type = Layout;
  using word_type = typename Layout::word_type;

  template <class K>
  static constexpr bool contains = std::is_same_v<K, untagged> || (std::is_same_v<K, Kinds> || ...);

  // The handle of one of the set's kinds, over the set's layout.
  template <class K>
  requires contains<K>
  using handle = nybble::handle<K, Layout>;

  // Number of kinds, untagged included.
  static constexpr std::size_t size = 1 + sizeof...(Kinds);

  // Calls f(std::type_identity<K>{}) for the kind whose tag is `tag` and returns
  // true, or returns false when no kind of the set has that tag. The tag may be
  // any value, including one the layout's kind field cannot hold.
  template <class F>
  NYBBLE_INLINE_FOR_SIZE static constexpr bool with_kind_of_tag(std::uintmax_t tag, F&& f) {
    return detail::switch_on_tag<0, F, untagged, Kinds...>(tag, f);
  }

  // Whether a kind of the set has this tag.
  [[nodiscard]] static constexpr bool contains_tag(std::uintmax_t tag) noexcept {
    return detail::tag_is_accepted<kind_set, detail::every_kind>(tag);
  }

  // Calls f(std::type_identity<K>{}) for untagged and then each user kind.
  template <class F>
  static constexpr void for_each_kind(F&& f) {
    f(std::type_identity<untagged>{});
    (f(std::type_identity<Kinds>{}), ...);
  }
  // Whether predicate(std::type_identity<K>{}) holds for some kind (every
  // kind), untagged first; stops at the first kind that decides.
  template <class Predicate>
  [[nodiscard]] static constexpr bool any_kind(Predicate&& predicate) {
    return predicate(std::type_identity<untagged>{}) || (predicate(std::type_identity<Kinds>{}) || ...);
  }
  template <class Predicate>
  [[nodiscard]] static constexpr bool all_kinds(Predicate&& predicate) {
    return predicate(std::type_identity<untagged>{}) && (predicate(std::type_identity<Kinds>{}) && ...);
  }

private:
  static constexpr std::array<std::uintmax_t, sizeof...(Kinds)> user_tags{
      detail::tag_or_zero<Kinds, resource_kind<Kinds>>()...};
  static_assert(
      (detail::check_user_kind<Layout, Kinds, resource_kind<Kinds>,
                               detail::count_of(user_tags, detail::tag_or_zero<Kinds, resource_kind<Kinds>>())>() &&
       ... && true));
};

// Every kind_set (and any type that offers the same members).
template <class S>
concept any_kind_set = requires {
  typename S::layout_type;
  typename S::word_type;
  requires layout<typename S::layout_type>;
  { S::size } -> std::convertible_to<std::size_t>;
};

// The tag of a guest word, checked against the set. Invalid sentinels answer
// 0: they are passed on as untagged words. The word may be of any integer type;
// a value the set's word cannot hold is errc::word_out_of_range.
template <any_kind_set Set, detail::integer Word>
[[nodiscard]] constexpr result<std::uintmax_t> kind_of(Word value) noexcept {
  const result<typename Set::word_type> word = detail::narrow<typename Set::word_type>(value);
  if (!word) {
    return word.error();
  }
  const std::uintmax_t tag = Set::layout_type::dispatch_tag_of(*word);
  if (!Set::contains_tag(tag)) {
    return errc::unknown_kind;
  }
  return tag;
}

namespace detail {
template <class Kind, class Set>
constexpr void check_decode() {
  static_assert(any_kind_set<Set>, "nybble::decode<Kind, Set>: Set must be a nybble::kind_set.");
  static_assert(Set::template contains<Kind>,
                "nybble::decode<Kind, Set>: Kind is not a member of Set; add it to the kind_set.");
}
} // namespace detail

// A live handle of Kind, read from a guest word: what an adapter's export uses
// for an argument that must name a resource. Errors: invalid_handle for an
// invalid sentinel, unknown_kind for a tag no kind of Set has (a forged word),
// wrong_kind for another kind of Set, word_out_of_range for a value the set's
// word cannot hold (it is never truncated onto another handle).
template <class Kind, class Set, detail::integer Word>
[[nodiscard]] constexpr result<handle<Kind, typename Set::layout_type>> decode(Word value) noexcept {
  detail::check_decode<Kind, Set>();
  using layout_type = typename Set::layout_type;
  using word_type = typename Set::word_type;
  const result<word_type> word = detail::narrow<word_type>(value);
  if (!word) {
    return word.error();
  }
  // One compare of the kind field and the invalid bit where they lie.
  constexpr auto checked_bits = static_cast<word_type>(layout_type::kind_mask | layout_type::invalid_mask);
  if ((*word & checked_bits) == layout_type::with_tag(0, Kind::tag)) {
    return detail::handle_access::make<handle<Kind, layout_type>>(
        static_cast<word_type>(*word & layout_type::handle_mask));
  }
  if (layout_type::is_invalid(*word)) {
    return errc::invalid_handle;
  }
  return Set::contains_tag(layout_type::tag_of(*word)) ? errc::wrong_kind : errc::unknown_kind;
}

// decode, where the ABI allows "no handle": an invalid sentinel is answered,
// verbatim, as a handle of Kind (its is_invalid() is true), so that the adapter
// can forward it. Every other word as decode.
template <class Kind, class Set, detail::integer Word>
[[nodiscard]] constexpr result<handle<Kind, typename Set::layout_type>> decode_nullable(Word value) noexcept {
  detail::check_decode<Kind, Set>();
  using layout_type = typename Set::layout_type;
  using word_type = typename Set::word_type;
  const result<word_type> word = detail::narrow<word_type>(value);
  if (!word) {
    return word.error();
  }
  // One path for the sentinel and the match, the handle's bits kept by a mask, so that
  // a loop of these stays branch-free as hand-written masks do (handing the
  // match on to decode does not, with g++).
  const bool invalid = layout_type::is_invalid(*word);
  const word_type kept_bits = invalid ? static_cast<word_type>(~word_type{0}) : layout_type::handle_mask;
  if (invalid || (*word & layout_type::kind_mask) == layout_type::with_tag(0, Kind::tag)) {
    return detail::handle_access::make<handle<Kind, layout_type>>(static_cast<word_type>(*word & kept_bits));
  }
  return Set::contains_tag(layout_type::tag_of(*word)) ? errc::wrong_kind : errc::unknown_kind;
}

namespace detail {
// What a visitor answers: its result for an untagged handle. A visitor that
// cannot take one (written for another layout's handles, say) answers
// visitor_mismatch here, so that visit's signature stays well-formed and its
// static_assert, which names the kind and the layout, is the error the adapter
// author reads (not "no matching function").
struct visitor_mismatch {};
template <class Set, class F, bool = std::is_invocable_v<F&, handle<untagged, typename Set::layout_type>>>
struct visit_return {
  using type = std::invoke_result_t<F&, handle<untagged, typename Set::layout_type>>;
};
template <class Set, class F>
struct visit_return<Set, F, false> {
  using type = visitor_mismatch;
};
template <class Set, class F>
using visit_return_t = typename visit_return<Set, F>::type;

// Kind and Layout are template arguments so that the diagnostic names them.
template <class F, class Kind, class Layout>
constexpr bool check_visitor_takes() {
  constexpr bool takes = std::is_invocable_v<F&, handle<Kind, Layout>>;
  static_assert(takes, "nybble::visit: the visitor cannot be called with nybble::handle<Kind, Layout> for this kind "
                       "of the set (Kind and Layout are named below). Write it for the set's handles, "
                       "kinds::handle<K>: a visitor written for another layout's handles does not match.");
  return takes;
}
} // namespace detail

namespace detail {
// visit and visit_nullable: one dispatch on the word's tag, the handle made
// without checking again. A nullable visit dispatches a sentinel as tag 0
// (untagged words, sentinels included, are visited verbatim); a live one
// dispatches it as a tag no kind has, and only then tells the two misses apart.
template <class Set, bool Nullable, class Word, class F>
constexpr auto visit_word(Word value, F& f) -> result<visit_return_t<Set, F>> {
  using layout_type = typename Set::layout_type;
  using word_type = typename Set::word_type;
  using return_type = visit_return_t<Set, F>;
  using result_type = result<return_type>;
  constexpr bool takes_every_kind =
      Set::all_kinds([]<class K>(std::type_identity<K>) { return check_visitor_takes<F, K, layout_type>(); });
  if constexpr (!takes_every_kind) {
    return result_type{errc::wrong_kind}; // not reached: check_visitor_takes stops the build
  } else {
    static_assert(Set::all_kinds([]<class K>(std::type_identity<K>) {
                    return std::is_same_v<std::invoke_result_t<F&, handle<K, layout_type>>, return_type>;
                  }),
                  "nybble::visit: the visitor must return the same type for every kind of the set.");

    const result<word_type> word = narrow<word_type>(value);
    if (!word) {
      return result_type{word.error()};
    }
    constexpr std::uintmax_t no_kind = ~std::uintmax_t{0}; // above any tag a kind field can hold
    const bool invalid = layout_type::is_invalid(*word);
    const std::uintmax_t tag =
        Nullable ? layout_type::dispatch_tag_of(*word) : (invalid ? no_kind : layout_type::tag_of(*word));
    const errc missed = !Nullable && invalid ? errc::invalid_handle : errc::unknown_kind;
    const auto call = [&f, w = *word]<class K>(std::type_identity<K>) {
      return f(handle_access::make<handle<K, layout_type>>(
          std::is_same_v<K, untagged> ? w : static_cast<word_type>(w & layout_type::handle_mask)));
    };
    if constexpr (std::is_void_v<return_type>) {
      const bool known = Set::with_kind_of_tag(tag, call);
      return known ? result_type{} : result_type{missed};
    } else {
      result_type out = missed; // kept when no kind of the set has the tag
      Set::with_kind_of_tag(tag, [&]<class K>(std::type_identity<K> kind) { out = call(kind); });
      return out;
    }
  }
}
} // namespace detail

// Calls f(handle<K>) with the live handle of the word's kind K: untagged or one
// of Set's kinds. Returns f's result wrapped in result<>, or, without calling
// f, errc::invalid_handle for an invalid sentinel, errc::unknown_kind for a
// forged tag, errc::word_out_of_range for a value the set's word cannot hold.
// f must accept a handle of every kind of Set and return the same type for each.
template <any_kind_set Set, detail::integer Word, class F>
constexpr auto visit(Word value, F&& f) -> result<detail::visit_return_t<Set, F>> {
  return detail::visit_word<Set, false>(value, f);
}

// visit, where the ABI allows "no handle": an invalid sentinel is visited,
// verbatim, as an untagged handle (its is_invalid() is true). Every other word
// as visit.
template <any_kind_set Set, detail::integer Word, class F>
constexpr auto visit_nullable(Word value, F&& f) -> result<detail::visit_return_t<Set, F>> {
  return detail::visit_word<Set, true>(value, f);
}

} // namespace nybble

#endif // NYBBLE_KIND_SET_HPP
