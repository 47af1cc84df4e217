// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// The kinds and hosts the select tests share: the motivating adapter's
// resources, over the typed test host.
#ifndef NYBBLE_TESTS_SELECT_FIXTURE_HPP
#define NYBBLE_TESTS_SELECT_FIXTURE_HPP

#include <nybble/select.hpp>
#include <nybble/testing.hpp>

#include <array>
#include <cstddef>
#include <cstdint>

namespace nybble_tests::select_fixture {

struct cache_entry : nybble::kind<1> {};      // subscribe() -> pollable
struct replace_entry : nybble::kind<2> {};    // subscribe() -> pollable
struct http_cache_entry : nybble::kind<3> {}; // step() -> option<pollable>
struct body : nybble::unwaitable_kind<4> {};  // nothing to wait on

using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, replace_entry, http_cache_entry, body>;

using host =
    nybble::testing::typed_host<kinds, nybble::testing::subscribes<cache_entry>,
                                nybble::testing::subscribes<replace_entry>, nybble::testing::steps<http_cache_entry>>;
using host_without_clock =
    nybble::testing::typed_host<kinds, nybble::testing::subscribes<cache_entry>,
                                nybble::testing::subscribes<replace_entry>, nybble::testing::steps<http_cache_entry>,
                                nybble::testing::without_clock>;

using nybble::testing::readiness;
using word = std::uint32_t;
template <std::size_t N>
using list = std::array<word, N>;

// A tag no kind of the set has: a forged word.
constexpr word forged_word = 0x6000'0001U;
constexpr word invalid_sentinel = nybble::canonical_abi_layout::null_word;
constexpr word other_sentinel = nybble::canonical_abi_layout::tombstone_word;
// A sentinel whose low bits name a live pollable (jco drops bit 31 and aliases it).
constexpr word sentinel_over_pollable = 0x8000'0001U;
// An untagged word that names no live resource of the test host.
constexpr word unknown_pollable = 0x0000'0030U;

} // namespace nybble_tests::select_fixture

#endif
