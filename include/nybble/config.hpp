// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef NYBBLE_CONFIG_HPP
#define NYBBLE_CONFIG_HPP

// Preconditions that only a programming error in the adapter can break (reading
// the value of a result that holds an error, say) are checked by NYBBLE_ASSERT.
// Nothing a guest sends reaches an assertion: guest words are validated and
// answered with an errc.
//
// Define NYBBLE_ASSERT before including nybble to route failures to your own
// handler; by default it traps in debug builds and is compiled out under
// NDEBUG. In a constant expression a failed assertion is a compile error,
// because the failure path calls a function that is not constexpr.
#ifndef NYBBLE_ASSERT
#  ifdef NDEBUG
#    define NYBBLE_ASSERT(condition, message) static_cast<void>(0)
#  else
#    define NYBBLE_ASSERT(condition, message)                                                                          \
      ((condition) ? static_cast<void>(0) : ::nybble::detail::assertion_failed(message))
#  endif
#endif

namespace nybble::detail {

// Not constexpr on purpose: reaching it during constant evaluation makes the
// expression non-constant, which turns a broken precondition into a compile error.
[[noreturn]] inline void assertion_failed(const char* /*message*/) noexcept { __builtin_trap(); }

} // namespace nybble::detail

#endif // NYBBLE_CONFIG_HPP
