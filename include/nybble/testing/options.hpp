// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Part of <nybble/testing.hpp>, which is the header to include.
#ifndef NYBBLE_TESTING_OPTIONS_HPP
#define NYBBLE_TESTING_OPTIONS_HPP

#include <algorithm>
#include <cstddef>
#include <type_traits>

namespace nybble::testing {

// The options of typed_host<Set, Options...>. Every limit of the host is one of
// them; going past one is a recorded trap or an overflow the host reports.
template <class Kind>
struct subscribes {}; // handles of Kind offer subscribe() -> pollable
template <class Kind>
struct steps {};         // handles of Kind offer step() -> option<pollable>
struct without_clock {}; // the host has no now_ms()
struct waitable_sets {}; // the async ABI (WASI 0.3): no pollables; every waitable kind, untagged included, is
                         // waited on by start_wait/end_wait, in waitable sets
template <std::size_t Slots>
struct table_capacity {}; // handle table size, index 0 included (default 64); past it: trap::table_full
template <std::size_t Steps>
struct step_capacity {}; // steps one resource may be scripted with (default 8); past it: trap::too_many_steps
template <std::size_t Records>
struct log_capacity {}; // calls kept in the log (default 256); past it: calls_overflowed()
template <std::size_t Records>
struct trap_capacity {}; // traps kept (default 16); past it: traps_overflowed()

namespace detail {

// The value of the option Limit<N> among Options (0 when none is given), or Default.
template <template <std::size_t> class Limit, class Option>
struct limit_of : std::integral_constant<std::size_t, 0> {};
template <template <std::size_t> class Limit, std::size_t N>
struct limit_of<Limit, Limit<N>> : std::integral_constant<std::size_t, N> {};
template <template <std::size_t> class Limit, class... Options>
inline constexpr std::size_t limit_given = std::max({std::size_t{0}, limit_of<Limit, Options>::value...});
template <template <std::size_t> class Limit, std::size_t Default, class... Options>
inline constexpr std::size_t option_or = limit_given<Limit, Options...> == 0 ? Default : limit_given<Limit, Options...>;

template <class Option>
inline constexpr bool is_known_option = false;
template <class K>
inline constexpr bool is_known_option<subscribes<K>> = true;
template <class K>
inline constexpr bool is_known_option<steps<K>> = true;
template <>
inline constexpr bool is_known_option<without_clock> = true;
template <>
inline constexpr bool is_known_option<waitable_sets> = true;
template <std::size_t N>
inline constexpr bool is_known_option<table_capacity<N>> = true;
template <std::size_t N>
inline constexpr bool is_known_option<step_capacity<N>> = true;
template <std::size_t N>
inline constexpr bool is_known_option<log_capacity<N>> = true;
template <std::size_t N>
inline constexpr bool is_known_option<trap_capacity<N>> = true;

template <class Option>
inline constexpr bool is_wait_option = false;
template <class K>
inline constexpr bool is_wait_option<subscribes<K>> = true;
template <class K>
inline constexpr bool is_wait_option<steps<K>> = true;

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

#endif // NYBBLE_TESTING_OPTIONS_HPP
