// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// The kinds the tests share: the motivating adapter's, over three word sizes.
#ifndef NYBBLE_TESTS_KINDS_HPP
#define NYBBLE_TESTS_KINDS_HPP

#include <nybble.hpp>

#include <cstdint>

namespace nybble_tests {

struct cache_entry : nybble::kind<1> {};
struct replace_entry : nybble::kind<2> {};
struct http_cache_entry : nybble::kind<3> {};

using canonical_kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, replace_entry>;

// 16-bit words: tag in bits 12..14, invalid bit 15, payload 0..11.
using layout16 = nybble::basic_layout<std::uint16_t, 3, 12, 15>;
using kinds16 = nybble::kind_set<layout16, cache_entry, replace_entry, http_cache_entry>;

// 64-bit words: tag in bits 60..62, invalid bit 63, payload 0..59.
using layout64 = nybble::basic_layout<std::uint64_t, 3, 60, 63>;
using kinds64 = nybble::kind_set<layout64, cache_entry, replace_entry, http_cache_entry>;

// The canonical layout with an 8-bit generation field (bits 20..27), and a
// 16-bit one with a 4-bit field (bits 8..11).
using generational_kinds = nybble::kind_set<nybble::generational_abi_layout, cache_entry, replace_entry>;
using generational_layout16 = nybble::basic_layout<std::uint16_t, 3, 12, 15, 4, 8>;
using generational_kinds16 = nybble::kind_set<generational_layout16, cache_entry, replace_entry, http_cache_entry>;

} // namespace nybble_tests

#endif
