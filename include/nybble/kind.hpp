// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef NYBBLE_KIND_HPP
#define NYBBLE_KIND_HPP

#include <nybble/layout.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace nybble {

// A resource kind is an empty type that names its tag:
//
//   struct cache_entry : nybble::kind<1> {};
//
// The tag is what the kind field of a handle word holds. Tag 0 belongs to the
// built-in `untagged`: pollables and every resource that the untyped side can
// pass to the typed side as it is. There is no run-time ("dynamic") kind on
// purpose: a kind is a type, so a handle of one kind cannot be mistaken for
// another in adapter code.
template <std::uintmax_t Tag>
struct kind {
  static constexpr std::uintmax_t tag = Tag;
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

namespace detail {

// The checks below are templates whose arguments are the offending kind and its
// tag, so that the compiler's diagnostic names both next to the message.
template <class Kind, std::uintmax_t Tag>
constexpr bool user_tag_is_not_zero = Tag != 0;

template <class Kind, std::uintmax_t Tag, std::uintmax_t MaxTag>
constexpr bool tag_fits_layout = Tag <= MaxTag;

template <class Kind, std::uintmax_t Tag, std::size_t KindsWithThisTag>
constexpr bool tag_is_unique = KindsWithThisTag == 1;

template <class Layout, class Kind, class... Kinds>
constexpr bool check_user_kind() {
  static_assert(resource_kind<Kind>, "nybble::kind_set: every kind must derive from nybble::kind<Tag>, as in "
                                     "'struct my_kind : nybble::kind<1> {};'.");
  static_assert(user_tag_is_not_zero<Kind, Kind::tag>,
                "nybble::kind_set: a user kind must have a non-zero tag; tag 0 is reserved for "
                "nybble::untagged.");
  static_assert(tag_fits_layout<Kind, Kind::tag, Layout::max_tag>,
                "nybble::kind_set: the kind's tag is too large for the layout's kind field.");
  static_assert(tag_is_unique<Kind, Kind::tag, ((Kinds::tag == Kind::tag ? 1U : 0U) + ...)>,
                "nybble::kind_set: duplicate tags: two kinds in one kind_set share a tag.");
  return true;
}

} // namespace detail

// The kinds one adapter hands out, over one layout. `untagged` is always a
// member and need not (must not) be listed. All checks run at compile time:
// tags non-zero, unique, and small enough for the layout's kind field.
template <layout Layout, class... Kinds>
struct kind_set {
  using layout_type = Layout;
  using word_type = typename Layout::word_type;

  static_assert((detail::check_user_kind<Layout, Kinds, Kinds...>() && ... && true));

  // Number of kinds, untagged included.
  static constexpr std::size_t size = 1 + sizeof...(Kinds);

  template <class K>
  static constexpr bool contains = std::is_same_v<K, untagged> || (std::is_same_v<K, Kinds> || ...);

  [[nodiscard]] static constexpr bool contains_tag(std::uintmax_t tag) noexcept {
    return tag == 0 || ((tag == Kinds::tag) || ...);
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
    if (tag == 0) {
      f(std::type_identity<untagged>{});
      return true;
    }
    return ((tag == Kinds::tag ? (f(std::type_identity<Kinds>{}), true) : false) || ...);
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
