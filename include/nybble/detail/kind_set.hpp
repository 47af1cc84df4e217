// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// detail/kind_set.hpp: below <nybble/kind_set.hpp>. The compile-time checks of
// a set's kinds, the one dispatch (a switch on the tag) and the one acceptance
// rule (is this tag one of the kinds a filter keeps). Not for adapters to name.
#ifndef NYBBLE_DETAIL_KIND_SET_HPP
#define NYBBLE_DETAIL_KIND_SET_HPP

#include <nybble/config.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

namespace nybble::detail {

// The checks below are templates whose arguments are the offending kind and its
// tag, so that the compiler's diagnostic names both next to the message.
template <class Kind, std::uintmax_t Tag>
constexpr bool user_tag_is_not_zero = Tag != 0;

template <class Kind, std::uintmax_t Tag, std::uintmax_t MaxTag>
constexpr bool tag_fits_layout = Tag <= MaxTag;

template <class Kind, std::uintmax_t Tag, std::size_t KindsWithThisTag>
constexpr bool tag_is_unique = KindsWithThisTag == 1;

// The tag of a kind, or 0 for a type that is no kind (its own check reports it).
template <class K, bool IsKind>
constexpr std::uintmax_t tag_or_zero() {
  if constexpr (IsKind) {
    return K::tag;
  } else {
    return 0;
  }
}

template <std::size_t N>
constexpr std::size_t count_of(const std::array<std::uintmax_t, N>& tags, std::uintmax_t tag) {
  std::size_t n = 0;
  for (const std::uintmax_t t : tags) {
    n += t == tag ? 1U : 0U;
  }
  return n;
}

template <class Layout, class Kind, bool IsKind, std::size_t KindsWithItsTag>
constexpr bool check_user_kind() {
  static_assert(IsKind, "nybble::kind_set: every kind must derive from nybble::kind<Tag>, as in "
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

// Dispatch on a tag: a switch whose case labels are the kinds' own tags, in
// blocks of switch_block kinds, the default of one block being the next block,
// so that it compiles as a hand-written switch does for any tags: contiguous,
// gapped, or spread over a wide kind field. A case past the last kind gets a
// label no kind field can hold (a tag is at most 2^63 - 1), so that every
// block has the same shape.
inline constexpr std::size_t switch_block = 16;

template <std::size_t I, std::size_t N>
constexpr std::uintmax_t case_label(const std::array<std::uintmax_t, N>& tags) {
  return I < N ? tags[I] : std::numeric_limits<std::uintmax_t>::max() - I;
}

// Calls f(std::type_identity<I-th kind>{}) and answers true; false past the last kind.
template <std::size_t I, class F, class... Kinds>
NYBBLE_INLINE_FOR_SIZE constexpr bool call_kind_at(F& f) {
  if constexpr (I < sizeof...(Kinds)) {
    f(std::type_identity<typename nth_type<I, Kinds...>::type>{});
    return true;
  } else {
    return false;
  }
}

template <std::size_t First, class F, class... Kinds>
NYBBLE_INLINE_FOR_SIZE constexpr bool switch_on_tag(std::uintmax_t tag, F& f) {
  constexpr std::array<std::uintmax_t, sizeof...(Kinds)> tags{Kinds::tag...};
  switch (tag) {
  case case_label<First + 0>(tags):
    return call_kind_at<First + 0, F, Kinds...>(f);
  case case_label<First + 1>(tags):
    return call_kind_at<First + 1, F, Kinds...>(f);
  case case_label<First + 2>(tags):
    return call_kind_at<First + 2, F, Kinds...>(f);
  case case_label<First + 3>(tags):
    return call_kind_at<First + 3, F, Kinds...>(f);
  case case_label<First + 4>(tags):
    return call_kind_at<First + 4, F, Kinds...>(f);
  case case_label<First + 5>(tags):
    return call_kind_at<First + 5, F, Kinds...>(f);
  case case_label<First + 6>(tags):
    return call_kind_at<First + 6, F, Kinds...>(f);
  case case_label<First + 7>(tags):
    return call_kind_at<First + 7, F, Kinds...>(f);
  case case_label<First + 8>(tags):
    return call_kind_at<First + 8, F, Kinds...>(f);
  case case_label<First + 9>(tags):
    return call_kind_at<First + 9, F, Kinds...>(f);
  case case_label<First + 10>(tags):
    return call_kind_at<First + 10, F, Kinds...>(f);
  case case_label<First + 11>(tags):
    return call_kind_at<First + 11, F, Kinds...>(f);
  case case_label<First + 12>(tags):
    return call_kind_at<First + 12, F, Kinds...>(f);
  case case_label<First + 13>(tags):
    return call_kind_at<First + 13, F, Kinds...>(f);
  case case_label<First + 14>(tags):
    return call_kind_at<First + 14, F, Kinds...>(f);
  case case_label<First + 15>(tags):
    return call_kind_at<First + 15, F, Kinds...>(f);
  default:
    if constexpr (First + switch_block < sizeof...(Kinds)) {
      return switch_on_tag<First + switch_block, F, Kinds...>(tag, f);
    } else {
      return false;
    }
  }
}
static_assert(switch_block == 16, "switch_on_tag spells out one case per kind of a block.");

// The one rule for whether a tag is accepted, whatever the question: is it a
// kind of the set, can the host wait on its kind, does its kind step. A
// KindFilter names the kinds that answer yes: a type with
//   template <class K> static constexpr bool keeps(std::type_identity<K>);
//
// Every tag below first_unaccepted_tag is accepted (with kinds numbered 0..k,
// the usual way, that bound alone decides); above it, one compare per kept kind
// there. Compares, not the dispatch switch: in a loop over words they stay
// branch-free, which compilers vectorise.
template <class Set, class KindFilter>
inline constexpr std::uintmax_t first_unaccepted_tag = [] {
  std::array<std::uintmax_t, Set::size> accepted{};
  std::size_t count = 0;
  Set::for_each_kind([&]<class K>(std::type_identity<K>) {
    if constexpr (KindFilter::keeps(std::type_identity<K>{})) {
      accepted[count++] = K::tag;
    }
  });
  std::uintmax_t tag = 0;
  for (bool found = true; found;) {
    found = false;
    for (std::size_t i = 0; i < count; ++i) {
      found = found || accepted[i] == tag;
    }
    tag += found ? 1U : 0U;
  }
  return tag;
}();

template <class Set, class KindFilter>
[[nodiscard]] constexpr bool tag_is_accepted(std::uintmax_t tag) noexcept {
  constexpr std::uintmax_t bound = first_unaccepted_tag<Set, KindFilter>;
  return tag < bound || Set::any_kind([tag]<class K>(std::type_identity<K>) {
           if constexpr (K::tag > bound && KindFilter::keeps(std::type_identity<K>{})) {
             return tag == K::tag;
           } else {
             return false;
           }
         });
}

// Keeps every kind: membership.
struct every_kind {
  template <class K>
  static constexpr bool keeps(std::type_identity<K> /*kind*/) noexcept {
    return true;
  }
};

} // namespace nybble::detail

#endif // NYBBLE_DETAIL_KIND_SET_HPP
