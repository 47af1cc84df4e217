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

// What a visitor answers: its result for an untagged handle. A visitor that
// cannot take one (written for another layout's handles, say) answers
// visitor_mismatch here, so that visit's signature stays well-formed and its
// static_assert, which names the kind and the layout, is the error the adapter
// author reads (not "no matching function").
struct visitor_mismatch {};
template <class Set, class F, bool = std::is_invocable_v<F&, handle<untagged, typename Set::layout_type>>>
struct visit_return {
  using type = std::invoke_result_t<F&, handle<untagged, typename Set::layout_type>>;
};
template <class Set, class F>
struct visit_return<Set, F, false> {
  using type = visitor_mismatch;
};
template <class Set, class F>
using visit_return_t = typename visit_return<Set, F>::type;

// Kind and Layout are template arguments so that the diagnostic names them.
template <class F, class Kind, class Layout>
constexpr bool check_visitor_takes() {
  constexpr bool takes = std::is_invocable_v<F&, handle<Kind, Layout>>;
  static_assert(takes, "nybble::visit: the visitor cannot be called with nybble::handle<Kind, Layout> for this kind "
                       "of the set (Kind and Layout are named below). Write it for the set's handles, "
                       "kinds::handle<K>: a visitor written for another layout's handles does not match.");
  return takes;
}

} // namespace nybble::detail

#endif // NYBBLE_DETAIL_HANDLE_HPP
