// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Internals of <nybble/handle.hpp>: which integers a caller may hand nybble, the
// one door to a handle without checks, and the type checks of decode and visit.
// Not for adapters to name.
#ifndef NYBBLE_DETAIL_HANDLE_HPP
#define NYBBLE_DETAIL_HANDLE_HPP

#include <nybble/kind.hpp>

#include <concepts>
#include <limits>
#include <type_traits>

namespace nybble::detail {

// Integers a caller may hand nybble as an index or a word: any integer type but
// bool. Values are range-checked before they are converted, never narrowed.
template <class T>
concept integer = std::integral<T> && !std::same_as<std::remove_cv_t<T>, bool>;

// Whether `value` is representable in Word (no sign loss, no truncation).
template <std::unsigned_integral Word, integer Value>
[[nodiscard]] constexpr bool fits_in(Value value) noexcept {
  if constexpr (std::is_signed_v<Value>) {
    if (value < 0) {
      return false;
    }
  }
  return static_cast<std::make_unsigned_t<Value>>(value) <= std::numeric_limits<Word>::max();
}

// The one door to a handle without checks, for nybble's own code after it has
// validated a word (decode, visit, the select lowering). Not for adapters.
struct handle_access {
  template <class Handle>
  [[nodiscard]] static constexpr Handle make(typename Handle::word_type payload) noexcept {
    return Handle{payload};
  }
};

template <class Kind, class Set>
constexpr bool kind_is_member_of_set = Set::template contains<Kind>;

template <class Set, class F>
using visit_return_t = std::invoke_result_t<F&, handle<untagged, typename Set::layout_type>>;

} // namespace nybble::detail

#endif // NYBBLE_DETAIL_HANDLE_HPP
