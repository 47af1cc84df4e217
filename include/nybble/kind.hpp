// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef NYBBLE_KIND_HPP
#define NYBBLE_KIND_HPP

#include <nybble/detail/kind_set.hpp>
#include <nybble/layout.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <type_traits>

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
// and refuses (errc::not_waitable) handles of a kind declared unwaitable_kind<Tag>.
template <std::uintmax_t Tag>
struct kind {
  static constexpr std::uintmax_t tag = Tag;
  static constexpr bool waitable = true;
};

// A kind whose handles cannot be waited on (a select that names one answers
// errc::not_waitable, before any host call).
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

// Declared here so that a kind_set can name the handles of its kinds; defined
// in <nybble/handle.hpp>, which the end of this header includes.
template <class Kind, layout Layout>
class handle;

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

  // Number of kinds, untagged included.
  static constexpr std::size_t size = 1 + sizeof...(Kinds);

  template <class K>
  static constexpr bool contains = std::is_same_v<K, untagged> || (std::is_same_v<K, Kinds> || ...);

  // Calls f(std::type_identity<K>{}) for the kind whose tag is `tag` and returns
  // true, or returns false when no kind of the set has that tag. The tag may be
  // any value, including one the layout's kind field cannot hold.
  template <class F>
  NYBBLE_INLINE_STEP static constexpr bool with_kind_of_tag(std::uintmax_t tag, F&& f) {
    return detail::switch_on_tag<0, F, untagged, Kinds...>(tag, f);
  }

  // Whether a kind of the set has this tag (detail::tag_is_accepted: one
  // compare with kinds numbered 0..size-1, the usual way).
  [[nodiscard]] static constexpr bool contains_tag(std::uintmax_t tag) noexcept {
    return detail::tag_is_accepted<kind_set, detail::every_kind>(tag);
  }

  // Calls f(std::type_identity<K>{}) for untagged and then each user kind.
  template <class F>
  static constexpr void for_each_kind(F&& f) {
    f(std::type_identity<untagged>{});
    (f(std::type_identity<Kinds>{}), ...);
  }

private:
  static constexpr std::array<std::uintmax_t, sizeof...(Kinds)> user_tags{
      detail::tag_or_zero<Kinds, resource_kind<Kinds>>()...};
  static_assert(
      (detail::check_user_kind<Layout, Kinds, resource_kind<Kinds>,
                               detail::count_of(user_tags, detail::tag_or_zero<Kinds, resource_kind<Kinds>>())>() &&
       ... && true));
};

template <class S>
concept kind_set_type = requires {
  typename S::layout_type;
  typename S::word_type;
  requires layout<typename S::layout_type>;
  { S::size } -> std::convertible_to<std::size_t>;
};

} // namespace nybble

// A kind_set names its handles (kinds::handle<K>), so including this header
// gives handles too. handle.hpp includes this header first; whichever of the
// two is included first, each is complete where it is used.
#include <nybble/handle.hpp>

#endif // NYBBLE_KIND_HPP
