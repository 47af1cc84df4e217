// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// kind.hpp: a resource kind is an empty type that names its tag, the value the
// kind field of its handles holds. A set of kinds is <nybble/kind_set.hpp>.
//
//   struct cache_entry : nybble::kind<1> {};
//   struct body        : nybble::unwaitable_kind<4> {}; // nothing to wait on
#ifndef NYBBLE_KIND_HPP
#define NYBBLE_KIND_HPP

#include <concepts>
#include <cstdint>

namespace nybble {

// Tag 0 belongs to the built-in `untagged`: pollables and every resource the
// guest can pass to the host as it is. There is no run-time ("dynamic") kind
// on purpose: a kind is a type, so a handle of one kind cannot be mistaken for
// another in adapter code.
//
// Whether a kind can be waited on is part of its declaration, never inferred
// from which host members happen to compile: the lowerings require a way to
// wait on every kind declared kind<Tag>, and refuse handles of a kind declared
// unwaitable_kind<Tag> (errc::not_waitable).
template <std::uintmax_t Tag>
struct kind {
  static constexpr std::uintmax_t tag = Tag;
  static constexpr bool waitable = true;
};

// A kind whose handles cannot be waited on: a select that names one answers
// errc::not_waitable, before any host call.
template <std::uintmax_t Tag>
struct unwaitable_kind : kind<Tag> {
  static constexpr bool waitable = false;
};

// Words that need no translation: pollables and every other untagged resource.
// A member of every kind_set; waitable, like every kind<Tag>.
struct untagged : kind<0> {};

// A type usable as a kind: derived from kind<its own tag>.
template <class K>
concept resource_kind = requires {
  { K::tag } -> std::convertible_to<std::uintmax_t>;
  requires std::derived_from<K, kind<K::tag>>;
};

} // namespace nybble

#endif // NYBBLE_KIND_HPP
