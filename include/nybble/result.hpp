// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// result.hpp: errors as values. errc names every way nybble refuses a word;
// result<T> holds a T or an errc and reads like std::expected.
//
//   if (const nybble::result<std::uint32_t> r = f(); !r) { return to_status(r.error()); }
#ifndef NYBBLE_RESULT_HPP
#define NYBBLE_RESULT_HPP

#include <nybble/config.hpp>

#include <cstdint>
#include <type_traits>

namespace nybble {

// Every way a nybble operation can refuse. Guest words that cannot be honoured
// come back as one of these; nothing aborts.
enum class errc : std::uint8_t {
  unknown_kind = 1,        // the word's tag names no kind of the kind_set (a forged word)
  wrong_kind,              // the word is of another kind than the one asked for
  payload_overflow,        // a payload uses bits the layout reserves for the tag
  not_waitable,            // the word's kind is declared unwaitable: nothing to wait on
  capacity_exceeded,       // the scratch space is shorter than the handle list
  empty_select,            // select over no handles and without a timeout would never return
  host_index_out_of_range, // the host's select answered an index outside the list it was given
  invalid_handle,          // an invalid sentinel where a live handle is needed
  word_out_of_range,       // a value the set's word type cannot hold (negative, or wider than the word)
  stale_handle,            // the word's handle was closed (its slot is free, or holds a later generation)
};

// A short, stable description of an errc, for logs and test output.
[[nodiscard]] constexpr const char* describe(errc e) noexcept {
  switch (e) {
  case errc::unknown_kind:
    return "unknown kind: the handle's tag names no kind of the set";
  case errc::wrong_kind:
    return "wrong kind: the handle is of another kind";
  case errc::payload_overflow:
    return "payload overflow: the payload uses the tag bits";
  case errc::not_waitable:
    return "not waitable: the kind is declared unwaitable";
  case errc::capacity_exceeded:
    return "capacity exceeded: the scratch space is too short";
  case errc::empty_select:
    return "empty select: no handles and no timeout";
  case errc::host_index_out_of_range:
    return "host index out of range";
  case errc::invalid_handle:
    return "invalid handle: a sentinel where a live handle is needed";
  case errc::word_out_of_range:
    return "word out of range: the value does not fit the set's word type";
  case errc::stale_handle:
    return "stale handle: the handle was closed, and its index may name another resource";
  }
  return "unrecognised errc";
}

// result<T> holds either a T or an errc, and reads like std::expected. It is
// meant for small value types (handles, indices, flags): T must be trivially
// copyable, which keeps result usable in constant expressions on every
// compiler nybble supports.
template <class T>
class [[nodiscard]] result {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                "nybble::result holds small trivially copyable values only.");
  static_assert(!std::is_same_v<std::remove_cv_t<T>, errc>, "nybble::result<errc> would be ambiguous.");

public:
  using value_type = T;

  constexpr result(T value) noexcept : value_{value}, error_{} {}
  constexpr result(errc error) noexcept : empty_{}, error_{error} {
    NYBBLE_ASSERT(error != errc{}, "nybble::result: an error must be a non-zero errc");
  }

  [[nodiscard]] constexpr bool has_value() const noexcept { return error_ == errc{}; }
  constexpr explicit operator bool() const noexcept { return has_value(); }

  // Precondition: has_value(). Reading the value of an error is a programming error.
  [[nodiscard]] constexpr const T& value() const noexcept {
    NYBBLE_ASSERT(has_value(), "nybble::result::value() called on an error");
    return value_;
  }
  [[nodiscard]] constexpr const T& operator*() const noexcept { return value(); }
  [[nodiscard]] constexpr const T* operator->() const noexcept { return &value(); }

  [[nodiscard]] constexpr T value_or(T fallback) const noexcept { return has_value() ? value_ : fallback; }

  // Precondition: !has_value().
  [[nodiscard]] constexpr errc error() const noexcept {
    NYBBLE_ASSERT(!has_value(), "nybble::result::error() called on a value");
    return error_;
  }

  [[nodiscard]] friend constexpr bool operator==(const result& a, const result& b) noexcept {
    if (a.has_value() != b.has_value()) {
      return false;
    }
    return a.has_value() ? a.value_ == b.value_ : a.error_ == b.error_;
  }
  [[nodiscard]] friend constexpr bool operator==(const result& a, const T& b) noexcept {
    return a.has_value() && a.value_ == b;
  }
  [[nodiscard]] friend constexpr bool operator==(const result& a, errc b) noexcept {
    return !a.has_value() && a.error_ == b;
  }

private:
  struct empty_t {};
  union {
    empty_t empty_;
    T value_;
  };
  errc error_;
};

// result<void>: success, or an errc.
template <>
class [[nodiscard]] result<void> {
public:
  using value_type = void;

  constexpr result() noexcept = default;
  constexpr result(errc error) noexcept : error_{error} {
    NYBBLE_ASSERT(error != errc{}, "nybble::result: an error must be a non-zero errc");
  }

  [[nodiscard]] constexpr bool has_value() const noexcept { return error_ == errc{}; }
  constexpr explicit operator bool() const noexcept { return has_value(); }
  constexpr void value() const noexcept { NYBBLE_ASSERT(has_value(), "nybble::result::value() called on an error"); }
  [[nodiscard]] constexpr errc error() const noexcept {
    NYBBLE_ASSERT(!has_value(), "nybble::result::error() called on a value");
    return error_;
  }
  [[nodiscard]] friend constexpr bool operator==(const result&, const result&) noexcept = default;
  [[nodiscard]] friend constexpr bool operator==(const result& a, errc b) noexcept {
    return !a.has_value() && a.error_ == b;
  }

private:
  errc error_{};
};

} // namespace nybble

#endif // NYBBLE_RESULT_HPP
