// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef NYBBLE_KIND_HPP
#define NYBBLE_KIND_HPP

#include <nybble/layout.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

namespace nybble {

// A resource kind is an empty type that names its tag:
//
//   struct cache_entry : nybble::kind<1> {};
//   struct body        : nybble::unwaitable_kind<4> {};   // nothing to wait on
//
// The tag is what the kind field of a handle word holds. Tag 0 belongs to the
// built-in `untagged`: pollables and every resource that the untyped side can
// pass to the typed side as it is. There is no run-time ("dynamic") kind on
// purpose: a kind is a type, so a handle of one kind cannot be mistaken for
// another in adapter code.
//
// Whether a kind can be waited on is part of its declaration, not something
// inferred from which host members happen to compile: the select lowering
// requires a subscribe or step member for every kind declared with kind<Tag>,
// and refuses (errc::not_pollable) handles of a kind declared unwaitable_kind<Tag>.
template <std::uintmax_t Tag>
struct kind {
  static constexpr std::uintmax_t tag = Tag;
  static constexpr bool waitable = true;
};

// A kind whose handles cannot be waited on (a select that names one answers
// errc::not_pollable, before any host call).
template <std::uintmax_t Tag>
struct unwaitable_kind : kind<Tag> {
  static constexpr bool waitable = false;
};

// Words that need no translation: pollables and every other untagged resource.
// Always a member of every kind_set.
struct untagged : kind<0> {};

// A type usable as a kind: derived from kind<its own tag>.
template <class K>
concept resource_kind = requires {
  { K::tag } -> std::convertible_to<std::uintmax_t>;
  requires std::derived_from<K, kind<K::tag>>;
};

// Declared here so that a kind_set can name the handles of its kinds; defined,
// with the canonical layout as its default, in <nybble/handle.hpp>.
template <class Kind, layout Layout>
class handle;

namespace detail {

// The checks below are templates whose arguments are the offending kind and its
// tag, so that the compiler's diagnostic names both next to the message.
template <class Kind, std::uintmax_t Tag>
constexpr bool user_tag_is_not_zero = Tag != 0;

template <class Kind, std::uintmax_t Tag, std::uintmax_t MaxTag>
constexpr bool tag_fits_layout = Tag <= MaxTag;

template <class Kind, std::uintmax_t Tag, std::size_t KindsWithThisTag>
constexpr bool tag_is_unique = KindsWithThisTag == 1;

// The I-th type of a pack. A recursion that peels one type per step costs a
// large kind set (hundreds of kinds) minutes of compile time; the compiler's
// builtin costs nothing, and where there is none, one class indexes the pack.
template <std::size_t I, class T>
struct indexed_type {
  using type = T;
};
template <class Indices, class... Ts>
struct type_index;
template <std::size_t... Is, class... Ts>
struct type_index<std::index_sequence<Is...>, Ts...> : indexed_type<Is, Ts>... {};
template <std::size_t I, class T>
indexed_type<I, T> type_at(const indexed_type<I, T>&); // only named in decltype: picks the I-th base

#if defined(__has_builtin)
#  if __has_builtin(__type_pack_element)
#    define NYBBLE_HAS_TYPE_PACK_ELEMENT 1
#  endif
#endif
template <std::size_t I, class... Ts>
struct nth_type {
#ifdef NYBBLE_HAS_TYPE_PACK_ELEMENT
  using type = __type_pack_element<I, Ts...>;
#else
  using type = typename decltype(type_at<I>(type_index<std::index_sequence_for<Ts...>, Ts...>{}))::type;
#endif
};

// The tags of a pack of kinds, in order (0 for a type that is no kind: that is
// reported by its own check).
template <class... Kinds>
constexpr std::array<std::uintmax_t, sizeof...(Kinds)> tags_of() {
  return {[]<class K>(std::type_identity<K>) -> std::uintmax_t {
    if constexpr (resource_kind<K>) {
      return K::tag;
    } else {
      return 0;
    }
  }(std::type_identity<Kinds>{})...};
}

template <std::size_t N>
constexpr std::size_t count_of(const std::array<std::uintmax_t, N>& tags, std::uintmax_t tag) {
  std::size_t n = 0;
  for (const std::uintmax_t t : tags) {
    n += t == tag ? 1U : 0U;
  }
  return n;
}

template <class Layout, class Kind, std::size_t KindsWithItsTag>
constexpr bool check_user_kind() {
  static_assert(resource_kind<Kind>, "nybble::kind_set: every kind must derive from nybble::kind<Tag>, as in "
                                     "'struct my_kind : nybble::kind<1> {};'.");
  static_assert(user_tag_is_not_zero<Kind, Kind::tag>,
                "nybble::kind_set: a user kind must have a non-zero tag; tag 0 is reserved for "
                "nybble::untagged.");
  static_assert(tag_fits_layout<Kind, Kind::tag, Layout::max_tag>,
                "nybble::kind_set: the kind's tag is too large for the layout's kind field.");
  static_assert(tag_is_unique<Kind, Kind::tag, KindsWithItsTag>,
                "nybble::kind_set: duplicate tags: two kinds in one kind_set share a tag.");
  return true;
}

} // namespace detail

// The kinds one adapter hands out, over one layout. `untagged` is always a
// member and need not (must not) be listed. All checks run at compile time:
// tags non-zero, unique, and small enough for the layout's kind field.
//
// Code written for one set names everything through it, never the layout or
// the word again: `kinds::handle<cache_entry>`, `kinds::word_type`, and
// `nybble::inline_scratch<64, kinds>` (in <nybble/select.hpp>).
template <layout Layout, class... Kinds>
struct kind_set {
  using layout_type = Layout;
  using word_type = typename Layout::word_type;

  // The handle of one of the set's kinds, over the set's layout (needs <nybble/handle.hpp>).
  template <class K>
  requires(std::is_same_v<K, untagged> || (std::is_same_v<K, Kinds> || ...)) using handle = nybble::handle<K, Layout>;

  static constexpr std::array<std::uintmax_t, sizeof...(Kinds)> user_tags = detail::tags_of<Kinds...>();
  static_assert((detail::check_user_kind<Layout, Kinds, detail::count_of(user_tags, detail::tags_of<Kinds>()[0])>() &&
                 ... && true));

  // Number of kinds, untagged included.
  static constexpr std::size_t size = 1 + sizeof...(Kinds);

  template <class K>
  static constexpr bool contains = std::is_same_v<K, untagged> || (std::is_same_v<K, Kinds> || ...);

  // One bit per tag of the set (bit 0: untagged), where the layout's tags fit in
  // 64 bits: membership is then a shift and a mask instead of a chain of compares.
  static constexpr bool has_tag_bitmask = Layout::max_tag < 64;
  static constexpr std::uint64_t tag_bitmask =
      has_tag_bitmask ? (std::uint64_t{1} | ... | (std::uint64_t{1} << (Kinds::tag % 64))) : 0;

  // Tags 0..size-1 with no gap, the usual way to number kinds: membership is one compare.
  static constexpr bool tags_are_contiguous =
      has_tag_bitmask && size < 64 && tag_bitmask == (std::uint64_t{1} << size) - 1;

  [[nodiscard]] static constexpr bool contains_tag(std::uintmax_t tag) noexcept {
    if constexpr (tags_are_contiguous) {
      return tag < size;
    } else if constexpr (has_tag_bitmask) {
      return tag <= Layout::max_tag && ((tag_bitmask >> tag) & 1U) != 0;
    } else {
      return tag == 0 || ((tag == Kinds::tag) || ...);
    }
  }

  // Calls f(std::type_identity<K>{}) for untagged and then each user kind.
  template <class F>
  static constexpr void for_each_kind(F&& f) {
    f(std::type_identity<untagged>{});
    (f(std::type_identity<Kinds>{}), ...);
  }

  // Calls f(std::type_identity<K>{}) for the kind whose tag is `tag` and returns
  // true, or returns false when no kind of the set has that tag.
  template <class F>
  static constexpr bool with_kind_of_tag(std::uintmax_t tag, F&& f) {
    if constexpr (tags_are_contiguous && size <= max_switch_cases) {
      return switch_on_tag(tag, f);
    } else {
      return fold_on_tag(tag, f);
    }
  }

private:
  template <std::size_t I>
  using kind_at = typename detail::nth_type<I, untagged, Kinds...>::type;

  struct tag_order {
    std::array<std::uintmax_t, size> tags;   // ascending
    std::array<std::size_t, size> positions; // where each sorted tag's kind is listed
  };
  static constexpr tag_order sorted = [] {
    tag_order order{{0, Kinds::tag...}, {}};
    for (std::size_t i = 0; i < size; ++i) {
      order.positions[i] = i;
    }
    for (std::size_t i = 1; i < size; ++i) { // insertion sort: a handful of kinds
      for (std::size_t j = i; j > 0 && order.tags[j - 1] > order.tags[j]; --j) {
        std::swap(order.tags[j - 1], order.tags[j]);
        std::swap(order.positions[j - 1], order.positions[j]);
      }
    }
    return order;
  }();

  // Tags 0..size-1: a switch, so that the compiler picks the same jump table or
  // compare tree it picks for a hand-written switch on the tag.
  static constexpr std::size_t max_switch_cases = 16;

  template <std::size_t Tag, class F>
  static constexpr bool call_with_tag(F& f) {
    if constexpr (Tag < size) {
      f(std::type_identity<kind_at<sorted.positions[Tag]>>{});
      return true;
    } else {
      return false;
    }
  }

  template <class F>
  static constexpr bool switch_on_tag(std::uintmax_t tag, F& f) {
    switch (tag) {
    case 0:
      return call_with_tag<0>(f);
    case 1:
      return call_with_tag<1>(f);
    case 2:
      return call_with_tag<2>(f);
    case 3:
      return call_with_tag<3>(f);
    case 4:
      return call_with_tag<4>(f);
    case 5:
      return call_with_tag<5>(f);
    case 6:
      return call_with_tag<6>(f);
    case 7:
      return call_with_tag<7>(f);
    case 8:
      return call_with_tag<8>(f);
    case 9:
      return call_with_tag<9>(f);
    case 10:
      return call_with_tag<10>(f);
    case 11:
      return call_with_tag<11>(f);
    case 12:
      return call_with_tag<12>(f);
    case 13:
      return call_with_tag<13>(f);
    case 14:
      return call_with_tag<14>(f);
    case 15:
      return call_with_tag<15>(f);
    default:
      return false;
    }
  }
  static_assert(max_switch_cases == 16, "switch_on_tag spells out one case per tag up to max_switch_cases.");

  // Other sets: one compare per kind, folded. Compilers turn the chain of
  // compares with one value into the switch or search they would pick for it,
  // and the fold instantiates nothing per kind but the call itself (a search
  // unrolled at compile time made large sets very slow to compile).
  template <class F>
  static constexpr bool fold_on_tag(std::uintmax_t tag, F& f) {
    const auto call_if = [&]<class K>(std::type_identity<K> kind) {
      if (tag != K::tag) {
        return false;
      }
      f(kind);
      return true;
    };
    return call_if(std::type_identity<untagged>{}) || (call_if(std::type_identity<Kinds>{}) || ...);
  }
};

template <class S>
concept kind_set_type = requires {
  typename S::layout_type;
  typename S::word_type;
  requires layout<typename S::layout_type>;
  { S::size } -> std::convertible_to<std::size_t>;
};

} // namespace nybble

#endif // NYBBLE_KIND_HPP
