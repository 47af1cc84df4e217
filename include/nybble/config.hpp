// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// config.hpp: the macros every other header relies on. NYBBLE_ASSERT and
// NYBBLE_ASSUME can be defined by the adapter before it includes nybble.
//
//   #define NYBBLE_ASSERT(condition, message) my_adapter_trap(condition)
//   #include <nybble.hpp>
#ifndef NYBBLE_CONFIG_HPP
#define NYBBLE_CONFIG_HPP

// NYBBLE_ASSERT(condition, message): a precondition only a programming error in
// the adapter can break (reading the value of a result that holds an error).
// Guest words never reach one: they are validated and answered with an errc.
// Traps in debug builds, compiled out under NDEBUG; in a constant expression a
// failure is a compile error, because the failure path is not constexpr.
#ifndef NYBBLE_ASSERT
#  ifdef NDEBUG
#    define NYBBLE_ASSERT(condition, message) static_cast<void>(0)
#  else
#    define NYBBLE_ASSERT(condition, message)                                                                          \
      ((condition) ? static_cast<void>(0) : ::nybble::detail::assertion_failed(message))
#  endif
#endif

// NYBBLE_INLINE_FOR_SIZE: the lowerings' internal parts (validation, arming, a
// wait, a guard's clean-up, the dispatch switch) are each called from one place.
// Optimising for size (-Os, -Oz, and WebAssembly) clang keeps some of them out
// of line and pays for the calls, so there they are inlined by force; optimising
// x86-64 for speed the compilers inline them by themselves, and forcing it made
// g++'s code slower. bench/README.md has the figures.
#if (defined(__OPTIMIZE_SIZE__) || defined(__wasm__)) && (defined(__GNUC__) || defined(__clang__))
#  define NYBBLE_INLINE_FOR_SIZE __attribute__((always_inline))
#else
#  define NYBBLE_INLINE_FOR_SIZE
#endif

// NYBBLE_INLINE_LOWERING: a lowering itself, called from one place (an
// adapter's export). clang keeps it out of line even at -O3, so with clang it
// is inlined by force; g++ inlines it by itself. bench/README.md has the figures.
#if defined(__clang__)
#  define NYBBLE_INLINE_LOWERING __attribute__((always_inline))
#else
#  define NYBBLE_INLINE_LOWERING NYBBLE_INLINE_FOR_SIZE
#endif

// NYBBLE_ASSUME(condition): a fact the lines above it have established, told to
// the optimiser so that it drops a test it cannot prove redundant. Checked like
// NYBBLE_ASSERT in debug builds; under NDEBUG a false condition would be
// undefined behaviour, so it only ever states what the code already guarantees.
#ifndef NYBBLE_ASSUME
#  ifdef NDEBUG
#    define NYBBLE_ASSUME(condition) ((condition) ? static_cast<void>(0) : __builtin_unreachable())
#  else
#    define NYBBLE_ASSUME(condition) NYBBLE_ASSERT(condition, "nybble: an assumed fact does not hold")
#  endif
#endif

namespace nybble::detail {

// Not constexpr on purpose: reaching it during constant evaluation makes the
// expression non-constant, which turns a broken precondition into a compile error.
[[noreturn]] inline void assertion_failed(const char* /*message*/) noexcept { __builtin_trap(); }

} // namespace nybble::detail

#endif // NYBBLE_CONFIG_HPP
