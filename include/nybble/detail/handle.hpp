// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// detail/handle.hpp: below <nybble/handle.hpp>. Which integers a caller may hand
// nybble, the one checked narrowing of such an integer to a word, and the one
// door to a handle without checks. Not for adapters to name.
#ifndef NYBBLE_DETAIL_HANDLE_HPP
#define NYBBLE_DETAIL_HANDLE_HPP

#include <nybble/result.hpp>

#include <concepts>
#include <limits>
#include <type_traits>

namespace nybble::detail {

// Integers a caller may hand nybble as an index or a word: any integer type but
// bool. Values are range-checked before they are converted, never narrowed.
template <class T>
concept integer = std::integral<T> && !std::same_as<std::remove_cv_t<T>, bool>;

// `value` as a Word, or errc::word_out_of_range when Word cannot hold it (a
// negative value, or one wider than the word): a guest's value is never
// truncated onto another handle.
template <std::unsigned_integral Word, integer Value>
[[nodiscard]] constexpr result<Word> narrow(Value value) noexcept {
  if constexpr (std::is_signed_v<Value>) {
    if (value < 0) {
      return errc::word_out_of_range;
    }
  }
  if (static_cast<std::make_unsigned_t<Value>>(value) > std::numeric_limits<Word>::max()) {
    return errc::word_out_of_range;
  }
  return static_cast<Word>(value);
}

// The one door to a handle without checks, for nybble's own code after it has
// validated a word (decode, visit, the lowerings).
struct handle_access {
  template <class Handle>
  // bits: the guest's word without its kind field (Layout::handle_mask), or a sentinel.
  [[nodiscard]] static constexpr Handle make(typename Handle::word_type bits) noexcept {
    return Handle{bits};
  }
};

} // namespace nybble::detail

#endif // NYBBLE_DETAIL_HANDLE_HPP
