// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// ext/range_v3.hpp: range-v3 views over handle sequences, for adapter code
// that translates whole lists of handles. The only nybble header that includes range-v3: the core
// stays at the standard library's compile cost (see bench/README.md).
//
//   words | nybble::views::decode<cache_entry, kinds>    result<handle<cache_entry>> per word
//   words | nybble::views::of_kind<cache_entry, kinds>   the cache entries only, as handles
//   handles | nybble::views::to_guest                    the words the guest gets
//   handles | nybble::views::payloads                    the indices the host gets
//
// Each is a range-v3 view adaptor: lazy, composable with `|`, over spans,
// vectors, arrays and other views. decode, to_guest and payloads keep the size
// and random access of what they adapt; of_kind filters, so it is neither sized
// nor random access. The views throw nothing; range-v3's own common_iterator
// does (ranges::to over a filtered, non-common range reaches it), so code built
// with -fno-exceptions collects such pipelines with a loop.
#ifndef NYBBLE_EXT_RANGE_V3_HPP
#define NYBBLE_EXT_RANGE_V3_HPP

#include <nybble/ext/detail/range_v3.hpp>
#include <nybble/handle.hpp>
#include <nybble/kind_set.hpp>

#include <range/v3/view/filter.hpp>
#include <range/v3/view/transform.hpp>

namespace nybble::views {

// Words to result<handle<Kind>>: one result per word, errors included (a
// sentinel is errc::invalid_handle, as decode answers).
template <class Kind, class Set>
inline const auto decode = ranges::views::transform(detail::decode_word<Kind, Set>{});

// Words to handle<Kind>, keeping only the words of Kind.
template <class Kind, class Set>
inline const auto of_kind =
    ranges::views::filter(detail::is_of_kind<Kind, Set>{}) | ranges::views::transform(detail::as_handle<Kind, Set>{});

// Handles to the words the guest gets.
inline const auto to_guest = ranges::views::transform(detail::guest_word_of{});

// Handles to the indices the host gets.
inline const auto payloads = ranges::views::transform(detail::payload_of{});

} // namespace nybble::views

#endif // NYBBLE_EXT_RANGE_V3_HPP
