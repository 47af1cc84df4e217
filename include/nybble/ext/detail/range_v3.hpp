// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// ext/detail/range_v3.hpp: below <nybble/ext/range_v3.hpp>, the function
// objects its views apply. Not for adapters to name.
#ifndef NYBBLE_EXT_DETAIL_RANGE_V3_HPP
#define NYBBLE_EXT_DETAIL_RANGE_V3_HPP

#include <nybble/handle.hpp>
#include <nybble/kind_set.hpp>

namespace nybble::views::detail {

template <class Kind, class Set>
struct decode_word {
  [[nodiscard]] constexpr auto operator()(typename Set::word_type word) const noexcept {
    return nybble::decode<Kind, Set>(word);
  }
};

// A word of Kind's own tag. Invalid sentinels name no resource: decode refuses them.
template <class Kind, class Set>
struct is_of_kind {
  [[nodiscard]] constexpr bool operator()(typename Set::word_type word) const noexcept {
    return nybble::decode<Kind, Set>(word).has_value();
  }
};

template <class Kind, class Set>
struct as_handle {
  // Only applied after is_of_kind accepted the word.
  [[nodiscard]] constexpr auto operator()(typename Set::word_type word) const noexcept {
    return *nybble::decode<Kind, Set>(word);
  }
};

struct guest_word_of {
  template <class Kind, class Layout>
  [[nodiscard]] constexpr auto operator()(handle<Kind, Layout> h) const noexcept {
    return h.to_guest();
  }
};

struct payload_of {
  template <class Kind, class Layout>
  [[nodiscard]] constexpr auto operator()(handle<Kind, Layout> h) const noexcept {
    return h.payload();
  }
};

} // namespace nybble::views::detail

#endif // NYBBLE_EXT_DETAIL_RANGE_V3_HPP
