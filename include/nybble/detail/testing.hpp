// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Internals of <nybble/testing.hpp>: what typed_host reads from its options.
// Not for adapters to name.
#ifndef NYBBLE_DETAIL_TESTING_HPP
#define NYBBLE_DETAIL_TESTING_HPP

#include <cstddef>
#include <type_traits>

namespace nybble::testing {

// The options of typed_host, defined in <nybble/testing.hpp>.
template <class Kind>
struct subscribes;
template <class Kind>
struct steps;
struct without_clock;
template <std::size_t Slots>
struct table_capacity;

namespace detail {

template <class Option>
struct capacity_option : std::integral_constant<std::size_t, 0> {};
template <std::size_t Slots>
struct capacity_option<table_capacity<Slots>> : std::integral_constant<std::size_t, Slots> {};

template <class Option>
inline constexpr bool is_known_option = false;
template <class K>
inline constexpr bool is_known_option<subscribes<K>> = true;
template <class K>
inline constexpr bool is_known_option<steps<K>> = true;
template <>
inline constexpr bool is_known_option<without_clock> = true;
template <std::size_t Slots>
inline constexpr bool is_known_option<table_capacity<Slots>> = true;

template <class Set, class Option>
inline constexpr bool option_kind_is_in_set = true;
template <class Set, class K>
inline constexpr bool option_kind_is_in_set<Set, subscribes<K>> = Set::template contains<K>&& K::tag != 0;
template <class Set, class K>
inline constexpr bool option_kind_is_in_set<Set, steps<K>> = Set::template contains<K>&& K::tag != 0;

template <class Option>
inline constexpr bool option_kind_is_waitable = true;
template <class K>
inline constexpr bool option_kind_is_waitable<subscribes<K>> = K::waitable;
template <class K>
inline constexpr bool option_kind_is_waitable<steps<K>> = K::waitable;

} // namespace detail
} // namespace nybble::testing

#endif // NYBBLE_DETAIL_TESTING_HPP
